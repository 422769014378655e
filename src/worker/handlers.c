/*
 * handlers.c - the engines a worker can run, by name.
 *
 * builtin[] is the program's table: an engine module defines its
 * `const struct stage_handler` and adds one extern line and one entry here.
 * worker_register_handler() adds more at run time (before any pool or
 * worker_main() uses the table) and wins over the table on a name clash.
 */
#include "worker/internal.h"

#include <string.h>

static const struct stage_handler *const builtin[] = {
	NULL
};

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
	for (size_t i = 0; builtin[i]; i++)
		if (!strcmp(builtin[i]->name, name))
			return builtin[i];
	return NULL;
}
