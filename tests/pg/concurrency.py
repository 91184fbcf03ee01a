#!/usr/bin/env python3
"""Concurrency test of the PostgreSQL backend: several hafen processes
write one ledger at once, some are killed mid-transaction, then every
invariant of docs/postgresql.md is checked. Prints TAP.

Usage: concurrency.py PATH/TO/hafen [SECONDS]
SECONDS (default: HAFEN_TEST_CONC_SECONDS, else 60) is how long the
writers run; HAFEN_TEST_CONC_WRITERS (default 8) how many there are.
Needs HAFEN_TEST_PG_URI (owner role) and HAFEN_TEST_PG_APP_URI (the
least-privilege role), as scripts/pg-test-cluster.sh exports them: the
writers run as the least-privilege role with the GRANT set of
docs/postgresql.md, which the test applies from that file.

Writers: record (regular, into a programme's contingent, Sicherer Hafen
against pledges), allocate --commit with capacities, transfer, pledge add,
and quota tables read while the others write (and by a reader all the
time). A killer starts large
allocations and kills them with SIGKILL at random moments.

Checks afterwards: every command that said it committed is in the ledger
exactly once with what it wrote, and no command that failed left a trace
(per writer, by household ids); no allocation exceeded a capacity and each
read exactly the state of the ledger before its own entries (ids are
handed out in commit order); the contingent and every unit's part of it
are never exceeded and no override was logged; the monthly and daily
summaries equal sums over the ledger; pledge reports add up; every quota
table read equals the sums over some prefix of the ledger (a snapshot,
never a mix); a killed allocation wrote all of its entries or none.
"""
import atexit
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import testdb  # noqa: E402

HAFEN = sys.argv[1]
SECONDS = float(sys.argv[2] if len(sys.argv) > 2 else
                os.environ.get("HAFEN_TEST_CONC_SECONDS", "60"))
WRITERS = int(os.environ.get("HAFEN_TEST_CONC_WRITERS", "8"))
OWNER = os.environ.get("HAFEN_TEST_PG_URI")
APP = os.environ.get("HAFEN_TEST_PG_APP_URI")
PSQL = os.environ.get("PG_TEST_PSQL", "psql")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

if not OWNER or not APP:
    print("1..0 # SKIP HAFEN_TEST_PG_URI / HAFEN_TEST_PG_APP_URI not set "
          "(run through scripts/pg-test-cluster.sh)")
    sys.exit(0)

