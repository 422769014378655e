/*
 * Unit tests for net.h against the real loopback test server: parallel
 * fetches, redirects, retries, Retry-After, size caps, resumable downloads,
 * file:// URLs, stalls and stopping.
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

#include "net/net.h"
#include "tserver.h"
#include "util/fs.h"
#include "util/timeutil.h"

#define N_PARALLEL 20
#define BIG_SIZE 20000

static char root[] = "/tmp/pc_test_net_root_XXXXXX";
static char out[] = "/tmp/pc_test_net_out_XXXXXX";
static struct tserver ts;

/* ---- fixtures ---- */

/* Deterministic bytes that differ per seed and per position. */
static char *make_bytes(size_t size, unsigned seed)
{
	char *p = pc_malloc(size + 1);
	uint32_t x = 2463534242u ^ (seed * 2654435761u);
	size_t i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (char)('a' + x % 26);
	}
	p[size] = '\0';
	return p;
}

static void write_fixture(const char *name, size_t size, unsigned seed)
{
	struct sbuf err = SBUF_INIT(1024);
	char *path = fs_join(root, name);
	char *data = make_bytes(size, seed);

	if (fs_write_atomic(path, data, size, &err) < 0)
		fail_msg("%s", err.buf);
	free(data);
	free(path);
	sbuf_release(&err);
}

static size_t parallel_size(int i)
{
	return 1000 + (size_t)i * 37;
}

static int setup(void **state)
{
	char name[32];
	int i;

	(void)state;
	if (!mkdtemp(root) || !mkdtemp(out))
		return -1;
	for (i = 0; i < N_PARALLEL; i++) {
		snprintf(name, sizeof(name), "p%02d.txt", i);
		write_fixture(name, parallel_size(i), (unsigned)i);
	}
	write_fixture("small.txt", 1000, 100);
	write_fixture("big.bin", BIG_SIZE, 101);
	write_fixture("feed.xml", 5000, 102);
	return tserver_start(&ts, root, NULL);
}

static int teardown(void **state)
{
	(void)state;
	tserver_stop(&ts);
	fs_remove_tree(out);
	return fs_remove_tree(root);
}

static char *url(const char *target)
{
	size_t n = strlen(ts.url) + strlen(target) + 1;
	char *u = pc_malloc(n);

	snprintf(u, n, "%s%s", ts.url, target);
	return u;
}

static struct net_options test_opts(void)
{
	struct net_options o = { .workers = 4, .timeout_s = 10, .retries = 3,
				 .backoff_base_ms = 5 };

	return o;
}

static int fetch(const char *target, size_t max, struct net_options o, struct net_result *res)
{
	char *u = url(target);
	int rc = net_fetch(&o, u, max, res);

	free(u);
	return rc;
}

static int download(const char *target, const char *dest, size_t max, struct net_options o,
		    struct net_result *res)
{
	char *u = url(target);
	int rc = net_download(&o, u, dest, max, res);

	free(u);
	return rc;
}

/* Asserts that path holds exactly the fixture bytes. */
static void assert_file_is(const char *path, size_t size, unsigned seed)
{
	struct sbuf data = SBUF_INIT(1 << 20), err = SBUF_INIT(1024);
	char *want = make_bytes(size, seed);

	assert_int_equal(fs_read_file(path, &data, &err), 0);
	assert_int_equal(data.len, size);
	assert_memory_equal(data.buf, want, size);
	free(want);
	sbuf_release(&data);
	sbuf_release(&err);
}

static char *part_of(const char *dest)
{
	size_t n = strlen(dest) + 6;
	char *p = pc_malloc(n);

	snprintf(p, n, "%s.part", dest);
	return p;
}

/* The log lines for target, newline-separated (caller frees). */
static char *log_lines_for(const char *target)
{
	char *log = tserver_requests(&ts), *line, *save = NULL;
	struct sbuf lines = SBUF_INIT(SBUF_NOLIMIT);
	size_t n = strlen(target);

	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "GET ", 4) && !strncmp(line + 4, target, n) && line[4 + n] == ' ')
			sbuf_addf(&lines, "%s\n", line);
	free(log);
	return sbuf_detach(&lines, NULL);
}

/* ---- memory fetches ---- */

struct collected {
	struct net_result res[N_PARALLEL];
	int calls;
};

static void collect(struct net *net, struct net_result *res, void *udata)
{
	struct collected *c = udata;
	int i;

	(void)net;
	assert_int_equal(sscanf(res->final_url + strlen(ts.url), "/p%d.txt", &i), 1);
	net_result_move(&c->res[i], res);
	c->calls++;
}

