#!/usr/bin/env python3
"""API tests of the channels (阵地) of a unit and their inspections: the
registry with its responsible person, who may write, every validation
answered with 4xx writing nothing, the list filters (no_owner,
inspection_overdue, kind, status, q, subtree), inspections made as ledger
records (counted by the compliance endpoint, photos through the record's
attachments, gone from the channel when the record is deleted and back when
it is restored), closing and deleting, the yearly inspection obligation
kept from the active channels, and the reminder job's inspection_due and
inspection_overdue notices (one per channel and period).

Dates the server decides with its clock ("today" in China) are computed
here the same way; days of the reminder job are chosen with
`zerenzhi remind --today`.

    python3 tests/api/test_channels.py   (ZRZ_BIN selects the binary,
                                          ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import json
import os
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
P = "/api/v1/channels"
TODAY = (datetime.datetime.now(datetime.timezone.utc)
         + datetime.timedelta(hours=8)).date()
YEAR = TODAY.year


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    e = r.json["error"]
    assert e["code"] == code, "want code %s, got %r" % (code, r)
    assert isinstance(e["message"], str) and e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)
    return e


def unchanged(fn):
    before = S.counts()
    out = fn()
    after = S.counts()
    assert before == after, "rows changed: %r" % {
        t: (before.get(t), after.get(t)) for t in set(before) | set(after)
        if before.get(t) != after.get(t)}
    return out


def quarter_end(d):
    q = (d.month - 1) // 3
    if q == 3:
        return datetime.date(d.year, 12, 31)
    return datetime.date(d.year, 3 * q + 4, 1) - datetime.timedelta(days=1)


def next_quarter_end(d):
    """The last day of the quarter after the one holding d."""
    return quarter_end(quarter_end(d) + datetime.timedelta(days=1))


def quarters_from(d):
    """Quarters of YEAR ending on or after d."""
    if d.year > YEAR:
        return 0
    if d.year < YEAR:
        return 4
    return 4 - (d.month - 1) // 3


def chan(org, name, owner, kind="wechat_official", **kw):
    body = {"org_id": org, "kind": kind, "name": name, "owner_id": owner}
    body.update(kw)
    return body


def obligation(org):
    """The (id, min) of org's yearly channel_inspection obligation, or None."""
    j = ok(c("seca").get("/api/v1/obligations?org_id=%d&year=%d" % (org, YEAR))) \
        if org == IDS["A"] else ok(c("root").get("/api/v1/obligations?org_id=%d&year=%d"
                                                 % (org, YEAR)))
    xs = [x for x in j["items"] if x["kind"] == "channel_inspection" and x["period"] == "year"]
    assert len(xs) <= 1, xs
    return (xs[0]["id"], xs[0]["min"]) if xs else None


def done_in_year(org):
    j = ok(c("seca").get("/api/v1/compliance?org_id=%d&year=%d" % (org, YEAR)))
    rows = [x for x in j["items"] if x["kind"] == "channel_inspection"]
    assert len(rows) == 1, j
    return rows[0]["done"], rows[0]["target"]


def setup():
    global S
    S = Server()
    IDS["root"] = S.add_org("市教育局党委", kind="committee")
    IDS["A"] = S.add_org("第一中学党委", parent=IDS["root"], kind="committee")
    IDS["A1"] = S.add_org("第一中学教工支部", parent=IDS["A"], kind="branch")
    IDS["B"] = S.add_org("第二中学党委", parent=IDS["root"], kind="committee")
    IDS["C"] = S.add_org("第三中学党委", parent=IDS["root"], kind="committee")
    IDS["offa"] = S.add_user(IDS["A"], "offa", "office", name="王文书")
    IDS["leada"] = S.add_user(IDS["A"], "leada", "leader", name="李副书记")
    IDS["seca"] = S.add_user(IDS["A"], "seca", "secretary", name="张书记")
    IDS["sysa"] = S.add_user(IDS["A"], "sysa", "sysadmin")
    IDS["mema"] = S.add_user(IDS["A"], "mema", "member", name="赵老师")
    IDS["locked"] = S.add_user(IDS["A"], "locked", "member", name="停用的人")
    IDS["mover"] = S.add_user(IDS["A"], "mover", "member", name="调走的人")
    IDS["a1user"] = S.add_user(IDS["A1"], "a1user", "member", name="支部委员")
    IDS["offb"] = S.add_user(IDS["B"], "offb", "office", name="钱文书")
    IDS["offc"] = S.add_user(IDS["C"], "offc", "office", name="孙文书")
    IDS["rootuser"] = S.add_user(IDS["root"], "root", "secretary", scope="subtree",
                                 name="局党委书记")
    S.start()
    S.sql("UPDATE users SET locked = 1 WHERE id = ?", (IDS["locked"],))


