/*
 * cache.c: answers of aggregate reads and sessions just checked, by key,
 * in a fixed table. An entry holds while no write went through the server
 * since the read that made it, and HF_CACHE_MAX_AGE_MS at most.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_int.h"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static cache_slot *cache_slot_of(hf_srv *s, const char *key)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &s->cache[h % CACHE_SLOTS];
}

char *hf_cache_get(hf_srv *s, const char *key, size_t *len)
{
	cache_slot *c = cache_slot_of(s, key);
	char *copy = NULL;

	pthread_mutex_lock(&s->cache_lock);
	if (c->body && !strcmp(c->key, key) && c->gen == atomic_load(&s->gen) &&
	    now_ms() - c->at_ms < HF_CACHE_MAX_AGE_MS &&
	    (copy = malloc(c->len + 1))) {
		memcpy(copy, c->body, c->len + 1);
		*len = c->len;
	}
	pthread_mutex_unlock(&s->cache_lock);
	return copy;
}

void hf_cache_put(hf_srv *s, const char *key, const char *body, size_t len,
		  uint64_t gen)
{
	cache_slot *c = cache_slot_of(s, key);
	char *copy = malloc(len + 1);

	if (!copy || strlen(key) >= sizeof c->key) {
		free(copy);
		return;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	pthread_mutex_lock(&s->cache_lock);
	free(c->body);
	c->body = copy;
	c->len = len;
	snprintf(c->key, sizeof c->key, "%s", key);
	/* the generation seen before the read: a write that raced the read
	 * has bumped it since, and the entry is old at once */
	c->gen = gen;
	c->at_ms = now_ms();
	pthread_mutex_unlock(&s->cache_lock);
}
