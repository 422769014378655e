/* Unit tests for the feed module's text helpers: dates, durations, HTML, URLs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"

struct date_case {
	const char *in;
	time_t want;
};

/* Expected values computed independently: 2024-01-02T10:00:00Z = 1704189600. */
static const struct date_case date_cases[] = {
	/* RFC 822 / 2822 */
	{ "Tue, 02 Jan 2024 10:00:00 GMT", 1704189600 },
	{ "Tue, 02 Jan 2024 10:00:00 +0000", 1704189600 },
	{ "Tue, 2 Jan 2024 10:00:00 UTC", 1704189600 },
	{ "02 Jan 2024 10:00:00 GMT", 1704189600 },
	{ "Tuesday, 02 January 2024 10:00:00 GMT", 1704189600 },
	{ "Tue, 02 Jan 2024 12:00:00 +0200", 1704189600 },
	{ "Tue, 02 Jan 2024 12:00:00 +02:00", 1704189600 },
	{ "Tue, 02 Jan 2024 05:00:00 EST", 1704189600 },
	{ "Tue, 02 Jan 2024 06:00:00 EDT", 1704189600 },
	{ "Tue, 02 Jan 2024 04:00:00 CST", 1704189600 },
	{ "Tue, 02 Jan 2024 05:00:00 CDT", 1704189600 },
	{ "Tue, 02 Jan 2024 03:00:00 MST", 1704189600 },
	{ "Tue, 02 Jan 2024 04:00:00 MDT", 1704189600 },
	{ "Tue, 02 Jan 2024 02:00:00 PST", 1704189600 },
	{ "Tue, 02 Jan 2024 03:00:00 PDT", 1704189600 },
	{ "Tue, 02 Jan 2024 03:00:00 -0700 (MST)", 1704189600 },
	{ "Tue, 02 Jan 24 10:00:00 GMT", 1704189600 },
	{ "Sat, 02 Jan 99 10:00:00 GMT", 915271200 },
	{ "Tue, 02 Jan 2024 10:00 GMT", 1704189600 },
	{ "  tue, 02 jan 2024 10:00:00 gmt  ", 1704189600 },
	{ "02 Sept 2024 00:00:00 GMT", 1725235200 },
	{ "29 Feb 2024 00:00:00 GMT", 1709164800 },
	/* ISO 8601 / RFC 3339 */
	{ "2024-01-02", 1704153600 },
	{ "2024-01-02T10:00:00Z", 1704189600 },
	{ "2024-01-02T10:00:00", 1704189600 },
	{ "2024-01-02 10:00:00", 1704189600 },
	{ "2024-01-02T10:00Z", 1704189600 },
	{ "2024-01-02T10:00:00.123Z", 1704189600 },
	{ "2024-01-02T12:00:00+02:00", 1704189600 },
	{ "2024-01-02T12:30:00.5+0230", 1704189600 },
	{ "2024-01-02T05:00:00-05:00", 1704189600 },
	{ "2024-01-02T10:00:00z", 1704189600 },
	/* garbage */
	{ "", -1 },
	{ "yesterday", -1 },
	{ "Tue, 32 Jan 2024 10:00:00 GMT", -1 },
	{ "Tue, 02 Foo 2024 10:00:00 GMT", -1 },
	{ "Tue, 02 Jan 2024 25:00:00 GMT", -1 },
	{ "Tue, 02 Jan 2024 10:00:00 GMT trailing", -1 },
	{ "29 Feb 2023 00:00:00 GMT", -1 },
	{ "2024-13-02", -1 },
	{ "2024-01-02T10", -1 },
	{ "2024-01-02T10:00:00+5", -1 },
	{ "2024/01/02", -1 },
	{ "10:00:00", -1 },
};

static void dates_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		time_t got = feed_parse_date(date_cases[i].in);

		if (got != date_cases[i].want)
			fail_msg("feed_parse_date(\"%s\") = %lld, want %lld", date_cases[i].in,
				 (long long)got, (long long)date_cases[i].want);
	}
	assert_int_equal(feed_parse_date(NULL), -1);
}

struct dur_case {
	const char *in;
	long want;
};

static const struct dur_case dur_cases[] = {
	{ "3600", 3600 }, { "0", 0 }, { "1:00:00", 3600 }, { "60:00", 3600 },
	{ "62:03", 3723 }, { "1:02:03", 3723 }, { "01:02:03", 3723 },
	{ "1:02:03.5", 3723 }, { "3723.9", 3723 }, { " 45:00 ", 2700 },
	{ "100:00:00", 360000 },
	{ "", -1 }, { "abc", -1 }, { "-5", -1 }, { "1::2", -1 }, { "1:2:3:4", -1 },
	{ "1:60:00", -1 }, { "10:75", -1 }, { "1:02:03x", -1 }, { ":30", -1 },
	{ "99999999999999999999999", -1 }, { "1.", -1 },
};

static void durations_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dur_cases) / sizeof(dur_cases[0]); i++) {
		long got = feed_parse_duration(dur_cases[i].in);

		if (got != dur_cases[i].want)
			fail_msg("feed_parse_duration(\"%s\") = %ld, want %ld",
				 dur_cases[i].in, got, dur_cases[i].want);
	}
	assert_int_equal(feed_parse_duration(NULL), -1);
}