def test_create_and_read():
    a = IDS["A"]
    opened = TODAY.isoformat()
    j = ok(c("offa").post(P, chan(a, "第一中学微信公众号", IDS["offa"], reg_no="gh_123456",
                                  address="第一中学", opened_on=opened,
                                  inspect_every="quarter", note="学校官方公众号")), 201)
    IDS["wx"] = j["id"]
    assert (j["org_id"], j["kind"], j["kind_name"], j["name"]) == (
        a, "wechat_official", "微信公众号", "第一中学微信公众号"), j
    assert (j["owner_id"], j["owner_name"], j["owner_missing"]) == (IDS["offa"], "王文书",
                                                                    False), j
    assert (j["status"], j["inspect_every"], j["review_final"], j["closed_on"]) == (
        "active", "quarter", False, None), j
    assert j["last_inspected"] is None and j["inspections"] == 0
    assert j["next_due"] == next_quarter_end(TODAY).isoformat(), j
    assert j["overdue"] is False
    assert ok(c("mema").get("%s/%d" % (P, j["id"]))) == j
    # The contract: the four fields alone make a channel (no frequency).
    k = ok(c("leada").post(P, chan(a, "校园宣传栏", IDS["offa"],
                                   kind="board")), 201)
    assert (k["inspect_every"], k["next_due"], k["overdue"]) == (None, None, False), k
    IDS["board"] = k["id"]
    # Secretary and system administrator of the unit may register too.
    ok(c("seca").post(P, chan(a, "第一中学门户网站", IDS["seca"], kind="website",
                              review_final=True)), 201)
    ok(c("sysa").post(P, chan(a, "校报", IDS["seca"], kind="periodical")), 201)
    # An owner from the unit above is accepted.
    ok(c("offa").post(P, chan(a, "教育局讲座", IDS["rootuser"], kind="lecture")), 201)
    rows = S.audit("channel.create")
    assert len(rows) == 5 and rows[0][5] == IDS["wx"], rows
    d = json.loads(rows[0][6])
    assert (d["kind"], d["owner_id"], d["inspect_every"]) == ("wechat_official", IDS["offa"],
                                                              "quarter"), d
    # The quarterly channel asks for the quarters left of the year.
    assert obligation(a)[1] == quarters_from(TODAY), obligation(a)


def test_who_may_write():
    a = IDS["A"]
    for name in ("mema", "offb", "offa"):
        c(name)  # log in first: a login writes a session

    def bad():
        check_error(c("mema").post(P, chan(a, "某群", IDS["offa"], kind="wechat_group")), 403,
                    "forbidden")
        check_error(c("offb").post(P, chan(a, "某群", IDS["offa"])), 422, "invalid", "org_id")
        check_error(c("offb").get("%s/%d" % (P, IDS["wx"])), 404, "not_found")
        check_error(c("offb").patch("%s/%d" % (P, IDS["wx"]), {"name": "改"}), 404,
                    "not_found")
        check_error(c("mema").patch("%s/%d" % (P, IDS["wx"]), {"name": "改"}), 403,
                    "forbidden")
        check_error(c("mema").delete("%s/%d" % (P, IDS["board"])), 403, "forbidden")
        check_error(c("offb").get("%s/%d/inspections" % (P, IDS["wx"])), 404, "not_found")
        check_error(c("mema").post("%s/%d/inspections" % (P, IDS["wx"]),
                                   {"date": TODAY.isoformat(), "inspector": "赵老师"}),
                    403, "forbidden")
        check_error(c("offb").post("%s/%d/inspections" % (P, IDS["wx"]),
                                   {"date": TODAY.isoformat(), "inspector": "钱"}),
                    404, "not_found")
        check_error(c("offb").get(P + "?org_id=%d" % a), 404, "not_found")
        check_error(c("offa").get(P + "?org_id=%d&subtree=1" % IDS["root"]), 404, "not_found")
        check_error(c("offa").get(P + "?org_id=%d&subtree=1" % a), 403, "forbidden", "subtree")
        check_error(c("offa").get(P + "/999999"), 404, "not_found")
        # Without the CSRF header a mutation is refused.
        r = c("offa").post(P, chan(a, "无令牌", IDS["offa"]), csrf=False)
        assert r.status == 403, r
    unchanged(bad)


