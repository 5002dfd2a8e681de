//! Plans the Dockerfile of a Java project.
//!
//! Shape: a build stage on the JDK (the Maven or Gradle image when the project has no wrapper)
//! copies the build files, resolves dependencies into a BuildKit cache mount, then copies the source
//! and packages with the same mounts (files in a cache mount are not in the image, so every step that
//! needs them mounts them again). Everything the runtime needs is gathered under `/out`; the runtime
//! stage on the JRE copies it in layers that change at different rates (dependencies before
//! application classes) and starts the JVM directly as PID 1.

use serde::Serialize;
use serde_json::json;

use super::detect::{
    BuildTool, JavaDetails, JavaFacts, JavaSettings, Packaging, java_release, settings,
};
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::stage::Mount;
use crate::plan::{
    BuildArg, BuildPlan, BuildSecret, Choices, Flavor, HealthCheck, RuntimeUser, busybox_arg,
    chosen_health_path, chosen_port, chosen_version, standard_labels,
};
use crate::rules::Rules;
use crate::{safe, versions};

/// A `COPY` in the build or runtime stage.
#[derive(Debug, Clone, Serialize)]
struct Copy {
    src: Vec<String>,
    dest: String,
}

/// The layer directories of a Spring Boot jar, least likely to change first.
const BOOT_LAYERS: [&str; 4] = [
    "dependencies",
    "spring-boot-loader",
    "snapshot-dependencies",
    "application",
];

