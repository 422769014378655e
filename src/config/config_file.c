/*
 * config_file.c - YAML and JSON config files.
 *
 * Both are read through libyaml's document API, because it keeps the line of
 * every node and JSON is (for config files) a subset of YAML; JSON files are
 * first checked by jansson so a syntax error reads like a JSON error.
 *
 * Typing rules: null or an empty value leaves the key at its default (so a
 * config snapshot written by config_to_json() loads back); a quoted scalar
 * is a string, so `workers: "8"` is a type
 * error just as `"workers": "8"` is in JSON; a list key takes a sequence of
 * scalars or a single scalar; no key takes a mapping.
 *
 * Size caps: the file is at most CONFIG_MAX_BYTES, but YAML aliases can make
 * a small file expand into a huge one (`[&a "<10 KB>", *a, *a, ...]`), so a
 * first pass over the parser's events adds up what every alias stands for
 * and refuses the file past CONFIG_MAX_ALIASES aliases or
 * CONFIG_MAX_EXPANDED bytes of scalars; then each value is capped at
 * CONFIG_MAX_VALUE_BYTES and each list at CONFIG_MAX_LIST_ITEMS.  Every
 * refusal names the file and the line.
 */
#include "config/config.h"
#include "config/options.h"
#include "util/fs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <yaml.h>

#define CONFIG_MAX_BYTES (1 << 20)
#define CONFIG_MAX_EXPANDED (1 << 20)
#define CONFIG_MAX_ALIASES 1000
#define CONFIG_MAX_VALUE_BYTES (64 << 10)
#define CONFIG_MAX_LIST_ITEMS 10000

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static const char *type_word(enum opt_type t)
{
	switch (t) {
	case OPTION_BOOL: return "a boolean";
	case OPTION_INT: return "an integer";
	case OPTION_SIZE: return "a size";
	case OPTION_DOUBLE: return "a number";
	case OPTION_LIST: return "a list of strings";
	case OPTION_DATE: return "a date";
	default: return "a string";
	}
}

static int type_error(const char *path, yaml_node_t *n, const struct opt_def *d,
		      const char *got, struct sbuf *err)
{
	sbuf_setf(err, "config '%s' line %lu: key '%s': expected %s, got %s", path,
		  (unsigned long)n->start_mark.line + 1, d->key, type_word(d->type), got);
	return -PC_EUSAGE;
}

static bool quoted(const yaml_node_t *n)
{
	return n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	       n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

static bool wants_plain(enum opt_type t)
{
	return t == OPTION_BOOL || t == OPTION_INT || t == OPTION_DOUBLE;
}

static bool is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	return !quoted(n) && (!*v || !strcmp(v, "null") || !strcmp(v, "~"));
}

static int apply_scalar(struct config *c, const char *path, yaml_node_t *n,
			const struct opt_def *d, bool replace, struct sbuf *err)
{
	struct config_origin o = { path, (long)n->start_mark.line + 1, NULL, NULL };
	const char *v = (const char *)n->data.scalar.value;

	/* null (or an empty value) leaves the key as it is: the default */
	if (is_null(n))
		return 0;
	if (n->data.scalar.length > CONFIG_MAX_VALUE_BYTES) {
		sbuf_setf(err, "config '%s' line %ld: key '%s': value too long "
			  "(%zu bytes, at most %d)", path, o.line, d->key,
			  n->data.scalar.length, CONFIG_MAX_VALUE_BYTES);
		return -PC_EUSAGE;
	}
	if (quoted(n) && wants_plain(d->type))
		return type_error(path, n, d, "a quoted string", err);
	return config_set(c, d->key, v, &o, replace, err);
}

static int apply_sequence(struct config *c, const char *path, yaml_document_t *doc,
			  yaml_node_t *n, const struct opt_def *d, struct sbuf *err)
{
	bool first = true;

	if (d->type != OPTION_LIST)
		return type_error(path, n, d, "a list", err);
	if (n->data.sequence.items.top - n->data.sequence.items.start > CONFIG_MAX_LIST_ITEMS) {
		sbuf_setf(err, "config '%s' line %lu: key '%s': list too long "
			  "(%td items, at most %d)", path,
			  (unsigned long)n->start_mark.line + 1, d->key,
			  n->data.sequence.items.top - n->data.sequence.items.start,
			  CONFIG_MAX_LIST_ITEMS);
		return -PC_EUSAGE;
	}
	strlist_release((struct strlist *)((char *)c + d->offset));
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(doc, *it);
		int r;

		if (item->type != YAML_SCALAR_NODE)
			return type_error(path, item, d, "a nested structure", err);
		r = apply_scalar(c, path, item, d, first, err);
		if (r < 0)
			return r;
		first = false;
	}
	return 0;
}

