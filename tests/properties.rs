//! Property tests (issue 9, class 3): random trees and random manifests never make dockgen panic.
//! Each case builds a temporary project from random files (manifests with random values, random
//! bytes, `.gitignore` lines, symlinks) and runs the real binary; the only acceptable outcomes are
//! exit 0 (generated) and exit 2 (refused with a message). The number of cases is bounded so the
//! suite stays fast enough for CI; `PROPTEST_CASES` raises it locally.

mod common;

use std::path::Path;

use common::*;
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "requirements.txt",
    "pyproject.toml",
    "Pipfile",
    "Cargo.toml",
    "Cargo.lock",
    "go.mod",
    "go.work",
    "pom.xml",
    "build.gradle",
    "settings.gradle",
    ".gitignore",
    ".nvmrc",
    ".python-version",
    "rust-toolchain.toml",
    "dockgen.toml",
    "main.py",
    "app.py",
    "main.go",
    "src/main.rs",
    "src/server.js",
    "apps/web/package.json",
    "apps/web/.gitignore",
    "services/api/go.mod",
    "crates/x/Cargo.toml",
];

/// Text that parsers see often: fragments of real manifests around random values.
fn manifest_text() -> impl Strategy<Value = String> {
    let word = "[ -~]{0,24}";
    prop_oneof![
        (word, word, word, word).prop_map(|(a, b, c, d)| format!(
            "{{\"name\": {a:?}, \"scripts\": {{\"start\": {b:?}}}, \"dependencies\": {{{c:?}: {d:?}}}, \"engines\": {{\"node\": {d:?}}}}}"
        )),
        (word, word).prop_map(|(a, b)| format!("{a}=={b}\n-r {b}\n--index-url {a}\n")),
        (word, word, word).prop_map(|(a, b, c)| format!(
            "[project]\nname = {a:?}\nrequires-python = {b:?}\ndependencies = [{c:?}]\n[project.scripts]\n{a:?} = {c:?}\n"
        )),
        (word, word, word).prop_map(|(a, b, c)| format!(
            "[package]\nname = {a:?}\nversion = \"0.1.0\"\nrust-version = {b:?}\n[[bin]]\nname = {c:?}\npath = {b:?}\n[workspace]\nmembers = [{c:?}]\n"
        )),
        (word, word, word).prop_map(|(a, b, c)| format!(
            "module {a}\n\ngo {b}\n\nrequire {c} v1.0.0\nreplace {c} => {a}\n"
        )),
        (word, word).prop_map(|(a, b)| format!(
            "<project><artifactId>{a}</artifactId><modules><module>{b}</module></modules><packaging>{b}</packaging></project>"
        )),
        (word, word).prop_map(|(a, b)| format!(
            "plugins {{ id '{a}' }}\napplication {{ mainClass = '{b}' }}\ninclude '{a}'\n"
        )),
        proptest::collection::vec("[ -~]{0,40}", 0..12).prop_map(|lines| lines.join("\n")),
        "\\PC{0,300}",
        proptest::collection::vec(any::<u8>(), 0..300)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

#[derive(Debug, Clone)]
enum Entry {
    File(String, String),
    Link(String, String),
}

fn entry() -> impl Strategy<Value = Entry> {
    let name = proptest::sample::select(NAMES).prop_map(str::to_string);
    prop_oneof![
        8 => (name.clone(), manifest_text()).prop_map(|(n, t)| Entry::File(n, t)),
        1 => (name, proptest::sample::select(&["../outside", "/etc/hostname", "/dev/zero", "src", "package.json", "/proc/self/environ"][..]))
            .prop_map(|(n, t)| Entry::Link(n, t.to_string())),
    ]
}

fn build(root: &Path, entries: &[Entry]) {
    for e in entries {
        let name = match e {
            Entry::File(n, _) | Entry::Link(n, _) => n,
        };
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        match e {
            Entry::File(_, text) => std::fs::write(&path, text).unwrap(),
            Entry::Link(_, target) => {
                let _ = std::os::unix::fs::symlink(target, &path);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn class3_random_trees_and_manifests_never_panic(entries in proptest::collection::vec(entry(), 1..10)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        std::fs::create_dir(&root).unwrap();
        build(&root, &entries);
        for args in [&["detect"][..], &["init", "--yes"][..], &["check"][..]] {
            let out = dockgen(args, &root);
            let err = text(&out.stderr);
            prop_assert!(out.status.code().is_some(), "killed by a signal: {args:?} {err}");
            let code = out.status.code().unwrap();
            prop_assert!(code == 0 || code == 1 || code == 2, "{args:?} exited {code}: {err}");
            prop_assert!(!err.contains("panicked"), "{args:?}: {err}");
        }
        // Nothing was written outside the project.
        let outside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        prop_assert_eq!(outside.len(), 1, "wrote next to the project: {:?}", outside);
    }
}
