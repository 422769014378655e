/* fuzz_html_text.c - feed_html_to_text(), what every description goes through. */
#include "fuzz.h"
#include "feed/feed.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	free(feed_html_to_text(s));
	free(s);
	return 0;
}
