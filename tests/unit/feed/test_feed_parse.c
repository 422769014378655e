/* Unit tests for feed_parse(): RSS + extensions, Atom, safety and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "feed/feed.h"

#define BASE "http://127.0.0.1:1234/feeds/a/feed.xml"

static const char realistic_rss[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<rss version=\"2.0\"\n"
	"     xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"\n"
	"     xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"\n"
	"     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
	"     xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
	"     xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
	"<channel>\n"
	"  <title>The Data Show</title>\n"
	"  <link>https://example.com/show</link>\n"
	"  <atom:link href=\"https://example.com/feed.xml\" rel=\"self\"/>\n"
	"  <description><![CDATA[<p>A show about <b>data</b> &amp; people.</p>]]></description>\n"
	"  <language>en-us</language>\n"
	"  <lastBuildDate>Tue, 02 Jan 2024 10:00:00 GMT</lastBuildDate>\n"
	"  <managingEditor>editor@example.com (Edna Editor)</managingEditor>\n"
	"  <dc:creator>Carla Creator</dc:creator>\n"
	"  <itunes:author>Maya Host</itunes:author>\n"
	"  <itunes:owner><itunes:name>Owen Owner</itunes:name>"
	"<itunes:email>owner@example.com</itunes:email></itunes:owner>\n"
	"  <itunes:image href=\"art/cover.jpg\"/>\n"
	"  <image><url>https://example.com/rss-image.png</url><title>x</title></image>\n"
	"  <podcast:person href=\"https://example.com/maya\">Maya Host</podcast:person>\n"
	"  <podcast:person role=\"Guest\">Channel Guest</podcast:person>\n"
	"  <item>\n"
	"    <title>Episode 2: Graphs with Ada</title>\n"
	"    <itunes:title>Graphs with Ada</itunes:title>\n"
	"    <description>Short &lt;b&gt;teaser&lt;/b&gt;</description>\n"
	"    <content:encoded><![CDATA[<p>We talk graphs with <a href=\"x\">Ada</a>.</p>"
	"<p>Links &amp; notes</p>]]></content:encoded>\n"
	"    <itunes:summary>Summary text</itunes:summary>\n"
	"    <guid isPermaLink=\"false\">ep-2-guid</guid>\n"
	"    <link>episodes/2</link>\n"
	"    <pubDate>Wed, 03 Jan 2024 09:30:00 -0500</pubDate>\n"
	"    <enclosure url=\"media/ep2.mp3\" type=\"audio/mpeg\" length=\"12345678\"/>\n"
	"    <itunes:duration>1:02:03</itunes:duration>\n"
	"    <itunes:episode>2</itunes:episode>\n"
	"    <itunes:image href=\"https://cdn.example.com/ep2.jpg\"/>\n"
	"    <itunes:author>Maya Host</itunes:author>\n"
	"    <podcast:chapters url=\"chapters/ep2.json\" type=\"application/json+chapters\"/>\n"
	"    <podcast:transcript url=\"t/ep2.vtt\" type=\"text/vtt\" language=\"en\""
	" rel=\"captions\"/>\n"
	"    <podcast:transcript url=\"https://example.com/t/ep2.srt\""
	" type=\"application/x-subrip\"/>\n"
	"    <podcast:transcript url=\"t/ep2.json\" type=\"application/json\"/>\n"
	"    <podcast:transcript url=\"t/ep2.vtt\" type=\"text/vtt\"/>\n"
	"    <podcast:person role=\"host\">Maya Host</podcast:person>\n"
	"    <podcast:person role=\"guest\" href=\"https://example.com/ada\">Ada Lovelace"
	"</podcast:person>\n"
	"    <podcast:person role=\"editor\">Ed Itor</podcast:person>\n"
	"  </item>\n"
	"  <item>\n"
	"    <title>Episode 1: Hello</title>\n"
	"    <description><![CDATA[Welcome <i>everyone</i>]]></description>\n"
	"    <guid>https://example.com/ep1</guid>\n"
	"    <pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate>\n"
	"    <author>guest@example.com (Gus Guest)</author>\n"
	"    <enclosure url=\"https://cdn.example.com/ep1.m4a\" type=\"audio/x-m4a\""
	" length=\"0\"/>\n"
	"    <itunes:duration>3600</itunes:duration>\n"
	"  </item>\n"
	"</channel>\n"
	"</rss>\n";

static int parse(const char *xml, const char *base, struct feed *f, struct sbuf *err)
{
	return feed_parse(xml, strlen(xml), base, f, err);
}

static void assert_person(const struct person *p, const char *name,
			  enum person_role role, const char *href)
{
	assert_string_equal(p->name, name);
	assert_int_equal(p->role, role);
	if (href)
		assert_string_equal(p->href, href);
	else
		assert_null(p->href);
}

static void check_channel(const struct feed *f)
{
	assert_string_equal(f->title, "The Data Show");
	assert_string_equal(f->link, "https://example.com/show");
	assert_string_equal(f->description, "A show about data & people.");
	assert_string_equal(f->language, "en-us");
	assert_int_equal(f->last_updated, 1704189600);
	assert_string_equal(f->image_url, "http://127.0.0.1:1234/feeds/a/art/cover.jpg");
	assert_string_equal(f->author, "Maya Host");
	assert_string_equal(f->owner_name, "Owen Owner");
	assert_int_equal(f->authors.nr, 4);
	assert_string_equal(f->authors.items[0], "Maya Host");
	assert_string_equal(f->authors.items[1], "Owen Owner");
	assert_string_equal(f->authors.items[2], "Edna Editor");
	assert_string_equal(f->authors.items[3], "Carla Creator");
	assert_int_equal(f->nr_persons, 2);
	assert_person(&f->persons[0], "Maya Host", PERSON_HOST, "https://example.com/maya");
	assert_person(&f->persons[1], "Channel Guest", PERSON_GUEST, NULL);
}

static void assert_transcript(const struct transcript_ref *t, const char *url,
			      const char *type, const char *lang, const char *rel)
{
	assert_string_equal(t->url, url);
	if (type)
		assert_string_equal(t->type, type);
	else
		assert_null(t->type);
	if (lang)
		assert_string_equal(t->language, lang);
	else
		assert_null(t->language);
	if (rel)
		assert_string_equal(t->rel, rel);
	else
		assert_null(t->rel);
}

static void check_episode2(const struct episode *ep)
{
	assert_string_equal(ep->title, "Graphs with Ada");
	assert_string_equal(ep->description, "We talk graphs with Ada.\nLinks & notes");
	assert_string_equal(ep->guid, "ep-2-guid");
	assert_string_equal(ep->link, "http://127.0.0.1:1234/feeds/a/episodes/2");
	assert_int_equal(ep->published, 1704292200);
	assert_int_equal(ep->duration_seconds, 3723);
	assert_int_equal(ep->episode_number, 2);
	assert_string_equal(ep->image_url, "https://cdn.example.com/ep2.jpg");
	assert_string_equal(ep->author, "Maya Host");
	assert_string_equal(ep->media_url, "http://127.0.0.1:1234/feeds/a/media/ep2.mp3");
	assert_string_equal(ep->media_type, "audio/mpeg");
	assert_int_equal(ep->media_length, 12345678);
	assert_string_equal(ep->chapters_url,
			    "http://127.0.0.1:1234/feeds/a/chapters/ep2.json");
	assert_int_equal(ep->nr_transcripts, 3);
	assert_transcript(&ep->transcripts[0], "http://127.0.0.1:1234/feeds/a/t/ep2.vtt",
			  "text/vtt", "en", "captions");
	assert_transcript(&ep->transcripts[1], "https://example.com/t/ep2.srt",
			  "application/x-subrip", NULL, NULL);
	assert_transcript(&ep->transcripts[2], "http://127.0.0.1:1234/feeds/a/t/ep2.json",
			  "application/json", NULL, NULL);
	assert_int_equal(ep->nr_persons, 3);
	assert_person(&ep->persons[0], "Maya Host", PERSON_HOST, NULL);
	assert_person(&ep->persons[1], "Ada Lovelace", PERSON_GUEST, "https://example.com/ada");
	assert_person(&ep->persons[2], "Ed Itor", PERSON_OTHER, NULL);
}

static void check_episode1(const struct episode *ep)
{
	assert_string_equal(ep->title, "Episode 1: Hello");
	assert_string_equal(ep->description, "Welcome everyone");
	assert_string_equal(ep->guid, "https://example.com/ep1");
	assert_null(ep->link);
	assert_int_equal(ep->published, 1704096000);
	assert_int_equal(ep->duration_seconds, 3600);
	assert_int_equal(ep->episode_number, -1);
	assert_null(ep->image_url);
	assert_string_equal(ep->author, "Gus Guest");
	assert_string_equal(ep->media_url, "https://cdn.example.com/ep1.m4a");
	assert_string_equal(ep->media_type, "audio/x-m4a");
	assert_int_equal(ep->media_length, -1);
	assert_null(ep->chapters_url);
	assert_int_equal(ep->nr_transcripts, 0);
	assert_int_equal(ep->nr_persons, 0);
}

static void realistic_rss_every_field(void **state)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(realistic_rss, BASE, &f, &err), 0);
	assert_string_equal(err.buf, "");
	check_channel(&f);
	assert_int_equal(f.nr_episodes, 2);
	check_episode2(&f.episodes[0]);
	check_episode1(&f.episodes[1]);
	feed_release(&f);
	assert_null(f.episodes);
	assert_int_equal(f.nr_episodes, 0);
	sbuf_release(&err);
}

static const char atom_feed[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n"
	"  <title>Atom Cast</title>\n"
	"  <subtitle type=\"html\">&lt;p&gt;Talks &amp;amp; more&lt;/p&gt;</subtitle>\n"
	"  <link rel=\"self\" href=\"https://example.org/atom.xml\"/>\n"
	"  <link href=\"https://example.org/\"/>\n"
	"  <updated>2024-01-05T12:00:00Z</updated>\n"
	"  <logo>img/logo.png</logo>\n"
	"  <author><name>Alice Atom</name></author>\n"
	"  <author><name>Bob Atom</name></author>\n"
	"  <entry>\n"
	"    <title type=\"html\">First &lt;em&gt;entry&lt;/em&gt;</title>\n"
	"    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>\n"
	"    <link rel=\"alternate\" href=\"entries/1\"/>\n"
	"    <link rel=\"enclosure\" href=\"audio/1.ogg\" type=\"audio/ogg\" length=\"4242\"/>\n"
	"    <published>2024-01-04T08:00:00+01:00</published>\n"
	"    <updated>2024-01-05T08:00:00Z</updated>\n"
	"    <summary>Summary only</summary>\n"
	"    <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	"<p>Rich</p><p>content</p></div></content>\n"
	"    <author><name>Carol Entry</name></author>\n"
	"  </entry>\n"
	"  <entry>\n"
	"    <title>Second</title>\n"
	"    <id>tag:example.org,2024:2</id>\n"
	"    <updated>2024-01-03T08:00:00Z</updated>\n"
	"    <summary>Just a summary</summary>\n"
	"  </entry>\n"
	"</feed>\n";

static void atom_feed_parsed(void **state)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);
	const struct episode *e;

	(void)state;
	assert_int_equal(parse(atom_feed, "https://example.org/podcast/atom.xml", &f, &err), 0);
	assert_string_equal(f.title, "Atom Cast");
	assert_string_equal(f.description, "Talks & more");
	assert_string_equal(f.link, "https://example.org/");
	assert_string_equal(f.language, "de");
	assert_int_equal(f.last_updated, 1704456000);
	assert_string_equal(f.image_url, "https://example.org/podcast/img/logo.png");
	assert_string_equal(f.author, "Alice Atom");
	assert_int_equal(f.authors.nr, 2);
	assert_string_equal(f.authors.items[1], "Bob Atom");
	assert_int_equal(f.nr_episodes, 2);
	e = &f.episodes[0];
	assert_string_equal(e->title, "First entry");
	assert_string_equal(e->guid, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
	assert_string_equal(e->link, "https://example.org/podcast/entries/1");
	assert_string_equal(e->media_url, "https://example.org/podcast/audio/1.ogg");
	assert_string_equal(e->media_type, "audio/ogg");
	assert_int_equal(e->media_length, 4242);
	assert_int_equal(e->published, 1704351600);
	assert_string_equal(e->description, "Rich\ncontent");
	assert_string_equal(e->author, "Carol Entry");
	e = &f.episodes[1];
	assert_string_equal(e->title, "Second");
	assert_int_equal(e->published, 1704268800);
	assert_string_equal(e->description, "Just a summary");
	assert_null(e->media_url);
	assert_null(e->author);
	feed_release(&f);
	sbuf_release(&err);
}

/* A demo feed on disk: relative enclosure and transcript paths next to it. */
static void relative_urls_with_file_base(void **state)
{
	static const char xml[] =
		"<rss version=\"2.0\" xmlns:podcast=\"https://podcastindex.org/namespace/1.0\">"
		"<channel><title>Demo</title><image><url>cover.png</url></image><item>"
		"<enclosure url=\"media/ep1.mp3\" type=\"audio/mpeg\"/>"
		"<podcast:transcript url=\"../shared/ep1.srt\" type=\"application/srt\"/>"
		"<link>/index.html</link></item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, "file:///tmp/x/feed.xml", &f, &err), 0);
	assert_string_equal(f.image_url, "file:///tmp/x/cover.png");
	assert_string_equal(f.episodes[0].media_url, "file:///tmp/x/media/ep1.mp3");
	assert_string_equal(f.episodes[0].transcripts[0].url, "file:///tmp/shared/ep1.srt");
	assert_string_equal(f.episodes[0].link, "file:///index.html");
	feed_release(&f);
	assert_int_equal(parse(xml, NULL, &f, &err), 0);
	assert_string_equal(f.episodes[0].media_url, "media/ep1.mp3");
	feed_release(&f);
	sbuf_release(&err);
}

