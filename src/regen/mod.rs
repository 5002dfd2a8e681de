//! `dockgen regen` and `dockgen check`: bring a generated Dockerfile and its ignore file up to date
//! with the project without losing the user's edits.
//!
//! For each file there are three versions: the *base* (what dockgen last generated, kept in
//! `dockgen.toml`'s `[last]`), *ours* (the file on disk, with the user's edits) and *theirs* (a fresh
//! render: re-detect, re-plan with the saved answers, re-render). A line-based three-way merge keeps
//! every edit that does not touch a line dockgen changes; an edit of the very lines dockgen changes is
//! a conflict, which is reported and never resolved silently. The new base is always the new render,
//! so the next merge again sees the user's edits as edits.
//!
//! `check` runs the same computation and writes nothing: the files are current when the new render
//! equals the base (whatever the user edited) and the files exist without conflict markers.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Generated;
use crate::detect::workspace_root;
use crate::error::{EXIT_OK, EXIT_STALE, Error, Location, Result};
use crate::plan::Choices;
use crate::state::{self, Inputs, State};
use crate::write::{self, Output};

/// Largest Dockerfile or ignore file on disk that regen reads back to merge.
const MAX_OURS: u64 = 16 * 1024 * 1024;

mod explain;
mod merge;
pub use explain::*;
pub use merge::*;

// ---------------------------------------------------------------------------------------------
// Finding the dockgen.toml files a command works on

/// One `dockgen.toml` and the build context it belongs to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The build context (what `docker build` is run on).
    pub context: PathBuf,
    pub state: State,
    /// The file's path as shown in messages.
    pub shown: PathBuf,
}

/// The `dockgen.toml` files a command works on: the member's with `--project`, else every one at or
/// below `path` (a monorepo checks all its members at once). Each file's `project` says where its
/// build context is, so `path` may also be a member's directory.
pub fn find_targets(path: &Path, project: Option<&str>) -> Result<Vec<Target>> {
    if !path.is_dir() {
        return Err(crate::error::not_a_project_dir(path));
    }
    let files: Vec<PathBuf> = match project {
        Some(member) => {
            let member = member.trim_start_matches("./").trim_end_matches('/');
            let file = path.join(member).join(state::FILE_NAME);
            if file.is_file() { vec![file] } else { vec![] }
        }
        None => walk_for_state_files(path),
    };
    files
        .into_iter()
        .map(|file| {
            let shown = file.strip_prefix(path).unwrap_or(&file).to_path_buf();
            let state = State::load(&file, &shown)?;
            let dir = file.parent().unwrap_or(Path::new("."));
            let context = context_of(dir, &state.project).ok_or_else(|| {
                Error::input(
                    Location::file(&shown),
                    format!(
                        "project = {:?}, but the file is not in that directory of a build \
                         context; move it next to the project's Dockerfile or fix `project`",
                        state.project
                    ),
                )
            })?;
            Ok(Target {
                context,
                state,
                shown,
            })
        })
        .collect()
}

