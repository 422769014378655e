/*
 * net.c - the libcurl multi loop behind net.h.
 *
 * Each request is a struct xfer that lives on exactly one list: `pending`
 * (queued, or waiting out a retry delay until ready_at) or `active` (its
 * easy handle is in the multi handle).  An attempt is one easy handle; a
 * retry makes a fresh one, so no state leaks between attempts, while the
 * multi handle's connection cache still lets the retry reuse a connection.
 *
 * Per attempt:
 *	start_attempt  open .part (file requests), set resume_from, add easy
 *	write_cb       first body bytes: check status and Content-Length;
 *	               then append to body / .part within max
 *	xfer_finished  classify the outcome: done, retry (backoff) or restart
 *	               from zero (server ignored Range); on success rename .part
 *
 * A POST (net_post) is a memory request that also carries a borrowed
 * struct net_post: its headers are copied into a curl_slist once, its
 * multipart form is rebuilt for every attempt (a mime belongs to one easy
 * handle), and the body of an error response is kept for the caller.
 */
#include "net/net.h"

#include "log/log.h"
#include "util/timeutil.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NET_MAX_REDIRS 10L
#define NET_REASON_MAX 200
#define NET_ERR_EXTRA 1024

enum outcome { OUT_DONE, OUT_RETRY, OUT_RESTART };

struct xfer {
	struct net *net;
	struct xfer *next;        /* link in net->pending or net->active */
	char *url;
	const char *method;       /* "GET" or "POST", for messages */
	const struct net_post *post;   /* borrowed; NULL for GET */
	struct curl_slist *headers;    /* the POST's headers, or a GET's validators */
	bool conditional;         /* sent validators: 304 is an answer, not a failure */
	curl_mime *mime;          /* the POST's form during an attempt */
	char *dest;               /* NULL for memory requests */
	char *part;               /* dest + ".part" */
	size_t max;
	net_done_fn done;
	net_progress_fn progress;
	void *udata;
	CURL *easy;
	int fd;                   /* the open .part during an attempt, else -1 */
	long long resume_from;    /* bytes on disk when the attempt started */
	long long got;            /* body bytes taken in this attempt */
	long long expect;         /* whole body size, -1 when unknown */
	bool checked;             /* status and length checked for this attempt */
	bool toobig;              /* write_cb refused: past max */
	int write_errno;          /* write_cb refused: local write failed */
	bool restarted;           /* already restarted once from zero */
	int failures;             /* retriable failures so far */
	long retry_after_ms;      /* from the last response, capped; 0 if none */
	double ready_at;          /* time_mono() before which not to start */
	struct sbuf reason;       /* reason phrase of the last status line */
	struct net_result res;
	char errbuf[CURL_ERROR_SIZE];
};

struct net {
	struct net_options opt;
	char *user_agent;
	CURLM *multi;
	struct xfer *pending;
	struct xfer *active;
	int n_pending;
	int n_active;
	double next_start;        /* politeness: no start before this */
	volatile sig_atomic_t stop;
	uint64_t rng;
	struct net_stats stats;
};

static int global_inited;

int net_global_init(void)
{
	if (global_inited++)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		global_inited = 0;
		return -PC_EFAIL;
	}
	return 0;
}

void net_global_cleanup(void)
{
	if (global_inited && --global_inited == 0)
		curl_global_cleanup();
}

/* ---- results ---- */

static void result_init(struct net_result *res, const char *url, size_t max)
{
	memset(res, 0, sizeof(*res));
	sbuf_init(&res->body, max);
	sbuf_init(&res->err, strlen(url) + NET_ERR_EXTRA);
}

void net_result_move(struct net_result *dst, struct net_result *src)
{
	*dst = *src;
	src->final_url = NULL;
	src->content_type = NULL;
	src->etag = NULL;
	src->last_modified = NULL;
	sbuf_init(&src->body, src->body.max);
	sbuf_init(&src->err, src->err.max);
}