def test_bad_input():
    a = IDS["A"]
    o = c("offa")

    def bad():
        base = chan(a, "某公众号", IDS["offa"])
        check_error(o.post(P, dict(base, color="red")), 400, "bad_request")
        check_error(o.post(P, dict(base, kind="forum")), 422, "invalid", "kind")
        check_error(o.post(P, dict(base, kind=3)), 400, "bad_request", "kind")
        check_error(o.post(P, dict(base, name="")), 422, "invalid", "name")
        check_error(o.post(P, dict(base, name="   ")), 422, "invalid", "name")
        check_error(o.post(P, dict(base, name="第一行\n第二行")), 422, "invalid", "name")
        check_error(o.post(P, dict(base, name="长" * 101)), 422, "invalid", "name")
        no_owner = dict(base)
        del no_owner["owner_id"]
        check_error(o.post(P, no_owner), 422, "invalid", "owner_id")
        check_error(o.post(P, dict(base, owner_id=None)), 422, "invalid", "owner_id")
        check_error(o.post(P, dict(base, owner_id=999999)), 422, "invalid", "owner_id")
        check_error(o.post(P, dict(base, owner_id=IDS["offb"])), 422, "invalid", "owner_id")
        check_error(o.post(P, dict(base, owner_id=IDS["locked"])), 422, "invalid", "owner_id")
        # A user of a unit below is not the owner of the unit's channel.
        check_error(o.post(P, dict(base, owner_id=IDS["a1user"])), 422, "invalid", "owner_id")
        check_error(o.post(P, dict(base, owner_id="12")), 400, "bad_request", "owner_id")
        check_error(o.post(P, dict(base, opened_on="2026-02-30")), 422, "invalid", "opened_on")
        check_error(o.post(P, dict(base, opened_on="1999-12-31")), 422, "invalid", "opened_on")
        check_error(o.post(P, dict(base, status="open")), 422, "invalid", "status")
        check_error(o.post(P, dict(base, inspect_every="daily")), 422, "invalid",
                    "inspect_every")
        check_error(o.post(P, dict(base, closed_on="2026-01-01")), 422, "invalid", "closed_on")
        check_error(o.post(P, dict(base, status="closed", opened_on="2025-05-01",
                                   closed_on="2025-04-30")), 422, "invalid", "closed_on")
        check_error(o.post(P, dict(base, review_final="yes")), 400, "bad_request",
                    "review_final")
        check_error(o.post(P, dict(base, note="注" * 2001)), 422, "invalid", "note")
        check_error(o.post(P, dict(base, org_id=999999)), 422, "invalid", "org_id")
        check_error(o.request("POST", P, raw=b"{\"org_id\": 1,", headers={
            "Content-Type": "application/json"}), 400, "bad_request")
        u = "%s/%d" % (P, IDS["wx"])
        check_error(o.patch(u, {"name": None}), 422, "invalid", "name")
        check_error(o.patch(u, {"owner_id": None}), 422, "invalid", "owner_id")
        check_error(o.patch(u, {"owner_id": IDS["offb"]}), 422, "invalid", "owner_id")
        check_error(o.patch(u, {"org_id": IDS["B"]}), 400, "bad_request")
        check_error(o.patch(u, {"status": None}), 422, "invalid", "status")
        check_error(o.patch(u, {"closed_on": "2026-01-01"}), 422, "invalid", "closed_on")
        check_error(o.get(P), 422, "invalid", "org_id")
        check_error(o.get(P + "?org_id=%d&kind=forum" % a), 422, "invalid", "kind")
        check_error(o.get(P + "?org_id=%d&status=gone" % a), 422, "invalid", "status")
        check_error(o.get(P + "?org_id=%d&no_owner=maybe" % a), 400, "bad_request")
        check_error(o.get(P + "?org_id=%d&size=500" % a), 422, "invalid")
        i = "%s/%d/inspections" % (P, IDS["wx"])
        future = (TODAY + datetime.timedelta(days=1)).isoformat()
        check_error(o.post(i, {"date": future, "inspector": "王"}), 422, "invalid", "date")
        check_error(o.post(i, {"date": "2026-13-01", "inspector": "王"}), 422, "invalid",
                    "date")
        check_error(o.post(i, {"inspector": "王"}), 422, "invalid", "date")
        check_error(o.post(i, {"date": TODAY.isoformat(), "inspector": ""}), 422, "invalid",
                    "inspector")
        check_error(o.post(i, {"date": TODAY.isoformat(), "inspector": "王\n李"}), 422,
                    "invalid", "inspector")
        check_error(o.post(i, {"date": TODAY.isoformat(), "inspector": "王",
                               "problems": -1}), 422, "invalid", "problems")
        check_error(o.post(i, {"date": TODAY.isoformat(), "inspector": "王",
                               "photos": []}), 400, "bad_request")
        # Before the channel opened (the quarterly one opened today).
        yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
        check_error(o.post(i, {"date": yesterday, "inspector": "王"}), 422, "invalid", "date")
    unchanged(bad)


