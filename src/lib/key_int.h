/*
 * key_int.h: a key's recipe and crediting rules as text, as the bundled
 * data files and imports write them: "population=9/10|area=1/10",
 * "regulaer=1|sicherer-hafen=1". Defined in key.c.
 */
#ifndef HAFEN_KEY_INT_H
#define HAFEN_KEY_INT_H

#include "hafen/key.h"

/* Appends the weights to k->weights. HF_EINVAL names the bad one. */
int hf__key_parse_weights(const char *s, hf_key *k, hf_error *err);
/* Sets every category's weight: those named, the others 0. */
int hf__key_parse_credits(const char *s, hf_rat credit[HF_CAT_COUNT],
			  hf_error *err);

#endif
