#!/usr/bin/env python3
"""API tests of plans (工作要点): CRUD of plans, sections, items and
progress notes within the caller's scope and refused outside it (404) or
without the role (403), item status with overdue derived from the due
date, issuing a plan down a subtree (one copy per unit, idempotent), the
importer's preview (the same as `zerenzhi plan import` prints for the
seed texts) and its commit (plan, obligations tied to items, committee,
dated activities), records and obligations linked to plan items, and the
command line on .txt in UTF-8 and GB18030 and on a .docx built here.

    python3 tests/api/test_plans.py       (ZRZ_BIN selects the binary,
                                           ZRZ_PG runs it on PostgreSQL)
"""

import json
import os
import subprocess
import sys
import zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Server, run  # noqa: E402

# The seed texts: ../shared next to the repository (where tests/unit finds
# them too), else the shared folder of the workplace.
FIXTURES = next((d for d in (
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                 "fixtures", "plans"),
    "/work/shared/fixtures/plans") if os.path.isdir(d)), "/work/shared/fixtures/plans")
S = None
IDS = {}
CLIENTS = {}


def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    e = r.json["error"]
    assert e["code"] == code, "want code %s, got %r" % (code, r)
    assert isinstance(e["message"], str) and e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)
    return e


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def unchanged(fn):
    before = S.counts()
    out = fn()
    after = S.counts()
    assert before == after, "rows changed: %r" % {
        t: (before.get(t), after.get(t)) for t in set(before) | set(after)
        if before.get(t) != after.get(t)}
    return out


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


def expected():
    with open(os.path.join(FIXTURES, "expected.json"), encoding="utf-8") as f:
        return json.load(f)


def cli_import(path, org, year=2023, commit=False, check=True):
    args = ["plan", "import", "--org", str(org), "--year", str(year), path]
    if commit:
        args.append("--commit")
    return S.cli(*args, check=check)


def all_items(plan):
    out = list(plan["items"])
    for s in plan["sections"]:
        out += s["items"]
        for t in s["sections"]:
            out += t["items"]
    return out


def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["A1"] = S.add_org("第一中学党支部", parent=a, kind="branch")
    IDS["u_shuji"] = S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    IDS["u_offa"] = S.add_user(a, "offa", "office", "self", name="一中办公室")
    S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    IDS["u_leada"] = S.add_user(a, "leada", "leader", "self", name="一中班子成员")
    S.add_user(a, "plain", "viewer", "self", name="只读")
    S.start()
    for name in ("shuji", "offa", "offb", "leada", "plain"):
        c(name)


# ---------------------------------------------------------------- CRUD

