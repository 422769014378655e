/*
 * testserver - a loopback HTTP server that misbehaves on request.
 *
 *	testserver --root DIR [--port N] [--port-file F] [--log F] [--latency-ms N]
 *
 * Listens on 127.0.0.1 only (port 0, the default, picks a free one; with
 * --port-file the chosen port is written there, atomically, once the server
 * accepts connections).  GET and HEAD serve files under DIR, with the
 * Content-Type taken from the extension (.xml application/rss+xml, .vtt
 * text/vtt, .srt application/x-subrip, .json application/json, .html
 * text/html, .txt text/plain, .mp3 audio/mpeg, .m4a audio/mp4, .ogg
 * audio/ogg, .wav audio/wav, anything else application/octet-stream) and a
 * single-range Range header answered with 206 (416 past the end).
 *
 * --log F appends one line per request, written before the reply is sent:
 *	METHOD TARGET RANGE STATUS      e.g. "GET /a.mp3?close_after=10 bytes=10- 206"
 * where TARGET is the request target as received and RANGE is the Range
 * header or "-".  --latency-ms N delays every reply.  The server exits on
 * SIGTERM or SIGINT, and when its parent process dies.
 *
 * Misbehaviour on request, by query parameters (they combine):
 *	status=S          reply status S with a short text body
 *	fail=N            the first N requests to this target fail with `status`
 *	                  (default 500), later ones are served normally
 *	retry_after=S     add "Retry-After: S" to the reply
 *	delay_ms=N        wait N ms before replying
 *	wait_for=NAME     reply only once the file NAME (no '/') exists under DIR,
 *	                  or after WAIT_FOR_MAX_MS: a test holds a reply back
 *	                  until it has done what must happen while it waits
 *	close_after=B     send B body bytes, then drop the connection; only on the
 *	                  first request to this target unless always=1
 *	truncate=B        announce the full Content-Length but send only B bytes
 *	                  and drop the connection, on every request
 *	redirect=PATH     302 with "Location: PATH" (relative, sent as given)
 *	redirect_loop=1   302 to the very same target, forever
 *	no_range=1        ignore Range: always 200 with the whole body
 *	content_type=T    use T as Content-Type
 *	gzip=1            gzip the body ("Content-Encoding: gzip"; Range ignored)
 *	drip=N            send the body N bytes a second (one byte at a time), as
 *	                  a server that never quite stalls
 *	no_validators=1   send no ETag / Last-Modified and never answer 304
 * Files are served with an ETag (a hash of their bytes) and Last-Modified
 * (their mtime), and a GET whose If-None-Match (or, without it,
 * If-Modified-Since) still holds is answered 304 with no body.
 * "This target" means the path with its query string: every distinct URL has
 * its own request counter, so a retry of the same URL sees the count go up.
 *
 * Other methods and API endpoints are served by the route table below
 * (search for "ROUTES"); misbehaviour parameters apply to routes as well.
 * Built in: POST /echo replies with the request body, GET /headers with the
 * request headers ("Name: value" a line), and OpenAI-style endpoints:
 *
 * GET /v1/models answers a list of two models, whisper-1 and whisper-large-v3.
 *
 * POST /v1/audio/transcriptions (multipart form: file, model, language,
 * response_format) answers verbose_json with one segment per request,
 * text "part <n> bytes=<file size> model=<m> language=<l>" (n counts the
 * requests answered since the server started, from 1), from 0 to the
 * duration of the file when it is a WAV (else 0 to 1).
 *
 * POST /v1/chat/completions answers a chat completion whose content is the
 * JSON {"summary": <first line of the last user message>, "key_points":
 * [<its next two lines, without a leading "- ">], "lines": N, "words": W}.
 *
 * Both log "auth=present" or "auth=absent" (never the header's value) and
 * what they received after the status, e.g.
 *	POST /v1/chat/completions - 200 auth=present model=m words=2400 first=Hello_all
 * (first: the user message's first line, at most 40 bytes, spaces as "_")
 * and take mode=M: error401 (401 with an OpenAI error body quoting the
 * bearer token, as a careless server would), text (transcriptions: only
 * {"text"}), words (transcriptions: with OpenAI's top-level "words", the
 * text's words spread evenly over the segment), prompt (chat: the summary is the system message), fenced
 * (chat: the JSON inside a ``` code fence), plain (chat: plain text with
 * "- " key points).
 */
