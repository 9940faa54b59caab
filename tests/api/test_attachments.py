#!/usr/bin/env python3
"""API tests of ledger attachments: upload with multipart/form-data (PNG,
JPEG, PDF, DOCX and XLSX built here at test time), the type decided by
content (a shell script or a program named .jpg, a plain ZIP: 415, nothing
stored), the upload cap (413 before the body is read, and for a chunked
body that grows past it; nothing stored), one stored content however often
the same bytes are uploaded, download of the same bytes with the right
headers (Content-Disposition with the UTF-8 name, nosniff, ETag and 304),
scope (another unit's users get 404, a viewer lists and downloads but may
not upload or remove: 403), removal (soft, audited) and the records list's
has_attachments filter and attachments count.

    python3 tests/api/test_attachments.py   (ZRZ_BIN selects the binary,
                                             ZRZ_PG runs it on PostgreSQL)
"""

import hashlib
import io
import os
import socket
import struct
import sys
import zipfile
import zlib
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, run  # noqa: E402

S = None
SMALL = None  # a second server with --max-upload 65536
IDS = {}
CLIENTS = {}
RECORDS = "/api/v1/records"


# ---- files, built at test time ----

def png(w=4, h=3, seed=0, pad=0, alpha=False, declared=None):
    """An RGB (RGBA) PNG of w x h; declared=(W, H) writes another size in
    its header than the pixels it holds."""
    bpp = 4 if alpha else 3
    raw = b"".join(b"\x00" + bytes((x * 40 + y * 7 + seed) % 256 for x in range(w * bpp))
                   for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    dw, dh = declared or (w, h)
    ihdr = struct.pack(">IIBBBBB", dw, dh, 8, 6 if alpha else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b"") + b"\x00" * pad)


def image_size(data):
    """(width, height) of a PNG or a baseline/progressive JPEG."""
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    assert data.startswith(b"\xff\xd8"), data[:4]
    i = 2
    while i < len(data):
        assert data[i] == 0xFF, i
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    raise AssertionError("no SOF marker")


def jpeg():
    return (bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + b"\xff\xdb\x00\x43\x00"
            + bytes(range(64)) + b"\xff\xd9")


def pdf(text="台账"):
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + text.encode() +
            b"\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def ooxml(main_type, part, first="[Content_Types].xml"):
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxml'
             'formats.org/package/2006/content-types"><Default Extension="xml" ContentType='
             '"application/xml"/><Override PartName="/%s" ContentType="%s"/></Types>'
             % (part, main_type))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        if first != "[Content_Types].xml":
            z.writestr(first, "<x/>")
        z.writestr("[Content_Types].xml", types)
        z.writestr(part, "<root/>")
    return b.getvalue()


def docx():
    return ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                 ".main+xml", "word/document.xml", first="docProps/app.xml")


def xlsx():
    return ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                 "xl/workbook.xml")


def plain_zip():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("notes.txt", "hello")
    return b.getvalue()


def elf():
    with open("/bin/true", "rb") as f:
        return f.read()


# ---- multipart ----

BOUNDARY = "----zrzTestBoundary7MA4YWxkTrZu0gW"


def multipart(files, boundary=BOUNDARY):
    """files: (field, filename, bytes[, content type]) tuples."""
    out = b""
    for f in files:
        field, name, data = f[0], f[1], f[2]
        ctype = f[3] if len(f) > 3 else "application/octet-stream"
        disp = 'form-data; name="%s"' % field
        if name is not None:
            disp += '; filename="%s"' % name.replace('"', "%22")
        out += ("--%s\r\nContent-Disposition: %s\r\nContent-Type: %s\r\n\r\n"
                % (boundary, disp, ctype)).encode("utf-8") + data + b"\r\n"
    return out + ("--%s--\r\n" % boundary).encode()


def upload(client, record, files, **kw):
    return client.request("POST", "%s/%d/attachments" % (RECORDS, record),
                          raw=multipart(files),
                          headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
                          **kw)


