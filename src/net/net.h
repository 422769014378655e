/*
 * net.h - parallel HTTP(S) and file:// transfers on one libcurl multi loop.
 *
 * Purpose: every byte the program fetches (feeds, transcripts, media) goes
 * through here, so retries, politeness, size caps and resumable downloads
 * behave the same everywhere.
 *
 * Model: a struct net owns one curl multi handle and a queue of requests.
 * At most `workers` transfers run at once; connections are kept in the
 * multi handle's cache and reused between transfers to the same host.
 * Redirects are followed (http/https only; a redirect can never lead to a
 * file:// URL) and the final URL is recorded.  TLS peers are verified.
 *
 * Retries: connection errors, stalls, HTTP 408, 429 and 5xx are retried up
 * to `retries` times with exponential backoff and jitter
 * (backoff_base_ms * 2^(n-1), half of it random, at most NET_BACKOFF_MAX_MS).
 * A Retry-After header (seconds or HTTP date) replaces the backoff, capped
 * at NET_RETRY_AFTER_MAX_S.  Other failures (404, too many redirects, a size
 * cap, a local write error) are final at once.
 *
 * Timeouts: `timeout_s` bounds connecting, and a transfer slower than
 * NET_LOW_SPEED_BYTES a second for stall_s seconds (timeout_s unless set) is
 * a stall (a server dripping a few bytes a second would otherwise hold a
 * transfer for days).  A speech server may think for minutes about an hour
 * of audio before its first byte, so its client sets stall_s apart.
 * Each attempt also has a deadline of stall_s plus the time the size cap
 * takes at NET_LOW_SPEED_BYTES a second, so no pattern of bursts keeps a
 * transfer alive for ever.  Stalls and deadlines are retried like
 * connection errors ("stalled: less than 1024 bytes/s for 20 s (37 bytes
 * received)").
 *
 * Memory requests (dest_path NULL) collect the body in res->body, an sbuf
 * capped at max_bytes; they accept gzip/deflate.  File requests stream into
 * "<dest_path>.part" and rename it to dest_path only when the body is
 * complete (and matches Content-Length when the server sent one).  An
 * existing .part, from an earlier attempt or an earlier run, is resumed with
 * a Range request; a server that ignores Range gets the .part truncated and
 * the download restarted from zero.  File requests ask for the identity
 * encoding, since byte ranges of a compressed stream cannot be resumed.
 * Both kinds fail with -PC_ETOOBIG ("larger than N bytes") past max_bytes,
 * checked against Content-Length before the body when it is known.
 *
 * Errors: res->code is 0 or a negative PC_E* code; res->err then holds one
 * sentence naming the request, e.g. "GET https://x/feed.xml: HTTP 404 Not
 * Found".  Nothing is printed; libcurl's messages go to an error buffer.
 *
 * net_post() sends one POST (a JSON body or a multipart form, with extra
 * headers such as Authorization) through the same loop and retry policy.
 *
 * Calling sequence:
 *	net_global_init();                    // once, before any thread starts
 *	struct net *net = net_new(&opts);
 *	net_add(net, &req);                   // any number, also from callbacks
 *	net_run(net);                         // or loop on net_step()
 *	net_free(net);
 *	net_global_cleanup();                 // once, at exit
 * A struct net is used from one thread.  net_request_stop() may be called
 * from a signal handler.
 */
#ifndef NET_H
#define NET_H

#include "util/pc.h"
#include "util/sbuf.h"

#define NET_BACKOFF_MAX_MS 30000L
#define NET_LOW_SPEED_BYTES 1024L
#define NET_RETRY_AFTER_MAX_S 60L
/* Longest ETag or Last-Modified kept; longer ones are dropped. */
#define NET_VALIDATOR_MAX 1024
/* Caps used when a request leaves max_bytes at 0. */
#define NET_DEFAULT_MAX_MEMORY ((size_t)64 << 20)
#define NET_DEFAULT_MAX_FILE ((size_t)4 << 30)

struct net;

/* Zero fields take the defaults given in brackets. */
struct net_options {
	int workers;            /* parallel transfers [8] */
	long timeout_s;         /* connect timeout, and how long a stall lasts [20] */
	int retries;            /* extra attempts after the first [5]; <0 for none */
	long delay_ms;          /* least time between starting two requests [0] */
	const char *user_agent; /* ["podcast_scraper/" PC_VERSION]; copied */
	long backoff_base_ms;   /* first retry delay before jitter [500] */
	long stall_s;           /* how long a transfer may stay below the low speed,
	                           e.g. while a server works on an upload before it
	                           answers [timeout_s] */
};

struct net_result {
	int code;               /* 0 or -PC_E* (ENET, EHTTP, ETOOBIG, ETIMEOUT, ENOTFOUND, EINTR) */
	long http_status;       /* last HTTP status; 0 for file:// or no response */
	char *final_url;        /* URL after redirects (never NULL once finished) */
	char *content_type;     /* Content-Type of the final response, or NULL */
	struct sbuf body;       /* memory requests: the body (capped at max_bytes);
	                           emptied when the request failed */
	long long bytes;        /* body bytes: in body, or the final file's size */
	int attempts;           /* requests made, retries included */
	char *etag;             /* ETag of the final response, or NULL */
	char *last_modified;    /* Last-Modified of the final response, or NULL */
	struct sbuf err;        /* the failure, naming the URL; empty on success */
};

/*
 * Called once per request when it finished, failed for good or was stopped.
 * res is owned by net and valid only during the call; take what you need
 * with net_result_move() or by detaching its buffers.
 */
typedef void (*net_done_fn)(struct net *net, struct net_result *res, void *udata);