pub fn plan(project: &Project, d: &JavaDetails, choices: &Choices) -> Result<BuildPlan> {
    let s = settings();
    let rules = super::rules();
    let mut notes = d.notes.clone();

    // Java release → image tags: detection chose the line (data/versions.toml); a
    // --runtime-version is taken as given, with a warning when its line is out of support.
    let (version, major) = java_version(project, choices, s)?;
    if choices.runtime_version.is_some() {
        let pin =
            versions::family("java").exact(&version, "--runtime-version", versions::Date::today());
        notes.extend(pin.warning);
    }

    // How the image starts, and what the build must leave behind for it.
    let (packaging, entrypoint) = start(project, d, choices)?;

    // Images.
    let mut args = vec![BuildArg {
        name: "JAVA_VERSION".into(),
        value: version.clone(),
    }];
    let build_image = match (d.tool, d.wrapper) {
        (_, true) => s.build_image.clone(),
        (BuildTool::Maven, false) => {
            args.push(BuildArg {
                name: "MAVEN_VERSION".into(),
                value: safe::version(d.tool_version.as_deref().unwrap_or(&s.maven_version))?,
            });
            s.maven_image.clone()
        }
        (BuildTool::Gradle, false) => {
            args.push(BuildArg {
                name: "GRADLE_VERSION".into(),
                value: safe::version(d.tool_version.as_deref().unwrap_or(&s.gradle_version))?,
            });
            s.gradle_image.clone()
        }
    };
    let flavor = choices.base.unwrap_or(Flavor::Slim);
    // The Temurin JRE images have wget (GNU on Ubuntu, busybox's on Alpine); only distroless
    // needs busybox's static one.
    let (runtime_image, user, http_client) = match flavor {
        Flavor::Slim => (
            s.runtime_image.clone(),
            RuntimeUser::debian(s.uid),
            HttpClient::Native,
        ),
        Flavor::Alpine => (
            s.alpine_runtime_image.clone(),
            RuntimeUser::alpine(s.uid),
            HttpClient::Native,
        ),
        Flavor::Scratch => {
            return Err(Error::Usage(
                "--base scratch: a Java application needs a Java runtime; use slim (the Temurin \
                 JRE, default), alpine or distroless"
                    .into(),
            ));
        }
        Flavor::Distroless => {
            let distroless = versions::family("distroless-java");
            if distroless.line_info(&major.to_string()).is_none() {
                let lines: Vec<&str> = distroless
                    .lines
                    .iter()
                    .map(|l| l.version.as_str())
                    .collect();
                return Err(Error::Usage(format!(
                    "--base distroless: there is a distroless Java image (Debian 13) for Java {} only, \
                     not {major}",
                    lines.join(", ")
                )));
            }
            (
                s.distroless_runtime_image.clone(),
                RuntimeUser::existing(65532),
                HttpClient::Busybox,
            )
        }
    };

    // Port and health check.
    let port = chosen_port(project, choices);
    let healthcheck = healthcheck(d, choices, port, flavor, http_client)?;
    if matches!(healthcheck, HealthCheck::Cmd { .. }) && http_client == HttpClient::Busybox {
        args.push(busybox_arg());
    }
    let busybox = args.iter().any(|a| a.name == "BUSYBOX_VERSION");

    // Build commands.
    let (resolve, package, artifact_dir, best_effort) = build_commands(d, &packaging)?;

    let (mounts, secret_id, secret_src) = build_mounts(d, rules);

    // Build files first, grouped by destination directory.
    // A multi-module build: the modules' build files come from the manifests stage, so the
    // Dockerfile does not list them.
    let (build_files, manifest_stage) = crate::plan::split_manifests(
        &d.build_files,
        &build_image,
        &["Java: the dependency step reads the root build files and every module's."],
    )?;
    let build_copies = build_copies(&build_files, d)?;

    // What the build leaves in /out, and how the runtime stage copies it.
    let (collect, runtime_kind, runtime_copies, extract) = runtime_layout(&packaging)?;

    let (training, training_skipped) = training(d, &packaging, choices, flavor, major);
    if let Some(why) = &training_skipped {
        notes.push(format!(
            "{why} The image starts without a class-data archive."
        ));
    }
    let mut entrypoint = entrypoint;
    let training_argv: Option<Vec<String>> = training.as_ref().map(|t| {
        entrypoint.insert(1, t.use_flag.to_string());
        let mut argv = entrypoint.clone();
        argv[1] = t.record.to_string();
        argv.insert(2, "-Dspring.context.exit=onRefresh".into());
        argv
    });
    let libs_dir = match &d.module {
        Some(m) => format!("{}/build/libs", safe::path(m, "module")?),
        None => "build/libs".into(),
    };

    let mut copies = vec![".".to_string()];
    copies.extend(d.build_files.iter().cloned());
    copies.extend(d.build_dirs.iter().cloned());
    copies.extend(d.keep.iter().cloned());
    let out_dir = match d.tool {
        BuildTool::Maven => "target",
        BuildTool::Gradle => "build",
    };
    let mut ignore = vec![out_dir.to_string()];
    ignore.extend(d.module_dirs.iter().map(|m| format!("{m}/{out_dir}")));

    let build_stage = match (d.tool, d.wrapper) {
        (BuildTool::Maven, true) => {
            "the JDK compiles and packages; ./mvnw downloads the Maven version it pins"
        }
        (BuildTool::Maven, false) => {
            "the official Maven image (the same Temurin JDK plus Maven), as there is no ./mvnw"
        }
        (BuildTool::Gradle, true) => {
            "the JDK compiles and packages; ./gradlew downloads the Gradle version it pins"
        }
        (BuildTool::Gradle, false) => {
            "the official Gradle image (the same Temurin JDK plus Gradle), as there is no ./gradlew"
        }
    };
    if project.framework.is_none() && choices.port.is_none() && port.is_none() {
        notes.push(
            "no web framework detected: the image has no EXPOSE and HEALTHCHECK NONE; pass --port \
             if the application serves HTTP"
                .into(),
        );
    }

    Ok(BuildPlan {
        ecosystem: super::ECOSYSTEM,
        project_path: project.path.clone(),
        args,
        labels: standard_labels(project),
        user,
        port,
        healthcheck,
        entrypoint,
        cmd: Vec::new(),
        env: std::iter::once(("JAVA_TOOL_OPTIONS".to_string(), s.jvm_options.clone()))
            .chain(d.listen_env.iter().cloned())
            .collect(),
        vars: json!({
            "tool": d.tool.id(),
            "build_stage": build_stage,
            "build_image": build_image,
            "runtime_image": runtime_image,
            "build_copies": build_copies,
            "manifest_stage": manifest_stage,
            "mounts": mounts,
            "resolve": resolve,
            "resolve_best_effort": best_effort,
            "package": package,
            "secret_id": secret_id,
            "secret_src": secret_src,
            "collect": collect,
            "artifact_dir": artifact_dir,
            "extract": extract,
            "training": training.as_ref().map(|t| json!({ "kind": t.kind })),
            "training_argv": training_argv,
            "training_skipped": training_skipped.as_deref().map(|t| wrap(t, 98)),
            "libs_dir": libs_dir,
            "runtime_kind": runtime_kind,
            "runtime_copies": runtime_copies,
            "busybox": busybox,
        }),
        copies,
        ignore,
        notes,
        secrets: vec![BuildSecret::new(secret_id, secret_src)],
        choices: choices.clone(),
    })
}

/// What [`runtime_layout`] decides: (`collect`, runtime kind, runtime copies, layer extraction).
type RuntimeLayout = (
    &'static str,
    &'static str,
    Vec<Copy>,
    Option<serde_json::Value>,
);

