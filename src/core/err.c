/*
 * Lookups into the ZRZ_ERRORS table of err.h.
 */
#include "core/common.h"

struct err_row {
	int code;
	int status;
	const char *slug;
	const char *msg;
};

static const struct err_row rows[] = {
#define ZRZ__ROW(name, value, status, slug, msg) {value, status, slug, msg},
	ZRZ_ERRORS(ZRZ__ROW)
#undef ZRZ__ROW
};

static const struct err_row *find(int err)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].code == err)
			return &rows[i];
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].code == ZRZ_EINTERNAL)
			return &rows[i];
	return &rows[0];
}

int zrz_err_status(int err)
{
	return find(err)->status;
}

const char *zrz_err_slug(int err)
{
	return find(err)->slug;
}

const char *zrz_err_message(int err)
{
	return find(err)->msg;
}
