//! Python projects: which package manager installs them, which interpreter they want, which
//! framework they use and how they start — each fact with the file that says so.
//!
//! The rules (which files mean which package manager, where versions come from, framework ports)
//! are data in `detectors/python.toml`. This module reads the project's files as untrusted input:
//! every manifest and lockfile is parsed (a malformed one is an error at `file:line:col`), and every
//! value that can reach a Dockerfile (script names, module paths, include paths) is checked here.

mod code;
pub mod devserver;
mod requirements;
pub mod version;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use crate::detect::{Details, DetectOptions, Evidence, Project};
use crate::error::{Candidate, Error, Result};
use crate::rules::Rules;
use crate::source::{ProjectDir, SourceText};

use code::PyFile;
use requirements::Requirement;
use version::Constraint;

/// What detection learnt about a Python project.
#[derive(Debug, Clone, Default)]
pub struct PythonFacts {
    /// The package manager, or `None` when the project's files disagree (see `ambiguity`).
    pub manager: Option<String>,
    /// Why the package manager could not be chosen: names both files and the flag.
    pub ambiguity: Option<Ambiguity>,
    /// Whether the manager's lockfile exists (`uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`).
    pub locked: bool,
    /// Where pip's dependency list comes from (pip only).
    pub pip_source: PipSource,
    /// Requirements files (entry first) for pip; bind-mounted for the dependency step.
    pub requirements_files: Vec<String>,
    /// A dependency installed from a local path (`file:line` or lockfile), so the dependency step
    /// needs the whole source.
    pub local_dependency: Option<String>,
    /// The lockfile pins packages from git or a URL, which carry no hashes in an export.
    pub unhashed_sources: bool,
    /// The project itself is a package that pip can build and install (a build backend is declared).
    pub installable: bool,
    /// Where the interpreter version comes from.
    pub version: VersionSource,
    /// Declared dependency names (normalised), plus `name[extra]` for extras.
    pub dependencies: BTreeSet<String>,
    /// Console scripts the project declares (`[project.scripts]`, `[tool.poetry.scripts]`).
    pub scripts: Vec<String>,
    /// How the project starts, when dockgen could tell.
    pub start: Option<Start>,
    /// The start module lives under `src/` (a src layout), so `src` goes on `PYTHONPATH`.
    pub src_layout: bool,
    /// A health route found in the code.
    pub health_path: Option<String>,
    /// Whether the project serves HTTP (a web framework, or a literal port in its main file).
    pub serves_http: bool,
    /// Dependencies that build from source or load a system library (`[settings.native_packages]`).
    pub native: Vec<NativePackage>,
    /// Choices detection made that the user should hear about (printed as notes by the planner).
    pub warnings: Vec<String>,
    /// Arguments added after a script's own start command (`--host 0.0.0.0` when its option
    /// defaults to loopback).
    pub start_args: Vec<String>,
    /// Environment the image sets so the program listens where it must (`PORT`, a listen
    /// address variable whose default is loopback → `0.0.0.0`).
    pub listen_env: Vec<(String, String)>,
    /// Django settings set `STATIC_ROOT`: `collectstatic` runs in the build stage.
    pub collectstatic: bool,
    /// Babel message catalogs (`<dir>/<locale>/LC_MESSAGES/*.po`) compiled in the build stage.
    pub babel_catalogs: Option<String>,
    /// The environment variable Django's settings read SECRET_KEY from without a default, so
    /// a build-time command needs a placeholder value.
    pub secret_key_env: Option<String>,
    /// The release task (migrations) the project implies, and why.
    pub release: Option<(Vec<String>, String)>,
    /// The JavaScript frontend the server serves, built in its own stage.
    pub frontend: Option<crate::frontend::Frontend>,
    /// Why the project's own start command cannot be used (a development server with no app to
    /// serve instead): the planner stops with it unless --start says otherwise.
    pub start_error: Option<String>,
}

impl PythonFacts {
    /// The detected start command with its added arguments.
    pub fn start_argv(&self, port: Option<u16>) -> Option<Vec<String>> {
        let mut argv = self.start.as_ref()?.argv(port);
        argv.extend(self.start_args.iter().cloned());
        Some(argv)
    }
}

/// Where the server's source shows it serves `output` (a frontend's build output, relative to
/// the project): a literal naming the path (`static_folder="../frontend/dist"`), its last parts as
/// path pieces (`BASE_DIR / "frontend" / "dist"` in STATICFILES_DIRS), or a `static/` or
/// `templates/` folder of the app's own package, which Flask and Django serve by convention.
fn served_by(files: &[PyFile], output: &str) -> Option<Evidence> {
    let parts: Vec<&str> = output.split('/').collect();
    let tail = &parts[parts.len().saturating_sub(2)..];
    let quoted = |p: &str| [format!("\"{p}\""), format!("'{p}'")];
    for f in files {
        for line in f.text.lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            let literal = line.contains(output)
                && (line.contains(&format!("{output}\""))
                    || line.contains(&format!("{output}'"))
                    || line.contains(&format!("{output}/")));
            let pieces = tail.len() == 2 && {
                let a = quoted(tail[0]);
                let b = quoted(tail[1]);
                let ia = a.iter().filter_map(|q| line.find(q.as_str())).min();
                let ib = b.iter().filter_map(|q| line.rfind(q.as_str())).max();
                matches!((ia, ib), (Some(x), Some(y)) if x < y)
            };
            if literal || pieces {
                return Some(Evidence::new(
                    &f.rel,
                    format!(
                        "the server serves {output} (`{}`)",
                        line.chars().take(80).collect::<String>()
                    ),
                ));
            }
        }
    }
    // <package>/static/... or <package>/templates/... of a package that holds the app's code.
    let static_at = parts
        .iter()
        .position(|p| *p == "static" || *p == "templates")?;
    if static_at == 0 {
        return None;
    }
    let package = parts[..static_at].join("/");
    files
        .iter()
        .find(|f| {
            f.rel.starts_with(&format!("{package}/")) && !f.rel[package.len() + 1..].contains('/')
        })
        .map(|f| {
            Evidence::new(
                &f.rel,
                format!(
                    "{package}/{} is the app's own {} folder, which the framework serves",
                    parts[static_at..].join("/"),
                    parts[static_at]
                ),
            )
        })
}

