//! Scenario tests for `dockgen.toml`, `dockgen regen` and `dockgen check` on the real binary.
//!
//! Each scenario starts from a fixture project in `tests/fixtures/regen/<name>/`, runs `init`, makes
//! the edits a user would make to the Dockerfile, changes the project the way real projects change
//! (an overlay directory `tests/fixtures/regen/<name>-to-<what>/` holds the new files), and then
//! checks what `check` reports and what `regen` writes.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

fn regen_fixture(name: &str) -> std::path::PathBuf {
    fixtures_dir().join("regen").join(name)
}

/// A temporary copy of a regen fixture project.
fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dockgen-regen-")
        .tempdir()
        .unwrap();
    copy_tree(&regen_fixture(name), dir.path());
    dir
}

/// Copies an overlay's files over the project (what a change to the project adds or rewrites).
fn overlay(dir: &Path, name: &str) {
    copy_tree(&regen_fixture(name), dir);
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

/// Runs dockgen and asserts the exit code, returning (stdout, stderr).
fn run(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let out: Output = dockgen(args, dir);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "dockgen {args:?}: exit code\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

/// What `init` would generate for the project as it is now (without writing).
fn fresh_render(dir: &Path) -> String {
    run(dir, &["init", "--stdout", "."], 0).0
}

const USER_APT: &str = "RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.* && rm -rf /var/lib/apt/lists/*";
const USER_LABEL: &str = "LABEL com.example.team=\"orders\" com.example.oncall=\"#orders-oncall\"";

/// The edits a user makes in the final stage: an apt package right after its `FROM`, and a label
/// before the `USER` line.
fn add_user_edits(dockerfile: &str) -> String {
    let lines: Vec<&str> = dockerfile.lines().collect();
    let last_from = lines
        .iter()
        .rposition(|l| l.starts_with("FROM "))
        .expect("a FROM line");
    let last_user = lines
        .iter()
        .rposition(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert!(last_from < last_user);
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == last_user {
            out.push(USER_LABEL);
        }
        out.push(l);
        if i == last_from {
            out.push(USER_APT);
        }
    }
    out.join("\n") + "\n"
}

/// The file without the user's two lines.
fn without_user_edits(dockerfile: &str) -> String {
    let kept: Vec<&str> = dockerfile
        .lines()
        .filter(|l| *l != USER_APT && *l != USER_LABEL)
        .collect();
    kept.join("\n") + "\n"
}

/// `init`, then the user's edits; returns the edited Dockerfile.
fn init_and_edit(dir: &Path) -> String {
    let (_, stderr) = run(dir, &["init", "--yes", "."], 0);
    assert!(stderr.contains("dockgen.toml"), "{stderr}");
    assert!(dir.join("dockgen.toml").is_file());
    run(dir, &["check", "."], 0);
    let edited = add_user_edits(&read(dir, "Dockerfile"));
    write(dir, "Dockerfile", &edited);
    // The user's own edits never make the Dockerfile stale.
    run(dir, &["check", "."], 0);
    edited
}

/// The final check of a successful regen: the user's edits are in, the rest is exactly what dockgen
/// generates for the project now, and `check` agrees.
fn assert_regenerated_with_edits(dir: &Path) -> String {
    let merged = read(dir, "Dockerfile");
    assert!(merged.contains(USER_APT), "user's apt line lost:\n{merged}");
    assert!(merged.contains(USER_LABEL), "user's label lost:\n{merged}");
    let violations = dockerfile_violations(&merged);
    assert!(violations.is_empty(), "{violations:#?}\n{merged}");
    assert_eq!(without_user_edits(&merged), fresh_render(dir));
    assert_eq!(add_user_edits(&fresh_render(dir)), merged);
    run(dir, &["check", "."], 0);
    merged
}

#[test]
fn node_npm_to_pnpm_keeps_the_users_edits() {
    let tmp = project("node-npm");
    let dir = tmp.path();
    let before = init_and_edit(dir);
    assert!(before.contains("npm ci"), "{before}");
    let state = read(dir, "dockgen.toml");
    assert!(state.contains("package_manager = \"npm\""), "{state}");

    // The project moves to pnpm.
    std::fs::remove_file(dir.join("package-lock.json")).unwrap();
    overlay(dir, "node-npm-to-pnpm");

    let untouched = tree_state(dir);
    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains("stale: Dockerfile"), "{stderr}");
    assert!(
        stderr.contains("package manager npm → pnpm:"),
        "check does not name the change:\n{stderr}"
    );
    assert!(stderr.contains("package-lock.json removed"), "{stderr}");

    // --diff shows the change and writes nothing.
    let (diff, why) = run(dir, &["regen", "--diff", "."], 0);
    assert!(why.contains("package manager npm → pnpm:"), "{why}");
    assert!(
        diff.contains("--- a/Dockerfile\n+++ b/Dockerfile"),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('-') && l.contains("npm ci")),
        "{diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains("pnpm")),
        "{diff}"
    );
    assert!(
        !diff
            .lines()
            .any(|l| l.starts_with('-') && (l.contains("tini=0.19") || l.contains("com.example"))),
        "the diff drops the user's edits:\n{diff}"
    );
    assert_eq!(
        tree_state(dir),
        untouched,
        "check or --diff wrote something"
    );

    let (_, stderr) = run(dir, &["regen", "."], 0);
    assert!(stderr.contains("package manager npm → pnpm:"), "{stderr}");
    assert!(
        stderr.contains("updated Dockerfile (your edits kept)"),
        "{stderr}"
    );
    assert!(stderr.contains("updated dockgen.toml"), "{stderr}");
    let merged = assert_regenerated_with_edits(dir);
    assert!(merged.contains("pnpm install"), "{merged}");
    assert!(!merged.contains("npm ci"), "{merged}");
    assert!(!merged.contains("package-lock.json"), "{merged}");
    let state = read(dir, "dockgen.toml");
    assert!(state.contains("package_manager = \"pnpm\""), "{state}");
    assert!(state.contains("\"pnpm-lock.yaml\" = {"), "{state}");

    // A second regen has nothing to do.
    let after = tree_state(dir);
    let (_, stderr) = run(dir, &["regen", "."], 0);
    assert!(stderr.contains("up to date"), "{stderr}");
    assert_eq!(tree_state(dir), after);
}

