/*
 * asr_openai.c - the remote engine: POST {api_base}/audio/transcriptions.
 *
 * Speaks OpenAI's transcription API, which local servers (whisper.cpp,
 * faster-whisper) imitate: a multipart form with the audio as `file`, the
 * `model`, an optional `language`, response_format=verbose_json and
 * timestamp_granularities[]=segment and word; the reply's segments[{start,
 * end, text}] become ours, with the words[{word, start, end}] when the
 * server gives them (a reply with only `text` becomes one untimed segment).
 *
 * Size: servers refuse large uploads (OpenAI: 25 MB).  A file up to
 * max_request_bytes is decoded once locally (to refuse non-audio early and
 * learn its duration) and sent as it is.  A larger file is decoded to
 * 16 kHz mono and cut into parts:
 *
 *   audio_decode --chunks--> VAD (finds pauses: each utterance's end is a
 *                  |          candidate cut)
 *                  +--------> part buffer (at most cap samples)
 *   buffer full: send up to the last pause inside it as a WAV part (or all
 *                of it when the speech never paused), keep the rest
 *
 * so memory stays at one part however long the file, and each part's
 * segments are shifted by the part's start: times are original-audio
 * seconds, clamped to the part they came from.  Parts go one by one, in
 * order.  The audio is sent as recorded (no preprocessing): speech servers
 * do their own.
 *
 * Secrets: the key only ever goes into the Authorization header handed to
 * net_post(); errors quote the server's message with the key masked, and
 * nothing here logs headers.
 */
#include "asr/asr_backend.h"
#include "log/log.h"
#include "net/net.h"
#include "transcript/transcript.h"
#include "util/strlist.h"
#include "util/timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ENDPOINT "audio/transcriptions"
#define WAV_HEADER 44
#define MIN_PART_SECONDS 1.0
#define MAX_REPLY ((size_t)16 << 20)
#define MAX_VAD_UTTERANCE 25.0

struct remote {
	char *url;
	char *key;              /* NULL without one */
	char *auth;             /* the Authorization header line, or NULL */
	char *model;
	char *language;         /* NULL: the server detects it */
	char *prompt;           /* names of the episode's people, or NULL */
	size_t max_bytes;
	struct net_options net;
};

/* One request's audio: a file on disk or a WAV in memory. */
struct upload {
	const char *path;
	const void *data;
	size_t len;
	const char *filename;
	double offset;          /* original seconds of the audio's start */
	double duration;        /* seconds it holds; 0 if unknown */
	bool untimed_ok;        /* a text-only reply may give an untimed segment */
};

/* ---- engine ------------------------------------------------------------- */

static const char *openai_model_name(const struct asr_options *o)
{
	return o->model && *o->model ? o->model : ASR_DEFAULT_REMOTE_MODEL;
}

static size_t min_request_bytes(void)
{
	return WAV_HEADER + (size_t)(MIN_PART_SECONDS * AUDIO_RATE) * sizeof(int16_t);
}

static int openai_open(void **inst, const struct asr_options *o, struct sbuf *err)
{
	struct remote *r;
	size_t max = o->max_request_bytes ? o->max_request_bytes : ASR_DEFAULT_MAX_REQUEST;

	if (max < min_request_bytes()) {
		sbuf_addf(err, "speech engine openai: max_request_bytes %zu is too small "
			  "(at least %zu)", max, min_request_bytes());
		return -PC_EUSAGE;
	}
	r = pc_calloc(1, sizeof(*r));
	r->url = net_url_join(o->api_base && *o->api_base ? o->api_base
			      : ASR_DEFAULT_API_BASE, ENDPOINT);
	r->key = o->api_key && *o->api_key ? pc_strdup(o->api_key) : NULL;
	r->auth = net_bearer_header(r->key);
	r->model = pc_strdup(openai_model_name(o));
	r->language = o->language && *o->language ? pc_strdup(o->language) : NULL;
	r->max_bytes = max;
	r->net.workers = 1;
	r->net.timeout_s = o->timeout;
	r->net.stall_s = o->think > 0 ? o->think : ASR_DEFAULT_REMOTE_TIMEOUT;
	*inst = r;
	return 0;
}

static void openai_close(void *inst)
{
	struct remote *r = inst;

	free(r->url);
	free(r->key);
	free(r->auth);
	free(r->model);
	free(r->language);
	free(r->prompt);
	free(r);
}

/* ---- replies ------------------------------------------------------------ */

static double clamp(double t, double limit)
{
	if (!(t >= 0))   /* also NaN */
		return 0;
	return limit > 0 && t > limit ? limit : t;
}

