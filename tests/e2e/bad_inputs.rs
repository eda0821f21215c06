//! A folder of broken inputs: each lands in the manifest with the right status
//! and reason, the good file still produces rows, and the run goes on.

use std::io::Write;
use std::path::Path;

use crate::util::{entry, manifest, read_csv, show, zongjie};

const GOOD: &str =
    "寿光市科技局2023年上半年工作总结\n一、工作总结\n全市共有高新技术企业66家，申请专利120件。\n";

fn make_bad_inputs(dir: &Path) {
    std::fs::write(dir.join("good.txt"), GOOD).unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    let png = [
        0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    std::fs::write(dir.join("chart.png"), png).unwrap();
    // Bytes that are neither UTF-8 nor any Chinese encoding: control-byte soup.
    let junk: Vec<u8> = (0..4000u32)
        .map(|i| [0x80, 0x81, 0xff, 0x01, 0x02][i as usize % 5])
        .collect();
    std::fs::write(dir.join("invalid-bytes.txt"), junk).unwrap();
    // GB18030 text cut in the middle of a two-byte character.
    let (gb, _, _) = encoding_rs::GB18030
        .encode("钟祥市科技局2018年第一季度工作总结\n全市申报高新技术企业22家。");
    let mut cut = gb.to_vec();
    cut.pop();
    std::fs::write(dir.join("truncated-gb18030.txt"), cut).unwrap();
    // 50 MB on a single line.
    let mut big = std::fs::File::create(dir.join("huge-one-line.txt")).unwrap();
    let block = "科技创新工作取得新进展全市共有高新技术企业".repeat(1000);
    let mut written = 0;
    while written < 50_000_000 {
        big.write_all(block.as_bytes()).unwrap();
        written += block.len();
    }
    drop(big);
    std::fs::write(
        dir.join("not-a-zip.docx"),
        "this is plain text pretending to be a docx",
    )
    .unwrap();
    std::fs::write(
        dir.join("nul-bytes.txt"),
        b"abc\0\0\0def\0\x01\x02\0\0\0\0ghi\0\0\0\0\0\0\0\0",
    )
    .unwrap();
    let locked = dir.join("unreadable.txt");
    std::fs::write(&locked, GOOD).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
}

#[test]
fn every_bad_input_is_accounted_for() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    make_bad_inputs(&inputs);
    let out_dir = tmp.path().join("out");
    let out = zongjie(&[
        "extract",
        inputs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    // Some inputs were good, so the run succeeds; without --strict it exits 0.
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let m = manifest(&out_dir);
    assert_eq!(m["inputs"].as_array().unwrap().len(), 9, "{m:#}");

    let status = |name: &str| entry(&m, name)["status"].as_str().unwrap().to_string();
    let reason = |name: &str| entry(&m, name)["reason"].as_str().unwrap().to_string();
    assert_eq!(status("good.txt"), "ok");
    assert_eq!(status("empty.txt"), "empty");
    assert_eq!(status("chart.png"), "unsupported");
    assert!(
        reason("chart.png").contains("PNG"),
        "{}",
        reason("chart.png")
    );
    assert_ne!(
        status("invalid-bytes.txt"),
        "ok",
        "{}",
        reason("invalid-bytes.txt")
    );
    assert_eq!(status("truncated-gb18030.txt"), "ok");
    assert_eq!(status("not-a-zip.docx"), "failed");
    assert!(
        reason("not-a-zip.docx").contains("zip"),
        "{}",
        reason("not-a-zip.docx")
    );
    assert_ne!(status("nul-bytes.txt"), "ok");
    // Far larger than any report: refused before reading, with the limit named.
    assert_eq!(status("huge-one-line.txt"), "unsupported");
    assert!(
        reason("huge-one-line.txt").contains("--max-file-mb"),
        "{}",
        reason("huge-one-line.txt")
    );
    // Root can read anything, so only check the unreadable file when permissions bite.
    let unreadable = status("unreadable.txt");
    if unreadable == "failed" {
        assert!(
            reason("unreadable.txt").contains("cannot read"),
            "{}",
            reason("unreadable.txt")
        );
    }
    // Every failure has a reason; the stderr names each failed file.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for e in m["inputs"].as_array().unwrap() {
        if e["status"] != "ok" {
            assert!(!e["reason"].as_str().unwrap().is_empty(), "{e}");
            let path = e["path"].as_str().unwrap();
            assert!(
                stderr.contains(path),
                "stderr does not name {path}:\n{stderr}"
            );
        }
    }

    // The good files still produce rows.
    let (header, rows) = read_csv(&out_dir.join("documents.csv"));
    let path_col = header.iter().position(|h| h == "path").unwrap();
    assert!(rows.iter().any(|r| r[path_col].ends_with("good.txt")));
    assert_eq!(rows.len() as u64, m["counts"]["ok"].as_u64().unwrap());
    let (fheader, frows) = read_csv(&out_dir.join("facts.csv"));
    let value = fheader.iter().position(|h| h == "value").unwrap();
    assert!(
        frows.iter().any(|r| r[value] == "66" || r[value] == "66.0"),
        "{frows:?}"
    );
}

#[test]
fn strict_fails_on_any_bad_input_and_nothing_readable_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("good.txt"), GOOD).unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();
    let out_dir = tmp.path().join("out");
    let args = [
        "extract",
        inputs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ];
    let out = zongjie(&args);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let mut strict = args.to_vec();
    strict.push("--strict");
    let out = zongjie(&strict);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));

    std::fs::remove_file(inputs.join("good.txt")).unwrap();
    let out = zongjie(&args);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert_eq!(manifest(&out_dir)["counts"]["empty"], 1);
}

#[test]
fn listing_problems_are_accounted_for_and_rows_follow_the_paths_text_order() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    // `a.txt` < `a/…` < `a0.txt` as text, though folder `a` sorts before
    // `a.txt` by name.
    for name in ["a0.txt", "a/b.txt", "a.txt", "a/c/d.txt"] {
        let path = inputs.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, GOOD).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&inputs, inputs.join("a/c/loop")).unwrap();
    let missing = tmp.path().join("no-such-folder");
    let out_dir = tmp.path().join("out");
    let out = zongjie(&[
        "extract",
        missing.to_str().unwrap(),
        inputs.to_str().unwrap(),
        // Named twice: read once.
        inputs.join("a.txt").to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let m = manifest(&out_dir);
    let missing_entry = entry(&m, "no-such-folder");
    assert_eq!(missing_entry["status"], "failed");
    assert!(
        missing_entry["reason"]
            .as_str()
            .unwrap()
            .starts_with("cannot open"),
        "{missing_entry}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    #[cfg(unix)]
    assert!(
        entry(&m, "loop")["reason"]
            .as_str()
            .unwrap()
            .contains("loops back"),
        "{m:#}"
    );
    let (header, rows) = read_csv(&out_dir.join("documents.csv"));
    let path_col = header.iter().position(|h| h == "path").unwrap();
    let paths: Vec<String> = rows
        .iter()
        .map(|r| {
            r[path_col]
                .strip_prefix(inputs.to_str().unwrap())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(paths, ["/a.txt", "/a/b.txt", "/a/c/d.txt", "/a0.txt"]);
    assert_eq!(m["counts"]["ok"], 4);
}
