//! Detection: turns a directory into facts about the projects inside it, each fact with its evidence.
//!
//! What to look for is data (`detectors/*.toml`, see [`crate::rules`]); each ecosystem's detector
//! (`src/ecosystems/<id>/detect.rs`) reads that data and the project's files and reports [`Project`]s. Nothing here decides how to build an image: that is
//! the plan stage's job.

pub mod compiled;
pub mod listen;

use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub use crate::ecosystems::EcosystemRef;
use crate::error::{Candidate, Error, Result};
use crate::source::ProjectDir;

/// Why dockgen believes a fact: the file it read and what it concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub file: String,
    pub fact: String,
}

impl Evidence {
    pub fn new(file: impl AsRef<Path>, fact: impl Into<String>) -> Self {
        Evidence {
            file: file.as_ref().to_string_lossy().replace('\\', "/"),
            fact: fact.into(),
        }
    }
}

/// One deployable project found by detection.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    /// Path relative to the detection root (`"."` for the root).
    pub path: String,
    pub ecosystem: EcosystemRef,
    pub package_manager: Option<String>,
    pub runtime_version: Option<String>,
    pub framework: Option<String>,
    pub start_command: Option<Vec<String>>,
    pub port: Option<u16>,
    pub evidence: Vec<Evidence>,
    /// Human name (package name, directory name), used for labels and messages.
    #[serde(skip)]
    pub name: String,
    /// Ecosystem-specific facts the plan stage needs (lockfile names, build scripts, ...).
    #[serde(skip)]
    pub details: Details,
}

/// Ecosystem-specific facts, owned by each ecosystem's detector and read by its planner: the
/// ecosystem's own type, which only its own code names (see [`Project::details`]).
#[derive(Clone, Default)]
pub struct Details(Option<Arc<dyn Any + Send + Sync>>);

impl Details {
    pub fn new<T: Any + Send + Sync>(details: T) -> Self {
        Details(Some(Arc::new(details)))
    }

    /// The facts, when they are a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.as_deref().and_then(|d| d.downcast_ref())
    }

    /// The facts for changing, when they are a `T` not shared with a clone of the project.
    pub fn get_mut<T: Any>(&mut self) -> Option<&mut T> {
        self.0
            .as_mut()
            .and_then(Arc::get_mut)
            .and_then(|d| d.downcast_mut())
    }
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Details(..)"
        } else {
            "Details(none)"
        })
    }
}

impl Project {
    /// The ecosystem-specific facts its detector stored, as the ecosystem's own type `T`.
    pub fn details<T: Any>(&self) -> Result<&T> {
        self.details.get().ok_or_else(|| {
            Error::Internal(format!(
                "the {} project at {} carries no {} (it was not made by the {} detector)",
                self.ecosystem,
                self.path,
                std::any::type_name::<T>(),
                self.ecosystem
            ))
        })
    }
}

/// What detection found under a root.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub root: String,
    pub projects: Vec<Project>,
    pub warnings: Vec<String>,
    /// The member path of the root inside a workspace above it that claims it. Generating for a
    /// member alone would miss its lockfile.
    #[serde(skip)]
    pub member_of: Option<String>,
}

/// Choices that change what detection reports (from command-line flags or saved answers).
#[derive(Debug, Clone, Default)]
pub struct DetectOptions {
    /// Only consider this ecosystem.
    pub ecosystem: Option<EcosystemRef>,
    /// Use this package manager instead of the detected one (also resolves ambiguity).
    pub package_manager: Option<String>,
    /// Which binary / main package / module to build when there are several.
    pub bin: Option<String>,
}