#include "util/fs.h"
#include "util/sbuf.h"

#include <curl/curl.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_FILE ((size_t)512 << 20)
#define MAX_UPLOAD ((size_t)64 << 20)

static struct {
	const char *root;
	long port;
	const char *port_file;
	const char *log;
	long latency_ms;
} opt;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *logf;

/* Requests seen per target, for fail= and close_after=. */
struct counter {
	char *target;
	long n;
	struct counter *next;
};
static struct counter *counters;

/* One request; MHD keeps it in *req_cls from the URI callback to completion. */
struct req {
	char *target;        /* "/path?query" as received */
	bool started;        /* the first access-handler call has happened */
	bool upload_toobig;
	struct sbuf upload;  /* request body */
};

/* What to send back; handlers fill it in. */
struct reply {
	int status;
	char content_type[128];
	struct sbuf body;
	size_t send_limit;   /* drop the connection after this many bytes */
	bool ranged;         /* body is a slice; content_range says which */
	char content_range[96];
	char location[1024];
	bool gzipped;
	char etag[40];       /* validators of a served file; "" for none */
	char last_modified[64];
	char note[256];      /* appended to the request's log line */
};

/* What a route handler sees of the request. */
struct route_ctx {
	struct MHD_Connection *con;
	const char *method;
	const char *path;
	const char *body;
	size_t body_len;
};

static long bump_counter(const char *target)
{
	struct counter *c;
	long n;

	pthread_mutex_lock(&lock);
	for (c = counters; c && strcmp(c->target, target); c = c->next)
		;
	if (!c) {
		c = pc_calloc(1, sizeof(*c));
		c->target = pc_strdup(target);
		c->next = counters;
		counters = c;
	}
	n = ++c->n;
	pthread_mutex_unlock(&lock);
	return n;
}

static void log_request(const char *method, const char *target, const char *range,
			int status, const char *note)
{
	if (!logf)
		return;
	pthread_mutex_lock(&lock);
	fprintf(logf, "%s %s %s %d%s%s\n", method, target, range ? range : "-", status,
		*note ? " " : "", note);
	fflush(logf);
	pthread_mutex_unlock(&lock);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- request helpers ---- */

static const char *query(struct MHD_Connection *con, const char *key)
{
	return MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, key);
}

static long query_long(struct MHD_Connection *con, const char *key, long deflt)
{
	const char *v = query(con, key);
	char *end;
	long n;

	if (!v || !*v)
		return deflt;
	errno = 0;
	n = strtol(v, &end, 10);
	return errno || *end || n < 0 ? deflt : n;
}

static const char *header(struct MHD_Connection *con, const char *key)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, key);
}

static void reply_text(struct reply *r, int status, const char *text)
{
	r->status = status;
	snprintf(r->content_type, sizeof(r->content_type), "text/plain");
	sbuf_reset(&r->body);
	sbuf_addf(&r->body, "%s\n", text);
}

/* ---- ROUTES: endpoints other than static files ----
 *
 * To add one, write a handler and add a line to routes[].  The handler gets
 * the method, path, request headers (header(c->con, "Name")), query
 * (query(c->con, "key")) and the raw body, and fills in the reply: status,
 * content_type and body.  Example:
 *
 *	static void route_chat(struct route_ctx *c, struct reply *r)
 *	{
 *		r->status = 200;
 *		snprintf(r->content_type, sizeof(r->content_type), "application/json");
 *		sbuf_adds(&r->body, "{\"choices\":[...]}");
 *	}
 *	...	{ "POST", "/v1/chat/completions", route_chat },
 */

/* POST /echo: replies with the request body and its Content-Type. */
static void route_echo(struct route_ctx *c, struct reply *r)
{
	const char *ct = header(c->con, MHD_HTTP_HEADER_CONTENT_TYPE);

	r->status = 200;
	snprintf(r->content_type, sizeof(r->content_type), "%s",
		 ct ? ct : "application/octet-stream");
	sbuf_add(&r->body, c->body, c->body_len);
}

static enum MHD_Result add_header_line(void *cls, enum MHD_ValueKind kind, const char *key,
				       const char *value)
{
	(void)kind;
	sbuf_addf(cls, "%s: %s\n", key, value ? value : "");
	return MHD_YES;
}

