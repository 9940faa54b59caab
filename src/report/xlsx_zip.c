/*
 * The deflate level of the .xlsx files zerenzhi writes (see xlsx_zip.h):
 * minizip's zipOpenNewFileInZip4_64, defined here, forwards to the
 * library's own, found with dlsym(RTLD_NEXT), with the level this thread
 * asked for.
 */
#include "core/common.h"
#include "report/xlsx_zip.h"

#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

#include <minizip/zip.h>

typedef int (*open_member_fn)(zipFile file, const char *filename, const zip_fileinfo *zipfi,
			      const void *extrafield_local, uInt size_extrafield_local,
			      const void *extrafield_global, uInt size_extrafield_global,
			      const char *comment, int method, int level, int raw, int windowBits,
			      int memLevel, int strategy, const char *password,
			      uLong crcForCrypting, uLong versionMadeBy, uLong flagBase, int zip64);

static _Thread_local int wanted = -1;
static _Thread_local long leveled;

static open_member_fn minizip_open;
static pthread_once_t found = PTHREAD_ONCE_INIT;

static void find_minizip(void)
{
	/* The POSIX way of turning dlsym's object pointer into a function. */
	*(void **)&minizip_open = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
}

void xlsx_zip_level(int level)
{
	wanted = level >= 0 && level <= 9 ? level : -1;
}

long xlsx_zip_members_leveled(void)
{
	return leveled;
}

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
			    const void *extrafield_local, uInt size_extrafield_local,
			    const void *extrafield_global, uInt size_extrafield_global,
			    const char *comment, int method, int level, int raw, int windowBits,
			    int memLevel, int strategy, const char *password, uLong crcForCrypting,
			    uLong versionMadeBy, uLong flagBase, int zip64)
{
	pthread_once(&found, find_minizip);
	if (!minizip_open)
		return ZIP_INTERNALERROR;
	if (wanted >= 0 && method == Z_DEFLATED && !raw) {
		level = wanted;
		leveled++;
	}
	return minizip_open(file, filename, zipfi, extrafield_local, size_extrafield_local,
			    extrafield_global, size_extrafield_global, comment, method, level, raw,
			    windowBits, memLevel, strategy, password, crcForCrypting, versionMadeBy,
			    flagBase, zip64);
}
