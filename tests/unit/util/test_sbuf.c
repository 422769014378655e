/* Unit tests for sbuf, strlist and hash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/sbuf.h"
#include "util/strlist.h"

static void empty_buffer_is_valid_string(void **state)
{
	struct sbuf sb = SBUF_INIT(16);

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	sbuf_release(&sb);
	assert_string_equal(sb.buf, "");
}

static void append_respects_max(void **state)
{
	struct sbuf sb = SBUF_INIT(8);

	(void)state;
	assert_int_equal(sbuf_adds(&sb, "12345"), 0);
	assert_int_equal(sbuf_adds(&sb, "6789"), -PC_ETOOBIG);
	assert_string_equal(sb.buf, "12345");
	assert_int_equal(sbuf_adds(&sb, "678"), 0);
	assert_int_equal(sb.len, 8);
	assert_int_equal(sbuf_addch(&sb, 'x'), -PC_ETOOBIG);
	sbuf_release(&sb);
}

static void formatted_append_and_detach(void **state)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	size_t len;
	char *s;

	(void)state;
	for (int i = 0; i < 1000; i++)
		sbuf_addf(&sb, "%d,", i);
	assert_int_equal(strncmp(sb.buf, "0,1,2,", 6), 0);
	s = sbuf_detach(&sb, &len);
	assert_int_equal(len, strlen(s));
	assert_string_equal(sb.buf, "");
	free(s);
}

static void trim_strips_both_ends(void **state)
{
	struct sbuf sb = SBUF_INIT(100);

	(void)state;
	sbuf_adds(&sb, " \t hello world \n");
	sbuf_trim(&sb);
	assert_string_equal(sb.buf, "hello world");
	sbuf_release(&sb);
}

static void strlist_is_null_terminated(void **state)
{
	struct strlist l = STRLIST_INIT;

	(void)state;
	strlist_push(&l, "a");
	strlist_pushf(&l, "b%d", 2);
	assert_int_equal(l.nr, 2);
	assert_null(l.items[2]);
	assert_true(strlist_has(&l, "b2"));
	assert_true(strlist_has_nocase(&l, "A"));
	assert_false(strlist_has(&l, "c"));
	strlist_release(&l);
}

static void hashes_match_known_vectors(void **state)
{
	char h1[HASH_SHA1_HEX], h256[HASH_SHA256_HEX];

	(void)state;
	hash_sha1_hex("abc", 3, h1);
	assert_string_equal(h1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	hash_sha256_hex("abc", 3, h256);
	assert_string_equal(h256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_buffer_is_valid_string),
		cmocka_unit_test(append_respects_max),
		cmocka_unit_test(formatted_append_and_detach),
		cmocka_unit_test(trim_strips_both_ends),
		cmocka_unit_test(strlist_is_null_terminated),
		cmocka_unit_test(hashes_match_known_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
