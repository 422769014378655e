/*
 * json.c - JSON transcripts in and out, with jansson.
 *
 * In: Podcasting 2.0 ({"version":"1.0.0","segments":[{"speaker","startTime",
 * "endTime","body"}]}) and our own segments.json ({"segments":[{"start",
 * "end","speaker","text"}]}); a bare array of segments is accepted too.
 * jansson's parser is iterative up to a fixed depth, and reads only the
 * bytes it is given, so the caller's size cap holds.
 * Out: segments.json, times rounded to milliseconds, written without
 * jansson (see transcript_to_segments_json() below).
 */
#include "transcript/tr_internal.h"
#include "util/utf8.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

/* "words":[{"w","start","end"}] of a segment; entries without text are
 * skipped, times missing as -1. */
static void push_words(const json_t *words, struct segment *seg)
{
	const json_t *w;
	size_t i;

	json_array_foreach(words, i, w) {
		size_t n = 0;
		const char *t = json_str(w, "w", "word", &n);
		char *copy;

		if (!t || !n || memchr(t, 0, n))
			continue;
		copy = pc_strndup(t, n);
		segment_add_word(seg, copy, json_time(w, "start", "start"),
				 json_time(w, "end", "end"));
		free(copy);
	}
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
	if (text.len) {
		segment_list_push(out, start, end, speaker.buf, text.buf);
		push_words(json_object_get(item, "words"), &out->items[out->nr - 1]);
	}
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

/*
 * segments.json is written by hand: building a jansson tree of a long
 * transcript and dumping it cost more than parsing the transcript.  The
 * output is byte for byte what json_dump_callback() gave with
 * JSON_INDENT(2) | JSON_REAL_PRECISION(12) (the unit tests compare the
 * two): the same layout, escapes and number format.
 */

#define ADD_LIT(out, lit) sbuf_add(out, lit, sizeof(lit) - 1)

/* Characters of a JSON string that need care: escapes and non-ASCII.  A
 * table, because the test runs once a byte of every transcript. */
static const bool json_special[256] = {
	[0x00 ... 0x1f] = true, ['"'] = true, ['\\'] = true, [0x80 ... 0xff] = true,
};

/* None of the 8 bytes at s is special: no control, '"', '\\' or non-ASCII
 * byte (the usual bit tricks: a byte below n, or zero after an xor). */
static bool plain8(const char *s)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t v, q, b;

	memcpy(&v, s, sizeof(v));
	q = v ^ (ones * '"');
	b = v ^ (ones * '\\');
	return !((v | ((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs);
}

static void add_json_escape(struct sbuf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"': ADD_LIT(out, "\\\""); break;
	case '\\': ADD_LIT(out, "\\\\"); break;
	case '\b': ADD_LIT(out, "\\b"); break;
	case '\f': ADD_LIT(out, "\\f"); break;
	case '\n': ADD_LIT(out, "\\n"); break;
	case '\r': ADD_LIT(out, "\\r"); break;
	case '\t': ADD_LIT(out, "\\t"); break;
	default: sbuf_add(out, u, sizeof(u));
	}
}

/* s as a JSON string: UTF-8 kept as is, invalid bytes as U+FFFD. */
static void add_json_string(struct sbuf *out, const char *s)
{
	size_t n = strlen(s), i = 0, span = 0;

	sbuf_grow(out, n + 2);
	sbuf_addch(out, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len;
		uint32_t cp;

		if (n - i >= 8 && plain8(s + i)) {
			i += 8;
			continue;
		}
		if (!json_special[c]) {
			i++;
			continue;
		}
		len = c >= 0x80 ? utf8_decode(s + i, n - i, &cp) : 0;
		if (len) {
			i += len;
			continue;
		}
		sbuf_add(out, s + span, i - span);
		if (c >= 0x80)
			ADD_LIT(out, UTF8_REPLACEMENT_STR);
		else
			add_json_escape(out, c);
		span = ++i;
	}
	sbuf_add(out, s + span, n - span);
	sbuf_addch(out, '"');
}

/* Appends the decimal digits of v. */
static void add_uint(struct sbuf *out, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_add(out, digits + i, sizeof(digits) - i);
}

/* jansson's real format for the rare values the fast path does not cover:
 * %.12g, ".0" added to integral values, no '+' or leading zeros in the
 * exponent. */
static void add_real_slow(struct sbuf *out, double v)
{
	char num[40];
	int n = snprintf(num, sizeof(num), "%.12g", v);
	const char *e = memchr(num, 'e', (size_t)n), *p;

	if (!e) {
		sbuf_add(out, num, (size_t)n);
		if (!memchr(num, '.', (size_t)n))
			ADD_LIT(out, ".0");
		return;
	}
	sbuf_add(out, num, (size_t)(e - num) + 1);
	p = e + 1;
	if (*p == '-')
		sbuf_addch(out, *p);
	if (*p == '-' || *p == '+')
		p++;
	while (*p == '0' && p[1])
		p++;
	sbuf_adds(out, p);
}

/* t rounded to milliseconds, null when unknown. */
static void add_json_time(struct sbuf *out, double t)
{
	double ms;
	unsigned long long v;
	char frac[4];
	int nfrac = 3;

	if (t < 0 || !isfinite(t)) {
		ADD_LIT(out, "null");
		return;
	}
	ms = round(t * 1000);
	/* below 1e12 ms, %.12g prints every millisecond digit: print them exactly */
	if (signbit(ms) || ms >= 1e12) {
		add_real_slow(out, ms / 1000);
		return;
	}
	v = (unsigned long long)ms;
	add_uint(out, v / 1000);
	frac[0] = (char)('0' + v / 100 % 10);
	frac[1] = (char)('0' + v / 10 % 10);
	frac[2] = (char)('0' + v % 10);
	while (nfrac > 1 && frac[nfrac - 1] == '0')
		nfrac--;
	sbuf_addch(out, '.');
	sbuf_add(out, frac, (size_t)nfrac);
}

/* ,"words":[{"w":..,"start":..,"end":..}] in the same layout. */
static void add_json_words(struct sbuf *out, const struct segment *s)
{
	ADD_LIT(out, ",\n      \"words\": [");
	for (size_t i = 0; i < s->nr_words; i++) {
		if (i)
			sbuf_addch(out, ',');
		ADD_LIT(out, "\n        {\n          \"w\": ");
		add_json_string(out, s->words[i].text);
		ADD_LIT(out, ",\n          \"start\": ");
		add_json_time(out, s->words[i].start);
		ADD_LIT(out, ",\n          \"end\": ");
		add_json_time(out, s->words[i].end);
		ADD_LIT(out, "\n        }");
	}
	ADD_LIT(out, "\n      ]");
}

static void add_json_segment(struct sbuf *out, const struct segment *s)
{
	ADD_LIT(out, "    {\n      \"start\": ");
	add_json_time(out, s->start);
	ADD_LIT(out, ",\n      \"end\": ");
	add_json_time(out, s->end);
	ADD_LIT(out, ",\n      \"speaker\": ");
	if (s->speaker)
		add_json_string(out, s->speaker);
	else
		ADD_LIT(out, "null");
	ADD_LIT(out, ",\n      \"text\": ");
	add_json_string(out, s->text);
	if (s->nr_words)
		add_json_words(out, s);
	ADD_LIT(out, "\n    }");
}

void transcript_to_segments_json(const struct segment_list *l, struct sbuf *out)
{
	/* a rough size: the layout takes about 100 bytes a segment */
	sbuf_grow(out, 32 + l->nr * 160);
	sbuf_adds(out, "{\n  \"segments\": [");
	for (size_t i = 0; i < l->nr; i++) {
		sbuf_adds(out, i ? ",\n" : "\n");
		add_json_segment(out, &l->items[i]);
	}
	sbuf_adds(out, l->nr ? "\n  ]\n}\n" : "]\n}\n");
}
