/*
 * alloc.c - the allocator wrappers every module uses (see pc.h).
 *
 * Running out of memory is not an error a podcast pipeline can recover from
 * in a meaningful way, so we abort: the crash handler records where.
 */
#include "util/pc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*oom_hook)(size_t n);

void pc_set_oom_hook(void (*hook)(size_t n))
{
	oom_hook = hook;
}

static PC_NORETURN void out_of_memory(size_t n)
{
	static const char msg[] = "podcast_scraper: out of memory\n";

	if (oom_hook)
		oom_hook(n);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing left to report with */
	}
	abort();
}

void *pc_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *pc_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		out_of_memory(nmemb * size);
	return p;
}

void *pc_realloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

char *pc_strdup(const char *s)
{
	return pc_strndup(s, strlen(s));
}

char *pc_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = pc_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void pc_grow(void **p, size_t *alloc, size_t want, size_t elem)
{
	size_t n;

	if (want <= *alloc)
		return;
	n = *alloc ? *alloc * 2 : 8;
	if (n < want)
		n = want;
	if (n > SIZE_MAX / elem)
		out_of_memory(SIZE_MAX);
	*p = pc_realloc(*p, n * elem);
	memset((char *)*p + *alloc * elem, 0, (n - *alloc) * elem);
	*alloc = n;
}

void pc_freep(void *pp)
{
	void **p = pp;

	free(*p);
	*p = NULL;
}

void pc_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);	/* checksrc: ok, last words */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);	/* checksrc: ok */
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

const char *pc_strerror(int code)
{
	static const char *const names[] = {
		[PC_EFAIL - PC_EFAIL] = "failed",
		[PC_ETOOBIG - PC_EFAIL] = "too large",
		[PC_EPARSE - PC_EFAIL] = "malformed input",
		[PC_ENOTFOUND - PC_EFAIL] = "not found",
		[PC_EUSAGE - PC_EFAIL] = "invalid usage",
		[PC_ENET - PC_EFAIL] = "network error",
		[PC_EHTTP - PC_EFAIL] = "HTTP error",
		[PC_EHOSTILE - PC_EFAIL] = "hostile input rejected",
		[PC_EINTR - PC_EFAIL] = "interrupted",
		[PC_ECRASH - PC_EFAIL] = "worker crashed",
		[PC_ETIMEOUT - PC_EFAIL] = "timed out",
	};
	int c = code < 0 ? -code : code;

	if (c >= PC_EFAIL && c - PC_EFAIL < (int)ARRAY_SIZE(names))
		return names[c - PC_EFAIL];
	return strerror(c);
}
