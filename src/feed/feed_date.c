/*
 * feed_date.c - the dates and durations feeds write.
 *
 * Dates: RFC 822/2822 ("Tue, 02 Jan 2024 10:00:00 GMT": weekday optional,
 * 2-digit years mean 19xx from 50 up and 20xx below, zone a number or one
 * of the names in zones[]; an unknown zone name counts as UTC, as Python's
 * email.utils does) and ISO 8601 / RFC 3339 ("2024-01-02",
 * "2024-01-02T10:00:00.5+02:00"; no zone means UTC).  Anything else is -1.
 *
 * Durations (itunes:duration): "3723", "62:03", "1:02:03", fractions of a
 * second dropped ("1:02:03.5" is 3723).  Minutes and seconds after the
 * first field must be below 60.
 */
#include "feed/feed_internal.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

struct zone {
	const char *name;
	int minutes;
};

static const struct zone zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "BST", 60 }, { "CET", 60 }, { "CEST", 120 }, { "EET", 120 },
	{ "EEST", 180 }, { "JST", 540 }, { "AEST", 600 }, { "AEDT", 660 },
};

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const weekdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

static void skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\r' || **p == '\n')
		(*p)++;
}

/* Reads min..max digits (stopping after max, as in "+0200"); false if fewer. */
static bool read_num(const char **p, int min, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)(*p)[n])) {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*p += n;
	*out = v;
	return true;
}

static size_t alpha_len(const char *p)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	return n;
}

/* Index of the name that word abbreviates ("Sep", "Sept", "September"), or -1. */
static int find_name(const char *word, size_t len, const char *const *names, int nr)
{
	if (len < 3)
		return -1;
	for (int i = 0; i < nr; i++)
		if (len <= strlen(names[i]) && !strncasecmp(word, names[i], len))
			return i;
	return -1;
}

static bool read_month(const char **p, int *mon)
{
	size_t len = alpha_len(*p);

	*mon = find_name(*p, len, months, ARRAY_SIZE(months));
	*p += len;
	return *mon >= 0;
}

static bool days_ok(int year, int mon, int day)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100) || year % 400 == 0;

	if (mon < 0 || mon > 11 || day < 1 || day > mdays[mon])
		return false;
	return mon != 1 || day < 29 || leap;
}

/* UTC seconds for the civil time in tm shifted by off_min, or -1 if invalid. */
static time_t make_time(struct tm *tm, int off_min)
{
	int year = tm->tm_year + 1900;

	if (year < 1900 || year > 9999 || !days_ok(year, tm->tm_mon, tm->tm_mday) ||
	    tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
		return -1;
	return timegm(tm) - (time_t)off_min * 60;
}

/* "+0200", "-05:00", "+02" -> minutes east of UTC. */
static bool read_offset(const char **p, int *off)
{
	int sign = **p == '-' ? -1 : 1, hh, mm = 0;

	(*p)++;
	if (!read_num(p, 2, 2, &hh))
		return false;
	if (**p == ':')
		(*p)++;
	if (isdigit((unsigned char)**p) && !read_num(p, 2, 2, &mm))
		return false;
	if (hh > 23 || mm > 59)
		return false;
	*off = sign * (hh * 60 + mm);
	return true;
}

static int zone_minutes(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(zones); i++)
		if (strlen(zones[i].name) == len && !strncasecmp(name, zones[i].name, len))
			return zones[i].minutes;
	return 0;
}

/* Zone, then an optional "(comment)", then the end of the string. */
static bool read_rfc822_zone(const char **p, int *off)
{
	size_t len;

	skip_space(p);
	*off = 0;
	if ((**p == '+' || **p == '-') && !read_offset(p, off))
		return false;
	len = alpha_len(*p);
	if (len) {
		*off = zone_minutes(*p, len);
		*p += len;
	}
	skip_space(p);
	if (**p == '(' && strchr(*p, ')'))
		*p = strchr(*p, ')') + 1;
	skip_space(p);
	return !**p;
}

