#!/usr/bin/env python3
"""API and command-line tests of the .xlsx exports: GET /api/v1/records,
/api/v1/compliance and its rollup with format=xlsx, and zerenzhi export.
Each file is opened as what it is, a zip of XML: the sheet's title row,
Chinese headers, the rows (compared with the JSON list of the same query),
dates stored as numbers with a yyyy-mm-dd style, status fills, the frozen
pane, column widths, the autofilter and print titles; filters and scope are
those of the JSON lists; every export leaves one audit row and no file
behind; the ledger export walks more records than one page of the store.

    python3 tests/api/test_export.py       (ZRZ_BIN selects the binary,
                                            ZRZ_PG runs it on PostgreSQL)
"""

import datetime
import io
import os
import pty
import re
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Server, run  # noqa: E402

S = None
IDS = {}
CLIENTS = {}
TMP = tempfile.mkdtemp(prefix="zrz-export-tmp-")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
M = "{%s}" % NS["m"]

RECORD_HEADERS = ["序号", "单位", "日期", "类型", "标题", "地点", "主持人", "应到人数",
                  "实到人数", "参加人员", "缺席人员", "议程", "会议纪要", "决议事项"]
COMPLIANCE_HEADERS = ["序号", "记录类型", "周期类型", "周期", "开始日期", "结束日期",
                      "要求次数", "已完成次数", "完成情况"]
ROLLUP_HEADERS = COMPLIANCE_HEADERS[:1] + ["单位"] + COMPLIANCE_HEADERS[1:]
FILLS = {"已完成": "C6EFCE", "进度正常": "DDEBF7", "有风险": "FFEB9C", "未完成": "FFC7CE"}


def check_error(r, status, code, field=Ellipsis):
    assert r.status == status, "want %d %s, got %r" % (status, code, r)
    e = r.json["error"]
    assert e["code"] == code and e["message"], r
    if field is not Ellipsis:
        assert e.get("field") == field, "want field %r, got %r" % (field, r)


def ok(r, status=200):
    assert r.status == status, "want %d, got %r" % (status, r)
    return r.json


def c(name):
    if name not in CLIENTS:
        CLIENTS[name] = S.login(name)
    return CLIENTS[name]


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def excel_date(serial):
    return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(serial))).isoformat()


class Sheet:
    """The first sheet of an .xlsx: cells as Python values, with styles."""

    def __init__(self, data):
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter(M + "t")))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        fmts = {int(f.get("numFmtId")): f.get("formatCode")
                for f in styles.findall("m:numFmts/m:numFmt", NS)}
        fills = []
        for f in styles.findall("m:fills/m:fill", NS):
            fg = f.find("m:patternFill/m:fgColor", NS)
            fills.append(fg.get("rgb")[-6:] if fg is not None and fg.get("rgb") else None)
        self.xf = []
        for x in styles.findall("m:cellXfs/m:xf", NS):
            self.xf.append({"fmt": fmts.get(int(x.get("numFmtId", "0"))),
                            "fill": fills[int(x.get("fillId", "0"))],
                            "border": x.get("borderId", "0") != "0"})
        self.root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        self.rows = {}
        self.style = {}
        for row in self.root.findall("m:sheetData/m:row", NS):
            r = int(row.get("r"))
            cells = {}
            for cell in row.findall("m:c", NS):
                i = col_index(cell.get("r"))
                t = cell.get("t")
                v = cell.find("m:v", NS)
                if t == "inlineStr":
                    val = "".join(x.text or "" for x in cell.iter(M + "t"))
                elif t == "s":
                    val = shared[int(v.text)]
                elif t == "str":
                    val = v.text or ""
                elif v is not None:
                    f = float(v.text)
                    val = int(f) if f == int(f) else f
                else:
                    val = None
                cells[i] = val
                self.style[(r, i)] = self.xf[int(cell.get("s", "0"))]
            self.rows[r] = cells
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        self.defined = {d.get("name"): d.text for d in wb.iter(M + "definedName")}

    def row(self, r, n):
        return [self.rows.get(r, {}).get(i) for i in range(n)]

    def data(self, n):
        last = max(self.rows) if self.rows else 0
        return [self.row(r, n) for r in range(4, last + 1)]

    def widths(self):
        out = {}
        for col in self.root.findall("m:cols/m:col", NS):
            for i in range(int(col.get("min")), int(col.get("max")) + 1):
                out[i - 1] = float(col.get("width"))
        return out


