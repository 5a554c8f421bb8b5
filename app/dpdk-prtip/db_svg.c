/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inline SVG charts for `dpdk-prtip db report`: a line chart, bars and
 * stacked bars, sized for a 960 px column. Plain geometry: axes scaled to
 * the data's maximum, rounded to a "nice" step.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db_svg.h"

#define W 960.0
#define LEFT 190.0   /* room for bar labels */
#define RIGHT 30.0
#define ROW 22.0

void svg_escape(FILE *f, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* 1, 2 or 5 times a power of ten, at least @p v (an axis' top). */
static double nice_max(double v)
{
	double p;

	if (v <= 0)
		return 1;
	p = pow(10, floor(log10(v)));
	for (int m = 1; m <= 10; m *= 2) {
		if (m == 4)
			m = 5;
		if (m * p >= v)
			return m * p;
	}
	return 10 * p;
}

static void title_of(FILE *f, const char *title, double height)
{
	fprintf(f, "<figure><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, height);
	svg_escape(f, title);
	fputs("\"><title>", f);
	svg_escape(f, title);
	fputs("</title>\n", f);
}

static void end_figure(FILE *f, const char *title)
{
	fputs("</svg><figcaption>", f);
	svg_escape(f, title);
	fputs("</figcaption></figure>\n", f);
}

void svg_lines(FILE *f, const char *title, const char *xunit, const struct svg_series *s,
	unsigned nseries)
{
	const double h = 300, top = 20, bottom = 40, left = 70;
	double xmax = 0, ymax = 0;

	for (unsigned k = 0; k < nseries; k++)
		for (unsigned i = 0; i < s[k].n; i++) {
			xmax = fmax(xmax, s[k].x[i]);
			ymax = fmax(ymax, s[k].y[i]);
		}
	xmax = nice_max(xmax);
	ymax = nice_max(ymax);
	title_of(f, title, h);
	for (int t = 0; t <= 4; t++) { /* grid and labels */
		double y = top + (h - top - bottom) * (1 - t / 4.0);
		double x = left + (W - left - RIGHT) * t / 4.0;
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			   "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>"
			   "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g %s</text>\n",
			left, W - RIGHT, y, y, left - 6, y + 4, ymax * t / 4, x, h - bottom + 18,
			xmax * t / 4, xunit);
	}
	for (unsigned k = 0; k < nseries; k++) {
		fprintf(f, "<polyline class=\"series\" stroke=\"%s\" points=\"", s[k].color);
		for (unsigned i = 0; i < s[k].n; i++)
			fprintf(f, "%.1f,%.1f ", left + (W - left - RIGHT) * s[k].x[i] / xmax,
				top + (h - top - bottom) * (1 - s[k].y[i] / ymax));
		fputs("\"/>\n", f);
		for (unsigned i = 0; i < s[k].n; i++) {
			fprintf(f, "<circle r=\"3\" fill=\"%s\" cx=\"%.1f\" cy=\"%.1f\" data-tip=\"",
				s[k].color, left + (W - left - RIGHT) * s[k].x[i] / xmax,
				top + (h - top - bottom) * (1 - s[k].y[i] / ymax));
			svg_escape(f, s[k].name);
			fprintf(f, ": %.0f at %.1f %s\"/>\n", s[k].y[i], s[k].x[i], xunit);
		}
		fprintf(f, "<text class=\"legend\" fill=\"%s\" x=\"%.1f\" y=\"%.1f\">", s[k].color,
			left + 10 + 160.0 * k, h - 6);
		svg_escape(f, s[k].name);
		fputs("</text>\n", f);
	}
	end_figure(f, title);
}

static void bar_label(FILE *f, double y, const char *label)
{
	fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", LEFT - 8,
		y + 15);
	svg_escape(f, label);
	fputs("</text>\n", f);
}

void svg_bars(FILE *f, const char *title, const char *const *labels, const double *values,
	unsigned n, const char *unit)
{
	double lo = 0, hi = 0, zero, span;

	for (unsigned i = 0; i < n; i++) {
		lo = fmin(lo, values[i]);
		hi = fmax(hi, values[i]);
	}
	hi = nice_max(hi);
	lo = lo < 0 ? -nice_max(-lo) : 0;
	span = hi - lo;
	zero = LEFT + (W - LEFT - RIGHT) * (-lo / span);
	title_of(f, title, n * ROW + 30);
	for (unsigned i = 0; i < n; i++) {
		double y = 5 + i * ROW, len = (W - LEFT - RIGHT) * fabs(values[i]) / span;
		bar_label(f, y, labels[i]);
		fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
			   "data-tip=\"", values[i] < 0 ? "bar neg" : "bar",
			values[i] < 0 ? zero - len : zero, y + 2, fmax(len, 1));
		svg_escape(f, labels[i]);
		fprintf(f, ": %g %s\"/>\n", values[i], unit);
	}
	fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.1f\"/>\n", zero,
		zero, n * ROW + 8);
	fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\">%g %s</text>"
		   "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g %s</text>\n",
		LEFT, n * ROW + 24, lo, unit, W - RIGHT, n * ROW + 24, hi, unit);
	end_figure(f, title);
}

void svg_stacked(FILE *f, const char *title, const char *const *labels, const double *values,
	unsigned n, const char *const *parts, const char *const *colors, unsigned nparts)
{
	double hi = 0;

	for (unsigned i = 0; i < n; i++) {
		double sum = 0;
		for (unsigned p = 0; p < nparts; p++)
			sum += values[i * nparts + p];
		hi = fmax(hi, sum);
	}
	hi = nice_max(hi);
	title_of(f, title, n * ROW + 50);
	for (unsigned i = 0; i < n; i++) {
		double y = 5 + i * ROW, x = LEFT;
		bar_label(f, y, labels[i]);
		for (unsigned p = 0; p < nparts; p++) {
			double v = values[i * nparts + p], len = (W - LEFT - RIGHT) * v / hi;
			if (v <= 0)
				continue;
			fprintf(f, "<rect fill=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
				   "data-tip=\"", colors[p], x, y + 2, len);
			svg_escape(f, labels[i]);
			fprintf(f, " %s: %g\"/>\n", parts[p], v);
			x += len;
		}
	}
	for (unsigned p = 0; p < nparts; p++) {
		fprintf(f, "<text class=\"legend\" fill=\"%s\" x=\"%.1f\" y=\"%.1f\">", colors[p],
			LEFT + 130.0 * p, n * ROW + 40);
		svg_escape(f, parts[p]);
		fputs("</text>\n", f);
	}
	fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
		W - RIGHT, n * ROW + 20, hi);
	end_figure(f, title);
}