# ---- helpers ----

def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    assert (r.header("Content-Type") or "").startswith("application/json"), r.headers
    e = r.json["error"]
    assert e["code"] == code, "want code %s, got %r" % (code, r)
    assert isinstance(e["message"], str) and e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)
    return e


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def unchanged(fn, srv=None):
    srv = srv or S
    before = srv.counts()
    out = fn()
    after = srv.counts()
    assert before == after, "rows changed: %r" % {
        t: (before.get(t), after.get(t)) for t in set(before) | set(after)
        if before.get(t) != after.get(t)}
    return out


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def new_record(org, title="意识形态工作专题会议", date="2023-03-05"):
    return ok(c("office_a" if org == IDS["a"] else "office_b").post(
        RECORDS, {"org_id": org, "kind": "special_meeting", "date": date, "title": title}),
        201)["id"]


def contents(sha=None):
    if sha:
        return S.sql("SELECT count(*) FROM attachment_content WHERE sha256 = ?", (sha,))[0][0]
    return S.sql("SELECT count(*) FROM attachment_content")[0][0]


def setup():
    global S
    S = Server()
    IDS["root"] = S.add_org("市教育局党委", kind="committee")
    IDS["a"] = S.add_org("第一中学党支部", parent=IDS["root"], kind="branch")
    IDS["b"] = S.add_org("第二中学党支部", parent=IDS["root"], kind="branch")
    S.add_user(IDS["a"], "office_a", "office")
    S.add_user(IDS["a"], "viewer_a", "viewer")
    S.add_user(IDS["b"], "office_b", "office")
    S.add_user(IDS["root"], "sec_root", "secretary", "subtree")
    S.start()
    IDS["r1"] = new_record(IDS["a"], "第一季度专题会议")
    IDS["r2"] = new_record(IDS["a"], "第二季度专题会议", "2023-05-06")
    IDS["r3"] = new_record(IDS["a"], "没有附件的会议", "2023-06-07")
    IDS["rb"] = new_record(IDS["b"])


# ---- tests ----

def test_upload_and_list():
    photo, minutes = png(seed=1), pdf("第一次")
    r = upload(c("office_a"), IDS["r1"], [("file", "签到表.png", photo, "image/png"),
                                          ("file", "会议记录.pdf", minutes, "application/pdf")])
    j = ok(r, 201)
    assert j["total"] == 2, j
    a, b = j["items"]
    assert (a["name"], a["mime"], a["size"]) == ("签到表.png", "image/png", len(photo)), a
    assert a["sha256"] == hashlib.sha256(photo).hexdigest(), a
    assert (b["name"], b["mime"]) == ("会议记录.pdf", "application/pdf"), b
    assert a["record_id"] == IDS["r1"] and a["duplicate"] is False, a
    assert a["has_thumbnail"] is True and b["has_thumbnail"] is False, j
    IDS["photo"], IDS["minutes"] = a["id"], b["id"]
    lst = ok(c("office_a").get("%s/%d/attachments" % (RECORDS, IDS["r1"])))
    assert [x["id"] for x in lst["items"]] == [a["id"], b["id"]], lst
    assert lst["items"][0]["created_at"].endswith("+08:00"), lst
    rec = ok(c("office_a").get("%s/%d" % (RECORDS, IDS["r1"])))
    assert rec["attachments"] == 2, rec
    audit = S.audit("attachment.create")
    assert len(audit) == 2 and audit[0][4] == "attachment" and audit[0][5] == a["id"], audit
    assert S.sql("SELECT count(*) FROM record_attachment WHERE record_id = ?",
                 (IDS["r1"],))[0][0] == 2
    assert S.cli("audit", "verify").returncode == 0


