/*
 * config.c - typed values from text, defaults, environment, validation.
 *
 * Everything funnels through config_set(): defaults, file values, env
 * values and flags are all text parsed by one function per type, so a value
 * means the same thing wherever it is written.
 */
#include "config/config.h"
#include "config/options.h"
#include "log/log.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#define FIELD(c, d, type) ((type *)((char *)(c) + (d)->offset))

extern char **environ;

static void describe_origin(struct sbuf *err, const struct config_origin *o,
			    const struct opt_def *d)
{
	if (o && o->file)
		sbuf_addf(err, "config '%s' line %ld: key '%s': ", o->file, o->line, d->key);
	else if (o && o->env)
		sbuf_addf(err, "environment %s: ", o->env);
	else if (o && o->flag)
		sbuf_addf(err, "option %s: ", o->flag);
	else
		sbuf_addf(err, "key '%s': ", d->key);
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int parse_number(const char *v, double *out, bool integer, bool size_suffix)
{
	char *end;
	double mult = 1;

	errno = 0;
	*out = strtod(v, &end);
	if (end == v || errno || !isfinite(*out))
		return -1;
	if (size_suffix && *end) {
		const char *units = "KMGT";
		const char *u = strchr(units, toupper((unsigned char)*end));

		if (!u)
			return -1;
		for (const char *p = units; p <= u; p++)
			mult *= 1024;
		end++;
		if (toupper((unsigned char)*end) == 'I')
			end++;
		if (toupper((unsigned char)*end) == 'B')
			end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -1;
	*out *= mult;
	if (integer && *out != floor(*out))
		return -1;
	return 0;
}

static int parse_date(const char *v, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%Y-%m-%d", &tm);
	if (!end)
		return -1;
	if (*end == 'T' || *end == ' ') {
		const char *t = strptime(end + 1, "%H:%M:%S", &tm);

		if (!t)
			return -1;
		end = t;
		if (*end == 'Z')
			end++;
	}
	if (*end)
		return -1;
	*out = timegm(&tm);
	return 0;
}

static int range_error(struct sbuf *err, const struct opt_def *d, const char *v)
{
	if (d->type == OPTION_SIZE)
		sbuf_addf(err, "%s is out of range (%.0f..%.0f bytes)", v, d->min, d->max);
	else
		sbuf_addf(err, "%s is out of range (%g..%g)", v, d->min, d->max);
	return -PC_EUSAGE;
}

static int set_number(struct config *c, const struct opt_def *d, const char *v,
		      struct sbuf *err)
{
	double x;

	if (parse_number(v, &x, d->type != OPTION_DOUBLE, d->type == OPTION_SIZE) < 0) {
		sbuf_addf(err, "'%s' is not %s", v, d->type == OPTION_DOUBLE ? "a number" :
			  d->type == OPTION_SIZE ? "a size (e.g. 500M)" : "an integer");
		return -PC_EUSAGE;
	}
	if (x < d->min || x > d->max)
		return range_error(err, d, v);
	if (d->type == OPTION_INT)
		*FIELD(c, d, long) = (long)x;
	else if (d->type == OPTION_SIZE)
		*FIELD(c, d, long long) = (long long)x;
	else
		*FIELD(c, d, double) = x;
	return 0;
}

static int set_enum(struct config *c, const struct opt_def *d, const char *v,
		    struct sbuf *err)
{
	for (int i = 0; d->choices[i]; i++) {
		if (!strcasecmp(v, d->choices[i])) {
			*FIELD(c, d, int) = i;
			return 0;
		}
	}
	sbuf_addf(err, "'%s' is not one of", v);
	for (int i = 0; d->choices[i]; i++)
		sbuf_addf(err, "%s %s", i ? "," : "", d->choices[i]);
	return -PC_EUSAGE;
}

static int set_string(struct config *c, const struct opt_def *d, const char *v)
{
	char **field = FIELD(c, d, char *);

	free(*field);
	*field = *v ? pc_strdup(v) : NULL;
	return 0;
}

static int set_bool(struct config *c, const struct opt_def *d, const char *v,
		    struct sbuf *err)
{
	bool b;

	if (parse_bool(v, &b) < 0) {
		sbuf_addf(err, "'%s' is not a boolean (true/false/yes/no/on/off/1/0)", v);
		return -PC_EUSAGE;
	}
	*FIELD(c, d, bool) = b;
	return 0;
}

static int set_tristate(struct config *c, const struct opt_def *d, const char *v,
			struct sbuf *err)
{
	bool b;

	if (!strcasecmp(v, "auto")) {
		*FIELD(c, d, int) = TRI_AUTO;
		return 0;
	}
	if (parse_bool(v, &b) < 0) {
		sbuf_addf(err, "'%s' is not auto or a boolean", v);
		return -PC_EUSAGE;
	}
	*FIELD(c, d, int) = b ? TRI_ON : TRI_OFF;
	return 0;
}

static int set_date(struct config *c, const struct opt_def *d, const char *v,
		    struct sbuf *err)
{
	if (parse_date(v, FIELD(c, d, time_t)) < 0) {
		sbuf_addf(err, "'%s' is not a date (YYYY-MM-DD)", v);
		return -PC_EUSAGE;
	}
	return 0;
}

/* Names lists take "Alice, Bob" as two names, as the Python tool splits them. */
static bool list_splits_commas(const struct opt_def *d)
{
	return !strcmp(d->key, "speaker_names") || !strcmp(d->key, "known_hosts");
}

static void push_names(struct strlist *l, const char *v)
{
	const char *p = v;

	while (*p) {
		const char *e = strchrnul(p, ',');
		const char *s = p;

		while (s < e && isspace((unsigned char)*s))
			s++;
		size_t n = (size_t)(e - s);

		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (n)
			strlist_push_owned(l, pc_strndup(s, n));
		p = *e ? e + 1 : e;
	}
}

static int set_list(struct config *c, const struct opt_def *d, const char *v,
		    bool replace_list)
{
	if (replace_list)
		strlist_release(FIELD(c, d, struct strlist));
	if (list_splits_commas(d))
		push_names(FIELD(c, d, struct strlist), v);
	else if (*v)
		strlist_push(FIELD(c, d, struct strlist), v);
	return 0;
}

static int set_value(struct config *c, const struct opt_def *d, const char *v,
		     bool replace_list, struct sbuf *err)
{
	switch (d->type) {
	case OPTION_BOOL:
		return set_bool(c, d, v, err);
	case OPTION_TRISTATE:
		return set_tristate(c, d, v, err);
	case OPTION_INT:
	case OPTION_SIZE:
	case OPTION_DOUBLE:
		return set_number(c, d, v, err);
	case OPTION_CHOICE:
		return set_enum(c, d, compat_value(c, d->key, v), err);
	case OPTION_DATE:
		return set_date(c, d, v, err);
	case OPTION_STRING:
	case OPTION_PATH:
		return set_string(c, d, v);
	case OPTION_LIST:
		return set_list(c, d, v, replace_list);
	}
	BUG("option type %d", d->type);
}

/* A Python-tool key: one of ours under another name, or noted. */
static int set_compat(struct config *c, const char *key, const char *value,
		      const struct config_origin *origin, bool replace_list, struct sbuf *err)
{
	const struct compat_row *r = compat_find(key);
	const char *near;

	if (r && r->kind == COMPAT_KEY)
		return config_set(c, r->target, value, origin, replace_list, err);
	if (r) {
		compat_note(c, key, r);
		return 0;
	}
	sbuf_setf(err, "unknown key '%s'", key);
	if ((near = compat_suggest(key)))
		sbuf_addf(err, " (did you mean '%s'?)", near);
	return -PC_EUSAGE;
}

int config_set(struct config *c, const char *key, const char *value,
	       const struct config_origin *origin, bool replace_list, struct sbuf *err)
{
	const struct opt_def *d = options_find(key);
	struct sbuf why = SBUF_INIT(4096);
	int r;

	if (!d)
		return set_compat(c, key, value, origin, replace_list, err);
	r = set_value(c, d, value, replace_list, &why);
	if (r < 0) {
		sbuf_reset(err);
		describe_origin(err, origin, d);
		sbuf_adds(err, why.buf);
	}
	sbuf_release(&why);
	return r;
}

void config_init(struct config *c)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	struct sbuf err = SBUF_INIT(4096);

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < nr; i++)
		if (t[i].def && config_set(c, t[i].key, t[i].def, NULL, true, &err) < 0)
			BUG("default of %s: %s", t[i].key, err.buf);
	sbuf_release(&err);
}