/// Detects every deployable project under `root`.
///
/// The root itself is tried first; each ecosystem decides whether it has workspace members below it.
pub fn detect(root: &Path, opts: &DetectOptions) -> Result<Detection> {
    if !root.is_dir() {
        return Err(crate::error::not_a_project_dir(root));
    }
    let dir = ProjectDir::new(root, ".");
    let mut projects = Vec::new();
    let mut warnings = Vec::new();
    for eco in EcosystemRef::all() {
        if opts.ecosystem.is_some_and(|e| e != eco) {
            continue;
        }
        projects.extend(eco.detect(&dir, opts)?);
    }
    // A project another ecosystem's project in the same directory already builds is not listed.
    let built_by: Vec<(String, &str, EcosystemRef)> = projects
        .iter()
        .flat_map(|p| {
            p.ecosystem
                .builds_alongside(p)
                .iter()
                .map(move |id| (p.path.clone(), *id, p.ecosystem))
        })
        .collect();
    projects.retain(|p| {
        let by = built_by
            .iter()
            .find(|(path, id, _)| *path == p.path && *id == p.ecosystem.id());
        if let Some((_, _, owner)) = by {
            warnings.push(format!(
                "the {} project at {} is built inside the {owner} project's image; pass --ecosystem {} to containerise it on its own",
                p.ecosystem, p.path, p.ecosystem
            ));
        }
        by.is_none()
    });
    let mut seen: Vec<EcosystemRef> = Vec::new();
    for p in &projects {
        if !seen.contains(&p.ecosystem) {
            if !seen.is_empty() {
                warnings.push(match server_beside_tooling(&projects) {
                    Some((server, tooling)) => format!(
                        "found {tooling} and {server} at the root: {server} is the server, so --yes \
                         chooses it (pass --ecosystem {tooling} for the {tooling} project instead)"
                    ),
                    None => format!(
                        "several ecosystems found at the root; {} projects are listed after the others",
                        p.ecosystem
                    ),
                });
            }
            seen.push(p.ecosystem);
        }
    }
    if projects.is_empty() {
        return Err(Error::NoProject(no_project_message(root, opts)));
    }
    let member_of = enclosing_workspace(root, opts);
    if let Some(member) = &member_of {
        let ws = shown_workspace_root(root, member);
        warnings.push(format!(
            "{} is the member {member} of the workspace at {}: its lockfile and shared packages \
             are there, so build from the workspace root (dockgen init {} --project {member})",
            root.display(),
            ws.display(),
            ws.display()
        ));
    }
    Ok(Detection {
        root: root.display().to_string(),
        projects,
        warnings,
        member_of,
    })
}

/// `(server, tooling)` when the projects are a server and, at the same path, a project of an
/// ecosystem that yields to servers (a package.json beside it).
fn server_beside_tooling(projects: &[Project]) -> Option<(EcosystemRef, EcosystemRef)> {
    match projects {
        [a, b]
            if a.path == b.path
                && a.ecosystem.yields_to_servers() != b.ecosystem.yields_to_servers() =>
        {
            Some(if a.ecosystem.yields_to_servers() {
                (b.ecosystem, a.ecosystem)
            } else {
                (a.ecosystem, b.ecosystem)
            })
        }
        _ => None,
    }
}

/// How far up `detect` looks for a workspace that the directory belongs to.
const WORKSPACE_SEARCH_DEPTH: usize = 4;

