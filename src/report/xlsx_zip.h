/*
 * The deflate level of the .xlsx files zerenzhi writes.
 *
 * libxlsxwriter 1.1.4 (Debian 12) packs the finished workbook with the
 * system's minizip at zlib's default level and has no setting for it.  At
 * that level deflating is about 40 % of a large export's time: 1.1 s of
 * the 2.8 s that 100,000 full ledger rows (115 MiB of sheet XML) take.
 * Level 1 takes 0.4 s for a file a third larger (15.3 MiB instead of
 * 11.4), which Excel, WPS and LibreOffice open the same way.
 *
 * xlsx_zip.c therefore defines minizip's zipOpenNewFileInZip4_64, the one
 * call through which libxlsxwriter starts each member of the zip; the
 * dynamic linker binds libxlsxwriter's call to it rather than to
 * libminizip's, and it calls libminizip's with every argument as given
 * except the level, and that only on a thread that asked for a level
 * with xlsx_zip_level() and only for deflated members.  Any other use of
 * minizip keeps its own level.
 */
#ifndef ZRZ_REPORT_XLSX_ZIP_H
#define ZRZ_REPORT_XLSX_ZIP_H

/* The level (0..9) for the zip members that this thread starts from now
 * on; -1 gives the choice back to the caller of minizip. */
void xlsx_zip_level(int level);

/* Members started on this thread with a level given by xlsx_zip_level():
 * a test's way to see that the level reached minizip. */
long xlsx_zip_members_leveled(void);

#endif
