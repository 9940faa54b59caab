#!/usr/bin/env python3
"""API tests of zerenzhi: sessions, lockout, password rules, CSRF, data scope,
三员分立, the unit tree, committees, users, the audit trail, backup,
concurrent writes and shutdown.

One server on a fresh SQLite database serves almost every test, in order; a
second one with --lockout-failures 3 checks that setting.  Every check looks
at the status code, the JSON body and what reached the database.

    python3 tests/api/test_api.py          (ZRZ_BIN selects the binary)
"""

import datetime
import os
import shutil
import subprocess
import sys
import threading
import time
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import PASSWORD, DBError, Server, run  # noqa: E402

NEW_PASSWORD = "Nova-pass-2027"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

S = None          # the server most tests share
IDS = {}          # org and user ids by short name
SECRETS = set()   # passwords, session tokens and CSRF tokens used: never in the audit trail


# ---------------------------------------------------------------- helpers

def check_error(r, status, code, field=Ellipsis, message=None):
    """r is an error answer with this status, code (and field, message)."""
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    j = r.json
    assert isinstance(j, dict) and set(j) == {"error"}, r
    e = j["error"]
    assert e["code"] == code, "want code %s, got %r" % (code, r)
    assert isinstance(e["message"], str) and e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)
    if message is not None:
        assert e["message"] == message, "want message %r, got %r" % (message, e["message"])
    return e


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def login(name, password=PASSWORD, server=None):
    c = (server or S).login(name, password)
    SECRETS.update([c.cookie, c.csrf, password])
    return c


def with_cookie(cookie, csrf=None):
    c = S.client()
    c.cookie = cookie
    c.csrf = csrf
    return c


def unchanged(fn):
    """Run fn; no table may gain or lose a row."""
    before = S.counts()
    out = fn()
    after = S.counts()
    assert before == after, "rows changed: %r" % {
        t: (before.get(t), after.get(t)) for t in set(before) | set(after)
        if before.get(t) != after.get(t)}
    return out


def audit_rows(action, **want):
    """Audit rows of action whose columns match want (user_id, org_id, entity, entity_id)."""
    rows = S.audit(action)
    cols = {"user_id": 1, "org_id": 2, "entity": 4, "entity_id": 5}
    return [row for row in rows if all(row[cols[k]] == v for k, v in want.items())]


def assert_audit(action, **want):
    rows = audit_rows(action, **want)
    assert rows, "no audit row %s %r; have %r" % (action, want, S.audit(action)[-5:])
    return rows[-1]


def now():
    return int(time.time())


def user_id(login_name):
    return S.sql("SELECT id FROM users WHERE login = ?", (login_name,))[0][0]


def bin_run(*args, stdin=None):
    return subprocess.run([harness.BIN] + list(args), input=stdin, capture_output=True,
                          text=True, timeout=120)


# ---------------------------------------------------------------- setup

def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=b)
    bb = IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["sys"] = S.add_user(b, "sys", "sysadmin", "subtree", name="系统管理员甲")
    IDS["sec"] = S.add_user(b, "sec", "secadmin", "subtree", name="安全管理员乙")
    IDS["aud"] = S.add_user(b, "aud", "auditor", "subtree", name="审计员丙")
    IDS["shuji"] = S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    IDS["offa"] = S.add_user(a, "offa", "office", "self", name="一中办公室")
    IDS["offb"] = S.add_user(bb, "offb", "office", "self", name="二中办公室")
    IDS["plain"] = S.add_user(a, "plain", "member", "self", name="普通党员")
    IDS["auda"] = S.add_user(a, "auda", "auditor", "self", name="一中审计员")
    IDS["aud2"] = S.add_user(b, "aud2", "auditor", "subtree", name="审计员丁")
    IDS["sec2"] = S.add_user(b, "sec2", "secadmin", "subtree", name="安全管理员戊")
    for name in ("lockme", "expire", "idle", "victim", "cand"):
        IDS[name] = S.add_user(a, name, "member", "self", name="测试" + name)
    IDS["temp1"] = S.add_user(a, "temp1", "member", "self", temporary=True,
                              password="Temp-pass-2026")
    SECRETS.update([PASSWORD, "Temp-pass-2026"])
    S.start()


# ---------------------------------------------------------------- 1. login / logout