def display_width(s):
    return max((sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)
                for line in str(s).split("\n")), default=0)


def download(client, path, name_prefix):
    r = client.get(path)
    assert r.status == 200, r
    assert r.header("Content-Type") == XLSX, r.headers
    cd = r.header("Content-Disposition")
    m = re.search(r"filename\*=UTF-8''([^;]+)", cd or "")
    assert cd.startswith("attachment;") and m, cd
    name = unquote(m.group(1))
    assert name.startswith(name_prefix) and name.endswith(".xlsx"), name
    assert m.group(1) == quote(name, safe="!#$&+-.^_`|~"), cd
    assert r.body[:2] == b"PK", r.body[:20]
    assert r.header("Cache-Control") == "no-store", r.headers
    sh = Sheet(r.body)
    sh.export_rows = int(r.header("X-Export-Rows"))
    assert sh.export_rows == (max(sh.rows) - 3 if sh.rows else 0), sh.export_rows
    return sh


# The width caps of report/export.c (characters); 50 for the others.
CAPS = {"单位": 30, "类型": 32, "地点": 24, "主持人": 12, "参加人员": 40, "缺席人员": 30,
        "议程": 40, "决议事项": 40, "记录类型": 30}


def check_layout(sh, headers, nrows, title_parts):
    n = len(headers)
    last = chr(ord("A") + n - 1)
    title = sh.rows[1][0]
    for part in title_parts:
        assert part in title, (title, part)
    assert "导出时间" in sh.rows[2][0], sh.rows[2]
    assert sh.row(3, n) == headers, sh.row(3, n)
    assert all(sh.style[(3, i)]["border"] for i in range(n))
    merges = [m.get("ref") for m in sh.root.findall("m:mergeCells/m:mergeCell", NS)]
    assert "A1:%s1" % last in merges and "A2:%s2" % last in merges, merges
    pane = sh.root.find("m:sheetViews/m:sheetView/m:pane", NS)
    assert pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "3" \
        and pane.get("topLeftCell") == "A4", ET.tostring(pane)
    af = sh.root.find("m:autoFilter", NS)
    assert af is not None and af.get("ref") == "A3:%s%d" % (last, 3 + max(nrows, 0)), \
        ET.tostring(af)
    setup = sh.root.find("m:pageSetup", NS)
    assert setup.get("orientation") == "landscape" and setup.get("fitToHeight") == "0", \
        ET.tostring(setup)
    assert sh.defined.get("_xlnm.Print_Titles", "").endswith("!$3:$3"), sh.defined
    widths = sh.widths()
    assert sorted(widths) == list(range(n)), widths
    assert len(sh.data(n)) == nrows, (len(sh.data(n)), nrows)
    # Each column is at least as wide as its header and its widest cell (capped).
    for i in range(n):
        want = max([display_width(headers[i])] +
                   [display_width(row[i]) for row in sh.data(n) if isinstance(row[i], str)])
        cap = CAPS.get(headers[i], 50)
        assert widths[i] >= min(want, cap) + 2, (headers[i], widths[i], want)
        assert widths[i] <= max(cap, display_width(headers[i]) + 3) + 3, (headers[i], widths[i])


def check_date_cell(sh, r, i, iso):
    v = sh.rows[r][i]
    assert isinstance(v, int) and excel_date(v) == iso, (r, i, v, iso)
    assert sh.style[(r, i)]["fmt"] == "yyyy-mm-dd", sh.style[(r, i)]


