//! Reading project files as untrusted input: the one gate every project read goes through.
//!
//! A repository may be hostile. Every read of a project file goes through [`open`] (directly or
//! through [`ProjectDir::read_opt`], [`read_prefix`], [`hash_file`], [`read_capped`]), which
//!
//! - resolves the real path and refuses (exit 2, `file: a symlink to outside the project`)
//!   anything whose real path leaves the project root, and anything under `/proc`, `/sys`, `/dev`;
//! - never opens a FIFO, socket or device (only regular files, opened non-blocking);
//! - never reads more than a cap: manifests are refused above [`MAX_MANIFEST_BYTES`], source scans
//!   read a bounded prefix, hashing streams.
//!
//! Every parser error is turned into an [`Error::Input`] carrying `file:line:col`, with the path shown
//! relative to the directory the user pointed dockgen at.

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

/// Largest manifest dockgen will read; anything bigger is not a hand-written manifest.
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// How much of a source file (`.go`, `.py`, `.rs`, ...) a scan reads: imports, package clauses
/// and `listen(...)` calls live near the top; generated megabyte files are not worth more.
pub const MAX_SOURCE_PREFIX: u64 = 256 * 1024;
/// How much of a file is hashed for change detection; past it, the length stands in for the rest.
pub const MAX_HASH_BYTES: u64 = 64 * 1024 * 1024;
/// What an error message may quote of a file's content.
pub const MAX_EXCERPT_CHARS: usize = 80;

/// The message for a path whose real location is outside the project.
pub const OUTSIDE: &str = "a symlink to outside the project";

/// Where the kernel exposes processes, devices and itself: never read, whatever links there.
fn is_special_tree(real: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| real.starts_with(p))
}

/// The real path of `path` when it exists and stays inside `root`; `None` when it does not exist
/// (including a dangling symlink). Refuses a path whose real location leaves the project.
pub fn resolve(root: &Path, path: &Path, shown: &Path) -> Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => {}
        Err(e) if is_absent(&e) => return Ok(None),
        Err(e) => return Err(Error::io(shown, e)),
    }
    let real = match std::fs::canonicalize(path) {
        Ok(r) => r,
        Err(e) if is_absent(&e) => return Ok(None),
        Err(e) => return Err(Error::io(shown, e)),
    };
    let real_root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    if is_special_tree(&real) && !is_special_tree(&real_root) || !real.starts_with(&real_root) {
        return Err(Error::input(Location::file(shown), OUTSIDE));
    }
    if is_special_tree(&real) {
        return Err(Error::input(
            Location::file(shown),
            "a kernel or device file (/proc, /sys, /dev); dockgen never reads those",
        ));
    }
    Ok(Some(real))
}