void config_release(struct config *c)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	for (size_t i = 0; i < nr; i++) {
		if (t[i].type == OPTION_STRING || t[i].type == OPTION_PATH)
			pc_freep(FIELD(c, &t[i], char *));
		else if (t[i].type == OPTION_LIST)
			strlist_release(FIELD(c, &t[i], struct strlist));
	}
	pc_freep(&c->config_path);
	strlist_release(&c->positional);
	strlist_release(&c->compat_notes);
}

/* Sets a list from comma-separated env text; other types as they are. */
static int set_from_env(struct config *c, const struct opt_def *d, const char *name,
			const char *value, struct sbuf *err)
{
	struct config_origin o = { NULL, 0, name, NULL };
	char *copy, *save = NULL;
	int r = 0;

	if (d->type != OPTION_LIST)
		return config_set(c, d->key, value, &o, true, err);
	strlist_release(FIELD(c, d, struct strlist));
	copy = pc_strdup(value);
	for (char *tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		r = config_set(c, d->key, tok, &o, false, err);
	}
	free(copy);
	return r;
}

/* Keys that are environment variables of their own, not options. */
static bool env_not_an_option(const char *suffix)
{
	static const char *const names[] = {
		"CONFIG", "INJECT_FAULT", "INJECT_FAULT_COUNTER", "WORKER_FD", "SHARD_TOTAL",
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(suffix, names[i]))
			return true;
	return false;
}

