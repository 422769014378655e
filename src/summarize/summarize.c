/*
 * summarize.c - the engine table and the summarizer handle; see summarize.h.
 */
#include "summarize/summarize.h"

#include <stdlib.h>
#include <string.h>

/* Every engine built in; remote ones add themselves here. */
static const struct summarize_engine *const engines[] = {
	&summarize_textrank_engine,
	&summarize_openai_engine,
};

const struct summarize_engine *summarize_engine_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(engines); i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

static void known_engines(struct sbuf *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(engines); i++)
		sbuf_addf(err, "%s%s", i ? ", " : "", engines[i]->name);
}

int summarize_open(struct summarizer *s, const char *name,
		   const struct summarize_config *cfg, struct sbuf *err)
{
	static const struct summarize_config none;
	const struct summarize_engine *e = summarize_engine_find(name);
	void *state = NULL;
	int ret;

	if (!e) {
		sbuf_addf(err, "summary provider '%s': unknown (known: ", name ? name : "");
		known_engines(err);
		sbuf_addch(err, ')');
		return -PC_EUSAGE;
	}
	ret = e->open(cfg ? cfg : &none, &state, err);
	if (ret < 0)
		return ret;
	s->engine = e;
	s->state = state;
	return 0;
}

int summarize_run(struct summarizer *s, const char *cleaned,
		  const struct summarize_options *o, struct summary *out, struct sbuf *err)
{
	static const struct summarize_options defaults = SUMMARIZE_OPTIONS_INIT;

	if (!s->engine) {
		sbuf_adds(err, "summarizer: no engine open");
		return -PC_EUSAGE;
	}
	if (!o)
		o = &defaults;
	if (o->summary_sentences < 1) {
		sbuf_addf(err, "summary_sentences: %d is not a positive count",
			  o->summary_sentences);
		return -PC_EUSAGE;
	}
	return s->engine->summarize(s->state, cleaned ? cleaned : "", o, out, err);
}

void summarize_set_speakers(struct summarizer *s, const char *const *names, size_t n)
{
	if (s->engine && s->engine->set_speakers)
		s->engine->set_speakers(s->state, names, n);
}

void summarize_close(struct summarizer *s)
{
	if (s->engine)
		s->engine->close(s->state);
	s->engine = NULL;
	s->state = NULL;
}

void summary_release(struct summary *s)
{
	free(s->short_summary);
	free(s->provider);
	strlist_release(&s->key_points);
	memset(s, 0, sizeof(*s));
}
