/*
 * The rows the repositories read and write.  Strings are owned by the arena
 * passed to the repository function that filled the struct.
 */
#ifndef ZRZ_STORE_MODEL_H
#define ZRZ_STORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct org {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	const char *path;  /* "/1/7/42/" */
	const char *name;
	const char *kind;
	int64_t sort;
	int64_t created_at;
	int64_t updated_at;
	bool has_children;
};

struct user {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *login;
	const char *name;
	const char *pass_hash;
	int64_t pass_changed_at;
	bool must_change;
	bool locked;
	int64_t created_at;
	int64_t updated_at;
};

struct grant {
	int64_t id;
	int64_t user_id;
	int64_t org_id;
	const char *role;
	const char *scope; /* "self" or "subtree" */
	const char *org_path;
	const char *org_name;
};

struct duty {
	int64_t id;
	int64_t user_id;
	int64_t org_id;
	const char *area;
};

struct committee_member {
	int64_t id;
	int64_t committee_id;
	const char *position;
	const char *name;
	int64_t user_id; /* 0 when the member is not a user */
	const char *title;
	int64_t sort;
};

struct committee {
	int64_t id;
	int64_t org_id;
	const char *name;
	int64_t created_at;
	int64_t updated_at;
	struct committee_member *members;
	int nmembers;
};

struct session_row {
	int64_t id;
	int64_t user_id;
	const char *csrf;
	int64_t created_at;
	int64_t last_seen;
	int64_t expires_at;
};

struct login_failure {
	int64_t failures;
	int64_t last_at;
	int64_t locked_until;
};

struct audit_row {
	int64_t seq;
	int64_t at;
	int64_t user_id; /* 0: none (CLI, failed login of an unknown name) */
	int64_t org_id;  /* 0: none */
	const char *org_path; /* the unit's path when the row was written */
	const char *action;
	const char *entity;
	int64_t entity_id; /* 0: none */
	const char *detail; /* JSON text */
	const char *client;
	const char *prev_hash;
	const char *hash;
	const char *user_login; /* filled by listings */
};

struct audit_filter {
	int64_t user_id;
	int64_t org_id;
	const char *org_path; /* restrict to orgs under this path (and org-less rows if root) */
	bool include_orgless;
	const char *action;
	const char *entity;
	int64_t from; /* 0: open */
	int64_t to;   /* 0: open */
};

/* A kind of the ledger's dictionary (理论学习中心组学习, 支委会, ...). */
struct record_kind {
	const char *code;
	const char *name;
	int64_t sort;
	bool active;
	bool builtin;
};

/* A kept earlier version of a record: data is the record's JSON as it was
 * before the change that made version+1. */
struct record_version {
	int64_t version;
	const char *data;
	int64_t changed_by;
	const char *changed_by_name;
	int64_t changed_at;
};

/* A ledger (台账) record.  participants and absentees are JSON array text;
 * expected and attended are -1 when not given. */
struct record {
	int64_t id;
	int64_t org_id;
	const char *kind;
	const char *kind_name; /* filled by reads */
	const char *date;      /* YYYY-MM-DD */
	const char *title;
	const char *place;
	const char *host;
	const char *participants;
	int64_t expected;
	int64_t attended;
	const char *absentees;
	const char *agenda;
	const char *minutes;
	const char *resolutions;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at; /* 0: live */
	int64_t version;
	int64_t attachments; /* live attachments */
};

struct record_filter {
	int64_t org_id;       /* this unit, or (0) every unit under path */
	const char *path;
	const char *kind;     /* NULL: any */
	const char *from;     /* NULL: open */
	const char *to;       /* NULL: open, inclusive */
	const char *q;        /* substring of title or minutes; NULL: any */
	bool deleted;         /* the deleted records instead of the live ones */
	int has_attachments;  /* 1: with attachments, -1: without, 0: either */
};

/* The bytes of an attachment, stored once per SHA-256 (hex), with a
 * thumbnail for photos (thumb NULL: none). */
struct attachment_content {
	const char *sha256;
	const char *mime;
	const void *data;
	size_t size;
	const void *thumb;
	size_t thumb_size;
	const char *thumb_mime;
};

/* An attachment of a record: a link to a content by its SHA-256 (hex),
 * under the file name it was uploaded with. */
