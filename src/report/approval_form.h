/*
 * The printable approval form (审签单) of one submission of the three-stage
 * review (三审): an A4 PDF drawn with cairo and pango in a CJK font, laid out
 * like the paper form offices sign today: the unit as heading, a table of
 * the submission (title, target channel, author, submitted, sensitivity,
 * revision, state, where and when published, the names of its files),
 * the start of the body, and
 * one row per stage the submission needs (初审, 复审, and 终审 when
 * required) with the opinion, the signer and the time; a stage not signed
 * yet is an empty row to sign by hand.  The form only reads what it is
 * given; the caller has checked the scope.
 */
#ifndef ZRZ_REPORT_APPROVAL_FORM_H
#define ZRZ_REPORT_APPROVAL_FORM_H

#include <stdbool.h>
#include <stdint.h>

/* One stage of the review.  signer NULL: not signed yet (at and opinion
 * are then ignored). */
struct approval_stage {
	const char *stage;   /* "初审", "复审", "终审" */
	const char *role;    /* who signs it, e.g. "办公室", "分管领导", "党委书记" */
	const char *signer;  /* the signer's name */
	const char *at;      /* "YYYY-MM-DD HH:MM", China time */
	const char *opinion; /* may be long; wrapped */
};

/* Every text is UTF-8; NULL shows as an empty cell. */
struct approval_form {
	const char *org_name;
	const char *title;
	const char *channel; /* the target channel's name */
	const char *author;
	const char *submitted_at; /* "YYYY-MM-DD HH:MM" */
	bool sensitive;
	int revision;             /* the body's revision number, 1 up */
	const char *state;        /* the Chinese label of the state */
	const char *published_url;
	const char *published_at;
	const char *const *attachments; /* the files' names, shown in order */
	int nattachments;               /* 0: "无" */
	const char *body; /* plain text; the form shows as much as fits */
	const struct approval_stage *stages;
	int nstages; /* 2 or 3 */
	const char *printed_at; /* "YYYY-MM-DD HH:MM", shown in the footer */
};

/*
 * Draw the form into an anonymous file in $TMPDIR (or /tmp): on ZRZ_OK *fd
 * is open at offset 0 and *size its length; the caller closes it.
 * ZRZ_EINVAL for nstages outside 1..3, ZRZ_EIO when the file cannot be
 * written or cairo fails.
 */
int approval_form_pdf(const struct approval_form *f, int *fd, uint64_t *size);

#endif
