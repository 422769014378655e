/* Unit tests for timeutil: intervals for --watch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/timeutil.h"

static long interval(const char *s)
{
	long v = -7;

	return time_parse_interval(s, &v) == 0 ? v : -1;
}

static void intervals_with_units(void **state)
{
	(void)state;
	assert_int_equal(interval("90s"), 90);
	assert_int_equal(interval("30m"), 1800);
	assert_int_equal(interval("6h"), 21600);
	assert_int_equal(interval("2d"), 172800);
	assert_int_equal(interval("45"), 45);
	assert_int_equal(interval("366d"), 366L * 86400);
}

static void bad_intervals_are_refused(void **state)
{
	(void)state;
	assert_int_equal(interval("0s"), -1);
	assert_int_equal(interval("-5m"), -1);
	assert_int_equal(interval("5x"), -1);
	assert_int_equal(interval("5mm"), -1);
	assert_int_equal(interval("m"), -1);
	assert_int_equal(interval(""), -1);
	assert_int_equal(interval("367d"), -1);
	assert_int_equal(interval("99999999999999999999s"), -1);
	assert_int_equal(interval(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intervals_with_units),
		cmocka_unit_test(bad_intervals_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
