#!/usr/bin/env python3
"""Several `zerenzhi serve` processes on one database.

Two servers share the database (a PostgreSQL database when ZRZ_PG is set,
else one SQLite file): a session made through one works through the other,
writes through both at once all succeed and leave one intact audit chain,
and the lease-guarded job runs exactly once however many servers start.
On PostgreSQL, a restart of the database server costs at most the requests
in flight (503 with a JSON error); the next ones succeed.

Environment: ZRZ_BIN, ZRZ_PG (see harness.py); ZRZ_PG_DIR and ZRZ_PG_BIN
(from scripts/pg-cluster) for the restart test.
"""

import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import PASSWORD, Client, Server, run  # noqa: E402

S = None   # server A (owns the database)
B = None   # server B on the same database
IDS = {}


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def setup():
    global S, B
    # A long interval: the job may run only once during the whole test.
    S = Server(extra_args=["--job-interval", "3600"])
    IDS["root"] = S.add_org("市局党委", kind="committee")
    IDS["sys"] = S.add_user(IDS["root"], "sys", "sysadmin", "subtree")
    IDS["aud"] = S.add_user(IDS["root"], "aud", "auditor", "subtree")
    S.start()
    B = Server.__new__(Server)          # a second process on A's database
    B.__dict__.update(S.__dict__)
    B.proc = None
    B.log_path = os.path.join(S.dir, "server-b.log")
    B.start()
    assert B.port != S.port


def on(server, client):
    """The same browser (cookie, CSRF token) talking to another server."""
    c = Client(server)
    c.cookie, c.csrf, c.user = client.cookie, client.csrf, client.user
    return c


def test_job_ran_once():
    # Both servers run the scheduler at start; give them a moment.
    deadline = time.time() + 15
    while time.time() < deadline:
        rows = S.sql("SELECT count(*) FROM job_run WHERE name = 'session_purge'")[0][0]
        if rows >= 1:
            break
        time.sleep(0.2)
    time.sleep(1.5)   # a second run, if any, would have happened by now
    runs = S.sql("SELECT holder, ok FROM job_run WHERE name = 'session_purge'")
    assert len(runs) == 1, runs
    assert runs[0][1] == 1, runs
    lease = S.sql("SELECT holder, expires_at FROM lease WHERE name = 'session_purge'")
    assert len(lease) == 1 and lease[0][0] == runs[0][0], (lease, runs)
    assert lease[0][1] > time.time() + 3000, lease
    # Every job (housekeeping, compliance, reminders) ran once, audited once.
    per_job = S.sql("SELECT name, count(*) FROM job_run GROUP BY name ORDER BY name")
    assert [n for n, _ in per_job] == ["compliance_assess", "remind", "session_purge"], per_job
    assert all(n == 1 for _, n in per_job), per_job
    audit = S.sql("SELECT count(*) FROM audit WHERE action = 'job.run'")[0][0]
    assert audit == len(per_job), (audit, per_job)


def test_session_shared():
    a = S.login("sys")
    b = on(B, a)
    me = ok(b.get("/api/v1/me"))
    assert me["user"]["login"] == "sys"
    # A write through B with the token A handed out.
    org = ok(b.post("/api/v1/orgs", {"parent_id": IDS["root"], "name": "经由B新建"}), 201)
    assert ok(a.get("/api/v1/orgs/%d" % org["id"]))["name"] == "经由B新建"
    # Log out through B: A no longer accepts the session.
    r = b.delete("/api/v1/session")
    assert r.status == 204, r
    r = a.get("/api/v1/me")
    assert r.status == 401 and r.json["error"]["code"] == "unauthorized", r


def test_concurrent_writes_both_servers():
    parent = ok(S.login("sys").post("/api/v1/orgs", {"parent_id": IDS["root"],
                                                      "name": "并发写入"}), 201)
    clients = []
    for i in range(6):
        c = S.login("sys")
        clients.append(c if i % 2 == 0 else on(B, c))
    results = [[] for _ in clients]
    barrier = threading.Barrier(len(clients))

    def work(k):
        barrier.wait()
        for i in range(20):
            try:
                r = clients[k].post("/api/v1/orgs", {"parent_id": parent["id"],
                                                     "name": "单位%d-%d" % (k, i)})
                results[k].append(r.status)
            except OSError as e:
                results[k].append(repr(e))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [x for rs in results for x in rs]
    assert flat == [201] * 120, [x for x in flat if x != 201][:5]
    n = S.sql("SELECT count(*) FROM org WHERE parent_id = ?", (parent["id"],))[0][0]
    assert n == 120, n
    p = S.cli("audit", "verify", check=False)
    assert p.returncode == 0, (p.stdout, p.stderr)
    seqs = [r[0] for r in S.sql("SELECT seq FROM audit ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)), "gaps in the chain"
    v = ok(S.login("aud").get("/api/v1/audit/verify"))
    assert v["intact"] is True, v


def pg_ctl(*args):
    d = os.environ["ZRZ_PG_DIR"]
    cmd = [os.path.join(os.environ["ZRZ_PG_BIN"], "pg_ctl"), "-D", os.path.join(d, "data"),
           "-l", os.path.join(d, "server.log"), "-w", "-t", "60"] + list(args)
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    # The server it starts must not hold our pipes: no output is captured.
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=120)


def test_database_restart():
    if not S.pg or not os.environ.get("ZRZ_PG_DIR"):
        print("     (SQLite: no database server to restart)")
        return
    a = S.login("sys")
    # Every pooled connection has been used at least once.
    for _ in range(10):
        ok(a.get("/api/v1/orgs/%d" % IDS["root"]))
    pg_ctl("restart", "-m", "fast")
    statuses = []
    for _ in range(8):
        r = a.get("/api/v1/orgs/%d" % IDS["root"])
        statuses.append(r.status)
        if r.status != 200:
            assert r.status == 503, r
            assert r.json["error"]["code"] == "unavailable", r
    # At most the first request meets the dead connection; the rest succeed.
    assert statuses[-4:] == [200] * 4, statuses
    assert statuses.count(503) <= 1, statuses
    # Writes work again too, through both servers.
    ok(a.post("/api/v1/orgs", {"parent_id": IDS["root"], "name": "重启之后"}), 201)
    ok(on(B, a).post("/api/v1/orgs", {"parent_id": IDS["root"], "name": "重启之后B"}), 201)


def test_stop_both():
    B.stop()
    S.stop()


if __name__ == "__main__":
    try:
        setup()
        code = run([test_job_ran_once, test_session_shared, test_concurrent_writes_both_servers,
                    test_database_restart, test_stop_both])
    finally:
        for srv in (B, S):
            if srv and srv.proc:
                srv.proc.kill()
                srv.proc.wait()
        if S:
            S.cleanup()
    sys.exit(code)