def exports_audited(before, who, entity, rows):
    after = S.audit("export")
    assert len(after) == before + 1, (before, after)
    seq, user_id, org_id, action, ent, entity_id, detail = after[-1]
    assert user_id == who and ent == entity and '"rows":%d' % rows in detail.replace(" ", ""), \
        after[-1]
    return org_id


def no_leftovers():
    assert os.listdir(TMP) == [], os.listdir(TMP)


# ---------------------------------------------------------------- setup

def setup():
    global S
    os.environ["TMPDIR"] = TMP
    S = Server()
    b = IDS["bureau"] = S.add_org("某市教育局", kind="committee")
    a = IDS["A"] = S.add_org("第一中学", parent=b)
    IDS["B"] = S.add_org("第二中学", parent=b)
    IDS["A1"] = S.add_org("第一中学党支部", parent=a, kind="branch")
    IDS["C"] = S.add_org("第三中学", parent=b)
    IDS["u_shuji"] = S.add_user(b, "shuji", "secretary", "subtree", name="局党委书记")
    IDS["u_offa"] = S.add_user(a, "offa", "office", "self", name="一中办公室")
    S.add_user(IDS["B"], "offb", "office", "self", name="二中办公室")
    S.add_user(a, "plain", "member", "self", name="普通党员")
    S.start()
    o = c("offa")
    recs = [
        {"kind": "special_meeting", "date": "2023-03-05", "title": "意识形态工作专题会议",
         "place": "三楼会议室", "host": "一中书记", "participants": ["张三", "李四"],
         "expected": 3, "attended": 2, "absentees": [{"name": "王五", "reason": "出差"}],
         "agenda": "学习传达上级精神", "minutes": "第一行\n第二行比较长的一行会议记录",
         "resolutions": "形成决议"},
        {"kind": "committee_study", "date": "2023-04-10", "title": "党委会研究意识形态工作"},
        {"kind": "center_group_study", "date": "2023-06-20",
         "title": "理论学习中心组专题学习=SUM(A1:A2)", "participants": ["赵六"]},
        {"kind": "special_meeting", "date": "2024-01-15", "title": "年度第一次专题会议"},
    ]
    IDS["recs"] = []
    for body in recs:
        body["org_id"] = a
        IDS["recs"].append(ok(o.post("/api/v1/records", body), 201))
    ok(c("shuji").post("/api/v1/records", {"org_id": IDS["A1"], "kind": "branch_committee",
                                           "date": "2023-05-06", "title": "支委会"}), 201)
    for ob in ({"kind": "special_meeting", "min": 2, "period": "year"},
               {"kind": "committee_study", "min": 1, "period": "quarter"}):
        ob.update(org_id=a, year=2023)
        ok(c("shuji").post("/api/v1/obligations", ob), 201)
    ok(c("shuji").post("/api/v1/obligations", {"org_id": IDS["A1"], "kind": "branch_committee",
                                               "min": 1, "period": "month", "year": 2023}), 201)


# ---------------------------------------------------------------- tests

def test_records_export():
    a = IDS["A"]
    before = len(S.audit("export"))
    sh = download(c("offa"), "/api/v1/records?org_id=%d&format=xlsx" % a, "台账_第一中学")
    check_layout(sh, RECORD_HEADERS, 4, ["台账", "第一中学"])
    assert "共 4 条" in sh.rows[2][0], sh.rows[2]
    # The rows are those of the JSON list, in its order.
    lst = ok(c("offa").get("/api/v1/records?org_id=%d&size=200" % a))
    data = sh.data(len(RECORD_HEADERS))
    assert [row[4] for row in data] == [x["title"] for x in lst["items"]], data
    assert [row[0] for row in data] == [1, 2, 3, 4]
    for r, item in enumerate(lst["items"], start=4):
        check_date_cell(sh, r, 2, item["date"])
        assert sh.rows[r][1] == "第一中学" and sh.rows[r][3] == item["kind_name"]
    full = data[-1]
    assert full[5:] == ["三楼会议室", "一中书记", 3, 2, "张三、李四", "王五（出差）",
                        "学习传达上级精神", "第一行\n第二行比较长的一行会议记录",
                        "形成决议"], full
    assert data[0][7] is None and data[0][9] is None, data[0]
    # A formula-looking title stays text.
    assert "理论学习中心组专题学习=SUM(A1:A2)" in [row[4] for row in data]
    assert exports_audited(before, IDS["u_offa"], "record", 4) == a
    no_leftovers()


