//! `dockgen init --ci github|gitlab` and `--compose` on the real binary: the files are valid against
//! the published schemas (GitHub workflow, GitLab CI, Compose spec; check-jsonschema from
//! `.tools/ci-venv`, installed by scripts/install-tools.sh), they pass exactly the build secrets the
//! Dockerfile mounts, build with a layer cache, tag with the commit, run `dockgen check`, and
//! `regen`/`check` track them like the Dockerfile.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    exit: i32,
}

/// Every successful fixture case: (name, fixture directory, extra init args).
fn cases() -> Vec<(String, PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    for eco in std::fs::read_dir(fixtures_dir()).unwrap() {
        let eco = eco.unwrap().path();
        let Some(name) = eco.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !eco.is_dir() || matches!(name, "regen" | "wizard") {
            continue;
        }
        for f in std::fs::read_dir(&eco).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let case: Case = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            if case.exit == 0 {
                let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
                out.push((format!("{name}-{stem}"), f.with_extension(""), case.args));
            }
        }
    }
    out.sort();
    assert!(out.len() > 40, "found only {} fixture cases", out.len());
    out
}

fn check_jsonschema() -> PathBuf {
    let bin = repo_root().join(".tools/ci-venv/bin/check-jsonschema");
    assert!(
        bin.is_file(),
        "{} is missing: run scripts/install-tools.sh",
        bin.display()
    );
    bin
}