TMP = tempfile.mkdtemp(prefix="hafen-conc-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
SCHEMA = "conc%d" % os.getpid()
SEP = "&" if "?" in OWNER else "?"
OWNER_DB = OWNER + SEP + "options=-csearch_path%3D" + SCHEMA
APP_DB = APP + SEP + "options=-csearch_path%3D" + SCHEMA
ENV = dict(os.environ, HAFEN_NOW="1700000000", HAFEN_USER="conc")
ENV.pop("HAFEN_DB", None)
ENV.pop("HAFEN_LANG", None)
KEY = "sh-bevoelkerung-2019"
UNITS = ["01001000", "01002000", "01003000", "01004000", "01051", "01053",
         "01054", "01055", "01056", "01057", "01058", "01059", "01060",
         "01061", "01062"]
CONTINGENT = 120
# quota tables read while others write cover part months at both ends:
# the sums come from the monthly and the daily table, two statements that
# must see the same state
PART = ("2023-01-15", "2023-12-20")
# how the key credits each category (checked against hafen's own quota
# table at the end); umverteilung-ab counts negative
CREDIT = {"regulaer": 1, "sicherer-hafen": 1, "umverteilung-ab": -1,
          "umverteilung-zu": 1}


def psql(uri, sql):
    p = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-F", "\t",
                        "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("psql: %s: %s" % (sql, p.stderr))
    return [ln.split("\t") for ln in p.stdout.splitlines() if ln]


def hafen(db, *args, timeout=600):
    return subprocess.run([HAFEN, "--db", db] + list(args),
                          capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def must(db, *args):
    p = hafen(db, *args)
    if p.returncode != 0:
        raise AssertionError("%s: %d\n%s%s" % (" ".join(args), p.returncode,
                                              p.stdout, p.stderr))
    return p.stdout


def grants():
    """The GRANT set of docs/postgresql.md, for this schema."""
    return testdb.grant_set(SCHEMA)


def setup():
    psql(OWNER, "CREATE SCHEMA " + SCHEMA)
    must(OWNER_DB, "init", "--demo")
    must(OWNER_DB, "programme", "add", "bap-conc", "--kind", "bund",
         "--parent", "01", "--from", "2023-01-01", "--to", "2023-12-31",
         "--contingent", str(CONTINGENT), "--key", KEY)
    psql(OWNER, grants())


class Writer(threading.Thread):
    def __init__(self, w, deadline):
        super().__init__()
        self.w = w
        self.deadline = deadline
        self.rnd = random.Random(1000 + w)
        self.committed = {}   # household -> (unit, persons, category)
        self.failed = set()   # households of commands that failed
        self.allocations = []  # (households->unit, capacities, json)
        self.pledges = 0
        self.quotas = []      # quota tables read: unit -> credited
        self.refused = 0
        self.errors = []
        self.ops = 0

    def date(self):
        return "2023-%02d-%02d" % (self.rnd.randint(1, 12),
                                   self.rnd.randint(1, 28))

    def record(self, i, kind):
        unit = self.rnd.choice(UNITS)
        persons = self.rnd.randint(1, 5 if kind == "r" else 3)
        hh = "w%d-%s%d" % (self.w, kind, i)
        args = ["record", "--unit", unit, "--persons", str(persons),
                "--date", self.date(), "--household", hh,
                "--reference", "w%d" % self.w]
        cat = "regulaer"
        if kind == "p":
            args += ["--programme", "bap-conc", "--category",
                     "bundesprogramm"]
            cat = "bundesprogramm"
        elif kind == "s":
            args += ["--category", "sicherer-hafen"]
            cat = "sicherer-hafen"
        p = hafen(APP_DB, *args)
        if p.returncode == 0:
            self.committed[hh] = [(unit, persons, cat)]
        elif p.returncode == 2 and kind == "p" and "Kontingent" in p.stderr:
            self.refused += 1
            self.failed.add(hh)
        else:
            self.errors.append((args, p.returncode, p.stderr))
            self.failed.add(hh)

    def allocate(self, i):
        hh = ["w%d-a%d-%d" % (self.w, i, j) for j in range(3)]
        sizes = [self.rnd.randint(1, 4) for _ in hh]
        caps = {u: self.rnd.randint(0, 6)
                for u in self.rnd.sample(UNITS, 5)}
        hf = os.path.join(TMP, "w%d-hh.csv" % self.w)
        cf = os.path.join(TMP, "w%d-cap.csv" % self.w)
        with open(hf, "w") as f:
            f.write("id,persons\n" + "".join(
                "%s,%d\n" % (h, s) for h, s in zip(hh, sizes)))
        with open(cf, "w") as f:
            f.write("unit,places\n" + "".join(
                "%s,%d\n" % (u, c) for u, c in caps.items()))
        p = hafen(APP_DB, "allocate", "--key", KEY, "--period", "2023",
                  "--households", hf, "--capacities", cf, "--commit",
                  "--date", "2023-06-15", "--reference", "w%d" % self.w,
                  "--format", "json")
        if p.returncode != 0:
            self.errors.append(("allocate", p.returncode, p.stderr))
            self.failed.update(hh)
            return
        out = json.loads(p.stdout)
        placed = {}
        for r in out["rows"]:
            if r["unit"]:
                self.committed[r["household"]] = [
                    (r["unit"], r["persons"], "regulaer")]
                placed[r["household"]] = r["unit"]
            else:
                self.failed.add(r["household"])
        before = {u["unit"]: Fraction(u["credited_before"])
                  for u in out["units"]}
        self.allocations.append((placed, caps, before, dict(zip(hh, sizes))))

    def transfer(self, i):
        a, b = self.rnd.sample(UNITS, 2)
        hh = "w%d-t%d" % (self.w, i)
        n = self.rnd.randint(1, 2)
        p = hafen(APP_DB, "transfer", "--from", a, "--to", b, "--persons",
                  str(n), "--date", self.date(), "--household", hh,
                  "--reference", "w%d" % self.w)
        if p.returncode == 0:
            self.committed[hh] = [(a, n, "umverteilung-ab"),
                                  (b, n, "umverteilung-zu")]
        else:
            self.errors.append(("transfer", p.returncode, p.stderr))
            self.failed.add(hh)

    def pledge(self, i):
        p = hafen(APP_DB, "pledge", "add", "--unit", self.rnd.choice(UNITS),
                  "--places", str(self.rnd.randint(1, 8)), "--from",
                  "2023-01-01", "--to", "2023-12-31", "--note",
                  "w%d-g%d" % (self.w, i))
        if p.returncode == 0:
            self.pledges += 1
        else:
            self.errors.append(("pledge", p.returncode, p.stderr))

    def quota(self):
        p = hafen(APP_DB, "quota", "--key", KEY, "--period",
                  "%s..%s" % PART, "--format", "json")
        if p.returncode != 0:
            self.errors.append(("quota", p.returncode, p.stderr))
            return
        self.quotas.append({r["unit"]: Fraction(r["credited"])
                            for r in json.loads(p.stdout)["rows"]})

    def run(self):
        i = 0
        try:
            while time.monotonic() < self.deadline:
                i += 1
                x = self.rnd.random()
                if x < 0.35:
                    self.record(i, "r")
                elif x < 0.55:
                    self.record(i, "p")
                elif x < 0.65:
                    self.record(i, "s")
                elif x < 0.80:
                    self.allocate(i)
                elif x < 0.90:
                    self.transfer(i)
                elif x < 0.95:
                    self.pledge(i)
                else:
                    self.quota()
                self.ops += 1
        except Exception:  # noqa: BLE001 - reported as a failed check
            self.errors.append(("exception", traceback.format_exc()))


class Reader(Writer):
    """Reads quota tables (part months at both ends) while the others
    write."""

    def run(self):
        try:
            while time.monotonic() < self.deadline:
                self.quota()
                self.ops += 1
        except Exception:  # noqa: BLE001 - reported as a failed check
            self.errors.append(("exception", traceback.format_exc()))


class Killer(threading.Thread):
    """Starts allocations of many households and kills them with SIGKILL
    at random moments: each must leave all of its entries or none."""

    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline
        self.rnd = random.Random(7)
        self.runs = []  # (reference, households, exit status or None)

    def run(self):
        hf = os.path.join(TMP, "kill-hh.csv")
        n = 2000
        with open(hf, "w") as f:
            f.write("id,persons\n" + "".join(
                "k-%d,%d\n" % (j, 1 + j % 3) for j in range(n)))
        k = 0
        while time.monotonic() < self.deadline:
            k += 1
            ref = "kill%d" % k
            # each run's households get its own ids through --reference;
            # the households file is shared, so ids repeat across runs
            p = subprocess.Popen(
                [HAFEN, "--db", APP_DB, "allocate", "--key", KEY,
                 "--period", "2023", "--households", hf, "--commit",
                 "--date", "2023-07-01", "--reference", ref],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=ENV)
            time.sleep(self.rnd.uniform(0.05, 1.5))
            rc = p.poll()
            if rc is None:
                p.send_signal(signal.SIGKILL)
                p.wait()
            self.runs.append((ref, n, rc))
            time.sleep(self.rnd.uniform(0.5, 3))


# ---- checks --------------------------------------------------------------

def ledger():
    out = json.loads(must(OWNER_DB, "ledger", "--format", "json"))
    return out["rows"]


def check_writers(rows, writers):
    by_hh = {}
    for r in rows:
        if r["reference"].startswith("w"):
            by_hh.setdefault(r["household"], []).append(r)
    seen = set()
    for wr in writers:
        assert not wr.errors, "writer %d: %s" % (wr.w, wr.errors[:3])
        for hh, want in wr.committed.items():
            got = sorted((r["unit"], r["persons"], r["category"])
                         for r in by_hh.get(hh, []))
            assert got == sorted(want), (hh, got, want)
            seen.add(hh)
        for hh in wr.failed:
            assert hh not in by_hh, ("failed command left entries", hh)
    extra = set(by_hh) - seen
    assert not extra, ("entries no writer committed", sorted(extra)[:5])
    return sum(len(v) for v in by_hh.values())


def credited_prefix(rows, lo="2023-01-01", hi="2023-12-31"):
    """credited per unit for the days lo..hi after each ledger prefix (in
    id order): [(last id taken, unit -> credited)]."""
    acc = {u: Fraction(0) for u in UNITS}
    states = [(0, dict(acc))]
    for r in rows:
        c = CREDIT.get(r["category"])
        if c and lo <= r["date"] <= hi and r["unit"] in acc:
            acc[r["unit"]] += c * r["persons"]
        states.append((r["id"], dict(acc)))
    return states


def check_allocations(rows, writers):
    first = {}
    for r in rows:
        first.setdefault(r["household"], r["id"])
    states = credited_prefix(rows)
    ids = [s[0] for s in states]
    n = 0
    for wr in writers:
        for placed, caps, before, sizes in wr.allocations:
            used = {}
            for hh, unit in placed.items():
                used[unit] = used.get(unit, 0) + sizes[hh]
            for unit, c in caps.items():
                assert used.get(unit, 0) <= c, ("capacity", unit, used, c)
            if not placed:
                continue
            e0 = min(first[hh] for hh in placed)
            # the state just before its first entry: every entry with a
            # smaller id, none with a larger one
            k = max(i for i, x in enumerate(ids) if x < e0)
            for u in UNITS:
                assert before[u] == states[k][1][u], (
                    "allocation read another state", e0, u, before[u],
                    states[k][1][u])
            n += 1
    return n


def check_quota_snapshots(rows, writers):
    states = credited_prefix(rows, *PART)
    final = json.loads(must(OWNER_DB, "quota", "--key", KEY, "--period",
                            "%s..%s" % PART, "--format", "json"))["rows"]
    # the oracle is hafen's own figure for the whole ledger
    assert {r["unit"]: Fraction(r["credited"]) for r in final} == \
        states[-1][1], "crediting oracle differs from hafen's quota table"
    index = {}
    for _, s in states:
        index.setdefault(tuple(sorted(s.items())), True)
    n = 0
    for wr in writers:
        for q in wr.quotas:
            assert tuple(sorted(q.items())) in index, (
                "quota table of no ledger prefix", q)
            n += 1
    return n


def check_contingent():
    f = json.loads(must(OWNER_DB, "programme", "fulfilment", "bap-conc",
                        "--format", "json"))
    total = 0
    for r in f["rows"]:
        assert r["admitted"] <= r["quota_rounded"], ("unit beyond", r)
        assert r["open"] >= 0, r
        total += r["admitted"]
    assert total <= CONTINGENT, total
    ov = json.loads(must(OWNER_DB, "programme", "overrides", "--format",
                         "json"))["rows"]
    assert not ov, ov
    return total


def check_summaries():
    for table, bucket, expr in (
            ("ledger_month", "month",
             "(extract(year FROM date '1970-01-01' + date::integer) * 100"
             " + extract(month FROM date '1970-01-01' + date::integer))"
             "::bigint"),
            ("ledger_day", "day", "date")):
        bad = psql(OWNER_DB,
                   "SELECT count(*) FROM (SELECT %s AS b, unit, category, "
                   "sum(persons) AS p, count(*) AS e FROM ledger "
                   "GROUP BY 1, 2, 3) l FULL JOIN %s s ON s.%s = l.b AND "
                   "s.unit = l.unit AND s.category = l.category WHERE "
                   "s.persons IS DISTINCT FROM l.p OR "
                   "s.entries IS DISTINCT FROM l.e" %
                   (expr, table, bucket))
        assert bad == [["0"]], (table, bad)


def check_pledges(writers, rows):
    pl = json.loads(must(OWNER_DB, "pledge", "list", "--format", "json"))
    mine = [p for p in pl["rows"] if str(p.get("note", "")).startswith("w")]
    assert len(mine) == sum(w.pledges for w in writers), len(mine)
    ids = [p["id"] for p in pl["rows"]]
    assert len(ids) == len(set(ids)), "pledge ids repeat"
    rep = json.loads(must(OWNER_DB, "pledge", "report", "--format", "json"))
    special = {}
    for r in rows:
        if r["category"] == "sicherer-hafen":
            special[r["unit"]] = special.get(r["unit"], 0) + r["persons"]
    for r in rep["rows"]:
        assert r["used"] + r["open"] == r["pledged"], r
        assert 0 <= r["used"] <= r["pledged"], r
        if r["id"] is None:  # a unit's sum: every special admission counted
            assert r["used"] + r["unpledged"] == special.get(r["unit"], 0), r


def check_killed(rows, killer):
    count = {}
    for r in rows:
        if r["reference"].startswith("kill"):
            count[r["reference"]] = count.get(r["reference"], 0) + 1
    killed = done = 0
    for ref, n, rc in killer.runs:
        got = count.get(ref, 0)
        if rc == 0:
            assert got == n, (ref, got, n)
            done += 1
        else:
            assert got in (0, n), ("half written", ref, got, n)
            killed += got == 0
    return killed, done


def check_app_rights():
    for sql in ("DELETE FROM ledger", "UPDATE ledger SET persons = 0",
                "TRUNCATE ledger", "DROP TABLE ledger_day",
                "UPDATE pledges SET places = 1", "DELETE FROM audit",
                "UPDATE audit SET details = ''", "TRUNCATE audit",
                "UPDATE accounts SET created_at = 0"):
        p = subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                            APP_DB, "-c", sql], capture_output=True,
                           text=True)
        assert p.returncode != 0, "least-privilege role may: " + sql


