/*
 * hafen/refdata.h: the reference data bundled with hafen (data/ in the
 * source tree, embedded in the library at build time).
 *
 * The 16 Länder, the Königsteiner Schlüssel as published (2015, 2017),
 * Schleswig-Holstein's 15 Kreise and kreisfreie Städte with population at
 * 31.12.2019 and the population key computed from it, alliance memberships,
 * and, on request, an illustrative demo ledger. Every file names its source
 * and reference date.
 */
#ifndef HAFEN_REFDATA_H
#define HAFEN_REFDATA_H

#include <stdint.h>

#include "hafen/db.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Loads the reference data (and with demo the demo ledger, recorded by user
 * at time now) in one transaction. HF_EEXIST if the database holds units
 * already: reference data is loaded once, into an empty database.
 */
int hf_refdata_load(hf_db *db, int demo, const char *user, int64_t now,
		    hf_error *err);

/* The text of a bundled file ("units.csv"), or NULL. */
const char *hf_refdata_file(const char *name, size_t *size);

#ifdef __cplusplus
}
#endif
#endif
