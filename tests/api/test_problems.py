#!/usr/bin/env python3
"""API tests of the rectification ledger (问题整改): problems within the
caller's scope and refused outside it, validation that writes nothing, the
status the server derives (待整改 → 整改中 → 已完成) from measures and
evidence files, 销号 and 退回 only by the unit above and only when done,
nothing changing after 销号, overdue measures flagged in lists and counted
in the rollup by unit, one reminder per measure from the reminder job, and
the import of the problems a report lists (the fourth seed text and a
report written here).

    python3 tests/api/test_problems.py     (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import json
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.environ.get("ZRZ_FIXTURES", "/work/shared/fixtures/plans")
S = None
IDS = {}
CLIENTS = {}
BOUNDARY = "zrz-problem-boundary"
TODAY = datetime.date.today()


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


def day(delta):
    return (TODAY + datetime.timedelta(days=delta)).isoformat()


def png(seed=0):
    raw = b"".join(b"\x00" + bytes((x * 40 + y * 7 + seed) % 256 for x in range(12))
                   for y in range(3))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def multipart(files):
    out = b""
    for name, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (BOUNDARY, name)
                ).encode("utf-8") + data + b"\r\n"
    return out + ("--%s--\r\n" % BOUNDARY).encode()


def upload(client, pid, files):
    return client.request("POST", "/api/v1/problems/%d/evidence" % pid, raw=multipart(files),
                          headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})


def problem(org, title="宣传栏内容更新不及时", source="self_check", **kw):
    body = {"org_id": org, "source": source, "title": title, "found_on": day(-10)}
    body.update(kw)
    return body


def new_problem(who="offa", **kw):
    return ok(c(who).post("/api/v1/problems", problem(IDS["A"], **kw)), 201)


def measure(pid, who="offa", **kw):
    body = {"text": "明确专人每周更新宣传栏", "deadline": day(30)}
    body.update(kw)
    return ok(c(who).post("/api/v1/problems/%d/measures" % pid, body), 201)


def get(pid, who="offa"):
    return ok(c(who).get("/api/v1/problems/%d" % pid))


# ---------------------------------------------------------------- setup

def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["A1"] = S.add_org("第一中学党支部", parent=a, kind="branch")
    S.add_user(b, "juoff", "office", "subtree", name="局办公室")
    S.add_user(b, "juview", "viewer", "subtree", name="局查看员")
    IDS["offa"] = S.add_user(a, "offa", "office", "self", name="一中办公室")
    S.add_user(a, "seca", "secretary", "subtree", name="一中书记")
    IDS["plain"] = S.add_user(a, "plain", "member", "self", name="一中教师")
    IDS["offb"] = S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    S.start()
    for name in ("juoff", "juview", "offa", "seca", "plain", "offb"):
        c(name)


# ---------------------------------------------------------------- tests

def test_create_and_scope():
    j = new_problem(category="阵地管理", description="宣传栏三个月未更新")
    IDS["p1"] = j["id"]
    assert j["status"] == "todo" and j["org_id"] == IDS["A"] and j["source"] == "self_check"
    assert j["category"] == "阵地管理" and j["measures"] == 0 and j["evidence"] == 0
    assert j["measure_list"] == [] and j["evidence_list"] == [] and j["events"] == []
    assert j["can"] == {"edit": True, "decide": False}, j["can"]
    # The bureau's office (a subtree grant) may decide; a viewer or a member
    # reads it only.
    assert get(j["id"], "juoff")["can"]["decide"] is True
    assert get(j["id"], "juview")["can"] == {"edit": False, "decide": False}
    assert get(j["id"], "plain")["can"] == {"edit": False, "decide": False}
    # Another school neither reads nor writes it.
    check_error(c("offb").get("/api/v1/problems/%d" % j["id"]), 404, "not_found", "id")
    unchanged(lambda: check_error(c("offb").post("/api/v1/problems", problem(IDS["A"])),
                                  422, "invalid", "org_id"))
    unchanged(lambda: check_error(c("plain").post("/api/v1/problems", problem(IDS["A"])),
                                  403, "forbidden"))
    unchanged(lambda: check_error(c("offb").patch("/api/v1/problems/%d" % j["id"],
                                                  {"title": "x"}), 404, "not_found"))
    rows = S.audit("problem.create")
    assert rows and rows[-1][5] == j["id"] and rows[-1][1] == IDS["offa"], rows


def test_validation_writes_nothing():
    a = IDS["A"]
    cases = [
        (problem(a, source="rumor"), 422, "invalid", "source"),
        (problem(a, title=""), 422, "invalid", "title"),
        (problem(a, title="x" * 201), 422, "invalid", "title"),
        (problem(a, title="两行\n标题"), 422, "invalid", "title"),
        (problem(a, found_on="2026-02-30"), 422, "invalid", "found_on"),
        (problem(a, found_on="1999-12-31"), 422, "invalid", "found_on"),
        (problem(a, category="c" * 51), 422, "invalid", "category"),
        (problem(a, title=5), 400, "bad_request", "title"),
        (problem(a, extra=1), 400, "bad_request", None),
        (problem(a, analysis_id=999999), 422, "invalid", "analysis_id"),
        ({"source": "self_check", "title": "无单位"}, 422, "invalid", "org_id"),
    ]
    for body, status, code, field in cases:
        unchanged(lambda: check_error(c("offa").post("/api/v1/problems", body), status, code,
                                      field if field else Ellipsis))
    pid = IDS["p1"]
    mcases = [
        ({"text": "", "deadline": day(3)}, 422, "text"),
        ({"text": "措施", "deadline": "2026-13-01"}, 422, "deadline"),
        ({"text": "措施", "deadline": day(3), "status": "half"}, 422, "status"),
        ({"text": "措施", "deadline": day(3), "owner_id": IDS["offb"]}, 422, "owner_id"),
        ({"text": "措施", "deadline": day(3), "done_on": day(0)}, 422, "done_on"),
        ({"text": "措施"}, 422, "deadline"),
    ]
    for body, status, field in mcases:
        unchanged(lambda: check_error(c("offa").post("/api/v1/problems/%d/measures" % pid,
                                                     body), status, "invalid", field))
    unchanged(lambda: check_error(c("plain").post("/api/v1/problems/%d/measures" % pid,
                                                  {"text": "措施", "deadline": day(3)}),
                                  403, "forbidden"))
    # A file that is no photo, PDF, Word or Excel is refused by its content.
    unchanged(lambda: check_error(upload(c("offa"), pid, [("证明.png", b"just text\n")]),
                                  415, "unsupported_media_type"))


def test_status_follows_measures_and_evidence():
    pid = IDS["p1"]
    m1 = measure(pid, owner_id=IDS["plain"])
    assert m1["owner_id"] == IDS["plain"] and m1["owner_name"] == "一中教师"
    assert m1["status"] == "todo" and m1["overdue"] is False
    j = get(pid)
    assert j["status"] == "doing" and j["measures"] == 1, j
    m2 = measure(pid, text="建立宣传栏内容审核登记制度")
    # The owner reports the progress of their own measure, nothing else.
    check_error(c("plain").patch("/api/v1/measures/%d" % m1["id"], {"text": "改"}), 403,
                "forbidden")
    check_error(c("plain").patch("/api/v1/measures/%d" % m2["id"], {"status": "done"}), 403,
                "forbidden")
    j = ok(c("plain").patch("/api/v1/measures/%d" % m1["id"], {"status": "done"}))
    assert j["status"] == "done" and j["done_on"] == day(0), j
    j = ok(c("offa").patch("/api/v1/measures/%d" % m2["id"],
                           {"status": "done", "done_on": day(-1)}))
    assert j["done_on"] == day(-1)
    # Every measure done but no evidence yet: still doing.
    assert get(pid)["status"] == "doing"
    r = ok(upload(c("offa"), pid, [("整改照片.png", png(1))]), 201)
    assert r["total"] == 1 and r["items"][0]["name"] == "整改照片.png"
    assert r["items"][0]["mime"] == "image/png" and r["items"][0]["duplicate"] is False
    j = get(pid)
    assert j["status"] == "done" and j["evidence"] == 1 and j["done_measures"] == 2, j
    ev = j["evidence_list"][0]
    d = c("juoff").get("/api/v1/problem-evidence/%d" % ev["id"])
    assert d.status == 200 and d.body == png(1) and d.header("Content-Type") == "image/png"
    check_error(c("offb").get("/api/v1/problem-evidence/%d" % ev["id"]), 404, "not_found")
    # The same bytes again are the same file.
    r = ok(upload(c("offa"), pid, [("again.png", png(1))]), 201)
    assert r["items"][0]["duplicate"] is True and get(pid)["evidence"] == 1
    # Reopening a measure makes the problem doing again; done again after.
    ok(c("offa").patch("/api/v1/measures/%d" % m2["id"], {"status": "doing"}))
    j = get(pid)
    assert j["status"] == "doing"
    assert [m["done_on"] for m in j["measure_list"]] == [day(0), None]
    ok(c("offa").patch("/api/v1/measures/%d" % m2["id"], {"status": "done"}))
    assert get(pid)["status"] == "done"
    # Removing the only evidence: doing; removing a measure: counted.
    r = c("offa").delete("/api/v1/problems/%d/evidence/%d" % (pid, ev["id"]))
    assert r.status == 204, r
    assert get(pid)["status"] == "doing"
    check_error(c("offa").delete("/api/v1/problems/%d/evidence/%d" % (pid, ev["id"])), 404,
                "not_found")
    ok(upload(c("offa"), pid, [("整改照片.png", png(1))]), 201)
    assert get(pid)["status"] == "done"
    m3 = measure(pid, text="临时措施")
    assert get(pid)["status"] == "doing"
    assert c("offa").delete("/api/v1/measures/%d" % m3["id"]).status == 204
    j = get(pid)
    assert j["status"] == "done" and j["measures"] == 2, j
    # The audit trail tells the story, status moves included.
    moves = [json.loads(r[6]).get("status") for r in S.audit()
             if r[4] in ("measure", "evidence") and json.loads(r[6]).get("problem_id") == pid]
    assert ["todo", "doing"] in moves and ["doing", "done"] in moves, moves


def test_close_only_by_superior_when_done():
    pid = IDS["p1"]
    # The unit itself, its secretary included, cannot close its own problem.
    for who in ("offa", "seca"):
        unchanged(lambda: check_error(c(who).post("/api/v1/problems/%d/close" % pid,
                                                  {"opinion": "同意"}), 403, "forbidden"))
    # A viewer of the bureau neither.
    unchanged(lambda: check_error(c("juview").post("/api/v1/problems/%d/close" % pid,
                                                   {"opinion": "同意"}), 403, "forbidden"))
    unchanged(lambda: check_error(c("juoff").post("/api/v1/problems/%d/close" % pid,
                                                  {"opinion": ""}), 422, "invalid", "opinion"))
    # Not done yet: 409.
    p2 = new_problem(title="意识形态工作队伍建设有待加强", source="inspection")
    IDS["p2"] = p2["id"]
    unchanged(lambda: check_error(c("juoff").post("/api/v1/problems/%d/close" % p2["id"],
                                                  {"opinion": "同意"}), 409, "conflict"))
    j = ok(c("juoff").post("/api/v1/problems/%d/close" % pid, {"opinion": "整改到位，同意销号"}))
    assert j["status"] == "closed" and j["closed_at"] and j["can"]["edit"] is False
    assert j["events"][0]["action"] == "close" and j["events"][0]["opinion"] == "整改到位，同意销号"
    assert j["events"][0]["org_id"] == IDS["bureau"] and j["events"][0]["user_name"] == "局办公室"
    assert S.audit("problem.close")[-1][5] == pid
    # After 销号 nothing changes.
    mid = j["measure_list"][0]["id"]
    eid = j["evidence_list"][0]["id"]
    for r in (lambda: c("juoff").post("/api/v1/problems/%d/close" % pid, {"opinion": "再次"}),
              lambda: c("juoff").post("/api/v1/problems/%d/reopen" % pid, {"opinion": "退回"}),
              lambda: c("offa").patch("/api/v1/problems/%d" % pid, {"title": "改标题"}),
              lambda: c("offa").post("/api/v1/problems/%d/measures" % pid,
                                     {"text": "新措施", "deadline": day(3)}),
              lambda: c("offa").patch("/api/v1/measures/%d" % mid, {"status": "doing"}),
              lambda: c("offa").delete("/api/v1/measures/%d" % mid),
              lambda: upload(c("offa"), pid, [("新.png", png(2))]),
              lambda: c("offa").delete("/api/v1/problems/%d/evidence/%d" % (pid, eid))):
        unchanged(lambda: check_error(r(), 409, "conflict"))


def test_reopen_by_superior():
    pid = IDS["p2"]
    m = measure(pid, text="每季度开展一次意识形态工作培训")
    ok(c("offa").patch("/api/v1/measures/%d" % m["id"], {"status": "done"}))
    ok(upload(c("offa"), pid, [("培训签到表.png", png(3))]), 201)
    assert get(pid)["status"] == "done"
    unchanged(lambda: check_error(c("offa").post("/api/v1/problems/%d/reopen" % pid,
                                                 {"opinion": "退回"}), 403, "forbidden"))
    j = ok(c("juoff").post("/api/v1/problems/%d/reopen" % pid,
                           {"opinion": "培训记录不全，请补充"}))
    assert j["status"] == "doing" and j["events"][-1]["action"] == "reopen"
    unchanged(lambda: check_error(c("juoff").post("/api/v1/problems/%d/close" % pid,
                                                  {"opinion": "同意"}), 409, "conflict"))
    # The unit adds what was missing: done again, then closed.
    ok(upload(c("offa"), pid, [("培训记录.png", png(4))]), 201)
    assert get(pid)["status"] == "done"
    j = ok(c("juoff").post("/api/v1/problems/%d/close" % pid, {"opinion": "同意销号"}))
    assert [e["action"] for e in j["events"]] == ["reopen", "close"]


def test_lists_overdue_and_rollup():
    a, b = IDS["A"], IDS["B"]
    p3 = new_problem(title="网站栏目长期未更新", source="supervision", category="阵地管理")
    late = measure(p3["id"], text="整改网站栏目", deadline=day(-3))
    assert late["overdue"] is True
    IDS["late"] = late["id"]
    p4 = ok(c("offb").post("/api/v1/problems", problem(b, title="教师培训覆盖不全",
                                                      source="assessment")), 201)
    IDS["soon"] = measure(p4["id"], who="offb", text="补训", deadline=day(2))["id"]
    p5 = ok(c("seca").post("/api/v1/problems", problem(IDS["A1"], title="支部学习记录不全")),
            201)
    j = ok(c("offa").get("/api/v1/problems?org_id=%d" % a))
    assert j["total"] == 3 and {p["org_id"] for p in j["items"]} == {a}
    j = ok(c("offa").get("/api/v1/problems?org_id=%d&overdue=true" % a))
    assert [p["id"] for p in j["items"]] == [p3["id"]]
    assert j["items"][0]["overdue"] is True and j["items"][0]["overdue_measures"] == 1
    j = ok(c("offa").get("/api/v1/problems?org_id=%d&status=closed" % a))
    assert j["total"] == 2
    j = ok(c("offa").get("/api/v1/problems?org_id=%d&source=supervision" % a))
    assert [p["id"] for p in j["items"]] == [p3["id"]]
    j = ok(c("offa").get("/api/v1/problems?org_id=%d&q=%s" % (a, "%E7%BD%91%E7%AB%99")))
    assert [p["id"] for p in j["items"]] == [p3["id"]]
    check_error(c("offa").get("/api/v1/problems?org_id=%d&subtree=true" % a), 403, "forbidden")
    j = ok(c("juoff").get("/api/v1/problems?org_id=%d&subtree=true&size=200"
                          % IDS["bureau"]))
    assert j["total"] == 5
    j = ok(c("seca").get("/api/v1/problems?org_id=%d&subtree=true" % a))
    assert {p["id"] for p in j["items"]} >= {p3["id"], p5["id"]} and j["total"] == 4
    check_error(c("offa").get("/api/v1/problems?org_id=%d&status=lost" % a), 422, "invalid",
                "status")
    check_error(c("offb").get("/api/v1/problems?org_id=%d" % a), 404, "not_found")
    # The rollup: the bureau itself, then each school with its branch.
    j = ok(c("juoff").get("/api/v1/problems/rollup?org_id=%d" % IDS["bureau"]))
    rows = {r["org_id"]: r for r in j["items"]}
    assert [r["org_id"] for r in j["items"]] == [IDS["bureau"], a, b], j
    assert rows[a]["closed"] == 2 and rows[a]["doing"] == 1 and rows[a]["todo"] == 1
    assert rows[a]["overdue_measures"] == 1 and rows[a]["total"] == 4
    assert rows[b]["doing"] == 1 and rows[b]["overdue_measures"] == 0
    assert rows[IDS["bureau"]]["total"] == 0 and rows[IDS["bureau"]]["self"] is True
    check_error(c("offa").get("/api/v1/problems/rollup?org_id=%d" % a), 403, "forbidden")


def test_reminders_once_per_measure():
    def remind():
        S.cli("remind", "--today", TODAY.isoformat())

    def keys():
        return sorted(r[0] for r in S.sql("SELECT event_key FROM notice "
                                          "WHERE event_key LIKE 'measure:%'"))
    remind()
    want = sorted(["measure:%d:overdue" % IDS["late"], "measure:%d:due" % IDS["soon"]])
    assert keys() == want, keys()
    remind()
    assert keys() == want
    kinds = dict(S.sql("SELECT event_key, kind FROM notice WHERE event_key LIKE 'measure:%'"))
    assert kinds["measure:%d:overdue" % IDS["late"]] == "measure_overdue"
    assert kinds["measure:%d:due" % IDS["soon"]] == "measure_due"
    # The school sees its overdue measure; the bureau follows it up, but
    # the "due soon" of the other school is for that school alone.
    mine = ok(c("offa").get("/api/v1/notices?size=200"))["items"]
    assert any(n["kind"] == "measure_overdue" and n["link"].startswith("/problems/")
               for n in mine), mine
    bureau = {n["kind"] for n in ok(c("juoff").get("/api/v1/notices?size=200"))["items"]}
    assert "measure_overdue" in bureau and "measure_due" not in bureau, bureau
    assert "measure_due" in {n["kind"] for n in
                             ok(c("offb").get("/api/v1/notices?size=200"))["items"]}
    # A done measure is no longer reminded of.
    ok(c("offb").patch("/api/v1/measures/%d" % IDS["soon"], {"status": "done"}))
    S.sql("DELETE FROM notice_delivery")
    S.sql("DELETE FROM notice_read")
    S.sql("DELETE FROM notice WHERE event_key = ?", ("measure:%d:due" % IDS["soon"],))
    remind()
    assert keys() == ["measure:%d:overdue" % IDS["late"]]


def read_fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


def test_import_from_report():
    a = IDS["A"]
    text = read_fixture("article4-report.txt")
    expected = json.load(open(os.path.join(FIXTURES, "expected.json")))
    want = expected["documents"]["article4-report.txt"]["problem_sections"]
    before = S.counts()
    j = ok(c("offa").post("/api/v1/problems/import", {"org_id": a, "text": text,
                                                      "source": "inspection"}))
    assert S.counts() == before
    assert j["type"] == "report" and j["source"] == "inspection"
    assert [p["title"] for p in j["problems"]] == want, j["problems"]
    assert all(p["description"].startswith(p["title"]) for p in j["problems"])
    assert len(j["measures"]) == 4
    # The person edits the preview: drops one, renames one, sets a category.
    items = j["problems"]
    items[0]["keep"] = False
    items[1]["title"] = "意识形态工作队伍建设（巡察反馈）"
    items[2]["category"] = "方式方法"
    r = ok(c("offa").post("/api/v1/problems/import",
                          {"org_id": a, "source": "inspection", "commit": True,
                           "problems": items}), 201)
    assert r["total"] == 3
    assert [p["title"] for p in r["items"]] == ["意识形态工作队伍建设（巡察反馈）", want[2], want[3]]
    assert all(p["source"] == "inspection" and p["status"] == "todo" and
               p["found_on"] == TODAY.isoformat() for p in r["items"])
    assert r["items"][1]["category"] == "方式方法"
    assert S.audit("problem.import")[-1][2] == a
    # One invalid problem: none is saved.
    bad = [{"title": "好的问题"}, {"title": ""}]
    e = unchanged(lambda: check_error(c("offa").post(
        "/api/v1/problems/import", {"org_id": a, "commit": True, "problems": bad}),
        422, "invalid"))
    assert e["field"] == "problems[1].title", e
    unchanged(lambda: check_error(c("offa").post(
        "/api/v1/problems/import", {"org_id": a, "commit": True, "problems": []}),
        422, "invalid", "problems"))
    unchanged(lambda: check_error(c("plain").post(
        "/api/v1/problems/import", {"org_id": a, "text": text}), 403, "forbidden"))
    unchanged(lambda: check_error(c("offa").post(
        "/api/v1/problems/import", {"org_id": a, "text": "   "}), 422, "invalid", "text"))
    # A report written here: its own problems, in its own words.
    own = ("关于第二中学上半年意识形态工作的自查报告\n"
           "按照局党委要求，现将我校上半年意识形态工作情况汇报如下：\n"
           "一、主要工作\n"
           "上半年召开意识形态工作专题会议2次，开展理论学习中心组学习6次。\n"
           "二、存在的问题\n"
           "（一）校园网站信息审核把关不严。个别新闻稿未经审核即发布。\n"
           "（二）班主任队伍思想政治工作能力不足。培训覆盖面不够。\n"
           "三、下一步措施\n"
           "（一）严格落实信息发布三审制度。\n"
           "（二）每学期组织班主任专题培训。\n")
    j = ok(c("offb").post("/api/v1/problems/import", {"org_id": IDS["B"], "text": own}))
    assert j["type"] == "report"
    assert [p["title"] for p in j["problems"]] == ["校园网站信息审核把关不严",
                                                   "班主任队伍思想政治工作能力不足"], j["problems"]
    r = ok(c("offb").post("/api/v1/problems/import",
                          {"org_id": IDS["B"], "commit": True, "problems": j["problems"]}),
           201)
    assert [p["source"] for p in r["items"]] == ["self_check", "self_check"]


def test_audit_chain_intact():
    # Every change above wrote its audit row in the chain, which still holds.
    assert S.cli("audit", "verify").returncode == 0
    actions = {r[3] for r in S.audit()}
    assert {"problem.create", "measure.create", "measure.update", "measure.delete",
            "evidence.create", "evidence.delete", "problem.close", "problem.reopen",
            "problem.import"} <= actions, actions


def main():
    setup()
    try:
        code = run([test_create_and_scope, test_validation_writes_nothing,
                    test_status_follows_measures_and_evidence,
                    test_close_only_by_superior_when_done, test_reopen_by_superior,
                    test_lists_overdue_and_rollup, test_reminders_once_per_measure,
                    test_import_from_report, test_audit_chain_intact])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
