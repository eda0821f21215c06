//! Usage, help and exit codes.

use crate::util::{show, zongjie};

#[test]
fn help_teaches_every_command() {
    for cmd in ["extract", "inspect"] {
        let out = zongjie(&[cmd, "--help"]);
        assert!(out.status.success(), "{}", show(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Examples:"),
            "{cmd} --help has no example:\n{text}"
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    let out = zongjie(&["extract"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let out = zongjie(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
}

#[test]
fn inspect_of_missing_file_names_it() {
    let out = zongjie(&["inspect", "no/such/report.txt"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/report.txt"));
}
