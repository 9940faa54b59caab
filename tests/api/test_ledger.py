#!/usr/bin/env python3
"""API tests of the ledger (台账), obligations and compliance: record CRUD
within the caller's scope and refused outside it, validation, soft delete
and restore with kept versions and audit rows, compliance of a unit as
records are added, and a property test: after 2,000 random creates, edits
(of date and kind), deletes and restores through the API, every counter of
ledger_count equals a recount of the live records for every period key;
the list's rows, written without jansson, equal the records one by one.

    python3 tests/api/test_ledger.py       (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import os
import random
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}

KINDS = ["center_group_study", "special_meeting", "committee_study", "analysis",
         "branch_assembly", "branch_committee", "group_meeting", "party_lecture",
         "theme_day", "talk", "training", "volunteer", "festival", "publicity",
         "channel_inspection"]


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


def rec(org, kind="special_meeting", date="2023-03-05", title="意识形态工作专题会议", **kw):
    body = {"org_id": org, "kind": kind, "date": date, "title": title}
    body.update(kw)
    return body


def period_keys(d):
    """Every period key holding date d, as domain/period.h defines them."""
    y, w, _ = d.isocalendar()
    return ["%04d" % d.year, "%04d-H%d" % (d.year, 1 if d.month <= 6 else 2),
            "%04d-Q%d" % (d.year, (d.month - 1) // 3 + 1), "%04d-%02d" % (d.year, d.month),
            "%04d-W%02d" % (y, w)]


def recount():
    """ledger_count as a full recount of the live records."""
    want = {}
    for org, kind, date in S.sql("SELECT org_id, kind, date FROM record "
                                 "WHERE deleted_at IS NULL"):
        for key in period_keys(datetime.date.fromisoformat(date)):
            want[(org, kind, key)] = want.get((org, kind, key), 0) + 1
    return want


def counters():
    # psql hands back "2023" as a number: keys are text.
    return {(o, k, str(p)): n for o, k, p, n in
            S.sql("SELECT org_id, kind, period_key, count FROM ledger_count") if n != 0}


# ---------------------------------------------------------------- setup

def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["A1"] = S.add_org("第一中学党支部", parent=a, kind="branch")
    S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    S.add_user(a, "offa", "office", "self", name="一中办公室")
    S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    S.add_user(a, "leada", "leader", "self", name="一中班子成员")
    S.add_user(a, "seca", "secretary", "self", name="一中书记")
    S.add_user(a, "plain", "member", "self", name="普通党员")
    IDS["C"] = S.add_org("第三中学", parent=b)
    S.add_user(IDS["C"], "offc", "office", "self", name="三中办公室")
    S.start()
    for name in ("shuji", "offa", "offb", "offc", "leada", "seca", "plain"):
        c(name)


# ---------------------------------------------------------------- tests

def test_record_kinds():
    j = ok(c("plain").get("/api/v1/record-kinds"))
    assert j["total"] == 15 and [k["code"] for k in j["items"]] == KINDS, j
    names = {k["code"]: k["name"] for k in j["items"]}
    assert names["center_group_study"] == "理论学习中心组学习"
    assert names["branch_committee"] == "支委会"
    assert all(k["active"] and k["builtin"] for k in j["items"])
    check_error(S.client().get("/api/v1/record-kinds"), 401, "unauthorized")


def test_record_crud_in_scope():
    a = IDS["A"]
    body = rec(a, place="会议室", host="一中书记", participants=["张三", "李四"],
               expected=3, attended=2, absentees=[{"name": "王五", "reason": "出差"}],
               agenda="学习传达", minutes="会议记录 Minutes", resolutions="形成决议")
    j = ok(c("offa").post("/api/v1/records", body), 201)
    rid = IDS["r1"] = j["id"]
    assert j["org_id"] == a and j["kind"] == "special_meeting" and j["version"] == 1
    assert j["participants"] == ["张三", "李四"] and j["expected"] == 3 and j["attended"] == 2
    assert j["absentees"] == [{"name": "王五", "reason": "出差"}]
    assert j["deleted"] is False and j["kind_name"] == "意识形态工作专题会议"
    # Everyone who sees the unit reads it.
    for who in ("plain", "shuji", "leada"):
        assert ok(c(who).get("/api/v1/records/%d" % rid))["title"] == body["title"]
    # Leader and secretary of the unit edit; the version rises.
    j = ok(c("leada").patch("/api/v1/records/%d" % rid, {"title": "第一次专题会议",
                                                         "place": None}))
    assert j["title"] == "第一次专题会议" and j["place"] is None and j["version"] == 2
    assert j["host"] == "一中书记"  # untouched fields stay
    j = ok(c("seca").post("/api/v1/records", rec(a, kind="committee_study",
                                                  date="2023-04-10", title="党委会研究")), 201)
    IDS["r2"] = j["id"]
    # Listing: org, kind, dates, text; date descending.
    lst = ok(c("plain").get("/api/v1/records?org_id=%d" % a))
    assert lst["total"] == 2 and [x["id"] for x in lst["items"]] == [IDS["r2"], rid], lst
    lst = ok(c("plain").get("/api/v1/records?org_id=%d&kind=special_meeting" % a))
    assert [x["id"] for x in lst["items"]] == [rid]
    lst = ok(c("plain").get("/api/v1/records?org_id=%d&from=2023-04-01&to=2023-12-31" % a))
    assert [x["id"] for x in lst["items"]] == [IDS["r2"]]
    lst = ok(c("plain").get("/api/v1/records?org_id=%d&q=%s" % (a, quote("研究"))))
    assert [x["id"] for x in lst["items"]] == [IDS["r2"]]
    lst = ok(c("plain").get("/api/v1/records?org_id=%d&q=minutes" % a))
    assert [x["id"] for x in lst["items"]] == [rid], lst
    lst = ok(c("plain").get("/api/v1/records?org_id=%d&size=1&page=2" % a))
    assert lst["total"] == 2 and [x["id"] for x in lst["items"]] == [rid]
    # A record of the branch below school A: the bureau's secretary sees it
    # with subtree=1; school A's self-scoped office may not ask for a subtree.
    j = ok(c("shuji").post("/api/v1/records", rec(IDS["A1"], kind="branch_committee",
                                                   title="支委会")), 201)
    lst = ok(c("shuji").get("/api/v1/records?org_id=%d&subtree=1" % IDS["bureau"]))
    assert lst["total"] == 3, lst
    lst = ok(c("shuji").get("/api/v1/records?org_id=%d" % IDS["bureau"]))
    assert lst["total"] == 0
    check_error(c("offa").get("/api/v1/records?org_id=%d&subtree=1" % a), 403, "forbidden",
                "subtree")
    check_error(c("offa").get("/api/v1/records"), 422, "invalid", "org_id")


def test_record_refused_outside_scope():
    rid, a = IDS["r1"], IDS["A"]

    def refused():
        offb = c("offb")
        check_error(offb.get("/api/v1/records/%d" % rid), 404, "not_found")
        check_error(offb.patch("/api/v1/records/%d" % rid, {"title": "x"}), 404, "not_found")
        check_error(offb.delete("/api/v1/records/%d" % rid), 404, "not_found")
        check_error(offb.post("/api/v1/records/%d/restore" % rid), 404, "not_found")
        check_error(offb.get("/api/v1/records?org_id=%d" % a), 404, "not_found")
        check_error(offb.post("/api/v1/records", rec(a)), 422, "invalid", "org_id")
        check_error(offb.get("/api/v1/records/999999"), 404, "not_found")
        # A member sees but may not write.
        plain = c("plain")
        check_error(plain.post("/api/v1/records", rec(a)), 403, "forbidden")
        check_error(plain.patch("/api/v1/records/%d" % rid, {"title": "x"}), 403, "forbidden")
        check_error(plain.delete("/api/v1/records/%d" % rid), 403, "forbidden")
        # No CSRF token: refused before anything.
        check_error(c("offa").post("/api/v1/records", rec(a), csrf=False), 403, "csrf_failed")
    unchanged(refused)
    assert ok(c("offa").get("/api/v1/records/%d" % rid))["version"] == 2


def test_record_validation():
    a, rid = IDS["A"], IDS["r1"]
    o = c("offa")

    def bad():
        check_error(o.post("/api/v1/records", rec(a, date="2023-02-30")), 422, "invalid", "date")
        check_error(o.post("/api/v1/records", rec(a, date="1999-12-31")), 422, "invalid", "date")
        check_error(o.post("/api/v1/records", rec(a, date="2023/03/05")), 422, "invalid", "date")
        check_error(o.post("/api/v1/records", rec(a, kind="no_such_kind")), 422, "invalid", "kind")
        check_error(o.post("/api/v1/records", rec(a, title="")), 422, "invalid", "title")
        check_error(o.post("/api/v1/records", rec(a, title="长" * 201)), 422, "invalid", "title")
        check_error(o.post("/api/v1/records", rec(a, title=5)), 400, "bad_request", "title")
        check_error(o.post("/api/v1/records", {"org_id": a, "kind": "talk", "title": "x"}),
                    422, "invalid", "date")
        check_error(o.post("/api/v1/records", rec(a, expected=2, attended=3)), 422, "invalid",
                    "attended")
        check_error(o.post("/api/v1/records", rec(a, expected=-1)), 422, "invalid", "expected")
        check_error(o.post("/api/v1/records", rec(a, participants="张三")), 422, "invalid",
                    "participants")
        check_error(o.post("/api/v1/records", rec(a, participants=["名" * 51])), 422,
                    "invalid", "participants")
        check_error(o.post("/api/v1/records", rec(a, participants=["x"] * 501)), 422,
                    "invalid", "participants")
        check_error(o.post("/api/v1/records", rec(a, absentees=[{"who": "x"}])), 422,
                    "invalid", "absentees")
        check_error(o.post("/api/v1/records", rec(a, color="red")), 400, "bad_request")
        check_error(o.post("/api/v1/records", rec(999999)), 422, "invalid", "org_id")
        check_error(o.patch("/api/v1/records/%d" % rid, {"date": "2023-02-30"}), 422,
                    "invalid", "date")
        check_error(o.patch("/api/v1/records/%d" % rid, {"kind": None}), 422, "invalid", "kind")
        check_error(o.patch("/api/v1/records/%d" % rid, {"org_id": IDS["B"]}), 400,
                    "bad_request")
        check_error(o.get("/api/v1/records?org_id=%d&from=2023-13-01" % a), 422, "invalid",
                    "from")
    unchanged(bad)
    # 500 participants of 50 characters are fine.
    j = ok(o.post("/api/v1/records", rec(a, kind="talk", participants=["名" * 50] * 500)), 201)
    assert len(j["participants"]) == 500
    ok(o.delete("/api/v1/records/%d" % j["id"]), 204)


def test_soft_delete_restore_versions_audit():
    a = IDS["A"]
    o = c("offa")
    j = ok(o.post("/api/v1/records", rec(a, kind="analysis", date="2023-06-30",
                                         title="半年研判")), 201)
    rid = j["id"]
    ok(o.patch("/api/v1/records/%d" % rid, {"date": "2023-07-01", "minutes": "研判内容"}))
    key_h1 = S.sql("SELECT count FROM ledger_count WHERE org_id = ? AND kind = 'analysis' "
                   "AND period_key = '2023-H2'", (a,))
    assert key_h1 == [(1,)], key_h1
    ok(o.delete("/api/v1/records/%d" % rid), 204)
    # Gone from lists and from those who may not restore it, kept for the office.
    lst = ok(o.get("/api/v1/records?org_id=%d&kind=analysis" % a))
    assert lst["total"] == 0
    check_error(c("plain").get("/api/v1/records/%d" % rid), 404, "not_found")
    d = ok(o.get("/api/v1/records/%d" % rid))
    assert d["deleted"] is True and d["deleted_at"] and d["version"] == 3
    lst = ok(o.get("/api/v1/records?org_id=%d&deleted=1&kind=analysis" % a))
    assert [x["id"] for x in lst["items"]] == [rid], [x["id"] for x in lst["items"]]
    check_error(c("plain").get("/api/v1/records?org_id=%d&deleted=1" % a), 403, "forbidden",
                "deleted")
    check_error(o.patch("/api/v1/records/%d" % rid, {"title": "x"}), 409, "conflict")
    check_error(o.delete("/api/v1/records/%d" % rid), 409, "conflict")
    assert S.sql("SELECT count FROM ledger_count WHERE org_id = ? AND kind = 'analysis' "
                 "AND period_key = '2023'", (a,)) == [(0,)]
    j = ok(o.post("/api/v1/records/%d/restore" % rid))
    assert j["deleted"] is False and j["version"] == 4 and j["date"] == "2023-07-01"
    check_error(o.post("/api/v1/records/%d/restore" % rid), 409, "conflict")
    assert S.sql("SELECT count FROM ledger_count WHERE org_id = ? AND kind = 'analysis' "
                 "AND period_key = '2023-W26'", (a,)) == [(1,)]
    # Versions 1..3 kept: the record before each edit, delete and restore.
    vs = S.sql("SELECT version, data FROM record_version WHERE record_id = ? ORDER BY version",
               (rid,))
    assert [v[0] for v in vs] == [1, 2, 3], vs
    import json
    assert json.loads(vs[0][1])["date"] == "2023-06-30"
    assert json.loads(vs[1][1])["minutes"] == "研判内容"
    assert json.loads(vs[2][1])["deleted"] is True
    # One audit row per change, by the office, in the unit.
    uid = c("offa").user["id"]
    for action in ("record.create", "record.update", "record.delete", "record.restore"):
        rows = [x for x in S.audit(action) if x[5] == rid]
        assert len(rows) == 1, (action, rows)
        assert rows[0][1] == uid and rows[0][2] == a and rows[0][4] == "record"
    upd = json.loads([x for x in S.audit("record.update") if x[5] == rid][0][6])
    assert upd["date"] == ["2023-06-30", "2023-07-01"] and upd["minutes"] is True, upd
    assert S.cli("audit", "verify").returncode == 0


def test_obligations_and_compliance():
    a = IDS["A"]
    sec = c("seca")
    o1 = ok(sec.post("/api/v1/obligations", {"org_id": a, "kind": "special_meeting", "min": 2,
                                             "period": "year", "year": 2024}), 201)
    assert set(o1) >= {"id", "org_id", "kind", "min", "period", "year", "plan_item_id"}
    assert (o1["min"], o1["period"], o1["year"], o1["plan_item_id"]) == (2, "year", 2024, None)
    o2 = ok(c("offa").post("/api/v1/obligations", {"org_id": a, "kind": "committee_study",
                                                   "min": 1, "period": "quarter",
                                                   "year": 2024}), 201)

    def bad():
        p = "/api/v1/obligations"
        base = {"org_id": a, "kind": "talk", "min": 1, "period": "month", "year": 2024}
        check_error(sec.post(p, dict(base, min=0)), 422, "invalid", "min")
        check_error(sec.post(p, dict(base, min=-3)), 422, "invalid", "min")
        check_error(sec.post(p, dict(base, min=1001)), 422, "invalid", "min")
        check_error(sec.post(p, dict(base, kind="nope")), 422, "invalid", "kind")
        check_error(sec.post(p, dict(base, period="decade")), 422, "invalid", "period")
        check_error(sec.post(p, dict(base, year=1999)), 422, "invalid", "year")
        check_error(sec.post(p, dict(base, plan_item_id=5)), 422, "invalid", "plan_item_id")
        check_error(sec.post(p, dict(base, org_id=IDS["B"])), 422, "invalid", "org_id")
        check_error(sec.post(p, dict(base, kind="special_meeting", period="year")), 409,
                    "conflict")
        check_error(c("leada").post(p, base), 403, "forbidden")
        check_error(c("offb").post(p, base), 422, "invalid", "org_id")
        check_error(c("offb").delete("/api/v1/obligations/%d" % o1["id"]), 404, "not_found")
        check_error(c("plain").delete("/api/v1/obligations/%d" % o1["id"]), 403, "forbidden")
        check_error(c("offb").get("/api/v1/compliance?org_id=%d&year=2024" % a), 404,
                    "not_found")
        check_error(c("plain").get("/api/v1/compliance?org_id=%d&year=2024&as_of=2024-02-30"
                                   % a), 422, "invalid", "as_of")
    unchanged(bad)
    lst = ok(c("plain").get("/api/v1/obligations?org_id=%d&year=2024" % a))
    assert [x["id"] for x in lst["items"]] == [o2["id"], o1["id"]], lst

    def comp(as_of):
        j = ok(c("plain").get("/api/v1/compliance?org_id=%d&year=2024&as_of=%s" % (a, as_of)))
        assert j["as_of"] == as_of and j["year"] == 2024
        return {(x["obligation_id"], x["period"]): x for x in j["items"]}

    rows = comp("2024-05-20")
    assert len(rows) == 5, rows
    q1 = rows[(o2["id"], "2024-Q1")]
    assert (q1["done"], q1["target"], q1["status"]) == (0, 1, "missed"), q1
    assert (q1["first"], q1["last"], q1["kind"]) == ("2024-01-01", "2024-03-31",
                                                     "committee_study")
    assert rows[(o2["id"], "2024-Q3")]["status"] == "on_track"
    year = rows[(o1["id"], "2024")]
    assert (year["done"], year["target"]) == (0, 2)
    # Records come in: done rises, statuses follow.
    o = c("offa")
    ok(o.post("/api/v1/records", rec(a, kind="committee_study", date="2024-02-01",
                                     title="研究意识形态工作")), 201)
    ok(o.post("/api/v1/records", rec(a, kind="special_meeting", date="2024-03-01")), 201)
    rows = comp("2024-05-20")
    assert rows[(o2["id"], "2024-Q1")]["done"] == 1
    assert rows[(o2["id"], "2024-Q1")]["status"] == "met"
    assert rows[(o1["id"], "2024")]["done"] == 1
    assert rows[(o1["id"], "2024")]["status"] in ("on_track", "at_risk")
    ok(o.post("/api/v1/records", rec(a, kind="special_meeting", date="2024-04-01")), 201)
    rows = comp("2024-05-20")
    assert (rows[(o1["id"], "2024")]["done"], rows[(o1["id"], "2024")]["status"]) == (2, "met")
    # A record of another unit or year does not count.
    ok(c("offb").post("/api/v1/records", rec(IDS["B"], kind="committee_study",
                                             date="2024-05-01")), 201)
    ok(o.post("/api/v1/records", rec(a, kind="committee_study", date="2023-05-01")), 201)
    rows = comp("2025-01-01")
    assert rows[(o2["id"], "2024-Q2")]["done"] == 0
    assert rows[(o2["id"], "2024-Q2")]["status"] == "missed"
    # Deleting the obligation removes its rows.
    ok(sec.delete("/api/v1/obligations/%d" % o1["id"]), 204)
    assert len(comp("2024-05-20")) == 4
    assert S.audit("obligation.delete")[-1][5] == o1["id"]


def test_counters_equal_recount_after_random_ops():
    """2,000 random creates, edits, deletes and restores; then every counter
    equals a full recount of the live records, and every unit's kept total
    of live and deleted records a recount of them."""
    rnd = random.Random(int(os.environ.get("ZRZ_SEED", "4")))
    orgs = [IDS["A"], IDS["B"], IDS["A1"]]
    kinds = ["special_meeting", "committee_study", "talk", "branch_committee"]
    start = datetime.date(2022, 12, 20).toordinal()

    def day():
        # Around two New Years, so that ISO weeks cross calendar years.
        return datetime.date.fromordinal(start + rnd.randrange(0, 400)).isoformat()

    cl = c("shuji")
    live, dead = [], []
    for i in range(2000):
        op = rnd.random()
        if op < 0.4 or not live:
            r = cl.post("/api/v1/records", rec(rnd.choice(orgs), kind=rnd.choice(kinds),
                                               date=day(), title="记录%d" % i))
            assert r.status == 201, r
            live.append(r.json["id"])
        elif op < 0.75:
            rid = rnd.choice(live)
            body = {}
            if rnd.random() < 0.7:
                body["date"] = day()
            if rnd.random() < 0.5:
                body["kind"] = rnd.choice(kinds)
            if not body:
                body["title"] = "改%d" % i
            r = cl.patch("/api/v1/records/%d" % rid, body)
            assert r.status == 200, r
        elif op < 0.9:
            rid = live.pop(rnd.randrange(len(live)))
            r = cl.delete("/api/v1/records/%d" % rid)
            assert r.status == 204, r
            dead.append(rid)
        elif dead:
            rid = dead.pop(rnd.randrange(len(dead)))
            r = cl.post("/api/v1/records/%d/restore" % rid)
            assert r.status == 200, r
            live.append(rid)
    want, have = recount(), counters()
    diff = {k: (want.get(k), have.get(k)) for k in set(want) | set(have)
            if want.get(k) != have.get(k)}
    assert not diff, "counters differ from a recount: %r" % dict(list(diff.items())[:10])
    assert len(want) > 100, len(want)
    assert S.sql("SELECT count(*) FROM ledger_count WHERE count < 0") == [(0,)]
    # The kept totals the list answers with equal a recount too, and the
    # list's total without filters (kept) equals the one with a filter that
    # matches every record (counted).
    kept = {r[0]: (r[1], r[2]) for r in S.sql("SELECT org_id, live, deleted FROM record_total")
            if r[1] or r[2]}
    counted = {r[0]: (r[1], r[2]) for r in S.sql(
        "SELECT org_id, sum(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM record GROUP BY org_id")}
    assert kept == counted, (kept, counted)
    offices = {IDS["A"]: "offa", IDS["B"]: "offb"}  # only they list deleted records
    for org in orgs:
        for deleted in (0, 1) if org in offices else (0,):
            want = counted[org][deleted]
            who = c(offices[org] if deleted else "shuji")
            base = "/api/v1/records?org_id=%d&deleted=%d&size=1" % (org, deleted)
            assert ok(who.get(base))["total"] == want
            assert ok(who.get(base + "&from=2000-01-01"))["total"] == want
            assert ok(who.get(base + "&page=%d" % (want + 1)))["items"] == []


def test_list_rows_as_records():
    """The list writes its rows without jansson (core/jsonw.h): each row must
    be the record as GET /api/v1/records/{id} shows it, whatever its text,
    and stored participants or absentees in another form than the ledger
    writes are read as before."""
    org = IDS["C"]
    odd = ["引号\"与反斜杠\\", "制表\t换行\n回车\r", "😀𠀀 U+2028\u2028 斜杠/", "\u00a0不换行空格\u3000",
           "</script>&amp;", "a" * 200]
    ids = []
    for i, text in enumerate(odd):
        line = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        body = rec(org, kind=KINDS[i], date="2024-05-%02d" % (i + 1), title=line[:200],
                   place=line, host=None if i % 2 else line[:50],
                   participants=["张\"三", "Li \\ Si", "😀"] if i % 2 else [],
                   expected=None if i == 3 else 10 + i, attended=None if i == 3 else i,
                   absentees=[{"name": "王五", "reason": text}, "赵六"] if i % 3 == 0 else [],
                   agenda=None if i == 2 else text, minutes=text * 3,
                   resolutions=text if i == 4 else None)
        ids.append(ok(c("offc").post("/api/v1/records", body), 201)["id"])
    ok(c("offc").delete("/api/v1/records/%d" % ids[1]), 204)
    ok(c("offc").patch("/api/v1/records/%d" % ids[2], {"title": "改过的\"标题\""}))
    live = [i for i in ids if i != ids[1]]

    def same_as_get(items):
        for item in items:
            one = ok(c("offc").get("/api/v1/records/%d" % item["id"]))
            one.pop("plan_item_ids")
            assert item == one, (item, one)

    r = c("offc").get("/api/v1/records?org_id=%d&size=200" % org)
    lst = ok(r)
    assert lst["total"] == len(live) and [x["id"] for x in lst["items"]] == live[::-1], lst
    assert list(lst) == ["items", "total"] and len(lst["items"][0]) == 22, lst
    same_as_get(lst["items"])
    lst = ok(c("offc").get("/api/v1/records?org_id=%d&deleted=1" % org))
    assert [x["id"] for x in lst["items"]] == [ids[1]] and lst["items"][0]["deleted"] is True
    assert lst["items"][0]["deleted_at"], lst
    same_as_get(lst["items"])
    lst = ok(c("offc").get("/api/v1/records?org_id=%d&size=2&page=2" % org))
    assert lst["total"] == len(live) and [x["id"] for x in lst["items"]] == live[::-1][2:4]
    lst = ok(c("offc").get("/api/v1/records?org_id=%d&size=2&page=99" % org))
    assert lst == {"items": [], "total": len(live)}, lst
    lst = ok(c("offc").get("/api/v1/records?org_id=%d&kind=%s" % (org, KINDS[4])))
    assert lst["total"] == 1 and lst["items"][0]["id"] == ids[4], lst
    # Stored in other forms (written by another tool): spaces and escapes
    # are read as JSON, text that is not JSON is an empty list, as GET does.
    S.sql("UPDATE record SET participants = ?, absentees = ? WHERE id = ?",
          ('[ "甲", "\\u4e59\\/" ]', '[{"reason": null, "name": "丙"}]', ids[0]))
    S.sql("UPDATE record SET participants = ?, absentees = ? WHERE id = ?",
          ('["未闭合', '{"name":"丁"}', ids[3]))
    lst = ok(c("offc").get("/api/v1/records?org_id=%d&size=200" % org))
    rows = {x["id"]: x for x in lst["items"]}
    assert rows[ids[0]]["participants"] == ["甲", "乙/"], rows[ids[0]]
    assert rows[ids[0]]["absentees"] == [{"reason": None, "name": "丙"}], rows[ids[0]]
    assert rows[ids[3]]["participants"] == [] and rows[ids[3]]["absentees"] == {"name": "丁"}
    same_as_get(lst["items"])
    if not S.pg:
        # Text that is not UTF-8 (only a tool writing the file itself could
        # store it): U+FFFD for each stray byte, and the answer is still JSON.
        S.sql("UPDATE record SET minutes = CAST(x'61ff62e4b8' AS TEXT) WHERE id = ?",
              (ids[4],))
        lst = ok(c("offc").get("/api/v1/records?org_id=%d&size=200" % org))
        rows = {x["id"]: x for x in lst["items"]}
        assert rows[ids[4]]["minutes"] == "a\ufffdb\ufffd\ufffd", rows[ids[4]]


def main():
    setup()
    try:
        code = run([test_record_kinds, test_record_crud_in_scope,
                    test_record_refused_outside_scope, test_record_validation,
                    test_soft_delete_restore_versions_audit,
                    test_obligations_and_compliance,
                    test_counters_equal_recount_after_random_ops,
                    test_list_rows_as_records])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
