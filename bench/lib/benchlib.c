/* benchlib.c - the bench helpers' shared audio and measuring code (see benchlib.h). */
#include "benchlib.h"

#include "audio/audio.h"
#include "util/sbuf.h"

#include <string.h>
#include <sys/resource.h>

static int collect(const struct audio_chunk *c, void *udata)
{
	struct bench_pcm *p = udata;

	PC_GROW(p->s, p->alloc, p->n + c->n);
	memcpy(p->s + p->n, c->samples, c->n * sizeof(*c->samples));
	p->n += c->n;
	return 0;
}

int bench_pcm_load(const char *path, struct bench_pcm *p)
{
	struct sbuf err = SBUF_INIT(4096);
	int rc = audio_decode(path, NULL, collect, p, &err);

	if (rc)
		fprintf(stderr, "%s\n", err.buf);
	sbuf_release(&err);
	return rc;
}

/* v as that many little-endian bytes */
static void le(FILE *f, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		fputc((int)((v >> (8 * i)) & 0xff), f);
}

FILE *bench_wav_open(const char *path, uint64_t samples)
{
	FILE *f = fopen(path, "wb");
	uint32_t data = (uint32_t)(samples * 2);

	if (!f)
		return NULL;
	fwrite("RIFF", 1, 4, f);
	le(f, 36 + data, 4);
	fwrite("WAVEfmt ", 1, 8, f);
	le(f, 16, 4);           /* PCM header size */
	le(f, 1, 2);            /* PCM */
	le(f, 1, 2);            /* mono */
	le(f, AUDIO_RATE, 4);
	le(f, AUDIO_RATE * 2, 4);
	le(f, 2, 2);
	le(f, 16, 2);
	fwrite("data", 1, 4, f);
	le(f, data, 4);
	return f;
}

int bench_wav_write(const char *path, const struct bench_pcm *p)
{
	FILE *f = bench_wav_open(path, p->n);

	if (!f)
		return 1;
	if (fwrite(p->s, 2, p->n, f) != p->n) {
		fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

double bench_cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

double bench_peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}
