#!/usr/bin/env python3
"""API tests of the reminders for plan items (工作要点事项): an item not done
gets one "due_soon" notice when its due date comes within the reminder
window and one "plan_overdue" notice once it has passed; done items,
items without a due date and items of deleted plans get none; repeated
runs write nothing new; the notices reach the unit's users and not a
sibling unit's.  Days are chosen with `zerenzhi remind --today`.

    python3 tests/api/test_plan_reminders.py   (ZRZ_BIN selects the binary,
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


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def remind(today):
    p = S.cli("remind", "--today", today, "--no-deliver")
    return json.loads(p.stdout)


def plan_keys():
    return sorted(r[0] for r in S.sql(
        "SELECT event_key FROM notice WHERE event_key LIKE 'plan_item:%'"))


def key(item, what):
    return "plan_item:%d:%s" % (IDS[item], what)


def setup():
    global S
    S = Server()
    IDS["root"] = S.add_org("市教育局党委", kind="committee")
    IDS["A"] = S.add_org("第一中学党支部", parent=IDS["root"], kind="branch")
    IDS["B"] = S.add_org("第二中学党支部", parent=IDS["root"], kind="branch")
    S.add_user(IDS["A"], "offa", "office")
    S.add_user(IDS["A"], "mema", "member")
    S.add_user(IDS["B"], "offb", "office")
    S.start()
    o = c("offa")
    pid = IDS["plan"] = ok(o.post("/api/v1/plans", {
        "org_id": IDS["A"], "year": 2026, "title": "2026年意识形态工作要点"}), 201)["id"]
    for name, body in (("soon", {"text": "召开意识形态工作专题会议", "due": "2026-05-10"}),
                       ("later", {"text": "开展上半年分析研判", "due": "2026-06-30"}),
                       ("done", {"text": "制定年度工作要点", "due": "2026-05-08"}),
                       ("loose", {"text": "按季度研究意识形态工作", "recurrence": "quarter"})):
        IDS[name] = ok(o.post("/api/v1/plans/%d/items" % pid, body), 201)["id"]
    ok(o.patch("/api/v1/plan-items/%d" % IDS["done"], {"status": "done"}))
    gone = ok(o.post("/api/v1/plans", {"org_id": IDS["A"], "year": 2026, "title": "作废的计划"}),
              201)["id"]
    IDS["gone"] = ok(o.post("/api/v1/plans/%d/items" % gone,
                            {"text": "作废计划中的事项", "due": "2026-05-09"}), 201)["id"]
    ok(o.delete("/api/v1/plans/%d" % gone), 204)


def test_nothing_before_the_window():
    remind("2026-04-01")
    assert plan_keys() == [], plan_keys()


def test_due_soon_once():
    out = remind("2026-05-05")
    assert plan_keys() == [key("soon", "due_soon")], plan_keys()
    assert out["notices"] >= 1, out
    assert remind("2026-05-05")["notices"] == 0
    remind("2026-05-07")
    assert plan_keys() == [key("soon", "due_soon")], plan_keys()
    rows = S.sql("SELECT kind, title, body, link, org_id FROM notice WHERE event_key = ?",
                 (key("soon", "due_soon"),))
    kind, title, body, link, org = rows[0]
    assert kind == "due_soon" and org == IDS["A"], rows
    assert "即将到期" in title and "第一中学党支部" in title, title
    assert "召开意识形态工作专题会议" in body and "2026-05-10" in body, body
    assert link == "/plans/%d" % IDS["plan"], link
    assert len(S.audit("notice.create")) >= 1


def test_overdue_once_and_seen_by_the_unit_only():
    remind("2026-05-12")
    want = sorted([key("soon", "due_soon"), key("soon", "overdue")])
    assert plan_keys() == want, plan_keys()
    assert remind("2026-05-13")["notices"] == 0
    items = ok(c("mema").get("/api/v1/notices?size=50"))["items"]
    kinds = sorted(n["kind"] for n in items if n["title"].find("工作要点") >= 0)
    assert kinds == ["due_soon", "plan_overdue"], items
    overdue = [n for n in items if n["kind"] == "plan_overdue"][0]
    assert "已逾期 2 天" in overdue["body"], overdue
    assert ok(c("offb").get("/api/v1/notices"))["total"] == 0


def test_done_item_stops_and_window_ends():
    # the later item comes due; marking it done before the window: nothing
    ok(c("offa").patch("/api/v1/plan-items/%d" % IDS["later"], {"status": "done"}))
    remind("2026-06-28")
    assert key("later", "due_soon") not in plan_keys()
    ok(c("offa").patch("/api/v1/plan-items/%d" % IDS["later"], {"status": "doing"}))
    remind("2026-06-28")
    assert key("later", "due_soon") in plan_keys()
    # long after its due date an item is no longer reminded of
    remind("2026-09-30")
    assert key("later", "overdue") not in plan_keys()
    for name in ("done", "loose", "gone"):
        assert not [k for k in plan_keys() if k.startswith("plan_item:%d:" % IDS[name])]


def main():
    setup()
    try:
        code = run([test_nothing_before_the_window, test_due_soon_once,
                    test_overdue_once_and_seen_by_the_unit_only,
                    test_done_item_stops_and_window_ends])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
