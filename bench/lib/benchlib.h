/*
 * benchlib.h - what the C bench helpers share (bench/lib/lib.sh compiles
 * benchlib.c into each): audio decoded to 16 kHz mono samples, WAV files
 * written from samples, and the process's own CPU time and peak memory.
 */
#ifndef BENCHLIB_H
#define BENCHLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bench_pcm {
	int16_t *s;             /* AUDIO_RATE samples a second, mono */
	size_t n, alloc;
};

/* Appends the decoded samples of the audio file at path; prints why not. */
int bench_pcm_load(const char *path, struct bench_pcm *p);

/*
 * Creates a 16-bit mono WAV file at path and writes its header for samples
 * samples; the caller writes them and closes the file.  NULL on failure.
 */
FILE *bench_wav_open(const char *path, uint64_t samples);

/* Writes p to a WAV file at path; 0 or 1 on failure. */
int bench_wav_write(const char *path, const struct bench_pcm *p);

/* User plus system CPU seconds of this process so far. */
double bench_cpu_seconds(void);

/* Peak resident memory of this process so far, in MB. */
double bench_peak_rss_mb(void);

#endif
