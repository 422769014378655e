/* Test fixtures: see testaudio.h. */
#include "testaudio.h"

#include "audio/audio.h"
#include "util/sbuf.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>

#include <ctype.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char *ta_tempdir(const char *tag)
{
	char *dir = malloc(64);

	snprintf(dir, 64, "/tmp/pc_%s_XXXXXX", tag);
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *ta_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int ta_flite(const char *voice, const char *text, const char *path)
{
	char *argv[] = { "flite", "-voice", (char *)voice, "-t", (char *)text,
			 "-o", (char *)path, NULL };
	pid_t pid;
	int status;

	if (posix_spawnp(&pid, "flite", NULL, NULL, argv, environ))
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void ta_append(struct samples *dst, const int16_t *s, size_t n)
{
	if (dst->n + n > dst->alloc) {
		dst->alloc = (dst->n + n) * 2;
		dst->s = realloc(dst->s, dst->alloc * sizeof(*dst->s));
	}
	memcpy(dst->s + dst->n, s, n * sizeof(*s));
	dst->n += n;
}

void ta_append_silence(struct samples *dst, double seconds)
{
	static uint32_t seed = 12345;
	size_t n = (size_t)(seconds * AUDIO_RATE);

	for (size_t i = 0; i < n; i++) {
		int16_t v;

		seed = seed * 1664525u + 1013904223u;
		v = (int16_t)((int)(seed >> 16) % 31 - 15);
		ta_append(dst, &v, 1);
	}
}

void ta_free(struct samples *s)
{
	free(s->s);
	memset(s, 0, sizeof(*s));
}

static int collect(const struct audio_chunk *c, void *udata)
{
	ta_append(udata, c->samples, c->n);
	return 0;
}

int ta_load(const char *path, struct samples *out)
{
	return ta_load_with(path, NULL, out);
}

int ta_load_with(const char *path, const struct audio_options *o, struct samples *out)
{
	struct sbuf err = SBUF_INIT(4096);
	int rc = audio_decode(path, o, collect, out, &err);

	if (rc)
		fprintf(stderr, "ta_load: %s\n", err.buf);
	sbuf_release(&err);
	return rc;
}

int ta_speech(const char *dir, const char *voice, const char *text, struct samples *out)
{
	char *p = ta_path(dir, "speech.tmp.wav");
	int rc = ta_flite(voice, text, p);

	if (!rc)
		rc = ta_load(p, out);
	unlink(p);
	free(p);
	return rc;
}

static void put_le(FILE *f, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		fputc((int)((v >> (8 * i)) & 0xff), f);
}

int ta_write_wav(const char *path, const struct samples *s, int rate, int channels)
{
	FILE *f = fopen(path, "wb");
	uint32_t data = (uint32_t)(s->n * 2 * (size_t)channels);

	if (!f)
		return -1;
	fwrite("RIFF", 1, 4, f);
	put_le(f, 36 + data, 4);
	fwrite("WAVEfmt ", 1, 8, f);
	put_le(f, 16, 4);
	put_le(f, 1, 2);
	put_le(f, (uint32_t)channels, 2);
	put_le(f, (uint32_t)rate, 4);
	put_le(f, (uint32_t)(rate * 2 * channels), 4);
	put_le(f, (uint32_t)(2 * channels), 2);
	put_le(f, 16, 2);
	fwrite("data", 1, 4, f);
	put_le(f, data, 4);
	for (size_t i = 0; i < s->n; i++)
		for (int c = 0; c < channels; c++)
			put_le(f, (uint16_t)s->s[i], 2);
	return fclose(f) ? -1 : 0;
}

/* ---- encoding with libavcodec -------------------------------------------- */

struct enc {
	AVFormatContext *oc;
	AVCodecContext *cc;
	AVStream *st;
	SwrContext *swr;
	AVFrame *frame;
	AVPacket *pkt;
	int64_t pts;
};

static int write_packets(struct enc *e, const AVFrame *f)
{
	int rc = avcodec_send_frame(e->cc, f);

	while (rc >= 0) {
		rc = avcodec_receive_packet(e->cc, e->pkt);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			return 0;
		if (rc < 0)
			return rc;
		av_packet_rescale_ts(e->pkt, e->cc->time_base, e->st->time_base);
		e->pkt->stream_index = 0;
		rc = av_interleaved_write_frame(e->oc, e->pkt);
	}
	return rc;
}

static int enc_open(struct enc *e, const char *path, const char *codec_name,
		    const char *format)
{
	const AVCodec *codec = avcodec_find_encoder_by_name(codec_name);
	AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;

	if (!codec || avformat_alloc_output_context2(&e->oc, NULL, format, path) < 0)
		return -1;
	e->st = avformat_new_stream(e->oc, NULL);
	e->cc = avcodec_alloc_context3(codec);
	e->cc->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
	e->cc->sample_rate = AUDIO_RATE;
	av_channel_layout_copy(&e->cc->ch_layout, &mono);
	e->cc->bit_rate = 64000;
	e->cc->time_base = (AVRational){ 1, AUDIO_RATE };
	if (e->oc->oformat->flags & AVFMT_GLOBALHEADER)
		e->cc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
	if (avcodec_open2(e->cc, codec, NULL) < 0 ||
	    avcodec_parameters_from_context(e->st->codecpar, e->cc) < 0)
		return -1;
	e->st->time_base = e->cc->time_base;
	if (swr_alloc_set_opts2(&e->swr, &mono, e->cc->sample_fmt, AUDIO_RATE, &mono,
				AV_SAMPLE_FMT_S16, AUDIO_RATE, 0, NULL) < 0 ||
	    swr_init(e->swr) < 0)
		return -1;
	if (avio_open(&e->oc->pb, path, AVIO_FLAG_WRITE) < 0 ||
	    avformat_write_header(e->oc, NULL) < 0)
		return -1;
	e->frame = av_frame_alloc();
	e->pkt = av_packet_alloc();
	return 0;
}

static int enc_frame(struct enc *e, const int16_t *s, int n)
{
	const uint8_t *in = (const uint8_t *)s;
	int rc;

	av_frame_unref(e->frame);
	e->frame->format = e->cc->sample_fmt;
	e->frame->sample_rate = AUDIO_RATE;
	av_channel_layout_copy(&e->frame->ch_layout, &e->cc->ch_layout);
	e->frame->nb_samples = n;
	if (av_frame_get_buffer(e->frame, 0) < 0)
		return -1;
	rc = swr_convert(e->swr, e->frame->data, n, &in, n);
	if (rc < 0)
		return -1;
	e->frame->nb_samples = rc;
	e->frame->pts = e->pts;
	e->pts += rc;
	return write_packets(e, e->frame) < 0 ? -1 : 0;
}

static void enc_close(struct enc *e)
{
	if (e->oc && e->oc->pb)
		avio_closep(&e->oc->pb);
	avformat_free_context(e->oc);
	avcodec_free_context(&e->cc);
	swr_free(&e->swr);
	av_frame_free(&e->frame);
	av_packet_free(&e->pkt);
}

int ta_encode(const char *path, const struct samples *s, const char *codec,
	      const char *format)
{
	struct enc e = { 0 };
	int rc = enc_open(&e, path, codec, format);
	int fs = 1024;

	if (!rc && e.cc->frame_size > 0)
		fs = e.cc->frame_size;
	for (size_t i = 0; !rc && i < s->n; i += (size_t)fs) {
		int n = s->n - i < (size_t)fs ? (int)(s->n - i) : fs;

		if (n < fs && !(e.cc->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) {
			/* The last frame must be whole: pad with silence. */
			int16_t *pad = calloc((size_t)fs, sizeof(*pad));

			memcpy(pad, s->s + i, (size_t)n * sizeof(*pad));
			rc = enc_frame(&e, pad, fs);
			free(pad);
		} else {
			rc = enc_frame(&e, s->s + i, n);
		}
	}
	if (!rc)
		rc = write_packets(&e, NULL) < 0 || av_write_trailer(e.oc) < 0 ? -1 : 0;
	enc_close(&e);
	return rc;
}

/* ---- word error rate ----------------------------------------------------- */

static size_t split_words(const char *s, char ***out)
{
	char *copy = strdup(s), *save = NULL, *w;
	size_t n = 0;

	*out = NULL;
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		*out = realloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = strdup(w);
	}
	free(copy);
	return n;
}

double ta_wer(const char *ref, const char *hyp)
{
	char **r, **h;
	size_t nr = split_words(ref, &r), nh = split_words(hyp, &h);
	size_t *prev = calloc(nh + 1, sizeof(*prev)), *cur = calloc(nh + 1, sizeof(*cur));
	double wer;

	for (size_t j = 0; j <= nh; j++)
		prev[j] = j;
	for (size_t i = 1; i <= nr; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nh; j++) {
			size_t sub = prev[j - 1] + (strcmp(r[i - 1], h[j - 1]) != 0);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (nh + 1) * sizeof(*cur));
	}
	wer = nr ? (double)prev[nh] / (double)nr : (nh ? 1.0 : 0.0);
	for (size_t i = 0; i < nr; i++)
		free(r[i]);
	for (size_t j = 0; j < nh; j++)
		free(h[j]);
	free(r);
	free(h);
	free(prev);
	free(cur);
	return wer;
}
