//! Node projects: what signals them and the facts the node planner needs.

use crate::detect::{DetectOptions, Project};
use crate::error::Result;
use crate::source::ProjectDir;

/// Node-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct NodeDetails {}

/// Detects Node projects in `dir` (and workspace members below it).
pub fn detect(_dir: &ProjectDir, _opts: &DetectOptions) -> Result<Vec<Project>> {
    Ok(Vec::new())
}