def test_list_filters():
    a = IDS["A"]
    o = c("offa")
    old = ok(o.post(P, chan(a, "第一中学微博", IDS["mover"], kind="weibo",
                            opened_on="2025-01-10", inspect_every="quarter")), 201)
    IDS["weibo"] = old["id"]
    assert old["overdue"] is True and old["next_due"] == "2025-06-30", old
    grp = ok(o.post(P, chan(a, "家长微信群", IDS["mema"],
                            kind="wechat_group", inspect_every="month",
                            opened_on=TODAY.isoformat())), 201)
    IDS["grp"] = grp["id"]
    sub = ok(c("root").post(P, chan(IDS["A1"], "支部QQ群", IDS["a1user"], kind="qq_group")),
             201)
    IDS["qq"] = sub["id"]
    # The owners: one locked afterwards, one moved to another unit.
    S.sql("UPDATE users SET locked = 1 WHERE id = ?", (IDS["mema"],))
    S.sql("UPDATE users SET org_id = ? WHERE id = ?", (IDS["B"], IDS["mover"]))

    def names(q):
        j = ok(o.get(P + "?org_id=%d" % a + q))
        assert j["total"] == len(j["items"]), j
        return sorted(x["name"] for x in j["items"])

    everything = names("")
    assert len(everything) == 7 and "支部QQ群" not in everything, everything
    assert names("&no_owner=1") == ["家长微信群", "第一中学微博"], names("&no_owner=1")
    assert names("&inspection_overdue=1") == ["第一中学微博"]
    assert names("&kind=weibo") == ["第一中学微博"]
    assert names("&q=" + quote("微信")) == sorted(["第一中学微信公众号", "家长微信群"])
    assert names("&q=%25") == []
    assert names("&status=suspended") == []
    j = ok(o.get(P + "?org_id=%d&size=2&page=2" % a))
    assert j["total"] == 7 and len(j["items"]) == 2, j
    one = ok(o.get("%s/%d" % (P, IDS["grp"])))
    assert one["owner_missing"] is True and one["owner_name"] == "赵老师", one
    # The superior sees the whole subtree.
    j = ok(c("root").get(P + "?org_id=%d&subtree=1" % IDS["root"]))
    assert j["total"] == 8, j
    j = ok(c("root").get(P + "?org_id=%d&subtree=1&no_owner=1" % IDS["root"]))
    assert j["total"] == 2, j
    # Giving the channel an owner again clears the flag.
    ok(o.patch("%s/%d" % (P, IDS["grp"]), {"owner_id": IDS["offa"]}))
    assert names("&no_owner=1") == ["第一中学微博"]
    S.sql("UPDATE users SET locked = 0 WHERE id = ?", (IDS["mema"],))