/* Notes an unknown key, with the nearest known one; the caller lists them all. */
static void add_unknown(struct sbuf *unknown, const char *path, yaml_node_t *k)
{
	const char *key = (const char *)k->data.scalar.value;
	const char *near = compat_suggest(key);

	sbuf_addf(unknown, "%sconfig '%s' line %lu: unknown key '%s'", unknown->len ? "\n" : "",
		  path, (unsigned long)k->start_mark.line + 1, key);
	if (near)
		sbuf_addf(unknown, " (did you mean '%s'?)", near);
}

/* Our row for key, through the Python tool's names; NULL when only noted. */
static const struct opt_def *find_key(struct config *c, const char *key, bool *known)
{
	const struct opt_def *d = options_find(key);
	const struct compat_row *r;

	*known = true;
	if (d)
		return d;
	if (!(r = compat_find(key))) {
		*known = false;
		return NULL;
	}
	if (r->kind == COMPAT_KEY)
		return options_find(r->target);
	compat_note(c, key, r);
	return NULL;
}

static int apply_pair(struct config *c, const char *path, yaml_document_t *doc,
		      yaml_node_pair_t *pair, struct sbuf *unknown, struct sbuf *err)
{
	yaml_node_t *k = yaml_document_get_node(doc, pair->key);
	yaml_node_t *v = yaml_document_get_node(doc, pair->value);
	const struct opt_def *d;
	bool known;

	if (k->type != YAML_SCALAR_NODE) {
		sbuf_setf(err, "config '%s' line %lu: keys must be plain names", path,
			  (unsigned long)k->start_mark.line + 1);
		return -PC_EUSAGE;
	}
	d = find_key(c, (const char *)k->data.scalar.value, &known);
	if (!known)
		add_unknown(unknown, path, k);
	if (!d)
		return 0;
	if (v->type == YAML_MAPPING_NODE)
		return type_error(path, v, d, "a mapping", err);
	if (v->type == YAML_SEQUENCE_NODE)
		return apply_sequence(c, path, doc, v, d, err);
	return apply_scalar(c, path, v, d, true, err);
}

static int apply_pairs(struct config *c, const char *path, yaml_document_t *doc,
		       yaml_node_t *root, struct sbuf *err)
{
	struct sbuf unknown = SBUF_INIT(16384);
	int r = 0;

	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top && r >= 0; p++)
		r = apply_pair(c, path, doc, p, &unknown, err);
	if (r >= 0 && unknown.len) {
		sbuf_setf(err, "%s", unknown.buf);
		r = -PC_EUSAGE;
	}
	sbuf_release(&unknown);
	return r;
}

static int apply_document(struct config *c, const char *path, yaml_document_t *doc,
			  struct sbuf *err)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);

	if (!root)
		return 0;   /* an empty file sets nothing */
	if (root->type != YAML_MAPPING_NODE) {
		sbuf_setf(err, "config '%s' line %lu: the top level must be a mapping of keys",
			  path, (unsigned long)root->start_mark.line + 1);
		return -PC_EUSAGE;
	}
	return apply_pairs(c, path, doc, root, err);
}

static int check_json_syntax(const char *path, const struct sbuf *text, struct sbuf *err)
{
	json_error_t je;
	json_t *j = json_loadb(text->buf, text->len, JSON_REJECT_DUPLICATES, &je);

	if (!j) {
		sbuf_setf(err, "config '%s' line %d: invalid JSON: %s", path, je.line, je.text);
		return -PC_EUSAGE;
	}
	json_decref(j);
	return 0;
}

/* What the anchors seen so far stand for, in scalar bytes. */
struct alias_count {
	struct anchor { char *name; size_t bytes; } *anchors;
	size_t nr, alloc;
	size_t open[64];      /* expanded total when each anchored collection opened */
	char *open_name[64];
	size_t depth;
	size_t total;         /* scalar bytes with every alias expanded */
	size_t aliases;
};

static void anchor_add(struct alias_count *ac, const unsigned char *name, size_t bytes)
{
	PC_GROW(ac->anchors, ac->alloc, ac->nr + 1);
	ac->anchors[ac->nr].name = pc_strdup((const char *)name);
	ac->anchors[ac->nr++].bytes = bytes;
}

/* The latest anchor of that name wins, as YAML redefinition says. */
static size_t anchor_bytes(const struct alias_count *ac, const unsigned char *name)
{
	for (size_t i = ac->nr; i-- > 0;)
		if (!strcmp(ac->anchors[i].name, (const char *)name))
			return ac->anchors[i].bytes;
	return 0;
}

static void collection_open(struct alias_count *ac, const unsigned char *anchor)
{
	if (ac->depth < ARRAY_SIZE(ac->open)) {
		ac->open[ac->depth] = ac->total;
		ac->open_name[ac->depth] = anchor ? pc_strdup((const char *)anchor) : NULL;
	}
	ac->depth++;
}

static void collection_close(struct alias_count *ac)
{
	if (!ac->depth || --ac->depth >= ARRAY_SIZE(ac->open))
		return;
	if (ac->open_name[ac->depth])
		anchor_add(ac, (unsigned char *)ac->open_name[ac->depth],
			   ac->total - ac->open[ac->depth]);
	free(ac->open_name[ac->depth]);
	ac->open_name[ac->depth] = NULL;
}

