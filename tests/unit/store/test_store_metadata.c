/*
 * Unit tests for metadata documents: every schema key present, JSON and
 * YAML renderings that read back to the same values, secrets redacted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "store/store.h"
#include "util/fs.h"

#define JAN15 ((time_t)1705320000)
#define SECRET "sk-test-DO-NOT-LEAK-4242"

static char dir[] = "/tmp/pc_test_metadata_XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

/* ---- Fixture: a feed and an episode filled by hand ------------------------ */

static struct transcript_ref refs[] = {
	{ "https://example.com/ep1.vtt", "text/vtt", "en", "captions" },
	{ "https://example.com/ep1.json", "application/json", NULL, NULL },
};

static struct episode fixture_episode(void)
{
	struct episode ep = { 0 };

	/* Strings a YAML reader would take for other types unless quoted. */
	ep.title = "yes";
	ep.description = "null\nsecond line: with colon # and hash\n\t\"quoted\" \\ back";
	ep.guid = "1.0";
	ep.link = "- dash";
	ep.published = JAN15;
	ep.duration_seconds = 3600;
	ep.episode_number = -1;
	ep.media_url = "https://cdn.example.com/ep1.mp3";
	ep.media_type = "audio/mpeg";
	ep.transcripts = refs;
	ep.nr_transcripts = ARRAY_SIZE(refs);
	return ep;
}

static struct feed fixture_feed(void)
{
	struct feed f = FEED_INIT;

	f.title = "Caf\xC3\xA9 \xF0\x9F\x8E\x99 \xD7\xA4\xD7\xA8\xD7\xA7";
	f.description = "";
	f.language = "en";
	f.last_updated = JAN15 + 60;
	return f;
}

static json_t *fixture_config(void)
{
	return json_pack("{s:s, s:i, s:s, s:{s:s}}", "openai_api_key", SECRET,
			 "workers", 4, "output_dir", "out", "nested", "auth_token", SECRET);
}

struct doc_parts {
	struct feed feed;
	struct episode ep;
	struct strlist hosts, guests;
	json_t *config;
};

static void full_doc(struct doc_parts *p, struct store_episode_doc *d,
		     const struct store_summary *summary, const struct store_speaker *spk,
		     size_t nr_spk)
{
	p->feed = fixture_feed();
	p->ep = fixture_episode();
	p->hosts = (struct strlist)STRLIST_INIT;
	p->guests = (struct strlist)STRLIST_INIT;
	strlist_push(&p->feed.authors, "Ann Host");
	strlist_push(&p->hosts, "Ann Host");
	strlist_push(&p->guests, "true");
	p->config = fixture_config();
	*d = (struct store_episode_doc) {
		.feed = &p->feed, .feed_url = "https://example.com/feed", .episode = &p->ep,
		.transcript_file_path = "transcripts/x.vtt",
		.transcript_source = "direct_download",
		.speakers = spk, .nr_speakers = nr_spk,
		.detected_hosts = &p->hosts, .detected_guests = &p->guests,
		.processing_timestamp = JAN15 + 3600, .output_directory = "/out/feed",
		.run_id = "20240115-130000-abcdef", .config_snapshot = p->config,
		.timings = { 1.5, 0.25, 12.125, -1, 3, 17 },
		.transcription_device = { "auto", "cpu" },
		.summarization_device = { "cuda", "cpu" },
		.attempts = 2, .worker_crashes = 1, .summary = summary,
	};
}

static void release_parts(struct doc_parts *p)
{
	strlist_release(&p->feed.authors);
	strlist_release(&p->hosts);
	strlist_release(&p->guests);
	json_decref(p->config);
}

/* ---- Schema ----------------------------------------------------------------- */

