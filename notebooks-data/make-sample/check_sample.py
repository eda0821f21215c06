#!/usr/bin/env python3
"""Check the sample corpus against truth.json, independently of make_sample.py.

For every file: decode it from its stored form (encoding, HTML, docx), undo
the site damage a reader would undo (pinyin annotations, full-width digits,
page-fragment markers, traditional characters when OpenCC is installed), and
check that every fact's evidence and raw number occur in that text.
Exit status 1 on any mismatch.
"""

import html
import json
import re
import sys
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "sample-corpus"

ENCODINGS = {"utf8": "utf-8", "pinyin": "utf-8", "bom": "utf-8-sig", "utf16": "utf-16",
             "gb18030": "gb18030", "big5": "big5", "html": "utf-8"}
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\n]+\)")
FRAGMENT = re.compile(r"\n\n\d+、")
HALFWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def read_text(path, form):
    """The text a reader sees in the file."""
    if form == "docx":
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        paras = re.findall(r"<w:p>(.*?)</w:p>|<w:p/>", xml)
        return "\n".join(html.unescape("".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", p)))
                         for p in paras)
    text = path.read_bytes().decode(ENCODINGS[form])
    if form == "html":
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        text = re.sub(r"</p>|<br\s*/?>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", "")
    return text


def normalise(text, to_simplified):
    text = text.replace("\r\n", "\n")
    text = PINYIN.sub("", text)
    text = FRAGMENT.sub("", text)
    text = text.translate(HALFWIDTH)
    if to_simplified:
        text = to_simplified(text)
    return re.sub(r"\s+", "", text)


def main():
    try:
        from opencc import OpenCC
        t2s = OpenCC("t2s").convert
    except ImportError:
        t2s = None
        print("note: opencc not installed; traditional files checked for numbers only")
    truth = json.loads((CORPUS.parent / "sample-truth.json").read_text(encoding="utf-8"))
    bad = 0
    for doc in truth:
        form = doc["form"]
        trad = form in ("big5", "pinyin")
        text = normalise(read_text(CORPUS / doc["file"], form), t2s if trad else None)
        items = doc["facts"] + doc["damaged"] + doc["masked"]
        for item in items:
            ev = re.sub(r"\s+", "", item["evidence"])
            if trad and not t2s:
                ok = re.sub(r"\D", "", item["raw"]) in re.sub(r"\D", "", text)
            else:
                ok = ev in text and item["raw"] in ev
            if not ok:
                bad += 1
                print(f"MISSING {doc['file']}: {item['raw']} / {item['evidence']}")
        print(f"ok {doc['file']}: {len(doc['facts'])} facts, {len(doc['damaged'])} damaged, "
              f"{len(doc['masked'])} masked, {len(text)} chars")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
