//! Project files are untrusted input. For every fixture project, each manifest and lockfile is
//! damaged in several deterministic ways (cut short, a line break that smuggles an instruction,
//! quotes and `$` spliced in) and the real binary runs on the result. Whatever the damage, dockgen
//! must either generate (exit 0) a Dockerfile in which the smuggled text never becomes an
//! instruction, or refuse with exit 2 and a message naming a file, and never panic.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const MANIFESTS: &[&str] = &[
    "package.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "yarn.lock",
    "pyproject.toml",
    "requirements.txt",
    "poetry.lock",
    "uv.lock",
    "Pipfile",
    "Cargo.toml",
    "Cargo.lock",
    "go.mod",
    "go.work",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    ".nvmrc",
    ".python-version",
    "rust-toolchain.toml",
    "composer.json",
    "composer.lock",
    ".php-version",
];

/// The smuggled instruction: if it ever starts a line of a generated Dockerfile, input escaped.
const SMUGGLED: &str = "RUN echo dockgen-smuggled";

fn mutations(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let cut = |frac: usize| {
        let mut at = text.len() * frac / 4;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    for frac in [1, 2, 3] {
        let at = cut(frac);
        out.push((format!("cut at {at}"), text[..at].to_string()));
        let mut injected = text.to_string();
        injected.insert_str(at, &format!("\n{SMUGGLED}\n"));
        out.push((format!("instruction at {at}"), injected));
    }
    // Inside the first string value: quotes, `$`, a backslash and an escaped line break.
    if let Some(q) = text.find('"') {
        let mut spliced = text.to_string();
        spliced.insert_str(q + 1, "x\\\"$HOME`id`\\\\n");
        out.push(("quotes and $ in a string".into(), spliced));
        let mut nl = text.to_string();
        nl.insert_str(q + 1, &format!("a\\n{SMUGGLED}\\n"));
        out.push(("escaped newline in a string".into(), nl));
    }
    out
}

fn fixture_projects() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for eco in dockgen::ecosystems::ids() {
        let dir = fixtures_dir().join(eco);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir() && !p.is_symlink())
            .collect();
        cases.sort();
        out.extend(cases);
    }
    out
}

fn manifests_in(project: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![project.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if p.is_dir() && !name.starts_with('.') && name != "node_modules" && name != "vendor" {
                stack.push(p);
            } else if MANIFESTS.contains(&name.as_str()) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn damaged_manifests_never_panic_and_never_smuggle_an_instruction() {
    let projects = fixture_projects();
    assert!(projects.len() > 50, "expected the fixture projects");
    let mut runs = 0;
    let mut generated = 0;
    let mut refused = 0;
    let mut problems = Vec::new();
    for project in &projects {
        for manifest in manifests_in(project) {
            let rel = manifest.strip_prefix(project).unwrap().to_path_buf();
            let Ok(original) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            for (what, damaged) in mutations(&original) {
                let copy = temp_copy(project);
                std::fs::write(copy.path().join(&rel), &damaged).unwrap();
                let member = rel
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(|p| p.to_string_lossy().to_string());
                let mut args = vec!["init", "--stdout", "."];
                if let Some(m) = member.as_deref() {
                    args.extend(["--project", m]);
                }
                let out = dockgen(&args, copy.path());
                runs += 1;
                let stderr = text(&out.stderr);
                let label = format!("{} {} ({what})", project.display(), rel.display());
                if stderr.contains("panicked") {
                    problems.push(format!("{label}: panic\n{stderr}"));
                    continue;
                }
                match out.status.code() {
                    Some(0) => {
                        generated += 1;
                        let df = text(&out.stdout);
                        if df.lines().any(|l| l.trim_start().starts_with(SMUGGLED)) {
                            problems.push(format!("{label}: smuggled instruction\n{df}"));
                        }
                        if instructions(&df)
                            .iter()
                            .any(|(k, r)| k == "RUN" && r.starts_with("echo dockgen-smuggled"))
                        {
                            problems.push(format!("{label}: smuggled RUN\n{df}"));
                        }
                    }
                    Some(2) => {
                        refused += 1;
                        if std::env::var_os("MUTATIONS_VERBOSE").is_some() {
                            eprintln!("{label}: {}", stderr.lines().next().unwrap_or(""));
                        }
                        if !stderr.starts_with("error: ") {
                            problems
                                .push(format!("{label}: exit 2 without an error line: {stderr}"));
                        }
                    }
                    other => problems.push(format!("{label}: exit {other:?}\n{stderr}")),
                }
            }
        }
    }
    println!(
        "mutations: {runs} runs, {generated} generated, {refused} refused, {} problems",
        problems.len()
    );
    assert!(runs > 500, "too few mutation runs: {runs}");
    assert!(refused > 0 && generated > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
