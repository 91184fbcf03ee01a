#!/usr/bin/env python3
"""Import and export through the real hafen binary: round trips of every
kind in every format, files written by other software (Excel-dialect CSV
with BOM, CRLF and Windows-1252 bytes, LibreOffice CSV, XLSX written by
openpyxl with Debian's /usr/bin/python3), and a corpus of broken files,
each with its expected message and the database unchanged afterwards.
Prints TAP. Usage: test_io.py PATH/TO/hafen"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

from taprun import run_tests

HAFEN = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "io")
TMP = tempfile.mkdtemp(prefix="hafen-io-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
ENV = dict(os.environ, HAFEN_NOW="1700000000", HAFEN_USER="test")
ENV.pop("HAFEN_LANG", None)
ENV.pop("HAFEN_DB", None)
PY3 = "/usr/bin/python3"  # Debian's, with python3-openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import testdb  # noqa: E402

testdb.require()


def run(*args, db=None, expect=0, env=None):
    cmd = [HAFEN] + (["--db", db] if db else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, env=env or ENV,
                       timeout=300)
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    if expect is not None and p.returncode != expect:
        raise AssertionError("%s: exit %d, expected %d\nstdout: %s\n"
                             "stderr: %s" % (" ".join(cmd), p.returncode,
                                             expect, p.stdout[:3000],
                                             p.stderr[:3000]))
    return p


_n = 0


def path(name):
    return os.path.join(TMP, name)


def fresh(demo=False):
    global _n
    _n += 1
    db = testdb.new_db(TMP, "t%d.db" % _n)
    run("init", *(["--demo"] if demo else []), db=db)
    return db


dump = testdb.dump


def refused(db, kind, file, *contains, args=(), lang=None):
    """Imports file, expects exit 2 with every string of contains in the
    message, and the database unchanged."""
    before = dump(db)
    extra = ["--lang", lang] if lang else []
    p = run(*extra, "import", kind, file, *args, db=db, expect=2)
    for s in contains:
        assert s in p.stderr, "%r not in stderr:\n%s" % (s, p.stderr[:4000])
    assert dump(db) == before, "database changed by a failed import"
    return p


def write(name, data):
    f = path(name)
    with open(f, "wb") as fh:
        fh.write(data if isinstance(data, bytes) else data.encode())
    return f


def rich_db():
    """A database with something of every kind: the demo ledger, two
    Gemeinden with indicators, a key over them, programmes with a key and
    with explicit shares, pledges, a correction and a transfer."""
    db = fresh(demo=True)
    run("unit", "add", "010510011", "Brunsbüttel", "--kind", "gemeinde",
        "--parent", "01051", db=db, expect=None)
    for code, name in (("01051011", "Brunsbüttel"), ("01051044", "Heide")):
        run("unit", "add", code, name, "--kind", "gemeinde", "--parent",
            "01051", db=db)
    run("indicator", "set", "01051011", "population", "12345", "--date",
        "2022-12-31", "--source", "Test", db=db)
    run("indicator", "set", "01051044", "population", "21234.5", "--date",
        "2022-12-31", "--source", "Test, mit Komma", db=db)
    run("indicator", "set", "01051044", "area", "31,97", "--date",
        "2022-12-31", "--source", "Test", db=db)
    run("key", "add", "dith-test", "--parent", "01051", "--from",
        "2024-01-01", "--share", "01051011=33.3333", "--share",
        "01051044=66.6667", db=db)
    run("programme", "add", "lap-test", "--kind", "land", "--parent", "01",
        "--from", "2024-01-01", "--to", "2024-12-31", "--contingent", "500",
        "--key", "sh-bevoelkerung-2019", "--title", "Landesaufnahme; Test",
        db=db)
    run("programme", "add", "bap-test", "--kind", "bund", "--parent",
        "01051", "--from", "2024-01-01", "--to", "2024-12-31",
        "--contingent", "10", "--share", "01051011=25", "--share",
        "01051044=75", db=db)
    run("pledge", "add", "--unit", "01003000", "--places", "20", "--from",
        "2024-01-01", "--to", "2024-12-31", "--note", "Ratsbeschluss \"A\"",
        db=db)
    run("pledge", "add", "--unit", "01002000", "--places", "5", "--from",
        "2024-01-01", "--to", "2024-06-30", "--programme", "lap-test",
        "--status", "vorgemerkt", db=db)
    run("record", "--unit", "01003000", "--persons", "4", "--date",
        "2024-03-01", "--category", "landesprogramm", "--programme",
        "lap-test", "--household", "H-1", db=db)
    out = run("record", "--unit", "01001000", "--persons", "3", "--date",
              "2024-03-02", "--household", "H-2", "--format", "json", db=db)
    rid = json.loads(out.stdout)["id"]
    run("correct", str(rid), "--persons", "2", "--note", "Tippfehler",
        db=db)
    run("transfer", "--from", "01003000", "--to", "01002000", "--persons",
        "2", "--date", "2024-04-01", "--household", "H-1", db=db)
    return db


KINDS = ["units", "indicators", "keys", "programmes", "pledges",
         "admissions"]


def export(db, kind, fmt, dialect=None, out=None):
    args = ["export", kind]
    if fmt == "xlsx":
        args += ["--format", "xlsx", "--out", out]
    elif fmt == "json":
        args += ["--format", "json"]
    if dialect:
        args += ["--dialect", dialect]
    p = run(*args, db=db)
    if fmt == "xlsx":
        with open(out, "rb") as f:
            return f.read()
    return p.stdout


# ---- round trips ---------------------------------------------------------

def roundtrip(fmt, dialect=None):
    a = rich_db()
    b = fresh()
    ext = {"csv": "csv", "json": "json", "xlsx": "xlsx"}[fmt]
    for kind in KINDS:
        f = path("rt-%s-%s-%s.%s" % (fmt, dialect, kind, ext))
        data = export(a, kind, fmt, dialect, out=f)
        if fmt != "xlsx":
            write(os.path.basename(f), data)
        run("import", kind, f, db=b)
    for kind in KINDS:
        # compared as tool CSV: the same records, field by field
        ea = export(a, kind, "csv")
        eb = export(b, kind, "csv")
        assert ea == eb, "%s %s differs:\n%s\n---\n%s" % (
            fmt, kind, ea[:2000], eb[:2000])
    # the figures that come from the records agree too
    for args in (("quota", "--key", "sh-bevoelkerung-2019", "--period",
                  "2023"),
                 ("programme", "fulfilment", "lap-test"),
                 ("pledge", "report")):
        assert run(*args, "--format", "json", db=a).stdout == \
            run(*args, "--format", "json", db=b).stdout, args
    return a


def test_roundtrip_csv_tool():
    roundtrip("csv", "tool")


def test_roundtrip_csv_excel():
    a = roundtrip("csv", "excel")
    raw = export(a, "indicators", "csv", "excel").encode()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    text = raw.decode("utf-8-sig")
    assert text.startswith("Einheit;Kennzahl;Stichtag;Wert;Quelle\r\n"), text
    assert "31.12.2022;21234,5;" in text, text  # decimal comma, DD.MM.YYYY


def test_roundtrip_json_exact():
    a = roundtrip("json")
    doc = json.loads(export(a, "keys", "json"))
    assert doc["kind"] == "keys"
    sh = {(r["key"], r["unit"]): r["share"] for r in doc["rows"]}
    # exact fraction strings, as the command's JSON writes them
    assert sh[("sh-bevoelkerung-2019", "01003000")] == "216530/2903773"
    assert sh[("koenigstein-2015", "01")] == "338791/10000000"
    # CSV shows a decimal where the value is one
    csv = export(a, "keys", "csv")
    assert ",01,0.0338791\n" in csv and ",01003000,216530/2903773\n" in csv
    adm = json.loads(export(a, "admissions", "json"))["rows"]
    assert all(isinstance(r["persons"], int) for r in adm)
    # a reversal names its entry, a transfer's halves name each other
    assert any(r["corrects"] for r in adm)
    assert any(r["pair"] for r in adm)


def test_roundtrip_xlsx():
    roundtrip("xlsx")


def test_export_xlsx_read_by_openpyxl():
    a = rich_db()
    out = path("adm.xlsx")
    run("--lang", "en", "export", "admissions", "--format", "xlsx", "--out",
        out, db=a)
    code = ("import openpyxl, sys, json\n"
            "wb = openpyxl.load_workbook(sys.argv[1])\n"
            "ws = wb.worksheets[0]\n"
            "rows = [[c.value for c in r] for r in ws.iter_rows()]\n"
            "print(json.dumps({'sheets': wb.sheetnames, 'head': rows[0],"
            " 'n': len(rows), 'row1': [str(v) for v in rows[1]],"
            " 'frozen': ws.freeze_panes}))\n")
    p = subprocess.run([PY3, "-c", code, out], capture_output=True,
                       text=True, check=True)
    got = json.loads(p.stdout)
    assert got["sheets"] == ["Admissions", "About"], got
    assert got["head"][:4] == ["id", "date", "unit", "persons"], got
    assert got["frozen"] == "A2", got
    n = len(json.loads(export(a, "admissions", "json"))["rows"])
    assert got["n"] == n + 1
    assert got["row1"][1].startswith("2019-11-05"), got  # a real date


def test_reports_as_xlsx():
    """Every report table as a workbook (read back by openpyxl): numbers
    as numbers, the total row bold, a sheet that names key, period and
    time."""
    a = rich_db()
    reports = {
        "quota": ("quota", "--key", "sh-bevoelkerung-2019", "--period",
                  "2023"),
        "ledger": ("ledger", "--unit", "01003000"),
        "fulfilment": ("programme", "fulfilment", "lap-test"),
        "pledges": ("pledge", "report"),
    }
    code = ("import openpyxl, sys, json\n"
            "wb = openpyxl.load_workbook(sys.argv[1])\n"
            "ws = wb.worksheets[0]\n"
            "rows = [[c.value for c in r] for r in ws.iter_rows()]\n"
            "bold = [c.font.b for c in ws[ws.max_row]]\n"
            "about = {r[0].value: r[1].value for r in "
            "wb.worksheets[1].iter_rows()}\n"
            "print(json.dumps({'sheets': wb.sheetnames, 'rows': rows,"
            " 'bold_last': any(bold), 'head_bold': all(c.font.b for c in "
            "ws[1]), 'frozen': ws.freeze_panes, 'about': about},"
            " default=str))\n")
    for name, args in reports.items():
        out = path("report-%s.xlsx" % name)
        run(*args, "--format", "xlsx", "--out", out, db=a)
        got = json.loads(subprocess.run([PY3, "-c", code, out],
                                        capture_output=True, text=True,
                                        check=True).stdout)
        table = json.loads(run(*args, "--format", "json", db=a).stdout)
        assert got["sheets"] == ["Bericht", "Quelle"], (name, got)
        assert got["head_bold"] and got["frozen"] == "A2", (name, got)
        n = len(table["rows"]) + (1 if "total" in table else 0)
        assert len(got["rows"]) == n + 1, (name, len(got["rows"]), n)
        assert "Erstellt (UTC)" in got["about"], got["about"]
        assert got["about"]["Erstellt (UTC)"] == "2023-11-14T22:13:20Z"
        if "total" in table:
            assert got["bold_last"], name
        if name == "quota":
            head = got["rows"][0]
            assert head[:3] == ["Code", "Einheit", "Anteil %"], head
            lue = [r for r in got["rows"] if r[0] == "01003000"][0]
            share = float(Fraction(216530, 2903773)) * 100
            assert isinstance(lue[2], float) and abs(lue[2] - share) < 1e-6
            assert isinstance(lue[3], int)
            about = " ".join(str(v) for v in got["about"].values())
            assert "sh-bevoelkerung-2019" in about and "2023" in about
            assert "Quelle des Schlüssels" in about
    # --out takes the other formats too; a failed command leaves no file
    out = path("quota.csv")
    run("quota", "--key", "sh-bevoelkerung-2019", "--period", "2023",
        "--format", "csv", "--out", out, db=a)
    with open(out) as fh:
        assert fh.readline().startswith("unit,name,share,"), out
    out = path("none.csv")
    run("quota", "--key", "nix", "--period", "2023", "--format", "csv",
        "--out", out, db=a, expect=2)
    assert not os.path.exists(out) and not os.path.exists(out + ".tmp")
    # not every command prints a table
    p = run("explain", "--unit", "01003000", "--period", "2023", "--format",
            "xlsx", "--out", path("x.xlsx"), db=a, expect=1)
    assert "Tabellen" in p.stderr and not os.path.exists(path("x.xlsx"))
    # xlsx needs a file
    p = run("quota", "--key", "sh-bevoelkerung-2019", "--period", "2023",
            "--format", "xlsx", db=a, expect=1)
    assert "--out" in p.stderr


# ---- files written by other software -------------------------------------

def ledger_rows(db, **flt):
    args = ["ledger", "--format", "json"]
    for k, v in flt.items():
        args += ["--" + k, v]
    return json.loads(run(*args, db=db).stdout)["rows"]


def test_excel_csv_utf8_bom_crlf():
    db = fresh()
    p = run("import", "admissions", os.path.join(FIX, "excel-utf8-bom.csv"),
            db=db)
    assert "3 Einträge" in p.stdout and "Excel" in p.stdout, p.stdout
    rows = ledger_rows(db)
    assert [(r["date"], r["unit"], r["persons"], r["category"])
            for r in rows] == [
        ("2024-11-05", "01003000", 4, "sicherer-hafen"),
        ("2024-11-06", "01002000", 2, "regulaer"),
        ("2024-11-07", "01051", 1, "familiennachzug")]
    assert rows[1]["reference"] == "AZ 18; Nachtrag"  # quoted separator


def test_excel_csv_windows_1252():
    db = fresh()
    p = run("import", "admissions", os.path.join(FIX, "excel-cp1252.csv"),
            db=db)
    assert "Windows-1252" in p.stdout, p.stdout
    notes = [r["note"] for r in ledger_rows(db)]
    assert notes == ["Lübeck, über Grenzdurchgangslager",
                     "Straße € Kosten geprüft"], notes


def test_excel_sep_line():
    db = fresh()
    f = write("sep.csv", b"sep=;\r\nDatum;Einheit;Personen\r\n"
              b"05.01.2024;01003000;2\r\n06.01.2024;01002000;x\r\n")
    # the hint line counts: the bad row is line 4 of the file
    refused(db, "admissions", f, "sep.csv, Zeile 4, Spalte Personen (3)")


def test_tab_separated():
    db = fresh()
    f = write("tab.txt", "Datum\tEinheit\tPersonen\tVermerk\r\n"
              "05.01.2024\t01003000\t2\tmit, Komma; und Semikolon\r\n")
    run("import", "admissions", f, db=db)
    assert ledger_rows(db)[0]["note"] == "mit, Komma; und Semikolon"


def test_libreoffice_csv():
    db = fresh()
    run("import", "admissions", os.path.join(FIX, "libreoffice.csv"), db=db)
    rows = ledger_rows(db)
    assert [(r["unit"], r["persons"], r["reference"]) for r in rows] == [
        ("01003000", 2, "LO 1"), ("01004000", 5, "LO 2")], rows


def test_indicators_both_dialects_same_values():
    a, b = fresh(), fresh()
    run("import", "indicators", os.path.join(FIX, "tool-indicators.csv"),
        db=a)
    run("import", "indicators", os.path.join(FIX, "excel-indicators.csv"),
        db=b)
    ia = json.loads(run("indicator", "list", "--name", "area", "--format",
                        "json", db=a).stdout)["rows"]
    ib = json.loads(run("indicator", "list", "--name", "area", "--format",
                        "json", db=b).stdout)["rows"]
    va = {r["unit"]: Fraction(r["value"]) for r in ia}
    vb = {r["unit"]: Fraction(r["value"]) for r in ib}
    assert va == vb == {"01001000": Fraction(5673, 100),
                        "01002000": Fraction(11865, 100)}, (va, vb)


def openpyxl(code, *args):
    subprocess.run([PY3, "-c", code] + list(args), check=True,
                   capture_output=True, text=True)


OPENPYXL_ADMISSIONS = r"""
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Hinweise"
ws.append(["Zugänge 2024, Kreis Dithmarschen"])
z = wb.create_sheet("Zugänge")
z.append(["Datum", "Einheit", "Personen", "Kategorie", "Haushalt",
          "Programm", "Aktenzeichen"])
