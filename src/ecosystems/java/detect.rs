//! Java projects built with Maven (`pom.xml`) or Gradle (`build.gradle[.kts]`, `settings.gradle[.kts]`).
//!
//! The build tool's files are read as untrusted input: `pom.xml` through an XML parser, Gradle scripts
//! through a small scanner that knows strings, comments and brackets (enough to find plugin ids,
//! coordinates, the toolchain and the main class, and to report an unbalanced brace or quote with its
//! line). A multi-module build reports every module that produces an application; the planner builds
//! the chosen one from the root of the build.

mod appconfig;
mod gradle;
mod maven;

use std::sync::OnceLock;

use serde::Deserialize;

use crate::detect::{Details, DetectOptions, Evidence, Project};
use crate::error::{Candidate, Error, Result};
use crate::source::{ProjectDir, SourceText};

/// The build tool of a Java project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildTool {
    Maven,
    Gradle,
}

impl BuildTool {
    pub fn id(self) -> &'static str {
        match self {
            BuildTool::Maven => "maven",
            BuildTool::Gradle => "gradle",
        }
    }
}

/// What the build produces and how the runtime image starts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packaging {
    /// A Spring Boot jar split into its layers. `tools` means Boot ≥ 3.3 (`-Djarmode=tools`),
    /// otherwise `-Djarmode=layertools`; `launcher` is the loader's main class.
    BootLayers { tools: bool, launcher: String },
    /// A self-contained jar started with `java -jar` (shaded jar, Spring Boot without layers, ...).
    ExecutableJar,
    /// A plain jar with its runtime dependencies next to it in `lib/` (Maven only). `manifest`
    /// means the jar's own manifest names the main class and lists `lib/` on its class path.
    ThinJar { main_class: String, manifest: bool },
    /// Gradle's `application` plugin: `installDist` puts the jar and its dependencies in `lib/`.
    Distribution { main_class: String },
    /// Quarkus fast-jar: `quarkus-app/` with `quarkus-run.jar`, `lib/`, `app/`, `quarkus/`.
    QuarkusFastJar,
    /// Nothing in the build says how to start it; the reason says what was looked for.
    Unknown { reason: String },
}

impl Packaging {
    /// The runtime command, for images that keep the application under `/app`.
    pub fn start_command(&self) -> Option<Vec<String>> {
        let words: Vec<&str> = match self {
            // Boot 3.3+: the extracted jar (application.jar, its dependencies in lib/) starts with
            // `java -jar`; before, the exploded launcher layout starts with the launcher class.
            Packaging::BootLayers { tools: true, .. } => {
                vec!["java", "-jar", "/app/application.jar"]
            }
            Packaging::BootLayers { launcher, .. } => vec!["java", launcher],
            Packaging::ExecutableJar => vec!["java", "-jar", "/app/app.jar"],
            Packaging::ThinJar {
                manifest: true,
                main_class: _,
            } => vec!["java", "-jar", "/app/app.jar"],
            Packaging::ThinJar {
                main_class,
                manifest: false,
            } => vec!["java", "-cp", "/app/app.jar:/app/lib/*", main_class],
            // installDist's lib/, split: the project's own jars in app/, dependencies in lib/.
            Packaging::Distribution { main_class } => {
                vec!["java", "-cp", "/app/app/*:/app/lib/*", main_class]
            }
            Packaging::QuarkusFastJar => vec![
                "java",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar",
                "/app/quarkus-run.jar",
            ],
            Packaging::Unknown { .. } => return None,
        };
        Some(words.into_iter().map(str::to_string).collect())
    }

    fn is_known(&self) -> bool {
        !matches!(self, Packaging::Unknown { .. })
    }
}

/// Java-specific facts for the planner (boxed: they are large next to the other ecosystems' details).
#[derive(Debug, Clone)]
pub struct JavaDetails(Box<JavaFacts>);

impl std::ops::Deref for JavaDetails {
    type Target = JavaFacts;

    fn deref(&self) -> &JavaFacts {
        &self.0
    }
}