static int env_prefixed(struct config *c, const char *entry, struct sbuf *err)
{
	const char *eq = strchr(entry, '=');
	char key[128];
	size_t n;
	const struct opt_def *d;
	const char *suffix = entry + strlen("PODCAST_SCRAPER_");

	if (!eq || (size_t)(eq - suffix) >= sizeof(key))
		return 0;
	n = (size_t)(eq - suffix);
	for (size_t i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)suffix[i]);
	key[n] = '\0';
	d = options_find(key);
	if (!d && compat_find(key)) {
		char name[160];
		struct config_origin o = { NULL, 0, name, NULL };

		snprintf(name, sizeof(name), "PODCAST_SCRAPER_%.*s", (int)n, suffix);
		return config_set(c, key, eq + 1, &o, true, err);
	}
	if (!d) {
		char upper[128];

		memcpy(upper, suffix, n);
		upper[n] = '\0';
		if (env_not_an_option(upper))
			return 0;
		sbuf_setf(err, "environment PODCAST_SCRAPER_%s: unknown key '%s'", upper, key);
		return -PC_EUSAGE;
	}
	char name[160];

	snprintf(name, sizeof(name), "PODCAST_SCRAPER_%.*s", (int)n, suffix);
	return set_from_env(c, d, name, eq + 1, err);
}

/* The Python tool's variables (TRANSCRIPTION_PARALLELISM, ...), below ours. */
static int env_python_names(struct config *c, struct sbuf *err)
{
	size_t nr;
	const struct compat_env *e = compat_envs(&nr);

	for (size_t i = 0; i < nr; i++) {
		const char *v = getenv(e[i].name);
		struct config_origin o = { NULL, 0, e[i].name, NULL };

		if (v && *v && config_set(c, e[i].key, v, &o, true, err) < 0)
			return -PC_EUSAGE;
	}
	return 0;
}