/// Validates `files` against one of check-jsonschema's bundled schemas; panics with its output.
fn validate(schema: &str, files: &[PathBuf]) {
    let out = Command::new(check_jsonschema())
        .arg("--builtin-schema")
        .arg(schema)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{schema}:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The secret ids a Dockerfile mounts (`--mount=type=secret,id=...`).
fn dockerfile_secrets(dockerfile: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"--mount=type=secret,id=([A-Za-z0-9_-]+)").unwrap();
    re.captures_iter(dockerfile)
        .map(|c| c[1].to_string())
        .collect()
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn member_dir(root: &Path, args: &[String]) -> PathBuf {
    match flag_value(args, "--project") {
        Some(m) => root.join(m),
        None => root.to_path_buf(),
    }
}

fn workflow_path(root: &Path, member: Option<&str>, provider: &str) -> PathBuf {
    let files: Vec<PathBuf> = match provider {
        "github" => std::fs::read_dir(root.join(".github/workflows"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect(),
        _ => vec![match member {
            Some(m) => root.join(m).join("docker.gitlab-ci.yml"),
            None => root.join(".gitlab-ci.yml"),
        }],
    };
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

#[test]
fn every_fixture_gets_valid_workflows_with_the_dockerfiles_secrets() {
    let mut github = Vec::new();
    let mut gitlab = Vec::new();
    let mut compose = Vec::new();
    let mut dirs = Vec::new();
    let mut seen = BTreeSet::new();
    let github_secret = regex::Regex::new(r"'([A-Za-z0-9_-]+)=[A-Z0-9_]+'").unwrap();
    let gitlab_secret = regex::Regex::new(r#"--secret "id=([A-Za-z0-9_-]+),src="#).unwrap();
    // Each case gets one provider, alternating: the secrets come from the plan whichever the
    // provider, and both templates still meet every ecosystem and shape. (init fsyncs every
    // file it writes, so a run costs a few hundred milliseconds.)
    for (i, (name, fixture, args)) in cases().into_iter().enumerate() {
        let provider = ["github", "gitlab"][i % 2];
        let project = temp_project(&fixture);
        let mut argv = vec!["init", "--yes", "--compose", "--ci", provider];
        argv.extend(args.iter().map(String::as_str));
        argv.push(".");
        let out = dockgen(&argv, project.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name} {provider}: {}",
            text(&out.stderr)
        );
        let member = flag_value(&args, "--project");
        let dir = member_dir(project.path(), &args);
        let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let path = workflow_path(project.path(), member, provider);
        let workflow = std::fs::read_to_string(&path).unwrap();
        let want = dockerfile_secrets(&dockerfile);
        let passed: BTreeSet<String> = match provider {
            "github" => github_secret
                .captures_iter(&workflow)
                .map(|c| c[1].to_string())
                .collect(),
            _ => gitlab_secret
                .captures_iter(&workflow)
                .map(|c| c[1].to_string())
                .collect(),
        };
        assert_eq!(passed, want, "{name} {provider}: secrets\n{workflow}");
        seen.extend(want);
        // The workflow builds this project's Dockerfile from the build context.
        let file = match member {
            Some(m) => format!("\"{m}/Dockerfile\""),
            None => "\"Dockerfile\"".to_string(),
        };
        assert!(workflow.contains(&file), "{name} {provider}\n{workflow}");
        // Up to date right after init, every file tracked.
        let check = dockgen(&["check", "."], project.path());
        assert_eq!(
            check.status.code(),
            Some(0),
            "{name} {provider}: {}",
            text(&check.stderr)
        );
        let rel = path.strip_prefix(project.path()).unwrap().to_string_lossy();
        assert!(
            text(&check.stderr).contains(rel.as_ref()),
            "{name}: check does not name {rel}: {}",
            text(&check.stderr)
        );
        match provider {
            "github" => github.push(path),
            _ => gitlab.push(path),
        }
        compose.push(dir.join("compose.yaml"));
        dirs.push(project);
    }
    // Every kind of secret a planner mounts met the comparison above.
    for id in [
        "npmrc",
        "yarnrc",
        "netrc",
        "cargo_credentials",
        "maven-settings",
        "gradle-properties",
        "composer_auth",
    ] {
        assert!(seen.contains(id), "no fixture mounts {id}: {seen:?}");
    }
    validate("vendor.github-workflows", &github);
    validate("vendor.gitlab-ci", &gitlab);
    validate("vendor.compose-spec", &compose);
}

#[test]
fn a_broken_workflow_fails_the_schema_check() {
    // The validator is real: a job without `runs-on` or steps is rejected.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "on: push\njobs:\n  build:\n    name: x\n").unwrap();
    let out = Command::new(check_jsonschema())
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

fn init_in(fixture: &Path, args: &[&str]) -> TempProject {
    let project = temp_project(fixture);
    let mut argv = vec!["init", "--yes"];
    argv.extend_from_slice(args);
    argv.push(".");
    let out = dockgen(&argv, project.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    project
}

#[test]
fn workflow_snapshots() {
    let express = repo_root().join("examples/express-api");
    let maven = fixtures_dir().join("java/maven-wrapper-boot-actuator");
    let pnpm = fixtures_dir().join("node/pnpm-workspace");
    let pnpm_member = flag_value(
        &cases()
            .into_iter()
            .find(|(n, _, _)| n == "node-pnpm-workspace")
            .unwrap()
            .2,
        "--project",
    )
    .map(str::to_string)
    .unwrap();
    let snapshot = |provider: &str, case: &str, text: String| {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_suffix(format!("{provider}-{case}"));
        settings.bind(|| insta::assert_snapshot!("workflow", text));
    };
    for provider in ["github", "gitlab"] {
        let p = init_in(&express, &["--ci", provider]);
        let wf = std::fs::read_to_string(workflow_path(p.path(), None, provider)).unwrap();
        snapshot(provider, "express-api", wf);

        let p = init_in(&maven, &["--ci", provider]);
        let wf = std::fs::read_to_string(workflow_path(p.path(), None, provider)).unwrap();
        snapshot(provider, "java-maven", wf);

        let p = init_in(&pnpm, &["--ci", provider, "--project", &pnpm_member]);
        let wf =
            std::fs::read_to_string(workflow_path(p.path(), Some(&pnpm_member), provider)).unwrap();
        snapshot(provider, "pnpm-member", wf);
    }
}

#[test]
fn github_workflow_builds_with_buildkit_cache_commit_tag_and_check() {
    let p = init_in(
        &repo_root().join("examples/express-api"),
        &["--ci", "github"],
    );
    let yaml = std::fs::read_to_string(p.path().join(".github/workflows/docker.yml")).unwrap();
    let wf: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let steps = wf["jobs"]["image"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("docker/setup-buildx-action@"))
    );
    let build = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("docker/build-push-action@"))
        })
        .unwrap();
    assert!(
        build["with"]["cache-from"]
            .as_str()
            .unwrap()
            .starts_with("type=gha")
    );
    assert!(
        build["with"]["cache-to"]
            .as_str()
            .unwrap()
            .contains("mode=max")
    );
    assert!(
        build["with"]["tags"]
            .as_str()
            .unwrap()
            .ends_with(":${{ github.sha }}")
    );
    assert_eq!(build["env"]["NPMRC"], "${{ secrets.NPMRC }}");
    let check = wf["jobs"]["dockgen-check"]["steps"].as_array().unwrap();
    assert!(check.iter().any(|s| s["run"] == "dockgen check"));
}

#[test]
fn gitlab_job_uses_buildx_with_a_registry_cache() {
    let p = init_in(
        &repo_root().join("examples/express-api"),
        &["--ci", "gitlab"],
    );
    let yaml = std::fs::read_to_string(p.path().join(".gitlab-ci.yml")).unwrap();
    let wf: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let script: Vec<&str> = wf["docker-build"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let build = script
        .iter()
        .find(|s| s.contains("docker buildx build"))
        .unwrap();
    assert!(build.contains("--cache-from \"type=registry,"), "{build}");
    assert!(build.contains("mode=max"), "{build}");
    assert!(build.contains(":$CI_COMMIT_SHA\""), "{build}");
    let check: Vec<&str> = wf["dockgen-check"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(check.contains(&"dockgen check"), "{check:?}");
    // The block is a POSIX shell script: sh parses it.
    let out = Command::new("sh")
        .args(["-n", "-c", build])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn companions_are_recorded_merged_and_checked_like_the_dockerfile() {
    let p = init_in(
        &repo_root().join("examples/express-api"),
        &["--compose", "--ci", "github", "--port", "3000"],
    );
    let root = p.path();
    let toml = std::fs::read_to_string(root.join("dockgen.toml")).unwrap();
    assert!(toml.contains("compose = true"), "{toml}");
    assert!(toml.contains("ci = \"github\""), "{toml}");
    let workflow = root.join(".github/workflows/docker.yml");

    // A user edit in the workflow survives a regen that changes it.
    let edited = std::fs::read_to_string(&workflow).unwrap().replace(
        "  pull_request:\n",
        "  pull_request:\n  workflow_dispatch:\n",
    );
    std::fs::write(&workflow, &edited).unwrap();
    assert_eq!(dockgen(&["check", "."], root).status.code(), Some(0));

    // The project changes: the answer goes in dockgen.toml, check notices, regen merges.
    let toml = toml.replace("[answers]\n", "[answers]\nbase = \"alpine\"\n");
    std::fs::write(root.join("dockgen.toml"), toml).unwrap();
    std::fs::remove_file(root.join("compose.yaml")).unwrap();
    let check = dockgen(&["check", "."], root);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert!(
        text(&check.stderr).contains("compose.yaml is missing"),
        "{}",
        text(&check.stderr)
    );
    let regen = dockgen(&["regen", "."], root);
    assert_eq!(regen.status.code(), Some(0), "{}", text(&regen.stderr));
    assert!(root.join("compose.yaml").is_file());
    assert_eq!(std::fs::read_to_string(&workflow).unwrap(), edited);
    assert_eq!(dockgen(&["check", "."], root).status.code(), Some(0));

    // Dropping the answer stops tracking; the file stays.
    let toml = std::fs::read_to_string(root.join("dockgen.toml"))
        .unwrap()
        .replace("compose = true\n", "");
    std::fs::write(root.join("dockgen.toml"), toml).unwrap();
    let regen = dockgen(&["regen", "."], root);
    assert_eq!(regen.status.code(), Some(0), "{}", text(&regen.stderr));
    assert!(root.join("compose.yaml").is_file());
    let check = dockgen(&["check", "."], root);
    assert_eq!(check.status.code(), Some(0));
    assert!(
        !text(&check.stderr).contains("compose.yaml"),
        "{}",
        text(&check.stderr)
    );
}

#[test]
fn a_compose_answer_added_later_is_tracked_from_then_on() {
    let p = init_in(&repo_root().join("examples/express-api"), &[]);
    let root = p.path();
    let toml = std::fs::read_to_string(root.join("dockgen.toml"))
        .unwrap()
        .replace("[answers]\n", "[answers]\ncompose = true\n");
    std::fs::write(root.join("dockgen.toml"), toml).unwrap();
    let check = dockgen(&["check", "."], root);
    assert_eq!(check.status.code(), Some(1));
    let err = text(&check.stderr);
    assert!(err.contains("compose.yaml: newly tracked"), "{err}");
    let regen = dockgen(&["regen", "."], root);
    assert_eq!(regen.status.code(), Some(0), "{}", text(&regen.stderr));
    assert!(root.join("compose.yaml").is_file());
    assert_eq!(dockgen(&["check", "."], root).status.code(), Some(0));
}

#[test]
fn init_refuses_a_workflow_it_did_not_write() {
    let p = temp_project(&repo_root().join("examples/express-api"));
    let root = p.path();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(root.join(".github/workflows/docker.yml"), "on: push\n").unwrap();
    let before = tree_state(root);
    let out = dockgen(&["init", "--yes", "--ci", "github", "."], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("docker.yml"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(tree_state(root), before);
}

#[test]
fn bad_ci_values_are_usage_errors() {
    let p = temp_project(&repo_root().join("examples/express-api"));
    let out = dockgen(&["init", "--yes", "--ci", "jenkins", "."], p.path());
    assert_eq!(out.status.code(), Some(2));
    let init = dockgen(&["init", "--yes", "."], p.path());
    assert_eq!(init.status.code(), Some(0));
    let toml = std::fs::read_to_string(p.path().join("dockgen.toml"))
        .unwrap()
        .replace("[answers]\n", "[answers]\nci = \"jenkins\"\n");
    std::fs::write(p.path().join("dockgen.toml"), toml).unwrap();
    let check = dockgen(&["check", "."], p.path());
    assert_eq!(check.status.code(), Some(2));
    assert!(
        text(&check.stderr).contains("dockgen.toml:") && text(&check.stderr).contains("jenkins"),
        "{}",
        text(&check.stderr)
    );
}
