//! Reviewing before writing: every file the wizard would write, shown as a diff against what is
//! on disk with a choice per file, the optional compose.yaml, and the next steps printed at the end.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::safe;
use crate::write::{self, Output};
use crate::{Generated, render};

use super::*;

pub(super) fn project_dir(root: &Path, project_path: &str) -> PathBuf {
    if project_path == "." {
        root.to_path_buf()
    } else {
        root.join(project_path)
    }
}

/// What `compose.yaml.tera` renders: one service that builds the generated Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct ComposeService {
    pub service: String,
    /// The build context, relative to the compose file (the root the Dockerfile is built from).
    pub context: String,
    /// The Dockerfile, relative to the context.
    pub dockerfile: String,
    pub port: Option<u16>,
}

impl ComposeService {
    pub fn for_plan(generated: &Generated) -> Result<Self> {
        let project_path = &generated.plan.project_path;
        let (context, dockerfile) = if project_path == "." {
            (".".to_string(), "Dockerfile".to_string())
        } else {
            let member = safe::path(project_path, "project path")
                .map_err(|e| Error::Internal(format!("compose.yaml for {project_path:?}: {e}")))?;
            let depth = member
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .count();
            (vec![".."; depth].join("/"), format!("{member}/Dockerfile"))
        };
        Ok(ComposeService {
            service: service_name(&generated.project.name),
            context,
            dockerfile,
            port: generated.plan.port,
        })
    }
}

/// A Compose service name (`[a-z0-9_-]`) made from a project name such as `@acme/web`.
pub fn service_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "app".to_string()
    } else {
        out.to_string()
    }
}

/// The compose file for a generation, next to its Dockerfile.
pub fn compose_output(root: &Path, generated: &Generated) -> Result<Output> {
    let service = ComposeService::for_plan(generated)?;
    Ok(Output {
        path: project_dir(root, &generated.plan.project_path).join("compose.yaml"),
        contents: render::compose(&service)?,
    })
}

/// What will happen to one output if the user agrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    New,
    Unchanged,
    Changed { old: String, ours: bool },
}

pub(super) fn change_of(output: &Output) -> Change {
    match write::existing_text(&output.path).ok_or(()) {
        Err(_) => Change::New,
        Ok(old) if old == output.contents => Change::Unchanged,
        Ok(old) => Change::Changed {
            old,
            ours: write::is_ours(&output.path),
        },
    }
}

/// Lists what will be written, shows a diff for each existing file that would change and asks
/// whether to overwrite it. Returns the outputs to write. Writes nothing.
///
/// A `follower` (dockgen.toml, which records the generation for `dockgen regen` and keeps the
/// user's comments when updated) is listed but not asked about: it is written when it changes and
/// any other file is written.
pub fn review(
    root: &Path,
    outputs: &[Output],
    follower: Option<&Output>,
    force: bool,
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
    style: Style,
) -> Result<Vec<Output>> {
    let shown = |o: &Output| {
        o.path
            .strip_prefix(root)
            .unwrap_or(&o.path)
            .display()
            .to_string()
    };
    let changes: Vec<Change> = outputs.iter().map(change_of).collect();
    say(out, &format!("\n{}", style.bold("dockgen will write:")));
    let width = outputs
        .iter()
        .chain(follower)
        .map(|o| shown(o).len())
        .max()
        .unwrap_or(0);
    for (o, change) in outputs.iter().zip(&changes) {
        let state = match change {
            Change::New => "new file".to_string(),
            Change::Unchanged => "unchanged, left alone".to_string(),
            Change::Changed { old, ours } => {
                let (plus, minus) = line_counts(old, &o.contents);
                let by = if *ours {
                    "written by dockgen"
                } else {
                    "NOT written by dockgen"
                };
                format!("exists, {by}: +{plus} -{minus} lines")
            }
        };
        say(out, &format!("  {:<width$}  {state}", shown(o)));
    }
    let follower = follower.filter(|f| change_of(f) != Change::Unchanged);
    if let Some(f) = follower {
        say(
            out,
            &format!(
                "  {:<width$}  records this run for `dockgen regen`; written with the files above",
                shown(f)
            ),
        );
    }
    let mut chosen = Vec::new();
    for (o, change) in outputs.iter().zip(changes) {
        match change {
            Change::New => chosen.push(o.clone()),
            Change::Unchanged => {}
            Change::Changed { old, ours } => {
                let name = shown(o);
                let options = vec![
                    format!("overwrite {name}"),
                    format!("skip (keep {name} as it is)"),
                    "show the diff again".to_string(),
                ];
                let start = if ours || force { 0 } else { 1 };
                loop {
                    let _ = write!(out, "\n{}", unified_diff(&name, &old, &o.contents, style));
                    let question = format!("{name} already exists. What should dockgen do?");
                    match ask.select(&question, &options, start, None)? {
                        0 => {
                            chosen.push(o.clone());
                            break;
                        }
                        1 => break,
                        _ => continue,
                    }
                }
            }
        }
    }
    if let Some(f) = follower.filter(|_| !chosen.is_empty()) {
        chosen.push(f.clone());
    }
    Ok(chosen)
}

pub(super) fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let patch = diffy::create_patch(old, new);
    let mut plus = 0;
    let mut minus = 0;
    for line in patch.hunks().iter().flat_map(|h| h.lines()) {
        match line {
            diffy::Line::Insert(_) => plus += 1,
            diffy::Line::Delete(_) => minus += 1,
            diffy::Line::Context(_) => {}
        }
    }
    (plus, minus)
}

/// How to use what was written.
pub(super) fn next_steps(generated: &Generated, compose: bool) -> String {
    let tag = service_name(&generated.project.name);
    let mut text = String::from("\nNext:\n");
    if generated.plan.project_path == "." {
        text.push_str(&format!("  docker build -t {tag} ."));
    } else {
        text.push_str(&format!(
            "  docker build -f {}/Dockerfile -t {tag} .",
            generated.plan.project_path
        ));
    }
    if compose {
        text.push_str("\n  docker compose up --build");
        if generated.plan.project_path != "." {
            text.push_str(&format!("   (in {})", generated.plan.project_path));
        }
    }
    text
}
