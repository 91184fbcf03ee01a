/*
 * Replays fuzz corpora in the ordinary test suite (gcc, ASan+UBSan): every
 * file of the directories given goes once through the target's
 * LLVMFuzzerTestOneInput. A crash or sanitizer report fails the test.
 * TAP output, one line per file.
 *
 *   replay_xlsx tests/fuzz/corpus/xlsx
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc(n ? (size_t)n : 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	char **files = NULL;
	size_t n = 0, cap = 0, i;
	int a, failed = 0;

	for (a = 1; a < argc; a++) {
		DIR *d = opendir(argv[a]);
		struct dirent *e;
		if (!d) {
			fprintf(stderr, "replay: cannot open %s\n", argv[a]);
			return 1;
		}
		while ((e = readdir(d))) {
			char p[4096];
			struct stat st;
			snprintf(p, sizeof p, "%s/%s", argv[a], e->d_name);
			if (e->d_name[0] == '.' || stat(p, &st) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				files = realloc(files, cap * sizeof *files);
				if (!files)
					return 1;
			}
			if (!(files[n++] = strdup(p)))
				return 1;
		}
		closedir(d);
	}
	qsort(files, n, sizeof *files, by_name);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		int rc = replay(files[i]);
		printf("%s %zu - %s\n", rc == 0 ? "ok" : "not ok", i + 1,
		       files[i]);
		failed |= rc != 0;
		free(files[i]);
	}
	free(files);
	return failed;
}
