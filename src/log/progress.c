/*
 * progress.c - the progress board on stderr; see log.h.
 *
 * The board lives in the bottom rows of the terminal, under a scroll region
 * (DECSTBM) that ends above it, as apt draws its progress line: whatever is
 * printed to the terminal - our log lines, and those of worker processes
 * that share our stderr - scrolls inside the region and can never land in
 * the board, with no need to erase and redraw around every line.  The board
 * is drawn with the cursor saved and restored, so printing goes on where it
 * was.  Every line is cut to the terminal width minus one so none wraps.
 */
#include "log/log.h"
#include "log/internal.h"
#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REDRAW_EVERY_S 0.1
#define NAME_COLS_MAX 40
#define STAGE_COLS 12

struct item {
	const void *key;
	char *name;
	char *stage;
	long long bytes, bytes_total, bytes_first;
	double t_first;          /* when the first byte count came */
	double fraction;
};

static struct {
	bool on;
	struct item *items;
	size_t nr, alloc;
	long done, failed, total;
	double started, last_draw;
	int region_lines;        /* rows kept under the scroll region for the board */
	int rows;                /* the terminal's rows when the region was set */
} board;

/* ---- rendering (pure) ---- */

static void add_bytes(struct sbuf *sb, double n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (n >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		n /= 1024;
		u++;
	}
	if (u == 0)
		sbuf_addf(sb, "%.0f B", n);
	else
		sbuf_addf(sb, "%.1f %s", n, units[u]);
}

