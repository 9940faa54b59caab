/*
 * Attachments of ledger records: photos, PDF, Word and Excel files that
 * prove a record (the sign-in sheet, the minutes as signed, the photos of
 * the meeting).  A file's type is decided by its content, never by its name
 * or by what the browser claims; its bytes are stored once per SHA-256
 * however many records carry it; removing one from a record is soft and
 * audited like every other change of the ledger.
 */
#ifndef ZRZ_DOMAIN_ATTACHMENT_H
#define ZRZ_DOMAIN_ATTACHMENT_H

#include <jansson.h>

#include "domain/app.h"

#define ATTACHMENT_NAME_MAX  200 /* characters of a file name */
#define ATTACHMENT_FILES_MAX 20  /* files in one upload */

/* The libmagic handle of the process, loaded on first use; see app.h. */
struct attachment_sniffer *attachment_sniffer_new(void);
void attachment_sniffer_free(struct attachment_sniffer *s);

/*
 * The file name a person sees for an uploaded name: the part after the last
 * '/' or '\' (browsers of old sent whole paths), which must be valid UTF-8
 * text of 1..ATTACHMENT_NAME_MAX characters on one line and not "." or
 * "..".  *out is raw itself or a suffix of it.  ZRZ_EINVAL with e set
 * otherwise.
 */
int attachment_name_check(const char *raw, const char **out, struct derr *e);

/*
 * The type of data[0..n) by its content (libmagic), as one of the accepted
 * MIME types: JPEG, PNG, GIF, WebP, HEIC/HEIF, PDF, Word (.doc, .docx) and
 * Excel (.xls, .xlsx).  A ZIP is accepted only as a .docx or .xlsx whose
 * [Content_Types].xml names the main part of a Word document or an Excel
 * workbook; an OLE compound file that libmagic cannot tell apart is taken
 * as .doc or .xls by the extension of name.  *mime has static storage.
 * ZRZ_EMEDIA (e names the file) for anything else, ZRZ_EINVAL for an empty
 * file.
 */
int attachment_sniff(struct app *app, struct arena *a, const char *name, const void *data, size_t n,
		     const char **mime, struct derr *e);

/* An uploaded file made ready to store. */
struct attachment_file {
	const char *name;                  /* as attachment_name_check made it */
	struct attachment_content content; /* bytes, type, SHA-256, thumbnail */
};

/*
 * Check and prepare one uploaded file before any transaction starts: its
 * name (attachment_name_check), its type by content (attachment_sniff),
 * its SHA-256 and, for a photo, a thumbnail (thumbnail.h; none when one
 * cannot be made).  data stays the caller's and must outlive *out.  Errors
 * as those functions give them.
 */
int attachment_prepare(struct app *app, struct arena *a, const char *raw_name, const void *data,
		       size_t n, struct attachment_file *out, struct derr *e);

/*
 * Attach the prepared file f to the live record rec, in the caller's write
 * transaction: stores its content unless that hash is stored already,
 * links it, counts it on the record and audits attachment.create.  When rec
 * already has a live attachment with the same content, that one is
 * returned in *out with *existed set and nothing changes (a second click on
 * "upload" makes no duplicate).  ZRZ_ECONFLICT for a deleted record.
 */
int attachment_add(struct db *db, struct arena *a, const struct actor *who,
		   const struct record *rec, const struct attachment_file *f,
		   struct attachment *out, bool *existed, struct derr *e);

/* Attachment id, live or removed (ZRZ_ENOTFOUND when there is none). */
int attachment_get(struct db *db, struct arena *a, int64_t id, struct attachment *out);
/* The live attachments of record_id, oldest first. */
int attachment_list(struct db *db, struct arena *a, int64_t record_id, struct attachment **items,
		    int *n);
/* The bytes of t (arena). */
int attachment_data(struct db *db, struct arena *a, const struct attachment *t, const void **data,
		    size_t *n);
/* The thumbnail of t (arena), *mime its type; ZRZ_ENOTFOUND when t has
 * none. */
int attachment_thumbnail(struct db *db, struct arena *a, const struct attachment *t,
			 const void **data, size_t *n, const char **mime);
/* Remove live attachment t of record rec (soft), uncount it, audit
 * attachment.delete.  ZRZ_ECONFLICT when it is removed already. */
int attachment_remove(struct db *db, const struct actor *who, const struct record *rec,
		      const struct attachment *t, struct derr *e);

json_t *attachment_json(const struct attachment *t);

#endif