def test_login_logout():
    c = S.client()
    r = c.login("sys")
    j = ok(r)
    assert set(j) == {"user", "csrf", "must_change_password"}, j
    assert j["must_change_password"] is False
    assert j["user"]["id"] == IDS["sys"] and j["user"]["login"] == "sys"
    assert j["user"]["name"] == "系统管理员甲"
    assert not {"pass_hash", "password"} & set(j["user"]), j["user"]
    assert "$argon2" not in r.body.decode()
    assert [g["role"] for g in j["user"]["grants"]] == ["sysadmin"]
    assert len(j["csrf"]) >= 32
    sc = r.header("Set-Cookie")
    parts = [p.strip() for p in sc.split(";")]
    assert parts[0].startswith("zrz_session=") and len(parts[0]) > 40, sc
    attrs = {p.split("=")[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts[1:]}
    assert attrs.get("httponly") is True, sc
    assert attrs.get("samesite") == "Strict", sc
    assert attrs.get("path") == "/", sc
    SECRETS.update([c.cookie, c.csrf])
    # The token is stored only as a hash.
    assert not S.sql("SELECT 1 FROM session WHERE token_hash = ? OR csrf = ?", (c.cookie, c.cookie))

    me = ok(c.get("/api/v1/me"))
    assert me["user"]["id"] == IDS["sys"] and me["csrf"] == c.csrf
    assert me["must_change_password"] is False
    sid = S.sql("SELECT id FROM session WHERE user_id = ?", (IDS["sys"],))[-1][0]
    assert_audit("session.login", user_id=IDS["sys"], entity="session", entity_id=sid)

    cookie, csrf = c.cookie, c.csrf
    r = c.delete("/api/v1/session")
    assert r.status == 204 and r.body == b"", r
    sc = r.header("Set-Cookie")
    assert sc and sc.startswith("zrz_session=;") and "Max-Age=0" in sc, sc
    assert not S.sql("SELECT 1 FROM session WHERE id = ?", (sid,))
    assert_audit("session.logout", user_id=IDS["sys"], entity="session", entity_id=sid)
    old = with_cookie(cookie, csrf)
    check_error(old.get("/api/v1/me"), 401, "unauthorized")
    check_error(old.get("/api/v1/orgs"), 401, "unauthorized")
    check_error(old.post("/api/v1/orgs", {"parent_id": IDS["bureau"], "name": "x"}),
                401, "unauthorized")
    check_error(S.client().get("/api/v1/me"), 401, "unauthorized")

    # Wrong password and unknown login: the same answer.
    wrong = S.client().login("sys", "Wrong-pass-2026")
    unknown = S.client().login("nosuchuser", "Wrong-pass-2026")
    check_error(wrong, 401, "unauthorized", message="登录名或密码错误")
    check_error(unknown, 401, "unauthorized", message="登录名或密码错误")
    assert wrong.body == unknown.body, (wrong, unknown)
    assert wrong.header("Set-Cookie") is None and unknown.header("Set-Cookie") is None
    assert_audit("session.login_failed", user_id=IDS["sys"])
    assert_audit("session.login_failed", user_id=None, org_id=None)
    S.sql("DELETE FROM login_failure")


# ---------------------------------------------------------------- 2. lockout

def test_lockout():
    for i in range(1, 5):
        check_error(S.client().login("lockme", "Wrong-pass-%d" % i), 401, "unauthorized",
                    message="登录名或密码错误")
    r = S.client().login("lockme", "Wrong-pass-5")
    check_error(r, 423, "account_locked")
    refused_before = len(audit_rows("session.login_refused"))
    for pw in (PASSWORD, "Wrong-pass-6"):
        check_error(S.client().login("lockme", pw), 423, "account_locked")
    assert not S.sql("SELECT 1 FROM session WHERE user_id = ?", (IDS["lockme"],))
    failed = audit_rows("session.login_failed", user_id=IDS["lockme"])
    assert len(failed) == 5, failed
    assert '"locked":true' in failed[-1][6] and '"locked":false' in failed[0][6], failed
    refused = audit_rows("session.login_refused", user_id=IDS["lockme"])
    assert len(refused) == 2 and len(audit_rows("session.login_refused")) == refused_before + 2
    assert '"reason":"locked"' in refused[-1][6], refused
    locked_until = S.sql("SELECT locked_until FROM login_failure WHERE login = 'lockme'")[0][0]
    assert now() + 14 * 60 <= locked_until <= now() + 15 * 60 + 5, locked_until

    # An unknown login behaves the same.
    for i in range(1, 5):
        check_error(S.client().login("ghost", "Wrong-pass-%d" % i), 401, "unauthorized",
                    message="登录名或密码错误")
    check_error(S.client().login("ghost", "Wrong-pass-5"), 423, "account_locked")
    check_error(S.client().login("ghost", PASSWORD), 423, "account_locked")
    assert len(audit_rows("session.login_failed", user_id=None)) >= 5
    assert any('"login":"ghost"' in row[6] for row in audit_rows("session.login_refused"))

    # Once the lock has run out the right password works, and the counter is cleared.
    S.sql("UPDATE login_failure SET locked_until = ? WHERE login = 'lockme'", (now() - 1,))
    c = login("lockme")
    assert c.user["id"] == IDS["lockme"]
    assert not S.sql("SELECT 1 FROM login_failure WHERE login = 'lockme'")
    ok(c.get("/api/v1/me"))
    # A wrong password after the lock ran out counts from zero again.
    check_error(S.client().login("lockme", "Wrong-pass-7"), 401, "unauthorized")
    S.sql("DELETE FROM login_failure")


def test_lockout_setting():
    s2 = Server(extra_args=["--lockout-failures", "3", "--lockout-minutes", "2"])
    try:
        org = s2.add_org("单位")
        s2.add_user(org, "u1", "member")
        s2.start()
        for i in (1, 2):
            check_error(s2.client().login("u1", "Wrong-pass-%d" % i), 401, "unauthorized")
        check_error(s2.client().login("u1", "Wrong-pass-3"), 423, "account_locked")
        check_error(s2.client().login("u1", PASSWORD), 423, "account_locked")
        until = s2.sql("SELECT locked_until FROM login_failure WHERE login = 'u1'")[0][0]
        assert now() + 60 < until <= now() + 125, until
        s2.sql("UPDATE login_failure SET locked_until = 0")
        assert s2.client().login("u1").status == 200
        s2.stop()
    finally:
        s2.cleanup()


# ---------------------------------------------------------------- 3. passwords

def test_password_expiry():
    S.sql("UPDATE users SET pass_changed_at = ? WHERE id = ?", (now() - 91 * 86400, IDS["expire"]))
    c = S.client()
    j = ok(c.login("expire"))
    SECRETS.update([c.cookie, c.csrf])
    assert j["must_change_password"] is True, j
    row = assert_audit("session.login", user_id=IDS["expire"])
    assert '"must_change_password":true' in row[6], row
    for path in ("/api/v1/orgs", "/api/v1/orgs/%d" % IDS["A"], "/api/v1/users",
                 "/api/v1/committees?org_id=%d" % IDS["A"]):
        check_error(c.get(path), 403, "password_change_required")
    unchanged(lambda: check_error(
        c.post("/api/v1/committees", {"org_id": IDS["A"], "name": "小组"}),
        403, "password_change_required"))
    me = ok(c.get("/api/v1/me"))
    assert me["must_change_password"] is True and me["user"]["id"] == IDS["expire"]

    # A wrong old password counts like a failed login (and nothing else
    # changes): one failure for the login, one audit row.
    before = S.counts()
    r = c.put("/api/v1/me/password", {"old_password": "Not-my-pass-1",
                                      "new_password": NEW_PASSWORD})
    check_error(r, 422, "invalid", field="old_password")
    after = S.counts()
    diff = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    assert diff == {"login_failure": 1, "audit": 1}, diff
    assert S.sql("SELECT failures FROM login_failure WHERE login = 'expire'") == [(1,)]
    assert_audit("user.password_change_failed", user_id=IDS["expire"])
    for weak in ("short1A", "alllowercaseletters", "ALLUPPER12345", "expire", PASSWORD):
        r = c.put("/api/v1/me/password", {"old_password": PASSWORD, "new_password": weak})
        check_error(r, 422, "invalid", field="new_password")
    check_error(c.get("/api/v1/orgs"), 403, "password_change_required")

    other = login("expire")
    r = c.put("/api/v1/me/password", {"old_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert r.status == 204 and r.body == b"", r
    # The session that changed the password goes on; every other one ends.
    check_error(other.get("/api/v1/me"), 401, "unauthorized")
    SECRETS.add(NEW_PASSWORD)
    items = ok(c.get("/api/v1/orgs"))["items"]
    assert [o["id"] for o in items] == [IDS["A"]], items
    me = ok(c.get("/api/v1/me"))
    assert me["must_change_password"] is False and me["user"]["must_change_password"] is False
    changed, must = S.sql("SELECT pass_changed_at, must_change FROM users WHERE id = ?",
                          (IDS["expire"],))[0]
    assert abs(changed - now()) < 60 and must == 0
    assert_audit("user.password_change", user_id=IDS["expire"], entity="user",
                 entity_id=IDS["expire"])
    check_error(S.client().login("expire"), 401, "unauthorized")
    c2 = login("expire", NEW_PASSWORD)
    assert ok(c2.get("/api/v1/me"))["must_change_password"] is False
    S.sql("DELETE FROM login_failure")


def test_temporary_password_cli():
    c = S.client()
    j = ok(c.login("temp1", "Temp-pass-2026"))
    SECRETS.update([c.cookie, c.csrf])
    assert j["must_change_password"] is True and j["user"]["must_change_password"] is True
    check_error(c.get("/api/v1/orgs"), 403, "password_change_required")
    check_error(c.get("/api/v1/audit"), 403, "password_change_required")
    # Logging out is allowed while the change is pending.
    r = c.put("/api/v1/me/password", {"old_password": "Temp-pass-2026",
                                      "new_password": "Temp-pass-2027"})
    assert r.status == 204, r
    SECRETS.add("Temp-pass-2027")
    ok(c.get("/api/v1/orgs"))
    assert c.delete("/api/v1/session").status == 204


def test_api_created_users():
    sysc = login("sys")
    r = sysc.post("/api/v1/users", {"org_id": IDS["A"], "login": "Newbie", "name": "新同事"})
    j = ok(r, 201)
    assert j["login"] == "newbie" and j["name"] == "新同事" and j["org_id"] == IDS["A"]
    assert j["must_change_password"] is True and j["grants"] == [] and j["duties"] == []
    tmp = j["temporary_password"]
    assert isinstance(tmp, str) and len(tmp) >= 12, j
    SECRETS.add(tmp)
    IDS["newbie"] = j["id"]
    assert S.sql("SELECT must_change, org_id FROM users WHERE id = ?", (j["id"],)) == [(1, IDS["A"])]
    row = assert_audit("user.create", user_id=IDS["sys"], entity="user", entity_id=j["id"],
                       org_id=IDS["A"])
    assert tmp not in row[6]

    c = S.client()
    lj = ok(c.login("newbie", tmp))
    SECRETS.update([c.cookie, c.csrf])
    assert lj["must_change_password"] is True
    check_error(c.get("/api/v1/orgs"), 403, "password_change_required")

    # A password given by the administrator is temporary too.
    given = "Given-pass-2026"
    SECRETS.add(given)
    j2 = ok(sysc.post("/api/v1/users", {"org_id": IDS["A"], "login": "newbie2", "name": "新同事二",
                                        "password": given}), 201)
    assert "temporary_password" not in j2 and j2["must_change_password"] is True
    assert ok(S.client().login("newbie2", given))["must_change_password"] is True
    # Weak or duplicate: 422 / 409, nothing written.
    check_error(unchanged(lambda: sysc.post("/api/v1/users", {
        "org_id": IDS["A"], "login": "newbie3", "name": "x", "password": "weak"})),
        422, "invalid", field="password")
    check_error(unchanged(lambda: sysc.post("/api/v1/users", {
        "org_id": IDS["A"], "login": "NEWBIE", "name": "重复"})), 409, "conflict", field="login")
    # Only a sysadmin creates users.
    offa = login("offa")
    check_error(unchanged(lambda: offa.post("/api/v1/users", {
        "org_id": IDS["A"], "login": "sneaky", "name": "x"})), 403, "forbidden")


# ---------------------------------------------------------------- 4. session timeouts

def test_session_timeouts():
    c = login("idle")
    sid = S.sql("SELECT id FROM session WHERE user_id = ?", (IDS["idle"],))[-1][0]
    # 29 minutes idle: still fine, and the request refreshes last_seen.
    S.sql("UPDATE session SET last_seen = ? WHERE id = ?", (now() - 29 * 60, sid))
    ok(c.get("/api/v1/me"))
    seen = S.sql("SELECT last_seen FROM session WHERE id = ?", (sid,))[0][0]
    assert abs(seen - now()) < 10, seen
    S.sql("UPDATE session SET last_seen = ? WHERE id = ?", (now() - 31 * 60, sid))
    check_error(c.get("/api/v1/me"), 401, "unauthorized")
    check_error(c.get("/api/v1/orgs"), 401, "unauthorized")

    c = login("idle")
    sid = S.sql("SELECT id FROM session WHERE user_id = ? ORDER BY id DESC", (IDS["idle"],))[0][0]
    created, expires = S.sql("SELECT created_at, expires_at FROM session WHERE id = ?", (sid,))[0]
    assert expires - created == 12 * 3600, (created, expires)
    ok(c.get("/api/v1/me"))
    S.sql("UPDATE session SET expires_at = ? WHERE id = ?", (now() - 1, sid))
    check_error(c.get("/api/v1/me"), 401, "unauthorized")


# ---------------------------------------------------------------- 5. CSRF

def test_csrf():
    c = login("sys")
    body = {"parent_id": IDS["bureau"], "name": "不应出现的单位"}
    check_error(unchanged(lambda: c.post("/api/v1/orgs", body, csrf=False)), 403, "csrf_failed")
    for bad in ("x" * 43, c.csrf[:-1], c.csrf + "A", "", c.csrf.lower() + "Z"):
        check_error(unchanged(lambda: c.post("/api/v1/orgs", body,
                                             headers={"X-CSRF-Token": bad})),
                    403, "csrf_failed")
    # Somebody else's token does not do either.
    other = login("shuji")
    check_error(unchanged(lambda: c.post("/api/v1/orgs", body,
                                         headers={"X-CSRF-Token": other.csrf})),
                403, "csrf_failed")
    assert not S.sql("SELECT 1 FROM org WHERE name = ?", (body["name"],))
    # PATCH and DELETE, too: the unit keeps its name, the session stays.
    check_error(unchanged(lambda: c.patch("/api/v1/orgs/%d" % IDS["B"], {"name": "改名"},
                                          csrf=False)), 403, "csrf_failed")
    assert S.sql("SELECT name FROM org WHERE id = ?", (IDS["B"],)) == [("第二中学",)]
    check_error(unchanged(lambda: c.delete("/api/v1/session", csrf=False)), 403, "csrf_failed")
    check_error(unchanged(lambda: c.put("/api/v1/me/password", {
        "old_password": PASSWORD, "new_password": "Other-pass-2026"}, csrf=False)),
        403, "csrf_failed")
    ok(c.get("/api/v1/me"))
    # With the right token it works.
    j = ok(c.post("/api/v1/orgs", {"parent_id": IDS["bureau"], "name": "临时单位"}), 201)
    assert c.delete("/api/v1/orgs/%d" % j["id"]).status == 204


# ---------------------------------------------------------------- 6. scope

def test_scope_isolation():
    A, B, bureau = IDS["A"], IDS["B"], IDS["bureau"]
    sysc = login("sys")
    cb = ok(sysc.post("/api/v1/committees", {"org_id": B, "name": "二中意识形态工作领导小组",
                                             "members": [{"position": "leader", "name": "周八"}]}),
            201)
    assert cb["org_id"] == B
    ca = login("offa")
    cbu = login("offb")

    j = ok(ca.get("/api/v1/orgs"))
    assert [o["id"] for o in j["items"]] == [A] and j["total"] == 1, j
    assert ok(ca.get("/api/v1/orgs/%d" % A))["path"] == "/%d/%d/" % (bureau, A)
    for path in ("/api/v1/orgs/%d" % B, "/api/v1/orgs/%d" % bureau,
                 "/api/v1/orgs?parent_id=%d" % bureau, "/api/v1/orgs/%d/tree" % B,
                 "/api/v1/orgs/%d/tree" % bureau, "/api/v1/users?org_id=%d" % B,
                 "/api/v1/users?org_id=%d&subtree=1" % bureau,
                 "/api/v1/users/%d" % IDS["offb"], "/api/v1/users/%d/grants" % IDS["offb"],
                 "/api/v1/committees/%d" % cb["id"], "/api/v1/committees?org_id=%d" % B,
                 "/api/v1/orgs/999999"):
        check_error(ca.get(path), 404, "not_found")
    # Not found and out of scope look the same.
    assert ca.get("/api/v1/orgs/%d" % B).body == ca.get("/api/v1/orgs/999999").body
    check_error(unchanged(lambda: ca.patch("/api/v1/committees/%d" % cb["id"], {"name": "x"})),
                404, "not_found")
    check_error(unchanged(lambda: ca.delete("/api/v1/committees/%d" % cb["id"])),
                404, "not_found")
    r = unchanged(lambda: ca.post("/api/v1/committees", {"org_id": B, "name": "越权的小组"}))
    assert r.status in (403, 422), r
    check_error(r, r.status, "invalid" if r.status == 422 else "forbidden")
    assert not S.sql("SELECT 1 FROM committee WHERE name = '越权的小组'")
    check_error(unchanged(lambda: ca.post("/api/v1/orgs", {"parent_id": A, "name": "下级"})),
                403, "forbidden", field="parent_id")
    # Users of A: visible; only A's.
    users = ok(ca.get("/api/v1/users"))
    assert users["items"] and all(u["org_id"] == A for u in users["items"]), users
    assert users["total"] == S.sql("SELECT count(*) FROM users WHERE org_id = ?", (A,))[0][0]
    # And B's office sees nothing of A.
    check_error(cbu.get("/api/v1/orgs/%d" % A), 404, "not_found")
    assert [o["id"] for o in ok(cbu.get("/api/v1/orgs"))["items"]] == [B]

    # The bureau's secretary sees both schools.
    sj = login("shuji")
    roots = ok(sj.get("/api/v1/orgs"))
    assert [o["id"] for o in roots["items"]] == [bureau] and roots["items"][0]["has_children"]
    kids = ok(sj.get("/api/v1/orgs?parent_id=%d" % bureau))
    ids = [o["id"] for o in kids["items"]]
    assert A in ids and B in ids and kids["total"] == len(ids), kids
    tree = ok(sj.get("/api/v1/orgs/%d/tree" % bureau))
    assert tree["root"]["id"] == bureau and tree["truncated"] is False
    tids = [n["id"] for n in tree["root"]["children"]]
    assert A in tids and B in tids, tree
    assert ok(sj.get("/api/v1/committees/%d" % cb["id"]))["name"] == "二中意识形态工作领导小组"
    assert ok(sj.get("/api/v1/users/%d" % IDS["offb"]))["login"] == "offb"
    sub = ok(sj.get("/api/v1/users?org_id=%d&subtree=1" % bureau))
    assert {IDS["offa"], IDS["offb"], IDS["sys"]} <= {u["id"] for u in sub["items"]}
    # …but as a secretary cannot change the tree.
    check_error(unchanged(lambda: sj.patch("/api/v1/orgs/%d" % A, {"name": "x"})),
                403, "forbidden")
    assert sysc.delete("/api/v1/committees/%d" % cb["id"]).status == 204


# ---------------------------------------------------------------- 7. 三员分立

def test_three_admins():
    sec = login("sec")
    cand, bureau = IDS["cand"], IDS["bureau"]
    j = ok(sec.post("/api/v1/users/%d/grants" % cand,
                    {"org_id": bureau, "role": "sysadmin", "scope": "subtree"}), 201)
    assert j["role"] == "sysadmin" and j["scope"] == "subtree" and j["user_id"] == cand
    assert j["org_id"] == bureau
    assert S.sql("SELECT role, scope FROM role_grant WHERE id = ?", (j["id"],)) == [
        ("sysadmin", "subtree")]
    row = assert_audit("grant.create", user_id=IDS["sec"], entity="grant", entity_id=j["id"],
                       org_id=bureau)
    assert '"role":"sysadmin"' in row[6]
    for role in ("auditor", "secadmin"):
        for org in (bureau, IDS["B"]):
            e = check_error(unchanged(lambda: sec.post(
                "/api/v1/users/%d/grants" % cand, {"org_id": org, "role": role})),
                409, "conflict", field="role")
            assert "三员分立" in e["message"], e
    # The command line refuses too.
    p = unchanged(lambda: S.cli("user", "grant", "--login", "cand", "--org", str(bureau),
                                "--role", "auditor", check=False))
    assert p.returncode != 0 and "三员分立" in p.stderr, p
    # Other roles are fine beside it.
    g2 = ok(sec.post("/api/v1/users/%d/grants" % cand, {"org_id": IDS["A"], "role": "leader"}), 201)
    ok(sec.get("/api/v1/users/%d/grants" % cand))
    assert {g["role"] for g in ok(sec.get("/api/v1/users/%d/grants" % cand))["items"]} == {
        "member", "sysadmin", "leader"}
    r = sec.delete("/api/v1/users/%d/grants/%d" % (cand, g2["id"]))
    assert r.status == 204, r
    assert_audit("grant.delete", user_id=IDS["sec"], entity_id=g2["id"])

    # Not to oneself, not by an office, not by a sysadmin.
    check_error(unchanged(lambda: sec.post("/api/v1/users/%d/grants" % IDS["sec"],
                                           {"org_id": IDS["A"], "role": "leader"})),
                403, "forbidden")
    offa = login("offa")
    check_error(unchanged(lambda: offa.post("/api/v1/users/%d/grants" % IDS["plain"],
                                            {"org_id": IDS["A"], "role": "secretary"})),
                403, "forbidden")
    sysc = login("sys")
    check_error(unchanged(lambda: sysc.post("/api/v1/users/%d/grants" % IDS["plain"],
                                            {"org_id": IDS["A"], "role": "secretary"})),
                403, "forbidden")
    check_error(unchanged(lambda: sysc.post("/api/v1/users/%d/grants" % IDS["sys"],
                                            {"org_id": bureau, "role": "secadmin"})),
                403, "forbidden")


# ---------------------------------------------------------------- 8. the unit tree

def test_org_crud_and_move():
    sysc = login("sys")
    bureau = ok(sysc.get("/api/v1/orgs/%d" % IDS["bureau"]))

    def create(parent, name, kind=None):
        body = {"parent_id": parent["id"], "name": name}
        if kind:
            body["kind"] = kind
        o = ok(sysc.post("/api/v1/orgs", body), 201)
        assert o["path"] == parent["path"] + "%d/" % o["id"], (parent, o)
        assert o["parent_id"] == parent["id"] and o["name"] == name
        assert o["kind"] == (kind or "unit") and o["has_children"] is False
        assert S.sql("SELECT parent_id, path, name FROM org WHERE id = ?", (o["id"],)) == [
            (parent["id"], o["path"], name)]
        assert_audit("org.create", user_id=IDS["sys"], entity="org", entity_id=o["id"])
        return o

    p = create(bureau, "第一学区", "general_branch")
    assert p["kind_label"] == "党总支"
    q = create(bureau, "第二学区")
    c1 = create(p, "实验小学")
    c2 = create(c1, "实验小学党支部", "branch")
    c3 = create(c2, "实验小学第一党小组")
    assert ok(sysc.get("/api/v1/orgs/%d" % p["id"]))["has_children"] is True
    check_error(unchanged(lambda: sysc.post("/api/v1/orgs", {"parent_id": p["id"], "name": " "})),
                422, "invalid", field="name")
    check_error(unchanged(lambda: sysc.post("/api/v1/orgs", {"parent_id": p["id"], "name": "x",
                                                            "kind": "party"})),
                422, "invalid", field="kind")

    # Rename.
    r = ok(sysc.patch("/api/v1/orgs/%d" % p["id"], {"name": "第一学区（城区）"}))
    assert r["name"] == "第一学区（城区）" and r["path"] == p["path"]
    row = assert_audit("org.update", user_id=IDS["sys"], entity="org", entity_id=p["id"])
    assert "第一学区（城区）" in row[6] and "第一学区" in row[6]
    assert S.sql("SELECT name FROM org WHERE id = ?", (p["id"],)) == [("第一学区（城区）",)]

    # Move c1 (with c2, c3 below it) from p to q.
    r = ok(sysc.patch("/api/v1/orgs/%d" % c1["id"], {"parent_id": q["id"]}))
    c1_path = q["path"] + "%d/" % c1["id"]
    c2_path = c1_path + "%d/" % c2["id"]
    c3_path = c2_path + "%d/" % c3["id"]
    assert r["parent_id"] == q["id"] and r["path"] == c1_path, r
    assert ok(sysc.get("/api/v1/orgs/%d" % c2["id"]))["path"] == c2_path
    assert ok(sysc.get("/api/v1/orgs/%d" % c3["id"]))["path"] == c3_path
    assert S.sql("SELECT id, parent_id, path FROM org WHERE id IN (?, ?, ?) ORDER BY id",
                 (c1["id"], c2["id"], c3["id"])) == [
        (c1["id"], q["id"], c1_path), (c2["id"], c1["id"], c2_path), (c3["id"], c2["id"], c3_path)]
    assert not S.sql("SELECT 1 FROM org WHERE path LIKE ?", (p["path"] + "%/%",))
    assert ok(sysc.get("/api/v1/orgs/%d" % p["id"]))["has_children"] is False
    assert [o["id"] for o in ok(sysc.get("/api/v1/orgs?parent_id=%d" % q["id"]))["items"]] == [
        c1["id"]]
    tree = ok(sysc.get("/api/v1/orgs/%d/tree" % q["id"]))
    assert tree["root"]["children"][0]["id"] == c1["id"]
    assert tree["root"]["children"][0]["children"][0]["children"][0]["id"] == c3["id"]
    row = assert_audit("org.move", user_id=IDS["sys"], entity="org", entity_id=c1["id"])
    assert c1_path in row[6]

    # Into its own subtree, or under itself: 422, nothing changes.
    for target in (c3["id"], c2["id"], c1["id"]):
        check_error(unchanged(lambda: sysc.patch("/api/v1/orgs/%d" % c1["id"],
                                                 {"parent_id": target})),
                    422, "invalid", field="parent_id")
    check_error(unchanged(lambda: sysc.patch("/api/v1/orgs/%d" % q["id"],
                                             {"parent_id": c3["id"]})),
                422, "invalid", field="parent_id")
    assert S.sql("SELECT path FROM org WHERE id = ?", (c3["id"],)) == [(c3_path,)]
    # Becoming a top unit is not for the API.
    check_error(unchanged(lambda: sysc.patch("/api/v1/orgs/%d" % c1["id"], {"parent_id": None})),
                403, "forbidden")

    # Delete: not with children or users; an empty leaf goes.
    check_error(unchanged(lambda: sysc.delete("/api/v1/orgs/%d" % q["id"])), 409, "conflict")
    withuser = create(p, "有人的单位")
    ok(sysc.post("/api/v1/users", {"org_id": withuser["id"], "login": "resident",
                                   "name": "住户"}), 201)
    check_error(unchanged(lambda: sysc.delete("/api/v1/orgs/%d" % withuser["id"])),
                409, "conflict")
    offa = login("offa")
    check_error(unchanged(lambda: offa.delete("/api/v1/orgs/%d" % IDS["A"])), 403, "forbidden")
    leaf = create(p, "空单位")
    r = sysc.delete("/api/v1/orgs/%d" % leaf["id"])
    assert r.status == 204 and r.body == b"", r
    check_error(sysc.get("/api/v1/orgs/%d" % leaf["id"]), 404, "not_found")
    assert not S.sql("SELECT 1 FROM org WHERE id = ?", (leaf["id"],))
    assert_audit("org.delete", user_id=IDS["sys"], entity="org", entity_id=leaf["id"],
                 org_id=p["id"])

    # The command line moves too: c1 back under p.
    out = S.cli("org", "move", "--id", str(c1["id"]), "--parent", str(p["id"])).stdout
    new_c1 = p["path"] + "%d/" % c1["id"]
    assert new_c1 in out, out
    assert S.sql("SELECT path FROM org WHERE id = ?", (c3["id"],)) == [
        (new_c1 + "%d/%d/" % (c2["id"], c3["id"]),)]
    assert ok(sysc.get("/api/v1/orgs/%d" % c2["id"]))["path"] == new_c1 + "%d/" % c2["id"]
    assert_audit("org.move", user_id=None, entity_id=c1["id"])
    p_cli = S.cli("org", "move", "--id", str(c1["id"]), "--parent", str(c3["id"]), check=False)
    assert p_cli.returncode != 0
    tree = S.cli("org", "tree", "--root", str(IDS["bureau"])).stdout.splitlines()

    def line(oid):
        for i, t in enumerate(tree):
            if "[%d," % oid in t:
                return i, len(t) - len(t.lstrip(" "))
        raise AssertionError("%d not in tree: %r" % (oid, tree))
    (ip, dp), (i1, d1), (i2, d2), (i3, d3) = (line(p["id"]), line(c1["id"]), line(c2["id"]),
                                              line(c3["id"]))
    iq, dq = line(q["id"])
    assert ip < i1 < i2 < i3 and d1 == dp + 4 and d2 == d1 + 4 and d3 == d2 + 4, tree
    # c1 is no longer inside q's block of lines.
    assert not (iq < i1 and all(tree[k].startswith(" " * (dq + 4)) for k in range(iq + 1, i1 + 1))), tree
    S.cli("org", "move", "--id", str(c3["id"]), "--parent", str(q["id"]))
    IDS["district"] = p["id"]


# ---------------------------------------------------------------- 9. committees

MEMBERS = [
    {"position": "leader", "name": "张建国", "title": "党委书记"},
    {"position": "deputy_leader", "name": "李明"},
    {"position": "member", "name": "王芳"},
    {"position": "office_director", "name": "赵磊", "title": "党政办主任"},
    {"position": "office_deputy_director", "name": "钱小红"},
]


def test_committees():
    c = login("offa")
    A = IDS["A"]
    j = ok(c.post("/api/v1/committees", {"org_id": A, "name": "意识形态工作领导小组",
                                         "members": MEMBERS}), 201)
    cid = j["id"]
    assert j["org_id"] == A and j["name"] == "意识形态工作领导小组"
    got = [(m["position"], m["position_label"], m["name"], m["title"]) for m in j["members"]]
    assert got == [("leader", "组长", "张建国", "党委书记"), ("deputy_leader", "副组长", "李明", None),
                   ("member", "成员", "王芳", None), ("office_director", "办公室主任", "赵磊", "党政办主任"),
                   ("office_deputy_director", "办公室副主任", "钱小红", None)], got
    assert S.sql("SELECT count(*) FROM committee_member WHERE committee_id = ?", (cid,)) == [(5,)]
    row = assert_audit("committee.create", user_id=IDS["offa"], entity="committee",
                       entity_id=cid, org_id=A)
    assert "张建国" in row[6]
    assert ok(c.get("/api/v1/committees/%d" % cid)) == j
    lst = ok(c.get("/api/v1/committees?org_id=%d" % A))
    assert cid in [x["id"] for x in lst["items"]]

    new = [{"position": "leader", "name": "孙志远", "user_id": IDS["plain"]},
           {"position": "member", "name": "周婷"}]
    j2 = ok(c.patch("/api/v1/committees/%d" % cid, {"members": new}))
    assert [(m["name"], m["user_id"]) for m in j2["members"]] == [("孙志远", IDS["plain"]),
                                                                  ("周婷", None)]
    assert j2["name"] == "意识形态工作领导小组"
    assert S.sql("SELECT position, name FROM committee_member WHERE committee_id = ? ORDER BY sort,"
                 " id", (cid,)) == [("leader", "孙志远"), ("member", "周婷")]
    assert_audit("committee.update", user_id=IDS["offa"], entity_id=cid)
    j3 = ok(c.patch("/api/v1/committees/%d" % cid, {"name": "意识形态工作责任制领导小组"}))
    assert j3["name"] == "意识形态工作责任制领导小组" and len(j3["members"]) == 2

    for bad in ([{"position": "chairman", "name": "某人"}], [{"position": "leader"}],
                [{"position": "leader", "name": ""}], [{"position": "leader", "name": "甲",
                                                        "user_id": 999999}]):
        check_error(unchanged(lambda: c.patch("/api/v1/committees/%d" % cid, {"members": bad})),
                    422, "invalid", field="members")
        check_error(unchanged(lambda: c.post("/api/v1/committees", {
            "org_id": A, "name": "错误的小组", "members": bad})), 422, "invalid", field="members")
    assert S.sql("SELECT count(*) FROM committee_member WHERE committee_id = ?", (cid,)) == [(2,)]
    # A plain member may read but not edit.
    pc = login("plain")
    ok(pc.get("/api/v1/committees/%d" % cid))
    check_error(unchanged(lambda: pc.patch("/api/v1/committees/%d" % cid, {"name": "x"})),
                403, "forbidden")
    check_error(unchanged(lambda: pc.delete("/api/v1/committees/%d" % cid)), 403, "forbidden")

    r = c.delete("/api/v1/committees/%d" % cid)
    assert r.status == 204, r
    check_error(c.get("/api/v1/committees/%d" % cid), 404, "not_found")
    assert S.sql("SELECT count(*) FROM committee_member WHERE committee_id = ?", (cid,)) == [(0,)]
    assert_audit("committee.delete", user_id=IDS["offa"], entity_id=cid)


# ---------------------------------------------------------------- 10. users

def test_users():
    sysc = login("sys")
    bureau = IDS["bureau"]
    j = ok(sysc.get("/api/v1/users?org_id=%d&subtree=1&q=%s" % (bureau, quote("办公室"))))
    assert {u["login"] for u in j["items"]} == {"offa", "offb"} and j["total"] == 2, j
    j = ok(sysc.get("/api/v1/users?org_id=%d&subtree=1&q=OFF" % bureau))
    assert {u["login"] for u in j["items"]} == {"offa", "offb"}, j
    j = ok(sysc.get("/api/v1/users?org_id=%d&q=off" % bureau))
    assert j["items"] == [] and j["total"] == 0, j
    all_users = S.sql("SELECT count(*) FROM users")[0][0]
    j = ok(sysc.get("/api/v1/users?org_id=%d&subtree=1&size=3&page=2" % bureau))
    assert j["total"] == all_users and len(j["items"]) == 3, j
    assert all("pass_hash" not in u for u in j["items"])
    assert ok(sysc.get("/api/v1/users?org_id=%d&subtree=1&q=%%25" % bureau))["total"] == 0
    j = ok(sysc.get("/api/v1/users?org_id=%d&subtree=1&q=%s" % (bureau, quote("测试v"))))
    assert [u["login"] for u in j["items"]] == ["victim"], j

    victim = IDS["victim"]
    vc = login("victim")
    vc2 = login("victim")
    r = ok(sysc.patch("/api/v1/users/%d" % victim, {"locked": True}))
    assert r["locked"] is True and r["id"] == victim
    assert S.sql("SELECT locked FROM users WHERE id = ?", (victim,)) == [(1,)]
    assert not S.sql("SELECT 1 FROM session WHERE user_id = ?", (victim,))
    check_error(vc.get("/api/v1/me"), 401, "unauthorized")
    check_error(vc2.get("/api/v1/orgs"), 401, "unauthorized")
    check_error(S.client().login("victim"), 423, "account_locked")
    assert_audit("user.lock", user_id=IDS["sys"], entity="user", entity_id=victim)
    assert_audit("session.login_refused", user_id=victim)
    # Not oneself; not by others.
    check_error(unchanged(lambda: sysc.patch("/api/v1/users/%d" % IDS["sys"], {"locked": True})),
                403, "forbidden", field="locked")
    assert ok(sysc.get("/api/v1/me"))["user"]["locked"] is False
    sec = login("sec")
    check_error(unchanged(lambda: sec.patch("/api/v1/users/%d" % victim, {"locked": False})),
                403, "forbidden")
    r = ok(sysc.patch("/api/v1/users/%d" % victim, {"locked": False}))
    assert r["locked"] is False
    assert_audit("user.unlock", user_id=IDS["sys"], entity_id=victim)
    vc = login("victim")

    # Reset: a temporary password, the old sessions end, a change is due.
    r = sysc.post("/api/v1/users/%d/password" % victim)
    j = ok(r)
    tmp = j["temporary_password"]
    SECRETS.add(tmp)
    assert len(tmp) >= 12
    check_error(vc.get("/api/v1/me"), 401, "unauthorized")
    check_error(S.client().login("victim"), 401, "unauthorized")
    c = S.client()
    assert ok(c.login("victim", tmp))["must_change_password"] is True
    SECRETS.update([c.cookie, c.csrf])
    check_error(c.get("/api/v1/orgs"), 403, "password_change_required")
    assert S.sql("SELECT must_change FROM users WHERE id = ?", (victim,)) == [(1,)]
    assert_audit("user.password_reset", user_id=IDS["sys"], entity="user", entity_id=victim)
    check_error(unchanged(lambda: sysc.post("/api/v1/users/%d/password" % victim,
                                            {"password": "weak"})), 422, "invalid",
                field="password")
    check_error(unchanged(lambda: sysc.post("/api/v1/users/%d/password" % IDS["sys"])),
                403, "forbidden")
    offa = login("offa")
    check_error(unchanged(lambda: offa.post("/api/v1/users/%d/password" % victim)),
                403, "forbidden")
    assert c.put("/api/v1/me/password", {"old_password": tmp,
                                         "new_password": "Victim-pass-2027"}).status == 204
    SECRETS.add("Victim-pass-2027")
    ok(c.get("/api/v1/orgs"))
    S.sql("DELETE FROM login_failure")


# ---------------------------------------------------------------- 11. audit

def shanghai_day(delta=0):
    return (datetime.datetime.now(SHANGHAI) + datetime.timedelta(days=delta)).strftime("%Y-%m-%d")


def test_audit_api():
    aud = login("aud")
    total_rows = S.sql("SELECT count(*) FROM audit")[0][0]
    # The auditor of the top unit sees every row.  (Rows of deleted units are
    # missing today: test_audit_of_deleted_unit_stays_visible covers that, so
    # here they are allowed to be missing.)
    placeable = S.sql("SELECT count(*) FROM audit WHERE org_id IS NULL OR org_id IN "
                      "(SELECT id FROM org)")[0][0]
    j = ok(aud.get("/api/v1/audit"))
    assert set(j) == {"items", "total"}, j
    assert j["total"] in (total_rows, placeable), (j["total"], total_rows, placeable)
    visible = j["total"]
    assert len(j["items"]) == 25
    seqs = [x["seq"] for x in j["items"]]
    assert seqs == sorted(seqs, reverse=True) and seqs[0] == total_rows
    first = j["items"][0]
    assert {"seq", "at", "user_id", "user_login", "org_id", "action", "entity", "entity_id",
            "detail", "client", "hash"} <= set(first), first
    assert first["at"].endswith("+08:00"), first

    for who in ("sys", "sec", "offa", "shuji"):
        cl = login(who)
        check_error(cl.get("/api/v1/audit"), 403, "forbidden")
        check_error(cl.get("/api/v1/audit/verify"), 403, "forbidden")

    def want(where, params=()):
        """Rows matching where: all of them, or (today) those of live units."""
        return (S.sql("SELECT count(*) FROM audit WHERE " + where, params)[0][0],
                S.sql("SELECT count(*) FROM audit WHERE (" + where + ") AND (org_id IS NULL "
                      "OR org_id IN (SELECT id FROM org))", params)[0][0])

    j = ok(aud.get("/api/v1/audit?action=org.create&size=200"))
    w = want("action = 'org.create'")
    assert j["total"] in w and len(j["items"]) == min(j["total"], 200), (j["total"], w)
    assert all(x["action"] == "org.create" for x in j["items"])
    j = ok(aud.get("/api/v1/audit?user_id=%d&size=200" % IDS["sys"]))
    w = want("user_id = ?", (IDS["sys"],))
    assert j["total"] in w and j["total"] > 5, (j["total"], w)
    assert all(x["user_id"] == IDS["sys"] for x in j["items"])
    assert all(x["user_login"] == "sys" for x in j["items"])
    j = ok(aud.get("/api/v1/audit?user_id=%d&action=user.lock" % IDS["sys"]))
    assert j["total"] == 1 and j["items"][0]["entity_id"] == IDS["victim"], j
    assert j["items"][0]["detail"] == {"locked": [False, True]}, j

    total_rows = S.sql("SELECT count(*) FROM audit")[0][0]  # the logins above added rows
    p1 = ok(aud.get("/api/v1/audit?size=3&page=1"))
    p2 = ok(aud.get("/api/v1/audit?size=3&page=2"))
    assert [x["seq"] for x in p1["items"]] == [total_rows, total_rows - 1, total_rows - 2]
    assert [x["seq"] for x in p2["items"]] == [total_rows - 3, total_rows - 4, total_rows - 5]
    visible += total_rows - seqs[0]   # rows logged since the first list
    assert p1["total"] == p2["total"] == visible
    check_error(aud.get("/api/v1/audit?size=201"), 422, "invalid", field="size")
    check_error(aud.get("/api/v1/audit?page=x"), 400, "bad_request", field="page")

    yesterday, tomorrow = shanghai_day(-1), shanghai_day(1)
    j = ok(aud.get("/api/v1/audit?from=%s&to=%s" % (yesterday, tomorrow)))
    assert j["total"] == visible, (j["total"], visible)
    assert ok(aud.get("/api/v1/audit?from=%s" % tomorrow))["total"] == 0
    assert ok(aud.get("/api/v1/audit?to=%s" % yesterday))["total"] == 0
    # Times with an offset work as well.
    cut = datetime.datetime.now(SHANGHAI) + datetime.timedelta(minutes=5)
    j = ok(aud.get("/api/v1/audit?to=%s" % cut.strftime("%Y-%m-%dT%H:%M:%S%%2B08:00")))
    assert j["total"] == visible
    check_error(aud.get("/api/v1/audit?from=yesterday"), 422, "invalid", field="from")
    check_error(aud.get("/api/v1/audit?from=%s&to=%s" % (tomorrow, yesterday)), 422, "invalid",
                field="to")

    v = ok(aud.get("/api/v1/audit/verify"))
    assert v == {"intact": True, "rows": S.sql("SELECT count(*) FROM audit")[0][0],
                 "first_broken_seq": None}, v


def test_audit_scoped_auditor():
    """An auditor of one school sees that school's rows only."""
    aa = login("auda")
    j = ok(aa.get("/api/v1/audit?size=200"))
    want = S.sql("SELECT count(*) FROM audit WHERE org_id = ?", (IDS["A"],))[0][0]
    assert j["total"] == want > 10, (j["total"], want)
    assert {x["org_id"] for x in j["items"]} == {IDS["A"]}
    check_error(aa.get("/api/v1/audit?org_id=%d" % IDS["B"]), 403, "forbidden", field="org_id")
    check_error(aa.get("/api/v1/audit?org_id=%d" % IDS["bureau"]), 403, "forbidden")
    j = ok(aa.get("/api/v1/audit?org_id=%d&action=committee.create" % IDS["A"]))
    assert j["total"] >= 1 and all(x["action"] == "committee.create" for x in j["items"])


def test_audit_of_deleted_unit_stays_visible():
    """Deleting a unit must not hide its history from the auditor.

    The audit list joins each row to the org table by org_id and filters on
    the org's path; rows of a unit that has since been deleted (its
    org.create, org.update, committee.* rows) then match no path and vanish
    from GET /api/v1/audit, even for the auditor of the top unit.
    """
    sysc = login("sys")
    since = S.sql("SELECT max(seq) FROM audit")[0][0]
    o = ok(sysc.post("/api/v1/orgs", {"parent_id": IDS["bureau"], "name": "撤并的学校"}), 201)
    ok(sysc.patch("/api/v1/orgs/%d" % o["id"], {"name": "撤并的学校（已合并）"}))
    assert sysc.delete("/api/v1/orgs/%d" % o["id"]).status == 204
    aud = login("aud")
    j = ok(aud.get("/api/v1/audit?entity=org&size=200"))
    mine = sorted(x["action"] for x in j["items"] if x["seq"] > since)
    assert mine == ["org.create", "org.delete", "org.update"], mine
    assert j["total"] == S.sql("SELECT count(*) FROM audit WHERE entity = 'org'")[0][0]


def test_deleted_ids_not_reused():
    """A deleted unit's or committee's id is never given to a new one.

    org.id and committee.id are INTEGER PRIMARY KEY without AUTOINCREMENT, so
    SQLite hands the largest id out again once its row is deleted.  The audit
    rows (entity_id, org_id) of the deleted unit then describe the new one:
    its history shows a creation, renames and a deletion it never had, and
    the auditors of wherever the new unit sits read the old unit's rows.
    """
    sysc = login("sys")
    o1 = ok(sysc.post("/api/v1/orgs", {"parent_id": IDS["A"], "name": "将被删除的部门"}), 201)
    assert sysc.delete("/api/v1/orgs/%d" % o1["id"]).status == 204
    o2 = ok(sysc.post("/api/v1/orgs", {"parent_id": IDS["B"], "name": "新部门"}), 201)
    assert o2["id"] != o1["id"], "org id %d reused" % o1["id"]
    c = login("offa")
    k1 = ok(c.post("/api/v1/committees", {"org_id": IDS["A"], "name": "临时小组"}), 201)
    assert c.delete("/api/v1/committees/%d" % k1["id"]).status == 204
    k2 = ok(c.post("/api/v1/committees", {"org_id": IDS["A"], "name": "新小组"}), 201)
    assert k2["id"] != k1["id"], "committee id %d reused" % k1["id"]


def test_sysadmin_cannot_take_over_other_admins():
    """三员分立: the sysadmin must not be able to become the auditor or the
    security administrator.  A password reset of their accounts hands the
    sysadmin a working password for them (and the audit trail it reads).
    """
    sysc = login("sys")
    for target in ("aud2", "sec2"):
        r = unchanged(lambda: sysc.post("/api/v1/users/%d/password" % IDS[target]))
        check_error(r, 403, "forbidden")
        # Their passwords still work.
        login(target)


def test_audit_date_range_inclusive():
    """A date range names whole days: from=D&to=D is the rows of day D.

    Today the server treats a date in `to` as the first instant of that day,
    so to=today leaves out everything done today, and from=D&to=D answers 422.
    """
    aud = login("aud")
    today = shanghai_day(0)
    want = S.sql("SELECT count(*) FROM audit WHERE at >= ?", (int(datetime.datetime.strptime(
        today, "%Y-%m-%d").replace(tzinfo=SHANGHAI).timestamp()),))[0][0]
    j = ok(aud.get("/api/v1/audit?from=%s&to=%s" % (today, today)))
    assert j["total"] == want, (j["total"], want)
    j = ok(aud.get("/api/v1/audit?to=%s" % today))
    assert j["total"] == S.sql("SELECT count(*) FROM audit")[0][0], j["total"]


def test_audit_trail_contents():
    """Every action above left its row, and no row holds a secret."""
    for action, who, entity in (("org.create", "sys", "org"), ("org.update", "sys", "org"),
                                ("org.move", "sys", "org"), ("org.delete", "sys", "org"),
                                ("user.create", "sys", "user"), ("user.lock", "sys", "user"),
                                ("user.unlock", "sys", "user"),
                                ("user.password_reset", "sys", "user"),
                                ("grant.create", "sec", "grant"), ("grant.delete", "sec", "grant"),
                                ("committee.create", "offa", "committee"),
                                ("committee.update", "offa", "committee"),
                                ("committee.delete", "offa", "committee"),
                                ("session.login", "sys", "session"),
                                ("session.logout", "sys", "session"),
                                ("session.login_failed", "lockme", "session"),
                                ("session.login_refused", "lockme", "session"),
                                ("user.password_change", "expire", "user")):
        assert_audit(action, user_id=IDS[who], entity=entity)
    # Every row names its client.
    assert not S.sql("SELECT seq FROM audit WHERE client IS NULL OR client = ''")
    assert S.sql("SELECT DISTINCT client FROM audit WHERE user_id IS NOT NULL "
                 "AND action <> 'org.move' ORDER BY 1") == [("127.0.0.1",)]
    text = "\n".join("|".join(str(c) for c in row) for row in S.sql("SELECT * FROM audit"))
    hashes = "\n".join(r[0] for r in S.sql("SELECT pass_hash FROM users"))
    secrets = {s for s in SECRETS if s}
    assert len(secrets) > 20, len(secrets)
    for s in secrets:
        assert s not in text, "secret %r in the audit trail" % s[:6]
    for h in hashes.splitlines():
        assert h not in text
    assert "$argon2" not in text


# ---------------------------------------------------------------- 12. backup

def test_backup_while_running():
    sysc = login("sys")
    parent = ok(sysc.post("/api/v1/orgs", {"parent_id": IDS["bureau"], "name": "备份期间"}), 201)
    before = S.sql("SELECT count(*) FROM org")[0][0]
    stop = threading.Event()
    made = []

    def writer():
        i = 0
        while not stop.is_set() and i < 200:
            r = sysc.post("/api/v1/orgs", {"parent_id": parent["id"], "name": "备份中%d" % i})
            made.append(r.status)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(0.1)
    out = os.path.join(S.dir, "backup.db")
    try:
        p = S.cli("backup", "--out", out, check=False)
    finally:
        stop.set()
        t.join()
    assert p.returncode == 0, p.stderr
    assert made and set(made) == {201}, made
    after = S.sql("SELECT count(*) FROM org")[0][0]
    url, copy_sql = S.backup_copy(out)
    if not S.pg:
        assert copy_sql("PRAGMA integrity_check") == [("ok",)]
    n = copy_sql("SELECT count(*) FROM org")[0][0]
    assert before <= n <= after, (before, n, after)
    # Each org.create of the copy has its org, and the chain is whole.
    assert copy_sql("SELECT count(*) FROM org o WHERE NOT EXISTS (SELECT 1 FROM audit a "
                    "WHERE a.action = 'org.create' AND a.entity_id = o.id)")[0][0] == 0
    # Quiet now: a second copy matches the live database exactly.
    out2 = os.path.join(S.dir, "backup2.db")
    S.cli("backup", "--out", out2)
    url2, copy_sql = S.backup_copy(out2)
    if not S.pg:
        assert copy_sql("PRAGMA integrity_check") == [("ok",)]
    assert copy_sql("SELECT count(*) FROM org")[0][0] == after
    assert copy_sql("SELECT max(seq) FROM audit")[0][0] == S.sql(
        "SELECT max(seq) FROM audit")[0][0]
    p = bin_run("audit", "verify", "--db", url2)
    assert p.returncode == 0, p
    IDS["backup"] = out2


# ---------------------------------------------------------------- 13. concurrency

def test_concurrent_creates():
    sysc = login("sys")
    parent = ok(sysc.post("/api/v1/orgs", {"parent_id": IDS["bureau"], "name": "并发测试"}), 201)
    before = S.sql("SELECT count(*) FROM org")[0][0]
    results = [[] for _ in range(8)]
    clients = [login("sys") for _ in range(4)] + [sysc] * 4
    barrier = threading.Barrier(8)

    def work(k):
        barrier.wait()
        for i in range(25):
            try:
                r = clients[k].post("/api/v1/orgs", {"parent_id": parent["id"],
                                                     "name": "并发单位%d-%d" % (k, i)})
                results[k].append((r.status, r.json))
            except Exception as e:  # noqa: BLE001 - reported below
                results[k].append((0, repr(e)))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [x for rs in results for x in rs]
    bad = [x for x in flat if x[0] != 201]
    assert not bad, bad[:5]
    ids = [x[1]["id"] for x in flat]
    assert len(set(ids)) == 200
    assert all(x[1]["path"] == parent["path"] + "%d/" % x[1]["id"] for x in flat)
    assert S.sql("SELECT count(*) FROM org")[0][0] == before + 200
    assert S.sql("SELECT count(*) FROM org WHERE parent_id = ?", (parent["id"],)) == [(200,)]
    assert S.sql("SELECT count(*) FROM audit WHERE action = 'org.create' AND entity_id IN "
                 "(SELECT id FROM org WHERE parent_id = ?)", (parent["id"],)) == [(200,)]
    j = ok(sysc.get("/api/v1/orgs?parent_id=%d&size=200" % parent["id"]))
    assert j["total"] == 200 and len(j["items"]) == 200
    assert "database is locked" not in S.read_log()
    v = ok(login("aud").get("/api/v1/audit/verify"))
    assert v["intact"] is True and v["first_broken_seq"] is None, v
    assert S.cli("audit", "verify").returncode == 0


# ---------------------------------------------------------------- 11b. tampering

def test_audit_tamper_detected():
    if S.pg:
        copy = os.path.join(S.dir, "tamper-delete.dump")
    else:
        copy = os.path.join(S.dir, "tamper-delete.db")
    shutil.copy(IDS["backup"], copy)
    url, copy_sql = S.backup_copy(copy)
    # An intact copy: exit 0.
    p = bin_run("audit", "verify", "--db", url)
    assert p.returncode == 0, p
    # Delete a middle row of the copy: the row after the gap is reported.
    total = copy_sql("SELECT count(*) FROM audit")[0][0]
    mid = total // 2
    copy_sql("DROP TRIGGER audit_no_delete" + (" ON audit" if S.pg else ""))
    copy_sql("DELETE FROM audit WHERE seq = ?", (mid,))
    p = bin_run("audit", "verify", "--db", url)
    assert p.returncode == 1, p
    assert str(mid + 1) in p.stdout, p.stdout

    # The triggers hold against a plain UPDATE.
    try:
        S.sql("UPDATE audit SET detail = '{}' WHERE seq = 3")
        raise AssertionError("audit row updated despite the trigger")
    except DBError as e:
        assert "cannot be changed" in str(e)
    try:
        S.sql("DELETE FROM audit WHERE seq = 3")
        raise AssertionError("audit row deleted despite the trigger")
    except DBError as e:
        assert "cannot be" in str(e) and "deleted" in str(e)

    # Edit one row of the live database.
    seq = assert_audit("user.lock", user_id=IDS["sys"])[0]
    S.drop_audit_guard("audit_no_update")
    S.sql("UPDATE audit SET detail = '{\"locked\":[false,false]}' WHERE seq = ?", (seq,))
    p = S.cli("audit", "verify", check=False)
    assert p.returncode == 1, p
    assert str(seq) in p.stdout, p.stdout
    v = ok(login("aud").get("/api/v1/audit/verify"))
    assert v["intact"] is False and v["first_broken_seq"] == seq, v
    assert v["rows"] == seq


# ---------------------------------------------------------------- 14. shutdown

def test_graceful_shutdown():
    port = S.port
    S.stop()   # SIGTERM: exit 0, nothing from the sanitizers
    try:
        S.client().get("/healthz")
        raise AssertionError("server still answers on port %d" % port)
    except OSError:
        pass
    if not S.pg:
        assert S.sql("PRAGMA integrity_check") == [("ok",)]
    assert S.sql("SELECT count(*) FROM session")[0][0] >= 1


TESTS = [
    test_login_logout,
    test_lockout,
    test_lockout_setting,
    test_password_expiry,
    test_temporary_password_cli,
    test_api_created_users,
    test_session_timeouts,
    test_csrf,
    test_scope_isolation,
    test_three_admins,
    test_org_crud_and_move,
    test_committees,
    test_users,
    test_audit_api,
    test_audit_scoped_auditor,
    test_audit_of_deleted_unit_stays_visible,
    test_deleted_ids_not_reused,
    test_sysadmin_cannot_take_over_other_admins,
    test_audit_date_range_inclusive,
    test_audit_trail_contents,
    test_backup_while_running,
    test_concurrent_creates,
    test_audit_tamper_detected,
    test_graceful_shutdown,
]


def main():
    start = time.time()
    try:
        setup()
        code = run(TESTS)
    finally:
        if S:
            if S.proc:
                print("--- server log (tail) ---\n" + S.read_log()[-3000:])
            S.cleanup()
    print("%.1fs" % (time.time() - start))
    return code


if __name__ == "__main__":
    sys.exit(main())