static void parallel_fetches_get_every_byte(void **state)
{
	struct net_options o = test_opts();
	struct collected *c = pc_calloc(1, sizeof(*c));
	struct net *net = net_new(&o);
	struct net_stats st;
	struct net_request req = { .url = NULL, .dest_path = NULL,
		.max_bytes = 1 << 20, .done = collect, .udata = c };
	char target[32];
	char *want, *u;
	int i;

	(void)state;
	for (i = 0; i < N_PARALLEL; i++) {
		snprintf(target, sizeof(target), "/p%02d.txt", i);
		req.url = u = url(target);
		net_add(net, &req);
		free(u);
	}
	assert_int_equal(net_run(net), 0);
	net_stats(net, &st);
	net_free(net);
	assert_int_equal(c->calls, N_PARALLEL);
	for (i = 0; i < N_PARALLEL; i++) {
		want = make_bytes(parallel_size(i), (unsigned)i);
		assert_int_equal(c->res[i].code, 0);
		assert_int_equal(c->res[i].http_status, 200);
		assert_int_equal(c->res[i].body.len, parallel_size(i));
		assert_memory_equal(c->res[i].body.buf, want, parallel_size(i));
		assert_string_equal(c->res[i].content_type, "text/plain");
		free(want);
		net_result_release(&c->res[i]);
	}
	assert_int_equal(st.requests, N_PARALLEL);
	assert_int_equal(st.retries, 0);
	assert_true(st.connections < N_PARALLEL);   /* connections were reused */
	free(c);
}

static void redirect_records_final_url(void **state)
{
	struct net_result res;
	char *want = make_bytes(1000, 100);

	(void)state;
	assert_int_equal(fetch("/old?redirect=/small.txt", 4096, test_opts(), &res), 0);
	assert_int_equal(res.body.len, 1000);
	assert_memory_equal(res.body.buf, want, 1000);
	assert_non_null(strstr(res.final_url, "/small.txt"));
	assert_null(strstr(res.final_url, "old"));
	assert_int_equal(res.attempts, 1);
	free(want);
	net_result_release(&res);
}

static void redirect_loop_fails_once(void **state)
{
	struct net_result res;

	(void)state;
	assert_int_equal(fetch("/loop?redirect_loop=1", 4096, test_opts(), &res), -PC_EHTTP);
	assert_non_null(strstr(res.err.buf, "too many redirects"));
	assert_non_null(strstr(res.err.buf, "/loop?redirect_loop=1"));
	assert_int_equal(res.attempts, 1);
	net_result_release(&res);
}

static void server_errors_are_retried(void **state)
{
	struct net_result res;
	char *lines;

	(void)state;
	assert_int_equal(fetch("/small.txt?fail=2", 4096, test_opts(), &res), 0);
	assert_int_equal(res.attempts, 3);
	assert_int_equal(res.body.len, 1000);
	assert_string_equal(res.err.buf, "");
	lines = log_lines_for("/small.txt?fail=2");
	assert_string_equal(lines, "GET /small.txt?fail=2 - 500\n"
				   "GET /small.txt?fail=2 - 500\n"
				   "GET /small.txt?fail=2 - 200\n");
	free(lines);
	net_result_release(&res);
}

static void retries_give_up_with_the_last_error(void **state)
{
	struct net_options o = test_opts();
	struct net_result res;

	(void)state;
	o.retries = 2;
	assert_int_equal(fetch("/small.txt?status=503", 4096, o, &res), -PC_EHTTP);
	assert_int_equal(res.attempts, 3);
	assert_int_equal(res.http_status, 503);
	assert_non_null(strstr(res.err.buf, "HTTP 503"));
	assert_non_null(strstr(res.err.buf, "gave up after 3 attempts"));
	assert_int_equal(res.body.len, 0);
	net_result_release(&res);
}

static void not_found_is_final(void **state)
{
	struct net_result res;
	char *u = url("/missing.xml");
	char *want = NULL;
	size_t n = strlen(u) + 64;

	(void)state;
	assert_int_equal(fetch("/missing.xml", 4096, test_opts(), &res), -PC_EHTTP);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.http_status, 404);
	want = pc_malloc(n);
	snprintf(want, n, "GET %s: HTTP 404 Not Found", u);
	assert_string_equal(res.err.buf, want);
	free(want);
	free(u);
	net_result_release(&res);
}

