/* diff.c: unified diffs of two texts, hunk for hunk what GNU `diff -u` prints for them. */
#include "config.h"

#include "diff.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The method is the one GNU diff uses, so that previews read like the diffs admins know:
 *  1. the identical head and tail of the two texts are set aside (keeping a few lines of
 *     each inside the compared region, as GNU diff does, because the later steps look at
 *     them);
 *  2. lines become equivalence-class numbers; lines that occur nowhere in the other text
 *     are marked changed at once and left out of the search ("confusing lines"), and lines
 *     that occur very often are left out too when they sit inside such a run;
 *  3. Myers' O(ND) search with the linear-space middle-snake split finds the changes; past
 *     a cost bound it settles for a good split instead of the best one, and past a total
 *     work budget it treats what is left as changed, so huge inputs stay linear;
 *  4. runs of changes are slid to merge with neighbours and to end where the other text's
 *     changes end;
 *  5. changes closer than 2·3+1 lines share a hunk with 3 lines of context.
 */

#define DIFF_CONTEXT 3
#define DIFF_WORK_BUDGET 40000000LL /* diagonal steps and snake steps, in all */

struct dline {
	size_t off;   /* start in the text */
	size_t len;   /* without the newline */
	bool nl;      /* ends with a newline (false only for an incomplete last line) */
};

struct dfile {
	const char *text;
	size_t text_len;
	struct dline *lines;
	ptrdiff_t n;          /* lines */
	ptrdiff_t lo, hi;     /* the compared ("buffered") lines [lo, hi) */
	ptrdiff_t nb;         /* hi - lo */
	ptrdiff_t *equivs;    /* class of each compared line, from 1 */
	char *changed_space;
	char *changed;        /* changed[-1] and changed[nb] exist and stay 0 */
	ptrdiff_t *undiscarded; /* classes of the lines the search looks at */
	ptrdiff_t *realindex;   /* their indexes among the compared lines */
	ptrdiff_t nund;
};

static void split_lines(struct dfile *f, const char *text, size_t len)
{
	f->text = text ? text : "";
	f->text_len = text ? len : 0;
	size_t cap = 16;
	f->lines = xmalloc(cap * sizeof *f->lines);
	f->n = 0;
	size_t pos = 0;
	while (pos < f->text_len) {
		const char *nl = memchr(f->text + pos, '\n', f->text_len - pos);
		size_t end = nl ? (size_t)(nl - f->text) : f->text_len;
		if ((size_t)f->n == cap) {
			cap *= 2;
			f->lines = xrealloc(f->lines, cap * sizeof *f->lines);
		}
		f->lines[f->n].off = pos;
		f->lines[f->n].len = end - pos;
		f->lines[f->n].nl = nl != NULL;
		f->n++;
		pos = nl ? end + 1 : end;
	}
}

static bool lines_equal(const struct dfile *a, ptrdiff_t i, const struct dfile *b, ptrdiff_t j)
{
	const struct dline *x = &a->lines[i], *y = &b->lines[j];
	return x->len == y->len && x->nl == y->nl && memcmp(a->text + x->off, b->text + y->off, x->len) == 0;
}

/* The byte at i of the text as GNU diff sees it: a missing final newline is supplied. */
static int byte_at(const struct dfile *f, size_t i)
{
	return i < f->text_len ? (unsigned char)f->text[i] : '\n';
}

static size_t buffer_len(const struct dfile *f)
{
	return f->text_len + (f->text_len && f->text[f->text_len - 1] != '\n');
}

static bool missing_newline(const struct dfile *f)
{
	return f->text_len && f->text[f->text_len - 1] != '\n';
}

