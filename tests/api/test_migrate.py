#!/usr/bin/env python3
"""Schema migrations and the command line's answers to bad databases.

For every earlier schema version: create a database at that version
(`zerenzhi init --schema-version N`), put data in it as that version's
tables allow, upgrade it with `zerenzhi init`, and check that the data is
intact, the schema is current and the server serves it.  Then: a database
newer than the binary, a wrong address, an unreachable server and (on
PostgreSQL) a wrong password each give a one-line error and a non-zero exit.

Runs on SQLite, or on PostgreSQL when ZRZ_PG is set (see harness.py).
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import BIN, PG, PASSWORD, Server, run  # noqa: E402


def migrations():
    """The numbered migration files of this engine, as (version, name)."""
    d = os.path.join(os.path.dirname(BIN), "..", "src", "store", "migrations",
                     "pg" if PG else "sqlite")
    d = os.path.normpath(d)
    if not os.path.isdir(d):
        d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src",
                         "store", "migrations", "pg" if PG else "sqlite")
    out = []
    for f in sorted(os.listdir(d)):
        m = re.match(r"(\d{4})_(\w+)\.sql$", f)
        if m:
            out.append((int(m.group(1)), m.group(1) + "_" + m.group(2)))
    return out


LATEST = max(v for v, _ in migrations())


def one_line_error(p):
    assert p.returncode != 0, p
    err = p.stderr.strip()
    assert err and "\n" not in err, repr(p.stderr)
    assert re.search("[\u4e00-\u9fff]", err), err
    return err


def test_migration_files_match():
    """Both engines have the same numbered steps."""
    here = os.path.dirname(os.path.abspath(__file__))
    base = os.path.join(here, "..", "..", "src", "store", "migrations")
    names = {}
    for engine in ("sqlite", "pg"):
        names[engine] = sorted(f for f in os.listdir(os.path.join(base, engine))
                               if f.endswith(".sql"))
    assert names["sqlite"] == names["pg"], names
    nums = [int(f[:4]) for f in names["sqlite"]]
    assert nums == list(range(1, len(nums) + 1)), nums


def test_upgrade_from_each_version():
    for version, name in migrations():
        if version == LATEST:
            continue
        s = Server(schema_version=version)
        try:
            have = s.sql("SELECT max(version) FROM schema_migrations")[0][0]
            assert have == version, (have, version)
            # The server refuses a database that is not current.
            p = s.cli("serve", "--listen", "127.0.0.1:1", check=False)
            assert "zerenzhi init" in one_line_error(p)
            # Data as version 1's tables hold it (every version has them).
            s.sql("INSERT INTO org (parent_id, path, name, kind, sort, created_at, updated_at)"
                  " VALUES (NULL, '/1/', '旧版本单位', 'committee', 0, 1, 1)")
            rows_before = s.sql("SELECT id, path, name FROM org")
            p = s.cli("init")
            assert "升级" in p.stdout, p.stdout
            have = s.sql("SELECT max(version) FROM schema_migrations")[0][0]
            assert have == LATEST, (have, LATEST)
            steps = s.sql("SELECT version FROM schema_migrations ORDER BY version")
            assert [r[0] for r in steps] == list(range(1, LATEST + 1)), steps
            assert s.sql("SELECT id, path, name FROM org") == rows_before
            # The upgraded database works: CLI, server, login.
            oid = s.add_org("升级后新单位", parent=rows_before[0][0])
            s.add_user(oid, "after", "office")
            s.start()
            c = s.login("after")
            r = c.get("/api/v1/orgs/%d" % oid)
            assert r.status == 200 and r.json["name"] == "升级后新单位", r
            s.stop()
            assert s.cli("audit", "verify").returncode == 0
            # Running init again changes nothing.
            p = s.cli("init")
            assert "无需升级" in p.stdout, p.stdout
        finally:
            s.cleanup()


def test_notices_survive_the_kind_change():
    """Migration 8 rebuilds SQLite's notice table (and relaxes PostgreSQL's
    check): notices, read marks and deliveries made at version 7 are all
    there afterwards, still joined, and a kind outside the old list fits."""
    s = Server(schema_version=7)
    try:
        s.sql("INSERT INTO org (id, parent_id, path, name, kind, sort, created_at, updated_at)"
              " VALUES (1, NULL, '/1/', '旧版本单位', 'committee', 0, 1, 1)")
        s.sql("INSERT INTO users (id, org_id, login, name, pass_hash, pass_changed_at,"
              " created_at, updated_at) VALUES (5, 1, 'old', '旧用户', 'x', 1, 1, 1)")
        for i, kind in ((3, "due_soon"), (4, "missed")):
            s.sql("INSERT INTO notice (id, org_id, event_key, kind, title, body, link, created_at)"
                  " VALUES (%d, 1, 'k%d', '%s', '标题%d', '内容', '/x', 10)" % (i, i, kind, i))
        s.sql("INSERT INTO notice_read (notice_id, user_id, read_at) VALUES (4, 5, 11)")
        s.sql("INSERT INTO notify_channel (id, org_id, kind, name, target, created_at, updated_at)"
              " VALUES (2, 1, 'email', '邮件', 'a@example.org', 1, 1)")
        s.sql("INSERT INTO notice_delivery (id, notice_id, channel_id, state, next_at, created_at)"
              " VALUES (9, 3, 2, 'sent', 1, 1)")
        before = s.sql("SELECT id, org_id, event_key, kind, title, link FROM notice ORDER BY id")
        s.cli("init")
        assert s.sql("SELECT max(version) FROM schema_migrations")[0][0] == LATEST
        assert s.sql("SELECT id, org_id, event_key, kind, title, link FROM notice"
                     " ORDER BY id") == before
        joined = s.sql("SELECT n.event_key FROM notice_read r JOIN notice n ON n.id = r.notice_id")
        assert [r[0] for r in joined] == ["k4"], joined
        joined = s.sql("SELECT n.event_key FROM notice_delivery d"
                       " JOIN notice n ON n.id = d.notice_id")
        assert [r[0] for r in joined] == ["k3"], joined
        s.sql("INSERT INTO notice (org_id, event_key, kind, title, body, created_at)"
              " VALUES (1, 'k-new', 'incident_overdue', '新', '新', 12)")
        if not PG:
            # The new table kept the sequence past the old rows, and every
            # foreign key of the database still finds its row.
            assert s.sql("SELECT id FROM notice WHERE event_key = 'k-new'")[0][0] > 4
            assert s.sql("PRAGMA foreign_key_check") == []
        try:
            s.sql("INSERT INTO notice (org_id, event_key, kind, title, body, created_at)"
                  " VALUES (1, 'k-bad', '', '新', '新', 12)")
        except Exception:
            pass
        else:
            raise AssertionError("an empty notice kind was accepted")
    finally:
        s.cleanup()


def test_newer_schema_refused():
    s = Server()
    try:
        s.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)")
        for args in (("init",), ("serve", "--listen", "127.0.0.1:1"), ("org", "list"),
                     ("audit", "verify")):
            err = one_line_error(s.cli(*args, check=False))
            assert "999" in err and "升级" in err, err
    finally:
        s.cleanup()


def bin_run(*args):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=60)


def test_bad_addresses():
    cases = [
        ["init", "--db", "mysql://x/y"],
        ["init", "--db", "sqlite:"],
        ["org", "list", "--db", "sqlite:/nonexistent-dir/sub/z.db"],
        ["init", "--db", "postgresql://zrz@127.0.0.1:1/zrz"],
        ["serve", "--db", "host=127.0.0.1 port=1 user=zrz dbname=zrz", "--listen",
         "127.0.0.1:1"],
    ]
    for args in cases:
        err = one_line_error(bin_run(*args))
        assert "libpq" not in err and "\t" not in err, err
    if PG:
        from harness import _pg_conninfo
        info = _pg_conninfo("postgres")
        # A wrong password (scripts/pg-cluster asks for one on 127.0.0.1).
        wrong = re.sub(r"password=\S+", "", info) + " password=wrong-pass"
        err = one_line_error(bin_run("init", "--db", wrong))
        assert "密码" in err and "wrong-pass" not in err, err
        p = bin_run("init", "--db", _pg_conninfo("nosuchdb_zrz"))
        assert "不存在" in one_line_error(p)


if __name__ == "__main__":
    _ = PASSWORD
    sys.exit(run([test_migration_files_match, test_upgrade_from_each_version,
                  test_notices_survive_the_kind_change, test_newer_schema_refused,
                  test_bad_addresses]))