/// The directory holding `<locale>/LC_MESSAGES/*.po` catalogs (`translations`,
/// `app/translations`), looked for at the root and next to the project's Python files.
fn babel_catalogs(dir: &ProjectDir, files: &[PyFile]) -> Option<String> {
    let mut roots: Vec<String> = vec![String::new()];
    for f in files.iter().take(100) {
        if let Some((parent, _)) = f.rel.rsplit_once('/') {
            let root = format!("{parent}/");
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    roots.iter().find_map(|root| {
        ["translations", "locales", "locale"]
            .iter()
            .find_map(|name| {
                let rel = format!("{root}{name}");
                let has_po = std::fs::read_dir(dir.path(&rel))
                    .ok()?
                    .flatten()
                    .any(|locale| {
                        std::fs::read_dir(locale.path().join("LC_MESSAGES"))
                            .into_iter()
                            .flatten()
                            .flatten()
                            .any(|e| e.path().extension().is_some_and(|x| x == "po"))
                    });
                (has_po && crate::safe::is_safe_path(&rel)).then_some(rel)
            })
    })
}

/// A Procfile's say: the `web` process is the start command (serving HTTP on `$PORT`), a
/// Procfile with only other processes runs the first of them and serves nothing, `release` is
/// the release task. A development server in `web` becomes the production one (or an error the
/// planner reports when dockgen cannot tell which app to serve).
fn procfile_facts(
    procfile: &crate::procfile::Procfile,
    details: &mut PythonFacts,
    port: &mut Option<u16>,
    default_port: Option<u16>,
    evidence: &mut Vec<Evidence>,
) {
    let shown = procfile.path.to_string_lossy().replace('\\', "/");
    let at = |p: &crate::procfile::Process| format!("{shown}:{}", p.line);
    if let Some(release) = procfile.release() {
        evidence.push(Evidence::new(
            &shown,
            format!(
                "release: `{}` is the release task (documented, never in the start)",
                release.command
            ),
        ));
        details.release = Some((procfile_argv(release), "The Procfile's release task".into()));
    }
    let (process, web) = match (procfile.web(), procfile.workers().first()) {
        (Some(web), _) => (web, true),
        (None, Some(worker)) => (*worker, false),
        (None, None) => return,
    };
    if web {
        *port = port.or(default_port);
        details.serves_http = true;
        details.listen_env.retain(|(k, _)| k != "PORT");
        details
            .listen_env
            .push(("PORT".into(), port.unwrap_or(8000).to_string()));
    } else {
        *port = None;
        details.serves_http = false;
        details.listen_env.clear();
        evidence.push(Evidence::new(
            &shown,
            format!(
                "no web process: `{}` ({}) serves nothing over HTTP",
                process.command, process.name
            ),
        ));
    }
    let mut argv = procfile_argv(process);
    if argv.first().map(String::as_str) == Some("uvicorn") {
        let host = argv
            .iter()
            .position(|w| w == "--host")
            .and_then(|i| argv.get(i + 1));
        if host.is_none_or(|h| code::is_loopback(h)) {
            devserver::bind_all_interfaces(&mut argv);
            evidence.push(Evidence::new(
                &shown,
                "uvicorn listens on 127.0.0.1 unless told otherwise: the image passes --host 0.0.0.0",
            ));
        }
    }
    let argv = match devserver::recognise(&argv) {
        Some(dev) => {
            let source = format!("{} ({} process)", at(process), process.name);
            match devserver::production(&dev, details.start.as_ref(), *port, &source) {
                Ok(prod) => {
                    let warning = format!(
                        "{source} runs {}, never run in an image: the Dockerfile runs `{}` instead",
                        dev.what,
                        prod.join(" ")
                    );
                    evidence.push(Evidence::new(&shown, warning.clone()));
                    details.warnings.push(warning);
                    prod
                }
                Err(message) => {
                    details.start_error = Some(message);
                    argv
                }
            }
        }
        None => argv,
    };
    evidence.push(Evidence::new(
        &shown,
        format!(
            "{}: `{}` is the start command",
            process.name, process.command
        ),
    ));
    details.start_args.clear();
    details.start = Some(Start::Command { argv });
}

/// A Procfile command as exec-form words (`$PORT` stays, [`Start::argv`] puts the port in);
/// anything else that needs a shell runs under `sh -c`.
fn procfile_argv(process: &crate::procfile::Process) -> Vec<String> {
    let only_port = process
        .shell
        .iter()
        .all(|f| *f == crate::procfile::ShellFeature::Variable)
        && process.variables.iter().all(|v| v == "PORT");
    if !process.needs_shell() {
        return process.argv.clone();
    }
    if only_port {
        return process.argv.clone();
    }
    vec!["sh".into(), "-c".into(), process.command.clone()]
}

/// Environment variables that name a program's HTTP port.
const PORT_VARIABLES: &[&str] = &[
    "PORT",
    "HTTP_PORT",
    "APP_PORT",
    "SERVER_PORT",
    "WEB_PORT",
    "LISTEN_PORT",
];

/// Where a script-started program listens: env and option defaults in its entry file (then the
/// rest of the source), `.env.example`; loopback defaults are overridden so the container is
/// reachable from outside.
fn listen_facts(
    dir: &ProjectDir,
    files: &[PyFile],
    details: &mut PythonFacts,
    port: &mut Option<u16>,
    evidence: &mut Vec<Evidence>,
) -> Result<()> {
    let entry = match details.start.as_ref() {
        Some(Start::Script { path }) => Some(path.clone()),
        Some(Start::Module { module }) => [
            format!("src/{module}/__main__.py"),
            format!("{module}/__main__.py"),
        ]
        .into_iter()
        .find(|f| dir.is_file(f)),
        _ => None,
    };
    let ordered: Vec<&PyFile> = files
        .iter()
        .filter(|f| Some(&f.rel) == entry.as_ref())
        .chain(files.iter().filter(|f| Some(&f.rel) != entry.as_ref()))
        .take(60)
        .collect();
    let mut port_found = port.is_some();
    for f in &ordered {
        for (var, value) in code::env_defaults(&f.text) {
            if PORT_VARIABLES.contains(&var.as_str()) && !port_found {
                if let Ok(p) = value.parse::<u16>() {
                    evidence.push(Evidence::new(&f.rel, format!("reads {var}, default {p}")));
                    *port = Some(p);
                    port_found = true;
                    details.serves_http = true;
                    details.listen_env.push((var.clone(), p.to_string()));
                }
            }
            let address_var = ["HOST", "ADDR", "BIND", "LISTEN"]
                .iter()
                .any(|k| var.contains(k));
            if address_var
                && code::is_loopback(&value)
                && !details.listen_env.iter().any(|(v, _)| *v == var)
            {
                evidence.push(Evidence::new(
                    &f.rel,
                    format!(
                        "reads {var}, default {value} (loopback): the image sets {var}=0.0.0.0"
                    ),
                ));
                details.listen_env.push((var.clone(), "0.0.0.0".into()));
            }
        }
        if Some(&f.rel) == entry.as_ref() {
            if let Some(p) =
                code::option_default(&f.text, "--port").and_then(|v| v.parse::<u16>().ok())
            {
                if !port_found {
                    evidence.push(Evidence::new(&f.rel, format!("--port defaults to {p}")));
                    *port = Some(p);
                    port_found = true;
                    details.serves_http = true;
                }
            }
            if let Some(host) =
                code::option_default(&f.text, "--host").filter(|h| code::is_loopback(h))
            {
                evidence.push(Evidence::new(
                    &f.rel,
                    format!(
                        "--host defaults to {host} (loopback): the image passes --host 0.0.0.0"
                    ),
                ));
                details
                    .start_args
                    .extend(["--host".to_string(), "0.0.0.0".to_string()]);
            }
        }
    }
    if !port_found {
        if let Some(src) = dir.read_opt(".env.example")? {
            for line in src.text.lines() {
                let line = line.trim().trim_start_matches("export ").trim();
                let Some((var, value)) = line.split_once('=') else {
                    continue;
                };
                let value = value.trim().trim_matches(['"', '\'']);
                if PORT_VARIABLES.contains(&var.trim()) {
                    if let Ok(p) = value.parse::<u16>() {
                        evidence.push(Evidence::new(
                            ".env.example",
                            format!("{} = {p}", var.trim()),
                        ));
                        *port = Some(p);
                        details.serves_http = true;
                        details
                            .listen_env
                            .push((var.trim().to_string(), p.to_string()));
                        break;
                    }
                }
            }
        }
    }
    Ok(())
}

/// A dependency that needs Debian packages to build or run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativePackage {
    #[serde(default)]
    pub name: String,
    /// Packages the build stage installs (compiler, headers).
    pub build: Vec<String>,
    /// Shared libraries the runtime image needs.
    pub runtime: Vec<String>,
    pub why: String,
    /// Dependencies that make it unnecessary (a binary extra).
    #[serde(default)]
    pub unless: Vec<String>,
}

/// Where pip reads the dependency list from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PipSource {
    /// `requirements.txt` (and its includes).
    #[default]
    Requirements,
    /// `[project].dependencies` of pyproject.toml, read at build time before the source is copied.
    Pyproject,
    /// Only the package build knows (setup.py, dynamic dependencies): `pip install .` after the source.
    Package,
}

/// Where the Python version came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum VersionSource {
    /// An exact release from `.python-version`, `runtime.txt` or Pipfile's `[requires]`.
    Pinned { version: String, file: String },
    /// A range (`requires-python`, Poetry's `python`), resolved against the known versions.
    Range(String),
    /// Nothing said: the data's default.
    #[default]
    Default,
}

/// How the project starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// A WSGI app served by gunicorn: `module:app` or `module:create_app()`.
    Gunicorn { app: String },
    /// An ASGI app served by uvicorn: `module:app` (`factory` = the name is a factory function).
    Uvicorn { app: String, factory: bool },
    /// `python path/to/main.py`
    Script { path: String },
    /// `python -m package`
    Module { module: String },
    /// A console script the project declares (needs the project installed).
    Console { name: String },
    /// A command given as words (a Procfile process), run as it is.
    Command { argv: Vec<String> },
}

impl Start {
    /// The command line, with servers bound to `port` on all interfaces.
    pub fn argv(&self, port: Option<u16>) -> Vec<String> {
        let port = port.unwrap_or(8000).to_string();
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            // Workers come from WEB_CONCURRENCY (gunicorn reads it); their heartbeat files live
            // in memory, not on the container's overlay filesystem (gunicorn's FAQ).
            Start::Gunicorn { app } => v(&[
                "gunicorn",
                "--bind",
                &format!("0.0.0.0:{port}"),
                "--worker-tmp-dir",
                "/dev/shm",
                "--access-logfile",
                "-",
                app,
            ]),
            // Behind a proxy: X-Forwarded-* trusted from FORWARDED_ALLOW_IPS (uvicorn reads it).
            Start::Uvicorn { app, factory } => {
                let mut argv = v(&[
                    "uvicorn",
                    app,
                    "--host",
                    "0.0.0.0",
                    "--port",
                    &port,
                    "--proxy-headers",
                ]);
                if *factory {
                    argv.push("--factory".into());
                }
                argv
            }
            Start::Script { path } => v(&["python", path]),
            Start::Module { module } => v(&["python", "-m", module]),
            Start::Console { name } => v(&[name]),
            // `$PORT` in a Procfile command is the port the image listens on.
            Start::Command { argv } => argv
                .iter()
                .map(|w| w.replace("${PORT}", &port).replace("$PORT", &port))
                .collect(),
        }
    }
}