def test_records_filters():
    a, o = IDS["A"], c("plain")
    sh = download(o, "/api/v1/records?org_id=%d&kind=special_meeting&format=xlsx" % a,
                  "意识形态工作专题会议台账_第一中学")
    assert [row[4] for row in sh.data(14)] == ["年度第一次专题会议", "意识形态工作专题会议"]
    assert "类型：意识形态工作专题会议" in sh.rows[2][0], sh.rows[2]
    sh = download(o, "/api/v1/records?org_id=%d&from=2023-04-01&to=2023-12-31&format=xlsx" % a,
                  "台账_第一中学_2023-04-01至2023-12-31")
    assert [row[2] for row in sh.data(14)] == [45097, 45026], sh.data(14)
    assert "2023-04-01 至 2023-12-31" in sh.rows[2][0]
    sh = download(o, "/api/v1/records?org_id=%d&q=%s&format=xlsx" % (a, quote("研究")), "台账")
    assert [row[4] for row in sh.data(14)] == ["党委会研究意识形态工作"]
    sh = download(o, "/api/v1/records?org_id=%d&kind=talk&format=xlsx" % a, "谈心谈话台账")
    check_layout(sh, RECORD_HEADERS, 0, ["谈心谈话台账"])
    # The subtree, for a secretary whose grant covers it: unit by unit in the
    # order of the tree, each unit's records newest first.
    sh = download(c("shuji"), "/api/v1/records?org_id=%d&subtree=1&format=xlsx"
                  % IDS["bureau"], "台账_某市教育局")
    check_layout(sh, RECORD_HEADERS, 5, ["某市教育局及下级单位"])
    assert [row[1] for row in sh.data(14)] == ["第一中学"] * 4 + ["第一中学党支部"]
    assert [row[4] for row in sh.data(14)][:4] == [x["title"] for x in ok(
        o.get("/api/v1/records?org_id=%d" % a))["items"]]
    # Deleted records, for the unit's office only.
    rid = IDS["recs"][1]["id"]
    assert c("offa").delete("/api/v1/records/%d" % rid).status == 204
    sh = download(c("offa"), "/api/v1/records?org_id=%d&deleted=1&format=xlsx" % a, "台账")
    assert [row[4] for row in sh.data(14)] == ["党委会研究意识形态工作"]
    assert "已删除" in sh.rows[1][0]
    ok(c("offa").post("/api/v1/records/%d/restore" % rid))
    assert ok(o.get("/api/v1/records?org_id=%d&format=json" % a))["total"] == 4
    no_leftovers()


def test_refused_exports_write_nothing():
    a = IDS["A"]
    offb, offa, plain = c("offb"), c("offa"), c("plain")
    before = S.counts()
    check_error(offb.get("/api/v1/records?org_id=%d&format=xlsx" % a), 404, "not_found")
    check_error(offb.get("/api/v1/compliance?org_id=%d&year=2023&format=xlsx" % a), 404,
                "not_found")
    check_error(offa.get("/api/v1/records?org_id=%d&subtree=1&format=xlsx" % a), 403,
                "forbidden", "subtree")
    check_error(offa.get("/api/v1/compliance?org_id=%d&rollup=1&format=xlsx" % a), 403,
                "forbidden", "rollup")
    check_error(plain.get("/api/v1/records?org_id=%d&deleted=1&format=xlsx" % a), 403,
                "forbidden", "deleted")
    check_error(offa.get("/api/v1/records?org_id=%d&format=pdf" % a), 422, "invalid", "format")
    check_error(offa.get("/api/v1/records?org_id=%d&format=xlsx&from=2023-02-30" % a), 422,
                "invalid", "from")
    check_error(offa.get("/api/v1/records?format=xlsx"), 422, "invalid", "org_id")
    check_error(S.client().get("/api/v1/records?org_id=%d&format=xlsx" % a), 401,
                "unauthorized")
    assert S.counts() == before
    no_leftovers()


