/*
 * Unit tests for util/utf8: the strict decoder shared by feeds, transcripts,
 * speaker names and store names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

static void decodes_each_length(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode("\xF0\x9F\x8E\x99", 4, &cp), 4);
	assert_int_equal(cp, 0x1F399);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* a NUL byte is a character; utf8_valid_len is what refuses it */
	assert_int_equal(utf8_decode("", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

static void refuses_ill_formed(void **state)
{
	static const struct { const char *s; size_t n; } bad[] = {
		{ "\x80", 1 },                 /* lone continuation */
		{ "\xC0\x80", 2 },             /* overlong NUL */
		{ "\xC1\xBF", 2 },             /* overlong */
		{ "\xE0\x80\x80", 3 },         /* overlong 3-byte */
		{ "\xE0\x9F\xBF", 3 },         /* overlong just below U+0800 */
		{ "\xF0\x8F\xBF\xBF", 4 },     /* overlong 4-byte */
		{ "\xED\xA0\x80", 3 },         /* surrogate U+D800 */
		{ "\xED\xBF\xBF", 3 },         /* surrogate U+DFFF */
		{ "\xF4\x90\x80\x80", 4 },     /* U+110000 */
		{ "\xF5\x80\x80\x80", 4 },     /* lead byte past F4 */
		{ "\xFF", 1 },
		{ "\xC3", 1 },                 /* cut short */
		{ "\xE2\x82", 2 },
		{ "\xF0\x9F\x8E", 3 },
		{ "\xC3\x28", 2 },             /* bad continuation */
		{ "\xE2\x28\xA1", 3 },
		{ "\xF0\x9F\x28\x99", 4 },
	};
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (utf8_decode(bad[i].s, bad[i].n, &cp))
			fail_msg("case %zu decoded", i);
}

static void next_skips_one_bad_byte(void **state)
{
	const char s[] = "a\xE2\x82" "b\xC3\xA9";
	const char *p = s, *end = s + sizeof(s) - 1;

	(void)state;
	assert_int_equal(utf8_next(&p, end), 'a');
	assert_int_equal(utf8_next(&p, end), UTF8_REPLACEMENT);
	assert_int_equal(utf8_next(&p, end), UTF8_REPLACEMENT);
	assert_int_equal(utf8_next(&p, end), 'b');
	assert_int_equal(utf8_next(&p, end), 0xE9);
	assert_ptr_equal(p, end);
}

/* The fast ASCII path must stop at the same byte as a byte-by-byte walk. */
static void valid_len_stops_at_first_bad_byte(void **state)
{
	char buf[64];

	(void)state;
	for (size_t at = 0; at < 40; at++) {
		for (int kind = 0; kind < 3; kind++) {
			memset(buf, 'x', sizeof(buf));
			memcpy(buf, "\xC3\xA9", 2);
			buf[at + 2] = kind == 0 ? '\0' : kind == 1 ? '\x80' : '\xC3';
			assert_int_equal(utf8_valid_len(buf, sizeof(buf)), at + 2);
			assert_false(utf8_valid(buf, sizeof(buf)));
		}
	}
	assert_true(utf8_valid("plain ascii, then \xE2\x82\xAC", 21));
	assert_true(utf8_valid("", 0));
}

static void sanitize_replaces_each_bad_byte(void **state)
{
	char *s;

	(void)state;
	s = utf8_sanitize("ok \xC3\xA9", 5);
	assert_string_equal(s, "ok \xC3\xA9");
	free(s);
	s = utf8_sanitize("a\xFF\xFE" "b\0c\xE2\x82", 8);
	assert_string_equal(s, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
}

static void encode_round_trips_every_scalar_value(void **state)
{
	char b[4];
	uint32_t back;

	(void)state;
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		size_t n = utf8_encode(cp, b);

		if (cp >= 0xD800 && cp <= 0xDFFF) {
			assert_int_equal(n, 3);
			assert_memory_equal(b, UTF8_REPLACEMENT_STR, 3);
			continue;
		}
		assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		if (utf8_decode(b, n, &back) != n || back != cp)
			fail_msg("U+%04X does not round-trip", (unsigned)cp);
	}
	assert_int_equal(utf8_encode(0, b), 3);
	assert_int_equal(utf8_encode(0x110000, b), 3);
	assert_memory_equal(b, UTF8_REPLACEMENT_STR, 3);
}

static void count_and_cut_respect_characters(void **state)
{
	const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8E\x99z";   /* a é € 🎙 z */
	size_t n = sizeof(s) - 1;

	(void)state;
	assert_int_equal(utf8_count(s, n), 5);
	assert_int_equal(utf8_count(s, 3), 2);
	assert_int_equal(utf8_cut(s, n, 100), n);
	assert_int_equal(utf8_cut(s, n, 1), 1);
	assert_int_equal(utf8_cut(s, n, 2), 1);     /* inside é */
	assert_int_equal(utf8_cut(s, n, 3), 3);
	assert_int_equal(utf8_cut(s, n, 5), 3);     /* inside € */
	assert_int_equal(utf8_cut(s, n, 9), 6);     /* inside the microphone */
	assert_int_equal(utf8_cut(s, n, 10), 10);
	assert_int_equal(utf8_cut(s, n, 0), 0);
}

static void add_appends_encoded(void **state)
{
	struct sbuf sb = SBUF_INIT(64);

	(void)state;
	utf8_add(&sb, 'Z');
	utf8_add(&sb, 0xEB);
	utf8_add(&sb, 0x1F399);
	assert_string_equal(sb.buf, "Z\xC3\xAB\xF0\x9F\x8E\x99");
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_each_length),
		cmocka_unit_test(refuses_ill_formed),
		cmocka_unit_test(next_skips_one_bad_byte),
		cmocka_unit_test(valid_len_stops_at_first_bad_byte),
		cmocka_unit_test(sanitize_replaces_each_bad_byte),
		cmocka_unit_test(encode_round_trips_every_scalar_value),
		cmocka_unit_test(count_and_cut_respect_characters),
		cmocka_unit_test(add_appends_encoded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
