/*
 * Logging to stderr, one line per event.  Access lines are JSON objects so
 * that they can be filtered with standard tools; other events are prefixed
 * with a time and a level.  Never log secrets, and never log unbounded input
 * without a length limit (the helpers here cut paths at 256 bytes).
 */
#ifndef ZRZ_CORE_LOG_H
#define ZRZ_CORE_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Lines above this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
/* Turn the per-request access lines on or off (default on). */
void log_set_access(int on);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

/* One access line: time, method, path, status, bytes, microseconds, user. */
void log_access(const char *method, const char *path, int status, uint64_t bytes,
		int64_t micros, int64_t user_id, const char *request_id);

#endif
