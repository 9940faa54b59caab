#!/usr/bin/env python3
"""docs/openapi.yaml and the router agree.

Reads the route table of src/api/routes.c (method, pattern, handler, flags,
body cap) and the handlers in src/api/*.c with regular expressions, reads
docs/openapi.yaml with a small parser for the YAML subset that file keeps to
(standard library only: PyYAML is not guaranteed), and checks that every
route is documented and every documented operation routed, that public routes
are exactly those with `security: []`, that path parameters, query
parameters, request body fields, enums and error codes match the C sources,
and that every mutation except the login documents the X-CSRF-Token header.
Needs no build and no server.

Environment (for trying the test against a changed copy):
  ZRZ_ROUTES   the route table to read (default src/api/routes.c)
  ZRZ_OPENAPI  the description to read (default docs/openapi.yaml)
"""

import copy
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROUTES_C = os.environ.get("ZRZ_ROUTES", os.path.join(ROOT, "src", "api", "routes.c"))
OPENAPI = os.environ.get("ZRZ_OPENAPI", os.path.join(ROOT, "docs", "openapi.yaml"))
SRC = os.path.join(ROOT, "src")

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MUTATIONS = ("POST", "PUT", "PATCH", "DELETE")
LOGIN = ("POST", "/api/v1/session")  # the one mutation without a CSRF token


# ---------------------------------------------------------------------------
# A parser for the YAML subset of docs/openapi.yaml: block mappings and
# sequences, one-line plain / single- / double-quoted scalars, flow sequences
# of scalars, [] and {}, and block scalars (| |- |+ > >- >+).  Anything else
# (tabs, anchors, aliases, tags, documents, multi-line flow) is refused, so
# the file cannot drift into YAML this parser would misread.
# ---------------------------------------------------------------------------


class YamlError(ValueError):
    pass


_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


class _Line:
    __slots__ = ("no", "indent", "text")

    def __init__(self, no, indent, text):
        self.no, self.indent, self.text = no, indent, text


