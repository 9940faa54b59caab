"""Test harness for zerenzhi's API tests.

Starts the real `zerenzhi serve` on a free port of 127.0.0.1 with a fresh
database in a temporary folder, sets up units and users with the CLI (the
same commands scripts outside the project use), and speaks HTTP to it with
the standard library only.  Each test module makes one Server and uses its
helpers; `Server.stop()` checks that the server exits 0 on SIGTERM and that
AddressSanitizer reported nothing.

Environment:
  ZRZ_BIN   the binary to test (default build/zerenzhi)
  ZRZ_PG    a libpq connection string to a PostgreSQL server where the
            tests may create databases (scripts/pg-cluster starts one); when
            set, every Server runs on a fresh PostgreSQL database instead of
            a SQLite file, and sql() goes through psql
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("ZRZ_BIN", os.path.join(ROOT, "build", "zerenzhi")))
# Leaks inside cairo and fontconfig (the approval form's PDF) that
# LeakSanitizer must not report; see tests/lsan-server.supp.
os.environ.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(ROOT, "tests", "lsan-server.supp"))
PASSWORD = "Test-pass-2026"
PG = os.environ.get("ZRZ_PG")


class DBError(Exception):
    """A statement refused by the database (either engine)."""


def _pg_conninfo(dbname):
    """ZRZ_PG with another database name."""
    parts = [p for p in PG.split() if not p.startswith("dbname=")]
    return " ".join(parts + ["dbname=" + dbname])


def _pg_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def _pg_bind(query, params):
    """Replace each ? outside string literals with the next parameter."""
    out, it, in_str = [], iter(params), False
    for ch in query:
        if ch == "'":
            in_str = not in_str
        if ch == "?" and not in_str:
            out.append(_pg_literal(next(it)))
        else:
            out.append(ch)
    return "".join(out)


def _pg_value(v):
    if v == "\x1e":
        return None
    if re.fullmatch(r"-?\d+", v):
        return int(v)
    return v


def pg_sql(conninfo, query, params=()):
    """Run one statement with psql; rows as tuples (integers as int)."""
    q = _pg_bind(query, params)
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-F", "\x1f", "-P", "null=\x1e", "-d", conninfo, "-c", q],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise DBError(p.stderr.strip())
    rows = []
    for line in p.stdout.split("\n"):
        if line == "":
            continue
        rows.append(tuple(_pg_value(v) for v in line.split("\x1f")))
    return rows


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Client:
    """One logged-in (or anonymous) browser: a cookie and a CSRF token."""

    def __init__(self, server):
        self.server = server
        self.cookie = None
        self.csrf = None
        self.user = None

    def request(self, method, path, body=None, headers=None, raw=None, csrf=True, timeout=30):
        """timeout: seconds to wait for the answer; more only for requests
        that read a whole province under the sanitizers."""
        h = {}
        if self.cookie:
            h["Cookie"] = "zrz_session=" + self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            resp = Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        sc = resp.header("Set-Cookie")
        if sc and sc.startswith("zrz_session="):
            self.cookie = sc.split(";", 1)[0].split("=", 1)[1] or None
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, login, password=PASSWORD):
        r = self.post("/api/v1/session", {"login": login, "password": password})
        if r.status == 200:
            self.csrf = r.json["csrf"]
            self.user = r.json["user"]
        return r


class Server:
    """A zerenzhi server on a fresh SQLite database."""

    def __init__(self, extra_args=(), web=None, pg=None, schema_version=None):
        """schema_version: stop the new database at that schema version
        (zerenzhi init --schema-version), to rehearse upgrades."""
        self.dir = tempfile.mkdtemp(prefix="zrz-api-")
        self.pg = bool(PG) if pg is None else pg
        self.copies = []
        if self.pg:
            self.db_name = "zrz_" + os.urandom(6).hex()
            pg_sql(PG, "CREATE DATABASE " + self.db_name)
            self.db_path = None
            self.url = _pg_conninfo(self.db_name)
        else:
            self.db_path = os.path.join(self.dir, "z.db")
            self.url = "sqlite:" + self.db_path
        if schema_version:
            self.cli("init", "--schema-version", str(schema_version))
        else:
            self.cli("init")
        self.port = None
        self.proc = None
        self.extra_args = list(extra_args)
        self.web = web
        self.log_path = os.path.join(self.dir, "server.log")

    # ---- command line ----

    def cli(self, *args, stdin=None, check=True):
        cmd = [BIN, args[0]]
        rest = list(args[1:])
        # Subcommands (org add, user add, audit verify) come before options.
        while rest and not rest[0].startswith("--"):
            cmd.append(rest.pop(0))
        cmd += ["--db", self.url] + rest
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
        return p

    def add_org(self, name, parent=None, kind=None):
        args = ["org", "add", "--name", name]
        if parent:
            args += ["--parent", str(parent)]
        if kind:
            args += ["--kind", kind]
        return int(self.cli(*args).stdout.strip())

    def add_user(self, org, login, role, scope="self", name=None, password=PASSWORD,
                 temporary=False):
        args = ["user", "add", "--org", str(org), "--login", login, "--name", name or login,
                "--role", role, "--scope", scope]
        if temporary:
            args.append("--temporary")
        return int(self.cli(*args, stdin=password + "\n").stdout.strip())

    # ---- server process ----

    def start(self):
        for _ in range(5):
            self.port = free_port()
            args = [BIN, "serve", "--db", self.url, "--listen", "127.0.0.1:%d" % self.port,
                    "--threads", "2"] + self.extra_args
            if self.web:
                args += ["--web", os.path.abspath(self.web)]
            self.log = open(self.log_path, "ab")
            # Run in the temporary folder: the server must not pick up the
            # project's web/dist unless a test asks for it.
            self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, cwd=self.dir)
            deadline = time.time() + 20
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    if self.client().get("/healthz").status == 200:
                        return self
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.log.close()
        raise AssertionError("server did not start: " + self.read_log()[-2000:])

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        """Stop with SIGTERM; the server must exit 0 with nothing from ASan."""
        if not self.proc:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("server did not stop on SIGTERM")
        self.log.close()
        self.proc = None
        log = self.read_log()
        assert "ERROR: AddressSanitizer" not in log, log[-4000:]
        assert "ERROR: LeakSanitizer" not in log, log[-4000:]
        assert "runtime error:" not in log, log[-4000:]
        assert code == 0, "server exited %d: %s" % (code, log[-2000:])

    def cleanup(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
        if self.pg:
            for name in [self.db_name] + self.copies:
                try:
                    pg_sql(PG, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
                except DBError:
                    pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self):
        return Client(self)

    def login(self, login, password=PASSWORD):
        c = Client(self)
        r = c.login(login, password)
        assert r.status == 200, r
        return c

    # ---- direct database access (what an intruder with the file could do) ----

    def sql(self, query, params=()):
        if self.pg:
            return pg_sql(self.url, query, params)
        return sqlite_sql(self.db_path, query, params)

    def tables(self):
        if self.pg:
            q = ("SELECT table_name FROM information_schema.tables "
                 "WHERE table_schema = 'public' ORDER BY 1")
        else:
            q = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        return [r[0] for r in self.sql(q)]

    def counts(self):
        """Row counts of every table: a rejected request must change none."""
        tables = self.tables()
        q = " UNION ALL ".join("SELECT '%s', count(*) FROM \"%s\"" % (t, t) for t in tables)
        return {r[0]: r[1] for r in self.sql(q)}

    def drop_audit_guard(self, trigger):
        """What someone with the database's own access could do: remove one
        of the triggers that keep the audit table append-only."""
        if self.pg:
            self.sql("DROP TRIGGER %s ON audit" % trigger)
        else:
            self.sql("DROP TRIGGER %s" % trigger)

    def backup_copy(self, out):
        """Restore a file written by `zerenzhi backup` as a database of its
        own; returns (url, sql function) for it."""
        if not self.pg:
            return "sqlite:" + out, lambda q, p=(): sqlite_sql(out, q, p)
        name = "zrz_" + os.urandom(6).hex()
        pg_sql(PG, "CREATE DATABASE " + name)
        self.copies.append(name)
        info = _pg_conninfo(name)
        r = subprocess.run(["pg_restore", "--no-owner", "-d", info, out],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise DBError(r.stderr.strip())
        return info, lambda q, p=(): pg_sql(info, q, p)

    def audit(self, action=None):
        q = "SELECT seq, user_id, org_id, action, entity, entity_id, detail FROM audit"
        if action:
            return self.sql(q + " WHERE action = ? ORDER BY seq", (action,))
        return self.sql(q + " ORDER BY seq")


def sqlite_sql(path, query, params=()):
    con = sqlite3.connect(path, timeout=30)
    try:
        cur = con.execute(query, params)
        rows = cur.fetchall()
        con.commit()
        return rows
    except sqlite3.DatabaseError as e:
        raise DBError(str(e)) from e
    finally:
        con.close()


def run(tests):
    """Run test functions in order; print 'N passed, N failed'; return exit code."""
    import traceback
    passed = failed = 0
    for t in tests:
        start = time.time()
        try:
            t()
            passed += 1
            print("ok   %-50s %.2fs" % (t.__name__, time.time() - start), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0
