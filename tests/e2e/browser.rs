//! The HTML report opened in headless Chromium: the pages load without console messages,
//! the DOM holds the report title and inline SVG charts, and a screenshot is not blank.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::{report_sample, show};

/// Where the Debian package `chromium` puts the browser; `CHROMIUM` overrides it.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "no Chromium at {}: the browser test needs it; install it with \
         `apt-get update && apt-get install -y chromium` (CI installs it in .ci/run) \
         or point CHROMIUM at a Chromium binary",
        path.display()
    );
    path
}

/// Run headless Chromium on `url` with `extra` flags and a fresh profile folder.
fn run_chromium(url: &str, extra: &[&str]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        show(&out)
    );
    out
}

/// Console messages Chromium logged for a page (`--enable-logging=stderr` prints each as a
/// line with `:CONSOLE:`, uncaught exceptions as `"Uncaught ..."`).
fn console_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

/// Load `url`, returning the serialized DOM and the console lines.
fn load(url: &str) -> (String, Vec<String>) {
    let out = run_chromium(url, &["--enable-logging=stderr", "--v=0", "--dump-dom"]);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        console_lines(&out),
    )
}

/// Screenshot `url` at 1200×900 into `png`; returns the file's bytes.
fn screenshot(url: &str, png: &Path) -> Vec<u8> {
    run_chromium(
        url,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1200,900",
        ],
    );
    std::fs::read(png).unwrap_or_else(|e| panic!("no screenshot {}: {e}", png.display()))
}

/// Total length of the compressed image data (IDAT chunks) of a PNG: a page with text and
/// charts compresses far worse than a uniform one.
fn idat_len(png: &[u8]) -> usize {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG ({} bytes)",
        png.len()
    );
    let mut total = 0;
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        if &png[at + 4..at + 8] == b"IDAT" {
            total += len;
        }
        at += 12 + len;
    }
    total
}

/// The file URL of a local path.
fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn chromium_sees_console_errors() {
    // The detector itself: a page with a deliberate error must be caught.
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("broken.html");
    std::fs::write(
        &page,
        "<!doctype html><title>t</title><p>x</p>\
         <script>console.error('boom'); undefinedFunction();</script>",
    )
    .unwrap();
    let (_, console) = load(&file_url(&page));
    assert!(
        console.iter().any(|l| l.contains("boom")),
        "console.error not seen: {console:?}"
    );
    assert!(
        console
            .iter()
            .any(|l| l.contains("Uncaught ReferenceError")),
        "uncaught exception not seen: {console:?}"
    );
}

#[test]
fn report_pages_render_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = report_sample(tmp.path());

    let index = dir.join("index.html");
    let evidence = dir.join("evidence.html");
    let (dom, console) = load(&file_url(&index));
    assert!(console.is_empty(), "index.html logs: {console:#?}");
    assert!(
        dom.contains("科技局工作总结 benchmarking report"),
        "title missing from the DOM of index.html: {}",
        &dom[..dom.len().min(2000)]
    );
    let svgs = dom.matches("<svg").count();
    assert!(svgs >= 3, "index.html shows {svgs} inline SVG charts");

    let (dom, console) = load(&file_url(&evidence));
    assert!(console.is_empty(), "evidence.html logs: {console:#?}");
    assert!(
        dom.contains("<h1>Evidence:") && dom.contains("<table"),
        "evidence.html has no heading or table: {}",
        &dom[..dom.len().min(2000)]
    );

    // Screenshots, against one of a blank page taken the same way.
    let blank = idat_len(&screenshot("about:blank", &tmp.path().join("blank.png")));
    for (name, page) in [("index", &index), ("evidence", &evidence)] {
        let png = tmp.path().join(format!("{name}.png"));
        let data = screenshot(&file_url(page), &png);
        assert_eq!(&data[12..16], b"IHDR", "{name}.png has no header");
        let width = u32::from_be_bytes(data[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(data[20..24].try_into().unwrap());
        assert_eq!((width, height), (1200, 900), "{name}.png size");
        let drawn = idat_len(&data);
        assert!(
            drawn > 5 * blank.max(1),
            "{name}.png looks blank: {drawn} bytes of image data, a blank page has {blank}"
        );
    }
}
