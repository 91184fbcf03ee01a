/* routes.c: every route of the API, table by table; an exact path comes
 * before a pattern that would also match it. */
#include "routes.h"

const hf_route *const hf_route_tables[] = {
    hf_routes_auth,
    hf_routes_units,
    hf_routes_ledger,
    hf_routes_quota,
    hf_routes_programme,
    hf_routes_admin,
    hf_routes_allocate,
    hf_routes_import,
    hf_routes_export,
    hf_routes_match,
    NULL,
};