void net_result_release(struct net_result *res)
{
	free(res->final_url);
	free(res->content_type);
	free(res->etag);
	free(res->last_modified);
	res->etag = res->last_modified = NULL;
	sbuf_release(&res->body);
	sbuf_release(&res->err);
	res->final_url = NULL;
	res->content_type = NULL;
	res->code = 0;
	res->http_status = 0;
	res->bytes = 0;
	res->attempts = 0;
}

/* Replaces res.err with "GET <url>: <fmt...>" and returns code. */
PC_PRINTF(3, 4)
static int xfer_fail(struct xfer *x, int code, const char *fmt, ...)
{
	va_list ap;

	sbuf_setf(&x->res.err, "%s %s: ", x->method, x->url);
	va_start(ap, fmt);
	sbuf_vaddf(&x->res.err, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- requests ---- */

/* If-None-Match / If-Modified-Since from the validators of an earlier answer. */
static void add_validators(struct xfer *x, const struct net_request *req)
{
	struct sbuf h = SBUF_INIT(NET_VALIDATOR_MAX + 64);

	if (req->if_none_match && *req->if_none_match) {
		sbuf_addf(&h, "If-None-Match: %s", req->if_none_match);
		x->headers = curl_slist_append(x->headers, h.buf);
	}
	if (req->if_modified_since && *req->if_modified_since) {
		sbuf_setf(&h, "If-Modified-Since: %s", req->if_modified_since);
		x->headers = curl_slist_append(x->headers, h.buf);
	}
	x->conditional = x->headers != NULL;
	sbuf_release(&h);
}

static struct xfer *xfer_new(struct net *net, const struct net_request *req)
{
	struct xfer *x = pc_calloc(1, sizeof(*x));
	size_t deflt = req->dest_path ? NET_DEFAULT_MAX_FILE : NET_DEFAULT_MAX_MEMORY;

	x->net = net;
	x->url = pc_strdup(req->url);
	x->method = "GET";
	x->max = req->max_bytes ? req->max_bytes : deflt;
	if (req->dest_path) {
		size_t n = strlen(req->dest_path) + sizeof(".part");

		x->dest = pc_strdup(req->dest_path);
		x->part = pc_malloc(n);
		snprintf(x->part, n, "%s.part", req->dest_path);
	}
	add_validators(x, req);
	x->done = req->done;
	x->progress = req->progress;
	x->udata = req->udata;
	x->fd = -1;
	sbuf_init(&x->reason, NET_REASON_MAX);
	result_init(&x->res, x->url, x->dest ? 0 : x->max);
	return x;
}

static void xfer_free(struct xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_mime_free(x->mime);
	curl_slist_free_all(x->headers);
	if (x->fd >= 0)
		close(x->fd);
	net_result_release(&x->res);
	sbuf_release(&x->reason);
	free(x->url);
	free(x->dest);
	free(x->part);
	free(x);
}

static void list_push_tail(struct xfer **head, struct xfer *x)
{
	while (*head)
		head = &(*head)->next;
	x->next = NULL;
	*head = x;
}

static void list_remove(struct xfer **head, struct xfer *x)
{
	while (*head && *head != x)
		head = &(*head)->next;
	if (!*head)
		BUG("transfer %s not on its list", x->url);
	*head = x->next;
	x->next = NULL;
}

/* Hands the result to the callback and frees the request. */
static void xfer_complete(struct net *net, struct xfer *x, int code)
{
	x->res.code = code;
	if (code < 0) {
		net->stats.failed++;
		if (!x->post)
			sbuf_release(&x->res.body);
		if (!x->res.err.len)
			xfer_fail(x, code, "%s", pc_strerror(code));
	} else {
		sbuf_reset(&x->res.err);
	}
	if (!x->res.final_url)
		x->res.final_url = pc_strdup(x->url);
	if (x->done)
		x->done(net, &x->res, x->udata);
	xfer_free(x);
}

static void schedule(struct net *net, struct xfer *x, long delay_ms)
{
	x->ready_at = time_mono() + (double)delay_ms / 1000.0;
	list_push_tail(&net->pending, x);
	net->n_pending++;
}

void net_add(struct net *net, const struct net_request *req)
{
	schedule(net, xfer_new(net, req), 0);
}

/* ---- body handling ---- */

static long response_code(struct xfer *x)
{
	long status = 0;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* file:// has no status; every 2xx is a body we keep. */
static bool status_ok(long status)
{
	return status == 0 || (status >= 200 && status < 300);
}

/*
 * The whole size the body will have, or -1 when unknown.  A 206 (and a
 * resumed file:// read) carries only the rest after resume_from.
 */
static long long expected_total(struct xfer *x, long status)
{
	curl_off_t cl = -1;

	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	if (cl < 0)
		return -1;
	if (status == 206 || status == 0)
		return x->resume_from + cl;
	return cl;
}

/* The server sent the whole body although we asked for a range: start over. */
static int part_truncate(struct xfer *x)
{
	if (ftruncate(x->fd, 0) < 0)
		return -errno;
	x->resume_from = 0;
	return 0;
}

/* First body bytes of an attempt: refuse early what cannot fit. */
static bool first_write_ok(struct xfer *x, long status)
{
	long long total;
	int r;

	x->checked = true;
	if (x->fd >= 0 && x->resume_from > 0 && status == 200) {
		r = part_truncate(x);
		if (r < 0) {
			x->write_errno = -r;
			return false;
		}
	}
	total = expected_total(x, status);
	x->expect = total;
	if (total >= 0 && (unsigned long long)total > x->max) {
		x->toobig = true;
		return false;
	}
	return true;
}

static bool write_part(struct xfer *x, const char *p, size_t n)
{
	off_t off = (off_t)(x->resume_from + x->got);

	while (n) {
		ssize_t w = pwrite(x->fd, p, n, off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			x->write_errno = w < 0 ? errno : EIO;
			return false;
		}
		p += w;
		n -= (size_t)w;
		off += w;
	}
	return true;
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *udata)
{
	struct xfer *x = udata;
	size_t n = size * nmemb;
	long status = response_code(x);

	if (!status_ok(status)) {
		/* an error page or a redirect: not the body, but a POST keeps
		 * what fits, since APIs explain their errors there */
		if (x->post && status >= 400)
			sbuf_add(&x->res.body, p, n);
		return n;
	}
	if (!x->checked && !first_write_ok(x, status))
		return 0;
	if ((unsigned long long)(x->resume_from + x->got) + n > x->max) {
		x->toobig = true;
		return 0;
	}
	if (x->fd >= 0 ? !write_part(x, p, n) : sbuf_add(&x->res.body, p, n) < 0)
		return 0;
	x->got += (long long)n;
	x->net->stats.bytes += (long long)n;
	if (x->progress)
		x->progress(x->udata, x->resume_from + x->got, x->expect);
	return n;
}

/* Replaces *slot with the header's value when the header is name. */
static bool header_value(const char *p, size_t n, const char *name, char **slot)
{
	size_t len = strlen(name), end = n;

	if (n <= len || strncasecmp(p, name, len) || p[len] != ':')
		return false;
	p += len + 1;
	n = end - len - 1;
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
		n--;
	free(*slot);
	*slot = n && n <= NET_VALIDATOR_MAX ? pc_strndup(p, n) : NULL;
	return true;
}

/* ETag and Last-Modified, for the next conditional request. */
static bool keep_validator(struct xfer *x, const char *p, size_t n)
{
	return header_value(p, n, "ETag", &x->res.etag) ||
	       header_value(p, n, "Last-Modified", &x->res.last_modified);
}

/* Keeps the reason phrase of each status line ("HTTP/1.1 404 Not Found"). */
static size_t header_cb(char *p, size_t size, size_t nitems, void *udata)
{
	struct xfer *x = udata;
	size_t n = size * nitems;
	size_t i = 0, end = n;
	int fields = 0;

	if (keep_validator(x, p, n))
		return n;
	if (n < 5 || strncmp(p, "HTTP/", 5))
		return n;
	while (i < n && fields < 2) {   /* skip "HTTP/x.y" and the code */
		while (i < n && p[i] != ' ')
			i++;
		while (i < n && p[i] == ' ')
			i++;
		fields++;
	}
	while (end > i && (p[end - 1] == '\r' || p[end - 1] == '\n' || p[end - 1] == ' '))
		end--;
	if (end - i > NET_REASON_MAX)
		end = i + NET_REASON_MAX;
	sbuf_reset(&x->reason);
	sbuf_add(&x->reason, p + i, end - i);
	return n;
}

/* ---- starting attempts ---- */

/*
 * The whole-transfer deadline: time to move the size cap at the lowest
 * speed we accept, plus one stall time for connecting and the first byte.
 * A transfer slower than that on average was going to be cut by the speed
 * limit anyway; this catches one that keeps the average up in bursts.
 */
static long deadline_s(const struct net *net, const struct xfer *x)
{
	long long t = net->opt.stall_s + (long long)(x->max / NET_LOW_SPEED_BYTES);

	return t > LONG_MAX / 1000 ? LONG_MAX / 1000 : (long)t;
}

static void setup_easy(struct net *net, struct xfer *x)
{
	CURL *e = x->easy;
	long t = net->opt.timeout_s;

	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, NET_MAX_REDIRS);
	curl_easy_setopt(e, CURLOPT_USERAGENT, net->user_agent);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, t);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, NET_LOW_SPEED_BYTES);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, net->opt.stall_s);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, deadline_s(net, x));
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	if (!x->dest)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (x->conditional)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	if (x->resume_from > 0)
		curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)x->resume_from);
}

