//! Java projects: what signals them and the facts the java planner needs.

use crate::detect::{DetectOptions, Project};
use crate::error::Result;
use crate::source::ProjectDir;

/// Java-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct JavaDetails {}

/// Detects Java projects in `dir` (and workspace members below it).
pub fn detect(_dir: &ProjectDir, _opts: &DetectOptions) -> Result<Vec<Project>> {
    Ok(Vec::new())
}
