//! Python projects: which package manager installs them, which interpreter they want, which
//! framework they use and how they start — each fact with the file that says so.
//!
//! The rules (which files mean which package manager, where versions come from, framework ports)
//! are data in `detectors/python.toml`. This module reads the project's files as untrusted input:
//! every manifest and lockfile is parsed (a malformed one is an error at `file:line:col`), and every
//! value that can reach a Dockerfile (script names, module paths, include paths) is checked here.

mod code;
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
}

impl Start {
    /// The command line, with servers bound to `port` on all interfaces.
    pub fn argv(&self, port: Option<u16>) -> Vec<String> {
        let port = port.unwrap_or(8000).to_string();
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Start::Gunicorn { app } => v(&[
                "gunicorn",
                "--bind",
                &format!("0.0.0.0:{port}"),
                "--access-logfile",
                "-",
                app,
            ]),
            Start::Uvicorn { app, factory } => {
                let mut argv = v(&["uvicorn", app, "--host", "0.0.0.0", "--port", &port]);
                if *factory {
                    argv.push("--factory".into());
                }
                argv
            }
            Start::Script { path } => v(&["python", path]),
            Start::Module { module } => v(&["python", "-m", module]),
            Start::Console { name } => v(&[name]),
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
    if let Some(lock) = manager.and_then(|m| manifests.locks.get(m)) {
        if details.local_dependency.is_none() {
            details.local_dependency = lock.local.clone();
        }
        details.unhashed_sources = lock.unhashed;
    }
    details.installable = manifests.installable(dir, manager);
    details.scripts = manifests.scripts()?;

    // Interpreter version.
    details.version = python_version(dir, rules, &manifests, &mut evidence)?;
    let runtime_version = match &details.version {
        VersionSource::Pinned { version, .. } => version.clone(),
        VersionSource::Range(spec) => best_version(spec).unwrap_or_default(),
        VersionSource::Default => rules.default_version.clone(),
    };

    // Framework, start command, port.
    let files = code::python_files(dir);
    let framework = rules
        .frameworks
        .iter()
        .find(|f| {
            f.dependencies
                .iter()
                .any(|d| details.dependencies.contains(d))
        })
        .cloned();
    let mut port = None;
    if let Some(fw) = &framework {
        evidence.push(Evidence::new(
            dependency_file(dir, manager),
            format!("depends on {}", fw.name),
        ));
        details.serves_http = true;
        port = fw.port.or(rules.default_port);
        let found = match fw.name.as_str() {
            "django" => match django_start(dir, &mut evidence)? {
                Some(found) => Some(found),
                None => app_start(
                    &files,
                    "get_wsgi_application",
                    "django",
                    false,
                    &mut evidence,
                ),
            },
            "fastapi" => app_start(&files, "FastAPI", "fastapi", true, &mut evidence),
            "flask" => app_start(&files, "Flask", "flask", false, &mut evidence),
            _ => None,
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

    let name = manifests.name().unwrap_or_else(|| directory_name(dir));
    let start_command = details.start.as_ref().map(|s| s.argv(port));
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

/// The highest known Python minor a constraint admits.
pub fn best_version(spec: &str) -> Option<String> {
    let known = known_versions();
    Constraint::parse(spec)
        .ok()?
        .best(&known)
        .map(str::to_string)
}

/// `[settings] known_versions` from the detector data.
pub fn known_versions() -> Vec<String> {
    super::settings().known_versions.clone()
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
    local: Option<String>,
    unhashed: bool,
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
                m.locks.insert(manager, lock_facts(file, &table));
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
            many => {
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
                for s in &level {
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
                                s.manager == *m
                                    && (s.file == *f || s.file.ends_with(&format!("/{f}")))
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
                return Ok(Choice::Ambiguous(Ambiguity {
                    message,
                    candidates,
                }));
            }
        }
    }
    Ok(Choice::NotPython)
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
        let constraint =
            Constraint::parse(text).map_err(|e| src.error_at(at, format!("{what}: {e}")))?;
        let known = known_versions();
        let Some(best) = constraint.best(&known) else {
            return Err(src.error_at(
                at,
                format!(
                    "{what} {text:?} admits none of the Python versions dockgen knows ({}); \
                     pass --runtime-version",
                    known.join(", ")
                ),
            ));
        };
        evidence.push(Evidence::new(
            "pyproject.toml",
            format!("{what} {text:?}: Python {best}, the newest it admits"),
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
    evidence: &mut Vec<Evidence>,
) -> Result<Option<(Start, Option<String>)>> {
    let Some(manage) = code::read_source(dir, "manage.py")? else {
        return Ok(None);
    };
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

/// The module that assigns `Class(...)` to a name (or defines an app factory), served by
/// uvicorn (ASGI: FastAPI) or gunicorn (WSGI: Flask, Django's wsgi.py).
fn app_start(
    files: &[PyFile],
    class: &str,
    import: &str,
    asgi: bool,
    evidence: &mut Vec<Evidence>,
) -> Option<(Start, Option<String>)> {
    let (file, app, factory) = find_app(files, class, import)?;
    let module = file.module()?;
    evidence.push(Evidence::new(
        &file.rel,
        if factory {
            format!("{class} app factory {app}()")
        } else {
            format!("{class}() assigned to {app}")
        },
    ));
    let start = match (asgi, factory) {
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
    class: &str,
    import: &str,
) -> Option<(&'a PyFile, String, bool)> {
    let usable = |f: &&PyFile| f.module().is_some() && f.rel != "setup.py";
    if let Some((f, name)) = files
        .iter()
        .filter(usable)
        .find_map(|f| code::assigned_instance(&f.text, class).map(|n| (f, n)))
    {
        return Some((f, name, false));
    }
    files
        .iter()
        .filter(usable)
        .find(|f| code::imports(&f.text, import) && code::defines_function(&f.text, "create_app"))
        .map(|f| (f, "create_app".to_string(), true))
}

/// No framework: main.py, app.py, a package's `__main__.py`, a console script, or a lone script.
fn plain_start(
    dir: &ProjectDir,
    files: &[PyFile],
    manifests: &Manifests,
    scripts: &[String],
) -> Option<(Start, Option<String>)> {
    for main in ["main.py", "app.py"] {
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
        assert_eq!(p.runtime_version.as_deref(), Some("3.12"));
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
