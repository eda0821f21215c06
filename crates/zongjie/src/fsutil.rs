//! Atomic file output: write to a temporary file in the destination folder,
//! then rename over the target, so an interrupted run never leaves a
//! half-written output behind and the previous output stays intact.
//!
//! Outputs are flushed to disk before the rename ([`write_atomic`]), so they
//! survive a power cut too. The cache's packs are not
//! ([`write_atomic_unflushed`]): a pack a power cut damages is found out when
//! read and its documents parsed again, so the wait for the disk would buy
//! nothing (when the cache was a file a document, a flush each made a first
//! run with `--cache` two to four times as long as one without).

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// The buffer a streamed output is written through (see [`write_temporary`]).
const WRITE_BLOCK: usize = 1 << 20;

/// Write `bytes` to `path` atomically, creating the parent folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] without flushing the file to disk before the rename: a
/// killed run still leaves either the old file or the new one, but a power
/// cut may leave the new one empty or cut short. Only for files whose
/// readers check them and can do without them (cache packs). Streams like
/// [`write_atomic_with`].
pub fn write_atomic_unflushed(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let tmp = write_temporary(path, write)?;
    rename_into_place(tmp, path)
}

/// Stream into `path` atomically through a buffered writer, so a large
/// output is never held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    stage_with(path, write)?.publish()
}

/// The first half of [`write_atomic_with`]: stream into a temporary file
/// beside `path` and flush it to disk, leaving the rename to
/// [`Staged::publish`]. The slow part (writing, waiting for the disk) can
/// then run beside other work while the renames keep the order the caller
/// wants: a run's manifest is renamed into place after its tables.
pub fn stage_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<Staged> {
    let tmp = write_temporary(path, write)?;
    tmp.as_file().sync_all().ok();
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

/// Ask the system to start writing `file`'s data to disk now, without
/// waiting for it: a long output written in parts (a run's tables, row
/// group by row group) then reaches the disk while the run goes on, and the
/// flush before its rename ([`publish`]) waits only for the last part.
/// Without it, the four tables' flushes were most of the last tenth of a
/// second of a run, the disk taking the whole files at the end.
///
/// On Linux this is `posix_fadvise(POSIX_FADV_DONTNEED)`, which starts the
/// writeback of the file's dirty pages and drops the pages already on disk
/// from the page cache; elsewhere it does nothing. Advice only: the flush
/// before the rename still makes the file durable, so an error here is
/// ignored.
pub fn start_writeback(file: &std::fs::File) {
    #[cfg(target_os = "linux")]
    {
        // Advice only; the flush before the rename catches what fails.
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// A written and flushed temporary file waiting to be renamed over its
/// target (see [`stage_with`]); dropped unpublished, it is deleted.
#[derive(Debug)]
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
}

impl Staged {
    /// Rename the file over its target.
    pub fn publish(self) -> anyhow::Result<()> {
        rename_into_place(self.tmp, &self.path)
    }
}

/// A temporary file beside `path` (its folder created if need be) holding
/// what `write` wrote.
fn write_temporary(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<tempfile::NamedTempFile> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create folder {}", parent.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".zongjie-tmp-")
        .tempfile_in(parent)
        .with_context(|| format!("cannot create a temporary file in {}", parent.display()))?;
    // Large blocks: a run's manifest is tens of megabytes written after the
    // last input is parsed, and 8 KB blocks (the default) made it a write
    // system call a block. The room is only touched as far as it is used.
    let mut buffered = std::io::BufWriter::with_capacity(WRITE_BLOCK, tmp.as_file_mut());
    write(&mut buffered)
        .and_then(|()| buffered.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    drop(buffered);
    Ok(tmp)
}

/// Flush a finished temporary file to disk, make it readable like any other
/// output (temporary files are created private), and rename it over `path`.
pub fn publish(tmp: tempfile::NamedTempFile, path: &Path) -> anyhow::Result<()> {
    tmp.as_file().sync_all().ok();
    rename_into_place(tmp, path)
}

/// Make a finished temporary file readable like any other output (temporary
/// files are created private) and rename it over `path`.
fn rename_into_place(tmp: tempfile::NamedTempFile, path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .with_context(|| format!("cannot rename into {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_file_replaces_its_target_only_when_published() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("manifest.json");
        write_atomic(&target, b"old").unwrap();
        let staged = stage_with(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        staged.publish().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        // Dropped unpublished: the target is untouched and no file is left.
        drop(stage_with(&target, |w| w.write_all(b"lost")).unwrap());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A failed write stages nothing.
        let err = stage_with(&target, |_| Err(std::io::Error::other("disk full"))).unwrap_err();
        assert!(format!("{err:#}").contains("disk full"), "{err:#}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_whose_writeback_was_started_early_reads_back_whole() {
        // Written in parts with the advice after each, as a run's tables
        // are, then a last part after it: nothing is lost or reordered.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("facts.csv");
        let tmp = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        let mut writer = std::io::BufWriter::new(tmp.reopen().unwrap());
        let mut expected = Vec::new();
        for part in 0..8u32 {
            let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 + part) as u8).collect();
            writer.write_all(&bytes).unwrap();
            writer.flush().unwrap();
            start_writeback(tmp.as_file());
            expected.extend(bytes);
        }
        writer.write_all(b"last row group").unwrap();
        expected.extend(b"last row group");
        drop(writer);
        publish(tmp, &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), expected);
    }

    #[test]
    fn replaces_existing_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/manifest.json");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let entry = dir.path().join("out/cache/ab/entry.bin");
        write_atomic_unflushed(&entry, |w| w.write_all(b"third")).unwrap();
        write_atomic_unflushed(&entry, |w| w.write_all(b"fourth")).unwrap();
        assert_eq!(std::fs::read(&entry).unwrap(), b"fourth");
        let listed = |d: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir.path().join(d))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(listed("out"), ["cache", "manifest.json"]);
        assert_eq!(listed("out/cache/ab"), ["entry.bin"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for file in [&target, &entry] {
                let mode = std::fs::metadata(file).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o644, "{}", file.display());
            }
        }
    }
}
