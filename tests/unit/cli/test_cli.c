/*
 * Unit tests for the options table, config layers and --help.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "cli/cli.h"
#include "config/options.h"
#include "util/fs.h"

static char dir[] = "/tmp/pc_test_cli_XXXXXX";

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

static char *write_config(const char *name, const char *text)
{
	struct sbuf err = SBUF_INIT(1024);
	char *path = fs_join(dir, name);

	assert_int_equal(fs_write_atomic(path, text, strlen(text), &err), 0);
	sbuf_release(&err);
	return path;
}

/* Runs cli_parse on a NULL-terminated argument list; err gets the message. */
static int parse(struct config *c, struct sbuf *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = "podcast_scraper";
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *)); )
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	config_init(c);
	return cli_parse(argc, argv, c, NULL, 0, err);
}

static void clear_env(void)
{
	unsetenv("PODCAST_SCRAPER_WORKERS");
	unsetenv("WORKERS");
	unsetenv("MPS_EXCLUSIVE");
	unsetenv("PODCAST_SCRAPER_MPS_EXCLUSIVE");
	unsetenv("PODCAST_SCRAPER_CONFIG");
	unsetenv("PODCAST_SCRAPER_PREFER_TYPE");
}

static void table_is_sorted_and_complete(void **state)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	/* every key users may have in their configs: none may disappear */
	static const char *const known_keys[] = {
		"rss", "feeds", "output_dir", "max_episodes", "since", "until", "prefer_type",
		"dry_run", "force", "skip_existing", "clean_output", "keep_media", "reuse_media",
		"run_id", "workers", "timeout", "delay_ms", "user_agent", "http_retries",
		"max_feed_bytes", "max_media_bytes", "transcribe_missing",
		"transcription_provider", "whisper_model", "language", "whisper_device",
		"transcription_workers", "transcription_timeout", "asr_model_dir",
		"preprocessing_enabled", "auto_speakers", "known_hosts", "speaker_names",
		"screenplay", "screenplay_gap", "num_speakers", "generate_metadata",
		"metadata_format", "generate_summaries", "summary_provider", "summary_device",
		"summary_sentences", "summarization_workers", "summarization_timeout",
		"openai_api_base", "openai_api_key", "openai_transcription_model",
		"openai_summary_model", "openai_temperature", "isolation", "stage_retries",
		"model_cleanup", "mps_exclusive", "gpu_exclusive", "threads", "crash_dir",
		"crash_handler", "fail_fast", "max_failures", "log_level", "log_file",
		"json_logs", "progress", "quiet",
	};

	(void)state;
	for (size_t i = 1; i < nr; i++)
		assert_true(strcmp(t[i - 1].key, t[i].key) < 0);
	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++) {
		if (!options_find(known_keys[i]))
			fail_msg("key %s missing from the options table", known_keys[i]);
	}
}

/*
 * The compile-time check counts a choice list's entries; this one finds a
 * hole left by a missing designated initializer, and checks that each name
 * sets its own enum value.
 */
static void choice_lists_name_every_enum_value(void **state)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	struct sbuf err = SBUF_INIT(1024);
	struct config c;

	(void)state;
	config_init(&c);
	for (size_t i = 0; i < nr; i++) {
		if (t[i].type != OPTION_CHOICE)
			continue;
		assert_true(t[i].nr_choices > 1);
		assert_null(t[i].choices[t[i].nr_choices]);
		for (int v = 0; v < t[i].nr_choices; v++) {
			if (!t[i].choices[v])
				fail_msg("%s: enum value %d has no name", t[i].key, v);
			assert_int_equal(config_set(&c, t[i].key, t[i].choices[v], NULL, true, &err), 0);
			assert_int_equal(*(int *)((char *)&c + t[i].offset), v);
		}
	}
	config_release(&c);
	sbuf_release(&err);
}

