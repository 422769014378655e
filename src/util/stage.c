/* stage.c - stage names; see stage.h. */
#include "util/stage.h"

#include <string.h>

static const char *const stage_names[STAGE__COUNT] = {
	"startup", "config", "fetch", "parse", "download",
	"decode", "transcribe", "speakers", "summarize", "write",
};

const char *stage_name(enum stage s)
{
	if ((unsigned)s >= STAGE__COUNT)
		return "unknown";
	return stage_names[s];
}

int stage_from_name(const char *name)
{
	for (int i = 0; i < STAGE__COUNT; i++)
		if (!strcmp(stage_names[i], name))
			return i;
	return -1;
}
