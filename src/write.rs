//! Writing: the one gate every write goes through.
//!
//! - Containment: an output whose real location (its directory, or the file itself when it is a
//!   symlink) leaves the project root is refused before anything is written
//!   (`file: a symlink to outside the project`).
//! - The output set is written as a unit: every file is staged to a temporary `.dockgen-*` file
//!   next to its target, then all are renamed into place; when a rename fails, the ones already
//!   renamed are rolled back, so a run leaves either the old set or the new one.
//! - SIGINT/SIGTERM while writing remove the temporary files (and exit 130/143).
//! - New files get the permissions any new file gets (0666 minus the umask); replaced files keep
//!   theirs.
//! - A file checked out with CRLF line endings keeps them ([`LineEnding`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::render::MARKER;
use crate::source;

/// One file dockgen wants to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub contents: String,
}

/// What happened to one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Largest existing output dockgen reads back (to compare, or to roll back to).
const MAX_OUTPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads an existing output (or a file next to one) without following it anywhere: the directory
/// holding it is the gate's root, so a symlink leaving it is refused.
fn read_existing(path: &Path) -> Result<Option<String>> {
    let dir = parent_dir(path);
    match source::read_capped(dir, path, path, MAX_OUTPUT_BYTES)? {
        Some(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        None => Ok(None),
    }
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The text of an existing output, read through the gate (`None` when absent or unreadable).
pub fn existing_text(path: &Path) -> Option<String> {
    read_existing(path).ok().flatten()
}

/// True when the file at `path` was written by dockgen (its header carries the marker).
pub fn is_ours(path: &Path) -> bool {
    match read_existing(path) {
        Ok(Some(text)) => text.lines().take(3).any(|l| l.contains(MARKER)),
        _ => false,
    }
}

/// Refuses (before writing anything) when an output would replace a file dockgen did not write.
pub fn check_ownership(outputs: &[Output], force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    let foreign: Vec<String> = outputs
        .iter()
        .filter(|o| o.path.exists() && !is_ours(&o.path))
        .map(|o| o.path.display().to_string())
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "{} already exist{} and dockgen did not write {}; nothing was written.\n\
             Move {} aside, or pass --force to overwrite.",
            foreign.join(" and "),
            if foreign.len() == 1 { "s" } else { "" },
            if foreign.len() == 1 { "it" } else { "them" },
            if foreign.len() == 1 { "it" } else { "them" },
        )))
    }
}

/// Refuses an output path whose directory, or which itself, resolves outside `root`.
pub fn check_contained(root: &Path, path: &Path) -> Result<()> {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let dir = parent_dir(path);
    match source::resolve(root, dir, parent_dir(shown))? {
        Some(_) => {}
        None => {
            // A folder the project does not have yet (a CI workflow's `.github/workflows/`): its
            // nearest existing ancestor must resolve inside the project, then it is created.
            let shown_dir = parent_dir(shown);
            let existing = dir
                .ancestors()
                .zip(
                    shown_dir
                        .ancestors()
                        .chain(std::iter::repeat(Path::new(""))),
                )
                .skip(1)
                .find(|(a, _)| std::fs::symlink_metadata(a).is_ok());
            match existing {
                Some((a, shown_a)) if source::resolve(root, a, shown_a)?.is_some() => {
                    std::fs::create_dir_all(dir).map_err(|e| Error::io(shown_dir, e))?;
                }
                _ => {
                    return Err(Error::io(shown_dir, std::io::ErrorKind::NotFound.into()));
                }
            }
        }
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        // The rename would replace the link itself, but reading it to compare would follow it.
        source::resolve(root, path, shown)?;
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let ty = meta.file_type();
        if !(ty.is_file() || ty.is_symlink() || ty.is_dir()) {
            return Err(Error::input(
                crate::error::Location::file(shown),
                "not a regular file (a FIFO, socket or device); dockgen will not replace it",
            ));
        }
    }
    Ok(())
}

/// Writes every output as a unit. Call [`check_ownership`] first.
pub fn write_all(root: &Path, outputs: &[Output]) -> Result<Vec<(PathBuf, Outcome)>> {
    let mut done = Vec::new();
    let mut changes = Vec::new();
    for o in outputs {
        check_contained(root, &o.path)?;
    }
    for o in outputs {
        let old = read_existing(&o.path)?;
        let outcome = match &old {
            Some(old) if *old == o.contents => Outcome::Unchanged,
            Some(old) if normalise_newlines(old) == normalise_newlines(&o.contents) => {
                Outcome::Unchanged
            }
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        };
        if outcome != Outcome::Unchanged {
            let ending = old.as_deref().map_or(LineEnding::Lf, LineEnding::of);
            changes.push((o.path.clone(), ending.apply(&o.contents), old));
        }
        done.push((o.path.clone(), outcome));
    }
    commit(&changes)?;
    Ok(done)
}

/// Writes one file atomically, inside `root` (a set of one).
pub fn write_one(root: &Path, path: &Path, contents: &str) -> Result<()> {
    check_contained(root, path)?;
    let old = read_existing(path)?;
    let ending = old.as_deref().map_or(LineEnding::Lf, LineEnding::of);
    commit(&[(path.to_path_buf(), ending.apply(contents), old)])
}

