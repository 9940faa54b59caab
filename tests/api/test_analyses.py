#!/usr/bin/env python3
"""API tests of analysis reports (分析研判): drafts with the template of
sections (形势 / 问题 / 措施) and sections a unit adds, validation that
writes nothing, scope, submission to the unit above through the inbox with,
in the same transaction, a ledger record of kind analysis that the
obligations count (an obligation "analysis, min 2, half" goes from 0 to 1),
nothing changing after submission, the superior's acknowledgement with its
comment shown on the report, and problems created from a report.

    python3 tests/api/test_analyses.py     (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
TODAY = datetime.date.today()
HALF = "%d-H%d" % (TODAY.year, 1 if TODAY.month <= 6 else 2)


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


def setup():
    global S
    S = Server()
    city = IDS["city"] = S.add_org("某市委宣传部", kind="committee")
    b = IDS["bureau"] = S.add_org("某市教育局", parent=city, kind="committee")
    IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    S.add_user(b, "juoff", "office", "subtree", name="局办公室")
    S.add_user(b, "juview", "viewer", "subtree", name="局查看员")
    S.add_user(IDS["A"], "offa", "office", "self", name="一中办公室")
    S.add_user(IDS["A"], "plain", "member", "self", name="一中教师")
    S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    S.add_user(city, "cityoff", "office", "self", name="市委宣传部办公室")
    S.start()
    for name in ("juoff", "juview", "offa", "plain", "offb", "cityoff"):
        c(name)


def analysis_done():
    """done of the school's 'analysis' obligation in the current half."""
    j = ok(c("offa").get("/api/v1/compliance?org_id=%d&year=%d" % (IDS["A"], TODAY.year)))
    cur = [r for r in j["items"] if r["kind"] == "analysis" and r["period"] == HALF]
    assert len(cur) == 1, j
    return cur[0]["done"]


def test_draft_with_template():
    a = IDS["A"]
    tpl = ok(c("plain").get("/api/v1/analyses/template"))["sections"]
    assert [s["title"] for s in tpl] == ["形势", "问题", "措施"]
    j = ok(c("offa").post("/api/v1/analyses", {"org_id": a, "period": HALF,
                                               "title": "上半年意识形态工作研判"}), 201)
    IDS["x1"] = j["id"]
    assert j["state"] == "draft" and j["report_date"] == TODAY.isoformat()
    assert [s["key"] for s in j["sections"]] == ["situation", "problems", "measures"]
    assert j["can"]["edit"] is True and j["record_id"] is None and j["acknowledged"] is None
    # The unit adds a section of its own and writes the text.
    secs = j["sections"] + [{"key": "campus_net", "title": "校园网络阵地", "text": "总体平稳"}]
    secs[0]["text"] = "全校教职工思想稳定，主流积极健康。"
    secs[1]["text"] = "个别班级宣传栏更新不及时。"
    j = ok(c("offa").patch("/api/v1/analyses/%d" % j["id"], {"sections": secs}))
    assert [s["title"] for s in j["sections"]] == ["形势", "问题", "措施", "校园网络阵地"]
    assert j["sections"][0]["text"].startswith("全校")
    assert S.audit("analysis.update")[-1][5] == j["id"]
    # Readers: the bureau (subtree) and the member; not the other school.
    assert ok(c("juoff").get("/api/v1/analyses/%d" % j["id"]))["can"]["edit"] is True
    assert ok(c("plain").get("/api/v1/analyses/%d" % j["id"]))["can"]["edit"] is False
    check_error(c("offb").get("/api/v1/analyses/%d" % j["id"]), 404, "not_found", "id")
    j = ok(c("juoff").get("/api/v1/analyses?org_id=%d&subtree=true" % IDS["bureau"]))
    assert j["total"] == 1 and "sections" not in j["items"][0]


