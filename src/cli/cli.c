/*
 * cli.c - argv to struct config through getopt_long, in precedence layers.
 */
#include "cli/cli.h"
#include "config/options.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	ID_CONFIG = 1000, ID_HELP, ID_VERSION, ID_HELP_MARKDOWN, ID_HELP_MAN, ID_HELP_COMPLETION,
	ID_EXTRA = 2000,       /* + index into extras */
	ID_NEGATE = 4000,      /* + index into table: --no-X */
	ID_TABLE = 6000,       /* + index into table */
	ID_COMPAT = 10000,     /* + index into compat_keys: a Python tool's flag */
	ID_COMPAT_NEG = 14000, /* + index into compat_keys: --no-X of a switch */
};

/* One flag seen on the command line, applied after file and env. */
struct seen_flag {
	const struct opt_def *def;
	const char *compat_key; /* instead of def: a Python tool's key */
	const char *value;     /* NULL for a bare boolean */
	bool negated;
	char *flag;            /* "--workers", for messages */
};

struct parse_state {
	struct option *longopts;
	size_t nr_longopts;
	struct sbuf shortopts;
	struct seen_flag *flags;
	size_t nr_flags, alloc_flags;
	const char *config_path;
	struct strlist compat_keys;
	size_t alloc_longopts;
};

char *cli_flag_name(const char *key)
{
	char *s = pc_malloc(strlen(key) + 3);

	s[0] = s[1] = '-';
	for (size_t i = 0; ; i++) {
		s[i + 2] = key[i] == '_' ? '-' : key[i];
		if (!key[i])
			break;
	}
	return s;
}

char *cli_env_name(const char *key)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_adds(&sb, "PODCAST_SCRAPER_");
	for (const char *p = key; *p; p++)
		sbuf_addch(&sb, toupper((unsigned char)*p));
	return sbuf_detach(&sb, NULL);
}

static void add_longopt(struct parse_state *ps, size_t *alloc, const char *name,
			int has_arg, int id)
{
	PC_GROW(ps->longopts, *alloc, ps->nr_longopts + 2);
	ps->longopts[ps->nr_longopts].name = name;
	ps->longopts[ps->nr_longopts].has_arg = has_arg;
	ps->longopts[ps->nr_longopts].flag = NULL;
	ps->longopts[ps->nr_longopts].val = id;
	ps->nr_longopts++;
	memset(&ps->longopts[ps->nr_longopts], 0, sizeof(struct option));
}

static bool flag_takes_optional(const struct opt_def *d)
{
	return d->type == OPTION_BOOL || d->type == OPTION_TRISTATE;
}

/* --name (and --no-name for booleans) for key or its alias. */
static void add_flag_pair(struct parse_state *ps, size_t *alloc, size_t i,
			  const struct opt_def *d, const char *name)
{
	char *flag = cli_flag_name(name);
	int arg = flag_takes_optional(d) ? optional_argument : required_argument;

	add_longopt(ps, alloc, flag + 2, arg, ID_TABLE + (int)i);
	if (flag_takes_optional(d)) {
		char *neg = pc_malloc(strlen(flag) + 2);

		snprintf(neg, strlen(flag) + 2, "no-%s", flag + 2);
		add_longopt(ps, alloc, neg, no_argument, ID_NEGATE + (int)i);
	}
}

static void add_table_option(struct parse_state *ps, size_t *alloc, size_t i,
			     const struct opt_def *d)
{
	add_flag_pair(ps, alloc, i, d, d->key);
	if (d->alias)
		add_flag_pair(ps, alloc, i, d, d->alias);
	if (d->short_name) {
		sbuf_addch(&ps->shortopts, d->short_name);
		if (!flag_takes_optional(d))
			sbuf_addch(&ps->shortopts, ':');
	}
}

static bool owns_bare_name(int val)
{
	return (val >= ID_NEGATE && val < ID_TABLE) || val >= ID_COMPAT_NEG;
}

/* Names are allocated with 2 bytes of "--" in front; free from there. */
static void free_longopts(struct parse_state *ps, size_t first_owned)
{
	for (size_t i = first_owned; i < ps->nr_longopts; i++) {
		const char *name = ps->longopts[i].name;

		free((char *)(owns_bare_name(ps->longopts[i].val) ? name : name - 2));
	}
	free(ps->longopts);
}

