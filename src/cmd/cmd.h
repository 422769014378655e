/*
 * cmd.h - the subcommands, one file each (cmd_<name>.c).
 *
 * main() picks the subcommand by name and calls it with the arguments that
 * follow the name (argv[0] is the subcommand name, or the program name for
 * the default run command).  Each returns an exit code (enum pc_exit).
 * cmd_setup() is the common start of every subcommand: parse options in
 * their layers, set up logging and the crash handler from the config.
 */
#ifndef CMD_H
#define CMD_H

#include "cli/cli.h"
#include "config/config.h"

int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_transcribe(int argc, char **argv);
int cmd_summarize(int argc, char **argv);
int cmd_worker(int argc, char **argv);


/* Describes a subcommand's command line for cmd_setup and --help. */
struct cmd_usage {
	const char *usage;      /* "podcast_scraper doctor [OPTIONS]" */
	const char *summary;    /* a paragraph shown under the usage line */
	const struct cli_extra *extra;
	size_t nr_extra;
	bool all_options;       /* list the whole options table in --help */
	const char *role;       /* process role for logs and crash dumps */
};

/*
 * Parses argv into c (config_init'ed by the caller) and applies logging and
 * crash settings.  Returns -1 to go on, else the exit code to return now
 * (after --help, --version or an error, already reported).
 */
int cmd_setup(int argc, char **argv, struct config *c, const struct cmd_usage *u);

/* Reports a fatal error the way every command does (one log line). */
void cmd_error(const char *fmt, ...) PC_PRINTF(1, 2);

/*
 * A command's result: written atomically to out_path, or to stdout when
 * out_path is NULL.  Returns PC_EXIT_OK, or PC_EXIT_FATAL after reporting.
 */
int cmd_emit(const char *out_path, const struct sbuf *data);

/*
 * --watch (run_watch.c): runs cycle(c) every c->watch interval until SIGINT
 * or SIGTERM, rereading the configuration from argc/argv into c on SIGHUP.
 * Returns PC_EXIT_OK when stopped by a signal, PC_EXIT_USAGE for a bad
 * interval.  cycle must call cmd_watch_hold_signals() once the pipeline has
 * returned and before it restores the signals (pipeline_end_interrupts()).
 */
int cmd_watch(struct config *c, int argc, char **argv, const struct cmd_usage *u,
	      int (*cycle)(const struct config *c));
void cmd_watch_hold_signals(void);

/*
 * Keeps in feeds only those of shard spec ("K/N" or "auto", run_shard.c),
 * logging how many.  Returns 0, or -PC_EUSAGE with err naming --shard or the
 * environment variable at fault; feeds is then untouched.
 */
int cmd_shard_filter(const char *spec, struct strlist *feeds, struct sbuf *err);

#endif
