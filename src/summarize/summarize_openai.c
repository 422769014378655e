/*
 * summarize_openai.c - the remote engine: an OpenAI-compatible chat server
 * ({api_base}/chat/completions), map-reduce over long transcripts.
 *
 * Cleaned text (one sentence a line) is cut into chunks of about
 * chunk_tokens tokens (CHUNK_TOKENS unless set; counted as CHARS_PER_TOKEN
 * characters each), on line boundaries, each starting with the last
 * OVERLAP_TOKENS or so (a fifteenth of a small chunk) of the one
 * before so that no thought is cut in half.  A transcript that fits one
 * chunk is summarized in one request.  Otherwise each chunk is summarized
 * (map), and the partial summaries, in order, are combined (reduce) into
 * the final one; when the partials themselves outgrow a chunk they are
 * combined group by group first, so any length ends in one final request.
 *
 * Every request asks for strict JSON {"summary": "...", "key_points":
 * ["..."]}.  Replies are read tolerantly: the outermost {...} is parsed
 * whatever surrounds it (code fences, a preamble); a reply that is not
 * JSON is plain text whose "- " lines are key points and whose other lines
 * are the summary.
 *
 * Speaker names, when given, are listed in the instructions so that the
 * summary spells them as the show does.  The key goes only into the
 * Authorization header; errors quote the server with the key masked.
 */
#include "summarize/summarize.h"
#include "log/log.h"
#include "net/net.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define ENDPOINT "chat/completions"
#define DEFAULT_API_BASE "https://api.openai.com/v1"
#define DEFAULT_MODEL "gpt-4o-mini"
#define DEFAULT_TIMEOUT 600L
#define CHARS_PER_TOKEN 4
#define CHUNK_TOKENS 3000               /* default chunk size */
#define OVERLAP_TOKENS 200              /* most overlap between chunks */
#define OVERLAP_SHARE 15                /* overlap: 1/15 of a chunk, at most the above */
#define PART_SENTENCES 3                /* in each partial summary */
#define MAX_REPLY ((size_t)4 << 20)

struct chat {
	char *url;
	char *key;              /* NULL without one */
	char *auth;             /* the Authorization header line, or NULL */
	char *model;
	double temperature;
	char *prompt;           /* NULL: the built-in opening */
	size_t chunk_chars, overlap_chars;
	size_t piece_chars;     /* longer lines are cut at spaces */
	struct net_options net;
	struct strlist speakers;
};

/* What one request asked for and got. */
struct partial {
	char *summary;
	struct strlist points;
};

/* ---- engine ------------------------------------------------------------- */

static void set_sizes(struct chat *c, size_t tokens)
{
	size_t overlap = tokens / OVERLAP_SHARE;

	c->chunk_chars = tokens * CHARS_PER_TOKEN;
	c->overlap_chars = (overlap < OVERLAP_TOKENS ? overlap : OVERLAP_TOKENS) *
			   CHARS_PER_TOKEN;
	c->piece_chars = c->chunk_chars / 4;
}

static int chat_open(const struct summarize_config *cfg, void **state, struct sbuf *err)
{
	struct chat *c = pc_calloc(1, sizeof(*c));

	(void)err;
	c->url = net_url_join(cfg->api_base && *cfg->api_base ? cfg->api_base
			      : DEFAULT_API_BASE, ENDPOINT);
	c->key = cfg->api_key && *cfg->api_key ? pc_strdup(cfg->api_key) : NULL;
	c->auth = net_bearer_header(c->key);
	c->model = pc_strdup(cfg->model && *cfg->model ? cfg->model : DEFAULT_MODEL);
	c->temperature = cfg->temperature;
	c->prompt = cfg->prompt && *cfg->prompt ? pc_strdup(cfg->prompt) : NULL;
	set_sizes(c, cfg->chunk_tokens > 0 ? (size_t)cfg->chunk_tokens : CHUNK_TOKENS);
	c->net.workers = 1;
	c->net.timeout_s = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : DEFAULT_TIMEOUT;
	*state = c;
	return 0;
}

static void chat_close(void *state)
{
	struct chat *c = state;

	if (!c)
		return;
	free(c->url);
	free(c->key);
	free(c->auth);
	free(c->model);
	free(c->prompt);
	strlist_release(&c->speakers);
	free(c);
}

static void partial_release(struct partial *p)
{
	free(p->summary);
	strlist_release(&p->points);
	p->summary = NULL;
}

/* ---- chunks ------------------------------------------------------------- */

struct span {
	const char *p;
	size_t n;
};

struct spans {
	struct span *items;
	size_t nr, alloc;
};

