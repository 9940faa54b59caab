/*
 * Thumbnails with gdk-pixbuf.  The image is handed to a loader made for its
 * sniffed type in 64 KiB pieces; the loader announces the declared size
 * before it decodes any pixel ("size-prepared"), where we either ask it to
 * decode straight to the thumbnail's size (the JPEG loader then lets
 * libjpeg scale while decoding) or, for an image that declares too many
 * pixels, ask for 0 x 0, which gdk-pixbuf's loaders take as "allocate
 * nothing, you are about to be closed", and stop feeding it.  The other loaders decode at full size
 * and scale afterwards, which is why their limit is lower.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/thumbnail.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#define PIECE           (64 * 1024)
#define SIDE_MAX        30000
#define PIXELS_MAX_JPEG (64LL * 1000 * 1000)
#define PIXELS_MAX      (16LL * 1000 * 1000)

struct sizing {
	bool jpeg;
	bool refused;
};

static void on_size(GdkPixbufLoader *loader, int w, int h, gpointer data)
{
	struct sizing *s = data;
	long long pixels = (long long)w * h;
	if (w <= 0 || h <= 0 || w > SIDE_MAX || h > SIDE_MAX ||
	    pixels > (s->jpeg ? PIXELS_MAX_JPEG : PIXELS_MAX)) {
		/* 0 x 0 tells the loader to allocate nothing and give up. */
		s->refused = true;
		gdk_pixbuf_loader_set_size(loader, 0, 0);
		return;
	}
	if (w <= THUMBNAIL_SIDE && h <= THUMBNAIL_SIDE)
		return;
	int tw = w >= h ? THUMBNAIL_SIDE : (int)((long long)w * THUMBNAIL_SIDE / h);
	int th = h > w ? THUMBNAIL_SIDE : (int)((long long)h * THUMBNAIL_SIDE / w);
	gdk_pixbuf_loader_set_size(loader, tw > 0 ? tw : 1, th > 0 ? th : 1);
}

int thumbnail_make(struct arena *a, const char *mime, const void *data, size_t n, const void **out,
		   size_t *out_len, const char **out_mime)
{
	*out = NULL;
	*out_len = 0;
	*out_mime = NULL;
	if (strncmp(mime, "image/", 6) != 0)
		return ZRZ_EUNSUPPORTED;
	GError *err = NULL;
	GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_mime_type(mime, &err);
	if (!loader) {
		g_clear_error(&err);
		return ZRZ_EUNSUPPORTED;
	}
	struct sizing s = {.jpeg = !strcmp(mime, "image/jpeg")};
	g_signal_connect(loader, "size-prepared", G_CALLBACK(on_size), &s);
	int rc = ZRZ_OK;
	const guchar *p = data;
	for (size_t off = 0; off < n && !s.refused; off += PIECE) {
		size_t len = n - off < PIECE ? n - off : PIECE;
		if (!gdk_pixbuf_loader_write(loader, p + off, len, &err)) {
			rc = ZRZ_EINVAL;
			break;
		}
	}
	/* Closing reports a truncated image; a refused one is dropped anyway. */
	if (!gdk_pixbuf_loader_close(loader, rc || s.refused ? NULL : &err) && !rc)
		rc = ZRZ_EINVAL;
	g_clear_error(&err);
	GdkPixbuf *pix = rc || s.refused ? NULL : gdk_pixbuf_loader_get_pixbuf(loader);
	if (!pix) {
		g_object_unref(loader);
		return s.refused ? ZRZ_ETOOBIG : ZRZ_EINVAL;
	}
	/* Loaders that cannot scale while decoding were asked for a size they
	 * may have ignored: scale what they made. */
	int w = gdk_pixbuf_get_width(pix), h = gdk_pixbuf_get_height(pix);
	GdkPixbuf *small = NULL;
	if (w > THUMBNAIL_SIDE || h > THUMBNAIL_SIDE) {
		int tw = w >= h ? THUMBNAIL_SIDE : (int)((long long)w * THUMBNAIL_SIDE / h);
		int th = h > w ? THUMBNAIL_SIDE : (int)((long long)h * THUMBNAIL_SIDE / w);
		small = gdk_pixbuf_scale_simple(pix, tw > 0 ? tw : 1, th > 0 ? th : 1,
						GDK_INTERP_BILINEAR);
	}
	GdkPixbuf *use = small ? small : pix;
	bool alpha = gdk_pixbuf_get_has_alpha(use);
	gchar *buf = NULL;
	gsize len = 0;
	gboolean saved =
	    alpha ? gdk_pixbuf_save_to_buffer(use, &buf, &len, "png", &err, NULL)
		  : gdk_pixbuf_save_to_buffer(use, &buf, &len, "jpeg", &err, "quality", "80", NULL);
	g_clear_error(&err);
	if (small)
		g_object_unref(small);
	g_object_unref(loader);
	if (!saved) {
		g_free(buf);
		return ZRZ_EINTERNAL;
	}
	void *copy = arena_alloc(a, len ? len : 1);
	memcpy(copy, buf, len);
	g_free(buf);
	*out = copy;
	*out_len = len;
	*out_mime = alpha ? "image/png" : "image/jpeg";
	return ZRZ_OK;
}