fn walk_for_state_files(path: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = crate::source::walker(path)
        .max_depth(Some(6))
        .hidden(true)
        .filter_entry(|e| {
            !matches!(
                e.file_name().to_str(),
                Some("node_modules" | "target" | "vendor" | "venv" | "__pycache__")
            )
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && e.file_name() == state::FILE_NAME)
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// The build context of a `dockgen.toml` in `dir` that describes project `project`.
fn context_of(dir: &Path, project: &str) -> Option<PathBuf> {
    workspace_root(dir, project).or_else(|| workspace_root(&dir.canonicalize().ok()?, project))
}

// ---------------------------------------------------------------------------------------------
// Computing what regen would do

/// What `regen` would do to one file.
#[derive(Debug, Clone)]
pub enum FilePlan {
    /// Nothing to write.
    Current,
    /// Write this text (a clean merge, or the new render with `--force`).
    Update(String),
    /// The file is gone; write the new render.
    Missing,
    /// The file still has conflict markers from an earlier run.
    Markers,
    /// The user's edits and the new render change the same lines.
    Conflict(Conflicted),
}

/// One generated file: where it is and what would happen to it.
#[derive(Debug, Clone)]
pub struct FileRefresh {
    pub path: PathBuf,
    pub ours: Option<String>,
    pub theirs: String,
    /// The new render differs from what dockgen generated last time.
    pub render_changed: bool,
    /// The file on disk differs from what dockgen generated last time (the user edited it).
    pub edited: bool,
    pub plan: FilePlan,
}

/// Everything regen would do for one `dockgen.toml`, computed without writing.
#[derive(Debug)]
pub struct Refresh {
    pub context: PathBuf,
    pub shown: PathBuf,
    pub project: String,
    pub generated: Generated,
    pub files: Vec<FileRefresh>,
    /// Why the render changed (empty when it did not).
    pub reasons: Vec<String>,
    /// The updated `dockgen.toml`.
    pub state: Output,
}

impl Refresh {
    /// Regen would change the files or `dockgen.toml`.
    pub fn is_stale(&self) -> bool {
        self.render_changed()
            || self
                .files
                .iter()
                .any(|f| !matches!(f.plan, FilePlan::Current))
    }

    fn render_changed(&self) -> bool {
        self.files.iter().any(|f| f.render_changed)
    }

    pub fn has_conflicts(&self) -> bool {
        self.files
            .iter()
            .any(|f| matches!(f.plan, FilePlan::Conflict(_) | FilePlan::Markers))
    }

    fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.context)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Re-detects, re-plans with the saved answers, re-renders and merges. Writes nothing.
pub fn refresh(target: &Target, force: bool) -> Result<Refresh> {
    let st = &target.state;
    let last = match (&st.last, force) {
        (Some(last), _) => Some(last.clone()),
        (None, true) => None,
        (None, false) => {
            return Err(Error::input(
                Location::file(&target.shown),
                "has no [last] table, so dockgen cannot tell your edits from what it generated; \
                 restore it from version control, or run `dockgen regen --force` to start again \
                 from a fresh render",
            ));
        }
    };
    let generated = crate::generate(&target.context, &st.choices())?;
    let inputs = Inputs::of(&target.context, &generated)?;
    let mut files = Vec::new();
    let mut pairs = vec![
        (&generated.dockerfile, last.as_ref().map(|l| &l.dockerfile)),
        (
            &generated.dockerignore,
            last.as_ref().map(|l| &l.dockerignore),
        ),
    ];
    let mut newly_tracked = Vec::new();
    for c in &generated.companions {
        let base = last.as_ref().and_then(|l| l.companions.get(c.key));
        if base.is_none() && last.is_some() {
            newly_tracked.push(c);
        }
        pairs.push((&c.output, base));
    }
    for (out, base) in pairs {
        let shown_out = out.path.strip_prefix(&target.context).unwrap_or(&out.path);
        let ours = crate::source::read_text(&target.context, &out.path, shown_out, MAX_OURS)?
            .map(|t| write::normalise_newlines(&t));
        let theirs = out.contents.clone();
        let plan = match (&ours, base) {
            (None, _) => FilePlan::Missing,
            (Some(o), _) if force => {
                if *o == theirs {
                    FilePlan::Current
                } else {
                    FilePlan::Update(theirs.clone())
                }
            }
            (Some(o), _) if has_conflict_markers(o) => FilePlan::Markers,
            (Some(o), Some(base)) => match merge(base, o, &theirs) {
                Merged::Clean(text) if text == *o => FilePlan::Current,
                Merged::Clean(text) => FilePlan::Update(text),
                Merged::Conflict(c) => FilePlan::Conflict(c),
            },
            // A companion file asked for after the last render: a file already there that is not
            // what dockgen renders is the user's, and merges as a conflict with dockgen's.
            (Some(o), None) => match merge("", o, &theirs) {
                Merged::Clean(text) if text == *o => FilePlan::Current,
                Merged::Clean(text) => FilePlan::Update(text),
                Merged::Conflict(c) => FilePlan::Conflict(c),
            },
        };
        files.push(FileRefresh {
            path: out.path.clone(),
            render_changed: base != Some(&theirs),
            edited: ours.is_some() && ours.as_ref() != base,
            ours,
            theirs,
            plan,
        });
    }
    let render_changed = files.iter().any(|f| f.render_changed);
    let reasons = if render_changed {
        let mut r = explain(
            &st.version,
            &st.inputs,
            &inputs,
            &st.answers,
            &target.context,
        );
        for c in &newly_tracked {
            let answer = match c.key {
                "ci" => "ci",
                _ => "compose",
            };
            r.push(format!(
                "{}: newly tracked (`{answer}` in dockgen.toml [answers])",
                c.output
                    .path
                    .strip_prefix(&target.context)
                    .unwrap_or(&c.output.path)
                    .display()
            ));
        }
        if r.is_empty() {
            r.push("the new render differs from the one recorded in dockgen.toml".into());
        }
        r
    } else {
        Vec::new()
    };
    let mut new_state = st.clone();
    new_state.record(&generated, inputs, None);
    Ok(Refresh {
        context: target.context.clone(),
        shown: target.shown.clone(),
        project: st.project.clone(),
        generated,
        files,
        reasons,
        state: Output {
            path: st.path.clone(),
            contents: new_state.render(),
        },
    })
}

// ---------------------------------------------------------------------------------------------
// The commands

/// What `dockgen regen` is asked to do (the command line fills it from its flags).
#[derive(Debug, Clone, Default)]
pub struct RegenOptions {
    /// The build context, or a member directory holding a dockgen.toml.
    pub path: PathBuf,
    /// Only this workspace member.
    pub project: Option<String>,
    /// Print a unified diff and write nothing.
    pub diff: bool,
    /// Take the new render as is, dropping the user's edits.
    pub force: bool,
    /// On a conflict, write the file with conflict markers.
    pub conflict_markers: bool,
    /// With `diff`: the result as JSON.
    pub json: bool,
}

/// What `dockgen check` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub path: PathBuf,
    pub project: Option<String>,
    /// The result as JSON on stdout.
    pub json: bool,
}

/// `dockgen regen`.
pub fn run_regen(args: &RegenOptions) -> Result<i32> {
    let targets = find_targets(&args.path, args.project.as_deref())?;
    if targets.is_empty() {
        if args.json {
            return Err(Error::Usage(format!(
                "{}: no {} found; --json reports on files dockgen tracks",
                args.path.display(),
                state::FILE_NAME
            )));
        }
        return regen_untracked(args);
    }
    let refreshes = targets
        .iter()
        .map(|t| refresh(t, args.force))
        .collect::<Result<Vec<_>>>()?;
    let several = refreshes.len() > 1;
    let conflicts = refreshes.iter().any(Refresh::has_conflicts);

    if args.json {
        println!("{}", crate::json_report::to_string(&refreshes)?);
        return Ok(if conflicts { EXIT_STALE } else { EXIT_OK });
    }
    if args.diff {
        for r in &refreshes {
            print!("{}", diff_of(r));
            if r.has_conflicts() {
                report_conflicts(r, several);
            } else {
                let prefix = target_prefix(r, several);
                for line in &r.reasons {
                    eprintln!("{prefix}{line}");
                }
            }
        }
        return Ok(if conflicts { EXIT_STALE } else { EXIT_OK });
    }
    let markers = refreshes
        .iter()
        .any(|r| r.files.iter().any(|f| matches!(f.plan, FilePlan::Markers)));
    if conflicts && (!args.conflict_markers || markers) {
        for r in &refreshes {
            report_conflicts(r, several);
        }
        if markers {
            eprintln!(
                "Nothing was written. Resolve the markers and run `dockgen check`, or \
                 `dockgen regen --force` to take dockgen's version."
            );
        } else {
            eprintln!(
                "Nothing was written. To resolve:\n  \
                 dockgen regen --conflict-markers   write the files with <<<<<<< markers, edit them, and commit\n  \
                 dockgen regen --force              take dockgen's version and drop your edits to those files"
            );
        }
        return Ok(EXIT_STALE);
    }
    for r in &refreshes {
        let mut wrote_markers = false;
        let prefix = target_prefix(r, several);
        let old_state = crate::source::read_text(
            &r.context,
            &r.state.path,
            &r.state.path,
            state::MAX_STATE_BYTES,
        )
        .ok()
        .flatten()
        .unwrap_or_default();
        let write_state = r.render_changed() || (args.force && old_state != r.state.contents);
        if !r.is_stale() && !write_state {
            eprintln!("{prefix}up to date: nothing to do");
            continue;
        }
        for line in &r.reasons {
            eprintln!("{prefix}{line}");
        }
        let mut changes = Vec::new();
        let mut lines = Vec::new();
        for f in &r.files {
            let (text, verb, note) = match &f.plan {
                FilePlan::Current => (None, "unchanged", ""),
                FilePlan::Update(t) if f.ours.as_deref() == Some(f.theirs.as_str()) => {
                    (Some(t), "updated", "")
                }
                FilePlan::Update(t) if args.force => (Some(t), "replaced", ""),
                FilePlan::Update(t) if f.edited => (Some(t), "updated", " (your edits kept)"),
                FilePlan::Update(t) => (Some(t), "updated", ""),
                FilePlan::Missing => (Some(&f.theirs), "recreated", ""),
                FilePlan::Markers => unreachable!("refused above"),
                FilePlan::Conflict(c) => {
                    wrote_markers = true;
                    (Some(&c.with_markers), "wrote conflict markers in", "")
                }
            };
            if let Some(text) = text {
                changes.push(write::Output {
                    path: f.path.clone(),
                    contents: text.clone(),
                });
            }
            lines.push(format!("{prefix}{verb} {}{note}", r.show(&f.path)));
        }
        if write_state {
            changes.push(write::Output {
                path: r.state.path.clone(),
                contents: r.state.contents.clone(),
            });
            lines.push(format!("{prefix}updated {}", r.show(&r.state.path)));
        }
        // The set is written as a unit: all of it, or (on failure) none of it.
        write::write_all(&r.context, &changes)?;
        for line in lines {
            eprintln!("{line}");
        }
        if wrote_markers {
            eprintln!(
                "{prefix}resolve the <<<<<<< {OURS_LABEL} / >>>>>>> {THEIRS_LABEL} blocks, then run `dockgen check`"
            );
        }
        for note in &r.generated.plan.notes {
            eprintln!("{prefix}note: {note}");
        }
    }
    Ok(if conflicts { EXIT_STALE } else { EXIT_OK })
}

/// `regen` where no `dockgen.toml` exists: refuse unless `--force`, which starts afresh like `init`.
fn regen_untracked(args: &RegenOptions) -> Result<i32> {
    let where_ = match &args.project {
        Some(p) => args.path.join(p),
        None => args.path.clone(),
    };
    if !args.force {
        let dockerfile = where_.join("Dockerfile");
        let what = if dockerfile.is_file() {
            format!(
                "{}: dockgen did not write this Dockerfile (there is no {} next to it), so \
                 regen leaves it alone; nothing was written.\n\
                 Run `dockgen regen --force` to replace it with a fresh render, or \
                 `dockgen init --force` to choose the answers again.",
                dockerfile.display(),
                state::FILE_NAME
            )
        } else {
            format!(
                "{}: no {} found, so there is nothing to regenerate; run `dockgen init` first.",
                where_.display(),
                state::FILE_NAME
            )
        };
        return Err(Error::Refused(what));
    }
    let choices = Choices {
        project: args.project.clone(),
        ..Choices::default()
    };
    let generated = crate::generate(&args.path, &choices)?;
    let mut outputs = generated.outputs();
    outputs.push(state::init_output(&args.path, &generated, true)?);
    if args.diff {
        for o in &outputs {
            let old = crate::source::read_text(&args.path, &o.path, &o.path, MAX_OURS)?
                .unwrap_or_default();
            print!("{}", unified(&args.path, &o.path, &old, &o.contents));
        }
        return Ok(EXIT_OK);
    }
    for (path, outcome) in write::write_all(&args.path, &outputs)? {
        let verb = match outcome {
            write::Outcome::Created => "wrote",
            write::Outcome::Updated => "replaced",
            write::Outcome::Unchanged => "unchanged",
        };
        eprintln!(
            "{verb} {}",
            path.strip_prefix(&args.path).unwrap_or(&path).display()
        );
    }
    Ok(EXIT_OK)
}

/// `dockgen check`.
pub fn run_check(args: &CheckOptions) -> Result<i32> {
    let targets = find_targets(&args.path, args.project.as_deref())?;
    if targets.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no {} found, so there is nothing to check against; run `dockgen init` first.",
            args.path
                .join(args.project.as_deref().unwrap_or("."))
                .display(),
            state::FILE_NAME
        )));
    }
    if args.json {
        let refreshes = targets
            .iter()
            .map(|t| refresh(t, false))
            .collect::<Result<Vec<_>>>()?;
        println!("{}", crate::json_report::to_string(&refreshes)?);
        let stale = refreshes.iter().any(Refresh::is_stale);
        return Ok(if stale { EXIT_STALE } else { EXIT_OK });
    }
    let several = targets.len() > 1;
    let mut stale = false;
    let mut conflicted = false;
    for t in &targets {
        let r = refresh(t, false)?;
        conflicted |= r.has_conflicts();
        let prefix = target_prefix(&r, several);
        if !r.is_stale() {
            let names: Vec<String> = r.files.iter().map(|f| r.show(&f.path)).collect();
            eprintln!("{prefix}up to date: {}", names.join(", "));
            continue;
        }
        stale = true;
        let mut lines = Vec::new();
        let mut touched = Vec::new();
        for f in &r.files {
            let name = r.show(&f.path);
            match &f.plan {
                FilePlan::Current if f.render_changed => {
                    lines.push(format!(
                        "{name} already matches; {} records an older render",
                        r.show(&r.state.path)
                    ));
                }
                FilePlan::Current => {}
                FilePlan::Update(_) => touched.push(name),
                FilePlan::Missing => lines.push(format!("{name} is missing")),
                FilePlan::Markers => lines.push(format!("{name} has unresolved conflict markers")),
                FilePlan::Conflict(c) => {
                    touched.push(name.clone());
                    let at: Vec<String> = c
                        .hunks
                        .iter()
                        .map(|h| h.line.map_or(name.clone(), |l| format!("{name}:{l}")))
                        .collect();
                    lines.push(format!(
                        "your edits at {} conflict with the new render; `dockgen regen` shows them",
                        at.join(", ")
                    ));
                }
            }
        }
        if touched.is_empty() {
            eprintln!("{prefix}stale:");
        } else {
            eprintln!(
                "{prefix}stale: {} (dockgen regen would change it)",
                touched.join(", ")
            );
        }
        for line in r.reasons.iter().chain(&lines) {
            eprintln!("{prefix}  - {line}");
        }
    }
    if stale {
        if conflicted {
            eprintln!("Run `dockgen regen` to see the conflicts and how to resolve them.");
        } else {
            eprintln!("Run `dockgen regen` to update (your edits are kept).");
        }
        Ok(EXIT_STALE)
    } else {
        Ok(EXIT_OK)
    }
}