static const char *const schema_paths[] = {
	"feed", "feed.title", "feed.url", "feed.feed_id", "feed.description", "feed.language",
	"feed.authors", "feed.image_url", "feed.last_updated",
	"episode", "episode.title", "episode.description", "episode.published_date",
	"episode.guid", "episode.link", "episode.duration_seconds", "episode.episode_number",
	"episode.image_url", "episode.episode_id",
	"content", "content.transcript_urls", "content.media_url", "content.media_id",
	"content.media_type", "content.transcript_file_path", "content.transcript_source",
	"content.whisper_model", "content.asr_engine", "content.asr_model", "content.speakers", "content.detected_hosts",
	"content.detected_guests",
	"processing", "processing.processing_timestamp", "processing.output_directory",
	"processing.run_id", "processing.config_snapshot", "processing.schema_version",
	"processing.stage_timings", "processing.stage_timings.download",
	"processing.stage_timings.decode", "processing.stage_timings.transcribe",
	"processing.stage_timings.speakers", "processing.stage_timings.summarize",
	"processing.stage_timings.total", "processing.stage_timings.download_media_time",
	"processing.stage_timings.transcribe_time", "processing.stage_timings.extract_names_time",
	"processing.stage_timings.summarize_time", "processing.stage_timings.total_processing_time",
	"processing.devices",
	"processing.devices.transcription", "processing.devices.transcription.requested",
	"processing.devices.transcription.used", "processing.devices.summarization",
	"processing.devices.summarization.requested", "processing.devices.summarization.used",
	"processing.attempts", "processing.worker_crashes",
	"summary",
};

static const char *const summary_paths[] = {
	"summary.short_summary", "summary.key_points", "summary.generated_at",
	"summary.provider", "summary.word_count", "summary.transcript_word_count",
	"summary.bullets", "summary.schema_status",
};

/* The value at a dotted path, or NULL when a key is absent (null is a value). */
static json_t *at(json_t *doc, const char *path)
{
	char *copy = strdup(path), *save = NULL;
	json_t *cur = doc;

	for (char *k = strtok_r(copy, ".", &save); k && cur; k = strtok_r(NULL, ".", &save))
		cur = json_is_object(cur) ? json_object_get(cur, k) : NULL;
	free(copy);
	return cur;
}

static void assert_paths(json_t *doc, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!at(doc, paths[i]))
			fail_msg("missing key '%s'", paths[i]);
}

static void every_key_present_even_when_empty(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { .duration_seconds = -1, .episode_number = -1 };
	struct store_episode_doc d = { .feed = &f, .feed_url = "/srv/feed.xml", .episode = &ep,
				       .timings = STORE_TIMINGS_NONE };
	json_t *doc;

	(void)state;
	doc = store_metadata_build(&d);
	assert_paths(doc, schema_paths, ARRAY_SIZE(schema_paths));
	assert_true(json_is_null(at(doc, "summary")));
	assert_true(json_is_null(at(doc, "episode.title")));
	assert_true(json_is_null(at(doc, "episode.published_date")));
	assert_true(json_is_null(at(doc, "episode.duration_seconds")));
	assert_true(json_is_null(at(doc, "content.media_id")));
	assert_true(json_is_null(at(doc, "processing.stage_timings.total")));
	/* the Python model types config_snapshot as an object: empty, never null */
	assert_int_equal(json_object_size(at(doc, "processing.config_snapshot")), 0);
	assert_true(json_is_object(at(doc, "processing.config_snapshot")));
	assert_true(json_is_null(at(doc, "content.whisper_model")));
	assert_int_equal(json_array_size(at(doc, "content.detected_hosts")), 0);
	assert_string_equal(json_string_value(at(doc, "processing.schema_version")), "1.1.0");
	/* without a guid the id is derived, and the same every time */
	assert_memory_equal(json_string_value(at(doc, "episode.episode_id")), "sha256:", 7);
	json_decref(doc);
}

