//! The batch path's guarantees: deterministic across thread counts, shards
//! merge to the single run, a cache rerun equals a fresh run, a killed run
//! leaves the previous outputs intact, and the generator's truth is recovered.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::gold::{self, Score};
use crate::util::{bin, sample_corpus, show, zongjie};

const OUTPUTS: [&str; 5] = [
    "documents.parquet",
    "documents.csv",
    "facts.parquet",
    "facts.csv",
    "manifest.json",
];

fn extract(inputs: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "extract",
        inputs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let run = zongjie(&args);
    assert!(run.status.success(), "{}", show(&run));
}

fn assert_same_outputs(a: &Path, b: &Path) {
    for name in OUTPUTS {
        let left = std::fs::read(a.join(name)).unwrap();
        let right = std::fs::read(b.join(name)).unwrap();
        assert!(
            left == right,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn generate(dir: &Path, docs: u32, seed: u32) -> PathBuf {
    let run = zongjie(&[
        "gen-corpus",
        "--docs",
        &docs.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(run.status.success(), "{}", show(&run));
    dir.join("corpus")
}

#[test]
fn outputs_are_identical_at_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = generate(&tmp.path().join("gen"), 300, 3);
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    extract(&corpus, &one, &["-j", "1"]);
    extract(&corpus, &two, &["-j", "2"]);
    assert_same_outputs(&one, &two);
}

#[test]
fn shards_merge_into_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = generate(&tmp.path().join("gen"), 600, 5);
    let whole = tmp.path().join("whole");
    extract(&corpus, &whole, &[]);
    let mut shards = Vec::new();
    for k in 0..3 {
        let dir = tmp.path().join(format!("shard-{k}"));
        extract(&corpus, &dir, &["--shard", &format!("{k}/3")]);
        shards.push(dir);
    }
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge", "--out", merged.to_str().unwrap(), "--quiet"];
    args.extend(shards.iter().map(|d| d.to_str().unwrap()));
    let run = zongjie(&args);
    assert!(run.status.success(), "{}", show(&run));
    assert_same_outputs(&whole, &merged);
}

#[test]
fn cache_rerun_over_a_grown_corpus_equals_a_fresh_run() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let files: Vec<PathBuf> = std::fs::read_dir(sample_corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let (first, later) = files.split_at(files.len() / 2);
    for f in first {
        std::fs::copy(f, corpus.join(f.file_name().unwrap())).unwrap();
    }
    let cache = tmp.path().join("cache");
    let cached = tmp.path().join("cached");
    let cached_run = || extract_with_cache(&corpus, &cached, &cache);
    let said = cached_run();
    assert!(said.contains("; 0 read from the cache"), "{said}");
    assert_eq!(packs(&cache), 1, "one batch, one pack");
    for f in later {
        std::fs::copy(f, corpus.join(f.file_name().unwrap())).unwrap();
    }
    let said = cached_run();
    let hits = format!("; {} read from the cache", first.len());
    assert!(
        said.contains(&hits),
        "only the new files were parsed: {said}"
    );
    assert_eq!(packs(&cache), 2, "the new files' pack");
    let fresh = tmp.path().join("fresh");
    extract(&corpus, &fresh, &[]);
    assert_same_outputs(&cached, &fresh);
    // A third run parses nothing and adds no pack.
    assert!(cached_run().contains(&format!("; {} read from the cache", files.len())));
    assert_eq!(packs(&cache), 2);
    assert_same_outputs(&cached, &fresh);
}

#[test]
fn a_cache_that_cannot_be_written_is_said_once_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the cache's folder would be: nothing can be added to it
    // (whoever runs the test, root included).
    let cache = tmp.path().join("cache");
    std::fs::write(&cache, "not a folder").unwrap();
    // More than one batch: one warning, not one a batch.
    let corpus = generate(&tmp.path().join("gen"), 300, 3);
    let out = tmp.path().join("out");
    let said = extract_with_cache(&corpus, &out, &cache);
    assert_eq!(
        said.matches("cannot add to the cache").count(),
        1,
        "said once: {said}"
    );
    assert!(said.contains("; 0 read from the cache"), "{said}");
    let fresh = tmp.path().join("fresh");
    extract(&corpus, &fresh, &[]);
    assert_same_outputs(&out, &fresh);
}

#[test]
fn the_folders_of_other_builds_in_the_cache_are_noted_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    // What an older build left: a folder of its own with a pack in it.
    let old = cache.join("v0.0.1-0000000000000000-0badcafe");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("0123456789abcdef.pack"), vec![7u8; 2_500_000]).unwrap();
    let corpus = sample_corpus();
    let said = extract_with_cache(&corpus, &tmp.path().join("a"), &cache);
    let note = said
        .lines()
        .find(|l| l.starts_with("zongjie: note: the cache also holds 1 folder "))
        .unwrap_or_else(|| panic!("no note: {said}"));
    assert!(note.contains("(2.5 MB)"), "{note}");
    assert!(note.contains(&old.display().to_string()), "{note}");
    assert!(
        old.join("0123456789abcdef.pack").exists(),
        "nothing deleted"
    );
    // The run's own folder is no other: a rerun still names only the old one.
    let said = extract_with_cache(&corpus, &tmp.path().join("b"), &cache);
    assert!(said.contains("holds 1 folder of other"), "{said}");
    assert!(said.contains("; 16 read from the cache"), "{said}");
}

