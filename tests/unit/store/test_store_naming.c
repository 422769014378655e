/* Unit tests for output names: stems, feed folders, feed and episode ids. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "store/store.h"
#include "util/hash.h"

/* 2024-01-15T12:00:00Z */
#define JAN15 ((time_t)1705320000)
/* sha1("abc") = a9993e36..., the FIPS 180 test vector. */
#define ABC_ID6 "a9993e"

/* Valid UTF-8 according to the C library's own decoder, not ours. */
static bool libc_valid_utf8(const char *s)
{
	mbstate_t st;
	const char *p = s;

	memset(&st, 0, sizeof(st));
	return mbsrtowcs(NULL, &p, 0, &st) != (size_t)-1;
}

static char *stem_for(const char *title, time_t published)
{
	struct episode ep = { 0 };

	ep.title = (char *)title;
	ep.published = published;
	return store_episode_stem(&ep, "abc");
}

struct stem_case {
	const char *title;
	time_t published;
	const char *expect;
};

static void stem_table(void **state)
{
	static const struct stem_case cases[] = {
		{ "Hello World", JAN15, "2024-01-15_Hello_World_" ABC_ID6 },
		{ "Hello World", 0, "0000-00-00_Hello_World_" ABC_ID6 },
		{ NULL, JAN15, "2024-01-15_untitled_" ABC_ID6 },
		{ "AC/DC: Live?", JAN15, "2024-01-15_AC_DC_Live_" ABC_ID6 },
		{ "back\\slash *star* \"q\" <a> |p|", JAN15,
		  "2024-01-15_back_slash_star_q_a_p_" ABC_ID6 },
		{ "..hidden", JAN15, "2024-01-15_hidden_" ABC_ID6 },
		{ "../../etc/passwd", JAN15, "2024-01-15_etc_passwd_" ABC_ID6 },
		{ "x..y", JAN15, "2024-01-15_x..y_" ABC_ID6 },
		{ "  a \t\n  b  ", JAN15, "2024-01-15_a_b_" ABC_ID6 },
		{ "__a___b__", JAN15, "2024-01-15_a_b_" ABC_ID6 },
		{ "a\x01" "b\x7f" "c\x1b[31m", JAN15, "2024-01-15_a_b_c_[31m_" ABC_ID6 },
		{ "?*:|/\\<>\"...", JAN15, "2024-01-15_untitled_" ABC_ID6 },
		{ "...", JAN15, "2024-01-15_untitled_" ABC_ID6 },
		{ "Q&A (part 2)!", JAN15, "2024-01-15_Q&A_(part_2)!_" ABC_ID6 },
		{ "\xF0\x9F\x8E\x99\xEF\xB8\x8F Live \xF0\x9F\x94\xA5", JAN15,
		  "2024-01-15_\xF0\x9F\x8E\x99\xEF\xB8\x8F_Live_\xF0\x9F\x94\xA5_" ABC_ID6 },
		/* Arabic and Hebrew keep their letters (and logical order). */
		{ "\xD8\xAD\xD9\x84\xD9\x82\xD8\xA9 \xD8\xAC\xD8\xAF\xD9\x8A\xD8\xAF\xD8\xA9", JAN15,
		  "2024-01-15_\xD8\xAD\xD9\x84\xD9\x82\xD8\xA9_\xD8\xAC\xD8\xAF\xD9\x8A\xD8\xAF\xD8\xA9_"
		  ABC_ID6 },
		{ "\xD7\xA4\xD7\xA8\xD7\xA7 \xD7\x97\xD7\x93\xD7\xA9", JAN15,
		  "2024-01-15_\xD7\xA4\xD7\xA8\xD7\xA7_\xD7\x97\xD7\x93\xD7\xA9_" ABC_ID6 },
		{ "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", JAN15,
		  "2024-01-15_\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E_" ABC_ID6 },
		/* Invalid bytes, an overlong '/', a surrogate: each replaced. */
		{ "caf\xE9 au lait", JAN15, "2024-01-15_caf_au_lait_" ABC_ID6 },
		{ "a\xC0\xAF" "b", JAN15, "2024-01-15_a_b_" ABC_ID6 },
		{ "a\xED\xA0\x80" "b", JAN15, "2024-01-15_a_b_" ABC_ID6 },
		{ "\xFF\xFE", JAN15, "2024-01-15_untitled_" ABC_ID6 },
		/* No-break space collapses; a bidi override is replaced. */
		{ "a\xC2\xA0" "b", JAN15, "2024-01-15_a_b_" ABC_ID6 },
		{ "a\xE2\x80\xAE" "b", JAN15, "2024-01-15_a_b_" ABC_ID6 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *stem = stem_for(cases[i].title, cases[i].published);

		if (strcmp(stem, cases[i].expect))
			fail_msg("case %zu: got '%s', want '%s'", i, stem, cases[i].expect);
		assert_true(libc_valid_utf8(stem));
		free(stem);
	}
}

/* The title part of a stem, between the date and the id. */
static char *title_part(const char *stem)
{
	size_t len = strlen(stem);

	assert_true(len > 11 + 7);
	return strndup(stem + 11, len - 11 - 7);
}

static void long_title_cut_on_character_boundary(void **state)
{
	/* "x" then 2 KB of "ab" + a 3-byte character: byte 80 falls inside one. */
	struct sbuf title = SBUF_INIT(SBUF_NOLIMIT);
	char *stem, *part;

	(void)state;
	sbuf_adds(&title, "x");
	while (title.len < 2048)
		sbuf_adds(&title, "ab\xE6\x97\xA5");
	stem = stem_for(title.buf, JAN15);
	part = title_part(stem);
	assert_int_equal(strlen(part), 78);   /* 1 + 15 * 5 + "ab"; the next 3 bytes pass 80 */
	assert_true(libc_valid_utf8(stem));
	assert_memory_equal(part, title.buf, strlen(part));   /* a prefix of the title */
	free(part);
	free(stem);
	sbuf_release(&title);
}

static void long_two_byte_title_keeps_whole_characters(void **state)
{
	struct sbuf t = SBUF_INIT(SBUF_NOLIMIT);
	char *stem, *part;

	(void)state;
	sbuf_adds(&t, "x");
	for (int i = 0; i < 1000; i++)
		sbuf_adds(&t, "\xC3\xA9");    /* é */
	stem = stem_for(t.buf, JAN15);
	part = title_part(stem);
	assert_int_equal(strlen(part), 79);   /* "x" + 39 é; a 40th would make 81 */
	assert_true(libc_valid_utf8(part));
	free(part);
	free(stem);
	sbuf_release(&t);
}

static void id6_is_sha1_of_episode_id(void **state)
{
	struct episode ep = { 0 };
	char hex[HASH_SHA1_HEX];
	char *stem;
	const char *id = "urn:uuid:2b5b5c1e-episode-42";

	(void)state;
	ep.title = "Ep";
	hash_sha1_hex(id, strlen(id), hex);
	stem = store_episode_stem(&ep, id);
	assert_int_equal(strlen(stem), strlen("0000-00-00_Ep_") + 6);
	assert_memory_equal(stem + strlen("0000-00-00_Ep_"), hex, 6);
	free(stem);
}

static void stem_depends_only_on_the_episode(void **state)
{
	struct episode a = { 0 }, b = { 0 };
	char *s1, *s2;

	(void)state;
	a.title = b.title = "Same";
	a.published = b.published = JAN15;
	b.description = "other fields do not matter";
	b.media_url = "https://cdn.example.com/x.mp3";
	s1 = store_episode_stem(&a, "guid-1");
	s2 = store_episode_stem(&b, "guid-1");
	assert_string_equal(s1, s2);
	free(s2);
	s2 = store_episode_stem(&b, "guid-2");
	assert_string_not_equal(s1, s2);
	free(s1);
	free(s2);
}

static char *sha1_8(const char *s)
{
	char hex[HASH_SHA1_HEX];

	hash_sha1_hex(s, strlen(s), hex);
	return strndup(hex, 8);
}

static void expect_dir(const char *feed, const char *prefix, const char *hashed)
{
	char *name = store_feed_dir_name(feed);
	char *h = sha1_8(hashed);
	char want[512];

	snprintf(want, sizeof(want), "%s%s", prefix, h);
	if (strcmp(name, want))
		fail_msg("'%s': got '%s', want '%s'", feed, name, want);
	free(name);
	free(h);
}

static void feed_dir_names(void **state)
{
	static const char https[] = "https://Feeds.Example.COM:8443/show/rss.xml?x=1";
	static const char http[] = "http://example.org/podcast";
	static const char creds[] = "https://user:hunter2@host.example/feed";

	(void)state;
	expect_dir(https, "rss_feeds.example.com_", https);
	expect_dir(http, "rss_example.org_", http);
	expect_dir(creds, "rss_host.example_", creds);
	expect_dir("/srv/podcasts/My Show.xml", "file_My_Show_", "/srv/podcasts/My Show.xml");
	expect_dir("file:///srv/podcasts/My%20Show.xml", "file_My_Show_",
		   "/srv/podcasts/My Show.xml");
	expect_dir("file://localhost/srv/feed.rss", "file_feed_", "/srv/feed.rss");
	expect_dir("feeds/daily.news.xml", "file_daily.news_", "feeds/daily.news.xml");
	expect_dir("/srv/.hidden", "file_hidden_", "/srv/.hidden");
	expect_dir("/", "file_feed_", "/");
}

static void feed_id_normalizes_url(void **state)
{
	char *a = store_feed_id("HTTPS://Example.COM:443/feed#latest");
	char *b = store_feed_id("https://example.com/feed");
	char *c = store_feed_id("https://example.com:8443/feed");
	char *d = store_feed_id("http://example.com");
	char *e = store_feed_id("http://example.com:80/");

	(void)state;
	assert_string_equal(a, b);
	assert_string_not_equal(b, c);
	assert_string_equal(d, e);
	assert_int_equal(strlen(a), strlen("sha256:") + 64);
	assert_memory_equal(a, "sha256:", 7);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
}

static void episode_id_guid_else_hash(void **state)
{
	static const char url[] = "https://example.com/feed";
	static const char key[] = "https://example.com/feed|Title|2024-01-15T12:00:00Z|https://l/1";
	struct episode ep = { 0 };
	char hex[HASH_SHA256_HEX], want[80];
	char *id1, *id2;

	(void)state;
	ep.guid = "guid-123";
	id1 = store_episode_id(&ep, url);
	assert_string_equal(id1, "guid-123");
	free(id1);
	/* a permalink's token never becomes part of the id */
	ep.guid = "https://x.example/ep?token=abc&n=2";
	id1 = store_episode_id(&ep, url);
	assert_string_equal(id1, "https://x.example/ep?token=***&n=2");
	free(id1);

	ep.guid = "   ";          /* blank counts as missing */
	ep.title = "Title";
	ep.link = "https://l/1";
	ep.published = JAN15;
	hash_sha256_hex(key, strlen(key), hex);
	snprintf(want, sizeof(want), "sha256:%s", hex);
	id1 = store_episode_id(&ep, url);
	id2 = store_episode_id(&ep, url);
	assert_string_equal(id1, want);
	assert_string_equal(id1, id2);
	free(id2);
	ep.link = "https://l/2";
	id2 = store_episode_id(&ep, url);
	assert_string_not_equal(id1, id2);
	free(id1);
	free(id2);
}

static void episode_id_without_date(void **state)
{
	static const char key[] = "u|T||";
	struct episode ep = { 0 };
	char hex[HASH_SHA256_HEX];
	char *id;

	(void)state;
	ep.title = "T";
	hash_sha256_hex(key, strlen(key), hex);
	id = store_episode_id(&ep, "u");
	assert_string_equal(id + 7, hex);
	free(id);
}

static void relative_paths(void **state)
{
	static const struct { enum store_file kind; const char *ext, *want; } cases[] = {
		{ STORE_TRANSCRIPT, "vtt", "transcripts/S.vtt" },
		{ STORE_TEXT, NULL, "transcripts/S.txt" },
		{ STORE_SEGMENTS, NULL, "transcripts/S.segments.json" },
		{ STORE_SCREENPLAY, NULL, "transcripts/S.screenplay.txt" },
		{ STORE_METADATA_JSON, NULL, "metadata/S.metadata.json" },
		{ STORE_METADATA_YAML, NULL, "metadata/S.metadata.yaml" },
		{ STORE_MEDIA, "mp3", "media/S.mp3" },
		{ STORE_MEDIA, "../../x", "media/S.x" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = store_relpath(cases[i].kind, "S", cases[i].ext);

		assert_string_equal(p, cases[i].want);
		free(p);
	}
}

/* metadata_subdirectory moves metadata only; unset brings metadata/ back. */
static void metadata_folder_chosen(void **state)
{
	char *p;

	(void)state;
	store_set_metadata_dir("meta/data/");
	assert_string_equal(store_metadata_dir(), "meta/data");
	p = store_relpath(STORE_METADATA_YAML, "S", NULL);
	assert_string_equal(p, "meta/data/S.metadata.yaml");
	free(p);
	p = store_relpath(STORE_TEXT, "S", NULL);
	assert_string_equal(p, "transcripts/S.txt");
	free(p);
	store_set_metadata_dir("");
	assert_string_equal(store_metadata_dir(), "metadata");
	store_set_metadata_dir("m");
	store_set_metadata_dir(NULL);
	p = store_relpath(STORE_METADATA_JSON, "S", NULL);
	assert_string_equal(p, "metadata/S.metadata.json");
	free(p);
}

/* Shards follow the feed id, so URL spellings of one feed share a shard. */
static void feed_shard_follows_the_normalized_url(void **state)
{
	char url[128];
	unsigned count[3] = { 0 };

	(void)state;
	for (unsigned n = 1; n < 50; n++)
		assert_int_equal(store_feed_shard("HTTP://Example.ORG:80/feed.xml#top", n),
				 store_feed_shard("http://example.org/feed.xml", n));
	assert_int_equal(store_feed_shard("http://example.org/feed.xml", 1), 0);
	for (int i = 0; i < 600; i++) {
		snprintf(url, sizeof(url), "https://host%d.example/feed.xml", i);
		count[store_feed_shard(url, 3)]++;
	}
	/* a fair hash puts about 200 in each; 150 is over 4 standard deviations off */
	for (int k = 0; k < 3; k++)
		assert_true(count[k] > 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stem_table),
		cmocka_unit_test(long_title_cut_on_character_boundary),
		cmocka_unit_test(long_two_byte_title_keeps_whole_characters),
		cmocka_unit_test(id6_is_sha1_of_episode_id),
		cmocka_unit_test(stem_depends_only_on_the_episode),
		cmocka_unit_test(feed_dir_names),
		cmocka_unit_test(feed_id_normalizes_url),
		cmocka_unit_test(feed_shard_follows_the_normalized_url),
		cmocka_unit_test(episode_id_guid_else_hash),
		cmocka_unit_test(episode_id_without_date),
		cmocka_unit_test(relative_paths),
		cmocka_unit_test(metadata_folder_chosen),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