/// The package managers dockgen knows for Python.
/// The Python package managers (`[[package_managers]]` of `detectors/python.toml`).
pub fn managers() -> Vec<&'static str> {
    super::rules()
        .package_managers
        .iter()
        .map(|p| p.name.as_str())
        .collect()
}

/// Detects a Python project in `dir`.
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    let rules = super::rules();
    if !rules.markers.iter().any(|m| dir.is_file(m)) {
        return Ok(Vec::new());
    }
    let manifests = Manifests::read(dir)?;
    let mut evidence = Vec::new();
    let mut details = PythonFacts::default();

    match choose_manager(dir, rules, &manifests, opts, &mut evidence)? {
        Choice::Manager(m) => details.manager = Some(m),
        Choice::Exported(m, warning) => {
            details.manager = Some(m);
            details.warnings.push(warning);
        }
        Choice::Ambiguous(a) => details.ambiguity = Some(a),
        Choice::NotPython => return Ok(Vec::new()),
    }
    let manager = details.manager.clone();
    let manager = manager.as_deref();

    details.locked = match manager {
        Some("uv") => dir.is_file("uv.lock"),
        Some("poetry") => dir.is_file("poetry.lock"),
        Some("pdm") => dir.is_file("pdm.lock"),
        Some("pipenv") => dir.is_file("Pipfile.lock"),
        Some("pip") => dir.is_file("requirements.txt"),
        _ => false,
    };
    if manager.is_some() && !details.locked && manager != Some("pip") {
        evidence.push(Evidence::new(
            dependency_file(dir, manager),
            "no lockfile: dependencies are resolved while the image builds (commit one for reproducible images)",
        ));
    }

    // Dependencies, for framework detection and to know whether a server is already there.
    let project_deps = manifests.project_dependencies()?;
    if let Some(reqs) = &manifests.requirements {
        if manager == Some("pip") || manager.is_none() {
            details.requirements_files = reqs.files.clone();
            details
                .dependencies
                .extend(requirements::names(&reqs.requirements));
            if let Some(local) = &reqs.local {
                details.local_dependency = Some(local.clone());
            }
        }
    }
    match manager {
        Some("pip") if manifests.requirements.is_some() => {
            details.pip_source = PipSource::Requirements;
            evidence.push(Evidence::new(
                "requirements.txt",
                format!(
                    "pip installs the pinned requirements ({} file{})",
                    details.requirements_files.len(),
                    if details.requirements_files.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ),
            ));
        }
        Some("pip") => {
            details.pip_source = if manifests.static_project_dependencies() {
                details
                    .dependencies
                    .extend(requirements::names(&project_deps));
                evidence.push(Evidence::new(
                    "pyproject.toml",
                    "no lockfile: pip installs [project].dependencies, then the project itself",
                ));
                PipSource::Pyproject
            } else {
                evidence.push(Evidence::new(
                    manifests.package_file(dir),
                    "dependencies are only known to the package build: pip installs the project",
                ));
                PipSource::Package
            };
        }
        Some("poetry") => {
            details
                .dependencies
                .extend(requirements::names(&project_deps));
            details.dependencies.extend(manifests.poetry_dependencies());
        }
        Some("pipenv") => details
            .dependencies
            .extend(manifests.pipfile_dependencies()),
        Some(_) => details
            .dependencies
            .extend(requirements::names(&project_deps)),
        None => {
            details
                .dependencies
                .extend(requirements::names(&project_deps));
            details.dependencies.extend(manifests.poetry_dependencies());
            details
                .dependencies
                .extend(manifests.pipfile_dependencies());
        }
    }
    if let (Some(m), Some(lock)) = (manager, manager.and_then(|m| manifests.locks.get(m))) {
        if let (Some(format), Some(rule)) = (&lock.format, super::settings().lock_formats.get(m)) {
            let major = format.split('.').next().and_then(|v| v.parse::<u64>().ok());
            if major.is_some_and(|v| rule.reads.contains(&v)) {
                evidence.push(Evidence::new(
                    &rule.file,
                    format!("lock format {format}: the pinned {m} reads it"),
                ));
            } else if major.is_some_and(|v| rule.reads.iter().all(|r| v < *r))
                && manifests.static_project_dependencies()
            {
                // Older than the pinned tool reads: pip installs [project].dependencies instead.
                let warning = format!(
                    "{} has lock format {format}, written by an old {m} that the pinned {m} cannot read: \
                     pip installs [project].dependencies instead (unlocked). Re-lock with a current {m} to use the lockfile",
                    rule.file
                );
                evidence.push(Evidence::new(&rule.file, warning.clone()));
                details.warnings.push(warning);
                details.manager = Some("pip".into());
                details.locked = false;
                details.pip_source = PipSource::Pyproject;
            } else {
                return Err(Error::Usage(format!(
                    "{}: lock format {format} is not one the pinned {m} reads ({}); re-lock with a \
                     current {m}, or pass --package-manager pip to install [project].dependencies",
                    rule.file,
                    rule.reads
                        .iter()
                        .map(|r| format!("{r}.x"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    if let Some(lock) = manager.and_then(|m| manifests.locks.get(m)) {
        if details.local_dependency.is_none() {
            details.local_dependency = lock.local.clone();
        }
        details.unhashed_sources = lock.unhashed;
    }
    details.native = native_packages(
        &details.dependencies,
        dependency_file(dir, manager),
        &mut evidence,
    );
    details.installable = manifests.installable(dir, manager);
    details.scripts = manifests.scripts()?;

    // Interpreter version.
    details.version = python_version(dir, rules, &manifests, &mut evidence)?;
    let python = crate::versions::family("python");
    let runtime_version = match &details.version {
        VersionSource::Pinned { version, file } => {
            let choice = python.exact(version, file, crate::versions::Date::today());
            details.warnings.extend(choice.warning);
            choice.version
        }
        VersionSource::Range(spec) => best_version(spec).unwrap_or_default(),
        VersionSource::Default => {
            let choice = python.default_choice();
            evidence.push(Evidence::new(
                dependency_file(dir, manager),
                choice.evidence,
            ));
            choice.version
        }
    };

    // Framework, start command, port.
    let files = code::python_files(dir);
    // Every framework the dependencies name, in precedence order; the first whose application
    // object is found wins (a Flask app that also depends on Django is a Flask app).
    let candidates: Vec<&crate::rules::FrameworkRule> = rules
        .frameworks
        .iter()
        .filter(|f| {
            f.dependencies
                .iter()
                .any(|d| details.dependencies.contains(d))
        })
        .collect();
    let mut framework = candidates.first().map(|f| (*f).clone());
    let mut app_found = None;
    let mut app_evidence = Vec::new();
    for fw in &candidates {
        let mut ev = Vec::new();
        let found = match fw.name.as_str() {
            "django" => match django_start(dir, &mut details, &mut ev)? {
                Some(found) => Some(found),
                None => app_start(
                    &files,
                    &AppSpec {
                        constructors: vec!["get_wsgi_application".into()],
                        import: "django".into(),
                        interface: "wsgi".into(),
                    },
                    &mut ev,
                ),
            },
            name => app_spec(name).and_then(|spec| app_start(&files, &spec, &mut ev)),
        };
        if found.is_some() {
            framework = Some((*fw).clone());
            app_found = found;
            app_evidence = ev;
            break;
        }
    }
    let mut port = None;
    if let Some(fw) = &framework {
        evidence.push(Evidence::new(
            dependency_file(dir, manager),
            format!("depends on {}", fw.name),
        ));
        details.serves_http = true;
        port = fw.port.or(rules.default_port);
        evidence.append(&mut app_evidence);
        let found = app_found.take();
        let found = match found {
            Some(found) => Some(found),
            None => {
                // No application object: the project's own entry script may still run it
                // (a bot or worker that uses the framework's client, a script calling serve()).
                let plain = plain_start(dir, &files, &manifests, &details.scripts);
                if plain.is_some() {
                    evidence.push(Evidence::new(
                        ".",
                        format!(
                            "no {} application object found; the entry script runs instead",
                            fw.name
                        ),
                    ));
                }
                plain
            }
        };
        if let Some((start, file)) = found {
            if let Some(f) = file
                .as_ref()
                .and_then(|f| files.iter().find(|x| &x.rel == f))
            {
                details.src_layout = f.in_src();
                if let Some(p) = code::literal_port(&f.text) {
                    evidence.push(Evidence::new(&f.rel, format!("listens on port {p}")));
                    port = Some(p);
                }
            }
            if !matches!(start, Start::Gunicorn { .. } | Start::Uvicorn { .. }) {
                evidence.push(Evidence::new(
                    file.as_deref().unwrap_or("pyproject.toml"),
                    format!("starts with `{}`", start.argv(port).join(" ")),
                ));
            }
            details.start = Some(start);
        } else {
            evidence.push(Evidence::new(
                ".",
                format!(
                    "no {} application object found; pass --start to say how the app starts",
                    fw.name
                ),
            ));
        }
        if let Some((file, path)) = files
            .iter()
            .find_map(|f| code::health_route(&f.text).map(|p| (&f.rel, p)))
        {
            evidence.push(Evidence::new(file, format!("health route {path}")));
            details.health_path = Some(path);
        }
    } else if let Some((start, file)) = plain_start(dir, &files, &manifests, &details.scripts) {
        if let Some(f) = file
            .as_ref()
            .and_then(|f| files.iter().find(|x| &x.rel == f))
        {
            details.src_layout = f.in_src();
            if let Some(p) = code::literal_port(&f.text) {
                evidence.push(Evidence::new(&f.rel, format!("listens on port {p}")));
                details.serves_http = true;
                port = Some(p);
            }
        }
        evidence.push(Evidence::new(
            file.as_deref().unwrap_or("pyproject.toml"),
            format!("starts with `{}`", start.argv(port).join(" ")),
        ));
        details.start = Some(start);
    }

    if details.serves_http {
        let served = |output: &str| served_by(&files, output);
        if let Some(frontend) = crate::frontend::find(dir, &served)? {
            evidence.extend(frontend.evidence.iter().cloned());
            details.frontend = Some(frontend);
        }
    }
    if details.dependencies.contains("babel") || details.dependencies.contains("flask-babel") {
        if let Some(catalogs) = babel_catalogs(dir, &files) {
            evidence.push(Evidence::new(
                &catalogs,
                "Babel message catalogs (.po): pybabel compile writes the .mo files in the build stage",
            ));
            details.babel_catalogs = Some(catalogs);
        }
    }
    if let Some(procfile) = crate::procfile::Procfile::read(dir)? {
        procfile_facts(
            &procfile,
            &mut details,
            &mut port,
            rules.default_port,
            &mut evidence,
        );
    }
    if details.release.is_none()
        && details.dependencies.contains("alembic")
        && dir.is_file("alembic.ini")
    {
        evidence.push(Evidence::new(
            "alembic.ini",
            "Alembic migrations: release task `alembic upgrade head`",
        ));
        details.release = Some((
            ["alembic", "upgrade", "head"].map(String::from).to_vec(),
            "Alembic's database migrations".into(),
        ));
    }
    if matches!(
        details.start,
        Some(Start::Script { .. } | Start::Module { .. } | Start::Console { .. })
    ) {
        listen_facts(dir, &files, &mut details, &mut port, &mut evidence)?;
    }

    let name = manifests.name().unwrap_or_else(|| directory_name(dir));
    let start_command = details.start_argv(port);
    Ok(vec![Project {
        path: crate::detect::rel_string(&dir.rel),
        ecosystem: super::ECOSYSTEM,
        package_manager: details.manager.clone(),
        runtime_version: Some(runtime_version),
        framework: framework.map(|f| f.name),
        start_command,
        port,
        evidence,
        name,
        details: Details::new(details),
    }])
}

/// The project directory's own name, for labels when no manifest names the project.
fn directory_name(dir: &ProjectDir) -> String {
    std::fs::canonicalize(dir.dir())
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .unwrap_or_else(|| "app".to_string())
}

/// The release a constraint builds with: a `requires-python` range is a minimum (and maybe a
/// ceiling), so dockgen's default line when the range admits it, else the newest known line it
/// admits.
pub fn best_version(spec: &str) -> Option<String> {
    let constraint = Constraint::parse(spec).ok()?;
    let default = &crate::versions::family("python").default;
    if version::parse_minor(default).is_some_and(|(a, b)| constraint.admits_minor(a, b)) {
        return Some(default.clone());
    }
    let known = known_versions();
    constraint.best(&known).map(str::to_string)
}

/// The Python release lines dockgen knows (data/versions.toml).
pub fn known_versions() -> Vec<String> {
    crate::versions::family("python")
        .lines
        .iter()
        .map(|l| l.version.clone())
        .collect()
}

/// The strings of a TOML array (anything else is ignored).
fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Dependencies that need Debian packages to build or to run, from `[settings.native_packages]`.
fn native_packages(
    deps: &BTreeSet<String>,
    file: &str,
    evidence: &mut Vec<Evidence>,
) -> Vec<NativePackage> {
    let mut out = Vec::new();
    for (name, entry) in &super::settings().native_packages {
        if !deps.contains(name) || entry.unless.iter().any(|u| deps.contains(u)) {
            continue;
        }
        let mut native = entry.clone();
        native.name = name.clone();
        let mut needs = Vec::new();
        if !native.build.is_empty() {
            needs.push(format!(
                "the build stage installs {}",
                native.build.join(" ")
            ));
        }
        if !native.runtime.is_empty() {
            needs.push(format!("the runtime image {}", native.runtime.join(" ")));
        }
        evidence.push(Evidence::new(
            file,
            format!("{}: {}", native.why, needs.join("; ")),
        ));
        out.push(native);
    }
    out
}

fn dependency_file(dir: &ProjectDir, manager: Option<&str>) -> &'static str {
    match manager {
        Some("pipenv") => "Pipfile",
        Some("pip") if dir.is_file("requirements.txt") => "requirements.txt",
        _ => "pyproject.toml",
    }
}

// ---------------------------------------------------------------------------------------------
// Manifests and lockfiles

/// Every Python manifest and lockfile of the project, parsed (malformed files are errors).
#[derive(Default)]
struct Manifests {
    pyproject: Option<(SourceText, PyProject)>,
    pipfile: Option<(SourceText, Pipfile)>,
    requirements: Option<requirements::RequirementsFiles>,
    /// Lockfile facts by package manager name.
    locks: BTreeMap<&'static str, LockFacts>,
}

#[derive(Default)]
struct LockFacts {
    /// The lockfile's format version (`lock-version`, `lock_version`, `version`) as written.
    format: Option<String>,
    local: Option<String>,
    unhashed: bool,
    /// Every locked package: normalised name → version.
    packages: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct PyProject {
    project: Option<ProjectTable>,
    tool: Option<ToolTable>,
    #[serde(rename = "build-system")]
    build_system: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
struct ProjectTable {
    name: Option<Spanned<String>>,
    #[serde(rename = "requires-python")]
    requires_python: Option<Spanned<String>>,
    dependencies: Option<Vec<Spanned<String>>>,
    scripts: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    dynamic: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct ToolTable {
    poetry: Option<PoetryTable>,
    uv: Option<toml::Table>,
    pdm: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
struct PoetryTable {
    name: Option<Spanned<String>>,
    dependencies: Option<BTreeMap<String, Spanned<toml::Value>>>,
    scripts: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(rename = "package-mode")]
    package_mode: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct Pipfile {
    packages: Option<BTreeMap<String, toml::Value>>,
    requires: Option<PipfileRequires>,
}

#[derive(Debug, Default, Deserialize)]
struct PipfileRequires {
    python_version: Option<Spanned<String>>,
    python_full_version: Option<Spanned<String>>,
}

impl Manifests {
    fn read(dir: &ProjectDir) -> Result<Manifests> {
        let mut m = Manifests::default();
        if let Some(src) = dir.read_opt("pyproject.toml")? {
            let parsed: PyProject = src.toml()?;
            m.pyproject = Some((src, parsed));
        }
        if let Some(src) = dir.read_opt("Pipfile")? {
            let parsed: Pipfile = src.toml()?;
            m.pipfile = Some((src, parsed));
        }
        if dir.is_file("requirements.txt") {
            m.requirements = Some(requirements::read(dir, "requirements.txt")?);
        }
        for (manager, file) in [
            ("uv", "uv.lock"),
            ("poetry", "poetry.lock"),
            ("pdm", "pdm.lock"),
        ] {
            if let Some(src) = dir.read_opt(file)? {
                let table: toml::Table = src.toml()?;
                let mut facts = lock_facts(file, &table);
                facts.format = super::settings().lock_formats.get(manager).and_then(|f| {
                    let mut value: Option<&toml::Value> = None;
                    for (i, part) in f.key.split('.').enumerate() {
                        value = if i == 0 {
                            table.get(part)
                        } else {
                            value?.get(part)
                        };
                    }
                    match value? {
                        toml::Value::String(s) => Some(s.clone()),
                        toml::Value::Integer(n) => Some(n.to_string()),
                        _ => None,
                    }
                });
                m.locks.insert(manager, facts);
            }
        }
        if let Some(src) = dir.read_opt("Pipfile.lock")? {
            let lock: serde_json::Value = src.json()?;
            if !lock.is_object() {
                return Err(src.error_at(0, "Pipfile.lock must be a JSON object"));
            }
            m.locks.insert("pipenv", LockFacts::default());
        }
        Ok(m)
    }

    fn project(&self) -> Option<&ProjectTable> {
        self.pyproject
            .as_ref()
            .and_then(|(_, p)| p.project.as_ref())
    }

    fn poetry(&self) -> Option<&PoetryTable> {
        self.pyproject
            .as_ref()
            .and_then(|(_, p)| p.tool.as_ref())
            .and_then(|t| t.poetry.as_ref())
    }

    /// Whether pyproject.toml has the table at `path` (`project`, `tool.uv`, ...).
    fn has_table(&self, path: &str) -> bool {
        let Some((_, p)) = &self.pyproject else {
            return false;
        };
        let tool = p.tool.as_ref();
        match path {
            "project" => p.project.is_some(),
            "tool.poetry" => tool.is_some_and(|t| t.poetry.is_some()),
            "tool.uv" => tool.is_some_and(|t| t.uv.is_some()),
            "tool.pdm" => tool.is_some_and(|t| t.pdm.is_some()),
            "build-system" => p.build_system.is_some(),
            _ => false,
        }
    }

    fn name(&self) -> Option<String> {
        self.project()
            .and_then(|p| p.name.as_ref())
            .or_else(|| self.poetry().and_then(|p| p.name.as_ref()))
            .map(|n| n.get_ref().clone())
            .filter(|n| !n.trim().is_empty())
    }

    /// `[project].dependencies`, each checked as a PEP 508 requirement.
    fn project_dependencies(&self) -> Result<Vec<Requirement>> {
        let Some((src, p)) = &self.pyproject else {
            return Ok(Vec::new());
        };
        let deps = p.project.as_ref().and_then(|p| p.dependencies.as_ref());
        deps.into_iter()
            .flatten()
            .map(|d| requirements::parse_in_toml(src, d.get_ref(), d.span().start))
            .collect()
    }

    /// True when `[project].dependencies` is written out (not `dynamic`).
    fn static_project_dependencies(&self) -> bool {
        self.project().is_some_and(|p| {
            !p.dynamic
                .as_ref()
                .is_some_and(|d| d.iter().any(|x| x == "dependencies"))
        })
    }

    fn poetry_dependencies(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let deps = self.poetry().and_then(|p| p.dependencies.as_ref());
        for (name, value) in deps.into_iter().flatten() {
            if name == "python" {
                continue;
            }
            let name = requirements::normalise(name);
            for extra in extras_of(value.get_ref()) {
                out.insert(format!("{name}[{extra}]"));
            }
            out.insert(name);
        }
        out
    }

    fn pipfile_dependencies(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let packages = self.pipfile.as_ref().and_then(|(_, p)| p.packages.as_ref());
        for (name, value) in packages.into_iter().flatten() {
            let name = requirements::normalise(name);
            for extra in extras_of(value) {
                out.insert(format!("{name}[{extra}]"));
            }
            out.insert(name);
        }
        out
    }

    /// The file that makes the project a package, for evidence.
    fn package_file(&self, dir: &ProjectDir) -> &'static str {
        if dir.is_file("setup.py") {
            "setup.py"
        } else if dir.is_file("setup.cfg") && !dir.is_file("pyproject.toml") {
            "setup.cfg"
        } else {
            "pyproject.toml"
        }
    }

    /// Whether pip can build and install the project itself.
    fn installable(&self, dir: &ProjectDir, manager: Option<&str>) -> bool {
        if let Some(p) = self.poetry() {
            if p.package_mode == Some(false) {
                return false;
            }
        }
        if let Some(uv) = self
            .pyproject
            .as_ref()
            .and_then(|(_, p)| p.tool.as_ref())
            .and_then(|t| t.uv.as_ref())
        {
            if manager == Some("uv") && uv.get("package").and_then(|v| v.as_bool()) == Some(false) {
                return false;
            }
        }
        if let Some(pdm) = self
            .pyproject
            .as_ref()
            .and_then(|(_, p)| p.tool.as_ref())
            .and_then(|t| t.pdm.as_ref())
        {
            if manager == Some("pdm")
                && pdm.get("distribution").and_then(|v| v.as_bool()) == Some(false)
            {
                return false;
            }
        }
        self.has_table("build-system") || dir.is_file("setup.py")
    }

    /// Console script names, each checked to be a plain command name.
    fn scripts(&self) -> Result<Vec<String>> {
        let Some((src, p)) = &self.pyproject else {
            return Ok(Vec::new());
        };
        let mut keys: Vec<&Spanned<String>> = Vec::new();
        if let Some(s) = p.project.as_ref().and_then(|p| p.scripts.as_ref()) {
            keys.extend(s.keys());
        }
        if let Some(s) = p
            .tool
            .as_ref()
            .and_then(|t| t.poetry.as_ref())
            .and_then(|p| p.scripts.as_ref())
        {
            keys.extend(s.keys());
        }
        let mut out = Vec::new();
        for key in keys {
            let name = key.get_ref();
            if !is_command_name(name) {
                return Err(src.error_at(
                    key.span().start,
                    format!(
                        "script name {name:?} is not a plain command name (letters, digits, . _ -); \
                         dockgen will not put it in a Dockerfile"
                    ),
                ));
            }
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
        Ok(out)
    }
}

fn extras_of(value: &toml::Value) -> Vec<String> {
    strings(value.get("extras"))
        .iter()
        .map(|e| requirements::normalise(e))
        .collect()
}

/// A console script name that is safe as an exec-form word and a file name.
fn is_command_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Facts from a TOML lockfile: packages from local paths, packages without hashes.
fn lock_facts(file: &str, lock: &toml::Table) -> LockFacts {
    let mut facts = LockFacts::default();
    let packages = lock
        .get("package")
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    for pkg in &packages {
        let name = pkg.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        let version = pkg.get("version").and_then(|v| v.as_str()).unwrap_or("");
        facts
            .packages
            .insert(requirements::normalise(name), version.to_string());
        let source = pkg.get("source");
        // poetry.lock: [package.source] type = "directory" | "file" | "git" | "url"
        let kind = source
            .and_then(|s| s.get("type"))
            .and_then(|t| t.as_str())
            .unwrap_or("");
        // uv.lock: source = { editable = "libs/x" } / { directory = ... } / { path = ... }
        let uv_local = ["editable", "directory", "path"].iter().find_map(|k| {
            source
                .and_then(|s| s.get(*k))
                .and_then(|v| v.as_str())
                .filter(|p| *p != ".")
        });
        // pdm.lock: path = "./libs/x"
        let pdm_local = pkg
            .get("path")
            .and_then(|p| p.as_str())
            .filter(|p| *p != ".");
        if facts.local.is_none()
            && (matches!(kind, "directory" | "file") || uv_local.is_some() || pdm_local.is_some())
        {
            facts.local = Some(format!("{file} (package {name})"));
        }
        let uv_remote = source.is_some_and(|s| s.get("git").is_some() || s.get("url").is_some());
        let pdm_remote = pkg.get("git").is_some() || pkg.get("url").is_some();
        if matches!(kind, "git" | "url") || uv_remote || pdm_remote {
            facts.unhashed = true;
        }
    }
    facts
}

// ---------------------------------------------------------------------------------------------
// Package manager

/// Files of two package managers that both claim the project: the message and the choices.
#[derive(Debug, Clone)]
pub struct Ambiguity {
    pub message: String,
    pub candidates: Vec<Candidate>,
}

enum Choice {
    Manager(String),
    /// The manager of a lockfile that requirements.txt is an export of, and the warning.
    Exported(String, String),
    Ambiguous(Ambiguity),
    NotPython,
}

/// How strongly a file says "this package manager" (see the comments in detectors/python.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// `[project]`, setup.py, setup.cfg: installable with pip, nothing more.
    Generic,
    /// A tool's own table in pyproject.toml.
    Table,
    /// A lockfile (or requirements.txt / Pipfile).
    Lockfile,
}

struct Signal {
    manager: String,
    file: String,
    strength: Strength,
}

fn signals(dir: &ProjectDir, rules: &Rules, m: &Manifests) -> Vec<Signal> {
    let mut out = Vec::new();
    for pm in &rules.package_managers {
        for lock in &pm.lockfiles {
            if dir.is_file(lock) {
                out.push(Signal {
                    manager: pm.name.clone(),
                    file: lock.clone(),
                    strength: Strength::Lockfile,
                });
            }
        }
        for marker in &pm.markers {
            let (file, table) = match marker.split_once('#') {
                Some((f, t)) => (f, Some(t)),
                None => (marker.as_str(), None),
            };
            let hit = match table {
                Some(t) => file == "pyproject.toml" && m.has_table(t),
                None => dir.is_file(file),
            };
            if hit {
                let strength = match table {
                    Some(t) if t.starts_with("tool.") => Strength::Table,
                    _ => Strength::Generic,
                };
                let shown = match table {
                    Some(t) => format!("{file} [{t}]"),
                    None => file.to_string(),
                };
                out.push(Signal {
                    manager: pm.name.clone(),
                    file: shown,
                    strength,
                });
            }
        }
    }
    out
}

fn choose_manager(
    dir: &ProjectDir,
    rules: &Rules,
    manifests: &Manifests,
    opts: &DetectOptions,
    evidence: &mut Vec<Evidence>,
) -> Result<Choice> {
    let signals = signals(dir, rules, manifests);
    if signals.is_empty() {
        return Ok(Choice::NotPython);
    }
    if let Some(forced) = opts
        .package_manager
        .as_deref()
        .filter(|p| managers().contains(p))
    {
        let usable = signals.iter().any(|s| s.manager == forced)
            || (matches!(forced, "uv" | "pdm" | "poetry") && manifests.has_table("project"));
        if !usable {
            let mut wanted: Vec<String> = rules
                .package_manager(forced)
                .map(|r| {
                    r.lockfiles
                        .iter()
                        .chain(&r.markers)
                        .map(|m| match m.split_once('#') {
                            Some((file, table)) => format!("{file} [{table}]"),
                            None => m.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if matches!(forced, "uv" | "pdm" | "poetry") {
                wanted.push("pyproject.toml [project]".into());
            }
            return Err(Error::Usage(format!(
                "--package-manager {forced}: this project has none of {}",
                wanted.join(", ")
            )));
        }
        evidence.push(Evidence::new(
            signals
                .iter()
                .find(|s| s.manager == forced)
                .map_or("pyproject.toml", |s| s.file.as_str()),
            format!("{forced} chosen with --package-manager"),
        ));
        return Ok(Choice::Manager(forced.to_string()));
    }
    for strength in [Strength::Lockfile, Strength::Table, Strength::Generic] {
        let level: Vec<&Signal> = signals.iter().filter(|s| s.strength == strength).collect();
        let mut managers: Vec<&str> = level.iter().map(|s| s.manager.as_str()).collect();
        managers.dedup();
        managers.sort();
        managers.dedup();
        match managers.as_slice() {
            [] => continue,
            [one] => {
                let file = level
                    .iter()
                    .find(|s| s.manager == *one)
                    .map(|s| s.file.clone());
                evidence.push(Evidence::new(
                    file.as_deref().unwrap_or("."),
                    format!("package manager {one}"),
                ));
                for weaker in signals
                    .iter()
                    .filter(|s| s.manager != *one && s.strength == Strength::Table)
                {
                    evidence.push(Evidence::new(
                        &weaker.file,
                        format!(
                            "ignored: {} has no lockfile, and {} is the pinned list \
                             (--package-manager {} to use it instead)",
                            weaker.manager,
                            file.as_deref().unwrap_or("?"),
                            weaker.manager
                        ),
                    ));
                }
                return Ok(Choice::Manager(one.to_string()));
            }
            many if strength == Strength::Lockfile => {
                if let Some((tool, lock)) = exported_requirements(manifests, &managers) {
                    evidence.push(Evidence::new(lock, format!("package manager {tool}")));
                    let why = format!(
                        "every package requirements.txt lists is locked in {lock} at the same version, so it is an \
                         export kept for other tools: {tool} installs from {lock} (--package-manager pip to use requirements.txt instead)"
                    );
                    evidence.push(Evidence::new("requirements.txt", format!("ignored: {why}")));
                    return Ok(Choice::Exported(tool.to_string(), why));
                }
                return Ok(ambiguous(rules, many, &level, evidence));
            }
            many => return Ok(ambiguous(rules, many, &level, evidence)),
        }
    }
    Ok(Choice::NotPython)
}

/// requirements.txt next to one tool's lockfile (uv.lock, poetry.lock, pdm.lock) whose packages
/// include every package the requirements name: an export of that lockfile. Returns the tool and
/// its lockfile.
fn exported_requirements<'a>(
    manifests: &Manifests,
    managers: &[&'a str],
) -> Option<(&'a str, &'static str)> {
    let [a, b] = managers else {
        return None;
    };
    let tool = match (*a, *b) {
        ("pip", t) | (t, "pip") => t,
        _ => return None,
    };
    let lock = match tool {
        "uv" => "uv.lock",
        "poetry" => "poetry.lock",
        "pdm" => "pdm.lock",
        _ => return None,
    };
    let reqs = manifests.requirements.as_ref()?;
    let locked = &manifests.locks.get(tool)?.packages;
    // Every requirement is locked, at the same version when it is pinned.
    let exported = reqs
        .requirements
        .iter()
        .all(|r| match (locked.get(&r.name), &r.pinned) {
            (None, _) => false,
            (Some(v), Some(pin)) => v == pin,
            (Some(_), None) => true,
        });
    (reqs.local.is_none() && !reqs.requirements.is_empty() && exported).then_some((tool, lock))
}

/// Two package managers' lockfiles: dockgen stops and names both files and the flag.
fn ambiguous(
    rules: &Rules,
    many: &[&str],
    level: &[&Signal],
    evidence: &mut Vec<Evidence>,
) -> Choice {
    let files: Vec<String> = many
        .iter()
        .map(|m| {
            let file = level
                .iter()
                .find(|s| s.manager == *m)
                .map_or("?", |s| s.file.as_str());
            format!("{file} ({m})")
        })
        .collect();
    let flags: Vec<String> = many
        .iter()
        .map(|m| format!("--package-manager {m}"))
        .collect();
    let message = format!(
        "{} both say how to install this project's dependencies, and dockgen will not guess.\n\
         Choose one with {}, or remove the file you no longer use.",
        files.join(" and "),
        flags.join(" or "),
    );
    for s in level {
        evidence.push(Evidence::new(
            &s.file,
            format!("{} (ambiguous: pass --package-manager)", s.manager),
        ));
    }
    let candidates = many
        .iter()
        .map(|m| {
            let named = |f: &String| {
                level.iter().any(|s| {
                    s.manager == *m && (s.file == *f || s.file.ends_with(&format!("/{f}")))
                })
            };
            let files = rules
                .package_manager(m)
                .map(|r| r.lockfiles.iter().chain(&r.markers))
                .into_iter()
                .flatten()
                .filter(|f| named(f))
                .cloned()
                .collect();
            Candidate::new(*m, files)
        })
        .collect();
    Choice::Ambiguous(Ambiguity {
        message,
        candidates,
    })
}

// ---------------------------------------------------------------------------------------------
// Interpreter version

fn python_version(
    dir: &ProjectDir,
    rules: &Rules,
    manifests: &Manifests,
    evidence: &mut Vec<Evidence>,
) -> Result<VersionSource> {
    for vf in &rules.version_files {
        let found = match vf.kind.as_str() {
            "plain" => read_python_version_file(dir, &vf.file)?,
            "runtime-txt" => read_runtime_txt(dir, &vf.file)?,
            "pipfile" => pipfile_version(manifests)?,
            _ => None,
        };
        if let Some(v) = found {
            evidence.push(Evidence::new(&vf.file, format!("pins Python {v}")));
            return Ok(VersionSource::Pinned {
                version: v,
                file: vf.file.clone(),
            });
        }
    }
    let ranges = [
        manifests.pyproject.as_ref().and_then(|(src, p)| {
            p.project
                .as_ref()
                .and_then(|p| p.requires_python.as_ref())
                .map(|r| (src, r.clone(), "requires-python"))
        }),
        manifests.pyproject.as_ref().and_then(|(src, _)| {
            manifests
                .poetry()
                .and_then(|p| p.dependencies.as_ref())
                .and_then(|d| d.get("python"))
                .and_then(|v| {
                    v.get_ref().as_str().map(|s| {
                        (
                            src,
                            Spanned::new(v.span(), s.to_string()),
                            "Poetry's python constraint",
                        )
                    })
                })
        }),
    ];
    if let Some((src, spec, what)) = ranges.into_iter().flatten().next() {
        let text = spec.get_ref();
        let at = spec.span().start + 1;
        Constraint::parse(text).map_err(|e| src.error_at(at, format!("{what}: {e}")))?;
        let known = known_versions();
        let Some(best) = best_version(text) else {
            return Err(src.error_at(
                at,
                format!(
                    "{what} {text:?} admits none of the Python versions dockgen knows ({}); \
                     pass --runtime-version",
                    known.join(", ")
                ),
            ));
        };
        let default = &crate::versions::family("python").default;
        evidence.push(Evidence::new(
            "pyproject.toml",
            if &best == default {
                format!("{what} {text:?} is a minimum: Python {best}, dockgen's default release line, satisfies it")
            } else {
                format!("{what} {text:?}: Python {best}, the newest release line it admits (not the default {default})")
            },
        ));
        return Ok(VersionSource::Range(text.clone()));
    }
    Ok(VersionSource::Default)
}

/// `.python-version`: the first line that is not a comment; `system` means "no pin".
fn read_python_version_file(dir: &ProjectDir, file: &str) -> Result<Option<String>> {
    let Some(src) = dir.read_opt(file)? else {
        return Ok(None);
    };
    let mut offset = 0;
    for line in src.text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let value = line.trim();
        if value.is_empty() || value.starts_with('#') {
            continue;
        }
        if value == "system" {
            return Ok(None);
        }
        let plain = value
            .strip_prefix("cpython-")
            .or_else(|| value.strip_prefix("python"))
            .unwrap_or(value);
        let plain = plain.trim_start_matches('-');
        if version::is_release(plain) {
            return Ok(Some(plain.to_string()));
        }
        return Err(src.error_at(
            here + (line.len() - line.trim_start().len()),
            format!(
                "{value:?} is not a CPython release the python image is tagged with (e.g. 3.12 or 3.12.1); \
                 pass --runtime-version"
            ),
        ));
    }
    Ok(None)
}

/// `runtime.txt`: `python-3.12.1`.
fn read_runtime_txt(dir: &ProjectDir, file: &str) -> Result<Option<String>> {
    let Some(src) = dir.read_opt(file)? else {
        return Ok(None);
    };
    let value = src.text.trim();
    let leading = src.text.len() - src.text.trim_start().len();
    match value.strip_prefix("python-") {
        Some(v) if version::is_release(v) => Ok(Some(v.to_string())),
        _ => Err(src.error_at(
            leading,
            format!("{value:?} is not a runtime.txt Python version (expected e.g. python-3.12.1)"),
        )),
    }
}

fn pipfile_version(manifests: &Manifests) -> Result<Option<String>> {
    let Some((src, pipfile)) = &manifests.pipfile else {
        return Ok(None);
    };
    let Some(req) = &pipfile.requires else {
        return Ok(None);
    };
    let Some(v) = req
        .python_full_version
        .as_ref()
        .or(req.python_version.as_ref())
    else {
        return Ok(None);
    };
    if version::is_release(v.get_ref()) {
        Ok(Some(v.get_ref().clone()))
    } else {
        Err(src.error_at(
            v.span().start + 1,
            format!(
                "python_version {:?} is not a plain Python version such as 3.12",
                v.get_ref()
            ),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Start commands

/// Django: gunicorn on the `WSGI_APPLICATION` of the settings module named in manage.py.
fn django_start(
    dir: &ProjectDir,
    details: &mut PythonFacts,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<(Start, Option<String>)>> {
    let Some(manage) = code::read_source(dir, "manage.py")? else {
        return Ok(None);
    };
    details.release = Some((
        ["python", "manage.py", "migrate", "--noinput"]
            .map(String::from)
            .to_vec(),
        "Django's database migrations".into(),
    ));
    let Some((settings, at)) = code::django_settings_module(&manage) else {
        return Ok(None);
    };
    if !code::is_dotted_identifier(&settings) {
        return Err(manage.error_at(
            at,
            format!("DJANGO_SETTINGS_MODULE {settings:?} is not a Python module path"),
        ));
    }
    evidence.push(Evidence::new(
        "manage.py",
        format!("settings module {settings}"),
    ));
    // Follow `from .base import *` through split settings, a few levels deep.
    let mut queue = vec![settings];
    let mut seen = BTreeSet::new();
    while let Some(module) = queue.pop() {
        if !seen.insert(module.clone()) || seen.len() > 8 {
            continue;
        }
        let [file, package] = code::module_files(&module);
        let (src, is_package) = match code::read_source(dir, &file)? {
            Some(s) => (s, false),
            None => match code::read_source(dir, &package)? {
                Some(s) => (s, true),
                None => continue,
            },
        };
        if !details.collectstatic && code::assigns(&src.text, "STATIC_ROOT") {
            evidence.push(Evidence::new(
                &src.path,
                "STATIC_ROOT is set: collectstatic runs in the build stage",
            ));
            details.collectstatic = true;
        }
        if details.secret_key_env.is_none() {
            if let Some(var) = code::required_env_setting(&src.text, "SECRET_KEY") {
                evidence.push(Evidence::new(
                    &src.path,
                    format!("SECRET_KEY comes from {var} (no default)"),
                ));
                details.secret_key_env = Some(var);
            }
        }
        if let Some((value, at)) = code::string_setting(&src, "WSGI_APPLICATION") {
            let Some((module_path, attr)) = value.rsplit_once('.') else {
                return Err(src.error_at(
                    at,
                    "WSGI_APPLICATION must be a dotted path such as mysite.wsgi.application",
                ));
            };
            if !code::is_dotted_identifier(&value) {
                return Err(src.error_at(
                    at,
                    format!("WSGI_APPLICATION {value:?} is not a Python module path"),
                ));
            }
            evidence.push(Evidence::new(
                &src.path,
                format!("WSGI_APPLICATION = {value}"),
            ));
            let file = code::module_files(module_path)
                .into_iter()
                .find(|f| dir.is_file(f));
            return Ok(Some((
                Start::Gunicorn {
                    app: format!("{module_path}:{attr}"),
                },
                file,
            )));
        }
        queue.extend(code::star_imports(&src.text, &module, is_package));
    }
    Ok(None)
}

/// How a framework's application object is found (`[settings.apps.<framework>]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// Calls whose result is the application (`FastAPI`, `fast_app`).
    pub constructors: Vec<String>,
    /// The module a factory's file imports.
    pub import: String,
    /// `asgi` (uvicorn) or `wsgi` (gunicorn).
    pub interface: String,
}

fn app_spec(framework: &str) -> Option<AppSpec> {
    super::settings().apps.get(framework).cloned()
}

/// The module that assigns `Constructor(...)` to a name (or defines an app factory), served by
/// uvicorn (ASGI) or gunicorn (WSGI).
fn app_start(
    files: &[PyFile],
    spec: &AppSpec,
    evidence: &mut Vec<Evidence>,
) -> Option<(Start, Option<String>)> {
    let (file, app, factory, class) = find_app(files, spec)?;
    let module = file.module()?;
    evidence.push(Evidence::new(
        &file.rel,
        if factory {
            format!("{class} app factory {app}()")
        } else {
            format!("{class}() assigned to {app}")
        },
    ));
    let start = match (spec.interface == "asgi", factory) {
        (true, _) => Start::Uvicorn {
            app: format!("{module}:{app}"),
            factory,
        },
        (false, true) => Start::Gunicorn {
            app: format!("{module}:{app}()"),
        },
        (false, false) => Start::Gunicorn {
            app: format!("{module}:{app}"),
        },
    };
    Some((start, Some(file.rel.clone())))
}

/// The first file (conventional names first) holding an application object, else a factory.
fn find_app<'a>(
    files: &'a [PyFile],
    spec: &'a AppSpec,
) -> Option<(&'a PyFile, String, bool, &'a str)> {
    let usable = |f: &&PyFile| f.module().is_some() && f.rel != "setup.py";
    for f in files.iter().filter(usable) {
        for class in &spec.constructors {
            if let Some(name) = code::assigned_instance(&f.text, class) {
                return Some((f, name, false, class.as_str()));
            }
        }
    }
    let class = spec.constructors.first()?.as_str();
    files
        .iter()
        .filter(usable)
        .find(|f| {
            code::imports(&f.text, &spec.import) && code::defines_function(&f.text, "create_app")
        })
        .map(|f| (f, "create_app".to_string(), true, class))
}

/// No framework: main.py, app.py, a package's `__main__.py`, a console script, or a lone script.
fn plain_start(
    dir: &ProjectDir,
    files: &[PyFile],
    manifests: &Manifests,
    scripts: &[String],
) -> Option<(Start, Option<String>)> {
    for main in ["main.py", "app.py", "bot.py"] {
        if code::exists(dir, main) {
            return Some((Start::Script { path: main.into() }, Some(main.into())));
        }
    }
    let packages = code::main_packages(dir);
    let wanted = manifests
        .name()
        .map(|n| requirements::normalise(&n).replace('-', "_"));
    let chosen = packages
        .iter()
        .find(|(p, _)| Some(p) == wanted.as_ref())
        .or(packages.first());
    if let Some((module, in_src)) = chosen {
        let rel = format!("{}{module}/__main__.py", if *in_src { "src/" } else { "" });
        return Some((
            Start::Module {
                module: module.clone(),
            },
            Some(rel),
        ));
    }
    let wanted_script = manifests.name();
    let script = scripts
        .iter()
        .find(|s| Some(*s) == wanted_script.as_ref())
        .or(scripts.first());
    if let Some(name) = script {
        return Some((Start::Console { name: name.clone() }, None));
    }
    let top: Vec<&PyFile> = files
        .iter()
        .filter(|f| {
            !f.rel.contains('/')
                && !matches!(
                    f.rel.as_str(),
                    "setup.py" | "manage.py" | "conftest.py" | "noxfile.py" | "fabfile.py"
                )
                && crate::safe::is_safe_path(&f.rel)
        })
        .collect();
    if let [one] = top.as_slice() {
        return Some((
            Start::Script {
                path: one.rel.clone(),
            },
            Some(one.rel.clone()),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary project with the given files.
    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, ProjectDir) {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = tmp.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let dir = ProjectDir::new(tmp.path(), ".");
        (tmp, dir)
    }

    fn facts(files: &[(&str, &str)], forced: Option<&str>) -> Result<Project> {
        let (_tmp, dir) = project(files);
        let opts = DetectOptions {
            package_manager: forced.map(str::to_string),
            ..DetectOptions::default()
        };
        let mut found = detect(&dir, &opts)?;
        assert_eq!(found.len(), 1);
        Ok(found.remove(0))
    }

    fn details(p: &Project) -> &PythonFacts {
        p.details().expect("python details")
    }

    const POETRY: &str =
        "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\n";

    #[test]
    fn lockfiles_of_two_managers_are_ambiguous() {
        let p = facts(
            &[
                ("requirements.txt", "flask\n"),
                ("pyproject.toml", POETRY),
                ("poetry.lock", ""),
            ],
            None,
        )
        .unwrap();
        let d = details(&p);
        assert_eq!(d.manager, None);
        let msg = &d.ambiguity.as_ref().unwrap().message;
        assert!(
            msg.contains("requirements.txt (pip)") && msg.contains("poetry.lock (poetry)"),
            "{msg}"
        );
        assert!(msg.contains("--package-manager pip"), "{msg}");
        let chosen = facts(
            &[
                ("requirements.txt", "flask\n"),
                ("pyproject.toml", POETRY),
                ("poetry.lock", ""),
            ],
            Some("poetry"),
        )
        .unwrap();
        assert_eq!(chosen.package_manager.as_deref(), Some("poetry"));
    }

    #[test]
    fn a_pinned_list_beats_a_lockless_tool_table() {
        let p = facts(
            &[("requirements.txt", "flask\n"), ("pyproject.toml", POETRY)],
            None,
        )
        .unwrap();
        assert_eq!(p.package_manager.as_deref(), Some("pip"));
        assert!(
            p.evidence
                .iter()
                .any(|e| e.fact.starts_with("ignored: poetry"))
        );
    }

    #[test]
    fn two_tool_tables_without_lockfiles_are_ambiguous_and_project_alone_is_pip() {
        let both = format!("{POETRY}[tool.pdm]\ndistribution = false\n");
        let p = facts(&[("pyproject.toml", &both)], None).unwrap();
        assert!(details(&p).ambiguity.is_some());
        let p = facts(&[("pyproject.toml", "[project]\nname = \"a\"\n")], None).unwrap();
        assert_eq!(p.package_manager.as_deref(), Some("pip"));
        let (_tmp, dir) = project(&[("pyproject.toml", "[tool.ruff]\nline-length = 100\n")]);
        assert!(detect(&dir, &DetectOptions::default()).unwrap().is_empty());
    }

    #[test]
    fn a_forced_manager_needs_something_to_read() {
        let err = facts(&[("requirements.txt", "flask\n")], Some("pdm")).unwrap_err();
        assert!(err.to_string().contains("--package-manager pdm"), "{err}");
        let p = facts(&[("requirements.txt", "flask\n")], Some("npm")).unwrap();
        assert_eq!(p.package_manager.as_deref(), Some("pip"));
    }

    #[test]
    fn version_files_take_precedence_and_bad_ones_are_located() {
        let p = facts(
            &[
                ("requirements.txt", "x\n"),
                (".python-version", "# local\ncpython-3.12.4\n"),
                ("runtime.txt", "python-3.10.1\n"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.runtime_version.as_deref(), Some("3.12.4"));
        let p = facts(
            &[("requirements.txt", "x\n"), (".python-version", "system\n")],
            None,
        )
        .unwrap();
        assert_eq!(
            p.runtime_version.as_deref(),
            Some(crate::versions::family("python").default.as_str())
        );
        let p = facts(
            &[
                ("requirements.txt", "x\n"),
                ("runtime.txt", "python-3.9.18\n"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.runtime_version.as_deref(), Some("3.9.18"));
        let warning = details(&p).warnings.join("\n");
        assert!(warning.contains("out of support"), "{warning}");
        let err = facts(
            &[
                ("requirements.txt", "x\n"),
                (".python-version", "\n  pypy3.10\n"),
            ],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with(".python-version:2:3:"), "{err}");
        let err = facts(
            &[("requirements.txt", "x\n"), ("runtime.txt", "3.12\n")],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("runtime.txt:1:1:"), "{err}");
        let err = facts(
            &[(
                "pyproject.toml",
                "[project]\nname = \"a\"\nrequires-python = \">=4.1\"\n",
            )],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("pyproject.toml:3:20:"), "{err}");
    }

    #[test]
    fn start_commands_bind_all_interfaces_on_the_port() {
        let g = Start::Gunicorn {
            app: "a:app".into(),
        };
        assert_eq!(g.argv(Some(5000))[2], "0.0.0.0:5000");
        let u = Start::Uvicorn {
            app: "a:make".into(),
            factory: true,
        };
        assert_eq!(
            u.argv(None),
            [
                "uvicorn",
                "a:make",
                "--host",
                "0.0.0.0",
                "--port",
                "8000",
                "--proxy-headers",
                "--factory"
            ]
        );
        assert_eq!(
            Start::Module {
                module: "pkg".into()
            }
            .argv(None),
            ["python", "-m", "pkg"]
        );
    }

    #[test]
    fn lockfile_formats_the_pinned_tool_cannot_read_are_handled() {
        let pyproject =
            "[project]\nname = \"a\"\ndependencies = [\"click\"]\n[tool.poetry]\nname = \"a\"\n";
        let p = facts(
            &[
                ("pyproject.toml", pyproject),
                ("poetry.lock", "[metadata]\nlock-version = \"1.1\"\n"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.package_manager.as_deref(), Some("poetry"));
        let err = facts(
            &[
                ("pyproject.toml", pyproject),
                ("poetry.lock", "[metadata]\nlock-version = \"9.0\"\n"),
            ],
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("lock format 9.0") && err.contains("--package-manager pip"),
            "{err}"
        );
    }

    #[test]
    fn the_framework_whose_app_is_found_wins() {
        let p = facts(
            &[
                ("requirements.txt", "django==5.2.8\nflask==3.1.3\n"),
                ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.framework.as_deref(), Some("flask"));
        assert_eq!(p.start_command.unwrap().last().unwrap(), "app:app");
        let p = facts(
            &[
                ("requirements.txt", "starlette==0.50.0\n"),
                (
                    "main.py",
                    "from starlette.applications import Starlette\napp = Starlette()\n",
                ),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.start_command.unwrap()[..2], ["uvicorn", "main:app"]);
    }

    #[test]
    fn lockfiles_report_local_and_unhashed_packages() {
        let poetry: toml::Table = toml::from_str(
            "[[package]]\nname = \"lib\"\n[package.source]\ntype = \"directory\"\nurl = \"libs/lib\"\n\
             [[package]]\nname = \"g\"\n[package.source]\ntype = \"git\"\nurl = \"x\"\n",
        )
        .unwrap();
        let f = lock_facts("poetry.lock", &poetry);
        assert_eq!(f.local.as_deref(), Some("poetry.lock (package lib)"));
        assert!(f.unhashed);
        let uv: toml::Table = toml::from_str(
            "[[package]]\nname = \"app\"\nsource = { editable = \".\" }\n\
             [[package]]\nname = \"requests\"\nsource = { registry = \"r\" }\n",
        )
        .unwrap();
        let f = lock_facts("uv.lock", &uv);
        assert_eq!(f.local, None);
        assert!(!f.unhashed);
    }
}
