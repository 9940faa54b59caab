/*
 * Shared helpers of the command-line tool: the command table, opening the
 * database, messages for people at a terminal, reading passwords from
 * standard input.
 */
#ifndef ZRZ_CLI_CLI_H
#define ZRZ_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/app.h"

#define CLI_DEFAULT_DB "sqlite:var/zerenzhi.db"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_remind(int argc, char **argv);

/* Options shared by serve and remind; false (with a message) on junk. */
bool cli_retry_delays(const char *s, struct notify_settings *n);
bool cli_today(const char *s, struct notify_settings *n);
bool cli_smtp_url(const char *s, struct notify_settings *n);
bool cli_smtp_from(const char *s, struct notify_settings *n);

/* Print "zerenzhi: msg" to stderr; returns 1 (the exit code). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open the database at url for a command that needs the current schema. */
int cli_open(struct app *app, const char *url);

/* Turn a domain error into a message on stderr; returns 1. */
int cli_fail(int rc, const struct derr *e, const char *what);

/* Parse a positive id argument; false (with a message) on junk. */
bool cli_id(const char *opt, const char *s, int64_t *out);

/*
 * Read one password line from stdin into buf (n bytes).  At a terminal it
 * prompts without echo (twice, when confirm).  *got is false when stdin gave
 * nothing.  Returns 0 or 1 (error printed).
 */
int cli_read_password(const char *prompt, bool confirm, char *buf, size_t n, bool *got);

/* The actor of command-line work, for the audit trail. */
extern const struct actor cli_actor;

#endif