def test_validation_and_scope_write_nothing():
    a = IDS["A"]
    base = {"org_id": a, "period": HALF, "title": "研判"}
    cases = [
        (dict(base, period="2026-Q1"), 422, "invalid", "period"),
        (dict(base, period="half"), 422, "invalid", "period"),
        (dict(base, title=""), 422, "invalid", "title"),
        (dict(base, report_date="2026-02-30"), 422, "invalid", "report_date"),
        (dict(base, sections=[]), 422, "invalid", "sections"),
        (dict(base, sections=[{"key": "A B", "title": "x", "text": ""}]), 422, "invalid",
         "sections"),
        (dict(base, sections=[{"key": "a", "title": "x", "text": ""},
                              {"key": "a", "title": "y", "text": ""}]), 422, "invalid",
         "sections"),
        (dict(base, sections=[{"key": "a", "title": "x", "text": "", "more": 1}]), 422,
         "invalid", "sections"),
        (dict(base, color="red"), 400, "bad_request", Ellipsis),
    ]
    for body, status, code, field in cases:
        unchanged(lambda: check_error(c("offa").post("/api/v1/analyses", body), status, code,
                                      field))
    unchanged(lambda: check_error(c("plain").post("/api/v1/analyses", base), 403, "forbidden"))
    unchanged(lambda: check_error(c("offb").post("/api/v1/analyses", base), 422, "invalid",
                                  "org_id"))
    unchanged(lambda: check_error(c("offb").post("/api/v1/analyses/%d/submit" % IDS["x1"]),
                                  404, "not_found"))
    unchanged(lambda: check_error(c("plain").post("/api/v1/analyses/%d/submit" % IDS["x1"]),
                                  403, "forbidden"))
    # The city is at the top: nobody to submit to.
    j = ok(c("cityoff").post("/api/v1/analyses", {"org_id": IDS["city"], "period": "adhoc",
                                                  "title": "专项研判", "report_date": "2026-03-01"}),
           201)
    unchanged(lambda: check_error(c("cityoff").post("/api/v1/analyses/%d/submit" % j["id"]),
                                  409, "conflict"))


def test_submit_counts_in_obligations():
    a = IDS["A"]
    ok(c("offa").post("/api/v1/obligations", {"org_id": a, "kind": "analysis", "min": 2,
                                              "period": "half", "year": TODAY.year}), 201)
    assert analysis_done() == 0
    records = S.counts().get("record")
    j = ok(c("offa").post("/api/v1/analyses/%d/submit" % IDS["x1"]))
    assert j["state"] == "submitted" and j["record_id"] and j["submitted_at"]
    assert j["inbox_id"] and j["acknowledged"] is None and j["can"]["edit"] is False
    assert analysis_done() == 1
    assert S.counts().get("record") == records + 1
    rec = ok(c("offa").get("/api/v1/records/%d" % j["record_id"]))
    assert rec["kind"] == "analysis" and rec["title"] == "上半年意识形态工作研判"
    assert rec["date"] == TODAY.isoformat() and "校园网络阵地" in rec["minutes"]
    actions = [r[3] for r in S.audit()][-4:]
    assert "record.create" in actions and "inbox.send" in actions and \
        actions[-1] == "analysis.submit", actions
    # Once submitted nothing changes; submitting twice is a conflict.
    x = IDS["x1"]
    for r in (lambda: c("offa").post("/api/v1/analyses/%d/submit" % x),
              lambda: c("offa").patch("/api/v1/analyses/%d" % x, {"title": "改"}),
              lambda: c("offa").delete("/api/v1/analyses/%d" % x)):
        unchanged(lambda: check_error(r(), 409, "conflict"))
    assert analysis_done() == 1
    # A report of the past half counts in that half, dated within it.
    j = ok(c("offa").post("/api/v1/analyses", {"org_id": a, "period": "%d" % (TODAY.year - 1),
                                               "title": "上年度研判",
                                               "report_date": TODAY.isoformat()}), 201)
    j = ok(c("offa").post("/api/v1/analyses/%d/submit" % j["id"]))
    rec = ok(c("offa").get("/api/v1/records/%d" % j["record_id"]))
    assert rec["date"] == "%d-12-31" % (TODAY.year - 1)
    assert analysis_done() == 1