static void namespaces_matched_by_uri(void **state)
{
	static const char xml[] =
		"<rss version=\"2.0\" xmlns:it=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""
		" xmlns:pi=\"https://podcastindex.org/namespace/1.0\""
		" xmlns:podcast=\"https://example.com/not-podcasting\""
		" xmlns:itunes=\"https://example.com/not-itunes\"><channel><title>NS</title>"
		"<it:author>Real Author</it:author><itunes:author>Fake Author</itunes:author>"
		"<item><title>T</title>"
		"<itunes:duration>99</itunes:duration><it:duration>10:00</it:duration>"
		"<podcast:person role=\"guest\">Fake Guest</podcast:person>"
		"<pi:person role=\"guest\">Real Guest</pi:person>"
		"<podcast:chapters url=\"https://x/fake.json\"/>"
		"<pi:chapters url=\"https://x/real.json\"/>"
		"<desc:encoded xmlns:desc=\"http://purl.org/rss/1.0/modules/content/\">"
		"Body</desc:encoded>"
		"</item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);
	const struct episode *e;

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_string_equal(f.author, "Real Author");
	assert_false(strlist_has(&f.authors, "Fake Author"));
	e = &f.episodes[0];
	assert_int_equal(e->duration_seconds, 600);
	assert_int_equal(e->nr_persons, 1);
	assert_string_equal(e->persons[0].name, "Real Guest");
	assert_string_equal(e->chapters_url, "https://x/real.json");
	assert_string_equal(e->description, "Body");
	feed_release(&f);
	sbuf_release(&err);
}

