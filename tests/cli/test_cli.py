#!/usr/bin/env python3
"""CLI tests: run the real hafen binary on temporary databases and check
what it prints, its exit codes, and that failed commands change nothing.
Prints TAP. Usage: test_cli.py PATH/TO/hafen

With HAFEN_TEST_BACKEND=postgresql every database is a fresh schema on the
server HAFEN_TEST_PG_URI names (scripts/pg-test-cluster.sh starts one and
exports it); else SQLite files in a temporary folder."""
import atexit
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from fractions import Fraction

from taprun import run_tests

HAFEN = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="hafen-cli-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
ENV = dict(os.environ, HAFEN_NOW="1700000000", HAFEN_USER="test")
ENV.pop("HAFEN_LANG", None)
ENV.pop("HAFEN_DB", None)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testdb import PG, psql, refused, sql, tables  # noqa: E402
import testdb  # noqa: E402

testdb.require()


def new_db(name):
    """A fresh, empty database: a file path, or a schema's URI."""
    return testdb.new_db(TMP, name)


SH_POP = {
    "01001000": 90164, "01002000": 246794, "01003000": 216530,
    "01004000": 80196, "01051": 133193, "01053": 198019, "01054": 165951,
    "01055": 200539, "01056": 316103, "01057": 128686, "01058": 274098,
    "01059": 201156, "01060": 277175, "01061": 131013, "01062": 244156,
}


def run(*args, db=None, env=None, expect=0, stdin=None):
    cmd = [HAFEN]
    if db:
        cmd += ["--db", db]
    cmd += list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, input=stdin,
                       env=env or ENV, timeout=120)
    if expect is not None and p.returncode != expect:
        raise AssertionError("%s: exit %d, expected %d\nstdout: %s\nstderr: %s"
                             % (" ".join(cmd), p.returncode, expect,
                                p.stdout, p.stderr))
    return p


def js(*args, db=None):
    return json.loads(run(*args, "--format", "json", db=db).stdout)


_n = 0


def fresh(demo=True):
    global _n
    _n += 1
    db = new_db("t%d.db" % _n)
    run("init", *(["--demo"] if demo else []), db=db)
    return db


def ledger_count(db):
    return int(sql(db, "SELECT count(*) FROM ledger")[0][0])


dump = testdb.dump


def unchanged(db, *args, expect=2, contains=()):
    before = dump(db)
    p = run(*args, db=db, expect=expect)
    for s in contains:
        assert s in p.stderr, "%r not in stderr: %s" % (s, p.stderr)
    assert p.stderr.strip(), "no error message"
    assert dump(db) == before, "database changed by a failed command"
    return p


# ---- tests ---------------------------------------------------------------

def test_init_demo_counts():
    db = new_db("init.db")
    p = run("init", "--demo", db=db)
    assert "32 Einheiten" in p.stdout, p.stdout
    assert "3 Schlüssel" in p.stdout, p.stdout
    # a second init refuses and changes nothing
    unchanged(db, "init", contains=("schon Einheiten",))


def test_sicherer_hafen_since_2019():
    db = fresh()
    out = js("admissions", "--since", "2019-01-01", "--category",
             "sicherer-hafen", db=db)
    got = {r["unit"]: r["persons"] for r in out["rows"]}
    assert got == {"01001000": 3, "01002000": 8, "01003000": 7}, got
    assert out["total"]["persons"] == 18
    names = {r["unit"]: r["name"] for r in out["rows"]}
    assert names["01003000"] == "Lübeck"
    # the table names them too
    t = run("admissions", "--since", "2019-01-01", "--category",
            "sicherer-hafen", db=db).stdout
    assert "Flensburg" in t and "Kiel" in t and "Lübeck" in t and "18" in t


def test_quota_sh_2023():
    db = fresh()
    out = js("quota", "--key", "sh-bevoelkerung-2019", "--period", "2023",
             db=db)
    rows = out["rows"]
    assert [r["unit"] for r in rows] == sorted(SH_POP), rows
    total = sum(SH_POP.values())
    assert total == 2903773
    credited = sum(Fraction(r["credited"]) for r in rows)
    for r in rows:
        # the share is exactly population / total, as a fraction of 1
        assert Fraction(r["share"]) == Fraction(SH_POP[r["unit"]], total)
        assert Fraction(r["quota"]) == Fraction(r["share"]) * credited
        assert Fraction(r["balance"]) == (Fraction(r["credited"])
                                          - Fraction(r["quota"])
                                          + Fraction(r["carry_in"]))
        assert abs(r["quota_rounded"] - Fraction(r["quota"])) < 1
    lue = [r for r in rows if r["unit"] == "01003000"][0]
    assert Fraction(lue["share"]) == Fraction(216530, 2903773)
    assert lue["share"] == "216530/2903773"
    assert Fraction(lue["balance"]) > 0, "Lübeck above its quota in 2023"
    assert sum(r["quota_rounded"] for r in rows) == int(credited)
    assert Fraction(out["total"]["quota"]) == credited
    # decimals as the law prints them: German table with decimal comma
    t = run("quota", "--key", "sh-bevoelkerung-2019", "--period", "2023",
            db=db).stdout
    assert "7,45685" in t, t      # Lübeck's share in percent, 5 decimals
    assert "Hare-Niemeyer" in t


def test_quota_methods_sum():
    db = fresh()
    for m in ("hare-niemeyer", "dhondt", "sainte-lague"):
        out = js("quota", "--key", "sh-bevoelkerung-2019", "--period",
                 "2023", "--method", m, "--contingent", "1000", db=db)
        assert sum(r["quota_rounded"] for r in out["rows"]) == 1000, m
        for r in out["rows"]:
            assert Fraction(r["quota"]) == Fraction(r["share"]) * 1000


