#!/usr/bin/env python3
"""API tests of reminders (提醒) and their delivery.

Units: a 党委 with two 支部; obligations of the 支部 that are missed, at risk
and due soon on days chosen with `zerenzhi remind --today`.  Checks that each
event makes exactly one notice, however often the job runs and when two runs
race; who sees which notice, and read marks per user; notify channels (CRUD,
scope, validation, the secret never returned); and delivery to a local HTTP
receiver standing in for the 企业微信 and 钉钉 group robots (right JSON, the
DingTalk signature), a receiver that answers 500 before 200 (retried and
logged), one that always refuses (failed after the last retry), and a local
SMTP sink (the subject decoded from RFC 2047).  Then the same through the
server: its scheduler makes the day's notices and its delivery thread sends a
test message queued by a request.

    python3 tests/api/test_notices.py     (ZRZ_BIN selects the binary,
                                           ZRZ_PG runs it on PostgreSQL)
"""

import base64
import email
import email.policy
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Server, run  # noqa: E402

# The robots and the mail server are on 127.0.0.1: no proxy may be asked.
for _k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_k, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
os.environ.pop("ZRZ_TODAY", None)

S = None
IDS = {}
CLIENTS = {}
SECRET = "SECa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
FROM = "zerenzhi@example.org"


# ---- a local robot receiver ----

class Receiver:
    """Records every POST; /wecom and /ding answer errcode 0, /flaky answers
    500 to its first two requests, /refuse always answers errcode 93000."""

    def __init__(self):
        self.posts = []
        self.lock = threading.Lock()
        self.flaky_left = 2
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                u = urlsplit(self.path)
                with outer.lock:
                    outer.posts.append({"path": u.path, "query": parse_qs(u.query),
                                        "ctype": self.headers.get("Content-Type"),
                                        "body": json.loads(body.decode("utf-8"))})
                    status, answer = 200, {"errcode": 0, "errmsg": "ok"}
                    if u.path == "/flaky" and outer.flaky_left > 0:
                        outer.flaky_left -= 1
                        status, answer = 500, {"errcode": -1, "errmsg": "busy"}
                    elif u.path == "/refuse":
                        answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def at(self, path):
        with self.lock:
            return [p for p in self.posts if p["path"] == path]


# ---- a local SMTP sink ----