static void values_follow_the_model(void **state)
{
	static const char *const points[] = { "first point", "second point" };
	struct store_summary sum = { "Short.", points, 2, JAN15 + 7200, "textrank", 2, 4200 };
	struct store_speaker spk[] = { { "spk_0", "Ann Host", "host", "feed" } };
	struct store_episode_doc d;
	struct doc_parts p;
	json_t *doc, *t0;
	char *feed_id;

	(void)state;
	full_doc(&p, &d, &sum, spk, 1);
	doc = store_metadata_build(&d);
	assert_paths(doc, schema_paths, ARRAY_SIZE(schema_paths));
	assert_paths(doc, summary_paths, ARRAY_SIZE(summary_paths));
	feed_id = store_feed_id("https://example.com/feed");
	assert_string_equal(json_string_value(at(doc, "feed.feed_id")), feed_id);
	free(feed_id);
	assert_string_equal(json_string_value(at(doc, "episode.published_date")),
			    "2024-01-15T12:00:00Z");
	assert_string_equal(json_string_value(at(doc, "episode.episode_id")), "1.0");
	assert_int_equal(json_integer_value(at(doc, "episode.duration_seconds")), 3600);
	assert_true(json_is_null(at(doc, "episode.episode_number")));
	t0 = json_array_get(at(doc, "content.transcript_urls"), 0);
	assert_string_equal(json_string_value(json_object_get(t0, "type")), "text/vtt");
	assert_memory_equal(json_string_value(json_object_get(t0, "transcript_id")), "sha256:", 7);
	assert_true(json_is_null(json_object_get(json_array_get(at(doc, "content.transcript_urls"),
								1), "language")));
	assert_string_equal(json_string_value(at(doc, "processing.devices.summarization.used")),
			    "cpu");
	assert_true(json_is_null(at(doc, "processing.stage_timings.speakers")));
	assert_true(json_real_value(at(doc, "processing.stage_timings.transcribe")) == 12.125);
	assert_int_equal(json_integer_value(at(doc, "summary.transcript_word_count")), 4200);
	assert_string_equal(json_string_value(at(doc, "processing.config_snapshot.openai_api_key")),
			    "***");
	assert_int_equal(json_integer_value(at(doc, "processing.config_snapshot.workers")), 4);
	json_decref(doc);
	release_parts(&p);
}

/* ---- A small libyaml loader: YAML -> jansson, YAML 1.2 core scalars ---------- */

/* Resolves plain scalars the YAML 1.1 way, the strictest readers in use. */
static json_t *plain_scalar(const char *s)
{
	static const char *const yes[] = { "true", "yes", "on", "y" };
	static const char *const no[] = { "false", "no", "off", "n" };
	char *end;
	long long i;
	double d;

	if (!strcasecmp(s, "null") || !strcmp(s, "~") || !*s)
		return json_null();
	for (size_t k = 0; k < ARRAY_SIZE(yes); k++) {
		if (!strcasecmp(s, yes[k]))
			return json_true();
		if (!strcasecmp(s, no[k]))
			return json_false();
	}
	errno = 0;
	i = strtoll(s, &end, 10);
	if (!*end && !errno)
		return json_integer(i);
	d = strtod(s, &end);
	if (!*end)
		return json_real(d);
	return json_string(s);
}

static json_t *load_node(yaml_parser_t *p, yaml_event_t *ev);

static json_t *load_children(yaml_parser_t *p, bool mapping)
{
	json_t *c = mapping ? json_object() : json_array();
	yaml_event_t ev;

	for (;;) {
		json_t *key, *val;

		assert_true(yaml_parser_parse(p, &ev));
		if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return c;
		}
		key = load_node(p, &ev);
		if (!mapping) {
			json_array_append_new(c, key);
			continue;
		}
		assert_true(yaml_parser_parse(p, &ev));
		val = load_node(p, &ev);
		assert_true(json_is_string(key));
		json_object_set_new(c, json_string_value(key), val);
		json_decref(key);
	}
}

/* Builds the node that starts with ev (consumed). */
static json_t *load_node(yaml_parser_t *p, yaml_event_t *ev)
{
	json_t *j;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		j = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ?
		    plain_scalar((const char *)ev->data.scalar.value) :
		    json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
		yaml_event_delete(ev);
		return j;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		bool mapping = ev->type == YAML_MAPPING_START_EVENT;

		yaml_event_delete(ev);
		return load_children(p, mapping);
	}
	default:
		fail_msg("unexpected YAML event %d", ev->type);
		return NULL;
	}
}

static json_t *load_yaml(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	json_t *root = NULL;

	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			fail_msg("YAML parse error: %s at line %zu", p.problem,
				 p.problem_mark.line + 1);
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_SCALAR_EVENT) {
			assert_null(root);
			root = load_node(&p, &ev);
		} else {
			yaml_event_delete(&ev);
		}
	}
	yaml_parser_delete(&p);
	return root;
}

/* ---- Renderings -------------------------------------------------------------- */

static char *read_all(const char *rel)
{
	struct sbuf data = SBUF_INIT(1 << 20), err = SBUF_INIT(1024);
	char *path = fs_join(dir, rel);

	if (fs_read_file(path, &data, &err))
		fail_msg("%s", err.buf);
	free(path);
	sbuf_release(&err);
	return sbuf_detach(&data, NULL);
}