/* GET /headers: replies with the request headers, "Name: value" a line. */
static void route_headers(struct route_ctx *c, struct reply *r)
{
	r->status = 200;
	snprintf(r->content_type, sizeof(r->content_type), "text/plain");
	MHD_get_connection_values(c->con, MHD_HEADER_KIND, add_header_line, &r->body);
}

/* ---- OpenAI-style endpoints ---- */

static long transcription_parts;

static const char *auth_state(struct route_ctx *c)
{
	return header(c->con, MHD_HTTP_HEADER_AUTHORIZATION) ? "present" : "absent";
}

static void reply_json(struct reply *r, int status, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);

	r->status = status;
	snprintf(r->content_type, sizeof(r->content_type), "application/json");
	sbuf_reset(&r->body);
	sbuf_adds(&r->body, text ? text : "{}");
	free(text);
	json_decref(j);
}

/* 401 as OpenAI words it, quoting the bearer token like a careless server. */
static void reply_401(struct route_ctx *c, struct reply *r)
{
	const char *auth = header(c->con, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *token = auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : "none";
	char msg[512];

	snprintf(msg, sizeof(msg), "Incorrect API key provided: %s. You can find your "
		 "API key at https://example.invalid/keys.", token);
	reply_json(r, 401, json_pack("{s:{s:s,s:s,s:n,s:s}}", "error", "message", msg,
				     "type", "invalid_request_error", "param",
				     "code", "invalid_api_key"));
}

struct form {
	struct sbuf file;
	char *filename;
	struct sbuf model, language, format, prompt;
};

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *filename, const char *content_type,
				  const char *transfer_encoding, const char *data,
				  uint64_t off, size_t size)
{
	struct form *f = cls;
	struct sbuf *dst = !strcmp(key, "file") ? &f->file : !strcmp(key, "model") ? &f->model
		: !strcmp(key, "language") ? &f->language
		: !strcmp(key, "response_format") ? &f->format
		: !strcmp(key, "prompt") ? &f->prompt : NULL;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	(void)off;
	if (dst == &f->file && filename && !f->filename)
		f->filename = pc_strdup(filename);
	if (dst && sbuf_add(dst, data, size) < 0)
		return MHD_NO;
	return MHD_YES;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Seconds of audio in a PCM WAV, or -1 when it is not one. */
static double wav_seconds(const struct sbuf *b)
{
	const unsigned char *p = (const unsigned char *)b->buf;
	size_t pos = 12;
	double bytes_per_s = 0;

	if (b->len < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WAVE", 4))
		return -1;
	while (pos + 8 <= b->len) {
		uint32_t size = le32(p + pos + 4);

		if (!memcmp(p + pos, "fmt ", 4) && size >= 16 && pos + 24 <= b->len)
			bytes_per_s = le32(p + pos + 16);   /* byte rate */
		if (!memcmp(p + pos, "data", 4) && bytes_per_s > 0) {
			size_t have = b->len - pos - 8;

			return (size < have ? size : have) / bytes_per_s;
		}
		pos += 8 + (size_t)size + (size & 1);
	}
	return -1;
}

static bool parse_form(struct route_ctx *c, struct form *f)
{
	struct MHD_PostProcessor *pp = MHD_create_post_processor(c->con, 65536, form_field, f);
	bool ok;

	if (!pp)
		return false;
	ok = MHD_post_process(pp, c->body, c->body_len) == MHD_YES;
	return MHD_destroy_post_processor(pp) == MHD_YES && ok;
}

/* The text's words spread evenly over 0..secs, as OpenAI's "words". */
static json_t *even_words(const char *text, double secs)
{
	json_t *a = json_array();
	char *copy = strdup(text), *save = NULL;
	size_t n = 0, i = 0;

	for (const char *p = text; *p; p++)
		n += *p != ' ' && (p == text || p[-1] == ' ');
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), i++)
		json_array_append_new(a, json_pack("{s:s,s:f,s:f}", "word", w, "start",
						   secs * (double)i / (double)n, "end",
						   secs * (double)(i + 1) / (double)n));
	free(copy);
	return a;
}