/// What the Java planner needs to know about the build.
#[derive(Debug, Clone)]
pub struct JavaFacts {
    pub tool: BuildTool,
    /// `./mvnw` / `./gradlew` with its wrapper files is present and used.
    pub wrapper: bool,
    /// Maven or Gradle version for the tool image when there is no wrapper (from a wrapper
    /// properties file without its script), else `None` (the data default is used).
    pub tool_version: Option<String>,
    /// The module to build, relative to the build root; `None` when the root is the application.
    pub module: Option<String>,
    /// Gradle's path of the module (`:app`, `:services:api`); `None` at the root.
    pub gradle_path: Option<String>,
    /// Whether the build has modules (Maven `<modules>`, Gradle `include`).
    pub multi_module: bool,
    /// Build files copied before dependencies are resolved, in copy order (context-relative).
    pub build_files: Vec<String>,
    /// Directories copied with the build files (`.mvn`, `gradle`, `buildSrc`, included builds).
    pub build_dirs: Vec<String>,
    /// Files inside copied directories that must survive `.dockerignore` (wrapper jars).
    pub keep: Vec<String>,
    /// Every module directory of the build (for per-module ignore entries).
    pub module_dirs: Vec<String>,
    pub packaging: Packaging,
    /// The Gradle task that produces the artifact (`bootJar`, `installDist`, ...).
    pub gradle_task: Option<String>,
    /// Health-check path (framework endpoint or the context root); `None` when nothing serves HTTP.
    pub health_path: Option<String>,
    /// Port of the health endpoint when it differs from the application port.
    pub health_port: Option<u16>,
    /// A dependency that needs an outside service while the Spring context starts (a database
    /// for JPA, Flyway, ...): the build cannot run the CDS/AOT training run then.
    pub training_blocker: Option<String>,
    /// Environment that makes the server listen on every interface when its configuration binds
    /// it to loopback (`SERVER_ADDRESS=0.0.0.0`).
    pub listen_env: Vec<(String, String)>,
    /// Why nothing serves HTTP though a framework may be present (a Procfile with only workers).
    pub serves_nothing: Option<String>,
    /// Things the user should know, turned into plan notes.
    pub notes: Vec<String>,
}