static void push_span(struct spans *l, const char *p, size_t n)
{
	PC_GROW(l->items, l->alloc, l->nr + 1);
	l->items[l->nr++] = (struct span){ p, n };
}

/* Adds a line, cut at spaces into pieces of at most piece characters. */
static void add_line(struct spans *l, const char *p, size_t n, size_t piece)
{
	while (n > piece) {
		size_t cut = piece;

		while (cut > piece / 2 && p[cut] != ' ')
			cut--;
		if (p[cut] != ' ')
			cut = piece;
		push_span(l, p, cut);
		p += cut;
		n -= cut;
		while (n && *p == ' ') {
			p++;
			n--;
		}
	}
	if (n)
		push_span(l, p, n);
}

static void split_lines(const char *text, size_t piece, struct spans *out)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		size_t b = 0;

		while (b < n && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r'))
			b++;
		while (n > b && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r'))
			n--;
		add_line(out, text + b, n - b, piece);
		text += strcspn(text, "\n");
		if (*text)
			text++;
	}
}

/* Lines [from, to) joined by newlines. */
static char *join(const struct spans *l, size_t from, size_t to)
{
	struct sbuf b = SBUF_INIT(SBUF_NOLIMIT);

	for (size_t i = from; i < to; i++) {
		sbuf_add(&b, l->items[i].p, l->items[i].n);
		sbuf_addch(&b, '\n');
	}
	return sbuf_detach(&b, NULL);
}

/* First line after `from` past a chunk of at most `size` characters. */
static size_t chunk_end(const struct spans *l, size_t from, size_t size)
{
	size_t i = from, len = 0;

	while (i < l->nr && (i == from || len + l->items[i].n + 1 <= size))
		len += l->items[i++].n + 1;
	return i;
}

/* Where the next chunk starts: the last lines of this one, within overlap. */
static size_t overlap_start(const struct spans *l, size_t from, size_t end, size_t overlap)
{
	size_t i = end, len = 0;

	while (i - 1 > from && len + l->items[i - 1].n + 1 <= overlap)
		len += l->items[--i].n + 1;
	return i;
}

/* Cuts lines into chunks of about size characters overlapping by overlap. */
static void make_chunks(const struct spans *l, size_t size, size_t overlap,
			struct strlist *out)
{
	size_t from = 0;

	while (from < l->nr) {
		size_t end = chunk_end(l, from, size);

		strlist_push_owned(out, join(l, from, end));
		if (end >= l->nr)
			break;
		from = overlap_start(l, from, end, overlap);
	}
}

/* ---- prompts ------------------------------------------------------------ */

static void chat_set_speakers(void *state, const char *const *names, size_t n)
{
	struct chat *c = state;

	strlist_release(&c->speakers);
	for (size_t i = 0; i < n; i++)
		if (names[i] && *names[i])
			strlist_push(&c->speakers, names[i]);
}

static void add_names(struct sbuf *p, const struct strlist *names)
{
	if (!names->nr)
		return;
	sbuf_adds(p, " The speakers are ");
	for (size_t i = 0; i < names->nr; i++)
		sbuf_addf(p, "%s%s", i ? (i + 1 == names->nr ? " and " : ", ") : "",
			  names->items[i]);
	sbuf_adds(p, "; spell their names exactly like that.");
}

enum step { STEP_WHOLE, STEP_MAP, STEP_GROUP, STEP_FINAL };

static char *system_prompt(const struct chat *c, enum step step, size_t k, size_t n,
			   const struct summarize_options *o)
{
	struct sbuf p = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_adds(&p, c->prompt ? c->prompt : "You summarize podcast episodes from their "
		  "transcripts, using only what the text says.");
	sbuf_adds(&p, " Answer with strict JSON and nothing else, no code fence: "
		      "{\"summary\": \"...\", \"key_points\": [\"...\", \"...\"]}.");
	if (step == STEP_MAP)
		sbuf_addf(&p, " The text is part %zu of %zu of one transcript, one sentence a "
			  "line. Summarize this part in at most %d sentences and list its main "
			  "points (at most 5).", k, n, PART_SENTENCES);
	else if (step == STEP_WHOLE)
		sbuf_addf(&p, " The text is the whole transcript, one sentence a line. Write "
			  "a summary of at most %d sentences and %d to %d key points, each one "
			  "short sentence.", o->summary_sentences, SUMMARIZE_MIN_KEY_POINTS,
			  SUMMARIZE_MAX_KEY_POINTS);
	else
		sbuf_addf(&p, " The text holds summaries of consecutive parts of one episode, "
			  "in order, each followed by its key points (lines starting with "
			  "\"- \"). Combine them into one summary of %s in at most %d sentences "
			  "and %d to %d key points, each one short sentence.",
			  step == STEP_FINAL ? "the whole episode" : "these parts",
			  step == STEP_FINAL ? o->summary_sentences : PART_SENTENCES,
			  SUMMARIZE_MIN_KEY_POINTS, SUMMARIZE_MAX_KEY_POINTS);
	add_names(&p, &c->speakers);
	return sbuf_detach(&p, NULL);
}