static void json_file_reads_back(void **state)
{
	struct store_summary sum = { "S", NULL, 0, 0, "openai", 1, -1 };
	struct store_episode_doc d;
	struct doc_parts p;
	struct sbuf err = SBUF_INIT(1024);
	json_t *doc, *back;
	json_error_t jerr;
	char *rel = NULL, *text;

	(void)state;
	full_doc(&p, &d, &sum, NULL, 0);
	doc = store_metadata_build(&d);
	assert_int_equal(store_metadata_write(dir, "2024-01-15_yes_abcdef", STORE_FORMAT_JSON,
					      doc, &rel, &err), 0);
	assert_string_equal(rel, "metadata/2024-01-15_yes_abcdef.metadata.json");
	text = read_all(rel);
	back = json_loads(text, 0, &jerr);
	assert_non_null(back);
	assert_true(json_equal(doc, back));
	json_decref(back);
	assert_int_equal(store_metadata_read(dir, rel, &back, &err), 0);
	assert_true(json_equal(doc, back));
	/* 2-space indents, schema order, one trailing newline */
	assert_true(!strncmp(text, "{\n  \"feed\": {\n    \"title\"", 25));
	assert_true(strstr(text, "\"feed\"") < strstr(text, "\"episode\""));
	assert_true(strstr(text, "\"processing\"") < strstr(text, "\"summary\""));
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_not_equal(text[strlen(text) - 2], '\n');
	assert_null(strstr(text, SECRET));
	json_decref(back);
	json_decref(doc);
	free(text);
	free(rel);
	sbuf_release(&err);
	release_parts(&p);
}

static void yaml_file_reads_back_to_same_values(void **state)
{
	static const char *const points[] = { "", "  leading spaces", "[not a list]",
					      "{not: a map}", "@at", "'single'", "\xE2\x80\xA8" };
	struct store_summary sum = { "true", points, ARRAY_SIZE(points), JAN15, "null", 0, 12 };
	struct store_speaker spk[] = { { "1", "No", "host", "~" }, { "spk_1", NULL, "guest", NULL } };
	struct store_episode_doc d;
	struct doc_parts p;
	struct sbuf err = SBUF_INIT(1024);
	json_t *doc, *back;
	char *rel = NULL, *text;

	(void)state;
	full_doc(&p, &d, &sum, spk, ARRAY_SIZE(spk));
	/* Config keys are free-form: ones a reader would not take as strings. */
	json_object_set_new(p.config, "no", json_true());
	json_object_set_new(p.config, "2", json_real(0.5));
	json_object_set_new(p.config, "Odd name: #x", json_integer(-3));
	json_object_set_new(p.config, "", json_string("On"));
	doc = store_metadata_build(&d);
	assert_int_equal(store_metadata_write(dir, "2024-01-15_yes_abcdef", STORE_FORMAT_YAML,
					      doc, &rel, &err), 0);
	assert_string_equal(rel, "metadata/2024-01-15_yes_abcdef.metadata.yaml");
	text = read_all(rel);
	back = load_yaml(text, strlen(text));
	if (!json_equal(doc, back)) {
		char *a = json_dumps(doc, JSON_INDENT(1)), *b = json_dumps(back, JSON_INDENT(1));

		fail_msg("YAML differs:\n%s\n---\n%s\n---\n%s", text, a, b);
	}
	json_decref(back);
	/* the store reads its own YAML back to the same tree */
	assert_int_equal(store_metadata_read(dir, rel, &back, &err), 0);
	assert_true(json_equal(doc, back));
	/* Non-ASCII stays readable rather than \u-escaped. */
	assert_non_null(strstr(text, "Caf\xC3\xA9"));
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_null(strstr(text, SECRET));
	json_decref(back);
	json_decref(doc);
	free(text);
	free(rel);
	sbuf_release(&err);
	release_parts(&p);
}