def upload(client, record, name, data):
    b = "----zrzChannelTest"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
            "Content-Type: image/png\r\n\r\n" % (b, name)).encode() + data + \
        ("\r\n--%s--\r\n" % b).encode()
    return client.request("POST", "/api/v1/records/%d/attachments" % record, raw=body,
                          headers={"Content-Type": "multipart/form-data; boundary=" + b})


def png():
    import struct
    import zlib

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_inspection_is_a_ledger_record():
    a = IDS["A"]
    o = c("offa")
    before = obligation(a)
    assert before is not None
    done0, target = done_in_year(a)
    assert target == before[1]
    rec_count = len(ok(o.get("/api/v1/records?org_id=%d&kind=channel_inspection" % a))["items"])
    j = ok(o.post("%s/%d/inspections" % (P, IDS["weibo"]), {
        "date": TODAY.isoformat(), "inspector": "王文书", "findings": "内容合规，更新及时。",
        "problems": 1}), 201)
    IDS["insp"] = j["id"]
    rid = IDS["rec"] = j["record_id"]
    assert (j["channel_id"], j["date"], j["inspector"], j["problems"]) == (
        IDS["weibo"], TODAY.isoformat(), "王文书", 1), j
    r = ok(o.get("/api/v1/records/%d" % rid))
    assert (r["kind"], r["date"], r["host"], r["minutes"], r["org_id"]) == (
        "channel_inspection", TODAY.isoformat(), "王文书", "内容合规，更新及时。", a), r
    assert "第一中学微博" in r["title"]
    assert len(ok(o.get("/api/v1/records?org_id=%d&kind=channel_inspection" % a))["items"]) \
        == rec_count + 1
    # Compliance counts it exactly as a record made through /records.
    assert done_in_year(a) == (done0 + 1, target)
    # The photo goes to the record's attachments.
    ok(upload(o, rid, "检查照片.png", png()), 201)
    lst = ok(o.get("%s/%d/inspections" % (P, IDS["weibo"])))
    assert lst["total"] == 1 and lst["items"][0]["attachments"] == 1, lst
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["overdue"], ch["inspections"]) == (TODAY.isoformat(),
                                                                        False, 1), ch
    assert ch["next_due"] == next_quarter_end(TODAY).isoformat(), ch
    assert len(S.audit("channel.inspect")) == 1
    assert len(S.audit("record.create")) >= 1
    # A record made through /records of the same kind counts but is no
    # inspection of any channel.
    ok(o.post("/api/v1/records", {"org_id": a, "kind": "channel_inspection",
                                  "date": TODAY.isoformat(), "title": "阵地集中检查"}), 201)
    assert done_in_year(a) == (done0 + 2, target)
    assert ok(o.get("%s/%d/inspections" % (P, IDS["weibo"])))["total"] == 1


def test_record_deleted_hides_inspection():
    a = IDS["A"]
    o = c("offa")
    done, target = done_in_year(a)
    ok(o.delete("/api/v1/records/%d" % IDS["rec"]), 204)
    assert ok(o.get("%s/%d/inspections" % (P, IDS["weibo"]))) == {"items": [], "total": 0}
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["overdue"], ch["next_due"], ch["inspections"]) == (
        None, True, "2025-06-30", 0), ch
    assert done_in_year(a) == (done - 1, target)
    names = [x["name"] for x in ok(o.get(P + "?org_id=%d&inspection_overdue=1" % a))["items"]]
    assert names == ["第一中学微博"], names
    ok(o.post("/api/v1/records/%d/restore" % IDS["rec"]))
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["overdue"], ch["inspections"]) == (TODAY.isoformat(),
                                                                        False, 1), ch
    assert done_in_year(a) == (done, target)
    # The record's date moved earlier through /records moves the due date.
    ok(o.patch("/api/v1/records/%d" % IDS["rec"], {"date": "2025-02-01"}))
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["next_due"], ch["overdue"]) == ("2025-02-01",
                                                                     "2025-06-30", True), ch
    lst = ok(o.get("%s/%d/inspections" % (P, IDS["weibo"])))
    assert lst["items"][0]["date"] == "2025-02-01"
    ok(o.patch("/api/v1/records/%d" % IDS["rec"], {"date": TODAY.isoformat()}))
    # A record whose kind is changed to another is no inspection any more,
    # and counts again once changed back.
    ok(o.patch("/api/v1/records/%d" % IDS["rec"], {"kind": "special_meeting"}))
    assert ok(o.get("%s/%d/inspections" % (P, IDS["weibo"]))) == {"items": [], "total": 0}
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["overdue"], ch["inspections"]) == (None, True, 0), ch
    assert done_in_year(a) == (done - 1, target)
    ok(o.patch("/api/v1/records/%d" % IDS["rec"], {"kind": "channel_inspection"}))
    ch = ok(o.get("%s/%d" % (P, IDS["weibo"])))
    assert (ch["last_inspected"], ch["overdue"], ch["inspections"]) == (TODAY.isoformat(),
                                                                        False, 1), ch
    assert done_in_year(a) == (done, target)


