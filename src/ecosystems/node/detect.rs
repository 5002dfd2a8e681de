//! Node projects: `package.json`, its lockfile, version files, frameworks and workspaces.
//!
//! What to look for is data (`detectors/node.toml`); this module reads a project's files, treats every
//! value in them as untrusted, and reports facts with their evidence. How the image is built is the
//! planner's business (`plan::node`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::detect::{
    Details, DetectOptions, Evidence, Project, expand_member_globs, needs_shell, rel_string,
    shell_words,
};
use crate::error::{Error, Result};
use crate::rules::Rules;
use crate::safe;
use crate::source::{ProjectDir, SourceText};

pub mod web;

pub use web::{DevStart, SsrServer, StaticSite};

/// What a start command is when it is a development server or watcher (`None`: a production start).
pub fn dev_server(argv: &[String]) -> Option<DevStart> {
    let rest = argv
        .iter()
        .position(|w| !w.contains('=') || w.starts_with('-'))
        .map_or(&argv[..0], |i| &argv[i..]);
    web::classify(rest, &web::framework_clis())
}

/// The package managers dockgen can drive, with yarn's two generations kept apart: they share a
/// name and nothing else (flags, cache, production installs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    Npm,
    Pnpm,
    YarnClassic,
    YarnBerry,
    Bun,
}

impl PackageManager {
    /// The name `detect --json` reports (and `--package-manager` accepts).
    pub fn name(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::YarnClassic | PackageManager::YarnBerry => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    /// A human description that tells yarn's generations apart.
    pub fn label(self) -> &'static str {
        match self {
            PackageManager::YarnClassic => "yarn classic",
            PackageManager::YarnBerry => "yarn berry",
            other => other.name(),
        }
    }
}

/// How the container starts the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// A program run directly (exec form), with the `VAR=value` prefixes its script had.
    Exec {
        argv: Vec<String>,
        env: Vec<(String, String)>,
    },
    /// A start script that needs a shell (operators, expansions, a binary from node_modules/.bin).
    Shell { script: String },
    /// A built static site, served by nginx.
    Static(Box<StaticSite>),
    /// The only start found is a development server (or a framework configuration with no
    /// production server); the message says what to pass instead.
    Refused(String),
    /// Nothing found: the user must pass `--start`.
    Unknown,
}

/// A workspace member's place in its monorepo.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// The member's package name (validated as an npm package name).
    pub name: String,
    /// Directories of the workspace packages this member depends on, dependencies first.
    pub local_deps: Vec<String>,
    /// Members to build, dependencies first: (directory, package name).
    pub builds: Vec<(String, String)>,
}

/// Node-specific facts for the planner.
#[derive(Debug, Clone)]
pub struct NodeDetails {
    pub pm: PackageManager,
    /// True when `packageManager` names the package manager: corepack then reads it from package.json.
    pub pm_from_field: bool,
    /// `--package-manager` overrides a `packageManager` field naming another one.
    pub pm_field_overridden: bool,
    /// The package manager version to activate: exact from `packageManager`, else the major that wrote
    /// the lockfile.
    pub pm_version: Option<String>,
    /// The lockfile, relative to the build context root, when there is one for `pm`.
    pub lockfile: Option<String>,
    /// Other root files the install needs (pnpm-workspace.yaml, .yarnrc.yml, .yarn/releases, ...).
    pub install_files: Vec<String>,
    pub workspace: Option<Box<Workspace>>,
    /// The project is in a workspace (a member, or a root that has members): the install reads every
    /// member's `package.json`, however many there are.
    pub workspace_members: bool,
    /// The project has a `build` script.
    pub has_build: bool,
    pub start: Start,
    /// Next.js with `output: 'standalone'`.
    pub next_standalone: bool,
    /// The project has a `public/` directory (Next.js serves it).
    pub has_public: bool,
    /// The Next.js config file, when there is one (`next start` reads it).
    pub next_config: Option<String>,
    /// Major version of the runtime, for choices that depend on it (fetch in health checks).
    pub node_major: u32,
    /// How the production image runs it (serving, framework build, native modules).
    pub run: Box<RunFacts>,
    /// Things the user should know; the planner passes them on.
    pub notes: Vec<String>,
}

/// What the production image needs to know about running the app.
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    /// Why the program serves HTTP (a framework, a listen call, ...); `None`: it serves nothing
    /// (a worker, bot or script), with the reason in `idle_reason`.
    pub serves_http: Option<String>,
    pub idle_reason: String,
    /// The build output holds everything the server needs (Nuxt's `.output`): the runtime copies
    /// only this folder, no node_modules.
    pub self_contained: Option<String>,
    /// The build command when the project has no build script but its framework needs one.
    pub framework_build: Vec<String>,
    /// Dependencies that compile a native addon (`native_modules` in the rules).
    pub native: Vec<String>,
    /// Prisma's schema (relative path) when the project uses Prisma Client: `prisma generate` runs
    /// in the build stage.
    pub prisma: Option<Prisma>,
}

/// A project using Prisma Client.
#[derive(Debug, Clone, Default)]
pub struct Prisma {
    /// The schema file or folder, when not Prisma's default place.
    pub schema: Option<String>,
    /// The client is generated into node_modules/.prisma (no `output` in the generator block), so
    /// the runtime needs it copied next to the production dependencies.
    pub in_node_modules: bool,
    /// The prisma CLI is a dependency (it generates the client).
    pub cli: bool,
    /// The build script already runs `prisma generate`.
    pub build_generates: bool,
}

/// A parsed `package.json` with the fields dockgen reads.
#[derive(Debug, Clone)]
struct Manifest {
    src: SourceText,
    value: Value,
}

impl Manifest {
    fn read(dir: &ProjectDir) -> Result<Option<Manifest>> {
        let Some(src) = dir.read_opt("package.json")? else {
            return Ok(None);
        };
        let value: Value = src.json()?;
        if !value.is_object() {
            return Err(src.error_at(0, "package.json must be a JSON object"));
        }
        Ok(Some(Manifest { src, value }))
    }

    fn str_field(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }

    fn script(&self, name: &str) -> Option<&str> {
        self.value
            .get("scripts")
            .and_then(|s| s.get(name))
            .and_then(Value::as_str)
    }

    /// Names in `dependencies` (and `devDependencies` when `dev`).
    fn deps(&self, dev: bool) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut sections = vec!["dependencies", "optionalDependencies"];
        if dev {
            sections.push("devDependencies");
        }
        for section in sections {
            if let Some(map) = self.value.get(section).and_then(Value::as_object) {
                out.extend(map.keys().cloned());
            }
        }
        out
    }

    /// An input error at `keys` (a path of object keys, e.g. `["scripts", "start"]`).
    fn error_at_key(&self, keys: &[&str], message: impl Into<String>) -> Error {
        let text = &self.src.text;
        let mut offset = 0;
        for key in keys {
            let needle = format!("\"{key}\"");
            match text[offset..].find(&needle) {
                Some(i) => offset += i,
                None => return self.src.error_near(&needle, message),
            }
        }
        self.src.error_at(offset, message)
    }

    /// A string field that must not carry control characters into a Dockerfile.
    fn checked(&self, keys: &[&str], value: &str) -> Result<()> {
        if safe::has_control(value) {
            let what = keys.join(".");
            return Err(self.error_at_key(
                keys,
                format!(
                    "{what} contains a control character (newline, tab, ...); dockgen will not put it in a Dockerfile"
                ),
            ));
        }
        Ok(())
    }
}

/// Detects Node projects in `dir` (and workspace members below it).
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    let Some(root) = Manifest::read(dir)? else {
        return Ok(Vec::new());
    };
    let rules = super::rules();
    if let Some(pm) = &opts.package_manager {
        if !["npm", "pnpm", "yarn", "bun"].contains(&pm.as_str()) {
            if opts.ecosystem == Some(super::ECOSYSTEM) {
                return Err(Error::Usage(format!(
                    "--package-manager {pm}: a Node project uses npm, pnpm, yarn or bun"
                )));
            }
            // The user is choosing for another ecosystem in this directory.
            return Ok(Vec::new());
        }
    }
    let pm = detect_package_manager(dir, &root, rules, opts.package_manager.as_deref())?;
    let globs = workspace_globs(dir, &root, pm.pm)?;
    if !globs.is_empty() {
        let members = read_members(dir, &globs)?;
        let apps: Vec<&Member> = members.iter().filter(|m| m.is_app()).collect();
        if !apps.is_empty() {
            let mut projects = Vec::new();
            for app in apps {
                projects.push(member_project(dir, &root, &pm, &members, app, rules)?);
            }
            return Ok(projects);
        }
    }
    let mut project = package_project(dir, ".", &root, Some(&root), &pm, rules)?;
    if !globs.is_empty() {
        project.evidence.push(Evidence::new(
            "package.json",
            "workspace root without a deployable member: the root itself is the project",
        ));
        if let Some(d) = project.details.get_mut::<NodeDetails>() {
            d.workspace_members = true;
        }
    }
    Ok(vec![project])
}