/* Index of the line starting at byte off (n when off is the end). */
static ptrdiff_t line_at(const struct dfile *f, size_t off)
{
	ptrdiff_t lo = 0, hi = f->n;
	while (lo < hi) {
		ptrdiff_t mid = lo + (hi - lo) / 2;
		if (f->lines[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Step 1: the compared region of each text (bytes, then lines). */
static void find_identical_ends(struct dfile *f0, struct dfile *f1)
{
	size_t n0 = buffer_len(f0), n1 = buffer_len(f1);
	bool mn0 = missing_newline(f0), mn1 = missing_newline(f1);
	size_t p = 0, lim = n0 < n1 ? n0 : n1;
	while (p < lim && byte_at(f0, p) == byte_at(f1, p))
		p++;
	/* A supplied newline is not part of the common head unless both texts lack it. */
	if (p > 0 && (n0 - mn0 < p) != (n1 - mn1 < p))
		p--;
	/* Back to the start of the line, then DIFF_CONTEXT lines more. */
	int horizon = DIFF_CONTEXT;
	while (p > 0 && (byte_at(f0, p - 1) != '\n' || horizon-- > 0))
		p--;
	size_t prefix_end = p;

	size_t s0 = n0, s1 = n1;
	if (mn0 == mn1) {
		size_t beg0 = prefix_end + (n0 < n1 ? 0 : n0 - n1);
		size_t q0 = n0, q1 = n1;
		while (q0 != beg0) {
			if (byte_at(f0, q0 - 1) != byte_at(f1, q1 - 1))
				break;
			q0--;
			q1--;
		}
		beg0 = q0;
		bool at_line_start = (q0 == 0 || byte_at(f0, q0 - 1) == '\n') &&
		                     (q1 == 0 || byte_at(f1, q1 - 1) == '\n');
		int skip = DIFF_CONTEXT + !at_line_start;
		while (skip-- > 0 && q0 != n0) {
			while (byte_at(f0, q0++) != '\n')
				;
		}
		s0 = q0;
		s1 = q1 + (q0 - beg0);
	}
	f0->lo = line_at(f0, prefix_end);
	f1->lo = line_at(f1, prefix_end);
	f0->hi = line_at(f0, s0);
	f1->hi = line_at(f1, s1);
	if (f0->hi < f0->lo)
		f0->hi = f0->lo;
	if (f1->hi < f1->lo)
		f1->hi = f1->lo;
	f0->nb = f0->hi - f0->lo;
	f1->nb = f1->hi - f1->lo;
}

static uint64_t line_hash(const struct dfile *f, ptrdiff_t i)
{
	const struct dline *l = &f->lines[i];
	uint64_t h = 1469598103934665603ULL;
	for (size_t k = 0; k < l->len; k++) {
		h ^= (unsigned char)f->text[l->off + k];
		h *= 1099511628211ULL;
	}
	h ^= l->nl ? 0x5a : 0xa5;
	h *= 1099511628211ULL;
	return h;
}

/* Step 2a: equivalence classes; returns the number of classes + 1. */
static ptrdiff_t classify(struct dfile *f[2])
{
	size_t total = (size_t)(f[0]->nb + f[1]->nb);
	size_t size = 16;
	while (size < 2 * total + 1)
		size *= 2;
	struct slot {
		ptrdiff_t cls; /* 0: empty */
		int file;
		ptrdiff_t line;
		uint64_t hash;
	} *table = xcalloc(size, sizeof *table);
	ptrdiff_t next = 1;
	for (int k = 0; k < 2; k++) {
		f[k]->equivs = xmalloc(((size_t)f[k]->nb + 1) * sizeof *f[k]->equivs);
		for (ptrdiff_t i = 0; i < f[k]->nb; i++) {
			ptrdiff_t line = f[k]->lo + i;
			uint64_t h = line_hash(f[k], line);
			size_t s = (size_t)h & (size - 1);
			while (table[s].cls &&
			       !(table[s].hash == h && lines_equal(f[table[s].file], table[s].line, f[k], line)))
				s = (s + 1) & (size - 1);
			if (!table[s].cls) {
				table[s].cls = next++;
				table[s].file = k;
				table[s].line = line;
				table[s].hash = h;
			}
			f[k]->equivs[i] = table[s].cls;
		}
	}
	free(table);
	return next;
}

/* Step 2b: lines with no match are changed outright; frequent lines inside such runs are
 * left out of the search as well. */
static void discard_confusing_lines(struct dfile *f[2], ptrdiff_t nclasses)
{
	ptrdiff_t *count[2];
	count[0] = xcalloc((size_t)nclasses, sizeof *count[0]);
	count[1] = xcalloc((size_t)nclasses, sizeof *count[1]);
	for (int k = 0; k < 2; k++)
		for (ptrdiff_t i = 0; i < f[k]->nb; i++)
			count[k][f[k]->equivs[i]]++;

	for (int k = 0; k < 2; k++) {
		struct dfile *F = f[k];
		ptrdiff_t end = F->nb;
		/* 0 keep, 1 discard, 2 discard only when inside a run of discards */
		char *mark = xcalloc((size_t)end + 1, 1);
		ptrdiff_t many = 5;
		for (ptrdiff_t t = end >> 6; (t >>= 2) > 0;)
			many *= 2;
		for (ptrdiff_t i = 0; i < end; i++) {
			ptrdiff_t matches = count[1 - k][F->equivs[i]];
			if (matches == 0)
				mark[i] = 1;
			else if (matches > many)
				mark[i] = 2;
		}

		for (ptrdiff_t i = 0; i < end; i++) {
			if (mark[i] == 2) {
				mark[i] = 0; /* not inside a run that starts with a sure discard */
				continue;
			}
			if (mark[i] == 0)
				continue;
			ptrdiff_t j, provisional = 0;
			for (j = i; j < end && mark[j] != 0; j++)
				if (mark[j] == 2)
					provisional++;
			while (j > i && mark[j - 1] == 2) {
				mark[--j] = 0;
				provisional--;
			}
			ptrdiff_t length = j - i;
			if (provisional * 4 > length) {
				for (ptrdiff_t q = i; q < j; q++)
					if (mark[q] == 2)
						mark[q] = 0;
			} else {
				ptrdiff_t minimum = 1;
				for (ptrdiff_t t = length >> 2; (t >>= 2) > 0;)
					minimum <<= 1;
				minimum++;
				/* Long sub-runs of frequent lines stay in the search. */
				ptrdiff_t consec = 0;
				for (ptrdiff_t q = 0; q < length; q++) {
					if (mark[i + q] != 2) {
						consec = 0;
					} else if (++consec == minimum) {
						q -= consec; /* go back and clear the whole sub-run */
					} else if (consec > minimum) {
						mark[i + q] = 0;
					}
				}
				/* Near the ends of the run, frequent lines stay too. */
				consec = 0;
				for (ptrdiff_t q = 0; q < length; q++) {
					if (q >= 8 && mark[i + q] == 1)
						break;
					if (mark[i + q] == 2) {
						consec = 0;
						mark[i + q] = 0;
					} else if (mark[i + q] == 0) {
						consec = 0;
					} else if (++consec == 3) {
						break;
					}
				}
				ptrdiff_t last = i + length - 1;
				consec = 0;
				for (ptrdiff_t q = 0; q < length; q++) {
					if (q >= 8 && mark[last - q] == 1)
						break;
					if (mark[last - q] == 2) {
						consec = 0;
						mark[last - q] = 0;
					} else if (mark[last - q] == 0) {
						consec = 0;
					} else if (++consec == 3) {
						break;
					}
				}
				i = last;
			}
		}

		F->undiscarded = xmalloc(((size_t)end + 1) * sizeof *F->undiscarded);
		F->realindex = xmalloc(((size_t)end + 1) * sizeof *F->realindex);
		F->nund = 0;
		for (ptrdiff_t i = 0; i < end; i++) {
			if (mark[i]) {
				F->changed[i] = 1;
			} else {
				F->undiscarded[F->nund] = F->equivs[i];
				F->realindex[F->nund++] = i;
			}
		}
		free(mark);
	}
	free(count[0]);
	free(count[1]);
}

/* Step 3: Myers' search on the undiscarded lines. */
struct search {
	const ptrdiff_t *xv, *yv;
	ptrdiff_t *fd, *bd;      /* furthest x reached per diagonal (x - y), both directions */
	ptrdiff_t too_expensive;
	long long work;          /* budget left */
	struct dfile *x, *y;
};

struct split {
	ptrdiff_t x, y;
	bool lo_minimal, hi_minimal;
};

/* Finds where an optimal (or, past the cost bound, a good) edit path crosses the middle.
 * Returns false when the work budget is used up. */
static bool middle_snake(struct search *s, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff, ptrdiff_t ylim,
                         bool minimal, struct split *part)
{
	ptrdiff_t *fd = s->fd, *bd = s->bd;
	const ptrdiff_t *xv = s->xv, *yv = s->yv;
	const ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
	const ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const bool odd = (fmid - bmid) & 1;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (ptrdiff_t c = 1;; c++) {
		/* One more edit forwards on every reachable diagonal. */
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			fmax--;
		for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t left = fd[d - 1], right = fd[d + 1];
			ptrdiff_t x0 = left < right ? right : left + 1;
			ptrdiff_t x = x0, y = x0 - d;
			while (x < xlim && y < ylim && xv[x] == yv[y]) {
				x++;
				y++;
			}
			s->work -= 1 + (x - x0);
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				part->x = x;
				part->y = y;
				part->lo_minimal = part->hi_minimal = true;
				return true;
			}
		}
		/* And backwards. */
		if (bmin > dmin)
			bd[--bmin - 1] = PTRDIFF_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bd[++bmax + 1] = PTRDIFF_MAX;
		else
			bmax--;
		for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t left = bd[d - 1], right = bd[d + 1];
			ptrdiff_t x0 = left < right ? left : right - 1;
			ptrdiff_t x = x0, y = x0 - d;
			while (xoff < x && yoff < y && xv[x - 1] == yv[y - 1]) {
				x--;
				y--;
			}
			s->work -= 1 + (x0 - x);
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				part->x = x;
				part->y = y;
				part->lo_minimal = part->hi_minimal = true;
				return true;
			}
		}
		if (s->work < 0)
			return false;
		if (minimal || c < s->too_expensive)
			continue;

		/* Too costly for the best path: take the furthest point reached either way. */
		ptrdiff_t fxybest = -1, fxbest = 0;
		for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t x = fd[d] < xlim ? fd[d] : xlim;
			ptrdiff_t y = x - d;
			if (ylim < y) {
				x = ylim + d;
				y = ylim;
			}
			if (fxybest < x + y) {
				fxybest = x + y;
				fxbest = x;
			}
		}
		ptrdiff_t bxybest = PTRDIFF_MAX, bxbest = 0;
		for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t x = bd[d] > xoff ? bd[d] : xoff;
			ptrdiff_t y = x - d;
			if (y < yoff) {
				x = yoff + d;
				y = yoff;
			}
			if (x + y < bxybest) {
				bxybest = x + y;
				bxbest = x;
			}
		}
		if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
			part->x = fxbest;
			part->y = fxybest - fxbest;
			part->lo_minimal = true;
			part->hi_minimal = false;
		} else {
			part->x = bxbest;
			part->y = bxybest - bxbest;
			part->lo_minimal = false;
			part->hi_minimal = true;
		}
		return true;
	}
}

