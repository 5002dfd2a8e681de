//! Errors that end a dockgen run, and the exit code each one maps to.
//!
//! Every error about the user's project names the file (and, where a parser can tell, the line and
//! column) so the message says what failed, where, and what to do next.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for "stale" results from `dockgen check` and merge conflicts from `dockgen regen`.
pub const EXIT_STALE: i32 = 1;
/// Exit code for bad usage or bad input.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when the user cancels an interactive prompt (128 + SIGINT).
pub const EXIT_CANCELLED: i32 = 130;

/// A place in an input file: `file:line:col` when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// Location of a byte offset inside `text` (1-based line and column, columns in characters).
    pub fn from_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location::at(file, line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can stop dockgen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A project file could not be parsed or holds a value dockgen refuses to use.
    #[error("{location}: {message}")]
    Input { location: Location, message: String },
    /// The command line asks for something impossible or ambiguous.
    #[error("{0}")]
    Usage(String),
    /// Nothing dockgen knows how to containerise was found.
    #[error("{0}")]
    NoProject(String),
    /// The project is ambiguous and dockgen will not guess in non-interactive mode: `flag` with one
    /// of `candidates` settles it (the wizard offers them).
    #[error("{message}")]
    Ambiguous {
        message: String,
        flag: &'static str,
        candidates: Vec<Candidate>,
    },
    /// The project builds several programs and dockgen will not guess which one; `options` are the
    /// names `--bin` accepts, in the order the message lists them.
    #[error("{message}")]
    ChooseBin {
        message: String,
        options: Vec<String>,
    },
    /// A file exists that dockgen must not overwrite.
    #[error("{0}")]
    Refused(String),
    /// Filesystem trouble while reading or writing.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The user pressed Esc or Ctrl-C in the wizard.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// A bug in dockgen itself (a template that does not render, ...).
    #[error("internal error: {0}")]
    Internal(String),
}

/// One value that settles an ambiguity, with the project files that point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub files: Vec<String>,
}

impl Candidate {
    pub fn new(value: impl Into<String>, files: Vec<String>) -> Self {
        Candidate {
            value: value.into(),
            files,
        }
    }
}

impl Error {
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Cancelled => EXIT_CANCELLED,
            Error::Internal(_) => 101,
            _ => EXIT_USAGE,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error for a PATH argument that is not a directory: it does not exist, or it is a file.
pub fn not_a_project_dir(path: &Path) -> Error {
    let what = if path.symlink_metadata().is_err() {
        "does not exist"
    } else {
        "is not a directory"
    };
    Error::Usage(format!(
        "{}: {what} (dockgen looks at a project directory)",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_line_and_column() {
        let text = "a\nbc\n  d";
        assert_eq!(Location::from_offset("f", text, 0).to_string(), "f:1:1");
        assert_eq!(Location::from_offset("f", text, 3).to_string(), "f:2:2");
        assert_eq!(Location::from_offset("f", text, 7).to_string(), "f:3:3");
    }
}