/// The package manager decision for a root, with its evidence.
#[derive(Debug, Clone)]
struct PmChoice {
    pm: PackageManager,
    from_field: bool,
    field_overridden: bool,
    version: Option<String>,
    lockfile: Option<String>,
    install_files: Vec<String>,
    evidence: Vec<Evidence>,
    notes: Vec<String>,
}

fn detect_package_manager(
    dir: &ProjectDir,
    root: &Manifest,
    rules: &Rules,
    forced: Option<&str>,
) -> Result<PmChoice> {
    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    let mut field_overridden = false;
    let field = package_manager_field(root)?;
    let lockfile_of = |name: &str| -> Option<String> {
        rules
            .package_manager(name)
            .and_then(|r| r.lockfiles.iter().find(|l| dir.is_file(l)).cloned())
    };
    let (name, from_field, version) = if let Some(forced) = forced {
        evidence.push(Evidence::new(
            "--package-manager",
            format!("{forced} chosen on the command line"),
        ));
        let version = field
            .as_ref()
            .filter(|(n, _)| n == forced)
            .map(|(_, v)| v.clone());
        field_overridden = field.is_some() && version.is_none();
        (forced.to_string(), version.is_some(), version)
    } else if let Some((name, version)) = &field {
        evidence.push(Evidence::new(
            "package.json",
            format!("packageManager is {name}@{version}"),
        ));
        for other in rules.package_managers.iter().filter(|r| &r.name != name) {
            if let Some(lock) = other.lockfiles.iter().find(|l| dir.is_file(l)) {
                evidence.push(Evidence::new(
                    lock,
                    format!("ignored: the packageManager field ({name}) wins over this lockfile"),
                ));
            }
        }
        (name.clone(), true, Some(version.clone()))
    } else {
        let by_lock = rules.package_managers.iter().find_map(|r| {
            r.lockfiles
                .iter()
                .find(|l| dir.is_file(l))
                .map(|l| (r.name.clone(), l.clone()))
        });
        let by_marker = || {
            rules.package_managers.iter().find_map(|r| {
                r.markers
                    .iter()
                    .find(|m| dir.is_file(m))
                    .map(|m| (r.name.clone(), m.clone()))
            })
        };
        let by_engines = || {
            ["pnpm", "yarn", "bun"].iter().find_map(|n| {
                root.value
                    .get("engines")
                    .and_then(|e| e.get(*n))
                    .map(|_| (n.to_string(), "package.json".to_string()))
            })
        };
        match by_lock.or_else(by_marker) {
            Some((name, file)) => {
                evidence.push(Evidence::new(&file, format!("{file} means {name}")));
                (name, false, None)
            }
            None if by_engines().is_some() => {
                let (name, _) = by_engines().unwrap_or_default();
                evidence.push(Evidence::new(
                    "package.json",
                    format!("no lockfile; engines.{name} names the package manager: {name}"),
                ));
                (name, false, None)
            }
            None => {
                evidence.push(Evidence::new(
                    "package.json",
                    "no lockfile: npm, with `npm install`",
                ));
                ("npm".to_string(), false, None)
            }
        }
    };
    let lockfile = lockfile_of(&name);
    if let Some(lock) = &lockfile {
        validate_lockfile(dir, lock)?;
    } else {
        notes.push(format!(
            "no {name} lockfile: dependencies are resolved afresh on every build; commit a lockfile for reproducible images"
        ));
    }
    let pm = match name.as_str() {
        "npm" => PackageManager::Npm,
        "pnpm" => PackageManager::Pnpm,
        "bun" => PackageManager::Bun,
        _ => {
            if yarn_is_berry(dir, version.as_deref(), lockfile.as_deref())? {
                PackageManager::YarnBerry
            } else {
                PackageManager::YarnClassic
            }
        }
    };
    if matches!(pm, PackageManager::YarnBerry | PackageManager::YarnClassic) {
        evidence.push(Evidence::new(
            if dir.is_file(".yarnrc.yml") {
                ".yarnrc.yml"
            } else {
                "yarn.lock"
            },
            format!("{} (yarn 2 or later is berry)", pm.label()),
        ));
    }
    let version = match (version, &lockfile) {
        (Some(v), _) => Some(v),
        (None, Some(lock)) => lockfile_pm_major(dir, pm, lock)?,
        (None, None) => None,
    };
    let mut install_files = Vec::new();
    let extra: &[&str] = match pm {
        PackageManager::Pnpm => &["pnpm-workspace.yaml", ".pnpmfile.cjs"],
        PackageManager::YarnBerry => &[
            ".yarnrc.yml",
            ".yarn/releases",
            ".yarn/plugins",
            ".yarn/patches",
        ],
        PackageManager::YarnClassic => &[".yarnrc"],
        PackageManager::Npm | PackageManager::Bun => &["bunfig.toml"],
    };
    for f in extra {
        if dir.exists(f) && !(pm == PackageManager::Npm && *f == "bunfig.toml") {
            install_files.push((*f).to_string());
        }
    }
    if dir.is_file(".npmrc") {
        notes.push(
            ".npmrc is left out of the build context (it may hold tokens); pass it as a build secret: \
             docker build --secret id=npmrc,src=.npmrc ."
                .to_string(),
        );
    }
    Ok(PmChoice {
        pm,
        from_field,
        field_overridden,
        version,
        lockfile,
        install_files,
        evidence,
        notes,
    })
}

/// Reads `packageManager` (`pnpm@9.12.0`, `yarn@4.5.0+sha512.abc`) as (name, version).
fn package_manager_field(root: &Manifest) -> Result<Option<(String, String)>> {
    let Some(raw) = root.value.get("packageManager") else {
        return Ok(None);
    };
    let bad = |why: &str| {
        root.error_at_key(
            &["packageManager"],
            format!("packageManager {why}; expected something like \"pnpm@9.12.0\""),
        )
    };
    let Some(s) = raw.as_str() else {
        return Err(bad("is not a string"));
    };
    let spec = s.split('+').next().unwrap_or("");
    let Some((name, version)) = spec.split_once('@') else {
        return Err(bad("has no version"));
    };
    if !["npm", "pnpm", "yarn", "bun"].contains(&name) {
        return Err(bad("names a package manager dockgen does not know"));
    }
    if semver::Version::parse(version).is_err() || safe::version(version).is_err() {
        return Err(bad("does not carry an exact version"));
    }
    Ok(Some((name.to_string(), version.to_string())))
}

/// Lockfiles must parse: a broken one would only fail later, inside `docker build`.
fn validate_lockfile(dir: &ProjectDir, lock: &str) -> Result<()> {
    let big = dir.file_len(lock).is_none_or(|len| len > 16 * 1024 * 1024);
    if big || lock == "bun.lockb" || lock == "bun.lock" {
        return Ok(());
    }
    let Some(src) = dir.read_opt(lock)? else {
        return Ok(());
    };
    if lock.ends_with(".json") {
        src.json::<Value>()?;
    } else if lock.ends_with(".yaml") || src.text.contains("__metadata:") {
        // pnpm-lock.yaml, and yarn berry's yarn.lock (classic's is not YAML).
        src.yaml::<serde_yaml_ng::Value>()?;
    }
    Ok(())
}

/// Yarn 2+ (berry) has `.yarnrc.yml`, a `__metadata` block in its lockfile, or says so in packageManager.
fn yarn_is_berry(dir: &ProjectDir, version: Option<&str>, lock: Option<&str>) -> Result<bool> {
    if let Some(v) = version {
        return Ok(!v.starts_with("1."));
    }
    if dir.is_file(".yarnrc.yml") {
        return Ok(true);
    }
    if let Some(lock) = lock {
        return Ok(lockfile_head(dir, lock)?
            .lines()
            .any(|l| l.starts_with("__metadata:")));
    }
    Ok(false)
}

/// The first few kilobytes of a lockfile: where its format version is written. Lockfiles can be
/// far larger than a manifest, so they are not read whole for this.
fn lockfile_head(dir: &ProjectDir, lock: &str) -> Result<String> {
    let path = dir.path(lock);
    Ok(
        crate::source::read_prefix(&dir.root, &path, &dir.display_path(lock), 8192)?
            .unwrap_or_default(),
    )
}

/// The package manager major that wrote a lockfile, so corepack activates one that can read it.
fn lockfile_pm_major(dir: &ProjectDir, pm: PackageManager, lock: &str) -> Result<Option<String>> {
    let settings = super::settings();
    let table = match pm {
        PackageManager::Pnpm => &settings.pnpm_lockfile_majors,
        PackageManager::YarnBerry => &settings.yarn_lockfile_majors,
        _ => return Ok(None),
    };
    let head = lockfile_head(dir, lock)?;
    let key = if pm == PackageManager::Pnpm {
        "lockfileVersion:"
    } else {
        "  version:"
    };
    let found = head
        .lines()
        .find(|l| l.starts_with(key))
        .map(|l| l[key.len()..].trim().trim_matches(['\'', '"']).to_string());
    let major = found.and_then(|v| table.get(v.as_str()));
    Ok(major.map(|m| m.to_string()))
}

