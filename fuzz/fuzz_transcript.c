/*
 * fuzz_transcript.c - transcript_parse() for one format (FUZZ_FORMAT, set
 * by the build: one target per format), then every renderer on the result.
 */
#include "fuzz.h"
#include "transcript/transcript.h"

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name a transcript format"
#endif

static void render(const struct segment_list *l)
{
	struct sbuf out = SBUF_INIT((size_t)256 << 20);

	transcript_to_text(l, true, &out);
	sbuf_reset(&out);
	transcript_to_segments_json(l, &out);
	sbuf_reset(&out);
	transcript_to_vtt(l, &out);
	sbuf_reset(&out);
	transcript_to_srt(l, &out);
	sbuf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	int r = transcript_parse(FUZZ_FORMAT, (const char *)data, size, &l, &err);

	if (r == 0) {
		FUZZ_CHECK(l.nr > 0);
		for (size_t i = 0; i < l.nr; i++)
			FUZZ_CHECK(l.items[i].text != NULL);
		render(&l);
	} else {
		FUZZ_CHECK(err.len > 0 && l.nr == 0);
	}
	segment_list_release(&l);
	sbuf_release(&err);
	return 0;
}
