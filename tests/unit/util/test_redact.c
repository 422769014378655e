/*
 * Unit tests for util/redact: credentials out of URLs, the rest of each URL
 * and of the text around it kept byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/redact.h"

/* in redacts to want, and want to itself: an id redacted twice is the same id. */
static void expect(const char *in, const char *want)
{
	char *got = redact_text(in), *again = redact_text(got);

	assert_string_equal(got, want);
	assert_string_equal(again, want);
	assert_false(redact_needed(want));
	free(got);
	free(again);
}

static void hides_userinfo(void **state)
{
	(void)state;
	expect("http://user:pass@127.0.0.1:8080/v1", "http://***@127.0.0.1:8080/v1");
	expect("https://tok@github.com", "https://***@github.com");
	/* the last @ ends the userinfo; an @ in the path is not one */
	expect("ftp://a@b:c@host/x@y", "ftp://***@host/x@y");
	expect("https://host/@user?x=1", "https://host/@user?x=1");
}

static void hides_secret_parameters(void **state)
{
	(void)state;
	expect("http://h/feed.xml?token=abc&page=2", "http://h/feed.xml?token=***&page=2");
	expect("http://h/a?API_KEY=1;sig=2#access_token=3",
	       "http://h/a?API_KEY=***;sig=***#access_token=***");
	expect("https://s3/x.mp3?X-Amz-Credential=c&X-Amz-Signature=s&ok=1",
	       "https://s3/x.mp3?X-Amz-Credential=***&X-Amz-Signature=***&ok=1");
	expect("http://h/?pass=p&passes=2&auth&key=", "http://h/?pass=***&passes=2&auth&key=");
}

static void keeps_what_is_not_secret(void **state)
{
	(void)state;
	expect("", "");
	expect("no url here: a://", "no url here: a://");
	expect("/local/path.xml", "/local/path.xml");
	expect("https://example.org/ep%201.mp3?page=2#t=30",
	       "https://example.org/ep%201.mp3?page=2#t=30");
	expect("caf\xC3\xA9 http://h/\xC3\xA9?q=\xC3\xA9", "caf\xC3\xA9 http://h/\xC3\xA9?q=\xC3\xA9");
}

static void finds_urls_in_sentences(void **state)
{
	(void)state;
	expect("GET http://u:p@h/f.xml?token=abc: HTTP 404",
	       "GET http://***@h/f.xml?token=***: HTTP 404");
	expect("feed 'http://u:p@h/x' failed (see http://h/y?secret=s).",
	       "feed 'http://***@h/x' failed (see http://h/y?secret=***).");
	expect("<a href=\"https://u@h/\">", "<a href=\"https://***@h/\">");
	expect("two: http://a:b@h1/ https://c:d@h2/?key=k",
	       "two: http://***@h1/ https://***@h2/?key=***");
}

/* Ids a feed gives, redacted once when planned and again where they are stored. */
static void redacting_twice_changes_nothing(void **state)
{
	(void)state;
	expect("https://ex.org/ep/1?token=abc)", "https://ex.org/ep/1?token=***)");
	expect("https://ex.org/ep/1?token=...", "https://ex.org/ep/1?token=...");
	expect("https://***@ex.org/?key=***", "https://***@ex.org/?key=***");
	expect("https://a@b@ex.org/x?sig=s&sig=t#token=", "https://***@ex.org/x?sig=***&sig=***#token=");
	expect("tag:ex.org,2026:ep/1", "tag:ex.org,2026:ep/1");
}

/* A URL carried in another URL's parameter (redirectors, trackers). */
static void hides_nested_urls(void **state)
{
	char *deep;

	(void)state;
	expect("https://ex.org/ep?u=http://user:pw@h/f.mp3&page=2",
	       "https://ex.org/ep?u=http://***@h/f.mp3&page=2");
	expect("https://t.ex/r?next=https://h/x.mp3?token=t", "https://t.ex/r?next=https://h/x.mp3?token=***");
	expect("https://t.ex/r?to=https%3A%2F%2Fuser%3Apw%40h%2Fa.mp3&n=1",
	       "https://t.ex/r?to=***&n=1");
	expect("https://t.ex/r?to=https%3A%2F%2Fh%2Fa.mp3%3Ftoken%3Dt", "https://t.ex/r?to=***");
	expect("https://t.ex/r?to=https%3a%2f%2fh%2fa.mp3%3fpage%3d2",
	       "https://t.ex/r?to=https%3a%2f%2fh%2fa.mp3%3fpage%3d2");
	expect("https://t.ex/r?to=https%3A%2F%2Fh%2Fa.mp3", "https://t.ex/r?to=https%3A%2F%2Fh%2Fa.mp3");
	expect("http://h/?bad=%zz%4", "http://h/?bad=%zz%4");
	/* nesting past the limit masks the value rather than recursing on */
	expect("http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://u:p@h/",
	       "http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://h/?a=***");
	deep = redact_text("http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://h/");
	assert_string_equal(deep, "http://h/?a=http://h/?a=http://h/?a=http://h/?a=http://h/?a=***");
	free(deep);
}

static void names(void **state)
{
	(void)state;
	assert_true(redact_secret_name("openai_api_key", 14));
	assert_true(redact_secret_name("Authorization", 13));
	assert_true(redact_secret_name("pwd", 3));
	assert_false(redact_secret_name("asr_passes", 10));
	assert_false(redact_secret_name("page", 4));
	assert_true(redact_needed("http://u:p@h/"));
	assert_false(redact_needed("http://h/?q=1"));
	assert_null(redact_text(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hides_userinfo),
		cmocka_unit_test(hides_secret_parameters),
		cmocka_unit_test(keeps_what_is_not_secret),
		cmocka_unit_test(finds_urls_in_sentences),
		cmocka_unit_test(redacting_twice_changes_nothing),
		cmocka_unit_test(hides_nested_urls),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