/// `[settings]` of `detectors/java.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JavaSettings {
    pub build_image: String,
    pub maven_image: String,
    pub gradle_image: String,
    pub runtime_image: String,
    pub alpine_runtime_image: String,
    pub distroless_runtime_image: String,
    pub maven_version: String,
    pub gradle_version: String,
    pub min_java: u32,
    pub spring_boot_version: String,
    pub jvm_options: String,
    pub uid: u32,
    pub maven_version_properties: Vec<String>,
    pub health: Vec<HealthRule>,
    pub ports: Vec<PortRule>,
    pub listen: Vec<ListenRule>,
    /// Dependencies whose beans reach an outside service while the Spring context starts.
    pub training_blockers: Vec<String>,
    /// Build plugins that install Node and build a frontend as part of the Java build.
    pub frontend_plugins: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenRule {
    pub framework: String,
    pub key: String,
    /// The environment variable that overrides `key` (relaxed binding / MicroProfile Config).
    pub env: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthRule {
    pub framework: String,
    pub dependencies: Vec<String>,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortRule {
    pub framework: String,
    pub keys: Vec<String>,
}

/// The Java settings from the embedded detector data (checked by a unit test).
pub fn settings() -> &'static JavaSettings {
    static SETTINGS: OnceLock<JavaSettings> = OnceLock::new();
    SETTINGS.get_or_init(|| crate::rules::settings("detectors/java.toml", super::rules()))
}

/// One module (or the root project) as a build-tool reader sees it, before the shared rules
/// (framework, health, port, version default) turn it into a [`Project`].
#[derive(Debug, Clone)]
struct Module {
    /// Directory relative to the build root (`"."` for the root).
    path: String,
    name: String,
    /// The file that describes the module (`app/pom.xml`, `app/build.gradle.kts`), for evidence.
    build_file: String,
    /// Extra names `--bin` accepts (artifactId, Gradle path).
    aliases: Vec<String>,
    /// Maven coordinates (`group:artifact`) and Gradle plugin ids the module uses.
    signals: Vec<String>,
    /// Java release and the evidence for it.
    java_version: Option<(String, Evidence)>,
    packaging: Packaging,
    gradle_path: Option<String>,
    gradle_task: Option<String>,
    evidence: Vec<Evidence>,
    notes: Vec<String>,
}

/// What a build-tool reader found: the modules and the build-wide facts.
#[derive(Debug, Clone)]
struct Build {
    tool: BuildTool,
    wrapper: bool,
    tool_version: Option<String>,
    modules: Vec<Module>,
    multi_module: bool,
    build_files: Vec<String>,
    build_dirs: Vec<String>,
    keep: Vec<String>,
    module_dirs: Vec<String>,
    evidence: Vec<Evidence>,
    notes: Vec<String>,
}

/// Whether `dir` has one of the files `detectors/java.toml` lists for the build tool `pm`.
fn has_build_files(dir: &ProjectDir, pm: &str) -> bool {
    super::rules()
        .package_manager(pm)
        .is_some_and(|r| r.markers.iter().any(|f| dir.is_file(f)))
}

/// Detects Java projects in `dir`: the root project, or the application modules of a
/// multi-module build.
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    let has_maven = has_build_files(dir, "maven");
    let has_gradle = has_build_files(dir, "gradle");
    if !has_maven && !has_gradle {
        return Ok(Vec::new());
    }
    let tool = match opts.package_manager.as_deref() {
        Some("maven") if has_maven => BuildTool::Maven,
        Some("gradle") if has_gradle => BuildTool::Gradle,
        Some(pm @ ("maven" | "gradle")) => {
            return Err(Error::Usage(format!(
                "--package-manager {pm}: there is no {} here",
                if pm == "maven" {
                    "pom.xml"
                } else {
                    "build.gradle, build.gradle.kts or settings.gradle[.kts]"
                }
            )));
        }
        // Another ecosystem's package manager: not a Java project as far as this run goes.
        Some(_) => return Ok(Vec::new()),
        None if has_maven && has_gradle => {
            return Err(Error::Ambiguous {
                message: "found both pom.xml and a Gradle build; dockgen will not guess which one \
                          builds the application.\nChoose one with --package-manager maven or \
                          --package-manager gradle."
                    .into(),
                flag: "--package-manager",
                candidates: vec![
                    Candidate::new("maven", vec!["pom.xml".into()]),
                    Candidate::new("gradle", Vec::new()),
                ],
            });
        }
        None if has_maven => BuildTool::Maven,
        None => BuildTool::Gradle,
    };
    let build = match tool {
        BuildTool::Maven => maven::read(dir)?,
        BuildTool::Gradle => gradle::read(dir)?,
    };
    let modules = choose_modules(&build, opts)?;
    modules
        .into_iter()
        .map(|m| project(dir, &build, m))
        .collect()
}

/// The modules to report: those that produce an application (or, when none does, every module
/// that makes a jar, so the user can pick one and say how to start it), narrowed by `--bin`.
fn choose_modules(build: &Build, opts: &DetectOptions) -> Result<Vec<Module>> {
    let mut modules: Vec<Module> = if build.multi_module {
        let apps: Vec<Module> = build
            .modules
            .iter()
            .filter(|m| m.packaging.is_known())
            .cloned()
            .collect();
        if apps.is_empty() {
            build.modules.clone()
        } else {
            apps
        }
    } else {
        build.modules.clone()
    };
    if let Some(bin) = opts.bin.as_deref().filter(|_| build.multi_module) {
        let want = bin.trim_start_matches("./").trim_end_matches('/');
        let names = modules
            .iter()
            .map(|m| m.path.clone())
            .collect::<Vec<_>>()
            .join(", ");
        modules.retain(|m| m.path == want || m.name == want || m.aliases.iter().any(|a| a == want));
        if modules.is_empty() {
            return Err(Error::Usage(format!(
                "--bin {bin}: no application module of that name. Modules: {names}"
            )));
        }
    }
    Ok(modules)
}