/*
 * Called as body bytes arrive: bytes so far (a resumed download counts what
 * was on disk) and the whole size, or -1 when unknown.  Keep it cheap.
 */
typedef void (*net_progress_fn)(void *udata, long long bytes, long long total);

struct net_request {
	const char *url;        /* http://, https:// or file://; copied */
	const char *dest_path;  /* NULL = into memory, else the final file, in an
	                           existing directory; copied */
	size_t max_bytes;       /* size cap; 0 = NET_DEFAULT_MAX_MEMORY / _FILE */
	net_done_fn done;       /* may be NULL */
	void *udata;            /* passed to done and progress */
	net_progress_fn progress;   /* may be NULL */
	/*
	 * Validators from an earlier answer (memory GETs; NULL for none): sent
	 * as If-None-Match and If-Modified-Since.  A 304 then ends the request
	 * with code 0, http_status 304 and an empty body.
	 */
	const char *if_none_match;
	const char *if_modified_since;
};

struct net_stats {
	long long bytes;        /* body bytes received, all attempts */
	long requests;          /* requests started, retries included */
	long retries;           /* of those, retries */
	long failed;            /* requests that finished with an error */
	long connections;       /* new connections opened (the rest were reused) */
};

/* Calls curl_global_init once; returns 0 or -PC_EFAIL.  Not thread-safe. */
int net_global_init(void);
void net_global_cleanup(void);

/* A new loop with options o (copied).  Free with net_free(). */
struct net *net_new(const struct net_options *o);
/* Queues req (its strings are copied); it starts when a worker slot is free. */
void net_add(struct net *net, const struct net_request *req);
/*
 * One turn of the loop: starts what may start, waits at most timeout_ms for
 * activity, runs callbacks of finished requests.  Returns how many requests
 * are still running or queued (0 = all done).
 */
int net_step(struct net *net, int timeout_ms);
/* Steps until nothing is left.  Returns 0, or -PC_EINTR after a stop. */
int net_run(struct net *net);
/*
 * Asks the loop to finish quickly: queued and running requests complete with
 * -PC_EINTR (partial downloads stay as .part, to resume later).  Only sets a
 * flag and wakes the loop, so it is safe from a signal handler.
 */
void net_request_stop(struct net *net);
void net_stats(struct net *net, struct net_stats *out);
/* Cancels whatever is left (callbacks get -PC_EINTR) and frees net. */
void net_free(struct net *net);

/*
 * Fetches url into res->body synchronously with a private loop.  res is
 * initialised here; release it with net_result_release().  Returns res->code.
 */
int net_fetch(const struct net_options *o, const char *url, size_t max_bytes,
	      struct net_result *res);
/* Downloads url to dest_path like a file request.  Same ownership as net_fetch. */
int net_download(const struct net_options *o, const char *url, const char *dest_path,
		 size_t max_bytes, struct net_result *res);

/*
 * POST requests (synchronous only).  Either a plain body (body, body_len,
 * content_type) or a multipart/form-data form (parts, nparts).  headers are
 * extra "Name: value" lines, e.g. an Authorization header: they go to the
 * server and nowhere else (never into res->err or the log).
 */
struct net_form_part {
	const char *name;       /* form field name */
	const char *value;      /* a text field, or NULL with one of: */
	const char *path;       /* a file sent as the field's content, or */
	const void *data;       /* data_len bytes in memory */
	size_t data_len;
	const char *filename;   /* file name announced; NULL: path's base name */
	const char *type;       /* Content-Type of the part, or NULL */
};

struct net_post {
	const char *url;
	const char *const *headers;    /* NULL-terminated, or NULL */
	const char *content_type;      /* of a plain body */
	const void *body;              /* plain body of body_len bytes */
	size_t body_len;
	const struct net_form_part *parts;   /* a form instead, when nparts > 0 */
	size_t nparts;
	size_t max_bytes;              /* response cap; 0 = NET_DEFAULT_MAX_MEMORY */
};

/*
 * Sends post and collects the response in res->body, with the same retries
 * as GET (connection errors, stalls, 408, 429, 5xx; backoff or Retry-After):
 * the form is rebuilt and the whole request sent again on every attempt.
 * Unlike GET, an HTTP error keeps its response body (capped at max_bytes)
 * in res->body so the caller can read the server's explanation; res->err
 * reads "POST <url>: HTTP 401 Unauthorized".  post and everything it points
 * to are borrowed for the duration of the call.  res is initialised here;
 * release it with net_result_release().  Returns res->code.
 */
int net_post(const struct net_options *o, const struct net_post *post,
	     struct net_result *res);

/* ---- JSON web APIs (net_api.c) ---- */

/*
 * base + "/" + path, with base's query string kept at the end:
 * ("https://h/v1?api-version=2", "chat/completions") gives
 * "https://h/v1/chat/completions?api-version=2".  Caller frees.
 */
char *net_url_join(const char *base, const char *path);
/* "Authorization: Bearer <token>" (caller frees), or NULL without a token. */
char *net_bearer_header(const char *token);
/*
 * Appends to err why the API call to url failed, naming it as `what`:
 * "speech server https://h/v1/audio/transcriptions: HTTP 401: <message>",
 * the message being the JSON error body's error.message (or message,
 * detail, or the body's first line), or net's reason for other failures.
 * Every occurrence of secret (may be NULL) is masked as "***", so a server
 * that quotes the key back cannot leak it into logs.
 */
void net_api_error(const struct net_result *res, const char *what, const char *url,
		   const char *secret, struct sbuf *err);

/* Moves src into dst (dst is overwritten, src left empty but valid). */
void net_result_move(struct net_result *dst, struct net_result *src);
/* Frees what res owns and leaves it empty. */
void net_result_release(struct net_result *res);

#endif
