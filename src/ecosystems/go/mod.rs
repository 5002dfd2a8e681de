//! Go: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/go.toml` and the template `templates/go.Dockerfile.tera`.

pub mod detect;
pub mod plan;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::detect::{DetectOptions, EcosystemRef, Project};
use crate::ecosystems::Ecosystem;
use crate::error::Result;
use crate::plan::{BuildPlan, Choices};
use crate::rules::Rules;
use crate::source::ProjectDir;

pub struct Go;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Go);

const RULES: &str = include_str!("../../../detectors/go.toml");
const TEMPLATE: &str = include_str!("../../../templates/go.Dockerfile.tera");

/// The rules of `detectors/go.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/go.toml", RULES))
}

/// `[settings]` of `detectors/go.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Modules that wrap C code through cgo, and what they wrap (for the evidence).
    #[serde(default)]
    pub cgo_modules: BTreeMap<String, String>,
}

/// The typed `[settings]` of `detectors/go.toml`.
pub fn settings() -> &'static Settings {
    static PARSED: OnceLock<Settings> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::settings("detectors/go.toml", rules()))
}

impl Ecosystem for Go {
    fn id(&self) -> &'static str {
        "go"
    }

    fn nothing_found_hint(&self, dir: &ProjectDir) -> Option<String> {
        detect::without_module(dir)
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
        plan::plan(project, project.details::<detect::GoDetails>()?, choices)
    }
}
