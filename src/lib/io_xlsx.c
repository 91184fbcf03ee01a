/*
 * io_xlsx.c: a sheet of a workbook read as a header and rows of text
 * cells, through hafen/xlsx.h: numbers as plain decimals exactly as
 * stored, dates as ISO dates, errors (#N/A) as problems of their cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"
#include "hafen/xlsx.h"

static char *cell_text(hf__io *io, const hf_xlsx_cell *c, long row, size_t col)
{
	char buf[128];

	switch (c->type) {
	case HF_XLSX_NUMBER:
		if (hf__io_number_plain(c->text, buf, sizeof buf) == 0)
			return strdup(buf);
		return strdup(c->text);
	case HF_XLSX_ERROR:
		hf__io_issue_src(io, row, col,
				 "die Zelle enthält den Fehler %s.",
				 "the cell holds the error %s.", c->text);
		return strdup("");
	default:
		return strdup(c->text);
	}
}

int hf__io_read_xlsx(hf__io *io, const char *data, size_t len,
		     const char *sheet, hf_error *err)
{
	hf_xlsx *x = NULL;
	hf_xlsx_sheet *s = NULL;
	hf_error e;
	char **cells = NULL;
	size_t nr, nc, r, c;
	int rc = HF_OK;

	hf_error_init(&e, io->lang);
	if (hf_xlsx_open_mem(io->file, data, len, &x, &e) < 0) {
		hf__io_issue(io, 0, -1, "%s", "%s", e.message);
		return HF_OK;
	}
	if (hf_xlsx_sheet_read(x, sheet, &s, &e) < 0) {
		/* a cell-level error names its cell in e.where */
		if (e.where[0])
			hf__io_issue(io, 0, -1, "%s: %s", "%s: %s", e.where,
				     e.message);
		else
			hf__io_issue(io, 0, -1, "%s", "%s", e.message);
		goto out;
	}
	snprintf(io->sheetbuf, sizeof io->sheetbuf, "%s",
		 hf_xlsx_sheet_title(s));
	io->sheet = io->sheetbuf;
	nr = hf_xlsx_sheet_nrows(s);
	nc = hf_xlsx_sheet_ncols(s);
	if (!nr) {
		hf__io_issue(io, 0, -1,
			     "das Blatt ist leer; erwartet eine Kopfzeile "
			     "und Zeilen.",
			     "the sheet is empty; expected a header row and "
			     "rows.");
		goto out;
	}
	if (!(cells = calloc(nc ? nc : 1, sizeof *cells)))
		goto oom;
	for (r = 0; r < nr; r++) {
		for (c = 0; c < nc; c++)
			if (!(cells[c] =
				  cell_text(io, hf_xlsx_sheet_cell(s, r, c),
					    (long)r + 1, c)))
				goto oom;
		if (r == 0)
			rc = hf__io_header(io, 1, cells, nc);
		else
			rc = hf__io_feed(io, (long)r + 1, cells, nc);
		for (c = 0; c < nc; c++) {
			free(cells[c]);
			cells[c] = NULL;
		}
		if (rc == HF_ENOMEM)
			goto oom;
		rc = HF_OK;
		if (r == 0 && !io->header_ok)
			break;
	}
	goto out;
oom:
	rc = hf_error_set(err, HF_ENOMEM, "", "Zu wenig Speicher.",
			  "Out of memory.");
out:
	if (cells)
		for (c = 0; c < nc; c++)
			free(cells[c]);
	free(cells);
	hf_xlsx_sheet_free(s);
	hf_xlsx_close(x);
	return rc;
}