/// `[services/orders] ` before each line when a command handles several projects or a member.
fn target_prefix(r: &Refresh, several: bool) -> String {
    let dir = r
        .shown
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let name = if dir.is_empty() {
        r.project.clone()
    } else {
        dir
    };
    if several || name != "." {
        format!("[{name}] ")
    } else {
        String::new()
    }
}

fn report_conflicts(r: &Refresh, several: bool) {
    let prefix = target_prefix(r, several);
    for f in &r.files {
        let name = r.show(&f.path);
        match &f.plan {
            FilePlan::Markers => eprintln!(
                "{prefix}{name} still has conflict markers; resolve them first (or use --force)"
            ),
            FilePlan::Conflict(c) => {
                eprintln!(
                    "{prefix}{name}: your edits change the same lines as the new render ({} conflict{}):",
                    c.hunks.len(),
                    if c.hunks.len() == 1 { "" } else { "s" }
                );
                for h in &c.hunks {
                    eprint!("{}", describe_hunk(&name, h));
                }
            }
            _ => {}
        }
    }
    if r.has_conflicts() && !r.reasons.is_empty() {
        eprintln!("{prefix}dockgen changed them because:");
        for line in &r.reasons {
            eprintln!("{prefix}  {line}");
        }
    }
}

/// A conflict as the user reads it: their lines, what dockgen generated before and now.
pub fn describe_hunk(name: &str, h: &ConflictHunk) -> String {
    let mut out = String::new();
    match h.line {
        Some(l) => {
            let _ = writeln!(out, "  at {name}:{l}");
        }
        None => {
            let _ = writeln!(out, "  in {name} (you removed these lines)");
        }
    }
    for (title, lines) in [
        ("yours", &h.ours),
        ("dockgen generated before", &h.base),
        ("dockgen generates now", &h.theirs),
    ] {
        let _ = writeln!(out, "    {title}:");
        if lines.is_empty() {
            let _ = writeln!(out, "      (nothing)");
        }
        for l in lines {
            let _ = writeln!(out, "      {l}");
        }
    }
    out
}

