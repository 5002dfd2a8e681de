//! Explaining what changed between two generations: which files detection read changed, and
//! which answers and detected facts moved, so a merge says why the Dockerfile changes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::plan::Choices;
use crate::state::Inputs;

/// How a file detection read differs between two generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileChange {
    Appeared,
    Removed,
    Unused,
    Changed,
}

impl FileChange {
    pub(super) fn describe(self, file: &str) -> String {
        match self {
            FileChange::Appeared => format!("{file} appeared"),
            FileChange::Removed => format!("{file} removed"),
            FileChange::Unused => format!("{file} no longer used"),
            FileChange::Changed => format!("{file} changed"),
        }
    }
}

/// One fact compared between generations: its name, old and new value, and the saved answer.
pub(super) type FieldChange<'a> = (&'a str, Option<String>, Option<String>, Option<String>);

/// Why the new render differs: each changed fact with the files (or the answer) behind it, e.g.
/// `package manager npm → pnpm: pnpm-lock.yaml appeared, package-lock.json removed`.
pub fn explain(
    old_version: &str,
    old: &Inputs,
    new: &Inputs,
    answers: &Choices,
    root: &Path,
) -> Vec<String> {
    let mut changes: BTreeMap<&str, FileChange> = BTreeMap::new();
    for (file, n) in &new.files {
        match old.files.get(file) {
            None => {
                changes.insert(file, FileChange::Appeared);
            }
            Some(o) if o.hash != n.hash => {
                changes.insert(file, FileChange::Changed);
            }
            Some(_) => {}
        }
    }
    for file in old.files.keys().filter(|f| !new.files.contains_key(*f)) {
        let change = if root.join(file).exists() {
            FileChange::Unused
        } else {
            FileChange::Removed
        };
        changes.insert(file, change);
    }
    let facts_of = |file: &str, change: FileChange| -> Vec<&str> {
        let old_facts = old
            .files
            .get(file)
            .map(|f| f.facts.as_slice())
            .unwrap_or(&[]);
        let new_facts = new
            .files
            .get(file)
            .map(|f| f.facts.as_slice())
            .unwrap_or(&[]);
        let facts: &[&[String]] = match change {
            FileChange::Appeared => &[new_facts],
            FileChange::Removed | FileChange::Unused => &[old_facts],
            FileChange::Changed => &[old_facts, new_facts],
        };
        facts
            .iter()
            .flat_map(|f| f.iter().map(String::as_str))
            .collect()
    };

    let show = |v: Option<String>| v.unwrap_or_else(|| "none".into());
    let join = |v: &Option<Vec<String>>| v.as_ref().map(|w| w.join(" "));
    let port = |p: Option<u16>| p.map(|p| p.to_string());
    // (what, before, after, the answer in dockgen.toml)
    let fields: [FieldChange; 6] = [
        (
            "ecosystem",
            Some(old.ecosystem.clone()),
            Some(new.ecosystem.clone()),
            answers.ecosystem.clone(),
        ),
        (
            "package manager",
            old.package_manager.clone(),
            new.package_manager.clone(),
            answers.package_manager.clone(),
        ),
        (
            "runtime version",
            old.runtime_version.clone(),
            new.runtime_version.clone(),
            answers.runtime_version.clone(),
        ),
        (
            "framework",
            old.framework.clone(),
            new.framework.clone(),
            None,
        ),
        (
            "start command",
            join(&old.start),
            join(&new.start),
            join(&answers.start),
        ),
        ("port", port(old.port), port(new.port), port(answers.port)),
    ];

    let mut reasons = Vec::new();
    let mut explained: BTreeSet<&str> = BTreeSet::new();
    for (label, before, after, answer) in fields {
        if before == after {
            continue;
        }
        let why: Vec<String> = if answer.is_some() && answer == after {
            vec!["set in dockgen.toml [answers]".to_string()]
        } else {
            let values: Vec<&str> = [before.as_deref(), after.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let mut related: Vec<(&str, FileChange)> = changes
                .iter()
                .filter(|(file, change)| {
                    values.iter().any(|v| {
                        names(file, v)
                            || facts_of(file, **change)
                                .iter()
                                .any(|fact| mentions(fact, v))
                    })
                })
                .map(|(f, c)| (*f, *c))
                .collect();
            if related.is_empty() {
                related = changes.iter().map(|(f, c)| (*f, *c)).collect();
            }
            // Appearances first: they are usually the cause.
            related.sort_by_key(|(f, c)| (*c != FileChange::Appeared, *f));
            explained.extend(related.iter().map(|(f, _)| *f));
            related.iter().map(|(f, c)| c.describe(f)).collect()
        };
        let mut line = format!("{label} {} → {}", show(before), show(after));
        if !why.is_empty() {
            line.push_str(": ");
            line.push_str(&why.join(", "));
        }
        reasons.push(line);
    }
    for (file, change) in &changes {
        if !explained.contains(file) {
            reasons.push(change.describe(file));
        }
    }
    let current = env!("CARGO_PKG_VERSION");
    if !old_version.is_empty() && old_version != current {
        reasons.push(format!("dockgen {old_version} → {current}"));
    }
    reasons
}

/// Whether a file's name is about `value` (`uv.lock` for uv, `pnpm-lock.yaml` for pnpm).
pub(super) fn names(file: &str, value: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file).to_ascii_lowercase();
    base.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == value.to_ascii_lowercase())
}

/// Whether a detection fact names `value` as a whole word ("npm" is not in "pnpm").
pub(super) fn mentions(fact: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    let fact = fact.to_ascii_lowercase();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    fact.match_indices(&value).any(|(at, _)| {
        let before = fact[..at].chars().next_back();
        let after = fact[at + value.len()..].chars().next();
        !before.is_some_and(word)
            && !after
                .is_some_and(|c| word(c) || c == '.' && value.chars().all(|v| v.is_ascii_digit()))
    })
}
