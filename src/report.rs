//! What dockgen tells a person: the detection summary (`dockgen detect`, the wizard's first screen)
//! and the list of files written. Every front end prints through these.

use std::path::{Path, PathBuf};

use crate::detect::{Detection, Project};
use crate::write::Outcome;

/// The human summary `dockgen detect` prints (and the wizard shows first).
pub fn describe(detection: &Detection) -> String {
    let mut out = String::new();
    for p in &detection.projects {
        out.push_str(&describe_project(p));
    }
    for w in &detection.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

pub fn describe_project(p: &Project) -> String {
    let mut out = format!("{} project at {}\n", p.ecosystem, p.path);
    let row = |k: &str, v: String| format!("  {k:<16}{v}\n");
    out.push_str(&row(
        "package manager",
        p.package_manager.clone().unwrap_or_else(|| "-".into()),
    ));
    out.push_str(&row(
        "runtime version",
        p.runtime_version.clone().unwrap_or_else(|| "-".into()),
    ));
    out.push_str(&row(
        "framework",
        p.framework.clone().unwrap_or_else(|| "-".into()),
    ));
    out.push_str(&row(
        "start command",
        p.start_command
            .as_ref()
            .map(|c| c.join(" "))
            .unwrap_or_else(|| "-".into()),
    ));
    out.push_str(&row(
        "port",
        p.port.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
    ));
    if !p.evidence.is_empty() {
        out.push_str("  because:\n");
        for e in &p.evidence {
            out.push_str(&format!("    {}: {}\n", e.file, e.fact));
        }
    }
    out
}

/// One line per file written: `wrote Dockerfile`, `unchanged .dockerignore`, ...
pub fn report_written(root: &Path, done: &[(PathBuf, Outcome)]) {
    for (path, outcome) in done {
        let shown = path.strip_prefix(root).unwrap_or(path);
        let verb = match outcome {
            Outcome::Created => "wrote",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
        };
        eprintln!("{verb} {}", shown.display());
    }
}
