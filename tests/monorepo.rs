//! Monorepos at scale: workspaces of 300 members, generated here at run time (never committed),
//! through the real binary. The Dockerfile of the app member must have a fixed number of
//! instructions and name no other member, and adding a member must change nothing in it.

mod common;

use std::fs;
use std::path::Path;

use common::{copy_tree, dockgen, fixtures_dir, instructions, text};

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

/// The go-work fixture (two services, a library) with `libs` more library modules in go.work.
fn go_workspace(root: &Path, libs: usize) {
    copy_tree(&fixtures_dir().join("go/go-work"), root);
    for i in 1..=libs {
        add_go_lib(root, i);
    }
}

fn add_go_lib(root: &Path, i: usize) {
    let dir = format!("libs/{}", lib(i));
    write(
        root,
        &format!("{dir}/go.mod"),
        &format!("module example.com/platform/{}\n\ngo 1.23.2\n", lib(i)),
    );
    write(
        root,
        &format!("{dir}/{}.go", lib(i).replace('-', "")),
        &format!(
            "package {}\n\nfunc Name() string {{ return \"{}\" }}\n",
            lib(i).replace('-', ""),
            lib(i)
        ),
    );
    let mut uses: Vec<String> = vec![
        "./services/api".into(),
        "./services/mailer".into(),
        "./libs/common".into(),
    ];
    let mut n = 1;
    while root.join(format!("libs/{}", lib(n))).is_dir() {
        uses.push(format!("./libs/{}", lib(n)));
        n += 1;
    }
    let body: String = uses.iter().map(|u| format!("\t{u}\n")).collect();
    write(root, "go.work", &format!("go 1.23.2\n\nuse (\n{body})\n"));
}

/// The maven-multi-module fixture (core, api, worker) with `libs` more library modules.
fn maven_reactor(root: &Path, libs: usize) {
    copy_tree(&fixtures_dir().join("java/maven-multi-module"), root);
    for i in 1..=libs {
        add_maven_lib(root, i);
    }
}

fn add_maven_lib(root: &Path, i: usize) {
    write(
        root,
        &format!("{}/pom.xml", lib(i)),
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  \
             <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>com.example.bank</groupId>\n    \
             <artifactId>bank-parent</artifactId>\n    <version>1.0.0-SNAPSHOT</version>\n  </parent>\n  \
             <artifactId>bank-{}</artifactId>\n</project>\n",
            lib(i)
        ),
    );
    let pom = fs::read_to_string(root.join("pom.xml")).unwrap();
    let pom = pom.replace(
        "  </modules>",
        &format!("    <module>{}</module>\n  </modules>", lib(i)),
    );
    fs::write(root.join("pom.xml"), pom).unwrap();
}

/// The gradle-multi-module fixture (app, lib) with `libs` more library projects.
fn gradle_build(root: &Path, libs: usize) {
    copy_tree(&fixtures_dir().join("java/gradle-multi-module"), root);
    for i in 1..=libs {
        add_gradle_lib(root, i);
    }
}

fn add_gradle_lib(root: &Path, i: usize) {
    write(
        root,
        &format!("{}/build.gradle.kts", lib(i)),
        "plugins {\n    `java-library`\n}\n",
    );
    let settings = fs::read_to_string(root.join("settings.gradle.kts")).unwrap();
    fs::write(
        root.join("settings.gradle.kts"),
        format!("{settings}include(\"{}\")\n", lib(i)),
    )
    .unwrap();
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

#[test]
fn go_workspace_of_300_modules() {
    check_scale("go.work", go_workspace, add_go_lib, "services/api");
}

#[test]
fn maven_reactor_of_300_modules() {
    check_scale("maven", maven_reactor, add_maven_lib, "api");
}

#[test]
fn gradle_build_of_300_projects() {
    check_scale("gradle", gradle_build, add_gradle_lib, "app");
}

/// The Dockerfile of a workspace member app copies every member's manifest, without listing them.
#[test]
fn npm_workspace_member_installs_every_manifest() {
    let dir = tempfile::tempdir().unwrap();
    node_workspace(dir.path(), None, 20);
    let d = dockerfile(dir.path(), "apps/web");
    assert!(
        d.contains("node:${NODE_VERSION}-trixie-slim AS manifests"),
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

/// `init --all --yes` writes every deployable member; one that fails is reported, nothing of it is
/// written, the others are, and the run exits 2.
#[test]
fn init_all_writes_every_member_and_reports_the_one_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    node_workspace(dir.path(), None, 5);
    let ok = dockgen(&["init", "--all", "--yes"], dir.path());
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(dir.path().join("apps/web/Dockerfile").is_file());
    assert!(
        text(&ok.stderr).contains("1 of 1 projects written"),
        "{}",
        text(&ok.stderr)
    );

    // A Next.js member without a build script cannot be planned.
    write(
        dir.path(),
        "apps/site/package.json",
        r#"{"name": "@ws/site", "private": true, "dependencies": {"next": "15.0.0"}}"#,
    );
    fs::remove_file(dir.path().join("apps/web/Dockerfile")).unwrap();
    let out = dockgen(&["init", "--all", "--yes", "--force"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: apps/site:"), "{stderr}");
    assert!(
        stderr.contains("1 of 2 projects written, 1 failed"),
        "{stderr}"
    );
    assert!(dir.path().join("apps/web/Dockerfile").is_file());
    assert!(!dir.path().join("apps/site/Dockerfile").exists());
    assert!(!dir.path().join("apps/site/dockgen.toml").exists());

    // --all picks every project: --project contradicts it.
    let both = dockgen(
        &["init", "--all", "--yes", "--project", "apps/web"],
        dir.path(),
    );
    assert_eq!(both.status.code(), Some(2));
}
