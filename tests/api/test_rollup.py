#!/usr/bin/env python3
"""API tests of a superior's compliance rollup and of obligation templates:
a bureau with 200 schools that each adopt the 三会一课 template, some
records so that statuses differ, then the rollup's total, paging, "most
behind first" order, one period, refusal for a unit-level user, a rollup past
the old cap of 20,000 obligations (today's, another day's and its export),
and agreement with each unit's own compliance.

    python3 tests/api/test_rollup.py       (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
UNITS = []
AS_OF = "2023-08-15"
# branch_assembly 4 quarters, branch_committee 12 months, group_meeting 12
# months, party_lecture 4 quarters.
PERIODS_PER_UNIT = 4 + 12 + 12 + 4
STATUS_RANK = {"missed": 0, "at_risk": 1, "on_track": 2, "met": 3}


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


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def rollup(org, extra=""):
    return c("shuji").get("/api/v1/compliance?org_id=%d&year=2023&rollup=1&as_of=%s%s"
                          % (org, AS_OF, extra))


def all_pages(org, extra=""):
    items, page = [], 1
    while True:
        j = ok(rollup(org, "&size=200&page=%d%s" % (page, extra)))
        items += j["items"]
        if not j["items"]:
            return j["total"], items
        page += 1


# ---------------------------------------------------------------- setup

def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    S.add_user(b, "admin", "sysadmin", "subtree", name="系统管理员")
    S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    S.start()
    for i in range(200):
        j = ok(c("admin").post("/api/v1/orgs", {"parent_id": b, "name": "学校%03d" % i}), 201)
        UNITS.append(j["id"])
    S.add_user(UNITS[0], "offs", "office", "self", name="学校办公室")
    S.add_user(UNITS[1], "secs", "secretary", "self", name="学校书记")


# ---------------------------------------------------------------- tests

def test_templates_list_and_adopt():
    j = ok(c("offs").get("/api/v1/obligation-templates"))
    assert j["total"] == 2, j
    t = {x["code"]: x for x in j["items"]}
    assert t["sanhui_yike"]["obligations"] == [
        {"kind": "branch_assembly", "min": 1, "period": "quarter"},
        {"kind": "branch_committee", "min": 1, "period": "month"},
        {"kind": "group_meeting", "min": 1, "period": "month"},
        {"kind": "party_lecture", "min": 1, "period": "quarter"}], t
    assert t["seed"]["obligations"] == [
        {"kind": "special_meeting", "min": 2, "period": "year"},
        {"kind": "center_group_study", "min": 12, "period": "year"},
        {"kind": "committee_study", "min": 1, "period": "quarter"},
        {"kind": "analysis", "min": 1, "period": "half"}], t
    # A unit's own secretary adopts; twice creates nothing the second time.
    u = UNITS[1]
    body = {"org_id": u, "year": 2023, "template": "sanhui_yike"}
    j = ok(c("secs").post("/api/v1/obligations/adopt", body))
    assert len(j["created"]) == 4 and j["skipped"] == [], j
    assert {o["kind"] for o in j["created"]} == {"branch_assembly", "branch_committee",
                                                 "group_meeting", "party_lecture"}
    before = S.sql("SELECT count(*) FROM obligation")
    j = ok(c("secs").post("/api/v1/obligations/adopt", body))
    assert j["created"] == [] and len(j["skipped"]) == 4, j
    assert S.sql("SELECT count(*) FROM obligation") == before
    assert len(S.audit("obligation.adopt")) == 2
    # Unknown template, outside scope, bad year: nothing written.
    check_error(c("secs").post("/api/v1/obligations/adopt", dict(body, template="nope")),
                422, "invalid", "template")
    check_error(c("secs").post("/api/v1/obligations/adopt", dict(body, year=1990)),
                422, "invalid", "year")
    check_error(c("secs").post("/api/v1/obligations/adopt", dict(body, org_id=UNITS[2])),
                422, "invalid", "org_id")
    check_error(c("secs").post("/api/v1/obligations/adopt", body, csrf=False), 403,
                "csrf_failed")
    assert S.sql("SELECT count(*) FROM obligation") == before


def test_adopt_in_200_units_and_records():
    # The bureau's secretary (subtree grant) adopts for every school.
    for u in UNITS:
        j = ok(c("shuji").post("/api/v1/obligations/adopt",
                               {"org_id": u, "year": 2023, "template": "sanhui_yike"}))
        assert len(j["created"]) == (0 if u == UNITS[1] else 4), j
    assert S.sql("SELECT count(*) FROM obligation") == [(800,)]
    # Units 0..9 keep every monthly meeting up to August and two assemblies;
    # units 10..19 held a party lecture in Q1 and Q3; the rest nothing.
    for u in UNITS[:10]:
        for m in range(1, 9):
            ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "branch_committee",
                                                   "date": "2023-%02d-10" % m,
                                                   "title": "支委会"}), 201)
        for d in ("2023-02-01", "2023-05-01"):
            ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "branch_assembly",
                                                   "date": d, "title": "党员大会"}), 201)
    for u in UNITS[10:20]:
        for d in ("2023-03-01", "2023-07-20"):
            ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "party_lecture",
                                                   "date": d, "title": "党课"}), 201)


def test_rollup_total_and_paging():
    b = IDS["bureau"]
    total, items = all_pages(b)
    assert total == 200 * PERIODS_PER_UNIT == len(items), (total, len(items))
    keys = {(x["org_id"], x["obligation_id"], x["period"]) for x in items}
    assert len(keys) == total
    assert {x["org_id"] for x in items} == set(UNITS)
    x = items[0]
    for f in ("org_id", "org_name", "obligation_id", "kind", "period", "done", "target",
              "status", "behind"):
        assert f in x, x
    # Default page: 25 rows.
    j = ok(rollup(b))
    assert j["total"] == total and len(j["items"]) == 25
    assert j["items"] == items[:25]
    # One school's rollup is its own rows.
    j = ok(rollup(UNITS[3], "&size=200"))
    assert j["total"] == PERIODS_PER_UNIT and {x["org_id"] for x in j["items"]} == {UNITS[3]}


def test_rollup_sort_behind():
    total, items = all_pages(IDS["bureau"])
    behind = [x["behind"] for x in items]
    assert all(behind[i] >= behind[i + 1] - 1e-9 for i in range(len(behind) - 1))
    statuses = [x["status"] for x in items]
    assert statuses[0] == "missed"
    assert {"missed", "at_risk", "on_track", "met"} <= set(statuses), set(statuses)
    last_bad = max(i for i, s in enumerate(statuses) if s in ("missed", "at_risk"))
    first_met = min(i for i, s in enumerate(statuses) if s == "met")
    assert last_bad < first_met, (last_bad, first_met)
    # Ties are broken by unit path.
    for i in range(len(items) - 1):
        if items[i]["behind"] == items[i + 1]["behind"] and \
                items[i]["status"] == items[i + 1]["status"]:
            assert items[i]["org_path"] <= items[i + 1]["org_path"]
    # sort=org: by unit path.
    _, by_org = all_pages(IDS["bureau"], "&sort=org")
    paths = [x["org_path"] for x in by_org]
    assert paths == sorted(paths) and len(by_org) == total
    check_error(rollup(IDS["bureau"], "&sort=bogus"), 422, "invalid", "sort")


def test_rollup_one_period():
    b = IDS["bureau"]
    total, items = all_pages(b, "&period=2023-Q3")
    assert total == 200 * 2 == len(items)
    assert {x["period"] for x in items} == {"2023-Q3"}
    assert {x["kind"] for x in items} == {"branch_assembly", "party_lecture"}
    total, items = all_pages(b, "&period=2023-07")
    assert total == 400 and {x["kind"] for x in items} == {"branch_committee", "group_meeting"}
    j = ok(rollup(b, "&period=2023"))
    assert j["total"] == 0 and j["items"] == []
    for bad in ("2022-Q3", "2023-Q5", "bogus"):
        check_error(rollup(b, "&period=" + bad), 422, "invalid", "period")


def test_rollup_matches_unit_compliance():
    # A rollup as of another day than today is each unit's own compliance
    # (computed per request for that day), for every unit.
    _, items = all_pages(IDS["bureau"])
    for u in UNITS:
        own = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=2023&as_of=%s" % (u, AS_OF)))
        want = {(x["obligation_id"], x["period"]): (x["done"], x["target"], x["status"],
                                                    x["behind"]) for x in own["items"]}
        have = {(x["obligation_id"], x["period"]): (x["done"], x["target"], x["status"],
                                                    x["behind"])
                for x in items if x["org_id"] == u}
        assert want == have, u
        assert len(want) == PERIODS_PER_UNIT


def test_rollup_refused():
    # A school's office (self grant) sees its unit but not a subtree.
    check_error(c("offs").get("/api/v1/compliance?org_id=%d&year=2023&rollup=1" % UNITS[0]),
                403, "forbidden")
    check_error(c("offs").get("/api/v1/compliance?org_id=%d&year=2023&rollup=1"
                              % IDS["bureau"]), 404, "not_found")
    # Its own compliance still answers.
    ok(c("offs").get("/api/v1/compliance?org_id=%d&year=2023" % UNITS[0]))


def test_rollup_past_the_old_cap():
    # More than 20,000 obligations in 2030 (direct inserts: 201 units x 15
    # kinds x 5 periods = 15,075 is too few, so add 70 units first).  Today's
    # rollup reads the rows kept ready, which `zerenzhi init` fills for
    # obligations written around the server; a rollup as of another day is
    # computed per request and still refuses that many.
    for i in range(70):
        ok(c("admin").post("/api/v1/orgs", {"parent_id": IDS["bureau"],
                                            "name": "分校%02d" % i}), 201)
    S.sql("INSERT INTO obligation (org_id, kind, min, period, year, created_at) "
          "SELECT o.id, k.code, 1, p.period, 2030, 0 FROM org o CROSS JOIN record_kind k "
          "CROSS JOIN (SELECT 'year' AS period UNION ALL SELECT 'half' UNION ALL "
          "SELECT 'quarter' UNION ALL SELECT 'month' UNION ALL SELECT 'week') p")
    n = S.sql("SELECT count(*) FROM obligation WHERE year = 2030")[0][0]
    assert n > 20000, n
    url = "/api/v1/compliance?org_id=%d&year=2030&rollup=1" % IDS["bureau"]
    S.stop()
    out = S.cli("init").stdout
    assert "补齐 %d 项指标" % n in out, out
    S.start()
    per_unit = 15 * (1 + 2 + 4 + 12 + 52)
    j = ok(c("shuji").get(url))
    assert j["total"] == n // 5 * per_unit // 15, (j["total"], n)
    assert len(j["items"]) == 25
    # Nothing done yet in 2030, which has not begun: every row on track,
    # ties broken by unit path, then obligation and period.
    assert {x["status"] for x in j["items"]} == {"on_track"}
    keys = [(x["org_path"], x["kind"]) for x in j["items"]]
    assert keys == sorted(keys), keys
    j = ok(c("shuji").get(url + "&page=400&size=200"))
    assert j["total"] == n // 5 * per_unit // 15 and len(j["items"]) == 200
    # One period narrows it; so does one unit.
    j = ok(c("shuji").get(url + "&period=2030-W10"))
    assert j["total"] == n // 5, (j["total"], n)
    j = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=2030&rollup=1" % UNITS[7]))
    assert j["total"] == per_unit, j["total"]
    # As of another day: the same rows, assessed for that day and ordered
    # by it (on disk, in runs of ZRZ_ROLLUP_SORT_RUN), none refused.  Each
    # such page reads all 288,000 rows: 10-30 s under the sanitizers on
    # PostgreSQL, hence the longer wait (bench/ measures the speed).
    past = url + "&as_of=2030-03-01"
    rows = n // 5 * per_unit // 15
    first = ok(c("shuji").get(past + "&size=200", timeout=180))
    assert first["total"] == rows and len(first["items"]) == 200, first["total"]
    assert first["as_of"] == "2030-03-01"
    deep = ok(c("shuji").get(past + "&size=200&page=%d" % ((rows + 199) // 200), timeout=180))
    assert len(deep["items"]) == rows - (rows + 199) // 200 * 200 + 200
    for j in (first, deep):
        keys = [(-x["behind"], STATUS_RANK[x["status"]], x["org_path"]) for x in j["items"]]
        assert keys == sorted(keys), keys[:5]
    assert first["items"][0]["status"] == "missed", first["items"][0]
    assert deep["items"][-1]["status"] == "on_track", deep["items"][-1]
    # Each row is the unit's own compliance on that day.
    own = {}
    for x in first["items"] + deep["items"]:
        u = x["org_id"]
        if u not in own:
            own[u] = {(y["obligation_id"], y["period"]): y for y in ok(c("shuji").get(
                "/api/v1/compliance?org_id=%d&year=2030&as_of=2030-03-01" % u))["items"]}
        y = own[u][(x["obligation_id"], x["period"])]
        assert (x["done"], x["target"], x["status"], x["behind"]) == \
            (y["done"], y["target"], y["status"], y["behind"]), (x, y)
    # One period as of that day, by unit: the kept order of units.
    j = ok(c("shuji").get(past + "&period=2030-W10&sort=org&size=200&page=3", timeout=180))
    assert j["total"] == n // 5 and len(j["items"]) == 200
    keys = [(x["org_path"], x["kind"]) for x in j["items"]]
    assert keys == sorted(keys) and {x["period"] for x in j["items"]} == {"2030-W10"}
    # The export of the whole subtree as of that day, past the old cap, one
    # row per row (`zerenzhi export rollup`, the server's export, which the
    # HTTP client here would not wait for).
    out = os.path.join(S.dir, "rollup.xlsx")
    p = S.cli("export", "rollup", "--org", str(IDS["bureau"]), "--year", "2030",
              "--as-of", "2030-03-01", "--out", out)
    assert p.stdout.splitlines() == [out, "%d 行" % rows], p.stdout
    with zipfile.ZipFile(out) as z:
        with z.open("xl/worksheets/sheet1.xml") as f:
            head = f.read(4096).decode("utf-8", "replace")
    assert '<dimension ref="A1:J%d"/>' % (rows + 3) in head, head[:400]
    os.unlink(out)
    # The bureau under a new top unit (`zerenzhi org move`): its pages are
    # now read from its own range of the second level's index, in the same
    # order as before.
    def pages(extra):
        return [(x["obligation_id"], x["period"], x["status"], x["org_path"].split("/")[-2])
                for p in (1, 2, 50) for x in ok(c("shuji").get(
                    url + "&size=200&page=%d%s" % (p, extra)))["items"]]
    before = [pages(""), pages("&period=2030-W10"), pages("&sort=org")]
    S.stop()
    top = S.add_org("市委")
    S.cli("org", "move", "--id", str(IDS["bureau"]), "--parent", str(top))
    S.start()
    assert [pages(""), pages("&period=2030-W10"), pages("&sort=org")] == before
    S.stop()
    S.cli("org", "move", "--id", str(IDS["bureau"]), "--parent", "0")
    S.start()


def test_rollup_every_period_kind_matches_compliance():
    # The rollup reads only the counters each obligation needs (its kind's
    # year counter and its own periods' keys): one unit with an obligation
    # of every kind of period on one record kind, two of them sharing the
    # year counter, and records on days whose ISO week belongs to the
    # neighbouring year (2024-12-30 is in 2025-W01, 2027-01-01 in 2026-W53).
    u = UNITS[3]
    for period, n in (("year", 10), ("half", 2), ("quarter", 1), ("month", 1),
                      ("week", 1)):
        ok(c("shuji").post("/api/v1/obligations", {"org_id": u, "kind": "talk", "min": n,
                                                    "period": period, "year": 2026}), 201)
    ok(c("shuji").post("/api/v1/obligations", {"org_id": u, "kind": "training", "min": 3,
                                                "period": "quarter", "year": 2026}), 201)
    for d in ("2025-12-29", "2026-01-01", "2026-01-05", "2026-02-14", "2026-06-30",
              "2026-07-01", "2026-09-30", "2026-12-28", "2026-12-31", "2027-01-01",
              "2026-03-03"):
        ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "talk", "date": d,
                                               "title": "谈心谈话"}), 201)
    for d in ("2026-04-01", "2026-05-05"):
        ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "training", "date": d,
                                               "title": "培训"}), 201)
    # A record of a kind without obligations is not read.
    ok(c("shuji").post("/api/v1/records", {"org_id": u, "kind": "festival",
                                           "date": "2026-05-04", "title": "五四"}), 201)
    as_of = "2026-10-08"
    own = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=2026&as_of=%s" % (u, as_of)))
    want = {(x["obligation_id"], x["period"]): (x["done"], x["target"], x["status"],
                                                x["behind"]) for x in own["items"]}
    assert len(want) == 1 + 2 + 4 + 12 + 53 + 4, len(want)
    have, page = {}, 1
    while True:
        j = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=2026&rollup=1&as_of=%s"
                              "&size=200&page=%d" % (u, as_of, page)))
        if not j["items"]:
            break
        for x in j["items"]:
            have[(x["obligation_id"], x["period"])] = (x["done"], x["target"], x["status"],
                                                       x["behind"])
        page += 1
    assert have == want
    done = {(x["kind"], x["period"]): x["done"] for x in own["items"]}
    assert done[("talk", "2026")] == 9 and done[("talk", "2026-H1")] == 5, done
    assert done[("talk", "2026-Q1")] == 4 and done[("talk", "2026-12")] == 2, done
    assert done[("talk", "2026-W01")] == 2 and done[("talk", "2026-W53")] == 3, done
    assert done[("training", "2026-Q2")] == 2, done


def main():
    # Rollups as of another day sort on disk in runs of this many rows: small,
    # so that every such rollup here merges runs.
    os.environ["ZRZ_ROLLUP_SORT_RUN"] = "1000"
    setup()
    try:
        code = run([test_templates_list_and_adopt, test_adopt_in_200_units_and_records,
                    test_rollup_total_and_paging, test_rollup_sort_behind,
                    test_rollup_one_period, test_rollup_matches_unit_compliance,
                    test_rollup_refused, test_rollup_past_the_old_cap,
                    test_rollup_every_period_kind_matches_compliance])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