#[test]
fn python_requirements_to_uv_keeps_the_users_edits() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    let before = init_and_edit(dir);
    assert!(before.contains("requirements.txt"), "{before}");

    std::fs::remove_file(dir.join("requirements.txt")).unwrap();
    overlay(dir, "python-pip-to-uv");

    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains("package manager pip → uv:"), "{stderr}");
    assert!(stderr.contains("requirements.txt removed"), "{stderr}");

    let (_, stderr) = run(dir, &["regen", "."], 0);
    assert!(stderr.contains("package manager pip → uv:"), "{stderr}");
    let merged = assert_regenerated_with_edits(dir);
    assert!(merged.contains("uv sync"), "{merged}");
    assert!(merged.contains("uv.lock"), "{merged}");
    assert!(!merged.contains("requirements.txt"), "{merged}");
}

#[test]
fn a_runtime_bump_changes_only_the_arg() {
    let tmp = project("node-npm");
    let dir = tmp.path();
    let before = init_and_edit(dir);
    let ignore_before = read(dir, ".dockerignore");
    write(dir, ".nvmrc", "22\n");

    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(
        stderr.contains("runtime version 20 → 22: .nvmrc changed"),
        "{stderr}"
    );
    assert!(stderr.contains("stale: Dockerfile "), "{stderr}");

    run(dir, &["regen", "."], 0);
    let after = assert_regenerated_with_edits(dir);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        changed,
        vec![("ARG NODE_VERSION=20", "ARG NODE_VERSION=22")],
        "{after}"
    );
    assert_eq!(read(dir, ".dockerignore"), ignore_before);
}

