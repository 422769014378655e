/*
 * Unit tests for run artifacts (manifest, metrics, index, run.json), run
 * ids, and preparing / cleaning a feed folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "store/store.h"
#include "util/fs.h"

#define SECRET "sk-live-SHOULD-NEVER-BE-WRITTEN-77"

static char *path_in(struct store_fixture *f, const char *rel)
{
	return fs_join(f->dir, rel);
}

static bool exists_in(struct store_fixture *f, const char *rel)
{
	char *p = path_in(f, rel);
	bool r = fs_exists(p);

	free(p);
	return r;
}

static void touch(struct store_fixture *f, const char *rel)
{
	char *p = path_in(f, rel);
	struct sbuf err = SBUF_INIT(1024);

	if (fs_write_atomic(p, "x", 1, &err))
		fail_msg("%s", err.buf);
	free(p);
	sbuf_release(&err);
}

static json_t *load(struct store_fixture *f, const char *rel)
{
	char *p = path_in(f, rel);
	json_error_t jerr;
	json_t *j = json_load_file(p, 0, &jerr);

	if (!j)
		fail_msg("%s: %s", p, jerr.text);
	free(p);
	return j;
}

/* ---- Run ids ---------------------------------------------------------------- */

static void run_ids(void **state)
{
	regex_t re;
	char *a = store_run_id_new(), *b = store_run_id_new();

	(void)state;
	assert_int_equal(regcomp(&re, "^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$", REG_EXTENDED), 0);
	assert_int_equal(regexec(&re, a, 0, NULL, 0), 0);
	assert_string_not_equal(a, b);
	assert_true(store_run_id_valid(a));
	assert_true(store_run_id_valid("nightly_2024-01.15"));
	assert_false(store_run_id_valid("../escape"));
	assert_false(store_run_id_valid(".hidden"));
	assert_false(store_run_id_valid(""));
	assert_false(store_run_id_valid("a b"));
	regfree(&re);
	free(a);
	free(b);
}

static void invalid_run_id_is_usage_error(void **state)
{
	struct store_fixture *f = *state;
	struct store_run *run = NULL;

	assert_int_equal(store_run_new("../../etc", NULL, &run, &f->err), -PC_EUSAGE);
	assert_null(run);
	assert_non_null(strstr(f->err.buf, "../../etc"));
}

/* ---- Rows from many threads --------------------------------------------------- */

#define THREADS 4
#define ROWS_PER_THREAD 25

struct adder {
	struct store_run *run;
	int first;
};

static void *add_rows(void *arg)
{
	struct adder *a = arg;

	for (int i = 0; i < ROWS_PER_THREAD; i++) {
		long pos = a->first + i * THREADS;
		char id[32], stem[48];
		struct store_index_row row = { .episode_id = id, .stem = stem, .position = pos };

		snprintf(id, sizeof(id), "ep-%ld", pos);
		snprintf(stem, sizeof(stem), "0000-00-00_ep_%06ld", pos);
		row.status = pos % 10 == 0 ? STORE_ROW_FAILED :
			     pos % 10 == 1 ? STORE_ROW_SKIPPED : STORE_ROW_OK;
		row.error_stage = row.status == STORE_ROW_FAILED ? "download" : NULL;
		row.error_message = row.status == STORE_ROW_FAILED ? "HTTP 404" : NULL;
		row.text = row.status == STORE_ROW_OK ? "transcripts/x.txt" : NULL;
		store_run_add_row(a->run, &row);
		store_run_count(a->run, STORE_TRANSCRIPTS_DOWNLOADED, 1);
		store_run_count(a->run, STORE_BYTES_DOWNLOADED, 1000);
		store_run_add_stage_time(a->run, STAGE_DOWNLOAD, 0.5);
	}
	return NULL;
}

