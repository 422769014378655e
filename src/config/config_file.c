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
 */
#include "config/config.h"
#include "config/options.h"
#include "util/fs.h"

#include <string.h>
#include <jansson.h>
#include <yaml.h>

#define CONFIG_MAX_BYTES (1 << 20)

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

static int apply_pair(struct config *c, const char *path, yaml_document_t *doc,
		      yaml_node_pair_t *pair, struct sbuf *err)
{
	yaml_node_t *k = yaml_document_get_node(doc, pair->key);
	yaml_node_t *v = yaml_document_get_node(doc, pair->value);
	const struct opt_def *d;

	if (k->type != YAML_SCALAR_NODE) {
		sbuf_setf(err, "config '%s' line %lu: keys must be plain names", path,
			  (unsigned long)k->start_mark.line + 1);
		return -PC_EUSAGE;
	}
	d = options_find((const char *)k->data.scalar.value);
	if (!d) {
		sbuf_setf(err, "config '%s' line %lu: unknown key '%s'", path,
			  (unsigned long)k->start_mark.line + 1, k->data.scalar.value);
		return -PC_EUSAGE;
	}
	if (v->type == YAML_MAPPING_NODE)
		return type_error(path, v, d, "a mapping", err);
	if (v->type == YAML_SEQUENCE_NODE)
		return apply_sequence(c, path, doc, v, d, err);
	return apply_scalar(c, path, v, d, true, err);
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
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		int r = apply_pair(c, path, doc, p, err);

		if (r < 0)
			return r;
	}
	return 0;
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

static int parse_yaml(struct config *c, const char *path, const struct sbuf *text,
		      struct sbuf *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int r;

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
