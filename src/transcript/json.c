/*
 * json.c - JSON transcripts in and out, with jansson.
 *
 * In: Podcasting 2.0 ({"version":"1.0.0","segments":[{"speaker","startTime",
 * "endTime","body"}]}) and our own segments.json ({"segments":[{"start",
 * "end","speaker","text"}]}); a bare array of segments is accepted too.
 * jansson's parser is iterative up to a fixed depth, and reads only the
 * bytes it is given, so the caller's size cap holds.
 * Out: segments.json, times rounded to milliseconds.
 */
#include "transcript/tr_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A time given as a number, a numeric string or "hh:mm:ss.ttt"; -1 if none. */
static double json_time(const json_t *o, const char *key, const char *alt)
{
	const json_t *v = json_object_get(o, key);
	double t = -1;

	if (!v)
		v = json_object_get(o, alt);
	if (json_is_number(v)) {
		t = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		char *endp;

		if (!tr_parse_time(s, n, &t)) {
			t = strtod(s, &endp);
			if (endp == s || *endp)
				t = -1;
		}
	}
	return isfinite(t) && t >= 0 ? t : -1;
}

static const char *json_str(const json_t *o, const char *key, const char *alt, size_t *n)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		v = json_object_get(o, alt);
	if (!json_is_string(v))
		return NULL;
	*n = json_string_length(v);
	return json_string_value(v);
}

static void push_item(const json_t *item, struct segment_list *out)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	struct sbuf speaker = SBUF_INIT(SBUF_NOLIMIT);
	const char *s;
	size_t n = 0;
	double start, end;

	if (!json_is_object(item))
		return;
	if ((s = json_str(item, "body", "text", &n)))
		tr_add_collapsed(&text, s, n);
	tr_rtrim(&text);
	if ((s = json_str(item, "speaker", "speaker", &n)))
		tr_add_collapsed(&speaker, s, n);
	tr_rtrim(&speaker);
	start = json_time(item, "startTime", "start");
	end = json_time(item, "endTime", "end");
	if (end >= 0 && start >= 0 && end < start)
		end = start;
	if (text.len)
		segment_list_push(out, start, end, speaker.buf, text.buf);
	sbuf_release(&text);
	sbuf_release(&speaker);
}

int tr_parse_json(const char *data, size_t len, struct segment_list *out, struct sbuf *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, 0, &jerr);
	json_t *segs, *item;
	size_t i;

	if (!root) {
		sbuf_addf(err, "JSON line %d: ", jerr.line);
		tr_add_printable(err, jerr.text, strlen(jerr.text));
		return -PC_EPARSE;
	}
	segs = json_is_array(root) ? root : json_object_get(root, "segments");
	if (!json_is_array(segs)) {
		sbuf_adds(err, "JSON transcript has no \"segments\" array");
		json_decref(root);
		return -PC_EPARSE;
	}
	json_array_foreach(segs, i, item)
		push_item(item, out);
	json_decref(root);
	return 0;
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	return sbuf_add(data, buf, size) < 0 ? -1 : 0;
}

/* A JSON string of s, repaired if someone filled a segment by hand. */
static json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	char *clean;

	if (j)
		return j;
	clean = tr_utf8_sanitize(s, strlen(s));
	j = json_string(clean);
	free(clean);
	return j;
}

static json_t *json_time_value(double t)
{
	if (t < 0 || !isfinite(t))
		return json_null();
	return json_real(round(t * 1000) / 1000);
}

void transcript_to_segments_json(const struct segment_list *l, struct sbuf *out)
{
	json_t *root = json_object();
	json_t *arr = json_array();

	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];
		json_t *o = json_object();

		json_object_set_new(o, "start", json_time_value(s->start));
		json_object_set_new(o, "end", json_time_value(s->end));
		json_object_set_new(o, "speaker", s->speaker ? json_text(s->speaker) : json_null());
		json_object_set_new(o, "text", json_text(s->text));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "segments", arr);
	json_dump_callback(root, dump_cb, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	sbuf_addch(out, '\n');
	json_decref(root);
}