z.append([datetime.date(2024, 2, 1), "01051", 3, "regulaer", "HX-1", None,
          "AZ 1"])
z.append([datetime.datetime(2024, 2, 2, 0, 0), "01003000", 1,
          "safe-harbour", "HX-2", "", 4711])
z.append([])
z.append([datetime.date(2024, 2, 3), "01002000", 2.0, "resettlement",
          None, None, None])
wb.save(sys.argv[1])
"""


def test_xlsx_by_openpyxl_named_sheet():
    db = fresh()
    f = path("openpyxl-adm.xlsx")
    openpyxl(OPENPYXL_ADMISSIONS, f)
    # the first sheet holds a note, not the table
    refused(db, "admissions", f, "Blatt Hinweise", "Datum")
    run("import", "admissions", f, "--sheet", "Zugänge", db=db)
    rows = ledger_rows(db)
    assert [(r["date"], r["unit"], r["persons"], r["category"],
             r["reference"]) for r in rows] == [
        ("2024-02-01", "01051", 3, "regulaer", "AZ 1"),
        ("2024-02-02", "01003000", 1, "sicherer-hafen", "4711"),
        ("2024-02-03", "01002000", 2, "resettlement", "")], rows
    refused(db, "admissions", f, "Blatt", "Zugänge", args=("--sheet",
                                                           "Abgänge"))


def test_xlsx_code_as_number():
    db = fresh()
    f = path("numcode.xlsx")
    openpyxl(r"""
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Zugänge"
ws.append(["Datum", "Einheit", "Personen"])
ws.append([datetime.date(2024, 3, 1), 1003000, 2])
wb.save(sys.argv[1])
""", f)
    refused(db, "admissions", f,
            "numcode.xlsx, Blatt Zugänge, Zeile 2, Spalte Einheit (B2)",
            "gemeint ist wohl 01003000")


def test_xlsx_indicators_by_openpyxl():
    db = fresh()
    f = path("openpyxl-ind.xlsx")
    openpyxl(r"""
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["unit", "indicator", "ref_date", "value", "source"])
ws.append(["01001000", "area", datetime.date(2023, 12, 31), 56.73, "SAN"])
ws.append(["01002000", "gdp", datetime.date(2023, 12, 31), 1.5e-3, "SAN"])
ws.append(["01003000", "area", datetime.date(2023, 12, 31), 214, "SAN"])
wb.save(sys.argv[1])
""", f)
    run("import", "indicators", f, db=db)
    rows = json.loads(run("indicator", "list", "--format", "json",
                          db=db).stdout)["rows"]
    got = {(r["unit"], r["name"] if "name" in r else r.get("indicator")):
           Fraction(r["value"]) for r in rows
           if r["unit"] in ("01001000", "01002000", "01003000")
           and (r.get("name") or r.get("indicator")) != "population"}
    assert got == {("01001000", "area"): Fraction(5673, 100),
                   ("01002000", "gdp"): Fraction(3, 2000),
                   ("01003000", "area"): Fraction(214)}, got


def test_households_xlsx_to_match_csv():
    f = path("hh.xlsx")
    openpyxl(r"""
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Kennung", "Personen", "Alter", "Bedarfe", "Sprachen",
           "use:flats"])