static void rows_from_threads_are_all_indexed_in_feed_order(void **state)
{
	struct store_fixture *f = *state;
	struct store_run *run;
	struct adder a[THREADS];
	pthread_t th[THREADS];
	json_t *doc, *index, *metrics;
	size_t i;
	json_t *row;

	assert_int_equal(store_run_new(NULL, NULL, &run, &f->err), 0);
	for (int t = 0; t < THREADS; t++) {
		a[t] = (struct adder){ run, t };
		pthread_create(&th[t], NULL, add_rows, &a[t]);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	doc = store_run_index(run);
	index = json_object_get(doc, "episodes");
	assert_int_equal(json_array_size(index), THREADS * ROWS_PER_THREAD);
	json_array_foreach(index, i, row) {
		char want[32];

		snprintf(want, sizeof(want), "ep-%zu", i);
		assert_string_equal(json_string_value(json_object_get(row, "episode_id")), want);
	}
	metrics = store_run_metrics(run);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(metrics, "episodes"),
							    "failed")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(metrics, "episodes"),
							    "skipped")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(metrics, "episodes"),
							    "ok")), 80);
	assert_int_equal(json_integer_value(json_object_get(metrics, "bytes_downloaded")), 100000);
	assert_true(json_real_value(json_object_get(json_object_get(metrics, "stage_seconds"),
						    "download")) == 50.0);
	json_decref(doc);
	json_decref(metrics);
	store_run_free(run);
}

/* ---- Written artifacts ----------------------------------------------------------- */

static void add_three_rows(struct store_run *run)
{
	struct store_index_row ok = {
		.episode_id = "guid-1", .stem = "2024-01-15_One_aaaaaa", .title = "One",
		.status = STORE_ROW_OK, .position = 0,
		.transcript = "transcripts/2024-01-15_One_aaaaaa.vtt",
		.text = "transcripts/2024-01-15_One_aaaaaa.txt",
		.segments = "transcripts/2024-01-15_One_aaaaaa.segments.json",
		.metadata = "metadata/2024-01-15_One_aaaaaa.metadata.json",
	};
	struct store_index_row skipped = { .episode_id = "guid-2", .stem = "s2",
					   .status = STORE_ROW_SKIPPED, .position = 1 };
	struct store_index_row failed = {
		.episode_id = "guid-3", .stem = "s3", .status = STORE_ROW_FAILED, .position = 2,
		.error_stage = "transcribe",
		.error_message = "worker killed by SIGSEGV (crash dump crash_dump_123.log)",
	};

	store_run_add_row(run, &failed);   /* arrival order differs from feed order */
	store_run_add_row(run, &ok);
	store_run_add_row(run, &skipped);
}

static struct store_run *sample_run(struct store_fixture *f)
{
	json_t *config = json_pack("{s:s, s:s, s:i}", "openai_api_key", SECRET,
				   "transcription_provider", "pocketsphinx", "workers", 8);
	struct store_engine asr = { "pocketsphinx", "en-us", { "auto", "cpu" } };
	struct store_engine sum = { "textrank", NULL, { "cuda", "cpu" } };
	struct store_run *run;

	assert_int_equal(store_run_new("20240115-120000-abc123", config, &run, &f->err), 0);
	json_object_set_new(config, "late_password", json_string(SECRET)); /* copied before */
	json_decref(config);
	store_run_set_engine(run, "transcription", &asr);
	store_run_set_engine(run, "summarization", &sum);
	store_run_count(run, STORE_FEEDS, 1);
	store_run_count(run, STORE_EPISODES_SELECTED, 3);
	store_run_count(run, STORE_TRANSCRIPTS_DOWNLOADED, 1);
	store_run_count(run, STORE_TRANSCRIPTS_TRANSCRIBED, 1);
	store_run_count(run, STORE_RETRIES, 2);
	store_run_count(run, STORE_WORKER_CRASHES, 1);
	add_three_rows(run);
	return run;
}