def test_quota_carry():
    db = fresh()
    y22 = js("quota", "--parent", "01", "--period", "2022", db=db)
    y23 = js("quota", "--parent", "01", "--period", "2023", "--carry-since",
             "2022", db=db)
    b22 = {r["unit"]: Fraction(r["balance"]) for r in y22["rows"]}
    for r in y23["rows"]:
        assert Fraction(r["carry_in"]) == b22[r["unit"]]
    # in the dynamic case balances sum to what was carried in
    assert sum(Fraction(r["balance"]) for r in y23["rows"]) == \
        sum(b22.values())


def test_period_without_key():
    db = fresh()
    unchanged(db, "quota", "--parent", "01", "--period", "2019",
              contains=("01",))
    p = run("quota", "--key", "koenigstein-2015", "--period", "2016", db=db,
            expect=2)
    assert "2016" in p.stderr


def test_koenigstein_sums():
    db = fresh(demo=False)
    for k in ("koenigstein-2015", "koenigstein-2017"):
        out = js("key", "show", k, db=db)
        assert len(out["rows"]) == 16
        assert sum(Fraction(r["share"]) for r in out["rows"]) == 1
        assert out["total"]["share"] == "1"
    t = run("key", "show", "koenigstein-2015", db=db).stdout
    assert "3,38791" in t and "21,24052" in t and "100,00000" in t, t


KS2015 = {"08": "12.97496", "09": "15.33048", "11": "5.04557",
          "12": "3.08092", "04": "0.94097", "02": "2.52738",
          "06": "7.31557", "13": "2.04165", "03": "9.35696",
          "05": "21.24052", "07": "4.83472", "10": "1.21566",
          "14": "5.10067", "15": "2.85771", "01": "3.38791",
          "16": "2.74835"}


def test_key_add_refuses_bad_sum():
    db = fresh(demo=False)
    shares = dict(KS2015, **{"16": "2.74834"})  # off by 0.00001
    args = ["key", "add", "ks-test", "--parent", "DE", "--from",
            "2030-01-01"]
    for c, v in sorted(shares.items()):
        args += ["--share", "%s=%s" % (c, v)]
    unchanged(db, *args, contains=("99,99999", "100"))
    # a missing child
    args = ["key", "add", "ks-test", "--parent", "DE", "--from",
            "2030-01-01"]
    for c, v in sorted(KS2015.items()):
        if c != "01":
            args += ["--share", "%s=%s" % (c, v)]
    unchanged(db, *args, contains=("01",))
    # the right table is taken
    args = ["key", "add", "ks-test", "--parent", "DE", "--from",
            "2030-01-01", "--quota-year", "2030", "--computed-year", "2029"]
    for c, v in sorted(KS2015.items()):
        args += ["--share", "%s=%s" % (c, v)]
    run(*args, db=db)
    out = js("key", "list", db=db)
    k = [r for r in out["rows"] if r["key"] == "ks-test"][0]
    assert k["quota_year"] == 2030 and k["computed_year"] == 2029


def test_key_compute_population():
    db = fresh(demo=False)
    run("key", "compute", "sh-test", "--parent", "01", "--from",
        "2030-01-01", "--weight", "population=1", "--date", "2019-12-31",
        db=db)
    a = js("key", "show", "sh-test", db=db)
    b = js("key", "show", "sh-bevoelkerung-2019", db=db)
    assert [r["share"] for r in a["rows"]] == [r["share"] for r in b["rows"]]
    # an indicator that is not there: clear error, nothing written
    unchanged(db, "key", "compute", "sh-x", "--parent", "01", "--from",
              "2030-01-01", "--weight", "area=1", "--date", "2019-12-31",
              contains=("area",))


def test_record_and_errors():
    db = fresh()
    n = ledger_count(db)
    p = run("record", "--unit", "01003000", "--persons", "4", "--date",
            "2024-03-01", "--category", "sicherer-hafen", "--household",
            "H-2024-17", "--reference", "AZ 17/24", db=db)
    assert "gespeichert" in p.stdout
    assert ledger_count(db) == n + 1
    unchanged(db, "record", "--unit", "01099", "--persons", "4", "--date",
              "2024-03-01", contains=("01099",))
    unchanged(db, "record", "--unit", "01003000", "--persons", "0",
              "--date", "2024-03-01")
    unchanged(db, "record", "--unit", "01003000", "--persons", "-3",
              "--date", "2024-03-01")
    unchanged(db, "record", "--unit", "01003000", "--persons", "x",
              "--date", "2024-03-01", contains=("x",))
    unchanged(db, "record", "--unit", "01003000", "--persons", "2",
              "--date", "2023-02-30", contains=("2023-02-30",))
    unchanged(db, "record", "--unit", "01003000", "--persons", "2",
              "--date", "30.02.2023")
    unchanged(db, "record", "--unit", "01003000", "--persons", "2",
              "--date", "2023-02-03", "--category", "urlaub",
              contains=("urlaub",))
    unchanged(db, "record", "--unit", "01003000", "--persons", "2",
              "--date", "2023-02-03", "--household", "Max Mustermann")
    unchanged(db, "record", "--unit", "1003000", "--persons", "2",
              "--date", "2023-02-03")
    unchanged(db, "record", "--persons", "2", expect=1)


def test_correct():
    db = fresh(demo=False)
    p = run("record", "--unit", "01002000", "--persons", "5", "--date",
            "2024-05-02", "--household", "H1", db=db)
    eid = int(p.stdout.split()[1])
    p = run("correct", str(eid), "--persons", "3", "--note", "Tippfehler",
            db=db)
    rows = js("ledger", db=db)["rows"]
    assert [r["persons"] for r in rows] == [5, -5, 3], rows
    assert rows[1]["corrects"] == eid and rows[1]["unit"] == "01002000"
    assert rows[2]["household"] == "H1" and rows[2]["corrects"] is None
    s = js("admissions", "--since", "2024-01-01", db=db)
    assert s["total"]["persons"] == 3
    # correcting twice, a reversal, or a missing entry is refused
    unchanged(db, "correct", str(eid), contains=(str(eid),))
    unchanged(db, "correct", str(rows[1]["id"]))
    unchanged(db, "correct", "999999", contains=("999999",))
    # the ledger cannot be changed behind hafen's back either
    for text in ("UPDATE ledger SET persons = 1", "DELETE FROM ledger"):
        refused(db, text)