ws.append(["HH-1", 3, "34|31|4", "wheelchair", "ar, en", 1])
ws.append(["HH-2", 1, 22, None, "fa", None])
wb.save(sys.argv[1])
""", f)
    out = path("hh.csv")
    run("import", "households", f, "--out", out)
    with open(out) as fh:
        text = fh.read()
    assert text == ("id,persons,ages,needs,languages,use:flats\n"
                    "HH-1,3,34|31|4,wheelchair,ar|en,1\n"
                    "HH-2,1,22,,fa,\n"), text
    bad = write("hh-bad.csv", "id;persons;ages\nHH 1;2;30|x\nHH-2;0;\n"
                "HH-3;2;40\n")
    p = run("import", "households", bad, expect=2)
    for s in ("Zeile 2, Spalte id", "Zeile 2, Spalte ages",
              "Zeile 3, Spalte persons", "Zeile 4, Spalte ages",
              "1 Alter für 2 Personen"):
        assert s in p.stderr, p.stderr


def test_match_units_csv():
    f = write("mu.csv", "code,capacity,min,max,services,cap:school\n"
              "01003000,120,10,,dialysis | psychotherapy,30\n"
              "01002000,40,,35,,\n")
    p = run("import", "match-units", f)
    assert p.stdout == ("code,capacity,min,max,services,cap:school\n"
                        "01003000,120,10,,dialysis|psychotherapy,30\n"
                        "01002000,40,,35,,\n"), p.stdout
    bad = write("mu-bad.csv", "code,capacity,min,max\nA,5,6,5\nA,1,,\n")
    p = run("--lang", "en", "import", "match-units", bad, expect=2)
    assert "minimum 6 is above the maximum 5" in p.stderr, p.stderr
    assert "duplicate" in p.stderr, p.stderr


# ---- broken files --------------------------------------------------------

HEAD = "date,unit,persons,category,household,programme,reference\n"


def test_all_problems_at_once():
    db = fresh(demo=True)
    f = write("many.csv", HEAD +
              "2024-01-05,01003000,drei,regulaer,H-1,,\n"      # type
              "2024-02-30,01003000,2,regulaer,H-2,,\n"         # no day
              "2024-01-07,99999,2,regulaer,H-3,,\n"            # unit
              "2024-01-08,01003000,-2,regulaer,H-4,,\n"        # negative
              "2024-01-09,01003000,2,urlaub,H-5,,\n"           # category
              "2024-01-10,01003000,2,regulaer,Max Muster,,\n"  # a name
              "2024-01-11,01002000,1,regulaer,H-6,,\n")        # fine
    p = refused(db, "admissions", f,
                "many.csv, Zeile 2, Spalte persons (3): »drei«: erwartet "
                "eine ganze Zahl",
                "Zeile 3, Spalte date (1): »2024-02-30«",
                "Zeile 4, Spalte unit (2): die Einheit 99999 gibt es nicht",
                "Zeile 5, Spalte persons (3): »-2«",
                "Zeile 6, Spalte category (4): Kategorie »urlaub« unbekannt",
                "Zeile 7, Spalte household",
                "6 Fehler; nichts wurde importiert")
    assert "Zeile 8" not in p.stderr
    # English on request
    p = refused(db, "admissions", f, "line 2, column persons (3): 'drei': "
                "expected a whole number", "nothing was imported",
                lang="en")


def test_error_limit():
    db = fresh(demo=True)
    f = write("limit.csv", HEAD + "".join(
        "2024-01-05,01003000,x%d,regulaer,,,\n" % i for i in range(150)))
    p = refused(db, "admissions", f, "und 50 weitere Fehler",
                "150 Fehler")
    assert p.stderr.count("erwartet eine ganze Zahl") == 100


def test_unterminated_quote():
    db = fresh(demo=True)
    f = write("quote.csv", HEAD + '2024-01-05,01003000,2,regulaer,"H-1,,\n'
              "2024-01-06,01003000,2,regulaer,H-2,,\n")
    refused(db, "admissions", f, "quote.csv, Zeile 2",
            "Anführungszeichen nicht geschlossen")
    refused(db, "admissions", f, "quote.csv, line 2", "unterminated quote",
            lang="en")
    # a quote inside a field not quoted: the line and the character
    f = write("stray.csv", HEAD + "2024-01-05,01003000,2,regulaer,,,\n"
              '2024-01-06,01003000,2,regulaer,H"1,,\n')
    refused(db, "admissions", f, "stray.csv, Zeile 3, Zeichen 33",
            "ein Anführungszeichen in einem Feld ohne")
    refused(db, "admissions", f, "stray.csv, line 3, character 33",
            "a quote inside a field", lang="en")


def test_wrong_encoding():
    db = fresh(demo=True)
    f = write("utf16.csv", ("\ufeff" + HEAD +
                            "2024-01-05,01003000,2,regulaer,,,\n")
              .encode("utf-16-le"))
    refused(db, "admissions", f, "UTF-16")
    # a BOM says UTF-8, the bytes are Windows-1252
    f = write("bom-1252.csv", b"\xef\xbb\xbf" + HEAD.encode() +
              b"2024-01-05,01003000,2,regulaer,,,M\xfcller\n")
    refused(db, "admissions", f, "Byte 0xFC", "kein gültiges UTF-8",
            "UTF-8-Kennung")
    # forced tool dialect: UTF-8 only
    f = write("tool-1252.csv", HEAD.encode() +
              b"2024-01-05,01003000,2,regulaer,,,M\xfcller\n")
    refused(db, "admissions", f, "Byte 0xFC", args=("--dialect", "tool"))


def test_mixed_separators():
    db = fresh(demo=True)
    f = write("mixed.csv", "Datum;Einheit;Personen\n"
              "05.01.2024;01003000;2\n"
              "06.01.2024,01003000,2\n")
    refused(db, "admissions", f, "mixed.csv, Zeile 3",
            "1 Felder, die Kopfzeile hat 3", "anderes Trennzeichen als »;«")


def test_truncated_zip():
    db = fresh(demo=True)
    good = path("good.xlsx")
    openpyxl(OPENPYXL_ADMISSIONS, good)
    with open(good, "rb") as fh:
        data = fh.read()
    f = write("truncated.xlsx", data[:len(data) // 2])
    p = refused(db, "admissions", f, "truncated.xlsx")
    assert "Einträge importiert" not in p.stdout


def test_duplicate_rows():
    db = fresh(demo=True)
    f = write("dup.csv", HEAD +
              "2024-01-05,01003000,2,regulaer,H-1,,AZ-1\n"
              "2024-01-06,01003000,2,regulaer,H-2,,AZ-2\n"
              "2024-01-05,01003000,2,regulaer,H-1,,AZ-1\n")
    refused(db, "admissions", f, "dup.csv, Zeile 4",
            "doppelt: derselbe Zugang steht schon in Zeile 2")
    f = write("dup-units.csv", "code,name,kind,parent\n"
              "01051099,A,gemeinde,01051\n01051099,B,gemeinde,01051\n")
    refused(db, "units", f, "Zeile 3", "Einheit 01051099 steht schon")


def test_huge_field():
    db = fresh(demo=True)
    f = path("huge.csv")
    with open(f, "wb") as fh:
        fh.write(HEAD.encode())
        fh.write(b"2024-01-05,01003000,2,regulaer,")
        fh.write(b"H" * (100 * 1024 * 1024))
        fh.write(b",,\n")
    try:
        refused(db, "admissions", f, "huge.csv, Zeile 2",
                "länger als 1048576 Bytes")
    finally:
        os.remove(f)


def test_empty_file():
    db = fresh(demo=True)
    refused(db, "admissions", write("empty.csv", b""),
            "empty.csv: die Datei ist leer")
    refused(db, "admissions", write("blank.csv", "\r\n\r\n"),
            "die Datei ist leer")


def test_unknown_and_missing_columns():
    db = fresh(demo=True)
    f = write("cols.csv", "Datum;Einheit;Anzahl\n05.01.2024;01003000;2\n")
    refused(db, "admissions", f, "unbekannte Spalte »Anzahl«",
            "Spalte Personen (persons) fehlt")


def test_json_broken():
    db = fresh(demo=True)
    refused(db, "admissions", write("bad.json", '{"rows": [{"date": '),
            "JSON fehlerhaft")
    f = write("real.json", json.dumps({"rows": [
        {"date": "2024-01-05", "unit": "01003000", "persons": 2.5}]}))
    refused(db, "admissions", f, "real.json, Eintrag 1, Feld persons",
            "nicht exakt")
    f = write("kind.json", json.dumps({"kind": "units", "rows": []}))
    refused(db, "admissions", f, "enthält »units«")


def test_key_not_summing_refused():
    db = fresh()
    f = write("key.csv", "key;parent;valid_from;unit;percent\n"
              "k1;01051;01.01.2025;01051011;50\n")
    refused(db, "keys", f, "Zeile 2", "keine Untereinheit von 01051")
    a = rich_db()
    f = write("key2.csv", "key;parent;valid_from;unit;percent\n"
              "k2;01051;01.01.2025;01051011;50\n"
              "k2;01051;01.01.2025;01051044;49,99\n")
    refused(a, "keys", f, "Schlüssel k2", "99,99")


def test_programme_exists_with_other_shares():
    a = rich_db()
    f = write("prog.csv", "programme;kind;parent;from;to;contingent;unit;"
              "percent\n"
              "bap-test;bund;01051;01.01.2024;31.12.2024;10;01051044;75\n"
              "bap-test;bund;01051;01.01.2024;31.12.2024;10;01051011;25\n")
    before = dump(a)
    run("import", "programmes", f, db=a)  # the same, in another order
    # only the import itself is new: its row and its line in the audit log
    new = ("imports", "audit")
    assert {k: v for k, v in dump(a).items() if k not in new} == \
        {k: v for k, v in before.items() if k not in new}
    assert "import" in str(dump(a)["audit"])
    g = write("prog2.csv", open(f).read().replace(";75", ";70")
              .replace(";25", ";30"))
    refused(a, "programmes", g, "das Programm bap-test gibt es schon")


def test_pair_must_be_a_transfer():
    db = fresh(demo=True)
    f = write("pair.csv", "id,date,unit,persons,category,pair\n"
              "1,2024-01-05,01003000,2,umverteilung-ab,2\n"
              "2,2024-01-05,01002000,3,umverteilung-zu,1\n"
              "3,2024-01-06,01003000,1,regulaer,9\n")
    refused(db, "admissions", f, "pair.csv, Zeile 2, Spalte pair (6)",
            "Zeile 3, Spalte pair", "Zeile 4, Spalte pair",
            "steht nicht in der Datei")


def test_units_children_before_parents():
    db = fresh()
    f = write("units.csv", "Code;Name;Art;Obereinheit\n"
              "01063001;Neudorf;gemeinde;01063\n"
              "01063;Neukreis;kreis;01\n"
              "01001000;Flensburg;kreisfreie-stadt;01\n")  # exists, same
    run("import", "units", f, db=db)
    units = json.loads(run("unit", "list", "--parent", "01063", "--format",
                           "json", db=db).stdout)["rows"]
    assert [u["unit"] for u in units] == ["01063001"], units
    # the same code with other data is a problem, not an update
    f = write("units2.csv", "code,name,kind,parent\n"
              "01001000,Flensborg,kreisfreie-stadt,01\n")
    refused(db, "units", f, "die Einheit 01001000 gibt es schon, anders")


# ---- the import's own rules ----------------------------------------------

def test_check_and_already_imported():
    db = fresh(demo=True)
    f = write("ok.csv", HEAD + "2024-01-05,01003000,2,regulaer,H-1,,\n")
    before = dump(db)
    p = run("import", "admissions", f, "--check", db=db)
    assert "keine Fehler; nichts geschrieben" in p.stdout, p.stdout
    assert dump(db) == before
    run("import", "admissions", f, db=db)
    n = len(ledger_rows(db))
    # the same bytes under another name are recognised
    g = path("copy.csv")
    shutil.copy(f, g)
    refused(db, "admissions", g, "schon am", "--force", "ok.csv")
    run("import", "admissions", g, "--force", db=db)
    assert len(ledger_rows(db)) == n + 1


def test_failed_write_leaves_nothing():
    """A file whose rows pass every check but one the ledger refuses
    (beyond a programme's contingent) writes nothing at all."""
    db = rich_db()
    rows = "".join("2024-05-%02d,01051011,1,bundesprogramm,B-%d,bap-test,\n"
                   % (d, d) for d in range(1, 6))
    f = write("beyond.csv", HEAD + rows)
    refused(db, "admissions", f, "beyond.csv, Zeile", "Kontingent")
    # with a reason they are admitted, and the overrides logged
    p = run("import", "admissions", f, "--override", "Eilfall", db=db)
    assert "über das Kontingent hinaus" in p.stdout, p.stdout
    ov = json.loads(run("programme", "overrides", "bap-test", "--format",
                        "json", db=db).stdout)["rows"]
    assert ov and all(r["reason"] == "Eilfall" for r in ov), ov


def test_help_german_and_english():
    p = run("import", "--help")
    assert "Aufruf: hafen import ART DATEI" in p.stdout
    assert "Aktenzeichen" in p.stdout
    p = run("--lang", "en", "export", "--help")
    assert "Usage: hafen export KIND" in p.stdout


def main():
    return run_tests(globals(),
                     lambda: shutil.rmtree(TMP, ignore_errors=True))


if __name__ == "__main__":
    sys.exit(main())