/* Transcript-ish elements in other namespaces count; the same URL only once. */
static void transcript_suffix_matching(void **state)
{
	static const char xml[] =
		"<rss version=\"2.0\" xmlns:x=\"urn:vendor\"><channel><item>"
		"<x:episodeTranscript href=\"a.txt\" type=\"text/plain\"/>"
		"<x:wrapper><x:Transcript url=\"b.html\"/></x:wrapper>"
		"<transcript>c.vtt</transcript>"
		"<x:transcript>no url attribute</x:transcript>"
		"<x:transcripts url=\"not-a-suffix-match.vtt\"/>"
		"<x:transcript url=\"a.txt\"/>"
		"</item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);
	const struct episode *e;

	(void)state;
	assert_int_equal(parse(xml, "https://h/p/feed", &f, &err), 0);
	e = &f.episodes[0];
	assert_int_equal(e->nr_transcripts, 3);
	assert_string_equal(e->transcripts[0].url, "https://h/p/a.txt");
	assert_string_equal(e->transcripts[0].type, "text/plain");
	assert_string_equal(e->transcripts[1].url, "https://h/p/b.html");
	assert_string_equal(e->transcripts[2].url, "https://h/p/c.vtt");
	feed_release(&f);
	sbuf_release(&err);
}

static void expect_error(const char *xml, int code, const char *needle)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);
	int ret = parse(xml, BASE, &f, &err);

	if (ret != code || !strstr(err.buf, needle))
		fail_msg("got %d \"%s\", want %d containing \"%s\"", ret, err.buf, code, needle);
	assert_null(f.episodes);
	assert_null(f.title);
	sbuf_release(&err);
}

