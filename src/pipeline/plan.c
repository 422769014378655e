/*
 * plan.c - which items of a parsed feed are this run's episodes, and the
 * stems their files get, all decided before any episode starts.
 *
 * Items are episodes by their id (the guid): a second item with an id seen
 * before would be processed at the same time as the first into one state
 * row and the same files, so it is dropped with a warning naming both.
 * Ids hide credentials (store_episode_id()), so GUIDs that differ only in a
 * token are one episode too: the state could not tell them apart.
 * Stems are reserved in feed order, in one go, so two episodes that would
 * share a stem never run with the same one (store_state_reserve_stems()).
 */
#include "pipeline/internal.h"
#include "log/log.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void no_free(void *p)
{
	(void)p;
}

static const char *title_of(const struct episode *ep)
{
	return ep->title && *ep->title ? ep->title : "(untitled)";
}

static void warn_duplicate(const struct feed_job *fj, size_t first, size_t dup, const char *id)
{
	const struct episode *a = &fj->feed.episodes[first], *b = &fj->feed.episodes[dup];

	log_warn("feed", "feed '%s': items %zu and %zu share the %s '%s' ('%s' and '%s'); "
		 "only the first is processed", fj->url, first + 1, dup + 1,
		 b->guid && *b->guid ? "GUID" : "id (no GUID; same title, date and link)",
		 id, title_of(a), title_of(b));
}

/*
 * The id of every item into ids[] (caller frees each), NULL for an item
 * whose id an earlier item has.
 */
static void item_ids(const struct feed_job *fj, char **ids)
{
	void *seen = NULL;

	for (size_t i = 0; i < fj->feed.nr_episodes; i++) {
		void *hit;

		ids[i] = store_episode_id(&fj->feed.episodes[i], fj->url);
		hit = tsearch(&ids[i], &seen, cmp_id);
		if (!hit)
			BUG("out of memory");
		if (*(char ***)hit == &ids[i])
			continue;
		warn_duplicate(fj, (size_t)(*(char ***)hit - ids), i, ids[i]);
		pc_freep(&ids[i]);
	}
	tdestroy(seen, no_free);
}

static void select_episodes(struct feed_job *fj, char **ids)
{
	const struct config *c = fj->run->cfg;
	size_t n = 0;

	for (size_t i = 0; i < fj->feed.nr_episodes; i++) {
		struct episode_job *ej;

		if (!ids[i] || !episode_selected(c, &fj->feed.episodes[i]))
			continue;
		if (c->max_episodes && (long)n >= c->max_episodes)
			break;
		ej = &fj->episodes[n++];
		ej->fj = fj;
		ej->ep = &fj->feed.episodes[i];
		ej->position = (long)i;
		ej->id = ids[i];
		ids[i] = NULL;
		ej->segments = (struct segment_list)SEGMENT_LIST_INIT;
	}
	fj->nr_episodes = n;
}

/* Says why an episode's stem is not the usual one. */
static void log_stem(const struct episode_job *ej, const struct store_stem_plan *p)
{
	char *usual;

	if (p->redo)
		log_warn("feed", "episode '%s' (%s): an earlier run wrote it under a stem it "
			 "also gave another episode; its files are made again as '%s'",
			 title_of(ej->ep), ej->id, p->stem);
	if (!p->lengthened)
		return;
	usual = store_episode_stem(ej->ep, ej->id);
	log_info("feed", "episode '%s' (%s): stem '%s' belongs to another episode; "
		 "its files are named '%s'", title_of(ej->ep), ej->id, usual, p->stem);
	free(usual);
}

static int reserve_stems(struct feed_job *fj, struct sbuf *err)
{
	size_t n = fj->nr_episodes;
	struct store_stem_plan *plan = pc_calloc(n ? n : 1, sizeof(*plan));
	int r;

	for (size_t i = 0; i < n; i++) {
		plan[i].ep = fj->episodes[i].ep;
		plan[i].episode_id = fj->episodes[i].id;
	}
	/* a dry run shows the stems a real run would give, recording nothing */
	r = (fj->run->cfg->dry_run ? store_state_preview_stems :
	     store_state_reserve_stems)(fj->state, plan, n, err);
	for (size_t i = 0; !r && i < n; i++) {
		fj->episodes[i].stem = plan[i].stem;
		log_stem(&fj->episodes[i], &plan[i]);
	}
	free(plan);
	return r;
}

int feedjob_plan(struct feed_job *fj, struct sbuf *err)
{
	size_t nr_items = fj->feed.nr_episodes;
	char **ids = pc_calloc(nr_items ? nr_items : 1, sizeof(*ids));
	int r;

	fj->episodes = pc_calloc(nr_items ? nr_items : 1, sizeof(*fj->episodes));
	item_ids(fj, ids);
	select_episodes(fj, ids);
	for (size_t i = 0; i < nr_items; i++)
		free(ids[i]);
	free(ids);
	r = reserve_stems(fj, err);
	if (r < 0) {
		for (size_t i = 0; i < fj->nr_episodes; i++)
			episode_release(&fj->episodes[i]);
		fj->nr_episodes = 0;
	}
	return r;
}