/// The Java release (`--runtime-version`, the build's, else the default) and its major number.
fn java_version(project: &Project, choices: &Choices, s: &JavaSettings) -> Result<(String, u32)> {
    let version = chosen_version(project, choices, &versions::family("java").default)?;
    let major: u32 = java_release(&version)
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| {
            Error::Usage(format!(
                "Java version {version:?} is not a Java release number (such as 17 or 21)"
            ))
        })?;
    if major < s.min_java {
        return Err(Error::Usage(format!(
            "Java {version}: eclipse-temurin images start at Java {}; raise the release in the build \
             or pass --runtime-version {}",
            s.min_java, s.min_java
        )));
    }
    Ok((version, major))
}

/// How the image starts (the entrypoint) and what the build must leave behind for it.
fn start(project: &Project, d: &JavaFacts, choices: &Choices) -> Result<(Packaging, Vec<String>)> {
    let packaging = match (&d.packaging, &choices.start) {
        (Packaging::Unknown { reason }, None) => {
            return Err(Error::Usage(format!(
                "cannot tell how to start {} ({}): {reason}.\nPass --start with the command to run \
                 (the image holds /app/app.jar and its runtime dependencies in /app/lib/), or add the \
                 configuration dockgen looks for.",
                project.name,
                if project.path == "." {
                    "the root project".to_string()
                } else {
                    format!("module {}", project.path)
                }
            )));
        }
        (Packaging::Unknown { .. }, Some(_)) if d.tool == BuildTool::Gradle => {
            return Err(Error::Usage(format!(
                "{}: no Spring Boot, Quarkus or application plugin and no Main-Class manifest, so \
                 dockgen does not know which Gradle task makes the runnable artifact. Apply the \
                 `application` plugin with a mainClass (dockgen then uses installDist).",
                project.name
            )));
        }
        (Packaging::Unknown { .. }, Some(_)) => Packaging::ThinJar {
            main_class: String::new(),
            manifest: false,
        },
        (p, _) => p.clone(),
    };
    let entrypoint = match &choices.start {
        Some(start) => start
            .iter()
            .map(|w| safe::text(w, "--start word"))
            .collect::<Result<Vec<_>>>()?,
        None => packaging
            .start_command()
            .ok_or_else(|| Error::Internal("known packaging without a command".into()))?,
    };
    Ok((packaging, entrypoint))
}

/// The health check: an HTTP probe with the runtime image's client when something serves HTTP.
fn healthcheck(
    d: &JavaFacts,
    choices: &Choices,
    port: Option<u16>,
    flavor: Flavor,
    http_client: HttpClient,
) -> Result<HealthCheck> {
    Ok(if choices.no_healthcheck {
        HealthCheck::disabled()
    } else if let (Some(reason), None) = (&d.serves_nothing, choices.port) {
        HealthCheck::None {
            reason: reason.clone(),
        }
    } else if let Some(port) = port {
        let path = chosen_health_path(choices, d.health_path.as_deref().unwrap_or("/"))?;
        let health_port = d.health_port.unwrap_or(port);
        // No health route known: `/` may well be a 404, so any answer below 500 counts as up
        // (wget -S prints the status line, grep checks it; plain wget fails on any 4xx).
        let guessed = choices.health_path.is_none() && d.health_path.is_none();
        let url = format!("http://127.0.0.1:{health_port}{path}");
        let wget = if flavor == Flavor::Alpine {
            "The JRE image's own wget (busybox's, on Alpine)"
        } else {
            "The JRE image's own wget"
        };
        match http_client {
            // Distroless: busybox's own sh runs the same status check (the image has no shell).
            HttpClient::Busybox if guessed => {
                let mut check = HealthCheck::busybox_any_answer("/busybox", health_port, &path);
                if let HealthCheck::Cmd { comment, .. } = &mut check {
                    *comment = format!(
                        "No shell or wget in this image: a static busybox (from the busybox stage) requests {path}; the source names no health route, so any answer below 500 means the server is up (plain wget fails on a 404)."
                    );
                }
                check
            }
            HttpClient::Busybox => HealthCheck::busybox_wget(health_port, &path),
            HttpClient::Native if guessed => HealthCheck::Cmd {
                argv: vec![
                    "sh".into(),
                    "-c".into(),
                    format!("wget -q -S -O /dev/null {url} 2>&1 | grep -q '^  HTTP/[0-9.]* [1-4]'"),
                ],
                comment: format!(
                    "{wget} requests {path}; no health route is known, so any answer below 500 \
                     means the server is up (plain wget fails on a 404)."
                ),
                path: path.to_string(),
            },
            HttpClient::Native => HealthCheck::Cmd {
                argv: ["wget", "-q", "-O", "/dev/null", &url]
                    .map(String::from)
                    .to_vec(),
                comment: format!("{wget} requests {path}."),
                path: path.to_string(),
            },
        }
    } else {
        HealthCheck::None {
            reason: "No web framework detected, so nothing is known to serve HTTP (pass --port \
                     if it does)."
                .into(),
        }
    })
}

