//! Node.js: `detect.rs` finds projects, `plan.rs` plans their Dockerfile; the rules are
//! `detectors/node.toml` and the template `templates/node.Dockerfile.tera`.

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

pub struct Node;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Node);

const RULES: &str = include_str!("../../../detectors/node.toml");
const TEMPLATE: &str = include_str!("../../../templates/node.Dockerfile.tera");

/// The rules of `detectors/node.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/node.toml", RULES))
}

/// `[settings]` of `detectors/node.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `lts/<codename>` → major.
    pub lts_codenames: BTreeMap<String, u32>,
    /// pnpm-lock.yaml `lockfileVersion` → the pnpm major that wrote it.
    pub pnpm_lockfile_majors: BTreeMap<String, u32>,
    /// yarn.lock `__metadata` version → the yarn berry major that wrote it.
    pub yarn_lockfile_majors: BTreeMap<String, u32>,
    pub yarn_berry_cache: String,
    pub bun_version: String,
    /// pnpm installed (from npm) when neither packageManager nor the lockfile names a version.
    pub pnpm_version: String,
    /// nginx-unprivileged line serving static sites.
    pub nginx_version: String,
    /// Dependencies that mean the program serves HTTP.
    pub http_dependencies: Vec<String>,
    /// Package binaries a start script may name → the JavaScript file Node runs directly.
    pub bins: BTreeMap<String, String>,
    /// Front ends whose production build is a folder of static files.
    pub static_sites: Vec<detect::web::SiteRule>,
    /// Dependencies that need system packages to compile or to run.
    pub native_modules: BTreeMap<String, NativeRule>,
}

/// System packages one dependency needs (`[settings.native_modules]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeRule {
    /// Debian packages of the build stages (node-gyp's toolchain, headers).
    #[serde(default)]
    pub build: Vec<String>,
    /// Debian packages of the runtime image (shared libraries).
    #[serde(default)]
    pub runtime: Vec<String>,
    /// Why, when it is not a node-gyp addon.
    #[serde(default)]
    pub why: Option<String>,
}

/// The typed `[settings]` of `detectors/node.toml`.
pub fn settings() -> &'static Settings {
    static PARSED: OnceLock<Settings> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::settings("detectors/node.toml", rules()))
}

impl Ecosystem for Node {
    fn id(&self) -> &'static str {
        "node"
    }

    /// A package.json beside another ecosystem's server is its front end or tooling.
    fn yields_to_servers(&self) -> bool {
        true
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
        plan::plan(project, project.details::<detect::NodeDetails>()?, choices)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_parse() {
        let s = super::settings();
        assert!(!s.static_sites.is_empty());
        assert!(s.native_modules.values().all(|m| !m.build.is_empty()));
    }
}