static bool read_clock(const char **p, struct tm *tm, bool need_seconds)
{
	if (!read_num(p, 1, 2, &tm->tm_hour) || *(*p)++ != ':' ||
	    !read_num(p, 2, 2, &tm->tm_min))
		return false;
	if (**p != ':')
		return !need_seconds;
	(*p)++;
	return read_num(p, 2, 2, &tm->tm_sec);
}

static void skip_weekday(const char **p)
{
	size_t len = alpha_len(*p);

	if (find_name(*p, len, weekdays, ARRAY_SIZE(weekdays)) < 0)
		return;
	*p += len;
	skip_space(p);
	if (**p == ',')
		(*p)++;
	skip_space(p);
}

static int full_year(int y, const char *start, const char *end)
{
	if (end - start == 2)
		return y < 50 ? 2000 + y : 1900 + y;
	return end - start == 3 ? 1900 + y : y;
}

static time_t parse_rfc822(const char *p)
{
	struct tm tm = { 0 };
	const char *ystart;
	int year, off;

	skip_space(&p);
	skip_weekday(&p);
	if (!read_num(&p, 1, 2, &tm.tm_mday))
		return -1;
	skip_space(&p);
	if (*p == '-')
		p++;
	if (!read_month(&p, &tm.tm_mon))
		return -1;
	if (*p == '-')
		p++;
	skip_space(&p);
	ystart = p;
	if (!read_num(&p, 2, 4, &year))
		return -1;
	tm.tm_year = full_year(year, ystart, p) - 1900;
	skip_space(&p);
	if (isdigit((unsigned char)*p) && !read_clock(&p, &tm, false))
		return -1;
	if (!read_rfc822_zone(&p, &off))
		return -1;
	return make_time(&tm, off);
}

static bool read_iso_time(const char **p, struct tm *tm, int *off)
{
	int frac;

	if (!read_clock(p, tm, false))
		return false;
	if (**p == '.' || **p == ',') {
		(*p)++;
		if (!read_num(p, 1, 9, &frac))
			return false;
	}
	skip_space(p);
	if (**p == 'Z' || **p == 'z')
		(*p)++;
	else if ((**p == '+' || **p == '-') && !read_offset(p, off))
		return false;
	return true;
}

static time_t parse_iso8601(const char *p)
{
	struct tm tm = { 0 };
	int year, mon, off = 0;

	skip_space(&p);
	if (!read_num(&p, 4, 4, &year) || *p++ != '-' || !read_num(&p, 2, 2, &mon) ||
	    *p++ != '-' || !read_num(&p, 2, 2, &tm.tm_mday))
		return -1;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
		p++;
		if (!read_iso_time(&p, &tm, &off))
			return -1;
	}
	skip_space(&p);
	return *p ? -1 : make_time(&tm, off);
}

time_t feed_parse_date(const char *s)
{
	const char *p = s;

	if (!s)
		return -1;
	skip_space(&p);
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && p[4] == '-')
		return parse_iso8601(p);
	return parse_rfc822(p);
}

/* One duration field: digits, at most max_digits of them (0: no limit). */
static bool read_field(const char **p, int max_digits, long *out)
{
	long v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p)) {
		if ((max_digits && n >= max_digits) || v > (LONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (*(*p)++ - '0');
		n++;
	}
	*out = v;
	return n > 0;
}

long feed_parse_duration(const char *s)
{
	const char *p = s;
	long total = 0, field;
	int nr = 0;

	if (!s)
		return -1;
	skip_space(&p);
	do {
		if (nr && *p++ != ':')
			return -1;
		if (!read_field(&p, nr ? 2 : 0, &field) || (nr && field > 59) ||
		    total > (LONG_MAX - field) / 60)
			return -1;
		total = total * 60 + field;
	} while (++nr < 3 && *p == ':');
	if (*p == '.' && isdigit((unsigned char)p[1]))
		p += 1 + strspn(p + 1, "0123456789");
	skip_space(&p);
	return *p ? -1 : total;
}