static void external_entity_refused(void **state)
{
	(void)state;
	expect_error("<?xml version=\"1.0\"?>\n"
		     "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		     "<rss version=\"2.0\"><channel><title>&xxe;</title></channel></rss>",
		     -PC_EHOSTILE, "hostile XML: the DOCTYPE declares entities");
	expect_error("<!DOCTYPE rss [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
		     "<rss><channel/></rss>", -PC_EHOSTILE, "hostile XML");
	expect_error("<!DOCTYPE rss [<!ENTITY x \"harmless\">]>"
		     "<rss><channel><title>&x;</title></channel></rss>",
		     -PC_EHOSTILE, "entity expansion are refused");
}

/* Atom 0.3: issued/modified dates, tagline, escaped and xml content modes. */
static void atom03_feed_parsed(void **state)
{
	static const char xml[] =
		"<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
		"<title>Old Blog</title><tagline mode=\"escaped\" type=\"text/html\">"
		"Talk &lt;b&gt;radio&lt;/b&gt;</tagline>"
		"<link rel=\"alternate\" type=\"text/html\" href=\"/home\"/>"
		"<modified>2005-03-02T10:00:00Z</modified>"
		"<author><name>Ann Host</name></author>"
		"<entry><title>First</title><id>tag:e1</id>"
		"<link rel=\"alternate\" href=\"e1.html\"/>"
		"<link rel=\"enclosure\" type=\"audio/mpeg\" length=\"1234\" href=\"e1.mp3\"/>"
		"<issued>2005-03-01T09:00:00-05:00</issued>"
		"<modified>2005-03-02T09:00:00Z</modified>"
		"<content type=\"text/html\" mode=\"escaped\">&lt;p&gt;Hello &amp;amp; bye&lt;/p&gt;"
		"</content></entry>"
		"<entry><title>Second</title><id>tag:e2</id>"
		"<modified>2005-03-03T00:00:00Z</modified>"
		"<content type=\"application/xhtml+xml\" mode=\"xml\">"
		"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Inline</p></div></content>"
		"<summary mode=\"base64\">SGk=</summary></entry></feed>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, "https://old.example/atom.xml", &f, &err), 0);
	assert_string_equal(f.title, "Old Blog");
	assert_string_equal(f.description, "Talk radio");
	assert_string_equal(f.link, "https://old.example/home");
	assert_int_equal(f.last_updated, 1109757600);
	assert_string_equal(f.author, "Ann Host");
	assert_int_equal(f.nr_episodes, 2);
	assert_string_equal(f.episodes[0].guid, "tag:e1");
	assert_string_equal(f.episodes[0].link, "https://old.example/e1.html");
	assert_string_equal(f.episodes[0].media_url, "https://old.example/e1.mp3");
	assert_string_equal(f.episodes[0].media_type, "audio/mpeg");
	assert_int_equal(f.episodes[0].media_length, 1234);
	assert_int_equal(f.episodes[0].published, 1109685600);
	assert_string_equal(f.episodes[0].description, "Hello & bye");
	assert_int_equal(f.episodes[1].published, 1109808000);
	assert_string_equal(f.episodes[1].description, "Inline");
	feed_release(&f);
	sbuf_release(&err);
}

