//! Python: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/python.toml` and the template `templates/python.Dockerfile.tera`.

pub mod detect;
pub mod plan;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::detect::{DetectOptions, EcosystemRef, Project};
use crate::ecosystems::Ecosystem;
use crate::error::Result;
use crate::plan::{BuildPlan, Choices};
use crate::rules::Rules;
use crate::source::ProjectDir;

pub struct Python;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Python);

const RULES: &str = include_str!("../../../detectors/python.toml");
const TEMPLATE: &str = include_str!("../../../templates/python.Dockerfile.tera");

/// The rules of `detectors/python.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/python.toml", RULES))
}

/// `[settings]` of `detectors/python.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub image: String,
    pub slim_suffix: String,
    pub alpine_suffix: String,
    pub distroless_image: String,
    /// The Python of the distroless image (Debian's own).
    pub distroless_version: String,
    pub uv_version: String,
    pub poetry_version: String,
    pub poetry_plugin_export_version: String,
    pub pdm_version: String,
    pub pipenv_version: String,
    pub gunicorn_version: String,
    pub uvicorn_version: String,
    /// Dependencies that bring uvicorn along.
    pub uvicorn_included_by: Vec<String>,
    /// How each framework's application object is found, by framework name.
    pub apps: std::collections::BTreeMap<String, detect::AppSpec>,
    /// Lockfile format versions the pinned tools read, by package manager.
    pub lock_formats: std::collections::BTreeMap<String, LockFormat>,
    /// Dependencies that need Debian packages to build or run, by dependency name.
    pub native_packages: std::collections::BTreeMap<String, detect::NativePackage>,
}

/// Where a lockfile says its format version, and the major versions the pinned tool reads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFormat {
    pub file: String,
    pub key: String,
    pub reads: Vec<u64>,
}

/// The typed `[settings]` of `detectors/python.toml`.
pub fn settings() -> &'static Settings {
    static PARSED: OnceLock<Settings> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::settings("detectors/python.toml", rules()))
}

impl Ecosystem for Python {
    fn id(&self) -> &'static str {
        "python"
    }

    fn rules(&self) -> &'static Rules {
        rules()
    }

    fn template(&self) -> &'static str {
        TEMPLATE
    }

    fn detect(&self, dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
        detect::detect(dir, opts)
    }

    fn plan(&self, project: &Project, choices: &Choices) -> Result<BuildPlan> {
        plan::plan(project, project.details::<detect::PythonFacts>()?, choices)
    }

    /// The server builds the package.json beside it when that is the frontend it serves.
    fn builds_alongside(&self, project: &Project) -> &'static [&'static str] {
        match project.details.get::<detect::PythonFacts>() {
            Some(d) if d.frontend.as_ref().is_some_and(|f| f.dir == ".") => &["node"],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_parse() {
        let s = super::settings();
        assert!(!s.apps.is_empty() && s.native_packages.len() >= 5);
        for (name, native) in &s.native_packages {
            assert!(!native.why.is_empty(), "{name}");
            assert!(
                !native.build.is_empty() || !native.runtime.is_empty(),
                "{name}"
            );
        }
    }
}