class MiniYaml:
    def __init__(self, text):
        self.raw = text.split("\n")
        self.lines = []  # significant lines (not blank, not comment-only)
        for no, line in enumerate(self.raw, 1):
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
                raise YamlError("line %d: tab in indentation" % no)
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if stripped in ("---", "..."):
                raise YamlError("line %d: document markers are not supported" % no)
            self.lines.append(_Line(no, len(line) - len(line.lstrip(" ")), stripped))
        self.pos = 0

    # -- driver --

    def parse(self):
        if not self.lines:
            return None
        value = self._block(self.lines[0].indent)
        if self.pos != len(self.lines):
            ln = self.lines[self.pos]
            raise YamlError("line %d: unexpected indentation" % ln.no)
        return value

    def _peek(self):
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def _block(self, indent):
        ln = self._peek()
        if ln is None or ln.indent != indent:
            raise YamlError("line %d: expected a block at column %d" % (ln.no if ln else 0, indent))
        if ln.text == "-" or ln.text.startswith("- "):
            return self._sequence(indent)
        return self._mapping(indent)

    # -- collections --

    def _mapping(self, indent):
        out = {}
        while True:
            ln = self._peek()
            if ln is None or ln.indent < indent:
                return out
            if ln.indent > indent:
                raise YamlError("line %d: unexpected indentation" % ln.no)
            if ln.text == "-" or ln.text.startswith("- "):
                return out if out else self._fail(ln, "sequence item where a key was expected")
            key, rest = self._split_key(ln)
            if key in out:
                raise YamlError("line %d: duplicate key %r" % (ln.no, key))
            self.pos += 1
            out[key] = self._value(ln, rest, indent)

    def _sequence(self, indent):
        out = []
        while True:
            ln = self._peek()
            if ln is None or ln.indent < indent:
                return out
            if ln.indent > indent:
                raise YamlError("line %d: unexpected indentation" % ln.no)
            if not (ln.text == "-" or ln.text.startswith("- ")):
                return out
            item = ln.text[1:].lstrip(" ")
            if not item:
                self.pos += 1
                nxt = self._peek()
                if nxt is None or nxt.indent <= indent:
                    out.append(None)
                else:
                    out.append(self._block(nxt.indent))
            elif self._is_key_line(item):
                # "- key: value": a mapping whose keys sit after the dash.
                col = indent + (len(ln.text) - len(item))
                self.lines[self.pos] = _Line(ln.no, col, item)
                out.append(self._mapping(col))
            else:
                self.pos += 1
                out.append(self._inline(ln, item))

    def _value(self, ln, rest, indent):
        if rest == "":
            nxt = self._peek()
            if nxt is None or nxt.indent < indent:
                return None
            if nxt.indent == indent:
                if nxt.text == "-" or nxt.text.startswith("- "):
                    return self._sequence(indent)  # "key:\n- item" at the same column
                return None
            return self._block(nxt.indent)
        if rest[0] in "|>":
            return self._block_scalar(ln, rest, indent)
        return self._inline(ln, rest)

    # -- keys and scalars --

    @staticmethod
    def _is_key_line(text):
        if text[0] in "\"'":
            q = text[0]
            end = text.find(q, 1)
            return end > 0 and text[end + 1:end + 2] == ":"
        if text[0] in "[{":
            return False
        return ": " in text or text.endswith(":")

    def _split_key(self, ln):
        t = ln.text
        if t[0] in "\"'":
            q = t[0]
            end = t.find(q, 1)
            if end < 0 or t[end + 1:end + 2] != ":":
                self._fail(ln, "malformed quoted key")
            key = t[1:end]
            rest = t[end + 2:]
        else:
            i = t.find(": ")
            if i < 0:
                if not t.endswith(":"):
                    self._fail(ln, "expected 'key: value'")
                i = len(t) - 1
            key = t[:i]
            rest = t[i + 1:]
            if not key or key[0] in "&*!{}[],#?|>@`%-" or " #" in key:
                self._fail(ln, "unsupported key %r" % key)
        return key, rest.strip()

    def _inline(self, ln, text):
        if text[0] in "&*!":
            self._fail(ln, "anchors, aliases and tags are not supported")
        if text[0] == '"':
            end = self._close_double(text)
            if end < 0:
                self._fail(ln, "unterminated double-quoted scalar")
            self._only_comment(ln, text[end + 1:])
            try:
                return json.loads(text[:end + 1])
            except ValueError:
                self._fail(ln, "unsupported escape in double-quoted scalar")
        if text[0] == "'":
            i = 1
            while True:
                j = text.find("'", i)
                if j < 0:
                    self._fail(ln, "unterminated single-quoted scalar")
                if text[j + 1:j + 2] == "'":
                    i = j + 2
                    continue
                break
            self._only_comment(ln, text[j + 1:])
            return text[1:j].replace("''", "'")
        if text[0] == "[":
            end = text.find("]")
            if end < 0:
                self._fail(ln, "multi-line flow sequences are not supported")
            self._only_comment(ln, text[end + 1:])
            body = text[1:end].strip()
            if not body:
                return []
            items = []
            for part in body.split(","):
                part = part.strip()
                if not part or part[0] in "[{\"'&*!":
                    self._fail(ln, "flow sequences hold plain scalars only")
                items.append(self._plain(part))
            return items
        if text[0] == "{":
            if not re.match(r"^\{\s*\}(\s+#.*)?$", text):
                self._fail(ln, "only {} is supported as a flow mapping")
            return {}
        if text[0] in "@`%":
            self._fail(ln, "reserved indicator")
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip()
        if ": " in text:
            self._fail(ln, "': ' inside a plain scalar (quote it)")
        return self._plain(text)

    @staticmethod
    def _close_double(text):
        i = 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return i
            i += 1
        return -1

    def _only_comment(self, ln, tail):
        tail = tail.strip()
        if tail and not tail.startswith("#"):
            self._fail(ln, "text after a quoted scalar")

    @staticmethod
    def _plain(s):
        if s in ("null", "Null", "NULL", "~"):
            return None
        if s in ("true", "True", "TRUE"):
            return True
        if s in ("false", "False", "FALSE"):
            return False
        if _INT.match(s):
            return int(s)
        if _FLOAT.match(s):
            return float(s)
        return s

    def _block_scalar(self, ln, header, indent):
        m = re.match(r"^([|>])([-+]?)(\s+#.*)?$", header)
        if not m:
            self._fail(ln, "unsupported block scalar header %r" % header)
        style, chomp = m.group(1), m.group(2)
        # Block scalars are read from the raw text: blank lines count.
        start = ln.no  # index in self.raw of the first content line
        end = start
        content_indent = None
        while end < len(self.raw):
            line = self.raw[end]
            if line.strip():
                ind = len(line) - len(line.lstrip(" "))
                if content_indent is None:
                    if ind <= indent:
                        break
                    content_indent = ind
                elif ind < content_indent:
                    break
            end += 1
        body = self.raw[start:end]
        while body and not body[-1].strip():
            body.pop()
        trailing = 0
        k = end - 1
        while k >= start and not self.raw[k].strip():
            trailing += 1
            k -= 1
        lines = [b[content_indent:] if b.strip() else "" for b in body]
        # Skip the significant lines the block consumed.
        while self.pos < len(self.lines) and self.lines[self.pos].no <= start + len(body):
            self.pos += 1
        if not lines:
            return ""
        if style == "|":
            text = "\n".join(lines)
        else:
            text, prev_blank = "", False
            for i, line in enumerate(lines):
                if i == 0:
                    text = line
                elif line == "":
                    text += "\n"
                    prev_blank = True
                    continue
                elif line.startswith(" ") or (lines[i - 1].startswith(" ") and not prev_blank):
                    text += "\n" + line
                elif prev_blank:
                    text += line
                else:
                    text += " " + line
                prev_blank = False
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" + "\n" * trailing
        return text + "\n"

    @staticmethod
    def _fail(ln, msg):
        raise YamlError("line %d: %s" % (ln.no, msg))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return MiniYaml(f.read()).parse()