/// The user edited the very line the switch to uv rewrites.
fn conflicting_project() -> (tempfile::TempDir, String) {
    let tmp = project("python-pip");
    let dir = tmp.path();
    run(dir, &["init", "--yes", "."], 0);
    let generated = read(dir, "Dockerfile");
    let install = generated
        .lines()
        .find(|l| l.contains("pip install -r requirements.txt"))
        .expect("a pip install line")
        .to_string();
    let edited = generated.replace(
        &install,
        &install.replace("pip install", "pip install --no-compile"),
    );
    write(dir, "Dockerfile", &edited);
    std::fs::remove_file(dir.join("requirements.txt")).unwrap();
    overlay(dir, "python-pip-to-uv");
    (tmp, edited)
}

#[test]
fn a_conflicting_edit_is_reported_not_lost() {
    let (tmp, edited) = conflicting_project();
    let dir = tmp.path();
    let untouched = tree_state(dir);

    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains("conflict with the new render"), "{stderr}");

    let (_, stderr) = run(dir, &["regen", "."], 1);
    assert!(stderr.contains("Nothing was written"), "{stderr}");
    assert!(
        stderr.contains("pip install --no-compile"),
        "the user's line is not shown:\n{stderr}"
    );
    assert!(
        stderr.contains("uv sync"),
        "the new line is not shown:\n{stderr}"
    );
    assert!(stderr.contains("package manager pip → uv"), "{stderr}");
    // The conflict is located in the user's file: the block shown starts at the reported line.
    let at: usize = stderr
        .split("at Dockerfile:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line reported:\n{stderr}"));
    let user_line = edited
        .lines()
        .position(|l| l.contains("pip install --no-compile"))
        .unwrap()
        + 1;
    assert!(at <= user_line, "reported {at}, edit at {user_line}");
    let first_shown = stderr
        .split("yours:\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap()
        .trim();
    assert_eq!(edited.lines().nth(at - 1).unwrap().trim(), first_shown);
    assert_eq!(
        tree_state(dir),
        untouched,
        "a conflicting regen wrote something"
    );

    // --diff shows the same conflict and still writes nothing.
    let (diff, _) = run(dir, &["regen", "--diff", "."], 1);
    assert!(diff.contains("+<<<<<<< yours"), "{diff}");
    assert_eq!(tree_state(dir), untouched);
}