def check_compliance_rows(sh, items, with_org):
    n = len(ROLLUP_HEADERS if with_org else COMPLIANCE_HEADERS)
    data = sh.data(n)
    assert len(data) == len(items), (len(data), len(items))
    off = 1 if with_org else 0
    for r, (row, it) in enumerate(zip(data, items), start=4):
        assert row[0] == r - 3
        if with_org:
            assert row[1] == it["org_name"], (row, it)
        assert row[1 + off] == it["kind_name"], (row, it)
        assert row[3 + off] == it["label"], (row, it)
        check_date_cell(sh, r, 4 + off, it["first"])
        check_date_cell(sh, r, 5 + off, it["last"])
        assert row[6 + off:9 + off] == [it["target"], it["done"], it["status_label"]], (row, it)
        assert sh.style[(r, 8 + off)]["fill"] == FILLS[it["status_label"]], sh.style[(r, 8 + off)]


def test_compliance_export():
    a = IDS["A"]
    q = "/api/v1/compliance?org_id=%d&year=2023&as_of=2023-05-15" % a
    j = ok(c("plain").get(q))
    before = len(S.audit("export"))
    sh = download(c("plain"), q + "&format=xlsx", "指标完成情况_第一中学_2023")
    check_layout(sh, COMPLIANCE_HEADERS, j["total"], ["指标完成情况", "第一中学", "2023年"])
    assert "截至 2023-05-15" in sh.rows[2][0]
    check_compliance_rows(sh, j["items"], False)
    labels = {row[8] for row in sh.data(9)}
    assert {"已完成", "未完成"} <= labels, labels
    exports_audited(before, S.sql("SELECT id FROM users WHERE login = 'plain'")[0][0],
                    "compliance", j["total"])
    no_leftovers()


def test_rollup_export():
    b = IDS["bureau"]
    q = "/api/v1/compliance?org_id=%d&year=2023&as_of=2023-05-15&rollup=1" % b
    j = ok(c("shuji").get(q + "&size=200"))
    assert j["total"] > 10, j["total"]
    sh = download(c("shuji"), q + "&size=2&format=xlsx", "完成情况汇总_某市教育局_2023")
    check_layout(sh, ROLLUP_HEADERS, j["total"], ["汇总", "某市教育局", "2023年"])
    check_compliance_rows(sh, j["items"], True)
    assert {row[1] for row in sh.data(10)} == {"第一中学", "第一中学党支部"}
    # One period and the unit order, as the JSON rollup takes them.
    q2 = q + "&period=2023-Q2&sort=org"
    j = ok(c("shuji").get(q2 + "&size=200"))
    sh = download(c("shuji"), q2 + "&format=xlsx", "完成情况汇总_某市教育局_2023-Q2")
    check_compliance_rows(sh, j["items"], True)
    check_error(c("shuji").get(q + "&period=2024-Q1&format=xlsx"), 422, "invalid", "period")
    no_leftovers()