static void count_event(struct alias_count *ac, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		ac->total += ev->data.scalar.length;
		if (ev->data.scalar.anchor)
			anchor_add(ac, ev->data.scalar.anchor, ev->data.scalar.length);
		break;
	case YAML_ALIAS_EVENT:
		ac->total += anchor_bytes(ac, ev->data.alias.anchor);
		ac->aliases++;
		break;
	case YAML_SEQUENCE_START_EVENT:
		collection_open(ac, ev->data.sequence_start.anchor);
		break;
	case YAML_MAPPING_START_EVENT:
		collection_open(ac, ev->data.mapping_start.anchor);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		collection_close(ac);
		break;
	default:
		break;
	}
}

static void alias_count_release(struct alias_count *ac)
{
	for (size_t i = 0; i < ac->nr; i++)
		free(ac->anchors[i].name);
	free(ac->anchors);
	for (size_t i = 0; i < ARRAY_SIZE(ac->open_name); i++)
		free(ac->open_name[i]);
}

static int alias_refused(const char *path, const struct alias_count *ac,
			 const yaml_event_t *ev, struct sbuf *err)
{
	if (ac->aliases > CONFIG_MAX_ALIASES || ac->nr > CONFIG_MAX_ALIASES)
		sbuf_setf(err, "config '%s' line %lu: too many YAML anchors or aliases "
			  "(more than %d)",
			  path, (unsigned long)ev->start_mark.line + 1, CONFIG_MAX_ALIASES);
	else
		sbuf_setf(err, "config '%s' line %lu: YAML aliases expand the file to more "
			  "than %d bytes", path, (unsigned long)ev->start_mark.line + 1,
			  CONFIG_MAX_EXPANDED);
	return -PC_EUSAGE;
}

/*
 * The first pass: events only, nothing built.  Syntax errors are left to
 * the second pass, which reports them.
 */
static int check_aliases(const char *path, const struct sbuf *text, struct sbuf *err)
{
	struct alias_count ac = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int r = 0;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text->buf, text->len);
	while (!r && yaml_parser_parse(&parser, &ev)) {
		bool end = ev.type == YAML_STREAM_END_EVENT;

		count_event(&ac, &ev);
		if (ac.aliases > CONFIG_MAX_ALIASES || ac.nr > CONFIG_MAX_ALIASES ||
		    ac.total > CONFIG_MAX_EXPANDED)
			r = alias_refused(path, &ac, &ev, err);
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	alias_count_release(&ac);
	return r;
}

static int parse_yaml(struct config *c, const char *path, const struct sbuf *text,
		      struct sbuf *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int r;

	r = check_aliases(path, text, err);
	if (r < 0)
		return r;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text->buf, text->len);
	if (!yaml_parser_load(&parser, &doc)) {
		sbuf_setf(err, "config '%s' line %lu: invalid YAML: %s", path,
			  (unsigned long)parser.problem_mark.line + 1,
			  parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return -PC_EUSAGE;
	}
	r = apply_document(c, path, &doc, err);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r;
}

/* All of fd from offset 0 (pread: readers sharing one open file never race on its offset). */
static int read_fd(int fd, struct sbuf *text)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (sbuf_add(text, buf, (size_t)n) < 0)
			return -PC_ETOOBIG;
		off += n;
	}
	return 0;
}

int config_load_fd(struct config *c, int fd, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(CONFIG_MAX_BYTES), name = SBUF_INIT(64);
	int r;

	sbuf_addf(&name, "fd %d", fd);
	r = read_fd(fd, &text);
	if (r < 0)
		sbuf_setf(err, "config '%s': cannot read: %s", name.buf, pc_strerror(r));
	if (!r)
		r = check_json_syntax(name.buf, &text, err);
	if (!r)
		r = parse_yaml(c, name.buf, &text, err);
	sbuf_release(&text);
	sbuf_release(&name);
	return r;
}

int config_load_file(struct config *c, const char *path, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(CONFIG_MAX_BYTES);
	struct sbuf why = SBUF_INIT(4096);
	bool json = has_suffix(path, ".json");
	int r;

	if (!json && !has_suffix(path, ".yaml") && !has_suffix(path, ".yml")) {
		sbuf_setf(err, "config '%s': unknown format (use .yaml, .yml or .json)", path);
		return -PC_EUSAGE;
	}
	r = fs_read_file(path, &text, &why);
	if (r < 0) {
		sbuf_setf(err, "config: %s", why.buf);
		goto out;
	}
	if (json && (r = check_json_syntax(path, &text, err)) < 0)
		goto out;
	r = parse_yaml(c, path, &text, err);
	if (!r) {
		free(c->config_path);
		c->config_path = pc_strdup(path);
	}
out:
	sbuf_release(&text);
	sbuf_release(&why);
	return r;
}