# ---------------------------------------------------------------------------
# The C side.
# ---------------------------------------------------------------------------


def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


ROUTE_RE = re.compile(
    r'\{\s*"([A-Z]+)"\s*,\s*"([^"]*)"\s*,\s*(\w+)\s*,\s*([^,{}]+?)\s*,\s*([^,{}]+?)\s*\}')


def parse_routes(text):
    """[(method, pattern, handler, flag names, body cap)] of api_routes[]."""
    text = strip_c_comments(text)
    m = re.search(r"api_routes\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\}\s*;", text, re.S)
    if not m:
        raise AssertionError("no api_routes[] table found")
    table = m.group(1)
    defines = dict(re.findall(r"#define\s+(\w+)\s+(\w+)\s*$", text, re.M))
    routes = []
    for em in ROUTE_RE.finditer(table):
        method, pattern, handler, flags, cap = em.groups()
        names = set()
        for tok in re.split(r"\s*\|\s*", flags.strip("() ")):
            tok = defines.get(tok, tok)
            if tok not in ("0", ""):
                names.add(tok)
        if not re.match(r"^[0-9 ()*+]+$", cap):
            raise AssertionError("body cap %r of %s %s is not a constant" % (cap, method, pattern))
        routes.append((method, pattern, handler, names, eval(cap)))  # digits and * + only
    entries = len(re.findall(r'\{\s*"', table))
    if entries != len(routes):
        raise AssertionError("%d entries in api_routes[] but %d parsed: a line has an "
                             "unexpected shape" % (entries, len(routes)))
    return routes


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


_handlers = None


def handler_bodies():
    """{handler name: (body text, file text)} of src/api/*.c."""
    global _handlers
    if _handlers is not None:
        return _handlers
    out = _handlers = {}
    for path in sorted(glob.glob(os.path.join(SRC, "api", "*.c"))):
        text = strip_c_comments(read(path))
        for m in re.finditer(r"^int\s+(api_\w+)\s*\(\s*struct\s+req\s*\*\s*r\s*\)\s*\{(.*?)^\}",
                             text, re.S | re.M):
            out[m.group(1)] = (m.group(2), text)
    return out


