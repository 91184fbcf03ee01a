/*
 * peer_glpk.c: GLPK on the transportation instance `hafen match` reads,
 * a peer of issue 4's benchmark.
 *
 *     peer_glpk [--algo relax4|okalg|simplex] DIR
 *
 * The network is peer_lemon's: household (supply 1) -> unit (cost -s_ij)
 * -> sink (capacity c_j, supply -n).
 *
 * relax4: glp_mincost_relax4, Bertsekas and Tseng's RELAX-IV. Debian's
 *   GLPK 5.0 ships it disabled (its licence is not GPL-compatible): the
 *   call prints a message and aborts the whole process. It is therefore
 *   run in a child process; if the child dies, a line with
 *   status=disabled and the signal is printed and the exit status is 0.
 *   If a GLPK build has it, its result is printed like the others.
 * okalg:  glp_mincost_okalg, the out-of-kilter algorithm.
 * simplex: the transportation LP (n equality rows, m capacity rows, n x m
 *   columns) by glp_simplex with presolve; its optimum is integral (the
 *   matrix is totally unimodular) and is checked to be.
 *
 * Prints: peer_glpk algo=.. households=N units=M optimum=X read_s=..
 * build_s=.. run_s=.. total_s=.. peak_kib=..
 */
#include <glpk.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peer_input.h"

typedef struct vdata {
	double rhs;
} vdata;

typedef struct adata {
	double low, cap, cost, x;
} adata;

/* GLPK's terminal output goes to stderr: stdout is the result lines. */
static int to_stderr(void *info, const char *s)
{
	(void)info;
	fputs(s, stderr);
	return 1;
}

static glp_graph *build_graph(const peer_inst *in)
{
	glp_graph *g = glp_create_graph(sizeof(vdata), sizeof(adata));
	size_t i, j, n = in->n, m = in->m;
	glp_add_vertices(g, (int)(n + m + 1));
	for (i = 0; i < n; i++) {
		((vdata *)g->v[i + 1]->data)->rhs = 1;
		for (j = 0; j < m; j++) {
			glp_arc *a =
			    glp_add_arc(g, (int)i + 1, (int)(n + j) + 1);
			adata *d = a->data;
			d->low = 0;
			d->cap = 1;
			d->cost = -(double)in->score[i * m + j];
		}
	}
	for (j = 0; j < m; j++) {
		glp_arc *a = glp_add_arc(g, (int)(n + j) + 1, (int)(n + m) + 1);
		adata *d = a->data;
		d->low = 0;
		d->cap = (double)in->cap[j];
		d->cost = 0;
	}
	((vdata *)g->v[n + m + 1]->data)->rhs = -(double)n;
	return g;
}

/* Checks the flow of the network; returns the optimum it gives, or -1. */
static long long check_flow(glp_graph *g, const peer_inst *in)
{
	size_t i;
	long long obj = 0;
	for (i = 0; i < in->n; i++) {
		glp_arc *a;
		int k = 0;
		for (a = g->v[i + 1]->out; a; a = a->t_next) {
			adata *d = a->data;
			if (d->x == 0)
				continue;
			if (d->x != 1)
				return -1;
			obj -= (long long)d->cost;
			k++;
		}
		if (k != 1)
			return -1;
	}
	for (i = 0; i < in->m; i++) {
		glp_arc *a = g->v[in->n + i + 1]->out;
		if (((adata *)a->data)->x > (double)in->cap[i])
			return -1;
	}
	return obj;
}

static void report(const char *algo, const peer_inst *in, long long opt,
		   double t0, double t1, double t2, double t3)
{
	printf("peer_glpk algo=%s households=%zu units=%zu optimum=%lld "
	       "read_s=%.3f build_s=%.3f run_s=%.3f total_s=%.3f "
	       "peak_kib=%ld\n",
	       algo, in->n, in->m, opt, t1 - t0, t2 - t1, t3 - t2, t3 - t0,
	       peer_peak_kib());
	fflush(stdout);
}

static int network(const char *algo, const char *dir)
{
	peer_inst in;
	glp_graph *g;
	double t0 = peer_now(), t1, t2, t3, sol = 0;
	int rc, a_low = offsetof(adata, low), a_cap = offsetof(adata, cap),
		a_cost = offsetof(adata, cost), a_x = offsetof(adata, x);
	long long opt, again;
	if (peer_read(dir, &in) < 0)
		return 1;
	t1 = peer_now();
	g = build_graph(&in);
	t2 = peer_now();
	if (!strcmp(algo, "relax4"))
		rc = glp_mincost_relax4(g, offsetof(vdata, rhs), a_low, a_cap,
					a_cost, 0, &sol, a_x, -1);
	else
		rc = glp_mincost_okalg(g, offsetof(vdata, rhs), a_low, a_cap,
				       a_cost, &sol, a_x, -1);
	t3 = peer_now();
	if (rc != 0) {
		fprintf(stderr, "peer_glpk %s: GLPK returned %d\n", algo, rc);
		return 1;
	}
	opt = -(long long)llround(sol);
	again = check_flow(g, &in);
	if (again != opt) {
		fprintf(stderr,
			"peer_glpk %s: flow check failed (optimum %lld, "
			"flow gives %lld)\n",
			algo, opt, again);
		return 1;
	}
	report(algo, &in, opt, t0, t1, t2, t3);
	glp_delete_graph(g);
	peer_free(&in);
	return 0;
}

