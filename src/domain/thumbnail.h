/*
 * Thumbnails of photos attached to the ledger, so that a list of records
 * can show small pictures without sending megabytes.  Made once per stored
 * content, at upload, with gdk-pixbuf.
 */
#ifndef ZRZ_DOMAIN_THUMBNAIL_H
#define ZRZ_DOMAIN_THUMBNAIL_H

#include <stddef.h>

struct arena;

#define THUMBNAIL_SIDE 256 /* the longer side, in pixels */

/*
 * A thumbnail of the image data[0..n) of type mime (as sniffed): at most
 * THUMBNAIL_SIDE pixels on its longer side, never enlarged, JPEG (or PNG
 * when the image has transparency).  The decoder is the one for mime only,
 * and it is fed in pieces: an image whose header declares more pixels than
 * zerenzhi is willing to decode (64 million for JPEG, which is decoded
 * already scaled down, 16 million for the other types, and 30,000 on a
 * side) is dropped as soon as the header is read.  Returns 0 with *out and
 * *out_mime (static) set, the bytes owned by the arena; a negative code
 * when there is no thumbnail (not an image, a type without a decoder, too
 * big, broken): the caller stores the file without one.
 */
int thumbnail_make(struct arena *a, const char *mime, const void *data, size_t n, const void **out,
		   size_t *out_len, const char **out_mime);

#endif
