//! Turning the command line's INPUT arguments into the stream of files to read.
//!
//! [`walk`] yields the files in the order of their paths as text — the order
//! the output rows use — without ever holding the whole list: each folder is
//! read and sorted on its own, and the folders are walked depth first in an
//! order that equals the order of the full paths (see [`entry_order`]). So
//! memory follows the largest folder, not the corpus. Hidden files and
//! folders (name starting with `.`) are skipped unless named explicitly;
//! symbolic links are followed but a link that loops back is reported once,
//! never walked forever.

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

/// One item of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// A file to read.
    File(PathBuf),
    /// A path that could not be listed (missing, unreadable folder, symlink
    /// loop), with the reason.
    Problem(PathBuf, String),
}

/// The files under `inputs`, in the order of their paths as text and without
/// duplicates, with listing problems as they are met.
pub fn walk(inputs: &[PathBuf]) -> Walk {
    Walk {
        sources: inputs
            .iter()
            .map(|input| Source {
                input: input.clone(),
                walker: None,
                head: None,
                done: false,
            })
            .collect(),
        problems: VecDeque::new(),
        last: None,
    }
}

/// How many files [`walk`] yields that fall in `shard` (all when `None`): the
/// length of a progress bar, known before the first file is read.
pub fn count(inputs: &[PathBuf], shard: Option<(u32, u32)>) -> u64 {
    walk(inputs)
        .filter(|item| matches!(item, Listed::File(_)) && item.kept_in(shard))
        .count() as u64
}

impl Listed {
    /// Whether a run over `shard` (all inputs when `None`) keeps this item:
    /// a file when it falls in the shard, a problem always (every shard
    /// reports it).
    pub fn kept_in(&self, shard: Option<(u32, u32)>) -> bool {
        match self {
            Listed::File(path) => shard.is_none_or(|(k, n)| in_shard(path, k, n)),
            Listed::Problem(..) => true,
        }
    }
}

/// The merged listing of several inputs: see [`walk`].
pub struct Walk {
    sources: Vec<Source>,
    problems: VecDeque<(PathBuf, String)>,
    last: Option<PathBuf>,
}

/// One INPUT argument being listed: a file, or a folder being walked.
struct Source {
    input: PathBuf,
    walker: Option<Box<dyn Iterator<Item = walkdir::Result<DirEntry>> + Send>>,
    /// The next file of this input, not yet yielded.
    head: Option<PathBuf>,
    done: bool,
}

impl Source {
    /// Fill `head` with the next file, recording problems met on the way.
    fn fill(&mut self, problems: &mut VecDeque<(PathBuf, String)>) {
        while self.head.is_none() && !self.done {
            let Some(walker) = &mut self.walker else {
                self.start(problems);
                continue;
            };
            match walker.next() {
                None => self.done = true,
                Some(Ok(entry)) if entry.file_type().is_file() => {
                    self.head = Some(entry.into_path());
                }
                Some(Ok(_)) => {}
                Some(Err(err)) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| self.input.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loops back to a parent folder; not followed".to_string()
                    } else {
                        format!("cannot list: {err}")
                    };
                    problems.push_back((path, reason));
                }
            }
        }
    }

    /// Look at the input: a file is its own head, a folder starts a walker.
    fn start(&mut self, problems: &mut VecDeque<(PathBuf, String)>) {
        match std::fs::metadata(&self.input) {
            Err(err) => {
                problems.push_back((self.input.clone(), format!("cannot open: {err}")));
                self.done = true;
            }
            Ok(meta) if !meta.is_dir() => {
                self.head = Some(self.input.clone());
                self.done = true;
            }
            Ok(_) => {
                self.walker = Some(Box::new(
                    WalkDir::new(&self.input)
                        .follow_links(true)
                        .sort_by(entry_order)
                        .into_iter()
                        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry)),
                ));
            }
        }
    }
}

impl Iterator for Walk {
    type Item = Listed;

    fn next(&mut self) -> Option<Listed> {
        loop {
            for source in &mut self.sources {
                source.fill(&mut self.problems);
            }
            if let Some((path, reason)) = self.problems.pop_front() {
                return Some(Listed::Problem(path, reason));
            }
            // The smallest head across the inputs; each input's files come
            // in order, so this merge yields all of them in order.
            let next = self
                .sources
                .iter()
                .enumerate()
                .filter_map(|(i, source)| Some((i, source.head.as_deref()?)))
                .min_by(|(_, a), (_, b)| a.to_string_lossy().cmp(&b.to_string_lossy()))
                .map(|(i, _)| i)?;
            let path = self.sources[next].head.take()?;
            if self.last.as_ref() == Some(&path) {
                continue; // the same file named twice
            }
            self.last = Some(path.clone());
            return Some(Listed::File(path));
        }
    }
}

