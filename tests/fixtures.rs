//! Runs the real `dockgen` binary over every fixture project in `tests/fixtures/<ecosystem>/<case>/`.
//!
//! Each fixture has a case file next to it, `tests/fixtures/<ecosystem>/<case>.toml`:
//!
//! ```toml
//! about = "what this fixture shows"
//! args = ["--project", "apps/web"]   # extra `dockgen init --yes` arguments (optional)
//! exit = 2                            # expected exit code (default 0)
//! stderr = ["package.json:3:5"]       # text the error output must contain (optional)
//! [detect]                            # fields `detect --json` must report for the chosen project
//! ecosystem = "node"
//! package_manager = "pnpm"
//! ```
//!
//! Successful cases snapshot the Dockerfile, the ignore file and `detect --json` (in `snapshots/`),
//! and check the invariants every generated Dockerfile holds. Failing cases check the exit code, the
//! message, and that nothing in the project changed.

mod common;

use std::path::Path;

use common::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    detect: Option<toml::Table>,
}

fn run_case(case_file: &Path) {
    let case: Case = toml::from_str(&std::fs::read_to_string(case_file).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
    assert!(!case.about.is_empty());
    let fixture = case_file.with_extension("");
    assert!(
        fixture.is_dir(),
        "{} has no fixture directory",
        case_file.display()
    );
    let project = temp_project(&fixture);
    let before = tree_state(project.path());

    let mut args = vec!["init", "--yes"];
    args.extend(case.args.iter().map(String::as_str));
    args.push(".");
    let out = dockgen(&args, project.path());
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(case.exit),
        "{}: exit code\nstderr:\n{stderr}",
        case_file.display()
    );
    for needle in &case.stderr {
        assert!(
            stderr.contains(needle.as_str()),
            "{}: stderr lacks {needle:?}:\n{stderr}",
            case_file.display()
        );
    }
    if case.exit != 0 {
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        assert_eq!(
            tree_state(project.path()),
            before,
            "{}: a failing run changed the project",
            case_file.display()
        );
        return;
    }

    let member = flag_value(&case.args, "--project").unwrap_or(".");
    let (dockerfile_path, ignore_path) = if member == "." {
        (
            project.path().join("Dockerfile"),
            project.path().join(".dockerignore"),
        )
    } else {
        let dir = project.path().join(member);
        (dir.join("Dockerfile"), dir.join("Dockerfile.dockerignore"))
    };
    let dockerfile = std::fs::read_to_string(&dockerfile_path)
        .unwrap_or_else(|e| panic!("{}: {e}", dockerfile_path.display()));
    let ignore = std::fs::read_to_string(&ignore_path)
        .unwrap_or_else(|e| panic!("{}: {e}", ignore_path.display()));

    let violations = dockerfile_violations(&dockerfile);
    assert!(
        violations.is_empty(),
        "{}: {violations:#?}\n{dockerfile}",
        case_file.display()
    );
    let parsed = dockgen::dockerignore::DockerIgnore::parse(&ignore).unwrap();
    for src in context_copy_sources(&dockerfile) {
        if src != "." {
            assert!(
                !parsed.excludes(&src),
                "{}: .dockerignore excludes {src}, which the Dockerfile copies",
                case_file.display()
            );
        }
    }

    // --stdout prints exactly what init wrote.
    let mut stdout_args = vec!["init", "--stdout"];
    stdout_args.extend(case.args.iter().map(String::as_str));
    stdout_args.push(".");
    let printed = dockgen(&stdout_args, project.path());
    assert_eq!(
        text(&printed.stdout),
        dockerfile,
        "--stdout differs from the written file"
    );

    // A second run rewrites its own files without --force and changes nothing.
    let again = dockgen(&args, project.path());
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(
        std::fs::read_to_string(&dockerfile_path).unwrap(),
        dockerfile
    );

    // detect takes the flags that steer detection (with their values); the others are init's.
    let mut detect_args = vec!["detect", "--json"];
    for (i, arg) in case.args.iter().enumerate() {
        if matches!(arg.as_str(), "--ecosystem" | "--package-manager" | "--bin") {
            detect_args.push(arg);
            detect_args.extend(case.args.get(i + 1).map(String::as_str));
        }
    }
    detect_args.push(".");
    let det = dockgen(&detect_args, project.path());
    assert_eq!(det.status.code(), Some(0), "{}", text(&det.stderr));
    let mut json: serde_json::Value = serde_json::from_slice(&det.stdout).unwrap();
    json["root"] = serde_json::Value::String("<root>".into());
    if let Some(expect) = &case.detect {
        let chosen = json["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == member)
            .unwrap_or_else(|| panic!("{}: no project {member} in {json}", case_file.display()));
        for (k, v) in expect {
            let want = serde_json::to_value(v).unwrap();
            assert_eq!(chosen[k], want, "{}: detect field {k}", case_file.display());
        }
    }

    insta::assert_snapshot!("dockerfile", dockerfile);
    insta::assert_snapshot!("dockerignore", ignore);
    insta::assert_snapshot!("detect", serde_json::to_string_pretty(&json).unwrap());
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// Runs every case of one ecosystem, collecting failures so one broken fixture does not hide the
/// others. Snapshots are named `<kind>@<ecosystem>-<case>.snap`.
fn run_ecosystem(eco: &str) {
    let dir = fixtures_dir().join(eco);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    assert!(!cases.is_empty(), "no fixture cases in {}", dir.display());
    let mut failed = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix(format!("{eco}-{name}"));
        settings.set_input_file(case);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| run_case(case))
        }));
        if result.is_err() {
            failed.push(name);
        }
    }
    println!(
        "{eco}: {} fixture cases, {} failed",
        cases.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{eco} fixtures failed: {failed:?}");
}

/// Every registered ecosystem's fixtures, one thread per ecosystem (so the ecosystems run side
/// by side as separate tests would). `DOCKGEN_ECOSYSTEM=go` runs one ecosystem only.
#[test]
fn every_registered_ecosystem() {
    let only = std::env::var("DOCKGEN_ECOSYSTEM").ok();
    let ids: Vec<&str> = dockgen::ecosystems::ids()
        .into_iter()
        .filter(|id| only.as_deref().is_none_or(|o| o == *id))
        .collect();
    assert!(
        !ids.is_empty(),
        "no registered ecosystem is called {only:?}"
    );
    let failed: Vec<&str> = std::thread::scope(|s| {
        let runs: Vec<_> = ids
            .iter()
            .map(|id| (*id, s.spawn(move || run_ecosystem(id))))
            .collect();
        runs.into_iter()
            .filter_map(|(id, run)| run.join().is_err().then_some(id))
            .collect()
    });
    assert!(failed.is_empty(), "fixtures failed for: {failed:?}");
}

/// Fixture folders and the registry agree: each folder under `tests/fixtures/` is a registered
/// ecosystem or a front end's own fixtures.
#[test]
fn fixture_folders_are_registered_ecosystems() {
    let ids = dockgen::ecosystems::ids();
    for entry in std::fs::read_dir(fixtures_dir()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.path().is_dir() && !["regen", "wizard"].contains(&name.as_str()) {
            assert!(
                ids.contains(&name.as_str()),
                "tests/fixtures/{name}: no such ecosystem"
            );
        }
    }
}