fn project(dir: &ProjectDir, build: &Build, m: Module) -> Result<Project> {
    let rules = super::rules();
    let settings = settings();
    let mut evidence = build.evidence.clone();
    evidence.extend(m.evidence.iter().cloned());
    let mut notes = build.notes.clone();
    notes.extend(m.notes.iter().cloned());

    let framework = rules
        .frameworks
        .iter()
        .find(|f| {
            f.dependencies
                .iter()
                .any(|pat| m.signals.iter().any(|s| signal_matches(pat, s)))
        })
        .map(|f| f.name.clone());
    if let Some(fw) = &framework {
        let why = rules
            .framework(fw)
            .and_then(|f| {
                m.signals
                    .iter()
                    .find(|s| f.dependencies.iter().any(|p| signal_matches(p, s)))
            })
            .cloned()
            .unwrap_or_default();
        evidence.push(Evidence::new(
            m.build_file.clone(),
            format!("{why} → framework {fw}"),
        ));
    }

    let release = java_line(
        m.java_version.as_ref(),
        &m.build_file,
        crate::versions::Date::today(),
    );
    let release_file = m
        .java_version
        .as_ref()
        .map_or(m.build_file.clone(), |(_, ev)| ev.file.clone());
    evidence.push(Evidence::new(release_file, release.evidence));
    notes.extend(release.warning);
    let runtime_version = release.version;

    // Port and health endpoint: only for web frameworks, from the application's configuration.
    let config = appconfig::read(dir, &m.path)?;
    let mut port = None;
    let mut health_path = None;
    let mut health_port = None;
    let mut listen_env = Vec::new();
    if let Some(fw) = &framework {
        let fw_rule = rules.framework(fw);
        let keys: Vec<&str> = settings
            .ports
            .iter()
            .filter(|p| &p.framework == fw)
            .flat_map(|p| p.keys.iter().map(String::as_str))
            .collect();
        port = match config.port(&keys)? {
            Some((p, ev)) => {
                evidence.push(ev);
                Some(p)
            }
            None => fw_rule.and_then(|f| f.port).or(rules.default_port),
        };
        let endpoint = settings.health.iter().find(|h| {
            &h.framework == fw
                && h.dependencies
                    .iter()
                    .any(|d| m.signals.iter().any(|s| signal_matches(d, s)))
        });
        let health = config.health(fw, endpoint.map(|h| h.path.as_str()))?;
        // Neither an endpoint nor the configuration names the route: the probe is a guess.
        let guessed = endpoint.is_none() && health.evidence.is_none();
        if let Some(ev) = health.evidence {
            evidence.push(ev);
        }
        match endpoint {
            Some(h) => evidence.push(Evidence::new(
                m.build_file.clone(),
                format!(
                    "{} → health check {}",
                    h.dependencies.join(", "),
                    health.path
                ),
            )),
            None => notes.push(format!(
                "no health endpoint found for {fw}; the health check requests {} and counts any answer \
                 below 500 as up (add {} or pass --health-path for a real check)",
                health.path,
                settings
                    .health
                    .iter()
                    .find(|h| &h.framework == fw)
                    .map(|h| h.dependencies.join(" or "))
                    .unwrap_or_else(|| "a health endpoint".into())
            )),
        }
        health_path = (!guessed).then_some(health.path);
        health_port = health.port;
        for rule in settings.listen.iter().filter(|l| &l.framework == fw) {
            if let Some(ev) = config.loopback(&rule.key) {
                evidence.push(Evidence::new(
                    ev.file,
                    format!("{}; the image sets {}=0.0.0.0", ev.fact, rule.env),
                ));
                listen_env.push((rule.env.clone(), "0.0.0.0".to_string()));
            }
        }
    }
    // Procfile (at the root of the build): `web` says the application serves HTTP, only workers
    // say it serves nothing. The image keeps dockgen's start (the Procfile's paths are the build
    // tree's, not the image's); the Procfile's commands are reported.
    let mut serves_nothing = None;
    if let Some(pf) = crate::procfile::Procfile::read(dir)? {
        let file = pf.path.display().to_string();
        if let Some(web) = pf.web() {
            evidence.push(Evidence::new(
                &file,
                format!(
                    "web: {} (line {}) → serves HTTP; the image starts the build's artifact from its own layout",
                    web.command, web.line
                ),
            ));
            if port.is_none() {
                port = rules.default_port;
                notes.push(format!(
                    "{file}: the web process serves HTTP but no web framework names its port; assumed {}. Pass --port if it listens elsewhere",
                    port.unwrap_or_default()
                ));
            }
        } else if let Some(worker) = pf.workers().first() {
            let reason = format!(
                "{file} has no web process, only {} (line {}): nothing serves HTTP, so there is nothing to probe.",
                worker.name, worker.line
            );
            evidence.push(Evidence::new(
                &file,
                format!(
                    "{}: {} → serves nothing over HTTP",
                    worker.name, worker.command
                ),
            ));
            port = None;
            health_path = None;
            health_port = None;
            listen_env.clear();
            serves_nothing = Some(reason);
        }
        if let Some(release) = pf.release() {
            notes.push(format!(
                "{file}: release: {} is not run by the image; run it once per deploy as a separate \
                 command (docker run --rm --entrypoint ... <image>)",
                release.command
            ));
        }
    }
    // A JavaScript frontend in the repository: built by the Java build itself (a Node plugin that
    // downloads Node in the build stage), or not built by this Dockerfile (said so).
    let frontend_plugin = settings
        .frontend_plugins
        .iter()
        .find(|p| m.signals.iter().any(|s| signal_matches(p, s)));
    let module_rel = |f: &str| {
        if m.path == "." {
            f.to_string()
        } else {
            format!("{}/{f}", m.path)
        }
    };
    let package_json = [
        "package.json",
        "frontend/package.json",
        "ui/package.json",
        "web/package.json",
        "client/package.json",
    ]
    .iter()
    .map(|f| module_rel(f))
    .find(|f| dir.is_file(f));
    match (frontend_plugin, &package_json) {
        (Some(plugin), _) => evidence.push(Evidence::new(
            m.build_file.clone(),
            format!(
                "{plugin} → the {} build installs Node and builds the frontend itself, in the build stage",
                build.tool.id()
            ),
        )),
        (None, Some(pj)) => notes.push(format!(
            "{pj}: a JavaScript frontend that the {} build does not build (no frontend-maven-plugin or \
             Gradle node plugin); the image holds only what is already in src/main/resources/static",
            build.tool.id()
        )),
        (None, None) => {}
    }
    let training_blocker = settings
        .training_blockers
        .iter()
        .find(|b| m.signals.iter().any(|s| signal_matches(b, s)))
        .cloned();

    let details = JavaDetails(Box::new(JavaFacts {
        tool: build.tool,
        wrapper: build.wrapper,
        tool_version: build.tool_version.clone(),
        module: (m.path != ".").then(|| m.path.clone()),
        gradle_path: m.gradle_path.clone(),
        multi_module: build.multi_module,
        build_files: build.build_files.clone(),
        build_dirs: build.build_dirs.clone(),
        keep: build.keep.clone(),
        module_dirs: build.module_dirs.clone(),
        packaging: m.packaging.clone(),
        gradle_task: m.gradle_task.clone(),
        health_path,
        health_port,
        training_blocker,
        listen_env,
        serves_nothing,
        notes,
    }));
    Ok(Project {
        path: m.path.clone(),
        ecosystem: super::ECOSYSTEM,
        package_manager: Some(build.tool.id().to_string()),
        runtime_version: Some(runtime_version),
        framework,
        start_command: m.packaging.start_command(),
        port,
        evidence,
        name: m.name.clone(),
        details: Details::new(details),
    })
}