/* One form part; libcurl copies names, values and in-memory data. */
static int add_part(curl_mime *mime, const struct net_form_part *fp)
{
	curl_mimepart *part = curl_mime_addpart(mime);
	CURLcode rc;

	if (!part)
		return -1;
	rc = curl_mime_name(part, fp->name);
	if (!rc && fp->path)
		rc = curl_mime_filedata(part, fp->path);
	else if (!rc && fp->data)
		rc = curl_mime_data(part, fp->data, fp->data_len);
	else if (!rc)
		rc = curl_mime_data(part, fp->value ? fp->value : "", CURL_ZERO_TERMINATED);
	if (!rc && fp->filename)
		rc = curl_mime_filename(part, fp->filename);
	if (!rc && fp->type)
		rc = curl_mime_type(part, fp->type);
	return rc ? -1 : 0;
}

static int setup_post(struct xfer *x)
{
	const struct net_post *p = x->post;
	CURL *e = x->easy;

	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	if (!p->nparts) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)p->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, p->body ? p->body : "");
		return 0;
	}
	x->mime = curl_mime_init(e);
	if (!x->mime)
		return xfer_fail(x, -PC_EFAIL, "cannot build the form");
	for (size_t i = 0; i < p->nparts; i++)
		if (add_part(x->mime, &p->parts[i]) < 0)
			return xfer_fail(x, -PC_EFAIL, "cannot add form field '%s'",
					 p->parts[i].name);
	curl_easy_setopt(e, CURLOPT_MIMEPOST, x->mime);
	return 0;
}