int config_load_env(struct config *c, struct sbuf *err)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	int r;

	/* Legacy names first, so the PODCAST_SCRAPER_ form wins when both are set. */
	for (size_t i = 0; i < nr; i++) {
		const char *v = t[i].legacy_env ? getenv(t[i].legacy_env) : NULL;

		if (v && (r = set_from_env(c, &t[i], t[i].legacy_env, v, err)) < 0)
			return r;
	}
	if ((r = env_python_names(c, err)) < 0)
		return r;
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, "PODCAST_SCRAPER_", 16))
			continue;
		if ((r = env_prefixed(c, *e, err)) < 0)
			return r;
	}
	return 0;
}

/* The embedded recognizer's model is English: other languages need a server. */
static bool language_is_english(const char *lang)
{
	return !lang || !*lang || (!strncasecmp(lang, "en", 2) &&
				   (!lang[2] || lang[2] == '-' || lang[2] == '_'));
}

int config_silence_db(const char *text, double *out)
{
	char *end;
	double v;

	if (!text)
		return -PC_EUSAGE;
	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno)
		return -PC_EUSAGE;
	while (*end == ' ')
		end++;
	if (*end && strcasecmp(end, "db"))
		return -PC_EUSAGE;
	if (!(v >= -100 && v <= -1))
		return -PC_EUSAGE;
	*out = v;
	return 0;
}

/* One part of a relative path that stays inside its folder. */
static bool plain_part(const char *p, size_t n)
{
	return n && !(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.');
}

/*
 * metadata_subdirectory: a relative path inside the feed folder.  ".", ".."
 * and empty parts are refused too, or clean_output would delete the feed
 * folder itself (or a parent of it).
 */
static int check_subdir(const char *key, const char *v, struct sbuf *err)
{
	const char *p = v;

	if (*v == '/' || *v == '\\' || strlen(v) > 255)
		goto bad;
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (!plain_part(p, n))
			goto bad;
		p += n;
		if (*p && !*++p)
			break;   /* one trailing slash is fine */
	}
	return 0;
bad:
	sbuf_setf(err, "key '%s': '%s' is not a folder inside the feed folder (give a "
		  "relative path of at most 255 characters without '.' or '..' parts, e.g. "
		  "'metadata')", key, v);
	return -PC_EUSAGE;
}

static int validate_paths(const struct config *c, struct sbuf *err)
{
	double db;

	/* unset or empty: the default folder, as the Python tool reads null */
	if (c->metadata_subdirectory &&
	    check_subdir("metadata_subdirectory", c->metadata_subdirectory, err) < 0)
		return -PC_EUSAGE;
	if (config_silence_db(c->preprocessing_silence_threshold, &db) < 0) {
		sbuf_setf(err, "key 'preprocessing_silence_threshold': '%s' is not a level "
			  "from -100dB to -1dB (e.g. -50dB)", c->preprocessing_silence_threshold
			  ? c->preprocessing_silence_threshold : "");
		return -PC_EUSAGE;
	}
	return 0;
}

int config_validate(const struct config *c, struct sbuf *err)
{
	if (validate_paths(c, err) < 0)
		return -PC_EUSAGE;
	if (c->transcription_provider == ASR_PROVIDER_POCKETSPHINX && c->transcribe_missing &&
	    !language_is_english(c->language)) {
		sbuf_setf(err, "key 'language': '%s' cannot be transcribed by the embedded "
			  "recognizer (English only); use transcription_provider openai with a "
			  "server that knows it (docs/REMOTE.md), or transcribe_missing false",
			  c->language);
		return -PC_EUSAGE;
	}
	if (c->since && c->until && c->since > c->until) {
		sbuf_setf(err, "since is after until");
		return -PC_EUSAGE;
	}
	if (c->openai_api_base && strncmp(c->openai_api_base, "http://", 7) &&
	    strncmp(c->openai_api_base, "https://", 8)) {
		sbuf_setf(err, "key 'openai_api_base': '%s' is not an http(s) URL",
			  c->openai_api_base);
		return -PC_EUSAGE;
	}
	return 0;
}