/// What regen would change, as a unified diff per file (to stdout).
fn diff_of(r: &Refresh) -> String {
    let mut out = String::new();
    for f in &r.files {
        let new = match &f.plan {
            FilePlan::Current | FilePlan::Markers => continue,
            FilePlan::Update(t) => t,
            FilePlan::Missing => &f.theirs,
            FilePlan::Conflict(c) => &c.with_markers,
        };
        out.push_str(&unified(
            &r.context,
            &f.path,
            f.ours.as_deref().unwrap_or(""),
            new,
        ));
    }
    out
}

/// A unified diff of one file, with `a/` and `b/` paths relative to `root`; empty when equal.
pub fn unified(root: &Path, path: &Path, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let patch = diffy::DiffOptions::new()
        .set_original_filename(format!("a/{name}"))
        .set_modified_filename(format!("b/{name}"))
        .create_patch(old, new);
    patch.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::FileInput;

    const BASE: &str = "\
# Generated by dockgen
ARG NODE_VERSION=20
FROM node:${NODE_VERSION}-bookworm-slim AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER 1000:1000
CMD [\"node\", \"server.js\"]
";

    fn user_edit(text: &str) -> String {
        text.replace(
            "USER 1000:1000\n",
            "LABEL team=\"payments\"\nUSER 1000:1000\n",
        )
    }

    fn pnpm(text: &str) -> String {
        text.replace("package-lock.json", "pnpm-lock.yaml").replace(
            "RUN npm ci --omit=dev",
            "RUN pnpm install --frozen-lockfile --prod",
        )
    }

    #[test]
    fn edits_elsewhere_are_kept() {
        let ours = user_edit(BASE);
        let theirs = pnpm(BASE);
        let Merged::Clean(out) = merge(BASE, &ours, &theirs) else {
            panic!("expected a clean merge");
        };
        assert_eq!(out, user_edit(&pnpm(BASE)));
    }

    #[test]
    fn unchanged_sides_short_circuit() {
        let ours = user_edit(BASE);
        assert_eq!(merge(BASE, &ours, BASE), Merged::Clean(ours.clone()));
        assert_eq!(merge(BASE, BASE, &pnpm(BASE)), Merged::Clean(pnpm(BASE)));
        // The user made dockgen's change by hand: nothing left to do.
        assert_eq!(
            merge(BASE, &pnpm(BASE), &pnpm(BASE)),
            Merged::Clean(pnpm(BASE))
        );
    }

    #[test]
    fn an_edit_of_the_line_dockgen_changes_is_a_conflict_with_both_sides() {
        let ours = BASE.replace("RUN npm ci --omit=dev", "RUN npm ci --omit=dev --no-audit");
        let theirs = pnpm(BASE);
        let Merged::Conflict(c) = merge(BASE, &ours, &theirs) else {
            panic!("expected a conflict");
        };
        assert_eq!(c.hunks.len(), 1, "{:#?}", c.hunks);
        let h = &c.hunks[0];
        assert!(h.ours.iter().any(|l| l.contains("--no-audit")), "{h:#?}");
        assert!(
            h.base.contains(&"RUN npm ci --omit=dev".to_string()),
            "{h:#?}"
        );
        assert!(
            h.theirs.iter().any(|l| l.contains("pnpm install")),
            "{h:#?}"
        );
        let line = h.line.unwrap();
        assert_eq!(ours.lines().nth(line - 1).unwrap(), h.ours[0]);
        // Standard markers, labelled by whose lines they are; nothing of either side is lost.
        let m = &c.with_markers;
        assert!(m.contains("<<<<<<< yours\n"), "{m}");
        assert!(m.contains("\n=======\n"), "{m}");
        assert!(m.contains(">>>>>>> dockgen regen\n"), "{m}");
        assert!(
            m.contains("--no-audit") && m.contains("pnpm install"),
            "{m}"
        );
        assert!(has_conflict_markers(m));
        assert!(!has_conflict_markers(&ours));
        // Parts that merged cleanly are merged in the marked text too.
        assert!(m.contains("COPY package.json pnpm-lock.yaml ./"), "{m}");
    }

    #[test]
    fn lines_added_next_to_a_changed_line_stay_on_their_side() {
        let base = "A\nB\nC\n";
        // diffy (like git) calls these conflicts; the added line goes before or after the change.
        assert!(diffy::merge(base, "A\nX\nB\nC\n", "A\nB2\nC\n").is_err());
        assert_eq!(
            merge(base, "A\nX\nB\nC\n", "A\nB2\nC\n"),
            Merged::Clean("A\nX\nB2\nC\n".into())
        );
        assert_eq!(
            merge(base, "A\nB\nX\nC\n", "A\nB2\nC\n"),
            Merged::Clean("A\nB2\nX\nC\n".into())
        );
        // dockgen adds a line next to one the user changed.
        assert_eq!(
            merge(base, "A\nB!\nC\n", "A\nN\nB\nC\n"),
            Merged::Clean("A\nN\nB!\nC\n".into())
        );
        // dockgen removes the line the user wrote next to: the user's line stays.
        assert_eq!(
            merge(base, "A\nX\nB\nC\n", "A\nC\n"),
            Merged::Clean("A\nX\nC\n".into())
        );
        // Both add at the same place: order is a guess, so it stays a conflict.
        assert!(matches!(
            merge("A\nC\n", "A\nX\nC\n", "A\nY\nC\n"),
            Merged::Conflict(_)
        ));
        // Both change the same line.
        let Merged::Conflict(c) = merge(base, "A\nB1\nC\n", "A\nB2\nC\n") else {
            panic!("expected a conflict")
        };
        assert_eq!(
            c.with_markers,
            "A\n<<<<<<< yours\nB1\n=======\nB2\n>>>>>>> dockgen regen\nC\n"
        );
        assert_eq!(c.hunks[0].line, Some(2));
    }

    fn inputs(pm: &str, files: &[(&str, &str, &str)]) -> Inputs {
        Inputs {
            ecosystem: "node".into(),
            package_manager: Some(pm.into()),
            runtime_version: Some("20".into()),
            files: files
                .iter()
                .map(|(f, h, fact)| {
                    (
                        f.to_string(),
                        FileInput {
                            hash: Some(h.to_string()),
                            facts: vec![fact.to_string()],
                            copied: false,
                        },
                    )
                })
                .collect(),
            ..Inputs::default()
        }
    }

    #[test]
    fn reasons_name_the_files_behind_each_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.json"), "{}").unwrap();
        let old = inputs(
            "npm",
            &[
                ("package.json", "a", "node project"),
                ("package-lock.json", "b", "package manager npm (lockfile)"),
            ],
        );
        let new = inputs(
            "pnpm",
            &[
                ("package.json", "c", "packageManager pnpm@9.1.0"),
                ("pnpm-lock.yaml", "d", "package manager pnpm (lockfile)"),
            ],
        );
        let reasons = explain(
            env!("CARGO_PKG_VERSION"),
            &old,
            &new,
            &Choices::default(),
            dir.path(),
        );
        assert_eq!(
            reasons,
            vec![
                "package manager npm → pnpm: pnpm-lock.yaml appeared, package-lock.json removed, \
                 package.json changed"
            ]
        );
    }

    #[test]
    fn reasons_credit_answers_and_versions() {
        let dir = tempfile::tempdir().unwrap();
        let mut old = inputs("npm", &[]);
        old.port = Some(3000);
        let mut new = old.clone();
        new.port = Some(8080);
        let answers = Choices {
            port: Some(8080),
            ..Choices::default()
        };
        let reasons = explain("0.0.1", &old, &new, &answers, dir.path());
        assert_eq!(
            reasons,
            vec![
                "port 3000 → 8080: set in dockgen.toml [answers]".to_string(),
                format!("dockgen 0.0.1 → {}", env!("CARGO_PKG_VERSION")),
            ]
        );
    }

    #[test]
    fn file_names_tell_their_tool() {
        assert!(names("pnpm-lock.yaml", "pnpm"));
        assert!(names("apps/api/uv.lock", "uv"));
        assert!(!names("package-lock.json", "npm"));
        assert!(!names("requirements.txt", "pip"));
    }

    #[test]
    fn version_words_match_whole_values() {
        assert!(mentions("package manager pnpm (lockfile)", "pnpm"));
        assert!(!mentions("package manager pnpm (lockfile)", "npm"));
        assert!(mentions("node 22 (from .nvmrc)", "22"));
        assert!(!mentions("node 22.1 pinned", "22"));
        assert!(mentions("python 3.12 (.python-version)", "3.12"));
    }

    #[test]
    fn member_files_find_their_context() {
        assert_eq!(
            context_of(Path::new("repo/apps/web"), "apps/web"),
            Some(PathBuf::from("repo"))
        );
        assert_eq!(
            context_of(Path::new("apps/web"), "apps/web"),
            Some(PathBuf::from("."))
        );
        assert_eq!(context_of(Path::new("repo/web"), "apps/web"), None);
        assert_eq!(
            context_of(Path::new("repo"), "."),
            Some(PathBuf::from("repo"))
        );
    }
}