static void add_compat_option(void *ctx, const char *key, bool takes_value)
{
	struct parse_state *ps = ctx;
	char *flag = cli_flag_name(key);
	int i = (int)ps->compat_keys.nr;

	strlist_push(&ps->compat_keys, key);
	add_longopt(ps, &ps->alloc_longopts, flag + 2,
		    takes_value ? required_argument : optional_argument, ID_COMPAT + i);
	if (!takes_value) {
		char *neg = pc_malloc(strlen(flag) + 2);

		snprintf(neg, strlen(flag) + 2, "no-%s", flag + 2);
		add_longopt(ps, &ps->alloc_longopts, neg, no_argument, ID_COMPAT_NEG + i);
	}
}

static size_t build_options(struct parse_state *ps, const struct cli_extra *extra,
			    size_t nr_extra)
{
	size_t alloc = 0, nr;
	const struct opt_def *t = options_table(&nr);

	sbuf_adds(&ps->shortopts, "hVc:");
	add_longopt(ps, &alloc, "config", required_argument, ID_CONFIG);
	add_longopt(ps, &alloc, "help", no_argument, ID_HELP);
	add_longopt(ps, &alloc, "version", no_argument, ID_VERSION);
	add_longopt(ps, &alloc, "help-markdown", no_argument, ID_HELP_MARKDOWN);
	add_longopt(ps, &alloc, "help-man", no_argument, ID_HELP_MAN);
	add_longopt(ps, &alloc, "help-completion", no_argument, ID_HELP_COMPLETION);
	for (size_t i = 0; i < nr_extra; i++) {
		add_longopt(ps, &alloc, extra[i].name,
			    extra[i].metavar ? required_argument : no_argument, ID_EXTRA + (int)i);
		if (extra[i].short_name) {
			sbuf_addch(&ps->shortopts, extra[i].short_name);
			if (extra[i].metavar)
				sbuf_addch(&ps->shortopts, ':');
		}
	}
	size_t first_owned = ps->nr_longopts;

	for (size_t i = 0; i < nr; i++)
		if (!(t[i].flags & OPT_NO_FLAG))
			add_table_option(ps, &alloc, i, &t[i]);
	ps->alloc_longopts = alloc;
	compat_each_key(add_compat_option, ps);
	return first_owned;
}

static int short_to_id(int ch, const struct cli_extra *extra, size_t nr_extra)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	switch (ch) {
	case 'h': return ID_HELP;
	case 'V': return ID_VERSION;
	case 'c': return ID_CONFIG;
	}
	for (size_t i = 0; i < nr_extra; i++)
		if (extra[i].short_name == ch)
			return ID_EXTRA + (int)i;
	for (size_t i = 0; i < nr; i++)
		if (t[i].short_name == ch)
			return ID_TABLE + (int)i;
	return -1;
}

static void remember_flag(struct parse_state *ps, const struct opt_def *d,
			  const char *value, bool negated)
{
	struct seen_flag *f;

	PC_GROW(ps->flags, ps->alloc_flags, ps->nr_flags + 1);
	f = &ps->flags[ps->nr_flags++];
	f->compat_key = NULL;
	f->def = d;
	f->value = value;
	f->negated = negated;
	f->flag = cli_flag_name(d->key);
	if (negated) {
		char *neg = pc_malloc(strlen(f->flag) + 4);

		snprintf(neg, strlen(f->flag) + 4, "--no-%s", f->flag + 2);
		free(f->flag);
		f->flag = neg;
	}
}

static void remember_compat(struct parse_state *ps, int i, const char *value, bool negated)
{
	struct seen_flag *f;

	PC_GROW(ps->flags, ps->alloc_flags, ps->nr_flags + 1);
	f = &ps->flags[ps->nr_flags++];
	f->def = NULL;
	f->compat_key = ps->compat_keys.items[i];
	f->value = value;
	f->negated = negated;
	f->flag = cli_flag_name(f->compat_key);
}

/* "--speker-names=x" -> the nearest flag, "--speaker-names", or NULL. */
static char *nearest_flag(const char *arg)
{
	char key[64];
	size_t n = 0;
	const char *near;

	if (strncmp(arg, "--", 2))
		return NULL;
	for (const char *p = arg + 2; *p && *p != '=' && n + 1 < sizeof(key); p++)
		key[n++] = *p == '-' ? '_' : *p;
	key[n] = '\0';
	near = compat_suggest(!strncmp(key, "no_", 3) ? key + 3 : key);
	return near ? cli_flag_name(near) : NULL;
}

static int unknown_option(char **argv, struct sbuf *err)
{
	const char *arg = argv[optind - 1];
	char *near;

	if (optopt && optopt < 256) {
		sbuf_setf(err, "option -%c: unknown or missing its value", optopt);
	} else {
		sbuf_setf(err, "option '%s': unknown or missing its value", arg);
		if ((near = nearest_flag(arg))) {
			sbuf_addf(err, " (did you mean '%s'?)", near);
			free(near);
		}
	}
	sbuf_adds(err, " (see --help)");
	return -PC_EUSAGE;
}

