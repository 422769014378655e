/*
 * options.h - the one table of options.
 *
 * Each entry is a config key ("max_episodes"); from it follow the long flag
 * (--max-episodes, and --no-X for booleans), the environment variable
 * (PODCAST_SCRAPER_MAX_EPISODES, plus a legacy name for a few), the help
 * line and the default shown in --help.  The table is sorted by key so
 * lookups can bsearch; a unit test checks the order.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>
#include <stdbool.h>

enum opt_type {
	OPT_BOOL,      /* bool */
	OPT_INT,       /* long, within [min, max] */
	OPT_SIZE,      /* long long bytes; accepts K, M, G suffixes */
	OPT_DOUBLE,    /* double, within [min, max] */
	OPT_STRING,    /* char * */
	OPT_PATH,      /* char *, a file-system path */
	OPT_LIST,      /* struct strlist; repeatable; comma-separated in env */
	OPT_ENUM,      /* int, index into choices */
	OPT_DATE,      /* time_t, from YYYY-MM-DD or ISO 8601 */
	OPT_TRISTATE,  /* int enum tristate: auto | true | false */
};

enum opt_group {
	GROUP_FEEDS, GROUP_NETWORK, GROUP_TRANSCRIPTION, GROUP_SPEAKERS,
	GROUP_SUMMARIES, GROUP_REMOTE, GROUP_ROBUSTNESS, GROUP_LOGGING,
	GROUP__COUNT
};

enum opt_flags {
	OPT_SECRET = 1 << 0,    /* never shown, logged or written */
	OPT_NO_FLAG = 1 << 1,   /* no command-line flag (config/env only) */
};

struct opt_def {
	const char *key;
	char short_name;          /* 0 for none */
	enum opt_type type;
	enum opt_group group;
	size_t offset;            /* into struct config */
	const char *def;          /* default in text form; NULL for none */
	const char *const *choices; /* OPT_ENUM: NULL-terminated */
	double min, max;          /* OPT_INT/OPT_DOUBLE/OPT_SIZE range */
	const char *metavar;
	const char *legacy_env;   /* e.g. "MPS_EXCLUSIVE"; NULL for none */
	const char *alias;        /* another key accepted for this one */
	unsigned flags;
	const char *help;
};

/* The table (sorted by key) and its length. */
const struct opt_def *options_table(size_t *nr);
/* The entry for key or its alias, or NULL. */
const struct opt_def *options_find(const char *key);
/* The entry for a long flag name without dashes ("max-episodes"), or NULL. */
const struct opt_def *options_find_flag(const char *flag, bool *negated);
const char *options_group_title(enum opt_group g);

#endif
