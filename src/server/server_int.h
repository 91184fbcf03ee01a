/*
 * server_int.h: the server's shared state, for server.c (the daemon, the
 * handle pool, dispatch), limits.c (failed sign-ins) and cache.c (answers
 * and sessions of aggregate reads). The routes see none of it.
 */
#ifndef HAFEN_SERVER_INT_H
#define HAFEN_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "server.h"

#define LIMITER_SLOTS 1024
#define CACHE_SLOTS   256

typedef struct cache_slot {
	char key[256];
	char *body;
	size_t len;
	uint64_t gen;
	int64_t at_ms;
} cache_slot;

typedef struct limiter_slot {
	char key[HF_USER_MAX + 8];
	unsigned failures;
	int64_t since;
} limiter_slot;

struct hf_srv {
	hf_srv_config cfg;
	struct MHD_Daemon *mhd;
	/* the database handles: free[0..nfree) are idle */
	hf_db **dbs, **free;
	size_t ndbs, nfree;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
	atomic_int in_flight;
	/* answers of aggregate reads; gen counts the writes served */
	pthread_mutex_t cache_lock;
	cache_slot cache[CACHE_SLOTS];
	atomic_uint_fast64_t gen;
	/* failed logins by account ("u:") and client address ("a:") */
	pthread_mutex_t lim_lock;
	limiter_slot lim[LIMITER_SLOTS];
};

#endif
