/*
 * threads.c - the table of registered threads and their stage context; see
 * crash.h.
 *
 * A fixed table, so the crash handler can walk it without locks or
 * allocation.  A slot is claimed with a compare-and-swap on `used` and
 * released by clearing it after the rest is torn down.  Each thread gets its
 * own alternate signal stack, so a stack overflow still produces a report;
 * the stack it replaces (a sanitizer's, say) is put back at thread exit,
 * because whoever made that one will also free it.
 */
#include "crash/internal.h"
#include "log/log.h"
#include "util/redact.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Enough for libbacktrace's DWARF lookups, even with sanitizer frames. */
#define CRASH_STACK_SIZE (256 * 1024)

struct crash_thread crash_threads[CRASH_MAX_THREADS];
static __thread int my_slot = -1;

int crash_thread_slot(void)
{
	return my_slot;
}

static int claim_slot(void)
{
	for (int i = 0; i < CRASH_MAX_THREADS; i++) {
		int expected = 0;

		if (atomic_compare_exchange_strong(&crash_threads[i].used, &expected, 1))
			return i;
	}
	return -1;
}

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void stack_setup(struct crash_thread *t)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = CRASH_STACK_SIZE + (size_t)page;
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	stack_t ss = { .ss_size = CRASH_STACK_SIZE };

	if (map == MAP_FAILED) {
		log_warn("crash", "no alternate signal stack for thread '%s': %s",
			 t->name, strerror(errno));
		return;
	}
	mprotect(map, (size_t)page, PROT_NONE);  /* an overflow faults, not corrupts */
	ss.ss_sp = (char *)map + page;
	if (sigaltstack(&ss, &t->old_stack) < 0) {
		munmap(map, size);
		return;
	}
	t->stack_map = map;
	t->stack_map_size = size;
}

static void stack_teardown(struct crash_thread *t)
{
	stack_t off = { .ss_flags = SS_DISABLE };

	if (!t->stack_map)
		return;
	if (t->old_stack.ss_flags & SS_DISABLE)
		sigaltstack(&off, NULL);
	else
		sigaltstack(&t->old_stack, NULL);
	munmap(t->stack_map, t->stack_map_size);
	t->stack_map = NULL;
}

void crash_thread_init(const char *thread_name)
{
	struct crash_thread *t;

	if (my_slot < 0) {
		int slot = claim_slot();

		if (slot < 0) {
			log_debug("crash", "thread table full: '%s' is not registered",
				  thread_name ? thread_name : "thread");
			return;
		}
		t = &crash_threads[slot];
		t->stage = -1;
		t->episode[0] = '\0';
		t->tid = gettid();
		copy_field(t->name, sizeof(t->name), thread_name ? thread_name : "thread");
		stack_setup(t);
		my_slot = slot;
		return;
	}
	copy_field(crash_threads[my_slot].name, CRASH_NAME_MAX,
		   thread_name ? thread_name : "thread");
}

void crash_thread_exit(void)
{
	struct crash_thread *t;

	if (my_slot < 0)
		return;
	t = &crash_threads[my_slot];
	stack_teardown(t);
	t->tid = 0;
	atomic_store(&t->used, 0);
	my_slot = -1;
}

/*
 * The episode id as documents show it (a GUID may be a URL with a token),
 * redacted here because the handler must not allocate.  Redacting is
 * idempotent, so an id that is already redacted comes out the same.
 */
static void copy_episode(char *dst, size_t size, const char *id)
{
	char *shown = id && strstr(id, "://") ? redact_text(id) : NULL;

	copy_field(dst, size, shown ? shown : id);
	free(shown);
}

void crash_context_set(enum stage stage, const char *episode_id)
{
	struct crash_thread *t;

	if (my_slot < 0)
		crash_thread_init(NULL);
	if (my_slot < 0)
		return;
	t = &crash_threads[my_slot];
	t->stage = (int)stage;
	copy_episode(t->episode, sizeof(t->episode), episode_id);
}

void crash_stage_enter(enum stage stage, const char *episode_id)
{
	crash_context_set(stage, episode_id);
	if (episode_id)
		log_debug("stage", "%s begins for episode %s", stage_name(stage),
			  episode_id);
	else
		log_debug("stage", "%s begins", stage_name(stage));
	crash_inject_check(stage);
}

/* Only the forking thread exists in the child; its stack mapping came along. */
void crash_threads_after_fork(void)
{
	for (int i = 0; i < CRASH_MAX_THREADS; i++) {
		if (i == my_slot)
			crash_threads[i].tid = gettid();
		else if (atomic_load(&crash_threads[i].used))
			atomic_store(&crash_threads[i].used, 0);
	}
}