/* Opens the .part and picks up where an earlier attempt or run stopped. */
static int open_part(struct xfer *x)
{
	struct stat st;

	x->fd = open(x->part, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (x->fd < 0 || fstat(x->fd, &st) < 0)
		return xfer_fail(x, -errno, "cannot open '%s': %s", x->part, strerror(errno));
	x->resume_from = st.st_size;
	if ((unsigned long long)x->resume_from > x->max && part_truncate(x) < 0)
		return xfer_fail(x, -errno, "cannot truncate '%s': %s", x->part,
				 strerror(errno));
	return 0;
}

static void reset_attempt(struct xfer *x)
{
	x->got = 0;
	x->resume_from = 0;
	x->checked = false;
	x->toobig = false;
	x->write_errno = 0;
	x->retry_after_ms = 0;
	x->errbuf[0] = '\0';
	sbuf_reset(&x->reason);
	sbuf_reset(&x->res.err);
	sbuf_reset(&x->res.body);
	x->res.attempts++;
}

static void start_attempt(struct net *net, struct xfer *x)
{
	int r = 0;

	reset_attempt(x);
	net->stats.requests++;
	if (x->res.attempts > 1)
		net->stats.retries++;
	if (x->dest)
		r = open_part(x);
	if (!r) {
		x->easy = curl_easy_init();
		if (!x->easy)
			r = xfer_fail(x, -PC_EFAIL, "cannot create a transfer");
	}
	if (r < 0) {
		xfer_complete(net, x, r);
		return;
	}
	setup_easy(net, x);
	if (x->post && (r = setup_post(x)) < 0) {
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
		xfer_complete(net, x, r);
		return;
	}
	curl_multi_add_handle(net->multi, x->easy);
	list_push_tail(&net->active, x);
	net->n_active++;
}

static struct xfer *first_ready(struct net *net, double now)
{
	struct xfer *x;

	for (x = net->pending; x; x = x->next)
		if (x->ready_at <= now)
			return x;
	return NULL;
}

static void start_ready(struct net *net)
{
	double now = time_mono();
	struct xfer *x;

	while (!net->stop && net->n_active < net->opt.workers && now >= net->next_start) {
		x = first_ready(net, now);
		if (!x)
			break;
		list_remove(&net->pending, x);
		net->n_pending--;
		net->next_start = now + (double)net->opt.delay_ms / 1000.0;
		start_attempt(net, x);
	}
}

/* ---- finishing attempts ---- */

static uint64_t rng_next(struct net *net)
{
	net->rng ^= net->rng << 13;
	net->rng ^= net->rng >> 7;
	net->rng ^= net->rng << 17;
	return net->rng;
}

/* Exponential backoff with half of it random, unless Retry-After said more. */
static long retry_delay_ms(struct net *net, struct xfer *x)
{
	long d = net->opt.backoff_base_ms;
	int i;

	if (x->retry_after_ms > 0)
		return x->retry_after_ms;
	for (i = 1; i < x->failures && d < NET_BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > NET_BACKOFF_MAX_MS)
		d = NET_BACKOFF_MAX_MS;
	return d / 2 + (long)(rng_next(net) % (uint64_t)(d / 2 + 1));
}

static void note_retry_after(struct xfer *x)
{
	curl_off_t s = 0;

	if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &s) != CURLE_OK || s <= 0)
		return;
	if (s > NET_RETRY_AFTER_MAX_S)
		s = NET_RETRY_AFTER_MAX_S;
	x->retry_after_ms = (long)s * 1000;
}

