//! Detection rules as data: one TOML file per ecosystem under `detectors/`, embedded in the binary
//! by the ecosystem's `mod.rs` (`src/ecosystems/<id>/`).
//!
//! The files say *what* signals an ecosystem, which lockfile means which package manager, where
//! runtime versions come from and which dependency marks which framework (with its default port and
//! start command). The detector code only asks whether a directory matches and reads the values.

use serde::Deserialize;
use serde::de::DeserializeOwned;

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
    /// Per-ecosystem settings (image names, tool versions, ...), read into the ecosystem's own
    /// typed struct by [`settings`], which rejects unknown keys.
    #[serde(default)]
    pub settings: toml::Table,
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
    /// The framework's own default port, when it has one. Every framework rule is a web
    /// framework: it serves HTTP.
    #[serde(default)]
    pub port: Option<u16>,
}

impl Rules {
    pub fn package_manager(&self, name: &str) -> Option<&PackageManagerRule> {
        self.package_managers.iter().find(|p| p.name == name)
    }

    pub fn framework(&self, name: &str) -> Option<&FrameworkRule> {
        self.frameworks.iter().find(|f| f.name == name)
    }
}

/// Parses an ecosystem's embedded rules. The embedded files are checked by a unit test (see
/// `src/ecosystems/mod.rs`), so this cannot fail at run time.
pub fn parse(file: &str, text: &str) -> Rules {
    toml::from_str(text).unwrap_or_else(|err| panic!("{file} is invalid: {err}"))
}

/// Reads the `[settings]` of `rules` (from `file`) into an ecosystem's typed settings struct. Like
/// [`parse`], it only fails on a bad embedded file, which the ecosystem's unit test catches.
pub fn settings<T: DeserializeOwned>(file: &str, rules: &Rules) -> T {
    toml::Value::Table(rules.settings.clone())
        .try_into()
        .unwrap_or_else(|e| panic!("{file} [settings] is invalid: {e}"))
}
