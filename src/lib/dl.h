/*
 * dl.h: libraries loaded on first use (dlopen) rather than when a program
 * linked with hafen starts. On the machine of bench/RESULTS.md mapping and
 * relocating a library and those it needs costs about 0.4 ms each; libpq
 * (with Kerberos, LDAP, SASL, OpenSSL and GnuTLS behind it),
 * libmicrohttpd (GnuTLS), libzip and libxlsxwriter (OpenSSL's libcrypto)
 * made `hafen --help` take 17 ms, of which 3 ms are its own. A command
 * that needs none of them (a quota, a match on SQLite) no longer pays for
 * them; one that does loads them once.
 *
 * The module that owns a library lists the functions it calls in an
 * X-macro, keeps a struct of pointers to them, and names them by macros
 * so its code reads as calls of the library:
 *
 *	#define HF_PQ_FUNCS(X, a) X(a, PQexec) X(a, PQclear)
 *	struct hf__pq_api { HF_PQ_FUNCS(HF_DL_MEMBER, _) };
 *	#define PQexec (hf__pq.p_PQexec)
 *
 * defines the pointers and the library's tables where it loads them,
 *
 *	struct hf__pq_api hf__pq;
 *	HF_DL_LIBRARY(pq_lib, HF_PQ_FUNCS, hf__pq, "libpq.so.5", "libpq5",
 *		      "Der PostgreSQL-Client", "The PostgreSQL client");
 *
 * and calls hf__dl_load(&pq_lib, ...) before the first of them.
 */
#ifndef HAFEN_DL_H
#define HAFEN_DL_H

#include <stddef.h>

#include "hafen/error.h"

/* a member of the struct of pointers: one to the library's own function */
#define HF_DL_MEMBER(a, f) __typeof__(f) *p_##f;
/* entries of a library's tables: its name, and where its pointer is */
#define HF_DL_NAME(a, f) #f,
#define HF_DL_SLOT(a, f) (void *)&a.p_##f,

typedef struct hf__dl {
	const char *soname;  /* e.g. "libpq.so.5" */
	const char *package; /* the Debian package that has it */
	const char *what_de; /* what it is, for the error */
	const char *what_en;
	const char *const *names; /* the functions, in the order of slots */
	void *const *slots;	  /* the address of each function pointer */
	size_t n;
	int state; /* 0 not tried, 1 loaded, -1 failed (why) */
	char why[256];
} hf__dl;

/* The tables of a library and var, the hf__dl that loads it: FUNCS is
 * its X-macro, api the struct of pointers it fills. */
#define HF_DL_LIBRARY(var, FUNCS, api, soname, package, what_de, what_en)      \
	static const char *const var##_names[] = {FUNCS(HF_DL_NAME, api)};     \
	static void *const var##_slots[] = {FUNCS(HF_DL_SLOT, api)};           \
	static hf__dl var = {soname,                                           \
			     package,                                          \
			     what_de,                                          \
			     what_en,                                          \
			     var##_names,                                      \
			     var##_slots,                                      \
			     sizeof var##_names / sizeof *var##_names,         \
			     0,                                                \
			     ""}

/* Loads d's library and fills its pointers, once per process
 * (thread-safe); later calls return at once. Where the library is missing
 * or lacks a function: HF_EIO, naming it and its package, with field as
 * the error's field, every time. */
int hf__dl_load(hf__dl *d, const char *field, hf_error *err);

#endif
