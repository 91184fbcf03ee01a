/*
 * dl.c: libraries loaded on first use (see dl.h).
 */
#include "dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

static void dl_open(hf__dl *d)
{
	void *h = dlopen(d->soname, RTLD_NOW | RTLD_LOCAL), *sym;
	size_t k;
	if (!h) {
		const char *e = dlerror();
		snprintf(d->why, sizeof d->why, "%s", e ? e : d->soname);
		d->state = -1;
		return;
	}
	for (k = 0; k < d->n; k++) {
		if (!(sym = dlsym(h, d->names[k]))) {
			snprintf(d->why, sizeof d->why, "%s: %s", d->soname,
				 d->names[k]);
			d->state = -1;
			dlclose(h);
			return;
		}
		/* a function pointer from dlsym's void * by copying its
		 * bytes, as POSIX allows and ISO C does not by a cast */
		memcpy(d->slots[k], &sym, sizeof sym);
	}
	d->state = 1; /* h stays open for the life of the process */
}

int hf__dl_load(hf__dl *d, const char *field, hf_error *err)
{
	int state;
	pthread_mutex_lock(&dl_lock);
	if (!d->state)
		dl_open(d);
	state = d->state;
	pthread_mutex_unlock(&dl_lock);
	if (state > 0)
		return HF_OK;
	return hf_error_set(err, HF_EIO, field,
			    "%s lässt sich nicht laden: %s. Bitte das Paket "
			    "%s installieren (apt-get install %s).",
			    "%s cannot be loaded: %s. Please install the "
			    "package %s (apt-get install %s).",
			    err ? hf_tr(err->lang, d->what_de, d->what_en)
				: d->what_en,
			    d->why, d->package, d->package);
}
