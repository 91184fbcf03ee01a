/* opts.c: option parsing shared by the subcommands. */
#include "opts.h"

#include <string.h>

int hf_opts_parse(hf_cli *cli, const char *cmd, int argc, char **argv,
		  const hf_opt *opts, const char *help_de, const char *help_en,
		  const char **pos, int maxpos, int *npos)
{
	int i, only_pos = 0;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		const hf_opt *o;
		size_t len;

		if (!only_pos && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			fputs(TR(cli, help_de, help_en), cli->out);
			return -1;
		}
		if (!only_pos && !strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (only_pos || strncmp(a, "--", 2) || !a[2]) {
			if (*npos >= maxpos)
				return hf_cli_usage(
					cli, cmd, "zu viele Argumente (%s).",
					"too many arguments (%s).", a);
			pos[(*npos)++] = a;
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (o = opts; o && o->name; o++)
			if (strlen(o->name) == len && !strncmp(o->name, a, len))
				break;
		if (!o || !o->name)
			return hf_cli_usage(cli, cmd, "unbekannte Option --%.*s.",
					    "unknown option --%.*s.", (int)len,
					    a);
		if (o->kind == HF_OPT_FLAG) {
			if (eq)
				return hf_cli_usage(
					cli, cmd, "--%s nimmt keinen Wert.",
					"--%s takes no value.", o->name);
			*o->flag = 1;
			continue;
		}
		if (!eq && i + 1 >= argc)
			return hf_cli_usage(cli, cmd, "--%s braucht einen Wert.",
					    "--%s needs a value.", o->name);
		if (o->kind == HF_OPT_VALUE) {
			*o->value = eq ? eq + 1 : argv[++i];
		} else {
			if (*o->flag >= HF_OPT_MAX_REPEAT)
				return hf_cli_usage(cli, cmd,
						    "--%s zu oft angegeben.",
						    "--%s given too often.",
						    o->name);
			o->list[(*o->flag)++] = eq ? eq + 1 : argv[++i];
		}
	}
	return 0;
}

int hf_opts_int(hf_cli *cli, const char *cmd, const char *name,
		const char *v, long long *out)
{
	int64_t x;
	if (hf_int_parse(v, &x) < 0) {
		fprintf(cli->err,
			TR(cli, "hafen %s: --%s: »%s« ist keine ganze Zahl.\n",
			   "hafen %s: --%s: '%s' is not a whole number.\n"),
			cmd, name, v);
		return 2;
	}
	*out = x;
	return 0;
}

int hf_opts_positive(hf_cli *cli, const char *cmd, const char *name,
		     const char *v, long long *out)
{
	int rc = hf_opts_int(cli, cmd, name, v, out);

	if (rc == 0 && *out < 1)
		return hf_cli_usage(cli, cmd, "--%s muss positiv sein.",
				    "--%s must be positive.", name);
	return rc;
}

int hf_opts_date(hf_cli *cli, const char *cmd, const char *name,
		 const char *v, hf_date *out)
{
	int rc = hf_date_parse(v, out);
	if (rc == HF_EPARSE)
		fprintf(cli->err,
			TR(cli,
			   "hafen %s: --%s: »%s« ist kein Datum (JJJJ-MM-TT "
			   "oder TT.MM.JJJJ).\n",
			   "hafen %s: --%s: '%s' is not a date (YYYY-MM-DD or "
			   "DD.MM.YYYY).\n"),
			cmd, name, v);
	else if (rc < 0)
		fprintf(cli->err,
			TR(cli, "hafen %s: --%s: den Tag %s gibt es nicht.\n",
			   "hafen %s: --%s: there is no day %s.\n"),
			cmd, name, v);
	return rc < 0 ? 2 : 0;
}