/// Workspace globs: `pnpm-workspace.yaml` for pnpm, else the `workspaces` field.
fn workspace_globs(dir: &ProjectDir, root: &Manifest, pm: PackageManager) -> Result<Vec<String>> {
    if pm == PackageManager::Pnpm {
        let Some(src) = dir.read_opt("pnpm-workspace.yaml")? else {
            return Ok(Vec::new());
        };
        let value: serde_yaml_ng::Value = src.yaml()?;
        let list = value
            .get("packages")
            .and_then(|p| p.as_sequence())
            .map(|seq| {
                seq.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        return Ok(list);
    }
    let ws = match root.value.get("workspaces") {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(o)) => o
            .get("packages")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        Some(_) => {
            return Err(root.error_at_key(
                &["workspaces"],
                "workspaces must be a list of globs (or {\"packages\": [...]})",
            ));
        }
        None => return Ok(Vec::new()),
    };
    Ok(ws
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect())
}

/// One workspace member.
#[derive(Debug, Clone)]
struct Member {
    path: String,
    manifest: Manifest,
    dir: ProjectDir,
}

impl Member {
    fn name(&self) -> Option<&str> {
        self.manifest.str_field("name")
    }

    /// An app (something to deploy) rather than a library: it has a start script, a framework
    /// that knows how to start it, or a server entry file.
    fn is_app(&self) -> bool {
        let m = &self.manifest;
        if m.script("start").is_some() || m.script("start:prod").is_some() {
            return true;
        }
        let deps = m.deps(true);
        if ["next", "@nestjs/core"].iter().any(|d| deps.contains(*d)) {
            return true;
        }
        if deps.contains("vite") && self.dir.is_file("index.html") && m.script("build").is_some() {
            return true;
        }
        [
            "server.js",
            "server.mjs",
            "server.ts",
            "src/server.ts",
            "src/server.js",
        ]
        .iter()
        .any(|f| self.dir.is_file(f))
    }
}

fn read_members(dir: &ProjectDir, globs: &[String]) -> Result<Vec<Member>> {
    let mut out = Vec::new();
    for rel in expand_member_globs(dir, globs)? {
        let path = rel_string(&rel);
        let member_dir = ProjectDir::new(&dir.root, &rel);
        if !member_dir.is_file("package.json") {
            continue;
        }
        let Some(manifest) = Manifest::read(&member_dir)? else {
            continue;
        };
        out.push(Member {
            path,
            manifest,
            dir: member_dir,
        });
    }
    Ok(out)
}

/// The project for one deployable workspace member.
fn member_project(
    dir: &ProjectDir,
    root: &Manifest,
    pm: &PmChoice,
    members: &[Member],
    app: &Member,
    rules: &Rules,
) -> Result<Project> {
    for m in members {
        if !safe::is_safe_path(&m.path) {
            return Err(Error::input(
                crate::error::Location::file(dir.display_path("package.json")),
                format!(
                    "workspace member {:?} is not a plain relative path (letters, digits, . _ - / @ +)",
                    m.path
                ),
            ));
        }
    }
    let name = app.name().unwrap_or_default().to_string();
    if !is_package_name(&name) {
        return Err(app.manifest.error_at_key(
            &["name"],
            "a workspace member needs a plain npm package name (the package manager selects it by name)",
        ));
    }
    // Workspace packages this member depends on, transitively, dependencies first.
    let by_name: BTreeMap<&str, &Member> = members
        .iter()
        .filter_map(|m| m.name().map(|n| (n, m)))
        .collect();
    // Everything the build needs (dev dependencies included), and what the runtime needs.
    let mut order: Vec<&Member> = Vec::new();
    visit_local(app, &by_name, true, &mut BTreeSet::new(), &mut order);
    let mut runtime: Vec<&Member> = Vec::new();
    visit_local(app, &by_name, false, &mut BTreeSet::new(), &mut runtime);
    let local_deps: Vec<String> = runtime
        .iter()
        .filter(|m| m.path != app.path)
        .map(|m| m.path.clone())
        .collect();
    let builds = order
        .iter()
        .filter(|m| m.manifest.script("build").is_some())
        .filter_map(|m| m.name().map(|n| (m.path.clone(), n.to_string())))
        .filter(|(_, n)| is_package_name(n))
        .collect();
    let workspace = Workspace {
        name,
        local_deps,
        builds,
    };
    let mut project = package_project(&app.dir, &app.path, &app.manifest, Some(root), pm, rules)?;
    project.evidence.insert(
        0,
        Evidence::new(
            if pm.pm == PackageManager::Pnpm {
                "pnpm-workspace.yaml"
            } else {
                "package.json"
            },
            format!("workspace member {} is an app", app.path),
        ),
    );
    if let Some(d) = project.details.get_mut::<NodeDetails>() {
        d.workspace = Some(Box::new(workspace));
        d.workspace_members = true;
    }
    Ok(project)
}

/// Depth-first walk over workspace dependencies (with devDependencies when `dev`), so `order`
/// lists every package after the ones it depends on.
fn visit_local<'a>(
    m: &'a Member,
    by_name: &BTreeMap<&str, &'a Member>,
    dev: bool,
    seen: &mut BTreeSet<String>,
    order: &mut Vec<&'a Member>,
) {
    if !seen.insert(m.path.clone()) {
        return;
    }
    for dep in m.manifest.deps(dev) {
        if let Some(local) = by_name.get(dep.as_str()) {
            visit_local(local, by_name, dev, seen, order);
        }
    }
    order.push(m);
}

/// A plain npm package name (`web`, `@acme/api`): safe as a shell word and a pnpm filter.
pub fn is_package_name(name: &str) -> bool {
    let body = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, rest)) if !scope.is_empty() => {
                if !scope.chars().all(name_char) {
                    return false;
                }
                rest
            }
            _ => return false,
        },
        None => name,
    };
    !body.is_empty()
        && !body.starts_with('.')
        && !body.starts_with('-')
        && name.len() <= 214
        && body.chars().all(name_char)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// Detects one package (the root, or a workspace member with `root` its workspace root).