def test_office_formats_accepted_by_content():
    cases = [("照片.JPG", jpeg(), "image/jpeg"),
             ("总结.docx", docx(), "application/vnd.openxmlformats-officedocument."
              "wordprocessingml.document"),
             # the name does not decide: an .xlsx sent as "名单" is still Excel
             ("名单", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    for name, data, mime in cases:
        j = ok(upload(c("office_a"), IDS["r2"], [("file", name, data, "text/plain")]), 201)
        assert j["items"][0]["mime"] == mime, (name, j)
    # Old browsers send whole paths; only the last part is the name.
    j = ok(upload(c("office_a"), IDS["r2"], [("file", "C:\\Users\\王丽\\学习.png", png(seed=2))]),
           201)
    assert j["items"][0]["name"] == "学习.png", j
    # RFC 5987 names win over the plain one.
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"; "
            "filename*=UTF-8''%s\r\n\r\n" % (BOUNDARY, quote("党课 照片.png"))).encode() \
        + png(seed=3) + ("\r\n--%s--\r\n" % BOUNDARY).encode()
    r = c("office_a").request("POST", "%s/%d/attachments" % (RECORDS, IDS["r2"]), raw=body,
                              headers={"Content-Type": "multipart/form-data; boundary=\"%s\""
                                       % BOUNDARY})
    assert ok(r, 201)["items"][0]["name"] == "党课 照片.png", r


def test_wrong_type_415_nothing_stored():
    for name, data in [("照片.jpg", b"#!/bin/sh\necho hello\n"), ("照片.jpg", elf()),
                       ("资料.docx", plain_zip()), ("说明.txt", "说明文字".encode())]:
        r = unchanged(lambda: upload(c("office_a"), IDS["r3"], [("file", name, data,
                                                                 "image/jpeg")]))
        e = check_error(r, 415, "unsupported_media_type", "file")
        assert name in e["message"], e
    # One bad file refuses the whole request: the good one is not stored either.
    r = unchanged(lambda: upload(c("office_a"), IDS["r3"], [
        ("file", "好.png", png(seed=9)), ("file", "坏.jpg", b"MZ\x90\x00not a picture")]))
    e = check_error(r, 415, "unsupported_media_type", "file")
    assert "坏.jpg" in e["message"], e
    assert ok(c("office_a").get("%s/%d" % (RECORDS, IDS["r3"])))["attachments"] == 0


def raw_request(port, head, body=b"", chunks=None):
    """Send a request on a socket of our own (the server may answer before
    reading the body); return (status, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        s.sendall(head)
        try:
            if chunks:
                for piece in chunks:
                    s.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                s.sendall(b"0\r\n\r\n")
            elif body:
                s.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        buf = b""
        while True:
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                break
            if not d:
                break
            buf += d
        head_out, _, rest = buf.partition(b"\r\n\r\n")
        return int(head_out.split(b" ")[1]), rest
    finally:
        s.close()


def test_too_big_413_nothing_stored():
    cl = SMALL["office"]
    rec = SMALL["record"]
    path = "%s/%d/attachments" % (RECORDS, rec)
    # Just under the cap works.
    ok(upload(cl, rec, [("file", "小.png", png(pad=60000))]), 201)

    def head(extra):
        return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                "Cookie: zrz_session=%s\r\nX-CSRF-Token: %s\r\n"
                "Content-Type: multipart/form-data; boundary=%s\r\n%s\r\n"
                % (path, cl.cookie, cl.csrf, BOUNDARY, extra)).encode()
    body = multipart([("file", "大.png", png(pad=70000))])
    before = SMALL["srv"].counts()
    status, out = raw_request(SMALL["srv"].port, head("Content-Length: %d\r\n" % len(body)), body)
    assert status == 413 and b'"payload_too_large"' in out, (status, out[:300])
    # Without a Content-Length the cap is found while reading.
    step = 8192
    status, out = raw_request(SMALL["srv"].port, head("Transfer-Encoding: chunked\r\n"),
                              chunks=[body[i:i + step] for i in range(0, len(body), step)])
    assert status == 413 and b'"payload_too_large"' in out, (status, out[:300])
    assert SMALL["srv"].counts() == before
    # The default cap of the main server is 20 MiB: announced bigger, refused
    # before a byte of the body is sent.
    status, out = raw_request(S.port, ("POST %s/%d/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                       "Content-Type: multipart/form-data; boundary=x\r\n"
                                       "Content-Length: %d\r\n\r\n"
                                       % (RECORDS, IDS["r3"], 20 * 1024 * 1024 + 1)).encode())
    assert status == 413 and b'"payload_too_large"' in out, (status, out[:300])


def test_same_file_stored_once():
    data = png(seed=42)
    sha = hashlib.sha256(data).hexdigest()
    first = ok(upload(c("office_a"), IDS["r1"], [("file", "合影.png", data)]), 201)["items"][0]
    second = ok(upload(c("office_a"), IDS["r2"], [("file", "合影-副本.png", data)]),
                201)["items"][0]
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"] == sha
    assert contents(sha) == 1
    links = S.sql("SELECT count(*) FROM record_attachment WHERE sha256 = ?", (sha,))[0][0]
    assert links == 2, links
    # The same bytes again on the same record: the attachment it has already.
    total = contents()
    again = ok(upload(c("office_a"), IDS["r1"], [("file", "合影.png", data)]), 201)["items"][0]
    assert again["id"] == first["id"] and again["duplicate"] is True, again
    assert contents() == total
    assert S.sql("SELECT count(*) FROM record_attachment WHERE sha256 = ?", (sha,))[0][0] == 2
    # Another unit's record with the same bytes still shares the content.
    ok(upload(c("office_b"), IDS["rb"], [("file", "照片.png", data)]), 201)
    assert contents(sha) == 1


def test_download():
    photo = png(seed=1)
    r = c("office_a").get("/api/v1/attachments/%d" % IDS["photo"])
    assert r.status == 200, r
    assert r.body == photo
    assert r.header("Content-Type") == "image/png", r.headers
    assert r.header("X-Content-Type-Options") == "nosniff", r.headers
    assert r.header("Content-Disposition") == \
        "attachment; filename*=UTF-8''" + quote("签到表.png", safe=""), r.headers
    etag = r.header("ETag")
    assert etag == '"%s"' % hashlib.sha256(photo).hexdigest(), r.headers
    r = c("office_a").get("/api/v1/attachments/%d" % IDS["photo"],
                          headers={"If-None-Match": etag})
    assert r.status == 304 and r.body == b"", r
    r = c("viewer_a").get("/api/v1/attachments/%d" % IDS["minutes"])
    assert r.status == 200 and r.body == pdf("第一次"), r
    assert r.header("Content-Type") == "application/pdf"
    # The superior's secretary sees the subtree.
    assert c("sec_root").get("/api/v1/attachments/%d" % IDS["photo"]).status == 200


def test_thumbnails():
    cl = c("office_a")
    j = ok(upload(cl, IDS["r2"], [("file", "全景.png", png(600, 400, seed=5)),
                                  ("file", "标志.png", png(40, 300, seed=6, alpha=True)),
                                  ("file", "巨幅.png", png(8, 8, declared=(40000, 40000))),
                                  ("file", "超限.png", png(8, 8, declared=(5000, 4000)))]),
           201)
    wide, logo, huge, over = j["items"]
    assert wide["has_thumbnail"] and logo["has_thumbnail"], j
    # Declared too big (over 30,000 on a side; over 16 million pixels for
    # PNG): stored, no thumbnail, and the server did not decode it (a
    # 40000 x 40000 image would take 6 GB; the request would not be quick).
    assert huge["mime"] == "image/png" and not huge["has_thumbnail"], huge
    assert not over["has_thumbnail"], over
    r = cl.get("/api/v1/attachments/%d/thumbnail" % wide["id"])
    assert r.status == 200 and r.header("Content-Type") == "image/jpeg", r
    assert image_size(r.body) == (256, 170), image_size(r.body)
    etag = r.header("ETag")
    assert etag and etag != '"%s"' % wide["sha256"], r.headers
    r2 = cl.get("/api/v1/attachments/%d/thumbnail" % wide["id"], headers={"If-None-Match": etag})
    assert r2.status == 304, r2
    r = c("viewer_a").get("/api/v1/attachments/%d/thumbnail" % logo["id"])
    assert r.status == 200 and r.header("Content-Type") == "image/png", r
    assert image_size(r.body) == (34, 256), image_size(r.body)
    # A small photo is not enlarged.
    r = cl.get("/api/v1/attachments/%d/thumbnail" % IDS["photo"])
    assert r.status == 200 and image_size(r.body) == (4, 3), r
    check_error(cl.get("/api/v1/attachments/%d/thumbnail" % huge["id"]), 404, "not_found", "id")
    check_error(cl.get("/api/v1/attachments/%d/thumbnail" % IDS["minutes"]), 404, "not_found",
                "id")
    check_error(c("office_b").get("/api/v1/attachments/%d/thumbnail" % wide["id"]), 404,
                "not_found", "id")
    assert S.sql("SELECT count(*) FROM attachment_content WHERE sha256 = ? AND thumb IS NULL",
                 (huge["sha256"],))[0][0] == 1


def test_scope():
    path = "%s/%d/attachments" % (RECORDS, IDS["r1"])
    other = c("office_b")
    check_error(other.get(path), 404, "not_found", "id")
    check_error(other.get("/api/v1/attachments/%d" % IDS["photo"]), 404, "not_found", "id")
    check_error(unchanged(lambda: upload(other, IDS["r1"], [("file", "x.png", png(seed=5))])),
                404, "not_found", "id")
    check_error(unchanged(lambda: other.delete("%s/%d" % (path, IDS["photo"]))), 404,
                "not_found", "id")
    viewer = c("viewer_a")
    assert ok(viewer.get(path))["total"] >= 2
    check_error(unchanged(lambda: upload(viewer, IDS["r1"], [("file", "x.png", png(seed=6))])),
                403, "forbidden")
    check_error(unchanged(lambda: viewer.delete("%s/%d" % (path, IDS["photo"]))), 403,
                "forbidden")
    # An attachment named under another record is not that record's.
    check_error(unchanged(lambda: c("office_a").delete(
        "%s/%d/attachments/%d" % (RECORDS, IDS["r2"], IDS["photo"]))), 404, "not_found", "aid")
    check_error(c("office_a").get("/api/v1/attachments/999999"), 404, "not_found", "id")
    anon = S.client()
    check_error(anon.get(path), 401, "unauthorized")
    # No CSRF token: refused before anything is read.
    check_error(unchanged(lambda: upload(c("office_a"), IDS["r1"],
                                         [("file", "x.png", png(seed=7))], csrf=False)),
                403, "csrf_failed")


def test_bad_requests_write_nothing():
    cl = c("office_a")
    path = "%s/%d/attachments" % (RECORDS, IDS["r3"])
    cases = [
        ({"Content-Type": "application/json"}, b'{"file": 1}', 415, "unsupported_media_type",
         None),
        ({"Content-Type": "multipart/form-data"}, multipart([("file", "a.png", png())]), 400,
         "bad_request", None),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("file", "a.png", png())])[:-8], 400, "bad_request", None),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("comment", None, "说明".encode(), "text/plain")]), 400, "bad_request",
         "comment"),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("file", None, png())]), 422, "invalid", "file"),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("file", "空.png", b"")]), 422, "invalid", "file"),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("file", "a" * 201 + ".png", png())]), 422, "invalid", "file"),
        ({"Content-Type": "multipart/form-data; boundary=" + BOUNDARY},
         multipart([("file", "..", png())]), 422, "invalid", "file"),
    ]
    for headers, body, status, code, field in cases:
        r = unchanged(lambda: cl.request("POST", path, raw=body, headers=headers))
        check_error(r, status, code, field)
    # 21 files: more than one upload takes.
    r = unchanged(lambda: upload(cl, IDS["r3"], [("file", "%d.png" % i, png(seed=100 + i))
                                                 for i in range(21)]))
    check_error(r, 400, "bad_request")
    # A deleted record takes no attachments.
    rid = new_record(IDS["a"], "将被删除的记录")
    assert c("office_a").delete("%s/%d" % (RECORDS, rid)).status == 204
    check_error(unchanged(lambda: upload(cl, rid, [("file", "a.png", png(seed=11))])), 409,
                "conflict", "id")


def test_filter_and_delete():
    def listed(flag):
        j = ok(c("office_a").get("%s?org_id=%d&has_attachments=%s&size=200"
                                 % (RECORDS, IDS["a"], flag)))
        return {x["id"]: x["attachments"] for x in j["items"]}
    with_ = listed("1")
    assert IDS["r1"] in with_ and IDS["r2"] in with_ and IDS["r3"] not in with_, with_
    assert with_[IDS["r1"]] == S.sql("SELECT count(*) FROM record_attachment WHERE record_id = ? "
                                     "AND deleted_at IS NULL", (IDS["r1"],))[0][0]
    without = listed("0")
    assert IDS["r3"] in without and IDS["r1"] not in without, without
    everything = ok(c("office_a").get("%s?org_id=%d&size=200" % (RECORDS, IDS["a"])))
    assert everything["total"] == len(with_) + len(without)
    check_error(c("office_a").get("%s?org_id=%d&has_attachments=maybe" % (RECORDS, IDS["a"])),
                400, "bad_request", "has_attachments")
    # Remove every attachment of r1: it moves to the other side of the filter.
    path = "%s/%d/attachments" % (RECORDS, IDS["r1"])
    items = ok(c("office_a").get(path))["items"]
    before = contents()
    for it in items:
        assert c("office_a").delete("%s/%d" % (path, it["id"])).status == 204
    assert ok(c("office_a").get(path))["total"] == 0
    assert contents() == before, "contents stay (the audit trail names them)"
    check_error(unchanged(lambda: c("office_a").delete("%s/%d" % (path, items[0]["id"]))), 404,
                "not_found", "aid")
    check_error(c("office_a").get("/api/v1/attachments/%d" % items[0]["id"]), 404, "not_found")
    assert IDS["r1"] in listed("0") and IDS["r1"] not in listed("1")
    assert ok(c("office_a").get("%s/%d" % (RECORDS, IDS["r1"])))["attachments"] == 0
    deleted = S.audit("attachment.delete")
    assert len(deleted) == len(items) and deleted[0][5] == items[0]["id"], deleted
    assert S.cli("audit", "verify").returncode == 0


def main():
    global SMALL
    setup()
    small = Server(extra_args=["--max-upload", "65536"])
    try:
        org = small.add_org("第三中学党支部", kind="branch")
        small.add_user(org, "office", "office")
        small.start()
        office = small.login("office")
        r = office.post(RECORDS, {"org_id": org, "kind": "special_meeting",
                                  "date": "2023-03-05", "title": "专题会议"})
        assert r.status == 201, r
        SMALL = {"srv": small, "office": office, "record": r.json["id"]}
        rc = run([test_upload_and_list, test_office_formats_accepted_by_content,
                  test_wrong_type_415_nothing_stored, test_too_big_413_nothing_stored,
                  test_same_file_stored_once, test_download, test_thumbnails, test_scope,
                  test_bad_requests_write_nothing, test_filter_and_delete])
        small.stop()
        S.stop()
        return rc
    finally:
        small.cleanup()
        S.cleanup()


if __name__ == "__main__":
    sys.exit(main())
