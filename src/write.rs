//! Writing: files land atomically (temporary file in the same directory, then rename), so a
//! reader never sees half a Dockerfile, and every check happens before the first byte is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::MARKER;

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

/// True when the file at `path` was written by dockgen (its header carries the marker).
pub fn is_ours(path: &Path) -> bool {
    match std::fs::read_to_string(path) {
        Ok(text) => text.lines().take(3).any(|l| l.contains(MARKER)),
        Err(_) => false,
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

/// Writes every output atomically. Call [`check_ownership`] first.
pub fn write_all(outputs: &[Output]) -> Result<Vec<(PathBuf, Outcome)>> {
    let mut done = Vec::new();
    for o in outputs {
        let outcome = match std::fs::read_to_string(&o.path) {
            Ok(old) if old == o.contents => Outcome::Unchanged,
            Ok(_) => Outcome::Updated,
            Err(_) => Outcome::Created,
        };
        if outcome != Outcome::Unchanged {
            atomic_write(&o.path, o.contents.as_bytes())?;
        }
        done.push((o.path.clone(), outcome));
    }
    Ok(done)
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // A CI workflow goes into `.github/workflows/`, which a project may not have yet.
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".dockgen-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(tmp.path(), e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
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
}
