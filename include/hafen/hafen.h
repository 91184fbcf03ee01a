/*
 * hafen/hafen.h: the whole public API of libhafen.
 *
 * hafen computes quotas from distribution keys, keeps the ledger of
 * admissions, credits special admissions against quotas, allocates arrivals
 * and matches households to municipalities. Exact arithmetic throughout.
 */
#ifndef HAFEN_HAFEN_H
#define HAFEN_HAFEN_H

#include "hafen/allocate.h"
#include "hafen/answer.h"
#include "hafen/apportion.h"
#include "hafen/csv.h"
#include "hafen/date.h"
#include "hafen/db.h"
#include "hafen/error.h"
#include "hafen/explain.h"
#include "hafen/key.h"
#include "hafen/ledger.h"
#include "hafen/match.h"
#include "hafen/npy.h"
#include "hafen/programme.h"
#include "hafen/quota.h"
#include "hafen/rat.h"
#include "hafen/refdata.h"
#include "hafen/report.h"
#include "hafen/unit.h"

#endif