static void mark_x(struct search *s, ptrdiff_t from, ptrdiff_t to)
{
	for (ptrdiff_t i = from; i < to; i++)
		s->x->changed[s->x->realindex[i]] = 1;
}

static void mark_y(struct search *s, ptrdiff_t from, ptrdiff_t to)
{
	for (ptrdiff_t i = from; i < to; i++)
		s->y->changed[s->y->realindex[i]] = 1;
}

static void compare(struct search *s, ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff, ptrdiff_t ylim,
                    bool minimal)
{
	while (xoff < xlim && yoff < ylim && s->xv[xoff] == s->yv[yoff]) {
		xoff++;
		yoff++;
	}
	while (xoff < xlim && yoff < ylim && s->xv[xlim - 1] == s->yv[ylim - 1]) {
		xlim--;
		ylim--;
	}
	if (xoff == xlim) {
		mark_y(s, yoff, ylim);
	} else if (yoff == ylim) {
		mark_x(s, xoff, xlim);
	} else {
		struct split part;
		if (s->work < 0 || !middle_snake(s, xoff, xlim, yoff, ylim, minimal, &part)) {
			/* Out of budget: what is left counts as changed. */
			mark_x(s, xoff, xlim);
			mark_y(s, yoff, ylim);
			return;
		}
		compare(s, xoff, part.x, yoff, part.y, part.lo_minimal);
		compare(s, part.x, xlim, part.y, ylim, part.hi_minimal);
	}
}

