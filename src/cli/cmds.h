/* cmds.h: the subcommands of the hafen command, one file each. */
#ifndef HAFEN_CMDS_H
#define HAFEN_CMDS_H

#include "cli.h"

int hf_cmd_init(hf_cli *cli, int argc, char **argv);
int hf_cmd_unit(hf_cli *cli, int argc, char **argv);
int hf_cmd_indicator(hf_cli *cli, int argc, char **argv);
int hf_cmd_key(hf_cli *cli, int argc, char **argv);
int hf_cmd_standing(hf_cli *cli, int argc, char **argv);
int hf_cmd_record(hf_cli *cli, int argc, char **argv);
int hf_cmd_ledger(hf_cli *cli, int argc, char **argv);
int hf_cmd_correct(hf_cli *cli, int argc, char **argv);
int hf_cmd_quota(hf_cli *cli, int argc, char **argv);
int hf_cmd_admissions(hf_cli *cli, int argc, char **argv);
int hf_cmd_explain(hf_cli *cli, int argc, char **argv);
int hf_cmd_answer(hf_cli *cli, int argc, char **argv);
int hf_cmd_simulate(hf_cli *cli, int argc, char **argv);
int hf_cmd_allocate(hf_cli *cli, int argc, char **argv);
int hf_cmd_match(hf_cli *cli, int argc, char **argv);
int hf_cmd_programme(hf_cli *cli, int argc, char **argv);
int hf_cmd_pledge(hf_cli *cli, int argc, char **argv);
int hf_cmd_transfer(hf_cli *cli, int argc, char **argv);

/* Parses the options quota and explain share (period required, the others
 * NULL when not given). Prints what is wrong and returns its exit code,
 * else 0. */
int hf_cli_quota_options(hf_cli *cli, const char *cmd, const char *period,
			 const char *method, const char *contingent,
			 const char *carry, hf_period *p, hf_quota_options *o);

/* Opens cli->db; on error prints it and returns the exit code, else 0. */
int hf_cli_open(hf_cli *cli, int flags, hf_db **db);

#endif
