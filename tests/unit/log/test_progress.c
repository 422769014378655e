/* Unit tests for the progress board renderer (log_board_render). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "log/log.h"

static char *render(const struct log_board *b)
{
	struct sbuf out = SBUF_INIT(1 << 16);

	log_board_render(b, &out);
	return sbuf_detach(&out, NULL);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void download_row_shows_bytes_and_speed(void **state)
{
	struct log_board_row row = { "Episode one", "download", 1 << 20, 4 << 20,
				     512 * 1024, -1 };
	struct log_board b = { &row, 1, 0, 0, 3, 0, 120 };
	char *s = render(&b);

	(void)state;
	assert_int_equal(count_lines(s), 2);
	assert_non_null(strstr(s, "Episode one"));
	assert_non_null(strstr(s, "download"));
	assert_non_null(strstr(s, "1.0 MiB of 4.0 MiB (25%), 512.0 KiB/s"));
	assert_non_null(strstr(s, "episodes 0/3 done, 0 failed, 1 active, ETA --\n"));
	free(s);
}

static void transcribe_row_shows_percent_of_audio(void **state)
{
	struct log_board_row row = { "Episode two", "transcribe", -1, 0, 0, 0.42 };
	struct log_board b = { &row, 1, 1, 0, 2, 10, 120 };
	char *s = render(&b);

	(void)state;
	assert_non_null(strstr(s, "transcribe"));
	assert_non_null(strstr(s, "42% of the audio"));
	assert_null(strstr(s, "B/s"));
	free(s);
}

/* 4 of 10 finished in 40 s: 6 left at 10 s each. */
static void total_line_counts_and_eta(void **state)
{
	struct log_board b = { NULL, 0, 3, 1, 10, 40, 120 };
	char *s = render(&b);

	(void)state;
	assert_string_equal(s, "episodes 3/10 done, 1 failed, 0 active, ETA 1m00s\n");
	free(s);
}

static void finished_board_has_no_eta(void **state)
{
	struct log_board b = { NULL, 0, 9, 1, 10, 40, 120 };
	char *s = render(&b);

	(void)state;
	assert_null(strstr(s, "ETA"));
	free(s);
}

static void extra_rows_are_summarised(void **state)
{
	struct log_board_row rows[LOG_BOARD_ROWS + 2];
	struct log_board b = { rows, ARRAY_SIZE(rows), 0, 0, 20, 1, 120 };
	char *s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		rows[i] = (struct log_board_row){ "ep", "summarize", -1, 0, 0, -1 };
	s = render(&b);
	assert_int_equal(count_lines(s), LOG_BOARD_ROWS + 2);
	assert_non_null(strstr(s, "... and 2 more\n"));
	free(s);
}

/* Columns of a line, one per UTF-8 code point. */
static int columns(const char *p, const char *end)
{
	int n = 0;

	for (; p < end; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	return n;
}

/* A wrapped line would break the redraw: every line fits in width - 1. */
static void lines_are_cut_to_the_width_on_code_points(void **state)
{
	const char *title = "\xc3\x89pisode tr\xc3\xa8s tr\xc3\xa8s long "
			    "\xe2\x80\x94 with a title that goes on and on and on";
	struct log_board_row row = { title, "download", 123456789, 987654321, 1e6, -1 };
	struct log_board b = { &row, 1, 0, 0, 1000, 5, 30 };
	char *s = render(&b);

	(void)state;
	for (char *p = s, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		assert_true(columns(p, nl) <= 29);
		assert_true(((unsigned char)nl[-1] & 0xC0) != 0xC0);  /* no cut lead byte */
	}
	assert_non_null(strstr(s, "\xc3\x89pisode"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(download_row_shows_bytes_and_speed),
		cmocka_unit_test(transcribe_row_shows_percent_of_audio),
		cmocka_unit_test(total_line_counts_and_eta),
		cmocka_unit_test(finished_board_has_no_eta),
		cmocka_unit_test(extra_rows_are_summarised),
		cmocka_unit_test(lines_are_cut_to_the_width_on_code_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