#[test]
fn conflict_markers_are_written_on_request_and_resolved_by_the_user() {
    let (tmp, _) = conflicting_project();
    let dir = tmp.path();
    let (_, stderr) = run(dir, &["regen", "--conflict-markers", "."], 1);
    assert!(
        stderr.contains("wrote conflict markers in Dockerfile"),
        "{stderr}"
    );
    let marked = read(dir, "Dockerfile");
    let open = marked.find("<<<<<<< yours\n").expect("opening marker");
    let mid = marked.find("\n=======\n").expect("separator");
    let close = marked
        .find(">>>>>>> dockgen regen\n")
        .expect("closing marker");
    assert!(open < mid && mid < close, "{marked}");
    assert!(
        marked[open..mid].contains("pip install --no-compile"),
        "{marked}"
    );
    assert!(marked[mid..close].contains("uv sync"), "{marked}");
    // Everything outside the conflict is already merged.
    assert!(marked[..open].contains("uv.lock"), "{marked}");
    assert!(!marked.contains("source=requirements.txt"), "{marked}");

    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains("unresolved conflict markers"), "{stderr}");
    let (_, stderr) = run(dir, &["regen", "."], 1);
    assert!(stderr.contains("still has conflict markers"), "{stderr}");

    // The user keeps dockgen's side; the file is then current.
    let resolved: String = {
        let mut out = String::new();
        let mut part = 0;
        for l in marked.lines() {
            match l {
                "<<<<<<< yours" => part = 1,
                "=======" if part == 1 => part = 2,
                ">>>>>>> dockgen regen" => part = 0,
                _ if part == 1 => {}
                _ => {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
        out
    };
    write(dir, "Dockerfile", &resolved);
    assert_eq!(resolved, fresh_render(dir));
    run(dir, &["check", "."], 0);
}

#[test]
fn force_takes_the_new_render() {
    let (tmp, _) = conflicting_project();
    let dir = tmp.path();
    let (_, stderr) = run(dir, &["regen", "--force", "."], 0);
    assert!(stderr.contains("replaced Dockerfile"), "{stderr}");
    assert_eq!(read(dir, "Dockerfile"), fresh_render(dir));
    run(dir, &["check", "."], 0);
}

#[test]
fn a_dockerfile_dockgen_did_not_write_is_left_alone() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    let mine = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n\
                RUN pip install --no-cache-dir -r requirements.txt\nCMD [\"flask\", \"run\"]\n";
    write(dir, "Dockerfile", mine);
    let untouched = tree_state(dir);

    let (_, stderr) = run(dir, &["regen", "."], 2);
    assert!(
        stderr.contains("dockgen did not write this Dockerfile"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    let (_, stderr) = run(dir, &["check", "."], 2);
    assert!(stderr.contains("no dockgen.toml"), "{stderr}");
    run(dir, &["regen", "--diff", "."], 2);
    assert_eq!(tree_state(dir), untouched);

    run(dir, &["regen", "--force", "."], 0);
    assert_eq!(read(dir, "Dockerfile"), fresh_render(dir));
    assert!(dir.join("dockgen.toml").is_file());
    run(dir, &["check", "."], 0);
}

#[test]
fn answers_are_kept_and_editing_them_is_explained() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    run(dir, &["init", "--yes", "--port", "8080", "."], 0);
    let state = read(dir, "dockgen.toml");
    let answers = state
        .split("[answers]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .unwrap();
    // Only the answer that differs from detection is recorded.
    assert_eq!(
        answers
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .collect::<Vec<_>>(),
        vec!["port = 8080"],
        "{state}"
    );
    assert!(read(dir, "Dockerfile").contains("EXPOSE 8080"));

    // The project changes; the answer still holds.
    write(dir, ".python-version", "3.13\n");
    let (_, stderr) = run(dir, &["regen", "."], 0);
    assert!(
        stderr.contains("runtime version 3.12 → 3.13: .python-version changed"),
        "{stderr}"
    );
    assert!(read(dir, "Dockerfile").contains("EXPOSE 8080"));

    // The user changes the answer in dockgen.toml, with a comment of their own.
    let state = read(dir, "dockgen.toml").replacen(
        "[answers]\nport = 8080",
        "[answers]\n# the ingress sends traffic to 9090\nport = 9090",
        1,
    );
    write(dir, "dockgen.toml", &state);
    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(
        stderr.contains("port 8080 → 9090: set in dockgen.toml [answers]"),
        "{stderr}"
    );
    run(dir, &["regen", "."], 0);
    let dockerfile = read(dir, "Dockerfile");
    assert!(dockerfile.contains("EXPOSE 9090"), "{dockerfile}");
    assert!(!dockerfile.contains("8080"), "{dockerfile}");
    let state = read(dir, "dockgen.toml");
    assert!(
        state.contains("# the ingress sends traffic to 9090\nport = 9090"),
        "the user's comment did not survive:\n{state}"
    );
    run(dir, &["check", "."], 0);
}

#[test]
fn a_broken_dockgen_toml_is_bad_input() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    run(dir, &["init", "--yes", "."], 0);
    let state = read(dir, "dockgen.toml").replace("[answers]", "[answers]\nport = \"eighty\"");
    write(dir, "dockgen.toml", &state);
    let line = state
        .lines()
        .position(|l| l.starts_with("port = \"eighty\""))
        .unwrap()
        + 1;
    let untouched = tree_state(dir);
    for args in [&["check", "."][..], &["regen", "."][..]] {
        let (_, stderr) = run(dir, args, 2);
        assert!(
            stderr.contains(&format!(
                "dockgen.toml:{line}:8: `port` must be a port number"
            )),
            "{stderr}"
        );
    }
    assert_eq!(tree_state(dir), untouched);
}

#[test]
fn a_missing_file_is_stale_and_recreated() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    run(dir, &["init", "--yes", "."], 0);
    let ignore = read(dir, ".dockerignore");
    std::fs::remove_file(dir.join(".dockerignore")).unwrap();
    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains(".dockerignore is missing"), "{stderr}");
    let (_, stderr) = run(dir, &["regen", "."], 0);
    assert!(stderr.contains("recreated .dockerignore"), "{stderr}");
    assert_eq!(read(dir, ".dockerignore"), ignore);
    run(dir, &["check", "."], 0);
}

#[test]
fn one_check_covers_every_project_below_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_tree(&regen_fixture("node-npm"), &root.join("services/orders"));
    copy_tree(&regen_fixture("python-pip"), &root.join("services/links"));
    run(&root.join("services/orders"), &["init", "--yes", "."], 0);
    run(&root.join("services/links"), &["init", "--yes", "."], 0);
    let (_, stderr) = run(root, &["check", "."], 0);
    assert_eq!(stderr.matches("up to date").count(), 2, "{stderr}");

    write(&root.join("services/orders"), ".nvmrc", "22\n");
    let (_, stderr) = run(root, &["check", "."], 1);
    assert!(stderr.contains("runtime version 20 → 22"), "{stderr}");
    assert!(stderr.contains("up to date"), "the other project: {stderr}");
    run(root, &["regen", "."], 0);
    run(root, &["check", "."], 0);
    // A member directory can be checked on its own.
    run(&root.join("services/links"), &["check"], 0);
}