/* Step 4: slide each run of changes so that it merges with its neighbours, ends as late as
 * possible, and lines up with a run of changes in the other text where it can. */
static void shift_boundaries(struct dfile *f[2])
{
	for (int k = 0; k < 2; k++) {
		char *changed = f[k]->changed;
		const char *other = f[1 - k]->changed;
		const ptrdiff_t *eq = f[k]->equivs;
		const ptrdiff_t end = f[k]->nb;
		ptrdiff_t i = 0, j = 0;
		for (;;) {
			while (i < end && !changed[i]) {
				while (other[j++])
					;
				i++;
			}
			if (i == end)
				break;
			ptrdiff_t start = i;
			while (changed[++i])
				;
			while (other[j])
				j++;
			ptrdiff_t runlength, corresponding;
			do {
				runlength = i - start;
				while (start > 0 && eq[start - 1] == eq[i - 1]) {
					changed[--start] = 1;
					changed[--i] = 0;
					while (changed[start - 1])
						start--;
					while (other[--j])
						;
				}
				corresponding = other[j - 1] ? i : end;
				while (i != end && eq[start] == eq[i]) {
					changed[start++] = 0;
					changed[i++] = 1;
					while (changed[i])
						i++;
					while (other[++j])
						corresponding = i;
				}
			} while (runlength != i - start);
			while (corresponding < i) {
				changed[--start] = 1;
				changed[--i] = 0;
				while (other[--j])
					;
			}
		}
	}
}

