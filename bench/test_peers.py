#!/usr/bin/env python3
"""Tests of the matching benchmark's own code: the instance generator and
the peers (LEMON, GLPK) against an exhaustive search on small
transportation instances, so a figure in bench/RESULTS.md rests on peers
that are known to be right. Prints TAP.
Usage: test_peers.py gen_match peer_lemon peer_glpk"""
import atexit
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
from functools import lru_cache

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "cli"))
from taprun import run_tests  # noqa: E402

GEN, LEMON, GLPK = sys.argv[1:4]
TMP = tempfile.mkdtemp(prefix="hafen-peers-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SERVICES = {"dialysis", "wheelchair", "psychotherapy"}


def run(*cmd, expect=0):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                       timeout=100)
    if expect is not None and p.returncode != expect:
        raise AssertionError("%s: exit %d, expected %d\nstdout: %s\n"
                             "stderr: %s" % (" ".join(map(str, cmd)),
                                             p.returncode, expect, p.stdout,
                                             p.stderr))
    return p


def fields(line):
    """key=value pairs of a peer's result line"""
    return dict(w.split("=", 1) for w in line.split() if "=" in w)


def optimum(exe, algo, d):
    out = run(exe, "--algo", algo, d).stdout.strip().splitlines()
    assert len(out) == 1, out
    f = fields(out[0])
    return int(f["optimum"])


def read_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", "magic"
    assert data[6] == 1, "version"
    hlen = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + hlen].decode("latin1")
    assert (10 + hlen) % 64 == 0, "data not 64-byte aligned"
    assert header.endswith("\n")
    h = eval(header)  # a Python dict literal, by the format's definition
    assert h["fortran_order"] is False
    n, m = h["shape"]
    code = {"<f4": "f", "<f8": "d"}[h["descr"]]
    body = data[10 + hlen:]
    assert len(body) == n * m * struct.calcsize(code), "size"
    vals = struct.unpack("<%d%s" % (n * m, code), body)
    return [list(vals[i * m:(i + 1) * m]) for i in range(n)]