def test_many_records_in_pages():
    """More records than one page of the store's walk (2,000), many on the same date."""
    corg = IDS["C"]
    S.sql("INSERT INTO record (org_id, kind, date, title, created_at, updated_at) "
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500) "
          "SELECT ?, 'talk', '2024-02-' || CASE WHEN i % 7 < 9 THEN '0' ELSE '' END "
          "|| (i % 7 + 1), 'talk ' || i, 0, 0 FROM n", (corg,))
    # With the counters every record moves (2024, 2024-H1, 2024-Q1, 2024-02
    # and its ISO week), as the ledger keeps them.
    for (d, n) in S.sql("SELECT date, count(*) FROM record WHERE org_id = ? GROUP BY date",
                        (corg,)):
        week = datetime.date.fromisoformat(d).isocalendar()
        for key in ("2024", "2024-H1", "2024-Q1", "2024-02", "%d-W%02d" % week[:2]):
            S.sql("INSERT INTO ledger_count (org_id, kind, period_key, count) "
                  "VALUES (?, 'talk', ?, ?) ON CONFLICT (org_id, kind, period_key) "
                  "DO UPDATE SET count = ledger_count.count + excluded.count", (corg, key, n))
    want = [t for (t,) in S.sql("SELECT title FROM record WHERE org_id = ? "
                                "ORDER BY date DESC, id DESC", (corg,))]
    assert len(want) == 4500
    sh = download(c("shuji"), "/api/v1/records?org_id=%d&format=xlsx" % corg, "台账_第三中学")
    data = sh.data(14)
    assert [row[4] for row in data] == want
    assert [row[0] for row in data] == list(range(1, 4501))
    assert excel_date(data[0][2]) == "2024-02-07" and excel_date(data[-1][2]) == "2024-02-01"
    no_leftovers()


def test_cli_export():
    a = IDS["A"]
    out = os.path.join(S.dir, "台账.xlsx")
    before = len(S.audit("export"))
    p = S.cli("export", "records", "--org", str(a), "--out", out, "--from", "2023-01-01",
              "--to", "2023-12-31")
    assert p.stdout.splitlines() == [out, "3 行"], p.stdout
    assert p.stderr == "", p.stderr  # not a terminal: no progress bar
    mask = os.umask(0o022)
    os.umask(mask)
    assert os.stat(out).st_mode & 0o777 == 0o666 & ~mask, oct(os.stat(out).st_mode)
    with open(out, "rb") as f:
        sh = Sheet(f.read())
    check_layout(sh, RECORD_HEADERS, 3, ["台账", "第一中学"])
    http = download(c("offa"), "/api/v1/records?org_id=%d&from=2023-01-01&to=2023-12-31"
                    "&format=xlsx" % a, "台账")
    assert sh.data(14) == http.data(14)
    seq, user_id, org_id, action, ent, _, detail = S.audit("export")[before]
    assert user_id is None and org_id == a and ent == "record", S.audit("export")[before]
    # --year alone: the dates of that year.
    p = S.cli("export", "records", "--org", str(a), "--year", "2024", "--out", out)
    assert p.stdout.splitlines() == [out, "1 行"], p.stdout
    with open(out, "rb") as f:
        assert [row[4] for row in Sheet(f.read()).data(14)] == ["年度第一次专题会议"]
    # compliance and rollup match their HTTP twins.
    for what, q, extra in (
            ("compliance", "/api/v1/compliance?org_id=%d&year=2023&as_of=2023-05-15" % a,
             ["--org", str(a)]),
            ("rollup", "/api/v1/compliance?org_id=%d&year=2023&as_of=2023-05-15&rollup=1"
             % IDS["bureau"], ["--org", str(IDS["bureau"])])):
        f = os.path.join(S.dir, what + ".xlsx")
        S.cli("export", what, *extra, "--year", "2023", "--as-of", "2023-05-15", "--out", f)
        with open(f, "rb") as fh:
            got = Sheet(fh.read()).data(10)
        assert got == download(c("shuji"), q + "&format=xlsx", "").data(10), what
    # Refusals: nothing written, a message, exit 1 or 2.
    bad = os.path.join(S.dir, "bad.xlsx")
    for args in (["--org", "999999"], ["--org", str(a), "--from", "2023-13-01"],
                 ["--org", "x"], []):
        p = S.cli("export", "records", *args, "--out", bad, check=False)
        assert p.returncode in (1, 2) and p.stderr.startswith("zerenzhi: "), (args, p)
        assert not os.path.exists(bad)
    p = S.cli("export", "records", "--org", str(a), check=False)
    assert p.returncode == 1 and "--out" in p.stderr, p.stderr
    assert [n for n in os.listdir(S.dir) if ".xlsx." in n] == []


