#!/usr/bin/env python3
"""API tests of incidents (舆情事件处置) and the superior's inbox (上报收件箱):
recording an incident with an explicit found_at, deadlines per severity and
stage computed across midnight, month ends and 29 February and shown in
China time, the stages done strictly in order (skipping or repeating 409,
writing nothing), reporting delivering the incident to the inbox of the
unit directly above, acknowledgement there (once) and forwarding further
up, the units' own time limits, the list filters, the at-risk and overdue
statuses with their reminders (one per incident and stage), the
statistics of minutes to each stage, and the audit trail.

    python3 tests/api/test_incidents.py   (ZRZ_BIN selects the binary,
                                           ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
CST = datetime.timezone(datetime.timedelta(hours=8))


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


def ago(minutes):
    t = datetime.datetime.now(CST) - datetime.timedelta(minutes=minutes)
    return t.replace(microsecond=0).isoformat()


def parse(s):
    return datetime.datetime.fromisoformat(s)


def create(who, org, severity="major", found_at=None, **kw):
    body = {"org_id": IDS[org], "title": kw.pop("title", "关于本单位的媒体报道"),
            "source": kw.pop("source", "media"), "severity": severity}
    if found_at:
        body["found_at"] = found_at
    body.update(kw)
    return ok(c(who).post("/api/v1/incidents", body), 201)


def advance(who, iid, stage, note=None, status=200):
    body = {"stage": stage}
    if note is not None:
        body["note"] = note
    r = c(who).post("/api/v1/incidents/%d/advance" % iid, body)
    return ok(r, status) if status == 200 else r


def stage(inc, name):
    return next(s for s in inc["stages"] if s["stage"] == name)


def setup():
    global S
    S = Server()
    city = IDS["city"] = S.add_org("某市委宣传部", kind="committee")
    b = IDS["bureau"] = S.add_org("某市教育局", parent=city, kind="committee")
    IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["lone"] = S.add_org("独立单位", kind="committee")
    S.add_user(IDS["A"], "offa", "office", name="一中办公室")
    S.add_user(IDS["A"], "leada", "leader", name="一中分管领导")
    S.add_user(IDS["A"], "plain", "viewer", name="只读")
    S.add_user(IDS["B"], "offb", "office", name="二中办公室")
    IDS["u_offbu"] = S.add_user(b, "offbu", "office", name="教育局办公室")
    S.add_user(b, "shuji", "secretary", "subtree", name="教育局党委书记")
    S.add_user(city, "offcity", "office", name="市委宣传部办公室")
    S.add_user(IDS["lone"], "offlone", "office", name="独立单位办公室")
    S.start()
    # Logins write sessions and audit rows: all of them before any test.
    for name in ("offa", "leada", "plain", "offb", "offbu", "shuji", "offcity", "offlone"):
        assert c(name).user, name


# ------------------------------------------------------------ deadlines

def test_deadlines_across_midnight_and_month_ends():
    # 重大, found 31 January 23:30: 研判 within 60 minutes is 1 February 00:30.
    x = create("offa", "A", "major", "2026-01-31T23:30:00+08:00")
    assert x["found_at"] == "2026-01-31T23:30:00+08:00", x
    assert x["stage"] == "found" and x["next_stage"] == "assess"
    assert [s["stage"] for s in x["stages"]] == ["assess", "report", "handle", "close"]
    assert stage(x, "assess")["deadline"] == "2026-02-01T00:30:00+08:00", x
    assert stage(x, "report")["deadline"] == "2026-02-01T01:30:00+08:00", x
    assert stage(x, "handle")["deadline"] == "2026-02-01T23:30:00+08:00", x
    assert stage(x, "close")["deadline"] is None and stage(x, "close")["status"] is None
    assert stage(x, "assess")["limit_minutes"] == 60
    # Long past: every timed stage is overdue, and so is the incident.
    assert [stage(x, s)["status"] for s in ("assess", "report", "handle")] == ["overdue"] * 3
    assert x["status"] == "overdue" and x["next_due"] == "2026-02-01T00:30:00+08:00"
    # The same instant given in UTC reads back in China time.
    y = create("offa", "A", "major", "2026-01-31T15:30:00Z")
    assert y["found_at"] == "2026-01-31T23:30:00+08:00"
    assert stage(y, "assess")["deadline"] == "2026-02-01T00:30:00+08:00"
    # The last evening of a year.
    y = create("offa", "A", "major", "2025-12-31T23:30:00+08:00")
    assert stage(y, "assess")["deadline"] == "2026-01-01T00:30:00+08:00"
    # A leap year: 28 February 23:00 + 120 minutes is 29 February 01:00 ...
    y = create("offa", "A", "major", "2024-02-28T23:00:00+08:00")
    assert stage(y, "report")["deadline"] == "2024-02-29T01:00:00+08:00", y
    # ... 一般: 处置 within 4320 minutes (3 days) reaches 2 March, and 3 March
    # in a year without 29 February.
    y = create("offa", "A", "general", "2024-02-28T23:00:00+08:00")
    assert stage(y, "assess")["deadline"] == "2024-02-29T07:00:00+08:00"
    assert stage(y, "report")["deadline"] == "2024-02-29T23:00:00+08:00"
    assert stage(y, "handle")["deadline"] == "2024-03-02T23:00:00+08:00"
    y = create("offa", "A", "general", "2023-02-28T23:00:00+08:00")
    assert stage(y, "handle")["deadline"] == "2023-03-03T23:00:00+08:00"
    # 较大: 120 / 240 / 2880 minutes, 28 February 23:00 to 1 March in 2023.
    y = create("offa", "A", "serious", "2023-02-28T23:00:00+08:00")
    assert stage(y, "assess")["deadline"] == "2023-03-01T01:00:00+08:00"
    assert stage(y, "report")["deadline"] == "2023-03-01T03:00:00+08:00"
    assert stage(y, "handle")["deadline"] == "2023-03-02T23:00:00+08:00"
    # found_at defaults to now.
    z = create("offa", "A", "general")
    now = datetime.datetime.now(CST)
    assert abs((parse(z["found_at"]) - now).total_seconds()) < 120, z
    assert z["status"] == "on_time" and z["created_by_name"] == "一中办公室"
    assert S.audit("incident.create")[-1][3:6] == ("incident.create", "incident", z["id"])


def test_create_refused_writes_nothing():
    a = IDS["A"]
    base = {"org_id": a, "title": "事件", "source": "media", "severity": "major"}

    def bad():
        for change, code, field in [
                ({"source": "weibo_watch"}, 422, "source"),
                ({"severity": "huge"}, 422, "severity"),
                ({"title": ""}, 422, "title"),
                ({"title": "x" * 201}, 422, "title"),
                ({"found_at": "2026-01-31"}, 422, "found_at"),
                ({"found_at": "2026-02-30T10:00:00+08:00"}, 422, "found_at"),
                ({"found_at": "昨天"}, 422, "found_at"),
                ({"found_at": "2099-01-01T00:00:00+08:00"}, 422, "found_at"),
                ({"found_at": "1999-12-31T00:00:00+08:00"}, 422, "found_at"),
                ({"description": "x" * 5001}, 422, "description"),
                ({"org_id": IDS["B"]}, 422, "org_id")]:
            body = dict(base)
            body.update(change)
            check_error(c("offa").post("/api/v1/incidents", body), code,
                        "invalid" if code == 422 else "bad_request", field)
        body = dict(base, person="某某")
        check_error(c("offa").post("/api/v1/incidents", body), 400, "bad_request")
        check_error(c("plain").post("/api/v1/incidents", base), 403, "forbidden")
        check_error(c("offa").post("/api/v1/incidents", base, csrf=False), 403, "csrf_failed")
        missing = dict(base)
        del missing["severity"]
        check_error(c("offa").post("/api/v1/incidents", missing), 422, "invalid", "severity")
    unchanged(bad)


# ------------------------------------------------------------ stages

def test_stages_in_order_only():
    x = create("offa", "A", "major", ago(10), title="网络帖文涉及本校食堂",
               source="online_post", description="某论坛出现涉及本校食堂的帖文")
    iid = IDS["inc"] = x["id"]
    assert x["can_advance"] is True
    # Skipping 研判, closing early, an unknown stage: refused, nothing written.
    unchanged(lambda: check_error(advance("offa", iid, "report", status=0), 409, "conflict",
                                  "stage"))
    unchanged(lambda: check_error(advance("offa", iid, "close", status=0), 409, "conflict"))
    unchanged(lambda: check_error(advance("offa", iid, "publish", status=0), 422, "invalid",
                                  "stage"))
    unchanged(lambda: check_error(advance("plain", iid, "assess", status=0), 403, "forbidden"))
    unchanged(lambda: check_error(advance("offb", iid, "assess", status=0), 404, "not_found"))
    y = advance("leada", iid, "assess", "经研判，属一般性网络反映")
    s = stage(y, "assess")
    assert y["stage"] == "assess" and y["next_stage"] == "report"
    assert s["done"] and s["done_by_name"] == "一中分管领导" and s["note"].startswith("经研判")
    assert s["status"] == "on_time" and 9 <= s["minutes"] <= 12, s
    assert stage(y, "report")["done"] is False and y["inbox"] is None
    # Repeating a stage is a conflict too.
    unchanged(lambda: check_error(advance("offa", iid, "assess", status=0), 409, "conflict"))
    unchanged(lambda: check_error(advance("offa", iid, "handle", status=0), 409, "conflict"))
    rows = S.audit("incident.advance")
    assert rows[-1][3:6] == ("incident.advance", "incident", iid)
    assert json.loads(rows[-1][6])["stage"] == "assess"


def test_report_delivers_to_the_unit_above():
    iid = IDS["inc"]
    before = len(S.audit("inbox.send"))
    y = advance("offa", iid, "report", "已报教育局")
    item = y["inbox"]
    assert item and item["state"] == "sent" and item["to_org_id"] == IDS["bureau"], y
    assert item["from_org_id"] == IDS["A"] and item["entity"] == "incident"
    assert item["entity_id"] == iid and item["title"] == "网络帖文涉及本校食堂"
    IDS["item"] = item["id"]
    assert len(S.audit("inbox.send")) == before + 1
    # The bureau's office sees it in its inbox; a sibling school's does not.
    page = ok(c("offbu").get("/api/v1/inbox?org_id=%d" % IDS["bureau"]))
    assert [i["id"] for i in page["items"]] == [item["id"]] and page["total"] == 1
    assert page["items"][0]["state_label"] == "待签收"
    assert page["items"][0]["from_org_name"] == "第一中学"
    page = ok(c("offbu").get("/api/v1/inbox?org_id=%d&state=acknowledged" % IDS["bureau"]))
    assert page["total"] == 0
    page = ok(c("offbu").get("/api/v1/inbox?org_id=%d&entity=analysis" % IDS["bureau"]))
    assert page["total"] == 0
    check_error(c("offbu").get("/api/v1/inbox?org_id=%d&state=read" % IDS["bureau"]), 422,
                "invalid", "state")
    check_error(c("offa").get("/api/v1/inbox?org_id=%d" % IDS["bureau"]), 404, "not_found")
    check_error(c("offb").get("/api/v1/inbox/%d" % item["id"]), 404, "not_found")
    # The sender reads its own item, but may not acknowledge it.
    j = ok(c("offa").get("/api/v1/inbox/%d" % item["id"]))
    assert j["can_handle"] is False
    unchanged(lambda: check_error(c("offa").post("/api/v1/inbox/%d/ack" % item["id"], {}), 403,
                                  "forbidden"))
    # The bureau's office (a grant on the bureau only) reads the incident
    # it was sent, but does not handle it.
    j = ok(c("offbu").get("/api/v1/incidents/%d" % iid))
    assert j["title"] == "网络帖文涉及本校食堂" and j["can_advance"] is False
    unchanged(lambda: check_error(advance("offbu", iid, "handle", status=0), 403, "forbidden"))
    assert ok(c("offbu").get("/api/v1/inbox/%d" % item["id"]))["can_handle"] is True


def test_acknowledged_once():
    iid, item = IDS["inc"], IDS["item"]
    j = ok(c("offbu").post("/api/v1/inbox/%d/ack" % item, {"comment": "已阅，请妥善处置并及时续报"}))
    assert j["state"] == "acknowledged" and j["acked_by"] == IDS["u_offbu"]
    assert j["acked_by_name"] == "教育局办公室" and j["comment"] == "已阅，请妥善处置并及时续报"
    assert j["acked_at"]
    unchanged(lambda: check_error(c("offbu").post("/api/v1/inbox/%d/ack" % item, {}), 409,
                                  "conflict"))
    unchanged(lambda: check_error(c("offbu").post("/api/v1/inbox/%d/ack" % item,
                                                  {"comment": "x" * 2001}), 422, "invalid",
                                  "comment"))
    # The school sees it acknowledged with the comment.
    x = ok(c("offa").get("/api/v1/incidents/%d" % iid))
    assert x["inbox"]["state"] == "acknowledged", x
    assert x["inbox"]["comment"] == "已阅，请妥善处置并及时续报"
    assert x["inbox"]["acked_by_name"] == "教育局办公室"
    row = S.audit("inbox.ack")[-1]
    assert row[4:6] == ("inbox_item", item) and row[2] == IDS["bureau"]
    # Handle, then close; then nothing more.
    y = advance("offa", iid, "handle", "已联系发帖人核实情况并回应")
    assert y["status"] == "done" and y["next_due"] is None
    y = advance("offa", iid, "close", "事件已妥善处置")
    assert y["closed"] and y["can_advance"] is False and y["next_stage"] is None
    unchanged(lambda: check_error(advance("offa", iid, "close", status=0), 409, "conflict"))


def test_forward_further_up():
    x = create("offb", "B", "serious", ago(30), title="上级通报涉及本校", source="superior_notice")
    advance("offb", x["id"], "assess")
    item = advance("offb", x["id"], "report")["inbox"]
    j = ok(c("shuji").post("/api/v1/inbox/%d/forward" % item["id"], {"note": "请市委宣传部阅示"}))
    assert j["state"] == "forwarded" and j["forward_id"] and j["acked_at"], j
    unchanged(lambda: check_error(c("shuji").post("/api/v1/inbox/%d/forward" % item["id"], {}),
                                  409, "conflict"))
    unchanged(lambda: check_error(c("shuji").post("/api/v1/inbox/%d/ack" % item["id"], {}),
                                  409, "conflict"))
    page = ok(c("offcity").get("/api/v1/inbox?org_id=%d" % IDS["city"]))
    up = page["items"][0]
    assert page["total"] == 1 and up["id"] == j["forward_id"], page
    assert up["from_org_id"] == IDS["bureau"] and up["prev_id"] == item["id"]
    assert up["note"] == "请市委宣传部阅示" and up["entity_id"] == x["id"]
    # The city reads the incident; the school now sees the city's item.
    ok(c("offcity").get("/api/v1/incidents/%d" % x["id"]))
    d = ok(c("offb").get("/api/v1/incidents/%d" % x["id"]))
    assert d["inbox"]["id"] == up["id"]
    # ... and the whole way up, oldest first.
    assert [(t["id"], t["from_org_id"], t["to_org_id"], t["state"]) for t in d["inbox_trail"]] \
        == [(item["id"], IDS["B"], IDS["bureau"], "forwarded"),
            (up["id"], IDS["bureau"], IDS["city"], "sent")], d["inbox_trail"]
    # Nothing above the city.
    unchanged(lambda: check_error(c("offcity").post("/api/v1/inbox/%d/forward" % up["id"], {}),
                                  422, "invalid", "org_id"))
    ok(c("offcity").post("/api/v1/inbox/%d/ack" % up["id"], {}))
    assert S.audit("inbox.forward")[-1][5] == item["id"]


def test_report_without_a_unit_above():
    x = create("offlone", "lone", "general", ago(5))
    advance("offlone", x["id"], "assess")
    unchanged(lambda: check_error(advance("offlone", x["id"], "report", status=0), 422,
                                  "invalid", "org_id"))
    assert ok(c("offlone").get("/api/v1/incidents/%d" % x["id"]))["stage"] == "assess"


# ------------------------------------------------------------ limits

def test_limits_per_unit():
    a = IDS["A"]
    j = ok(c("offa").get("/api/v1/incident-limits?org_id=%d" % a))
    assert j["limits"]["major"] == {"assess": 60, "report": 120, "handle": 1440}
    assert j["limits"]["serious"] == {"assess": 120, "report": 240, "handle": 2880}
    assert j["limits"]["general"] == {"assess": 480, "report": 1440, "handle": 4320}
    assert j["defaults"] == j["limits"] and not j["custom"]["major"]["assess"]

    def bad():
        for limits in [{"major": {"assess": 0}}, {"major": {"assess": 43201}},
                       {"major": {"assess": 200}}, {"huge": {"assess": 10}},
                       {"major": {"close": 10}}, {"major": {"assess": "60"}}]:
            check_error(c("offa").put("/api/v1/incident-limits",
                                      {"org_id": a, "limits": limits}), 422, "invalid", "limits")
        check_error(c("leada").put("/api/v1/incident-limits",
                                   {"org_id": a, "limits": {"major": {"assess": 30}}}),
                    403, "forbidden")
        check_error(c("offb").put("/api/v1/incident-limits",
                                  {"org_id": a, "limits": {"major": {"assess": 30}}}),
                    422, "invalid", "org_id")
    unchanged(bad)
    old = create("offa", "A", "major", "2026-03-31T23:50:00+08:00")
    j = ok(c("offa").put("/api/v1/incident-limits",
                         {"org_id": a, "limits": {"major": {"assess": 30, "report": 90}}}))
    assert j["limits"]["major"] == {"assess": 30, "report": 90, "handle": 1440}
    assert j["custom"]["major"]["assess"] and not j["custom"]["major"]["handle"]
    detail = json.loads(S.audit("incident.limits")[-1][6])
    assert detail["changed"]["major.assess"] == [60, 30], detail
    new = create("offa", "A", "major", "2026-03-31T23:50:00+08:00")
    assert stage(new, "assess")["deadline"] == "2026-04-01T00:20:00+08:00"
    assert stage(new, "report")["deadline"] == "2026-04-01T01:20:00+08:00"
    # The deadlines of an incident already recorded stay.
    again = ok(c("offa").get("/api/v1/incidents/%d" % old["id"]))
    assert stage(again, "assess")["deadline"] == "2026-04-01T00:50:00+08:00"
    # Another unit keeps the defaults.
    j = ok(c("offb").get("/api/v1/incident-limits?org_id=%d" % IDS["B"]))
    assert j["limits"]["major"]["assess"] == 60
    ok(c("offa").put("/api/v1/incident-limits",
                     {"org_id": a, "limits": {"major": {"assess": 60, "report": 120}}}))


# ------------------------------------------------------------ status, list

def test_status_and_list_filters():
    fresh = create("offb", "B", "major", ago(10), title="状态：正常")
    risky = create("offb", "B", "major", ago(50), title="状态：临近")
    late = create("offb", "B", "major", ago(70), title="状态：超时", source="complaint")
    IDS.update(fresh=fresh["id"], risky=risky["id"], late=late["id"])
    assert fresh["status"] == "on_time"
    assert risky["status"] == "at_risk" and stage(risky, "assess")["status"] == "at_risk"
    assert stage(risky, "report")["status"] == "on_time"
    assert late["status"] == "overdue" and stage(late, "report")["status"] == "on_time"
    b = IDS["B"]
    page = ok(c("offb").get("/api/v1/incidents?org_id=%d&overdue=true" % b))
    ids = {i["id"] for i in page["items"]}
    assert late["id"] in ids and fresh["id"] not in ids and risky["id"] not in ids
    page = ok(c("offb").get("/api/v1/incidents?org_id=%d&source=complaint" % b))
    assert [i["id"] for i in page["items"]] == [late["id"]]
    page = ok(c("offb").get("/api/v1/incidents?org_id=%d&state=close" % b))
    assert page["total"] == 0
    page = ok(c("offb").get("/api/v1/incidents?org_id=%d&state=found&severity=major" % b))
    assert {fresh["id"], risky["id"], late["id"]} <= {i["id"] for i in page["items"]}
    # Newest found first.
    found = [i["found_at"] for i in page["items"]]
    assert found == sorted(found, reverse=True)
    page = ok(c("offa").get("/api/v1/incidents?org_id=%d&state=close" % IDS["A"]))
    assert [i["id"] for i in page["items"]] == [IDS["inc"]], page
    page = ok(c("offa").get("/api/v1/incidents?org_id=%d&state=open&size=200" % IDS["A"]))
    assert IDS["inc"] not in {i["id"] for i in page["items"]} and page["total"] >= 5
    # The bureau's secretary reads the subtree; a school's office may not.
    page = ok(c("shuji").get("/api/v1/incidents?org_id=%d&subtree=true&size=200"
                             % IDS["bureau"]))
    orgs = {i["org_id"] for i in page["items"]}
    assert orgs == {IDS["A"], IDS["B"]}, orgs
    assert ok(c("shuji").get("/api/v1/incidents?org_id=%d" % IDS["bureau"]))["total"] == 0
    check_error(c("offa").get("/api/v1/incidents?org_id=%d&subtree=true" % IDS["A"]), 403,
                "forbidden", "subtree")
    check_error(c("offa").get("/api/v1/incidents?org_id=%d" % IDS["B"]), 404, "not_found")
    for q, field in [("state=gone", "state"), ("severity=big", "severity"),
                     ("source=rumour", "source")]:
        check_error(c("offb").get("/api/v1/incidents?org_id=%d&%s" % (b, q)), 422, "invalid",
                    field)
    check_error(c("offb").get("/api/v1/incidents"), 422, "invalid", "org_id")
    check_error(c("offb").get("/api/v1/incidents/999999"), 404, "not_found")


def incident_keys():
    return sorted(r[0] for r in S.sql(
        "SELECT event_key FROM notice WHERE event_key LIKE 'incident:%'"))


def test_reminders_once_per_incident_and_stage():
    p = S.cli("remind", "--no-deliver")
    out = json.loads(p.stdout)
    assert "incident_notices" in out, out
    keys = incident_keys()
    f, r, l = IDS["fresh"], IDS["risky"], IDS["late"]
    assert "incident:%d:assess:at_risk" % r in keys, keys
    assert "incident:%d:assess:overdue" % l in keys, keys
    assert not any(k.startswith("incident:%d:" % f) for k in keys), keys
    assert "incident:%d:assess:at_risk" % l not in keys
    # Long-past incidents (older than the reminder window) are not reminded of.
    assert not any(k.startswith("incident:%d:" % IDS["inc"]) for k in keys)
    # Again: nothing new.
    assert json.loads(S.cli("remind", "--no-deliver").stdout)["incident_notices"] == 0
    assert incident_keys() == keys
    kinds = dict(S.sql("SELECT event_key, kind FROM notice WHERE event_key LIKE 'incident:%'"))
    assert kinds["incident:%d:assess:at_risk" % r] == "incident_at_risk"
    assert kinds["incident:%d:assess:overdue" % l] == "incident_overdue"
    # The school's office reads them; so does the bureau's secretary (the
    # level above follows up what is at risk or overdue below it).
    titles = [n["title"] for n in ok(c("offb").get("/api/v1/notices?size=200"))["items"]]
    assert any("状态：临近" in t and "临近时限" in t for t in titles), titles
    assert any("状态：超时" in t and "已超时" in t for t in titles), titles
    links = [n["link"] for n in ok(c("shuji").get("/api/v1/notices?size=200"))["items"]]
    assert "/incidents/%d" % l in links, links
    # Once assessed, the at-risk incident's next stage (报送 within 120
    # minutes, 50 used) is not at risk: no new notice.
    advance("offb", r, "assess")
    S.cli("remind", "--no-deliver")
    assert incident_keys() == keys


# ------------------------------------------------------------ statistics

def test_stats_minutes_to_each_stage():
    # Two incidents of the lone unit found in 2025, one advanced to 报送.
    x1 = create("offlone", "lone", "major", "2025-06-30T23:00:00+08:00", title="统计一")
    x2 = create("offlone", "lone", "general", "2025-12-31T23:59:00+08:00", title="统计二")
    create("offlone", "lone", "major", "2024-12-31T23:59:00+08:00", title="上一年")
    a1 = advance("offlone", x1["id"], "assess")
    a2 = advance("offlone", x2["id"], "assess")
    lone = IDS["lone"]
    st = ok(c("offlone").get("/api/v1/incidents/stats?org_id=%d&year=2025" % lone))
    assert st["year"] == 2025 and st["count"] == 2, st
    assert st["by_severity"]["major"]["count"] == 1
    assert st["by_severity"]["general"]["count"] == 1
    assert st["by_severity"]["serious"]["count"] == 0

    def minutes(x, name):
        s = stage(x, name)
        sec = (parse(s["done_at"]) - parse(x["found_at"])).total_seconds()
        return int(sec / 6 + 0.5) / 10

    m1, m2 = minutes(a1, "assess"), minutes(a2, "assess")
    major = st["by_severity"]["major"]["stages"]["assess"]
    assert major["done"] == 1 and abs(major["max_minutes"] - m1) <= 0.2, (major, m1)
    both = st["stages"]["assess"]
    assert both["done"] == 2
    assert abs(both["max_minutes"] - max(m1, m2)) <= 0.2, (both, m1, m2)
    assert abs(both["avg_minutes"] - (m1 + m2) / 2) <= 0.2
    assert abs(both["median_minutes"] - (m1 + m2) / 2) <= 0.2
    assert st["stages"]["report"] == {"done": 0, "avg_minutes": None, "median_minutes": None,
                                      "max_minutes": None}
    st = ok(c("offlone").get("/api/v1/incidents/stats?org_id=%d&year=2024" % lone))
    assert st["count"] == 1 and st["stages"]["assess"]["done"] == 0
    # A superior counts its whole subtree; a unit's office alone may not.
    st = ok(c("shuji").get("/api/v1/incidents/stats?org_id=%d&year=2026" % IDS["bureau"]))
    assert st["count"] >= 5
    check_error(c("offbu").get("/api/v1/incidents/stats?org_id=%d" % IDS["bureau"]), 403,
                "forbidden")
    check_error(c("offa").get("/api/v1/incidents/stats?org_id=%d&year=1999" % IDS["A"]), 422,
                "invalid", "year")


def test_scheduler_runs_incident_reminders_quietly():
    """A server's own scheduler makes the reminders, and the frequent job
    leaves a job_run row only for the run that wrote notices."""
    srv = Server(extra_args=["--job-interval", "2"])
    try:
        org = srv.add_org("某县教育局", kind="committee")
        school = srv.add_org("某县一中", parent=org)
        srv.add_user(school, "clerk", "office")
        srv.start()
        cl = srv.login("clerk")
        r = cl.post("/api/v1/incidents", {"org_id": school, "title": "阵地异常", "source":
                                          "channel_fault", "severity": "major",
                                          "found_at": ago(50)})
        assert r.status == 201, r
        key = "incident:%d:assess:at_risk" % r.json["id"]
        deadline = time.time() + 30
        while time.time() < deadline and not srv.sql(
                "SELECT 1 FROM notice WHERE event_key = ?", (key,)):
            time.sleep(0.5)
        assert srv.sql("SELECT 1 FROM notice WHERE event_key = ?", (key,)), "no reminder"
        time.sleep(5)  # a few more runs, with nothing new to write
        runs = srv.sql("SELECT detail FROM job_run WHERE name = 'remind_incidents'")
        assert len(runs) == 1 and json.loads(runs[0][0])["notices"] == 1, runs
        assert len(srv.sql("SELECT 1 FROM job_run WHERE name = 'remind'")) >= 3
        srv.stop()
    finally:
        srv.cleanup()


def test_audit_chain_intact():
    for action in ("incident.create", "incident.advance", "incident.limits", "inbox.send",
                   "inbox.ack", "inbox.forward"):
        assert S.audit(action), action
    assert S.cli("audit", "verify").returncode == 0


def main():
    setup()
    try:
        code = run([test_deadlines_across_midnight_and_month_ends,
                    test_create_refused_writes_nothing, test_stages_in_order_only,
                    test_report_delivers_to_the_unit_above, test_acknowledged_once,
                    test_forward_further_up, test_report_without_a_unit_above,
                    test_limits_per_unit, test_status_and_list_filters,
                    test_reminders_once_per_incident_and_stage,
                    test_stats_minutes_to_each_stage,
                    test_scheduler_runs_incident_reminders_quietly, test_audit_chain_intact])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
