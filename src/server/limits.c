/*
 * limits.c: failed sign-ins counted per account ("u:NAME") and per client
 * address ("a:ADDR") in a fixed table, each over a window of
 * login_window seconds; a full table forgets the oldest window first.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server_int.h"

static limiter_slot *slot_of(hf_srv *s, const char *key, int64_t now,
			     int create)
{
	uint32_t h = 2166136261u;
	limiter_slot *x, *free_slot = NULL, *oldest = NULL;
	const char *p;
	size_t k;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	/* the key's slot is one of 8 after its hash; a new key takes an
	 * empty or expired one, else the oldest window is forgotten */
	for (k = 0; k < 8; k++) {
		x = &s->lim[(h + k) % LIMITER_SLOTS];
		if (!strcmp(x->key, key)) {
			if (now - x->since >= s->cfg.login_window) {
				x->failures = 0;
				x->since = now;
			}
			return x;
		}
		if (!free_slot &&
		    (!x->key[0] || now - x->since >= s->cfg.login_window))
			free_slot = x;
		if (!oldest || x->since < oldest->since)
			oldest = x;
	}
	if (!create)
		return NULL;
	x = free_slot ? free_slot : oldest;
	snprintf(x->key, sizeof x->key, "%s", key);
	x->failures = 0;
	x->since = now;
	return x;
}

static void keys(const char *name, const char *addr, char *uk, char *ak,
		 size_t size)
{
	snprintf(uk, size, "u:%s", name ? name : "");
	snprintf(ak, size, "a:%s", addr ? addr : "");
}

int hf_srv_login_allowed(hf_srv *s, const char *name, const char *addr,
			 int64_t *retry_after)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	int64_t now = time(NULL), wait = 0;
	limiter_slot *u, *a;

	keys(name, addr, uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	u = slot_of(s, uk, now, 0);
	a = slot_of(s, ak, now, 0);
	if (u && u->failures >= s->cfg.login_limit)
		wait = u->since + s->cfg.login_window - now;
	if (a && a->failures >= 4 * s->cfg.login_limit &&
	    a->since + s->cfg.login_window - now > wait)
		wait = a->since + s->cfg.login_window - now;
	pthread_mutex_unlock(&s->lim_lock);
	*retry_after = wait > 0 ? wait : 1;
	return wait <= 0;
}

void hf_srv_login_failed(hf_srv *s, const char *name, const char *addr)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	int64_t now = time(NULL);
	limiter_slot *x;

	keys(name, addr, uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	if ((x = slot_of(s, uk, now, 1)))
		x->failures++;
	if ((x = slot_of(s, ak, now, 1)))
		x->failures++;
	pthread_mutex_unlock(&s->lim_lock);
}

void hf_srv_login_succeeded(hf_srv *s, const char *name)
{
	char uk[HF_USER_MAX + 8], ak[HF_USER_MAX + 8];
	limiter_slot *x;

	keys(name, "", uk, ak, sizeof uk);
	pthread_mutex_lock(&s->lim_lock);
	if ((x = slot_of(s, uk, time(NULL), 0)))
		x->failures = 0;
	pthread_mutex_unlock(&s->lim_lock);
}