def test_plan_crud_in_scope():
    a = IDS["A"]
    o = c("offa")
    p = ok(o.post("/api/v1/plans", {"org_id": a, "year": 2023, "title": "2023年意识形态工作要点"}),
           201)
    pid = IDS["plan_a"] = p["id"]
    assert p["org_id"] == a and p["year"] == 2023 and p["sections"] == [] and p["items"] == []
    s1 = ok(o.post("/api/v1/plans/%d/sections" % pid, {"number": "一、", "title": "加强组织领导"}),
            201)
    assert s1["level"] == 1 and s1["parent_id"] is None
    s2 = ok(o.post("/api/v1/plans/%d/sections" % pid,
                   {"parent_id": s1["id"], "number": "(一)", "title": "落实责任"}), 201)
    assert s2["level"] == 2 and s2["parent_id"] == s1["id"]
    # A level 2 section may not hold another level.
    check_error(o.post("/api/v1/plans/%d/sections" % pid,
                       {"parent_id": s2["id"], "title": "第三级"}), 422, "invalid", "parent_id")
    it = ok(o.post("/api/v1/plans/%d/items" % pid, {
        "section_id": s2["id"], "text": "每年至少召开2次专题会议", "lead": {"role": "office"},
        "co_owners": [{"user_id": IDS["u_leada"]}, {"role": "secretary"}],
        "due": "2099-12-31"}), 201)
    IDS["item_a"] = it["id"]
    assert it["lead"]["role"] == "office" and it["status"] == "todo"
    assert it["status_label"] == "未开始"
    assert it["co_owners"][0] == {"user_id": IDS["u_leada"]}
    assert it["co_owners"][1]["role"] == "secretary"
    loose = ok(o.post("/api/v1/plans/%d/items" % pid, {"text": "按季度研究", "recurrence": "quarter",
                                                        "lead": {"user_id": IDS["u_offa"]}}), 201)
    # Everyone who sees the unit reads the plan, nested.
    for who in ("plain", "shuji", "leada"):
        g = ok(c(who).get("/api/v1/plans/%d" % pid))
        assert [s["id"] for s in g["sections"]] == [s1["id"]], g
        assert g["sections"][0]["sections"][0]["items"][0]["id"] == it["id"]
        assert [x["id"] for x in g["items"]] == [loose["id"]]
    lst = ok(c("plain").get("/api/v1/plans?org_id=%d&year=2023" % a))
    assert lst["total"] == 1 and lst["items"][0]["items_count"] == 2, lst
    assert ok(c("plain").get("/api/v1/plans?org_id=%d&year=2024" % a))["total"] == 0
    j = ok(o.patch("/api/v1/plans/%d" % pid, {"title": "2023年工作要点（修订）"}))
    assert j["title"] == "2023年工作要点（修订）"
    j = ok(o.patch("/api/v1/plan-sections/%d" % s1["id"], {"title": "切实加强组织领导"}))
    assert j["title"] == "切实加强组织领导" and j["number"] == "一、"
    # A section with something in it stays.
    check_error(o.delete("/api/v1/plan-sections/%d" % s1["id"]), 409, "conflict")
    ok(o.delete("/api/v1/plan-items/%d" % loose["id"]), 204)
    check_error(o.get("/api/v1/plan-items/%d" % loose["id"]), 404, "not_found")
    for action in ("plan.create", "plan.section.create", "plan.item.create", "plan.update",
                   "plan.item.delete"):
        assert S.audit(action), action


def test_plan_refused_outside_scope_or_role():
    a, pid, iid = IDS["A"], IDS["plan_a"], IDS["item_a"]

    def refused():
        offb = c("offb")
        check_error(offb.get("/api/v1/plans/%d" % pid), 404, "not_found")
        check_error(offb.patch("/api/v1/plans/%d" % pid, {"title": "x"}), 404, "not_found")
        check_error(offb.delete("/api/v1/plans/%d" % pid), 404, "not_found")
        check_error(offb.get("/api/v1/plan-items/%d" % iid), 404, "not_found")
        check_error(offb.patch("/api/v1/plan-items/%d" % iid, {"status": "done"}), 404,
                    "not_found")
        check_error(offb.post("/api/v1/plan-items/%d/progress" % iid,
                              {"date": "2023-03-01", "note": "x"}), 404, "not_found")
        check_error(offb.get("/api/v1/plans?org_id=%d" % a), 404, "not_found")
        check_error(offb.post("/api/v1/plans", {"org_id": a, "year": 2023, "title": "x"}),
                    422, "invalid", "org_id")
        check_error(offb.post("/api/v1/plans/import", {"org_id": a, "year": 2023,
                                                       "text": "一、总体要求"}),
                    422, "invalid", "org_id")
        plain = c("plain")
        check_error(plain.post("/api/v1/plans", {"org_id": a, "year": 2023, "title": "x"}),
                    403, "forbidden")
        check_error(plain.patch("/api/v1/plans/%d" % pid, {"title": "x"}), 403, "forbidden")
        check_error(plain.post("/api/v1/plans/%d/items" % pid, {"text": "x"}), 403, "forbidden")
        check_error(plain.patch("/api/v1/plan-items/%d" % iid, {"status": "done"}), 403,
                    "forbidden")
        check_error(plain.post("/api/v1/plan-items/%d/progress" % iid,
                               {"date": "2023-03-01", "note": "x"}), 403, "forbidden")
        check_error(plain.delete("/api/v1/plans/%d" % pid), 403, "forbidden")
        check_error(c("offa").post("/api/v1/plans/%d/items" % pid, {"text": "x"}, csrf=False),
                    403, "csrf_failed")
        check_error(c("offa").get("/api/v1/plans/999999"), 404, "not_found")
    unchanged(refused)