/* Step 5: hunks. */
struct change {
	ptrdiff_t line0, line1; /* first line of the change in each text (real line numbers) */
	ptrdiff_t deleted, inserted;
};

static void put_range(struct buf *out, ptrdiff_t a, ptrdiff_t b)
{
	/* a..b are 0-based inclusive; b < a is an empty range after line b + 1. */
	if (b < a)
		buf_printf(out, "%td,0", b + 1);
	else if (a == b)
		buf_printf(out, "%td", a + 1);
	else
		buf_printf(out, "%td,%td", a + 1, b - a + 1);
}

static void put_line(struct buf *out, char mark, const struct dfile *f, ptrdiff_t i)
{
	const struct dline *l = &f->lines[i];
	buf_putc(out, mark);
	buf_append(out, f->text + l->off, l->len);
	buf_puts(out, l->nl ? "\n" : "\n\\ No newline at end of file\n");
}

static void put_hunk(struct buf *out, const struct dfile *f0, const struct dfile *f1, const struct change *c,
                     size_t nc)
{
	ptrdiff_t first0 = c[0].line0, first1 = c[0].line1;
	ptrdiff_t last0 = c[nc - 1].line0 + c[nc - 1].deleted - 1;
	ptrdiff_t last1 = c[nc - 1].line1 + c[nc - 1].inserted - 1;
	first0 = first0 - DIFF_CONTEXT > 0 ? first0 - DIFF_CONTEXT : 0;
	first1 = first1 - DIFF_CONTEXT > 0 ? first1 - DIFF_CONTEXT : 0;
	last0 = last0 + DIFF_CONTEXT < f0->n - 1 ? last0 + DIFF_CONTEXT : f0->n - 1;
	last1 = last1 + DIFF_CONTEXT < f1->n - 1 ? last1 + DIFF_CONTEXT : f1->n - 1;

	buf_puts(out, "@@ -");
	put_range(out, first0, last0);
	buf_puts(out, " +");
	put_range(out, first1, last1);
	buf_puts(out, " @@\n");

	ptrdiff_t i = first0, j = first1;
	size_t k = 0;
	while (i <= last0 || j <= last1) {
		if (k == nc || i < c[k].line0) {
			put_line(out, ' ', f0, i);
			i++;
			j++;
			continue;
		}
		for (ptrdiff_t q = 0; q < c[k].deleted; q++)
			put_line(out, '-', f0, i++);
		for (ptrdiff_t q = 0; q < c[k].inserted; q++)
			put_line(out, '+', f1, j++);
		k++;
	}
}

