//! `dockgen check --json` and `dockgen regen --diff --json` on the real binary: the documented shape,
//! the same exit codes as the text output, and nothing written.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures_dir().join("regen").join(name), dir.path());
    dir
}

/// Runs dockgen, asserts the exit code, parses stdout as JSON.
fn json(dir: &Path, args: &[&str], code: i32) -> Value {
    let out = dockgen(args, dir);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{}", text(&out.stdout)))
}

fn file<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["projects"][0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in {report:#}"))
}

#[test]
fn current_then_stale_with_reasons_and_a_diff() {
    let tmp = project("node-npm");
    let dir = tmp.path();
    assert_eq!(dockgen(&["init", "--yes", "."], dir).status.code(), Some(0));

    let report = json(dir, &["check", "--json", "."], 0);
    assert_eq!(report["status"], "current");
    assert_eq!(report["projects"][0]["project"], ".");
    assert_eq!(report["projects"][0]["dockgen_toml"], "dockgen.toml");
    assert_eq!(file(&report, "Dockerfile")["status"], "current");
    assert_eq!(file(&report, "Dockerfile")["diff"], Value::Null);

    // npm → pnpm, with a user edit the merge keeps.
    let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let edited = dockerfile.replace("USER ", "LABEL team=\"payments\"\nUSER ");
    std::fs::write(dir.join("Dockerfile"), &edited).unwrap();
    std::fs::remove_file(dir.join("package-lock.json")).unwrap();
    copy_tree(&fixtures_dir().join("regen/node-npm-to-pnpm"), dir);
    let before = tree_state(dir);

    let report = json(dir, &["check", "--json", "."], 1);
    assert_eq!(report["status"], "stale");
    let reasons = report["projects"][0]["reasons"].as_array().unwrap();
    assert!(
        reasons.iter().any(|r| r
            .as_str()
            .unwrap()
            .starts_with("package manager npm → pnpm")),
        "{reasons:?}"
    );
    let df = file(&report, "Dockerfile");
    assert_eq!(df["status"], "update");
    assert_eq!(df["edited"], true);
    assert_eq!(df["render_changed"], true);
    let diff = df["diff"].as_str().unwrap();
    assert!(
        diff.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{diff}"
    );
    assert!(diff.contains("+COPY package.json pnpm-lock.yaml"), "{diff}");
    assert!(
        !diff.contains("-LABEL team"),
        "the user's edit is kept:\n{diff}"
    );

    // regen --diff --json says the same, and neither wrote anything.
    let regen = json(dir, &["regen", "--diff", "--json", "."], 0);
    assert_eq!(regen, report);
    assert_eq!(tree_state(dir), before);

    // After regen: current again.
    assert_eq!(dockgen(&["regen", "."], dir).status.code(), Some(0));
    assert_eq!(json(dir, &["check", "--json", "."], 0)["status"], "current");
}

#[test]
fn a_conflict_carries_the_three_sides_and_exit_1() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    assert_eq!(dockgen(&["init", "--yes", "."], dir).status.code(), Some(0));
    let generated = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let edited = generated.replacen("pip install -r", "pip install --no-compile -r", 1);
    assert_ne!(edited, generated);
    std::fs::write(dir.join("Dockerfile"), &edited).unwrap();
    std::fs::remove_file(dir.join("requirements.txt")).unwrap();
    copy_tree(&fixtures_dir().join("regen/python-pip-to-uv"), dir);

    for args in [
        &["check", "--json", "."][..],
        &["regen", "--diff", "--json", "."],
    ] {
        let report = json(dir, args, 1);
        assert_eq!(report["status"], "conflict", "{args:?}");
        let df = file(&report, "Dockerfile");
        assert_eq!(df["status"], "conflict");
        let c = &df["conflicts"][0];
        let line = c["line"].as_u64().unwrap() as usize;
        let yours: Vec<&str> = c["yours"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(edited.lines().nth(line - 1).unwrap(), yours[0]);
        assert!(yours.iter().any(|l| l.contains("--no-compile")), "{c:#}");
        assert!(
            c["generated_now"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l.as_str().unwrap().contains("uv sync")),
            "{c:#}"
        );
    }
}

#[test]
fn json_needs_diff_for_regen_and_a_dockgen_toml() {
    let tmp = project("node-npm");
    let dir = tmp.path();
    assert_eq!(
        dockgen(&["regen", "--json", "."], dir).status.code(),
        Some(2)
    );
    let out = dockgen(&["check", "--json", "."], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no dockgen.toml"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}
