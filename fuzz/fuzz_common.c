/* fuzz_common.c - helpers for the fuzz targets; see fuzz.h. */
#include "fuzz.h"
#include "util/pc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	return pc_strndup((const char *)data, size);
}

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}
