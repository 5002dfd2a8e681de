//! Java behaviour the fixture cases cannot express (they always write to the root or `--project`):
//! choosing a module on its own or with `--bin`, the runtime flavours, version and start overrides.
//! Each test runs the real binary on a temporary copy of a fixture under `tests/fixtures/java/`.

mod common;

use std::path::Path;

use common::*;

fn fixture(name: &str) -> tempfile::TempDir {
    temp_copy(&fixtures_dir().join("java").join(name))
}

/// Runs `dockgen init --yes ARGS .` in `dir`, asserting success, and returns the Dockerfile at `rel`.
fn init_ok(dir: &Path, args: &[&str], rel: &str) -> String {
    let mut all = vec!["init", "--yes"];
    all.extend(args);
    all.push(".");
    let out = dockgen(&all, dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dockerfile = std::fs::read_to_string(dir.join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}\n{}", text(&out.stderr)));
    let bad = dockerfile_violations(&dockerfile);
    assert!(bad.is_empty(), "{bad:#?}\n{dockerfile}");
    dockerfile
}

fn init_err(dir: &Path, args: &[&str]) -> String {
    let before = tree_state(dir);
    let mut all = vec!["init", "--yes"];
    all.extend(args);
    all.push(".");
    let out = dockgen(&all, dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(tree_state(dir), before, "a failing run wrote something");
    text(&out.stderr)
}

/// The value of the last instruction `kw` (continuation lines joined).
fn last(dockerfile: &str, kw: &str) -> String {
    instructions(dockerfile)
        .into_iter()
        .filter(|(k, _)| k == kw)
        .map(|(_, rest)| rest)
        .next_back()
        .unwrap_or_default()
}

#[test]
fn the_only_application_module_is_chosen_and_written_next_to_it() {
    let dir = fixture("gradle-multi-module");
    let dockerfile = init_ok(dir.path(), &[], "app/Dockerfile");
    assert!(dir.path().join("app/Dockerfile.dockerignore").is_file());
    assert!(!dir.path().join("Dockerfile").exists());
    assert!(dockerfile.contains("sh ./gradlew --no-daemon :app:bootJar"));
    // Every project's build file, through the manifests stage (no list of projects).
    assert!(dockerfile.contains("-name build.gradle.kts"));
    assert!(dockerfile.contains("COPY --from=manifests /manifests/ ./"));
}

#[test]
fn bin_names_the_module_to_build() {
    let dir = fixture("maven-two-apps");
    let dockerfile = init_ok(dir.path(), &["--bin", "exporter"], "exporter/Dockerfile");
    assert!(dockerfile.contains("--projects exporter --also-make package"));
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-cp", "/app/app.jar:/app/lib/*", "com.example.exporter.Exporter"]"#
    );
    // Both module poms are needed to resolve the reactor, even though one module is built: the
    // manifests stage keeps every pom.xml.
    assert!(dockerfile.contains("-name pom.xml"));
    assert!(dockerfile.contains("COPY --from=manifests /manifests/ ./"));
}

#[test]
fn an_unknown_bin_lists_the_modules() {
    let dir = fixture("maven-two-apps");
    let stderr = init_err(dir.path(), &["--bin", "reporter"]);
    assert!(stderr.contains("--bin reporter"), "{stderr}");
    assert!(stderr.contains("importer, exporter"), "{stderr}");
}

#[test]
fn a_module_that_only_inherits_the_boot_parent_is_a_plain_program() {
    let dir = fixture("maven-multi-module");
    let dockerfile = init_ok(dir.path(), &["--project", "worker"], "worker/Dockerfile");
    assert!(dockerfile.contains("dependency:copy-dependencies -DincludeScope=runtime"));
    assert_eq!(last(&dockerfile, "HEALTHCHECK"), "NONE");
    assert!(!dockerfile.contains("EXPOSE"));
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-cp", "/app/app.jar:/app/lib/*", "com.example.bank.worker.Worker"]"#
    );
}

#[test]
fn start_makes_a_library_without_main_class_buildable() {
    let dir = fixture("no-main-class");
    let dockerfile = init_ok(
        dir.path(),
        &[
            "--start",
            "java -cp '/app/app.jar:/app/lib/*' com.example.util.Tool",
        ],
        "Dockerfile",
    );
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-cp", "/app/app.jar:/app/lib/*", "com.example.util.Tool"]"#
    );
    assert!(dockerfile.contains("COPY --from=build /out/lib/ ./lib/"));
}

#[test]
fn alpine_runtime_uses_its_own_wget_and_busybox_adduser() {
    let dir = fixture("maven-wrapper-boot-actuator");
    let dockerfile = init_ok(dir.path(), &["--base", "alpine"], "Dockerfile");
    assert!(dockerfile.contains("FROM eclipse-temurin:${JAVA_VERSION}-jre-alpine AS runtime"));
    assert!(dockerfile.contains("adduser -S -D -H -u 10001"));
    assert!(!dockerfile.contains("busybox:"));
    assert!(last(&dockerfile, "HEALTHCHECK").ends_with(
        r#"CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8081/actuator/health"]"#
    ));
}

#[test]
fn distroless_keeps_its_nonroot_user_and_scratch_is_refused() {
    let dir = fixture("maven-wrapper-boot-actuator");
    let dockerfile = init_ok(dir.path(), &["--base", "distroless"], "Dockerfile");
    assert!(dockerfile.contains("FROM gcr.io/distroless/java${JAVA_VERSION}-debian13:nonroot"));
    // The nonroot image cannot write the class-data archive next to the application.
    assert!(!dockerfile.contains("ArchiveClassesAtExit"));
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-jar", "/app/application.jar"]"#
    );
    assert_eq!(last(&dockerfile, "USER"), "65532:65532");
    assert!(
        !dockerfile.contains("useradd"),
        "distroless has no shell to run useradd"
    );
    assert!(dockerfile.contains("COPY --from=busybox /bin/busybox /busybox"));

    let dir = fixture("spring-boot-2");
    let stderr = init_err(dir.path(), &["--base", "distroless"]);
    assert!(stderr.contains("Java 17, 21, 25 only, not 11"), "{stderr}");
    let stderr = init_err(dir.path(), &["--base", "scratch"]);
    assert!(stderr.contains("needs a Java runtime"), "{stderr}");
}

#[test]
fn spring_boot_3_3_runs_the_extracted_jar_with_a_training_run_cds_before_25_aot_cache_after() {
    let dir = fixture("maven-wrapper-boot-actuator");
    let dockerfile = init_ok(dir.path(), &[], "Dockerfile");
    assert!(dockerfile.contains(
        "RUN [\"java\", \"-XX:ArchiveClassesAtExit=/app/application.jsa\", \"-Dspring.context.exit=onRefresh\", \"-jar\", \"/app/application.jar\"]"
    ));
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-XX:SharedArchiveFile=/app/application.jsa", "-jar", "/app/application.jar"]"#
    );
    let dir = fixture("maven-wrapper-boot-actuator");
    let dockerfile = init_ok(dir.path(), &["--runtime-version", "25"], "Dockerfile");
    assert!(dockerfile.contains(
        "\"-XX:AOTCacheOutput=/app/application.aot\", \"-Dspring.context.exit=onRefresh\""
    ));
    assert_eq!(
        last(&dockerfile, "ENTRYPOINT"),
        r#"["java", "-XX:AOTCache=/app/application.aot", "-jar", "/app/application.jar"]"#
    );
    // A start command of the user's own gets no archive flag it did not ask for.
    let dir = fixture("maven-wrapper-boot-actuator");
    let dockerfile = init_ok(
        dir.path(),
        &["--start", "java -jar /app/application.jar --debug"],
        "Dockerfile",
    );
    assert!(!dockerfile.contains("ArchiveClassesAtExit"));
}

#[test]
fn runtime_version_overrides_and_is_checked() {
    let dir = fixture("plain-jar");
    let dockerfile = init_ok(dir.path(), &["--runtime-version", "25"], "Dockerfile");
    assert!(dockerfile.contains("ARG JAVA_VERSION=25\n"));

    let stderr = init_err(dir.path(), &["--runtime-version", "7"]);
    assert!(stderr.contains("start at Java 8"), "{stderr}");
    let stderr = init_err(dir.path(), &["--runtime-version", "21\nRUN id"]);
    assert!(stderr.contains("not a plain version"), "{stderr}");
}

#[test]
fn a_port_turns_on_the_health_check_of_a_program_without_framework() {
    let dir = fixture("plain-jar");
    let dockerfile = init_ok(dir.path(), &["--port", "8080"], "Dockerfile");
    assert_eq!(last(&dockerfile, "EXPOSE"), "8080");
    assert!(last(&dockerfile, "HEALTHCHECK").contains("http://127.0.0.1:8080/"));
}

#[test]
fn package_manager_settles_a_directory_with_both_builds() {
    let dir = fixture("maven-and-gradle");
    for pm in ["maven", "gradle"] {
        let out = dockgen(
            &["detect", "--json", "--package-manager", pm, "."],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["projects"][0]["package_manager"], pm);
    }
}