/// What a successful `extract` run with `--cache` said on stderr (not
/// quiet: its last line says how many documents the cache gave).
fn extract_with_cache(inputs: &Path, out: &Path, cache: &Path) -> String {
    let run = zongjie(&[
        "extract",
        inputs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", show(&run));
    String::from_utf8(run.stderr).unwrap()
}

/// The cache packs under `dir`, at any depth.
fn packs(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            n += packs(&path);
        } else if path.extension().is_some_and(|e| e == "pack") {
            n += 1;
        }
    }
    n
}

#[test]
fn a_killed_run_leaves_previous_outputs_and_the_rerun_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = generate(&tmp.path().join("gen"), 3000, 9);
    let small = sample_corpus();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("cache");
    // A previous, finished run into the same folder.
    extract(&small, &out, &[]);
    let before: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();

    let mut child = Command::new(bin())
        .args([
            "extract",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "-j",
            "1",
        ])
        .args(["--cache", cache.to_str().unwrap()])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if !finished_early {
        let after: Vec<Vec<u8>> = OUTPUTS
            .iter()
            .map(|n| std::fs::read(out.join(n)).unwrap())
            .collect();
        assert!(before == after, "a killed run changed the previous outputs");
    }
    // The rerun (with the cache the killed run filled) equals a clean run.
    extract(&corpus, &out, &["--cache", cache.to_str().unwrap()]);
    let clean = tmp.path().join("clean");
    extract(&corpus, &clean, &[]);
    assert_same_outputs(&out, &clean);
}

#[test]
fn generated_corpus_truth_is_recovered() {
    let tmp = tempfile::tempdir().unwrap();
    let gen = tmp.path().join("gen");
    let corpus = generate(&gen, 500, 1);
    let out = tmp.path().join("out");
    extract(&corpus, &out, &[]);
    let truth = gold::load(&gen.join("truth.jsonl"));
    let docs = gold::rows(&out.join("documents.csv"));
    let facts = gold::rows(&out.join("facts.csv"));
    let mut score = Score::default();
    let (mut region_ok, mut period_ok) = (0, 0);
    let mut by_doc: std::collections::HashMap<&str, Vec<&gold::Row>> =
        std::collections::HashMap::new();
    for f in &facts {
        by_doc.entry(f["path"].as_str()).or_default().push(f);
    }
    for t in &truth {
        let file = t["file"].as_str().unwrap();
        let doc = docs
            .iter()
            .find(|d| d["path"].ends_with(file))
            .unwrap_or_else(|| panic!("{file} missing"));
        region_ok += usize::from(doc["region_code"] == t["region"]["code"].as_str().unwrap());
        let want = format!(
            "{}-{}",
            t["period"]["year"],
            t["period"]["kind"].as_str().unwrap()
        );
        period_ok += usize::from(doc["period_label"] == want);
        let doc_facts = by_doc
            .get(doc["path"].as_str())
            .cloned()
            .unwrap_or_default();
        gold::score_doc(t, &doc_facts, true, &mut score);
    }
    eprintln!(
        "generated corpus: region {region_ok}/{n}, period {period_ok}/{n}, core recall {:.3}, precision {:.3}",
        score.recall(),
        score.precision(),
        n = truth.len()
    );
    for note in score.notes.iter().take(20) {
        eprintln!("  {note}");
    }
    assert!(score.recall() >= 0.95, "core recall {:.3}", score.recall());
    assert!(
        score.precision() >= 0.9,
        "precision {:.3}",
        score.precision()
    );
    assert!(
        region_ok * 100 >= truth.len() * 90,
        "region {region_ok}/{}",
        truth.len()
    );
    assert!(
        period_ok * 100 >= truth.len() * 95,
        "period {period_ok}/{}",
        truth.len()
    );
}
