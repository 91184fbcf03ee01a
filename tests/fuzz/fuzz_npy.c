/* fuzz_npy.c: the .npy reader under a fuzzer. Built with clang's
 * -fsanitize=fuzzer (meson -Dfuzz=true is not needed: compile by hand,
 * see below) it fuzzes hf_npy_parse; built normally it replays every file
 * named on the command line, which is how the corpus runs as an ordinary
 * test.
 *
 *   clang -fsanitize=fuzzer,address -DHF_FUZZER -Iinclude \
 *         tests/fuzz/fuzz_npy.c src/lib/npy.c src/lib/error.c -o fuzz_npy
 *   ./fuzz_npy tests/fuzz/corpus/npy
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hafen/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_npy *s;
	hf_error err;
	hf_error_init(&err, HF_LANG_EN);
	if (hf_npy_parse("fuzz.npy", data, size, &s, &err) == HF_OK) {
		volatile double sum = 0;
		size_t r, c;
		for (r = 0; r < s->rows && r < 4; r++)
			for (c = 0; c < s->cols && c < 4; c++)
				sum += hf_npy_get(s, r, c);
		(void)sum;
		hf_npy_close(s);
	} else if (!err.message[0]) {
		abort(); /* every refusal says why */
	}
	return 0;
}

#ifndef HF_FUZZER
/* Replays files; prints TAP. */
int main(int argc, char **argv)
{
	int i;
	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;
		if (!f) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		do {
			if (len + 4096 > cap) {
				uint8_t *nb =
				    realloc(buf, cap = 2 * cap + 4096);
				if (!nb)
					abort();
				buf = nb;
			}
			n = fread(buf + len, 1, 4096, f);
			len += n;
		} while (n == 4096);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	return 0;
}
#endif