/// The order of two entries of one folder that makes a depth-first walk
/// yield full paths in their order as text: names compared byte by byte, a
/// folder's name as if it ended in `/` (the separator its files' paths carry
/// there). So `a.txt` (`.` is 0x2E) comes before the files of folder `a`
/// (`/` is 0x2F), and these before `a0`.
pub fn entry_order(a: &DirEntry, b: &DirEntry) -> Ordering {
    let (a_name, b_name) = (name_of(a), name_of(b));
    let (a_dir, b_dir) = (sorts_as_folder(a), sorts_as_folder(b));
    // Most names are ASCII, which `is_ascii` tells in a few instructions;
    // `from_utf8` costs a hundred on a short name.
    let text = |name: &[u8]| name.is_ascii() || std::str::from_utf8(name).is_ok();
    match (text(a_name), text(b_name)) {
        (true, true) => text_order(a_name, a_dir, b_name, b_dir),
        // A name that is not UTF-8 sorts as it is shown, like its path.
        _ => text_order(
            String::from_utf8_lossy(a_name).as_bytes(),
            a_dir,
            String::from_utf8_lossy(b_name).as_bytes(),
            b_dir,
        ),
    }
}

/// Whether an entry sorts as a folder: its files' paths carry a `/` after
/// its name. Entries are sorted before links are followed, so a link to a
/// folder is looked through.
fn sorts_as_folder(entry: &DirEntry) -> bool {
    entry.file_type().is_dir() || (entry.path_is_symlink() && entry.path().is_dir())
}

/// `a` then a `/` when `a_dir`, against the same of `b`, byte by byte.
fn text_order(a: &[u8], a_dir: bool, b: &[u8], b_dir: bool) -> Ordering {
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        // At most one of the two names goes on; the rest is a few bytes.
        let slash = |is_dir: bool| is_dir.then_some(b'/');
        let a_rest = a[common..].iter().copied().chain(slash(a_dir));
        a_rest.cmp(b[common..].iter().copied().chain(slash(b_dir)))
    })
}

/// The entry's file name as bytes. A sort compares each name many times,
/// and `DirEntry::file_name` parses the whole path into components each
/// time; walkdir makes an entry's path by joining its name to its folder's
/// path, so below the root the name is what follows the last separator.
fn name_of(entry: &DirEntry) -> &[u8] {
    let path = entry.path().as_os_str().as_encoded_bytes();
    match last_separator(path) {
        Some(i) if entry.depth() > 0 && i + 1 < path.len() => &path[i + 1..],
        _ => entry.file_name().as_encoded_bytes(),
    }
}

/// Where the last path separator in `path` is, found with `memrchr` (a
/// byte at a time, the search was most of a sort's comparisons: a path
/// is some sixty bytes, a name a dozen).
fn last_separator(path: &[u8]) -> Option<usize> {
    if cfg!(windows) {
        memchr::memrchr2(b'/', b'\\', path)
    } else {
        memchr::memrchr(b'/', path)
    }
}

/// A file or folder whose name starts with `.`.
fn is_hidden(entry: &DirEntry) -> bool {
    name_of(entry).first() == Some(&b'.')
}