/* HTML's named characters, used without any DTD, read as the characters. */
static void html_entities_read_as_characters(void **state)
{
	static const char xml[] =
		"<rss version=\"2.0\"><channel><title>Caf&eacute; &mdash; live&hellip;</title>"
		"<item><title>A&nbsp;B &amp; &lt;C&gt;</title><guid>g&copy;</guid>"
		"<enclosure url=\"https://e.org/a&eacute;.mp3\" type=\"audio/mpeg\"/>"
		"</item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_string_equal(f.title, "Caf\xC3\xA9 \xE2\x80\x94 live\xE2\x80\xA6");
	assert_string_equal(f.episodes[0].title, "A\xC2\xA0" "B & <C>");
	assert_string_equal(f.episodes[0].guid, "g\xC2\xA9");
	assert_non_null(strstr(f.episodes[0].media_url, "a%C3%A9.mp3") ?
			f.episodes[0].media_url : strstr(f.episodes[0].media_url, "a\xC3\xA9"));
	assert_null(f.warning);
	feed_release(&f);
	sbuf_release(&err);
}

/* A name HTML does not know stays as text, and the feed carries one warning. */
static void unknown_entities_kept_as_text(void **state)
{
	static const char xml[] =
		"<rss version=\"2.0\"><channel><title>x &bogus; y</title>"
		"<item><title a=\"&zz;\">&zz;&nbsp;&bogus;</title></item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_string_equal(f.title, "x &bogus; y");
	assert_string_equal(f.episodes[0].title, "&zz;\xC2\xA0&bogus;");
	assert_non_null(f.warning);
	assert_non_null(strstr(f.warning, "undefined entity '&bogus;' kept as text"));
	assert_non_null(strstr(f.warning, "(2 undefined names in all)"));
	feed_release(&f);
	sbuf_release(&err);
}

