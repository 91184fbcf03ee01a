/*
 * hafen/audit.h: the audit log: who changed what and when, and who read
 * household-level data.
 *
 * Every write of the database API (units, keys, standing credits, ledger
 * entries and corrections, transfers, programmes, pledges, accounts) adds
 * one row to the log in the same transaction as the write: a write without
 * its row cannot be committed. The actor is set on the handle by the front
 * end (the command's --user, the web session's account). Front ends add
 * rows of their own for reads of household ids and for logins. The log is
 * append-only, in SQL too.
 *
 *     hf_db_set_actor(db, "kiel", 0);          // 0: the clock at each write
 *     hf_db_ledger_append(db, &entry, 1, &err); // logs "ledger.record"
 */
#ifndef HAFEN_AUDIT_H
#define HAFEN_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "hafen/db.h"
#include "hafen/error.h"
#include "hafen/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HF_AUDIT_ACTION_MAX  32
#define HF_AUDIT_OBJECT_MAX  96
#define HF_AUDIT_DETAILS_MAX 512

typedef struct hf_audit_entry {
	int64_t id;
	int64_t at; /* seconds since 1970, UTC */
	char user[HF_USER_MAX];
	/* "ledger.record", "ledger.correct", "ledger.read", "user.add", ... */
	char action[HF_AUDIT_ACTION_MAX];
	char object[HF_AUDIT_OBJECT_MAX];   /* "ledger:2475", "unit:01003000" */
	char details[HF_AUDIT_DETAILS_MAX]; /* key=value pairs */
} hf_audit_entry;

/*
 * Who the writes of this handle are made by and when: at 0 takes the
 * clock at each write (a test or a replay passes a fixed time). Until set,
 * the actor is "" (unknown). user is copied (cut to HF_USER_MAX - 1).
 */
void hf_db_set_actor(hf_db *db, const char *user, int64_t at);

/* Adds a row by the handle's actor (fields too long are cut with "…"). */
int hf_db_audit_add(hf_db *db, const char *action, const char *object,
		    const char *details, hf_error *err);

typedef struct hf_audit_filter {
	const char *user;   /* or NULL */
	const char *action; /* prefix: "ledger." takes every ledger row */
	int64_t from, to;   /* seconds, inclusive; 0 for open */
	int64_t after_id;   /* rows with a larger id only, or 0 */
	size_t limit;	    /* at most this many (the newest), 0 for all */
} hf_audit_filter;

/* Rows matching f, by id (oldest first; with a limit the newest limit
 * rows, still oldest first). The caller frees *out with free(). */
int hf_db_audit_list(hf_db *db, const hf_audit_filter *f, hf_audit_entry **out,
		     size_t *n, hf_error *err);

#ifdef __cplusplus
}
#endif
#endif