/* Pushes text without surrounding white space; empty text is dropped. */
static void push_text(struct segment_list *out, double start, double end, const char *text)
{
	size_t n;

	while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
		text++;
	n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\n' || text[n - 1] == '\t' ||
		     text[n - 1] == '\r'))
		n--;
	if (n) {
		char *t = pc_strndup(text, n);

		segment_list_push(out, start, end, NULL, t);
		free(t);
	}
}

/* The segment among out's items from first on that holds time t (or the
 * last one that starts before it). */
static struct segment *segment_at(struct segment_list *out, size_t first, double t)
{
	struct segment *best = first < out->nr ? &out->items[first] : NULL;

	for (size_t i = first; i < out->nr; i++)
		if (out->items[i].start <= t)
			best = &out->items[i];
	return best;
}

/*
 * Word timings: OpenAI gives them as a top-level "words" array
 * ([{word, start, end}], with timestamp_granularities[]=word), some servers
 * inside each segment; either way each word goes to the segment its middle
 * falls in, among the segments of this reply (from first on).
 */
static void take_words(json_t *words, const struct upload *up, struct segment_list *out,
		       size_t first)
{
	size_t i;
	json_t *w;

	json_array_foreach(words, i, w) {
		const char *text = json_string_value(json_object_get(w, "word"));
		double a = clamp(json_number_value(json_object_get(w, "start")), up->duration);
		double b = clamp(json_number_value(json_object_get(w, "end")), up->duration);
		struct segment *seg;
		char *t;

		if (b < a)
			b = a;
		seg = segment_at(out, first, up->offset + (a + b) / 2);
		if (!text || !seg)
			continue;
		t = pc_strdup(text + strspn(text, " \t\n\r"));
		t[strcspn(t, " \t\n\r")] = 0;
		segment_add_word(seg, t, up->offset + a, up->offset + b);
		free(t);
	}
}

static void take_segments(json_t *segs, const struct upload *up, struct segment_list *out)
{
	size_t i, first = out->nr;
	json_t *s;

	json_array_foreach(segs, i, s) {
		const char *text = json_string_value(json_object_get(s, "text"));
		double a = clamp(json_number_value(json_object_get(s, "start")), up->duration);
		double b = clamp(json_number_value(json_object_get(s, "end")), up->duration);

		if (text)
			push_text(out, up->offset + a, up->offset + (b > a ? b : a), text);
	}
	json_array_foreach(segs, i, s)
		take_words(json_object_get(s, "words"), up, out, first);
}

static int parse_reply(const struct remote *r, const struct sbuf *body,
		       const struct upload *up, struct segment_list *out, struct sbuf *err)
{
	json_t *j = json_loadb(body->buf, body->len, 0, NULL);
	json_t *segs = json_object_get(j, "segments");
	const char *text = json_string_value(json_object_get(j, "text"));
	size_t first = out->nr;
	int rc = 0;

	if (json_is_array(segs)) {
		take_segments(segs, up, out);
		take_words(json_object_get(j, "words"), up, out, first);
	} else if (text && up->untimed_ok) {
		push_text(out, -1, -1, text);
	} else if (text) {
		push_text(out, up->offset, up->offset + up->duration, text);
	} else {
		sbuf_addf(err, "speech server %s: the reply has neither segments nor text",
			  r->url);
		rc = -PC_EPARSE;
	}
	json_decref(j);
	return rc;
}

/* ---- requests ----------------------------------------------------------- */

static size_t form_fields(const struct remote *r, const struct upload *up,
			  struct net_form_part *f)
{
	size_t n = 0;

	f[n++] = (struct net_form_part){ .name = "file", .path = up->path, .data = up->data,
					 .data_len = up->len, .filename = up->filename,
					 .type = up->data ? "audio/wav" : NULL };
	f[n++] = (struct net_form_part){ .name = "model", .value = r->model };
	if (r->language)
		f[n++] = (struct net_form_part){ .name = "language", .value = r->language };
	if (r->prompt)
		f[n++] = (struct net_form_part){ .name = "prompt", .value = r->prompt };
	f[n++] = (struct net_form_part){ .name = "response_format", .value = "verbose_json" };
	f[n++] = (struct net_form_part){ .name = "timestamp_granularities[]",
					 .value = "segment" };
	f[n++] = (struct net_form_part){ .name = "timestamp_granularities[]",
					 .value = "word" };
	return n;
}

