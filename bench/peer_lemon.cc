/*
 * peer_lemon.cc: LEMON's min-cost-flow solvers on the transportation
 * instance `hafen match` reads, the peers of issue 4's benchmark.
 *
 *     peer_lemon [--algo ns|cs|cap|all] [--out FILE] DIR
 *
 * DIR holds households.csv (id,persons with persons = 1), units.csv
 * (code,capacity) and scores.npy (integer-valued). The problem: assign
 * every household to one unit, no unit over its capacity, maximise the
 * total score. As a flow: household i (supply 1) -> unit j (cost -s_ij)
 * -> sink (arc capacity c_j, supply -n), solved by NetworkSimplex (ns,
 * block-search pivots), CostScaling (cs, partial augment-relabel) or
 * CapacityScaling (cap). The graph is a StaticDigraph, LEMON's leanest.
 *
 * Prints one line per algorithm:
 *   peer_lemon algo=ns households=N units=M optimum=X read_s=.. build_s=..
 *   run_s=.. total_s=.. peak_kib=..
 * total_s = read + build + run. The flow is checked afterwards (each
 * household in exactly one unit, capacities held, the optimum recomputed
 * from the flow); a failed check exits 1.
 */
#include <lemon/capacity_scaling.h>
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "peer_input.h"

using lemon::StaticDigraph;
typedef StaticDigraph::ArcMap<long long> CostMap;
typedef StaticDigraph::ArcMap<int> FlowMap;
typedef StaticDigraph::NodeMap<int> SupplyMap;

struct net {
	StaticDigraph g;
	size_t n, m;
	CostMap *cost;
	FlowMap *upper;
	SupplyMap *supply;
};

/* Builds the network; frees the scores (the costs hold them now). */
static void build(net &t, peer_inst &in)
{
	std::vector<std::pair<int, int>> arcs;
	size_t i, j, n = in.n, m = in.m;
	arcs.reserve(n * m + m);
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			arcs.push_back(std::make_pair((int)i, (int)(n + j)));
	for (j = 0; j < m; j++)
		arcs.push_back(std::make_pair((int)(n + j), (int)(n + m)));
	t.g.build((int)(n + m + 1), arcs.begin(), arcs.end());
	std::vector<std::pair<int, int>>().swap(arcs);
	t.n = n;
	t.m = m;
	t.cost = new CostMap(t.g, 0);
	t.upper = new FlowMap(t.g, 0);
	t.supply = new SupplyMap(t.g, 0);
	for (StaticDigraph::ArcIt a(t.g); a != lemon::INVALID; ++a) {
		size_t s = (size_t)t.g.index(t.g.source(a));
		size_t d = (size_t)t.g.index(t.g.target(a));
		if (s < n) {
			(*t.cost)[a] = -(long long)in.score[s * m + (d - n)];
			(*t.upper)[a] = 1;
		} else {
			(*t.upper)[a] = (int)in.cap[s - n];
		}
	}
	for (i = 0; i < n; i++)
		(*t.supply)[t.g.node((int)i)] = 1;
	(*t.supply)[t.g.node((int)(n + m))] = -(int)n;
	free(in.score);
	in.score = NULL;
}

/* Checks the flow; returns the optimum recomputed from it, or -1. */
template <typename ALG>
static long long check(const net &t, const peer_inst &in, const ALG &alg,
		       std::vector<int> &unit_of)
{
	std::vector<long long> load(t.m, 0);
	long long obj = 0;
	unit_of.assign(t.n, -1);
	for (StaticDigraph::ArcIt a(t.g); a != lemon::INVALID; ++a) {
		size_t s = (size_t)t.g.index(t.g.source(a));
		size_t d = (size_t)t.g.index(t.g.target(a));
		int f = alg.flow(a);
		if (f == 0 || s >= t.n)
			continue;
		if (f != 1 || unit_of[s] >= 0) {
			fprintf(stderr, "peer_lemon: household %zu split\n", s);
			return -1;
		}
		unit_of[s] = (int)(d - t.n);
		load[d - t.n]++;
		obj -= (*t.cost)[a];
	}
	for (size_t i = 0; i < t.n; i++)
		if (unit_of[i] < 0) {
			fprintf(stderr,
				"peer_lemon: household %zu unassigned\n", i);
			return -1;
		}
	for (size_t j = 0; j < t.m; j++)
		if (load[j] > in.cap[j]) {
			fprintf(stderr, "peer_lemon: unit %zu over capacity\n",
				j);
			return -1;
		}
	return obj;
}

template <typename ALG>
static int solve(const char *name, const char *dir, const char *out)
{
	peer_inst in;
	net t;
	double t0 = peer_now(), t1, t2, t3;
	if (peer_read(dir, &in) < 0)
		return 1;
	t1 = peer_now();
	build(t, in);
	t2 = peer_now();
	ALG alg(t.g);
	alg.upperMap(*t.upper).costMap(*t.cost).supplyMap(*t.supply);
	typename ALG::ProblemType r = alg.run();
	t3 = peer_now();
	if (r != ALG::OPTIMAL) {
		fprintf(stderr, "peer_lemon %s: %s\n", name,
			r == ALG::INFEASIBLE ? "infeasible" : "unbounded");
		return 1;
	}
	long long opt = -alg.template totalCost<long long>();
	std::vector<int> unit_of;
	long long again = check(t, in, alg, unit_of);
	if (again != opt) {
		fprintf(stderr,
			"peer_lemon %s: flow check failed (optimum %lld, "
			"flow gives %lld)\n",
			name, opt, again);
		return 1;
	}
	printf("peer_lemon algo=%s households=%zu units=%zu optimum=%lld "
	       "read_s=%.3f build_s=%.3f run_s=%.3f total_s=%.3f "
	       "peak_kib=%ld\n",
	       name, in.n, in.m, opt, t1 - t0, t2 - t1, t3 - t2, t3 - t0,
	       peer_peak_kib());
	fflush(stdout);
	if (out) {
		FILE *f = fopen(out, "w");
		if (!f) {
			perror(out);
			return 1;
		}
		fprintf(f, "household,unit\n");
		for (size_t i = 0; i < in.n; i++)
			fprintf(f, "%s,%s\n", in.hh[i], in.unit[unit_of[i]]);
		if (fclose(f) != 0)
			return 1;
	}
	delete t.cost;
	delete t.upper;
	delete t.supply;
	peer_free(&in);
	return 0;
}

int main(int argc, char **argv)
{
	std::string algo = "ns";
	const char *dir = NULL, *out = NULL;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--algo") && i + 1 < argc)
			algo = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			dir = NULL, i = argc;
	}
	if (!dir ||
	    (algo != "ns" && algo != "cs" && algo != "cap" && algo != "all")) {
		fprintf(stderr, "usage: peer_lemon [--algo ns|cs|cap|all] "
				"[--out FILE] DIR\n");
		return 2;
	}
	typedef lemon::NetworkSimplex<StaticDigraph, int, long long> NS;
	typedef lemon::CostScaling<StaticDigraph, int, long long> CS;
	typedef lemon::CapacityScaling<StaticDigraph, int, long long> CAP;
	if (algo == "ns" || algo == "all")
		rc |= solve<NS>("ns", dir, out);
	if (algo == "cs" || algo == "all")
		rc |= solve<CS>("cs", dir, algo == "all" ? NULL : out);
	if (algo == "cap")
		rc |= solve<CAP>("cap", dir, out);
	return rc;
}
