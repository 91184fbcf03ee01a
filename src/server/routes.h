/*
 * routes.h: the route tables of the API files, one per file, each ending
 * in an entry with method NULL; routes.c joins them into hf_routes.
 */
#ifndef HAFEN_ROUTES_H
#define HAFEN_ROUTES_H

#include <stdlib.h>

#include "server.h"

extern const hf_route hf_routes_auth[];
extern const hf_route hf_routes_units[];
extern const hf_route hf_routes_ledger[];
extern const hf_route hf_routes_quota[];
extern const hf_route hf_routes_programme[];
extern const hf_route hf_routes_admin[];
extern const hf_route hf_routes_allocate[];
extern const hf_route hf_routes_import[];
extern const hf_route hf_routes_export[];
extern const hf_route hf_routes_match[];

#endif
