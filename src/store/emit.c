/*
 * emit.c - jansson value helpers and the JSON / YAML renderings of a
 * document tree.
 *
 * YAML goes through libyaml's emitter, which knows the escaping rules; we
 * only choose styles: strings are always double-quoted so that a title such
 * as "yes", "1.0" or "null" reads back as a string, and numbers, booleans
 * and null are plain.
 */
#include "store/internal.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Significant digits of reals: enough for timings without 0.1000000000000001. */
#define REAL_DIGITS 10
#define YAML_NUM_MAX 64

/* ---- Values ------------------------------------------------------------ */

json_t *store_jstr(const char *s)
{
	json_t *j;
	char *fixed;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	fixed = utf8_sanitize(s, strlen(s));
	j = json_string(fixed);
	free(fixed);
	if (!j)
		BUG("repaired string still rejected by jansson");
	return j;
}

json_t *store_jtime(time_t t)
{
	char iso[TIME_ISO_LEN];

	if (t <= 0)
		return json_null();
	time_iso8601(t, iso);
	return json_string(iso);
}

json_t *store_jcount(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

json_t *store_jstrlist(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; l && i < l->nr; i++)
		json_array_append_new(a, store_jstr(l->items[i]));
	return a;
}

/* ---- JSON -------------------------------------------------------------- */

static int dump_to_sbuf(const char *buf, size_t size, void *data)
{
	return sbuf_add(data, buf, size) < 0 ? -1 : 0;
}

static int dump_json(json_t *doc, struct sbuf *out, struct sbuf *err)
{
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(REAL_DIGITS);

	if (json_dump_callback(doc, dump_to_sbuf, out, flags) < 0 || sbuf_addch(out, '\n') < 0) {
		sbuf_setf(err, "cannot render JSON document");
		return -PC_EFAIL;
	}
	return 0;
}

/* ---- YAML -------------------------------------------------------------- */

static int yaml_to_sbuf(void *data, unsigned char *buf, size_t size)
{
	return sbuf_add(data, buf, size) < 0 ? 0 : 1;
}

static int emit_node(yaml_emitter_t *em, json_t *j);

static int emit_scalar(yaml_emitter_t *em, const char *s, size_t len, bool quoted)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len,
				     !quoted, quoted,
				     quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
				     YAML_PLAIN_SCALAR_STYLE);
	return yaml_emitter_emit(em, &ev);
}

/* A real that a YAML reader takes as a float: always has '.', 'e' or is inf/nan. */
static void format_real(double v, char out[YAML_NUM_MAX])
{
	snprintf(out, YAML_NUM_MAX, "%.*g", REAL_DIGITS, v);
	if (!strpbrk(out, ".eEn"))
		strncat(out, ".0", YAML_NUM_MAX - strlen(out) - 1);
}

static int emit_plain(yaml_emitter_t *em, json_t *j)
{
	char num[YAML_NUM_MAX];

	switch (json_typeof(j)) {
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		break;
	case JSON_REAL:
		format_real(json_real_value(j), num);
		break;
	case JSON_TRUE:
		return emit_scalar(em, "true", 4, false);
	case JSON_FALSE:
		return emit_scalar(em, "false", 5, false);
	default:
		return emit_scalar(em, "null", 4, false);
	}
	return emit_scalar(em, num, strlen(num), false);
}

/*
 * Keys that read back as the same string when plain: identifiers, minus
 * the words YAML 1.1 resolves to booleans or null.  Others are quoted.
 */
static bool plain_key_ok(const char *k)
{
	static const char *const reserved[] = { "true", "false", "yes", "no", "on", "off",
						"y", "n", "null" };

	if (!*k || !(islower((unsigned char)*k) || *k == '_'))
		return false;
	for (const char *p = k; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcmp(k, reserved[i]))
			return false;
	return true;
}

static int emit_mapping(yaml_emitter_t *em, json_t *obj)
{
	yaml_event_t ev;
	const char *key;
	json_t *val;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	if (!yaml_emitter_emit(em, &ev))
		return 0;
	json_object_foreach(obj, key, val) {
		if (!emit_scalar(em, key, strlen(key), !plain_key_ok(key)) || !emit_node(em, val))
			return 0;
	}
	yaml_mapping_end_event_initialize(&ev);
	return yaml_emitter_emit(em, &ev);
}

static int emit_sequence(yaml_emitter_t *em, json_t *arr)
{
	yaml_event_t ev;
	size_t i;
	json_t *val;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	if (!yaml_emitter_emit(em, &ev))
		return 0;
	json_array_foreach(arr, i, val) {
		if (!emit_node(em, val))
			return 0;
	}
	yaml_sequence_end_event_initialize(&ev);
	return yaml_emitter_emit(em, &ev);
}

static int emit_node(yaml_emitter_t *em, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return emit_mapping(em, j);
	case JSON_ARRAY:
		return emit_sequence(em, j);
	case JSON_STRING:
		return emit_scalar(em, json_string_value(j), json_string_length(j), true);
	default:
		return emit_plain(em, j);
	}
}

static int emit_document(yaml_emitter_t *em, json_t *doc)
{
	yaml_event_t ev;

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (!yaml_emitter_emit(em, &ev))
		return 0;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (!yaml_emitter_emit(em, &ev) || !emit_node(em, doc))
		return 0;
	yaml_document_end_event_initialize(&ev, 1);
	if (!yaml_emitter_emit(em, &ev))
		return 0;
	yaml_stream_end_event_initialize(&ev);
	return yaml_emitter_emit(em, &ev) && yaml_emitter_flush(em);
}

static int dump_yaml(json_t *doc, struct sbuf *out, struct sbuf *err)
{
	yaml_emitter_t em;
	int ok;

	if (!yaml_emitter_initialize(&em))
		BUG("yaml_emitter_initialize failed");
	yaml_emitter_set_output(&em, yaml_to_sbuf, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_width(&em, -1);   /* never fold long strings */
	ok = emit_document(&em, doc);
	if (!ok)
		sbuf_setf(err, "cannot render YAML document: %s",
			  em.problem ? em.problem : "output too large");
	yaml_emitter_delete(&em);
	return ok ? 0 : -PC_EFAIL;
}

int store_dump(json_t *doc, enum store_format fmt, struct sbuf *out, struct sbuf *err)
{
	json_t *clean = store_doc_redact(doc);
	int r = fmt == STORE_FORMAT_YAML ? dump_yaml(clean, out, err) : dump_json(clean, out, err);

	json_decref(clean);
	return r;
}