static void transcription_json(struct reply *r, const char *text, const char *language,
			       double secs, bool words)
{
	json_t *j = json_pack("{s:s,s:s,s:f,s:s,s:[{s:i,s:f,s:f,s:s}]}", "task", "transcribe",
			      "language", language, "duration", secs, "text", text,
			      "segments", "id", 0, "start", 0.0, "end", secs, "text", text);

	if (words)
		json_object_set_new(j, "words", even_words(text, secs));
	reply_json(r, 200, j);
}

static void transcription_reply(struct route_ctx *c, struct form *f, struct reply *r)
{
	double secs = wav_seconds(&f->file);
	long n;
	char text[512];

	pthread_mutex_lock(&lock);
	n = ++transcription_parts;
	pthread_mutex_unlock(&lock);
	snprintf(text, sizeof(text), "part %ld bytes=%zu model=%s language=%s", n,
		 f->file.len, f->model.buf, f->language.len ? f->language.buf : "-");
	snprintf(r->note, sizeof(r->note), "auth=%s part=%ld bytes=%zu format=%s prompt=[%s]",
		 auth_state(c), n, f->file.len, f->format.buf, f->prompt.buf);
	if (secs < 0)
		secs = 1;
	if (query(c->con, "mode") && !strcmp(query(c->con, "mode"), "text"))
		reply_json(r, 200, json_pack("{s:s}", "text", text));
	else
		transcription_json(r, text, f->language.buf, secs,
				   query(c->con, "mode") && !strcmp(query(c->con, "mode"), "words"));
}

/* GET /v1/models: the model list speech servers answer (mode=error401 too). */
static void route_models(struct route_ctx *c, struct reply *r)
{
	const char *mode = query(c->con, "mode");

	if (mode && !strcmp(mode, "error401"))
		reply_401(c, r);
	else
		reply_json(r, 200, json_pack("{s:s,s:[{s:s,s:s},{s:s,s:s}]}", "object", "list",
					     "data", "id", "whisper-1", "object", "model",
					     "id", "whisper-large-v3", "object", "model"));
	snprintf(r->note, sizeof(r->note), "auth=%s", auth_state(c));
}

/* POST /v1/audio/transcriptions: see the top of the file. */
static void route_transcriptions(struct route_ctx *c, struct reply *r)
{
	const char *mode = query(c->con, "mode");
	struct form f = { SBUF_INIT(MAX_UPLOAD), NULL, SBUF_INIT(256), SBUF_INIT(256),
			  SBUF_INIT(256), SBUF_INIT(4096) };

	if (mode && !strcmp(mode, "error401")) {
		reply_401(c, r);
		snprintf(r->note, sizeof(r->note), "auth=%s", auth_state(c));
	} else if (!parse_form(c, &f) || !f.file.len || !f.model.len) {
		reply_json(r, 400, json_pack("{s:{s:s}}", "error", "message",
					     "a file and a model are required"));
		snprintf(r->note, sizeof(r->note), "auth=%s", auth_state(c));
	} else {
		transcription_reply(c, &f, r);
	}
	sbuf_release(&f.file);
	sbuf_release(&f.model);
	sbuf_release(&f.language);
	sbuf_release(&f.format);
	sbuf_release(&f.prompt);
	free(f.filename);
}

/* Lines of text, without a leading "- ", empty ones skipped. */
static json_t *text_lines(const char *text)
{
	json_t *a = json_array();

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		const char *p = text;

		if (n >= 2 && !strncmp(p, "- ", 2)) {
			p += 2;
			n -= 2;
		}
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		text = nl ? nl + 1 : NULL;
	}
	return a;
}

static long count_words(const char *s)
{
	long n = 0;
	bool in = false;

	for (; s && *s; s++) {
		bool space = *s == ' ' || *s == '\n' || *s == '\t';

		n += !space && !in;
		in = !space;
	}
	return n;
}

/* The content of the last message with role `role`, or "". */
static const char *message_of(json_t *req, const char *role)
{
	json_t *msgs = json_object_get(req, "messages"), *m;
	const char *text = "";
	size_t i;

	json_array_foreach(msgs, i, m) {
		const char *r = json_string_value(json_object_get(m, "role"));

		if (r && !strcmp(r, role) && json_is_string(json_object_get(m, "content")))
			text = json_string_value(json_object_get(m, "content"));
	}
	return text;
}