fn package_project(
    dir: &ProjectDir,
    path: &str,
    manifest: &Manifest,
    root: Option<&Manifest>,
    pm: &PmChoice,
    rules: &Rules,
) -> Result<Project> {
    let mut evidence = vec![Evidence::new(
        dir.display_path("package.json"),
        "a Node project",
    )];
    evidence.extend(pm.evidence.iter().cloned());
    let mut notes = pm.notes.clone();
    let name = match manifest.str_field("name") {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => dir
            .dir()
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "app".to_string()),
    };

    let (version, version_evidence) = runtime_version(dir, manifest, root, rules)?;
    evidence.push(version_evidence);
    if let Some(w) = version_warning(&version) {
        notes.push(w);
    }
    let node_major = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(22);

    let deps = manifest.deps(true);
    let mut framework = rules
        .frameworks
        .iter()
        .find(|f| f.dependencies.iter().any(|d| deps.contains(d)))
        .map(|f| f.name.clone());
    let has_build = manifest.script("build").is_some();
    let front = web::detect(dir, manifest, rules, &mut evidence)?;
    let next_export =
        matches!(&front, Some(web::FrontEnd::Static(s)) if s.framework == "next-export");
    if let Some(f) = front.as_ref().and_then(web::FrontEnd::framework) {
        if framework.is_none() || framework.as_deref() != Some("nextjs") {
            framework = Some(f.to_string());
        }
    }
    if let Some(f) = &framework {
        if rules.framework(f).is_some() {
            evidence.push(Evidence::new(
                dir.display_path("package.json"),
                format!(
                    "depends on {}: framework {f}",
                    framework_dep(rules, f, &deps)
                ),
            ));
        }
    }
    if has_build {
        evidence.push(Evidence::new(
            dir.display_path("package.json"),
            "has a build script: run in the build stage",
        ));
    }

    let mut next_standalone = false;
    let mut next_config = None;
    if framework.as_deref() == Some("nextjs") && !next_export {
        for f in [
            "next.config.js",
            "next.config.mjs",
            "next.config.ts",
            "next.config.cjs",
            "next.config.mts",
        ] {
            if let Some(src) = dir.read_opt(f)? {
                next_config = Some(f.to_string());
                next_standalone = declares_standalone(&src.text);
                evidence.push(Evidence::new(
                    dir.display_path(f),
                    if next_standalone {
                        "output: 'standalone': the image ships .next/standalone"
                    } else {
                        "no standalone output: the image runs `next start` with production dependencies"
                    },
                ));
                break;
            }
        }
    }

    let procfile = crate::procfile::Procfile::read(dir)?;
    let proc_start = procfile_start(procfile.as_ref(), &mut evidence, &mut notes)?;
    let start = start_command(
        dir,
        manifest,
        framework.as_deref(),
        next_standalone,
        front.as_ref(),
        proc_start.as_ref(),
        &mut evidence,
    )?;
    if let Start::Shell { script } = &start {
        notes.push(format!(
            "the start script {script:?} needs a shell, so the image runs it with /bin/sh -c; \
             pass --start \"node <file>\" to run Node directly"
        ));
    }
    if start == Start::Unknown {
        notes.push(
            "no start command found: add a \"start\" script or a \"main\" field, or pass --start"
                .to_string(),
        );
    }
    if let Start::Refused(why) = &start {
        notes.push(why.clone());
    }
    // What the framework's production build needs, when the start comes from it.
    let from_front = |argv: &[String]| match &front {
        Some(web::FrontEnd::Server(s)) => argv == s.argv.as_slice(),
        _ => false,
    };
    let mut self_contained = None;
    let mut framework_build = Vec::new();
    let mut front_port = None;
    match (&front, &start) {
        (Some(web::FrontEnd::Server(s)), Start::Exec { argv, .. }) if from_front(argv) => {
            self_contained = s.self_contained.clone();
            framework_build = s.build.clone();
            front_port = Some((s.framework.clone(), s.port));
        }
        (_, Start::Static(site)) => framework_build = site.build.clone(),
        _ => {}
    }
    let serving = match (&procfile, &proc_start) {
        // --start replaces the Procfile's process later; detection follows the Procfile.
        (Some(p), Some(_)) if !p.serves_http() => {
            let why = "the Procfile has no web process, only workers".to_string();
            evidence.push(Evidence::new(
                &p.path,
                format!("serves nothing over HTTP: {why}"),
            ));
            Err(why)
        }
        (Some(p), Some(_)) => {
            evidence.push(Evidence::new(
                &p.path,
                "serves HTTP: the Procfile's web process",
            ));
            Ok("the Procfile's web process".to_string())
        }
        _ => serving(dir, manifest, &start, framework.as_deref(), &mut evidence)?,
    };
    let port = match &start {
        Start::Static(_) => {
            evidence.push(Evidence::new(
                dir.display_path("package.json"),
                format!("a static site: nginx serves it on {STATIC_PORT}, a port a non-root user may bind"),
            ));
            STATIC_PORT
        }
        _ if serving.is_err() => 0,
        _ => detect_port(
            dir,
            manifest,
            &start,
            framework.as_deref(),
            front_port.as_ref(),
            rules,
            &mut evidence,
        )?,
    };
    let start_command = match &start {
        Start::Exec { argv, .. } => Some(argv.clone()),
        Start::Shell { script } => Some(vec!["/bin/sh".into(), "-c".into(), script.clone()]),
        Start::Static(_) => Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()]),
        Start::Refused(_) | Start::Unknown => None,
    };
    let project_port = serving.as_ref().ok().map(|_| port);
    let prisma = prisma(dir, manifest, &deps, &mut evidence)?;
    let native: Vec<String> = super::settings()
        .native_modules
        .keys()
        .filter(|k| deps.contains(*k))
        .cloned()
        .collect();
    if !native.is_empty() {
        evidence.push(Evidence::new(
            dir.display_path("package.json"),
            format!(
                "native modules {}: node-gyp may compile them, so the build stages get a compiler",
                native.join(", ")
            ),
        ));
    }
    let details = NodeDetails {
        pm: pm.pm,
        pm_from_field: pm.from_field,
        pm_field_overridden: pm.field_overridden,
        pm_version: pm.version.clone(),
        lockfile: pm.lockfile.clone(),
        install_files: pm.install_files.clone(),
        workspace: None,
        workspace_members: false,
        has_build,
        start,
        next_standalone,
        has_public: dir.exists("public"),
        next_config,
        node_major,
        run: Box::new(RunFacts {
            serves_http: serving.as_ref().ok().cloned(),
            idle_reason: serving.err().unwrap_or_default(),
            self_contained,
            framework_build,
            native,
            prisma,
        }),
        notes,
    };
    Ok(Project {
        path: path.to_string(),
        ecosystem: super::ECOSYSTEM,
        package_manager: Some(pm.pm.name().to_string()),
        runtime_version: Some(version),
        framework,
        start_command,
        port: project_port,
        evidence,
        name,
        details: Details::new(details),
    })
}

fn framework_dep(rules: &Rules, framework: &str, deps: &BTreeSet<String>) -> String {
    rules
        .framework(framework)
        .and_then(|f| f.dependencies.iter().find(|d| deps.contains(*d)))
        .cloned()
        .unwrap_or_default()
}

/// The runtime version and why: engines.node, then the version files (member first, then root).
fn runtime_version(
    dir: &ProjectDir,
    manifest: &Manifest,
    root: Option<&Manifest>,
    rules: &Rules,
) -> Result<(String, Evidence)> {
    let mut manifests = vec![(manifest, dir.clone())];
    if let Some(r) = root {
        if !std::ptr::eq(r, manifest) {
            manifests.push((r, ProjectDir::new(&dir.root, ".")));
        }
    }
    for (m, d) in &manifests {
        if let Some(engines) = m.value.get("engines").and_then(|e| e.get("node")) {
            let Some(spec) = engines.as_str() else {
                return Err(m.error_at_key(&["engines", "node"], "engines.node must be a string"));
            };
            let resolved = resolve_version(spec, rules)
                .ok_or_else(|| m.error_at_key(&["engines", "node"], unresolvable(spec)))?;
            return Ok((
                resolved.clone(),
                Evidence::new(
                    d.display_path("package.json"),
                    format!("engines.node {spec:?}: Node {resolved}"),
                ),
            ));
        }
    }
    let mut dirs = vec![dir.clone()];
    if dir.rel != Path::new(".") {
        dirs.push(ProjectDir::new(&dir.root, "."));
    }
    for d in &dirs {
        for vf in &rules.version_files {
            let Some(src) = d.read_opt(&vf.file)? else {
                continue;
            };
            let found = if vf.kind == "tool-versions" {
                src.text.lines().enumerate().find_map(|(i, l)| {
                    let mut words = l.split_whitespace();
                    match words.next() {
                        Some("nodejs" | "node") => words.next().map(|v| (i + 1, v.to_string())),
                        _ => None,
                    }
                })
            } else {
                src.text
                    .lines()
                    .enumerate()
                    .map(|(i, l)| (i + 1, l.split('#').next().unwrap_or("").trim()))
                    .find(|(_, l)| !l.is_empty())
                    .map(|(i, l)| (i, l.to_string()))
            };
            let Some((line, spec)) = found else {
                continue;
            };
            let resolved = resolve_version(&spec, rules)
                .ok_or_else(|| src.error_at_line(line, unresolvable(&spec)))?;
            return Ok((
                resolved.clone(),
                Evidence::new(&src.path, format!("{spec:?}: Node {resolved}")),
            ));
        }
    }
    let choice = crate::versions::family("node").default_choice();
    Ok((
        choice.version,
        Evidence::new(dir.display_path("package.json"), choice.evidence),
    ))
}

/// A warning when the chosen Node version's release line is out of support (from the versions table).
fn version_warning(version: &str) -> Option<String> {
    let node = crate::versions::family("node");
    let today = crate::versions::Date::today();
    if node.is_past_eol(version, today) {
        return node.exact(version, "the project", today).warning;
    }
    None
}

fn unresolvable(spec: &str) -> String {
    let shown: String = spec.chars().filter(|c| !c.is_control()).take(60).collect();
    format!(
        "Node version {shown:?} matches no Node release line dockgen knows; write a version such as \"22\" or pass --runtime-version"
    )
}

/// Node's release lines from the versions table, long-term-support lines last (preferred: a range
/// becomes the newest LTS line it allows, an odd line only when no LTS line fits).
fn known_majors(_rules: &Rules) -> Vec<u64> {
    let node = crate::versions::family("node");
    let mut majors: Vec<(bool, u64)> = node
        .lines
        .iter()
        .filter_map(|l| l.version.parse::<u64>().ok().map(|m| (l.lts.is_some(), m)))
        .collect();
    majors.sort_unstable();
    majors.into_iter().map(|(_, m)| m).collect()
}

