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
    /// Minor versions with an image; a range resolves to the highest it admits.
    pub known_versions: Vec<String>,
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
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_parse() {
        assert!(!super::settings().known_versions.is_empty());
    }
}
