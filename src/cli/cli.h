/*
 * cli.h: what the subcommands of the hafen command share.
 *
 * Each subcommand is one file cmd_<name>.c with one entry point
 * `int hf_cmd_<name>(hf_cli *cli, int argc, char **argv)` that returns the
 * exit code (0 ok, 1 usage, 2 data error, 3 storage error). argv[0] is the
 * subcommand's name; global options (--db, --lang, --format) are already
 * taken out and stored in cli. Subcommands call the library only.
 */
#ifndef HAFEN_CLI_H
#define HAFEN_CLI_H

#include <stdio.h>

#include "hafen/hafen.h"

typedef enum hf_format {
	HF_FORMAT_TABLE, /* aligned table for people (default) */
	HF_FORMAT_CSV,   /* comma-separated, for scripts */
	HF_FORMAT_JSON,  /* exact JSON: fractions as "num/den" strings */
	HF_FORMAT_XLSX   /* a workbook written to --out */
} hf_format;

typedef struct hf_cli {
	hf_lang lang;
	hf_format format;
	const char *db;   /* --db, else HAFEN_DB, else ./hafen.db */
	const char *user; /* --user, else HAFEN_USER, else USER */
	long long now;    /* HAFEN_NOW (seconds) for reproducible tests, else time() */
	const char *outpath; /* --out FILE, or NULL for stdout */
	FILE *out;
	FILE *err;
} hf_cli;

/* Prints the error (where: message) to cli->err and returns its exit class. */
int hf_cli_fail(hf_cli *cli, const hf_error *err);
/* Prints a usage error with a hint to --help and returns 1. */
int hf_cli_usage(hf_cli *cli, const char *cmd, const char *de, const char *en,
		 ...);
/* Chooses the text for the session's language. */
#define TR(cli, de, en) hf_tr((cli)->lang, (de), (en))

#endif