static void retry_after_is_honoured(void **state)
{
	struct net_result res;
	double t0 = time_mono();

	(void)state;
	assert_int_equal(fetch("/small.txt?fail=1&status=429&retry_after=1", 4096, test_opts(),
			       &res), 0);
	assert_int_equal(res.attempts, 2);
	/* the backoff alone would be ~5 ms; the header asked for a second */
	assert_true(time_mono() - t0 >= 0.95);
	net_result_release(&res);
}

static void memory_cap_from_content_length(void **state)
{
	struct net_result res;

	(void)state;
	assert_int_equal(fetch("/small.txt", 100, test_opts(), &res), -PC_ETOOBIG);
	assert_non_null(strstr(res.err.buf, "larger than 100 bytes"));
	assert_non_null(strstr(res.err.buf, "/small.txt"));
	assert_int_equal(res.attempts, 1);
	net_result_release(&res);
}

static void gzip_is_decoded_and_capped_after_decoding(void **state)
{
	struct net_result res;
	char *want = make_bytes(5000, 102);

	(void)state;
	assert_int_equal(fetch("/feed.xml?gzip=1", 8192, test_opts(), &res), 0);
	assert_int_equal(res.body.len, 5000);
	assert_memory_equal(res.body.buf, want, 5000);
	assert_string_equal(res.content_type, "application/rss+xml");
	net_result_release(&res);
	/* compressed it is smaller than the cap, decoded it is not */
	assert_int_equal(fetch("/feed.xml?gzip=1", 4000, test_opts(), &res), -PC_ETOOBIG);
	assert_non_null(strstr(res.err.buf, "larger than 4000 bytes"));
	free(want);
	net_result_release(&res);
}

static void user_agent_default_and_custom(void **state)
{
	struct net_options o = test_opts();
	struct net_result res;

	(void)state;
	assert_int_equal(fetch("/headers", 8192, o, &res), 0);
	assert_non_null(strstr(res.body.buf, "User-Agent: podcast_scraper/" PC_VERSION "\n"));
	net_result_release(&res);
	o.user_agent = "tester/1.0";
	assert_int_equal(fetch("/headers", 8192, o, &res), 0);
	assert_non_null(strstr(res.body.buf, "User-Agent: tester/1.0\n"));
	net_result_release(&res);
}

static void count_done(struct net *net, struct net_result *res, void *udata)
{
	(void)net;
	assert_int_equal(res->code, 0);
	(*(int *)udata)++;
}

/* Runs n requests for target; returns the seconds it took. */
static double run_many(struct net_options o, const char *target, int n)
{
	struct net *net = net_new(&o);
	char *u = url(target);
	struct net_request req = { .url = u, .dest_path = NULL,
		.max_bytes = 4096, .done = count_done, .udata = NULL };
	double t0 = time_mono();
	int done = 0, i;

	req.udata = &done;
	for (i = 0; i < n; i++)
		net_add(net, &req);
	assert_int_equal(net_run(net), 0);
	assert_int_equal(done, n);
	net_free(net);
	free(u);
	return time_mono() - t0;
}

static void workers_bound_parallel_transfers(void **state)
{
	struct net_options o = test_opts();

	(void)state;
	/* 4 replies of 400 ms through 2 slots cannot take less than 2 rounds */
	o.workers = 2;
	assert_true(run_many(o, "/small.txt?delay_ms=400&w=2", 4) >= 0.78);
}

static void delay_ms_spaces_request_starts(void **state)
{
	struct net_options o = test_opts();

	(void)state;
	o.delay_ms = 200;
	assert_true(run_many(o, "/small.txt?polite=1", 4) >= 0.58);
}

/* ---- file downloads ---- */

static char *out_path(const char *name)
{
	return fs_join(out, name);
}

static void file_cap_leaves_nothing(void **state)
{
	struct net_result res;
	char *dest = out_path("capped.bin"), *part = part_of(dest);

	(void)state;
	assert_int_equal(download("/big.bin", dest, 5000, test_opts(), &res), -PC_ETOOBIG);
	assert_non_null(strstr(res.err.buf, "larger than 5000 bytes"));
	assert_false(fs_exists(dest));
	assert_false(fs_exists(part));
	free(dest);
	free(part);
	net_result_release(&res);
}