def c_string_array(text, name):
    m = re.search(r"\b%s\s*\[\s*\]\s*=\s*\{(.*?)\}\s*;" % re.escape(name), text, re.S)
    if not m:
        raise AssertionError("no array %s found" % name)
    return re.findall(r'"([^"]*)"', m.group(1))


def err_table():
    """[(slug, status)] from ZRZ_ERRORS in src/core/err.h."""
    text = read(os.path.join(SRC, "core", "err.h"))
    return [(slug, int(status)) for status, slug in
            re.findall(r"X\(\s*\w+\s*,\s*-?\d+\s*,\s*(\d+)\s*,\s*\"([^\"]+)\"", text)]


# ---------------------------------------------------------------------------
# The description side.
# ---------------------------------------------------------------------------

_spec = None
_routes = None


def spec():
    global _spec
    if _spec is None:
        _spec = load_yaml(OPENAPI)
    return _spec


def routes():
    global _routes
    if _routes is None:
        _routes = parse_routes(read(ROUTES_C))
    return _routes


def resolve(doc, obj, seen=()):
    while isinstance(obj, dict) and "$ref" in obj:
        ref = obj["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise AssertionError("unresolvable $ref %r" % ref)
        seen = seen + (ref,)
        node = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise AssertionError("dangling $ref %r" % ref)
            node = node[part]
        obj = node
    return obj


def operations(doc):
    """{(METHOD, path): (operation, path item)}."""
    out = {}
    for path, item in (doc.get("paths") or {}).items():
        for key, op in item.items():
            if key in METHODS:
                out[(key.upper(), path)] = (op, item)
    return out


def op_parameters(doc, op, item):
    """The resolved parameters of an operation, path-level ones included
    (an operation-level one overrides a path-level one of the same name and
    location)."""
    params = {}
    for p in (item.get("parameters") or []) + (op.get("parameters") or []):
        r = resolve(doc, p)
        params[(r.get("in"), r.get("name"))] = (p, r)
    return params


def route_set(rs):
    return {(m, p) for m, p, _h, _f, _c in rs}


def undocumented(rs, doc):
    return sorted(route_set(rs) - set(operations(doc)))


def unrouted(rs, doc):
    return sorted(set(operations(doc)) - route_set(rs))


def fmt(pairs):
    return ", ".join("%s %s" % p for p in pairs)


# ---------------------------------------------------------------------------
# Tests.
# ---------------------------------------------------------------------------


def test_yaml_parses():
    doc = spec()
    assert isinstance(doc, dict), "top level is not a mapping"
    assert doc.get("openapi") == "3.0.3", "openapi should be 3.0.3, is %r" % doc.get("openapi")
    info = doc.get("info") or {}
    assert info.get("title") and info.get("version"), "info.title and info.version are required"
    assert isinstance(doc.get("paths"), dict) and doc["paths"], "no paths"
    assert isinstance(doc.get("components"), dict), "no components"


def test_parser_agrees_with_pyyaml():
    try:
        import yaml
    except ImportError:
        print("     (PyYAML not installed: comparison skipped)")
        return
    with open(OPENAPI, encoding="utf-8") as f:
        theirs = yaml.safe_load(f)
    ours = spec()
    if ours != theirs:
        def diff(a, b, path):
            if type(a) is not type(b):
                return "%s: %r vs %r" % (path, a, b)
            if isinstance(a, dict):
                for k in sorted(set(a) | set(b), key=str):
                    if k not in a or k not in b:
                        return "%s/%s: only in %s" % (path, k, "ours" if k in a else "PyYAML")
                    d = diff(a[k], b[k], "%s/%s" % (path, k))
                    if d:
                        return d
                return None
            if isinstance(a, list):
                if len(a) != len(b):
                    return "%s: %d vs %d items" % (path, len(a), len(b))
                for i, (x, y) in enumerate(zip(a, b)):
                    d = diff(x, y, "%s/%d" % (path, i))
                    if d:
                        return d
                return None
            return None if a == b else "%s: %r vs %r" % (path, a, b)
        raise AssertionError("subset parser and PyYAML differ at " + str(diff(ours, theirs, "")))


def test_openapi_document_valid():
    try:
        from openapi_spec_validator import validate
    except ImportError:
        print("     (openapi-spec-validator not installed: schema validation skipped)")
        return
    validate(copy.deepcopy(spec()))


def test_route_table_parses():
    rs = routes()
    assert len(rs) >= 2, "only %d routes parsed from %s" % (len(rs), ROUTES_C)
    seen = set()
    for method, pattern, _h, _f, _c in rs:
        assert method in ("GET", "POST", "PUT", "PATCH", "DELETE"), "odd method %s" % method
        assert pattern.startswith("/"), "pattern %r does not start with /" % pattern
        assert (method, pattern) not in seen, "route %s %s twice" % (method, pattern)
        seen.add((method, pattern))


def test_every_route_documented():
    missing = undocumented(routes(), spec())
    assert not missing, "routes not in %s: %s" % (os.path.relpath(OPENAPI, ROOT), fmt(missing))


def test_every_operation_routed():
    extra = unrouted(routes(), spec())
    assert not extra, "documented but not in %s: %s" % (os.path.relpath(ROUTES_C, ROOT), fmt(extra))


def test_public_routes_have_empty_security():
    doc = spec()
    glob_sec = doc.get("security")
    assert glob_sec == [{"cookieAuth": []}], "top-level security should be cookieAuth, is %r" % glob_sec
    ops = operations(doc)
    bad = []
    for method, pattern, _h, flags, _c in routes():
        if (method, pattern) not in ops:
            continue
        op = ops[(method, pattern)][0]
        public = "ROUTE_PUBLIC" in flags
        documented_public = op.get("security") == []
        if "security" in op and op["security"] not in ([], [{"cookieAuth": []}]):
            bad.append("%s %s: unexpected security %r" % (method, pattern, op["security"]))
        elif public != documented_public:
            bad.append("%s %s: ROUTE_PUBLIC=%s but security: [] %s" %
                       (method, pattern, public, "present" if documented_public else "absent"))
    assert not bad, "; ".join(bad)


def test_cookie_auth_scheme():
    scheme = resolve(spec(), ((spec().get("components") or {}).get("securitySchemes") or {})
                     .get("cookieAuth"))
    assert scheme, "components.securitySchemes.cookieAuth missing"
    cookie = re.search(r'#define\s+SESSION_COOKIE\s+"([^"]+)"',
                       read(os.path.join(SRC, "auth", "session.h"))).group(1)
    assert scheme.get("type") == "apiKey" and scheme.get("in") == "cookie", scheme
    assert scheme.get("name") == cookie, "cookie is %r in the code, %r here" % (cookie, scheme.get("name"))
    desc = scheme.get("description", "")
    assert "HttpOnly" in desc and "SameSite=Strict" in desc, "describe HttpOnly and SameSite=Strict"


def test_path_params_declared():
    doc = spec()
    bad = []
    for (method, path), (op, item) in operations(doc).items():
        want = set(re.findall(r"\{([^}/]+)\}", path))
        params = op_parameters(doc, op, item)
        have = {name for (loc, name) in params if loc == "path"}
        for name in sorted(want - have):
            bad.append("%s %s: path parameter {%s} not declared" % (method, path, name))
        for name in sorted(have - want):
            bad.append("%s %s: declares path parameter %s not in the path" % (method, path, name))
        for (loc, name), (_raw, p) in params.items():
            if loc == "path" and p.get("required") is not True:
                bad.append("%s %s: path parameter %s must be required: true" % (method, path, name))
    # And the route patterns name the same parameters as the documented paths.
    for method, pattern, handler, _f, _c in routes():
        code = handler_bodies().get(handler, ("", ""))[0]
        for name in re.findall(r'req_param(?:_id)?\(\s*r\s*,\s*"([^"]+)"', code):
            if "{%s}" % name not in pattern:
                bad.append("%s reads path parameter %s that %s %s lacks" %
                           (handler, name, method, pattern))
    assert not bad, "; ".join(bad)


def _is_csrf_param(p):
    return p.get("in") == "header" and str(p.get("name", "")).lower() == "x-csrf-token"


def test_csrf_on_mutations():
    doc = spec()
    common = read(os.path.join(SRC, "api", "common.c"))
    assert re.search(r'req_header\(\s*r\s*,\s*"X-CSRF-Token"\s*\)', common), \
        "api_authenticate no longer reads X-CSRF-Token: update the test and the description"
    bad = []
    for (method, path), (op, item) in operations(doc).items():
        params = op_parameters(doc, op, item)
        csrf = [(raw, p) for (raw, p) in params.values() if _is_csrf_param(p)]
        needs = method in MUTATIONS and (method, path) != LOGIN and op.get("security") != []
        if needs:
            if not csrf:
                bad.append("%s %s: no X-CSRF-Token parameter" % (method, path))
            elif csrf[0][1].get("required") is not True:
                bad.append("%s %s: X-CSRF-Token must be required" % (method, path))
        elif csrf:
            bad.append("%s %s: documents X-CSRF-Token but needs none" % (method, path))
    # The shared parameter itself.
    shared = ((doc.get("components") or {}).get("parameters") or {}).get("CsrfToken")
    assert shared and _is_csrf_param(shared), "components.parameters.CsrfToken should be the header"
    assert not bad, "; ".join(bad)


def test_pwchange_flag_matches():
    ops = operations(spec())
    bad = []
    for method, pattern, _h, flags, _c in routes():
        if (method, pattern) not in ops or "ROUTE_PUBLIC" in flags:
            continue
        want = "ROUTE_PWCHANGE_OK" in flags
        have = ops[(method, pattern)][0].get("x-pwchange-ok") is True
        if want != have:
            bad.append("%s %s: ROUTE_PWCHANGE_OK=%s, x-pwchange-ok=%s" % (method, pattern, want, have))
    assert not bad, "; ".join(bad)


def test_body_cap_matches():
    ops = operations(spec())
    bad = []
    for method, pattern, _h, _f, cap in routes():
        if (method, pattern) not in ops:
            continue
        doc_cap = ops[(method, pattern)][0].get("x-body-cap")
        if (cap or None) != doc_cap:
            bad.append("%s %s: body cap %s in routes.c, x-body-cap %s" % (method, pattern, cap, doc_cap))
    assert not bad, "; ".join(bad)


def test_query_params_match_handlers():
    doc = spec()
    ops = operations(doc)
    bodies = handler_bodies()
    bad = []
    for method, pattern, handler, _f, _c in routes():
        if (method, pattern) not in ops:
            continue
        if handler not in bodies:
            bad.append("handler %s of %s %s not found in src/api/*.c" % (handler, method, pattern))
            continue
        code = bodies[handler][0]
        reads = set(re.findall(r'\b\w*query\w*\(\s*r\s*,\s*"([^"]+)"', code))
        if re.search(r"\breq_page\(", code):
            reads |= {"page", "size"}
        op, item = ops[(method, pattern)]
        documented = {name for (loc, name) in op_parameters(doc, op, item) if loc == "query"}
        if reads != documented:
            bad.append("%s %s: handler reads %s, documented %s" %
                       (method, pattern, sorted(reads), sorted(documented)))
    # The paging parameters follow req_page: page >= 1 (default 1), size 1..200 (default 25).
    params = (doc.get("components") or {}).get("parameters") or {}
    page = (params.get("Page") or {}).get("schema") or {}
    size = (params.get("Size") or {}).get("schema") or {}
    if (page.get("minimum"), page.get("default")) != (1, 1):
        bad.append("Page should be minimum 1, default 1")
    if (size.get("minimum"), size.get("maximum"), size.get("default")) != (1, 200, 25):
        bad.append("Size should be 1..200, default 25")
    assert not bad, "; ".join(bad)


def test_request_bodies_match_handlers():
    doc = spec()
    ops = operations(doc)
    bodies = handler_bodies()
    bad = []
    for method, pattern, handler, _f, _c in routes():
        if (method, pattern) not in ops or handler not in bodies:
            continue
        code, filetext = bodies[handler]
        op = ops[(method, pattern)][0]
        rb = resolve(doc, op.get("requestBody")) if op.get("requestBody") else None
        takes_json = re.search(r"\breq_json\(\s*r\s*,", code) is not None
        where = "%s %s" % (method, pattern)
        if re.search(r"\breq_multipart\(\s*r\s*,", code):
            # An upload: the parts are documented as multipart/form-data.
            if not rb or not (rb.get("content") or {}).get("multipart/form-data"):
                bad.append("%s: reads multipart/form-data, not documented as such" % where)
            continue
        if not takes_json:
            if rb:
                bad.append("%s: documents a body the handler never reads" % where)
            continue
        if not rb:
            bad.append("%s: handler reads a JSON body, none documented" % where)
            continue
        optional = re.search(r"r->body_len", code) is not None
        if bool(rb.get("required")) == optional:
            bad.append("%s: requestBody.required should be %s" % (where, not optional))
        media = (rb.get("content") or {}).get("application/json")
        if not media:
            bad.append("%s: body not documented as application/json" % where)
            continue
        schema = resolve(doc, media.get("schema"))
        if schema.get("additionalProperties") is not False:
            bad.append("%s: body schema needs additionalProperties: false" % where)
        m = re.search(r"req_json_allow\(\s*r\s*,\s*\w+\s*,\s*(\w+)\s*\)", code)
        if not m:
            bad.append("%s: handler has no req_json_allow key list" % where)
            continue
        try:
            keys = c_string_array(code, m.group(1))
        except AssertionError:
            keys = c_string_array(filetext, m.group(1))
        props = set((schema.get("properties") or {}).keys())
        if set(keys) != props:
            bad.append("%s: handler accepts %s, documented %s" % (where, sorted(keys), sorted(props)))
        for req in schema.get("required") or []:
            if req not in props:
                bad.append("%s: required field %s is not a property" % (where, req))
    assert not bad, "; ".join(bad)


def test_enums_match_source():
    doc = spec()
    schemas = (doc.get("components") or {}).get("schemas") or {}
    domain = os.path.join(SRC, "domain")
    pairs = [
        ("OrgKind", read(os.path.join(domain, "org.c")), "org_kinds"),
        ("Role", read(os.path.join(domain, "user.c")), "user_roles"),
        ("Scope", read(os.path.join(domain, "user.c")), "user_scopes"),
        ("Position", read(os.path.join(domain, "committee.c")), "committee_positions"),
    ]
    bad = []
    for schema, text, array in pairs:
        want = c_string_array(strip_c_comments(text), array)
        have = (schemas.get(schema) or {}).get("enum")
        if have != want:
            bad.append("%s enum %r, %s in the code %r" % (schema, have, array, want))
    assert not bad, "; ".join(bad)


def test_error_codes_match_err_h():
    doc = spec()
    table = err_table()
    assert table, "ZRZ_ERRORS not found in src/core/err.h"
    err = resolve(doc, doc["components"]["schemas"]["Error"])
    inner = err["properties"]["error"]
    assert set(inner.get("required") or []) >= {"code", "message", "field"}, \
        "error needs code, message, field"
    codes = inner["properties"]["code"].get("enum")
    want = [slug for slug, _s in table if slug != "ok"]
    assert codes == want, "Error.code enum %r, err.h has %r" % (codes, want)
    statuses = {status for _slug, status in table}
    bad = []
    for (method, path), (op, _item) in operations(doc).items():
        for code, resp in (op.get("responses") or {}).items():
            code = str(code)
            if code == "default":
                continue
            if not re.match(r"^[1-5][0-9][0-9]$", code):
                bad.append("%s %s: response key %r" % (method, path, code))
            elif int(code) >= 400 and int(code) not in statuses:
                bad.append("%s %s: %s is no status of ZRZ_ERRORS" % (method, path, code))
    assert not bad, "; ".join(bad)


def test_refs_resolve():
    doc = spec()
    bad = []

    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    resolve(doc, node)
                except AssertionError as e:
                    bad.append("%s: %s" % (where, e))
                if len(node) > 1:
                    bad.append("%s: keys beside $ref are ignored in OpenAPI 3.0" % where)
            for k, v in node.items():
                walk(v, "%s/%s" % (where, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))

    walk(doc, "")
    assert not bad, "; ".join(bad[:20])


def test_operations_complete():
    doc = spec()
    bad = []
    ids = {}
    for (method, path), (op, _item) in operations(doc).items():
        where = "%s %s" % (method, path)
        for key in ("summary", "description", "operationId"):
            if not op.get(key):
                bad.append("%s: no %s" % (where, key))
        if op.get("operationId") in ids:
            bad.append("%s: operationId %s also on %s" % (where, op["operationId"],
                                                          ids[op["operationId"]]))
        ids[op.get("operationId")] = where
        responses = op.get("responses") or {}
        ok = [str(c) for c in responses if str(c).startswith("2")]
        if len(ok) != 1:
            bad.append("%s: expected one 2xx response, have %s" % (where, ok))
        for code, resp in responses.items():
            code = str(code)
            r = resolve(doc, resp)
            if code.startswith("204") or code.startswith("304"):
                if r.get("content"):
                    bad.append("%s: %s with content" % (where, code))
                continue
            media = (r.get("content") or {}).get("application/json")
            if code.startswith("2") and not media and (r.get("content") or {}):
                # A file (a download): some media type with a schema.
                media = next(iter(r["content"].values()))
            if not media or not media.get("schema"):
                bad.append("%s: %s has no application/json schema" % (where, code))
            elif (code >= "400" or code == "default") and \
                    media["schema"].get("$ref") != "#/components/schemas/Error":
                bad.append("%s: %s should use the Error schema" % (where, code))
        public = op.get("security") == []
        if not public and "401" not in {str(c) for c in responses}:
            bad.append("%s: a signed-in route should document 401" % where)
        if op.get("requestBody"):
            for code in ("400", "413", "415"):
                if code not in {str(c) for c in responses}:
                    bad.append("%s: takes a body but does not document %s" % (where, code))
    assert not bad, "; ".join(bad)


def test_checks_catch_a_fake_route():
    """The comparison is not vacuous: a route added to (a copy of) the table,
    or an operation removed from (a copy of) the description, is reported."""
    text = read(ROUTES_C)
    fake = '\t{"GET", "/api/v1/zz-fake/{x}", api_health, 0, 0},\n'
    i = text.index("{NULL")
    rs = parse_routes(text[:i] + fake + text[i:])
    assert ("GET", "/api/v1/zz-fake/{x}") in undocumented(rs, spec()), "fake route not reported"
    doc = copy.deepcopy(spec())
    method, pattern = routes()[-1][0], routes()[-1][1]
    del doc["paths"][pattern][method.lower()]
    assert (method, pattern) in undocumented(routes(), doc), "removed operation not reported"
    # A commented-out route does not count.
    rs2 = parse_routes(text[:i] + "/* " + fake.strip() + " */\n" + text[i:])
    assert len(rs2) == len(routes()), "a commented-out route was counted"
    # The subset parser refuses YAML it would misread.
    for bad in ("a: &x 1\n", "a:\n\t- 1\n", "a: b: c\n", "a: [1,\n  2]\n", "a: 1\na: 2\n"):
        try:
            MiniYaml(bad).parse()
        except YamlError:
            continue
        raise AssertionError("parser accepted %r" % bad)


TESTS = [
    test_yaml_parses,
    test_parser_agrees_with_pyyaml,
    test_openapi_document_valid,
    test_route_table_parses,
    test_every_route_documented,
    test_every_operation_routed,
    test_public_routes_have_empty_security,
    test_cookie_auth_scheme,
    test_path_params_declared,
    test_csrf_on_mutations,
    test_pwchange_flag_matches,
    test_body_cap_matches,
    test_query_params_match_handlers,
    test_request_bodies_match_handlers,
    test_enums_match_source,
    test_error_codes_match_err_h,
    test_refs_resolve,
    test_operations_complete,
    test_checks_catch_a_fake_route,
]

if __name__ == "__main__":
    sys.exit(run(TESTS))