/* However long the unknown name, it comes back as written. */
static void long_unknown_entity_kept(void **state)
{
	struct sbuf xml = SBUF_INIT(1 << 16), want = SBUF_INIT(1 << 16);
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	sbuf_adds(&want, "a &");
	for (int i = 0; i < 3000; i++)
		sbuf_addch(&want, 'n');
	sbuf_adds(&want, "; b");
	sbuf_addf(&xml, "<rss><channel><title>%s</title></channel></rss>", want.buf);
	assert_int_equal(parse(xml.buf, BASE, &f, &err), 0);
	assert_string_equal(f.title, want.buf);
	feed_release(&f);
	sbuf_release(&err);
	sbuf_release(&xml);
	sbuf_release(&want);
}

/* Declaring even an HTML name is still a declaration, and refused. */
static void declared_html_entity_still_refused(void **state)
{
	(void)state;
	expect_error("<!DOCTYPE rss [<!ENTITY nbsp \"&#160;\">]>"
		     "<rss><channel><title>&nbsp;</title></channel></rss>",
		     -PC_EHOSTILE, "hostile XML");
	expect_error("<!DOCTYPE rss [<!ENTITY eacute SYSTEM \"file:///etc/passwd\">]>"
		     "<rss><channel><title>&eacute;</title></channel></rss>",
		     -PC_EHOSTILE, "hostile XML");
}

/* Ten levels of ten: 10^10 "lol"s if anything expanded it. */
static void billion_laughs_refused(void **state)
{
	struct sbuf xml = SBUF_INIT(1 << 16);

	(void)state;
	sbuf_adds(&xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
		  " <!ENTITY lol0 \"lol\">\n");
	for (int i = 1; i <= 10; i++) {
		sbuf_addf(&xml, " <!ENTITY lol%d \"", i);
		for (int j = 0; j < 10; j++)
			sbuf_addf(&xml, "&lol%d;", i - 1);
		sbuf_adds(&xml, "\">\n");
	}
	sbuf_adds(&xml, "]>\n<rss><channel><title>&lol10;</title></channel></rss>\n");
	expect_error(xml.buf, -PC_EHOSTILE, "hostile XML");
	sbuf_release(&xml);
}

/* A DOCTYPE without entity declarations is fine, and its DTD never loaded. */
static void plain_doctype_accepted(void **state)
{
	static const char xml[] =
		"<!DOCTYPE rss SYSTEM \"file:///nonexistent/rss.dtd\">"
		"<rss><channel><title>Ok</title></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_string_equal(f.title, "Ok");
	assert_int_equal(f.nr_episodes, 0);
	feed_release(&f);
	sbuf_release(&err);
}

static void non_feeds_rejected(void **state)
{
	(void)state;
	expect_error("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Hi</title>"
		     "</head><body><p>Not found<br></body></html>",
		     -PC_EPARSE, "not an RSS or Atom document (root element <html>)");
	expect_error("<!doctype html><html lang=en><body>oops", -PC_EPARSE,
		     "not an RSS or Atom document (root element <html>)");
	expect_error("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
		     -PC_EPARSE, "not an RSS or Atom document (root element <html>)");
	expect_error("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>",
		     -PC_EPARSE, "not an RSS or Atom document (root element <svg>)");
	expect_error("<feed><title>Atom without its namespace</title></feed>",
		     -PC_EPARSE, "(root element <feed> in namespace '')");
	expect_error("<a:feed xmlns:a=\"http://purl.org/atom/ns\"/>", -PC_EPARSE,
		     "(root element <a:feed> in namespace 'http://purl.org/atom/ns')");
	expect_error("<rss version=\"2.0\"><item/></rss>", -PC_EPARSE, "without a <channel>");
}

