/* cmd_init.c: hafen init [--demo] */
#include <stdlib.h>

#include "cmds.h"
#include "opts.h"

static const char help_de[] =
	"Aufruf: hafen init [--demo]\n\n"
	"Legt die Datenbank an (--db, HAFEN_DB oder ./hafen.db) und lädt die\n"
	"mitgelieferten Referenzdaten: die 16 Länder, den Königsteiner\n"
	"Schlüssel 2015 und 2017, die 15 Kreise und kreisfreien Städte\n"
	"Schleswig-Holsteins mit Bevölkerung am 31.12.2019 und den daraus\n"
	"berechneten Bevölkerungsschlüssel (AuslAufnVO § 7), die Mitglieder\n"
	"des Bündnisses »Sichere Häfen«. Jede Datei nennt ihre Quelle.\n\n"
	"  --demo   auch das Demo-Register laden (illustrativ, in jeder Zeile\n"
	"           so gekennzeichnet)\n";
static const char help_en[] =
	"Usage: hafen init [--demo]\n\n"
	"Creates the database (--db, HAFEN_DB or ./hafen.db) and loads the\n"
	"bundled reference data: the 16 Länder, the Königsteiner Schlüssel\n"
	"2015 and 2017, Schleswig-Holstein's 15 Kreise and kreisfreie Städte\n"
	"with population at 31.12.2019 and the population key computed from\n"
	"it (AuslAufnVO § 7), the members of the alliance \"Sichere Häfen\".\n"
	"Every file names its source.\n\n"
	"  --demo   also load the demo ledger (illustrative, marked so in\n"
	"           every row)\n";

int hf_cmd_init(hf_cli *cli, int argc, char **argv)
{
	int demo = 0, npos, rc;
	const char *pos[1];
	hf_opt opts[] = {{"demo", HF_OPT_FLAG, NULL, &demo, NULL}, {NULL, 0, NULL, NULL, NULL}};
	hf_db *db = NULL;
	hf_error err;
	hf_unit *units = NULL;
	hf_key *keys = NULL;
	hf_ledger_sum *sums = NULL;
	size_t nu = 0, nk = 0, ns = 0;
	hf_ledger_filter f = hf_ledger_filter_all();

	rc = hf_opts_parse(cli, "init", argc, argv, opts, help_de, help_en, pos,
			   0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = hf_cli_open(cli, HF_DB_CREATE, &db)) != 0)
		return rc;
	hf_error_init(&err, cli->lang);
	if (hf_refdata_load(db, demo, cli->user, cli->now, &err) < 0 ||
	    hf_db_unit_list(db, NULL, &units, &nu, &err) < 0 ||
	    hf_db_key_list(db, &keys, &nk, &err) < 0 ||
	    hf_db_ledger_aggregate(db, &f, 0, &sums, &ns, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	fprintf(cli->out,
		TR(cli,
		   "%s angelegt: %zu Einheiten, %zu Schlüssel, %zu Einträge im "
		   "Register%s.\n",
		   "%s created: %zu units, %zu keys, %zu ledger entries%s.\n"),
		cli->db, nu, nk, ns ? (size_t)sums[0].entries : 0,
		demo ? TR(cli, " (Demo, illustrativ)", " (demo, illustrative)")
		     : "");
out:
	free(sums);
	free(keys);
	free(units);
	hf_db_close(db);
	return rc;
}
