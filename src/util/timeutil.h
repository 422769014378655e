/*
 * timeutil.h - clocks and timestamps.
 */
#ifndef TIMEUTIL_H
#define TIMEUTIL_H

#include <time.h>

#define TIME_ISO_LEN 32

/* Seconds on the monotonic clock (for durations). */
double time_mono(void);
/* "2026-01-31T12:00:00Z" for t (UTC). */
void time_iso8601(time_t t, char out[TIME_ISO_LEN]);
/* Same with milliseconds, for log lines: "2026-01-31T12:00:00.123Z". */
void time_iso8601_ms_now(char out[TIME_ISO_LEN]);
/*
 * An interval such as "90s", "30m", "6h", "1d" (a bare number is seconds)
 * into *seconds; 0, or -1 when s is not one or is 0 or over 366 days.
 */
int time_parse_interval(const char *s, long *seconds);
/* Sleeps ms milliseconds, resuming after signals. */
void time_sleep_ms(long ms);

#endif
