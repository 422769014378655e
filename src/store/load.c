/*
 * load.c - reading a metadata document back, JSON or YAML, as the tree
 * store_dump() wrote.  A rerun that adds to a finished episode keeps what
 * the document says of work it does not redo (how the transcript was made,
 * the earlier summary).
 *
 * YAML scalars map back the way emit.c writes them: quoted ones are
 * strings, plain ones null, booleans or numbers when they read as such.
 * The file is read whole under a size cap, and the tree under a depth and a
 * node cap, so a hostile file (deep nesting, an alias bomb) is an error.
 */
#include "store/internal.h"
#include "util/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define DOC_MAX_BYTES ((size_t)16 << 20)
#define DOC_MAX_DEPTH 64
#define DOC_MAX_NODES 200000

struct yaml_walk {
	yaml_document_t *doc;
	long nodes;
};

static bool full_number(const char *s, char *end)
{
	return end != s && *end == '\0' && errno == 0;
}

/* A plain scalar: null, a boolean, an integer or a real, else a string. */
static json_t *plain_scalar(const char *s)
{
	char *end;
	long long i;
	double d;

	if (!*s || !strcmp(s, "null") || !strcmp(s, "~"))
		return json_null();
	if (!strcmp(s, "true") || !strcmp(s, "false"))
		return json_boolean(*s == 't');
	errno = 0;
	i = strtoll(s, &end, 10);
	if (full_number(s, end))
		return json_integer(i);
	errno = 0;
	d = strtod(s, &end);
	if (full_number(s, end))
		return json_real(d);
	return store_jstr(s);
}

static json_t *node_to_json(struct yaml_walk *w, yaml_node_t *n, int depth);

static json_t *mapping_to_json(struct yaml_walk *w, yaml_node_t *n, int depth)
{
	json_t *obj = json_object();

	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     obj && p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		json_t *v = node_to_json(w, yaml_document_get_node(w->doc, p->value), depth + 1);

		if (!k || k->type != YAML_SCALAR_NODE || !v) {
			json_decref(v);
			json_decref(obj);
			return NULL;
		}
		json_object_set_new(obj, (const char *)k->data.scalar.value, v);
	}
	return obj;
}

static json_t *sequence_to_json(struct yaml_walk *w, yaml_node_t *n, int depth)
{
	json_t *arr = json_array();

	for (yaml_node_item_t *i = n->data.sequence.items.start;
	     arr && i < n->data.sequence.items.top; i++) {
		json_t *v = node_to_json(w, yaml_document_get_node(w->doc, *i), depth + 1);

		if (!v) {
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, v);
	}
	return arr;
}

/* NULL when the tree is too deep or too large, or a key is not a scalar. */
static json_t *node_to_json(struct yaml_walk *w, yaml_node_t *n, int depth)
{
	if (!n || depth > DOC_MAX_DEPTH || ++w->nodes > DOC_MAX_NODES)
		return NULL;
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return mapping_to_json(w, n, depth);
	case YAML_SEQUENCE_NODE:
		return sequence_to_json(w, n, depth);
	case YAML_SCALAR_NODE:
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return plain_scalar((const char *)n->data.scalar.value);
		return store_jstr((const char *)n->data.scalar.value);
	default:
		return NULL;
	}
}

static int load_yaml(const char *path, const struct sbuf *text, json_t **out,
		     struct sbuf *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yaml_walk w = { &doc, 0 };
	int r = 0;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text->buf, text->len);
	if (!yaml_parser_load(&parser, &doc)) {
		sbuf_setf(err, "metadata '%s': YAML line %zu: %s", path,
			  parser.problem_mark.line + 1, parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return -PC_EPARSE;
	}
	*out = node_to_json(&w, yaml_document_get_root_node(&doc), 0);
	if (!*out || !json_is_object(*out)) {
		sbuf_setf(err, "metadata '%s': not a metadata document (a mapping of at most %d "
			  "levels and %d values)", path, DOC_MAX_DEPTH, DOC_MAX_NODES);
		json_decref(*out);
		*out = NULL;
		r = -PC_EPARSE;
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r;
}

static int load_json(const char *path, const struct sbuf *text, json_t **out,
		     struct sbuf *err)
{
	json_error_t je;

	*out = json_loadb(text->buf, text->len, 0, &je);
	if (*out && json_is_object(*out))
		return 0;
	if (*out)
		sbuf_setf(err, "metadata '%s': not a JSON object", path);
	else
		sbuf_setf(err, "metadata '%s': JSON line %d: %s", path, je.line, je.text);
	json_decref(*out);
	*out = NULL;
	return -PC_EPARSE;
}

int store_metadata_read(const char *feed_dir, const char *rel, json_t **out, struct sbuf *err)
{
	char *path = fs_join(feed_dir, rel);
	struct sbuf text = SBUF_INIT(DOC_MAX_BYTES);
	size_t n = strlen(rel);
	bool yaml = (n > 5 && !strcmp(rel + n - 5, ".yaml")) || (n > 4 && !strcmp(rel + n - 4, ".yml"));
	int r = fs_read_file(path, &text, err);

	*out = NULL;
	if (!r)
		r = yaml ? load_yaml(path, &text, out, err) : load_json(path, &text, out, err);
	sbuf_release(&text);
	free(path);
	return r;
}