static int http_failure(struct xfer *x, long status, enum outcome *out)
{
	if (status == 416 && x->resume_from > 0 && !x->restarted) {
		*out = OUT_RESTART;
		return -PC_EHTTP;
	}
	if (status == 408 || status == 429 || status >= 500) {
		*out = OUT_RETRY;
		note_retry_after(x);
	}
	if (x->reason.len)
		return xfer_fail(x, -PC_EHTTP, "HTTP %ld %s", status, x->reason.buf);
	return xfer_fail(x, -PC_EHTTP, "HTTP %ld", status);
}

static const char *curl_msg(struct xfer *x, CURLcode rc)
{
	return x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
}

static int closed_early(struct xfer *x, long long total)
{
	long long have = x->resume_from + x->got;

	if (total >= 0)
		return xfer_fail(x, -PC_ENET, "connection closed after %lld of %lld bytes",
				 have, total);
	return xfer_fail(x, -PC_ENET, "connection closed after %lld bytes", have);
}

/* Which of the three clocks ran out: connect, speed limit or deadline. */
static int timed_out(struct xfer *x, CURLcode rc)
{
	long limit = deadline_s(x->net, x);
	double secs = 0;

	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME, &secs);
	if (secs >= (double)limit)
		return xfer_fail(x, -PC_ETIMEOUT, "timed out: not done after %ld s, the "
				 "deadline for at most %zu bytes (%lld bytes received)",
				 limit, x->max, x->got);
	if (strstr(x->errbuf, "too slow"))
		return xfer_fail(x, -PC_ETIMEOUT, "stalled: less than %ld bytes/s for %ld s "
				 "(%lld bytes received)", NET_LOW_SPEED_BYTES,
				 x->net->opt.stall_s, x->got);
	return xfer_fail(x, -PC_ETIMEOUT, "timed out: %s", curl_msg(x, rc));
}

