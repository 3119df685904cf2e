#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	enum { ROUNDS = 7, CALLS = 100000 };
	int n = argc - 1, fd[16], r, i, k;
	double t[16][ROUNDS];
	char c = 'x';

	for (i = 0; i < n; i++) {
		fd[i] = open(argv[i + 1], O_WRONLY);
		if (fd[i] < 0) { perror(argv[i + 1]); return 1; }
	}
	for (r = 0; r < ROUNDS; r++)
		for (k = 0; k < n; k++) {
			int f = (r + k) % n;
			double s = now();

			for (i = 0; i < CALLS; i++)
				if (write(fd[f], &c, 1) != 1) { perror("write"); return 1; }
			t[f][r] = (now() - s) / CALLS;
		}
	for (i = 0; i < n; i++) {
		qsort(t[i], ROUNDS, sizeof(double), cmp);
		printf("%-40s %6.0f ns (min %4.0f, max %4.0f)\n", argv[i + 1], t[i][ROUNDS / 2], t[i][0], t[i][ROUNDS - 1]);
	}
	return 0;
}