def test_superior_acknowledges():
    x = IDS["x1"]
    j = ok(c("offa").get("/api/v1/analyses/%d" % x))
    inbox = ok(c("juoff").get("/api/v1/inbox?org_id=%d" % IDS["bureau"]))
    items = [i for i in inbox["items"] if i["entity"] == "analysis" and i["entity_id"] == x]
    assert len(items) == 1 and items[0]["id"] == j["inbox_id"], inbox
    # The school cannot acknowledge for the bureau; a viewer neither.
    check_error(c("offa").post("/api/v1/inbox/%d/ack" % j["inbox_id"], {"comment": "x"}),
                *((404, "not_found") if c("offa").get("/api/v1/inbox/%d" % j["inbox_id"])
                  .status == 404 else (403, "forbidden")))
    ok(c("juoff").post("/api/v1/inbox/%d/ack" % j["inbox_id"],
                       {"comment": "研判深入，请抓好宣传栏整改"}))
    j = ok(c("offa").get("/api/v1/analyses/%d" % x))
    assert j["state"] == "acknowledged", j
    ack = j["acknowledged"]
    assert ack["comment"] == "研判深入，请抓好宣传栏整改" and ack["org_id"] == IDS["bureau"]
    assert ack["by_name"] == "局办公室" and ack["at"]
    assert [(t["from_org_id"], t["to_org_id"], t["state"]) for t in j["inbox_trail"]] == \
        [(IDS["A"], IDS["bureau"], "acknowledged")], j["inbox_trail"]
    # Passed on further up: the school sees the whole way, oldest first, and
    # still the bureau's acknowledgement.
    ok(c("juoff").post("/api/v1/inbox/%d/forward" % j["inbox_id"], {"note": "报市委宣传部"}))
    j = ok(c("offa").get("/api/v1/analyses/%d" % x))
    assert [(t["from_org_id"], t["to_org_id"], t["state"], t["note"])
            for t in j["inbox_trail"]] == \
        [(IDS["A"], IDS["bureau"], "forwarded", None),
         (IDS["bureau"], IDS["city"], "sent", "报市委宣传部")], j["inbox_trail"]
    assert j["acknowledged"]["comment"] == "研判深入，请抓好宣传栏整改", j


def test_problems_from_a_report():
    a, x = IDS["A"], IDS["x1"]
    j = ok(c("offa").post("/api/v1/problems", {"org_id": a, "analysis_id": x,
                                               "title": "个别班级宣传栏更新不及时"}), 201)
    assert j["source"] == "analysis" and j["analysis_id"] == x
    unchanged(lambda: check_error(c("offa").post("/api/v1/problems", {
        "org_id": a, "analysis_id": x, "source": "self_check", "title": "x"}), 422, "invalid",
        "source"))
    y = ok(c("offb").post("/api/v1/analyses", {"org_id": IDS["B"], "period": HALF,
                                               "title": "二中研判"}), 201)["id"]
    unchanged(lambda: check_error(c("offa").post("/api/v1/problems", {
        "org_id": a, "analysis_id": y, "title": "x"}), 422, "invalid", "analysis_id"))
    # A draft may be deleted; it is gone from lists.
    assert c("offb").delete("/api/v1/analyses/%d" % y).status == 204
    check_error(c("offb").get("/api/v1/analyses/%d" % y), 404, "not_found")
    assert ok(c("offb").get("/api/v1/analyses?org_id=%d" % IDS["B"]))["total"] == 0
    assert S.cli("audit", "verify").returncode == 0


def main():
    setup()
    try:
        code = run([test_draft_with_template, test_validation_and_scope_write_nothing,
                    test_submit_counts_in_obligations, test_superior_acknowledges,
                    test_problems_from_a_report])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
