/*
 * diarize_gauss.c - full-covariance Gaussians from exact sufficient
 * statistics: log-determinants, delta-BIC and frame likelihoods.
 */
#include "diarize/internal.h"

#include <math.h>
#include <string.h>

#define TRI(i, j) ((i) * ((i) + 1) / 2 + (j))   /* i >= j */
#define BIC_PARAMS (DZ_DIM + DZ_TRI)
/*
 * Covariance floor, relative to the mean variance: a segment of a few
 * frames has a singular covariance, and a plain log-determinant would then
 * call it infinitely unlike everything.
 */
#define REG_RELATIVE 1e-2
#define REG_ABSOLUTE 1e-4

void dz_stats_add_frame(struct dz_stats *s, const float *x)
{
	s->n += 1;
	for (int i = 0; i < DZ_DIM; i++) {
		s->sum[i] += x[i];
		for (int j = 0; j <= i; j++)
			s->sq[TRI(i, j)] += (double)x[i] * x[j];
	}
}

void dz_stats_merge(struct dz_stats *dst, const struct dz_stats *src)
{
	dst->n += src->n;
	for (int i = 0; i < DZ_DIM; i++)
		dst->sum[i] += src->sum[i];
	for (int i = 0; i < DZ_TRI; i++)
		dst->sq[i] += src->sq[i];
}

void dz_stats_diff(struct dz_stats *out, const struct dz_stats *a, const struct dz_stats *b)
{
	out->n = a->n - b->n;
	for (int i = 0; i < DZ_DIM; i++)
		out->sum[i] = a->sum[i] - b->sum[i];
	for (int i = 0; i < DZ_TRI; i++)
		out->sq[i] = a->sq[i] - b->sq[i];
}

/* Regularized covariance (packed) and mean of s; s->n > 0. */
static void covariance(const struct dz_stats *s, double *mean, double *cov)
{
	double trace = 0, reg;

	for (int i = 0; i < DZ_DIM; i++)
		mean[i] = s->sum[i] / s->n;
	for (int i = 0; i < DZ_DIM; i++)
		for (int j = 0; j <= i; j++)
			cov[TRI(i, j)] = s->sq[TRI(i, j)] / s->n - mean[i] * mean[j];
	for (int i = 0; i < DZ_DIM; i++)
		trace += cov[TRI(i, i)];
	reg = REG_RELATIVE * fabs(trace) / DZ_DIM + REG_ABSOLUTE;
	for (int i = 0; i < DZ_DIM; i++)
		cov[TRI(i, i)] += reg;
}

/* In-place Cholesky of a packed matrix; returns log det.  Pivots that
 * rounding made non-positive are clamped rather than failing. */
static double cholesky(double *a)
{
	double logdet = 0;

	for (int j = 0; j < DZ_DIM; j++) {
		double d = a[TRI(j, j)];

		for (int k = 0; k < j; k++)
			d -= a[TRI(j, k)] * a[TRI(j, k)];
		d = sqrt(d > 1e-12 ? d : 1e-12);
		a[TRI(j, j)] = d;
		logdet += 2 * log(d);
		for (int i = j + 1; i < DZ_DIM; i++) {
			double v = a[TRI(i, j)];

			for (int k = 0; k < j; k++)
				v -= a[TRI(i, k)] * a[TRI(j, k)];
			a[TRI(i, j)] = v / d;
		}
	}
	return logdet;
}

double dz_stats_nlogdet(const struct dz_stats *s)
{
	double mean[DZ_DIM], cov[DZ_TRI];

	if (s->n <= 0)
		return 0;
	covariance(s, mean, cov);
	return s->n * cholesky(cov);
}

double dz_delta_bic(const struct dz_stats *a, const struct dz_stats *b, double lambda)
{
	struct dz_stats ab = *a;
	double n;

	dz_stats_merge(&ab, b);
	n = ab.n;
	return 0.5 * (dz_stats_nlogdet(&ab) - dz_stats_nlogdet(a) - dz_stats_nlogdet(b)) -
	       lambda * 0.5 * BIC_PARAMS * log(n > 1 ? n : 1);
}

/* Inverse of a packed lower-triangular matrix, by forward substitution. */
static void invert_lower(const double *l, double *inv)
{
	memset(inv, 0, sizeof(double) * DZ_TRI);
	for (int c = 0; c < DZ_DIM; c++) {
		inv[TRI(c, c)] = 1 / l[TRI(c, c)];
		for (int i = c + 1; i < DZ_DIM; i++) {
			double v = 0;

			for (int k = c; k < i; k++)
				v -= l[TRI(i, k)] * inv[TRI(k, c)];
			inv[TRI(i, c)] = v / l[TRI(i, i)];
		}
	}
}

void dz_gauss_from_stats(struct dz_gauss *g, const struct dz_stats *s)
{
	double cov[DZ_TRI], logdet;

	covariance(s, g->mean, cov);
	logdet = cholesky(cov);
	invert_lower(cov, g->inv_l);
	g->norm = -0.5 * (DZ_DIM * log(2 * M_PI) + logdet);
}

double dz_gauss_loglik(const struct dz_gauss *g, const float *x)
{
	double d[DZ_DIM], q = 0;

	for (int i = 0; i < DZ_DIM; i++)
		d[i] = x[i] - g->mean[i];
	for (int i = 0; i < DZ_DIM; i++) {
		double v = 0;

		for (int k = 0; k <= i; k++)
			v += g->inv_l[TRI(i, k)] * d[k];
		q += v * v;
	}
	return g->norm - 0.5 * q;
}

/* s scaled to one frame: its mean and second moment. */
static void normalized(struct dz_stats *out, const struct dz_stats *s)
{
	out->n = 1;
	for (int i = 0; i < DZ_DIM; i++)
		out->sum[i] = s->sum[i] / s->n;
	for (int i = 0; i < DZ_TRI; i++)
		out->sq[i] = s->sq[i] / s->n;
}

double dz_divergence(const struct dz_stats *a, const struct dz_stats *b)
{
	struct dz_stats na, nb, ab;

	if (a->n <= 0 || b->n <= 0)
		return 0;
	normalized(&na, a);
	normalized(&nb, b);
	ab = na;
	dz_stats_merge(&ab, &nb);
	return 0.5 * (0.5 * dz_stats_nlogdet(&ab) - dz_stats_nlogdet(&na) * 0.5 -
		      dz_stats_nlogdet(&nb) * 0.5);
}