def test_ledger_read_logged_or_warned():
    """A read of household ids is in the audit log; where the log refuses
    the row, the command still answers and says the read is not logged."""
    db = fresh()
    run("ledger", "--unit", "01003000", "--limit", "3", db=db)
    n = int(sql(db, "SELECT count(*) FROM audit "
                "WHERE action = 'ledger.read'")[0][0])
    assert n == 1, n
    if PG:
        sql(db, "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql"
            " AS $f$ BEGIN RAISE EXCEPTION 'no audit here'; END $f$;"
            "CREATE TRIGGER no_audit BEFORE INSERT ON audit"
            " FOR EACH ROW EXECUTE FUNCTION no_audit()")
    else:
        sql(db, "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN"
            " SELECT RAISE(ABORT, 'no audit here'); END")
    p = run("ledger", "--unit", "01003000", "--limit", "3", db=db)
    assert len(p.stdout.splitlines()) > 3
    assert "nicht im Prüfprotokoll" in p.stderr, p.stderr


def test_ledger_filters():
    db = fresh()
    rows = js("ledger", "--unit", "01001000", "--category",
              "sicherer-hafen", db=db)["rows"]
    assert sum(r["persons"] for r in rows) == 3
    assert all(r["unit"] == "01001000" for r in rows)
    rows = js("ledger", "--from", "2023-01-01", "--to", "2023-01-31",
              "--limit", "5", db=db)["rows"]
    assert 0 < len(rows) <= 5
    assert all("2023-01-01" <= r["date"] <= "2023-01-31" for r in rows)
    csv = run("ledger", "--limit", "2", "--format", "csv", db=db).stdout
    assert csv.splitlines()[0].startswith("id,date,unit,persons")
    assert len(csv.splitlines()) == 3


def test_units():
    db = fresh(demo=False)
    rows = js("unit", "list", "--parent", "01", db=db)["rows"]
    assert [r["unit"] for r in rows] == sorted(SH_POP)
    run("unit", "add", "01051001", "Testgemeinde", "--kind", "gemeinde",
        "--parent", "01051", db=db)
    rows = js("unit", "list", "--parent", "01051", db=db)["rows"]
    assert [r["unit"] for r in rows] == ["01051001"]
    unchanged(db, "unit", "add", "02001", "Falsch", "--kind", "kreis",
              "--parent", "01", contains=("02001",))
    unchanged(db, "unit", "add", "0105", "Falsch", "--kind", "kreis",
              "--parent", "01")
    run("indicator", "set", "01003000", "area", "214,19", "--date",
        "2019-12-31", "--source", "Test", db=db)
    rows = js("indicator", "list", "--unit", "01003000", db=db)["rows"]
    area = [r for r in rows if r["indicator"] == "area"][0]
    assert area["value"] == "21419/100"
    t = run("unit", "show", "01003000", db=db).stdout
    assert "Lübeck" in t and "Sichere Häfen" in t and "216530" in t


def test_storage_errors():
    db = fresh(demo=False)
    sql(db, "UPDATE schema_version SET version = 99")
    p = run("ledger", db=db, expect=3)
    assert "99" in p.stderr, p.stderr
    if PG:
        p = run("ledger", db="postgresql://nobody@127.0.0.1:1/x", expect=3)
        assert "PostgreSQL" in p.stderr, p.stderr
        other = new_db("other")
        sql(other, "CREATE TABLE kreis(code text)")
        p = run("ledger", db=other, expect=3)
        assert "hafen" in p.stderr, p.stderr
        p = run("ledger", db=new_db("missing"), expect=3)
        assert "init" in p.stderr, p.stderr
        return
    p = run("init", db=os.path.join(TMP, "no", "such", "dir", "x.db"),
            expect=3)
    assert p.stderr.strip()
    junk = os.path.join(TMP, "junk.db")
    with open(junk, "w") as f:
        f.write("this is not a database\n" * 100)
    p = run("ledger", db=junk, expect=3)
    assert p.stderr.strip()
    p = run("ledger", db=os.path.join(TMP, "missing.db"), expect=3)
    assert "init" in p.stderr, p.stderr


