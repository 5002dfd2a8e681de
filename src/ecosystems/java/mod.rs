//! Java: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/java.toml` and the template `templates/java.Dockerfile.tera`.

pub mod detect;
pub mod plan;

use std::sync::OnceLock;

use crate::detect::{DetectOptions, EcosystemRef, Project};
use crate::ecosystems::Ecosystem;
use crate::error::Result;
use crate::plan::{BuildPlan, Choices};
use crate::rules::Rules;
use crate::source::ProjectDir;

pub struct Java;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Java);

const RULES: &str = include_str!("../../../detectors/java.toml");
const TEMPLATE: &str = include_str!("../../../templates/java.Dockerfile.tera");

/// The rules of `detectors/java.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/java.toml", RULES))
}

impl Ecosystem for Java {
    fn id(&self) -> &'static str {
        "java"
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
        plan::plan(project, project.details::<detect::JavaDetails>()?, choices)
    }
}