static void help_lists_every_key_with_default(void **state)
{
	size_t nr, len;
	const struct opt_def *t = options_table(&nr);
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	cli_print_help(f, "usage", "summary", NULL, 0, true);
	fclose(f);
	for (size_t i = 0; i < nr; i++) {
		char *flag = cli_flag_name(t[i].key);
		char want[256];

		if (t[i].flags & OPT_NO_FLAG)
			snprintf(want, sizeof(want), "(%s)", t[i].key);
		else if (t[i].type == OPTION_BOOL || t[i].type == OPTION_TRISTATE)
			snprintf(want, sizeof(want), "--[no-]%s", flag + 2);
		else
			snprintf(want, sizeof(want), "%s ", flag);
		if (!strstr(text, want))
			fail_msg("--help lacks %s", want);
		if (t[i].def && !(t[i].flags & OPT_SECRET) && !strstr(t[i].help, "(default:")) {
			snprintf(want, sizeof(want), "[default: %s]", t[i].def);
			if (!strstr(text, want))
				fail_msg("--help lacks the default of %s", t[i].key);
		}
		free(flag);
	}
	free(text);
}

static void docs_match_the_table(void **state)
{
	struct sbuf doc = SBUF_INIT(1 << 20), err = SBUF_INIT(1024);
	char *path = fs_join(getenv("TEST_SRCDIR"), "../docs/OPTIONS.md");
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	cli_print_options_markdown(f);
	fclose(f);
	assert_int_equal(fs_read_file(path, &doc, &err), 0);
	if (strcmp(doc.buf, text))
		fail_msg("docs/OPTIONS.md is stale: regenerate with podcast_scraper --help-markdown");
	free(text);
	free(path);
	sbuf_release(&doc);
	sbuf_release(&err);
}

static void file_errors_name_key_file_and_line(void **state)
{
	struct { const char *name, *text, *want; } cases[] = {
		{ "unknown.yaml", "workers: 4\nno_such_key: 1\n", "line 2: unknown key 'no_such_key'" },
		{ "type.yaml", "dry_run: true\n\nworkers: \"8\"\n", "line 3: key 'workers': expected an integer" },
		{ "range.yaml", "timeout: 0\n", "line 1: key 'timeout': 0 is out of range" },
		{ "enum.json", "{\n  \"isolation\": \"thread\"\n}\n", "line 2: key 'isolation': 'thread' is not one of" },
		{ "list.yaml", "workers:\n  - 1\n", "line 2: key 'workers': expected an integer, got a list" },
		{ "syntax.json", "{\"workers\": 4,,}", "invalid JSON" },
	};

	(void)state;
	clear_env();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct config c;
		struct sbuf err = SBUF_INIT(4096);
		char *path = write_config(cases[i].name, cases[i].text);

		assert_int_equal(parse(&c, &err, "-c", path, "feed.xml", NULL), -PC_EFAIL);
		if (!strstr(err.buf, path) || !strstr(err.buf, cases[i].want))
			fail_msg("case %s: got '%s'", cases[i].name, err.buf);
		config_release(&c);
		sbuf_release(&err);
		free(path);
	}
}

static long workers_with(const char *file_value, const char *env_value, const char *flag)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);
	char text[64];
	char *path;
	long workers;

	clear_env();
	snprintf(text, sizeof(text), "workers: %s\n", file_value);
	path = write_config("prec.yaml", text);
	if (env_value)
		setenv("PODCAST_SCRAPER_WORKERS", env_value, 1);
	if (flag)
		assert_int_equal(parse(&c, &err, "--config", path, "--workers", flag, NULL), 0);
	else
		assert_int_equal(parse(&c, &err, "--config", path, NULL), 0);
	workers = c.workers;
	config_release(&c);
	sbuf_release(&err);
	free(path);
	clear_env();
	return workers;
}

static void flag_beats_env_beats_file(void **state)
{
	(void)state;
	assert_int_equal(workers_with("3", NULL, NULL), 3);
	assert_int_equal(workers_with("3", "5", NULL), 5);
	assert_int_equal(workers_with("3", "5", "7"), 7);
	assert_int_equal(workers_with("3", NULL, "7"), 7);
}

