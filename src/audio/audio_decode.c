/*
 * audio_decode.c - libavformat/libavcodec/libswresample decoding to 16 kHz
 * mono int16, then the stages of audio_out.h.
 *
 * One packet at a time: demux, decode, resample, then hand the samples down
 * the stage chain of audio_out.h.  Nothing holds more than a few seconds of
 * audio (the normalizer's look-ahead is the largest), so a 3-hour file
 * decodes in the same memory as a 3-minute one.
 *
 * Damaged input: a packet the decoder rejects is skipped; a read error after
 * some audio decoded ends the file early with success and info->truncated.
 *
 * Hostile input: libavformat knows hundreds of formats, some of which
 * inflate compressed data while reading their header (a 4 MB gzip file
 * named .wav grew to 8.6 GB through one of them).  So the format is probed
 * first, from at most AUDIO_PROBE_BYTES, and only the audio containers of
 * AUDIO_DEMUXERS are ever opened; the stream probe after the header reads
 * at most AUDIO_STREAM_PROBE_BYTES.
 */
#include "audio/audio_out.h"
#include "log/log.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The audio containers podcasts come in; libavformat's demuxer names. */
#define AUDIO_DEMUXERS "wav,w64,mp3,aac,flac,ogg,mov,matroska,asf,aiff,au,caf,amr," \
	"ac3,eac3,ape,wv,tta,mpc,mpc8,dts,truehd,voc"
#define AUDIO_PROBE_BYTES (1 << 20)
#define AUDIO_STREAM_PROBE_BYTES "2000000"

/* Consecutive rejected packets after which a stream is declared garbage. */
#define MAX_BAD_PACKETS 200

struct decoder {
	const char *path;
	const struct audio_options *o;
	AVFormatContext *fmt;
	AVCodecContext *cc;
	int stream;
	AVPacket *pkt;
	AVFrame *frame;
	SwrContext *swr;
	int swr_fmt, swr_rate, swr_channels;
	int16_t *rs;             /* resampler output */
	size_t rs_alloc;
	uint64_t decoded;        /* original samples out of the resampler */
	int bad;                 /* consecutive rejected packets */
	bool truncated;
	struct audio_normalizer *norm;
	struct audio_trimmer *trim;
	struct audio_chunker out;
	uint64_t delivered;
	struct sbuf *err;
};

/* ---- libav logging ------------------------------------------------------- */

static void av_log_forward(void *avcl, int level, const char *fmt, va_list ap)
{
	struct sbuf sb = SBUF_INIT(1024);
	va_list cp;

	(void)avcl;
	if (level > AV_LOG_WARNING || !log_enabled(LOG_DEBUG))
		return;
	va_copy(cp, ap);
	(void)sbuf_vaddf(&sb, fmt, cp);
	va_end(cp);
	sbuf_trim(&sb);
	if (sb.len)
		log_debug("audio", "libav: %s", sb.buf);
	sbuf_release(&sb);
}

static void av_log_setup(void)
{
	av_log_set_level(AV_LOG_WARNING);
	av_log_set_callback(av_log_forward);
}

static void quiet_libav(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, av_log_setup);
}

static int av_fail(struct decoder *d, int averr, const char *what)
{
	char msg[AV_ERROR_MAX_STRING_SIZE];

	av_strerror(averr, msg, sizeof(msg));
	sbuf_addf(d->err, "audio file '%s': %s (%s)", d->path, what, msg);
	return averr == AVERROR(ENOMEM) ? -ENOMEM : -PC_EFAIL;
}

/* ---- stages after the resampler ----------------------------------------- */

/* Samples after normalization (or straight from the resampler). */
static int stage_out(void *ctx, const int16_t *s, size_t n, uint64_t orig)
{
	struct decoder *d = ctx;

	if (d->trim)
		return audio_trimmer_put(d->trim, s, n, orig);
	return audio_chunker_put(&d->out, s, n, orig);
}

/* ---- resampling ---------------------------------------------------------- */

