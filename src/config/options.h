/*
 * options.h - the options schema: one table, one row per config key.
 *
 * Each row names a field of struct config; from it follow the config key
 * (the field name: "max_episodes"), the long flag (--max-episodes, and
 * --no-X for booleans), the environment variable
 * (PODCAST_SCRAPER_MAX_EPISODES, plus a legacy name for a few), the help line
 * and the default shown in --help.  The schema belongs to config/, which
 * parses every layer with it; cli/ only maps argv onto it.
 *
 * Rows are written with the OPT_* macros below (after git's parse-options),
 * one per kind.  Each macro checks at compile time that the struct config
 * field has the C type its kind stores, and OPT_CHOICE checks that the list
 * of names has exactly one entry per value of its C enum, so a row cannot
 * write a long into an int or name a choice the enum lacks:
 *
 *	OPT_INT(workers, 'w', GROUP_NETWORK, "8", 1, 64, "N", "parallel transfers",
 *		.legacy_env = "WORKERS"),
 *
 * Optional fields follow the help text as designated initializers:
 * .legacy_env (another environment name), .alias (another key accepted),
 * .flags (OPT_SECRET, OPT_NO_FLAG).
 *
 * The table is sorted by key so lookups can bsearch; a unit test checks the
 * order and that docs/OPTIONS.md matches it.
 */
#ifndef CONFIG_OPTIONS_H
#define CONFIG_OPTIONS_H

#include "config/config.h"

#include <stddef.h>
#include <stdbool.h>

enum opt_type {
	OPTION_BOOL,      /* bool */
	OPTION_INT,       /* long, within [min, max] */
	OPTION_SIZE,      /* long long bytes; accepts K, M, G suffixes */
	OPTION_DOUBLE,    /* double, within [min, max] */
	OPTION_STRING,    /* char * */
	OPTION_PATH,      /* char *, a file-system path */
	OPTION_LIST,      /* struct strlist; repeatable; comma-separated in env */
	OPTION_CHOICE,    /* int, index into choices (the value of a C enum) */
	OPTION_DATE,      /* time_t, from YYYY-MM-DD or ISO 8601 */
	OPTION_TRISTATE,  /* int, enum tristate: auto | true | false */
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
	const char *const *choices; /* OPTION_CHOICE: NULL-terminated */
	int nr_choices;           /* OPTION_CHOICE: values of the C enum */
	double min, max;          /* OPTION_INT/OPTION_DOUBLE/OPTION_SIZE range */
	const char *metavar;
	const char *legacy_env;   /* e.g. "MPS_EXCLUSIVE"; NULL for none */
	const char *alias;        /* another key accepted for this one */
	unsigned flags;
	const char *help;
};

/*
 * offsetof(struct config, field), failing to compile unless the field has
 * type T.  The assertion sits in a struct inside sizeof, which keeps the
 * whole expression an integer constant usable in a static initializer.
 */
#define OPT_FIELD(field, T) \
	(offsetof(struct config, field) + 0 * sizeof(struct { \
		_Static_assert(__builtin_types_compatible_p( \
			__typeof__(((struct config *)0)->field), T), \
			"struct config field '" #field "' is not " #T); \
		char unused; }))

/* names (NULL-terminated) must hold exactly count names. */
#define OPT_CHOICES(names, count) \
	((names) + 0 * sizeof(struct { \
		_Static_assert(ARRAY_SIZE(names) == (size_t)(count) + 1, \
			#names " does not name every value of its enum (" #count ")"); \
		char unused; }))

#define OPT_ROW_(field, sh, kind, grp, T, dflt, h) \
	.key = #field, .short_name = (sh), .type = (kind), .group = (grp), \
	.offset = OPT_FIELD(field, T), .def = (dflt), .help = (h)

#define OPT_BOOL(field, sh, grp, dflt, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_BOOL, grp, bool, dflt, h), __VA_ARGS__ }
/* auto | true | false, stored as enum tristate. */
#define OPT_TRISTATE(field, sh, grp, dflt, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_TRISTATE, grp, int, dflt, h), __VA_ARGS__ }
#define OPT_INT(field, sh, grp, dflt, lo, hi, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_INT, grp, long, dflt, h), \
	  .min = (lo), .max = (hi), .metavar = (mv), __VA_ARGS__ }
#define OPT_SIZE(field, sh, grp, dflt, lo, hi, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_SIZE, grp, long long, dflt, h), \
	  .min = (lo), .max = (hi), .metavar = (mv), __VA_ARGS__ }
#define OPT_DOUBLE(field, sh, grp, dflt, lo, hi, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_DOUBLE, grp, double, dflt, h), \
	  .min = (lo), .max = (hi), .metavar = (mv), __VA_ARGS__ }
#define OPT_STRING(field, sh, grp, dflt, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_STRING, grp, char *, dflt, h), .metavar = (mv), __VA_ARGS__ }
#define OPT_PATH(field, sh, grp, dflt, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_PATH, grp, char *, dflt, h), .metavar = (mv), __VA_ARGS__ }
/* Lists start empty. */
#define OPT_LIST(field, sh, grp, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_LIST, grp, struct strlist, NULL, h), \
	  .metavar = (mv), __VA_ARGS__ }
/* Dates start unset. */
#define OPT_DATE(field, sh, grp, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_DATE, grp, time_t, NULL, h), .metavar = (mv), __VA_ARGS__ }
/* names: the enum's names, NULL-terminated, indexed by the enum; count: its values. */
#define OPT_CHOICE(field, sh, grp, dflt, names, count, mv, h, ...) \
	{ OPT_ROW_(field, sh, OPTION_CHOICE, grp, int, dflt, h), \
	  .choices = OPT_CHOICES(names, count), .nr_choices = (count), .metavar = (mv), __VA_ARGS__ }

/* The table (sorted by key) and its length. */
const struct opt_def *options_table(size_t *nr);
/* The entry for key or its alias, or NULL. */
const struct opt_def *options_find(const char *key);
const char *options_group_title(enum opt_group g);

/*
 * The Python podcast_scraper's names (config/compat.c).  A key of that tool
 * either is one of ours (options_find), or a compat row: COMPAT_KEY means the
 * same as our key target, COMPAT_NOTE is accepted with note saying what
 * happens instead (kept in config.compat_notes, logged once at startup).
 */
enum compat_kind { COMPAT_KEY, COMPAT_NOTE };
struct compat_row {
	const char *name;
	enum compat_kind kind;
	bool takes_value;     /* false: a switch (--X / --no-X, true/false) */
	const char *target;   /* COMPAT_KEY: our key */
	const char *note;     /* COMPAT_NOTE: what we do instead */
};
struct compat_env { const char *name, *key; };
struct compat_value { const char *key, *python, *ours, *note; };

const struct compat_row *compat_rows(size_t *nr);
/* The row for a Python key (or a key of a provider we lack), or NULL. */
const struct compat_row *compat_find(const char *key);
/* Records r's note for key in c. */
void compat_note(struct config *c, const char *key, const struct compat_row *r);
/* Our value for a Python value v of choice key (v itself if it is ours). */
const char *compat_value(struct config *c, const char *key, const char *v);
/* The Python tool's own environment variable names and the keys they set. */
const struct compat_env *compat_envs(size_t *nr);
/* Calls fn for every Python key that has a flag here (--key-name). */
void compat_each_key(void (*fn)(void *ctx, const char *key, bool takes_value), void *ctx);
/* Notes settings that the chosen engines do not read (after every layer). */
void compat_check_unused(struct config *c);
/* The known key nearest to key, for "did you mean", or NULL. */
const char *compat_suggest(const char *key);

#endif
