/*
 * fuzz_url.c - feed_resolve_url(): the input's first line is the base, the
 * rest the reference (no newline: no base).
 */
#include "fuzz.h"
#include "feed/feed.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char *nl = strchr(s, '\n');
	const char *base = NULL, *ref = s;
	char *url;

	if (nl) {
		*nl = '\0';
		base = s;
		ref = nl + 1;
	}
	url = feed_resolve_url(base, ref);
	free(url);
	free(s);
	return 0;
}
