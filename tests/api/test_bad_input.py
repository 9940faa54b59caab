#!/usr/bin/env python3
"""Bad-input corpus for the HTTP API and the static file server.

Every case sends one malformed request over a raw socket (so nothing
normalizes the path, the headers or the body on the way) and checks:

  (a) the exact 4xx status,
  (b) the error shape {"error": {"code", "message", "field"}} with a Chinese
      message, the expected code slug and, where the case names one, the field,
  (c) that nothing was written: the row counts of every table (audit
      included) are the same before and after.

Failed logins are the exception to (c) by design (an audit row and a failure
counter); they are checked separately and not counted as corpus cases.
Separate servers cover the slow-body deadline (408), the connection limit
(503) and the static files (path traversal, symlinks, SPA fallback).

Environment: ZRZ_BIN selects the binary (default build/zerenzhi).
"""

import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Response, Server, run  # noqa: E402

ANY = object()      # do not check the field
NOBODY = object()   # send no body
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


# ---- raw HTTP ----

def read_response(s):
    """Read one response from socket s (Content-Length framed, else to EOF)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise AssertionError("connection closed without a reply (got %r)" % buf[:200])
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    cl = [v for k, v in headers if k.lower() == "content-length"]
    if cl:
        n = int(cl[0])
        while len(body) < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
        body = body[:n]
    else:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
    return Response(status, headers, body)


def send_raw(port, parts, timeout=20):
    """Send parts (bytes, or numbers meaning 'sleep this long') on a new
    connection and return the reply."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        for p in parts if isinstance(parts, list) else [parts]:
            if isinstance(p, (int, float)):
                time.sleep(p)
                continue
            try:
                s.sendall(p)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server refused early; its reply is still readable
        return read_response(s)
    finally:
        s.close()


def build_request(method, path, headers=(), body=None, chunked=False):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % (k, v) for k, v in headers]
    payload = b""
    if body is not None:
        if chunked:
            lines.append("Transfer-Encoding: chunked")
            step = 8192
            for i in range(0, len(body), step):
                piece = body[i:i + step]
                payload += b"%x\r\n" % len(piece) + piece + b"\r\n"
            payload += b"0\r\n\r\n"
        else:
            lines.append("Content-Length: %d" % len(body))
            payload = body
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + payload


# ---- checks ----

def check_error(r, status, code, field=ANY, msg=None, allow=None):
    assert r.status == status, "expected %d, got %r" % (status, r)
    ctype = r.header("Content-Type") or ""
    assert ctype.startswith("application/json"), \
        "error reply is not JSON (Content-Type %r; libmicrohttpd answered by itself?): %r" % (
            ctype, r)
    try:
        j = json.loads(r.body.decode("utf-8"))
    except ValueError:
        raise AssertionError("error body is not JSON: %r" % r)
    assert isinstance(j, dict) and set(j) == {"error"}, "bad error shape: %r" % j
    e = j["error"]
    keys = {"code", "message", "field"} | ({"request_id"} if status >= 500 else set())
    assert isinstance(e, dict) and set(e) == keys, "bad error object: %r" % e
    assert e["code"] == code, "expected code %r, got %r" % (code, e)
    assert isinstance(e["message"], str) and e["message"].strip(), "empty message: %r" % e
    assert CJK.search(e["message"]), "message is not Chinese: %r" % e
    if field is not ANY:
        assert e["field"] == field, "expected field %r, got %r" % (field, e)
    if msg is not None:
        assert msg in e["message"], "expected %r in message %r" % (msg, e["message"])
    if allow is not None:
        assert r.header("Allow") == allow, "expected Allow %r, got %r" % (allow, r.headers)
    return e


# ---- the corpus ----

class Case:
    """One malformed request and what it must get.

    path and string values of a JSON body may name set-up ids as {root},
    {child}, {staff}, {committee}, {grant}, {duty}; a body that is bytes or str
    is sent as it is.  who picks the session ("admin", "sec", "aud", ...; None:
    anonymous); csrf True sends that session's token, False none, "@who" the
    token of another session, any other str that value.  raw replaces the
    whole request (bytes)."""

    def __init__(self, name, status, code, field=ANY, method="GET", path="/", who=None,
                 body=NOBODY, ctype="application/json", csrf=True, headers=(), raw=None,
                 chunked=False, setup=None, allow=None, msg=None, server="main", native=False):
        self.__dict__.update(locals())
        del self.__dict__["self"]


def subst(v, ctx):
    if isinstance(v, str):
        m = re.fullmatch(r"\{(\w+)\}", v)
        if m and m.group(1) in ctx and isinstance(ctx[m.group(1)], int):
            return ctx[m.group(1)]
        return v
    if isinstance(v, list):
        return [subst(x, ctx) for x in v]
    if isinstance(v, dict):
        return {k: subst(x, ctx) for k, x in v.items()}
    return v


def request_bytes(c, ctx):
    if c.raw is not None:
        return c.raw
    headers = []
    sess = ctx["sessions"].get(c.who) if c.who else None
    if sess:
        headers.append(("Cookie", "zrz_session=" + sess.cookie))
    if c.csrf is True and sess and c.method not in ("GET", "HEAD"):
        headers.append(("X-CSRF-Token", sess.csrf))
    elif isinstance(c.csrf, str) and c.csrf.startswith("@"):  # another session's token
        headers.append(("X-CSRF-Token", ctx["sessions"][c.csrf[1:]].csrf))
    elif isinstance(c.csrf, str):
        headers.append(("X-CSRF-Token", c.csrf))
    body = None
    if c.body is not NOBODY:
        if isinstance(c.body, bytes):
            body = c.body
        elif isinstance(c.body, str):
            body = c.body.encode("utf-8")
        else:
            body = json.dumps(subst(c.body, ctx), ensure_ascii=False).encode("utf-8")
        if c.ctype is not None:
            headers.append(("Content-Type", c.ctype))
    headers += list(c.headers)
    return build_request(c.method, c.path.format(**ctx), headers, body, c.chunked)


def O(**kw):
    """A valid org-create body with some fields replaced."""
    b = {"parent_id": "{root}", "name": "测试单位"}
    b.update(kw)
    return {k: v for k, v in b.items() if v is not NOBODY}


def U(**kw):
    b = {"org_id": "{child}", "login": "newuser", "name": "新用户", "password": "Good-pass-2026"}
    b.update(kw)
    return {k: v for k, v in b.items() if v is not NOBODY}


def C(**kw):
    b = {"org_id": "{child}", "name": "领导小组", "members": [{"position": "leader", "name": "张三"}]}
    b.update(kw)
    return {k: v for k, v in b.items() if v is not NOBODY}


