/* cmd_migrate.c: hafen migrate: a whole database into another (SQLite to
 * PostgreSQL and back), verified table by table */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
    "Aufruf: hafen migrate --from QUELLE --to ZIEL [--force]\n\n"
    "Kopiert eine ganze hafen-Datenbank in eine andere, Zeile für Zeile\n"
    "mit denselben Nummern, etwa von SQLite nach PostgreSQL und zurück:\n"
    "  hafen migrate --from hafen.db --to postgresql://nutzer@rechner/db\n"
    "Das Ziel wird in einer einzigen Transaktion geschrieben und danach\n"
    "je Tabelle geprüft: Zahl der Zeilen und SHA-256 über alle Zeilen\n"
    "müssen mit der Quelle übereinstimmen, sonst wird nichts gespeichert.\n"
    "Ein Ziel mit Daten wird abgelehnt; --force ersetzt alles darin.\n"
    "Die Quelle wird nur gelesen (ein Schnappschuss). --db gilt hier\n"
    "nicht.\n";
static const char help_en[] =
    "Usage: hafen migrate --from SOURCE --to TARGET [--force]\n\n"
    "Copies a whole hafen database into another, row for row with the\n"
    "same numbers, e.g. from SQLite to PostgreSQL and back:\n"
    "  hafen migrate --from hafen.db --to postgresql://user@host/db\n"
    "The target is written in one transaction and then checked table by\n"
    "table: the count of rows and a SHA-256 over all rows must equal the\n"
    "source's, or nothing is saved. A target holding data is refused;\n"
    "--force replaces everything in it. The source is only read (one\n"
    "snapshot). --db does not apply here.\n";

static const hf_col cols[] = {
    {"table", "Tabelle", "Table", HF_COL_STR, 0},
    {"rows", "Zeilen", "Rows", HF_COL_INT, 0},
    {"sha256", "SHA-256", "SHA-256", HF_COL_STR, 0},
};

static int print(hf_cli *cli, const char *from, const char *to,
		 const hf_db_table_sum *s, size_t n)
{
	hf_out *t = hf_out_new(cols, 3);
	char title[1024];
	long long total = 0;
	size_t i;
	int rc;

	if (!t)
		return 3;
	snprintf(title, sizeof title,
		 TR(cli, "Kopiert und geprüft: %s → %s",
		    "Copied and verified: %s → %s"),
		 from, to);
	hf_out_title(t, title);
	for (i = 0; i < n; i++) {
		hf_out_row(t);
		hf_out_str(t, s[i].table);
		hf_out_int(t, s[i].rows);
		hf_out_str(t, s[i].sha256);
		total += s[i].rows;
	}
	hf_out_row(t);
	hf_out_mark_total(t);
	hf_out_str(t, TR(cli, "Summe", "Total"));
	hf_out_int(t, total);
	hf_out_str(t, "");
	rc = hf_out_print(t, cli);
	hf_out_free(t);
	return rc;
}

int hf_cmd_migrate(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *from = NULL, *to = NULL;
	int force = 0;
	hf_opt opts[] = {
	    {"from", HF_OPT_VALUE, &from, NULL, NULL},
	    {"to", HF_OPT_VALUE, &to, NULL, NULL},
	    {"force", HF_OPT_FLAG, NULL, &force, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_db *src = NULL, *dst = NULL;
	hf_db_table_sum *sums = NULL;
	size_t n = 0;
	hf_error err;
	int npos, rc;

	rc = hf_opts_parse(cli, "migrate", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!from || !to)
		return hf_cli_usage(cli, "migrate",
				    "--from und --to sind nötig.",
				    "--from and --to are needed.");
	if (!strcmp(from, to))
		return hf_cli_usage(cli, "migrate",
				    "Quelle und Ziel sind dieselbe Datenbank.",
				    "Source and target are the same database.");
	hf_error_init(&err, cli->lang);
	if (hf_db_open(from, HF_DB_READONLY, &src, &err) < 0 ||
	    hf_db_open(to, HF_DB_CREATE, &dst, &err) < 0 ||
	    hf_db_copy(src, dst, force, &sums, &n, &err) < 0)
		rc = hf_cli_fail(cli, &err);
	else
		rc = print(cli, from, to, sums, n);
	free(sums);
	hf_db_close(dst);
	hf_db_close(src);
	return rc;
}
