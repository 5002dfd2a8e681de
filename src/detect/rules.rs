//! Detection rules as data: one TOML file per ecosystem under `detectors/`, embedded in the binary.
//!
//! The files say *what* signals an ecosystem, which lockfile means which package manager, where
//! runtime versions come from and which dependency marks which framework (with its default port and
//! start command). The detector code only asks whether a directory matches and reads the values.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Ecosystem;

/// The rules for one ecosystem (`detectors/<ecosystem>.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub ecosystem: String,
    /// Files whose presence means "this is a project of this ecosystem".
    pub markers: Vec<String>,
    /// Runtime version used when the project does not say.
    pub default_version: String,
    /// Package managers in order of precedence: the first whose lockfile/marker exists wins.
    #[serde(default)]
    pub package_managers: Vec<PackageManagerRule>,
    /// Files that pin the runtime version, in order of precedence.
    #[serde(default)]
    pub version_files: Vec<VersionFile>,
    /// Frameworks in order of precedence.
    #[serde(default)]
    pub frameworks: Vec<FrameworkRule>,
    /// Default port when no framework says otherwise.
    #[serde(default)]
    pub default_port: Option<u16>,
    /// `.dockerignore` entries specific to this ecosystem (Docker pattern syntax).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Free-form per-ecosystem settings (image names, default users, ...).
    #[serde(default)]
    pub settings: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageManagerRule {
    pub name: String,
    /// Lockfiles that mean this package manager.
    #[serde(default)]
    pub lockfiles: Vec<String>,
    /// Other files that mean this package manager (without a lockfile).
    #[serde(default)]
    pub markers: Vec<String>,
    /// Where BuildKit should keep this package manager's download cache.
    #[serde(default)]
    pub cache_dirs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionFile {
    pub file: String,
    /// How to read it: "plain" (whole file is the version), "tool-versions" (asdf), or a
    /// detector-specific kind.
    #[serde(default = "plain")]
    pub kind: String,
    /// For `tool-versions`: the tool name to look for.
    #[serde(default)]
    pub tool: Option<String>,
}

fn plain() -> String {
    "plain".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRule {
    pub name: String,
    /// Dependency names that mark the framework (any one is enough).
    pub dependencies: Vec<String>,
    #[serde(default)]
    pub port: Option<u16>,
    /// Default health-check path for this framework, when it has a conventional one.
    #[serde(default)]
    pub health_path: Option<String>,
    /// Whether the framework serves HTTP at all (a CLI or worker does not).
    #[serde(default = "yes")]
    pub serves_http: bool,
}

fn yes() -> bool {
    true
}

impl Rules {
    pub fn package_manager(&self, name: &str) -> Option<&PackageManagerRule> {
        self.package_managers.iter().find(|p| p.name == name)
    }

    pub fn framework(&self, name: &str) -> Option<&FrameworkRule> {
        self.frameworks.iter().find(|f| f.name == name)
    }

    /// A string setting from `[settings]`.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(|v| v.as_str())
    }
}

fn embedded(eco: Ecosystem) -> &'static str {
    match eco {
        Ecosystem::Node => include_str!("../../detectors/node.toml"),
        Ecosystem::Python => include_str!("../../detectors/python.toml"),
        Ecosystem::Rust => include_str!("../../detectors/rust.toml"),
        Ecosystem::Go => include_str!("../../detectors/go.toml"),
        Ecosystem::Java => include_str!("../../detectors/java.toml"),
    }
}

/// The rules for `eco`. The embedded files are checked by a unit test, so parsing cannot fail at run time.
pub fn get(eco: Ecosystem) -> &'static Rules {
    static RULES: OnceLock<Vec<Rules>> = OnceLock::new();
    let all = RULES.get_or_init(|| {
        Ecosystem::ALL
            .iter()
            .map(|e| {
                toml::from_str(embedded(*e))
                    .unwrap_or_else(|err| panic!("detectors/{}.toml is invalid: {err}", e.id()))
            })
            .collect()
    });
    let idx = Ecosystem::ALL.iter().position(|e| *e == eco).unwrap_or(0);
    &all[idx]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_detector_parses_and_names_its_ecosystem() {
        for eco in Ecosystem::ALL {
            let rules: Rules = toml::from_str(embedded(eco)).expect("valid detector TOML");
            assert_eq!(rules.ecosystem, eco.id());
            assert!(!rules.markers.is_empty(), "{eco} has no markers");
        }
    }
}