def N_(**kw):
    """A valid notify-channel body with some fields replaced."""
    b = {"org_id": "{child}", "kind": "wecom", "name": "办公室群",
         "target": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"}
    b.update(kw)
    return {k: v for k, v in b.items() if v is not NOBODY}


ORGS = "/api/v1/orgs"
CHAN = "/api/v1/notify-channels"
USERS = "/api/v1/users"
COMM = "/api/v1/committees"
AUDIT = "/api/v1/audit"
PLANS = "/api/v1/plans"
BIG = str(2 ** 63)


def expire_idle(ctx):
    ctx["srv"].sql("UPDATE session SET last_seen = last_seen - 7200 WHERE user_id = ?",
                   (ctx["idleuser"],))


def expire_lifetime(ctx):
    ctx["srv"].sql("UPDATE session SET expires_at = ? WHERE user_id = ?",
                   (int(time.time()) - 10, ctx["olduser"]))


def lock_user(ctx):
    ctx["srv"].sql("UPDATE users SET locked = 1 WHERE id = ?", (ctx["lockeduser"],))


def cases():
    A = dict(who="admin", method="POST", path=ORGS)  # org create as sysadmin
    L = dict(method="POST", path="/api/v1/session")
    out = []
    add = out.append

    # -- 400: malformed JSON --
    add(Case("json_truncated", 400, "bad_request", None, body='{"parent_id": 1, "name": "x"', **A))
    add(Case("json_trailing_garbage", 400, "bad_request", None,
             body='{"parent_id": 1, "name": "x"} x', **A))
    add(Case("json_two_objects", 400, "bad_request", None, body='{}{}', **A))
    add(Case("json_array_not_object", 400, "bad_request", None,
             body='[{"parent_id": 1, "name": "x"}]', **A))
    add(Case("json_number_not_object", 400, "bad_request", None, body='42', **A))
    add(Case("json_string_not_object", 400, "bad_request", None, body='"x"', **A))
    add(Case("json_null_not_object", 400, "bad_request", None, body='null', **A))
    add(Case("json_empty_body", 400, "bad_request", None, body=b"", **A))
    add(Case("json_whitespace_body", 400, "bad_request", None, body=b"  \r\n ", **A))
    add(Case("json_duplicate_keys", 400, "bad_request", None,
             body='{"parent_id": 1, "name": "a", "name": "b"}', **A))
    add(Case("json_nested_100000_arrays", 400, "bad_request", None, body=b"[" * 100000, **A))
    add(Case("json_nested_5000_objects", 400, "bad_request", None,
             body=b'{"a":' * 5000 + b'1' + b'}' * 5000, **A))
    add(Case("json_single_quotes", 400, "bad_request", None, body="{'name': 'x'}", **A))
    add(Case("json_comment", 400, "bad_request", None,
             body='{"parent_id": 1, "name": "x" /* c */}', **A))
    add(Case("json_nan", 400, "bad_request", None, body='{"parent_id": NaN, "name": "x"}', **A))
    add(Case("json_utf8_bom", 400, "bad_request", None,
             body=b'\xef\xbb\xbf{"parent_id": 1, "name": "x"}', **A))
    # -- 400: invalid text inside JSON strings --
    add(Case("utf8_invalid_byte_ff", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\xffb"}', **A))
    add(Case("utf8_overlong_slash", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\xc0\xafb"}', **A))
    add(Case("utf8_encoded_surrogate", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\xed\xa0\x80b"}', **A))
    add(Case("utf8_truncated_sequence", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\xe4\xb8"}', **A))
    add(Case("json_lone_surrogate_escape", 400, "bad_request", None,
             body='{"parent_id": 1, "name": "a\\ud800b"}', **A))
    add(Case("json_nul_escape", 400, "bad_request", None,
             body='{"parent_id": 1, "name": "a\\u0000b"}', **A))
    add(Case("json_raw_nul_byte", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\x00b"}', **A))
    add(Case("json_raw_control_char", 400, "bad_request", None,
             body=b'{"parent_id": 1, "name": "a\x01b"}', **A))
    # Escaped control characters are well-formed JSON but not text a name
    # may hold: 422, like a newline or a tab in a name.
    add(Case("name_escaped_control_char", 422, "invalid", "name",
             body=O(name="a\u0001b"), **A))
    add(Case("name_escaped_del", 422, "invalid", "name", body=O(name="a\u007fb"), **A))
    add(Case("name_escape_char", 422, "invalid", "name", body=O(name="\u001b[31m红"), **A))
    # -- 400: wrong types --
    add(Case("name_number", 400, "bad_request", "name", body=O(name=5), **A))
    add(Case("name_array", 400, "bad_request", "name", body=O(name=["x"]), **A))
    add(Case("name_bool", 400, "bad_request", "name", body=O(name=True), **A))
    add(Case("parent_id_string", 400, "bad_request", "parent_id", body=O(parent_id="1"), **A))
    add(Case("parent_id_float", 400, "bad_request", "parent_id", body=O(parent_id=1.0), **A))
    add(Case("parent_id_bool", 400, "bad_request", "parent_id", body=O(parent_id=True), **A))
    add(Case("parent_id_1e400", 400, "bad_request", None,
             body='{"parent_id": 1e400, "name": "x"}', **A))
    add(Case("parent_id_2pow63", 400, "bad_request", None,
             body='{"parent_id": %s, "name": "x"}' % BIG, **A))
    add(Case("parent_id_minus_2pow63_minus1", 400, "bad_request", None,
             body='{"parent_id": -%d, "name": "x"}' % (2 ** 63 + 1), **A))
    add(Case("sort_string", 400, "bad_request", "sort", body=O(sort="5"), **A))
    add(Case("kind_number", 400, "bad_request", "kind", body=O(kind=3), **A))
    add(Case("unknown_field", 400, "bad_request", "bogus", body=O(bogus=1), **A))
    add(Case("unknown_field_chinese", 400, "bad_request", "名称", body=O(名称="x"), **A))
    add(Case("user_org_id_bool", 400, "bad_request", "org_id", who="admin", method="POST",
             path=USERS, body=U(org_id=False)))
    add(Case("user_org_id_float", 400, "bad_request", "org_id", who="admin", method="POST",
             path=USERS, body=U(org_id=2.5)))
    add(Case("user_locked_string", 400, "bad_request", "locked", who="admin", method="PATCH",
             path=USERS + "/{staff}", body={"locked": "yes"}))
    add(Case("committee_members_object", 400, "bad_request", "members", who="admin",
             method="POST", path=COMM, body=C(members={"position": "leader", "name": "x"})))
    add(Case("committee_members_number_item", 400, "bad_request", "members", who="admin",
             method="POST", path=COMM, body=C(members=[1])))
    add(Case("committee_member_unknown_field", 400, "bad_request", "members", who="admin",
             method="POST", path=COMM,
             body=C(members=[{"position": "leader", "name": "x", "phone": "1"}])))
    add(Case("committee_member_name_number", 400, "bad_request", "members", who="admin",
             method="PATCH", path=COMM + "/{committee}",
             body={"members": [{"position": "leader", "name": 7}]}))
    add(Case("grant_role_number", 400, "bad_request", "role", who="sec", method="POST",
             path=USERS + "/{staff}/grants", body={"org_id": "{child}", "role": 1}))
    add(Case("duty_area_array", 400, "bad_request", "area", who="admin", method="POST",
             path=USERS + "/{staff}/duties", body={"area": ["安全"]}))
    # -- 400: query strings --
    add(Case("query_invalid_utf8", 400, "bad_request", "q", who="admin",
             path=USERS + "?q=%FF"))
    add(Case("query_overlong_utf8", 400, "bad_request", "action", who="aud",
             path=AUDIT + "?action=%C0%AF"))
    add(Case("query_control_char", 400, "bad_request", "q", who="admin",
             path=USERS + "?q=a%01b"))
    add(Case("query_page_abc", 400, "bad_request", "page", who="admin", path=ORGS + "?page=abc"))
    add(Case("query_parent_id_1e3", 400, "bad_request", "parent_id", who="admin",
             path=ORGS + "?parent_id=1e3"))
    add(Case("query_org_id_20_digits", 400, "bad_request", "org_id", who="admin",
             path=USERS + "?org_id=99999999999999999999"))
    add(Case("query_size_float", 400, "bad_request", "size", who="admin",
             path=ORGS + "?size=1.5"))
    add(Case("query_subtree_maybe", 400, "bad_request", "subtree", who="admin",
             path=USERS + "?subtree=maybe"))
    # The export format of the ledger lists: refused before anything is read or written.
    add(Case("query_format_pdf", 422, "invalid", "format", who="admin",
             path="/api/v1/records?org_id={child}&format=pdf"))
    add(Case("query_format_upper_xlsx", 422, "invalid", "format", who="admin",
             path="/api/v1/compliance?org_id={child}&format=XLSX"))
    add(Case("query_format_invalid_utf8", 400, "bad_request", "format", who="admin",
             path="/api/v1/records?org_id={child}&format=%FF"))
    add(Case("query_format_too_long", 422, "invalid", "format", who="admin",
             path="/api/v1/compliance?org_id={child}&rollup=1&format=" + "x" * 11))
    add(Case("query_from_invalid_utf8", 400, "bad_request", "from", who="aud",
             path=AUDIT + "?from=%FF"))
    # -- 400: the Content-Length header itself --
    add(Case("content_length_abc", 400, "bad_request", None,
             raw=b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: abc\r\n\r\n{}", native=True))
    add(Case("content_length_negative", 400, "bad_request", None,
             raw=b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: -1\r\n\r\n{}", native=True))

    # -- 401 --
    add(Case("no_cookie_me", 401, "unauthorized", None, path="/api/v1/me"))
    add(Case("no_cookie_post", 401, "unauthorized", None, body=O(), method="POST", path=ORGS))
    add(Case("no_cookie_logout", 401, "unauthorized", None, method="DELETE",
             path="/api/v1/session"))
    add(Case("garbage_cookie", 401, "unauthorized", None, path=ORGS,
             headers=[("Cookie", "zrz_session=abc")]))
    add(Case("unknown_token", 401, "unauthorized", None, path=ORGS,
             headers=[("Cookie", "zrz_session=" + "A" * 43)]))
    add(Case("huge_cookie", 401, "unauthorized", None, path=ORGS,
             headers=[("Cookie", "zrz_session=" + "A" * 4000)]))
    add(Case("session_idle_expired", 401, "unauthorized", None, who="idleuser",
             path="/api/v1/me", setup=expire_idle, msg="登录已过期"))
    add(Case("session_lifetime_expired", 401, "unauthorized", None, who="olduser",
             method="POST", path=ORGS, body=O(), setup=expire_lifetime, msg="登录已过期"))
    add(Case("session_of_locked_user", 401, "unauthorized", None, who="lockeduser",
             path="/api/v1/me", setup=lock_user))

    # -- 403 --
    add(Case("csrf_missing", 403, "csrf_failed", None, csrf=False, body=O(), **A))
    add(Case("csrf_wrong", 403, "csrf_failed", None, csrf="x" * 43, body=O(), **A))
    add(Case("csrf_empty", 403, "csrf_failed", None, csrf="", body=O(), **A))
    add(Case("csrf_of_other_session", 403, "csrf_failed", None, who="admin", method="PATCH",
             path=ORGS + "/{child}", body={"name": "改名"}, csrf="@sec"))
    add(Case("csrf_missing_delete_org", 403, "csrf_failed", None, who="admin", method="DELETE",
             path=ORGS + "/{child}", csrf=False))
    add(Case("csrf_missing_logout", 403, "csrf_failed", None, who="staff", method="DELETE",
             path="/api/v1/session", csrf=False))
    add(Case("csrf_missing_reset_password", 403, "csrf_failed", None, who="admin",
             method="POST", path=USERS + "/{staff}/password", csrf=False))
    add(Case("org_parent_null", 403, "forbidden", "parent_id", who="admin", method="PATCH",
             path=ORGS + "/{child}", body={"parent_id": None}))
    add(Case("auditor_creates_org", 403, "forbidden", "parent_id", who="aud", method="POST",
             path=ORGS, body=O()))
    add(Case("sysadmin_reads_audit", 403, "forbidden", None, who="admin", path=AUDIT))
    add(Case("audit_unknown_org", 403, "forbidden", "org_id", who="aud",
             path=AUDIT + "?org_id=99999"))

    # -- 404 --
    for ident in ("0", "-1", "1e3", "99999999999999999999", "abc", "01", "%2B1", "1.0",
                  "0x10", "%201", "999999"):
        add(Case("org_id_" + ident.replace("%", "pct"), 404, "not_found", "id", who="admin",
                 path=ORGS + "/" + ident))
    for ident in ("0", "abc", "-1"):
        add(Case("user_id_" + ident, 404, "not_found", "id", who="admin",
                 path=USERS + "/" + ident))
    for ident in ("0", "1e3", "99999999999999999999"):
        add(Case("committee_id_" + ident, 404, "not_found", "id", who="admin",
                 path=COMM + "/" + ident))
    add(Case("patch_org_abc", 404, "not_found", "id", who="admin", method="PATCH",
             path=ORGS + "/abc", body={"name": "x"}))
    add(Case("delete_org_unknown", 404, "not_found", "id", who="admin", method="DELETE",
             path=ORGS + "/999999"))
    add(Case("grant_gid_abc", 404, "not_found", "gid", who="sec", method="DELETE",
             path=USERS + "/{staff}/grants/abc"))
    add(Case("grant_gid_unknown", 404, "not_found", "gid", who="sec", method="DELETE",
             path=USERS + "/{staff}/grants/999999"))
    add(Case("grant_of_other_user", 404, "not_found", "gid", who="sec", method="DELETE",
             path=USERS + "/{idleuser}/grants/{grant}"))
    add(Case("duty_did_0", 404, "not_found", "did", who="admin", method="DELETE",
             path=USERS + "/{staff}/duties/0"))
    add(Case("org_list_unknown_parent", 404, "not_found", "parent_id", who="admin",
             path=ORGS + "?parent_id=999999"))
    # A unit named in a body that does not exist (or is out of scope) is
    # invalid input (422, with the field), as for org_id everywhere else.
    add(Case("org_create_unknown_parent", 422, "invalid", "parent_id", body=O(parent_id=999999),
             **A))
    add(Case("org_create_parent_2pow63_minus1", 422, "invalid", "parent_id",
             body=O(parent_id=2 ** 63 - 1), **A))
    add(Case("unknown_api_path", 404, "not_found", None, path="/api/v1/nope"))
    add(Case("api_root", 404, "not_found", None, path="/api"))
    add(Case("trailing_slash_list", 404, "not_found", None, who="admin", path=ORGS + "/"))
    add(Case("trailing_slash_item", 404, "not_found", None, who="admin",
             path=ORGS + "/{child}/"))
    add(Case("trailing_slash_tree", 404, "not_found", None, who="admin",
             path=ORGS + "/{child}/tree/"))
    add(Case("double_slash_api", 404, "not_found", None, who="admin", path="/api//v1/orgs"))
    add(Case("dotdot_segment_id", 404, "not_found", "id", who="admin",
             path=ORGS + "/%2e%2e"))
    add(Case("no_web_dir", 404, "not_found", None, path="/index.html"))

    # -- 405 --
    add(Case("put_orgs", 405, "method_not_allowed", None, method="PUT", path=ORGS,
             body=O(), allow="GET, POST"))
    add(Case("delete_orgs", 405, "method_not_allowed", None, method="DELETE", path=ORGS,
             allow="GET, POST"))
    add(Case("post_org_item", 405, "method_not_allowed", None, method="POST",
             path=ORGS + "/{child}", body=O(), allow="GET, PATCH, DELETE"))
    add(Case("get_session", 405, "method_not_allowed", None, path="/api/v1/session",
             allow="POST, DELETE"))
    add(Case("post_healthz", 405, "method_not_allowed", None, method="POST", path="/healthz",
             body={}, allow="GET"))
    add(Case("patch_audit", 405, "method_not_allowed", None, who="aud", method="PATCH",
             path=AUDIT, body={}, allow="GET"))
    add(Case("delete_audit_verify", 405, "method_not_allowed", None, who="aud",
             method="DELETE", path=AUDIT + "/verify", allow="GET"))
    add(Case("put_me", 405, "method_not_allowed", None, method="PUT", path="/api/v1/me",
             body={}, allow="GET"))
    add(Case("put_grant", 405, "method_not_allowed", None, method="PUT",
             path=USERS + "/{staff}/grants/1", body={}, allow="DELETE"))
    add(Case("unknown_method", 405, "method_not_allowed", None, method="FROB", path=ORGS,
             allow="GET, POST"))

    # -- 413 --
    add(Case("content_length_over_cap", 413, "payload_too_large", None,
             raw=build_request("POST", ORGS, [
                 ("Content-Type", "application/json"), ("Content-Length", str(2 << 20))])))
    add(Case("content_length_over_login_cap", 413, "payload_too_large", None,
             raw=build_request("POST", "/api/v1/session", [
                 ("Content-Type", "application/json"), ("Content-Length", "16385")])))
    add(Case("content_length_cap_plus_one_patch", 413, "payload_too_large", None,
             raw=build_request("PATCH", ORGS + "/1", [
                 ("Content-Type", "application/json"),
                 ("Content-Length", str((1 << 20) + 1))])))
    add(Case("content_length_20_digits", 413, "payload_too_large", None,
             raw=build_request("POST", ORGS, [
                 ("Content-Type", "application/json"),
                 ("Content-Length", "99999999999999999999")]), native=True))
    add(Case("content_length_2pow63", 413, "payload_too_large", None,
             raw=build_request("POST", ORGS, [
                 ("Content-Type", "application/json"), ("Content-Length", BIG)])))
    big = b'{"parent_id": 1, "name": "' + b"x" * ((1 << 20) + 4096) + b'"}'
    add(Case("chunked_over_cap", 413, "payload_too_large", None, body=big, chunked=True, **A))
    add(Case("chunked_over_login_cap", 413, "payload_too_large", None, chunked=True,
             body=b'{"login": "admin", "password": "' + b"p" * 20000 + b'"}', **L))

    # -- 415 --
    add(Case("ctype_text_plain", 415, "unsupported_media_type", None, ctype="text/plain",
             body=O(), **A))
    add(Case("ctype_missing", 415, "unsupported_media_type", None, ctype=None, body=O(), **A))
    add(Case("ctype_jsonx", 415, "unsupported_media_type", None, ctype="application/jsonx",
             body=O(), **A))
    add(Case("ctype_json_patch", 415, "unsupported_media_type", None,
             ctype="application/json-patch+json", body=O(), **A))
    add(Case("ctype_form", 415, "unsupported_media_type", None,
             ctype="application/x-www-form-urlencoded", body="parent_id=1&name=x", **A))
    add(Case("ctype_text_json_patch_org", 415, "unsupported_media_type", None, who="admin",
             method="PATCH", path=ORGS + "/{child}", ctype="text/json", body={"name": "x"}))
    add(Case("ctype_multipart_committee", 415, "unsupported_media_type", None, who="admin",
             method="POST", path=COMM, ctype="multipart/form-data; boundary=x", body=C()))
    add(Case("ctype_missing_password", 415, "unsupported_media_type", None, who="sec",
             method="PUT", path="/api/v1/me/password", ctype=None,
             body={"old_password": "a", "new_password": "b"}))

    # -- 422: org --
    add(Case("org_missing_name", 422, "invalid", "name", body=O(name=NOBODY), **A))
    add(Case("org_missing_parent", 422, "invalid", "parent_id", body=O(parent_id=NOBODY), **A))
    add(Case("org_name_empty", 422, "invalid", "name", body=O(name=""), **A))
    add(Case("org_name_blank", 422, "invalid", "name", body=O(name="   "), **A))
    add(Case("org_name_ideographic_space", 422, "invalid", "name",
             body=O(name="\u3000\u3000"), **A))
    add(Case("org_name_newline", 422, "invalid", "name", body=O(name="市委\n办公室"), **A))
    add(Case("org_name_tab", 422, "invalid", "name", body=O(name="市委\t办公室"), **A))
    add(Case("org_name_101_ascii", 422, "invalid", "name", body=O(name="x" * 101), **A))
    add(Case("org_name_101_cjk", 422, "invalid", "name", body=O(name="党" * 101), **A))
    add(Case("org_name_one_million", 422, "invalid", "name", body=O(name="x" * 1000000), **A))
    add(Case("org_kind_invalid", 422, "invalid", "kind", body=O(kind="bogus"), **A))
    add(Case("org_kind_empty", 422, "invalid", "kind", body=O(kind=""), **A))
    add(Case("org_parent_negative", 422, "invalid", "parent_id", body=O(parent_id=-1), **A))
    add(Case("org_parent_zero", 422, "invalid", "parent_id", body=O(parent_id=0), **A))
    add(Case("org_sort_too_big", 422, "invalid", "sort", body=O(sort=1000001), **A))
    add(Case("org_sort_min_int64", 422, "invalid", "sort", body=O(sort=-(2 ** 63)), **A))
    add(Case("org_rename_101", 422, "invalid", "name", who="admin", method="PATCH",
             path=ORGS + "/{child}", body={"name": "名" * 101}))
    add(Case("org_move_under_itself", 422, "invalid", "parent_id", who="admin", method="PATCH",
             path=ORGS + "/{child}", body={"parent_id": "{child}"}))
    # -- 422: users, grants, duties --
    add(Case("user_login_33", 422, "invalid", "login", who="admin", method="POST", path=USERS,
             body=U(login="a" * 33)))
    add(Case("user_login_1", 422, "invalid", "login", who="admin", method="POST", path=USERS,
             body=U(login="a")))
    add(Case("user_login_chinese", 422, "invalid", "login", who="admin", method="POST",
             path=USERS, body=U(login="管理员")))
    add(Case("user_login_space", 422, "invalid", "login", who="admin", method="POST",
             path=USERS, body=U(login="new user")))
    add(Case("user_missing_login", 422, "invalid", "login", who="admin", method="POST",
             path=USERS, body=U(login=NOBODY)))
    add(Case("user_name_51", 422, "invalid", "name", who="admin", method="POST", path=USERS,
             body=U(name="张" * 51)))
    add(Case("user_weak_password", 422, "invalid", "password", who="admin", method="POST",
             path=USERS, body=U(password="abc")))
    add(Case("user_unknown_org", 422, "invalid", "org_id", who="admin", method="POST",
             path=USERS, body=U(org_id=999999)))
    add(Case("user_org_negative", 422, "invalid", "org_id", who="admin", method="POST",
             path=USERS, body=U(org_id=-1)))
    add(Case("user_rename_empty", 422, "invalid", "name", who="admin", method="PATCH",
             path=USERS + "/{staff}", body={"name": ""}))
    add(Case("grant_role_invalid", 422, "invalid", "role", who="sec", method="POST",
             path=USERS + "/{staff}/grants", body={"org_id": "{child}", "role": "king"}))
    add(Case("grant_scope_invalid", 422, "invalid", "scope", who="sec", method="POST",
             path=USERS + "/{staff}/grants",
             body={"org_id": "{child}", "role": "viewer", "scope": "galaxy"}))
    add(Case("grant_missing_role", 422, "invalid", "role", who="sec", method="POST",
             path=USERS + "/{staff}/grants", body={"org_id": "{child}"}))
    add(Case("grant_missing_org", 422, "invalid", "org_id", who="sec", method="POST",
             path=USERS + "/{staff}/grants", body={"role": "viewer"}))
    add(Case("duty_area_empty", 422, "invalid", "area", who="admin", method="POST",
             path=USERS + "/{staff}/duties", body={"area": ""}))
    add(Case("duty_area_101", 422, "invalid", "area", who="admin", method="POST",
             path=USERS + "/{staff}/duties", body={"area": "安" * 101}))
    # -- 422: committees --
    add(Case("committee_position_invalid", 422, "invalid", "members", who="admin",
             method="POST", path=COMM, body=C(members=[{"position": "boss", "name": "x"}])))
    add(Case("committee_member_name_empty", 422, "invalid", "members", who="admin",
             method="POST", path=COMM, body=C(members=[{"position": "leader", "name": ""}])))
    add(Case("committee_201_members", 422, "invalid", "members", who="admin", method="POST",
             path=COMM, body=C(members=[{"position": "member", "name": "成员"}] * 201)))
    add(Case("committee_missing_name", 422, "invalid", "name", who="admin", method="POST",
             path=COMM, body=C(name=NOBODY)))
    add(Case("committee_missing_org", 422, "invalid", "org_id", who="admin", method="POST",
             path=COMM, body=C(org_id=NOBODY)))
    add(Case("committee_rename_blank", 422, "invalid", "name", who="admin", method="PATCH",
             path=COMM + "/{committee}", body={"name": "\u3000"}))
    # -- 422: own password --
    add(Case("password_missing_new", 422, "invalid", "new_password", who="sec", method="PUT",
             path="/api/v1/me/password", body={"old_password": "Test-pass-2026"}))
    # A wrong old password is counted like a failed login (test_api.py
    # checks that); it is not a write-nothing case.
    add(Case("password_weak_new", 422, "invalid", "new_password", who="sec", method="PUT",
             path="/api/v1/me/password",
             body={"old_password": "Test-pass-2026", "new_password": "short"}))
    # -- 422: query parameters --
    add(Case("audit_from_feb_30", 422, "invalid", "from", who="aud",
             path=AUDIT + "?from=2023-02-30"))
    add(Case("audit_to_junk", 422, "invalid", "to", who="aud", path=AUDIT + "?to=junk"))
    add(Case("audit_from_month_13", 422, "invalid", "from", who="aud",
             path=AUDIT + "?from=2023-13-01"))
    add(Case("audit_to_hour_25", 422, "invalid", "to", who="aud",
             path=AUDIT + "?to=2024-01-01T25:00:00%2B08:00"))
    add(Case("audit_to_before_from", 422, "invalid", "to", who="aud",
             path=AUDIT + "?from=2024-01-02&to=2024-01-01"))
    add(Case("audit_action_65", 422, "invalid", "action", who="aud",
             path=AUDIT + "?action=" + "a" * 65))
    add(Case("audit_user_id_0", 422, "invalid", "user_id", who="aud",
             path=AUDIT + "?user_id=0"))
    add(Case("page_0", 422, "invalid", "page", who="admin", path=ORGS + "?page=0"))
    add(Case("size_201", 422, "invalid", "size", who="admin", path=USERS + "?size=201"))
    add(Case("size_negative", 422, "invalid", "size", who="aud", path=AUDIT + "?size=-1"))
    add(Case("page_too_far", 422, "invalid", "page", who="admin", path=ORGS + "?page=1000001"))
    add(Case("users_q_51", 422, "invalid", "q", who="admin", path=USERS + "?q=" + "a" * 51))
    add(Case("committees_without_org", 422, "invalid", "org_id", who="admin", path=COMM))
    add(Case("orgs_parent_zero", 422, "invalid", "parent_id", who="admin",
             path=ORGS + "?parent_id=0"))
    add(Case("orgs_parent_negative", 422, "invalid", "parent_id", who="admin",
             path=ORGS + "?parent_id=-1"))

    # -- notify channels and notices --
    N = dict(who="admin", method="POST", path=CHAN)
    add(Case("channel_kind_sms", 422, "invalid", "kind", body=N_(kind="sms"), **N))
    add(Case("channel_kind_number", 400, "bad_request", "kind", body=N_(kind=1), **N))
    add(Case("channel_missing_target", 422, "invalid", "target", body=N_(target=NOBODY), **N))
    add(Case("channel_missing_org", 422, "invalid", "org_id", body=N_(org_id=NOBODY), **N))
    add(Case("channel_unknown_org", 422, "invalid", "org_id", body=N_(org_id=999999), **N))
    add(Case("channel_extra_field", 400, "bad_request", "token", body=N_(token="x"), **N))
    add(Case("channel_name_number", 400, "bad_request", "name", body=N_(name=5), **N))
    add(Case("channel_name_51", 422, "invalid", "name", body=N_(name="群" * 51), **N))
    add(Case("channel_name_blank", 422, "invalid", "name", body=N_(name="\u3000 "), **N))
    add(Case("channel_active_string", 400, "bad_request", "active", body=N_(active="yes"), **N))
    add(Case("channel_target_1001", 422, "invalid", "target",
             body=N_(target="https://example.org/" + "a" * 981), **N))
    for name, url in (("ftp", "ftp://example.org/hook"), ("no_host", "http:///hook"),
                      ("space", "https://exa mple.org/hook"), ("javascript", "javascript:alert(1)"),
                      ("file", "file:///etc/passwd"), ("relative", "/send?key=1"),
                      ("newline", "https://example.org/\r\nX-Evil: 1"),
                      ("no_scheme", "example.org/hook")):
        add(Case("channel_url_" + name, 422, "invalid", "target", body=N_(target=url), **N))
    for name, addr in (("no_at", "not-an-address"), ("no_dot", "a@localhost"),
                       ("semicolon", "a@example.org;b@example.org"),
                       ("double_dot", "a..b@example.org"), ("empty_item", "a@example.org,,"),
                       ("angle", "<a@example.org>"), ("crlf", "a@example.org\r\nBcc: x@y.org"),
                       ("cjk", "王@例子.中国")):
        add(Case("channel_email_" + name, 422, "invalid", "target",
                 body=N_(kind="email", target=addr), **N))
    add(Case("channel_email_21", 422, "invalid", "target",
             body=N_(kind="email", target=",".join("u%d@example.org" % i for i in range(21))),
             **N))
    add(Case("channel_secret_on_wecom", 422, "invalid", "secret", body=N_(secret="SECabc"), **N))
    add(Case("channel_secret_cjk", 422, "invalid", "secret",
             body=N_(kind="dingtalk", secret="密钥"), **N))
    add(Case("channel_secret_201", 422, "invalid", "secret",
             body=N_(kind="dingtalk", secret="S" * 201), **N))
    add(Case("channel_no_csrf", 403, "csrf_failed", None, body=N_(), csrf=False, **N))
    add(Case("channels_without_org", 422, "invalid", "org_id", who="admin", path=CHAN))
    add(Case("channel_patch_kind", 400, "bad_request", "kind", who="admin", method="PATCH",
             path=CHAN + "/999999", body={"kind": "email"}))
    add(Case("channel_get_unknown", 404, "not_found", "id", who="admin", path=CHAN + "/999999"))
    add(Case("channel_test_unknown", 404, "not_found", "id", who="admin", method="POST",
             path=CHAN + "/999999/test"))
    add(Case("channel_deliveries_page_0", 422, "invalid", "page", who="admin",
             path=CHAN + "/1/deliveries?page=0"))
    add(Case("notices_unread_junk", 400, "bad_request", "unread", who="staff",
             path="/api/v1/notices?unread=maybe"))
    add(Case("notices_size_201", 422, "invalid", "size", who="staff",
             path="/api/v1/notices?size=201"))
    add(Case("notice_read_id_0", 404, "not_found", "id", who="staff", method="POST",
             path="/api/v1/notices/0/read"))
    add(Case("notice_read_unknown", 404, "not_found", "id", who="staff", method="POST",
             path="/api/v1/notices/999999/read"))
    add(Case("notice_read_all_no_csrf", 403, "csrf_failed", None, who="staff", method="POST",
             path="/api/v1/notices/read-all", csrf=False))

    # -- the login route: rejected before any password check, so nothing written --
    add(Case("login_truncated_json", 400, "bad_request", None, body='{"login": "admin"', **L))
    add(Case("login_number", 400, "bad_request", "login",
             body={"login": 5, "password": "x"}, **L))
    add(Case("login_extra_field", 400, "bad_request", "remember",
             body={"login": "admin", "password": "x", "remember": True}, **L))
    add(Case("login_missing_password", 422, "invalid", "password", body={"login": "admin"}, **L))
    add(Case("login_65_chars", 422, "invalid", "login",
             body={"login": "a" * 65, "password": "x"}, **L))
    add(Case("login_text_plain", 415, "unsupported_media_type", None, ctype="text/plain",
             body={"login": "admin", "password": "x"}, **L))

    # -- plans and the plan importer --
    P = dict(who="clerk", method="POST", path=PLANS + "/import")
    imp = {"org_id": "{child}", "year": 2023, "text": "一、加强组织领导\n每年至少召开2次专题会议。"}
    add(Case("plan_import_empty_text", 422, "invalid", "text", body=dict(imp, text=""), **P))
    add(Case("plan_import_blank_text", 422, "invalid", "text",
             body=dict(imp, text=" \n\u3000\n"), **P))
    add(Case("plan_import_no_text", 422, "invalid", "text",
             body={"org_id": "{child}", "year": 2023}, **P))
    add(Case("plan_import_5mib_garbage", 413, "payload_too_large", None,
             body=bytes((i * 7919) % 251 + 1 for i in range(5 * 1024 * 1024)), **P))
    add(Case("plan_import_text_over_1mib", 413, "payload_too_large", "text",
             body=dict(imp, text="一" * (400 * 1024)), **P))
    add(Case("plan_import_invalid_utf8", 400, "bad_request", None,
             body=b'{"org_id": 1, "year": 2023, "text": "\xe4\xb8 \xff\xfe"}', **P))
    add(Case("plan_import_control_chars", 422, "invalid", "text",
             body=dict(imp, text="一、\u0001要点"), **P))
    add(Case("plan_import_year_1999", 422, "invalid", "year", body=dict(imp, year=1999), **P))
    add(Case("plan_import_year_text", 400, "bad_request", "year", body=dict(imp, year="2023"),
             **P))
    add(Case("plan_import_unknown_field", 400, "bad_request", "extra",
             body=dict(imp, extra=1), **P))
    add(Case("plan_import_other_org", 422, "invalid", "org_id",
             body=dict(imp, org_id="{other}"), **P))
    add(Case("plan_import_commit_unknown_kind", 422, "invalid", "obligations",
             body=dict(imp, commit=True, obligations=[{"kind": "no_such_kind", "min": 2,
                                                       "period": "year"}]), **P))
    add(Case("plan_import_commit_min_0", 422, "invalid", "obligations",
             body=dict(imp, commit=True, obligations=[{"kind": "special_meeting", "min": 0,
                                                       "period": "year"}]), **P))
    add(Case("plan_import_commit_bad_period", 422, "invalid", "obligations",
             body=dict(imp, commit=True, obligations=[{"kind": "special_meeting", "min": 2,
                                                       "period": "day"}]), **P))
    add(Case("plan_import_commit_feb_30", 422, "invalid", "dated_activities",
             body=dict(imp, commit=True, dated_activities=[{"name": "五一",
                                                            "date": "2023-02-30"}]), **P))
    add(Case("plan_import_commit_blank_section", 422, "invalid", "sections",
             body=dict(imp, commit=True, sections=[{"title": " ", "items": []}]), **P))
    add(Case("plan_import_commit_viewer", 403, "forbidden", None, who="staff", method="POST",
             path=PLANS + "/import", body=dict(imp, commit=True)))
    add(Case("obligation_plan_item_of_other_org", 422, "invalid", "plan_item_id",
             who="clerk", method="POST", path="/api/v1/obligations",
             body={"org_id": "{child}", "kind": "talk", "min": 1, "period": "year",
                   "year": 2023, "plan_item_id": "{other_item}"}))
    add(Case("record_plan_item_of_other_org", 422, "invalid", "plan_item_ids",
             who="clerk", method="POST", path="/api/v1/records",
             body={"org_id": "{child}", "kind": "talk", "date": "2023-03-01",
                   "title": "谈心谈话", "plan_item_ids": ["{other_item}"]}))
    add(Case("plan_item_due_feb_30", 422, "invalid", "due", who="clerk", method="POST",
             path=PLANS + "/{plan}/items", body={"text": "事项", "due": "2023-02-30"}))
    add(Case("plan_item_status_overdue", 422, "invalid", "status", who="clerk",
             method="PATCH", path="/api/v1/plan-items/{item}", body={"status": "overdue"}))
    add(Case("plan_of_other_org", 404, "not_found", "id", who="clerk",
             path=PLANS + "/{other_plan}"))
    add(Case("plan_issue_self_scope", 403, "forbidden", None, who="clerk", method="POST",
             path=PLANS + "/{plan}/issue"))

    # -- uploads: malformed multipart/form-data, refused types --
    MB = "zrzBadInputBoundary"
    UP = dict(who="clerk", method="POST", path="/api/v1/records/{record}/attachments",
             ctype="multipart/form-data; boundary=" + MB)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
           b"\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x00IEND\xaeB`\x82")

    def part(name='name="file"; filename="a.png"', data=png, eol=b"\r\n"):
        name = name if isinstance(name, bytes) else name.encode()
        return (b"--" + MB.encode() + eol + b"Content-Disposition: form-data; " +
                name + eol + eol + data + eol)
    end = b"--" + MB.encode() + b"--\r\n"
    add(Case("upload_json_not_multipart", 415, "unsupported_media_type", None,
             **dict(UP, ctype="application/json", body={"file": "a.png"})))
    add(Case("upload_no_boundary", 400, "bad_request", None,
             **dict(UP, ctype="multipart/form-data", body=part() + end)))
    add(Case("upload_boundary_71_chars", 400, "bad_request", None,
             **dict(UP, ctype="multipart/form-data; boundary=" + "b" * 71, body=part() + end)))
    add(Case("upload_missing_final_boundary", 400, "bad_request", None, body=part(), **UP))
    add(Case("upload_truncated_final_boundary", 400, "bad_request", None,
             body=part() + end[:-5], **UP))
    add(Case("upload_bare_lf", 400, "bad_request", None,
             body=part(eol=b"\n") + end.replace(b"\r\n", b"\n"), **UP))
    add(Case("upload_no_disposition", 400, "bad_request", None,
             body=b"--" + MB.encode() + b"\r\nContent-Type: image/png\r\n\r\n" + png +
             b"\r\n" + end, **UP))
    add(Case("upload_unterminated_quote", 400, "bad_request", None,
             body=part(name='name="file; filename="a.png') + end, **UP))
    add(Case("upload_bad_rfc5987_name", 400, "bad_request", None,
             body=part(name="name=\"file\"; filename*=UTF-8''%E5%8") + end, **UP))
    add(Case("upload_unknown_field", 400, "bad_request", "comment",
             body=part(name='name="comment"', data="说明".encode()) + end, **UP))
    add(Case("upload_21_files", 400, "bad_request", None, body=part() * 21 + end, **UP))
    add(Case("upload_empty_body", 400, "bad_request", None, body=b"", **UP))
    add(Case("upload_file_without_name", 422, "invalid", "file",
             body=part(name='name="file"') + end, **UP))
    add(Case("upload_name_not_utf8", 422, "invalid", "file",
             body=part(name=b'name="file"; filename="\xff\xfe.png"') + end, **UP))
    add(Case("upload_empty_file", 422, "invalid", "file", body=part(data=b"") + end, **UP))
    add(Case("upload_script_as_jpg", 415, "unsupported_media_type", "file",
             body=part(name='name="file"; filename="photo.jpg"',
                       data=b"#!/bin/sh\nrm -rf /\n") + end, msg="photo.jpg", **UP))
    add(Case("upload_no_csrf", 403, "csrf_failed", None, csrf=False, body=part() + end, **UP))
    add(Case("upload_anonymous", 401, "unauthorized", None, body=part() + end,
             **dict(UP, who=None)))
    add(Case("upload_record_id_leading_zero", 404, "not_found", "id", body=part() + end,
             **dict(UP, path="/api/v1/records/0{record}/attachments")))

    # -- incidents and the inbox --
    I = dict(who="clerk", method="POST", path="/api/v1/incidents")
    inc = {"org_id": "{child}", "title": "媒体报道", "source": "media", "severity": "major"}
    add(Case("incident_found_at_date_only", 422, "invalid", "found_at",
             body=dict(inc, found_at="2026-01-31"), **I))
    add(Case("incident_found_at_future", 422, "invalid", "found_at",
             body=dict(inc, found_at="2099-01-31T23:30:00+08:00"), **I))
    add(Case("incident_found_at_feb_30", 422, "invalid", "found_at",
             body=dict(inc, found_at="2024-02-30T10:00:00+08:00"), **I))
    add(Case("incident_bad_severity", 422, "invalid", "severity",
             body=dict(inc, severity="critical"), **I))
    add(Case("incident_bad_source", 422, "invalid", "source", body=dict(inc, source="rumour"),
             **I))
    add(Case("incident_unknown_field", 400, "bad_request", "person",
             body=dict(inc, person="某某"), **I))
    add(Case("incident_title_invalid_utf8", 400, "bad_request", None,
             body=b'{"org_id": 1, "title": "\xff", "source": "media", "severity": "major"}',
             **I))
    add(Case("incident_member_create", 403, "forbidden", None, body=inc,
             **dict(I, who="staff")))
    AD = dict(who="clerk", method="POST", path="/api/v1/incidents/{incident}/advance")
    add(Case("incident_advance_skip", 409, "conflict", "stage", body={"stage": "report"}, **AD))
    add(Case("incident_advance_close_first", 409, "conflict", "stage", body={"stage": "close"},
             **AD))
    add(Case("incident_advance_unknown_stage", 422, "invalid", "stage",
             body={"stage": "publish"}, **AD))
    add(Case("incident_advance_member", 403, "forbidden", None, body={"stage": "assess"},
             **dict(AD, who="staff")))
    add(Case("incident_advance_missing", 404, "not_found", "id", body={"stage": "assess"},
             **dict(AD, path="/api/v1/incidents/999999/advance")))
    add(Case("inbox_ack_missing", 404, "not_found", "id", body={},
             **dict(AD, path="/api/v1/inbox/999999/ack")))
    LI = dict(who="clerk", method="PUT", path="/api/v1/incident-limits")
    add(Case("incident_limits_zero", 422, "invalid", "limits",
             body={"org_id": "{child}", "limits": {"major": {"assess": 0}}}, **LI))
    add(Case("incident_limits_not_object", 422, "invalid", "limits",
             body={"org_id": "{child}", "limits": [60]}, **LI))
    add(Case("incident_limits_out_of_order", 422, "invalid", "limits",
             body={"org_id": "{child}", "limits": {"general": {"report": 10}}}, **LI))
    # -- rectification (问题整改) and analysis reports (分析研判) --
    PB = dict(who="clerk", method="POST", path="/api/v1/problems")
    pb = {"org_id": "{child}", "source": "self_check", "title": "宣传栏更新不及时"}
    add(Case("problem_bad_source", 422, "invalid", "source", body=dict(pb, source="rumor"), **PB))
    add(Case("problem_title_not_text", 400, "bad_request", "title", body=dict(pb, title=[1]), **PB))
    add(Case("problem_title_201", 422, "invalid", "title", body=dict(pb, title="问" * 201), **PB))
    add(Case("problem_found_feb_30", 422, "invalid", "found_on",
             body=dict(pb, found_on="2026-02-30"), **PB))
    add(Case("problem_unknown_field", 400, "bad_request", "status", body=dict(pb, status="closed"),
             **PB))
    add(Case("problem_other_org", 422, "invalid", "org_id", body=dict(pb, org_id="{other}"), **PB))
    add(Case("problem_by_member", 403, "forbidden", None, body=pb, **dict(PB, who="staff")))
    MS = dict(who="clerk", method="POST", path="/api/v1/problems/{problem}/measures")
    ms = {"text": "专人负责", "deadline": "2026-12-31"}
    add(Case("measure_deadline_13th_month", 422, "invalid", "deadline",
             body=dict(ms, deadline="2026-13-01"), **MS))
    add(Case("measure_owner_other_unit", 422, "invalid", "owner_id",
             body=dict(ms, owner_id="{otherclerk}"), **MS))
    add(Case("measure_done_on_not_done", 422, "invalid", "done_on",
             body=dict(ms, done_on="2026-01-01"), **MS))
    add(Case("measure_problem_id_text", 404, "not_found", "id", body=ms,
             **dict(MS, path="/api/v1/problems/abc/measures")))
    add(Case("problem_close_by_sysadmin", 403, "forbidden", None, body={"opinion": "同意"},
             **dict(PB, who="admin", path="/api/v1/problems/{problem}/close")))
    add(Case("problem_close_by_own_unit", 403, "forbidden", None, body={"opinion": "同意"},
             **dict(PB, path="/api/v1/problems/{problem}/close")))
    add(Case("problem_import_commit_empty", 422, "invalid", "problems",
             body={"org_id": "{child}", "commit": True, "problems": []},
             **dict(PB, path="/api/v1/problems/import")))
    AN = dict(who="clerk", method="POST", path="/api/v1/analyses")
    an = {"org_id": "{child}", "period": "2026-H1", "title": "上半年研判"}
    add(Case("analysis_period_quarter", 422, "invalid", "period", body=dict(an, period="2026-Q1"),
             **AN))
    add(Case("analysis_sections_empty", 422, "invalid", "sections", body=dict(an, sections=[]),
             **AN))
    add(Case("analysis_section_key_repeated", 422, "invalid", "sections",
             body=dict(an, sections=[{"key": "a", "title": "形势", "text": ""},
                                     {"key": "a", "title": "问题", "text": ""}]), **AN))

    # -- the three-stage review (三审) --
    RV = dict(who="clerk", method="POST", path="/api/v1/reviews")
    rv = {"org_id": "{child}", "title": "送审稿件", "body": "正文", "sensitive": False}
    add(Case("review_invalid_utf8", 400, "bad_request", None,
             body=b'{"org_id": 1, "title": "\xe4\xb8", "body": "x"}', **RV))
    add(Case("review_title_control_char", 422, "invalid", "title",
             body=dict(rv, title="标\u0001题"), **RV))
    add(Case("review_title_201", 422, "invalid", "title", body=dict(rv, title="题" * 201), **RV))
    add(Case("review_body_over_limit", 422, "invalid", "body", body=dict(rv, body="文" * 100001),
             **RV))
    add(Case("review_body_2mib", 413, "payload_too_large", None,
             body=dict(rv, body="a" * (2 * 1024 * 1024)), **RV))
    add(Case("review_sensitive_text", 400, "bad_request", "sensitive",
             body=dict(rv, sensitive="yes"), **RV))
    add(Case("review_channel_0", 422, "invalid", "channel_id", body=dict(rv, channel_id=0), **RV))
    add(Case("review_unknown_field", 400, "bad_request", "state",
             body=dict(rv, state="approved"), **RV))
    add(Case("review_other_org", 422, "invalid", "org_id", body=dict(rv, org_id="{other}"), **RV))
    add(Case("review_list_bad_state", 422, "invalid", "state", who="clerk",
             path="/api/v1/reviews?org_id={child}&state=done"))
    add(Case("review_list_org_text", 400, "bad_request", "org_id", who="clerk",
             path="/api/v1/reviews?org_id=abc"))
    SG = dict(who="clerk", method="POST", path="/api/v1/reviews/{review}/approve")
    add(Case("review_opinion_1001", 422, "invalid", "opinion", body={"opinion": "意" * 1001},
             **SG))
    add(Case("review_stage_unknown", 422, "invalid", "stage", body={"stage": "fourth"}, **SG))
    add(Case("review_sign_array", 400, "bad_request", None, body=b"[]", **SG))
    add(Case("review_publish_at_garbage", 422, "invalid", "at",
             body={"url": "https://a.cn/", "at": "2026-02-30T00:00:00+08:00"},
             **dict(SG, path="/api/v1/reviews/{review}/publish")))
    add(Case("review_publish_url_number", 400, "bad_request", "url", body={"url": 1},
             **dict(SG, path="/api/v1/reviews/{review}/publish")))
    add(Case("review_diff_from_0", 422, "invalid", "from", who="clerk",
             path="/api/v1/reviews/{review}/diff?from=0&to=1"))
    add(Case("review_config_hours_721", 422, "invalid", "first_hours", who="admin",
             method="PUT", path="/api/v1/review-config?org_id={child}",
             body={"first_hours": 721}))
    # The files of a submission: the upload parser and the type check of the
    # ledger's attachments, on the review's routes.
    RA = dict(UP, path="/api/v1/reviews/{review}/attachments")
    add(Case("review_upload_json_not_multipart", 415, "unsupported_media_type", None,
             **dict(RA, ctype="application/json", body={"file": "a.png"})))
    add(Case("review_upload_unknown_part", 400, "bad_request", "file",
             body=part(name='name="comment"', data="说明".encode()) + end, **RA))
    add(Case("review_upload_21_files", 400, "bad_request", None, body=part() * 21 + end, **RA))
    add(Case("review_upload_missing_final_boundary", 400, "bad_request", None, body=part(),
             **RA))
    add(Case("review_upload_file_without_name", 422, "invalid", "file",
             body=part(name='name="file"') + end, **RA))
    add(Case("review_upload_empty_file", 422, "invalid", "file", body=part(data=b"") + end,
             **RA))
    add(Case("review_upload_script_as_png", 415, "unsupported_media_type", "file",
             body=part(name='name="file"; filename="图.png"', data=b"<?php echo 1; ?>\n") + end,
             **RA))
    add(Case("review_upload_no_csrf", 403, "csrf_failed", None, csrf=False,
             body=part() + end, **RA))
    add(Case("review_upload_id_leading_zero", 404, "not_found", "id", body=part() + end,
             **dict(RA, path="/api/v1/reviews/0{review}/attachments")))
    add(Case("review_upload_unknown_review", 404, "not_found", "id", body=part() + end,
             **dict(RA, path="/api/v1/reviews/99999999/attachments")))
    add(Case("review_attachment_delete_unknown", 404, "not_found", "aid", who="clerk",
             method="DELETE", path="/api/v1/reviews/{review}/attachments/99999999"))
    add(Case("review_attachment_delete_text_id", 404, "not_found", "aid", who="clerk",
             method="DELETE", path="/api/v1/reviews/{review}/attachments/abc"))
    add(Case("review_attachment_download_0", 404, "not_found", "id", who="clerk",
             path="/api/v1/review-attachments/0"))
    add(Case("review_attachment_download_unknown", 404, "not_found", "id", who="clerk",
             path="/api/v1/review-attachments/99999999"))

    # -- 431 --
    add(Case("header_20k", 431, "header_too_large", None, path="/healthz",
             headers=[("X-Big", "a" * 20480)]))
    add(Case("headers_40_x_500", 431, "header_too_large", None, path="/healthz",
             headers=[("X-H%d" % i, "b" * 500) for i in range(40)]))
    add(Case("header_20k_on_post", 431, "header_too_large", None, body=O(),
             headers=[("X-Big", "c" * 20480)], **A))
    return out


# The static file server's corpus: its own server with --web.
def static_cases():
    S = dict(server="web")
    out = [
        Case("static_dotdot", 404, "not_found", None, path="/../secret", **S),
        Case("static_dotdot_encoded", 404, "not_found", None, path="/%2e%2e/secret", **S),
        Case("static_dotdot_encoded_slash", 404, "not_found", None,
             path="/assets/..%2f..%2fsecret", **S),
        Case("static_dotdot_mixed", 404, "not_found", None,
             path="/assets/%2E%2E/%2e%2e/secret", **S),
        Case("static_double_slash_etc_passwd", 404, "not_found", None, path="//etc/passwd", **S),
        Case("static_backslash", 404, "not_found", None, path="/assets\\..\\..\\secret", **S),
        Case("static_dot_segment", 404, "not_found", None, path="/./index.html", **S),
        Case("static_symlink_file_with_ext", 404, "not_found", None, path="/link-to-secret.txt",
             **S),
        Case("static_symlink_dir", 404, "not_found", None, path="/link-dir/secret.txt", **S),
        Case("static_missing_asset", 404, "not_found", None, path="/assets/missing.js", **S),
        Case("static_post", 405, "method_not_allowed", None, method="POST", path="/index.html",
             body={}, allow="GET, HEAD", **S),
        Case("static_api_unknown", 404, "not_found", None, path="/api/v1/nope", **S),
    ]
    return out


def make_case_test(c, ctx):
    def t():
        srv = ctx["servers"][c.server]
        if c.setup:
            c.setup(ctx)
        data = request_bytes(c, ctx)
        before = srv.counts()
        r = send_raw(srv.port, data)
        after = srv.counts()
        if c.native:
            # libmicrohttpd 0.9.75 answers these itself, before zerenzhi
            # sees the request, with its own plain page: only the status
            # (and that nothing was written) can be checked.
            assert r.status == c.status, "expected %d, got %r" % (c.status, r)
        else:
            check_error(r, c.status, c.code, c.field, c.msg, c.allow)
        assert before == after, "rows written: %r -> %r" % (before, after)
    t.__name__ = "%d_%s" % (c.status, c.name)
    return t


# ---- set-up ----

def setup_main():
    srv = Server()
    ctx = {"srv": srv, "sessions": {}}
    root = srv.add_org("测试市委", kind="committee")
    child = srv.add_org("办公室", parent=root, kind="department")
    ctx.update(root=root, child=child)
    ctx["admin"] = srv.add_user(root, "admin", "sysadmin", "subtree")
    ctx["sec"] = srv.add_user(root, "sec", "secadmin", "subtree")
    ctx["aud"] = srv.add_user(root, "aud", "auditor", "subtree")
    for login in ("staff", "idleuser", "olduser", "lockeduser", "victim", "victim2"):
        ctx[login] = srv.add_user(child, login, "member")
    ctx["other"] = srv.add_org("另一单位", parent=root)
    ctx["clerk"] = srv.add_user(child, "clerk", "office")
    ctx["otherclerk"] = srv.add_user(ctx["other"], "otherclerk", "office")
    srv.start()
    for login in ("admin", "sec", "aud", "staff", "idleuser", "olduser", "lockeduser", "clerk"):
        ctx["sessions"][login] = srv.login(login)
    r = ctx["sessions"]["clerk"].post("/api/v1/records", {
        "org_id": child, "kind": "special_meeting", "date": "2023-03-05", "title": "专题会议"})
    assert r.status == 201, r
    ctx["record"] = r.json["id"]
    admin = ctx["sessions"]["admin"]
    r = admin.post(COMM, {"org_id": child, "name": "安全生产领导小组",
                          "members": [{"position": "leader", "name": "张三"}]})
    assert r.status == 201, r
    ctx["committee"] = r.json["id"]
    r = admin.post(USERS + "/%d/duties" % ctx["staff"], {"area": "安全生产"})
    assert r.status == 201, r
    ctx["duty"] = r.json["id"]
    ctx["grant"] = srv.sql("SELECT id FROM role_grant WHERE user_id = ?", (ctx["staff"],))[0][0]
    # A plan with an item in the office's unit and one in another unit.
    for login, org in (("clerk", "child"), ("otherclerk", "other")):
        s = ctx["sessions"][login] = srv.login(login)
        r = s.post(PLANS, {"org_id": ctx[org], "year": 2023, "title": "2023年工作要点"})
        assert r.status == 201, r
        prefix = "" if org == "child" else "other_"
        ctx[prefix + "plan"] = r.json["id"]
        r = s.post(PLANS + "/%d/items" % r.json["id"], {"text": "召开专题会议"})
        assert r.status == 201, r
        ctx[prefix + "item"] = r.json["id"]
    r = ctx["sessions"]["clerk"].post("/api/v1/incidents", {
        "org_id": child, "title": "群众反映", "source": "complaint", "severity": "general",
        "found_at": "2026-01-31T23:30:00+08:00"})
    assert r.status == 201, r
    ctx["incident"] = r.json["id"]
    # A problem of the office's unit (todo: it has no measure).
    r = ctx["sessions"]["clerk"].post("/api/v1/problems", {
        "org_id": child, "source": "inspection", "title": "宣传栏更新不及时"})
    assert r.status == 201, r
    ctx["problem"] = r.json["id"]
    r = ctx["sessions"]["clerk"].post("/api/v1/reviews", {
        "org_id": child, "title": "送审稿件", "body": "正文"})
    assert r.status == 201, r
    ctx["review"] = r.json["id"]
    return srv, ctx


def setup_web(base):
    web = os.path.join(base, "web")
    os.makedirs(os.path.join(web, "assets"))
    outside = os.path.join(base, "outside")
    os.makedirs(outside)
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>责任制</title>")
    with open(os.path.join(web, "assets", "app.js"), "w") as f:
        f.write("console.log('app');")
    with open(os.path.join(base, "secret"), "w") as f:
        f.write("TOP-SECRET-OUTSIDE")
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("TOP-SECRET-OUTSIDE")
    os.symlink(os.path.join(base, "secret"), os.path.join(web, "link-to-outside"))
    os.symlink(os.path.join(base, "secret"), os.path.join(web, "link-to-secret.txt"))
    os.symlink(outside, os.path.join(web, "link-dir"))
    return Server(web=web)


# ---- tests beyond the table ----

def login_failure_tests(ctx):
    srv = ctx["srv"]

    def login_raw(login, password):
        return send_raw(srv.port, build_request(
            "POST", "/api/v1/session", [("Content-Type", "application/json")],
            json.dumps({"login": login, "password": password}).encode()))

    def login_wrong_password_is_audited():
        before = srv.counts()
        r = login_raw("victim", "Wrong-pass-2026")
        check_error(r, 401, "unauthorized", None, msg="登录名或密码错误")
        after = srv.counts()
        assert after["audit"] == before["audit"] + 1, (before, after)
        assert after["login_failure"] == before["login_failure"] + 1, (before, after)
        assert after["session"] == before["session"], (before, after)
        assert srv.audit("session.login_failed")[-1][1] == ctx["victim"]
        assert r.header("Set-Cookie") is None, r.headers

    def login_unknown_user_same_answer():
        before = srv.counts()
        r = login_raw("nobody-here", "Wrong-pass-2026")
        check_error(r, 401, "unauthorized", None, msg="登录名或密码错误")
        after = srv.counts()
        assert after["audit"] == before["audit"] + 1, (before, after)
        assert after["session"] == before["session"], (before, after)
        assert after["users"] == before["users"], (before, after)

    def login_lockout_then_refused():
        locked = None
        for _ in range(6):
            r = login_raw("victim2", "Wrong-pass-2026")
            if r.status != 401:
                locked = r
                break
        assert locked is not None, "no lockout after 6 failures"
        check_error(locked, 423, "account_locked", None)
        before = srv.counts()
        r = login_raw("victim2", "Test-pass-2026")  # right password, still locked
        check_error(r, 423, "account_locked", None)
        after = srv.counts()
        assert after["session"] == before["session"], (before, after)
        assert after["audit"] == before["audit"] + 1, (before, after)
        assert srv.audit("session.login_refused"), "refused login not audited"

    return [login_wrong_password_is_audited, login_unknown_user_same_answer,
            login_lockout_then_refused]


def static_ok_tests(ctx):
    def get(path):
        return send_raw(ctx["servers"]["web"].port, build_request("GET", path))

    def static_spa_route_gets_index():
        r = get("/some/app/route")
        assert r.status == 200, r
        assert r.header("Content-Type").startswith("text/html"), r.headers
        assert "责任制".encode() in r.body, r

    def static_asset_served():
        r = get("/assets/app.js")
        assert r.status == 200, r
        assert r.header("Content-Type").startswith("text/javascript"), r.headers
        assert r.body == b"console.log('app');", r

    def static_symlink_never_followed():
        # A symlink is never opened; an extension-less path that names no
        # servable file falls back to the app's index.html (SPA routes).
        r = get("/link-to-outside")
        assert b"TOP-SECRET" not in r.body, r
        assert r.status == 200 and r.header("Content-Type").startswith("text/html"), r
        assert "责任制".encode() in r.body, r

    def static_nothing_outside_ever_served():
        for p in ("/../secret", "/%2e%2e/secret", "/assets/..%2f..%2fsecret", "//etc/passwd",
                  "/link-to-outside", "/link-to-secret.txt", "/link-dir/secret.txt",
                  "/assets/%2e%2e/%2e%2e/secret", "/%2e%2e%2fsecret", "/..%5csecret"):
            r = get(p)
            assert b"TOP-SECRET" not in r.body and b"root:" not in r.body, (p, r)

    return [static_spa_route_gets_index, static_asset_served, static_symlink_never_followed,
            static_nothing_outside_ever_served]


def slow_body_408():
    srv = Server(extra_args=["--request-timeout", "1"])
    try:
        srv.start()
        before = srv.counts()
        head = build_request("POST", ORGS, [("Content-Type", "application/json"),
                                            ("Content-Length", "100")])
        body = b'{"parent_id": 1, "name": "' + b"x" * 70 + b'"}'
        body += b" " * (100 - len(body))
        r = send_raw(srv.port, [head + body[:10], 1.5, body[10:]])
        check_error(r, 408, "request_timeout", None)
        assert (r.header("Connection") or "").lower() == "close", r.headers
        assert srv.counts() == before
        # A prompt request on the same server is unaffected.
        assert srv.client().get("/healthz").status == 200
        srv.stop()
    finally:
        srv.cleanup()


def max_connections_503():
    srv = Server(extra_args=["--max-connections", "4"])
    socks = []
    try:
        srv.start()
        time.sleep(0.2)  # let the start-up probe's connection go
        before = srv.counts()
        for i in range(6):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            socks.append(s)
            if i < 3:  # a few keep-alive connections that have been used
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                r = read_response(s)
                assert r.status == 200, r
        time.sleep(0.3)
        r = send_raw(srv.port, build_request("GET", "/healthz"))
        check_error(r, 503, "unavailable", None)
        assert srv.counts() == before
        for s in socks:
            s.close()
        socks = []
        deadline = time.time() + 5
        while True:
            r = send_raw(srv.port, build_request("GET", "/healthz"))
            if r.status == 200 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert r.status == 200, "server did not recover after the connections closed: %r" % r
        srv.stop()
    finally:
        for s in socks:
            s.close()
        srv.cleanup()


def graceful_stop_drains_and_refuses():
    """SIGTERM: the request in flight is answered, new connections are not
    accepted any more, and the server exits 0."""
    srv = Server()
    try:
        srv.start()
        body = b'{"parent_id": 1, "name": "x"}'
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(build_request("POST", ORGS, [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(body)))]) + body[:5])
        time.sleep(0.3)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        try:
            late = send_raw(srv.port, build_request("GET", "/healthz"), timeout=3)
        except (OSError, AssertionError):
            late = None  # refused or closed: what a draining server should do
        s.sendall(body[5:])
        check_error(read_response(s), 401, "unauthorized", None)
        s.close()
        srv.stop()
        assert late is None, "a new connection was served while draining: %r" % late
    finally:
        srv.cleanup()


# ---- main ----

def main():
    start = time.time()
    base = tempfile.mkdtemp(prefix="zrz-badin-")
    srv = web = None
    try:
        srv, ctx = setup_main()
        web = setup_web(base)
        web.start()
        ctx["servers"] = {"main": srv, "web": web}
        table = cases() + static_cases()
        tests = [make_case_test(c, ctx) for c in table]
        tests += static_ok_tests(ctx) + login_failure_tests(ctx)
        tests += [slow_body_408, max_connections_503, graceful_stop_drains_and_refuses]

        def main_server_still_healthy_and_stops():
            r = srv.client().get("/healthz")
            assert r.status == 200 and r.json == {"status": "ok"}, r
            srv.stop()

        def web_server_stops():
            web.stop()

        tests += [main_server_still_healthy_and_stops, web_server_stops]
        rc = run(tests)
        by_status = {}
        for c in table:
            by_status[c.status] = by_status.get(c.status, 0) + 1
        print("corpus: %d cases (%s) + 408 + 503 + %d other checks, %.1fs" % (
            len(table), ", ".join("%d: %d" % kv for kv in sorted(by_status.items())),
            len(tests) - len(table) - 2, time.time() - start), flush=True)
        return rc
    finally:
        for s in (srv, web):
            if s:
                s.cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