static void add_duration(struct sbuf *sb, double s)
{
	long t = (long)(s + 0.5);

	if (t < 60)
		sbuf_addf(sb, "%lds", t);
	else if (t < 3600)
		sbuf_addf(sb, "%ldm%02lds", t / 60, t % 60);
	else
		sbuf_addf(sb, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

/* Columns of a UTF-8 string, one per code point (continuation bytes skipped). */
static bool is_lead_byte(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

/* Appends s cut to cols columns, padded with spaces to cols when pad. */
static void add_col(struct sbuf *sb, const char *s, int cols, bool pad)
{
	int used = 0;
	const char *p = s;

	for (; *p; p++) {
		if (is_lead_byte((unsigned char)*p) && used++ == cols)
			break;
	}
	sbuf_add(sb, s, (size_t)(p - s));
	if (used > cols)
		used = cols;
	while (pad && used++ < cols)
		sbuf_addch(sb, ' ');
}

static void render_detail(const struct log_board_row *r, struct sbuf *sb)
{
	if (r->bytes >= 0) {
		add_bytes(sb, (double)r->bytes);
		if (r->bytes_total > 0) {
			sbuf_adds(sb, " of ");
			add_bytes(sb, (double)r->bytes_total);
			sbuf_addf(sb, " (%d%%)", (int)(r->bytes * 100 / r->bytes_total));
		}
		if (r->speed > 0) {
			sbuf_adds(sb, ", ");
			add_bytes(sb, r->speed);
			sbuf_adds(sb, "/s");
		}
	} else if (r->fraction >= 0) {
		sbuf_addf(sb, "%d%% of the audio", (int)(r->fraction * 100 + 0.5));
	}
}

static void render_row(const struct log_board_row *r, int name_cols, struct sbuf *sb)
{
	sbuf_adds(sb, "  ");
	add_col(sb, r->name ? r->name : "", name_cols, true);
	sbuf_adds(sb, "  ");
	add_col(sb, r->stage ? r->stage : "", STAGE_COLS, true);
	render_detail(r, sb);
}

static void render_total(const struct log_board *b, struct sbuf *sb)
{
	long finished = b->done + b->failed;

	sbuf_addf(sb, "episodes %ld/%ld done, %ld failed, %zu active", b->done,
		  b->total, b->failed, b->nr);
	if (finished >= b->total)
		return;
	sbuf_adds(sb, ", ETA ");
	if (finished > 0 && b->elapsed > 0)
		add_duration(sb, b->elapsed / (double)finished * (double)(b->total - finished));
	else
		sbuf_adds(sb, "--");
}

/* Appends line cut to the width, then a newline. */
static void add_line(struct sbuf *out, const struct sbuf *line, int width)
{
	add_col(out, line->buf, width > 1 ? width - 1 : 1, false);
	sbuf_addch(out, '\n');
}

void log_board_render(const struct log_board *b, struct sbuf *out)
{
	struct sbuf line = SBUF_INIT(4096);
	size_t shown = b->nr < LOG_BOARD_ROWS ? b->nr : LOG_BOARD_ROWS;
	int name_cols = b->width / 2 < NAME_COLS_MAX ? b->width / 2 : NAME_COLS_MAX;

	for (size_t i = 0; i < shown; i++) {
		sbuf_reset(&line);
		render_row(&b->rows[i], name_cols, &line);
		add_line(out, &line, b->width);
	}
	if (b->nr > shown) {
		sbuf_reset(&line);
		sbuf_addf(&line, "  ... and %zu more", b->nr - shown);
		add_line(out, &line, b->width);
	}
	sbuf_reset(&line);
	render_total(b, &line);
	add_line(out, &line, b->width);
	sbuf_release(&line);
}

/* ---- the live board ---- */

static void terminal_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10 && ws.ws_row > 4) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

static double item_speed(const struct item *it, double now)
{
	double dt = now - it->t_first;

	return dt > 0.5 ? (double)(it->bytes - it->bytes_first) / dt : 0;
}

static void snapshot(struct log_board *b, struct log_board_row *rows, int width,
		     double now)
{
	size_t n = board.nr < LOG_BOARD_ROWS ? board.nr : LOG_BOARD_ROWS;

	for (size_t i = 0; i < n; i++) {
		const struct item *it = &board.items[i];

		rows[i] = (struct log_board_row){ it->name, it->stage, it->bytes,
			it->bytes_total, item_speed(it, now), it->fraction };
	}
	*b = (struct log_board){ rows, board.nr, board.done, board.failed, board.total,
		now - board.started, width };
}

static bool board_visible(void)
{
	return board.on && !log_quiet_locked() && (board.nr || board.total);
}

/*
 * Makes the scroll region end `lines` rows above the bottom.  Growing, it
 * first scrolls the text up by the rows it takes (newlines at the cursor),
 * so nothing printed is hidden under the board.  Setting the region homes
 * the cursor, hence the save and restore around it.
 */
static void add_region(struct sbuf *out, int lines, int rows)
{
	int grow = lines - board.region_lines;

	for (int i = 0; i < grow; i++)
		sbuf_addch(out, '\n');
	sbuf_adds(out, "\0337");
	if (lines)
		sbuf_addf(out, "\033[1;%dr", rows - lines);
	else
		sbuf_adds(out, "\033[r");
	sbuf_adds(out, "\0338");
	if (grow > 0)
		sbuf_addf(out, "\033[%dA", grow);
	board.region_lines = lines;
	board.rows = rows;
}

/* Clears the rows under the scroll region, where the board is drawn. */
static void add_clear_below_region(struct sbuf *out, int lines, int rows)
{
	if (lines)
		sbuf_addf(out, "\0337\033[%d;1H\033[J\0338", rows - lines + 1);
}

/* Draws the board text (lines ending in '\n') in the rows under the region. */
static void add_board_text(struct sbuf *out, const char *text, int rows)
{
	int row = rows - board.region_lines + 1;

	sbuf_adds(out, "\0337");
	for (const char *p = text, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		sbuf_addf(out, "\033[%d;1H\033[2K", row++);
		sbuf_add(out, p, (size_t)(nl - p));
	}
	sbuf_adds(out, "\0338");
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void draw_locked(void)
{
	struct log_board_row rows[LOG_BOARD_ROWS];
	struct sbuf text = SBUF_INIT(65536), out = SBUF_INIT(65536);
	struct log_board b;
	int cols, nrows, lines;

	terminal_size(&cols, &nrows);
	snapshot(&b, rows, cols, time_mono());
	log_board_render(&b, &text);
	lines = count_lines(text.buf);
	if (lines > nrows / 2)
		lines = 0;      /* too small a terminal: no board */
	if (lines != board.region_lines || nrows != board.rows) {
		add_clear_below_region(&out, board.region_lines, board.rows);
		add_region(&out, lines, nrows);
	}
	if (lines)
		add_board_text(&out, text.buf, nrows);
	log_write_stderr(out.buf, out.len);
	board.last_draw = time_mono();
	sbuf_release(&text);
	sbuf_release(&out);
}

/* Gives the rows back to the text and clears them. */
static void release_locked(void)
{
	struct sbuf out = SBUF_INIT(256);

	if (board.region_lines) {
		add_clear_below_region(&out, board.region_lines, board.rows);
		add_region(&out, 0, board.rows);
		log_write_stderr(out.buf, out.len);
	}
	sbuf_release(&out);
}

/* Redraws now when forced, else at most every REDRAW_EVERY_S. */
static void redraw_locked(bool force)
{
	if (!force && time_mono() - board.last_draw < REDRAW_EVERY_S)
		return;
	if (board_visible())
		draw_locked();
	else
		release_locked();
}

/* A process ending with the board up must not leave the terminal's region set. */
static void release_at_exit(void)
{
	log_lock_take();
	release_locked();
	log_lock_give();
}

static struct item *find_item(const void *key)
{
	for (size_t i = 0; i < board.nr; i++)
		if (board.items[i].key == key)
			return &board.items[i];
	return NULL;
}

static void item_reset(struct item *it, const char *stage)
{
	free(it->stage);
	it->stage = pc_strdup(stage);
	it->bytes = -1;
	it->bytes_total = 0;
	it->fraction = -1;
}

void log_progress_enable(bool on)
{
	static bool registered;

	log_lock_take();
	board.on = on && isatty(STDERR_FILENO);
	if (board.on && !registered)
		registered = atexit(release_at_exit) == 0;
	board.started = time_mono();
	log_lock_give();
}

void log_progress_item(const void *key, const char *name, const char *stage)
{
	struct item *it;

	log_lock_take();
	if (!board.on)
		goto out;
	it = find_item(key);
	if (!it) {
		PC_GROW(board.items, board.alloc, board.nr + 1);
		it = &board.items[board.nr++];
		*it = (struct item){ .key = key, .name = pc_strdup(name ? name : "") };
	}
	item_reset(it, stage);
	redraw_locked(true);
out:
	log_lock_give();
}

void log_progress_bytes(const void *key, long long done, long long total)
{
	struct item *it;

	log_lock_take();
	it = board.on ? find_item(key) : NULL;
	if (it) {
		if (it->bytes < 0) {
			it->bytes_first = done;
			it->t_first = time_mono();
		}
		it->bytes = done;
		it->bytes_total = total;
		redraw_locked(false);
	}
	log_lock_give();
}

void log_progress_fraction(const void *key, double fraction)
{
	struct item *it;

	log_lock_take();
	it = board.on ? find_item(key) : NULL;
	if (it) {
		it->fraction = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
		redraw_locked(false);
	}
	log_lock_give();
}

void log_progress_item_end(const void *key)
{
	struct item *it;

	log_lock_take();
	it = board.on ? find_item(key) : NULL;
	if (it) {
		free(it->name);
		free(it->stage);
		/* memmove, not swap-remove: rows keep their places on the screen */
		memmove(it, it + 1, (size_t)(board.items + --board.nr - it) * sizeof(*it));
		redraw_locked(true);
	}
	log_lock_give();
}

void log_progress_totals(long done, long failed, long total)
{
	log_lock_take();
	if (board.on && (done != board.done || failed != board.failed ||
			 total != board.total)) {
		board.done = done;
		board.failed = failed;
		board.total = total;
		redraw_locked(true);
	}
	log_lock_give();
}

void log_progress_done(void)
{
	log_lock_take();
	release_locked();
	for (size_t i = 0; i < board.nr; i++) {
		free(board.items[i].name);
		free(board.items[i].stage);
	}
	free(board.items);
	board.items = NULL;
	board.nr = board.alloc = 0;
	board.done = board.failed = board.total = 0;
	log_lock_give();
}