def test_killed_init_leaves_nothing_half_written():
    """SIGKILL at various moments of init --demo: the database holds either
    nothing or everything, never a part."""
    import signal
    import time
    seen = set()
    for delay in (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2):
        db = new_db("kill%s.db" % delay)
        p = subprocess.Popen([HAFEN, "--db", db, "init", "--demo"], env=ENV,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if not PG and not os.path.exists(db):
            seen.add("none")
            continue
        if "ledger" not in tables(db):
            seen.add("no schema")
            continue
        units = int(sql(db, "SELECT count(*) FROM units")[0][0])
        entries = ledger_count(db)
        assert (units, entries) in ((0, 0), (32, 2474)), (delay, units,
                                                          entries)
        seen.add((units, entries))
        if units == 0:
            # a fresh init completes on what the killed one left
            run("init", "--demo", db=db)
    assert seen, "no run observed"


SIGN = {"umverteilung-ab": -1, "fortzug": -1}


def test_explain_adds_up():
    db = fresh()
    run("standing", "add", "--key", "sh-bevoelkerung-2019", "--unit",
        "01003000", "--from", "2023-01-01", "--to", "2023-12-31",
        "--persons", "12", db=db)
    run("record", "--unit", "01003000", "--persons", "3", "--date",
        "2023-06-01", "--category", "umverteilung-ab", db=db)
    run("record", "--unit", "01003000", "--persons", "2", "--date",
        "2023-06-02", "--category", "familiennachzug", db=db)
    for unit in ("01003000", "01051"):
        e = js("explain", "--unit", unit, "--period", "2023",
               "--carry-since", "2022", db=db)
        cats = e["actual_by_category"]
        # the entries listed are exactly the figures by category
        from_entries = {}
        for x in e["entries"]:
            from_entries[x["category"]] = from_entries.get(
                x["category"], 0) + x["persons"]
            assert "2023-01-01" <= x["date"] <= "2023-12-31"
            assert x["unit"] == unit
        assert from_entries == cats, (from_entries, cats)
        actual = sum(SIGN.get(c, 1) * p for c, p in cats.items())
        assert e["actual"] == actual
        credited = sum(Fraction(e["credit_rules"][c]) * SIGN.get(c, 1) * p
                       for c, p in cats.items()) + e["standing"]
        assert Fraction(e["credited"]) == credited
        base = sum(Fraction(b["credited"]) for b in e["base_by_unit"])
        assert Fraction(e["base"]) == base
        assert Fraction(e["quota"]) == Fraction(e["share"]) * base
        assert Fraction(e["balance"]) == credited - Fraction(e["quota"]) \
            + Fraction(e["carry_in"])
        # and the words carry the same numbers
        q = run("quota", "--parent", "01", "--period", "2023",
                "--carry-since", "2022", db=db).stdout
        row = [ln for ln in q.splitlines() if ln.startswith(unit)][0]
        for col in row.split()[-3:-1]:   # balance, as printed in the table
            assert col.replace("-", "") in e["text"], (col, e["text"])
    lue = js("explain", "--unit", "01003000", "--period", "2023", db=db)
    assert lue["standing"] == 12
    assert "umverteilung-ab" in lue["actual_by_category"]
    t = run("explain", "--unit", "01003000", "--period", "2023", db=db).stdout
    assert "216530/2903773" in t and "7,45685 %" in t
    assert "Nicht angerechnet" in t and "Familiennachzug 2" in t
    assert "12 feste Anrechnung" in t
    en = run("explain", "--unit", "01003000", "--period", "2023", "--lang",
             "en", db=db).stdout
    assert en.startswith("Quota 2023 for Lübeck")
    # a Land is explained under the key of DE, and there is none for 2023
    unchanged(db, "explain", "--unit", "01", "--period", "2023",
              contains=("DE", "2023"))
    e = js("explain", "--unit", "01", "--period", "2017", db=db)
    assert e["share"] == "169537/5000000"  # 3.39074 % (2017, SH)


def test_answer_council_inquiry():
    db = fresh()
    a = js("answer", "--unit", "01003000", "--since", "2019-01-01",
           "--until", "2023-12-31", db=db)
    assert a["alliances"] == "Sichere Häfen"
    sh = {a["subject"]["unit"]: sum(y["persons"]["sicherer-hafen"]
                                    for y in a["subject"]["years"])}
    for m in a["members"]:
        sh[m["unit"]] = sum(y["persons"]["sicherer-hafen"]
                            for y in m["years"])
    assert sh == {"01001000": 3, "01002000": 8, "01003000": 7}, sh
    years = {y["year"]: y for y in a["subject"]["years"]}
    assert sorted(years) == [2019, 2020, 2021, 2022, 2023]
    assert years[2019]["key"] is None     # no key valid in 2019
    for y in (2020, 2021, 2022, 2023):
        q = js("quota", "--parent", "01", "--period", str(y), db=db)
        row = [r for r in q["rows"] if r["unit"] == "01003000"][0]
        assert years[y]["balance"] == row["balance"]
        assert years[y]["quota"] == row["quota"]
    assert Fraction(years[2023]["balance"]) > 0   # above its quota
    md = run("answer", "--unit", "01003000", "--since", "2019-01-01",
             "--until", "2023-12-31", db=db).stdout
    assert md.startswith("# Zugänge von Lübeck (01003000)")
    assert "## Weitere Mitglieder (Sichere Häfen) im Land" in md
    assert "| Flensburg | **Summe** |" in md and "über dem Soll" in md
    en = run("answer", "--unit", "01003000", "--since", "2019-01-01",
             "--until", "2023-12-31", "--lang", "en", db=db).stdout
    assert en.startswith("# Admissions of Lübeck") and "above quota" in en
    unchanged(db, "answer", "--unit", "01099", "--since", "2019-01-01",
              contains=("01099",))
    unchanged(db, "answer", "--unit", "01003000", "--since", "2020-01-01",
              "--until", "2019-01-01")


def test_simulate_bound():
    db = fresh(demo=False)
    for key, n in (("koenigstein-2017", 16), ("sh-bevoelkerung-2019", 15)):
        for seed in ("1", "7"):
            out = js("simulate", "--key", key, "--batches", "20",
                     "--households", "300", "--max-persons", "8",
                     "--seed", seed, db=db)
            rows = out["rows"]
            assert len(rows) == n
            total = sum(r["persons"] for r in rows)
            assert sum(r["households"] for r in rows) == 20 * 300
            # the deviation at the end is exact: received - share * total
            for r in rows:
                assert Fraction(r["deviation"]) == \
                    r["persons"] - Fraction(r["share"]) * total
                assert Fraction(r["max_over"]) < Fraction(n - 1, n) * 8
                harmonic = Fraction(sum(Fraction(1, m)
                                        for m in range(2, n + 1)))
                assert Fraction(r["max_under"]) <= harmonic * 8
            assert sum(Fraction(r["deviation"]) for r in rows) == 0
            assert "eingehalten" in out["notes"][-1]
    a = run("simulate", "--key", "sh-bevoelkerung-2019", "--seed", "3",
            db=db).stdout
    b = run("simulate", "--key", "sh-bevoelkerung-2019", "--seed", "3",
            db=db).stdout
    assert a == b, "not deterministic"
    rel = js("simulate", "--key", "sh-bevoelkerung-2019", "--rule",
             "relativ", "--batches", "5", db=db)
    for r in rel["rows"]:
        assert Fraction(r["max_over"]) <= (1 - Fraction(r["share"])) * 8
    wk = write("weeks.csv", "batch;persons\n1;3\n1;5\n2;1\n2;8\n2;2\n3;4\n")
    f = js("simulate", "--key", "sh-bevoelkerung-2019", "--file", wk, db=db)
    assert sum(r["persons"] for r in f["rows"]) == 23
    assert sum(r["households"] for r in f["rows"]) == 6
    assert "3 Wochen" in f["title"]
    back = write("back.csv", "batch,persons\n2,3\n1,5\n")
    p = run("simulate", "--key", "sh-bevoelkerung-2019", "--file", back,
            db=db, expect=2)
    assert "back.csv:3:1" in p.stderr, p.stderr
    run("simulate", "--key", "nope", db=db, expect=2)
    run("simulate", "--key", "sh-bevoelkerung-2019", "--batches", "0",
        db=db, expect=1)


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def test_allocate():
    db = fresh()
    hh = write("hh.csv", "id,persons,origin\n" + "".join(
        "H%d,%d,%s\n" % (i, 1 + (i * 7) % 6, ("SYR", "AFG", "ERI", "")[i % 4])
        for i in range(60)))
    cap = write("cap.csv", "unit;places;origins\n01003000;9;SYR|AFG\n"
                "01002000;0;\n01060;12;ERI\n01056;;AFG\n")
    args = ["allocate", "--key", "sh-bevoelkerung-2019", "--period", "2023",
            "--households", hh, "--capacities", cap]
    before = dump(db)
    dry = js(*args, db=db)
    assert dump(db) == before, "a dry run wrote"
    rows = dry["rows"]
    assert [r["household"] for r in rows] == ["H%d" % i for i in range(60)]
    got = {}
    for i, r in enumerate(rows):
        origin = ("SYR", "AFG", "ERI", "")[i % 4]
        assert r["unit"], r            # every household placed, whole
        got[r["unit"]] = got.get(r["unit"], 0) + r["persons"]
        if r["unit"] == "01003000":
            assert origin in ("SYR", "AFG", "")
        if r["unit"] == "01060":
            assert origin in ("ERI", "")
        if r["unit"] == "01056":
            assert origin in ("AFG", "")
    assert "01002000" not in got          # no free places
    assert got.get("01003000", 0) <= 9 and got.get("01060", 0) <= 12
    # committing writes exactly the dry run's assignments
    n = ledger_count(db)
    out = run(*args, "--commit", "--date", "2023-12-01", "--reference",
              "Z-7", db=db).stdout
    assert "60 Zuweisungen" in out, out
    assert ledger_count(db) == n + 60
    led = js("ledger", "--from", "2023-12-01", "--to", "2023-12-01", db=db)
    mine = [e for e in led["rows"] if e["reference"] == "Z-7"]
    assert [(e["household"], e["unit"]) for e in mine] == \
        [(r["household"], r["unit"]) for r in rows]
    # bad input: file, line and column; nothing written
    bad = write("bad.csv", "id,persons\nA,2\nB,0\n")
    p = unchanged(db, "allocate", "--key", "sh-bevoelkerung-2019",
                  "--period", "2023", "--households", bad, "--commit",
                  "--date", "2023-12-01")
    assert "bad.csv:3:2" in p.stderr, p.stderr
    badcap = write("badcap.csv", "unit,places\n01099,3\n")
    p = unchanged(db, "allocate", "--key", "sh-bevoelkerung-2019",
                  "--period", "2023", "--households", hh, "--capacities",
                  badcap, "--commit", "--date", "2023-12-01")
    assert "badcap.csv:2:1" in p.stderr and "01099" in p.stderr, p.stderr
    unchanged(db, "allocate", "--key", "sh-bevoelkerung-2019", "--period",
              "2023", "--households", os.path.join(TMP, "nope.csv"),
              expect=3)
    unchanged(db, *args, "--commit", "--date", "2024-01-05", expect=1)
    # households that no unit may take are reported, not placed
    full = write("full.csv", "unit,places\n" + "".join(
        "%s,0\n" % u for u in SH_POP))
    res = js("allocate", "--key", "sh-bevoelkerung-2019", "--period",
             "2023", "--households", hh, "--capacities", full, db=db)
    assert all(r["unit"] == "" for r in res["rows"])


def test_loads_optional_libraries_late():
    # libpq, libmicrohttpd, libzip and libxlsxwriter are loaded when first
    # used (src/lib/dl.h): hafen itself must not need them to start
    libs = subprocess.run(["ldd", HAFEN], capture_output=True, text=True,
                          check=True).stdout
    assert "libsqlite3" in libs, libs
    for late in ("libpq.", "libmicrohttpd.", "libzip.", "libxlsxwriter."):
        assert late not in libs, (late, libs)


def test_help_languages():
    cmds = ["init", "unit", "indicator", "key", "standing", "record",
            "ledger", "correct", "quota", "admissions", "explain",
            "answer", "simulate", "allocate"]
    for c in cmds:
        de = run(c, "--help").stdout
        en = run(c, "--help", "--lang", "en").stdout
        assert de.startswith("Aufruf"), (c, de)
        assert en.startswith("Usage"), (c, en)
        env = dict(ENV, HAFEN_LANG="en")
        assert run(c, "--help", env=env).stdout == en
    assert "Befehle" in run("--help").stdout
    run("nonsense", expect=1)
    p = run("quota", "--bogus", expect=1)
    assert "--bogus" in p.stderr


def test_english_errors():
    db = fresh(demo=False)
    p = run("record", "--unit", "01099", "--persons", "1", "--date",
            "2024-01-01", "--lang", "en", db=db, expect=2)
    assert "01099" in p.stderr
    assert "Einheit" not in p.stderr, p.stderr


def test_standing_credit():
    db = fresh()
    before = js("quota", "--parent", "01", "--period", "2023", db=db)
    run("standing", "add", "--key", "sh-bevoelkerung-2019", "--unit",
        "01004000", "--from", "2023-01-01", "--to", "2023-12-31",
        "--persons", "100", "--reason", "Landesunterkunft Neumünster",
        db=db)
    after = js("quota", "--parent", "01", "--period", "2023", db=db)
    b = {r["unit"]: r for r in before["rows"]}
    for r in after["rows"]:
        extra = 100 if r["unit"] == "01004000" else 0
        assert Fraction(r["credited"]) == Fraction(b[r["unit"]]["credited"]) \
            + extra
        assert r["actual"] == b[r["unit"]]["actual"]


# ---- programmes, pledges, transfers ------------------------------------

def _programme(db, name="bap-2023", contingent="20", *extra):
    run("programme", "add", name, "--kind", "bund", "--parent", "01",
        "--from", "2023-01-01", "--to", "2023-12-31", "--contingent",
        contingent, *(extra or ("--key", "sh-bevoelkerung-2019")), db=db)


def test_programme_fulfilment_sums_to_contingent():
    db = fresh()
    _programme(db, "bap-2023", "1000")
    out = js("programme", "fulfilment", "bap-2023", db=db)
    rows = out["rows"]
    total = out["total"]
    assert [r["unit"] for r in rows] == sorted(SH_POP)
    assert sum(r["quota_rounded"] for r in rows) == 1000
    assert sum(Fraction(r["quota"]) for r in rows) == 1000
    assert sum(r["open"] for r in rows) == 1000 == total["open"]
    for r in rows:
        assert Fraction(r["quota"]) == Fraction(SH_POP[r["unit"]],
                                                sum(SH_POP.values())) * 1000
        assert abs(r["quota_rounded"] - Fraction(r["quota"])) < 1
    run("record", "--unit", "01003000", "--persons", "5", "--date",
        "2023-06-01", "--programme", "bap-2023", "--category",
        "bundesprogramm", db=db)
    out = js("programme", "fulfilment", "bap-2023", db=db)
    lue = [r for r in out["rows"] if r["unit"] == "01003000"][0]
    assert lue["admitted"] == 5 and lue["open"] == lue["quota_rounded"] - 5
    assert out["total"]["admitted"] == 5
    assert out["total"]["open"] == 995
    listed = js("programme", "list", db=db)["rows"]
    assert listed[0]["programme"] == "bap-2023"
    assert listed[0]["contingent"] == 1000
    assert listed[0]["category"] == "bundesprogramm"
    t = run("programme", "show", "bap-2023", db=db).stdout
    assert "Lübeck" in t and "100,00000" in t


def test_programme_contingent_needs_override():
    db = fresh()
    _programme(db, "bap-2023", "20")
    share = [r for r in js("programme", "fulfilment", "bap-2023",
                           db=db)["rows"] if r["unit"] == "01003000"][0]
    places = share["quota_rounded"]          # Lübeck: 7.46 -> 1 or 2
    args = ("record", "--unit", "01003000", "--date", "2023-03-01",
            "--programme", "bap-2023", "--category", "bundesprogramm")
    run(*args, "--persons", str(places), db=db)
    # one more is refused and writes nothing
    p = unchanged(db, *args, "--persons", "1", contains=("bap-2023",))
    assert "--override" in p.stderr
    pe = unchanged(db, *args, "--persons", "1", "--lang", "en")
    assert "beyond" in pe.stderr and "override" in pe.stderr
    assert js("programme", "overrides", db=db)["rows"] == []
    # with a reason it goes through, and the override is logged
    out = js(*args, "--persons", "2", "--override", "Familieneinheit",
             db=db)
    assert out["override"] is True
    ov = js("programme", "overrides", "bap-2023", db=db)["rows"]
    assert len(ov) == 1, ov
    assert ov[0]["entry"] == out["id"] and ov[0]["unit"] == "01003000"
    assert ov[0]["reason"] == "Familieneinheit"
    assert ov[0]["recorded_by"] == "test"
    assert ov[0]["recorded_at"] == "2023-11-14T22:13:20Z"
    assert ov[0]["beyond"] == 2
    f = js("programme", "fulfilment", "bap-2023", db=db)
    lue = [r for r in f["rows"] if r["unit"] == "01003000"][0]
    assert lue["admitted"] == places + 2 and lue["open"] == -2
    # the override log cannot be changed behind hafen's back
    for text in ("UPDATE overrides SET reason = 'x'",
                 "DELETE FROM overrides"):
        refused(db, text)
    # outside the period, another category, outside the area: refused
    unchanged(db, "record", "--unit", "01002000", "--persons", "1",
              "--date", "2024-01-02", "--programme", "bap-2023",
              "--category", "bundesprogramm", contains=("2023",))
    unchanged(db, "record", "--unit", "01002000", "--persons", "1",
              "--date", "2023-05-02", "--programme", "bap-2023",
              contains=("bundesprogramm",))


def test_programme_bad_input():
    db = fresh()
    base = ("programme", "add", "p1", "--kind", "bund", "--parent", "01",
            "--contingent", "10")
    unchanged(db, *base, "--from", "2023-01-01", "--to", "2023-12-31",
              "--key", "no-such-key", contains=("no-such-key",))
    unchanged(db, *base, "--from", "2023-12-31", "--to", "2023-01-01",
              "--key", "sh-bevoelkerung-2019",
              contains=("vor seinem Anfang",))
    unchanged(db, *base, "--from", "2023-01-01", "--to", "2023-12-31",
              "--key", "koenigstein-2017", contains=("koenigstein-2017",))
    unchanged(db, *base, "--from", "2023-01-01", "--to", "2023-12-31",
              "--share", "01001000=50", "--share", "01002000=40",
              contains=("100",))
    unchanged(db, "programme", "add", "p1", "--kind", "mond", "--parent",
              "01", "--contingent", "10", "--from", "2023-01-01", "--to",
              "2023-12-31", "--key", "sh-bevoelkerung-2019", expect=1)
    unchanged(db, "programme", "fulfilment", "nix", contains=("nix",))
    _programme(db, "p1", "10")
    unchanged(db, *base, "--from", "2023-01-01", "--to", "2023-12-31",
              "--key", "sh-bevoelkerung-2019", contains=("p1",))


def test_pledge_report_arithmetic():
    db = fresh(demo=False)
    run("programme", "add", "sh-2023", "--kind", "sicherer-hafen",
        "--parent", "01", "--from", "2023-01-01", "--to", "2023-12-31",
        "--contingent", "100", "--key", "sh-bevoelkerung-2019", db=db)
    a = js("pledge", "add", "--unit", "01003000", "--places", "5", "--from",
           "2023-01-01", "--to", "2023-12-31", db=db)["id"]
    b = js("pledge", "add", "--unit", "01003000", "--places", "2",
           "--programme", "sh-2023", "--from", "2023-01-01", "--to",
           "2023-06-30", db=db)["id"]
    run("pledge", "add", "--unit", "01002000", "--places", "3", "--from",
        "2023-01-01", "--to", "2023-12-31", "--programme", "any", db=db)
    for persons, prog, date in ((3, "sh-2023", "2023-03-01"),
                                (4, "", "2023-09-01"),
                                (1, "", "2024-02-01")):
        run("record", "--unit", "01003000", "--persons", str(persons),
            "--date", date, "--category", "sicherer-hafen",
            *(("--programme", prog) if prog else ()), db=db)
    run("record", "--unit", "01003000", "--persons", "9", "--date",
        "2023-04-01", "--category", "regulaer", db=db)
    rows = js("pledge", "report", db=db)["rows"]
    by = {(r["unit"], r["id"]): r for r in rows}
    # March: 2 to the programme's pledge, 1 to "any"; September: 4 to any
    assert by[("01003000", b)]["used"] == 2 and by[("01003000", b)]["open"] == 0
    assert by[("01003000", a)]["used"] == 5 and by[("01003000", a)]["open"] == 0
    tot = by[("01003000", None)]
    assert (tot["pledged"], tot["used"], tot["open"], tot["unpledged"]) == \
        (7, 7, 0, 1)
    # sicherer-hafen is credited 1:1 by the SH key: 7 persons toward quota
    assert Fraction(tot["credited"]) == 7
    assert by[("01003000", a)]["key"] == "sh-bevoelkerung-2019"
    kiel = by[("01002000", None)]
    assert (kiel["pledged"], kiel["used"], kiel["open"]) == (3, 0, 3)
    for r in rows:
        if r["id"] is None:
            assert r["pledged"] == r["used"] + r["open"]
    # without crediting, the used places count on top of the quota
    run("key", "credit", "sh-bevoelkerung-2019", "sicherer-hafen", "0",
        db=db)
    tot = [r for r in js("pledge", "report", "--unit", "01003000",
                         db=db)["rows"] if r["id"] is None][0]
    assert Fraction(tot["credited"]) == 0 and tot["used"] == 7
    # a withdrawn pledge drops out
    run("pledge", "status", str(a), "zurueckgezogen", db=db)
    tot = [r for r in js("pledge", "report", "--unit", "01003000",
                         db=db)["rows"] if r["id"] is None][0]
    assert (tot["pledged"], tot["used"], tot["unpledged"]) == (2, 2, 6)
    listed = js("pledge", "list", "--unit", "01003000", db=db)["rows"]
    assert [r["status"] for r in listed] == ["zurueckgezogen", "zugesagt"]
    assert listed[0]["programme"] == "alle"
    t = run("pledge", "report", db=db).stdout
    assert "aufs Soll" in t


def test_pledge_bad_input():
    db = fresh(demo=False)
    base = ("pledge", "add", "--unit", "01003000", "--from", "2023-01-01")
    unchanged(db, *base, "--to", "2023-12-31", "--places", "-2",
              contains=("positiv",))
    unchanged(db, *base, "--to", "2022-12-31", "--places", "2",
              contains=("vor seinem Anfang",))
    unchanged(db, *base, "--to", "2023-12-31", "--places", "2",
              "--programme", "nix", contains=("nix",))
    unchanged(db, "pledge", "add", "--unit", "01099", "--from",
              "2023-01-01", "--to", "2023-12-31", "--places", "2",
              contains=("01099",))
    unchanged(db, *base, "--to", "2023-12-31", "--places", "2",
              "--status", "vielleicht", expect=1)
    unchanged(db, "pledge", "status", "42", "zugesagt", contains=("42",))
    pe = unchanged(db, *base, "--to", "2023-12-31", "--places", "-2",
                   "--lang", "en")
    assert "positive" in pe.stderr


def test_transfer_paired_net_zero():
    db = fresh(demo=False)
    before = js("admissions", "--since", "2023-01-01", db=db)
    assert before["total"]["persons"] == 0
    out = js("transfer", "--from", "01003000", "--to", "01002000",
             "--persons", "4", "--date", "2023-05-01", "--household",
             "HH-9", "--reference", "AZ-17", db=db)
    rows = js("ledger", db=db)["rows"]
    assert len(rows) == 2
    o = [r for r in rows if r["id"] == out["out"]][0]
    i = [r for r in rows if r["id"] == out["in"]][0]
    assert o["pair"] == i["id"] and i["pair"] == o["id"]
    assert o["category"] == "umverteilung-ab" and o["unit"] == "01003000"
    assert i["category"] == "umverteilung-zu" and i["unit"] == "01002000"
    assert o["persons"] == i["persons"] == 4
    assert o["household"] == i["household"] == "HH-9"
    s = js("admissions", "--since", "2023-01-01", db=db)
    assert s["total"]["persons"] == 0          # net zero across both
    q = {r["unit"]: r for r in js("quota", "--parent", "01", "--period",
                                  "2023", db=db)["rows"]}
    assert q["01003000"]["actual"] == -4 and q["01002000"]["actual"] == 4
    # one transaction: a transfer to an unknown unit writes nothing
    unchanged(db, "transfer", "--from", "01003000", "--to", "01099",
              "--persons", "1", "--date", "2023-05-02", contains=("01099",))
    unchanged(db, "transfer", "--from", "01003000", "--to", "01003000",
              "--persons", "1", "--date", "2023-05-02")
    unchanged(db, "transfer", "--from", "01003000", "--to", "01002000",
              "--persons", "0", "--date", "2023-05-02")
    unchanged(db, "transfer", "--from", "01003000", "--persons", "1",
              "--date", "2023-05-02", expect=1)
    t = run("transfer", "--from", "01002000", "--to", "01003000",
            "--persons", "1", "--date", "2023-06-01", db=db).stdout
    assert "Umverteilung gespeichert" in t


def sqlite_dump(path):
    with sqlite3.connect(path) as c:
        names = [r[0] for r in c.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(c.execute("SELECT * FROM \"%s\"" % t).fetchall(),
                          key=repr) for t in names}


def test_migrate():
    """SQLite -> the run's backend -> SQLite: every row arrives, verified
    by counts and SHA-256 that agree at every step; a target with data is
    refused unless --force; a copy that does not verify saves nothing."""
    src = os.path.join(TMP, "mig-src.db")
    run("init", "--demo", db=src)
    run("transfer", "--from", "01003000", "--to", "01002000", "--persons",
        "2", "--date", "2023-05-02", "--household", "H-T.1",
        "--reference", "AZ \\1;\"x\"", db=src)
    run("pledge", "add", "--unit", "01003000", "--places", "4", "--from",
        "2023-01-01", "--to", "2023-12-31", "--note", "Zeile 1\nZeile 2 \\",
        db=src)
    run("record", "--unit", "01062", "--persons", "3", "--date",
        "2023-02-03", "--household", "H-U", "--note", "Tab\there, Ümlaut",
        db=src)
    # accounts and the audit log travel too (sessions: hafen serve's)
    run("user", "add", "mig-amt", "--role", "office", "--unit", "01003000",
        "--unit", "01002000", db=src, stdin="ein-langes-passwort\n")
    mid = new_db("mig-mid.db")
    back = os.path.join(TMP, "mig-back.db")
    a = js("migrate", "--from", src, "--to", mid)["rows"]
    b = js("migrate", "--from", mid, "--to", back)["rows"]
    sums = [(r["table"], r["rows"], r["sha256"]) for r in a]
    assert sums == [(r["table"], r["rows"], r["sha256"]) for r in b]
    counts = dict((t, n) for t, n, _ in sums)
    assert counts["ledger"] == 2474 + 3
    assert counts["accounts"] == 1 and counts["audit"] > 3, counts
    assert {"accounts", "sessions", "audit"} <= set(counts)
    amt = [r for r in js("user", "list", db=mid)["rows"]
           if r["name"] == "mig-amt"]
    assert amt and amt[0]["role"] == "office", amt
    assert amt[0]["units"] == "01003000,01002000", amt
    assert sqlite_dump(src) == sqlite_dump(back)
    q = [run("quota", "--key", "sh-bevoelkerung-2019", "--period", "2023",
             db=d).stdout for d in (src, mid, back)]
    assert q[0] == q[1] == q[2]
    # a target with data: refused, nothing changes; --force replaces it
    unchanged(mid, "migrate", "--from", back, "--to", mid,
              contains=("--force",))
    note = "a\tb \\c\nd\r \\N \\. ü"
    run("record", "--unit", "01062", "--persons", "1", "--date",
        "2023-02-04", "--note", note, db=mid)
    rows = js("ledger", "--unit", "01062", "--from", "2023-02-04", "--to",
              "2023-02-04", db=mid)["rows"]
    assert [r["note"] for r in rows] == [note], rows
    run("migrate", "--from", src, "--to", mid, "--force")
    assert ledger_count(mid) == 2477
    unchanged(mid, "migrate", "--from", mid, "--to", mid, expect=1)
    # a copy that does not verify (the target drops a row silently)
    bad = os.path.join(TMP, "mig-bad.db")
    run("init", db=bad)
    with sqlite3.connect(bad) as c:
        # init logged its units: an empty target needs an empty audit log
        c.execute("DROP TRIGGER audit_no_delete")
        for t in ("audit", "key_credits", "key_shares", "key_weights", "keys",
                  "indicators", "memberships", "units"):
            c.execute("DELETE FROM %s" % t)
        c.execute("CREATE TRIGGER sab BEFORE INSERT ON memberships "
                  "WHEN NEW.unit = '01003000' BEGIN SELECT RAISE(IGNORE); "
                  "END")
    before = sqlite_dump(bad)
    p = run("migrate", "--from", src, "--to", bad, expect=3)
    assert "memberships" in p.stderr and "nichts" in p.stderr, p.stderr
    assert sqlite_dump(bad) == before
    # a source with a table migrate does not know: refused, not left out
    with sqlite3.connect(back) as c:
        c.execute("CREATE TABLE extra(x INTEGER)")
    other = new_db("mig-other.db")
    p = run("migrate", "--from", back, "--to", other, expect=3)
    assert "extra" in p.stderr, p.stderr
    assert ledger_count(other) == 0


def test_hafen_db_environment():
    """HAFEN_DB names the database when --db is absent, on both backends."""
    db = fresh(demo=False)
    env = dict(ENV, HAFEN_DB=db)
    run("record", "--unit", "01062", "--persons", "2", "--date",
        "2023-03-01", env=env)
    assert ledger_count(db) == 1
    assert js("ledger", db=db)["rows"][0]["persons"] == 2


def test_programme_pledge_transfer_help():
    for c in ("programme", "pledge", "transfer"):
        de = run(c, "--help").stdout
        en = run(c, "--help", "--lang", "en").stdout
        assert de.startswith("Aufruf"), (c, de)
        assert en.startswith("Usage"), (c, en)
    assert "--override" in run("record", "--help").stdout
    top = run("--help").stdout
    assert "programme" in top and "pledge" in top and "transfer" in top


def main():
    return run_tests(globals())


if __name__ == "__main__":
    sys.exit(main())
