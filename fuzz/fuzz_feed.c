/* fuzz_feed.c - feed_parse() on RSS/Atom bytes, every field then read. */
#include "fuzz.h"
#include "feed/feed.h"

#include <string.h>

static void touch(const char *s)
{
	if (s)
		FUZZ_CHECK(strlen(s) < (size_t)1 << 30);
}

static void read_all(const struct feed *f)
{
	touch(f->title);
	touch(f->description);
	touch(f->link);
	touch(f->warning);
	for (size_t i = 0; i < f->nr_episodes; i++) {
		const struct episode *ep = &f->episodes[i];

		touch(ep->title);
		touch(ep->description);
		touch(ep->guid);
		touch(ep->media_url);
		for (size_t t = 0; t < ep->nr_transcripts; t++)
			touch(ep->transcripts[t].url);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(8192);

	if (feed_parse((const char *)data, size, "https://example.org/pod/feed.xml",
		       &f, &err) == 0) {
		read_all(&f);
		feed_release(&f);
	} else {
		FUZZ_CHECK(err.len > 0);
		FUZZ_CHECK(f.title == NULL && f.episodes == NULL);
	}
	sbuf_release(&err);
	return 0;
}
