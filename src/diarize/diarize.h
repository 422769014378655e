/*
 * diarize.h - who spoke when, from the audio alone: an embedded speaker
 * diarizer that needs no model download.
 *
 * Purpose: turn an episode's audio into speaker turns (start, end, voice)
 * so that transcripts can carry a speaker on every segment, and give those
 * voices names.  The method is the classic one of broadcast-news systems:
 *
 *   audio_decode -> VAD utterances (audio.h) -> MFCCs from sphinxbase's
 *   front end (the recognizer's own features: same filter bank, 13
 *   cepstra, 100 frames a second) -> speech frames (energy) ->
 *   speaker-change points inside each utterance (delta-BIC between the
 *   1 s windows either side, full-covariance Gaussians) -> adjacent
 *   segments of one voice joined -> agglomerative clustering of all
 *   segments by delta-BIC, stopping when no pair is cheaper to model as
 *   one voice -> re-segmentation: a second pass over the audio assigns
 *   every speech frame to a voice by Viterbi over the voices' Gaussians
 *   with a switching penalty, which puts turn boundaries on the frame.
 *
 * The number of speakers expected (num_speakers) is a hint: it only lets
 * the clustering merge a little more eagerly while there are more voices
 * than that, so a short ad read in another voice still stays its own voice.
 *
 * Memory: samples are never kept past one utterance (at most max_utterance
 * seconds); per segment only its Gaussian statistics (91 numbers) remain,
 * so memory grows by well under 1 KB per few seconds of speech, whatever
 * the episode length.
 *
 * Invariants: deterministic (same audio and options give the same turns);
 * turns are in time order, never overlap, and every voice number in
 * 0..speakers-1 has at least one turn; voices are numbered in order of first
 * appearance.  Times are seconds of the original audio.
 *
 * Ownership: results are owned by the caller and freed with
 * diarize_result_release().
 *
 * Calling sequence:
 *	struct diarize_options o = DIARIZE_OPTIONS_INIT;
 *	struct diarize_result r = DIARIZE_RESULT_INIT;
 *	if (diarize_file(path, &o, &r, &stats, &err) < 0) ...;
 *	diarize_label_segments(&r, &segments);   // "SPEAKER_0", ...
 *	diarize_name_voices(&segments, hosts, nh, guests, ng, NULL);
 *	diarize_result_release(&r);
 * Threads: all state lives in the arguments; files may be diarized in
 * parallel threads.
 */
#ifndef DIARIZE_H
#define DIARIZE_H

#include "util/pc.h"
#include "util/sbuf.h"

struct segment_list;

#define DIARIZE_METHOD "bic-mfcc"   /* recorded as content.diarization.method */
#define DIARIZE_LABEL_PREFIX "SPEAKER_"

struct diarize_options {
	int num_speakers;       /* expected voices, a hint; <= 0: none */
	bool preprocess;        /* loudness normalization and silence trimming
	                           before the VAD, as for recognition */
	bool resegment;         /* second pass: frame-level Viterbi */
	double max_seconds;     /* longer audio is refused; 0: no cap */
	double penalty;         /* BIC penalty weight for clustering; 0: default */
	double change_penalty;  /* BIC penalty weight for change points; 0: default */
	double max_silence;     /* with preprocess: longer silences are cut (s); 0: default */
	double silence_db;      /* with preprocess: quieter is silence (dBFS); 0: default */
};

#define DIARIZE_OPTIONS_INIT { 0, true, true, 0, 0, 0, 0, 0 }

struct diarize_turn {
	double start;           /* original seconds */
	double end;
	int speaker;            /* 0, 1, ... in order of first appearance */
};

struct diarize_result {
	struct diarize_turn *turns;
	size_t nr;
	size_t alloc;
	int speakers;           /* number of voices found */
	double *seconds;        /* [speakers]: seconds each voice spoke */
};

#define DIARIZE_RESULT_INIT { NULL, 0, 0, 0, NULL }

struct diarize_stats {
	double audio_seconds;   /* original audio decoded */
	double speech_seconds;  /* speech frames used */
	double seconds;         /* wall time of the whole call */
	size_t utterances;
	size_t segments;        /* after change detection, before clustering */
};

/*
 * Diarizes the audio file at path (any format audio_decode() reads).  o may
 * be NULL (defaults); stats may be NULL.  Audio without speech gives zero
 * turns and zero speakers, which is not an error.  Returns 0, or a negative
 * PC_E* code with err naming the file and the cause; out is then unchanged.
 */
int diarize_file(const char *path, const struct diarize_options *o,
		 struct diarize_result *out, struct diarize_stats *stats,
		 struct sbuf *err);

void diarize_result_release(struct diarize_result *r);

/*
 * Which voice spoke most in [start, end) (the largest overlap), or -1 when
 * no turn overlaps it.
 */
int diarize_speaker_at(const struct diarize_result *r, double start, double end);

/*
 * Gives every timed segment of l a speaker label DIARIZE_LABEL_PREFIX + n
 * from the turns (replacing any speaker it had).  A segment that spans a
 * change of voice is split between its words, each word going to the voice
 * at its middle (by its own times, or spread evenly over the segment when
 * the engine gave none); a turn too short to hold a whole word goes to its
 * neighbour.  A segment
 * outside every turn takes the nearest turn's voice.  Untimed segments and
 * results without turns leave l as it is.
 */
void diarize_label_segments(const struct diarize_result *r, struct segment_list *l);

/*
 * Names the voices of l that carry diarizer labels.  The host voice (the
 * one that opens the episode, unless another speaks more than twice as
 * long) takes hosts[0]; the other voices, in order of first appearance,
 * take guests[0..ng) and then hosts[1..nh); a voice with under 5% of the
 * speech (an ad read, a clip) is passed over; a voice left without a name
 * keeps its label.  Other speakers in l are left alone.  names_out (may be
 * NULL) gets, for voice n, the name it now has (or its label).
 */
struct strlist;
void diarize_name_voices(struct segment_list *l, const char *const *hosts, size_t nh,
			 const char *const *guests, size_t ng, struct strlist *names_out);

#endif