/// Turns a version spec into an image tag version: an exact `20.11.1` or `20` stays; `lts/*` is the
/// default; `lts/iron` its major; a range becomes the highest known major it allows.
pub fn resolve_version(spec: &str, rules: &Rules) -> Option<String> {
    let spec = spec.trim();
    if spec.is_empty() || spec.len() > 200 || safe::has_control(spec) {
        return None;
    }
    let lower = spec.to_ascii_lowercase();
    let default = crate::versions::family("node").default.clone();
    if lower == "lts/*" || lower == "lts" {
        return Some(default);
    }
    if let Some(code) = lower.strip_prefix("lts/") {
        return super::settings()
            .lts_codenames
            .get(code)
            .map(|m| m.to_string());
    }
    let majors = known_majors(rules);
    if matches!(
        lower.as_str(),
        "node" | "latest" | "current" | "stable" | "*"
    ) {
        return majors.last().map(|m| m.to_string());
    }
    // A plain version: kept as written (image tags exist for 20, 20.11 and 20.11.1).
    let plain = lower.strip_prefix('v').unwrap_or(&lower);
    if !plain.is_empty()
        && plain.split('.').count() <= 3
        && plain
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(plain.to_string());
    }
    let alternatives = parse_range(spec)?;
    let matches = |major: u64| {
        alternatives.iter().any(|(req, points)| {
            let mut candidates = vec![
                semver::Version::new(major, 0, 0),
                semver::Version::new(major, 999, 999),
            ];
            for p in points.iter().filter(|p| p.major == major) {
                candidates.push(p.clone());
                candidates.push(semver::Version::new(p.major, p.minor, p.patch + 1));
            }
            candidates.iter().any(|v| req.matches(v))
        })
    };
    // The default line (the active LTS) when the range allows it, else the newest line it allows.
    if default.parse::<u64>().is_ok_and(&matches) {
        return Some(default);
    }
    if let Some(m) = majors.iter().rev().find(|m| matches(**m)) {
        return Some(m.to_string());
    }
    let highest = majors.last().copied().unwrap_or(22);
    (4..=highest + 2)
        .rev()
        .find(|m| matches(*m))
        .map(|m| m.to_string())
}

/// Parses an npm range (`>=18 <21`, `^20.1 || 22`, `16 - 20`, `18.x`) into semver requirements,
/// each with the versions it names (the edges a major can be tested against).
fn parse_range(spec: &str) -> Option<Vec<(semver::VersionReq, Vec<semver::Version>)>> {
    let mut out = Vec::new();
    for alt in spec.split("||") {
        let alt = alt.trim();
        let comparators: Vec<String> = if let Some((lo, hi)) = alt.split_once(" - ") {
            vec![format!(">={}", lo.trim()), format!("<={}", hi.trim())]
        } else {
            let mut words: Vec<String> = Vec::new();
            let mut pending = String::new();
            for w in alt.split_whitespace() {
                if w.chars().all(|c| matches!(c, '<' | '>' | '=' | '~' | '^')) {
                    pending.push_str(w);
                } else {
                    words.push(format!("{pending}{w}"));
                    pending.clear();
                }
            }
            if !pending.is_empty() {
                return None;
            }
            words
        };
        let comparators: Vec<String> = comparators
            .iter()
            .map(|c| {
                let op_len = c
                    .find(|ch: char| ch.is_ascii_alphanumeric() || ch == '*')
                    .unwrap_or(0);
                let (op, ver) = c.split_at(op_len);
                format!("{op}{}", ver.strip_prefix('v').unwrap_or(ver))
            })
            .collect();
        let text = if comparators.is_empty() {
            "*".to_string()
        } else {
            comparators.join(", ")
        };
        let req = semver::VersionReq::parse(&text).ok()?;
        let points = req
            .comparators
            .iter()
            .map(|c| semver::Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0)))
            .collect();
        out.push((req, points));
    }
    Some(out)
}

/// The string literal assigned to `key` (`key: 'value'`, `key = "value"`), if any.
fn string_after(text: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let start = from + i + key.len();
        from = start;
        let rest = text[start..].trim_start_matches(['"', '\'']).trim_start();
        let Some(rest) = rest.strip_prefix([':', '=']) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            continue;
        };
        let body = &rest[1..];
        if let Some(end) = body.find(quote) {
            return Some(body[..end].to_string());
        }
    }
    None
}

/// Whether a Next.js config sets `output: 'standalone'`.
fn declares_standalone(text: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find("output") {
        let start = from + i;
        from = start + 6;
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        if text[line_start..start].trim_start().starts_with("//") {
            continue;
        }
        let line_end = text[start..].find('\n').unwrap_or(text.len() - start);
        if string_after(&text[start..start + line_end], "output").as_deref() == Some("standalone") {
            return true;
        }
    }
    false
}

/// Resolves how the service starts, most specific first: `start:prod`/`start` scripts (a
/// development server in them gives way to the framework's production build), the framework's
/// own production server or static build, `main`, then `server.js` / `index.js`.
fn start_command(
    dir: &ProjectDir,
    manifest: &Manifest,
    framework: Option<&str>,
    next_standalone: bool,
    front: Option<&web::FrontEnd>,
    procfile: Option<&(String, String)>,
    evidence: &mut Vec<Evidence>,
) -> Result<Start> {
    let pkg = dir.display_path("package.json");
    if next_standalone && procfile.is_none() {
        evidence.push(Evidence::new(
            &pkg,
            "start: node server.js (Next.js standalone server)",
        ));
        return Ok(Start::Exec {
            argv: vec!["node".into(), "server.js".into()],
            env: Vec::new(),
        });
    }
    let bins = &super::settings().bins;
    let clis = web::framework_clis();
    let mut candidates: Vec<(String, String)> = procfile.into_iter().cloned().collect();
    for name in ["start:prod", "start"] {
        if let Some(script) = manifest.script(name) {
            manifest.checked(&["scripts", name], script)?;
            candidates.push((name.to_string(), script.to_string()));
        }
    }
    for (script_name, script) in &candidates {
        let script_name = script_name.as_str();
        let pkg = if script_name.starts_with("Procfile") {
            dir.display_path("Procfile")
        } else {
            pkg.clone()
        };
        let (shown, script) = follow_run_script(manifest, script_name, script);
        let Some(parsed) = parse_script(&script) else {
            if script_name == "start:prod" {
                continue;
            }
            evidence.push(Evidence::new(
                &pkg,
                format!("start script {script:?} uses shell features: run with /bin/sh -c"),
            ));
            return Ok(Start::Shell { script });
        };
        let (env, mut argv) = parsed;
        if let Some(dev) = web::classify(&argv, &clis) {
            match dev_start(
                dir,
                manifest,
                framework,
                front,
                &shown,
                dev,
                env.clone(),
                evidence,
            )? {
                Some(start) => return Ok(start),
                None => continue,
            }
        }
        let first = argv.first().cloned().unwrap_or_default();
        // The framework's own CLI or a static file server in front of a built site: the site's
        // production serving (nginx, or the framework's server bundle) replaces it.
        let static_server =
            ["serve", "http-server", "sirv", "live-server"].contains(&first.as_str());
        if let Some(front) = front {
            let replaced = match front {
                web::FrontEnd::Static(_) => clis.contains(&first) || static_server,
                web::FrontEnd::Server(_) => clis.contains(&first) && first != "next",
                web::FrontEnd::Refused(_) => clis.contains(&first),
            };
            if replaced {
                evidence.push(Evidence::new(
                    &pkg,
                    format!(
                        "{shown} script {script:?}: replaced by the framework's production build"
                    ),
                ));
                return Ok(front_start(front));
            }
        }
        if first == "node" {
            evidence.push(Evidence::new(
                &pkg,
                format!("{shown} script {script:?}: runs Node directly"),
            ));
            if framework == Some("nestjs") {
                nest_checked(dir, &mut argv, evidence)?;
            }
            return Ok(Start::Exec { argv, env });
        }
        if first == "bun" {
            evidence.push(Evidence::new(
                &pkg,
                format!("{shown} script {script:?}: runs bun directly"),
            ));
            return Ok(Start::Exec { argv, env });
        }
        if first == "nest" && framework == Some("nestjs") {
            evidence.push(Evidence::new(
                &pkg,
                format!("{shown} script {script:?}: Nest's build output, node dist/main.js"),
            ));
            return Ok(Start::Exec {
                argv: vec!["node".into(), nest_main(dir, evidence)?],
                env,
            });
        }
        if let Some(path) = bins.get(&first) {
            argv[0] = path.to_string();
            argv.insert(0, "node".into());
            evidence.push(Evidence::new(
                &pkg,
                format!("{shown} script {script:?}: runs {first}'s script with Node directly"),
            ));
            return Ok(Start::Exec { argv, env });
        }
        if script_name == "start:prod" {
            continue;
        }
        evidence.push(Evidence::new(
            &pkg,
            format!("start script {script:?} runs {first:?}, not Node: run with /bin/sh -c"),
        ));
        return Ok(Start::Shell { script });
    }
    if let Some(front) = front {
        return Ok(front_start(front));
    }
    let fixed = match framework {
        Some("nextjs") => Some(vec![
            "node".to_string(),
            "node_modules/next/dist/bin/next".into(),
            "start".into(),
        ]),
        Some("nestjs") => Some(vec!["node".into(), nest_main(dir, evidence)?]),
        _ => None,
    };
    if let Some(argv) = fixed {
        evidence.push(Evidence::new(
            &pkg,
            format!(
                "no start script: {}'s default, {}",
                framework.unwrap_or(""),
                argv.join(" ")
            ),
        ));
        return Ok(Start::Exec {
            argv,
            env: Vec::new(),
        });
    }
    for field in ["main", "module"] {
        let Some(main) = manifest.str_field(field) else {
            continue;
        };
        manifest.checked(&[field], main)?;
        let clean = main.trim_start_matches("./");
        if !safe::is_safe_path(clean) {
            return Err(manifest.error_at_key(
                &[field],
                format!("{field} {main:?} is not a plain relative path; dockgen will not run it"),
            ));
        }
        let bun_entry = is_typescript(clean) && uses_bun(dir, manifest);
        if bun_entry && dir.is_file(clean) {
            evidence.push(Evidence::new(
                &pkg,
                format!("no start script: {field} is {clean}, TypeScript that Bun runs directly"),
            ));
            return Ok(Start::Exec {
                argv: vec!["bun".into(), clean.to_string()],
                env: Vec::new(),
            });
        }
        if field == "main"
            && (dir.is_file(clean)
                || dir.is_file(&format!("{clean}.js"))
                || manifest.script("build").is_some())
        {
            evidence.push(Evidence::new(
                &pkg,
                format!("no start script: main is {clean}"),
            ));
            return Ok(Start::Exec {
                argv: vec!["node".into(), clean.to_string()],
                env: Vec::new(),
            });
        }
    }
    for f in ["server.js", "index.js"] {
        if dir.is_file(f) {
            evidence.push(Evidence::new(
                dir.display_path(f),
                format!("no start script: node {f}"),
            ));
            return Ok(Start::Exec {
                argv: vec!["node".into(), f.into()],
                env: Vec::new(),
            });
        }
    }
    if uses_bun(dir, manifest) {
        for f in ["index.ts", "src/index.ts"] {
            if dir.is_file(f) {
                evidence.push(Evidence::new(
                    dir.display_path(f),
                    format!("no start script: bun {f}"),
                ));
                return Ok(Start::Exec {
                    argv: vec!["bun".into(), f.into()],
                    env: Vec::new(),
                });
            }
        }
    }
    if let Some(dev) = manifest.script("dev") {
        manifest.checked(&["scripts", "dev"], dev)?;
        // A watcher around a plain command: that command, without the watcher.
        if let Some((env, argv)) = parse_script(dev) {
            if let Some(web::DevStart::Watcher(prod)) = web::classify(&argv, &clis) {
                if prod.len() > 1 {
                    evidence.push(Evidence::new(
                        &pkg,
                        format!(
                            "no start script; the dev script runs a file watcher: the image runs `{}` without it",
                            prod.join(" ")
                        ),
                    ));
                    return Ok(Start::Exec { argv: prod, env });
                }
            }
        }
        let shown: String = dev.chars().filter(|c| !c.is_control()).take(80).collect();
        return Ok(Start::Refused(format!(
            "{}: the only way to run this project is the \"dev\" script ({shown:?}), a development server. \
             Add a production \"start\" script, or pass --start \"node dist/server.js\" (the built entry)",
            pkg.display()
        )));
    }
    Ok(Start::Unknown)
}