def test_close_change_and_delete():
    a = IDS["A"]
    o = c("offa")
    n0 = obligation(a)[1]
    # A monthly channel (the group, opened today) and two quarterly ones.
    months_left = 12 - TODAY.month + 1
    assert n0 == quarters_from(TODAY) + 4 + months_left, (n0, months_left)
    j = ok(o.patch("%s/%d" % (P, IDS["grp"]), {"status": "closed"}))
    assert (j["status"], j["closed_on"], j["next_due"], j["overdue"]) == (
        "closed", TODAY.isoformat(), None, False), j
    assert obligation(a)[1] == n0 - months_left
    rows = S.audit("obligation.update")
    assert rows and json.loads(rows[-1][6])["min"] == {"from": n0, "to": n0 - months_left}
    check_error(o.post("%s/%d/inspections" % (P, IDS["grp"]),
                       {"date": TODAY.isoformat(), "inspector": "王"}), 409, "conflict")
    # Reopened: closed_on goes, the obligation comes back.
    j = ok(o.patch("%s/%d" % (P, IDS["grp"]), {"status": "active"}))
    assert (j["status"], j["closed_on"]) == ("active", None), j
    assert obligation(a)[1] == n0
    # The frequency changed: quarterly to yearly.
    j = ok(o.patch("%s/%d" % (P, IDS["weibo"]), {"inspect_every": "year"}))
    assert obligation(a)[1] == n0 - 4 + 1
    d = json.loads(S.audit("channel.update")[-1][6])
    assert d["changed"]["inspect_every"] == {"from": "quarter", "to": "year"}, d
    ok(o.patch("%s/%d" % (P, IDS["weibo"]), {"inspect_every": "quarter"}))
    # A channel with inspections cannot be deleted: close it instead.
    unchanged(lambda: check_error(o.delete("%s/%d" % (P, IDS["weibo"])), 409, "conflict"))
    ok(o.delete("%s/%d" % (P, IDS["board"])), 204)
    check_error(o.get("%s/%d" % (P, IDS["board"])), 404, "not_found")
    check_error(o.delete("%s/%d" % (P, IDS["board"])), 404, "not_found")
    assert len(S.audit("channel.delete")) == 1
    # A unit whose only channel is deleted loses the obligation.
    cc = c("offc")
    x = ok(cc.post(P, chan(IDS["C"], "三中公众号", IDS["offc"], inspect_every="month",
                           opened_on="%d-01-01" % YEAR)), 201)
    assert obligation(IDS["C"])[1] == 12
    ok(cc.delete("%s/%d" % (P, x["id"])), 204)
    assert obligation(IDS["C"]) is None
    assert S.audit("obligation.delete")


def remind(today):
    p = S.cli("remind", "--today", today, "--no-deliver")
    return json.loads(p.stdout)


def keys(channel):
    return sorted(r[0] for r in S.sql("SELECT event_key FROM notice WHERE event_key LIKE ?",
                                      ("channel:%d:%%" % channel,)))