struct attachment {
	int64_t id;
	int64_t record_id;
	const char *sha256;
	const char *name;
	const char *mime; /* of the content, as sniffed at upload */
	int64_t size;
	bool has_thumbnail;
	int64_t created_by;
	int64_t created_at;
	int64_t deleted_at; /* 0: live */
};

/* At least min records of kind per period (year|half|quarter|month|week) of year. */
struct obligation {
	int64_t id;
	int64_t org_id;
	const char *kind;
	int64_t min;
	const char *period;
	int64_t year;
	int64_t plan_item_id; /* 0: none */
	int64_t created_at;
};

/* One counter of ledger_count. */
struct ledger_count {
	const char *period_key;
	int64_t count;
};

/* An obligation with its unit's name and path, for a superior's rollup. */
struct unit_obligation {
	struct obligation o;
	const char *org_name;
	const char *org_path;
};

/* One counter of ledger_count with its unit and kind. */
struct unit_count {
	int64_t org_id;
	const char *kind;
	const char *period_key;
	int64_t count;
};

/* A plan (工作要点) of a unit and year; issued_from is the plan it was
 * issued from by a superior (0: none). */
struct plan {
	int64_t id;
	int64_t org_id;
	int64_t year;
	const char *title;
	const char *source_text;
	int64_t issued_from;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at; /* 0: live */
	int64_t items;      /* number of items, filled by listings */
};

/* A numbered section: level 1 (一、) without a parent, level 2 ((一)) under one. */
struct plan_section {
	int64_t id;
	int64_t plan_id;
	int64_t parent_id; /* 0: none */
	int64_t level;
	const char *number; /* the label as written, or NULL */
	const char *title;
	int64_t sort;
};

/* An owner of an item: a user (user_id) or a role of the unit (role). */
struct plan_owner {
	int64_t item_id;
	int64_t user_id; /* 0 when role is set */
	const char *role;
};

/* An item of a plan.  status is the stored todo|doing|done. */
struct plan_item {
	int64_t id;
	int64_t plan_id;
	int64_t section_id; /* 0: none */
	const char *text;
	int64_t lead_user_id; /* 0: none */
	const char *lead_role;
	const char *due;        /* YYYY-MM-DD or NULL */
	const char *recurrence; /* a period kind code or NULL */
	const char *status;
	int64_t sort;
	int64_t created_at;
	int64_t updated_at;
	struct plan_owner *owners; /* co-owners */
	int nowners;
};

/* A copy made by issuing a plan: its id and unit. */
struct plan_copy {
	int64_t id;
	int64_t org_id;
};

struct plan_progress {
	int64_t id;
	int64_t item_id;
	const char *date;
	const char *note;
	int64_t created_by;
	int64_t created_at;
};

/* A plan item not done whose due date is near or past, with its plan and
 * unit (for the reminder job). */
struct plan_item_due {
	int64_t item_id;
	const char *text;
	const char *due;
	int64_t plan_id;
	const char *plan_title;
	int64_t org_id;
	const char *org_name;
};

/* A notice (提醒): created once per event_key, for the users who see org_id. */
struct notice {
	int64_t id;
	int64_t org_id;
	const char *org_name; /* filled by listings */
	const char *event_key;
	const char *kind; /* one of notice_kinds (domain/notice.c) */
	const char *title;
	const char *body;
	const char *link; /* a front-end path, or NULL */
	int64_t created_at;
	bool read; /* by the user a listing was for */
};

/* Where an org's notices are also sent: a 企业微信 or 钉钉 group robot's
 * webhook, or e-mail addresses (comma-separated). */
struct notify_channel {
	int64_t id;
	int64_t org_id;
	const char *kind; /* wecom | dingtalk | email */
	const char *name;
	const char *target;
	const char *secret; /* DingTalk signing secret, or NULL */
	bool active;
	int64_t created_at;
	int64_t updated_at;
};

/* One attempt of a delivery. */
struct notice_attempt {
	int64_t delivery_id;
	int64_t attempt;
	int64_t at;
	bool ok;
	int64_t status; /* HTTP or SMTP status; 0 when none */
	const char *error;
};