def write_instance(d, caps, scores):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "households.csv"), "w") as f:
        f.write("# a hand-made transportation instance\nid,persons\n")
        for i in range(len(scores)):
            f.write("h%d,1\n" % i)
    with open(os.path.join(d, "units.csv"), "w") as f:
        f.write("code;capacity\n")  # semicolons, as hf_csv accepts
        for j, c in enumerate(caps):
            f.write("u%d;%d\n" % (j, c))
    n, m = len(scores), len(caps)
    hdr = ("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }"
           % (n, m))
    hdr += " " * ((64 - (10 + len(hdr) + 1) % 64) % 64) + "\n"
    with open(os.path.join(d, "scores.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)))
        f.write(hdr.encode())
        f.write(struct.pack("<%dd" % (n * m), *(float(s) for r in scores
                                                 for s in r)))


def brute(caps, scores):
    """Exhaustive search over the households' units, pruned by capacity."""
    @lru_cache(maxsize=None)
    def best(i, left):
        if i == len(scores):
            return 0
        b = None
        for j, c in enumerate(left):
            if c > 0:
                rest = left[:j] + (c - 1,) + left[j + 1:]
                v = scores[i][j] + best(i + 1, rest)
                b = v if b is None or v > b else b
        return float("-inf") if b is None else b
    return best(0, tuple(caps))


def all_peers(d):
    return {(exe, a): optimum(exe, a, d)
            for exe, a in [(LEMON, "ns"), (LEMON, "cs"), (LEMON, "cap"),
                           (GLPK, "okalg"), (GLPK, "simplex")]}


def test_hand_checked_example():
    # h0 and h1 both prefer u0 (capacity 1); the optimum puts h0 there:
    # 5 + 3 + 2 = 10, not 4 + 1 + 2 = 7 or 1 + 3 + ... .
    d = os.path.join(TMP, "hand")
    write_instance(d, [1, 2], [[5, 1], [4, 3], [2, 2]])
    assert brute([1, 2], [[5, 1], [4, 3], [2, 2]]) == 10
    for k, v in all_peers(d).items():
        assert v == 10, (k, v)


def test_peers_equal_exhaustive_search_tight():
    # random instances whose capacities sum to exactly the households
    rng = random.Random(4)
    for trial in range(12):
        n, m = rng.randint(1, 8), rng.randint(1, 4)
        caps = [0] * m
        for _ in range(n):
            caps[rng.randrange(m)] += 1
        scores = [[rng.randint(-5, 40) for _ in range(m)] for _ in range(n)]
        d = os.path.join(TMP, "tight%d" % trial)
        write_instance(d, caps, scores)
        want = brute(caps, scores)
        for k, v in all_peers(d).items():
            assert v == want, (trial, k, v, want)


def test_generated_transport_instances():
    for seed in range(1, 6):
        d = os.path.join(TMP, "gen%d" % seed)
        run(GEN, "--transport", "--households", 9, "--units", 3,
            "--seed", seed, d)
        with open(os.path.join(d, "households.csv")) as f:
            rows = f.read().splitlines()
        assert rows[0] == "id,persons" and len(rows) == 10
        assert all(r.endswith(",1") for r in rows[1:])
        with open(os.path.join(d, "units.csv")) as f:
            urows = f.read().splitlines()
        assert urows[0] == "code,capacity" and len(urows) == 4
        caps = [int(r.split(",")[1]) for r in urows[1:]]
        assert sum(caps) >= 9
        scores = read_npy(os.path.join(d, "scores.npy"))
        assert len(scores) == 9 and all(len(r) == 3 for r in scores)
        assert all(v == int(v) and 0 <= v < 1000 for r in scores for v in r)
        want = brute(caps, scores)
        for k, v in all_peers(d).items():
            assert v == want, (seed, k, v, want)


def test_peers_agree_on_a_larger_instance():
    d = os.path.join(TMP, "mid")
    run(GEN, "--transport", "--households", 120, "--units", 25, "--seed", 7,
        d)
    got = all_peers(d)
    assert len(set(got.values())) == 1, got


def test_lemon_assignment_is_valid():
    d = os.path.join(TMP, "out")
    run(GEN, "--transport", "--households", 60, "--units", 7, "--seed", 3, d)
    out = os.path.join(TMP, "assignment.csv")
    p = run(LEMON, "--algo", "ns", "--out", out, d)
    opt = int(fields(p.stdout)["optimum"])
    scores = read_npy(os.path.join(d, "scores.npy"))
    with open(os.path.join(d, "units.csv")) as f:
        caps = {r.split(",")[0]: int(r.split(",")[1])
                for r in f.read().splitlines()[1:]}
    units = list(caps)
    with open(out) as f:
        rows = [r.split(",") for r in f.read().splitlines()]
    assert rows[0] == ["household", "unit"] and len(rows) == 61
    load = dict.fromkeys(units, 0)
    total = 0
    for i, (h, u) in enumerate(rows[1:]):
        assert h == "H%07d" % i
        load[u] += 1
        total += scores[i][units.index(u)]
    assert all(load[u] <= caps[u] for u in units)
    assert total == opt


def test_relax4_reported_not_crashing():
    # Debian's GLPK 5.0 aborts in glp_mincost_relax4; the harness runs it
    # in a child and says so, or (another GLPK) gives the right optimum.
    d = os.path.join(TMP, "relax4")
    write_instance(d, [1, 2], [[5, 1], [4, 3], [2, 2]])
    p = run(GLPK, "--algo", "relax4", d)
    f = fields(p.stdout.strip().splitlines()[-1])
    if f.get("status") == "disabled":
        assert f["signal"] == "6", p.stdout
    else:
        assert int(f["optimum"]) == 10, p.stdout


def test_peers_refuse_other_instances():
    d = os.path.join(TMP, "full")
    run(GEN, "--households", 30, "--units", 4, d)
    for exe in (LEMON, GLPK):
        p = run(exe, d, expect=1)
        assert "not a transportation instance" in p.stderr, p.stderr
    bad = os.path.join(TMP, "frac")
    write_instance(bad, [2], [[1.5], [2]])
    p = run(LEMON, bad, expect=1)
    assert "not an integer" in p.stderr, p.stderr


def test_generator_full_instance():
    d = os.path.join(TMP, "full2")
    run(GEN, "--households", 300, "--units", 15, "--seed", 11, d)
    with open(os.path.join(d, "households.csv")) as f:
        hrows = [r.split(",") for r in f.read().splitlines()]
    with open(os.path.join(d, "units.csv")) as f:
        urows = [r.split(",") for r in f.read().splitlines()]
    assert hrows[0] == ["id", "persons", "ages", "needs", "ties", "languages"]
    assert urows[0] == ["code", "capacity", "min", "max", "services",
                        "languages", "cap:school", "cap:childcare",
                        "cap:flats"]
    units = {r[0]: r for r in urows[1:]}
    assert len(units) == 15
    persons = school = care = 0
    needs = set()
    sizes = set()
    for r in hrows[1:]:
        k = int(r[1])
        assert 1 <= k <= 8
        sizes.add(k)
        ages = [int(a) for a in r[2].split("|")]
        assert len(ages) == k and ages[0] >= 18
        persons += k
        school += sum(1 for a in ages if 6 <= a <= 17)
        care += sum(1 for a in ages if a <= 5)
        nd = frozenset(r[3].split("|")) if r[3] else frozenset()
        assert nd <= SERVICES
        needs.add(nd)
        assert all(t in units for t in r[4].split("|") if t)
    assert len(hrows) == 301 and len(sizes) >= 6
    caps = {c: int(u[1]) for c, u in units.items()}
    mins = {c: int(u[2]) for c, u in units.items()}
    maxs = {c: int(u[3]) for c, u in units.items()}
    assert all(0 <= mins[c] <= maxs[c] <= caps[c] for c in units)
    assert sum(mins.values()) <= persons <= sum(maxs.values())
    assert sum(int(u[6]) for u in units.values()) >= school
    assert sum(int(u[7]) for u in units.values()) >= care
    assert sum(int(u[8]) for u in units.values()) >= 300
    for nd in needs:  # some unit offers every combination of needs
        assert any(nd <= set(u[4].split("|")) for u in units.values()), nd
    assert greedy_placement(hrows[1:], urows[1:]), "no feasible placement"
    scores = read_npy(os.path.join(d, "scores.npy"))
    assert len(scores) == 300 and all(len(r) == 15 for r in scores)
    assert all(0.0 < v < 1.0 for r in scores for v in r)
    # seeded: the same seed gives the same files, another seed others
    d2 = os.path.join(TMP, "full3")
    run(GEN, "--households", 300, "--units", 15, "--seed", 11, d2)
    d3 = os.path.join(TMP, "full4")
    run(GEN, "--households", 300, "--units", 15, "--seed", 12, d3)
    for name in ("households.csv", "units.csv", "scores.npy"):
        with open(os.path.join(d, name), "rb") as a, \
                open(os.path.join(d2, name), "rb") as b, \
                open(os.path.join(d3, name), "rb") as c:
            x = a.read()
            assert x == b.read(), name
            assert x != c.read(), name
    # float64 output carries the same values
    d4 = os.path.join(TMP, "full5")
    run(GEN, "--households", 300, "--units", 15, "--seed", 11, "--f64", d4)
    s64 = read_npy(os.path.join(d4, "scores.npy"))
    assert all(a == b for r, q in zip(scores, s64) for a, b in zip(r, q))


def greedy_placement(hrows, urows):
    """A placement meeting every constraint of the format (needs, persons
    within capacity and max, school places for ages 6-17, childcare for
    0-5, one flat per household, every corridor minimum), or None: the
    households with needs and the largest first, each to the admissible
    unit furthest below its minimum."""
    cap = [[min(int(u[1]), int(u[3])), int(u[6]), int(u[7]), int(u[8])]
           for u in urows]
    mins = [int(u[2]) for u in urows]
    serv = [set(u[4].split("|")) - {""} for u in urows]
    load = [[0] * 4 for _ in urows]
    uses, needs = [], []
    for r in hrows:
        ages = [int(a) for a in r[2].split("|")]
        uses.append([int(r[1]), sum(6 <= a <= 17 for a in ages),
                     sum(a <= 5 for a in ages), 1])
        needs.append(set(r[3].split("|")) - {""})
    order = sorted(range(len(hrows)),
                   key=lambda i: (-len(needs[i]), -uses[i][0]))
    place = {}
    for i in order:
        ok = [j for j in range(len(urows)) if needs[i] <= serv[j] and
              all(load[j][k] + uses[i][k] <= cap[j][k] for k in range(4))]
        if not ok:
            return None
        j = max(ok, key=lambda j: (mins[j] - load[j][0],
                                   cap[j][0] - load[j][0]))
        place[i] = j
        for k in range(4):
            load[j][k] += uses[i][k]
    if any(load[j][0] < mins[j] for j in range(len(urows))):
        return None
    return place


def test_generator_corridor_option():
    d = os.path.join(TMP, "corr")
    run(GEN, "--households", 400, "--units", 10, "--corridor", "50:100", d)
    with open(os.path.join(d, "units.csv")) as f:
        urows = [r.split(",") for r in f.read().splitlines()[1:]]
    persons = 0
    with open(os.path.join(d, "households.csv")) as f:
        for r in f.read().splitlines()[1:]:
            persons += int(r.split(",")[1])
    assert sum(int(u[2]) for u in urows) <= persons // 2
    assert sum(int(u[3]) for u in urows) <= persons + 8 * 10 + 10
    run(GEN, "--corridor", "90:80", d, expect=2)



if __name__ == "__main__":
    sys.exit(run_tests(globals()))
