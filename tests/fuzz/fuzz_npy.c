/* fuzz_npy.c: the .npy reader under a fuzzer: hf_npy_parse on any bytes.
 * tests/fuzz/meson.build builds it with libFuzzer (`ninja -C build
 * fuzzers`) and replays its corpus in the test suite (replay.c). */
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
