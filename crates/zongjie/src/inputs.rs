//! Turning the command line's INPUT arguments into the sorted list of files to read.
//!
//! Folders are walked recursively; hidden files and folders (name starting
//! with `.`) are skipped unless named explicitly; symbolic links are followed
//! but a link that loops back is reported once, never walked forever.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// The files to read, plus the problems met while listing them.
#[derive(Debug, Default)]
pub struct InputList {
    /// Files to read, sorted and without duplicates.
    pub files: Vec<PathBuf>,
    /// Paths that could not be listed (missing, unreadable folder, symlink loop) with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

/// List the files under `inputs`.
pub fn collect(inputs: &[PathBuf]) -> InputList {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        let meta = match std::fs::metadata(input) {
            Ok(meta) => meta,
            Err(err) => {
                problems.push((input.clone(), format!("cannot open: {err}")));
                continue;
            }
        };
        if !meta.is_dir() {
            files.push(input.clone());
            continue;
        }
        let walker = WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.path()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loops back to a parent folder; not followed".to_string()
                    } else {
                        format!("cannot list: {err}")
                    };
                    problems.push((path, reason));
                }
            }
        }
    }
    // Order by the path as text, the same order the output rows use (no copy
    // for UTF-8 paths: a million paths are sorted in place), then drop inputs
    // named twice.
    files.sort_by(|a, b| a.to_string_lossy().cmp(&b.to_string_lossy()));
    files.dedup();
    InputList { files, problems }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('.'))
}

/// Keep only the files of shard `k` of `n` (0-based `k`), chosen by a stable
/// hash of the path, so every shard of the same input list is disjoint and
/// together they cover it.
pub fn shard(files: Vec<PathBuf>, k: u32, n: u32) -> Vec<PathBuf> {
    files
        .into_iter()
        .filter(|path| {
            let hash = blake3::hash(path.to_string_lossy().as_bytes());
            let bytes = hash.as_bytes();
            let value = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            value % n == k
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/.git")).unwrap();
        std::fs::write(dir.path().join("b/2.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b/.git/config"), "x").unwrap();
        let list = collect(&[dir.path().to_path_buf()]);
        let names: Vec<_> = list
            .files
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.txt", "b/2.txt"]);
        assert!(list.problems.is_empty());
    }

    #[test]
    fn missing_input_is_a_problem_not_a_panic() {
        let list = collect(&[PathBuf::from("/no/such/zongjie/input")]);
        assert!(list.files.is_empty());
        assert_eq!(list.problems.len(), 1);
        assert!(list.problems[0].1.starts_with("cannot open"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_once_and_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/r.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let list = collect(&[dir.path().to_path_buf()]);
        assert_eq!(list.files.len(), 1);
        assert_eq!(list.problems.len(), 1);
        assert!(list.problems[0].1.contains("loops"));
    }

    #[test]
    fn shards_partition_the_input() {
        let files: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("r{i}.txt")))
            .collect();
        let mut seen: Vec<PathBuf> = (0..3).flat_map(|k| shard(files.clone(), k, 3)).collect();
        seen.sort();
        let mut expected = files.clone();
        expected.sort();
        assert_eq!(seen, expected);
        assert!(shard(files, 0, 3).len() > 40);
    }
}