static int curl_failure(struct xfer *x, CURLcode rc, enum outcome *out)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		*out = OUT_RETRY;
		return timed_out(x, rc);
	case CURLE_PARTIAL_FILE:
		*out = OUT_RETRY;
		return closed_early(x, expected_total(x, response_code(x)));
	case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_RECV_ERROR: case CURLE_SEND_ERROR: case CURLE_GOT_NOTHING:
	case CURLE_HTTP2: case CURLE_HTTP2_STREAM: case CURLE_SSL_CONNECT_ERROR:
		*out = OUT_RETRY;
		return xfer_fail(x, -PC_ENET, "%s", curl_msg(x, rc));
	case CURLE_RANGE_ERROR: case CURLE_BAD_DOWNLOAD_RESUME:
		if (x->dest && !x->restarted)
			*out = OUT_RESTART;
		return xfer_fail(x, -PC_ENET, "%s", curl_msg(x, rc));
	case CURLE_FILE_COULDNT_READ_FILE:
		return xfer_fail(x, -PC_ENOTFOUND, "%s", curl_msg(x, rc));
	case CURLE_TOO_MANY_REDIRECTS:
		return xfer_fail(x, -PC_EHTTP, "too many redirects");
	case CURLE_FILESIZE_EXCEEDED:
		return xfer_fail(x, -PC_ETOOBIG, "larger than %zu bytes", x->max);
	default:
		return xfer_fail(x, -PC_ENET, "%s", curl_msg(x, rc));
	}
}

/* A clean end of a 2xx body: is it all there? */
static int check_complete(struct xfer *x, long status, enum outcome *out)
{
	long long total = expected_total(x, status);
	long long have = x->resume_from + x->got;

	if (!x->dest)
		return 0;
	/* libcurl ends a 200 at once when the .part already holds all of it */
	if (status == 200 && x->got == 0 && x->resume_from > 0 && total == x->resume_from)
		return 0;
	if (total >= 0 && have != total) {
		*out = OUT_RETRY;
		return closed_early(x, total);
	}
	return 0;
}

static int classify(struct xfer *x, CURLcode rc, long status, enum outcome *out)
{
	*out = OUT_DONE;
	if (x->toobig)
		return xfer_fail(x, -PC_ETOOBIG, "larger than %zu bytes", x->max);
	if (x->write_errno)
		return xfer_fail(x, -x->write_errno, "cannot write '%s': %s", x->part,
				 strerror(x->write_errno));
	if (rc != CURLE_OK)
		return curl_failure(x, rc, out);
	if (status == 304 && x->conditional)
		return 0;
	if (!status_ok(status))
		return http_failure(x, status, out);
	return check_complete(x, status, out);
}

static void collect_info(struct net *net, struct xfer *x, long status)
{
	char *url = NULL, *ctype = NULL;
	long connects = 0;

	x->res.http_status = status;
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &connects);
	free(x->res.final_url);
	free(x->res.content_type);
	x->res.final_url = pc_strdup(url ? url : x->url);
	x->res.content_type = ctype ? pc_strdup(ctype) : NULL;
	x->res.bytes = x->dest ? x->resume_from + x->got : (long long)x->res.body.len;
	net->stats.connections += connects;
}

/* Makes the finished .part the file. */
static int finish_file(struct xfer *x)
{
	int fd = x->fd;

	x->fd = -1;
	if (fsync(fd) < 0 && errno != EINVAL) {
		int e = errno;

		close(fd);
		return xfer_fail(x, -e, "cannot sync '%s': %s", x->part, strerror(e));
	}
	close(fd);
	if (rename(x->part, x->dest) < 0)
		return xfer_fail(x, -errno, "cannot rename '%s' to '%s': %s", x->part, x->dest,
				 strerror(errno));
	return 0;
}

/* Ends the attempt; the .part stays on disk for the next one. */
static void end_attempt(struct net *net, struct xfer *x)
{
	list_remove(&net->active, x);
	net->n_active--;
	curl_multi_remove_handle(net->multi, x->easy);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;
	curl_mime_free(x->mime);
	x->mime = NULL;
}

