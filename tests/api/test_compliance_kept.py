#!/usr/bin/env python3
"""Compliance kept ready (the rows a superior's rollup reads): after random
record creates, edits of date and kind, deletes and restores, obligations
added and deleted and units moved, the table equals a recomputation from
scratch (the live records counted per period, the unit paths, the subtree
totals), its status equals each unit's own compliance for today, and the
rollup's pages, most behind first, are exactly that order.

    python3 tests/api/test_compliance_kept.py   (ZRZ_BIN selects the binary,
                                                 ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
UNITS = []
RNG = random.Random(20261130)
KINDS = ("talk", "training", "party_lecture")
PERIODS = ("year", "half", "quarter", "month", "week")
PRANK = {p: i + 1 for i, p in enumerate(PERIODS)}
URGENCY = {"missed": 0, "at_risk": 1, "on_track": 2, "met": 3}
STATE = {}


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def setup():
    global S
    S = Server()
    b = IDS["bureau"] = S.add_org("某区教育局", kind="committee")
    S.add_user(b, "admin", "sysadmin", "subtree", name="系统管理员")
    S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    S.start()
    for d in range(2):
        j = ok(c("admin").post("/api/v1/orgs", {"parent_id": b, "name": "学区%d" % d}), 201)
        IDS["district%d" % d] = j["id"]
        UNITS.append(j["id"])
        for i in range(3):
            j = ok(c("admin").post("/api/v1/orgs", {"parent_id": IDS["district%d" % d],
                                                    "name": "学区%d学校%d" % (d, i)}), 201)
            UNITS.append(j["id"])
    UNITS.append(b)
    # Today as the server has it (Asia/Shanghai).
    j = ok(c("shuji").get("/api/v1/compliance?org_id=%d" % b))
    STATE["today"] = datetime.date.fromisoformat(j["as_of"])
    STATE["year"] = STATE["today"].year


# ---------------------------------------------------------------- from scratch

def key_of(period, d):
    if period == "year":
        return "%04d" % d.year
    if period == "half":
        return "%04d-H%d" % (d.year, 1 if d.month <= 6 else 2)
    if period == "quarter":
        return "%04d-Q%d" % (d.year, (d.month - 1) // 3 + 1)
    if period == "month":
        return "%04d-%02d" % (d.year, d.month)
    y, w, _ = d.isocalendar()
    return "%04d-W%02d" % (y, w)


def keys_of_year(period, y):
    if period == "year":
        return ["%04d" % y]
    if period == "half":
        return ["%04d-H%d" % (y, i) for i in (1, 2)]
    if period == "quarter":
        return ["%04d-Q%d" % (y, i) for i in range(1, 5)]
    if period == "month":
        return ["%04d-%02d" % (y, i) for i in range(1, 13)]
    weeks = datetime.date(y, 12, 28).isocalendar()[1]
    return ["%04d-W%02d" % (y, i) for i in range(1, weeks + 1)]


def recompute():
    """The rows and totals the table must hold, from obligations, live
    records and org paths only."""
    paths = {i: p for i, p in S.sql("SELECT id, path FROM org")}
    records = S.sql("SELECT org_id, kind, date FROM record WHERE deleted_at IS NULL")
    obls = S.sql("SELECT id, org_id, kind, min, period, year FROM obligation")
    rows, totals = {}, {}
    for oid, org, kind, mn, period, year in obls:
        dates = [datetime.date.fromisoformat(d) for o, k, d in records
                 if o == org and k == kind]
        year_done = sum(1 for d in dates if d.year == year)
        for key in keys_of_year(period, year):
            done = sum(1 for d in dates if key_of(period, d) == key)
            ids = paths[org].strip("/").split("/")
            a2 = int(ids[1]) if len(ids) > 1 else 0
            rows[(oid, key)] = (org, paths[org], a2, year, kind, PRANK[period], mn, done,
                                year_done)
        for anc in paths[org].strip("/").split("/"):
            t = (int(anc), year, PRANK[period])
            totals[t] = totals.get(t, 0) + len(keys_of_year(period, year))
    return rows, totals


def check_table():
    want_rows, want_totals = recompute()
    # (str(): psql hands a key such as "2026" back as a number.)
    have = {(r[0], str(r[1])): tuple(r[2:]) for r in S.sql(
        "SELECT obligation_id, period_key, org_id, path, a2, year, kind, prank, target, done, "
        "year_done, status FROM compliance")}
    stored = {k: v[:-1] for k, v in have.items()}
    assert stored == want_rows, sorted(set(stored.items()) ^ set(want_rows.items()))[:6]
    have_totals = {(o, y, p): n for o, y, p, n in S.sql(
        "SELECT org_id, year, prank, nrows FROM compliance_total WHERE nrows <> 0")}
    assert have_totals == want_totals, sorted(set(have_totals.items()) ^
                                              set(want_totals.items()))[:6]
    # The stored status is today's, as each unit's own compliance has it.
    own = {}
    for u in UNITS:
        for y in (STATE["year"] - 1, STATE["year"]):
            j = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=%d" % (u, y)))
            for x in j["items"]:
                own[(x["obligation_id"], x["period"])] = x
    assert set(own) == set(have), (len(own), len(have))
    for k, v in have.items():
        assert own[k]["status"] == v[-1] and own[k]["done"] == v[7], (k, own[k], v)
    return own


def check_rollup(own):
    paths = {i: p for i, p in S.sql("SELECT id, path FROM org")}
    for y in (STATE["year"] - 1, STATE["year"]):
        for top in (IDS["bureau"], IDS["district0"], IDS["district1"]):
            mine = [x for x in own.values() if x["period"][:4] == str(y) and
                    paths[org_of(x)].startswith(paths[top])]
            want = sorted(mine, key=lambda x: (-x["behind"], URGENCY[x["status"]],
                                                paths[org_of(x)], x["kind"],
                                                PRANK[x["period_kind"]], x["period"]))
            for sort, order in (("behind", want),
                                ("org", sorted(mine, key=lambda x: (
                                    paths[org_of(x)], x["kind"], PRANK[x["period_kind"]],
                                    x["period"])))):
                items, page = [], 1
                while True:
                    j = ok(c("shuji").get(
                        "/api/v1/compliance?org_id=%d&year=%d&rollup=1&sort=%s&size=7"
                        "&page=%d" % (top, y, sort, page)))
                    assert j["total"] == len(mine), (j["total"], len(mine))
                    if not j["items"]:
                        break
                    items += j["items"]
                    page += 1
                got = [(x["obligation_id"], x["period"], x["status"], x["done"])
                       for x in items]
                exp = [(x["obligation_id"], x["period"], x["status"], x["done"])
                       for x in order]
                assert got == exp, (top, y, sort, got[:5], exp[:5])


OBL_ORG = {}


def org_of(x):
    return OBL_ORG[x["obligation_id"]]


# ---------------------------------------------------------------- the changes

def random_date():
    y = STATE["year"]
    start = datetime.date(y - 1, 12, 20).toordinal()
    end = datetime.date(y, 12, 31).toordinal()
    return datetime.date.fromordinal(RNG.randint(start, end)).isoformat()


def add_obligation():
    y = RNG.choice((STATE["year"], STATE["year"] - 1))
    body = {"org_id": RNG.choice(UNITS), "kind": RNG.choice(KINDS),
            "min": RNG.randint(1, 4), "period": RNG.choice(PERIODS), "year": y}
    r = c("shuji").post("/api/v1/obligations", body)
    if r.status == 409:  # that unit already has it
        return
    j = ok(r, 201)
    OBL_ORG[j["id"]] = j["org_id"]


def change(n):
    live, deleted = STATE.setdefault("live", []), STATE.setdefault("deleted", [])
    for _ in range(n):
        op = RNG.random()
        if op < 0.45 or not live:
            j = ok(c("shuji").post("/api/v1/records", {
                "org_id": RNG.choice(UNITS), "kind": RNG.choice(KINDS),
                "date": random_date(), "title": "记录"}), 201)
            live.append(j["id"])
        elif op < 0.70:
            rid = RNG.choice(live)
            body = RNG.choice(({"date": random_date()}, {"kind": RNG.choice(KINDS)},
                               {"date": random_date(), "kind": RNG.choice(KINDS)},
                               {"title": "只改标题"}))
            ok(c("shuji").patch("/api/v1/records/%d" % rid, body))
        elif op < 0.85:
            rid = live.pop(RNG.randrange(len(live)))
            ok(c("shuji").delete("/api/v1/records/%d" % rid), 204)
            deleted.append(rid)
        elif deleted:
            rid = deleted.pop(RNG.randrange(len(deleted)))
            ok(c("shuji").post("/api/v1/records/%d/restore" % rid, {}))
            live.append(rid)


def test_records_and_obligations():
    for _ in range(14):
        add_obligation()
    change(120)
    check_rollup(check_table())


def test_obligation_deleted_and_added():
    ids = sorted(OBL_ORG)
    for oid in RNG.sample(ids, 4):
        ok(c("shuji").delete("/api/v1/obligations/%d" % oid), 204)
        del OBL_ORG[oid]
    for _ in range(6):
        add_obligation()
    change(40)
    check_rollup(check_table())


def test_units_moved():
    # A school to the other district, then a whole district under a school
    # of the other one.
    school = UNITS[1]
    ok(c("admin").patch("/api/v1/orgs/%d" % school, {"parent_id": IDS["district1"]}))
    change(20)
    check_rollup(check_table())
    ok(c("admin").patch("/api/v1/orgs/%d" % IDS["district0"], {"parent_id": UNITS[5]}))
    change(20)
    check_rollup(check_table())
    # The bureau under a new top unit (every row's second id changes), and
    # back to the top (each row's second id is a district again).
    # (`zerenzhi org move`, which goes through the same domain code.)
    top = S.add_org("市委")
    S.cli("org", "move", "--id", str(IDS["bureau"]), "--parent", str(top))
    change(10)
    check_rollup(check_table())
    S.cli("org", "move", "--id", str(IDS["bureau"]), "--parent", "0")
    change(10)
    check_rollup(check_table())


def test_rebuilt_from_nothing():
    # Emptied by hand, the table is filled again by `zerenzhi init` to the
    # same rows.
    before = S.sql("SELECT obligation_id, period_key, path, done, year_done, status, "
                   "behind FROM compliance ORDER BY obligation_id, period_key")
    S.stop()
    S.sql("DELETE FROM compliance")
    S.sql("DELETE FROM compliance_total")
    S.cli("init")
    S.start()
    after = S.sql("SELECT obligation_id, period_key, path, done, year_done, status, "
                  "behind FROM compliance ORDER BY obligation_id, period_key")
    assert before == after
    check_rollup(check_table())


def test_stale_rows():
    # Rows whose assessment is out of date (as after midnight, before the
    # job has run) keep their order, but the page assesses them for today;
    # the job then re-assesses them in the table.
    own = check_table()
    S.sql("UPDATE compliance SET status = 'met', urgency = 3, behind = -1, "
          "assessed_on = assessed_on - 400, valid_to = assessed_on - 400")
    for top in (IDS["bureau"], IDS["district1"]):
        j = ok(c("shuji").get("/api/v1/compliance?org_id=%d&year=%d&rollup=1&size=200"
                              % (top, STATE["year"])))
        assert j["items"]
        for x in j["items"]:
            want = own[(x["obligation_id"], x["period"])]
            assert (x["status"], x["behind"], x["done"]) == \
                (want["status"], want["behind"], want["done"]), (x, want)
    S.stop()
    S.sql("DELETE FROM lease WHERE name = 'compliance_assess'")
    S.start()
    check_rollup(check_table())


def main():
    setup()
    try:
        code = run([test_records_and_obligations, test_obligation_deleted_and_added,
                    test_units_moved, test_rebuilt_from_nothing, test_stale_rows])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