fn is_absent(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Whether `path` lies inside `root` once resolved (false when it does not exist or leaves it).
pub fn is_inside(root: &Path, path: &Path) -> bool {
    matches!(resolve(root, path, path), Ok(Some(_)))
}

/// Opens a project file for reading through the gate: `None` when it does not exist or is a
/// directory; an error for a path leaving the project and for FIFOs, sockets and devices.
/// Returns the open file and its length.
pub fn open(root: &Path, path: &Path, shown: &Path) -> Result<Option<(File, u64)>> {
    use std::os::unix::fs::OpenOptionsExt;
    let Some(real) = resolve(root, path, shown)? else {
        return Ok(None);
    };
    let meta = std::fs::metadata(&real).map_err(|e| Error::io(shown, e))?;
    if meta.is_dir() {
        return Ok(None);
    }
    if !meta.is_file() {
        return Err(not_regular(shown));
    }
    // Non-blocking and no-follow: if the file was swapped for a FIFO or a link since the check,
    // opening neither hangs nor leaves the project.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(&real)
        .map_err(|e| Error::io(shown, e))?;
    let meta = file.metadata().map_err(|e| Error::io(shown, e))?;
    if !meta.is_file() {
        return Err(not_regular(shown));
    }
    Ok(Some((file, meta.len())))
}

fn not_regular(shown: &Path) -> Error {
    Error::input(
        Location::file(shown),
        "not a regular file (a FIFO, socket or device); dockgen never reads those",
    )
}

/// Reads a whole project file of at most `cap` bytes (larger is an input error).
pub fn read_capped(root: &Path, path: &Path, shown: &Path, cap: u64) -> Result<Option<Vec<u8>>> {
    let Some((file, len)) = open(root, path, shown)? else {
        return Ok(None);
    };
    if len > cap {
        return Err(too_big(shown, cap));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(shown, e))?;
    if bytes.len() as u64 > cap {
        return Err(too_big(shown, cap));
    }
    Ok(Some(bytes))
}

fn too_big(shown: &Path, cap: u64) -> Error {
    Error::input(
        Location::file(shown),
        format!("file is larger than {cap} bytes; refusing to read it"),
    )
}

/// Reads a text file of at most `cap` bytes; a UTF-8 byte order mark is dropped (node and pip
/// accept one), other non-UTF-8 content is an input error.
pub fn read_text(root: &Path, path: &Path, shown: &Path, cap: u64) -> Result<Option<String>> {
    match read_capped(root, path, shown, cap)? {
        Some(bytes) if is_python(path) => Ok(Some(decode_python(bytes))),
        Some(bytes) => decode(shown, bytes).map(Some),
        None => Ok(None),
    }
}

fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyw")
}

/// The encoding a PEP 263 declaration names (`# -*- coding: latin-1 -*-`, `# vim: set
/// fileencoding=cp1252 :`) on one of the first two lines, lowercased; `None` without one.
pub fn pep263_encoding(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|b| *b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let t = line.trim_start();
        if !t.starts_with('#') {
            continue;
        }
        let Some(at) = t.find("coding") else {
            continue;
        };
        let rest = &t[at + "coding".len()..];
        let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
            continue;
        };
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        if !name.is_empty() {
            return Some(name.to_ascii_lowercase().replace('_', "-"));
        }
    }
    None
}

/// A Python source as Python reads it: UTF-8 (a BOM dropped) unless a PEP 263 line names another
/// encoding. Latin-1 and its kin decode byte for byte; for other encodings (and invalid bytes)
/// dockgen only needs the ASCII structure (imports, `app = Flask(...)`), so the rest is replaced.
pub fn decode_python(bytes: Vec<u8>) -> String {
    let latin1 = matches!(
        pep263_encoding(&bytes).as_deref(),
        Some(
            "latin-1"
                | "latin1"
                | "iso-8859-1"
                | "iso8859-1"
                | "iso-8859-15"
                | "l1"
                | "cp1252"
                | "windows-1252"
                | "cp819"
        )
    );
    let text = if latin1 {
        bytes.iter().map(|b| char::from(*b)).collect()
    } else {
        match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    };
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => Err(Error::input(
            Location::from_offset(
                shown,
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            ),
            "file is not valid UTF-8",
        )),
    }
}