/* Only PODCAST_SCRAPER_ variables something reads are exempt from the key check. */
static void unknown_env_keys_refused(void **state)
{
	static const char *const names[] = {
		"PODCAST_SCRAPER_TEST", "PODCAST_SCRAPER_CRASH_DIR_DEFAULT", "PODCAST_SCRAPER_WORKERZ",
	};
	struct config c;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	clear_env();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		config_init(&c);
		setenv(names[i], "1", 1);
		assert_int_equal(config_load_env(&c, &err), -PC_EUSAGE);
		unsetenv(names[i]);
		if (!strstr(err.buf, names[i]) || !strstr(err.buf, "unknown key"))
			fail_msg("%s: got \"%s\"", names[i], err.buf);
		config_release(&c);
	}
	setenv("PODCAST_SCRAPER_INJECT_FAULT_COUNTER", "/nonexistent", 1);
	config_init(&c);
	assert_int_equal(config_load_env(&c, &err), 0);
	unsetenv("PODCAST_SCRAPER_INJECT_FAULT_COUNTER");
	config_release(&c);
	sbuf_release(&err);
}

static void mps_exclusive_layers_and_alias(void **state)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);
	char *path = write_config("gpu.yaml", "gpu_exclusive: false\n");

	(void)state;
	clear_env();
	assert_int_equal(parse(&c, &err, "-c", path, NULL), 0);
	assert_false(c.mps_exclusive);
	config_release(&c);

	setenv("MPS_EXCLUSIVE", "1", 1);
	assert_int_equal(parse(&c, &err, "-c", path, NULL), 0);
	assert_true(c.mps_exclusive);
	config_release(&c);

	setenv("PODCAST_SCRAPER_MPS_EXCLUSIVE", "off", 1);
	assert_int_equal(parse(&c, &err, "-c", path, NULL), 0);
	assert_false(c.mps_exclusive);
	config_release(&c);

	assert_int_equal(parse(&c, &err, "-c", path, "--mps-exclusive", NULL), 0);
	assert_true(c.mps_exclusive);
	config_release(&c);

	clear_env();
	assert_int_equal(parse(&c, &err, "--no-gpu-exclusive", NULL), 0);
	assert_false(c.mps_exclusive);
	config_release(&c);
	sbuf_release(&err);
	free(path);
}

static void lists_replace_lower_layers_and_append_within(void **state)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);
	char *path = write_config("list.yaml", "prefer_type: [vtt, srt]\nknown_hosts: Jane Doe\n");

	(void)state;
	clear_env();
	assert_int_equal(parse(&c, &err, "-c", path, NULL), 0);
	assert_int_equal(c.prefer_type.nr, 2);
	assert_string_equal(c.prefer_type.items[1], "srt");
	assert_int_equal(c.known_hosts.nr, 1);
	config_release(&c);

	setenv("PODCAST_SCRAPER_PREFER_TYPE", "json, html", 1);
	assert_int_equal(parse(&c, &err, "-c", path, NULL), 0);
	assert_int_equal(c.prefer_type.nr, 2);
	assert_string_equal(c.prefer_type.items[1], "html");
	config_release(&c);

	assert_int_equal(parse(&c, &err, "-c", path, "--prefer-type", "txt",
			       "--prefer-type=vtt", "feed", NULL), 0);
	assert_int_equal(c.prefer_type.nr, 2);
	assert_string_equal(c.prefer_type.items[0], "txt");
	assert_int_equal(c.positional.nr, 1);
	config_release(&c);
	clear_env();
	sbuf_release(&err);
	free(path);
}

static void values_of_every_type_parse(void **state)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	clear_env();
	assert_int_equal(parse(&c, &err, "--max-media-bytes", "1.5G", "--since", "2024-02-29",
			       "--screenplay-gap", "2.5", "--progress=off", "--log-level",
			       "WARNING", "--force=yes", "-n", "3", NULL), 0);
	assert_int_equal(c.max_media_bytes, 1610612736LL);
	assert_int_equal(c.since, 1709164800);
	assert_true(c.screenplay_gap == 2.5);
	assert_int_equal(c.progress, TRI_OFF);
	assert_int_equal(c.log_level, 1);
	assert_true(c.force);
	assert_int_equal(c.max_episodes, 3);
	config_release(&c);

	assert_int_equal(parse(&c, &err, "--since", "2024-13-01", NULL), -PC_EUSAGE);
	assert_non_null(strstr(err.buf, "--since"));
	config_release(&c);
	assert_int_equal(parse(&c, &err, "--since", "2024-05-01", "--until", "2024-01-01",
			       NULL), -PC_EFAIL);
	config_release(&c);
	sbuf_release(&err);
}