static int resampler_setup(struct decoder *d, const AVFrame *f)
{
	AVChannelLayout in = { 0 }, mono = { 0 };
	int rc;

	if (d->swr && f->format == d->swr_fmt && f->sample_rate == d->swr_rate &&
	    f->ch_layout.nb_channels == d->swr_channels)
		return 0;
	swr_free(&d->swr);
	/* WAV and raw formats often leave the layout unspecified. */
	rc = 0;
	if (f->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC)
		rc = av_channel_layout_copy(&in, &f->ch_layout);
	else
		av_channel_layout_default(&in, f->ch_layout.nb_channels);
	av_channel_layout_default(&mono, 1);
	if (rc >= 0)
		rc = swr_alloc_set_opts2(&d->swr, &mono, AV_SAMPLE_FMT_S16, AUDIO_RATE,
					 &in, f->format, f->sample_rate, 0, NULL);
	if (rc >= 0)
		rc = swr_init(d->swr);
	av_channel_layout_uninit(&in);
	if (rc < 0)
		return av_fail(d, rc, "cannot convert its sample format");
	d->swr_fmt = f->format;
	d->swr_rate = f->sample_rate;
	d->swr_channels = f->ch_layout.nb_channels;
	return 0;
}

/* Resamples in (NULL flushes) and passes the result on. */
static int resample(struct decoder *d, const uint8_t **in, int in_n)
{
	int room = swr_get_out_samples(d->swr, in_n);
	uint8_t *out;
	int got;

	if (room <= 0)
		return 0;
	PC_GROW(d->rs, d->rs_alloc, (size_t)room);
	out = (uint8_t *)d->rs;
	got = swr_convert(d->swr, &out, room, in, in_n);
	if (got < 0)
		return av_fail(d, got, "cannot convert its sample format");
	if (!got)
		return 0;
	d->decoded += (uint64_t)got;
	if (d->o->max_seconds > 0 && d->decoded > d->o->max_seconds * AUDIO_RATE) {
		sbuf_addf(d->err, "audio file '%s': longer than the limit of %.0f seconds",
			  d->path, d->o->max_seconds);
		return -PC_ETOOBIG;
	}
	if (d->norm)
		return audio_normalizer_put(d->norm, d->rs, (size_t)got,
					    d->decoded - (uint64_t)got);
	return stage_out(d, d->rs, (size_t)got, d->decoded - (uint64_t)got);
}

/* ---- decoding ------------------------------------------------------------ */

static int take_frames(struct decoder *d)
{
	int rc;

	for (;;) {
		rc = avcodec_receive_frame(d->cc, d->frame);
		if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
			return 0;
		if (rc == AVERROR_INVALIDDATA) {
			d->bad++;
			continue;
		}
		if (rc < 0)
			return av_fail(d, rc, "decoding failed");
		d->bad = 0;
		rc = resampler_setup(d, d->frame);
		if (!rc)
			rc = resample(d, (const uint8_t **)d->frame->extended_data,
				      d->frame->nb_samples);
		av_frame_unref(d->frame);
		if (rc)
			return rc;
	}
}

static int decode_packet(struct decoder *d, const AVPacket *pkt)
{
	int rc = avcodec_send_packet(d->cc, pkt);

	if (rc == AVERROR_INVALIDDATA) {
		d->bad++;
		return 0;
	}
	if (rc < 0 && rc != AVERROR_EOF)
		return av_fail(d, rc, "decoding failed");
	return take_frames(d);
}

static int read_packets(struct decoder *d)
{
	int rc;

	while ((rc = av_read_frame(d->fmt, d->pkt)) >= 0) {
		if (d->pkt->stream_index == d->stream)
			rc = decode_packet(d, d->pkt);
		av_packet_unref(d->pkt);
		if (rc)
			return rc;
		if (d->bad > MAX_BAD_PACKETS) {
			d->truncated = true;
			return 0;
		}
	}
	if (rc != AVERROR_EOF) {
		log_debug("audio", "'%s': read error, ending early", d->path);
		d->truncated = true;
	}
	return 0;
}

