//! `dockgen check --json` and `dockgen regen --diff --json`: what regen would do, per project and
//! per file, for bots and CI annotations. The exit codes are those of the text output.
//!
//! ```json
//! {"status": "stale", "projects": [{"project": ".", "dockgen_toml": "dockgen.toml",
//!   "status": "stale", "reasons": ["runtime version 20 → 22: .nvmrc changed"],
//!   "files": [{"path": "Dockerfile", "status": "update", "edited": true,
//!              "render_changed": true, "diff": "--- a/Dockerfile\n+++ b/Dockerfile\n...",
//!              "conflicts": []}]}]}
//! ```

use serde::Serialize;

use crate::error::{Error, Result};
use crate::regen::{ConflictHunk, FilePlan, Refresh, unified};

/// The whole result: `current` when nothing would change, `conflict` when regen would stop on a
/// conflict anywhere, else `stale`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub status: &'static str,
    pub projects: Vec<ProjectReport>,
}

#[derive(Debug, Serialize)]
pub struct ProjectReport {
    /// The project's path in its build context (`.` for the context itself).
    pub project: String,
    /// The `dockgen.toml`, relative to the directory the command ran on.
    pub dockgen_toml: String,
    pub status: &'static str,
    /// Why the render changed (the same lines the text output lists).
    pub reasons: Vec<String>,
    pub files: Vec<FileReport>,
}

#[derive(Debug, Serialize)]
pub struct FileReport {
    /// Relative to the build context.
    pub path: String,
    /// `current`, `update` (regen would write it), `missing` (regen would recreate it),
    /// `conflict` (your edits and the new render change the same lines) or `markers`
    /// (conflict markers from an earlier run are still in the file).
    pub status: &'static str,
    /// The file on disk differs from what dockgen generated last time.
    pub edited: bool,
    /// dockgen would generate something different from last time.
    pub render_changed: bool,
    /// What regen would write, as a unified diff against the file on disk (`null` when nothing).
    pub diff: Option<String>,
    pub conflicts: Vec<ConflictReport>,
}

#[derive(Debug, Serialize)]
pub struct ConflictReport {
    /// 1-based line of your lines in the file on disk (`null` when you removed them).
    pub line: Option<usize>,
    pub yours: Vec<String>,
    pub generated_before: Vec<String>,
    pub generated_now: Vec<String>,
}

impl From<&ConflictHunk> for ConflictReport {
    fn from(h: &ConflictHunk) -> Self {
        ConflictReport {
            line: h.line,
            yours: h.ours.clone(),
            generated_before: h.base.clone(),
            generated_now: h.theirs.clone(),
        }
    }
}

fn project_status(r: &Refresh) -> &'static str {
    if r.has_conflicts() {
        "conflict"
    } else if r.is_stale() {
        "stale"
    } else {
        "current"
    }
}

/// The report for a set of refreshes.
pub fn report(refreshes: &[Refresh]) -> Report {
    let projects: Vec<ProjectReport> = refreshes.iter().map(project).collect();
    let status = if projects.iter().any(|p| p.status == "conflict") {
        "conflict"
    } else if projects.iter().any(|p| p.status == "stale") {
        "stale"
    } else {
        "current"
    };
    Report { status, projects }
}

fn project(r: &Refresh) -> ProjectReport {
    let files = r
        .files
        .iter()
        .map(|f| {
            let (status, new, conflicts) = match &f.plan {
                FilePlan::Current => ("current", None, vec![]),
                FilePlan::Update(t) => ("update", Some(t.as_str()), vec![]),
                FilePlan::Missing => ("missing", Some(f.theirs.as_str()), vec![]),
                FilePlan::Markers => ("markers", None, vec![]),
                FilePlan::Conflict(c) => (
                    "conflict",
                    Some(c.with_markers.as_str()),
                    c.hunks.iter().map(ConflictReport::from).collect(),
                ),
            };
            let diff = new
                .map(|new| unified(&r.context, &f.path, f.ours.as_deref().unwrap_or(""), new))
                .filter(|d| !d.is_empty());
            FileReport {
                path: f
                    .path
                    .strip_prefix(&r.context)
                    .unwrap_or(&f.path)
                    .display()
                    .to_string(),
                status,
                edited: f.edited,
                render_changed: f.render_changed,
                diff,
                conflicts,
            }
        })
        .collect();
    ProjectReport {
        project: r.project.clone(),
        dockgen_toml: r.shown.display().to_string(),
        status: project_status(r),
        reasons: r.reasons.clone(),
        files,
    }
}

/// The report as pretty-printed JSON.
pub fn to_string(refreshes: &[Refresh]) -> Result<String> {
    serde_json::to_string_pretty(&report(refreshes)).map_err(|e| Error::Internal(e.to_string()))
}