static void silence_levels_parse(void **state)
{
	static const struct { const char *text; int rc; double db; } cases[] = {
		{ "-50dB", 0, -50 }, { "-50 dB", 0, -50 }, { "-42.5", 0, -42.5 },
		{ "-60DB", 0, -60 }, { "0dB", -PC_EUSAGE, 0 }, { "loud", -PC_EUSAGE, 0 },
		{ "-50dBA", -PC_EUSAGE, 0 }, { "10dB", -PC_EUSAGE, 0 },
		{ "-101dB", -PC_EUSAGE, 0 }, { "", -PC_EUSAGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		double db = 1;

		assert_int_equal(config_silence_db(cases[i].text, &db), cases[i].rc);
		if (!cases[i].rc)
			assert_true(db == cases[i].db);
	}
	assert_int_equal(config_silence_db(NULL, &(double){ 0 }), -PC_EUSAGE);
}

/* metadata_subdirectory stays inside the feed folder. */
static void metadata_subdirectory_checked(void **state)
{
	static const char *const good[] = { "meta", "a/b", "meta/", ".hidden", "a..b", "" };
	static const char *const bad[] = { "..", "../x", "a/../../x", "/abs", ".", "a//b",
					   "a/./b", "\\x", "x/.." };
	struct config c;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	clear_env();
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(parse(&c, &err, "--metadata-subdirectory", good[i], NULL), 0);
		config_release(&c);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(&c, &err, "--metadata-subdirectory", bad[i], NULL),
				 -PC_EFAIL);
		assert_non_null(strstr(err.buf, "key 'metadata_subdirectory'"));
		config_release(&c);
	}
	sbuf_release(&err);
}

static void secrets_never_in_snapshot(void **state)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);
	json_t *j;
	char *text;

	(void)state;
	clear_env();
	setenv("OPENAI_API_KEY", "sk-test-secret-123", 1);
	assert_int_equal(parse(&c, &err, NULL), 0);
	assert_string_equal(c.openai_api_key, "sk-test-secret-123");
	j = config_to_json(&c);
	text = json_dumps(j, 0);
	assert_null(strstr(text, "sk-test-secret"));
	assert_non_null(strstr(text, "\"workers\": 8"));
	free(text);
	json_decref(j);
	config_release(&c);
	unsetenv("OPENAI_API_KEY");
	/* and it cannot be given on the command line, where ps would show it */
	assert_int_equal(parse(&c, &err, "--openai-api-key", "x", NULL), -PC_EUSAGE);
	config_release(&c);
	sbuf_release(&err);
}

/* What config_to_json() writes, config_load_file() reads back to the same values. */
static void snapshot_round_trips(void **state)
{
	struct config c, back;
	struct sbuf err = SBUF_INIT(4096);
	json_t *j, *j2;
	char *text, *text2, *path;

	(void)state;
	clear_env();
	assert_int_equal(parse(&c, &err, "--since", "2024-01-02", "--prefer-type", "vtt",
			       "--screenplay-gap", "0.5", "--whisper-device", "cuda", NULL), 0);
	j = config_to_json(&c);
	text = json_dumps(j, JSON_INDENT(2));
	path = write_config("snapshot.json", text);
	config_init(&back);
	if (config_load_file(&back, path, &err) < 0)
		fail_msg("snapshot does not load: %s", err.buf);
	j2 = config_to_json(&back);
	text2 = json_dumps(j2, JSON_INDENT(2));
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	free(path);
	json_decref(j);
	json_decref(j2);
	config_release(&c);
	config_release(&back);
	sbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_sorted_and_complete),
		cmocka_unit_test(choice_lists_name_every_enum_value),
		cmocka_unit_test(help_lists_every_key_with_default),
		cmocka_unit_test(docs_match_the_table),
		cmocka_unit_test(file_errors_name_key_file_and_line),
		cmocka_unit_test(flag_beats_env_beats_file),
		cmocka_unit_test(unknown_env_keys_refused),
		cmocka_unit_test(mps_exclusive_layers_and_alias),
		cmocka_unit_test(lists_replace_lower_layers_and_append_within),
		cmocka_unit_test(values_of_every_type_parse),
		cmocka_unit_test(silence_levels_parse),
		cmocka_unit_test(metadata_subdirectory_checked),
		cmocka_unit_test(secrets_never_in_snapshot),
		cmocka_unit_test(snapshot_round_trips),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