/* Drains every stage in order once the input is exhausted. */
static int flush_all(struct decoder *d)
{
	int rc = decode_packet(d, NULL);

	if (!rc && d->swr)
		rc = resample(d, NULL, 0);
	if (!rc && d->norm)
		rc = audio_normalizer_finish(d->norm);
	if (!rc && d->trim)
		rc = audio_trimmer_finish(d->trim);
	if (!rc)
		rc = audio_chunker_flush(&d->out);
	return rc;
}

/* Probes url's format from its first bytes only; refuses non-audio containers. */
static int probe_format(struct decoder *d, const char *url, const AVInputFormat **fmt)
{
	AVDictionary *opts = NULL;
	AVIOContext *pb = NULL;
	int rc;

	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	rc = avio_open2(&pb, url, AVIO_FLAG_READ, NULL, &opts);
	av_dict_free(&opts);
	if (rc < 0)
		return av_fail(d, rc, "cannot open it as audio");
	rc = av_probe_input_buffer2(pb, fmt, url, NULL, 0, AUDIO_PROBE_BYTES);
	avio_closep(&pb);
	if (rc < 0)
		return av_fail(d, rc, "cannot open it as audio");
	if (av_match_list((*fmt)->name, AUDIO_DEMUXERS, ',') <= 0) {
		sbuf_addf(d->err, "audio file '%s': not an audio container (its first bytes "
			  "look like libavformat's '%s'), refused unread", d->path,
			  (*fmt)->name);
		return -PC_EPARSE;
	}
	return 0;
}

static int open_input(struct decoder *d)
{
	const AVInputFormat *fmt = NULL;
	AVDictionary *opts = NULL;
	char *url = pc_malloc(strlen(d->path) + 6);
	int rc;

	/* "file:" keeps a name like "http:x.mp3" local; the whitelist keeps
	 * playlists inside the file from reaching out anywhere else. */
	memcpy(url, "file:", 5);
	memcpy(url + 5, d->path, strlen(d->path) + 1);
	rc = probe_format(d, url, &fmt);
	if (rc < 0) {
		free(url);
		return rc;
	}
	av_dict_set(&opts, "protocol_whitelist", "file", 0);
	av_dict_set(&opts, "format_whitelist", AUDIO_DEMUXERS, 0);
	av_dict_set(&opts, "probesize", AUDIO_STREAM_PROBE_BYTES, 0);
	rc = avformat_open_input(&d->fmt, url, fmt, &opts);
	av_dict_free(&opts);
	free(url);
	if (rc < 0)
		return av_fail(d, rc, "cannot open it as audio");
	rc = avformat_find_stream_info(d->fmt, NULL);
	if (rc < 0)
		return av_fail(d, rc, "not an audio file or an unsupported format");
	return 0;
}

static int open_codec(struct decoder *d)
{
	const AVCodec *codec = NULL;
	AVStream *st;
	int rc;

	d->stream = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
	if (d->stream < 0) {
		sbuf_addf(d->err, "audio file '%s': no audio stream in it "
			  "(not an audio file or an unsupported format)", d->path);
		return -PC_EPARSE;
	}
	if (!codec)
		return av_fail(d, AVERROR_DECODER_NOT_FOUND, "no decoder for its codec");
	st = d->fmt->streams[d->stream];
	d->cc = avcodec_alloc_context3(codec);
	if (!d->cc)
		return av_fail(d, AVERROR(ENOMEM), "out of memory");
	rc = avcodec_parameters_to_context(d->cc, st->codecpar);
	if (rc < 0)
		return av_fail(d, rc, "cannot read its codec parameters");
	d->cc->pkt_timebase = st->time_base;
	d->cc->thread_count = 1;
	rc = avcodec_open2(d->cc, codec, NULL);
	if (rc < 0)
		return av_fail(d, rc, "cannot open its decoder");
	return 0;
}

static int setup(struct decoder *d, audio_chunk_fn cb, void *udata)
{
	int rc;

	audio_chunker_init(&d->out, d->o->chunk_samples, cb, udata);
	if ((rc = open_input(d)) || (rc = open_codec(d)))
		return rc;
	d->pkt = av_packet_alloc();
	d->frame = av_frame_alloc();
	if (!d->pkt || !d->frame)
		return av_fail(d, AVERROR(ENOMEM), "out of memory");
	if (d->o->preprocess) {
		d->norm = audio_normalizer_new(stage_out, d);
		d->trim = audio_trimmer_new(d->o->max_silence, d->o->silence_db, &d->out);
	}
	return 0;
}

