/*
 * opts.h: option parsing for subcommands: "--name value", "--name=value",
 * flags, repeatable options, positional arguments and --help.
 */
#ifndef HAFEN_OPTS_H
#define HAFEN_OPTS_H

#include "cli.h"

#define HF_OPT_MAX_REPEAT 64

typedef struct hf_opt {
	const char *name;   /* without "--" */
	int kind;           /* HF_OPT_VALUE, HF_OPT_FLAG, HF_OPT_LIST */
	const char **value; /* VALUE: where the value goes */
	int *flag;          /* FLAG: set to 1; LIST: the count */
	const char **list;  /* LIST: HF_OPT_MAX_REPEAT values */
} hf_opt;

enum { HF_OPT_VALUE, HF_OPT_FLAG, HF_OPT_LIST };

/*
 * Parses argv[1..] of a subcommand. Positional arguments go to pos (at most
 * maxpos, count in *npos). Returns 0 to go on, -1 when help was printed
 * (exit 0), or 1 after a usage error was printed.
 */
int hf_opts_parse(hf_cli *cli, const char *cmd, int argc, char **argv,
		  const hf_opt *opts, const char *help_de, const char *help_en,
		  const char **pos, int maxpos, int *npos);

/* Parses a whole number option; prints a data error and returns 2 if it is
 * not one, else 0. */
int hf_opts_int(hf_cli *cli, const char *cmd, const char *name,
		const char *v, long long *out);
/* Parses a whole number option that must be at least 1; prints the usage
 * error "--NAME must be positive" and returns 1 if it is below, else as
 * hf_opts_int. */
int hf_opts_positive(hf_cli *cli, const char *cmd, const char *name,
		     const char *v, long long *out);
/* Parses a date option the same way. */
int hf_opts_date(hf_cli *cli, const char *cmd, const char *name,
		 const char *v, hf_date *out);

#endif
