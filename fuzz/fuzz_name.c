/*
 * fuzz_name.c - store_safe_name() keeps its promises on any bytes: never
 * empty, at most max bytes, no path separator, no leading dot, no '_' at
 * either end.
 */
#include "fuzz.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static void check_name(const char *s, size_t max)
{
	char *n = store_safe_name(s, max, "fallback");
	size_t len = strlen(n);

	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(len <= max || !strcmp(n, "fallback"));
	FUZZ_CHECK(!strchr(n, '/') && !strchr(n, '\\'));
	FUZZ_CHECK(n[0] != '.' || !strcmp(n, "fallback"));
	FUZZ_CHECK(!strcmp(n, "fallback") || (n[0] != '_' && n[len - 1] != '_'));
	free(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	check_name(s, STORE_TITLE_MAX);
	check_name(s, 9);
	free(s);
	return 0;
}
