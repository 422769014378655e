/*
 * testaudio.h - fixtures for audio and speech tests, made at run time:
 * speech from flite, silence and noise, WAV files, and other formats
 * encoded in-process with libavcodec (there is no ffmpeg program).
 */
#ifndef TESTAUDIO_H
#define TESTAUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct samples {
	int16_t *s;
	size_t n;
	size_t alloc;
};

/* mkdtemp under /tmp; returns a malloc'd path. */
char *ta_tempdir(const char *tag);
/* dir + "/" + name (malloc'd). */
char *ta_path(const char *dir, const char *name);
/* Runs flite -voice voice -t text -o path; 0 on success. */
int ta_flite(const char *voice, const char *text, const char *path);
/* Decodes any audio file with audio_decode (no preprocessing). */
int ta_load(const char *path, struct samples *out);
struct audio_options;
/* Same with options (preprocessing). */
int ta_load_with(const char *path, const struct audio_options *o, struct samples *out);
/* flite speech as 16 kHz samples (through a temporary WAV). */
int ta_speech(const char *dir, const char *voice, const char *text, struct samples *out);

void ta_append(struct samples *dst, const int16_t *s, size_t n);
/* Appends seconds of low noise (about -65 dBFS), deterministic. */
void ta_append_silence(struct samples *dst, double seconds);
void ta_free(struct samples *s);

/* Writes 16-bit PCM WAV; channels > 1 duplicates the mono signal. */
int ta_write_wav(const char *path, const struct samples *s, int rate, int channels);
/*
 * Encodes s (16 kHz mono) with libavcodec's encoder `codec` into container
 * `format` ("flac"/"flac", "libmp3lame"/"mp3", "aac"/"ipod",
 * "libvorbis"/"ogg", "libopus"/"ogg", "libopus"/"webm").  Returns 0, or -1
 * when the encoder or the container is missing.
 */
int ta_encode(const char *path, const struct samples *s, const char *codec,
	      const char *format);

/* Word error rate of hyp against ref (both plain lower-case words). */
double ta_wer(const char *ref, const char *hyp);

#endif