/* ---- replies ------------------------------------------------------------ */

static void add_point(struct strlist *l, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n && l->nr < SUMMARIZE_MAX_KEY_POINTS)
		strlist_push_owned(l, pc_strndup(s, n));
}

/* The outermost {...} of text as a JSON object with a string summary. */
static bool parse_json_answer(const char *text, struct partial *out)
{
	const char *a = strchr(text, '{'), *b = strrchr(text, '}');
	json_t *j, *kp, *v;
	size_t i;

	if (!a || !b || b < a)
		return false;
	j = json_loadb(a, (size_t)(b - a + 1), 0, NULL);
	if (!json_is_string(json_object_get(j, "summary"))) {
		json_decref(j);
		return false;
	}
	out->summary = pc_strdup(json_string_value(json_object_get(j, "summary")));
	kp = json_object_get(j, "key_points");
	json_array_foreach(kp, i, v)
		if (json_is_string(v))
			add_point(&out->points, json_string_value(v), strlen(json_string_value(v)));
	json_decref(j);
	return true;
}

/* Plain text: "- " (or "* ") lines are key points, the rest the summary. */
static void parse_text_answer(const char *text, struct partial *out)
{
	struct sbuf sum = SBUF_INIT(SBUF_NOLIMIT);

	while (*text) {
		size_t n = strcspn(text, "\n");
		const char *p = text;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n && (*p == '-' || *p == '*')) {
			add_point(&out->points, p + 1, n - 1);
		} else if (n && strncmp(p, "```", 3)) {
			if (sum.len)
				sbuf_addch(&sum, ' ');
			sbuf_add(&sum, p, n);
		}
		text = p + n;
		if (*text)
			text++;
	}
	sbuf_trim(&sum);
	out->summary = sbuf_detach(&sum, NULL);
}

static int parse_reply(const struct chat *c, const struct sbuf *body, struct partial *out,
		       struct sbuf *err)
{
	json_t *j = json_loadb(body->buf, body->len, 0, NULL);
	json_t *msg = json_object_get(json_array_get(json_object_get(j, "choices"), 0),
				      "message");
	const char *content = json_string_value(json_object_get(msg, "content"));
	int rc = 0;

	if (!content || !*content) {
		sbuf_addf(err, "chat server %s: the reply has no message content", c->url);
		rc = -PC_EPARSE;
	} else if (!parse_json_answer(content, out)) {
		parse_text_answer(content, out);
	}
	json_decref(j);
	return rc;
}

/* ---- requests ----------------------------------------------------------- */

static char *request_body(const struct chat *c, const char *system, const char *user)
{
	json_t *j = json_pack("{s:s,s:f,s:[{s:s,s:s},{s:s,s:s}]}", "model", c->model,
			      "temperature", c->temperature, "messages",
			      "role", "system", "content", system,
			      "role", "user", "content", user);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (!s)
		BUG("cannot build a chat request");
	json_decref(j);
	return s;
}

/* One chat request: system instructions, user text, a partial back. */
static int ask(const struct chat *c, const char *system, const char *user,
	       struct partial *out, struct sbuf *err)
{
	char *body = request_body(c, system, user);
	const char *headers[] = { c->auth, NULL };
	struct net_post post = { .url = c->url, .headers = c->auth ? headers : NULL,
				 .content_type = "application/json", .body = body,
				 .body_len = strlen(body), .max_bytes = MAX_REPLY };
	struct net_result res;
	int rc = net_post(&c->net, &post, &res);

	if (rc < 0)
		net_api_error(&res, "chat server", c->url, c->key, err);
	else
		rc = parse_reply(c, &res.body, out, err);
	net_result_release(&res);
	free(body);
	return rc;
}

static int ask_step(const struct chat *c, enum step step, size_t k, size_t n,
		    const char *user, const struct summarize_options *o,
		    struct partial *out, struct sbuf *err)
{
	char *system = system_prompt(c, step, k, n, o);
	int rc;

	log_debug("summarize", "openai: step %d, part %zu of %zu, %zu characters", (int)step,
		  k, n, strlen(user));
	rc = ask(c, system, user, out, err);
	free(system);
	return rc;
}