void config_log_options(const struct config *c, const char *role, struct log_options *out)
{
	*out = (struct log_options){
		.level = (enum log_level)c->log_level,
		.file = c->log_file,
		.json = c->json_logs,
		.quiet = c->quiet,
		.role = role,
	};
}

const char *config_device_name(int device)
{
	static const struct opt_def *d;

	if (!d)
		d = options_find("whisper_device");
	return d->choices[device];
}

static void add_date_text(struct sbuf *sb, time_t t)
{
	struct tm tm;
	char buf[32];

	if (!t)
		return;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	sbuf_adds(sb, buf);
}

static void add_list_text(struct sbuf *sb, const struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		sbuf_addf(sb, "%s%s", i ? "," : "", l->items[i]);
}

static void add_value_text(struct sbuf *sb, const struct config *c, const struct opt_def *d)
{
	static const char *const tristate_names[] = { "auto", "true", "false" };

	switch (d->type) {
	case OPTION_BOOL:
		sbuf_adds(sb, *FIELD(c, d, bool) ? "true" : "false");
		break;
	case OPTION_TRISTATE:
		sbuf_adds(sb, tristate_names[*FIELD(c, d, int)]);
		break;
	case OPTION_INT:
		sbuf_addf(sb, "%ld", *FIELD(c, d, long));
		break;
	case OPTION_SIZE:
		sbuf_addf(sb, "%lld", *FIELD(c, d, long long));
		break;
	case OPTION_DOUBLE:
		sbuf_addf(sb, "%g", *FIELD(c, d, double));
		break;
	case OPTION_CHOICE:
		sbuf_adds(sb, d->choices[*FIELD(c, d, int)]);
		break;
	case OPTION_DATE:
		add_date_text(sb, *FIELD(c, d, time_t));
		break;
	case OPTION_STRING:
	case OPTION_PATH:
		sbuf_adds(sb, *FIELD(c, d, char *) ? *FIELD(c, d, char *) : "");
		break;
	case OPTION_LIST:
		add_list_text(sb, FIELD(c, d, struct strlist));
		break;
	}
}

char *config_value_text(const struct config *c, const char *key)
{
	const struct opt_def *d = options_find(key);
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	if (!d)
		return NULL;
	add_value_text(&sb, c, d);
	return sbuf_detach(&sb, NULL);
}

static json_t *value_json(const struct config *c, const struct opt_def *d)
{
	switch (d->type) {
	case OPTION_BOOL:
		return json_boolean(*FIELD(c, d, bool));
	case OPTION_INT:
		return json_integer(*FIELD(c, d, long));
	case OPTION_SIZE:
		return json_integer(*FIELD(c, d, long long));
	case OPTION_DOUBLE:
		return json_real(*FIELD(c, d, double));
	case OPTION_STRING:
	case OPTION_PATH: {
		const char *s = *FIELD(c, d, char *);

		return s ? json_string(s) : json_null();
	}
	case OPTION_LIST: {
		const struct strlist *l = FIELD(c, d, struct strlist);
		json_t *a = json_array();

		for (size_t i = 0; i < l->nr; i++)
			json_array_append_new(a, json_string(l->items[i]));
		return a;
	}
	case OPTION_DATE:
		if (!*FIELD(c, d, time_t))
			return json_null();
		/* fall through */
	case OPTION_CHOICE:
	case OPTION_TRISTATE: {
		char *s = config_value_text(c, d->key);
		json_t *j = json_string(s);

		free(s);
		return j;
	}
	}
	return json_null();
}

json_t *config_to_json(const struct config *c)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	json_t *o = json_object();

	for (size_t i = 0; i < nr; i++)
		if (!(t[i].flags & OPT_SECRET))
			json_object_set_new(o, t[i].key, value_json(c, &t[i]));
	return o;
}