def test_item_validation_writes_nothing():
    pid, iid = IDS["plan_a"], IDS["item_a"]
    o = c("offa")

    def bad():
        u = "/api/v1/plans/%d/items" % pid
        check_error(o.post(u, {"text": ""}), 422, "invalid", "text")
        check_error(o.post(u, {"text": "x", "due": "2023-02-30"}), 422, "invalid", "due")
        check_error(o.post(u, {"text": "x", "recurrence": "daily"}), 422, "invalid",
                    "recurrence")
        check_error(o.post(u, {"text": "x", "due": "2023-03-01", "recurrence": "month"}),
                    422, "invalid", "recurrence")
        check_error(o.post(u, {"text": "x", "status": "overdue"}), 422, "invalid", "status")
        check_error(o.post(u, {"text": "x", "lead": {"role": "sysadmin"}}), 422, "invalid",
                    "lead")
        check_error(o.post(u, {"text": "x", "lead": {"user_id": 999999}}), 422, "invalid",
                    "lead")
        check_error(o.post(u, {"text": "x", "co_owners": [{"user_id": 1, "role": "office"}]}),
                    422, "invalid", "co_owners")
        check_error(o.post(u, {"text": "x", "bogus": 1}), 400, "bad_request")
        check_error(o.patch("/api/v1/plan-items/%d" % iid, {"section_id": 999999}), 422,
                    "invalid", "section_id")
        check_error(o.post("/api/v1/plans", {"org_id": IDS["A"], "year": 1999, "title": "x"}),
                    422, "invalid", "year")
    unchanged(bad)


def test_item_status_and_overdue():
    pid = IDS["plan_a"]
    o = c("offa")
    past = ok(o.post("/api/v1/plans/%d/items" % pid, {"text": "上半年开展研判",
                                                       "due": "2023-06-30"}), 201)
    assert past["status"] == "overdue" and past["status_label"] == "已逾期", past
    j = ok(o.patch("/api/v1/plan-items/%d" % past["id"], {"status": "doing"}))
    assert j["status"] == "overdue"
    j = ok(o.patch("/api/v1/plan-items/%d" % past["id"], {"status": "done"}))
    assert j["status"] == "done" and j["status_label"] == "已完成"
    j = ok(o.patch("/api/v1/plan-items/%d" % IDS["item_a"], {"status": "doing"}))
    assert j["status"] == "doing" and j["status_label"] == "进行中"
    # Moving the due date into the past makes an unfinished item overdue.
    j = ok(o.patch("/api/v1/plan-items/%d" % IDS["item_a"], {"due": "2000-01-01"}))
    assert j["status"] == "overdue"
    j = ok(o.patch("/api/v1/plan-items/%d" % IDS["item_a"], {"due": None,
                                                              "recurrence": "year"}))
    assert j["status"] == "doing" and j["due"] is None and j["recurrence"] == "year"
    row = S.sql("SELECT status FROM plan_item WHERE id = ?", (past["id"],))
    assert row == [("done",)], row


def test_progress_notes():
    iid = IDS["item_a"]
    j = ok(c("leada").post("/api/v1/plan-items/%d/progress" % iid,
                           {"date": "2023-05-10", "note": "已召开第一次专题会议"}), 201)
    assert j["date"] == "2023-05-10" and j["created_by"] == IDS["u_leada"]
    ok(c("offa").post("/api/v1/plan-items/%d/progress" % iid,
                      {"date": "2023-03-01", "note": "制定方案"}), 201)
    lst = ok(c("plain").get("/api/v1/plan-items/%d/progress" % iid))
    assert [x["date"] for x in lst["items"]] == ["2023-03-01", "2023-05-10"], lst
    unchanged(lambda: check_error(c("offa").post(
        "/api/v1/plan-items/%d/progress" % iid, {"date": "2023-13-01", "note": "x"}),
        422, "invalid", "date"))
    assert len(S.audit("plan.progress.create")) == 2