static void artifacts_are_written(void **state)
{
	struct store_fixture *f = *state;
	struct store_run *run = sample_run(f);
	json_t *manifest, *metrics, *doc, *index, *merged;

	assert_int_equal(store_run_write(run, f->dir, &f->err), 0);
	manifest = load(f, "runs/20240115-120000-abc123/run_manifest.json");
	metrics = load(f, "runs/20240115-120000-abc123/metrics.json");
	doc = load(f, "runs/20240115-120000-abc123/index.json");
	index = json_object_get(doc, "episodes");
	merged = load(f, "runs/20240115-120000-abc123/run.json");

	assert_string_equal(json_string_value(json_object_get(manifest, "version")), PC_VERSION);
	assert_true(json_is_string(json_object_get(manifest, "host")));
	assert_true(json_is_string(json_object_get(manifest, "finished")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(manifest, "engines"), "transcription"), "model")), "en-us");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_object_get(manifest, "devices"), "summarization"), "requested")), "cuda");
	assert_string_equal(json_string_value(json_object_get(json_object_get(manifest, "config"),
							      "openai_api_key")), "***");

	assert_int_equal(json_integer_value(json_object_get(json_object_get(metrics, "episodes"),
							    "selected")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(metrics, "episodes"),
							    "failed")), 1);
	assert_int_equal(json_integer_value(json_object_get(metrics, "worker_crashes")), 1);
	assert_int_equal(json_integer_value(json_object_get(metrics, "retries")), 2);

	assert_string_equal(json_string_value(json_object_get(doc, "schema_version")), "1.0.0");
	assert_string_equal(json_string_value(json_object_get(doc, "run_id")),
			    "20240115-120000-abc123");
	assert_int_equal(json_integer_value(json_object_get(doc, "episodes_failed")), 1);
	assert_int_equal(json_integer_value(json_object_get(doc, "episodes_total")), 3);
	assert_int_equal(json_array_size(index), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(index, 0),
							      "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_array_get(index, 0), "paths"), "segments")),
		"transcripts/2024-01-15_One_aaaaaa.segments.json");
	assert_true(json_is_null(json_object_get(json_object_get(json_array_get(index, 1),
								 "paths"), "media")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(index, 2),
							      "error_stage")), "transcribe");

	assert_non_null(json_object_get(merged, "version"));
	assert_non_null(json_object_get(merged, "episodes"));
	assert_non_null(json_object_get(merged, "config"));
	json_decref(manifest);
	json_decref(metrics);
	json_decref(doc);
	json_decref(merged);
	store_run_free(run);
}

static void summary_line_counts(void **state)
{
	struct store_fixture *f = *state;
	struct store_run *run = sample_run(f);
	struct sbuf line = SBUF_INIT(1024);
	static const char want[] = "Done. feeds=1 episodes=3 transcripts=2 (downloaded 1, "
				   "transcribed 1) summaries=0 failed=1 skipped=1 in ";

	store_run_finish(run);
	store_run_summary_line(run, &line);
	assert_memory_equal(line.buf, want, strlen(want));
	assert_int_equal(line.buf[line.len - 1], 's');
	sbuf_release(&line);
	store_run_free(run);
}

/* Fails if needle occurs in any file under dir. */
static void assert_absent_under(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d))) {
		char *p;
		struct sbuf data = SBUF_INIT(1 << 24), err = SBUF_INIT(256);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = fs_join(dir, de->d_name);
		if (fs_is_dir(p))
			assert_absent_under(p, needle);
		else if (!fs_read_file(p, &data, &err) &&
			 memmem(data.buf, data.len, needle, strlen(needle)))
			fail_msg("'%s' leaks the secret", p);
		free(p);
		sbuf_release(&data);
		sbuf_release(&err);
	}
	closedir(d);
}

static void api_key_never_reaches_disk(void **state)
{
	struct store_fixture *f = *state;
	struct store_run *run = sample_run(f);
	struct store_state *st;
	struct feed feed = FEED_INIT;
	struct episode ep = { .title = "T", .duration_seconds = -1, .episode_number = -1 };
	json_t *raw = json_pack("{s:s, s:{s:s}}", "openai_api_key", SECRET,
				"remote", "Bearer_Token", SECRET);
	struct store_episode_doc d = { .feed = &feed, .feed_url = "u", .episode = &ep,
				       .config_snapshot = raw, .timings = STORE_TIMINGS_NONE };
	json_t *doc = store_metadata_build(&d);

	assert_int_equal(store_feed_dir_prepare(f->dir, false, &f->err), 0);
	assert_int_equal(store_metadata_write(f->dir, "s", STORE_FORMAT_JSON, doc, NULL, &f->err), 0);
	assert_int_equal(store_metadata_write(f->dir, "s", STORE_FORMAT_YAML, doc, NULL, &f->err), 0);
	assert_int_equal(store_run_write(run, f->dir, &f->err), 0);
	assert_int_equal(store_state_open(f->dir, &st, &f->err), 0);
	assert_int_equal(store_state_record_run(st, run, &f->err), 0);
	store_state_close(st);
	assert_true(exists_in(f, "metadata/s.metadata.yaml"));
	assert_absent_under(f->dir, SECRET);
	json_decref(doc);
	json_decref(raw);
	store_run_free(run);
}