/// The first `max` bytes of a source file as text (invalid UTF-8 replaced, a cut character
/// dropped): what a scan for imports or a port needs, whatever the file's size.
pub fn read_prefix(root: &Path, path: &Path, shown: &Path, max: u64) -> Result<Option<String>> {
    let Some((file, _)) = open(root, path, shown)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    file.take(max)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(shown, e))?;
    if is_python(path) {
        return Ok(Some(decode_python(bytes)));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            // A multi-byte character cut by the cap is dropped; anything else invalid is replaced.
            if bytes.len() - valid < 4 && std::str::from_utf8(&bytes[valid..]).is_err() {
                let tail_ok = bytes.len() as u64 == max;
                if tail_ok {
                    bytes.truncate(valid);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    Ok(Some(
        text.strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text),
    ))
}

/// A streaming content hash of a project file (see [`crate::state::content_hash`]); `None` when
/// the file does not exist. At most [`MAX_HASH_BYTES`] are hashed, then the length is mixed in.
pub fn hash_file(root: &Path, path: &Path, shown: &Path) -> Result<Option<String>> {
    let Some((file, len)) = open(root, path, shown)? else {
        return Ok(None);
    };
    let mut hasher = crate::state::Fnv1a::new();
    let mut reader = file.take(MAX_HASH_BYTES);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(|e| Error::io(shown, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    if len > MAX_HASH_BYTES {
        hasher.update(&len.to_le_bytes());
    }
    Ok(Some(hasher.finish()))
}

/// A directory walk that reads no ignore files of its own (the `ignore` crate would follow a
/// `.gitignore` symlink, block on a FIFO, and read the parents' above the project) and follows no
/// symlinks. Hidden entries are skipped, as before.
pub fn walker(base: &Path) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(base);
    b.standard_filters(false).hidden(true).follow_links(false);
    b
}

/// A short, printable excerpt of untrusted text for a message: no control characters, at most
/// [`MAX_EXCERPT_CHARS`] characters.
pub fn excerpt(text: &str) -> String {
    let clean: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.len() <= MAX_EXCERPT_CHARS {
        clean.into_iter().collect()
    } else {
        let mut s: String = clean[..MAX_EXCERPT_CHARS - 1].iter().collect();
        s.push('…');
        s
    }
}

/// Makes an error message safe to print: control characters (other than newlines) become `?`,
/// every quoted excerpt (`"..."` or `` `...` ``) is cut to [`MAX_EXCERPT_CHARS`], and no line is
/// longer than a screenful. Applied to every error dockgen prints.
pub fn sanitize_message(message: &str) -> String {
    const MAX_LINE: usize = 400;
    let mut out = String::new();
    for (i, line) in message.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let chars: Vec<char> = line
            .chars()
            .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
            .collect();
        let mut shown = String::new();
        let mut count = 0;
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            if c == '"' || c == '`' {
                let close = (k + 1..chars.len()).find(|&j| chars[j] == c && chars[j - 1] != '\\');
                if let Some(j) = close {
                    let inner: String = chars[k + 1..j].iter().collect();
                    let inner = excerpt(&inner);
                    count += inner.chars().count() + 2;
                    shown.push(c);
                    shown.push_str(&inner);
                    shown.push(c);
                    k = j + 1;
                    continue;
                }
            }
            shown.push(c);
            count += 1;
            k += 1;
        }
        if count > MAX_LINE {
            let cut: String = shown.chars().take(MAX_LINE - 1).collect();
            out.push_str(&cut);
            out.push('…');
        } else {
            out.push_str(&shown);
        }
    }
    out
}