static char *chat_content(json_t *req, const char *mode)
{
	const char *user = message_of(req, "user");
	json_t *lines = text_lines(user), *kp = json_array(), *j;
	char *out;

	for (size_t i = 1; i < 3 && i < json_array_size(lines); i++)
		json_array_append(kp, json_array_get(lines, i));
	j = json_pack("{s:s,s:o,s:I,s:I}", "summary",
		      json_array_size(lines) ? json_string_value(json_array_get(lines, 0)) : "",
		      "key_points", kp, "lines", (json_int_t)json_array_size(lines),
		      "words", (json_int_t)count_words(user));
	if (!strcmp(mode, "prompt"))
		json_object_set_new(j, "summary", json_string(message_of(req, "system")));
	out = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	json_decref(lines);
	if (!strcmp(mode, "fenced")) {
		struct sbuf f = SBUF_INIT(SBUF_NOLIMIT);

		sbuf_addf(&f, "Here you go:\n```json\n%s\n```\n", out);
		free(out);
		out = sbuf_detach(&f, NULL);
	} else if (!strcmp(mode, "plain")) {
		free(out);
		out = pc_strdup("The episode covers bread.\n- Flour matters.\n- Ovens vary.\n");
	}
	return out;
}

/* "auth=... model=... words=... first=<the user text's first 40 bytes>". */
static void chat_note(struct route_ctx *c, json_t *req, struct reply *r)
{
	const char *model = json_string_value(json_object_get(req, "model"));
	const char *user = message_of(req, "user");
	char first[41];
	size_t i;

	for (i = 0; i < sizeof(first) - 1 && user[i] && user[i] != '\n'; i++)
		first[i] = user[i] == ' ' ? '_' : user[i];
	first[i] = '\0';
	snprintf(r->note, sizeof(r->note), "auth=%s model=%s words=%ld first=%s",
		 auth_state(c), model ? model : "-", count_words(user), first);
}

/* POST /v1/chat/completions: see the top of the file. */
static void route_chat(struct route_ctx *c, struct reply *r)
{
	const char *mode = query(c->con, "mode") ? query(c->con, "mode") : "";
	json_t *req = json_loadb(c->body, c->body_len, 0, NULL);
	const char *model = json_string_value(json_object_get(req, "model"));
	char *content;

	chat_note(c, req, r);
	if (!strcmp(mode, "error401")) {
		reply_401(c, r);
	} else if (!req || !model || !json_is_array(json_object_get(req, "messages"))) {
		reply_json(r, 400, json_pack("{s:{s:s}}", "error", "message",
					     "model and messages are required"));
	} else {
		content = chat_content(req, mode);
		reply_json(r, 200, json_pack("{s:s,s:s,s:s,s:[{s:i,s:{s:s,s:s},s:s}]}",
					     "id", "chatcmpl-test", "object",
					     "chat.completion", "model", model, "choices",
					     "index", 0, "message", "role", "assistant",
					     "content", content, "finish_reason", "stop"));
		free(content);
	}
	json_decref(req);
}

static const struct route {
	const char *method;
	const char *path;
	void (*fn)(struct route_ctx *c, struct reply *r);
} routes[] = {
	{ "POST", "/echo", route_echo },
	{ "GET", "/headers", route_headers },
	{ "GET", "/v1/models", route_models },
	{ "POST", "/v1/audio/transcriptions", route_transcriptions },
	{ "POST", "/v1/chat/completions", route_chat },
};

static const struct route *find_route(const char *method, const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(routes); i++)
		if (!strcmp(routes[i].method, method) && !strcmp(routes[i].path, path))
			return &routes[i];
	return NULL;
}

/* ---- static files ---- */

