/*
 * Error codes of zerenzhi.  Every function that can fail returns an int:
 * ZRZ_OK (0) on success or one of the negative ZRZ_E* codes below.  The one
 * table ZRZ_ERRORS maps each code to the HTTP status the API answers with,
 * the stable English slug clients key on, and the default Chinese message a
 * person reads when the handler gave no better one.
 */
#ifndef ZRZ_CORE_ERR_H
#define ZRZ_CORE_ERR_H

/* X(name, value, http status, slug, default message) */
#define ZRZ_ERRORS(X)                                                          \
	X(OK, 0, 200, "ok", "成功")                                                \
	X(EBADREQ, -1, 400, "bad_request", "请求格式不正确")                       \
	X(EUNAUTH, -2, 401, "unauthorized", "尚未登录或登录已过期，请重新登录")    \
	X(EFORBIDDEN, -3, 403, "forbidden", "没有执行此操作的权限")                \
	X(ENOTFOUND, -4, 404, "not_found", "请求的对象不存在")                     \
	X(EMETHOD, -5, 405, "method_not_allowed", "不支持此请求方法")              \
	X(ETIMEOUT, -6, 408, "request_timeout", "请求超时，请重试")                \
	X(ECONFLICT, -7, 409, "conflict", "操作与当前状态冲突")                    \
	X(ETOOBIG, -8, 413, "payload_too_large", "请求内容过大")                   \
	X(EMEDIA, -9, 415, "unsupported_media_type", "不支持的内容类型")           \
	X(EINVAL, -10, 422, "invalid", "输入的内容不符合要求")                     \
	X(ELOCKED, -11, 423, "account_locked", "账户已被锁定，请稍后再试")         \
	X(ERATE, -12, 429, "too_many_requests", "请求过于频繁，请稍后再试")        \
	X(EHEADER, -13, 431, "header_too_large", "请求头过大")                     \
	X(EINTERNAL, -14, 500, "internal", "服务器内部错误，请稍后再试")           \
	X(EUNAVAIL, -15, 503, "unavailable", "服务暂时不可用，请稍后再试")         \
	X(ECSRF, -16, 403, "csrf_failed", "请求缺少有效的安全令牌，请刷新页面后重试") \
	X(EPWCHANGE, -17, 403, "password_change_required", "请先修改密码")         \
	X(ESCHEMA, -18, 500, "schema_too_new", "数据库版本高于本程序，请升级程序") \
	X(EIO, -19, 500, "io_error", "读写文件失败")                               \
	X(EUNSUPPORTED, -20, 501, "not_supported", "暂不支持此功能")                \
	X(ERETRY, -21, 503, "retry", "数据库繁忙，请重试")

enum zrz_err {
#define ZRZ__ENUM(name, value, status, slug, msg) ZRZ_##name = value,
	ZRZ_ERRORS(ZRZ__ENUM)
#undef ZRZ__ENUM
};

/* Store step results; positive so they never collide with the errors. */
#define ZRZ_ROW 1
#define ZRZ_DONE 2

/* The HTTP status for err (500 for codes not in the table). */
int zrz_err_status(int err);

/* The stable slug for err, e.g. "not_found".  Static storage. */
const char *zrz_err_slug(int err);

/* The default Chinese message for err.  Static storage. */
const char *zrz_err_message(int err);

#endif
