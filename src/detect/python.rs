//! Python projects: what signals them and the facts the python planner needs.

use crate::detect::{DetectOptions, Project};
use crate::error::Result;
use crate::source::ProjectDir;

/// Python-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct PythonDetails {}

/// Detects Python projects in `dir` (and workspace members below it).
pub fn detect(_dir: &ProjectDir, _opts: &DetectOptions) -> Result<Vec<Project>> {
    Ok(Vec::new())
}