# ---------------------------------------------------------------- issuing

def test_issue_down_the_subtree():
    b = IDS["bureau"]
    s = c("shuji")
    p = ok(s.post("/api/v1/plans", {"org_id": b, "year": 2024, "title": "2024年工作要点"}), 201)
    sec = ok(s.post("/api/v1/plans/%d/sections" % p["id"], {"number": "一、", "title": "总体要求"}),
             201)
    ok(s.post("/api/v1/plans/%d/items" % p["id"], {"section_id": sec["id"], "text": "建立台账",
                                                    "lead": {"user_id": IDS["u_shuji"]},
                                                    "co_owners": [{"role": "office"}],
                                                    "due": "2024-03-31", "status": "doing"}),
       201)
    ok(s.post("/api/v1/plans/%d/items" % p["id"], {"text": "每季度研究", "recurrence": "quarter"}),
       201)
    sub = ok(s.post("/api/v1/plans/%d/sections" % p["id"], {"parent_id": sec["id"],
                                                           "number": "(一)", "title": "学习"}),
             201)
    ok(s.post("/api/v1/plans/%d/items" % p["id"], {"section_id": sub["id"], "text": "中心组学习",
                                                    "lead": {"role": "secretary"}}), 201)
    # A self-scoped office below may not issue; nor the bureau plan's readers.
    unchanged(lambda: check_error(c("offa").post("/api/v1/plans/%d/issue" % IDS["plan_a"]),
                                  403, "forbidden"))
    j = ok(s.post("/api/v1/plans/%d/issue" % p["id"]))
    assert j["units"] == 3 and j["created"] == 3 and j["skipped"] == 0, j
    for unit in ("A", "B", "A1"):
        lst = ok(s.get("/api/v1/plans?org_id=%d&year=2024" % IDS[unit]))
        assert lst["total"] == 1, lst
        copy = ok(s.get("/api/v1/plans/%d" % lst["items"][0]["id"]))
        assert copy["issued_from"] == p["id"] and copy["title"] == "2024年工作要点"
        assert copy["sections"][0]["title"] == "总体要求"
        items = all_items(copy)
        assert sorted(x["text"] for x in items) == ["中心组学习", "建立台账", "每季度研究"]
        assert copy["sections"][0]["items"][0]["text"] == "建立台账"
        inner = copy["sections"][0]["sections"]
        assert [(x["level"], x["title"]) for x in inner] == [(2, "学习")], inner
        assert inner[0]["items"][0]["text"] == "中心组学习"
        assert inner[0]["items"][0]["lead"]["role"] == "secretary"
        assert [x["text"] for x in copy["items"]] == ["每季度研究"]
        assert copy["items"][0]["recurrence"] == "quarter"
        first = [x for x in items if x["text"] == "建立台账"][0]
        # Statuses start over; user owners stay with the superior, roles go down.
        assert first["status"] in ("todo", "overdue") and first["lead"] is None
        assert first["co_owners"] == [{"role": "office", "role_label": "办公室"}]
    # Each copy is the unit's own: the school's office edits its copy.
    a_copy = ok(c("offa").get("/api/v1/plans?org_id=%d&year=2024" % IDS["A"]))["items"][0]
    ok(c("offa").patch("/api/v1/plans/%d" % a_copy["id"], {"title": "一中2024年工作要点"}))
    assert ok(s.get("/api/v1/plans/%d" % p["id"]))["title"] == "2024年工作要点"
    # Issuing again skips every unit that has its copy.
    j = unchanged(lambda: ok(s.post("/api/v1/plans/%d/issue" % p["id"])))
    # (the repeat writes nothing: no copies, no audit rows)
    assert j["created"] == 0 and j["skipped"] == 3, j
    assert len(S.audit("plan.issue")) == 3
    # A deleted copy is issued again.
    ok(c("offa").delete("/api/v1/plans/%d" % a_copy["id"]), 204)
    j = ok(s.post("/api/v1/plans/%d/issue" % p["id"]))
    assert j["created"] == 1 and j["skipped"] == 2, j