static int collect_flags(int argc, char **argv, struct parse_state *ps,
			 const struct cli_extra *extra, size_t nr_extra, struct sbuf *err)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);
	int ch, id;

	optind = 0;   /* full re-initialisation: cli_parse may run twice (tests) */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ps->shortopts.buf, ps->longopts, NULL)) != -1) {
		id = ch >= ID_CONFIG ? ch : short_to_id(ch, extra, nr_extra);
		if (ch == '?' || id < 0)
			return unknown_option(argv, err);
		if (id == ID_HELP)
			return CLI_HELP;
		if (id == ID_VERSION)
			return CLI_VERSION;
		if (id == ID_HELP_MARKDOWN)
			return CLI_HELP_MARKDOWN;
		if (id == ID_HELP_MAN)
			return CLI_HELP_MAN;
		if (id == ID_HELP_COMPLETION)
			return CLI_HELP_COMPLETION;
		if (id == ID_CONFIG)
			ps->config_path = optarg;
		else if (id >= ID_COMPAT_NEG)
			remember_compat(ps, id - ID_COMPAT_NEG, NULL, true);
		else if (id >= ID_COMPAT)
			remember_compat(ps, id - ID_COMPAT, optarg, false);
		else if (id >= ID_TABLE)
			remember_flag(ps, &t[id - ID_TABLE], optarg, false);
		else if (id >= ID_NEGATE)
			remember_flag(ps, &t[id - ID_NEGATE], NULL, true);
		else {
			char **v = extra[id - ID_EXTRA].value;

			free(*v);
			*v = pc_strdup(optarg ? optarg : "1");
		}
	}
	return CLI_RUN;
}

/* The key a flag sets; a second --rss adds a feed, as the Python tool's does. */
static const char *flag_key(const struct seen_flag *f, bool first_of_list)
{
	if (f->compat_key)
		return f->compat_key;
	if (!first_of_list && !strcmp(f->def->key, "rss"))
		return "feeds";
	return f->def->key;
}

static int apply_flags(struct config *c, const struct parse_state *ps, struct sbuf *err)
{
	for (size_t i = 0; i < ps->nr_flags; i++) {
		const struct seen_flag *f = &ps->flags[i];
		struct config_origin o = { NULL, 0, NULL, f->flag };
		const char *v = f->value;
		bool first_of_list = true;
		const char *key;
		int r;

		for (size_t j = 0; j < i; j++)
			if (ps->flags[j].def == f->def && ps->flags[j].compat_key == f->compat_key)
				first_of_list = false;
		if (!v)
			v = f->negated ? "false" : "true";
		key = flag_key(f, first_of_list);
		/* an extra --rss adds to the feeds, wherever those came from */
		if (f->def && key != f->def->key)
			first_of_list = false;
		r = config_set(c, key, v, &o, first_of_list, err);
		if (r < 0)
			return -PC_EUSAGE;
	}
	return 0;
}

static int load_layers(struct config *c, const struct parse_state *ps, struct sbuf *err)
{
	const char *path = ps->config_path ? ps->config_path : getenv("PODCAST_SCRAPER_CONFIG");
	int r;

	if (path && *path && (r = config_load_file(c, path, err)) < 0)
		return r == -PC_EUSAGE ? -PC_EFAIL : r;
	if ((r = config_load_env(c, err)) < 0)
		return r == -PC_EUSAGE ? -PC_EFAIL : r;
	if ((r = apply_flags(c, ps, err)) < 0)
		return r;
	/* skip_existing false asks to redo what is done, as --force does */
	if (!c->skip_existing)
		c->force = true;
	compat_check_unused(c);
	return config_validate(c, err) < 0 ? -PC_EFAIL : 0;
}

int cli_parse(int argc, char **argv, struct config *c,
	      const struct cli_extra *extra, size_t nr_extra, struct sbuf *err)
{
	struct parse_state ps = { 0 };
	size_t first_owned;
	int r;

	sbuf_init(&ps.shortopts, 256);
	first_owned = build_options(&ps, extra, nr_extra);
	r = collect_flags(argc, argv, &ps, extra, nr_extra, err);
	if (r == CLI_RUN) {
		for (int i = optind; i < argc; i++)
			strlist_push(&c->positional, argv[i]);
		r = load_layers(c, &ps, err);
	}
	for (size_t i = 0; i < ps.nr_flags; i++)
		free(ps.flags[i].flag);
	free(ps.flags);
	free_longopts(&ps, first_owned);
	strlist_release(&ps.compat_keys);
	sbuf_release(&ps.shortopts);
	return r;
}
