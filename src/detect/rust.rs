//! Rust projects: what signals them and the facts the rust planner needs.

use crate::detect::{DetectOptions, Project};
use crate::error::Result;
use crate::source::ProjectDir;

/// Rust-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct RustDetails {}

/// Detects Rust projects in `dir` (and workspace members below it).
pub fn detect(_dir: &ProjectDir, _opts: &DetectOptions) -> Result<Vec<Project>> {
    Ok(Vec::new())
}
