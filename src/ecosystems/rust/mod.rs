//! Rust: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/rust.toml` and the template `templates/rust.Dockerfile.tera`.

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

pub struct Rust;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Rust);

const RULES: &str = include_str!("../../../detectors/rust.toml");
const TEMPLATE: &str = include_str!("../../../templates/rust.Dockerfile.tera");

/// The rules of `detectors/rust.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/rust.toml", RULES))
}

/// `[settings]` of `detectors/rust.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Cargo.lock packages that mean the binary links the system OpenSSL.
    pub openssl_packages: Vec<String>,
    /// Crates whose build needs Debian packages in the build stage, by crate name.
    pub build_packages: BTreeMap<String, BuildPackages>,
}

/// What one crate needs in the build stage, and at run time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildPackages {
    pub apt: Vec<String>,
    /// Why, for the evidence.
    pub why: String,
    /// Debian packages of the shared libraries the binary loads that distroless cc lacks.
    #[serde(default)]
    pub runtime: Vec<String>,
    /// Skipped when a direct dependency enables this feature (the C library is compiled in).
    pub unless_feature: Option<String>,
    /// Skipped when one of these crates is in the build (it bundles the library).
    #[serde(default)]
    pub unless_crates: Vec<String>,
}

/// The typed `[settings]` of `detectors/rust.toml`.
pub fn settings() -> &'static Settings {
    static PARSED: OnceLock<Settings> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::settings("detectors/rust.toml", rules()))
}

impl Ecosystem for Rust {
    fn id(&self) -> &'static str {
        "rust"
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
        plan::plan(project, project.details::<detect::RustDetails>()?, choices)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_parse() {
        assert!(!super::settings().build_packages.is_empty());
    }
}