# ---------------------------------------------------------------- import

def test_import_preview_equals_cli():
    exp = expected()
    a = IDS["A"]
    for name, want in exp["documents"].items():
        text = fixture(name)
        body = {"org_id": a, "year": exp["year"], "text": text}
        api = unchanged(lambda: ok(c("offa").post("/api/v1/plans/import", body)))
        cli = json.loads(unchanged(lambda: cli_import(os.path.join(FIXTURES, name), a)).stdout)
        assert api == cli, name
        assert api["type"] == want["type"], name
        got = [(o["kind"], o["min"], o["period"]) for o in api["obligations"] if o["confirmed"]]
        assert got == [(o["kind"], o["min"], o["period"]) for o in want["obligations"]], \
            (name, got)
        for o in api["obligations"]:
            src = o["source"]
            assert text.encode("utf-8")[src["start"]:src["end"]].decode("utf-8") == src["text"]
        if "committee" in want:
            assert api["committee"]["leader"] == want["committee"]["leader"]
        if "dated_activities" in want:
            assert [(d["name"], d["date"]) for d in api["dated_activities"]] == \
                [(d["name"], d["date"]) for d in want["dated_activities"]]


def test_import_commit():
    a = IDS["A"]
    o = c("offa")
    text = fixture("article1-plan.txt")
    preview = ok(o.post("/api/v1/plans/import", {"org_id": a, "year": 2023, "text": text}))
    # The person drops one festival and adds an obligation they confirm, and
    # leaves an unconfirmed one that must not be saved.
    preview["dated_activities"] = preview["dated_activities"][:5]
    preview["obligations"].append({"kind": "analysis", "min": 1, "period": "half",
                                   "confirmed": True})
    preview["obligations"].append({"kind": None, "min": 3, "period": "month",
                                   "confirmed": False})
    body = dict(preview, org_id=a, year=2023, text=text, commit=True, title="一中2023年工作要点")
    j = ok(o.post("/api/v1/plans/import", body), 201)
    pid = j["id"]
    assert j["title"] == "一中2023年工作要点" and j["org_id"] == a and j["year"] == 2023
    assert [s["title"] for s in j["sections"]] == \
        expected()["documents"]["article1-plan.txt"]["top_sections"]
    assert j["source_text"] == text
    assert len(j["skipped_obligations"]) == 1
    items = all_items(j)
    dated = [x for x in items if x["due"]]
    assert sorted(x["due"] for x in dated) == ["2023-05-01", "2023-05-04", "2023-06-22",
                                               "2023-07-01", "2023-09-29"], dated
    obl = ok(o.get("/api/v1/obligations?org_id=%d&year=2023" % a))["items"]
    got = sorted((x["kind"], x["min"], x["period"]) for x in obl)
    assert got == [("analysis", 1, "half"), ("center_group_study", 12, "year"),
                   ("special_meeting", 2, "year")], got
    ids = {x["id"] for x in items}
    by_kind = {x["kind"]: x for x in obl}
    for kind in ("special_meeting", "center_group_study"):
        item = by_kind[kind]["plan_item_id"]
        assert item in ids, (kind, item)
    meeting = [x for x in items if x["id"] == by_kind["special_meeting"]["plan_item_id"]][0]
    assert "专题会议" in meeting["text"], meeting
    assert by_kind["analysis"]["plan_item_id"] is None
    com = ok(o.get("/api/v1/committees?org_id=%d" % a))["items"]
    assert [x["name"] for x in com] == ["意识形态工作领导小组"], com
    full = ok(o.get("/api/v1/committees/%d" % com[0]["id"]))
    leaders = [m["name"] for m in full["members"] if m["position"] == "leader"]
    assert leaders == ["何胜明"] and len(full["members"]) == 10, full
    assert S.audit("plan.import")
    IDS["import_plan"] = pid
    IDS["import_items"] = sorted(ids)
    # The same obligations again conflict: 409, and nothing is written.
    check = unchanged(lambda: o.post("/api/v1/plans/import", body))
    check_error(check, 409, "conflict", "obligations")


