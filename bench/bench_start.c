/*
 * bench_start.c: the start of a command. bench_start RUNS CMD... runs CMD
 * (its output to /dev/null) RUNS times, fork and exec, and prints the
 * median, least and largest wall time in milliseconds. bench/start.sh runs
 * it on `hafen --help` beside /bin/true, the floor of any program on the
 * machine.
 */
#define BENCH_NAME "bench_start"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

int main(int argc, char **argv)
{
	long runs, k;
	double *t;
	if (argc < 3 || (runs = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: bench_start RUNS CMD [ARG...]\n");
		return 2;
	}
	if (!(t = malloc((size_t)runs * sizeof *t)))
		return 1;
	for (k = 0; k < runs; k++) {
		double t0 = bench_now();
		int st;
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execv(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			/* a run that failed times nothing worth a median */
			fprintf(stderr,
				"bench_start: %s did not run or failed "
				"(exit %d)\n",
				argv[2], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			return 1;
		}
		t[k] = bench_now() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
	printf("%.2f ms median (%.2f–%.2f, %ld runs)\n", 1e3 * t[runs / 2],
	       1e3 * t[0], 1e3 * t[runs - 1], runs);
	free(t);
	return 0;
}