/// The Java line to build and run with. A release the build names (`maven.compiler.release`,
/// `java.version`, a Gradle toolchain) is the bytecode target: the image runs that line while it is
/// supported, else the default line (or the newest known line above the target), with a warning.
fn java_line(
    named: Option<&(String, Evidence)>,
    build_file: &str,
    today: crate::versions::Date,
) -> crate::versions::Choice {
    use crate::versions::{Choice, Support, family};
    let java = family("java");
    let Some((target, ev)) = named else {
        let mut c = java.default_choice();
        c.evidence = format!("no Java release named in {build_file}; {}", c.evidence);
        return c;
    };
    let from = ev.fact.as_str();
    match java.support(target, today, 0) {
        Support::Supported { until } => Choice {
            version: target.clone(),
            evidence: format!(
                "{from}: the bytecode target; built and run on Java {target}{}",
                until
                    .map(|d| format!(", supported until {d}"))
                    .unwrap_or_default()
            ),
            warning: None,
        },
        Support::EndsSoon { on } => Choice {
            version: target.clone(),
            evidence: format!("{from}: the bytecode target; built and run on Java {target}"),
            warning: Some(format!(
                "Java {target} (the build's target release) reaches the end of its support on {on}; \
                 raise the release (Java {} is the current LTS)",
                java.default
            )),
        },
        Support::Ended { .. } | Support::Unknown => {
            let mut c = java.at_least(target, "the build's target release");
            let ended = match java.support(target, today, 0) {
                Support::Ended { on } => format!("out of support since {on}"),
                _ => "not a supported release line".to_string(),
            };
            c.evidence = format!(
                "{from}: the bytecode target, {ended}; built and run on Java {}, which runs Java \
                 {target} bytecode",
                c.version
            );
            c.warning = Some(format!(
                "the build targets Java {target}, {ended}: the image builds and runs on Java {} \
                 instead; raise the release in the build to match",
                c.version
            ));
            c
        }
    }
}

