/*
 * cmd_setup.c - what every subcommand does first: options, logging, crash
 * handler; and the one way errors reach the user.
 */
#include "cmd/cmd.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, "main", fmt, ap);
	va_end(ap);
}

int cmd_emit(const char *out_path, const struct sbuf *data)
{
	struct sbuf err = SBUF_INIT(4096);
	int r = 0;

	if (!out_path)
		fwrite(data->buf, 1, data->len, stdout);
	else if ((r = fs_write_atomic(out_path, data->buf, data->len, &err)) < 0)
		cmd_error("%s", err.buf);
	sbuf_release(&err);
	return r < 0 ? PC_EXIT_FATAL : PC_EXIT_OK;
}

static int apply_logging(const struct config *c, const char *role)
{
	struct log_options lo;
	struct sbuf err = SBUF_INIT(4096);
	int r;

	config_log_options(c, role, &lo);
	r = log_setup(&lo, &err);

	if (r < 0)
		cmd_error("%s", err.buf);
	sbuf_release(&err);
	log_progress_enable(c->progress == TRI_ON ||
			    (c->progress == TRI_AUTO && isatty(STDERR_FILENO)));
	return r;
}

/* The crash handler again, now with crash_dir and crash_handler from the config. */
static int apply_crash_options(const struct config *c, const char *role)
{
	struct crash_options co = { c->crash_handler, c->crash_dir, role, PC_VERSION };
	struct sbuf err = SBUF_INIT(4096);
	int r = crash_install(&co, &err);

	if (r < 0)
		cmd_error("%s", err.buf);
	sbuf_release(&err);
	return r;
}

int cmd_setup(int argc, char **argv, struct config *c, const struct cmd_usage *u)
{
	struct sbuf err = SBUF_INIT(8192);
	int r;

	crash_context_set(STAGE_CONFIG, NULL);
	r = cli_parse(argc, argv, c, u->extra, u->nr_extra, &err);

	switch (r) {
	case CLI_HELP:
		cli_print_help(stdout, u->usage, u->summary, u->extra, u->nr_extra,
			       u->all_options);
		r = PC_EXIT_OK;
		break;
	case CLI_VERSION:
		printf("podcast_scraper %s\n", PC_VERSION);
		r = PC_EXIT_OK;
		break;
	case CLI_HELP_MARKDOWN:
		cli_print_options_markdown(stdout);
		r = PC_EXIT_OK;
		break;
	case CLI_HELP_MAN:
		cli_print_man(stdout);
		r = PC_EXIT_OK;
		break;
	case CLI_HELP_COMPLETION:
		cli_print_bash_completion(stdout);
		r = PC_EXIT_OK;
		break;
	case CLI_RUN:
		r = apply_logging(c, u->role) < 0 || apply_crash_options(c, u->role) < 0 ?
		    PC_EXIT_FATAL : -1;
		for (size_t i = 0; r < 0 && i < c->compat_notes.nr; i++)
			log_warn("config", "%s", c->compat_notes.items[i]);
		if (r < 0)
			crash_stage_enter(STAGE_CONFIG, NULL);
		break;
	default:
		cmd_error("%s", err.buf);
		r = r == -PC_EUSAGE ? PC_EXIT_USAGE : PC_EXIT_FATAL;
		break;
	}
	sbuf_release(&err);
	return r;
}
