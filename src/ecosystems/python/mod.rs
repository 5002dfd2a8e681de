//! Python: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/python.toml` and the template `templates/python.Dockerfile.tera`.

pub mod detect;
pub mod plan;

use std::sync::OnceLock;

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