/* ---- Preparing and cleaning the feed folder --------------------------------------- */

static void prepare_makes_folders_and_sweeps_temps(void **state)
{
	struct store_fixture *f = *state;
	char *meta = path_in(f, "metadata/a.metadata.json");
	char *tmp = fs_temp_name(meta);
	char *run_file = path_in(f, "runs/r1/index.json");
	char *run_tmp = fs_temp_name(run_file);

	assert_int_equal(store_feed_dir_prepare(f->dir, false, &f->err), 0);
	assert_true(exists_in(f, "transcripts") && exists_in(f, "metadata") &&
		    exists_in(f, "runs"));
	assert_false(exists_in(f, "media"));   /* only with keep_media, on demand */

	assert_int_equal(store_write_file(f->dir, "media/x.mp3.part", "p", 1, &f->err), 0);
	assert_int_equal(store_write_file(f->dir, "runs/r1/index.json", "[]", 2, &f->err), 0);
	touch(f, "metadata/a.metadata.json");
	assert_int_equal(fs_write_atomic(tmp, "torn", 4, &f->err), 0);
	assert_int_equal(fs_write_atomic(run_tmp, "torn", 4, &f->err), 0);

	assert_int_equal(store_feed_dir_prepare(f->dir, false, &f->err), 0);
	assert_false(fs_exists(tmp));
	assert_false(fs_exists(run_tmp));
	assert_true(fs_exists(meta));
	assert_true(exists_in(f, "media/x.mp3.part"));   /* resumable download kept */
	free(meta);
	free(tmp);
	free(run_file);
	free(run_tmp);
}

static void clean_output_removes_our_outputs_only(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st;

	assert_int_equal(store_feed_dir_prepare(f->dir, false, &f->err), 0);
	assert_int_equal(store_state_open(f->dir, &st, &f->err), 0);
	assert_int_equal(store_state_set(st, "e", "s", STORE_DONE, NULL, NULL, NULL, &f->err), 0);
	store_state_close(st);
	touch(f, "transcripts/s.txt");
	touch(f, "metadata/s.metadata.json");
	assert_int_equal(store_write_file(f->dir, "media/s.mp3.part", "p", 1, &f->err), 0);
	touch(f, "notes.txt");            /* the user's, not ours */

	assert_int_equal(store_feed_dir_prepare(f->dir, true, &f->err), 0);
	assert_false(exists_in(f, "transcripts/s.txt"));
	assert_false(exists_in(f, "metadata/s.metadata.json"));
	assert_false(exists_in(f, "media"));
	assert_false(exists_in(f, "state.sqlite"));
	assert_true(exists_in(f, "transcripts"));
	assert_true(exists_in(f, "notes.txt"));
}

static void clean_output_refuses_a_foreign_folder(void **state)
{
	struct store_fixture *f = *state;

	touch(f, "thesis.odt");
	assert_int_equal(store_feed_dir_prepare(f->dir, true, &f->err), -PC_EUSAGE);
	assert_non_null(strstr(f->err.buf, f->dir));
	assert_non_null(strstr(f->err.buf, "refusing"));
	assert_true(exists_in(f, "thesis.odt"));
	assert_false(exists_in(f, "transcripts"));
}

static void clean_output_accepts_empty_or_missing_folder(void **state)
{
	struct store_fixture *f = *state;
	char *sub = path_in(f, "new/feed");

	assert_int_equal(store_feed_dir_prepare(f->dir, true, &f->err), 0);
	assert_int_equal(store_feed_dir_prepare(sub, true, &f->err), 0);
	assert_true(exists_in(f, "new/feed/metadata"));
	free(sub);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_ids),
		T(invalid_run_id_is_usage_error),
		T(rows_from_threads_are_all_indexed_in_feed_order),
		T(artifacts_are_written),
		T(summary_line_counts),
		T(api_key_never_reaches_disk),
		T(prepare_makes_folders_and_sweeps_temps),
		T(clean_output_removes_our_outputs_only),
		T(clean_output_refuses_a_foreign_folder),
		T(clean_output_accepts_empty_or_missing_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