/* Documents that are not ours are errors naming the file, never a partial tree. */
static void bad_documents_are_refused(void **state)
{
	static const char *const bad[][2] = {
		{ "metadata/list.metadata.yaml", "- a\n- b\n" },
		{ "metadata/broken.metadata.yaml", "a: [\n" },
		{ "metadata/bomb.metadata.yaml",
		  "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" },
		{ "metadata/list.metadata.json", "[1, 2]" },
		{ "metadata/broken.metadata.json", "{\"a\": " },
	};
	static const char typed[] = "a: 1\nb: 2.5\nc: null\nd: true\ne: \"1\"\nf: x\n";
	struct sbuf err = SBUF_INIT(1024);
	json_t *back = NULL, *want;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(store_write_file(dir, bad[i][0], bad[i][1], strlen(bad[i][1]),
						  &err), 0);
		assert_int_equal(store_metadata_read(dir, bad[i][0], &back, &err), -PC_EPARSE);
		assert_null(back);
		assert_non_null(strstr(err.buf, bad[i][0]));
	}
	assert_true(store_metadata_read(dir, "metadata/none.metadata.json", &back, &err) < 0);
	assert_null(back);
	/* plain scalars read back typed, quoted ones as strings */
	assert_int_equal(store_write_file(dir, "metadata/t.metadata.yaml", typed, strlen(typed),
					  &err), 0);
	assert_int_equal(store_metadata_read(dir, "metadata/t.metadata.yaml", &back, &err), 0);
	want = json_pack("{s:i, s:f, s:n, s:b, s:s, s:s}", "a", 1, "b", 2.5, "c", "d", 1, "e", "1",
			 "f", "x");
	assert_true(json_equal(back, want));
	json_decref(want);
	json_decref(back);
	sbuf_release(&err);
}

static void invalid_utf8_is_repaired_not_dropped(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { .title = "bad \xFF byte", .duration_seconds = -1,
			      .episode_number = -1 };
	struct store_episode_doc d = { .feed = &f, .feed_url = "u", .episode = &ep,
				       .timings = STORE_TIMINGS_NONE };
	json_t *doc;

	(void)state;
	doc = store_metadata_build(&d);
	assert_string_equal(json_string_value(at(doc, "episode.title")), "bad \xEF\xBF\xBD byte");
	json_decref(doc);
}

/* ---- Redaction ------------------------------------------------------------------ */

static void redaction_is_recursive_and_case_blind(void **state)
{
	json_t *in = json_pack("{s:s, s:s, s:n, s:{s:s, s:[{s:s}, s]}, s:i, s:s, s:i}",
			       "openai_api_key", SECRET, "empty_secret", "", "Token_null",
			       "nested", "Auth_TOKEN", SECRET, "list", "PassWord", SECRET, SECRET,
			       "workers", 4, "output_dir", "out", "max_keys", 3);
	json_t *out;
	char *text;

	(void)state;
	out = store_config_redact(in);
	assert_string_equal(json_string_value(at(out, "openai_api_key")), "***");
	assert_true(json_is_null(at(out, "empty_secret")));
	assert_true(json_is_null(at(out, "Token_null")));
	assert_string_equal(json_string_value(at(out, "nested.Auth_TOKEN")), "***");
	assert_string_equal(json_string_value(
		json_object_get(json_array_get(at(out, "nested.list"), 0), "PassWord")), "***");
	assert_int_equal(json_integer_value(at(out, "workers")), 4);
	assert_string_equal(json_string_value(at(out, "output_dir")), "out");
	assert_string_equal(json_string_value(at(out, "max_keys")), "***");
	/* A plain string in a list is not under a secret key: kept (it is data). */
	assert_string_equal(json_string_value(json_array_get(at(out, "nested.list"), 1)), SECRET);
	json_array_remove(at(out, "nested.list"), 1);
	text = json_dumps(out, 0);
	assert_null(strstr(text, SECRET));
	/* the input is left as it was */
	assert_string_equal(json_string_value(at(in, "openai_api_key")), SECRET);
	assert_null(store_config_redact(NULL));
	free(text);
	json_decref(in);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_present_even_when_empty),
		cmocka_unit_test(values_follow_the_model),
		cmocka_unit_test(json_file_reads_back),
		cmocka_unit_test(yaml_file_reads_back_to_same_values),
		cmocka_unit_test(bad_documents_are_refused),
		cmocka_unit_test(invalid_utf8_is_repaired_not_dropped),
		cmocka_unit_test(redaction_is_recursive_and_case_blind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
