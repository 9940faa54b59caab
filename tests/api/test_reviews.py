#!/usr/bin/env python3
"""API tests of the three-stage review (三审): the settings per unit, the
states of a submission (draft → 初审 → 复审 → [终审] → approved →
published, returned, withdrawn), every rule of who may sign what (never the
author, never two stages of one round, only the stage's role), an edit
after a signature restarting the review at 初审 (adding or removing a file
is such an edit), attachments, revisions, signatures that
the database itself refuses to change, reminders of the stage time limits,
and every refusal writing nothing.

    python3 tests/api/test_reviews.py   (ZRZ_BIN selects the binary,
                                         ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import hashlib
import json
import os
import socket
import subprocess
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DBError, Server, run  # noqa: E402

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


def refused(call, status, code=None, field=None):
    """call() must answer status with the error shape and write nothing."""
    before = S.counts()
    r = call()
    assert r.status == status, "want %d, got %r" % (status, r)
    err = r.json["error"]
    assert err["message"], err
    if code:
        assert err["code"] == code, err
    if field:
        assert err["field"] == field, err
    after = S.counts()
    assert before == after, {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
    return err


def setup():
    global S
    S = Server()
    IDS["root"] = S.add_org("市教育局党委", kind="committee")
    IDS["A"] = S.add_org("第一中学党支部", parent=IDS["root"], kind="branch")
    IDS["B"] = S.add_org("第二中学党支部", parent=IDS["root"], kind="branch")
    IDS["auth"] = S.add_user(IDS["A"], "auth", "member", name="作者甲")
    IDS["auth2"] = S.add_user(IDS["A"], "auth2", "member", name="作者乙")
    IDS["offa"] = S.add_user(IDS["A"], "offa", "office", name="办公室王")
    IDS["offa2"] = S.add_user(IDS["A"], "offa2", "office", name="办公室李")
    IDS["lead"] = S.add_user(IDS["A"], "lead", "leader", name="分管领导赵")
    IDS["secr"] = S.add_user(IDS["A"], "secr", "secretary", name="书记钱")
    IDS["both"] = S.add_user(IDS["A"], "both", "office", name="兼职孙")
    S.cli("user", "grant", "--login", "both", "--org", str(IDS["A"]), "--role", "leader")
    IDS["rootlead"] = S.add_user(IDS["root"], "rootlead", "leader", scope="subtree",
                                 name="上级领导周")
    IDS["view"] = S.add_user(IDS["A"], "view", "viewer")
    IDS["offb"] = S.add_user(IDS["B"], "offb", "office")
    now = int(datetime.datetime.now().timestamp())
    IDS["chan"] = S.sql("INSERT INTO channel (org_id, kind, name, review_final, created_at, "
                        "updated_at) VALUES (?, 'wechat_official', '一中微信公众号', 1, ?, ?) "
                        "RETURNING id", (IDS["A"], now, now))[0][0]
    IDS["chan_plain"] = S.sql("INSERT INTO channel (org_id, kind, name, review_final, "
                              "created_at, updated_at) VALUES (?, 'website', '一中网站', 0, ?, ?) "
                              "RETURNING id", (IDS["A"], now, now))[0][0]
    IDS["chan_b"] = S.sql("INSERT INTO channel (org_id, kind, name, review_final, created_at, "
                          "updated_at) VALUES (?, 'website', '二中网站', 0, ?, ?) RETURNING id",
                          (IDS["B"], now, now))[0][0]
    S.start()
    # Log everyone in now, so that refusals count no session rows.
    for name in ("auth", "auth2", "offa", "offa2", "lead", "secr", "both", "rootlead", "view",
                 "offb"):
        c(name)


def new(author="auth", sensitive=False, channel=None, title="校园读书节活动报道",
        body="第一段。\n我校举办读书节。\n"):
    j = ok(c(author).post("/api/v1/reviews", {
        "org_id": IDS["A"], "title": title, "body": body, "channel_id": channel,
        "sensitive": sensitive}), 201)
    return j["id"]


def act(who, rid, action, body=None):
    return c(who).post("/api/v1/reviews/%d/%s" % (rid, action), body)


def get(rid, who="auth"):
    return ok(c(who).get("/api/v1/reviews/%d" % rid))


# ---- settings ----

def test_config_defaults_and_who_may_change_them():
    j = ok(c("auth").get("/api/v1/review-config?org_id=%d" % IDS["A"]))
    assert (j["first_role"], j["second_role"], j["final_role"]) == ("office", "leader",
                                                                    "secretary"), j
    assert (j["first_hours"], j["second_hours"], j["final_hours"]) == (24, 24, 48), j
    assert j["always_final"] is False and j["editable"] is False, j
    url = "/api/v1/review-config?org_id=%d" % IDS["A"]
    refused(lambda: c("offa").put(url, {"final_hours": 12}), 403, "forbidden")
    refused(lambda: c("secr").put(url, {"first_role": "member"}), 422, "invalid", "first_role")
    refused(lambda: c("secr").put(url, {"second_hours": 0}), 422, "invalid", "second_hours")
    refused(lambda: c("secr").put(url, {"what": 1}), 400)
    refused(lambda: c("offb").put(url, {"final_hours": 12}), 404)
    j = ok(c("secr").put(url, {"final_hours": 36}))
    assert j["final_hours"] == 36 and j["first_hours"] == 24 and j["custom"] is True, j
    assert S.audit("review_config.update"), "config change audited"
    ok(c("secr").put(url, {"final_hours": 48}))


# ---- creating ----

def test_create_rules():
    body = {"org_id": IDS["A"], "title": "标题", "body": "正文", "sensitive": False}
    refused(lambda: c("view").post("/api/v1/reviews", body), 403)
    refused(lambda: c("offb").post("/api/v1/reviews", body), 422, field="org_id")
    refused(lambda: c("auth").post("/api/v1/reviews", dict(body, channel_id=IDS["chan_b"])),
            422, field="channel_id")
    refused(lambda: c("auth").post("/api/v1/reviews", dict(body, title="")), 422, field="title")
    refused(lambda: c("auth").post("/api/v1/reviews", dict(body, title="两\n行")), 422,
            field="title")
    refused(lambda: c("auth").post("/api/v1/reviews", dict(body, body="  ")), 422, field="body")
    refused(lambda: c("auth").post("/api/v1/reviews", dict(body, state="approved")), 400)
    rid = new()
    j = get(rid)
    assert j["state"] == "draft" and j["revision"] == 1 and j["round"] == 0, j
    assert j["author_name"] == "作者甲" and j["body"] == "第一段。\n我校举办读书节。\n", j
    assert [s["stage"] for s in j["stages"]] == ["first", "second"], j["stages"]
    assert j["can"] == {"edit": True, "submit": True, "sign": False, "withdraw": True,
                        "publish": False}, j["can"]
    assert S.audit("review.create")[-1][5] == rid
    # Another unit's office neither sees nor reaches it.
    refused(lambda: c("offb").get("/api/v1/reviews/%d" % rid), 404)
    refused(lambda: act("offb", rid, "submit"), 404)


# ---- the whole way, and each forbidden step ----

def test_plain_submission_two_stages_then_published():
    rid = new(channel=IDS["chan_plain"])
    # A draft is its author's alone: to anyone else it does not exist.
    refused(lambda: act("offa", rid, "approve", {}), 404, field="id")
    refused(lambda: act("auth2", rid, "submit"), 404, field="id")
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/1"}), 409)
    j = ok(act("auth", rid, "submit"))
    assert j["state"] == "first" and j["round"] == 1, j
    assert j["next_stage"]["stage"] == "first" and j["next_stage"]["role"] == "office", j
    entered = datetime.datetime.fromisoformat(j["stage_entered_at"])
    deadline = datetime.datetime.fromisoformat(j["deadline"])
    assert deadline - entered == datetime.timedelta(hours=24), (entered, deadline)
    assert sorted(s["name"] for s in j["signers"]) == ["兼职孙", "办公室李", "办公室王"], j
    refused(lambda: act("auth", rid, "submit"), 409)                    # twice
    refused(lambda: act("auth2", rid, "submit"), 403)                   # not the author
    # Wrong role at 初审; skipping to 复审 by naming it.
    refused(lambda: act("lead", rid, "approve", {"opinion": "同意"}), 403, "forbidden")
    refused(lambda: act("secr", rid, "approve", {}), 403)
    refused(lambda: act("lead", rid, "approve", {"stage": "second"}), 409, field="stage")
    refused(lambda: act("offa", rid, "approve", {"stage": "final"}), 409, field="stage")
    refused(lambda: act("view", rid, "approve", {}), 403)
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/1"}), 409)
    assert ok(c("offa").get("/api/v1/reviews?todo=1"))["total"] == 1
    assert ok(c("lead").get("/api/v1/reviews?todo=1"))["total"] == 0
    j = ok(act("offa", rid, "approve", {"opinion": "内容属实，同意", "stage": "first"}))
    assert j["state"] == "second" and j["stages"][0]["signature"]["user_name"] == "办公室王", j
    assert ok(c("offa").get("/api/v1/reviews?todo=1"))["total"] == 0
    assert ok(c("lead").get("/api/v1/reviews?todo=1"))["total"] == 1
    refused(lambda: act("offa", rid, "approve", {}), 403)               # office at 复审
    refused(lambda: act("offa2", rid, "approve", {"stage": "first"}), 409)  # signed already
    j = ok(act("lead", rid, "approve", {"opinion": "同意发布"}))
    assert j["state"] == "approved" and j["needs_final"] is False, j
    assert j["can"]["publish"] is False   # the leader is neither author nor office
    assert get(rid)["can"]["publish"] is True
    refused(lambda: act("secr", rid, "approve", {}), 409)              # nothing left to sign
    refused(lambda: act("auth", rid, "withdraw"), 409)                  # after approval
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "改"}), 409)
    refused(lambda: act("lead", rid, "publish", {"url": "https://a.cn/1"}), 403)
    refused(lambda: act("auth", rid, "publish", {"url": "ftp://a.cn/1"}), 422, field="url")
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/ 1"}), 422, field="url")
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/1", "at": "昨天"}), 422,
            field="at")
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/1",
                                                  "at": "2000-01-01T00:00:00+08:00"}), 422)
    j = ok(act("offa2", rid, "publish", {"url": "https://www.yz.edu.cn/news/1.html"}))
    assert j["state"] == "published" and j["published_url"].endswith("/1.html"), j
    assert j["published_at"], j
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/2"}), 409)
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"title": "新"}), 409)
    actions = [r[3] for r in S.audit() if r[4] == "review" and r[5] == rid]
    assert actions == ["review.create", "review.submit", "review.approve", "review.approve",
                       "review.publish"], actions
    sigs = S.sql("SELECT stage, decision, user_id, opinion FROM review_signature "
                 "WHERE review_id = ? ORDER BY id", (rid,))
    assert sigs == [("first", "approve", IDS["offa"], "内容属实，同意"),
                    ("second", "approve", IDS["lead"], "同意发布")], sigs


def test_self_approval_refused():
    rid = new(author="offa")
    ok(act("offa", rid, "submit"))
    refused(lambda: act("offa", rid, "approve", {}), 403)
    refused(lambda: act("offa", rid, "return", {"opinion": "退回自己"}), 403)
    j = get(rid, "offa")
    assert j["can"]["sign"] is False and j["can"]["withdraw"] is True, j["can"]
    assert "办公室王" not in [s["name"] for s in j["signers"]], j["signers"]
    ok(act("offa2", rid, "approve", {}))
    ok(act("offa", rid, "withdraw"))
    refused(lambda: act("offa", rid, "withdraw"), 409)
    refused(lambda: act("offa", rid, "submit"), 409)
    refused(lambda: act("lead", rid, "approve", {}), 409)


def test_one_person_never_signs_two_stages():
    rid = new()
    ok(act("auth", rid, "submit"))
    j = ok(act("both", rid, "approve", {"opinion": "初审同意"}))
    assert j["state"] == "second"
    assert "兼职孙" not in [s["name"] for s in j["signers"]], j["signers"]
    refused(lambda: act("both", rid, "approve", {}), 403)
    refused(lambda: act("both", rid, "return", {"opinion": "再看看"}), 403)
    # A leader of the unit above with a subtree grant may sign 复审.
    j = ok(act("rootlead", rid, "approve", {}))
    assert j["state"] == "approved", j


def test_sensitive_needs_final_by_the_secretary():
    rid = new(sensitive=True, title="关于校园舆情的情况说明")
    assert [s["stage"] for s in get(rid)["stages"]] == ["first", "second", "final"]
    ok(act("auth", rid, "submit"))
    ok(act("offa", rid, "approve", {}))
    j = ok(act("lead", rid, "approve", {}))
    assert j["state"] == "final" and j["next_stage"]["role"] == "secretary", j
    entered = datetime.datetime.fromisoformat(j["stage_entered_at"])
    assert datetime.datetime.fromisoformat(j["deadline"]) - entered == \
        datetime.timedelta(hours=48)
    refused(lambda: act("rootlead", rid, "approve", {}), 403)
    refused(lambda: act("auth", rid, "publish", {"url": "https://a.cn/3"}), 409)
    j = ok(act("secr", rid, "approve", {"opinion": "同意，注意措辞"}))
    assert j["state"] == "approved"
    assert [s["signature"]["user_name"] for s in j["stages"]] == ["办公室王", "分管领导赵",
                                                                   "书记钱"], j["stages"]


def test_channel_or_unit_may_require_final():
    rid = new(channel=IDS["chan"])
    ok(act("auth", rid, "submit"))
    ok(act("offa", rid, "approve", {}))
    assert ok(act("lead", rid, "approve", {}))["state"] == "final"
    url = "/api/v1/review-config?org_id=%d" % IDS["A"]
    ok(c("secr").put(url, {"always_final": True}))
    rid = new()
    ok(act("auth", rid, "submit"))
    ok(act("offa", rid, "approve", {}))
    assert ok(act("lead", rid, "approve", {}))["state"] == "final"
    ok(c("secr").put(url, {"always_final": False}))
    # Other roles per stage: 初审 by the leader, 复审 by the secretary.
    ok(c("secr").put(url, {"first_role": "leader", "second_role": "secretary"}))
    rid = new()
    ok(act("auth", rid, "submit"))
    refused(lambda: act("offa", rid, "approve", {}), 403)
    ok(act("lead", rid, "approve", {}))
    refused(lambda: act("lead", rid, "approve", {}), 403)
    assert ok(act("secr", rid, "approve", {}))["state"] == "approved"
    ok(c("secr").put(url, {"first_role": "office", "second_role": "leader"}))


def test_return_needs_an_opinion_and_goes_back_to_the_author():
    rid = new()
    ok(act("auth", rid, "submit"))
    ok(act("offa", rid, "approve", {}))
    refused(lambda: act("lead", rid, "return", {}), 422, "invalid", "opinion")
    refused(lambda: act("lead", rid, "return", {"opinion": "   "}), 422, field="opinion")
    refused(lambda: act("lead", rid, "return"), 422, field="opinion")
    j = ok(act("lead", rid, "return", {"opinion": "第二段数据需核实"}))
    assert j["state"] == "returned" and j["can"]["sign"] is False, j
    refused(lambda: act("secr", rid, "approve", {}), 409)
    refused(lambda: act("auth2", rid, "submit"), 403)
    refused(lambda: c("offa").patch("/api/v1/reviews/%d" % rid, {"body": "改"}), 403)
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "第一段。\n数据已核实。\n"}))
    assert j["state"] == "returned" and j["revision"] == 2, j
    j = ok(act("auth", rid, "submit"))
    assert j["state"] == "first" and j["round"] == 2, j
    assert all(s["signature"] is None for s in j["stages"]), j["stages"]
    assert [(s["decision"], s["current"]) for s in j["signatures"]] == \
        [("approve", False), ("return", False)], j["signatures"]
    # The same people may sign again in the new round.
    ok(act("offa", rid, "approve", {}))
    assert ok(act("lead", rid, "approve", {}))["state"] == "approved"
    assert S.audit("review.return")[-1][5] == rid


def test_edit_after_signature_restarts_the_review():
    rid = new()
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"title": "读书节报道（修改）"}))
    assert j["revision"] == 2 and j["state"] == "draft", j
    ok(act("auth", rid, "submit"))
    # An edit at 初审 before anyone signed keeps the round.
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "正文第三稿"}))
    assert j["state"] == "first" and j["round"] == 1 and j["revision"] == 3, j
    ok(act("offa", rid, "approve", {"opinion": "同意"}))
    # Unchanged text is no edit.
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "正文第三稿"}))
    assert j["state"] == "second" and j["revision"] == 3, j
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "正文第四稿"}))
    assert j["state"] == "first" and j["round"] == 2 and j["revision"] == 4, j
    assert all(s["signature"] is None for s in j["stages"]), j["stages"]
    assert [(s["user_name"], s["round"], s["current"]) for s in j["signatures"]] == \
        [("办公室王", 1, False)], j["signatures"]
    refused(lambda: act("lead", rid, "approve", {}), 403)   # back at 初审
    det = [json.loads(r[6]) for r in S.audit("review.update") if r[5] == rid][-1]
    assert det["restarted"] is True and det["voided"] == 1, det
    # Changing the sensitivity after a signature restarts it too.
    ok(act("offa", rid, "approve", {}))
    j = ok(c("auth").patch("/api/v1/reviews/%d" % rid, {"sensitive": True}))
    assert j["state"] == "first" and j["round"] == 3 and j["revision"] == 4, j
    assert j["needs_final"] is True
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"channel_id": IDS["chan_b"]}),
            422, field="channel_id")
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"title": ""}), 422)
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"state": "approved"}), 400)
    # Every revision is kept.
    j = get(rid)
    assert [v["n"] for v in j["revisions"]] == [1, 2, 3, 4], j["revisions"]
    v = ok(c("auth").get("/api/v1/reviews/%d/revisions/1" % rid))
    assert v["title"] == "校园读书节活动报道" and v["body"].startswith("第一段"), v
    v = ok(c("lead").get("/api/v1/reviews/%d/revisions/4" % rid))
    assert v["title"] == "读书节报道（修改）" and v["body"] == "正文第四稿", v
    refused(lambda: c("auth").get("/api/v1/reviews/%d/revisions/9" % rid), 404)
    refused(lambda: c("offb").get("/api/v1/reviews/%d/revisions/1" % rid), 404)


def test_diff_between_revisions():
    rid = new(title="通讯稿", body="第一行\n我校举办读书节。\n第三行\n")
    ok(c("auth").patch("/api/v1/reviews/%d" % rid,
                       {"title": "通讯稿（二）", "body": "第一行\n我校举办读书月。\n第三行\n新增一行\n"}))
    refused(lambda: c("offa").get("/api/v1/reviews/%d/diff?from=1&to=2" % rid), 404)  # a draft
    ok(act("auth", rid, "submit"))
    j = ok(c("offa").get("/api/v1/reviews/%d/diff?from=1&to=2" % rid))
    pieces = j["pieces"]
    assert "".join(p["text"] for p in pieces if p["op"] != "ins") == "第一行\n我校举办读书节。\n第三行\n"
    assert "".join(p["text"] for p in pieces if p["op"] != "del") == \
        "第一行\n我校举办读书月。\n第三行\n新增一行\n"
    assert {"op": "del", "text": "节"} in pieces and {"op": "ins", "text": "月"} in pieces, pieces
    assert j["from_revision"]["n"] == 1 and j["to_revision"]["n"] == 2, j
    assert [p["op"] for p in j["title"]] == ["same", "ins"], j["title"]
    same = ok(c("auth").get("/api/v1/reviews/%d/diff?from=2&to=2" % rid))
    assert [p["op"] for p in same["pieces"]] == ["same"], same
    refused(lambda: c("auth").get("/api/v1/reviews/%d/diff?from=1&to=3" % rid), 404, field="to")
    refused(lambda: c("auth").get("/api/v1/reviews/%d/diff?from=1" % rid), 422, field="to")
    refused(lambda: c("auth").get("/api/v1/reviews/%d/diff?from=x&to=2" % rid), 400)
    refused(lambda: c("offb").get("/api/v1/reviews/%d/diff?from=1&to=2" % rid), 404)


def test_approval_form_pdf():
    rid = new(sensitive=True, title="审签单测试稿件")
    ok(act("auth", rid, "submit"))
    ok(act("offa", rid, "approve", {"opinion": "同意"}))
    r = c("lead").get("/api/v1/reviews/%d/form.pdf" % rid)
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/pdf", r.headers
    assert r.body[:5] == b"%PDF-" and len(r.body) > 1000, r.body[:20]
    assert S.audit("review.form")[-1][5] == rid
    refused(lambda: c("offb").get("/api/v1/reviews/%d/form.pdf" % rid), 404)


def test_racing_signers_sign_once():
    """Two office clerks press 通过 on the same 初审 at once: exactly one
    signature is written; the other is told the stage moved (409) or that
    the office does not sign 复审 (403)."""
    import threading
    for _ in range(3):
        rid = new(title="并发签署")
        ok(act("auth", rid, "submit"))
        results = {}

        def press(who):
            results[who] = act(who, rid, "approve", {}).status

        threads = [threading.Thread(target=press, args=(w,)) for w in ("offa", "offa2")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values())[0] == 200 and \
            sorted(results.values())[1] in (403, 409), results
        n = S.sql("SELECT count(*) FROM review_signature WHERE review_id = ?", (rid,))[0][0]
        assert n == 1, n
        assert get(rid)["state"] == "second"


def test_withdraw():
    rid = new()
    refused(lambda: act("offa", rid, "withdraw"), 404)   # a draft, not the office's to see
    ok(act("auth", rid, "submit"))
    refused(lambda: act("offa", rid, "withdraw"), 403)   # only the author withdraws
    ok(act("offa", rid, "approve", {}))
    j = ok(act("auth", rid, "withdraw"))
    assert j["state"] == "withdrawn" and j["can"]["edit"] is False, j
    refused(lambda: act("lead", rid, "approve", {}), 409)
    refused(lambda: c("auth").patch("/api/v1/reviews/%d" % rid, {"body": "改"}), 409)
    refused(lambda: act("auth", rid, "submit"), 409)


def test_signatures_are_immutable_in_the_database():
    n = S.sql("SELECT count(*) FROM review_signature")[0][0]
    assert n > 0
    for q in ("UPDATE review_signature SET opinion = '改过的意见'",
              "UPDATE review_signature SET user_id = user_id",
              "DELETE FROM review_signature"):
        try:
            S.sql(q)
        except DBError:
            pass
        else:
            raise AssertionError("the database let this through: " + q)
    assert S.sql("SELECT count(*) FROM review_signature")[0][0] == n
    assert S.sql("SELECT count(*) FROM review_signature WHERE opinion = '改过的意见'")[0][0] == 0


def test_lists_and_filters():
    mine = ok(c("auth2").get("/api/v1/reviews?mine=1"))
    assert mine["total"] == 0, mine
    new(author="auth2", title="乙的稿件")
    mine = ok(c("auth2").get("/api/v1/reviews?mine=1"))
    assert [x["title"] for x in mine["items"]] == ["乙的稿件"], mine
    all_a = ok(c("lead").get("/api/v1/reviews?org_id=%d" % IDS["A"]))
    assert all_a["total"] >= 8 and all(x["org_id"] == IDS["A"] for x in all_a["items"])
    pub = ok(c("lead").get("/api/v1/reviews?org_id=%d&state=published" % IDS["A"]))
    assert pub["total"] == 1 and pub["items"][0]["state_label"] == "已发布", pub
    tree = ok(c("rootlead").get("/api/v1/reviews?org_id=%d&subtree=1" % IDS["root"]))
    assert tree["total"] == all_a["total"], tree["total"]
    refused(lambda: c("lead").get("/api/v1/reviews?org_id=%d&subtree=1" % IDS["A"]), 403)
    refused(lambda: c("offb").get("/api/v1/reviews?org_id=%d" % IDS["A"]), 404)
    refused(lambda: c("lead").get("/api/v1/reviews"), 422, field="org_id")
    refused(lambda: c("lead").get("/api/v1/reviews?org_id=%d&state=done" % IDS["A"]), 422,
            field="state")
    assert ok(c("offb").get("/api/v1/reviews?todo=1"))["total"] == 0


def test_drafts_are_their_authors_alone():
    rid = new(author="auth2", title="尚未提交的草稿")
    assert get(rid, "auth2")["state"] == "draft"
    # Nobody else in the unit or above reads a draft never submitted, in
    # the list or alone, and the office cannot act on it.
    for who in ("auth", "offa", "lead", "secr", "view", "rootlead"):
        refused(lambda: c(who).get("/api/v1/reviews/%d" % rid), 404, field="id")
        refused(lambda: c(who).get("/api/v1/reviews/%d/form.pdf" % rid), 404)
        lst = ok(c(who).get("/api/v1/reviews?org_id=%d&state=draft" % IDS["A"]))
        assert rid not in [x["id"] for x in lst["items"]], (who, lst)
    tree = ok(c("rootlead").get("/api/v1/reviews?org_id=%d&subtree=1" % IDS["root"]))
    assert rid not in [x["id"] for x in tree["items"]]
    refused(lambda: act("offa", rid, "approve", {"opinion": "同意"}), 404)
    # Its author lists it among the unit's.
    lst = ok(c("auth2").get("/api/v1/reviews?org_id=%d&state=draft" % IDS["A"]))
    assert rid in [x["id"] for x in lst["items"]], lst
    # Submitted, the unit reads it; returned to its author, it stays readable.
    ok(act("auth2", rid, "submit"))
    assert get(rid, "offa")["state"] == "first"
    ok(act("offa", rid, "return", {"opinion": "请补充活动时间"}))
    assert get(rid, "lead")["state"] == "returned"
    lst = ok(c("lead").get("/api/v1/reviews?org_id=%d&state=returned" % IDS["A"]))
    assert rid in [x["id"] for x in lst["items"]], lst


def remind():
    today = datetime.date.today().isoformat()
    return json.loads(S.cli("remind", "--today", today, "--no-deliver").stdout)


def review_keys():
    return sorted(r[0] for r in S.sql(
        "SELECT event_key FROM notice WHERE event_key LIKE 'review:%'"))


def test_stage_time_limits_remind():
    rid = new(title="时限测试稿件")
    ok(act("auth", rid, "submit"))
    remind()
    assert [k for k in review_keys() if k.startswith("review:%d:" % rid)] == []
    S.sql("UPDATE review SET stage_at = stage_at - 19 * 3600 WHERE id = ?", (rid,))
    remind()
    keys = [k for k in review_keys() if k.startswith("review:%d:" % rid)]
    assert keys == ["review:%d:1:first:due" % rid], keys
    S.sql("UPDATE review SET stage_at = stage_at - 6 * 3600 WHERE id = ?", (rid,))
    remind()
    remind()
    keys = [k for k in review_keys() if k.startswith("review:%d:" % rid)]
    assert keys == ["review:%d:1:first:due" % rid, "review:%d:1:first:overdue" % rid], keys
    assert get(rid)["overdue"] is True
    kinds = S.sql("SELECT kind, link FROM notice WHERE event_key = ?",
                  ("review:%d:1:first:overdue" % rid,))
    assert kinds == [("review_overdue", "/reviews/%d" % rid)], kinds
    notes = ok(c("offa").get("/api/v1/notices"))["items"]
    assert any(n["kind"] == "review_overdue" and "时限测试稿件" in n["title"] for n in notes), notes
    assert not any("时限测试稿件" in n["title"] for n in ok(c("offb").get("/api/v1/notices"))["items"])
    # Signed: the next stage has a clock of its own, the old one is silent.
    ok(act("offa", rid, "approve", {}))
    n = len(review_keys())
    remind()
    assert len(review_keys()) == n


# ---- files ----

BOUNDARY = "zrz-review-boundary"


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


def upload(who, rid, files):
    return c(who).request("POST", "/api/v1/reviews/%d/attachments" % rid, raw=multipart(files),
                          headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})


def detach(who, rid, aid):
    return c(who).delete("/api/v1/reviews/%d/attachments/%d" % (rid, aid))


def test_attachments_upload_list_download():
    rid = new(title="附件测试稿件")
    assert get(rid)["attachments"] == []
    data = png(1)
    j = ok(upload("auth", rid, [("活动照片 1.png", data)]), 201)
    f = j["items"][0]
    assert (f["name"], f["mime"], f["size"], f["duplicate"]) == \
        ("活动照片 1.png", "image/png", len(data), False), f
    assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["revision"] == 2, f
    # A file is part of what is signed: adding it makes a revision.
    assert j["review"]["revision"] == 2 and j["review"]["state"] == "draft", j["review"]
    d = get(rid)
    assert [(a["id"], a["name"], a["size"], a["mime"]) for a in d["attachments"]] == \
        [(f["id"], "活动照片 1.png", len(data), "image/png")], d["attachments"]
    assert [v["n"] for v in d["revisions"]] == [1, 2], d["revisions"]
    # The same content again is no new file and no new revision.
    j = ok(upload("auth", rid, [("again.png", data)]), 201)
    assert j["items"][0]["duplicate"] is True and j["items"][0]["id"] == f["id"], j
    assert j["review"]["revision"] == 2, j["review"]
    # A draft's files are its author's alone, as the draft is.
    refused(lambda: c("offa").get("/api/v1/reviews/%d/attachments" % rid), 404)
    refused(lambda: c("offa").get("/api/v1/review-attachments/%d" % f["id"]), 404)
    ok(act("auth", rid, "submit"))
    # Once submitted, everyone who reads it lists and downloads its files.
    for who in ("auth", "offa", "view", "rootlead"):
        lst = ok(c(who).get("/api/v1/reviews/%d/attachments" % rid))
        assert lst["total"] == 1 and lst["items"][0]["id"] == f["id"], lst
        r = c(who).get("/api/v1/review-attachments/%d" % f["id"])
        assert r.status == 200 and r.body == data, r
    r = c("view").get("/api/v1/review-attachments/%d" % f["id"])
    assert r.header("Content-Type").startswith("image/png"), r.headers
    assert r.header("Content-Disposition") == \
        "attachment; filename*=UTF-8''%E6%B4%BB%E5%8A%A8%E7%85%A7%E7%89%87%201.png", r.headers
    etag = r.header("ETag")
    assert etag == '"%s"' % f["sha256"], etag
    r = c("view").request("GET", "/api/v1/review-attachments/%d" % f["id"],
                          headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b"", r
    refused(lambda: c("offb").get("/api/v1/reviews/%d/attachments" % rid), 404)
    refused(lambda: c("offb").get("/api/v1/review-attachments/%d" % f["id"]), 404)
    refused(lambda: c("auth").get("/api/v1/review-attachments/999999"), 404)
    # Two files in one upload are one edit.
    j = ok(upload("auth", rid, [("二.png", png(2)), ("三.png", png(3))]), 201)
    assert [x["revision"] for x in j["items"]] == [3, 3] and j["review"]["revision"] == 3, j
    # Removing one: gone from the list, still a revision, removed twice: 404.
    ok(detach("auth", rid, j["items"][0]["id"]))
    d = get(rid)
    assert [a["name"] for a in d["attachments"]] == ["活动照片 1.png", "三.png"], d
    assert d["revision"] == 4, d
    refused(lambda: detach("auth", rid, j["items"][0]["id"]), 404, field="aid")
    refused(lambda: c("auth").get("/api/v1/review-attachments/%d" % j["items"][0]["id"]), 404)
    refused(lambda: detach("auth", rid, 999999), 404, field="aid")
    # The same content twice in one upload is one file.
    j = ok(upload("auth", rid, [("四.png", png(4)), ("四（副本）.png", png(4))]), 201)
    assert [x["duplicate"] for x in j["items"]] == [False, True], j
    assert j["items"][0]["id"] == j["items"][1]["id"] and j["review"]["revision"] == 5, j
    assert [a["name"] for a in get(rid)["attachments"]] == ["活动照片 1.png", "三.png", "四.png"]
    # The approval form names the live files, in order.
    r = c("offa").get("/api/v1/reviews/%d/form.pdf" % rid)
    assert r.status == 200, r
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=r.body,
                                  capture_output=True, check=True).stdout.decode().split())
    for name in ("附件", "1.活动照片1.png", "2.三.png", "3.四.png"):
        assert name in text, (name, text)
    assert "二.png" not in text, text
    creates = [json.loads(r[6]) for r in S.audit("review_attachment.create")
               if json.loads(r[6])["review_id"] == rid]
    assert [x["name"] for x in creates] == ["活动照片 1.png", "二.png", "三.png", "四.png"], creates
    assert [json.loads(r[6])["name"] for r in S.audit("review_attachment.delete")
            if json.loads(r[6])["review_id"] == rid] == ["二.png"]


def too_big(rid):
    """A request announcing a body over the 20 MiB upload cap: refused
    before any of it is sent."""
    s = socket.create_connection(("127.0.0.1", S.port), timeout=10)
    try:
        cl = c("auth")
        s.sendall(("POST /api/v1/reviews/%d/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Connection: close\r\nCookie: zrz_session=%s\r\nX-CSRF-Token: %s\r\n"
                   "Content-Type: multipart/form-data; boundary=%s\r\n"
                   "Content-Length: %d\r\n\r\n"
                   % (rid, cl.cookie, cl.csrf, BOUNDARY, 20 * 1024 * 1024 + 1)).encode())
        buf = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
        head, _, rest = buf.partition(b"\r\n\r\n")
        return int(head.split(b" ")[1]), rest
    finally:
        s.close()


def test_attachment_refusals():
    rid = new(title="附件拒绝稿件")
    refused(lambda: upload("auth", rid, [("说明.png", b"just text\n")]), 415,
            "unsupported_media_type")
    refused(lambda: upload("auth", rid, [("空.png", b"")]), 422)
    before = S.counts()
    status, body = too_big(rid)
    assert status == 413 and b'"payload_too_large"' in body, (status, body[:300])
    assert S.counts() == before
    # Only the author adds or removes a file.  A draft: nobody else learns
    # it exists; submitted, its readers are told they may not, others still
    # learn nothing.
    refused(lambda: upload("offa", rid, [("a.png", png(5))]), 404)
    ok(act("auth", rid, "submit"))
    refused(lambda: upload("auth2", rid, [("a.png", png(5))]), 403)
    refused(lambda: upload("offa", rid, [("a.png", png(5))]), 403)
    refused(lambda: upload("offb", rid, [("a.png", png(5))]), 404)
    f = ok(upload("auth", rid, [("a.png", png(5))]), 201)["items"][0]
    refused(lambda: detach("offa", rid, f["id"]), 403)
    refused(lambda: detach("offb", rid, f["id"]), 404)
    other = new(title="另一篇稿件")
    refused(lambda: detach("auth", other, f["id"]), 404, field="aid")
    # Approved, published, withdrawn: no file changes any more.  (The
    # author's upload above restarted the review at 初审.)
    assert get(rid)["state"] == "first"
    ok(act("offa", rid, "approve", {}))
    ok(act("lead", rid, "approve", {}))
    assert get(rid)["state"] == "approved"
    refused(lambda: upload("auth", rid, [("b.png", png(6))]), 409, "conflict", "state")
    refused(lambda: detach("auth", rid, f["id"]), 409, "conflict", "state")
    ok(act("auth", other, "withdraw"))
    refused(lambda: upload("auth", other, [("b.png", png(6))]), 409, "conflict", "state")
    # Garbage instead of a form.
    draft = new(title="第三篇稿件")
    refused(lambda: c("auth").request("POST", "/api/v1/reviews/%d/attachments" % draft,
                                      raw=b"x", headers={"Content-Type": "text/plain"}), 415)
    wrong = multipart([("a.png", png(9))]).replace(b'name="file"', b'name="photo"')
    refused(lambda: c("auth").request("POST", "/api/v1/reviews/%d/attachments" % draft,
                                      raw=wrong, headers={
                                          "Content-Type": "multipart/form-data; boundary="
                                          + BOUNDARY}), 400, field="file")
    assert get(draft)["attachments"] == []


def test_attachment_after_signature_restarts_the_review():
    rid = new(title="签后加附件稿件")
    ok(act("auth", rid, "submit"))
    # At 初审 before anyone signed: a new revision, the same round.
    j = ok(upload("auth", rid, [("签到表.png", png(7))]), 201)["review"]
    assert (j["state"], j["round"], j["revision"]) == ("first", 1, 2), j
    ok(act("offa", rid, "approve", {"opinion": "同意"}))
    assert get(rid)["state"] == "second"
    j = ok(upload("auth", rid, [("补充照片.png", png(8))]), 201)["review"]
    assert (j["state"], j["round"], j["revision"]) == ("first", 2, 3), j
    d = get(rid)
    assert all(s["signature"] is None for s in d["stages"]), d["stages"]
    assert [(s["round"], s["current"]) for s in d["signatures"]] == [(1, False)], d
    assert [(a["name"], a["revision"]) for a in d["attachments"]] == \
        [("签到表.png", 2), ("补充照片.png", 3)], d["attachments"]
    det = [json.loads(r[6]) for r in S.audit("review.update") if r[5] == rid][-1]
    assert det["restarted"] is True and det["voided"] == 1 and det["files_added"] == 1, det
    refused(lambda: act("lead", rid, "approve", {}), 403)   # back at 初审
    # Removing a file after a signature restarts it too.
    ok(act("offa", rid, "approve", {}))
    j = ok(detach("auth", rid, d["attachments"][0]["id"]))
    assert (j["state"], j["round"], j["revision"]) == ("first", 3, 4), j
    assert [a["name"] for a in j["attachments"]] == ["补充照片.png"], j["attachments"]
    det = [json.loads(r[6]) for r in S.audit("review.update") if r[5] == rid][-1]
    assert det["restarted"] is True and det["files_removed"] == 1, det
    # A duplicate after a signature changes nothing.
    ok(act("offa", rid, "approve", {}))
    j = ok(upload("auth", rid, [("again.png", png(8))]), 201)
    assert j["items"][0]["duplicate"] is True and j["review"]["state"] == "second", j

TESTS = [
    test_config_defaults_and_who_may_change_them,
    test_create_rules,
    test_plain_submission_two_stages_then_published,
    test_self_approval_refused,
    test_one_person_never_signs_two_stages,
    test_sensitive_needs_final_by_the_secretary,
    test_channel_or_unit_may_require_final,
    test_return_needs_an_opinion_and_goes_back_to_the_author,
    test_edit_after_signature_restarts_the_review,
    test_diff_between_revisions,
    test_approval_form_pdf,
    test_racing_signers_sign_once,
    test_withdraw,
    test_signatures_are_immutable_in_the_database,
    test_lists_and_filters,
    test_stage_time_limits_remind,
    test_drafts_are_their_authors_alone,
    test_attachments_upload_list_download,
    test_attachment_refusals,
    test_attachment_after_signature_restarts_the_review,
]

if __name__ == "__main__":
    setup()
    try:
        code = run(TESTS)
        S.stop()
    finally:
        S.cleanup()
    sys.exit(code)
