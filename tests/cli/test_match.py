#!/usr/bin/env python3
"""CLI tests of hafen match: the real binary on CSV and .npy files, its
objective against brute force over every assignment (an independent
oracle), the constraints checked from --out, errors with file:line:column,
and nothing written on failure. Prints TAP. Usage: test_match.py HAFEN"""
import atexit
import csv
import itertools
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

from taprun import run_tests

HAFEN = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="hafen-match-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
ENV = dict(os.environ)
ENV.pop("HAFEN_LANG", None)


def run(*args, expect=0):
    p = subprocess.run([HAFEN] + list(args), capture_output=True, text=True,
                       env=ENV, timeout=120)
    if expect is not None and p.returncode != expect:
        raise AssertionError("%s: exit %d, expected %d\nstdout: %s\n"
                             "stderr: %s" % (" ".join(args), p.returncode,
                                             expect, p.stdout, p.stderr))
    return p


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def npy(name, rows, dtype="<f8", fortran=False, version=1):
    """A .npy file written by hand, as numpy.save does."""
    n, m = len(rows), len(rows[0]) if rows else 0
    head = "{'descr': '%s', 'fortran_order': %s, 'shape': (%d, %d), }" % (
        dtype, "True" if fortran else "False", n, m)
    pre = 10 if version == 1 else 12
    pad = 64 - (pre + len(head) + 1) % 64
    head = head + " " * pad + "\n"
    out = b"\x93NUMPY" + bytes([version, 0])
    out += struct.pack("<H" if version == 1 else "<I", len(head))
    out += head.encode("latin1")
    fmt = "<d" if dtype == "<f8" else "<f"
    order = ([rows[i][j] for j in range(m) for i in range(n)] if fortran
             else [v for r in rows for v in r])
    out += b"".join(struct.pack(fmt, v) for v in order)
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(out)
    return path


def js(*args):
    return json.loads(run(*args, "--format", "json").stdout)