/* One notice (or a test message, notice_id 0) to one channel. */
struct notice_delivery {
	int64_t id;
	int64_t notice_id;
	int64_t channel_id;
	int64_t attempts;
	const char *state; /* pending | sent | failed */
	int64_t next_at;
	int64_t last_status;
	const char *last_error;
	int64_t sent_at;
	int64_t created_at;
	const char *notice_title; /* filled by listings; NULL for a test message */
	struct notice_attempt *log;
	int nlog;
};

/* One row of compliance: an obligation period kept ready for the rollup
 * (see migration 0007_compliance.sql for the meaning of each column). */
struct compliance_entry {
	int64_t obligation_id;
	const char *period_key;
	int64_t org_id;
	const char *path;
	int64_t a2; /* the second id of path, 0 for a unit at the top */
	int64_t year;
	const char *kind;
	int prank;
	int first_day;
	int last_day;
	int64_t target;
	int64_t done;
	int64_t year_done;
	const char *status;
	int urgency;
	int64_t behind;
	int assessed_on;
	int valid_to;
	const char *org_name; /* read with a rollup page only */
	const char *period;   /* the obligation's period kind code, likewise */
};

/* ---- channels (阵地) of a unit and their inspections ---- */

/* A publication channel of a unit; text fields NULL when unset. */
struct outlet {
	int64_t id;
	int64_t org_id;
	const char *org_name; /* filled by reads */
	const char *kind;     /* website | wechat_official | ... (domain/outlet.h) */
	const char *name;
	int64_t owner_id;       /* 0: none */
	const char *owner_name; /* filled by reads; NULL when no owner */
	bool owner_missing;     /* read: no owner, locked, or not of the unit or above */
	const char *reg_no;
	const char *address;
	const char *opened_on;
	const char *closed_on;
	const char *status; /* active | suspended | closed */
	const char *inspect_every; /* week | month | quarter | half | year, or NULL */
	bool review_final;
	const char *note;
	const char *last_inspected; /* kept by the domain */
	const char *inspect_due;    /* kept by the domain */
	int64_t inspections;        /* live inspections, filled by reads */
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	int64_t deleted_at;
};

struct outlet_filter {
	int64_t org_id;     /* this unit, or (0) every unit under path */
	const char *path;
	const char *kind;   /* NULL: any */
	const char *status; /* NULL: any */
	const char *q;      /* substring of the name; NULL: any */
	bool no_owner;
	const char *overdue_before; /* NULL: any; else active channels due before it */
};

/* One inspection; date, inspector and findings are read from its record. */
struct outlet_inspection {
	int64_t id;
	int64_t channel_id;
	int64_t record_id;
	const char *date;
	const char *inspector;
	const char *findings;
	int64_t problems;
	int64_t attachments;
	int64_t created_by;
	int64_t created_at;
};

/* An active channel whose inspection is due by some day (the reminder job). */
struct outlet_due {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *name;
	const char *inspect_every;
	const char *opened_on;
	const char *last_inspected;
	const char *inspect_due;
	int64_t created_at;
};

/* An item of a unit's inbox (上报收件箱): something from_org_id sent up to
 * to_org_id, the unit directly above it.  state: sent | acknowledged |
 * forwarded.  The names and paths are filled by reads.  Set arena before
 * inbox_find (domain/inbox.h): it owns the strings that call fills in. */
struct inbox_item {
	int64_t id;
	int64_t from_org_id;
	const char *from_org_name;
	int64_t to_org_id;
	const char *to_org_name;
	const char *to_org_path;
	const char *entity; /* incident | analysis */
	int64_t entity_id;
	const char *title;
	const char *note;  /* the note of the forwarding that made it, or NULL */
	int64_t prev_id;   /* the item it was forwarded from (0: none) */
	const char *state;
	int64_t sent_by;   /* 0: none */
	const char *sent_by_name;
	int64_t sent_at;
	int64_t acked_by;  /* 0: not yet */
	const char *acked_by_name;
	int64_t acked_at;  /* 0: not yet */
	const char *comment;
	int64_t forward_id; /* the item it was forwarded as (0: none) */
	struct arena *arena;
};

/* An event that concerns the unit (舆情事件), with its stage (found |
 * assess | report | handle | close: the last one done) and the deadline of
 * the next timed stage (0: none left). */
struct incident {
	int64_t id;
	int64_t org_id;
	const char *org_name; /* filled by reads */
	const char *title;
	const char *source;
	const char *severity;
	const char *description;
	int64_t found_at;
	const char *stage;
	int64_t next_due;
	int64_t next_risk;
	int64_t created_by;
	const char *created_by_name;
	int64_t created_at;
	int64_t updated_at;
};

