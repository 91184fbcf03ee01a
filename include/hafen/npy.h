/*
 * hafen/npy.h: a NumPy .npy matrix of scores, mapped read-only.
 *
 * Reads format versions 1.0, 2.0 and 3.0 with dtype '<f4' or '<f8' and a
 * shape of two dimensions (rows, columns); C order, or Fortran order (then
 * the element (r, c) lies at c × rows + r). The file is mmap()ed, not
 * copied: a 150,000 × 400 float64 matrix costs address space, not heap.
 * Anything else (another dtype, a big-endian file, a header that is not a
 * Python dict literal, a file shorter than its shape) is refused with the
 * file name and what is wrong, in words.
 *
 *     hf_npy *s;
 *     if (hf_npy_open("scores.npy", &s, &err) == HF_OK) {
 *             double v = hf_npy_get(s, r, c);
 *             hf_npy_close(s);
 *     }
 */
#ifndef HAFEN_NPY_H
#define HAFEN_NPY_H

#include <stddef.h>

#include "hafen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hf_npy_dtype { HF_NPY_F4, HF_NPY_F8 } hf_npy_dtype;

typedef struct hf_npy {
	size_t rows, cols;
	hf_npy_dtype dtype;
	int fortran;	  /* 1: column-major */
	const void *data; /* rows × cols elements, little-endian */
	/* private */
	void *map;
	size_t map_len;
} hf_npy;

/* Maps and checks the file. The caller closes *out with hf_npy_close(). */
int hf_npy_open(const char *path, hf_npy **out, hf_error *err);
/* The same over bytes in memory (not copied: they must outlive *out);
 * name is used in messages. */
int hf_npy_parse(const char *name, const void *bytes, size_t len, hf_npy **out,
		 hf_error *err);
void hf_npy_close(hf_npy *s);

/* Element (r, c) as a double; r < rows, c < cols. */
static inline double hf_npy_get(const hf_npy *s, size_t r, size_t c)
{
	size_t k = s->fortran ? c * s->rows + r : r * s->cols + c;
	if (s->dtype == HF_NPY_F4)
		return ((const float *)s->data)[k];
	return ((const double *)s->data)[k];
}

#ifdef __cplusplus
}
#endif
#endif