/* Sends one upload and appends its segments; err quotes the server. */
static int send_audio(const struct remote *r, const struct upload *up,
		      struct segment_list *out, struct sbuf *err)
{
	struct net_form_part fields[7];
	const char *headers[] = { r->auth, NULL };
	struct net_post post = { .url = r->url, .headers = r->auth ? headers : NULL,
				 .parts = fields, .max_bytes = MAX_REPLY };
	struct net_result res;
	int rc;

	post.nparts = form_fields(r, up, fields);
	rc = net_post(&r->net, &post, &res);
	if (rc < 0)
		net_api_error(&res, "speech server", r->url, r->key, err);
	else
		rc = parse_reply(r, &res.body, up, out, err);
	net_result_release(&res);
	return rc;
}

/* ---- whole files -------------------------------------------------------- */

static int count_chunk(const struct audio_chunk *c, void *udata)
{
	(void)c;
	(void)udata;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Decodes the whole file for its duration, refusing it past max_seconds. */
static int measure(const char *path, const struct asr_options *o, struct asr_stats *st,
		   struct sbuf *err)
{
	struct audio_options ao = AUDIO_OPTIONS_INIT;
	struct audio_info info = { 0 };
	double t0 = time_mono();
	int rc;

	ao.max_seconds = o->max_seconds;
	ao.info = &info;
	rc = audio_decode(path, &ao, count_chunk, NULL, err);
	st->decode_seconds += time_mono() - t0;
	st->audio_seconds = st->speech_seconds = info.duration;
	return rc;
}

/* A file within the limit: checked by decoding, then sent as it is. */
static int send_file(struct remote *r, const char *path, const struct asr_options *o,
		     struct segment_list *out, struct asr_stats *st, struct sbuf *err)
{
	struct upload up = { .path = path, .filename = base_name(path), .untimed_ok = true };
	double t0;
	int rc = measure(path, o, st, err);

	if (rc)
		return rc;
	up.duration = st->audio_seconds;
	t0 = time_mono();
	log_debug("asr", "openai: sending '%s' (%.1f s) to %s", path, up.duration, r->url);
	rc = send_audio(r, &up, out, err);
	st->recognize_seconds = time_mono() - t0;
	st->utterances = 1;
	return rc;
}

/* ---- splitting ---------------------------------------------------------- */

struct splitter {
	struct remote *r;
	int16_t *pcm;             /* the part being filled */
	size_t n, cap;            /* samples in it, most a part may hold */
	uint64_t start;           /* original sample of pcm[0] */
	uint64_t *cuts;           /* pauses (original samples), increasing */
	size_t ncuts, cuts_alloc;
	int parts;
	const char *path;
	struct segment_list *out;
	struct asr_stats *st;
	struct sbuf *err;
};

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* 16-bit PCM mono WAV of n samples (caller frees). */
static unsigned char *wav_encode(const int16_t *s, size_t n, size_t *len)
{
	size_t data = n * sizeof(*s);
	unsigned char *w = pc_malloc(WAV_HEADER + data);

	memcpy(w, "RIFF", 4);
	put_le(w + 4, (uint32_t)(36 + data), 4);
	memcpy(w + 8, "WAVEfmt ", 8);
	put_le(w + 16, 16, 4);                          /* fmt chunk size */
	put_le(w + 20, 1, 2);                           /* PCM */
	put_le(w + 22, 1, 2);                           /* mono */
	put_le(w + 24, AUDIO_RATE, 4);
	put_le(w + 28, AUDIO_RATE * 2, 4);              /* bytes per second */
	put_le(w + 32, 2, 2);                           /* block align */
	put_le(w + 34, 16, 2);                          /* bits per sample */
	memcpy(w + 36, "data", 4);
	put_le(w + 40, (uint32_t)data, 4);
	for (size_t i = 0; i < n; i++)
		put_le(w + WAV_HEADER + 2 * i, (uint16_t)s[i], 2);
	*len = WAV_HEADER + data;
	return w;
}

static int send_part(struct splitter *sp, size_t n)
{
	char name[32];
	struct upload up = { .filename = name, .offset = (double)sp->start / AUDIO_RATE,
			     .duration = (double)n / AUDIO_RATE };
	unsigned char *wav = wav_encode(sp->pcm, n, &up.len);
	double t0 = time_mono();
	int rc;

	up.data = wav;
	snprintf(name, sizeof(name), "part%04d.wav", ++sp->parts);
	log_debug("asr", "openai: '%s' part %d: %.1f s at %.1f s, %zu bytes", sp->path,
		  sp->parts, up.duration, up.offset, up.len);
	rc = send_audio(sp->r, &up, sp->out, sp->err);
	sp->st->recognize_seconds += time_mono() - t0;
	sp->st->utterances++;
	free(wav);
	return rc;
}

/* The last pause strictly inside the buffer, as a sample count; 0 if none. */
static size_t best_cut(const struct splitter *sp)
{
	for (size_t i = sp->ncuts; i-- > 0;)
		if (sp->cuts[i] > sp->start && sp->cuts[i] < sp->start + sp->n)
			return (size_t)(sp->cuts[i] - sp->start);
	return 0;
}

/* Sends the buffer up to its last pause (everything when all or no pause). */
static int flush(struct splitter *sp, bool all)
{
	size_t cut = all ? 0 : best_cut(sp);
	size_t k = 0;
	int rc;

	if (!cut)
		cut = sp->n;
	rc = send_part(sp, cut);
	memmove(sp->pcm, sp->pcm + cut, (sp->n - cut) * sizeof(*sp->pcm));
	sp->n -= cut;
	sp->start += cut;
	while (k < sp->ncuts && sp->cuts[k] <= sp->start)
		k++;
	memmove(sp->cuts, sp->cuts + k, (sp->ncuts - k) * sizeof(*sp->cuts));
	sp->ncuts -= k;
	return rc;
}

/* VAD callback: the end of each utterance is a place to cut. */
static int note_pause(struct audio_utterance *u, void *udata)
{
	struct splitter *sp = udata;
	uint64_t at = (uint64_t)llround(u->end * AUDIO_RATE);

	if (!sp->ncuts || at > sp->cuts[sp->ncuts - 1]) {
		PC_GROW(sp->cuts, sp->cuts_alloc, sp->ncuts + 1);
		sp->cuts[sp->ncuts++] = at;
	}
	audio_utterance_free(u);
	return 0;
}

static int append(struct splitter *sp, const int16_t *s, size_t n)
{
	int rc = 0;

	while (n && !rc) {
		size_t take = sp->cap - sp->n < n ? sp->cap - sp->n : n;

		if (!take) {
			rc = flush(sp, false);
			continue;
		}
		memcpy(sp->pcm + sp->n, s, take * sizeof(*s));
		sp->n += take;
		s += take;
		n -= take;
	}
	return rc;
}

struct split_feed {
	struct splitter *sp;
	struct audio_vad *vad;
};

static int split_chunk(const struct audio_chunk *c, void *udata)
{
	struct split_feed *f = udata;
	struct splitter *sp = f->sp;
	int rc = audio_vad_feed(f->vad, c);

	if (!rc && sp->n && c->orig != sp->start + sp->n)
		rc = flush(sp, true);     /* not contiguous: never mix two stretches */
	if (rc)
		return rc;
	if (!sp->n)
		sp->start = c->orig;
	return append(sp, c->samples, c->n);
}

static struct audio_vad *part_vad(struct splitter *sp)
{
	struct audio_vad_options vo = AUDIO_VAD_OPTIONS_INIT;
	double part_seconds = (double)sp->cap / AUDIO_RATE;

	/* long speech is split at its quietest point, leaving a cut in each part */
	vo.max_utterance = fmin(MAX_VAD_UTTERANCE, part_seconds / 2);
	return audio_vad_new(&vo, note_pause, sp);
}

static int send_parts(struct remote *r, const char *path, const struct asr_options *o,
		      struct segment_list *out, struct asr_stats *st, struct sbuf *err)
{
	struct splitter sp = { .r = r, .path = path, .out = out, .st = st, .err = err };
	struct audio_options ao = AUDIO_OPTIONS_INIT;
	struct audio_info info = { 0 };
	struct split_feed feed = { &sp, NULL };
	double t0;
	int rc;

	/* a file refused half-way would have cost the parts already sent */
	if (o->max_seconds > 0 && (rc = measure(path, o, st, err)))
		return rc;
	t0 = time_mono();
	sp.cap = (r->max_bytes - WAV_HEADER) / sizeof(int16_t);
	sp.pcm = pc_malloc(sp.cap * sizeof(*sp.pcm));
	feed.vad = part_vad(&sp);
	ao.max_seconds = o->max_seconds;
	ao.info = &info;
	rc = audio_decode(path, &ao, split_chunk, &feed, err);
	if (!rc)
		rc = audio_vad_finish(feed.vad);
	if (!rc && sp.n)
		rc = flush(&sp, true);
	st->audio_seconds = st->speech_seconds = info.duration;
	st->decode_seconds += time_mono() - t0 - st->recognize_seconds;
	audio_vad_free(feed.vad);
	free(sp.cuts);
	free(sp.pcm);
	return rc;
}

static int openai_transcribe_file(void *inst, const char *path, const struct asr_options *o,
				  struct segment_list *out, struct asr_stats *st,
				  struct sbuf *err)
{
	struct remote *r = inst;
	size_t before = out->nr;
	struct stat sb;
	int rc;

	if (stat(path, &sb) < 0) {
		int e = errno;

		sbuf_addf(err, "audio file '%s': %s", path, strerror(e));
		return -e;
	}
	if ((unsigned long long)sb.st_size <= r->max_bytes)
		rc = send_file(r, path, o, out, st, err);
	else
		rc = send_parts(r, path, o, out, st, err);
	st->segments = out->nr - before;
	return rc;
}

/*
 * Whisper-style servers take a "prompt" that primes spelling: the names of
 * the episode's people, replaced for every episode (not accumulated, as a
 * dictionary would be).
 */
static int openai_add_words(void *inst, const char *const *words, size_t n,
			    struct sbuf *err)
{
	struct remote *r = inst;
	struct sbuf sb = SBUF_INIT(4096);

	(void)err;
	sbuf_adds(&sb, "Names:");
	for (size_t i = 0; i < n; i++)
		if (sbuf_addf(&sb, "%s %s", i ? "," : "", words[i]) < 0)
			break;
	sbuf_addch(&sb, '.');
	free(r->prompt);
	r->prompt = sbuf_detach(&sb, NULL);
	return 0;
}

/* ---- checks (doctor) ---------------------------------------------------- */

static void model_ids(json_t *data, struct strlist *models)
{
	json_t *m;
	size_t i;

	json_array_foreach(data, i, m) {
		const char *id = json_string_value(json_object_get(m, "id"));

		if (id)
			strlist_push(models, id);
	}
}

int asr_remote_models(const struct asr_options *o, struct strlist *models, long *status,
		      struct sbuf *err)
{
	struct net_options no = { .workers = 1, .timeout_s = o->timeout > 0 ? o->timeout : 20,
				  .retries = -1 };
	char *url = net_url_join(o->api_base && *o->api_base ? o->api_base
				 : ASR_DEFAULT_API_BASE, "models");
	struct net_result res;
	json_t *j;
	int rc = net_fetch(&no, url, MAX_REPLY, &res);

	*status = res.http_status;
	if (rc < 0) {
		net_api_error(&res, "speech server", url, o->api_key, err);
		if (res.http_status == 404)
			sbuf_adds(err, " (not an OpenAI-compatible API base: it usually ends in /v1)");
		if (res.http_status == 401 || res.http_status == 403)
			sbuf_adds(err, " (this check sends no key; the server may still "
				  "accept transcriptions)");
	} else {
		j = json_loadb(res.body.buf, res.body.len, 0, NULL);
		if (!json_is_array(json_object_get(j, "data"))) {
			sbuf_addf(err, "speech server %s: the reply is not a model list "
				  "({\"data\": [{\"id\": ...}]})", url);
			rc = -PC_EPARSE;
		}
		model_ids(json_object_get(j, "data"), models);
		json_decref(j);
	}
	net_result_release(&res);
	free(url);
	return rc;
}

int asr_remote_probe(const struct asr_options *o, double seconds, struct segment_list *out,
		     struct sbuf *err)
{
	size_t n = (size_t)(seconds * AUDIO_RATE), len;
	int16_t *pcm = pc_calloc(n ? n : 1, sizeof(*pcm));
	struct upload up = { .filename = "doctor.wav", .duration = seconds };
	void *inst = NULL;
	int rc;

	/* a quiet 440 Hz tone: some servers refuse pure silence */
	for (size_t i = 0; i < n; i++)
		pcm[i] = (int16_t)(1000 * sin(2 * M_PI * 440 * (double)i / AUDIO_RATE));
	up.data = wav_encode(pcm, n, &len);
	up.len = len;
	rc = openai_open(&inst, o, err);
	if (!rc)
		rc = send_audio(inst, &up, out, err);
	if (inst)
		openai_close(inst);
	free((void *)up.data);
	free(pcm);
	return rc;
}

const struct asr_backend asr_openai = {
	.name = "openai",
	.devices = ASR_DEVICE_REMOTE,
	.max_utterance = MAX_VAD_UTTERANCE,
	.open = openai_open,
	.close = openai_close,
	.add_words = openai_add_words,
	.transcribe_file = openai_transcribe_file,
	.model_name = openai_model_name,
};
