//! Monorepos at scale: workspaces of 300 members, generated here at run time (never committed),
//! through the real binary. The Dockerfile of the app member must have a fixed number of
//! instructions and name no other member, and adding a member must change nothing in it.

mod common;

use std::fs;
use std::path::Path;

use common::{dockgen, instructions, text};

const MEMBERS: usize = 300;

fn write(root: &Path, rel: &str, body: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, body).unwrap();
}

fn lib(i: usize) -> String {
    format!("lib-{i:03}")
}

/// A JavaScript workspace: apps/web (imports lib-001, which imports lib-002) and libraries
/// packages/lib-NNN. `pm` is the packageManager pin (None for npm).
fn node_workspace(root: &Path, pm: Option<&str>, libs: usize) {
    let reference = if pm.is_some_and(|p| p.starts_with("pnpm")) {
        "workspace:*"
    } else {
        "*"
    };
    let mut manifest = serde_json::json!({"name": "ws-root", "private": true});
    if let Some(pm) = pm {
        manifest["packageManager"] = pm.into();
    }
    if pm.is_some_and(|p| p.starts_with("pnpm")) {
        write(
            root,
            "pnpm-workspace.yaml",
            "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
        );
    } else {
        manifest["workspaces"] = serde_json::json!(["apps/*", "packages/*"]);
    }
    if pm.is_some_and(|p| p.starts_with("yarn@4")) {
        write(root, ".yarnrc.yml", "nodeLinker: node-modules\n");
    }
    write(root, "package.json", &manifest.to_string());
    for i in 1..=libs {
        add_node_lib(root, i, reference);
    }
    let app = serde_json::json!({
        "name": "@ws/web",
        "version": "1.0.0",
        "private": true,
        "scripts": {"start": "node server.js"},
        "dependencies": {"@ws/lib-001": reference, "ms": "^2.1.3"},
    });
    write(root, "apps/web/package.json", &app.to_string());
    write(
        root,
        "apps/web/server.js",
        "const http = require('node:http');\nconst one = require('@ws/lib-001');\n\
         http.createServer((req, res) => res.end(one.name())).listen(process.env.PORT || 3000);\n",
    );
}

fn add_node_lib(root: &Path, i: usize, reference: &str) {
    let mut pkg = serde_json::json!({"name": format!("@ws/{}", lib(i)), "version": "1.0.0", "main": "index.js"});
    if i == 1 {
        pkg["dependencies"] = serde_json::json!({"@ws/lib-002": reference});
    }
    let dir = format!("packages/{}", lib(i));
    write(root, &format!("{dir}/package.json"), &pkg.to_string());
    write(
        root,
        &format!("{dir}/index.js"),
        &format!("module.exports = {{ name: () => '{}' }};\n", lib(i)),
    );
}

/// A Cargo workspace: crates/app (a binary using lib-001) and library crates crates/lib-NNN.
fn cargo_workspace(root: &Path, libs: usize) {
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
    );
    write(
        root,
        "crates/app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlib-001 = { path = \"../lib-001\" }\n",
    );
    write(
        root,
        "crates/app/src/main.rs",
        "fn main() {\n    println!(\"{}\", lib_001::name());\n}\n",
    );
    for i in 1..=libs {
        add_cargo_lib(root, i);
    }
}

fn add_cargo_lib(root: &Path, i: usize) {
    let dir = format!("crates/{}", lib(i));
    write(
        root,
        &format!("{dir}/Cargo.toml"),
        &format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            lib(i)
        ),
    );
    write(
        root,
        &format!("{dir}/src/lib.rs"),
        &format!("pub fn name() -> &'static str {{\n    \"{}\"\n}}\n", lib(i)),
    );
}

/// `init --yes --stdout --project <app>` on the workspace root.
fn dockerfile(root: &Path, project: &str) -> String {
    let out = dockgen(&["init", "--yes", "--stdout", "--project", project], root);
    assert!(
        out.status.success(),
        "dockgen init failed:\n{}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The bar every generated workspace must pass.
fn check_scale(
    name: &str,
    generate: impl Fn(&Path, usize),
    add: impl Fn(&Path, usize),
    project: &str,
) {
    let small = tempfile::tempdir().unwrap();
    generate(small.path(), 9);
    let big = tempfile::tempdir().unwrap();
    generate(big.path(), MEMBERS - 1);
    let at_10 = dockerfile(small.path(), project);
    let at_300 = dockerfile(big.path(), project);
    let count = |d: &str| {
        instructions(d)
            .iter()
            .filter(|(k, _)| ["COPY", "ADD", "RUN"].contains(&k.as_str()))
            .count()
    };
    assert_eq!(
        count(&at_10),
        count(&at_300),
        "{name}: the COPY/ADD/RUN count grows with the members\n{at_300}"
    );
    // lib-001 and lib-002 are the app's own dependencies; no other member may be named.
    for i in 3..MEMBERS {
        assert!(
            !at_300.contains(&lib(i)),
            "{name}: the Dockerfile names member {}\n{at_300}",
            lib(i)
        );
    }
    assert!(
        count(&at_300) < 30,
        "{name}: {} COPY/ADD/RUN instructions\n{at_300}",
        count(&at_300)
    );
    add(big.path(), MEMBERS);
    let at_301 = dockerfile(big.path(), project);
    assert_eq!(
        at_300, at_301,
        "{name}: adding a member changed the Dockerfile"
    );
}

#[test]
fn npm_workspace_of_300_members() {
    check_scale(
        "npm",
        |r, n| node_workspace(r, None, n),
        |r, i| add_node_lib(r, i, "*"),
        "apps/web",
    );
}

#[test]
fn pnpm_workspace_of_300_members() {
    check_scale(
        "pnpm",
        |r, n| node_workspace(r, Some("pnpm@10.12.1"), n),
        |r, i| add_node_lib(r, i, "workspace:*"),
        "apps/web",
    );
}

#[test]
fn yarn_classic_workspace_of_300_members() {
    check_scale(
        "yarn classic",
        |r, n| node_workspace(r, Some("yarn@1.22.22"), n),
        |r, i| add_node_lib(r, i, "*"),
        "apps/web",
    );
}

#[test]
fn yarn_berry_workspace_of_300_members() {
    check_scale(
        "yarn berry",
        |r, n| node_workspace(r, Some("yarn@4.5.3"), n),
        |r, i| add_node_lib(r, i, "*"),
        "apps/web",
    );
}

#[test]
fn bun_workspace_of_300_members() {
    check_scale(
        "bun",
        |r, n| node_workspace(r, Some("bun@1.2.19"), n),
        |r, i| add_node_lib(r, i, "*"),
        "apps/web",
    );
}

#[test]
fn cargo_workspace_of_300_members() {
    check_scale("cargo", cargo_workspace, add_cargo_lib, "crates/app");
}

/// The Dockerfile of a workspace member app copies every member's manifest, without listing them.
#[test]
fn npm_workspace_member_installs_every_manifest() {
    let dir = tempfile::tempdir().unwrap();
    node_workspace(dir.path(), None, 20);
    let d = dockerfile(dir.path(), "apps/web");
    assert!(
        d.contains("FROM node:${NODE_VERSION}-bookworm-slim AS manifests"),
        "{d}"
    );
    // Nothing to build: the production install is the only one, and it gets every manifest.
    assert_eq!(
        d.matches("COPY --from=manifests /manifests/ ./").count(),
        1,
        "{d}"
    );
    assert!(d.contains("--omit=dev --workspace=@ws/web"), "{d}");
}
