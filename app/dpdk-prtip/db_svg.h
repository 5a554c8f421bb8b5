/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_DB_SVG_H
#define PRT_DB_SVG_H

/*
 * The report's charts as inline SVG (db_svg.c): drawn here, so the HTML page
 * needs no library and no network. Every mark carries a data-tip the page's
 * script shows on hover.
 */

#include <stdio.h>

/** Text for HTML and SVG: & < > " ' escaped. */
void svg_escape(FILE *f, const char *s);

/** A series of a line chart: n points (x[i], y[i]). */
struct svg_series {
	const char *name;
	const char *color;
	const double *x, *y;
	unsigned n;
};

/** Lines over a shared x axis (@p xunit after the x values, e.g. "s"). */
void svg_lines(FILE *f, const char *title, const char *xunit, const struct svg_series *s,
	unsigned nseries);

/** One bar per label, horizontal, longest first as given; negative values to the left. */
void svg_bars(FILE *f, const char *title, const char *const *labels, const double *values,
	unsigned n, const char *unit);

/** Stacked horizontal bars: @p n rows of @p nparts values each (row-major), parts named. */
void svg_stacked(FILE *f, const char *title, const char *const *labels, const double *values,
	unsigned n, const char *const *parts, const char *const *colors, unsigned nparts);

#endif
