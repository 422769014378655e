/*
 * internal.h - pieces shared by the diarizer's files (not a public contract).
 *
 * dz_stats are the sufficient statistics of a full-covariance Gaussian over
 * DZ_DIM cepstra (c1..c12; c0 is loudness, not voice): a frame count, the
 * sum and the packed lower triangle of the sum of outer products.  They add
 * up exactly, so a segment or a voice is summarized in DZ_STATS numbers.
 */
#ifndef DIARIZE_INTERNAL_H
#define DIARIZE_INTERNAL_H

#include "diarize/diarize.h"

#define DZ_CEPS 13                       /* cepstra from the front end */
#define DZ_DIM 12                        /* c1..c12 */
#define DZ_TRI (DZ_DIM * (DZ_DIM + 1) / 2)
#define DZ_FRAME_RATE 100                /* frames a second */
#define DZ_FRAME_SAMPLES 160             /* samples a frame advances */

struct dz_stats {
	double n;
	double sum[DZ_DIM];
	double sq[DZ_TRI];
};

/* A Gaussian ready to score frames: mean, inverse Cholesky factor. */
struct dz_gauss {
	double mean[DZ_DIM];
	double inv_l[DZ_TRI];    /* L^-1 packed, where cov = L L^T */
	double norm;             /* -0.5 (DZ_DIM log 2pi + log det cov) */
};

void dz_stats_add_frame(struct dz_stats *s, const float *x);
void dz_stats_merge(struct dz_stats *dst, const struct dz_stats *src);
/* a - b, for prefix sums. */
void dz_stats_diff(struct dz_stats *out, const struct dz_stats *a, const struct dz_stats *b);
/* n * log det(cov) of the (regularized) Gaussian of s. */
double dz_stats_nlogdet(const struct dz_stats *s);
/*
 * Delta-BIC of modelling a and b as one Gaussian rather than two: negative
 * when one voice explains them better.  lambda weighs the penalty.
 */
double dz_delta_bic(const struct dz_stats *a, const struct dz_stats *b, double lambda);
/*
 * How unlike two voices are, whatever their amounts of speech: the
 * log-likelihood gain per frame of two Gaussians over one, with a and b
 * weighed equally (0 for the same Gaussian; about 1 for two flite voices).
 */
double dz_divergence(const struct dz_stats *a, const struct dz_stats *b);
void dz_gauss_from_stats(struct dz_gauss *g, const struct dz_stats *s);
double dz_gauss_loglik(const struct dz_gauss *g, const float *x);

/* ---- front end --------------------------------------------------------- */

struct dz_frontend;
struct dz_frames {
	float (*x)[DZ_DIM];      /* speech frames' c1..c12 */
	size_t *at;              /* each speech frame's index in the utterance */
	size_t nr;
	size_t alloc;
	size_t total;            /* frames in the utterance, speech or not */
};

int dz_frontend_new(struct dz_frontend **out, struct sbuf *err);
void dz_frontend_free(struct dz_frontend *fe);
struct audio_utterance;
/* Cepstra of the utterance's speech frames into f (reset first). */
int dz_frontend_frames(struct dz_frontend *fe, const struct audio_utterance *u,
		       struct dz_frames *f, struct sbuf *err);
void dz_frames_release(struct dz_frames *f);
/* Original seconds of frame i of utterance u. */
double dz_frame_time(const struct audio_utterance *u, size_t i);

/* ---- segments and clustering ------------------------------------------ */

struct dz_segment {
	double start, end;       /* original seconds of its speech */
	struct dz_stats st;
	int cluster;
};

struct dz_segments {
	struct dz_segment *items;
	size_t nr;
	size_t alloc;
};

/*
 * Splits one utterance's speech frames at voice changes and appends the
 * pieces to segs.
 */
void dz_change_segments(const struct audio_utterance *u, const struct dz_frames *f,
			double lambda, struct dz_segments *segs);
/*
 * Clusters segs (sets each ->cluster to 0..k-1, in order of first
 * appearance) and returns k; clusters' stats go to *out (caller frees).
 * Neighbours are first joined with linear_lambda (the change criterion),
 * then all groups agglomerated with lambda, hint as in diarize.h.
 */
int dz_cluster(struct dz_segments *segs, double lambda, double linear_lambda, int hint,
	       struct dz_stats **out);

#endif