/* ---- map-reduce --------------------------------------------------------- */

/* A partial as the reduce step reads it: its summary, then "- point" lines. */
static void render_partial(const struct partial *p, struct sbuf *out)
{
	sbuf_addf(out, "%s\n", p->summary);
	for (size_t i = 0; i < p->points.nr; i++)
		sbuf_addf(out, "- %s\n", p->points.items[i]);
}

/* Renders partials and groups them into chunks (no overlap). */
static void group_partials(const struct chat *c, const struct partial *ps, size_t n,
			   struct strlist *groups)
{
	struct sbuf all = SBUF_INIT(SBUF_NOLIMIT);
	struct spans lines = { 0 };

	for (size_t i = 0; i < n; i++)
		render_partial(&ps[i], &all);
	split_lines(all.buf, c->piece_chars, &lines);
	make_chunks(&lines, c->chunk_chars, 0, groups);
	free(lines.items);
	sbuf_release(&all);
}

static void release_partials(struct partial *ps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		partial_release(&ps[i]);
	free(ps);
}

/* Asks for each text in turn; on failure *out is NULL. */
static int ask_each(const struct chat *c, enum step step, const struct strlist *texts,
		    const struct summarize_options *o, struct partial **out, struct sbuf *err)
{
	struct partial *ps = pc_calloc(texts->nr + 1, sizeof(*ps));
	int rc = 0;

	for (size_t i = 0; i < texts->nr && !rc; i++)
		rc = ask_step(c, step, i + 1, texts->nr, texts->items[i], o, &ps[i], err);
	if (rc) {
		release_partials(ps, texts->nr);
		ps = NULL;
	}
	*out = ps;
	return rc;
}

/* Reduces partials until they fit one request, then asks for the final one. */
static int reduce(const struct chat *c, struct partial *ps, size_t n,
		  const struct summarize_options *o, struct partial *out, struct sbuf *err)
{
	struct strlist groups = STRLIST_INIT;
	int rc;

	group_partials(c, ps, n, &groups);
	release_partials(ps, n);
	if (groups.nr >= n && groups.nr > 1) {
		/* the partials do not shrink (answers as long as a chunk): end here */
		struct sbuf all = SBUF_INIT(SBUF_NOLIMIT);

		for (size_t i = 0; i < groups.nr; i++)
			sbuf_adds(&all, groups.items[i]);
		rc = ask_step(c, STEP_FINAL, 1, 1, all.buf, o, out, err);
		sbuf_release(&all);
	} else if (groups.nr == 1) {
		rc = ask_step(c, STEP_FINAL, 1, 1, groups.items[0], o, out, err);
	} else {
		rc = ask_each(c, STEP_GROUP, &groups, o, &ps, err);
		if (!rc)
			rc = reduce(c, ps, groups.nr, o, out, err);
	}
	strlist_release(&groups);
	return rc;
}

static int summarize_chunks(const struct chat *c, const struct strlist *chunks,
			    const struct summarize_options *o, struct partial *out,
			    struct sbuf *err)
{
	struct partial *ps;
	int rc;

	if (chunks->nr == 1)
		return ask_step(c, STEP_WHOLE, 1, 1, chunks->items[0], o, out, err);
	rc = ask_each(c, STEP_MAP, chunks, o, &ps, err);
	return rc ? rc : reduce(c, ps, chunks->nr, o, out, err);
}

static int chat_summarize(void *state, const char *cleaned,
			  const struct summarize_options *o, struct summary *out,
			  struct sbuf *err)
{
	struct chat *c = state;
	struct spans lines = { 0 };
	struct strlist chunks = STRLIST_INIT;
	struct partial p = { NULL, STRLIST_INIT };
	int rc = 0;

	split_lines(cleaned, c->piece_chars, &lines);
	make_chunks(&lines, c->chunk_chars, c->overlap_chars, &chunks);
	if (chunks.nr)
		rc = summarize_chunks(c, &chunks, o, &p, err);
	if (!rc) {
		out->short_summary = p.summary ? p.summary : pc_strdup("");
		p.summary = NULL;
		out->key_points = p.points;
		p.points = (struct strlist)STRLIST_INIT;
		out->provider = pc_strdup(summarize_openai_engine.name);
		out->word_count = summarize_word_count(out->short_summary);
		out->transcript_word_count = summarize_word_count(cleaned);
	}
	partial_release(&p);
	strlist_release(&chunks);
	free(lines.items);
	return rc;
}

const struct summarize_engine summarize_openai_engine = {
	.name = "openai",
	.open = chat_open,
	.summarize = chat_summarize,
	.close = chat_close,
	.set_speakers = chat_set_speakers,
};
