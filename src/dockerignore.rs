//! The `.dockerignore` that goes with a plan: always-excluded secrets and VCS data, the ecosystem's
//! build leftovers, and the project's `.gitignore` translated to Docker's pattern rules.
//!
//! Docker matches patterns against the whole context-relative path (no implicit `**/` as in git), and
//! a pattern that matches a directory excludes everything below it. [`DockerIgnore::excludes`]
//! implements those rules so that, before anything is written, dockgen can prove that no path the
//! Dockerfile copies is excluded.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};

use crate::error::{Error, Result};
use crate::plan::BuildPlan;

/// Entries every context gets: VCS data, secrets, editor and OS litter, local Docker files.
const ALWAYS: &[&str] = &[
    ".git",
    "**/.git",
    ".hg",
    ".svn",
    "**/.env",
    "**/.env.*",
    "!**/.env.example",
    "**/*.pem",
    "**/*.key",
    "**/id_rsa*",
    "**/id_ed25519*",
    "**/.npmrc",
    "**/.pypirc",
    "**/.netrc",
    "**/.DS_Store",
    "**/.idea",
    "**/.vscode",
    "**/*.swp",
    "**/*.log",
    ".dockerignore",
    "**/Dockerfile*",
    "**/compose*.y*ml",
    "**/docker-compose*.y*ml",
    "**/dockgen.toml",
];

/// A parsed `.dockerignore`.
#[derive(Debug)]
pub struct DockerIgnore {
    sections: Vec<(String, Vec<String>)>,
    rules: Vec<(bool, GlobMatcher)>,
}

impl DockerIgnore {
    /// Builds the `.dockerignore` for `plan`, reading `.gitignore` from the build context `root`.
    pub fn for_plan(plan: &BuildPlan, root: &Path) -> Result<Self> {
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        sections.push((
            "Version control, secrets and local tooling never belong in an image".to_string(),
            ALWAYS.iter().map(|s| s.to_string()).collect(),
        ));
        let mut eco: Vec<String> = plan.ecosystem.rules().ignore.clone();
        for extra in &plan.ignore {
            if !eco.contains(extra) {
                eco.push(extra.clone());
            }
        }
        sections.push((
            format!(
                "{} build output and caches: the image rebuilds them",
                plan.ecosystem
            ),
            eco,
        ));
        let gitignore = root.join(".gitignore");
        if gitignore.is_file() {
            let text =
                std::fs::read_to_string(&gitignore).map_err(|e| Error::io(".gitignore", e))?;
            let translated: Vec<String> = text.lines().filter_map(translate_gitignore).collect();
            if !translated.is_empty() {
                sections.push((
                    "From .gitignore (translated: unanchored patterns get **/)".to_string(),
                    translated,
                ));
            }
        }
        let mut ignore = DockerIgnore::from_sections(sections)?;
        // Whatever the Dockerfile copies must stay in the context, even if .gitignore drops it
        // (a generated lockfile, say): add exceptions, then prove it.
        let mut keep = Vec::new();
        for copied in plan.copies.iter().filter(|c| c.as_str() != ".") {
            if ignore.excludes(copied) {
                keep.push(format!("!{copied}"));
            }
        }
        if !keep.is_empty() {
            ignore
                .sections
                .push(("Kept because the Dockerfile copies them".to_string(), keep));
            ignore = DockerIgnore::from_sections(ignore.sections)?;
        }
        for copied in plan.copies.iter().filter(|c| c.as_str() != ".") {
            if ignore.excludes(copied) {
                return Err(Error::Internal(format!(
                    ".dockerignore would exclude {copied}, which the Dockerfile copies"
                )));
            }
        }
        Ok(ignore)
    }