def test_reminders():
    b = IDS["B"]
    o = c("offb")
    ch = ok(o.post(P, chan(b, "二中公众号", IDS["offb"], opened_on="2026-01-10",
                           inspect_every="quarter")), 201)
    cid = ch["id"]
    assert ch["next_due"] == "2026-06-30"
    shut = ok(o.post(P, chan(b, "二中旧网站", IDS["offb"], kind="website",
                             opened_on="2026-01-10", inspect_every="quarter",
                             status="closed", closed_on="2026-02-01")), 201)
    remind("2026-06-20")
    assert keys(cid) == [], keys(cid)
    remind("2026-06-25")
    assert keys(cid) == ["channel:%d:2026-Q2:due" % cid], keys(cid)
    remind("2026-06-26")
    assert keys(cid) == ["channel:%d:2026-Q2:due" % cid], keys(cid)
    remind("2026-07-02")
    assert keys(cid) == ["channel:%d:2026-Q2:due" % cid, "channel:%d:2026-Q2:overdue" % cid]
    remind("2026-07-03")
    assert len(keys(cid)) == 2
    remind("2026-09-28")
    assert "channel:%d:2026-Q3:due" % cid in keys(cid)
    remind("2026-10-01")
    assert "channel:%d:2026-Q3:overdue" % cid in keys(cid) and len(keys(cid)) == 4
    assert keys(shut["id"]) == []
    # The notice reaches the unit's users, and not another unit's.
    n = ok(o.get("/api/v1/notices"))
    mine = [x for x in n["items"] if x["kind"] == "inspection_overdue"]
    assert mine and "二中公众号" in mine[0]["title"], n
    assert mine[0]["link"] == "/channels/list?channel_id=%d" % cid, mine[0]
    assert not [x for x in ok(c("offa").get("/api/v1/notices"))["items"]
                if "二中公众号" in x["title"]]
    rows = S.sql("SELECT kind FROM notice WHERE event_key LIKE ?", ("channel:%d:%%" % cid,))
    assert sorted(set(r[0] for r in rows)) == ["inspection_due", "inspection_overdue"]


def test_new_year_obligations():
    """The reminder job makes the yearly obligation of a new year (and
    remakes a deleted one) for every unit with active channels."""
    b = IDS["B"]

    def obl(year):
        j = ok(c("offb").get("/api/v1/obligations?org_id=%d&year=%d" % (b, year)))
        return [(x["min"], x["period"]) for x in j["items"] if x["kind"] == "channel_inspection"]
    assert obl(YEAR + 1) == []
    remind("%d-01-05" % (YEAR + 1))
    # One active quarterly channel (the closed one needs none): 4 quarters.
    assert obl(YEAR + 1) == [(4, "year")], obl(YEAR + 1)
    n = len(S.audit("obligation.create"))
    remind("%d-01-06" % (YEAR + 1))
    assert len(S.audit("obligation.create")) == n
    # Deleted by hand, it comes back with the next run.
    oid = [x["id"] for x in ok(c("offb").get("/api/v1/obligations?org_id=%d&year=%d"
                                             % (b, YEAR + 1)))["items"]][0]
    S.add_user(b, "secb", "secretary")
    ok(S.login("secb").delete("/api/v1/obligations/%d" % oid), 204)
    assert obl(YEAR + 1) == []
    remind("%d-01-07" % (YEAR + 1))
    assert obl(YEAR + 1) == [(4, "year")]


def test_concurrent_creates_keep_one_obligation():
    """Channels registered at the same time in a unit without the
    obligation: every request succeeds and the unit ends with one
    obligation counting them all.  A smoke test of the unit lock and the
    retry in outlet_sync_obligation: whether two requests really overlap
    depends on timing, so a pass does not prove the race was met."""
    import threading
    cc = IDS["C"]
    results = []
    clients = [S.login("offc") for _ in range(6)]
    start = threading.Barrier(len(clients))

    def make(i):
        start.wait()
        r = clients[i].post(P, chan(cc, "三中班级群%d" % i, IDS["offc"], kind="wechat_group",
                                    inspect_every="year", opened_on="%d-01-01" % YEAR))
        results.append(r.status)
    threads = [threading.Thread(target=make, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [201] * 6, results
    assert obligation(cc)[1] == 6, obligation(cc)


def main():
    setup()
    try:
        code = run([test_create_and_read, test_who_may_write, test_bad_input,
                    test_list_filters, test_inspection_is_a_ledger_record,
                    test_record_deleted_hides_inspection, test_close_change_and_delete,
                    test_reminders, test_new_year_obligations,
                    test_concurrent_creates_keep_one_obligation])
        S.stop()
    finally:
        S.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