/// The member path of `root` inside a workspace above it that lists `root` as one of its
/// deployable members. Stops at a repository root (`.git`); unreadable parents are skipped.
fn enclosing_workspace(root: &Path, opts: &DetectOptions) -> Option<String> {
    let abs = root.canonicalize().ok()?;
    if abs.join(".git").exists() {
        return None;
    }
    let mut dir = abs.as_path();
    for _ in 0..WORKSPACE_SEARCH_DEPTH {
        dir = dir.parent()?;
        let member = rel_string(abs.strip_prefix(dir).ok()?);
        let parent = ProjectDir::new(dir, ".");
        let claims = EcosystemRef::all()
            .filter(|e| opts.ecosystem.is_none_or(|o| o == *e))
            .filter(|e| e.rules().markers.iter().any(|m| dir.join(m).is_file()))
            .filter_map(|e| e.detect(&parent, opts).ok())
            .flatten()
            .any(|p| p.path == member);
        if claims {
            return Some(member);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The workspace root of the member directory `dir` whose path inside the workspace is
/// `member`: `dir` minus the member's trailing components (`repo/apps/api` → `repo`, `apps/api`
/// → `.`), or `None` when `dir` does not end with them. A root project (`.`) is its own root.
pub fn workspace_root(dir: &Path, member: &str) -> Option<PathBuf> {
    if member == "." {
        return Some(dir.to_path_buf());
    }
    let comps: Vec<_> = dir.components().collect();
    let tail: Vec<_> = Path::new(member).components().collect();
    if comps.len() < tail.len() || comps[comps.len() - tail.len()..] != tail[..] {
        return None;
    }
    let head: PathBuf = comps[..comps.len() - tail.len()].iter().collect();
    Some(if head.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        head
    })
}

/// The workspace root as the user can type it: [`workspace_root`], else `root` joined with one
/// `..` per member component (`./../..` when the root was given as `.`).
fn shown_workspace_root(root: &Path, member: &str) -> PathBuf {
    workspace_root(root, member).unwrap_or_else(|| {
        let up: PathBuf = member.split('/').map(|_| "..").collect();
        root.join(up)
    })
}

fn no_project_message(root: &Path, opts: &DetectOptions) -> String {
    let present: Vec<&str> = EcosystemRef::all()
        .filter(|e| opts.ecosystem.is_none_or(|o| o == *e))
        .flat_map(|e| e.rules().markers.iter())
        .filter(|m| root.join(m).is_file())
        .map(String::as_str)
        .collect();
    if !present.is_empty() {
        return format!(
            "{}: {} found, but nothing deployable in it: no program to run (a library, or a \
             workspace without applications?).\nPoint dockgen at the application's directory.",
            root.display(),
            present.join(", ")
        );
    }
    let dir = ProjectDir::new(root, ".");
    if let Some(msg) = EcosystemRef::all()
        .filter(|e| opts.ecosystem.is_none_or(|o| o == *e))
        .find_map(|e| e.nothing_found_hint(&dir))
    {
        return msg;
    }
    let mut msg = format!(
        "{}: no project dockgen can containerise was found.\nLooked for:",
        root.display()
    );
    for eco in EcosystemRef::all() {
        if opts.ecosystem.is_some_and(|e| e != eco) {
            continue;
        }
        msg.push_str(&format!("\n  {eco}: {}", eco.rules().markers.join(", ")));
    }
    msg.push_str("\nPoint dockgen at the project directory, or pass --ecosystem.");
    msg
}

impl Detection {
    /// Picks the project to generate for: the one named by `member`, or the only one.
    pub fn select(&self, member: Option<&str>) -> Result<&Project> {
        if let Some(name) = &self.member_of {
            let ws = shown_workspace_root(Path::new(&self.root), name);
            return Err(Error::Usage(format!(
                "{} is the member {name} of the workspace at {}: its lockfile and shared packages \
                 live there, so the image must be built from the workspace root.\n\
                 Run: dockgen init {} --project {name}",
                self.root,
                ws.display(),
                ws.display()
            )));
        }
        if let Some(member) = member {
            let want = normalise_member(member);
            let here: Vec<&Project> = self.projects.iter().filter(|p| p.path == want).collect();
            // A server with its JavaScript tooling's package.json beside it: the server, as below.
            let chosen = match here.as_slice() {
                [a, b]
                    if (a.ecosystem.yields_to_servers()) != (b.ecosystem.yields_to_servers()) =>
                {
                    Some(if a.ecosystem.yields_to_servers() {
                        *b
                    } else {
                        *a
                    })
                }
                _ => here.first().copied(),
            };
            return chosen.ok_or_else(|| {
                Error::Usage(format!(
                    "--project {member}: no deployable project there. Found: {}",
                    self.project_list()
                ))
            });
        }
        match self.projects.as_slice() {
            [one] => Ok(one),
            // A server with its JavaScript frontend's package.json beside it: the server.
            [a, b]
                if a.path == b.path
                    && (a.ecosystem.yields_to_servers()) != (b.ecosystem.yields_to_servers()) =>
            {
                Ok(if a.ecosystem.yields_to_servers() {
                    b
                } else {
                    a
                })
            }
            many => Err(Error::Ambiguous {
                message: format!(
                    "found {} deployable projects: {}.\nChoose one with --project PATH.",
                    many.len(),
                    self.project_list()
                ),
                flag: "--project",
                candidates: many
                    .iter()
                    .map(|p| Candidate::new(p.path.clone(), Vec::new()))
                    .collect(),
            }),
        }
    }

    fn project_list(&self) -> String {
        self.projects
            .iter()
            .map(|p| format!("{} ({})", p.path, p.ecosystem))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn normalise_member(member: &str) -> String {
    let trimmed = member.trim_start_matches("./").trim_end_matches('/');
    if trimmed.is_empty() {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Relative path of `child` under `root` for display and JSON (`"."` for the root itself).
pub fn rel_string(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".to_string() } else { s }
}

/// Lists the sub-directories matched by workspace globs such as `packages/*` or `apps/**`,
/// relative to `dir`, skipping anything the project's ignore files exclude.
pub fn expand_member_globs(dir: &ProjectDir, globs: &[String]) -> Result<Vec<PathBuf>> {
    let mut include = globset::GlobSetBuilder::new();
    let mut exclude = globset::GlobSetBuilder::new();
    let mut any = false;
    for g in globs {
        let (set, pat) = match g.strip_prefix('!') {
            Some(rest) => (&mut exclude, rest),
            None => (&mut include, g.as_str()),
        };
        let pat = pat.trim_start_matches("./").trim_end_matches('/');
        if pat.is_empty() || pat.contains("..") {
            continue;
        }
        let glob = globset::GlobBuilder::new(pat)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Usage(format!("workspace pattern {g:?}: {e}")))?;
        set.add(glob);
        any = true;
    }
    if !any {
        return Ok(Vec::new());
    }
    let include = include
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let exclude = exclude
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let base = dir.dir();
    let mut out = Vec::new();
    let walker = crate::source::walker(&base)
        .max_depth(Some(4))
        .hidden(true)
        .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != "target")
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        if rel.as_os_str().is_empty() {
            continue;
        }
        if include.is_match(rel) && !exclude.is_match(rel) {
            out.push(rel.to_path_buf());
        }
    }
    out.sort();
    Ok(out)
}

/// Splits a command line into words like a POSIX shell would, without any expansion.
/// Returns `None` for unbalanced quotes.
pub fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => cur.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => {
                            let ch = chars.next()?;
                            if !matches!(ch, '"' | '\\' | '$' | '`') {
                                cur.push('\\');
                            }
                            cur.push(ch);
                        }
                        ch => cur.push(ch),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// True when a command uses shell features (operators, expansions, redirections, leading
/// `VAR=value`) and so cannot become an exec-form array word for word.
pub fn needs_shell(s: &str) -> bool {
    let operators = [
        "&&", "||", ";", "|", ">", "<", "$", "`", "(", ")", "*", "?", "~", "&",
    ];
    if operators.iter().any(|op| s.contains(op)) {
        return true;
    }
    shell_words(s)
        .and_then(|w| w.first().cloned())
        .is_some_and(|first| first.contains('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_split_like_a_shell() {
        assert_eq!(
            shell_words(r#"node "my app.js" --x='a b' c\ d"#).unwrap(),
            vec!["node", "my app.js", "--x=a b", "c d"]
        );
        assert!(shell_words("a 'b").is_none());
        assert!(shell_words("  ").unwrap().is_empty());
    }

    #[test]
    fn shell_features_are_recognised() {
        assert!(needs_shell("node a.js && node b.js"));
        assert!(needs_shell("NODE_ENV=production node a.js"));
        assert!(needs_shell("node $ENTRY"));
        assert!(!needs_shell("node dist/main.js --port 3000"));
    }

    #[test]
    fn workspace_paths_are_shown_as_typed() {
        assert_eq!(
            shown_workspace_root(Path::new("apps/api"), "apps/api"),
            PathBuf::from(".")
        );
        assert_eq!(
            shown_workspace_root(Path::new("repo/apps/api"), "apps/api"),
            PathBuf::from("repo")
        );
        assert_eq!(
            shown_workspace_root(Path::new("."), "apps/api"),
            PathBuf::from("./../..")
        );
        assert_eq!(workspace_root(Path::new("repo/web"), "apps/web"), None);
        assert_eq!(
            workspace_root(Path::new("repo"), "."),
            Some(PathBuf::from("repo"))
        );
    }
}