def main():
    checks = []

    def check(name, fn):
        try:
            info = fn()
            checks.append((True, name, info))
        except Exception:  # noqa: BLE001 - reported as TAP
            checks.append((False, name, traceback.format_exc()))

    setup()
    t0 = time.monotonic()
    deadline = t0 + SECONDS
    writers = [Writer(w, deadline) for w in range(WRITERS)]
    reader = Reader(WRITERS, deadline)
    killer = Killer(deadline)
    for t in writers + [reader, killer]:
        t.start()
    for t in writers + [reader, killer]:
        t.join()
    elapsed = time.monotonic() - t0
    rows = ledger()
    check("writers: every committed command in the ledger once, "
          "no trace of a failed one", lambda: check_writers(rows, writers))
    check("allocations: capacities kept, each read the state before it",
          lambda: check_allocations(rows, writers))
    check("contingent and each unit's part never exceeded",
          check_contingent)
    check("monthly and daily summaries equal sums over the ledger",
          check_summaries)
    check("pledges: all added, reports add up",
          lambda: check_pledges(writers, rows))
    check("quota tables read meanwhile are snapshots of a ledger prefix",
          lambda: check_quota_snapshots(rows, writers + [reader]))
    check("killed allocations wrote all or nothing",
          lambda: check_killed(rows, killer))
    check("the least-privilege role cannot change or drop what it may not",
          check_app_rights)
    print("1..%d" % len(checks))
    print("# %d writers, %.0f s, %d commands (%d refused by the contingent),"
          " %d killer runs" % (WRITERS, elapsed,
                               sum(w.ops for w in writers),
                               sum(w.refused for w in writers),
                               len(killer.runs)))
    failed = 0
    for i, (ok, name, info) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if ok:
            print("# %s" % (info,))
        else:
            failed += 1
            for line in str(info).splitlines():
                print("# " + line)
    psql(OWNER, "DROP SCHEMA %s CASCADE" % SCHEMA)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
