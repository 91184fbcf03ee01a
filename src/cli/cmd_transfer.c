/* cmd_transfer.c: hafen transfer: Umverteilung as two paired entries */
#include <string.h>

#include "cmds.h"
#include "opts.h"

static const char help_de[] =
    "Aufruf: hafen transfer --from CODE --to CODE --persons N --date DATUM\n"
    "        [--household ID] [--reference AKTENZEICHEN]\n\n"
    "Verteilt Personen von einer Einheit auf eine andere um: ein Abgang\n"
    "(umverteilung-ab) bei --from und ein Zugang (umverteilung-zu) bei\n"
    "--to, die einander nennen (Spalte pair in hafen ledger), in einem\n"
    "Schritt: entweder beide oder keiner. Zusammen ändern sie die Summe\n"
    "der beiden Einheiten nicht.\n";
static const char help_en[] =
    "Usage: hafen transfer --from CODE --to CODE --persons N --date DATE\n"
    "        [--household ID] [--reference FILE-NO]\n\n"
    "Transfers persons from one unit to another: an entry out\n"
    "(transfer-out) at --from and an entry in (transfer-in) at --to that\n"
    "name each other (column pair in hafen ledger), in one step: both or\n"
    "neither. Together they leave the sum of the two units unchanged.\n";

int hf_cmd_transfer(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *from = NULL, *to = NULL, *persons = NULL,
			    *date = NULL, *household = NULL, *reference = NULL;
	hf_opt opts[] = {
	    {"from", HF_OPT_VALUE, &from, NULL, NULL},
	    {"to", HF_OPT_VALUE, &to, NULL, NULL},
	    {"persons", HF_OPT_VALUE, &persons, NULL, NULL},
	    {"date", HF_OPT_VALUE, &date, NULL, NULL},
	    {"household", HF_OPT_VALUE, &household, NULL, NULL},
	    {"reference", HF_OPT_VALUE, &reference, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL},
	};
	hf_db *db = NULL;
	hf_error err;
	hf_date d;
	long long p;
	int64_t out_id = 0, in_id = 0;
	int npos, rc;

	rc = hf_opts_parse(cli, "transfer", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!from || !to || !persons || !date)
		return hf_cli_usage(cli, "transfer",
				    "--from, --to, --persons und --date sind "
				    "nötig.",
				    "--from, --to, --persons and --date are "
				    "needed.");
	if ((rc = hf_opts_int(cli, "transfer", "persons", persons, &p)) != 0 ||
	    (rc = hf_opts_date(cli, "transfer", "date", date, &d)) != 0)
		return rc;
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, 0, &db)) != 0)
		return rc;
	if (hf_db_transfer(db, from, to, p, d, household, reference, cli->user,
			   cli->now, &out_id, &in_id, &err) < 0)
		rc = hf_cli_fail(cli, &err);
	else if (cli->format == HF_FORMAT_JSON)
		fprintf(cli->out, "{\"out\": %lld, \"in\": %lld}\n",
			(long long)out_id, (long long)in_id);
	else
		fprintf(cli->out,
			TR(cli,
			   "Umverteilung gespeichert: Abgang Eintrag %lld "
			   "(%s), Zugang Eintrag %lld (%s).\n",
			   "Transfer recorded: out entry %lld (%s), in entry "
			   "%lld (%s).\n"),
			(long long)out_id, from, (long long)in_id, to);
	hf_db_close(db);
	return rc;
}