static void teardown(struct decoder *d)
{
	audio_normalizer_free(d->norm);
	audio_trimmer_free(d->trim);
	audio_chunker_release(&d->out);
	swr_free(&d->swr);
	av_frame_free(&d->frame);
	av_packet_free(&d->pkt);
	avcodec_free_context(&d->cc);
	avformat_close_input(&d->fmt);
	free(d->rs);
}

struct counted {
	struct decoder *d;
	audio_chunk_fn cb;
	void *udata;
};

static int counting_cb(const struct audio_chunk *c, void *udata)
{
	struct counted *k = udata;

	k->d->delivered += c->n;
	return k->cb(c, k->udata);
}

static void fill_info(const struct decoder *d)
{
	struct audio_info *info = d->o->info;

	if (!info)
		return;
	info->duration = (double)d->decoded / AUDIO_RATE;
	info->delivered = (double)d->delivered / AUDIO_RATE;
	info->truncated = d->truncated;
	info->codec = d->cc ? avcodec_get_name(d->cc->codec_id) : NULL;
}

void audio_options_trim(struct audio_options *o, double max_silence, double silence_db)
{
	if (max_silence > 0)
		o->max_silence = max_silence;
	if (silence_db < 0)
		o->silence_db = silence_db;
}

int audio_decode(const char *path, const struct audio_options *o,
		 audio_chunk_fn cb, void *udata, struct sbuf *err)
{
	static const struct audio_options defaults = AUDIO_OPTIONS_INIT;
	struct decoder d = { 0 };
	struct counted k = { &d, cb, udata };
	int rc;

	quiet_libav();
	d.path = path;
	d.o = o ? o : &defaults;
	d.err = err;
	rc = setup(&d, counting_cb, &k);
	if (!rc)
		rc = read_packets(&d);
	if (!rc)
		rc = flush_all(&d);
	if (!rc && !d.decoded) {
		sbuf_addf(err, "audio file '%s': no audio could be decoded from it "
			  "(damaged, empty or not an audio file)", path);
		rc = -PC_EPARSE;
	}
	if (!rc && d.truncated)
		log_debug("audio", "'%s': damaged or cut off after %.1f s",
			  path, (double)d.decoded / AUDIO_RATE);
	fill_info(&d);
	teardown(&d);
	return rc;
}

/* The length its container states: the audio stream's, else the file's. */
static double stated_seconds(const AVFormatContext *fmt)
{
	int i = av_find_best_stream((AVFormatContext *)fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);

	if (i >= 0 && fmt->streams[i]->duration > 0)
		return (double)fmt->streams[i]->duration * av_q2d(fmt->streams[i]->time_base);
	if (fmt->duration > 0)
		return (double)fmt->duration / AV_TIME_BASE;
	return 0;
}

/* A header may claim any length: believe at most what the file's bytes can hold. */
static double believable_seconds(const AVFormatContext *fmt, double stated)
{
	int64_t size = fmt->pb ? avio_size(fmt->pb) : -1;
	double most = size > 0 ? (double)size / AUDIO_PROBE_MIN_BYTES_PER_SECOND : stated;

	return stated < most ? stated : most;
}

int audio_probe_duration(const char *path, double *ret_seconds, struct sbuf *err)
{
	struct decoder d = { 0 };
	double s = 0;
	int rc;

	quiet_libav();
	d.path = path;
	d.err = err;
	rc = open_input(&d);
	if (!rc)
		s = believable_seconds(d.fmt, stated_seconds(d.fmt));
	if (!rc && !(s > 0 && s < AUDIO_PROBE_MAX_SECONDS)) {
		sbuf_addf(err, "audio file '%s': its length is not in its header", path);
		rc = -PC_EPARSE;
	}
	if (!rc)
		*ret_seconds = s;
	avformat_close_input(&d.fmt);
	return rc;
}