static const char *type_for(const char *path)
{
	static const char *const types[][2] = {
		{ ".xml", "application/rss+xml" }, { ".vtt", "text/vtt" },
		{ ".srt", "application/x-subrip" }, { ".json", "application/json" },
		{ ".html", "text/html" }, { ".txt", "text/plain" },
		{ ".mp3", "audio/mpeg" }, { ".m4a", "audio/mp4" },
		{ ".ogg", "audio/ogg" }, { ".wav", "audio/wav" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

static bool path_is_safe(const char *path)
{
	const char *p = path;

	if (*p != '/')
		return false;
	while ((p = strstr(p, "..")))
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return false;
		else
			p += 2;
	return true;
}

/* "bytes=A-B", "bytes=A-" or "bytes=-N" against size; false if not usable. */
static bool parse_range(const char *h, size_t size, size_t *from, size_t *to)
{
	unsigned long long a = 0, b = 0;
	int n = 0;

	if (!h || strncmp(h, "bytes=", 6) || strchr(h, ','))
		return false;
	h += 6;
	if (*h == '-') {
		if (sscanf(h + 1, "%llu%n", &b, &n) != 1 || h[1 + n] || !b)
			return false;
		*from = b >= size ? 0 : size - (size_t)b;
		*to = size ? size - 1 : 0;
		return true;
	}
	if (sscanf(h, "%llu-%n", &a, &n) != 1 || h[n - 1] != '-')
		return false;
	*from = (size_t)a;
	*to = size ? size - 1 : 0;
	if (h[n] && (sscanf(h + n, "%llu", &b) != 1 || b < a))
		return false;
	if (h[n] && b < *to)
		*to = (size_t)b;
	return true;
}

/* Cuts the body down to the requested range (206) or refuses it (416). */
static void apply_range(struct reply *r, const char *range)
{
	size_t size = r->body.len, from, to;

	if (!parse_range(range, size, &from, &to))
		return;
	if (from >= size) {
		snprintf(r->content_range, sizeof(r->content_range), "bytes */%zu", size);
		r->ranged = true;
		reply_text(r, 416, "416 range not satisfiable");
		return;
	}
	memmove(r->body.buf, r->body.buf + from, to - from + 1);
	sbuf_setlen(&r->body, to - from + 1);
	snprintf(r->content_range, sizeof(r->content_range), "bytes %zu-%zu/%zu", from, to, size);
	r->ranged = true;
	r->status = 206;
}

/*
 * Validators of a file: a strong ETag from its bytes (FNV-1a 64), so a
 * rewrite with other bytes within the same second still changes it, and
 * Last-Modified from its mtime.
 */
static void set_validators(const char *file, struct reply *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct stat st;
	struct tm tm;

	for (size_t i = 0; i < r->body.len; i++)
		h = (h ^ (unsigned char)r->body.buf[i]) * 0x100000001b3ULL;
	snprintf(r->etag, sizeof(r->etag), "\"%016llx\"", (unsigned long long)h);
	if (stat(file, &st) == 0 && gmtime_r(&st.st_mtime, &tm))
		strftime(r->last_modified, sizeof(r->last_modified),
			 "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* RFC 9110 13.2.2: If-None-Match decides when sent, else If-Modified-Since. */
static bool not_modified(struct MHD_Connection *con, const char *file, struct reply *r)
{
	const char *inm = header(con, MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *ims = header(con, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	struct stat st;
	time_t since;

	if (!r->etag[0])
		return false;
	if (inm)
		return !strcmp(inm, "*") || strstr(inm, r->etag) != NULL;
	if (!ims || stat(file, &st) < 0 || (since = curl_getdate(ims, NULL)) < 0)
		return false;
	return st.st_mtime <= since;
}

static void answer_not_modified(struct reply *r)
{
	r->status = 304;
	sbuf_reset(&r->body);
}

static void serve_file(struct MHD_Connection *con, const char *path, struct reply *r)
{
	struct sbuf err = SBUF_INIT(4096);
	char *file;
	int rc;

	if (!path_is_safe(path)) {
		reply_text(r, 403, "403 forbidden");
		return;
	}
	file = fs_join(opt.root, path);
	sbuf_init(&r->body, MAX_FILE);
	rc = fs_is_dir(file) ? -PC_ENOTFOUND : fs_read_file(file, &r->body, &err);
	if (rc < 0) {
		reply_text(r, rc == -ENOENT || rc == -PC_ENOTFOUND ? 404 : 500, err.buf);
	} else {
		r->status = 200;
		snprintf(r->content_type, sizeof(r->content_type), "%s", type_for(path));
		if (!query(con, "no_validators"))
			set_validators(file, r);
		if (not_modified(con, file, r))
			answer_not_modified(r);
		else if (!query(con, "no_range") && !query(con, "gzip"))
			apply_range(r, header(con, MHD_HTTP_HEADER_RANGE));
	}
	free(file);
	sbuf_release(&err);
}

static int gzip_body(struct reply *r)
{
	z_stream zs;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	sbuf_grow(&out, deflateBound(&zs, r->body.len));
	zs.next_in = (Bytef *)r->body.buf;
	zs.avail_in = (uInt)r->body.len;
	zs.next_out = (Bytef *)out.buf;
	zs.avail_out = (uInt)(out.alloc - 1);
	rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		sbuf_release(&out);
		return -1;
	}
	sbuf_setlen(&out, zs.total_out);
	sbuf_release(&r->body);
	r->body = out;
	r->gzipped = true;
	return 0;
}

/* ---- misbehaviour ---- */

/* Replies that replace the normal one: redirects and forced statuses. */
static bool misbehave(struct MHD_Connection *con, struct req *rq, long nth, struct reply *r)
{
	const char *redirect = query(con, "redirect");
	long status = query_long(con, "status", 0);
	long fail = query_long(con, "fail", 0);
	char text[64];

	if (query(con, "redirect_loop") || redirect) {
		r->status = 302;
		snprintf(r->location, sizeof(r->location), "%s", redirect ? redirect : rq->target);
		reply_text(r, 302, "302 found");
		return true;
	}
	if (fail ? nth > fail : !status)
		return false;
	if (status < 100 || status > 599)
		status = 500;
	snprintf(text, sizeof(text), "%ld forced by the test", status);
	reply_text(r, (int)status, text);
	return true;
}

/* Body cut-offs: close_after (first request or always=1) and truncate. */
static void apply_limits(struct MHD_Connection *con, long nth, struct reply *r)
{
	long close_after = query_long(con, "close_after", -1);
	long truncate = query_long(con, "truncate", -1);

	r->send_limit = r->body.len;
	if (close_after >= 0 && (nth == 1 || query(con, "always")) &&
	    (size_t)close_after < r->send_limit)
		r->send_limit = (size_t)close_after;
	if (truncate >= 0 && (size_t)truncate < r->send_limit)
		r->send_limit = (size_t)truncate;
}

/* ---- sending ---- */

struct body_state {
	char *data;
	size_t len;
	size_t limit;
	long drip_ms;        /* pause before each byte; 0 sends at full speed */
};

static ssize_t body_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body_state *b = cls;
	size_t n;

	if (pos >= b->limit)
		return b->limit < b->len ? MHD_CONTENT_READER_END_WITH_ERROR
					 : MHD_CONTENT_READER_END_OF_STREAM;
	n = b->limit - (size_t)pos;
	if (n > max)
		n = max;
	if (b->drip_ms > 0) {
		sleep_ms(b->drip_ms);
		n = 1;
	}
	memcpy(buf, b->data + pos, n);
	return (ssize_t)n;
}

static void body_free(void *cls)
{
	struct body_state *b = cls;

	free(b->data);
	free(b);
}

static struct MHD_Response *make_response(struct MHD_Connection *con, struct reply *r)
{
	struct body_state *b = pc_calloc(1, sizeof(*b));
	struct MHD_Response *resp;
	const char *ct = query(con, "content_type");
	const char *retry_after = query(con, "retry_after");

	b->limit = r->send_limit;
	b->data = sbuf_detach(&r->body, &b->len);
	if (query_long(con, "drip", 0) > 0)
		b->drip_ms = 1000 / query_long(con, "drip", 0);
	resp = MHD_create_response_from_callback(b->len, 16384, body_reader, b, body_free);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ct ? ct : r->content_type);
	if (r->ranged)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, r->content_range);
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (retry_after)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry_after);
	if (r->gzipped)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (r->etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
	if (r->last_modified[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, r->last_modified);
	if (!query(con, "no_range"))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	return resp;
}

static void build_content(struct MHD_Connection *con, struct req *rq, const char *path,
			  const char *method, struct reply *r)
{
	const struct route *route;

	if (rq->upload_toobig) {
		reply_text(r, 413, "413 request body too large");
	} else if ((route = find_route(method, path))) {
		struct route_ctx c = { con, method, path, rq->upload.buf, rq->upload.len };

		route->fn(&c, r);
	} else if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) {
		serve_file(con, path, r);
		if (r->status == 200 && query(con, "gzip") && gzip_body(r) < 0)
			reply_text(r, 500, "500 gzip failed");
	} else {
		reply_text(r, 405, "405 method not allowed");
	}
}

#define WAIT_FOR_MAX_MS 60000

/* wait_for=NAME: polls for the file; a name with a '/' is not waited for. */
static void wait_for_file(struct MHD_Connection *con)
{
	const char *name = query(con, "wait_for");
	char *file;

	if (!name || !*name || strchr(name, '/'))
		return;
	file = fs_join(opt.root, name);
	for (long ms = 0; ms < WAIT_FOR_MAX_MS && access(file, F_OK) != 0; ms += 10)
		sleep_ms(10);
	free(file);
}

static void build_reply(struct MHD_Connection *con, struct req *rq, const char *path,
			const char *method, struct reply *r)
{
	long nth = bump_counter(rq->target);

	sleep_ms(opt.latency_ms + query_long(con, "delay_ms", 0));
	wait_for_file(con);
	if (!misbehave(con, rq, nth, r))
		build_content(con, rq, path, method, r);
	apply_limits(con, nth, r);
}

static enum MHD_Result respond(struct MHD_Connection *con, struct req *rq, const char *path,
			       const char *method)
{
	struct reply r = { .status = 500 };
	struct MHD_Response *resp;
	enum MHD_Result ret;

	sbuf_init(&r.body, SBUF_NOLIMIT);
	build_reply(con, rq, path, method, &r);
	resp = make_response(con, &r);
	log_request(method, rq->target, header(con, MHD_HTTP_HEADER_RANGE), r.status, r.note);
	ret = MHD_queue_response(con, (unsigned)r.status, resp);
	MHD_destroy_response(resp);
	sbuf_release(&r.body);
	return ret;
}

/* ---- MHD callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct req *rq = pc_calloc(1, sizeof(*rq));

	(void)cls;
	(void)con;
	rq->target = pc_strdup(uri);
	sbuf_init(&rq->upload, MAX_UPLOAD);
	return rq;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *req_cls;

	(void)cls;
	(void)con;
	(void)toe;
	if (!rq)
		return;
	free(rq->target);
	sbuf_release(&rq->upload);
	free(rq);
	*req_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **req_cls)
{
	struct req *rq = *req_cls;

	(void)cls;
	(void)version;
	if (!rq->started) {
		rq->started = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (sbuf_add(&rq->upload, upload_data, *upload_size) < 0)
			rq->upload_toobig = true;
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(con, rq, url, method);
}

/* ---- main ---- */

static int write_port_file(const char *path, unsigned port)
{
	struct sbuf err = SBUF_INIT(4096);
	char text[16];
	int n = snprintf(text, sizeof(text), "%u\n", port);
	int rc = fs_write_atomic(path, text, (size_t)n, &err);

	if (rc < 0)
		fprintf(stderr, "testserver: %s\n", err.buf);
	sbuf_release(&err);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: testserver --root DIR [--port N] [--port-file F] [--log F]"
			" [--latency-ms N]\n");
	exit(2);
}

static long parse_num(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < 0)
		usage();
	return n;
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "log", required_argument, NULL, 'l' },
		{ "latency-ms", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': opt.root = optarg; break;
		case 'p': opt.port = parse_num(optarg); break;
		case 'f': opt.port_file = optarg; break;
		case 'l': opt.log = optarg; break;
		case 'd': opt.latency_ms = parse_num(optarg); break;
		default: usage();
		}
	}
	if (!opt.root || optind != argc || opt.port > 65535)
		usage();
}

static struct MHD_Daemon *start_daemon(void)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)opt.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				(uint16_t)opt.port, NULL, NULL, on_request, NULL,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, 60U,
				MHD_OPTION_END);
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int sig;

	parse_args(argc, argv);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);   /* before MHD's threads inherit it */
	signal(SIGPIPE, SIG_IGN);
	if (opt.log && !(logf = fopen(opt.log, "a"))) {
		fprintf(stderr, "testserver: cannot open '%s': %s\n", opt.log, strerror(errno));
		return 1;
	}
	d = start_daemon();
	info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (!info) {
		fprintf(stderr, "testserver: cannot listen on 127.0.0.1:%ld\n", opt.port);
		return 1;
	}
	if (opt.port_file && write_port_file(opt.port_file, info->port) < 0)
		return 1;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	if (logf)
		fclose(logf);
	return 0;
}