/// `rel` as a relative path that stays below its base: no root, no `..`.
pub fn is_plain_relative(rel: &Path) -> bool {
    rel.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A directory being inspected, with paths reported relative to the root the user named.
#[derive(Debug, Clone)]
pub struct ProjectDir {
    /// The root the user named (what relative paths in messages are relative to).
    pub root: PathBuf,
    /// This project's directory relative to `root` (`"."` for the root itself).
    pub rel: PathBuf,
}

impl ProjectDir {
    pub fn new(root: impl Into<PathBuf>, rel: impl Into<PathBuf>) -> Self {
        ProjectDir {
            root: root.into(),
            rel: rel.into(),
        }
    }

    /// Absolute (or root-based) path of this project's directory.
    pub fn dir(&self) -> PathBuf {
        if self.rel == Path::new(".") {
            self.root.clone()
        } else {
            self.root.join(&self.rel)
        }
    }

    /// Path of `name` inside this project, as shown to the user (relative to the root).
    pub fn display_path(&self, name: &str) -> PathBuf {
        if self.rel == Path::new(".") {
            PathBuf::from(name)
        } else {
            self.rel.join(name)
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    pub fn is_file(&self, name: &str) -> bool {
        self.path(name).is_file()
    }

    /// Reads a text file (at most [`MAX_MANIFEST_BYTES`]) through the gate, if it exists.
    /// Non-UTF-8 content is an input error; a byte order mark is dropped.
    pub fn read_opt(&self, name: &str) -> Result<Option<SourceText>> {
        let display = self.display_path(name);
        Ok(
            read_text(&self.root, &self.path(name), &display, MAX_MANIFEST_BYTES)?.map(|text| {
                SourceText {
                    path: display,
                    text,
                }
            }),
        )
    }

    /// The size of a file of this project, through the gate: `None` when it is absent, leaves the
    /// project or is no regular file.
    pub fn file_len(&self, name: &str) -> Option<u64> {
        let real = resolve(&self.root, &self.path(name), &self.display_path(name)).ok()??;
        let meta = std::fs::metadata(real).ok()?;
        meta.is_file().then_some(meta.len())
    }

    /// The entries of a directory of this project (`"."` for its own), sorted, through the gate:
    /// a directory (or an entry) whose real location leaves the project is left out, and so is
    /// anything that is neither a regular file nor a directory.
    pub fn list(&self, name: &str) -> Vec<Listed> {
        let Ok(Some(real)) = resolve(&self.root, &self.path(name), &self.display_path(name)) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(&real) else {
            return Vec::new();
        };
        let mut out: Vec<Listed> = entries
            .flatten()
            .filter_map(|e| {
                let file_name = e.file_name().to_str()?.to_string();
                let target = resolve(&self.root, &e.path(), &e.path()).ok()??;
                let ty = std::fs::metadata(target).ok()?.file_type();
                (ty.is_file() || ty.is_dir()).then_some(Listed {
                    name: file_name,
                    is_dir: ty.is_dir(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The first [`MAX_SOURCE_PREFIX`] bytes of a source file, through the gate; errors (a
    /// symlink leaving the project, a FIFO) make it absent, as a scan skips what it cannot read.
    pub fn read_source_prefix(&self, name: &str) -> Option<String> {
        read_prefix(
            &self.root,
            &self.path(name),
            &self.display_path(name),
            MAX_SOURCE_PREFIX,
        )
        .ok()
        .flatten()
    }
}

/// One entry of [`ProjectDir::list`]: a regular file or a directory inside the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub is_dir: bool,
}

/// The text of one project file and the path used to report problems in it.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceText {
            path: path.into(),
            text: text.into(),
        }
    }

    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_str(&self.text).map_err(|e| {
            Error::input(
                Location::at(&self.path, e.line(), e.column().max(1)),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
        })
    }

    pub fn toml<T: DeserializeOwned>(&self) -> Result<T> {
        toml::from_str(&self.text).map_err(|e| {
            let location = match e.span() {
                Some(span) => Location::from_offset(&self.path, &self.text, span.start),
                None => Location::file(&self.path),
            };
            Error::input(location, format!("invalid TOML: {}", e.message()))
        })
    }

    pub fn yaml<T: DeserializeOwned>(&self) -> Result<T> {
        serde_yaml_ng::from_str(&self.text).map_err(|e| {
            let location = match e.location() {
                Some(l) => Location::at(&self.path, l.line(), l.column()),
                None => Location::file(&self.path),
            };
            Error::input(
                location,
                format!("invalid YAML: {}", strip_position(&e.to_string())),
            )
        })
    }

    /// Parses XML, returning a document that borrows this text.
    pub fn xml(&self) -> Result<roxmltree::Document<'_>> {
        roxmltree::Document::parse(&self.text).map_err(|e| {
            let pos = e.pos();
            Error::input(
                Location::at(&self.path, pos.row as usize, pos.col as usize),
                format!("invalid XML: {}", strip_position(&e.to_string())),
            )
        })
    }

    /// An input error at a byte offset of this file.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> Error {
        Error::input(
            Location::from_offset(&self.path, &self.text, offset),
            message,
        )
    }

    /// An input error at a 1-based line (column 1).
    pub fn error_at_line(&self, line: usize, message: impl Into<String>) -> Error {
        Error::input(Location::at(&self.path, line, 1), message)
    }

    /// An input error at the first occurrence of `needle` (or the file when absent).
    pub fn error_near(&self, needle: &str, message: impl Into<String>) -> Error {
        match self.text.find(needle) {
            Some(offset) => self.error_at(offset, message),
            None => Error::input(Location::file(&self.path), message),
        }
    }
}

/// Parsers append " at line X column Y" to their messages; we print the position in front instead.
fn strip_position(message: &str) -> String {
    let cut = [" at line ", " at position "]
        .iter()
        .filter_map(|m| message.find(m))
        .min();
    match cut {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_sources_honour_their_coding_line() {
        let latin = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n".to_vec();
        assert_eq!(pep263_encoding(&latin).as_deref(), Some("latin-1"));
        assert!(decode_python(latin).contains("name = '\u{e9}t\u{e9}'"));
        let bom = b"\xef\xbb\xbfimport flask\n".to_vec();
        assert_eq!(decode_python(bom), "import flask\n");
        assert_eq!(
            pep263_encoding(b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n")
                .as_deref(),
            Some("cp1252")
        );
        assert_eq!(pep263_encoding(b"import os\n\n# coding: latin-1\n"), None);
    }

    #[test]
    fn error_messages_are_sanitised() {
        let long = "y".repeat(500);
        let msg = format!("bad value \"{long}\" in `a\u{7}b`\nnext");
        let out = sanitize_message(&msg);
        assert!(!out.contains(&"y".repeat(81)), "{out}");
        assert!(out.contains("`a?b`"), "{out}");
        assert!(out.ends_with("\nnext"));
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let src = SourceText::new("package.json", "{\n  \"name\": \"x\",\n  oops\n}");
        let err = src.json::<serde_json::Value>().unwrap_err().to_string();
        assert!(err.starts_with("package.json:3:3: invalid JSON"), "{err}");
    }

    #[test]
    fn json_errors_at_end_of_file_have_a_one_based_column() {
        let src = SourceText::new("package-lock.json", "{\n  \"a\": {\n");
        let err = src.json::<serde_json::Value>().unwrap_err().to_string();
        assert!(
            err.starts_with("package-lock.json:3:1: invalid JSON"),
            "{err}"
        );
    }

    #[test]
    fn toml_errors_carry_line_and_column() {
        let src = SourceText::new("pyproject.toml", "[project]\nname = \"x\"\nversion = \n");
        let err = src.toml::<toml::Table>().unwrap_err().to_string();
        assert!(err.starts_with("pyproject.toml:3:"), "{err}");
    }

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let src = SourceText::new("pnpm-lock.yaml", "a: 1\nb: [1, 2\nc: 3\n");
        let err = src.yaml::<serde_yaml_ng::Value>().unwrap_err().to_string();
        assert!(err.starts_with("pnpm-lock.yaml:"), "{err}");
        assert!(err.contains("invalid YAML"), "{err}");
    }

    #[test]
    fn listings_and_sizes_stay_inside_the_project() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir(outside.path().join("secret-dir")).unwrap();
        std::fs::write(outside.path().join("x.go"), "package main").unwrap();
        let project = tempfile::tempdir().unwrap();
        let root = project.path();
        std::fs::create_dir(root.join("cmd")).unwrap();
        std::fs::create_dir(root.join("cmd/api")).unwrap();
        std::fs::write(root.join("main.go"), "package main").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("cmd/elsewhere")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.go"), root.join("x.go")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
        let dir = ProjectDir::new(root, ".");
        let names = |n: &str| -> Vec<String> { dir.list(n).into_iter().map(|e| e.name).collect() };
        assert_eq!(names("cmd"), ["api"]);
        assert_eq!(names("."), ["cmd", "main.go"]);
        assert!(names("linked").is_empty());
        assert_eq!(dir.file_len("main.go"), Some(12));
        assert_eq!(dir.file_len("x.go"), None);
        assert_eq!(dir.file_len("cmd"), None);
    }
}
