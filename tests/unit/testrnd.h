/* testrnd.h: the seeded generator of the unit tests' random cases. */
#ifndef HAFEN_TEST_RND_H
#define HAFEN_TEST_RND_H

#include <stdint.h>

/* xorshift64: advances *s (never 0) and returns it; a test keeps its own
 * state and seed, so every run draws the same cases. */
static inline uint64_t test_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