/*
 * A .part whose write found no room (disk full, quota, file-size limit) would
 * keep the disk full: not even the failure could then be recorded.
 */
static bool out_of_room(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

/*
 * Closes the .part of a failed attempt.  It stays for a later resume unless
 * this was the last attempt and it holds nothing worth resuming (empty,
 * refused as too big, or filling the disk).
 */
static void close_part(struct xfer *x, bool last, int code)
{
	struct stat st;
	bool useless;

	if (x->fd < 0)
		return;
	useless = code == -PC_ETOOBIG || out_of_room(x->write_errno) ||
		  (fstat(x->fd, &st) == 0 && st.st_size == 0);
	close(x->fd);
	x->fd = -1;
	if (last && useless)
		unlink(x->part);
}

static void after_failure(struct net *net, struct xfer *x, int code, enum outcome out)
{
	if (out == OUT_RESTART && (net->stop || part_truncate(x) < 0))
		out = OUT_DONE;
	if (out == OUT_RETRY && (net->stop || x->failures >= net->opt.retries))
		out = OUT_DONE;
	close_part(x, out == OUT_DONE, code);
	if (out == OUT_RESTART) {
		x->restarted = true;
		schedule(net, x, 0);
	} else if (out == OUT_RETRY) {
		long delay;

		x->failures++;
		delay = retry_delay_ms(net, x);
		log_debug("net", "%s; retrying in %ld ms", x->res.err.buf, delay);
		schedule(net, x, delay);
	} else {
		if (x->res.attempts > 1)
			sbuf_addf(&x->res.err, " (gave up after %d attempts)", x->res.attempts);
		xfer_complete(net, x, code);
	}
}

static void xfer_finished(struct net *net, struct xfer *x, CURLcode rc)
{
	long status = response_code(x);
	enum outcome out;
	int code;

	collect_info(net, x, status);
	code = classify(x, rc, status, &out);
	end_attempt(net, x);
	if (!code && x->dest)
		code = finish_file(x);
	if (code < 0)
		after_failure(net, x, code, out);
	else
		xfer_complete(net, x, 0);
}

static void drain(struct net *net)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(net->multi, &left))) {
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		xfer_finished(net, (struct xfer *)priv, msg->data.result);
	}
}

/* ---- the loop ---- */

static void cancel_all(struct net *net)
{
	struct xfer *x;

	while ((x = net->active) || (x = net->pending)) {
		if (x == net->active) {
			end_attempt(net, x);
		} else {
			list_remove(&net->pending, x);
			net->n_pending--;
		}
		close_part(x, true, -PC_EINTR);
		xfer_complete(net, x, xfer_fail(x, -PC_EINTR, "interrupted"));
	}
}

/* How long the loop may sleep before a queued request may start. */
static int wait_ms(struct net *net, int timeout_ms)
{
	double now = time_mono(), when = -1;
	struct xfer *x;
	double ms;

	if (net->n_active >= net->opt.workers)
		return timeout_ms;
	for (x = net->pending; x; x = x->next)
		if (when < 0 || x->ready_at < when)
			when = x->ready_at;
	if (when < 0)
		return timeout_ms;
	if (when < net->next_start)
		when = net->next_start;
	ms = (when - now) * 1000.0 + 1;
	if (ms < 0)
		ms = 0;
	return ms < timeout_ms ? (int)ms : timeout_ms;
}

int net_step(struct net *net, int timeout_ms)
{
	int running = 0;

	if (timeout_ms < 0)
		timeout_ms = 0;
	start_ready(net);
	if (!net->stop && (net->n_active || net->n_pending)) {
		curl_multi_poll(net->multi, NULL, 0, wait_ms(net, timeout_ms), NULL);
		curl_multi_perform(net->multi, &running);
		drain(net);
	}
	if (net->stop)
		cancel_all(net);
	return net->n_active + net->n_pending;
}

int net_run(struct net *net)
{
	while (net_step(net, 1000) > 0)
		;
	return net->stop ? -PC_EINTR : 0;
}