/// Prisma Client: where its schema is and where the client is generated.
fn prisma(
    dir: &ProjectDir,
    manifest: &Manifest,
    deps: &BTreeSet<String>,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<Prisma>> {
    if !deps.contains("@prisma/client") && !deps.contains("prisma") {
        return Ok(None);
    }
    let configured = manifest
        .value
        .get("prisma")
        .and_then(|p| p.get("schema"))
        .and_then(Value::as_str)
        .map(|s| s.trim_start_matches("./").to_string())
        .filter(|s| safe::is_safe_path(s));
    let candidates: Vec<String> = configured
        .iter()
        .cloned()
        .chain(["prisma/schema.prisma", "schema.prisma", "prisma/schema"].map(String::from))
        .collect();
    let Some(schema) = candidates.into_iter().find(|c| dir.exists(c)) else {
        return Ok(None);
    };
    let text = if dir.is_file(&schema) {
        dir.read_opt(&schema)?.map(|s| s.text).unwrap_or_default()
    } else {
        String::new()
    };
    let generator = text
        .find("generator client")
        .map(|i| &text[i..text[i..].find('}').map_or(text.len(), |e| i + e)])
        .unwrap_or("");
    let in_node_modules = !generator
        .lines()
        .any(|l| l.trim_start().starts_with("output"));
    let build_generates = manifest
        .script("build")
        .is_some_and(|b| b.contains("prisma generate"));
    evidence.push(Evidence::new(
        dir.display_path(&schema),
        format!(
            "Prisma Client: `prisma generate` runs in the build stage{}",
            if in_node_modules {
                "; the client in node_modules/.prisma goes to the runtime"
            } else {
                " into the generator's output folder"
            }
        ),
    ));
    Ok(Some(Prisma {
        schema: (schema != "prisma/schema.prisma" && schema != "schema.prisma").then_some(schema),
        in_node_modules,
        cli: deps.contains("prisma"),
        build_generates,
    }))
}

/// The Procfile's start: its `web` process, else its first worker (a program serving nothing), as
/// (name shown in evidence, command). Its `release` process is noted, never run by the image.
fn procfile_start(
    procfile: Option<&crate::procfile::Procfile>,
    evidence: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
) -> Result<Option<(String, String)>> {
    let Some(p) = procfile else {
        return Ok(None);
    };
    if let Some(release) = p.release() {
        let cmd: String = release
            .command
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        notes.push(format!(
            "{}: the release process `{cmd}` runs once per deploy (migrations, ...); the image does not run it. \
             Run it as a one-off container before starting the new version: docker run --rm --entrypoint /bin/sh IMAGE -c {}",
            p.path.display(),
            safe::shell_word(&cmd).unwrap_or_default(),
        ));
        evidence.push(Evidence::new(
            &p.path,
            "release process noted (not part of the start)",
        ));
    }
    let chosen = p.web().or_else(|| p.workers().into_iter().next());
    let Some(proc_) = chosen else {
        return Ok(None);
    };
    if safe::has_control(&proc_.command) {
        return Err(Error::input(
            crate::error::Location::file(&p.path),
            format!(
                "the {} process contains a control character; dockgen will not put it in a Dockerfile",
                proc_.name
            ),
        ));
    }
    evidence.push(Evidence::new(
        &p.path,
        format!(
            "the {} process is the start command: {}",
            proc_.name, proc_.command
        ),
    ));
    Ok(Some((
        format!("Procfile {}", proc_.name),
        proc_.command.clone(),
    )))
}

/// `npm run x`, `yarn x`, `pnpm x`, `bun run x` in a start script: the script it runs (three levels at most).
fn follow_run_script(manifest: &Manifest, name: &str, script: &str) -> (String, String) {
    let mut shown = name.to_string();
    let mut script = script.to_string();
    for _ in 0..3 {
        let Some(words) = shell_words(&script) else {
            break;
        };
        let target = match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["npm" | "pnpm" | "bun", "run", t] | ["npm", "run-script", t] | ["yarn", "run", t] => {
                t.to_string()
            }
            ["npm" | "yarn" | "pnpm", "start"] => "start".to_string(),
            ["yarn" | "pnpm", t] if !["install", "build", "add"].contains(t) => t.to_string(),
            _ => break,
        };
        match manifest.script(&target) {
            Some(next) if !safe::has_control(next) => {
                shown = format!("{shown} → {target}");
                script = next.to_string();
            }
            _ => break,
        }
    }
    (shown, script)
}