static void check_html(const char *html, const char *want)
{
	char *got = feed_html_to_text(html);

	if (!want) {
		if (got)
			fail_msg("html_to_text(\"%s\") = \"%s\", want NULL",
				 html ? html : "(null)", got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("html_to_text(\"%s\") = \"%s\", want \"%s\"", html,
			 got ? got : "(null)", want);
	free(got);
}

static void html_to_text(void **state)
{
	(void)state;
	check_html("<p>Tom &amp; Jerry &lt;3 caf&eacute; &#8211; &#x263A;</p>",
		   "Tom & Jerry <3 caf\xC3\xA9 \xE2\x80\x93 \xE2\x98\xBA");
	check_html("<p>First   paragraph\n with   spaces.</p><p>Second</p>",
		   "First paragraph with spaces.\nSecond");
	check_html("Line one<br>Line two<br/><br/>Line three", "Line one\nLine two\nLine three");
	check_html("<ul><li>a</li><li>b</li></ul>tail", "a\nb\ntail");
	check_html("<b>bold</b><i>italic</i> <a href=\"x\">link</a>", "bolditalic link");
	check_html("<script>var x = 1;</script><style>p{}</style>Visible", "Visible");
	check_html("Plain text with no tags", "Plain text with no tags");
	check_html("a&nbsp;&nbsp;b", "a b");
	check_html("<div>\xF0\x9F\x8E\x99 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D</div>",
		   "\xF0\x9F\x8E\x99 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
	check_html("<p>unclosed <b>tags <i>everywhere", "unclosed tags everywhere");
	check_html("<table><tr><td>a</td><td>b</td></tr></table>", "a b");
	check_html("   ", NULL);
	check_html("<p> </p><br>", NULL);
	check_html("", NULL);
	check_html(NULL, NULL);
}

static void check_url(const char *base, const char *ref, const char *want)
{
	char *got = feed_resolve_url(base, ref);

	if (!want) {
		if (got)
			fail_msg("resolve(%s, %s) = %s, want NULL", base ? base : "(null)",
				 ref ? ref : "(null)", got);
		return;
	}
	if (!got || strcmp(got, want))
		fail_msg("resolve(\"%s\", \"%s\") = \"%s\", want \"%s\"", base ? base : "(null)",
			 ref ? ref : "(null)", got ? got : "(null)", want);
	free(got);
}

static void resolve_rfc3986_examples(void **state)
{
	static const char *const cases[][2] = {
		{ "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q#s" }, { "g#s", "http://a/b/c/g#s" },
		{ ";x", "http://a/b/c/;x" }, { ".", "http://a/b/c/" }, { "..", "http://a/b/" },
		{ "../g", "http://a/b/g" }, { "../..", "http://a/" }, { "../../g", "http://a/g" },
		{ "../../../g", "http://a/g" }, { "/./g", "http://a/g" }, { "/../g", "http://a/g" },
		{ "/a/b/../c/./d", "http://a/a/c/d" }, { "/a/..", "http://a/" },
		{ "g.", "http://a/b/c/g." }, { ".g", "http://a/b/c/.g" },
		{ "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" },
		{ "g;x=1/../y", "http://a/b/c/y" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_url("http://a/b/c/d;p?q", cases[i][0], cases[i][1]);
}

static void resolve_feed_cases(void **state)
{
	const char *http = "http://127.0.0.1:1234/feeds/a/feed.xml";
	const char *file = "file:///tmp/x/feed.xml";

	(void)state;
	check_url(http, "ep1.mp3", "http://127.0.0.1:1234/feeds/a/ep1.mp3");
	check_url(http, "../b/t.vtt", "http://127.0.0.1:1234/feeds/b/t.vtt");
	check_url(http, "/media/ep1.mp3", "http://127.0.0.1:1234/media/ep1.mp3");
	check_url(http, "//cdn.example/x.mp3", "http://cdn.example/x.mp3");
	check_url(http, "https://cdn.example/x.mp3?a=1&b=%20c",
		  "https://cdn.example/x.mp3?a=1&b=%20c");
	check_url(http, "  ep1.mp3\n", "http://127.0.0.1:1234/feeds/a/ep1.mp3");
	check_url(http, "ep 1.mp3", "http://127.0.0.1:1234/feeds/a/ep%201.mp3");
	check_url(http, "caf\xC3\xA9.mp3", "http://127.0.0.1:1234/feeds/a/caf%C3%A9.mp3");
	check_url(file, "media/ep1.mp3", "file:///tmp/x/media/ep1.mp3");
	check_url(file, "../y/ep1.mp3", "file:///tmp/y/ep1.mp3");
	check_url(file, "/srv/ep1.mp3", "file:///srv/ep1.mp3");
	check_url("/tmp/x/feed.xml", "ep1.mp3", "/tmp/x/ep1.mp3");
	check_url(NULL, "ep1.mp3", "ep1.mp3");
	check_url("", "ep1.mp3", "ep1.mp3");
	check_url(http, "   ", NULL);
	check_url(http, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_table),
		cmocka_unit_test(durations_table),
		cmocka_unit_test(html_to_text),
		cmocka_unit_test(resolve_rfc3986_examples),
		cmocka_unit_test(resolve_feed_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
