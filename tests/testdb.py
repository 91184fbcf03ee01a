"""The database layer of the Python tests (tests/cli, tests/server): the
same tests on SQLite and on PostgreSQL, as tests/unit/testdb.h does for
the C tests.

With HAFEN_TEST_BACKEND=postgresql every database is a fresh schema on the
server HAFEN_TEST_PG_URI names (scripts/pg-test-cluster.sh starts one and
exports it); else a SQLite file in the test's temporary folder. sql() runs
SQL beside hafen, as another program would, with ? for bound values."""
import csv
import io
import os
import re
import sqlite3
import subprocess
import sys

PG = os.environ.get("HAFEN_TEST_BACKEND") == "postgresql"
PG_URI = os.environ.get("HAFEN_TEST_PG_URI", "")
PG_APP_URI = os.environ.get("HAFEN_TEST_PG_APP_URI", "")
PSQL = os.environ.get("PG_TEST_PSQL", "psql")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def require():
    """With PostgreSQL asked for but no server given: a TAP skip."""
    if PG and not PG_URI:
        print("1..0 # SKIP HAFEN_TEST_PG_URI not set (run through "
              "scripts/pg-test-cluster.sh)")
        sys.exit(0)


class DatabaseError(Exception):
    pass


def psql(uri, text, *args):
    """Rows of text on PostgreSQL as tuples of strings (None for NULL);
    each ? in text is args[i], bound by psql as a quoted literal."""
    var = []
    if args:
        parts = text.split("?")
        if len(parts) != len(args) + 1:
            raise ValueError("%d values for %d ? in %s" % (
                len(args), len(parts) - 1, text))
        for i, a in enumerate(args):
            var += ["-v", "p%d=%s" % (i, a)]
        text = parts[0] + "".join(":'p%d'%s" % (i, p)
                                  for i, p in enumerate(parts[1:]))
    # variables are interpolated in a script, not in -c
    p = subprocess.run([PSQL, "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1",
                        "-P", "null=\\N"] + var + ["-d", uri, "-f", "-"],
                       input=text + ";\n", capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        raise DatabaseError(p.stderr)
    csv.field_size_limit(1 << 30)
    rows = list(csv.reader(io.StringIO(p.stdout)))
    return [tuple(None if v == "\\N" else v for v in r) for r in rows[1:]]


def sql(db, text, *args):
    """Rows of text run on the database db beside hafen (SQLite: values as
    stored; PostgreSQL: strings)."""
    if PG:
        return psql(db, text, *args)
    try:
        with sqlite3.connect(db) as c:
            return c.execute(text, args).fetchall()
    except sqlite3.DatabaseError as e:
        raise DatabaseError(str(e)) from e


def text_rows(rows):
    """Rows with every value as a string (None stays): the same on both
    backends."""
    return [tuple(None if v is None else str(v) for v in r) for r in rows]


def refused(db, text):
    """Asserts the database refuses text; the message."""
    try:
        sql(db, text)
    except DatabaseError as e:
        return str(e)
    raise AssertionError("database accepted: " + text)


_schemas = 0


def new_db(folder, name):
    """A fresh, empty database: a file path in folder, or a schema's
    URI."""
    global _schemas
    if not PG:
        return os.path.join(folder, name)
    _schemas += 1
    schema = "c%d_%d" % (os.getpid(), _schemas)
    psql(PG_URI, "CREATE SCHEMA " + schema)
    sep = "&" if "?" in PG_URI else "?"
    return PG_URI + sep + "options=-csearch_path%3D" + schema


def tables(db):
    if PG:
        return sorted(r[0] for r in psql(
            db, "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"))
    return sorted(r[0] for r in sql(
        db, "SELECT name FROM sqlite_master WHERE type='table'"))


def grant_set(schema):
    """The GRANT set of docs/postgresql.md for the application role, for
    schema."""
    with open(os.path.join(ROOT, "docs", "postgresql.md")) as f:
        doc = f.read()
    m = re.search(r"```sql\n(-- grant set\n.*?)```", doc, re.S)
    assert m, "docs/postgresql.md has no grant set"
    return m.group(1).replace("hafen.", schema + ".").replace(
        "SCHEMA hafen", "SCHEMA " + schema)


def app_db(db):
    """db as the least-privilege role sees it: on PostgreSQL (with
    HAFEN_TEST_PG_APP_URI) the GRANT set is applied to db's schema, as
    it is now, and the application role's URI of it is returned; else
    db."""
    if not PG or not PG_APP_URI:
        return db
    schema = db.rsplit("search_path%3D", 1)[1]
    psql(PG_URI, grant_set(schema))
    sep = "&" if "?" in PG_APP_URI else "?"
    return PG_APP_URI + sep + "options=-csearch_path%3D" + schema


def dump(db):
    """Every row of every table: to prove a failed command wrote nothing."""
    if PG:
        # one statement: each table's rows as text, in a fixed order
        return dict(psql(
            db, "SELECT table_name, query_to_xml(format("
            "'SELECT string_agg(x::text, chr(10) ORDER BY x::text) AS s "
            "FROM %I x', table_name), false, false, '')::text "
            "FROM information_schema.tables "
            "WHERE table_schema = current_schema()"))
    return {t: sorted(sql(db, "SELECT * FROM \"%s\"" % t), key=repr)
            for t in tables(db)}
