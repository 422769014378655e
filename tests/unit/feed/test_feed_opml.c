/*
 * Unit tests for feed_opml_parse(): outlines collected, and OPML held to the
 * same hostile-XML rules as feeds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feed/feed.h"

static void expect_refused(const char *xml, int code, const char *needle)
{
	struct strlist urls = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(1024);
	int r = feed_opml_parse(xml, strlen(xml), &urls, &err);

	if (r != code || !strstr(err.buf, needle))
		fail_msg("got %d \"%s\", want %d containing \"%s\"", r, err.buf, code, needle);
	assert_int_equal(urls.nr, 0);
	sbuf_release(&err);
}

static void outlines_in_document_order(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>t</title></head><body>"
		"<outline text=\"a\" xmlUrl=\"https://a.example/feed\"/>"
		"<outline text=\"folder\"><outline xmlUrl=\"https://b.example/rss?x=1&amp;y=2\"/>"
		"<outline text=\"no url\"/><outline xmlUrl=\"\"/></outline>"
		"<outline xmlUrl=\"https://a.example/feed\"/>"
		"</body></opml>";
	struct strlist urls = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(feed_opml_parse(xml, strlen(xml), &urls, &err), 0);
	assert_int_equal(urls.nr, 3);
	assert_string_equal(urls.items[0], "https://a.example/feed");
	assert_string_equal(urls.items[1], "https://b.example/rss?x=1&y=2");
	assert_string_equal(urls.items[2], "https://a.example/feed");
	strlist_release(&urls);
	sbuf_release(&err);
}

static void external_entity_refused(void **state)
{
	(void)state;
	expect_refused("<?xml version=\"1.0\"?>\n"
		       "<!DOCTYPE opml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		       "<opml><body><outline xmlUrl=\"&xxe;\"/></body></opml>",
		       -PC_EHOSTILE, "hostile XML: the DOCTYPE declares entities");
	expect_refused("<!DOCTYPE opml [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x\"> %p;]>"
		       "<opml/>", -PC_EHOSTILE, "hostile XML");
}

static void entity_bomb_refused(void **state)
{
	struct sbuf xml = SBUF_INIT(1 << 16);

	(void)state;
	sbuf_adds(&xml, "<!DOCTYPE opml [\n <!ENTITY lol0 \"lol\">\n");
	for (int i = 1; i <= 10; i++) {
		sbuf_addf(&xml, " <!ENTITY lol%d \"", i);
		for (int j = 0; j < 10; j++)
			sbuf_addf(&xml, "&lol%d;", i - 1);
		sbuf_adds(&xml, "\">\n");
	}
	sbuf_adds(&xml, "]>\n<opml><body><outline xmlUrl=\"&lol10;\"/></body></opml>\n");
	expect_refused(xml.buf, -PC_EHOSTILE, "entity expansion are refused");
	sbuf_release(&xml);
}

static void other_documents_refused(void **state)
{
	(void)state;
	expect_refused("<html><body>no</body></html>", -PC_EPARSE,
		       "not an OPML document (root element <html>)");
	expect_refused("<opml><body><outline xmlUrl=\"x\"></body></opml>", -PC_EPARSE,
		       "XML error at line 1");
	expect_refused("", -PC_EPARSE, "empty document");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outlines_in_document_order),
		cmocka_unit_test(external_entity_refused),
		cmocka_unit_test(entity_bomb_refused),
		cmocka_unit_test(other_documents_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