/// Writes `(path, new contents, old contents)` as a unit: stage all, rename all, roll back on
/// failure. Temporary files are removed on every path out, including SIGINT/SIGTERM.
pub fn commit(changes: &[(PathBuf, String, Option<String>)]) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    install_signal_cleanup();
    let mut staged: Vec<tempfile::TempPath> = Vec::new();
    for (path, contents, _) in changes {
        let tmp = stage(path, contents.as_bytes())?;
        register_pending(&tmp);
        staged.push(tmp);
    }
    test_pause();
    let mut renamed: Vec<usize> = Vec::new();
    let mut failure = None;
    for (i, tmp) in staged.drain(..).enumerate() {
        let path = &changes[i].0;
        let pending = tmp.to_path_buf();
        match tmp.persist(path) {
            Ok(()) => {
                unregister_pending(&pending);
                renamed.push(i);
            }
            Err(e) => {
                unregister_pending(&pending);
                failure = Some(Error::io(path, e.error));
                // `e.path` drops here and removes the temporary file.
                break;
            }
        }
    }
    // Whatever was not renamed is removed when `staged` drops; registered ones are unregistered.
    for tmp in &staged {
        unregister_pending(tmp);
    }
    drop(staged);
    let Some(err) = failure else {
        return Ok(());
    };
    for i in renamed.into_iter().rev() {
        let (path, _, old) = &changes[i];
        match old {
            Some(old) => {
                if let Ok(tmp) = stage(path, old.as_bytes()) {
                    let _ = tmp.persist(path);
                }
            }
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    Err(err)
}

/// Writes `bytes` to a temporary `.dockgen-*` file next to `path`, with the permissions the file
/// will have: the existing file's, or those of any new file (0666 minus the umask).
fn stage(path: &Path, bytes: &[u8]) -> Result<tempfile::TempPath> {
    use std::os::unix::fs::PermissionsExt;
    let dir = parent_dir(path);
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Some(meta.permissions().mode() & 0o7777),
        _ => None,
    };
    // Created 0666 (the kernel applies the umask, as for any new file) ...
    let mut tmp = tempfile::Builder::new()
        .prefix(".dockgen-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    // ... or exactly the mode of the file it replaces.
    if let Some(mode) = existing {
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(tmp.path(), e))?;
    Ok(tmp.into_temp_path())
}

/// Temporary files that exist right now, removed by the signal handler.
fn pending() -> &'static Mutex<Vec<PathBuf>> {
    static PENDING: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(Vec::new()))
}

fn register_pending(path: &Path) {
    if let Ok(mut p) = pending().lock() {
        p.push(path.to_path_buf());
    }
}

fn unregister_pending(path: &Path) {
    if let Ok(mut p) = pending().lock() {
        p.retain(|q| q != path);
    }
}

/// On SIGINT/SIGTERM: remove the temporary files, then exit as the signal would (128 + signal).
fn install_signal_cleanup() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(sig) = signals.forever().next() {
                if let Ok(p) = pending().lock() {
                    for path in p.iter() {
                        let _ = std::fs::remove_file(path);
                    }
                }
                std::process::exit(128 + sig);
            }
        });
    });
}

/// Test hook: `DOCKGEN_TEST_PAUSE_BEFORE_RENAME=<ms>` stalls between staging and renaming, so the
/// hostile-tree tests can deliver a signal while temporary files exist.
fn test_pause() {
    if let Some(ms) = std::env::var("DOCKGEN_TEST_PAUSE_BEFORE_RENAME")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("dockgen: staged, pausing {ms} ms before renaming");
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

/// How a text file ends its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    Crlf,
}

impl LineEnding {
    /// CRLF when most of the file's line ends are CRLF (a Windows or `core.autocrlf` checkout).
    pub fn of(text: &str) -> LineEnding {
        let lines = text.matches('\n').count();
        let crlf = text.matches("\r\n").count();
        if lines > 0 && crlf * 2 > lines {
            LineEnding::Crlf
        } else {
            LineEnding::Lf
        }
    }

    /// `text` (LF endings) with this ending.
    pub fn apply(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_string(),
            LineEnding::Crlf => normalise_newlines(text).replace('\n', "\r\n"),
        }
    }
}

/// `text` with CRLF line endings turned into LF (what every merge and comparison works on).
pub fn normalise_newlines(text: &str) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_one_replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        write_one(dir.path(), &p, "one").unwrap();
        write_one(dir.path(), &p, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn crlf_files_keep_their_ending() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        std::fs::write(&p, "a\r\nb\r\n").unwrap();
        write_one(dir.path(), &p, "a\nc\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "a\r\nc\r\n");
    }

    #[test]
    fn foreign_files_are_refused_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        std::fs::write(&p, "FROM scratch\n").unwrap();
        let outs = vec![Output {
            path: p.clone(),
            contents: "x".into(),
        }];
        assert!(check_ownership(&outs, false).is_err());
        assert!(check_ownership(&outs, true).is_ok());
        std::fs::write(&p, format!("# {MARKER} 0.1.0\nFROM scratch\n")).unwrap();
        assert!(check_ownership(&outs, false).is_ok());
    }

    #[test]
    fn a_failed_rename_rolls_the_set_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, "old a").unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "keeps b a non-empty directory").unwrap();
        let outs = vec![
            Output {
                path: a.clone(),
                contents: "new a".into(),
            },
            Output {
                path: b.clone(),
                contents: "new b".into(),
            },
        ];
        assert!(write_all(dir.path(), &outs).is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with(".dockgen-")),
            "{names:?}"
        );
    }
}
