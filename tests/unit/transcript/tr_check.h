/* Helpers shared by the transcript unit tests. */
#ifndef TR_CHECK_H
#define TR_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "transcript/transcript.h"

/* Asserts segment i of l: times within a microsecond, speaker (NULL for
 * none) and text exactly. */
#define expect_seg(l, i, st, en, sp, tx) \
	tr_expect_seg((l), (i), (st), (en), (sp), (tx), __FILE__, __LINE__)
void tr_expect_seg(const struct segment_list *l, size_t i, double start, double end,
		   const char *speaker, const char *text, const char *file, int line);

/* Parses s (NUL-terminated) as f; asserts success. */
void tr_parse_ok(enum transcript_format f, const char *s, struct segment_list *out);
/* Parses s as f; asserts -PC_EPARSE and that err equals want (when not NULL). */
void tr_parse_fails(enum transcript_format f, const char *s, const char *want);
/* Asserts two lists hold the same segments (times to the millisecond). */
void tr_expect_same(const struct segment_list *a, const struct segment_list *b);

/* A WebVTT file using every feature the parser knows (LF line endings). */
extern const char tr_rich_vtt[];
/* A Podcasting 2.0 JSON transcript mixing both segment shapes. */
extern const char tr_rich_json[];

#endif
