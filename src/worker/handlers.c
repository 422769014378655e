/*
 * handlers.c - the engines a worker can run, by name.
 *
 * Engines register themselves with worker_register_handler() before any
 * pool or worker_main() looks one up; the latest registration of a name wins.
 */
#include "worker/internal.h"

#include <string.h>

#define MAX_REGISTERED 16

static const struct stage_handler *registered[MAX_REGISTERED];
static size_t nr_registered;

void worker_register_handler(const struct stage_handler *h)
{
	if (nr_registered == ARRAY_SIZE(registered))
		BUG("more than %d stage handlers registered", MAX_REGISTERED);
	registered[nr_registered++] = h;
}

const struct stage_handler *worker_find_handler(const char *name)
{
	for (size_t i = nr_registered; i > 0; i--)
		if (!strcmp(registered[i - 1]->name, name))
			return registered[i - 1];
	return NULL;
}