#[test]
fn init_does_not_silently_drop_edits() {
    let tmp = project("python-pip");
    let dir = tmp.path();
    init_and_edit(dir);
    let untouched = tree_state(dir);
    let (_, stderr) = run(dir, &["init", "--yes", "."], 2);
    assert!(stderr.contains("dockgen regen"), "{stderr}");
    assert_eq!(tree_state(dir), untouched);
    run(dir, &["init", "--yes", "--force", "."], 0);
    assert_eq!(read(dir, "Dockerfile"), fresh_render(dir));
    run(dir, &["check", "."], 0);
}

#[test]
fn workspace_members_each_keep_their_own_dockgen_toml() {
    let tmp = project("node-workspace");
    let root = tmp.path();
    let api = root.join("apps/api");
    run(root, &["init", "--yes", "--project", "apps/api", "."], 0);
    run(root, &["init", "--yes", "--project", "apps/web", "."], 0);
    let state = read(&api, "dockgen.toml");
    assert!(state.contains("project = \"apps/api\""), "{state}");
    assert!(!root.join("dockgen.toml").exists());

    // The user edits one member's Dockerfile; the runtime is bumped for the whole repository.
    let edited = add_user_edits(&read(&api, "Dockerfile"));
    write(&api, "Dockerfile", &edited);
    run(root, &["check", "."], 0);
    write(root, ".nvmrc", "22\n");
    let (_, stderr) = run(root, &["check", "."], 1);
    assert!(
        stderr.contains("[apps/api] stale: apps/api/Dockerfile"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[apps/web] stale: apps/web/Dockerfile"),
        "{stderr}"
    );
    assert!(
        stderr.contains("runtime version 20 → 22: .nvmrc changed"),
        "{stderr}"
    );

    // One member at a time: by --project, or from inside the member's directory.
    run(root, &["regen", "--project", "apps/api", "."], 0);
    run(&api, &["check"], 0);
    run(root, &["check", "--project", "apps/web", "."], 1);
    run(&root.join("apps/web"), &["regen"], 0);
    run(root, &["check", "."], 0);

    let merged = read(&api, "Dockerfile");
    assert!(merged.contains("ARG NODE_VERSION=22"), "{merged}");
    assert!(
        merged.contains(USER_APT) && merged.contains(USER_LABEL),
        "{merged}"
    );
    let fresh = run(root, &["init", "--stdout", "--project", "apps/api", "."], 0).0;
    assert_eq!(without_user_edits(&merged), fresh);
}