def test_record_linked_to_plan_items():
    a = IDS["A"]
    o = c("offa")
    item = IDS["import_items"][0]
    rec = {"org_id": a, "kind": "special_meeting", "date": "2023-03-05", "title": "专题会议",
           "plan_item_ids": [item, item]}
    r = ok(o.post("/api/v1/records", rec), 201)
    assert r["plan_item_ids"] == [item], r
    assert ok(c("plain").get("/api/v1/records/%d" % r["id"]))["plan_item_ids"] == [item]
    r2 = ok(o.patch("/api/v1/records/%d" % r["id"], {"plan_item_ids": [IDS["item_a"], item]}))
    assert r2["plan_item_ids"] == sorted([IDS["item_a"], item])
    got = ok(c("plain").get("/api/v1/plan-items/%d" % IDS["item_a"]))
    assert got["record_ids"] == [r["id"]], got
    # A deleted record no longer counts as carrying the item out.
    gone = ok(o.post("/api/v1/records", dict(rec, date="2023-01-05", plan_item_ids=[
        IDS["item_a"]])), 201)
    got = ok(c("plain").get("/api/v1/plan-items/%d" % IDS["item_a"]))
    assert got["record_ids"] == [gone["id"], r["id"]], got
    ok(o.delete("/api/v1/records/%d" % gone["id"]), 204)
    got = ok(c("plain").get("/api/v1/plan-items/%d" % IDS["item_a"]))
    assert got["record_ids"] == [r["id"]], got
    r3 = ok(o.patch("/api/v1/records/%d" % r["id"], {"title": "专题会议（一）"}))
    assert r3["plan_item_ids"] == sorted([IDS["item_a"], item])
    b_plan = ok(c("offb").post("/api/v1/plans", {"org_id": IDS["B"], "year": 2023,
                                                  "title": "二中计划"}), 201)
    b_item = ok(c("offb").post("/api/v1/plans/%d/items" % b_plan["id"], {"text": "二中事项"}),
                201)
    IDS["b_item"] = b_item["id"]

    def bad():
        check_error(o.post("/api/v1/records", dict(rec, plan_item_ids=[b_item["id"]])), 422,
                    "invalid", "plan_item_ids")
        check_error(o.patch("/api/v1/records/%d" % r["id"], {"plan_item_ids": [999999]}), 422,
                    "invalid", "plan_item_ids")
        check_error(o.patch("/api/v1/records/%d" % r["id"], {"plan_item_ids": ["x"]}), 422,
                    "invalid", "plan_item_ids")
    unchanged(bad)
    r4 = ok(o.patch("/api/v1/records/%d" % r["id"], {"plan_item_ids": []}))
    assert r4["plan_item_ids"] == []
    assert ok(o.get("/api/v1/plan-items/%d" % item))["record_ids"] == []
    assert S.audit("record.plan_items")


def test_obligation_with_plan_item():
    a = IDS["A"]
    o = c("offa")
    j = ok(o.post("/api/v1/obligations", {"org_id": a, "kind": "talk", "min": 4,
                                          "period": "year", "year": 2023,
                                          "plan_item_id": IDS["item_a"]}), 201)
    assert j["plan_item_id"] == IDS["item_a"]

    def bad():
        check_error(o.post("/api/v1/obligations", {"org_id": a, "kind": "training", "min": 1,
                                                   "period": "year", "year": 2023,
                                                   "plan_item_id": IDS["b_item"]}),
                    422, "invalid", "plan_item_id")
        check_error(o.post("/api/v1/obligations", {"org_id": a, "kind": "training", "min": 1,
                                                   "period": "year", "year": 2023,
                                                   "plan_item_id": 999999}),
                    422, "invalid", "plan_item_id")
    unchanged(bad)
    # Deleting the item keeps the obligation, without its item.
    ok(o.delete("/api/v1/plan-items/%d" % IDS["item_a"]), 204)
    obl = [x for x in ok(o.get("/api/v1/obligations?org_id=%d&year=2023" % a))["items"]
           if x["id"] == j["id"]]
    assert obl[0]["plan_item_id"] is None


