//! PHP behaviour the fixture cases cannot express: regeneration after the project changes, and the
//! flags that do not apply to the Apache runtime.

mod common;

use std::path::Path;

use common::*;

fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dockgen-php-")
        .tempdir()
        .unwrap();
    copy_tree(&fixtures_dir().join("regen").join(name), dir.path());
    dir
}

fn run(dir: &Path, args: &[&str], code: i32) -> (String, String) {
    let out = dockgen(args, dir);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(code),
        "dockgen {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stdout, stderr)
}

const USER_LINE: &str = "RUN a2enmod headers";

#[test]
fn a_new_extension_and_php_version_regenerate_around_the_users_edit() {
    let tmp = project("php-slim");
    let dir = tmp.path();
    run(dir, &["init", "--yes", "."], 0);
    let first = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(first.contains("ARG PHP_VERSION=8.5"), "{first}");
    assert!(!first.contains("docker-php-ext-install"), "{first}");

    // The user enables an Apache module in the runtime stage.
    let edited = first.replace(
        "FROM base AS runtime\n",
        &format!("FROM base AS runtime\n{USER_LINE}\n"),
    );
    assert_ne!(edited, first);
    std::fs::write(dir.join("Dockerfile"), &edited).unwrap();
    run(dir, &["check", "."], 0);

    // The project now needs intl and pins PHP 8.3.
    copy_tree(&fixtures_dir().join("regen").join("php-slim-to-intl"), dir);
    let (_, stderr) = run(dir, &["check", "."], 1);
    assert!(stderr.contains("runtime version 8.5 → 8.3"), "{stderr}");
    assert!(stderr.contains(".php-version"), "{stderr}");

    run(dir, &["regen", "."], 0);
    let merged = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert!(
        merged.contains(USER_LINE),
        "the user's line was lost:\n{merged}"
    );
    assert!(merged.contains("ARG PHP_VERSION=8.3"), "{merged}");
    assert!(
        merged.contains("docker-php-ext-install -j\"$(nproc)\" intl"),
        "{merged}"
    );
    assert!(merged.contains("libicu-dev"), "{merged}");
    let violations = dockerfile_violations(&merged);
    assert!(violations.is_empty(), "{violations:#?}\n{merged}");
    run(dir, &["check", "."], 0);
}

#[test]
fn other_runtime_images_are_refused_and_the_health_check_can_be_dropped() {
    let tmp = project("php-slim");
    let dir = tmp.path();
    let (_, stderr) = run(dir, &["init", "--stdout", "--base", "alpine", "."], 2);
    assert!(stderr.contains("only --base slim applies"), "{stderr}");
    assert!(!dir.join("Dockerfile").exists());

    let (stdout, _) = run(
        dir,
        &[
            "init",
            "--stdout",
            "--no-healthcheck",
            "--port",
            "9000",
            ".",
        ],
        0,
    );
    assert!(stdout.contains("HEALTHCHECK NONE"), "{stdout}");
    assert!(stdout.contains("'Listen 9000'"), "{stdout}");
    assert!(stdout.contains("<VirtualHost *:9000>"), "{stdout}");
    assert!(stdout.contains("EXPOSE 9000"), "{stdout}");
}