/// Whether `path` belongs to shard `k` of `n` (0-based `k`), chosen by a
/// stable hash of the path, so the shards of the same inputs are disjoint
/// and together cover them.
pub fn in_shard(path: &Path, k: u32, n: u32) -> bool {
    let hash = blake3::hash(path.to_string_lossy().as_bytes());
    let bytes = hash.as_bytes();
    let value = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    value % n == k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_separator_is_the_one_the_standard_library_sees() {
        for path in [
            "",
            "a",
            "/",
            "a/b",
            "/tmp/corpus/0000/0000001.txt",
            "报告/寿光市/2018.txt",
            "trailing/",
            "a\\b/c",
            "a/b\\c",
        ] {
            let bytes = path.as_bytes();
            let expected = bytes
                .iter()
                .rposition(|&b| std::path::is_separator(char::from(b)));
            assert_eq!(last_separator(bytes), expected, "{path:?}");
        }
    }

    /// The files `walk` yields, as paths relative to `root`.
    fn walked(inputs: &[PathBuf], root: &Path) -> Vec<String> {
        walk(inputs)
            .filter_map(|item| match item {
                Listed::File(path) => Some(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                ),
                Listed::Problem(..) => None,
            })
            .collect()
    }

    fn touch(root: &Path, files: &[&str]) {
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
    }

    #[test]
    fn walks_folders_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        touch(
            dir.path(),
            &["b/2.txt", "a.txt", ".hidden.txt", "b/.git/config"],
        );
        assert_eq!(
            walked(&[dir.path().to_path_buf()], dir.path()),
            ["a.txt", "b/2.txt"]
        );
        assert_eq!(count(&[dir.path().to_path_buf()], None), 2);
    }

    #[test]
    fn walk_order_is_the_order_of_paths_as_text() {
        // Names that order differently by path component and by text:
        // `a.txt` < `a/…` < `a0` as text, but folder `a` sorts first by name.
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "a/y/z.txt",
            "a/y.txt",
            "a/y-1.txt",
            "a.txt",
            "a-b/q.txt",
            "a0",
            "ab/c.txt",
            "a/x.txt",
            "中/文.txt",
            "z",
            "a/y/z/deep.txt",
            "a/y0/w.txt",
        ];
        touch(dir.path(), &files);
        let got = walked(&[dir.path().to_path_buf()], dir.path());
        let mut expected: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        expected.sort();
        assert_eq!(got, expected);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_sort_as_they_are_shown() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["b.txt", "c.txt", ".d.txt"]);
        let odd = |name: &[u8]| dir.path().join(OsStr::from_bytes(name));
        std::fs::write(odd(b"b\xff.txt"), "x").unwrap();
        std::fs::create_dir(odd(b"b\xff")).unwrap();
        std::fs::write(odd(b"b\xff").join("x.txt"), "x").unwrap();
        std::fs::write(odd(b".\xff"), "x").unwrap();
        // Given with a final `/`, as a shell's completion leaves it.
        let input = PathBuf::from(format!("{}/", dir.path().display()));
        let got = walked(&[input], dir.path());
        assert_eq!(got, ["b.txt", "b\u{fffd}.txt", "b\u{fffd}/x.txt", "c.txt"]);
    }

    #[test]
    fn several_inputs_merge_in_order_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["a/1.txt", "a/3.txt", "b/2.txt", "c.txt"]);
        let inputs = [
            dir.path().join("b"),
            dir.path().join("c.txt"),
            dir.path().join("a"),
            dir.path().join("a/3.txt"),
        ];
        assert_eq!(
            walked(&inputs, dir.path()),
            ["a/1.txt", "a/3.txt", "b/2.txt", "c.txt"]
        );
    }

    #[test]
    fn missing_input_is_a_problem_not_a_panic() {
        let items: Vec<Listed> = walk(&[PathBuf::from("/no/such/zongjie/input")]).collect();
        assert_eq!(items.len(), 1);
        assert!(
            matches!(&items[0], Listed::Problem(_, reason) if reason.starts_with("cannot open"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_once_and_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["sub/r.txt"]);
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let items: Vec<Listed> = walk(&[dir.path().to_path_buf()]).collect();
        assert_eq!(items.len(), 2, "{items:?}");
        let problems: Vec<&String> = items
            .iter()
            .filter_map(|item| match item {
                Listed::Problem(_, reason) => Some(reason),
                Listed::File(_) => None,
            })
            .collect();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("loops"));
    }

    #[cfg(unix)]
    #[test]
    fn linked_folder_sorts_as_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["real/f.txt", "top/a.txt"]);
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("top/a")).unwrap();
        let got = walked(&[dir.path().join("top")], &dir.path().join("top"));
        assert_eq!(got, ["a.txt", "a/f.txt"]);
    }

    #[test]
    fn shards_partition_the_input() {
        let files: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("r{i}.txt")))
            .collect();
        let per_shard: Vec<usize> = (0..3)
            .map(|k| files.iter().filter(|f| in_shard(f, k, 3)).count())
            .collect();
        assert_eq!(per_shard.iter().sum::<usize>(), files.len());
        assert!(per_shard.iter().all(|&n| n > 40), "{per_shard:?}");
    }
}