# ---------------------------------------------------------------- CLI

def make_docx(text, path):
    """A minimal Word document: one paragraph per line, some lines split
    into two runs, one with a tab."""
    paras = []
    for i, line in enumerate(text.split("\n")):
        if i % 3 == 0 and len(line) > 4:
            runs = ('<w:r><w:t xml:space="preserve">%s</w:t></w:r>'
                    '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>'
                    % (escape(line[:2]), escape(line[2:])))
        else:
            runs = '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % escape(line)
        paras.append("<w:p>%s</w:p>" % runs)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body>%s<w:sectPr/></w:body></w:document>' % "".join(paras))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", doc)


def shape(p):
    return ([(s["number"], s["title"]) for s in p["sections"]],
            [(o["kind"], o["min"], o["period"], o["confirmed"], o["source"]["text"])
             for o in p["obligations"]],
            p["committee"], [(d["name"], d["date"]) for d in p["dated_activities"]])


def test_cli_txt_gb18030_docx():
    b = IDS["B"]
    text = fixture("article1-plan.txt")
    utf8 = json.loads(cli_import(os.path.join(FIXTURES, "article1-plan.txt"), b).stdout)
    gb = os.path.join(S.dir, "plan-gb18030.txt")
    with open(gb, "wb") as f:
        f.write(text.encode("gb18030"))
    assert json.loads(cli_import(gb, b).stdout) == utf8
    docx = os.path.join(S.dir, "plan.docx")
    make_docx(text, docx)
    d = json.loads(cli_import(docx, b).stdout)
    assert shape(d) == shape(utf8)
    # Not a Word document, a missing file, a bad year: clear errors, nothing written.
    junk = os.path.join(S.dir, "junk.docx")
    with open(junk, "wb") as f:
        f.write(b"PK\x03\x04 not really a zip")

    def bad():
        p = cli_import(junk, b, check=False)
        assert p.returncode != 0 and "docx" in p.stderr, p.stderr
        p = cli_import(os.path.join(S.dir, "missing.txt"), b, check=False)
        assert p.returncode != 0 and p.stderr, p.stderr
        p = cli_import(gb, b, year=1999, check=False)
        assert p.returncode != 0 and "--year" in p.stderr, p.stderr
        p = cli_import(gb, 999999, commit=True, check=False)
        assert p.returncode != 0 and "单位不存在" in p.stderr, p.stderr
    unchanged(bad)
    # --commit saves the confirmed preview and prints the plan id.
    p = cli_import(docx, b, commit=True)
    pid = int(p.stdout.strip())
    j = ok(c("offb").get("/api/v1/plans/%d" % pid))
    assert j["org_id"] == b and j["title"] == "2023年工作要点"
    assert [s["title"] for s in j["sections"]] == [s["title"] for s in d["sections"]]
    obl = ok(c("offb").get("/api/v1/obligations?org_id=%d&year=2023" % b))["items"]
    assert sorted(x["kind"] for x in obl) == ["center_group_study", "special_meeting"]
    assert all(x["plan_item_id"] for x in obl), obl
    # A report's text with an obligation per half year.
    p = cli_import(os.path.join(FIXTURES, "article4-report.txt"), b, commit=True)
    assert int(p.stdout.strip()) > pid


def main():
    setup()
    try:
        code = run([test_plan_crud_in_scope, test_plan_refused_outside_scope_or_role,
                    test_item_validation_writes_nothing, test_item_status_and_overdue,
                    test_progress_notes, test_issue_down_the_subtree,
                    test_import_preview_equals_cli, test_import_commit,
                    test_record_linked_to_plan_items, test_obligation_with_plan_item,
                    test_cli_txt_gb18030_docx])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