def read_out(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---- a random instance and brute force -------------------------------

def instance(rnd, n, m, dims=("school",), sizes=(1, 4), unassigned=False):
    hh = []
    for i in range(n):
        p = rnd.randint(*sizes)
        ages = [rnd.randint(0, 60) for _ in range(p)]
        needs = "dialysis" if rnd.random() < 0.2 else ""
        hh.append({"id": "H%d" % i, "persons": p, "ages": ages,
                   "needs": needs})
    units = []
    total = sum(h["persons"] for h in hh)
    for j in range(m):
        cap = rnd.randint(total // m, total)
        u = {"code": "U%d" % j, "capacity": cap,
             "min": rnd.randint(0, 2) if rnd.random() < 0.4 else 0,
             "max": cap, "services": "dialysis" if j % 2 == 0 else ""}
        for d in dims:
            u["cap:" + d] = rnd.randint(1, 6)
        units.append(u)
    scores = [[float(rnd.randint(-3, 20)) for _ in range(m)]
              for _ in range(n)]
    return hh, units, scores


def use(h, d):
    if d == "school":
        return sum(1 for a in h["ages"] if 6 <= a <= 17)
    if d == "childcare":
        return sum(1 for a in h["ages"] if a <= 5)
    return 1


def brute(hh, units, scores, dims, penalty=None):
    best = None
    choices = list(range(len(units))) + ([-1] if penalty is not None else [])
    for a in itertools.product(choices, repeat=len(hh)):
        load = [[0] * (1 + len(dims)) for _ in units]
        val = 0.0
        ok = True
        for i, j in enumerate(a):
            if j < 0:
                val -= penalty
                continue
            if hh[i]["needs"] and hh[i]["needs"] not in units[j]["services"]:
                ok = False
                break
            load[j][0] += hh[i]["persons"]
            for k, d in enumerate(dims):
                load[j][k + 1] += use(hh[i], d)
            val += scores[i][j]
        if not ok:
            continue
        for j, u in enumerate(units):
            if not (u["min"] <= load[j][0] <= min(u["capacity"], u["max"])):
                ok = False
            for k, d in enumerate(dims):
                if load[j][k + 1] > u["cap:" + d]:
                    ok = False
        if ok and (best is None or val > best):
            best = val
    return best


def files(tag, hh, units, scores, dims):
    h = write("h%s.csv" % tag, "id,persons,ages,needs\n" + "".join(
        "%s,%d,%s,%s\n" % (x["id"], x["persons"],
                           "|".join(map(str, x["ages"])), x["needs"])
        for x in hh))
    cols = ["code", "capacity", "min", "max", "services"] + \
        ["cap:" + d for d in dims]
    u = write("u%s.csv" % tag, ";".join(cols) + "\n" + "".join(
        ";".join(str(x[c]) for c in cols) + "\n" for x in units))
    s = npy("s%s.npy" % tag, scores)
    return h, u, s


def check_out(rows, hh, units, dims, allow_unassigned=False):
    """Every household once, whole; needs, capacities, corridor held."""
    assert [r["id"] for r in rows] == [h["id"] for h in hh]
    load = {u["code"]: [0] * (1 + len(dims)) for u in units}
    byc = {u["code"]: u for u in units}
    for r, h in zip(rows, hh):
        if not r["unit"]:
            assert allow_unassigned, r
            continue
        u = byc[r["unit"]]
        if h["needs"]:
            assert h["needs"] in u["services"], (r, u)
        load[r["unit"]][0] += h["persons"]
        for k, d in enumerate(dims):
            load[r["unit"]][k + 1] += use(h, d)
        assert r["reason"], r
    for c, l in load.items():
        u = byc[c]
        assert u["min"] <= l[0] <= min(u["capacity"], u["max"]), (c, l)
        for k, d in enumerate(dims):
            assert l[k + 1] <= u["cap:" + d], (c, d, l)


# ---- tests ------------------------------------------------------------

def test_optimal_against_brute_force():
    rnd = random.Random(11)
    dims = ("school", "flats")
    done = 0
    for k in range(25):
        hh, units, scores = instance(rnd, rnd.randint(3, 7), 3, dims)
        opt = brute(hh, units, scores, dims)
        h, u, s = files(k, hh, units, scores, dims)
        out = os.path.join(TMP, "out%d.csv" % k)
        if opt is None:
            p = run("match", "--households", h, "--units", u, "--scores",
                    s, "--out", out, expect=2)
            assert p.stderr.strip()
            assert not os.path.exists(out), "written on failure"
            continue
        p = run("match", "--households", h, "--units", u, "--scores", s,
                "--out", out, "--format", "json", expect=None)
        if p.returncode == 2:
            # the repair may fail on a tight packing: said in words
            assert p.stderr.strip() and not os.path.exists(out)
            continue
        assert p.returncode == 0, p.stderr
        res = json.loads(p.stdout)
        assert res["objective"] <= opt + 1e-9, (res, opt)
        assert opt <= res["bound"] + 1e-6, (res, opt)
        assert abs(res["gap"] - (res["bound"] - res["objective"]) /
                   abs(res["bound"])) < 1e-9
        check_out(read_out(out), hh, units, dims)
        done += 1
    assert done >= 15, done


def test_transportation_exact_with_penalty():
    rnd = random.Random(5)
    for k in range(12):
        hh, units, scores = instance(rnd, 8, 3, (), sizes=(1, 1))
        for x in units:
            x["capacity"] = x["max"] = rnd.randint(1, 4)
            x["min"] = 0
        h, u, s = files("t%d" % k, hh, units, scores, ())
        opt = brute(hh, units, scores, (), penalty=4)
        res = js("match", "--households", h, "--units", u, "--scores", s,
                 "--unassigned-penalty", "4")
        assert res["exact"] is True, res
        assert res["objective"] == opt == res["bound"], (res, opt)
        assert res["gap"] == 0
        got = {r["id"]: r for r in res["assignment"]}
        assert len(got) == 8
        assert sum(1 for r in res["assignment"] if not r["unit"]) == \
            res["unassigned"]


def test_npy_float32_fortran_and_numpy():
    hh = [{"id": "a", "persons": 1, "ages": [30], "needs": ""},
          {"id": "b", "persons": 1, "ages": [30], "needs": ""}]
    units = [{"code": "X", "capacity": 1, "min": 0, "max": 1,
              "services": ""},
             {"code": "Y", "capacity": 1, "min": 0, "max": 1,
              "services": ""}]
    scores = [[5.0, 1.0], [4.0, 3.0]]   # a->X, b->Y: 8 beats 1 + 4
    h, u, _ = files("f", hh, units, scores, ())
    for name, kw in (("f4f.npy", dict(dtype="<f4", fortran=True)),
                     ("f8v2.npy", dict(version=2))):
        s = npy(name, scores, **kw)
        res = js("match", "--households", h, "--units", u, "--scores", s)
        assert res["objective"] == 8 and res["bound"] == 8, res
        assert [r["unit"] for r in res["assignment"]] == ["X", "Y"]
    # written by numpy itself, where it is installed
    py = "/usr/bin/python3"
    s = os.path.join(TMP, "numpy.npy")
    if os.path.exists(py) and subprocess.run(
            [py, "-c", "import numpy; numpy.save(%r, numpy.array(%r, "
             "dtype='float32'))" % (s, scores)]).returncode == 0:
        res = js("match", "--households", h, "--units", u, "--scores", s)
        assert res["objective"] == 8, res


def test_builtin_scores_and_weights():
    h = write("bh.csv", "id,persons,ties,preferences,languages\n"
              "a,2,K,,ar\nb,1,,L|K,fa\nc,3,,,ar\n")
    u = write("bu.csv", "code,capacity,languages\nK,3,\nL,3,ar\n")
    res = js("match", "--households", h, "--units", u)
    assert res["weights"] == {"tie": 10.0, "preference": 5.0,
                              "language": 2.0, "occupation": 3.0}
    got = {r["id"]: r["unit"] for r in res["assignment"]}
    # a: tie to K (10); b: L first choice (5) over K (2.5); c: L (ar, 2)
    assert got == {"a": "K", "b": "K", "c": "L"} or \
        got == {"a": "K", "b": "L", "c": "L"}, got
    assert res["objective"] == res["bound"] or res["gap"] >= 0
    t = run("match", "--households", h, "--units", u, "--weight",
            "tie=1", "--weight", "language=7").stdout
    assert "Bindung 1,00" in t and "Sprache 7,00" in t, t
    assert "Schranke" in t and "Lücke" in t and "Zeit" in t, t
    res = js("match", "--households", h, "--units", u, "--weight", "tie=0")
    assert res["weights"]["tie"] == 0.0
    run("match", "--households", h, "--units", u, "--weight", "x=1",
        expect=1)


def test_modes_stable_allocate():
    rnd = random.Random(3)
    hh, units, scores = instance(rnd, 12, 3, (), sizes=(1, 1))
    for x in units:
        x["min"] = 0
    h, u, s = files("st", hh, units, scores, ())
    res = js("match", "--households", h, "--units", u, "--scores", s,
             "--mode", "stable")
    assert res["mode"] == "stable" and res["blocking_pairs"] == 0, res
    assert res["bound"] is None
    opt = js("match", "--households", h, "--units", u, "--scores", s)
    assert opt["objective"] >= res["objective"]
    al = js("match", "--households", h, "--units", u, "--scores", s,
            "--mode", "allocate")
    assert al["mode"] == "allocate"
    assert opt["objective"] >= al["objective"] or al["unassigned"]
    out = run("match", "--households", h, "--units", u, "--scores", s,
              "--mode", "stable", "--lang", "en").stdout
    assert "Blocking pairs: 0" in out, out
    run("match", "--households", h, "--units", u, "--mode", "best",
        expect=1)


def test_infeasible_in_words():
    h = write("ih.csv", "id,persons,needs\n" + "".join(
        "H%d,1,%s\n" % (i, "dialysis" if i < 12 else "") for i in range(20)))
    u = write("iu.csv", "code,capacity,services\nA,9,dialysis\nB,20,\n")
    out = os.path.join(TMP, "inf.csv")
    p = run("match", "--households", h, "--units", u, "--out", out,
            "--lang", "en", expect=2)
    assert "12 households (12 persons) need dialysis; units offering it " \
        "have room for 9 persons" in p.stderr, p.stderr
    assert not os.path.exists(out)
    p = run("match", "--households", h, "--units", u, expect=2)
    assert "12 Haushalte (12 Personen) brauchen dialysis" in p.stderr
    u2 = write("iu2.csv", "code,capacity,min\nA,30,15\nB,30,10\n")
    h = write("ih2.csv", "id,persons\n" + "".join(
        "H%d,1\n" % i for i in range(20)))
    p = run("match", "--households", h, "--units", u2, "--lang", "en",
            expect=2)
    assert "minimum intakes add up to 25 persons; the batch has only 20" \
        in p.stderr, p.stderr
    # every check passes alone, but X and Y compete for the same two
    h = write("ih3.csv", "id,persons,needs\nA,1,s1\nB,1,s1\nC,1,s2\n"
              "D,1,s2\n")
    u = write("iu3.csv", "code,capacity,services,min\nX,2,s1,2\n"
              "Y,2,s1,2\nZ,2,s2,0\n")
    p = run("match", "--households", h, "--units", u, "--lang", "en",
            expect=2)
    assert "cannot be met together" in p.stderr, p.stderr


def test_bad_input_places():
    h = write("eh.csv", "id,persons,ages\nA,2,3|40\nB,0,\n")
    u = write("eu.csv", "code,capacity\nX,5\n")
    p = run("match", "--households", h, "--units", u, expect=2)
    assert "eh.csv:3:2" in p.stderr, p.stderr
    h = write("eh2.csv", "id,persons,ages\nA,2,3\n")
    p = run("match", "--households", h, "--units", u, expect=2)
    assert "eh2.csv:2:3" in p.stderr, p.stderr
    h = write("eh3.csv", "id,persons,ties\nA,2,Z\n")
    p = run("match", "--households", h, "--units", u, "--lang", "en",
            expect=2)
    assert "eh3.csv:2:3" in p.stderr and "'Z' is not a code" in p.stderr
    h = write("eh4.csv", "id,persons\nA,1\nA,2\n")
    p = run("match", "--households", h, "--units", u, expect=2)
    assert "eh4.csv:3:1" in p.stderr, p.stderr
    # a stray quote: libcsv's place of the error, counted in characters
    h = write("eh8.csv", 'id,persons\nA,1\n"Äb"x,2\n')
    p = run("match", "--households", h, "--units", u, "--lang", "en",
            expect=2)
    assert "eh8.csv:3:5: malformed CSV: a quote inside" in p.stderr, \
        p.stderr
    h = write("eh9.csv", 'id,persons\nA"1,1\n')
    p = run("match", "--households", h, "--units", u, expect=2)
    assert "eh9.csv:2:2: CSV fehlerhaft: ein Anführungszeichen" in \
        p.stderr, p.stderr
    hh = write("eh5.csv", "id,persons\nA,1\n")
    u = write("eu5.csv", "code,capacity,cap:beds\nX,5,3\n")
    p = run("match", "--households", hh, "--units", u, "--lang", "en",
            expect=2)
    assert "use:beds" in p.stderr, p.stderr
    # a use:NAME column read by index: its field's place in an error
    h = write("eh6.csv", "id,persons,ages,use:beds\nA,1,30,2\nB,1,4,x\n")
    p = run("match", "--households", h, "--units", u, "--lang", "en",
            expect=2)
    assert "eh6.csv:3:4" in p.stderr and \
        "'x' is not a whole number >= 0" in p.stderr, p.stderr
    h = write("eh7.csv", "id,persons,ages\nA,2,3|131\n")
    p = run("match", "--households", h, "--units",
            os.path.join(TMP, "eu.csv"), "--lang", "en", expect=2)
    assert "eh7.csv:2:3" in p.stderr and "0 to 130" in p.stderr, p.stderr
    u = write("eu6.csv", "code,capacity,max\nX,5,x\n")
    p = run("match", "--households", hh, "--units", u, expect=2)
    assert "eu6.csv:2:3" in p.stderr, p.stderr
    u = write("eu7.csv", "code,capacity\nX,5\n")
    s = npy("wrong.npy", [[1.0, 2.0]])
    p = run("match", "--households", hh, "--units", u, "--scores", s,
            "--lang", "en", expect=2)
    assert "shape (1, 2)" in p.stderr and "(1, 1) is needed" in p.stderr
    broken = os.path.join(TMP, "broken.npy")
    with open(broken, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00\x10\x00{'descr': '<i4'}")
    p = run("match", "--households", hh, "--units", u, "--scores", broken,
            "--lang", "en", expect=2)
    assert "broken.npy" in p.stderr and "not a valid .npy" in p.stderr
    s = npy("nan.npy", [[float("nan")]])
    p = run("match", "--households", hh, "--units", u, "--scores", s,
            "--lang", "en", expect=2)
    assert "not a finite number" in p.stderr, p.stderr
    run("match", "--households", hh, expect=1)
    run("match", "--households", os.path.join(TMP, "none.csv"), "--units",
        u, expect=3)


def test_out_two_threads():
    """From 20,000 households the rows of --out are formatted on two
    threads, the second half into memory: the file still has every
    household once, in the order of the input, as the JSON lists them."""
    rnd = random.Random(9)
    n = 20001
    codes = ["K%d" % j for j in range(5)]
    h = write("h2t.csv", "id,persons,ties,needs\n" + "".join(
        "H;%d,%d,%s,%s\n" % (i, rnd.randint(1, 3),
                             rnd.choice(codes + [""]),
                             rnd.choice(["", "", "dialysis"]))
        for i in range(n)))
    u = write("u2t.csv", "code,capacity,services\n" + "".join(
        "%s,%d,%s\n" % (c, 30000, "dialysis" if j % 2 else "")
        for j, c in enumerate(codes)))
    out = os.path.join(TMP, "out2t.csv")
    a = js("match", "--households", h, "--units", u, "--out", out,
           "--lang", "en")
    b = js("match", "--households", h, "--units", u, "--lang", "en")
    assert b["objective"] == a["objective"]
    rows = read_out(out)
    assert len(rows) == n
    assert [r["id"] for r in rows] == ["H;%d" % i for i in range(n)]
    assert [(r["id"], r["unit"], r["reason"]) for r in rows] == \
        [(r["id"], r["unit"], r["reason"]) for r in b["assignment"]]
    assert any("tie to" in r["reason"] for r in rows[n // 2:])


def test_json_assignment_as_out():
    """Without --out the JSON streams the assignment row by row: the same
    households in order, units and reasons as --out writes them, ids that
    need escaping intact, in German and English."""
    rnd = random.Random(5)
    hh, units, scores = instance(rnd, 40, 4, ())
    odd = ['Q"1', "Z\\2", "Ä\u00df3", "T\t4"]
    for k, name in enumerate(odd):
        hh[k]["id"] = name
    h = write("hjq.csv", "id,persons,ages,needs\n" + "".join(
        "%s,%d,%s,%s\n" % ('"%s"' % x["id"].replace('"', '""'),
                           x["persons"], "|".join(map(str, x["ages"])),
                           x["needs"]) for x in hh))
    _, u, s = files("j", hh, units, scores, ())
    for lang in ("de", "en"):
        out = os.path.join(TMP, "outj-%s.csv" % lang)
        a = js("match", "--households", h, "--units", u, "--scores", s,
               "--out", out, "--lang", lang)
        b = js("match", "--households", h, "--units", u, "--scores", s,
               "--lang", lang)
        assert "assignment" not in a and b["objective"] == a["objective"]
        assert b["units"] == a["units"]
        rows = read_out(out)
        assert [r["id"] for r in b["assignment"]] == [x["id"] for x in hh]
        assert [(r["id"], r["unit"], r["reason"]) for r in rows] == \
            [(r["id"], r["unit"], r["reason"]) for r in b["assignment"]]
        assert all(r["persons"] == x["persons"] and
                   r["score"] == "%.2f" % float(o["score"])
                   for r, x, o in zip(b["assignment"], hh, rows))


def test_empty_files():
    h0 = write("h0.csv", "id,persons\n")
    u0 = write("u0.csv", "code,capacity\n")
    u1 = write("u1.csv", "code,capacity\nA,3\n")
    h1 = write("h1.csv", "id,persons\nX,2\n")
    for mode in ("optimal", "stable", "allocate"):
        res = js("match", "--households", h0, "--units", u1, "--mode", mode)
        assert res["objective"] == 0 and res["assigned"] == 0, res
        assert res["assignment"] == [], res
        p = run("match", "--households", h1, "--units", u0, "--mode", mode,
                "--lang", "en", expect=2)
        assert "household X finds no unit" in p.stderr, p.stderr
    res = js("match", "--households", h1, "--units", u0,
             "--unassigned-penalty", "3")
    assert res["objective"] == -3 and res["unassigned"] == 1, res


def test_help():
    de = run("match", "--help").stdout
    en = run("match", "--help", "--lang", "en").stdout
    assert de.startswith("Aufruf") and en.startswith("Usage")
    assert "--unassigned-penalty" in de and "docs/matching.md" in en
    assert "match" in run("--help").stdout



if __name__ == "__main__":
    sys.exit(run_tests(globals()))