void net_request_stop(struct net *net)
{
	net->stop = 1;
	curl_multi_wakeup(net->multi);
}

void net_stats(struct net *net, struct net_stats *out)
{
	*out = net->stats;
}

/* ---- life cycle ---- */

static void apply_defaults(struct net_options *o)
{
	if (o->workers <= 0)
		o->workers = 8;
	if (o->timeout_s <= 0)
		o->timeout_s = 20;
	if (o->stall_s <= 0)
		o->stall_s = o->timeout_s;
	if (o->retries == 0)
		o->retries = 5;
	else if (o->retries < 0)
		o->retries = 0;
	if (o->delay_ms < 0)
		o->delay_ms = 0;
	if (o->backoff_base_ms <= 0)
		o->backoff_base_ms = 500;
}

struct net *net_new(const struct net_options *o)
{
	struct net *net = pc_calloc(1, sizeof(*net));

	if (o)
		net->opt = *o;
	apply_defaults(&net->opt);
	net->user_agent = pc_strdup(net->opt.user_agent ? net->opt.user_agent
						   : "podcast_scraper/" PC_VERSION);
	net->opt.user_agent = net->user_agent;
	net->multi = curl_multi_init();
	if (!net->multi)
		BUG("curl_multi_init failed (net_global_init not called?)");
	curl_multi_setopt(net->multi, CURLMOPT_MAXCONNECTS, (long)net->opt.workers * 2);
	net->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)(time_mono() * 1e9) ^
		   (uint64_t)(uintptr_t)net;
	if (!net->rng)
		net->rng = 88172645463325252ULL;
	return net;
}

void net_free(struct net *net)
{
	if (!net)
		return;
	net->stop = 1;
	cancel_all(net);
	curl_multi_cleanup(net->multi);
	free(net->user_agent);
	free(net);
}

/* ---- synchronous helpers ---- */

static void sync_done(struct net *net, struct net_result *res, void *udata)
{
	(void)net;
	net_result_move(udata, res);
}

static int run_one(const struct net_options *o, const struct net_request *req,
		   struct net_result *res)
{
	struct net *net = net_new(o);

	result_init(res, req->url, 0);
	net_add(net, req);
	net_run(net);
	net_free(net);
	return res->code;
}

int net_fetch(const struct net_options *o, const char *url, size_t max_bytes,
	      struct net_result *res)
{
	struct net_request req = { .url = url, .dest_path = NULL,
		.max_bytes = max_bytes, .done = sync_done, .udata = res };

	return run_one(o, &req, res);
}

int net_download(const struct net_options *o, const char *url, const char *dest_path,
		 size_t max_bytes, struct net_result *res)
{
	struct net_request req = { .url = url, .dest_path = dest_path,
		.max_bytes = max_bytes, .done = sync_done, .udata = res };

	return run_one(o, &req, res);
}

/* The POST's headers, plus its Content-Type and no "Expect: 100-continue". */
static struct curl_slist *post_headers(const struct net_post *p)
{
	struct curl_slist *l = NULL;
	struct sbuf ct = SBUF_INIT(SBUF_NOLIMIT);

	for (const char *const *h = p->headers; h && *h; h++)
		l = curl_slist_append(l, *h);
	if (p->content_type && !p->nparts) {
		sbuf_addf(&ct, "Content-Type: %s", p->content_type);
		l = curl_slist_append(l, ct.buf);
	}
	sbuf_release(&ct);
	return curl_slist_append(l, "Expect:");
}

int net_post(const struct net_options *o, const struct net_post *post,
	     struct net_result *res)
{
	struct net_request req = { .url = post->url, .dest_path = NULL,
		.max_bytes = post->max_bytes, .done = sync_done, .udata = res };
	struct net *net = net_new(o);
	struct xfer *x = xfer_new(net, &req);

	result_init(res, post->url, 0);
	x->method = "POST";
	x->post = post;
	x->headers = post_headers(post);
	if (!x->headers)
		BUG("out of memory building request headers");
	schedule(net, x, 0);
	net_run(net);
	net_free(net);
	return res->code;
}
