/*
 * The log writes whole lines with one fwrite so that lines from different
 * server threads never interleave.  The two settings are process-wide and
 * written once at start-up, before any thread runs.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/str.h"
#include "core/ztime.h"

static enum log_level max_level = LOG_INFO;
static int access_on = 1;

void log_set_level(enum log_level level)
{
	max_level = level;
}

void log_set_access(int on)
{
	access_on = on;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	if (level > max_level)
		return;
	char when[32], line[1024];
	time_format_rfc3339(time_now(), when, sizeof(when));
	int n = snprintf(line, sizeof(line), "%s %s ", when, names[level]);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = strlen(line);
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
}

/* Append s as a JSON string body, escaping quotes, backslashes and controls. */
static size_t json_escape(char *out, size_t cap, const char *s, size_t max)
{
	size_t o = 0;
	for (size_t i = 0; s[i] && i < max && o + 7 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o;
}

void log_access(const char *method, const char *path, int status, uint64_t bytes,
		int64_t micros, int64_t user_id, const char *request_id)
{
	if (!access_on)
		return;
	char when[32], m[32], p[1600], line[2048];
	time_format_rfc3339(time_now(), when, sizeof(when));
	json_escape(m, sizeof(m), method ? method : "", 16);
	json_escape(p, sizeof(p), path ? path : "", 256);
	int n = snprintf(line, sizeof(line),
			 "{\"t\":\"%s\",\"req\":\"%s\",\"method\":\"%s\",\"path\":\"%s\","
			 "\"status\":%d,\"bytes\":%llu,\"us\":%lld,\"user\":",
			 when, request_id ? request_id : "", m, p, status,
			 (unsigned long long)bytes, (long long)micros);
	if (user_id > 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%lld}\n", (long long)user_id);
	else
		n += snprintf(line + n, sizeof(line) - (size_t)n, "null}\n");
	fwrite(line, 1, (size_t)n, stderr);
}