/* relax4 in a child: Debian's GLPK aborts in it. */
static int relax4(const char *dir)
{
	pid_t pid;
	int st;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(network("relax4", dir));
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	if (WIFSIGNALED(st)) {
		printf("peer_glpk algo=relax4 status=disabled signal=%d (%s): "
		       "glp_mincost_relax4 aborts the process in this GLPK "
		       "%s\n",
		       WTERMSIG(st), strsignal(WTERMSIG(st)), glp_version());
		return 0;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int simplex(const char *dir)
{
	peer_inst in;
	glp_prob *p;
	glp_smcp parm;
	int *ia = NULL, *ja = NULL, rc = 1, ret;
	double *ar = NULL, t0 = peer_now(), t1, t2, t3, z;
	size_t i, j, n, m, k = 0;
	long long opt;
	if (peer_read(dir, &in) < 0)
		return 1;
	t1 = peer_now();
	n = in.n;
	m = in.m;
	p = glp_create_prob();
	glp_set_obj_dir(p, GLP_MAX);
	glp_add_rows(p, (int)(n + m));
	for (i = 0; i < n; i++)
		glp_set_row_bnds(p, (int)i + 1, GLP_FX, 1, 1);
	for (j = 0; j < m; j++)
		glp_set_row_bnds(p, (int)(n + j) + 1, GLP_UP, 0,
				 (double)in.cap[j]);
	glp_add_cols(p, (int)(n * m));
	ia = malloc((2 * n * m + 1) * sizeof *ia);
	ja = malloc((2 * n * m + 1) * sizeof *ja);
	ar = malloc((2 * n * m + 1) * sizeof *ar);
	if (!ia || !ja || !ar)
		goto done;
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			int c = (int)(i * m + j) + 1;
			glp_set_col_bnds(p, c, GLP_LO, 0, 0);
			glp_set_obj_coef(p, c, in.score[i * m + j]);
			k++;
			ia[k] = (int)i + 1, ja[k] = c, ar[k] = 1;
			k++;
			ia[k] = (int)(n + j) + 1, ja[k] = c, ar[k] = 1;
		}
	}
	glp_load_matrix(p, (int)k, ia, ja, ar);
	free(ia), free(ja), free(ar);
	ia = ja = NULL, ar = NULL;
	t2 = peer_now();
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	ret = glp_simplex(p, &parm);
	t3 = peer_now();
	if (ret != 0 || glp_get_status(p) != GLP_OPT) {
		fprintf(stderr, "peer_glpk simplex: GLPK returned %d\n", ret);
		goto done;
	}
	z = glp_get_obj_val(p);
	opt = llround(z);
	for (i = 0; i < n * m; i++) {
		double x = glp_get_col_prim(p, (int)i + 1);
		if (fabs(x - round(x)) > 1e-9) {
			fprintf(stderr, "peer_glpk simplex: fractional x\n");
			goto done;
		}
	}
	if (fabs(z - (double)opt) > 1e-6) {
		fprintf(stderr, "peer_glpk simplex: objective %.9g\n", z);
		goto done;
	}
	report("simplex", &in, opt, t0, t1, t2, t3);
	rc = 0;
done:
	free(ia), free(ja), free(ar);
	glp_delete_prob(p);
	peer_free(&in);
	return rc;
}

int main(int argc, char **argv)
{
	const char *algo = "okalg", *dir = NULL;
	int i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--algo") && i + 1 < argc)
			algo = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			dir = NULL, i = argc;
	}
	if (!dir) {
		fprintf(stderr,
			"usage: peer_glpk [--algo relax4|okalg|simplex] "
			"DIR\n");
		return 2;
	}
	glp_term_hook(to_stderr, NULL);
	if (!strcmp(algo, "relax4"))
		return relax4(dir);
	if (!strcmp(algo, "okalg"))
		return network("okalg", dir);
	if (!strcmp(algo, "simplex"))
		return simplex(dir);
	fprintf(stderr, "peer_glpk: unknown algorithm %s\n", algo);
	return 2;
}