/* One of the four stages of an incident (assess, report, handle, close). */
struct incident_stage {
	int64_t incident_id;
	const char *stage;
	int64_t due_at;  /* 0: no limit */
	int64_t done_at; /* 0: not done */
	int64_t done_by;
	const char *done_by_name;
	const char *note;
};

struct incident_filter {
	int64_t org_id;       /* this unit, or (0) every unit under path */
	const char *path;
	const char *state;    /* a stage, "open" (not closed) or NULL: any */
	const char *severity; /* NULL: any */
	const char *source;   /* NULL: any */
	bool overdue;         /* only those whose next deadline passed before now */
	int64_t now;
};

/* A unit's own time limit for a severity and stage, in minutes. */
struct incident_limit {
	const char *severity;
	const char *stage;
	int64_t minutes;
};

/* An incident's times, for the statistics: done_at of assess, report,
 * handle and close (0: not done). */
struct incident_times {
	const char *severity;
	int64_t found_at;
	int64_t done[4];
};

/* ---- the three-stage review (三审) ---- */

/* The stages of the review, in order: 初审, 复审, 终审. */
enum review_stage { REVIEW_FIRST, REVIEW_SECOND, REVIEW_FINAL, REVIEW_STAGES };

/* Who signs each stage of a unit's submissions and how long each may take.
 * A unit without its own row has the defaults (stored false). */
struct review_config {
	int64_t org_id;
	const char *role[REVIEW_STAGES]; /* "office", "leader", "secretary" */
	bool always_final;               /* every submission needs 终审 */
	int64_t hours[REVIEW_STAGES];
	bool stored;
	int64_t updated_by;
	int64_t updated_at;
};

/* A submission.  body is read with one submission only (NULL in lists). */
struct review {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *org_path;
	int64_t author_id;
	const char *author_name;
	int64_t channel_id; /* 0: none */
	const char *channel_name;
	bool channel_final; /* the channel always needs 终审 */
	const char *title;
	const char *body;
	bool sensitive;
	const char *state; /* draft first second final approved published returned withdrawn */
	int64_t revision;
	int64_t round;
	int64_t stage_at; /* when the current stage was entered; 0: none */
	int64_t stage_hours; /* the current stage's limit; 0 outside the signing stages */
	const char *stage_role; /* the role that signs the current stage, or NULL */
	int64_t submitted_at;
	const char *published_url;
	int64_t published_at;
	int64_t created_at;
	int64_t updated_at;
};

struct review_revision {
	int64_t review_id;
	int64_t n;
	const char *title;
	const char *body; /* NULL in lists */
	int64_t chars;    /* the body's length in bytes */
	int64_t author_id;
	const char *author_name;
	int64_t created_at;
};

struct review_signature {
	int64_t id;
	int64_t review_id;
	int64_t round;
	const char *stage;    /* first second final */
	const char *decision; /* approve return */
	int64_t user_id;
	const char *user_name;
	const char *role;
	const char *opinion;
	int64_t revision;
	int64_t signed_at;
};

/* A file of a submission (its attachment); the content is stored once by
 * SHA-256 in attachment_content. */
struct review_attachment {
	int64_t id;
	int64_t review_id;
	const char *sha256;
	const char *name;
	const char *mime;
	int64_t size;
	int64_t revision; /* the submission's revision it was added in */
	int64_t added_by;
	const char *added_by_name;
	int64_t added_at;
	int64_t deleted_at; /* 0: live */
};

struct review_filter {
	int64_t org_id;      /* one unit, or with path its subtree; 0: any */
	const char *path;
	const char *state;   /* NULL: any */
	int64_t author_id;   /* 0: any */
	int64_t todo_user;   /* 0, or the user who may sign the current stage */
	int64_t viewer;      /* drafts only of this author; 0: every draft */
};

/* Someone who may sign a stage. */
struct review_signer {
	int64_t user_id;
	const char *name;
};

/* A channel as a submission sees it (the channel table is kept elsewhere). */
struct review_channel {
	int64_t id;
	int64_t org_id;
	const char *name;
	bool review_final;
	bool live; /* not deleted, not closed */
};

#endif
