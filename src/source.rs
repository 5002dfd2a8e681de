//! Reading project files as untrusted input.
//!
//! Every parser error is turned into an [`Error::Input`] carrying `file:line:col`, with the path shown
//! relative to the directory the user pointed dockgen at.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};

/// Largest manifest dockgen will read; anything bigger is not a hand-written manifest.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

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

    /// Reads a text file if it exists. Non-UTF-8 content is an input error.
    pub fn read_opt(&self, name: &str) -> Result<Option<SourceText>> {
        let path = self.path(name);
        if !path.is_file() {
            return Ok(None);
        }
        let display = self.display_path(name);
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&display, e))?;
        if meta.len() > MAX_MANIFEST_BYTES {
            return Err(Error::input(
                Location::file(&display),
                format!("file is larger than {MAX_MANIFEST_BYTES} bytes; refusing to read it"),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&display, e))?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(SourceText {
                path: display,
                text,
            })),
            Err(e) => Err(Error::input(
                Location::from_offset(
                    &display,
                    &String::from_utf8_lossy(e.as_bytes()),
                    e.utf8_error().valid_up_to(),
                ),
                "file is not valid UTF-8",
            )),
        }
    }
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
}