/// The build tool's commands: resolve the dependencies, package the application; where the
/// artifact lands, and whether the resolve step may fail (a multi-module Maven build).
fn build_commands(
    d: &JavaFacts,
    packaging: &Packaging,
) -> Result<(Vec<String>, Vec<String>, String, bool)> {
    let module = match &d.module {
        Some(m) => Some(safe::path(m, "module")?),
        None => None,
    };
    let base = module.clone().unwrap_or_else(|| ".".into());
    let under = |rel: &str| {
        if base == "." {
            rel.to_string()
        } else {
            format!("{base}/{rel}")
        }
    };
    let tool_cmd: Vec<String> = match (d.tool, d.wrapper) {
        // Through `sh`: a wrapper checked out without its executable bit still runs.
        (BuildTool::Maven, true) => vec!["sh".into(), "./mvnw".into()],
        (BuildTool::Maven, false) => vec!["mvn".into()],
        (BuildTool::Gradle, true) => vec!["sh".into(), "./gradlew".into()],
        (BuildTool::Gradle, false) => vec!["gradle".into()],
    };
    let (resolve, package, artifact_dir, best_effort) = match d.tool {
        BuildTool::Maven => {
            let mut resolve = tool_cmd.clone();
            resolve.push("--batch-mode".into());
            if d.multi_module {
                resolve.push("--fail-never".into());
            }
            resolve.push("dependency:go-offline".into());
            let mut package = tool_cmd.clone();
            package.extend(["--batch-mode".into(), "-DskipTests".into()]);
            if let Some(m) = &module {
                package.extend(["--projects".into(), m.clone(), "--also-make".into()]);
            }
            package.push("package".into());
            if matches!(packaging, Packaging::ThinJar { .. }) {
                package.extend([
                    "dependency:copy-dependencies".into(),
                    "-DincludeScope=runtime".into(),
                    "-DoutputDirectory=/out/lib".into(),
                ]);
            }
            let dir = match packaging {
                Packaging::QuarkusFastJar => under("target/quarkus-app"),
                _ => under("target"),
            };
            (resolve, package, dir, d.multi_module)
        }
        BuildTool::Gradle => {
            let task = d
                .gradle_task
                .clone()
                .ok_or_else(|| Error::Internal("gradle project without a task".into()))?;
            let deps_task = match &d.gradle_path {
                Some(p) => format!("{p}:dependencies"),
                None => "dependencies".into(),
            };
            let mut resolve = tool_cmd.clone();
            resolve.extend(["--no-daemon".into(), deps_task]);
            let mut package = tool_cmd.clone();
            package.extend(["--no-daemon".into(), task]);
            let dir = match packaging {
                Packaging::QuarkusFastJar => under("build/quarkus-app"),
                Packaging::Distribution { .. } => under("build/install"),
                _ => under("build/libs"),
            };
            (resolve, package, dir, false)
        }
    };
    for w in resolve.iter().chain(&package) {
        safe::text(w, "build command word")?;
    }
    Ok((resolve, package, artifact_dir, best_effort))
}

/// The build steps' mounts (the tool's caches and the credentials secret), with the secret's id
/// and the host file a user passes for it.
fn build_mounts(d: &JavaFacts, rules: &Rules) -> (Vec<Mount>, &'static str, &'static str) {
    let cache_dirs = rules
        .package_manager(d.tool.id())
        .map(|pm| pm.cache_dirs.clone())
        .unwrap_or_default();
    let mut mounts: Vec<Mount> = cache_dirs.iter().map(Mount::cache).collect();
    let (secret_id, secret_target, secret_src) = match d.tool {
        BuildTool::Maven => {
            if d.wrapper {
                mounts.push(Mount::cache("/root/.m2/wrapper"));
            }
            (
                "maven-settings",
                "/root/.m2/settings.xml",
                "$HOME/.m2/settings.xml",
            )
        }
        BuildTool::Gradle => {
            if d.wrapper {
                mounts.push(Mount::cache("/root/.gradle/wrapper"));
            }
            (
                "gradle-properties",
                "/root/.gradle/gradle.properties",
                "$HOME/.gradle/gradle.properties",
            )
        }
    };
    mounts.push(Mount::secret(secret_id, secret_target));
    (mounts, secret_id, secret_src)
}