/// The production start that replaces a development server or watcher, if there is one;
/// `Ok(None)` looks further (the next script).
#[allow(clippy::too_many_arguments)]
fn dev_start(
    dir: &ProjectDir,
    manifest: &Manifest,
    framework: Option<&str>,
    front: Option<&web::FrontEnd>,
    shown: &str,
    dev: web::DevStart,
    env: EnvPairs,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<Start>> {
    let pkg = dir.display_path("package.json");
    match dev {
        web::DevStart::Framework(tool) => {
            if let Some(front) = front {
                evidence.push(Evidence::new(
                    &pkg,
                    format!("{shown} script runs `{tool}`, a development server: the image builds the site and serves the production output"),
                ));
                return Ok(Some(front_start(front)));
            }
            if framework == Some("nextjs") && tool == "next dev" {
                evidence.push(Evidence::new(
                    &pkg,
                    format!("{shown} script runs `next dev`, a development server: the image runs `next start` on the build"),
                ));
                return Ok(Some(Start::Exec {
                    argv: vec![
                        "node".into(),
                        "node_modules/next/dist/bin/next".into(),
                        "start".into(),
                    ],
                    env,
                }));
            }
            Ok(Some(Start::Refused(format!(
                "{}: the {shown} script runs `{tool}`, a development server, and dockgen found no production build for it. \
                 Pass --start with the production command (for example --start \"node dist/server.js\")",
                pkg.display()
            ))))
        }
        web::DevStart::Watcher(argv) => {
            if argv.len() < 2 {
                return Ok(None);
            }
            evidence.push(Evidence::new(
                &pkg,
                format!(
                    "{shown} script runs a file watcher: the image runs `{}` without it",
                    argv.join(" ")
                ),
            ));
            Ok(Some(Start::Exec { argv, env }))
        }
        web::DevStart::TypeScript { tool, file } => {
            let file = file.trim_start_matches("./").to_string();
            if manifest.script("build").is_some() && safe::is_safe_path(&file) {
                if let Some((out, config)) = web::compiled_path(dir, &file)? {
                    evidence.push(Evidence::new(
                        dir.display_path(&config),
                        format!("{shown} script runs {tool} on {file} (a development watcher); the build compiles it to {out}, which the image runs"),
                    ));
                    return Ok(Some(Start::Exec {
                        argv: vec!["node".into(), out],
                        env,
                    }));
                }
            }
            Ok(Some(Start::Refused(format!(
                "{}: the {shown} script runs `{tool} {file}`, a development watcher, and dockgen found no build that compiles it \
                 (a \"build\" script and a tsconfig.json with outDir). Add them, or pass --start with the production command",
                pkg.display()
            ))))
        }
        web::DevStart::Other(cmd) => {
            let cmd: String = cmd.chars().take(80).collect();
            Ok(Some(Start::Refused(format!(
                "{}: the {shown} script runs `{cmd}`, a development server; dockgen knows no production equivalent. \
                 Pass --start with the production command",
                pkg.display()
            ))))
        }
    }
}

/// How a framework's production build starts.
fn front_start(front: &web::FrontEnd) -> Start {
    match front {
        web::FrontEnd::Static(site) => Start::Static(Box::new(site.clone())),
        web::FrontEnd::Server(s) => Start::Exec {
            argv: s.argv.clone(),
            env: s.env.clone(),
        },
        web::FrontEnd::Refused(why) => Start::Refused(why.clone()),
    }
}

fn is_typescript(path: &str) -> bool {
    [".ts", ".mts", ".tsx"].iter().any(|e| path.ends_with(e))
}

/// A Bun project: bun's lockfile, `@types/bun`/`bun-types`, or bun named by packageManager or engines.
fn uses_bun(dir: &ProjectDir, manifest: &Manifest) -> bool {
    let deps = manifest.deps(true);
    dir.is_file("bun.lock")
        || dir.is_file("bun.lockb")
        || deps.contains("@types/bun")
        || deps.contains("bun-types")
        || manifest
            .str_field("packageManager")
            .is_some_and(|p| p.starts_with("bun@"))
        || manifest
            .value
            .get("engines")
            .and_then(|e| e.get("bun"))
            .is_some()
}

/// A Nest start script must run the file the build writes: `node dist/main` when tsc writes
/// `dist/src/main.js` would fail at start, so the start follows the build (with evidence).
fn nest_checked(dir: &ProjectDir, argv: &mut [String], evidence: &mut Vec<Evidence>) -> Result<()> {
    let Some(target) = argv.iter().skip(1).find(|a| !a.starts_with('-')).cloned() else {
        return Ok(());
    };
    let clean = target.trim_start_matches("./");
    let named = if clean.ends_with(".js") || clean.ends_with(".mjs") || clean.ends_with(".cjs") {
        clean.to_string()
    } else {
        format!("{clean}.js")
    };
    let Some((built, config)) = web::compiled_path(dir, "src/main.ts")? else {
        return Ok(());
    };
    if !dir.is_file("src/main.ts") || built == named {
        return Ok(());
    }
    let out_dir = built.split('/').next().unwrap_or("");
    if !named.starts_with(&format!("{out_dir}/")) {
        return Ok(());
    }
    evidence.push(Evidence::new(
        dir.display_path(&config),
        format!(
            "the start script runs {named}, but tsc writes src/main.ts to {built} ({config}): the image runs {built}"
        ),
    ));
    if let Some(slot) = argv.iter_mut().skip(1).find(|a| **a == target) {
        *slot = built;
    }
    Ok(())
}

/// Where Nest's build writes `src/main.ts`: `dist/main.js` with Nest's own tsconfig, but
/// `dist/src/main.js` when tsc compiles files outside `src/` as well.
fn nest_main(dir: &ProjectDir, evidence: &mut Vec<Evidence>) -> Result<String> {
    match web::compiled_path(dir, "src/main.ts")? {
        Some((out, config)) => {
            if out != "dist/main.js" {
                evidence.push(Evidence::new(
                    dir.display_path(&config),
                    format!("tsc writes src/main.ts to {out} (outDir/rootDir in {config})"),
                ));
            }
            Ok(out)
        }
        None => Ok("dist/main.js".into()),
    }
}

/// `VAR=value` pairs from a start script.
type EnvPairs = Vec<(String, String)>;

/// Splits a script into leading `VAR=value` assignments (also after `cross-env`) and the command,
/// or `None` when it needs a real shell.
fn parse_script(script: &str) -> Option<(EnvPairs, Vec<String>)> {
    // Operators and expansions need a shell; leading assignments are handled below (the `true`
    // in front keeps needs_shell from counting them).
    if needs_shell(&format!("true {script}")) {
        return None;
    }
    let words = shell_words(script)?;
    let mut env = Vec::new();
    let mut rest = words.as_slice();
    if rest.first().is_some_and(|w| w == "cross-env") {
        rest = &rest[1..];
    }
    while let Some((first, tail)) = rest.split_first() {
        match first.split_once('=') {
            Some((k, v)) if is_env_name(k) => {
                env.push((k.to_string(), v.to_string()));
                rest = tail;
            }
            _ => break,
        }
    }
    if rest.is_empty() {
        return None;
    }
    Some((env, rest.to_vec()))
}

fn is_env_name(k: &str) -> bool {
    !k.is_empty()
        && !k.starts_with(|c: char| c.is_ascii_digit())
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The port nginx listens on for static sites (unprivileged, as in the nginx-unprivileged image).
const STATIC_PORT: u16 = 8080;

/// Whether the program serves HTTP, and why (`Ok`), or why it seems to serve nothing (`Err`):
/// a framework or server library, a static site, a port in the start script, or a listen call
/// in the entry files.
fn serving(
    dir: &ProjectDir,
    manifest: &Manifest,
    start: &Start,
    framework: Option<&str>,
    evidence: &mut Vec<Evidence>,
) -> Result<std::result::Result<String, String>> {
    let pkg = dir.display_path("package.json");
    let yes = |why: String, evidence: &mut Vec<Evidence>| {
        evidence.push(Evidence::new(&pkg, format!("serves HTTP: {why}")));
        Ok(Ok(why))
    };
    match start {
        Start::Static(_) => return yes("a static site".into(), evidence),
        Start::Refused(_) | Start::Unknown => return Ok(Ok("no start command yet".into())),
        _ => {}
    }
    if let Some(f) = framework {
        return yes(format!("the {f} framework"), evidence);
    }
    let deps = manifest.deps(false);
    let servers = &super::settings().http_dependencies;
    if let Some(d) = servers.iter().find(|d| deps.contains(*d)) {
        return yes(format!("depends on {d}, a server library"), evidence);
    }
    for script_name in ["start:prod", "start"] {
        if let Some(p) = manifest.script(script_name).and_then(port_in_script) {
            return yes(format!("the {script_name} script sets port {p}"), evidence);
        }
    }
    let mut read = Vec::new();
    for file in entry_candidates(start, manifest) {
        let Some(text) = small_source(dir, &file) else {
            continue;
        };
        if let Some(call) = server_call(&text) {
            evidence.push(Evidence::new(
                dir.display_path(&file),
                format!("serves HTTP: calls {call}"),
            ));
            return Ok(Ok(format!("{file} calls {call}")));
        }
        read.push(file);
    }
    let why = format!(
        "no web framework or server library, no port in the start script{}",
        if read.is_empty() {
            String::new()
        } else {
            format!(", no listen call in {}", read.join(", "))
        }
    );
    evidence.push(Evidence::new(
        &pkg,
        format!("serves nothing over HTTP: {why}"),
    ));
    Ok(Err(why))
}

/// A source file of at most 1 MiB, or `None`.
fn small_source(dir: &ProjectDir, file: &str) -> Option<String> {
    if !dir.is_file(file) {
        return None;
    }
    let big = dir.file_len(file).is_none_or(|len| len > 1024 * 1024);
    if big {
        return None;
    }
    dir.read_opt(file).ok().flatten().map(|s| s.text)
}

/// The call that starts an HTTP server in a source file, if any.
fn server_call(text: &str) -> Option<&'static str> {
    let text = web::without_line_comments(text);
    for call in [
        ".listen(",
        "createServer(",
        "Bun.serve(",
        "Deno.serve(",
        "serve({",
    ] {
        if text.contains(call) {
            return Some(call.trim_end_matches(['(', '{']));
        }
    }
    // Bun's and Cloudflare-style `export default { fetch }` (with Bun.serve implied).
    if text.contains("export default")
        && (text.contains("fetch(") || text.contains("fetch:"))
        && text.contains("port")
    {
        return Some("export default { port, fetch }");
    }
    None
}

/// The port: a `PORT=`/`--port`/`-p` in the start script, a literal in the entry file's `listen`,
/// `PORT` in .env.example, then the framework's default, then the ecosystem's.
fn detect_port(
    dir: &ProjectDir,
    manifest: &Manifest,
    start: &Start,
    framework: Option<&str>,
    front: Option<&(String, u16)>,
    rules: &Rules,
    evidence: &mut Vec<Evidence>,
) -> Result<u16> {
    let pkg = dir.display_path("package.json");
    for script_name in ["start:prod", "start"] {
        if let Some(script) = manifest.script(script_name) {
            if let Some(port) = port_in_script(script) {
                evidence.push(Evidence::new(
                    &pkg,
                    format!("{script_name} script sets port {port}"),
                ));
                return Ok(port);
            }
        }
    }
    if let Some((f, port)) = front {
        evidence.push(Evidence::new(&pkg, format!("port {port}: {f}'s default")));
        return Ok(*port);
    }
    for file in entry_candidates(start, manifest) {
        let Some(text) = small_source(dir, &file) else {
            continue;
        };
        if let Some(port) = port_in_source(&text) {
            evidence.push(Evidence::new(
                dir.display_path(&file),
                format!("listens on {port}"),
            ));
            return Ok(port);
        }
    }
    for f in [
        ".env.example",
        ".env.sample",
        ".env.defaults",
        ".env.template",
    ] {
        let Some(src) = dir.read_opt(f)? else {
            continue;
        };
        let port = src.text.lines().find_map(|l| {
            let l = l.trim().trim_start_matches("export ").trim();
            let v = l.strip_prefix("PORT=")?;
            v.trim()
                .trim_matches(['"', '\''])
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
        });
        if let Some(port) = port {
            evidence.push(Evidence::new(
                &src.path,
                format!("PORT={port}: the port the app is configured with"),
            ));
            return Ok(port);
        }
    }
    let port = framework
        .and_then(|f| rules.framework(f))
        .and_then(|f| f.port)
        .or(rules.default_port)
        .unwrap_or(3000);
    evidence.push(Evidence::new(
        &pkg,
        match framework {
            Some(f) => format!("port {port}: {f}'s default"),
            None => format!("port {port}: the usual default for Node services"),
        },
    ));
    Ok(port)
}

fn port_in_script(script: &str) -> Option<u16> {
    let words = shell_words(script).unwrap_or_default();
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = w.strip_prefix("PORT=") {
            return v.parse().ok().filter(|p| *p > 0);
        }
        if let Some(v) = w.strip_prefix("--port=") {
            return v.parse().ok().filter(|p| *p > 0);
        }
        if matches!(w.as_str(), "-p" | "--port") {
            return words.get(i + 1)?.parse().ok().filter(|p| *p > 0);
        }
    }
    None
}