def test_cli_progress_bar_on_terminal():
    out = os.path.join(S.dir, "bar.xlsx")
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "export", "records", "--db", S.url, "--org", str(IDS["C"]),
                          "--out", out], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = p.communicate(timeout=120)
    os.close(master)
    assert p.returncode == 0, seen
    text = seen.decode("utf-8", "replace")
    assert "\r导出中" in text and "100%" in text and "4500 / 4500" in text, text[-300:]
    assert stdout.decode().splitlines() == [out, "4500 行"], stdout


def test_records_names_and_total():
    # Participants and absentees are read in place from the stored JSON;
    # names with escapes in it take jansson's way, with the same result.
    # The total of the subtitle comes from the year counters when no
    # filter needs the records themselves: the deleted record is not in it,
    # and a subtree or a kind sums the right counters.
    bid, o = IDS["B"], c("offb")
    recs = [
        {"kind": "talk", "date": "2023-02-01", "title": "谈心谈话",
         "participants": ["张\"三\"", "李四", "Tom\\Li"],
         "absentees": [{"name": "王五", "reason": ""}, {"name": "赵六", "reason": "病假"}]},
        {"kind": "talk", "date": "2022-12-30", "title": "年末谈话", "participants": ["钱七"],
         "absentees": ["孙八"]},
        {"kind": "training", "date": "2023-02-02", "title": "培训", "participants": []},
        {"kind": "talk", "date": "2023-02-03", "title": "删去的谈话"},
    ]
    ids = [ok(o.post("/api/v1/records", dict(body, org_id=bid)), 201)["id"] for body in recs]
    ok(o.delete("/api/v1/records/%d" % ids[3]), 204)
    sh = download(o, "/api/v1/records?org_id=%d&format=xlsx" % bid, "台账_第二中学")
    assert "共 3 条" in sh.rows[2][0], sh.rows[2]
    data = sh.data(len(RECORD_HEADERS))
    assert [row[4] for row in data] == ["培训", "谈心谈话", "年末谈话"], data
    assert data[0][9] is None and data[0][10] is None, data[0]
    assert data[1][9:11] == ['张"三"、李四、Tom\\Li', "王五、赵六（病假）"], data[1]
    assert data[2][9:11] == ["钱七", "孙八"], data[2]
    sh = download(o, "/api/v1/records?org_id=%d&kind=talk&format=xlsx" % bid, "谈心谈话台账")
    assert "共 2 条" in sh.rows[2][0] and len(sh.data(14)) == 2, sh.rows[2]
    for extra in ("", "&kind=talk", "&kind=special_meeting"):
        url = "/api/v1/records?org_id=%d&subtree=1%s" % (IDS["bureau"], extra)
        want = ok(c("shuji").get(url + "&size=1"))["total"]
        sh = download(c("shuji"), url + "&format=xlsx", "")
        assert "共 %d 条" % want in sh.rows[2][0], (extra, want, sh.rows[2])
        assert len(sh.data(14)) == want, (extra, want)
    no_leftovers()


if __name__ == "__main__":
    tests = [test_records_export, test_records_filters, test_refused_exports_write_nothing,
             test_compliance_export, test_rollup_export, test_many_records_in_pages,
             test_cli_export, test_cli_progress_bar_on_terminal,
             test_records_names_and_total]
    try:
        setup()
        code = run(tests)
    finally:
        if S:
            S.cleanup()
        os.rmdir(TMP)  # empty: no_leftovers() checked it
    sys.exit(code)