/// Build files first, grouped by destination directory, then the build-logic directories.
fn build_copies(build_files: &[String], d: &JavaFacts) -> Result<Vec<Copy>> {
    let mut build_copies: Vec<Copy> = Vec::new();
    for f in build_files {
        let f = safe::path(f, "build file")?;
        let dest = match f.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => "./".into(),
        };
        match build_copies.iter_mut().find(|c| c.dest == dest) {
            Some(c) => c.src.push(f),
            None => build_copies.push(Copy { src: vec![f], dest }),
        }
    }
    for dir in &d.build_dirs {
        let dir = safe::path(dir, "build directory")?;
        build_copies.push(Copy {
            src: vec![format!("{dir}/")],
            dest: format!("{dir}/"),
        });
    }
    Ok(build_copies)
}

/// What the build leaves in /out (`collect`), the runtime's kind, how the runtime stage copies it,
/// and the Spring Boot layer extraction when there is one.
fn runtime_layout(packaging: &Packaging) -> Result<RuntimeLayout> {
    let copy = |src: &str, dest: &str| Copy {
        src: vec![src.to_string()],
        dest: dest.to_string(),
    };
    Ok(match packaging {
        Packaging::BootLayers { tools, .. } => (
            "jar",
            "boot",
            BOOT_LAYERS
                .iter()
                .map(|l| copy(&format!("/out/layers/{l}/"), "./"))
                .collect(),
            Some(json!({
                "tools": tools,
                "jar": if *tools { "/out/application.jar" } else { "/out/app.jar" },
                "layers": BOOT_LAYERS,
            })),
        ),
        Packaging::ExecutableJar => ("jar", "jar", vec![copy("/out/app.jar", "./app.jar")], None),
        Packaging::ThinJar { .. } => (
            "jar",
            "thin",
            vec![
                copy("/out/lib/", "./lib/"),
                copy("/out/app.jar", "./app.jar"),
            ],
            None,
        ),
        Packaging::Distribution { .. } => (
            "dist",
            "dist",
            vec![copy("/out/lib/", "./lib/"), copy("/out/app/", "./app/")],
            None,
        ),
        Packaging::QuarkusFastJar => (
            "quarkus",
            "quarkus",
            vec![
                copy("/out/quarkus-app/lib/", "./lib/"),
                copy("/out/quarkus-app/quarkus-run.jar", "./quarkus-run.jar"),
                copy("/out/quarkus-app/app/", "./app/"),
                copy("/out/quarkus-app/quarkus/", "./quarkus/"),
            ],
            None,
        ),
        Packaging::Unknown { .. } => return Err(Error::Internal("unknown packaging".into())),
    })
}

/// A Spring Boot training run: what it is, the flag that records the archive, the flag that uses it.
struct Training {
    kind: &'static str,
    record: &'static str,
    use_flag: &'static str,
}

/// Spring Boot 3.3+ on the extracted layout: a training run in the runtime image (the JVM that will
/// use it) writes a class-data archive that the start then maps, as Spring Boot's container
/// guidance does: the AOT cache on Java 25+, CDS before. Returns the run, or why there is none.
fn training(
    d: &JavaFacts,
    packaging: &Packaging,
    choices: &Choices,
    flavor: Flavor,
    major: u32,
) -> (Option<Training>, Option<String>) {
    if !matches!(packaging, Packaging::BootLayers { tools: true, .. }) || choices.start.is_some() {
        return (None, None);
    }
    if let Some(dep) = &d.training_blocker {
        return (
            None,
            Some(format!(
                "No CDS/AOT training run: it starts the Spring context during the build, and {dep} \
                 needs its database then."
            )),
        );
    }
    if flavor == Flavor::Distroless {
        return (
            None,
            Some(
                "No CDS/AOT training run: the distroless image runs as nonroot and cannot write the \
                 archive next to the application."
                    .into(),
            ),
        );
    }
    let t = if major >= 25 {
        Training {
            kind: "AOT cache",
            record: "-XX:AOTCacheOutput=/app/application.aot",
            use_flag: "-XX:AOTCache=/app/application.aot",
        }
    } else {
        Training {
            kind: "CDS archive",
            record: "-XX:ArchiveClassesAtExit=/app/application.jsa",
            use_flag: "-XX:SharedArchiveFile=/app/application.jsa",
        }
    };
    (Some(t), None)
}

/// Splits `text` into lines of at most `width` characters at spaces (for Dockerfile comments).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HttpClient {
    /// A static busybox copied from the busybox image to `/busybox`.
    Busybox,
    /// The image's own `wget` (GNU wget in the Temurin JRE image, busybox's on Alpine).
    Native,
}