static void dropped_download_resumes_with_range(void **state)
{
	struct net_result res;
	char *dest = out_path("resumed.bin"), *part = part_of(dest);
	char *lines;

	(void)state;
	assert_int_equal(download("/big.bin?close_after=3000", dest, 1 << 20, test_opts(), &res),
			 0);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(res.bytes, BIG_SIZE);
	assert_file_is(dest, BIG_SIZE, 101);
	assert_false(fs_exists(part));
	lines = log_lines_for("/big.bin?close_after=3000");
	assert_non_null(strstr(lines, "GET /big.bin?close_after=3000 - 200\n"));
	assert_non_null(strstr(lines, "GET /big.bin?close_after=3000 bytes=3000- 206\n"));
	free(lines);
	free(dest);
	free(part);
	net_result_release(&res);
}

static void leftover_part_is_resumed(void **state)
{
	struct net_result res;
	struct sbuf err = SBUF_INIT(1024);
	char *dest = out_path("rerun.bin"), *part = part_of(dest);
	char *head = make_bytes(BIG_SIZE, 101), *lines;

	(void)state;
	assert_int_equal(fs_write_atomic(part, head, 5000, &err), 0);
	assert_int_equal(download("/big.bin?rerun=1", dest, 1 << 20, test_opts(), &res), 0);
	assert_int_equal(res.attempts, 1);
	assert_file_is(dest, BIG_SIZE, 101);
	lines = log_lines_for("/big.bin?rerun=1");
	assert_string_equal(lines, "GET /big.bin?rerun=1 bytes=5000- 206\n");
	free(lines);
	free(head);
	free(dest);
	free(part);
	sbuf_release(&err);
	net_result_release(&res);
}

static void server_ignoring_range_still_gives_the_file(void **state)
{
	struct net_result res;
	struct sbuf err = SBUF_INIT(1024);
	char *dest = out_path("norange.bin"), *part = part_of(dest);

	(void)state;
	/* dropped midway, then the retry's Range is ignored */
	assert_int_equal(download("/big.bin?close_after=3000&no_range=1", dest, 1 << 20,
				  test_opts(), &res), 0);
	assert_file_is(dest, BIG_SIZE, 101);
	net_result_release(&res);
	/* a stale .part that does not even match: appending would corrupt it */
	assert_int_equal(fs_write_atomic(part, "XXXXXXXXXX", 10, &err), 0);
	assert_int_equal(download("/big.bin?no_range=1", dest, 1 << 20, test_opts(), &res), 0);
	assert_file_is(dest, BIG_SIZE, 101);
	assert_false(fs_exists(part));
	free(dest);
	free(part);
	sbuf_release(&err);
	net_result_release(&res);
}

static void short_body_is_never_renamed(void **state)
{
	struct net_options o = test_opts();
	struct net_result res;
	char *dest = out_path("short.bin"), *part = part_of(dest);

	(void)state;
	o.retries = 1;
	assert_int_equal(download("/big.bin?truncate=1000", dest, 1 << 20, o, &res), -PC_ENET);
	assert_non_null(strstr(res.err.buf, "connection closed after"));
	assert_non_null(strstr(res.err.buf, "of 20000 bytes"));
	assert_int_equal(res.attempts, 2);
	assert_false(fs_exists(dest));
	assert_true(fs_exists(part));   /* kept for a later resume */
	free(dest);
	free(part);
	net_result_release(&res);
}

/* ---- file:// ---- */

static void file_urls_use_the_same_path(void **state)
{
	struct net_result res;
	char *src = fs_join(root, "feed.xml"), *dest = out_path("copy.xml");
	char *want = make_bytes(5000, 102);
	struct net_options o = test_opts();
	char u[4096];

	(void)state;
	snprintf(u, sizeof(u), "file://%s", src);
	assert_int_equal(net_fetch(&o, u, 8192, &res), 0);
	assert_int_equal(res.body.len, 5000);
	assert_memory_equal(res.body.buf, want, 5000);
	net_result_release(&res);
	assert_int_equal(net_download(&o, u, dest, 8192, &res), 0);
	assert_file_is(dest, 5000, 102);
	net_result_release(&res);
	snprintf(u, sizeof(u), "file://%s/nope.xml", root);
	assert_int_equal(net_fetch(&o, u, 8192, &res), -PC_ENOTFOUND);
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.err.buf, "nope.xml"));
	free(want);
	free(src);
	free(dest);
	net_result_release(&res);
}

/* ---- timeouts and stopping ---- */

static void stall_times_out(void **state)
{
	struct net_options o = test_opts();
	struct net_result res;

	(void)state;
	o.timeout_s = 1;
	o.retries = -1;
	assert_int_equal(fetch("/small.txt?delay_ms=4000", 4096, o, &res), -PC_ETIMEOUT);
	assert_int_equal(res.attempts, 1);
	assert_non_null(strstr(res.err.buf, "/small.txt?delay_ms=4000: stalled: "
			       "less than 1024 bytes/s for 1 s (0 bytes received)"));
	net_result_release(&res);
}