/// Whether rule pattern `pat` (a coordinate or plugin id, `*` suffix = prefix match) matches `signal`.
pub(crate) fn signal_matches(pat: &str, signal: &str) -> bool {
    match pat.strip_suffix('*') {
        Some(prefix) => signal.starts_with(prefix),
        None => pat == signal,
    }
}

/// Normalises a Java release as builds write it (`1.8`, `17`, `VERSION_1_8`, `JavaVersion.VERSION_21`)
/// to the major number the image tags use. `None` when it is not a release number.
pub(crate) fn java_release(raw: &str) -> Option<String> {
    let v = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    let v = v
        .rsplit('.')
        .next()
        .filter(|_| v.starts_with("JavaVersion."))
        .unwrap_or(v);
    let v = v
        .strip_prefix("VERSION_")
        .map_or_else(|| v.to_string(), |rest| rest.replace('_', "."));
    let v = v.strip_prefix("1.").unwrap_or(&v);
    let major = v.split('.').next().unwrap_or("");
    (!major.is_empty() && major.len() <= 3 && major.chars().all(|c| c.is_ascii_digit()))
        .then(|| major.trim_start_matches('0').to_string())
        .filter(|m| !m.is_empty())
}

/// Checks a Java release read from `src` at `offset` and returns its major number.
fn checked_release(src: &SourceText, offset: usize, what: &str, raw: &str) -> Result<String> {
    java_release(raw).ok_or_else(|| {
        src.error_at(
            offset,
            format!("{what} {raw:?} is not a Java release (expected a number such as 17 or 21)"),
        )
    })
}

/// True for a Java class name (`com.example.Main`, `Outer$Inner`); anything else is refused before
/// it can reach a Dockerfile.
pub(crate) fn is_class_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 512
        && s.split('.').all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
}

/// Checks a main class read from `src` at `offset`.
fn checked_main_class(src: &SourceText, offset: usize, raw: &str) -> Result<String> {
    let v = raw.trim();
    if is_class_name(v) {
        Ok(v.to_string())
    } else {
        Err(src.error_at(
            offset,
            format!(
                "main class {v:?} is not a Java class name (letters, digits, _ and $, separated by dots)"
            ),
        ))
    }
}

/// The Spring Boot packaging for a Boot `version` (`None` = not stated).
fn boot_packaging(version: Option<&str>, layers_disabled: bool) -> (Packaging, String) {
    let assumed = settings().spring_boot_version.clone();
    let (v, stated) = match version {
        Some(v) => (v.to_string(), true),
        None => (assumed, false),
    };
    let mut nums = v
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let major = nums.next().unwrap_or(0);
    let minor = nums.next().unwrap_or(0);
    let what = if stated {
        format!("Spring Boot {v}")
    } else {
        format!("Spring Boot version not stated; assuming {v}")
    };
    if layers_disabled {
        return (
            Packaging::ExecutableJar,
            format!("{what}, layers disabled in the plugin → java -jar"),
        );
    }
    if (major, minor) < (2, 4) {
        return (
            Packaging::ExecutableJar,
            format!("{what} (layered jars need 2.4+) → java -jar"),
        );
    }
    let tools = (major, minor) >= (3, 3);
    let launcher = if (major, minor) >= (3, 2) {
        "org.springframework.boot.loader.launch.JarLauncher"
    } else {
        "org.springframework.boot.loader.JarLauncher"
    };
    let how = if tools {
        "layers extracted with -Djarmode=tools"
    } else {
        "layers extracted with -Djarmode=layertools"
    };
    (
        Packaging::BootLayers {
            tools,
            launcher: launcher.to_string(),
        },
        format!("{what} → {how}"),
    )
}

