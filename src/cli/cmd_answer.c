/* cmd_answer.c: hafen answer: the report that answers a council inquiry */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmds.h"
#include "opts.h"
#include "out.h"

static const char help_de[] =
	"Aufruf: hafen answer --unit CODE --since DATUM [--until DATUM]\n\n"
	"Der Bericht für eine Anfrage aus Rat oder Kreistag: Zugänge der\n"
	"Einheit seit dem Datum nach Kategorie und Jahr, dasselbe für die\n"
	"weiteren Mitglieder ihrer Bündnisse (z. B. »Sichere Häfen«) im Land,\n"
	"und je Jahr, ob die Einheit über oder unter ihrem Aufnahmesoll liegt\n"
	"und um wie viel. Markdown mit deutschen Überschriften (--lang en für\n"
	"Englisch), --format json für Programme. Ohne --until: bis heute.\n";
static const char help_en[] =
	"Usage: hafen answer --unit CODE --since DATE [--until DATE]\n\n"
	"The report that answers a council inquiry: the unit's admissions\n"
	"since the date by category and year, the same for the fellow members\n"
	"of its alliances (e.g. \"Sichere Häfen\") in its Land, and per year\n"
	"whether the unit is above or below its quota and by how much.\n"
	"Markdown with German headings by default (--lang en for English),\n"
	"--format json for programs. Without --until: up to today.\n";

static json_t *jrat(hf_rat r)
{
	char buf[48];
	hf_rat_format(r, buf, sizeof buf);
	return json_string(buf);
}

static json_t *junit(const hf_answer_unit *u, int quotas)
{
	json_t *o = json_object(), *years = json_array();
	size_t i;
	int c;

	json_object_set_new(o, "unit", json_string(u->unit.code));
	json_object_set_new(o, "name", json_string(u->unit.name));
	for (i = 0; i < u->nyears; i++) {
		const hf_answer_year *y = &u->years[i];
		json_t *jy = json_object(), *cats = json_object();
		json_object_set_new(jy, "year", json_integer(y->year));
		for (c = 0; c < HF_CAT_COUNT; c++)
			json_object_set_new(cats,
					    hf_category_slug((hf_category)c),
					    json_integer(y->persons[c]));
		json_object_set_new(jy, "persons", cats);
		if (quotas) {
			if (y->has_quota) {
				json_object_set_new(jy, "key",
						    json_string(y->key));
				json_object_set_new(jy, "quota",
						    jrat(y->quota));
				json_object_set_new(jy, "credited",
						    jrat(y->credited));
				json_object_set_new(jy, "balance",
						    jrat(y->balance));
				json_object_set_new(
					jy, "percent",
					y->has_percent ? jrat(y->percent)
						       : json_null());
			} else {
				json_object_set_new(jy, "key", json_null());
			}
		}
		json_array_append_new(years, jy);
	}
	json_object_set_new(o, "years", years);
	return o;
}

int hf_cmd_answer(hf_cli *cli, int argc, char **argv)
{
	const char *pos[1], *unit = NULL, *since = NULL, *until = NULL;
	hf_opt opts[] = {
		{"unit", HF_OPT_VALUE, &unit, NULL, NULL},
		{"since", HF_OPT_VALUE, &since, NULL, NULL},
		{"until", HF_OPT_VALUE, &until, NULL, NULL},
		{NULL, 0, NULL, NULL, NULL},
	};
	hf_answer *a = NULL;
	hf_db *db = NULL;
	hf_error err;
	hf_date d0, d1;
	char *text = NULL;
	int npos, rc;

	rc = hf_opts_parse(cli, "answer", argc, argv, opts, help_de, help_en,
			   pos, 0, &npos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!unit || !since)
		return hf_cli_usage(cli, "answer",
				    "--unit CODE und --since DATUM sind nötig.",
				    "--unit CODE and --since DATE are needed.");
	if ((rc = hf_opts_date(cli, "answer", "since", since, &d0)) != 0)
		return rc;
	if (until) {
		if ((rc = hf_opts_date(cli, "answer", "until", until, &d1)) != 0)
			return rc;
	} else {
		d1 = hf_date_of_time(cli->now);
	}
	hf_error_init(&err, cli->lang);
	if ((rc = hf_cli_open(cli, HF_DB_READONLY, &db)) != 0)
		return rc;
	if (hf_answer_compute(db, unit, d0, d1, &a, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
		goto out;
	}
	if (cli->format == HF_FORMAT_JSON) {
		json_t *root = json_object(), *members = json_array();
		char b0[11], b1[11];
		size_t i;
		hf_date_format(a->since, b0);
		hf_date_format(a->until, b1);
		json_object_set_new(root, "since", json_string(b0));
		json_object_set_new(root, "until", json_string(b1));
		json_object_set_new(root, "alliances",
				    json_string(a->alliances));
		json_object_set_new(root, "subject", junit(&a->subject, 1));
		for (i = 0; i < a->nmembers; i++)
			json_array_append_new(members,
					      junit(&a->members[i], 0));
		json_object_set_new(root, "members", members);
		rc = hf_out_print_json(cli, root);
	} else if (hf_answer_markdown(a, cli->lang, &text, &err) < 0) {
		rc = hf_cli_fail(cli, &err);
	} else {
		fputs(text, cli->out);
	}
out:
	free(text);
	hf_answer_free(a);
	hf_db_close(db);
	return rc;
}
