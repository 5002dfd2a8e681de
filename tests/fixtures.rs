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
    let project = temp_copy(&fixture);
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

    let mut detect_args = vec!["detect", "--json"];
    detect_args.extend(
        case.args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with("--project") && *a != member),
    );
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

macro_rules! ecosystem_fixtures {
    ($($name:ident),*) => {$(
        #[test]
        fn $name() {
            let dir = fixtures_dir().join(stringify!($name));
            let cases = std::fs::read_dir(&dir)
                .map(|d| d.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "toml")).count())
                .unwrap_or(0);
            assert!(cases > 0, "no fixture cases in {}", dir.display());
            insta::with_settings!({
                snapshot_path => "../snapshots",
                prepend_module_to_snapshot => false,
            }, {
                insta::glob!("fixtures", concat!(stringify!($name), "/*.toml"), |path| run_case(path));
            });
        }
    )*};
}

ecosystem_fixtures!(node, python, rust, go, java);
