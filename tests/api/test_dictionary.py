#!/usr/bin/env python3
"""API tests of the record-kind dictionary and of a record's kept versions:
a top unit's system or security administrator adds, renames, reorders and
retires kinds; nobody else may; a retired kind takes no new records or
obligations but stays readable; every change is audited; bad input writes
nothing.  A record's edits are listed as versions, newest first, to those
who may see the record.

    python3 tests/api/test_dictionary.py   (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    e = r.json["error"]
    assert e["code"] == code, "want code %s, got %r" % (code, r)
    assert e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)


def unchanged(fn):
    before = S.counts()
    out = fn()
    assert S.counts() == before, "rows changed"
    return out


def setup():
    global S
    S = Server()
    root = IDS["root"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=root)
    IDS["B"] = S.add_org("第二中学", parent=root)
    S.add_user(root, "sys", "sysadmin", "subtree", name="系统管理员")
    S.add_user(root, "sec", "secadmin", "subtree", name="安全保密管理员")
    S.add_user(a, "sysa", "sysadmin", "subtree", name="一中系统管理员")
    S.add_user(root, "sysself", "sysadmin", "self", name="局系统管理员")
    S.add_user(a, "offa", "office", "self", name="一中办公室")
    S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    S.add_user(root, "shuji", "secretary", "subtree", name="局党委书记")
    S.start()
    for who in ("sys", "sec", "sysa", "sysself", "offa", "offb", "shuji"):
        c(who)  # log in now, so that logins do not count as writes below


def kinds():
    r = c("offa").get("/api/v1/record-kinds")
    assert r.status == 200, r
    return {k["code"]: k for k in r.json["items"]}


def test_add_kind_by_top_admins_only():
    body = {"code": "safety_check", "name": "安全检查", "sort": 200}
    for who in ("offa", "shuji", "sysa", "sysself"):
        unchanged(lambda: check_error(c(who).post("/api/v1/record-kinds", body), 403,
                                      "forbidden"))
    r = c("sys").post("/api/v1/record-kinds", body)
    assert r.status == 201, r
    assert r.json == {"code": "safety_check", "name": "安全检查", "sort": 200,
                      "active": True, "builtin": False}, r.json
    assert kinds()["safety_check"]["name"] == "安全检查"
    rows = S.audit("record_kind.create")
    assert len(rows) == 1 and rows[0][2] == IDS["root"], rows
    assert json.loads(rows[0][6])["code"] == "safety_check"
    # the secadmin may too; the new kind takes records at once
    r = c("sec").post("/api/v1/record-kinds", {"code": "fire_drill", "name": "消防演练"})
    assert r.status == 201 and r.json["sort"] == 0, r
    r = c("offa").post("/api/v1/records", {"org_id": IDS["A"], "kind": "fire_drill",
                                           "date": "2026-04-01", "title": "春季消防演练"})
    assert r.status == 201, r


def test_add_kind_bad_input_writes_nothing():
    cl = c("sys")
    cases = [
        ({"code": "Safety", "name": "甲"}, 422, "code"),
        ({"code": "1abc", "name": "甲"}, 422, "code"),
        ({"code": "a-b", "name": "甲"}, 422, "code"),
        ({"code": "a" * 41, "name": "甲"}, 422, "code"),
        ({"code": "", "name": "甲"}, 422, "code"),
        ({"name": "甲"}, 422, "code"),
        ({"code": "okcode"}, 422, "name"),
        ({"code": "okcode", "name": ""}, 422, "name"),
        ({"code": "okcode", "name": "字" * 41}, 422, "name"),
        ({"code": "okcode", "name": "甲", "sort": -1}, 422, "sort"),
        ({"code": "okcode", "name": "甲", "sort": "x"}, 400, "sort"),
        ({"code": "okcode", "name": "甲", "extra": 1}, 400, None),
        ({"code": "safety_check", "name": "别的名称"}, 409, "code"),
        ({"code": "center_group_study", "name": "别的名称"}, 409, "code"),
        ({"code": "okcode", "name": "安全检查"}, 409, "name"),
        ({"code": "okcode", "name": "理论学习中心组学习"}, 409, "name"),
    ]
    for body, status, field in cases:
        r = unchanged(lambda: cl.post("/api/v1/record-kinds", body))
        assert r.status == status, (body, r)
        assert r.json["error"]["message"], r
        if field:
            assert r.json["error"].get("field") == field, (body, r)
    r = unchanged(lambda: cl.request("POST", "/api/v1/record-kinds",
                                     raw=b'{"code":"okcode","name":"\xff\xfe"}',
                                     headers={"Content-Type": "application/json"}))
    assert r.status in (400, 422), r


def test_rename_reorder_retire():
    cl = c("sec")
    unchanged(lambda: check_error(c("offa").patch("/api/v1/record-kinds/talk",
                                                  {"name": "谈话"}), 403, "forbidden"))
    unchanged(lambda: check_error(cl.patch("/api/v1/record-kinds/nosuch", {"sort": 1}), 404,
                                  "not_found"))
    unchanged(lambda: check_error(cl.patch("/api/v1/record-kinds/talk",
                                           {"name": "党课"}), 409, "conflict", "name"))
    unchanged(lambda: check_error(cl.patch("/api/v1/record-kinds/talk", {"name": ""}), 422,
                                  "invalid", "name"))
    unchanged(lambda: check_error(cl.patch("/api/v1/record-kinds/talk", {"active": "no"}),
                                  400, "bad_request", "active"))
    unchanged(lambda: check_error(cl.patch("/api/v1/record-kinds/talk", {"code": "x"}), 400,
                                  "bad_request"))
    n = len(S.audit("record_kind.update"))
    r = cl.patch("/api/v1/record-kinds/talk", {"name": "谈心谈话"})  # no change
    assert r.status == 200 and len(S.audit("record_kind.update")) == n, r
    r = cl.patch("/api/v1/record-kinds/talk", {"name": "谈心谈话记录", "sort": 5})
    assert r.status == 200 and r.json["name"] == "谈心谈话记录" and r.json["sort"] == 5, r
    detail = json.loads(S.audit("record_kind.update")[-1][6])
    assert detail["name"] == ["谈心谈话", "谈心谈话记录"] and detail["sort"] == [100, 5], detail
    # a retired kind: readable, refused for new records and obligations
    r = c("offa").post("/api/v1/records", {"org_id": IDS["A"], "kind": "talk",
                                           "date": "2026-05-01", "title": "谈心谈话"})
    assert r.status == 201, r
    rid = r.json["id"]
    r = cl.patch("/api/v1/record-kinds/talk", {"active": False})
    assert r.status == 200 and r.json["active"] is False, r
    assert kinds()["talk"]["active"] is False
    unchanged(lambda: check_error(c("offa").post("/api/v1/records", {
        "org_id": IDS["A"], "kind": "talk", "date": "2026-05-02", "title": "再谈"}), 422,
        "invalid", "kind"))
    unchanged(lambda: check_error(c("shuji").post("/api/v1/obligations", {
        "org_id": IDS["A"], "kind": "talk", "min": 2, "period": "year", "year": 2026}), 422,
        "invalid", "kind"))
    r = c("offa").get("/api/v1/records/%d" % rid)
    assert r.status == 200 and r.json["kind"] == "talk", r
    r = cl.patch("/api/v1/record-kinds/talk", {"active": True})
    assert r.status == 200 and r.json["active"] is True, r


def test_record_versions():
    cl = c("offa")
    r = cl.post("/api/v1/records", {"org_id": IDS["A"], "kind": "special_meeting",
                                    "date": "2026-03-05", "title": "第一次专题会议"})
    assert r.status == 201, r
    rid = r.json["id"]
    r = cl.get("/api/v1/records/%d/versions" % rid)
    assert r.status == 200 and r.json == {"items": [], "total": 0}, r
    assert cl.patch("/api/v1/records/%d" % rid, {"title": "第一次专题会议（修订）"}).status == 200
    assert cl.patch("/api/v1/records/%d" % rid, {"date": "2026-03-06"}).status == 200
    r = cl.get("/api/v1/records/%d/versions" % rid)
    assert r.status == 200 and r.json["total"] == 2, r
    v2, v1 = r.json["items"]
    assert v2["version"] == 2 and v1["version"] == 1, r.json
    assert v1["data"]["title"] == "第一次专题会议", v1
    assert v2["data"]["title"] == "第一次专题会议（修订）" and v2["data"]["date"] == "2026-03-05"
    assert v1["changed_by_name"] == "一中办公室" and v1["changed_at"].endswith("+08:00"), v1
    # the superior sees them; a sibling school does not learn the record exists
    assert c("shuji").get("/api/v1/records/%d/versions" % rid).status == 200
    check_error(c("offb").get("/api/v1/records/%d/versions" % rid), 404, "not_found")
    check_error(cl.get("/api/v1/records/999999/versions"), 404, "not_found")
    check_error(cl.get("/api/v1/records/abc/versions"), 404, "not_found")


def main():
    setup()
    try:
        code = run([test_add_kind_by_top_admins_only, test_add_kind_bad_input_writes_nothing,
                    test_rename_reorder_retire, test_record_versions])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