static void malformed_xml_has_line(void **state)
{
	size_t cut = strstr(realistic_rss, "<itunes:episode>") - realistic_rss;
	char *truncated = pc_strndup(realistic_rss, cut);
	char want[64];
	int line = 1;

	(void)state;
	for (size_t i = 0; i < cut; i++)
		line += truncated[i] == '\n';
	snprintf(want, sizeof(want), "XML error at line %d: ", line);
	expect_error(truncated, -PC_EPARSE, want);
	expect_error("<rss><channel>\n<title>a</titel>\n</channel></rss>", -PC_EPARSE,
		     "XML error at line 2: Opening and ending tag mismatch");
	expect_error("just some text", -PC_EPARSE, "XML error at line 1: ");
	expect_error("<rss><channel/></rss><rss/>", -PC_EPARSE, "Extra content");
	free(truncated);
}

static void empty_input_rejected(void **state)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(feed_parse("", 0, BASE, &f, &err), -PC_EPARSE);
	assert_string_equal(err.buf, "empty document (0 bytes)");
	sbuf_reset(&err);
	assert_int_equal(feed_parse(NULL, 0, BASE, &f, &err), -PC_EPARSE);
	sbuf_reset(&err);
	assert_int_equal(parse(" \n\t ", BASE, &f, &err), -PC_EPARSE);
	assert_non_null(strstr(err.buf, "empty document"));
	sbuf_release(&err);
}

static void zero_items_is_valid(void **state)
{
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse("<rss version=\"2.0\"><channel><title>Nothing yet</title>"
			       "</channel></rss>", BASE, &f, &err), 0);
	assert_int_equal(f.nr_episodes, 0);
	assert_string_equal(f.title, "Nothing yet");
	assert_null(f.description);
	assert_null(f.image_url);
	assert_int_equal(f.last_updated, 0);
	feed_release(&f);
	sbuf_release(&err);
}

static void unicode_and_long_titles_byte_exact(void **state)
{
	const char *emoji = "Episode \xF0\x9F\x8E\x99\xEF\xB8\x8F \xF0\x9F\x91\xA9\xE2\x80\x8D"
			    "\xF0\x9F\x92\xBB live";
	const char *rtl = "\xD7\xA4\xD7\xA8\xD7\xA7 \xD7\x90\xD7\x97\xD7\x93 \xE2\x80\x8F"
			  "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9";
	struct sbuf xml = SBUF_INIT(1 << 16), longt = SBUF_INIT(4096);
	struct sbuf err = SBUF_INIT(1024);
	struct feed f = FEED_INIT;

	(void)state;
	for (int i = 0; longt.len < 2048; i++)
		sbuf_addf(&longt, "%c\xC3\xA9", 'a' + i % 26);
	sbuf_addf(&xml, "<rss><channel><item><title>%s</title></item>"
		  "<item><title>%s</title></item><item><title>%s</title></item>"
		  "</channel></rss>", emoji, rtl, longt.buf);
	assert_int_equal(parse(xml.buf, BASE, &f, &err), 0);
	assert_int_equal(f.nr_episodes, 3);
	assert_string_equal(f.episodes[0].title, emoji);
	assert_string_equal(f.episodes[1].title, rtl);
	assert_string_equal(f.episodes[2].title, longt.buf);
	feed_release(&f);
	sbuf_release(&xml);
	sbuf_release(&longt);
	sbuf_release(&err);
}

/* Whatever the declared encoding, every string comes out as UTF-8. */
static void declared_encoding_converted(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		"<rss><channel><title>Caf\xE9 \xFC" "ber</title></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_string_equal(f.title, "Caf\xC3\xA9 \xC3\xBC" "ber");
	feed_release(&f);
	sbuf_release(&err);
}

static void missing_and_duplicate_fields(void **state)
{
	static const char xml[] =
		"<rss><channel><item><enclosure url=\"a.mp3\"/></item>"
		"<item><title>  </title><guid>same</guid><description>one</description></item>"
		"<item><title>Two</title><guid>same</guid><itunes:duration "
		"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">soon"
		"</itunes:duration><enclosure type=\"audio/mpeg\"/></item></channel></rss>";
	struct feed f = FEED_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(parse(xml, BASE, &f, &err), 0);
	assert_null(f.title);
	assert_int_equal(f.nr_episodes, 3);
	assert_null(f.episodes[0].title);
	assert_null(f.episodes[0].guid);
	assert_null(f.episodes[0].description);
	assert_int_equal(f.episodes[0].published, 0);
	assert_null(f.episodes[0].media_type);
	assert_null(f.episodes[1].title);
	assert_string_equal(f.episodes[1].guid, "same");
	assert_string_equal(f.episodes[1].description, "one");
	assert_string_equal(f.episodes[2].title, "Two");
	assert_string_equal(f.episodes[2].guid, "same");
	assert_int_equal(f.episodes[2].duration_seconds, -1);
	assert_null(f.episodes[2].media_url);
	assert_null(f.episodes[2].media_type);
	feed_release(&f);
	sbuf_release(&err);
}

