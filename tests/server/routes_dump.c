/* routes_dump.c: prints every route of hafen serve's table ("GET
 * /api/units/{code}"), so test_api.py can check that the OpenAPI document
 * describes each route and only routes that exist. */
#include <stdio.h>

#include "server.h"

int main(void)
{
	const hf_route *r;
	size_t t;

	for (t = 0; hf_route_tables[t]; t++)
		for (r = hf_route_tables[t]; r->method; r++)
			printf("%s %s\n", r->method, r->pattern);
	return 0;
}
