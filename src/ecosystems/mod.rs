//! The ecosystems dockgen knows, one folder each, and the registry that lists them.
//!
//! `src/ecosystems/<id>/` holds everything of one ecosystem: `mod.rs` implements [`Ecosystem`]
//! (its id, its rules `detectors/<id>.toml`, its template `templates/<id>.Dockerfile.tera`), `detect.rs`
//! turns a directory into [`Project`]s and `plan.rs` turns one of them into a [`BuildPlan`]. [`ALL`]
//! is the only shared place that names the ecosystems: flags, messages and tests derive from it.

pub mod go;
pub mod java;
pub mod node;
pub mod php;
pub mod python;
pub mod rust;

use std::fmt;
use std::ops::Deref;

use serde::Serialize;

use crate::detect::{DetectOptions, Project};
use crate::error::Result;
use crate::plan::{BuildPlan, Choices};
use crate::rules::Rules;
use crate::source::ProjectDir;

/// Every ecosystem, in the order detection tries them at one directory (and lists them).
pub static ALL: &[&dyn Ecosystem] = &[
    &node::Node,
    &python::Python,
    &rust::Rust,
    &go::Go,
    &java::Java,
    &php::Php,
];

/// One ecosystem: what marks it, how to detect its projects and how to plan their Dockerfile.
pub trait Ecosystem: Sync {
    /// The name on the command line (`--ecosystem`), in `dockgen.toml` and in JSON output.
    fn id(&self) -> &'static str;
    /// Its detection rules (`detectors/<id>.toml`, embedded).
    fn rules(&self) -> &'static Rules;
    /// Its Dockerfile template (`templates/<id>.Dockerfile.tera`, embedded); it may include the
    /// shared partials under `templates/partials/`.
    fn template(&self) -> &'static str;
    /// The projects of this ecosystem in `dir`. `Ok(vec![])` means "not this ecosystem".
    fn detect(&self, dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>>;
    /// The Dockerfile plan for one of the projects its `detect` reported.
    fn plan(&self, project: &Project, choices: &Choices) -> Result<BuildPlan>;
    /// Ecosystems whose project in the same directory `project` already builds as part of its own
    /// image (a PHP app's front-end stage builds the `package.json` beside `composer.json`).
    /// Detection then lists only `project` there; `--ecosystem` still picks the other one.
    fn builds_alongside(&self, _project: &Project) -> &'static [&'static str] {
        &[]
    }
    /// Whether a project of this ecosystem found in the same folder as another ecosystem's project
    /// is that project's tooling rather than a second deployable (a JavaScript `package.json`
    /// beside a Python or Go server): `--yes` then picks the other one, with a warning.
    fn yields_to_servers(&self) -> bool {
        false
    }
    /// When detection found nothing at all: a hint that this ecosystem's files are there in a
    /// shape dockgen does not build (Go sources without a go.mod), said instead of the marker list.
    fn nothing_found_hint(&self, _dir: &ProjectDir) -> Option<String> {
        None
    }
}

/// A handle on a registered ecosystem, as projects, plans and options carry it: compares,
/// orders (by registry position), prints and serializes as its id.
#[derive(Clone, Copy)]
pub struct EcosystemRef(&'static dyn Ecosystem);

impl EcosystemRef {
    pub const fn of(eco: &'static dyn Ecosystem) -> Self {
        EcosystemRef(eco)
    }

    /// The registered ecosystem called `id`.
    pub fn parse(id: &str) -> Option<Self> {
        ALL.iter().find(|e| e.id() == id).map(|e| EcosystemRef(*e))
    }

    /// Every registered ecosystem, in registry order.
    pub fn all() -> impl Iterator<Item = EcosystemRef> {
        ALL.iter().map(|e| EcosystemRef(*e))
    }

    fn position(self) -> usize {
        ALL.iter()
            .position(|e| e.id() == self.0.id())
            .unwrap_or(usize::MAX)
    }
}

/// The ids of every registered ecosystem, in registry order (`node, python, ...` in messages).
pub fn ids() -> Vec<&'static str> {
    ALL.iter().map(|e| e.id()).collect()
}

/// `--package-manager`'s help: every ecosystem's package managers, from their rules.
pub fn package_manager_help() -> String {
    let names: Vec<&str> = ALL
        .iter()
        .flat_map(|e| e.rules().package_managers.iter().map(|p| p.name.as_str()))
        .collect();
    format!("Use this package manager ({})", names.join(", "))
}

/// `--runtime-version`'s help, with every ecosystem's default version as an example.
pub fn runtime_version_help() -> String {
    let versions: Vec<&str> = ALL
        .iter()
        .map(|e| e.rules().default_version.as_str())
        .collect();
    format!(
        "Runtime version for the base image tag (e.g. {})",
        versions.join(", ")
    )
}

impl Deref for EcosystemRef {
    type Target = dyn Ecosystem;
    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl PartialEq for EcosystemRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

impl Eq for EcosystemRef {}

impl std::hash::Hash for EcosystemRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.id().hash(state)
    }
}

impl PartialOrd for EcosystemRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EcosystemRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.position()
            .cmp(&other.position())
            .then_with(|| self.0.id().cmp(other.0.id()))
    }
}

impl fmt::Display for EcosystemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id())
    }
}

impl fmt::Debug for EcosystemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id())
    }
}

impl Serialize for EcosystemRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_lowercase_and_rules_name_them() {
        let mut seen = std::collections::BTreeSet::new();
        for eco in ALL {
            let id = eco.id();
            assert!(seen.insert(id), "{id} registered twice");
            assert!(id.chars().all(|c| c.is_ascii_lowercase()), "{id}");
            assert_eq!(
                eco.rules().ecosystem,
                id,
                "detectors/{id}.toml names another ecosystem"
            );
            assert!(!eco.rules().markers.is_empty(), "{id} has no markers");
            assert!(!eco.template().is_empty(), "{id} has no template");
            assert_eq!(EcosystemRef::parse(id).map(|e| e.id()), Some(id));
        }
    }
}