/* Bytes that keep coming, but at 5 a second, are a stall too, and retried. */
static void drip_stalls(void **state)
{
	struct net_options o = test_opts();
	struct net_result res;

	(void)state;
	o.timeout_s = 1;
	o.retries = 1;
	assert_int_equal(fetch("/small.txt?drip=5", 4096, o, &res), -PC_ETIMEOUT);
	assert_int_equal(res.attempts, 2);
	assert_non_null(strstr(res.err.buf, "/small.txt?drip=5: stalled: "
			       "less than 1024 bytes/s for 1 s ("));
	net_result_release(&res);
}

struct stopper {
	int codes[2];
	int calls;
};

static void stop_on_first(struct net *net, struct net_result *res, void *udata)
{
	struct stopper *s = udata;

	s->codes[s->calls++] = res->code;
	if (s->calls == 1)
		net_request_stop(net);
}

static void stop_interrupts_the_rest(void **state)
{
	struct net_options o = test_opts();
	struct stopper s = { { 1, 1 }, 0 };
	struct net *net = net_new(&o);
	char *fast = url("/small.txt?stop=1"), *slow = url("/small.txt?delay_ms=3000&stop=1");
	struct net_request r1 = { .url = slow, .dest_path = NULL,
		.max_bytes = 4096, .done = stop_on_first, .udata = &s };
	struct net_request r2 = { .url = fast, .dest_path = NULL,
		.max_bytes = 4096, .done = stop_on_first, .udata = &s };

	(void)state;
	net_add(net, &r1);
	net_add(net, &r2);
	assert_int_equal(net_run(net), -PC_EINTR);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.codes[0], 0);
	assert_int_equal(s.codes[1], -PC_EINTR);
	net_free(net);
	free(fast);
	free(slow);
}

struct chain {
	int calls;
	long long bytes;
};

static void add_next(struct net *net, struct net_result *res, void *udata)
{
	struct chain *c = udata;

	c->calls++;
	c->bytes += res->bytes;
	if (c->calls == 1) {
		char *u = url("/p01.txt");
		struct net_request req = { .url = u, .dest_path = NULL,
		.max_bytes = 4096, .done = add_next, .udata = c };

		net_add(net, &req);
		free(u);
	}
}

static void callbacks_can_add_requests(void **state)
{
	struct net_options o = test_opts();
	struct chain c = { 0, 0 };
	struct net *net = net_new(&o);
	char *u = url("/p00.txt");
	struct net_request req = { .url = u, .dest_path = NULL,
		.max_bytes = 4096, .done = add_next, .udata = &c };
	struct net_stats st;

	(void)state;
	net_add(net, &req);
	assert_int_equal(net_run(net), 0);
	net_stats(net, &st);
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.bytes, (long long)(parallel_size(0) + parallel_size(1)));
	assert_int_equal(st.bytes, c.bytes);
	net_free(net);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallel_fetches_get_every_byte),
		cmocka_unit_test(redirect_records_final_url),
		cmocka_unit_test(redirect_loop_fails_once),
		cmocka_unit_test(server_errors_are_retried),
		cmocka_unit_test(retries_give_up_with_the_last_error),
		cmocka_unit_test(not_found_is_final),
		cmocka_unit_test(retry_after_is_honoured),
		cmocka_unit_test(memory_cap_from_content_length),
		cmocka_unit_test(gzip_is_decoded_and_capped_after_decoding),
		cmocka_unit_test(user_agent_default_and_custom),
		cmocka_unit_test(workers_bound_parallel_transfers),
		cmocka_unit_test(delay_ms_spaces_request_starts),
		cmocka_unit_test(file_cap_leaves_nothing),
		cmocka_unit_test(dropped_download_resumes_with_range),
		cmocka_unit_test(leftover_part_is_resumed),
		cmocka_unit_test(server_ignoring_range_still_gives_the_file),
		cmocka_unit_test(short_body_is_never_renamed),
		cmocka_unit_test(file_urls_use_the_same_path),
		cmocka_unit_test(stall_times_out),
		cmocka_unit_test(drip_stalls),
		cmocka_unit_test(stop_interrupts_the_rest),
		cmocka_unit_test(callbacks_can_add_requests),
	};
	int rc;

	net_global_init();
	rc = cmocka_run_group_tests(tests, setup, teardown);
	net_global_cleanup();
	return rc;
}
