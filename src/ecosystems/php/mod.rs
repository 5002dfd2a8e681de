//! PHP: Composer projects (`composer.json` + `composer.lock`) served by the official
//! `php:<version>-apache` image on an unprivileged port, as a non-root user.
//!
//! [`detect`] reads the project (release line, extensions, framework, front controller, a
//! front-end build); [`plan`] turns that into the recipe; `NOTES.md` beside this file says why the
//! recipe looks the way it does. The rules and settings are data in `detectors/php.toml`.

pub mod detect;
pub mod plan;
pub mod version;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::detect::{DetectOptions, EcosystemRef, Project};
use crate::ecosystems::Ecosystem;
use crate::error::Result;
use crate::plan::{BuildPlan, Choices};
use crate::rules::Rules;
use crate::source::ProjectDir;

pub struct Php;

/// This ecosystem, as projects and plans name it.
pub const ECOSYSTEM: EcosystemRef = EcosystemRef::of(&Php);

const RULES: &str = include_str!("../../../detectors/php.toml");
const TEMPLATE: &str = include_str!("../../../templates/php.Dockerfile.tera");

/// The rules of `detectors/php.toml`.
pub fn rules() -> &'static Rules {
    static PARSED: OnceLock<Rules> = OnceLock::new();
    PARSED.get_or_init(|| crate::rules::parse("detectors/php.toml", RULES))
}

impl Ecosystem for Php {
    fn id(&self) -> &'static str {
        "php"
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
        plan::plan(project, project.details::<detect::PhpDetails>()?, choices)
    }

    /// The asset stage builds the package.json beside composer.json.
    fn builds_alongside(&self, project: &Project) -> &'static [&'static str] {
        match project.details.get::<detect::PhpDetails>() {
            Some(d) if d.assets.is_some() => &["node"],
            _ => &[],
        }
    }
}

/// The `[settings]` table of `detectors/php.toml`, typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Tag suffix of the runtime image (`apache-trixie`).
    pub runtime_suffix: String,
    /// Tag of the composer image the binary comes from.
    pub composer_version: String,
    /// Node image for front-end builds.
    pub node_version: String,
    pub node_suffix: String,
    /// The runtime user (www-data in the official image).
    pub uid: u32,
    /// Extensions the official image has without installing anything.
    pub preinstalled: Vec<String>,
    /// Extensions in PHP's source tree (`docker-php-ext-install`).
    pub bundled: BTreeMap<String, Extension>,
    /// Extensions from PECL.
    pub pecl: BTreeMap<String, Extension>,
}

/// How to build one extension.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Debian -dev packages the build needs.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Arguments for `docker-php-ext-configure`.
    #[serde(default)]
    pub configure: Vec<String>,
}

/// The PHP settings, read once from the embedded rules (checked by a unit test).
pub fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| crate::rules::settings("detectors/php.toml", rules()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_name_only_safe_words() {
        let s = settings();
        assert_eq!(
            rules().default_version,
            crate::versions::family("php").default,
            "detectors/php.toml and data/versions.toml disagree on the default"
        );
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '='))
        };
        for (name, ext) in s.bundled.iter().chain(s.pecl.iter()) {
            assert!(word(name), "{name}");
            assert!(ext.packages.iter().all(|p| word(p)), "{name}");
            assert!(ext.configure.iter().all(|p| word(p)), "{name}");
        }
    }
}
