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

/// Answers the wizard's questions from a list, keeping the shown value for the others.
struct Script {
    answers: Vec<(&'static str, &'static str)>,
    shown: Vec<(String, String)>,
}

impl dockgen::wizard::Prompter for Script {
    fn text(&mut self, q: &dockgen::wizard::TextQuestion<'_>) -> dockgen::error::Result<String> {
        self.shown
            .push((q.message.to_string(), q.initial.to_string()));
        assert!((q.check)(q.initial).is_ok(), "the shown value is accepted");
        Ok(match self.answers.iter().find(|(m, _)| *m == q.message) {
            Some((_, a)) => a.to_string(),
            None => q.initial.to_string(),
        })
    }

    fn select(
        &mut self,
        message: &str,
        _options: &[String],
        start: usize,
        _help: Option<&str>,
    ) -> dockgen::error::Result<usize> {
        self.shown.push((message.to_string(), start.to_string()));
        Ok(start)
    }

    fn confirm(
        &mut self,
        _message: &str,
        default: bool,
        _help: Option<&str>,
    ) -> dockgen::error::Result<bool> {
        Ok(default)
    }
}

#[test]
fn the_wizard_shows_what_detection_found_and_its_answers_reach_the_plan() {
    let tmp = project("php-slim");
    let dir = tmp.path();
    let interview = |answers: &[(&'static str, &'static str)]| {
        let mut script = Script {
            answers: answers.to_vec(),
            shown: Vec::new(),
        };
        let got = dockgen::wizard::interview(
            dir,
            &dockgen::plan::Choices::default(),
            &mut script,
            &mut Vec::new(),
            dockgen::wizard::Style { color: false },
        )
        .expect("the interview ends");
        (got, script.shown)
    };
    let (defaults, shown) = interview(&[]);
    assert_eq!(defaults.choices, dockgen::plan::Choices::default());
    let asked: Vec<(&str, &str)> = shown
        .iter()
        .map(|(q, v)| (q.as_str(), v.as_str()))
        .collect();
    assert!(asked.contains(&("Runtime version:", "8.5")), "{asked:?}");
    assert!(asked.contains(&("Port:", "8080")), "{asked:?}");
    assert!(asked.contains(&("Health-check path:", "/")), "{asked:?}");
    assert!(
        !asked.iter().any(|(q, _)| *q == "Runtime image:"),
        "only one runtime image applies, so it is not asked: {asked:?}"
    );

    let (changed, _) = interview(&[("Runtime version:", "8.3"), ("Port:", "9000")]);
    assert_eq!(changed.choices.runtime_version.as_deref(), Some("8.3"));
    assert_eq!(changed.choices.port, Some(9000));
    let (yes, _) = run(
        dir,
        &[
            "init",
            "--stdout",
            "--runtime-version",
            "8.3",
            "--port",
            "9000",
            ".",
        ],
        0,
    );
    let planned = dockgen::generate(dir, &changed.choices).unwrap();
    assert_eq!(planned.dockerfile.contents, yes);
}