/// Files that may hold the server's `listen` call, the start file first (its TypeScript source when
/// it points at build output).
fn entry_candidates(start: &Start, manifest: &Manifest) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |f: &str| {
        let f = f.trim_start_matches("./").to_string();
        if safe::is_safe_path(&f) && !out.contains(&f) {
            out.push(f);
        }
    };
    let mut files: Vec<String> = Vec::new();
    if let Start::Exec { argv, .. } = start {
        if matches!(argv.first().map(String::as_str), Some("node" | "bun")) {
            if let Some(f) = argv
                .iter()
                .skip(1)
                .find(|a| !a.starts_with('-') && a.as_str() != "run")
            {
                files.push(f.clone());
            }
        }
    }
    for field in ["main", "module"] {
        if let Some(main) = manifest.str_field(field) {
            files.push(main.to_string());
        }
    }
    for f in files {
        add(&f);
        let stem = f
            .trim_start_matches("./")
            .trim_end_matches(".js")
            .trim_end_matches(".mjs")
            .trim_end_matches(".cjs");
        add(&format!("{stem}.js"));
        for out_dir in ["dist/", "build/", "out/", "lib/"] {
            if let Some(rest) = stem.strip_prefix(out_dir) {
                let rest = rest.strip_prefix("src/").unwrap_or(rest);
                for ext in ["ts", "mts", "js", "mjs"] {
                    add(&format!("src/{rest}.{ext}"));
                }
            }
        }
    }
    for f in [
        "server.js",
        "index.js",
        "index.ts",
        "app.js",
        "src/main.ts",
        "src/index.ts",
        "src/server.ts",
        "src/app.ts",
        "src/main.js",
        "src/index.js",
        "src/server.js",
    ] {
        add(f);
    }
    out
}

/// A literal port in a `listen(...)` call, a `port:` option or a `PORT ||`/`??` fallback.
pub fn port_in_source(text: &str) -> Option<u16> {
    for needle in [
        ".listen(", "port:", "PORT ||", "PORT ??", "port ||", "port ??", "PORT =", "port =",
    ] {
        let mut from = 0;
        while let Some(i) = text[from..].find(needle) {
            let start = from + i + needle.len();
            from = start;
            let window: String = text[start..]
                .chars()
                .take_while(|c| !matches!(c, ';' | '\n' | '}'))
                .take(120)
                .collect();
            if let Some(p) = first_port(&window) {
                return Some(p);
            }
        }
    }
    None
}

fn first_port(window: &str) -> Option<u16> {
    let chars: Vec<char> = window.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|b| chars[b]);
            let after = chars.get(i).copied();
            let glued = |c: Option<char>| {
                c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$'))
            };
            if !glued(before) && !glued(after) {
                let n: String = chars[start..i].iter().collect();
                if let Ok(p) = n.parse::<u16>() {
                    if p >= 80 {
                        return Some(p);
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static Rules {
        super::super::rules()
    }

    #[test]
    fn ranges_become_the_highest_known_major_they_allow() {
        let r = rules();
        assert_eq!(resolve_version(">=18 <21", r).as_deref(), Some("20"));
        assert_eq!(resolve_version("^20.1", r).as_deref(), Some("20"));
        assert_eq!(resolve_version("~18.17", r).as_deref(), Some("18"));
        assert_eq!(resolve_version("18.x || 20.x", r).as_deref(), Some("20"));
        assert_eq!(resolve_version(">= 16", r).as_deref(), Some("26"));
        assert_eq!(resolve_version("16 - 20", r).as_deref(), Some("20"));
        assert_eq!(resolve_version(">=21 <22", r).as_deref(), Some("21"));
        assert_eq!(resolve_version("=20.5.3", r).as_deref(), Some("20"));
    }

    #[test]
    fn plain_versions_and_aliases() {
        let r = rules();
        assert_eq!(resolve_version("v20.11.1", r).as_deref(), Some("20.11.1"));
        assert_eq!(resolve_version("22", r).as_deref(), Some("22"));
        assert_eq!(
            resolve_version("lts/*", r).as_deref(),
            Some(r.default_version.as_str())
        );
        assert_eq!(resolve_version("lts/iron", r).as_deref(), Some("20"));
        assert_eq!(resolve_version("lts/unknown", r), None);
        assert_eq!(resolve_version("banana", r), None);
        assert_eq!(resolve_version("20\nRUN x", r), None);
    }

    #[test]
    fn direct_node_scripts_become_argv_and_env() {
        assert_eq!(
            parse_script("node dist/server.js"),
            Some((
                vec![],
                vec!["node".to_string(), "dist/server.js".to_string()]
            ))
        );
        assert_eq!(
            parse_script("cross-env NODE_ENV=production PORT=4000 node server.js"),
            Some((
                vec![
                    ("NODE_ENV".to_string(), "production".to_string()),
                    ("PORT".to_string(), "4000".to_string())
                ],
                vec!["node".to_string(), "server.js".to_string()]
            ))
        );
        assert_eq!(parse_script("npm run build && node dist"), None);
        assert_eq!(parse_script("node server.js --port $PORT"), None);
    }

    #[test]
    fn ports_are_found_in_scripts_and_sources() {
        assert_eq!(port_in_script("next start -p 4000"), Some(4000));
        assert_eq!(port_in_script("PORT=8081 node x.js"), Some(8081));
        assert_eq!(port_in_script("node x.js"), None);
        assert_eq!(
            port_in_source("app.listen(process.env.PORT || 8080, () => {})"),
            Some(8080)
        );
        assert_eq!(
            port_in_source("await app.listen({ port: 4000, host: '0.0.0.0' })"),
            Some(4000)
        );
        assert_eq!(
            port_in_source("serve({ fetch: app.fetch, port: 8787 })"),
            Some(8787)
        );
        assert_eq!(port_in_source("app.listen(port)\nconst x = 1"), None);
        assert_eq!(
            port_in_source("const port = Number(process.env.PORT) || 5050;"),
            Some(5050)
        );
    }

    #[test]
    fn standalone_output_is_recognised() {
        assert!(declares_standalone(
            "module.exports = { output: 'standalone' }"
        ));
        assert!(declares_standalone(
            "const c = {\n  output: \"standalone\",\n}"
        ));
        assert!(!declares_standalone(
            "// output: 'standalone'\nexport default {}"
        ));
        assert!(!declares_standalone("export default { output: 'export' }"));
    }

    #[test]
    fn package_names_are_plain() {
        assert!(is_package_name("web"));
        assert!(is_package_name("@acme/api"));
        assert!(is_package_name("LegacyName"));
        assert!(!is_package_name("a b"));
        assert!(!is_package_name("@acme"));
        assert!(!is_package_name("x\";rm"));
    }
}