void diff_unified(const char *path, const char *old, size_t old_len, const char *new_text, size_t new_len,
                  struct buf *out)
{
	size_t n0 = old ? old_len : 0, n1 = new_text ? new_len : 0;
	/* Equal texts (a missing file counts as empty, as with diff -N) give nothing. */
	if (n0 == n1 && (n0 == 0 || memcmp(old, new_text, n0) == 0))
		return;
	while (path && *path == '/')
		path++; /* "/etc/default/grub" is shown as a/etc/default/grub */
	if (!path)
		path = "";

	struct dfile a = { 0 }, b = { 0 };
	struct dfile *f[2] = { &a, &b };
	split_lines(&a, old, n0);
	split_lines(&b, new_text, n1);
	find_identical_ends(&a, &b);
	ptrdiff_t nclasses = classify(f);
	for (int k = 0; k < 2; k++) {
		f[k]->changed_space = xcalloc((size_t)f[k]->nb + 3, 1);
		f[k]->changed = f[k]->changed_space + 1;
	}
	discard_confusing_lines(f, nclasses);

	struct search s = { 0 };
	s.xv = a.undiscarded;
	s.yv = b.undiscarded;
	s.x = &a;
	s.y = &b;
	s.work = DIFF_WORK_BUDGET;
	size_t diags = (size_t)(a.nund + b.nund + 3);
	ptrdiff_t *space = xmalloc(2 * diags * sizeof *space);
	s.fd = space + b.nund + 1;
	s.bd = space + diags + b.nund + 1;
	s.too_expensive = 1;
	for (size_t t = diags; t != 0; t >>= 2)
		s.too_expensive <<= 1;
	if (s.too_expensive < 4096)
		s.too_expensive = 4096;
	compare(&s, 0, a.nund, 0, b.nund, false);
	free(space);

	shift_boundaries(f);

	/* The changes, in order, in real line numbers. */
	size_t nc = 0, cap = 8;
	struct change *ch = xmalloc(cap * sizeof *ch);
	ptrdiff_t i0 = 0, i1 = 0;
	while (i0 < a.nb || i1 < b.nb) {
		if (a.changed[i0] || b.changed[i1]) {
			ptrdiff_t s0 = i0, s1 = i1;
			while (i0 < a.nb && a.changed[i0])
				i0++;
			while (i1 < b.nb && b.changed[i1])
				i1++;
			if (nc == cap) {
				cap *= 2;
				ch = xrealloc(ch, cap * sizeof *ch);
			}
			ch[nc].line0 = a.lo + s0;
			ch[nc].line1 = b.lo + s1;
			ch[nc].deleted = i0 - s0;
			ch[nc].inserted = i1 - s1;
			nc++;
		}
		if (i0 < a.nb)
			i0++;
		if (i1 < b.nb)
			i1++;
	}

	if (nc > 0) {
		buf_printf(out, "--- %s%s\n", old ? "a/" : "", old ? path : "/dev/null");
		buf_printf(out, "+++ %s%s\n", new_text ? "b/" : "", new_text ? path : "/dev/null");
		size_t start = 0;
		for (size_t k = 1; k <= nc; k++) {
			/* A hunk ends where the next change is 2·context+1 or more lines away. */
			if (k < nc && ch[k].line0 - (ch[k - 1].line0 + ch[k - 1].deleted) < 2 * DIFF_CONTEXT + 1)
				continue;
			put_hunk(out, &a, &b, ch + start, k - start);
			start = k;
		}
	}

	free(ch);
	for (int k = 0; k < 2; k++) {
		free(f[k]->lines);
		free(f[k]->equivs);
		free(f[k]->changed_space);
		free(f[k]->undiscarded);
		free(f[k]->realindex);
	}
}