    fn from_sections(sections: Vec<(String, Vec<String>)>) -> Result<Self> {
        let mut rules = Vec::new();
        for (_, entries) in &sections {
            for entry in entries {
                let (negate, pat) = match entry.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, entry.as_str()),
                };
                let pat = pat.trim_start_matches('/').trim_end_matches('/');
                if pat.is_empty() {
                    continue;
                }
                let glob = GlobBuilder::new(pat)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| {
                        Error::Internal(format!(".dockerignore pattern {entry:?}: {e}"))
                    })?;
                rules.push((negate, glob.compile_matcher()));
            }
        }
        Ok(DockerIgnore { sections, rules })
    }

    /// Parses the text of a `.dockerignore` file (comments and blank lines skipped).
    pub fn parse(text: &str) -> Result<Self> {
        let entries = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        DockerIgnore::from_sections(vec![(String::new(), entries)])
    }

    /// Whether Docker would leave `path` (context-relative, `/`-separated) out of the build context.
    pub fn excludes(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        // A path is excluded when it, or any directory above it, matches the last applicable rule.
        let mut prefixes = Vec::new();
        let mut acc = String::new();
        for seg in path.split('/') {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(seg);
            prefixes.push(acc.clone());
        }
        let mut excluded = false;
        for (negate, glob) in &self.rules {
            let hit = if *negate {
                glob.is_match(path)
            } else {
                prefixes.iter().any(|p| glob.is_match(p))
            };
            if hit {
                excluded = !negate;
            }
        }
        excluded
    }

    /// The file's text.
    pub fn render(&self) -> Result<String> {
        crate::render::dockerignore(&self.sections)
    }
}

/// Translates one `.gitignore` line to a Docker pattern, or `None` for comments and blanks.
pub fn translate_gitignore(line: &str) -> Option<String> {
    let line = line.trim_end();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (neg, body) = match line.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", line),
    };
    let body = body.strip_prefix('\\').unwrap_or(body);
    let dir_only = body.ends_with('/');
    let core = body.trim_end_matches('/');
    if core.is_empty() {
        return None;
    }
    let anchored = core.starts_with('/') || core.contains('/');
    let core = core.trim_start_matches('/');
    let out = if anchored || core.starts_with("**/") {
        core.to_string()
    } else {
        format!("**/{core}")
    };
    let _ = dir_only; // Docker has no directory-only patterns; the directory rule covers it.
    Some(format!("{neg}{out}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(entries: &[&str]) -> DockerIgnore {
        DockerIgnore::from_sections(vec![(
            "t".into(),
            entries.iter().map(|s| s.to_string()).collect(),
        )])
        .unwrap()
    }

    #[test]
    fn gitignore_lines_become_docker_patterns() {
        assert_eq!(
            translate_gitignore("node_modules/").unwrap(),
            "**/node_modules"
        );
        assert_eq!(translate_gitignore("/dist").unwrap(), "dist");
        assert_eq!(translate_gitignore("build/out").unwrap(), "build/out");
        assert_eq!(translate_gitignore("*.pyc").unwrap(), "**/*.pyc");
        assert_eq!(translate_gitignore("!keep.txt").unwrap(), "!**/keep.txt");
        assert_eq!(translate_gitignore("**/tmp").unwrap(), "**/tmp");
        assert_eq!(translate_gitignore("# comment"), None);
        assert_eq!(translate_gitignore("   "), None);
    }

    #[test]
    fn directory_patterns_exclude_their_contents() {
        let di = ignore(&["**/node_modules", "dist"]);
        assert!(di.excludes("node_modules/x/index.js"));
        assert!(di.excludes("apps/web/node_modules"));
        assert!(di.excludes("dist/app.js"));
        assert!(!di.excludes("src/dist.js"));
        assert!(!di.excludes("apps/dist/x"));
    }

    #[test]
    fn bin_directories_are_not_excluded_by_default() {
        let di = ignore(ALWAYS);
        assert!(!di.excludes("src/bin/server.rs"));
        assert!(!di.excludes("bin/www"));
        assert!(di.excludes(".env"));
        assert!(di.excludes("config/.env.local"));
        assert!(!di.excludes(".env.example"));
        assert!(di.excludes(".git/config"));
    }

    #[test]
    fn later_exceptions_win() {
        let di = ignore(&["**/*.lock", "!poetry.lock"]);
        assert!(!di.excludes("poetry.lock"));
        assert!(di.excludes("other.lock"));
    }
}