class SmtpSink:
    """Just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to
    accept mail and keep it."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        f = conn.makefile("rb")

        def say(line):
            conn.sendall(line.encode() + b"\r\n")

        say("220 sink.test ESMTP")
        sender, rcpts = None, []
        try:
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line.decode("utf-8", "replace").strip()
                verb = cmd[:4].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 sink.test")
                elif verb == "MAIL":
                    sender, rcpts = cmd.split(":", 1)[1].strip(), []
                    say("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip())
                    say("250 OK")
                elif verb == "DATA":
                    say("354 end with .")
                    data = b""
                    while True:
                        ln = f.readline()
                        if not ln or ln in (b".\r\n", b".\n"):
                            break
                        if ln.startswith(b".."):
                            ln = ln[1:]
                        data += ln
                    with self.lock:
                        self.messages.append({"from": sender, "rcpt": rcpts, "data": data})
                    say("250 queued")
                elif verb in ("RSET", "NOOP"):
                    say("250 OK")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("502 no")
        finally:
            conn.close()


RECV = None
SMTP = None


# ---- helpers ----

def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    e = r.json["error"]
    assert e["code"] == code, r
    assert e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, r
    return e


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def remind(today, *extra):
    p = S.cli("remind", "--today", today, "--smtp-url", "smtp://127.0.0.1:%d" % SMTP.port,
              "--smtp-from", FROM, "--retry-delays", "60,60,60,60", *extra)
    return json.loads(p.stdout)


def keys():
    return sorted(r[0] for r in S.sql("SELECT event_key FROM notice"))


def ob_key(ob, period, kind):
    return "obligation:%d:%s:%s" % (IDS[ob], period, kind)


def deliveries(channel):
    return ok(c("off_b").get("/api/v1/notify-channels/%d/deliveries?size=200"
                             % IDS[channel]))["items"]


# ---- set-up ----

def setup():
    global S, RECV, SMTP
    RECV = Receiver()
    SMTP = SmtpSink()
    # This server's delivery thread looks once at start and then not for
    # an hour: until the last test, `zerenzhi remind` does all the sending.
    S = Server(extra_args=["--deliver-poll", "3600"])
    IDS["A"] = S.add_org("市教育局党委", kind="committee")
    IDS["B"] = S.add_org("第一中学党支部", parent=IDS["A"], kind="branch")
    IDS["C"] = S.add_org("第二中学党支部", parent=IDS["A"], kind="branch")
    IDS["D"] = S.add_org("第一中学党支部第一党小组", parent=IDS["B"])
    S.add_user(IDS["A"], "sec_a", "secretary", "subtree")
    S.add_user(IDS["A"], "admin", "sysadmin", "subtree")
    S.add_user(IDS["B"], "off_b", "office")
    S.add_user(IDS["B"], "mem_b", "member")
    S.add_user(IDS["C"], "off_c", "office")
    S.add_user(IDS["B"], "sec_b", "secretary", "subtree")
    S.start()


def test_obligations_and_channels_set_up():
    for name, org, kind, period in (("b_month", "B", "branch_committee", "month"),
                                    ("b_quarter", "B", "party_lecture", "quarter"),
                                    ("c_month", "C", "branch_committee", "month")):
        j = ok(c("sec_a").post("/api/v1/obligations", {"org_id": IDS[org], "kind": kind,
                                                       "min": 1, "period": period,
                                                       "year": 2026}), 201)
        IDS[name] = j["id"]
    # C holds its March meeting; B holds none.
    ok(c("off_c").post("/api/v1/records", {"org_id": IDS["C"], "kind": "branch_committee",
                                           "date": "2026-03-05", "title": "三月支委会"}), 201)
    chans = [("wecom", "wecom", RECV.url("/wecom?key=k1"), None),
             ("ding", "dingtalk", RECV.url("/ding?access_token=t1"), SECRET),
             ("mail", "email", "a@example.org, b@example.org", None),
             ("flaky", "wecom", RECV.url("/flaky?key=k2"), None)]
    for name, kind, target, secret in chans:
        body = {"org_id": IDS["B"], "kind": kind, "name": name, "target": target}
        if secret:
            body["secret"] = secret
        j = ok(c("off_b").post("/api/v1/notify-channels", body), 201)
        IDS[name] = j["id"]
        # A robot's address comes back without its key (short keys wholly).
        shown = target.split("=")[0] + "=****" if kind != "email" else target
        assert j["kind"] == kind and j["target"] == shown and j["active"] is True, j
        assert "secret" not in j
        assert j["secret_set"] is bool(secret)
    j = ok(c("off_b").get("/api/v1/notify-channels/%d" % IDS["ding"]))
    assert SECRET not in json.dumps(j), j
    assert j["secret_hint"] == "****" + SECRET[-4:], j
    lst = ok(c("off_b").get("/api/v1/notify-channels?org_id=%d" % IDS["B"]))
    assert lst["total"] == 4 and [x["name"] for x in lst["items"]] == \
        ["wecom", "ding", "mail", "flaky"], lst
    assert SECRET not in json.dumps(lst)
    # The secret never reaches the audit trail either.
    assert not [r for r in S.audit() if SECRET in (r[6] or "")]
    assert len(S.audit("notify_channel.create")) == 4


def test_robot_keys_are_not_shown():
    key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    url = RECV.url("/cgi-bin/webhook/send?key=%s&debug=1" % key)
    j = ok(c("off_b").post("/api/v1/notify-channels", {
        "org_id": IDS["B"], "kind": "wecom", "name": "长密钥", "target": url}), 201)
    cid = j["id"]
    want = RECV.url("/cgi-bin/webhook/send?key=****5aaa&debug=****")
    assert j["target"] == want, j
    assert ok(c("off_b").get("/api/v1/notify-channels/%d" % cid))["target"] == want
    lst = ok(c("off_b").get("/api/v1/notify-channels?org_id=%d" % IDS["B"]))
    assert key not in json.dumps(lst)
    assert not [r for r in S.audit() if key in (r[6] or "")]
    # The shown form sent back is refused, and writes nothing; a change
    # without target keeps the real address.
    before = S.counts()
    check_error(c("off_b").patch("/api/v1/notify-channels/%d" % cid, {"target": want}), 422,
                "invalid", "target")
    assert S.counts() == before
    j = ok(c("off_b").patch("/api/v1/notify-channels/%d" % cid, {"name": "长密钥机器人"}))
    assert j["target"] == want and j["name"] == "长密钥机器人", j
    assert S.sql("SELECT target FROM notify_channel WHERE id = ?", (cid,))[0][0] == url
    ok(c("off_b").delete("/api/v1/notify-channels/%d" % cid), 204)
    # A key ending in other than ASCII loses its tail whole, never half a
    # character.
    j = ok(c("off_b").post("/api/v1/notify-channels", {
        "org_id": IDS["B"], "kind": "wecom", "name": "中文密钥",
        "target": RECV.url("/w?key=abcdefgh密钥")}), 201)
    assert j["target"] == RECV.url("/w?key=****"), j
    ok(c("off_b").delete("/api/v1/notify-channels/%d" % j["id"]), 204)


def test_channel_scope():
    # Another school's office does not see B's channel; a member may not manage it.
    check_error(c("off_c").get("/api/v1/notify-channels/%d" % IDS["wecom"]), 404, "not_found")
    check_error(c("off_c").get("/api/v1/notify-channels?org_id=%d" % IDS["B"]), 404,
                "not_found")
    check_error(c("mem_b").get("/api/v1/notify-channels/%d" % IDS["wecom"]), 403, "forbidden")
    check_error(c("mem_b").post("/api/v1/notify-channels",
                                {"org_id": IDS["B"], "kind": "wecom", "name": "x",
                                 "target": RECV.url("/x")}), 403, "forbidden")
    check_error(c("off_c").post("/api/v1/notify-channels/%d/test" % IDS["wecom"]), 404,
                "not_found")
    # The superior's secretary (subtree) and the system administrator may.
    ok(c("sec_a").get("/api/v1/notify-channels/%d" % IDS["wecom"]))
    ok(c("admin").get("/api/v1/notify-channels?org_id=%d" % IDS["B"]))


def test_first_run_creates_each_event_once():
    out = remind("2026-03-20")
    want = sorted([ob_key("b_month", "2026-02", "missed"),
                   ob_key("b_month", "2026-03", "at_risk"),
                   ob_key("b_quarter", "2026-Q1", "at_risk"),
                   ob_key("c_month", "2026-02", "missed")])
    assert keys() == want, keys()
    assert out["notices"] == 4 and out["today"] == "2026-03-20", out
    # Three notices of B, four channels of B; C has none.
    assert out["deliveries"] == 12, out
    assert len(S.audit("notice.create")) == 4
    again = remind("2026-03-20")
    assert again["notices"] == 0 and again["deliveries"] == 0, again
    assert keys() == want


def test_later_days_add_only_new_events():
    out = remind("2026-03-26")
    assert out["notices"] == 2, out
    assert ob_key("b_month", "2026-03", "due_soon") in keys()
    assert ob_key("b_quarter", "2026-Q1", "due_soon") in keys()
    # C met March: nothing new for it.
    assert not [k for k in keys() if k.startswith("obligation:%d:2026-03" % IDS["c_month"])]
    assert remind("2026-03-26")["notices"] == 0
    assert len(keys()) == 6


def test_two_concurrent_runs_write_each_event_once():
    base = [BIN, "remind", "--db", S.url, "--today", "2026-04-02", "--no-deliver"]
    procs = [subprocess.Popen(base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = []
    for p in procs:
        so, se = p.communicate(timeout=120)
        assert p.returncode == 0, se
        outs.append(json.loads(so))
    assert sum(o["notices"] for o in outs) == 2, outs
    assert ob_key("b_month", "2026-03", "missed") in keys()
    assert ob_key("b_quarter", "2026-Q1", "missed") in keys()
    assert len(keys()) == 8, keys()
    n = S.sql("SELECT count(*) FROM notice_delivery")[0][0]
    # 3 + 2 + 2 notices of B, to 4 channels each.
    assert n == 28, n
    assert len(S.audit("notice.create")) == 8
    assert S.cli("audit", "verify").returncode == 0


def test_who_sees_which_notice():
    def kinds_of(who):
        j = ok(c(who).get("/api/v1/notices?size=200"))
        assert j["total"] == len(j["items"])
        return sorted((x["org_id"], x["kind"]) for x in j["items"]), j

    b, jb = kinds_of("off_b")
    assert len(b) == 7 and all(o == IDS["B"] for o, _ in b), b
    assert sum(1 for _, k in b if k == "due_soon") == 2, b
    ids = [x["id"] for x in jb["items"]]
    assert ids == sorted(ids, reverse=True), "newest first"
    assert jb["unread"] == 7 and not any(x["read"] for x in jb["items"])
    first = jb["items"][0]
    assert first["title"].startswith("【") and "第一中学党支部" in first["body"], first
    assert first["link"].startswith("/ledger/compliance?org_id=%d" % IDS["B"]), first
    cc, _ = kinds_of("off_c")
    assert cc == [(IDS["C"], "missed")], cc
    # The superior sees at-risk and missed of both schools, not B's "due soon".
    a, _ = kinds_of("sec_a")
    assert len(a) == 6 and all(k != "due_soon" for _, k in a), a
    assert {o for o, _ in a} == {IDS["B"], IDS["C"]}
    # Level by level: a notice of D (below B) reaches B's secretary, whose
    # grant is a subtree one, but neither B's office (self) nor A's
    # secretary (two levels up).
    S.sql("INSERT INTO notice (org_id, event_key, kind, title, body, created_at) "
          "VALUES (?, 'test:grandchild', 'missed', '【未完成】党小组', '党小组', 0)", (IDS["D"],))
    bb, _ = kinds_of("sec_b")
    assert len(bb) == 8 and (IDS["D"], "missed") in bb, bb
    assert kinds_of("off_b")[0] == b
    assert kinds_of("sec_a")[0] == a
    # Administrators get no reminders.
    assert kinds_of("admin")[0] == []
    assert ok(c("mem_b").get("/api/v1/notices/unread-count")) == {"unread": 7}


def test_read_marks_are_per_user():
    j = ok(c("off_b").get("/api/v1/notices?size=2"))
    assert j["total"] == 7 and len(j["items"]) == 2
    nid = j["items"][1]["id"]
    r = ok(c("off_b").post("/api/v1/notices/%d/read" % nid))
    assert r == {"id": nid, "read": True, "unread": 6}, r
    # Twice is no error and writes nothing more.
    before = len(S.audit("notice.read"))
    ok(c("off_b").post("/api/v1/notices/%d/read" % nid))
    assert len(S.audit("notice.read")) == before == 1
    j = ok(c("off_b").get("/api/v1/notices?unread=1&size=200"))
    assert j["total"] == 6 and j["unread"] == 6 and nid not in [x["id"] for x in j["items"]]
    all_b = ok(c("off_b").get("/api/v1/notices?size=200"))["items"]
    assert [x["read"] for x in all_b if x["id"] == nid] == [True]
    # Another user of the same unit still has it unread.
    assert ok(c("mem_b").get("/api/v1/notices/unread-count"))["unread"] == 7
    # A notice of another school is not there for B's office.
    c_notice = ok(c("off_c").get("/api/v1/notices"))["items"][0]["id"]
    check_error(c("off_b").post("/api/v1/notices/%d/read" % c_notice), 404, "not_found", "id")
    check_error(c("off_b").post("/api/v1/notices/999999/read"), 404, "not_found")
    check_error(c("off_b").post("/api/v1/notices/%d/read" % nid, csrf=False), 403, "csrf_failed")
    r = ok(c("mem_b").post("/api/v1/notices/read-all"))
    assert r == {"marked": 7, "unread": 0}, r
    assert ok(c("mem_b").post("/api/v1/notices/read-all")) == {"marked": 0, "unread": 0}
    assert ok(c("off_b").get("/api/v1/notices/unread-count"))["unread"] == 6
    rows = S.audit("notice.read_all")
    assert len(rows) == 1 and json.loads(rows[0][6]) == {"count": 7}, rows


def test_webhooks_received():
    posts = RECV.at("/wecom")
    # Seven notices of B by now (the 2026-04-02 runs did not deliver).
    assert len(posts) == 5, len(posts)
    texts = {x["title"] + "\n" + x["body"]
             for x in ok(c("off_b").get("/api/v1/notices?size=200"))["items"]}
    for p in posts:
        assert p["body"]["msgtype"] == "text" and set(p["body"]) == {"msgtype", "text"}, p
        assert set(p["body"]["text"]) == {"content"}
        assert p["query"] == {"key": ["k1"]}, p
        assert p["ctype"].startswith("application/json")
    contents = [p["body"]["text"]["content"] for p in posts]
    assert len(set(contents)) == 5 and set(contents) <= texts, (contents, texts)
    for d in deliveries("wecom"):
        if d["state"] == "sent":
            assert d["attempts"] == 1 and d["last_status"] == 200 and d["log"][0]["ok"], d


def test_dingtalk_signed():
    posts = RECV.at("/ding")
    assert len(posts) == 5, len(posts)
    for p in posts:
        q = p["query"]
        assert q["access_token"] == ["t1"], q
        ts = q["timestamp"][0]
        assert abs(int(ts) / 1000 - time.time()) < 600, ts
        want = base64.b64encode(hmac.new(SECRET.encode(), (ts + "\n" + SECRET).encode(),
                                         hashlib.sha256).digest()).decode()
        assert q["sign"] == [want], (q, want)
        assert p["body"]["msgtype"] == "text" and p["body"]["text"]["content"]


def test_email_received_with_decoded_subject():
    msgs = SMTP.messages
    assert len(msgs) == 5, len(msgs)
    titles = {x["title"]: x["body"] for x in
              ok(c("off_b").get("/api/v1/notices?size=200"))["items"]}
    for m in msgs:
        assert m["from"] == "<%s>" % FROM, m
        assert m["rcpt"] == ["<a@example.org>", "<b@example.org>"], m
        raw = m["data"]
        assert b"=?UTF-8?B?" in raw, raw[:400]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        subject = str(msg["Subject"])
        assert subject in titles, subject
        assert msg.get_content_type() == "text/plain"
        assert msg.get_content_charset().lower() == "utf-8"
        assert titles[subject] in msg.get_content(), msg.get_content()
    d = deliveries("mail")
    assert {x["state"] for x in d} == {"sent", "pending"}
    assert all(x["last_status"] == 250 for x in d if x["state"] == "sent"), d


def test_receiver_500_then_200_retried_and_logged():
    # In the first run two deliveries got 500; they wait a minute to retry,
    # and runs before that leave them alone.
    d = [x for x in deliveries("flaky") if x["attempts"]]
    failed_first = [x for x in d if x["log"][0]["ok"] is False]
    assert len(failed_first) == 2, d
    for x in failed_first:
        assert x["log"][0]["status"] == 500 and "500" in x["log"][0]["error"], x
        assert x["state"] == "pending" and x["attempts"] == 1 and x["next_at"], x
    assert len(RECV.at("/flaky")) == 5
    # A minute passes.
    S.sql("UPDATE notice_delivery SET next_at = next_at - 61 WHERE state = 'pending'")
    out = remind("2026-04-02")
    assert out["notices"] == 0, out
    d = {x["id"]: x for x in deliveries("flaky")}
    for x in failed_first:
        y = d[x["id"]]
        assert y["state"] == "sent" and y["attempts"] == 2, y
        assert [a["ok"] for a in y["log"]] == [False, True], y
        assert [a["status"] for a in y["log"]] == [500, 200], y
        assert y["sent_at"] is not None and y["next_at"] is None
    # Every delivery of B's channels is sent now, each notice once per channel.
    assert {x["state"] for ch in ("wecom", "ding", "mail", "flaky")
            for x in deliveries(ch)} == {"sent"}
    assert len(RECV.at("/wecom")) == 7 and len(RECV.at("/ding")) == 7
    assert len(SMTP.messages) == 7
    assert len(RECV.at("/flaky")) == 9
    assert remind("2026-04-02")["attempted"] == 0


def test_channel_update_and_delete():
    path = "/api/v1/notify-channels/%d" % IDS["ding"]
    j = ok(c("off_b").patch(path, {"name": "钉钉群", "secret": None}))
    assert j["name"] == "钉钉群" and j["secret_set"] is False and j["secret_hint"] is None, j
    check_error(c("off_b").patch(path, {"kind": "email"}), 400, "bad_request")
    check_error(c("off_b").patch("/api/v1/notify-channels/%d" % IDS["wecom"],
                                 {"secret": "abc"}), 422, "invalid", "secret")
    j = ok(c("off_b").patch(path, {"active": False}))
    assert j["active"] is False
    check_error(c("off_b").post(path + "/test"), 409, "conflict")
    assert c("off_b").delete(path).status == 204
    check_error(c("off_b").get(path), 404, "not_found")
    # Its log stays in the database.
    assert S.sql("SELECT count(*) FROM notice_delivery WHERE channel_id = ?",
                 (IDS["ding"],))[0][0] == 7
    assert len([r for r in S.audit("notify_channel.update") if r[5] == IDS["ding"]]) == 2
    assert len([r for r in S.audit("notify_channel.delete") if r[5] == IDS["ding"]]) == 1


def test_server_scheduler_and_test_message():
    S.stop()
    # The first server's lease on the reminder job (taken at its start, for
    # the default interval) has run out.
    S.sql("UPDATE lease SET expires_at = 0 WHERE name = 'remind'")
    os.environ["ZRZ_TODAY"] = "2026-05-20"
    S.extra_args = ["--job-interval", "3600", "--deliver-poll", "1", "--retry-delays",
                    "1,1,1,1", "--smtp-url", "smtp://127.0.0.1:%d" % SMTP.port,
                    "--smtp-from", FROM]
    try:
        S.start()
    finally:
        os.environ.pop("ZRZ_TODAY", None)
    CLIENTS.clear()
    # The scheduler ran the reminder job before serving: B's May is at risk.
    k = keys()
    assert ob_key("b_month", "2026-05", "at_risk") in k, k
    assert ob_key("b_month", "2026-04", "missed") in k, k
    assert len([x for x in k if x.endswith("2026-05:at_risk")]) == 2, k  # B and C
    # A test message is queued by the request and sent by the delivery thread.
    r = ok(c("off_b").post("/api/v1/notify-channels/%d/test" % IDS["wecom"]), 202)
    assert r["state"] == "pending"
    refuse = ok(c("off_b").post("/api/v1/notify-channels",
                                {"org_id": IDS["B"], "kind": "wecom", "name": "坏地址",
                                 "target": RECV.url("/refuse?key=x")}), 201)["id"]
    ok(c("off_b").post("/api/v1/notify-channels/%d/test" % refuse), 202)
    deadline = time.time() + 30
    while time.time() < deadline:
        sent = [x for x in deliveries("wecom") if x["id"] == r["delivery_id"]]
        bad = ok(c("off_b").get("/api/v1/notify-channels/%d/deliveries" % refuse))["items"]
        if sent and sent[0]["state"] == "sent" and bad and bad[0]["state"] == "failed":
            break
        time.sleep(0.3)
    assert sent[0]["state"] == "sent" and sent[0]["test"] is True, sent
    assert any("测试消息" in p["body"]["text"]["content"] for p in RECV.at("/wecom"))
    b = bad[0]
    assert b["state"] == "failed" and b["attempts"] == 5, b
    assert len(b["log"]) == 5 and not any(a["ok"] for a in b["log"])
    assert "93000" in b["last_error"], b
    assert len(RECV.at("/refuse")) == 5
    assert len(S.audit("notify_channel.test")) == 2
    # The server's own run wrote each event once: the CLI on the same day adds nothing.
    assert remind("2026-05-20", "--no-deliver")["notices"] == 0
    assert S.cli("audit", "verify").returncode == 0


def test_remind_refuses_bad_options():
    before = S.sql("SELECT count(*) FROM notice")[0][0]
    for args in (["--today", "2026-02-30"], ["--today", "20260320"], ["--retry-delays", "0,60"],
                 ["--retry-delays", "60,"], ["--retry-delays", ",".join(["60"] * 9)],
                 ["--smtp-url", "http://127.0.0.1:25"], ["--smtp-from", "a@example.org\nBcc: x"],
                 ["--smtp-from", "a@example.org,b@example.org"], ["--due-days", "-1"],
                 ["--nonsense"]):
        p = S.cli("remind", *args, check=False)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert p.stderr.startswith("zerenzhi: ") or "unrecognized" in p.stderr, p.stderr
    env = dict(os.environ, ZRZ_TODAY="junk")
    p = subprocess.run([BIN, "remind", "--db", S.url], env=env, capture_output=True, text=True)
    assert p.returncode == 2 and "junk" in p.stderr, p.stderr
    assert S.sql("SELECT count(*) FROM notice")[0][0] == before


def main():
    setup()
    try:
        return run([
            test_obligations_and_channels_set_up,
            test_robot_keys_are_not_shown,
            test_channel_scope,
            test_first_run_creates_each_event_once,
            test_later_days_add_only_new_events,
            test_two_concurrent_runs_write_each_event_once,
            test_who_sees_which_notice,
            test_read_marks_are_per_user,
            test_webhooks_received,
            test_dingtalk_signed,
            test_email_received_with_decoded_subject,
            test_receiver_500_then_200_retried_and_logged,
            test_channel_update_and_delete,
            test_remind_refuses_bad_options,
            test_server_scheduler_and_test_message,
        ])
    finally:
        try:
            S.stop()
        finally:
            S.cleanup()


if __name__ == "__main__":
    sys.exit(main())