/// Reads a wrapper's `distributionUrl` version (`.../gradle-8.10.2-bin.zip` → `8.10.2`).
fn wrapper_version(dir: &ProjectDir, file: &str, prefix: &str) -> Result<Option<String>> {
    let Some(src) = dir.read_opt(file)? else {
        return Ok(None);
    };
    for line in src.text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() != "distributionUrl" {
            continue;
        }
        let name = v.trim().rsplit('/').next().unwrap_or("");
        let version = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.split("-bin").next())
            .and_then(|rest| rest.split("-all").next())
            .map(str::to_string);
        return Ok(version.filter(|v| crate::safe::version(v).is_ok()));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse() {
        let s = settings();
        assert_eq!(s.uid, 10001);
        assert!(s.health.iter().any(|h| h.framework == "spring-boot"));
    }

    #[test]
    fn releases_normalise_to_the_major_number() {
        assert_eq!(java_release("1.8").as_deref(), Some("8"));
        assert_eq!(java_release("17").as_deref(), Some("17"));
        assert_eq!(java_release("VERSION_1_8").as_deref(), Some("8"));
        assert_eq!(
            java_release("JavaVersion.VERSION_21").as_deref(),
            Some("21")
        );
        assert_eq!(java_release("21.0.2").as_deref(), Some("21"));
        assert_eq!(java_release("${java.version}"), None);
        assert_eq!(java_release("17\nRUN x"), None);
    }

    #[test]
    fn class_names_are_checked() {
        assert!(is_class_name("com.example.Main"));
        assert!(is_class_name("Outer$Inner"));
        assert!(!is_class_name("com.example.Main\"]\nRUN x"));
        assert!(!is_class_name("a..b"));
        assert!(!is_class_name("1abc"));
        assert!(!is_class_name(""));
    }

    #[test]
    fn boot_versions_pick_the_extraction_tool() {
        let (p, _) = boot_packaging(Some("3.3.4"), false);
        assert!(matches!(p, Packaging::BootLayers { tools: true, .. }));
        let (p, _) = boot_packaging(Some("3.2.1"), false);
        assert_eq!(
            p,
            Packaging::BootLayers {
                tools: false,
                launcher: "org.springframework.boot.loader.launch.JarLauncher".into()
            }
        );
        let (p, _) = boot_packaging(Some("2.7.18"), false);
        assert_eq!(
            p,
            Packaging::BootLayers {
                tools: false,
                launcher: "org.springframework.boot.loader.JarLauncher".into()
            }
        );
        let (p, _) = boot_packaging(Some("2.3.0.RELEASE"), false);
        assert_eq!(p, Packaging::ExecutableJar);
        let (p, _) = boot_packaging(Some("3.3.0"), true);
        assert_eq!(p, Packaging::ExecutableJar);
    }

    #[test]
    fn the_target_release_is_the_line_while_supported_else_a_supported_line_above_it() {
        let today = crate::versions::Date::parse("2026-12-01").unwrap();
        let named = |v: &str| {
            (
                v.to_string(),
                Evidence::new("pom.xml", format!("release → Java {v}")),
            )
        };
        let c = java_line(Some(&named("17")), "pom.xml", today);
        assert_eq!((c.version.as_str(), c.warning), ("17", None));
        assert!(c.evidence.contains("bytecode target"), "{}", c.evidence);
        // Java 26 ended in September 2026: the newest line above it, with a warning.
        let c = java_line(Some(&named("26")), "pom.xml", today);
        assert_eq!(c.version, "27");
        assert!(c.warning.unwrap().contains("targets Java 26"));
        // A line the table does not list (16): the default, which runs its bytecode.
        let c = java_line(Some(&named("16")), "pom.xml", today);
        assert_eq!(c.version, crate::versions::family("java").default);
        assert!(c.warning.is_some());
        let c = java_line(None, "build.gradle", today);
        assert_eq!(c.version, crate::versions::family("java").default);
        assert!(
            c.evidence
                .starts_with("no Java release named in build.gradle")
        );
    }

    #[test]
    fn signal_patterns_match_exactly_or_by_prefix() {
        assert!(signal_matches(
            "io.quarkus:quarkus-*",
            "io.quarkus:quarkus-rest"
        ));
        assert!(!signal_matches("io.quarkus", "io.quarkus:quarkus-rest"));
        assert!(signal_matches("io.quarkus", "io.quarkus"));
    }
}
