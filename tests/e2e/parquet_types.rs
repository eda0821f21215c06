//! The Parquet files of a report, read back by an independent reader (python3 + pyarrow):
//! column types follow the documented contract (notebooks-data/README.md, "Column types"),
//! row counts and null counts agree with the CSV twins.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::util::{read_csv, report_sample, show};

/// Reads every Parquet file named on the command line and prints, per file, the row count,
/// each column's Arrow type and its null count, as one JSON object.
const READER: &str = r#"
import json, sys
import pyarrow.parquet as pq
out = {}
for path in sys.argv[1:]:
    t = pq.read_table(path)
    out[path] = {
        "rows": t.num_rows,
        "columns": {f.name: str(f.type) for f in t.schema},
        "nulls": {f.name: t.column(f.name).null_count for f in t.schema},
    }
print(json.dumps(out))
"#;

/// One Parquet file as pyarrow sees it.
struct Seen {
    rows: u64,
    columns: BTreeMap<String, String>,
    nulls: BTreeMap<String, u64>,
}

/// Read `paths` with pyarrow; fails with an install hint when python3 or pyarrow is missing.
fn read_with_pyarrow(paths: &[&Path]) -> BTreeMap<String, Seen> {
    let probe = Command::new("python3")
        .args(["-c", "import pyarrow.parquet"])
        .output();
    match probe {
        Err(e) => panic!(
            "python3 is not available ({e}); the Parquet type check needs python3 with pyarrow: \
             run `pip install pyarrow` (CI installs it in .ci/run)"
        ),
        Ok(out) if !out.status.success() => panic!(
            "pyarrow is not importable; run `pip install pyarrow` (CI installs it in .ci/run)\n{}",
            show(&out)
        ),
        Ok(_) => {}
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg(READER)
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pyarrow could not read: {}",
        show(&out)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", show(&out)));
    let mut seen = BTreeMap::new();
    for (path, v) in json.as_object().unwrap() {
        let map = |key: &str| -> BTreeMap<String, serde_json::Value> {
            v[key]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect()
        };
        seen.insert(
            path.clone(),
            Seen {
                rows: v["rows"].as_u64().unwrap(),
                columns: map("columns")
                    .into_iter()
                    .map(|(k, x)| (k, x.as_str().unwrap().to_string()))
                    .collect(),
                nulls: map("nulls")
                    .into_iter()
                    .map(|(k, x)| (k, x.as_u64().unwrap()))
                    .collect(),
            },
        );
    }
    seen
}

/// Whether an Arrow type name is one of the UTF-8 string encodings.
fn is_string(arrow: &str) -> bool {
    matches!(arrow, "string" | "large_string" | "string_view")
}

/// The documented type of a column, as a check on the Arrow type name.
fn matches_contract(want: &str, arrow: &str) -> bool {
    match want {
        "string" => is_string(arrow),
        "float64" => arrow == "double",
        other => arrow == other,
    }
}

/// Compare a file's columns with `contract` (column → documented type); every listed column
/// must exist with that type. `all` also demands that no other column exists.
fn check_types(
    name: &str,
    seen: &Seen,
    contract: &[(&str, &str)],
    all: bool,
    problems: &mut Vec<String>,
) {
    for (col, want) in contract {
        match seen.columns.get(*col) {
            None => problems.push(format!("{name}: no column {col}")),
            Some(arrow) if !matches_contract(want, arrow) => {
                problems.push(format!("{name}.{col}: {arrow}, documented {want}"))
            }
            Some(_) => {}
        }
    }
    if all {
        for (col, arrow) in &seen.columns {
            if !contract.iter().any(|(c, _)| c == col) {
                problems.push(format!("{name}: undocumented column {col} ({arrow})"));
            }
        }
    }
}

/// Compare row counts with the CSV twin, and null counts of `nullable` columns with its
/// empty cells; columns not listed as nullable must hold no nulls.
fn check_against_csv(
    name: &str,
    seen: &Seen,
    csv: &Path,
    nullable: &[&str],
    problems: &mut Vec<String>,
) {
    let (header, rows) = read_csv(csv);
    if seen.rows != rows.len() as u64 {
        problems.push(format!(
            "{name}: {} Parquet rows, {} CSV rows",
            seen.rows,
            rows.len()
        ));
    }
    let header_cols: Vec<&String> = header.iter().collect();
    let parquet_cols: Vec<&String> = seen.columns.keys().collect();
    let mut sorted_header = header_cols.clone();
    sorted_header.sort();
    if sorted_header != parquet_cols {
        problems.push(format!(
            "{name}: CSV columns {header_cols:?}, Parquet columns {parquet_cols:?}"
        ));
    }
    for (col, nulls) in &seen.nulls {
        if nullable.contains(&col.as_str()) {
            let Some(i) = header.iter().position(|h| h == col) else {
                continue;
            };
            let empty = rows
                .iter()
                .filter(|r| r.get(i).is_none_or(|c| c.is_empty()))
                .count() as u64;
            if *nulls != empty {
                problems.push(format!(
                    "{name}.{col}: {nulls} nulls in Parquet, {empty} empty cells in CSV"
                ));
            }
        } else if *nulls != 0 {
            problems.push(format!(
                "{name}.{col}: {nulls} nulls in a non-nullable column"
            ));
        }
    }
}

#[test]
fn parquet_column_types_follow_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_sample(tmp.path());

    let docs = dir.join("data/documents.parquet");
    let facts = dir.join("data/facts.parquet");
    let tables = ["coverage", "indicators", "change", "ranking", "quality"];
    let table_paths: Vec<_> = tables
        .iter()
        .map(|t| dir.join(format!("tables/{t}.parquet")))
        .collect();
    let mut paths: Vec<&Path> = vec![&docs, &facts];
    paths.extend(table_paths.iter().map(|p| p.as_path()));
    for p in &paths {
        assert!(p.is_file(), "missing {}", p.display());
    }
    let seen = read_with_pyarrow(&paths);
    let get = |p: &Path| &seen[p.to_str().unwrap()];
    let mut problems = Vec::new();

    // documents: every documented column, plus one uint32 mentions_<theme> per theme.
    let d = get(&docs);
    let mut doc_contract: Vec<(&str, &str)> = [
        "doc_id",
        "path",
        "title",
        "format",
        "encoding",
        "script",
        "region_code",
        "region_level",
        "region_name",
        "province",
        "city",
        "county",
        "province_code",
        "city_code",
        "period",
        "period_label",
        "year_trust",
    ]
    .iter()
    .map(|c| (*c, "string"))
    .collect();
    doc_contract.extend([
        ("region_confidence", "float64"),
        ("year", "int32"),
        ("chars", "uint64"),
        ("sentences", "uint64"),
        ("facts", "uint64"),
    ]);
    let mentions: Vec<&String> = d
        .columns
        .keys()
        .filter(|c| c.starts_with("mentions_"))
        .collect();
    assert!(
        mentions.len() >= 5,
        "documents.parquet has too few mentions_<theme> columns: {mentions:?}"
    );
    for m in &mentions {
        doc_contract.push((m.as_str(), "uint32"));
    }
    check_types("documents", d, &doc_contract, true, &mut problems);
    check_against_csv(
        "documents",
        d,
        &dir.join("data/documents.csv"),
        &["year"],
        &mut problems,
    );

    // facts: every documented column.
    let f = get(&facts);
    let mut fact_contract: Vec<(&str, &str)> = [
        "doc_id",
        "path",
        "region_code",
        "period_label",
        "theme",
        "indicator",
        "unit",
        "raw",
        "qualifier",
        "role",
        "section",
        "sentence",
    ]
    .iter()
    .map(|c| (*c, "string"))
    .collect();
    fact_contract.extend([
        ("value", "float64"),
        ("masked", "bool"),
        ("damaged", "bool"),
        ("start", "uint64"),
        ("end", "uint64"),
    ]);
    check_types("facts", f, &fact_contract, true, &mut problems);
    check_against_csv(
        "facts",
        f,
        &dir.join("data/facts.csv"),
        &["value"],
        &mut problems,
    );
    assert!(f.rows > 50, "too few facts for a real check: {}", f.rows);

    // tables: key columns.
    let table_contracts: [&[(&str, &str)]; 5] = [
        &[
            ("region_code", "string"),
            ("theme", "string"),
            ("documents", "uint32"),
            ("mentions", "uint32"),
            ("share", "float64"),
        ],
        &[
            ("region_code", "string"),
            ("indicator", "string"),
            ("value", "float64"),
            ("facts", "uint32"),
            ("start", "uint64"),
        ],
        &[
            ("region_code", "string"),
            ("from_value", "float64"),
            ("to_value", "float64"),
            ("abs_change", "float64"),
            ("rel_change", "float64"),
        ],
        &[
            ("period_label", "string"),
            ("rank", "uint32"),
            ("region_code", "string"),
            ("value", "float64"),
        ],
        &[
            ("region_code", "string"),
            ("documents", "uint32"),
            ("facts", "uint32"),
            ("masked", "uint32"),
        ],
    ];
    let table_nullable: [&[&str]; 5] = [&[], &["value", "start"], &["rel_change"], &["value"], &[]];
    for (i, t) in tables.iter().enumerate() {
        let s = get(&table_paths[i]);
        assert!(s.rows > 0, "tables/{t}.parquet is empty");
        check_types(t, s, table_contracts[i], false, &mut problems);
        check_against_csv(
            t,
            s,
            &dir.join(format!("tables/{t}.csv")),
            table_nullable[i],
            &mut problems,
        );
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