/*
 * Every 7th prefix of the fixture, and the whole: a prefix succeeds only once
 * it holds the closing </rss>; every other one fails with a message.
 */
static void prefixes_never_crash(void **state)
{
	size_t len = strlen(realistic_rss);
	size_t complete = strstr(realistic_rss, "</rss>") - realistic_rss + 6;

	(void)state;
	for (size_t n = 0; n <= len; n = n + 7 > len && n != len ? len : n + 7) {
		struct feed f = FEED_INIT;
		struct sbuf err = SBUF_INIT(1024);
		int ret = feed_parse(realistic_rss, n, BASE, &f, &err);

		if (ret == 0 ? n < complete : ret > 0 || !err.len)
			fail_msg("prefix %zu: ret %d err \"%s\"", n, ret, err.buf);
		if (n == len)
			assert_int_equal(f.nr_episodes, 2);
		feed_release(&f);
		sbuf_release(&err);
		if (n == len)
			break;
	}
}

/* libxml2 must not print: parse bad input with stderr pointed at a file. */
static void libxml2_never_prints(void **state)
{
	char path[] = "/tmp/feed_stderr_XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	struct stat st;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	expect_error("<rss><channel><title>x</channel>", -PC_EPARSE, "XML error");
	expect_error("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><rss/>",
		     -PC_EPARSE, "XML error");
	expect_error("<!DOCTYPE rss [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]><rss>&a;</rss>",
		     -PC_EHOSTILE, "hostile");
	expect_error("<html><body><p>a<br></body></html>", -PC_EPARSE, "<html>");
	free(feed_html_to_text("<p>bad <b>html &bogus; <<<</i></p></div>"));
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	assert_int_equal(st.st_size, 0);
}

static void *parse_many(void *arg)
{
	long *failures = arg;

	for (int i = 0; i < 40; i++) {
		struct feed f = FEED_INIT;
		struct sbuf err = SBUF_INIT(1024);
		bool good = i % 2 == 0;
		int ret = good ? parse(realistic_rss, BASE, &f, &err) :
			  parse("<rss><channel>\n<title>x</channel></rss>", BASE, &f, &err);

		if (good ? ret != 0 || f.nr_episodes != 2 || f.episodes[0].nr_transcripts != 3 :
			   ret != -PC_EPARSE || !strstr(err.buf, "XML error at line 2"))
			(*failures)++;
		feed_release(&f);
		sbuf_release(&err);
	}
	return NULL;
}

static void parses_in_parallel_threads(void **state)
{
	pthread_t th[4];
	long failures[4] = { 0 };

	(void)state;
	feed_global_init();
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, parse_many, &failures[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(failures[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(realistic_rss_every_field),
		cmocka_unit_test(atom_feed_parsed),
		cmocka_unit_test(atom03_feed_parsed),
		cmocka_unit_test(relative_urls_with_file_base),
		cmocka_unit_test(namespaces_matched_by_uri),
		cmocka_unit_test(transcript_suffix_matching),
		cmocka_unit_test(external_entity_refused),
		cmocka_unit_test(billion_laughs_refused),
		cmocka_unit_test(html_entities_read_as_characters),
		cmocka_unit_test(unknown_entities_kept_as_text),
		cmocka_unit_test(long_unknown_entity_kept),
		cmocka_unit_test(declared_html_entity_still_refused),
		cmocka_unit_test(plain_doctype_accepted),
		cmocka_unit_test(non_feeds_rejected),
		cmocka_unit_test(malformed_xml_has_line),
		cmocka_unit_test(empty_input_rejected),
		cmocka_unit_test(zero_items_is_valid),
		cmocka_unit_test(unicode_and_long_titles_byte_exact),
		cmocka_unit_test(declared_encoding_converted),
		cmocka_unit_test(missing_and_duplicate_fields),
		cmocka_unit_test(prefixes_never_crash),
		cmocka_unit_test(libxml2_never_prints),
		cmocka_unit_test(parses_in_parallel_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
