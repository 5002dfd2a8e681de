//! Rust projects: Cargo packages and workspaces, the binaries they build, and everything their build
//! reads (path dependencies, `build.rs`, `migrations/`, `.sqlx/`, toolchain files).
//!
//! A package with at least one binary target is a deployable project; a library is not. In a
//! workspace every member with a binary is its own project (built from the workspace root with
//! `--package`). When a package has several binaries, `--bin` picks one; detection records the
//! candidates and the planner refuses to guess.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use toml::Spanned;

use crate::detect::{Details, DetectOptions, Evidence, Project, listen};
use crate::error::{Error, Location, Result};
use crate::rules;
use crate::source::{ProjectDir, SourceText};

/// Rust-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct RustDetails {
    /// The Cargo package name (`--package` in a workspace).
    pub package: String,
    /// Every binary target of the package, sorted.
    pub bins: Vec<String>,
    /// The binary to build: `--bin`, the only one, or `default-run`.
    pub chosen_bin: Option<String>,
    /// The package's manifest as shown to the user (`crates/api/Cargo.toml`).
    pub manifest: String,
    /// The package lives in a workspace and is built from its root with `--package`.
    pub in_workspace: bool,
    /// `Cargo.lock` exists, so the build can be `--locked`.
    pub locked: bool,
    /// Debian packages the build stage needs (OpenSSL headers, protoc, ...).
    pub apt_packages: Vec<String>,
    /// Why each group of `apt_packages` is needed (comments in the Dockerfile).
    pub apt_reasons: Vec<String>,
    /// `.sqlx/` holds prepared query data: build with `SQLX_OFFLINE=true`.
    pub sqlx_offline: bool,
    /// The program serves HTTP (a web framework, a listen address or a `PORT` read).
    pub serves_http: bool,
    /// The program reads `PORT` from the environment.
    pub reads_port_env: bool,
    /// The framework wants its own address/port variables (Rocket).
    pub framework_env: Vec<(String, String)>,
    /// Dependencies come from a private registry: offer a credentials secret mount.
    pub private_registry: bool,
    /// A conventional health route found in the sources (`/healthz`).
    pub health_path: Option<String>,
    /// No port was found in the source: the port is a guess the user should confirm.
    pub port_assumed: bool,
    /// Context paths the build reads (kept by `.dockerignore`).
    pub copies: Vec<String>,
    /// Things the user should know.
    pub notes: Vec<String>,
}

type Deps = BTreeMap<String, Spanned<toml::Value>>;
/// Dependency entries of several tables, flattened.
type DepList = Vec<(String, Spanned<toml::Value>)>;

/// What a toolchain file pins.
struct Toolchain {
    /// `None`: the file names a channel (stable, nightly) rather than a version.
    version: Option<String>,
    evidence: Evidence,
    note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Manifest {
    package: Option<PackageSection>,
    workspace: Option<WorkspaceSection>,
    #[serde(default)]
    bin: Vec<BinSection>,
    #[serde(default)]
    dependencies: Deps,
    #[serde(default)]
    dev_dependencies: Deps,
    #[serde(default)]
    build_dependencies: Deps,
    #[serde(default)]
    target: BTreeMap<String, TargetSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct TargetSection {
    #[serde(default)]
    dependencies: Deps,
    #[serde(default)]
    dev_dependencies: Deps,
    #[serde(default)]
    build_dependencies: Deps,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PackageSection {
    name: Spanned<String>,
    rust_version: Option<Spanned<toml::Value>>,
    default_run: Option<Spanned<String>>,
    autobins: Option<bool>,
    build: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
struct BinSection {
    name: Spanned<String>,
    path: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct WorkspaceSection {
    #[serde(default)]
    members: Vec<Spanned<String>>,
    #[serde(default)]
    default_members: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    package: Option<WorkspacePackage>,
    #[serde(default)]
    dependencies: Deps,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct WorkspacePackage {
    rust_version: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

#[derive(Debug, Deserialize)]
struct LockedPackage {
    name: String,
}

#[derive(Debug, Deserialize)]
struct ToolchainFile {
    toolchain: Option<ToolchainSection>,
}

#[derive(Debug, Deserialize)]
struct ToolchainSection {
    channel: Option<Spanned<String>>,
}

/// Facts shared by every package of one Cargo workspace (or the single package).
struct Workspace {
    root_manifest: SourceText,
    /// `[workspace.dependencies]`, for `dep = { workspace = true }`.
    dependencies: Deps,
    /// `[workspace.package] rust-version`.
    rust_version: Option<Spanned<String>>,
    is_workspace: bool,
    default_members: Vec<String>,
    lock_packages: Option<BTreeSet<String>>,
    toolchain: Option<Toolchain>,
    private_registry_config: bool,
    /// Context paths every package's build reads.
    copies: Vec<String>,
}

/// One binary target.
#[derive(Debug, Clone)]
struct Bin {
    name: String,
    /// Path relative to the package directory.
    path: String,
}

/// Detects Rust projects in `dir` (and workspace members below it).
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    if opts
        .package_manager
        .as_deref()
        .is_some_and(|p| p != "cargo")
    {
        return Ok(Vec::new());
    }
    let Some(root_src) = dir.read_opt("Cargo.toml")? else {
        return Ok(Vec::new());
    };
    let root: Manifest = root_src.toml()?;
    let ws = Workspace::load(dir, &root_src, &root)?;
    let mut packages: Vec<(String, SourceText, Manifest)> = Vec::new();
    let members = match &root.workspace {
        Some(w) => workspace_members(dir, &root_src, w)?,
        None => Vec::new(),
    };
    if root.package.is_some() {
        packages.push((".".to_string(), root_src.clone(), root));
    }
    for member in members {
        let rel = format!("{member}/Cargo.toml");
        let Some(src) = dir.read_opt(&rel)? else {
            continue;
        };
        let manifest: Manifest = src.toml()?;
        if manifest.package.is_some() {
            packages.push((member, src, manifest));
        }
    }
    let mut projects = Vec::new();
    for (rel, src, manifest) in &packages {
        if let Some(p) = analyse(dir, &ws, rel, src, manifest, opts)? {
            projects.push(p);
        }
    }
    Ok(projects)
}

impl Workspace {
    fn load(dir: &ProjectDir, root_src: &SourceText, root: &Manifest) -> Result<Self> {
        let rules = super::rules();
        let mut copies = vec!["Cargo.toml".to_string()];
        let lock_packages = match dir.read_opt("Cargo.lock")? {
            Some(lock) => {
                copies.push("Cargo.lock".to_string());
                let parsed: Lockfile = lock.toml()?;
                Some(parsed.package.into_iter().map(|p| p.name).collect())
            }
            None => None,
        };
        let toolchain = read_toolchain(dir, &rules.version_files)?;
        for file in ["rust-toolchain.toml", "rust-toolchain", ".cargo"] {
            if dir.exists(file) {
                copies.push(file.to_string());
            }
        }
        let config = [".cargo/config.toml", ".cargo/config"]
            .into_iter()
            .find_map(|f| dir.read_opt(f).ok().flatten().map(|s| s.text));
        let private_registry_config = config.is_some_and(|c| c.contains("[registries"));
        let (dependencies, rust_version, default_members) = match &root.workspace {
            Some(w) => (
                w.dependencies.clone(),
                w.package.as_ref().and_then(|p| p.rust_version.clone()),
                w.default_members
                    .iter()
                    .map(|m| m.get_ref().trim_start_matches("./").to_string())
                    .collect(),
            ),
            None => (Deps::new(), None, Vec::new()),
        };
        Ok(Workspace {
            root_manifest: root_src.clone(),
            dependencies,
            rust_version,
            is_workspace: root.workspace.is_some(),
            default_members,
            lock_packages,
            toolchain,
            private_registry_config,
            copies,
        })
    }
}

/// `rust-toolchain.toml` / `rust-toolchain` at the root (rustup reads them from the directory cargo
/// runs in, which is the workspace root in the image).
fn read_toolchain(dir: &ProjectDir, files: &[rules::VersionFile]) -> Result<Option<Toolchain>> {
    for vf in files {
        let Some(src) = dir.read_opt(&vf.file)? else {
            continue;
        };
        let legacy_plain = vf.kind == "rust-toolchain" && !src.text.contains("[toolchain]");
        let (channel, offset) = if legacy_plain {
            let line = src.text.lines().map(str::trim).find(|l| !l.is_empty());
            let channel = line.unwrap_or("").to_string();
            let offset = src.text.find(&channel).unwrap_or(0);
            (channel, offset)
        } else {
            let parsed: ToolchainFile = src.toml()?;
            match parsed.toolchain.and_then(|t| t.channel) {
                Some(c) => (c.get_ref().clone(), c.span().start),
                None => continue,
            }
        };
        let file = vf.file.as_str();
        if channel == "stable" {
            return Ok(Some(Toolchain {
                version: None,
                evidence: Evidence::new(file, "channel \"stable\": the current stable release"),
                note: None,
            }));
        }
        if is_rust_version(&channel) {
            return Ok(Some(Toolchain {
                evidence: Evidence::new(file, format!("channel {channel}")),
                version: Some(channel),
                note: None,
            }));
        }
        let named = ["beta", "nightly", "stable-", "beta-", "nightly-"]
            .iter()
            .any(|p| channel == p.trim_end_matches('-') || channel.starts_with(p));
        if named
            && channel
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            let evidence = Evidence::new(file, format!("channel {channel}"));
            let note = format!(
                "{file} asks for the {channel} toolchain: the build stage starts from the stable rust image and rustup installs {channel} during the build (it needs network access)"
            );
            return Ok(Some(Toolchain {
                version: None,
                evidence,
                note: Some(note),
            }));
        }
        return Err(src.error_at(
            offset,
            format!("toolchain channel {channel:?} is not stable, beta, nightly or a version such as 1.82.0"),
        ));
    }
    Ok(None)
}

fn is_rust_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Cargo's rule for package and target names, restricted to ASCII so they are plain shell words.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The member directories of a workspace, relative to the root.
fn workspace_members(
    dir: &ProjectDir,
    src: &SourceText,
    ws: &WorkspaceSection,
) -> Result<Vec<String>> {
    let mut globs = Vec::new();
    for m in &ws.members {
        let pat = m.get_ref().trim_start_matches("./").trim_end_matches('/');
        if pat.split('/').any(|seg| seg == "..") || pat.starts_with('/') || safe_chars(pat).is_err()
        {
            return Err(src.error_at(
                m.span().start,
                format!(
                    "workspace member {pat:?} is outside the build context or not a plain path; run dockgen from the directory that contains the whole workspace"
                ),
            ));
        }
        let literal = !pat.contains(['*', '?', '[']);
        if literal && !dir.is_file(&format!("{pat}/Cargo.toml")) {
            return Err(src.error_at(
                m.span().start,
                format!("workspace member {pat:?} has no Cargo.toml"),
            ));
        }
        globs.push(pat.to_string());
    }
    for ex in &ws.exclude {
        globs.push(format!("!{}", ex.trim_start_matches("./")));
    }
    let mut out = Vec::new();
    for path in crate::detect::expand_member_globs(dir, &globs)? {
        let rel = crate::detect::rel_string(&path);
        if !dir.is_file(&format!("{rel}/Cargo.toml")) || out.contains(&rel) {
            continue;
        }
        if !crate::safe::is_safe_path(&rel) {
            return Err(Error::input(
                Location::file(dir.display_path(&rel)),
                "workspace member directory name is not plain (letters, digits, . _ - / @ +); rename it",
            ));
        }
        out.push(rel);
    }
    Ok(out)
}

fn safe_chars(pat: &str) -> std::result::Result<(), ()> {
    let ok = pat.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '@' | '+' | '-' | '*' | '?')
    });
    if ok { Ok(()) } else { Err(()) }
}

/// Facts about one package; `None` when it builds no binary.
fn analyse(
    dir: &ProjectDir,
    ws: &Workspace,
    rel: &str,
    src: &SourceText,
    manifest: &Manifest,
    opts: &DetectOptions,
) -> Result<Option<Project>> {
    let rules = super::rules();
    let Some(package) = &manifest.package else {
        return Ok(None);
    };
    let name = package.name.get_ref();
    if !is_plain_name(name) {
        return Err(src.error_at(
            package.name.span().start,
            format!(
                "package name {name:?} is not a plain Cargo name (ASCII letters, digits, - and _)"
            ),
        ));
    }
    let pkg_dir = ProjectDir::new(dir.root.clone(), rel);
    let bins = binaries(&pkg_dir, src, manifest, name)?;
    if bins.is_empty() {
        return Ok(None);
    }
    let manifest_path = src.path.to_string_lossy().replace('\\', "/");
    let mut ev = Vec::new();
    let mut notes = Vec::new();
    if ws.is_workspace && rel != "." {
        let default = ws.default_members.iter().any(|m| m == rel);
        ev.push(Evidence::new(
            &manifest_path,
            format!(
                "package {name} is a workspace member{}",
                if default { " (a default member)" } else { "" }
            ),
        ));
    } else {
        ev.push(Evidence::new(&manifest_path, format!("package {name}")));
    }
    let bin_names: Vec<String> = bins.iter().map(|b| b.name.clone()).collect();
    ev.push(Evidence::new(
        &manifest_path,
        format!(
            "binar{} {}",
            if bins.len() == 1 { "y" } else { "ies" },
            bins.iter()
                .map(|b| format!("{} ({})", b.name, b.path))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    let default_run = match &package.default_run {
        Some(d) if !bin_names.contains(d.get_ref()) => {
            return Err(src.error_at(
                d.span().start,
                format!(
                    "default-run {:?} names no binary of this package (binaries: {})",
                    d.get_ref(),
                    bin_names.join(", ")
                ),
            ));
        }
        Some(d) => Some(d.get_ref().clone()),
        None => None,
    };
    let chosen_bin = match (&opts.bin, bin_names.as_slice(), &default_run) {
        (Some(b), _, _) if bin_names.contains(b) => Some(b.clone()),
        (_, [only], _) => Some(only.clone()),
        (_, _, Some(d)) => {
            ev.push(Evidence::new(&manifest_path, format!("default-run = {d}")));
            Some(d.clone())
        }
        _ => None,
    };

    // Dependencies: the direct ones name the framework; path ones must be in the context.
    let deps = Dependencies::collect(dir, ws, rel, src, manifest)?;
    let framework = rules
        .frameworks
        .iter()
        .find(|f| f.dependencies.iter().any(|d| deps.direct.contains(d)));
    if let Some(f) = framework {
        ev.push(Evidence::new(
            &manifest_path,
            format!("depends on {} (framework {})", f.dependencies[0], f.name),
        ));
    }
    for p in &deps.paths {
        ev.push(Evidence::new(
            &manifest_path,
            format!("path dependency {p} (copied with the workspace)"),
        ));
    }

    // Version: toolchain file, then rust-version, then the current stable.
    let version = match &ws.toolchain {
        Some(t) => {
            ev.push(t.evidence.clone());
            notes.extend(t.note.clone());
            t.version.clone()
        }
        None => rust_version(ws, src, package)?.map(|(v, e)| {
            ev.push(e);
            v
        }),
    };
    let version = version.unwrap_or_else(|| rules.default_version.clone());

    // Native libraries: from the lockfile (or, without one, from the manifest's dependencies).
    let crates: BTreeSet<String> = match &ws.lock_packages {
        Some(lock) => lock.clone(),
        None => {
            notes.push(
                "no Cargo.lock: the build resolves dependency versions afresh each time; commit Cargo.lock for reproducible images (--locked is used when it exists)".to_string(),
            );
            let mut c: BTreeSet<String> = deps.direct.union(&deps.build).cloned().collect();
            if deps.openssl_guess {
                c.insert("openssl-sys".to_string());
            }
            c
        }
    };
    let lock_file = if ws.lock_packages.is_some() {
        "Cargo.lock"
    } else {
        manifest_path.as_str()
    };
    let openssl: Vec<&str> = super::settings()
        .openssl_packages
        .iter()
        .map(String::as_str)
        .filter(|p| crates.contains(*p))
        .collect();
    ev.push(Evidence::new(
        lock_file,
        if openssl.is_empty() {
            "no openssl-sys or native-tls: no system OpenSSL to link".to_string()
        } else {
            format!(
                "{}: the binary links the system OpenSSL, so it stays on glibc with CA certificates",
                openssl.join(", ")
            )
        },
    ));
    let (apt_packages, apt_reasons) = build_packages(&crates, &mut ev, &mut notes, lock_file);

    // Files the build reads besides the sources.
    let mut copies = ws.copies.clone();
    if rel != "." {
        copies.push(rel.to_string());
    }
    copies.extend(deps.paths.iter().cloned());
    let sqlx_offline = build_inputs(dir, rel, package, &mut copies, &mut ev);

    // Serving: the framework, then listen addresses and PORT reads in the sources.
    let (listen, health) = scan_sources(&pkg_dir, &bins, chosen_bin.as_deref());
    if let Some((file, route)) = &health {
        let shown = join_rel(rel, file).unwrap_or_else(|| file.clone());
        ev.push(Evidence::new(
            &shown,
            format!("route {route} (used for the health check)"),
        ));
    }
    let shown = listen
        .as_ref()
        .map(|(f, l)| (join_rel(rel, f).unwrap_or_else(|| f.clone()), l));
    let serving = listen::conclude(
        shown.as_ref().map(|(f, l)| (f.as_str(), *l)),
        framework,
        rules.default_port,
        &manifest_path,
        &mut ev,
        &mut notes,
    );
    let port = serving.port;
    let framework_env = match (framework.map(|f| f.name.as_str()), port) {
        (Some("rocket"), Some(p)) => vec![
            ("ROCKET_ADDRESS".to_string(), "0.0.0.0".to_string()),
            ("ROCKET_PORT".to_string(), p.to_string()),
        ],
        _ => Vec::new(),
    };
    let private_registry = ws.private_registry_config || deps.private_registry;

    copies.sort();
    copies.dedup();
    let details = RustDetails {
        package: name.clone(),
        bins: bin_names,
        chosen_bin: chosen_bin.clone(),
        manifest: manifest_path,
        in_workspace: ws.is_workspace,
        locked: ws.lock_packages.is_some(),
        apt_packages,
        apt_reasons,
        sqlx_offline,
        serves_http: serving.serves_http,
        reads_port_env: serving.reads_port_env,
        framework_env,
        private_registry,
        port_assumed: serving.port_assumed,
        health_path: health.map(|(_, route)| route),
        copies,
        notes,
    };
    Ok(Some(Project {
        path: rel.to_string(),
        ecosystem: super::ECOSYSTEM,
        package_manager: Some("cargo".to_string()),
        runtime_version: Some(version),
        framework: framework.map(|f| f.name.clone()),
        start_command: chosen_bin.map(|b| vec![b]),
        port,
        evidence: ev,
        name: name.clone(),
        details: Details::new(details),
    }))
}

/// Adds what the build reads besides Rust sources to `copies` (build script, `migrations/`,
/// `.sqlx/`, in the package or at the workspace root); returns whether `.sqlx/` exists.
fn build_inputs(
    dir: &ProjectDir,
    rel: &str,
    package: &PackageSection,
    copies: &mut Vec<String>,
    ev: &mut Vec<Evidence>,
) -> bool {
    let pkg_dir = ProjectDir::new(dir.root.clone(), rel);
    if let Some(build) = build_script(&pkg_dir, package) {
        let shown = join_rel(rel, &build).unwrap_or(build);
        ev.push(Evidence::new(
            &shown,
            "build script (runs during cargo build)",
        ));
        copies.push(shown);
    }
    let mut sqlx_offline = false;
    let mut seen = BTreeSet::new();
    for base in [rel, "."] {
        for extra in ["migrations", ".sqlx"] {
            let Some(p) = join_rel(base, extra) else {
                continue;
            };
            if !dir.path(&p).is_dir() || !seen.insert(p.clone()) {
                continue;
            }
            let fact = if extra == ".sqlx" {
                sqlx_offline = true;
                "prepared sqlx queries: the build checks them offline (SQLX_OFFLINE=true)"
            } else {
                "migrations (embedded at compile time by sqlx::migrate!)"
            };
            ev.push(Evidence::new(&p, fact));
            copies.push(p);
        }
    }
    sqlx_offline
}

/// Debian packages the build stage needs for the native libraries these crates link or run.
fn build_packages(
    crates: &BTreeSet<String>,
    ev: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
    file: &str,
) -> (Vec<String>, Vec<String>) {
    let mut packages: Vec<String> = Vec::new();
    let mut reasons = Vec::new();
    for (krate, entry) in &super::settings().build_packages {
        if !crates.contains(krate) {
            continue;
        }
        let apt = entry.apt.clone();
        let why = entry.why.as_str();
        ev.push(Evidence::new(
            file,
            format!("{why}: the build stage installs {}", apt.join(" ")),
        ));
        if entry.runtime_missing {
            notes.push(format!(
                "{krate} links a library that distroless cc does not have: the binary will not start there. Use a debian:bookworm-slim runtime with that library installed, or a pure-Rust driver"
            ));
        }
        reasons.push(why.to_string());
        for p in apt {
            if !packages.contains(&p) {
                packages.push(p);
            }
        }
    }
    (packages, reasons)
}

/// `rust-version` of the package, or of `[workspace.package]` when inherited.
fn rust_version(
    ws: &Workspace,
    src: &SourceText,
    package: &PackageSection,
) -> Result<Option<(String, Evidence)>> {
    let Some(rv) = &package.rust_version else {
        return Ok(None);
    };
    let (value, file, at) = match rv.get_ref() {
        toml::Value::String(s) => (s.clone(), src, rv.span().start),
        toml::Value::Table(t) if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) => {
            match &ws.rust_version {
                Some(w) => (w.get_ref().clone(), &ws.root_manifest, w.span().start),
                None => return Ok(None),
            }
        }
        _ => {
            return Err(src.error_at(
                rv.span().start,
                "rust-version must be a version string or { workspace = true }",
            ));
        }
    };
    if !is_rust_version(&value) {
        return Err(file.error_at(
            at,
            format!("rust-version {value:?} is not a version such as 1.80 or 1.80.1"),
        ));
    }
    let shown = file.path.to_string_lossy().replace('\\', "/");
    Ok(Some((
        value.clone(),
        Evidence::new(shown, format!("rust-version = {value}")),
    )))
}

/// The package's binary targets, following Cargo's target auto-discovery.
fn binaries(
    pkg_dir: &ProjectDir,
    src: &SourceText,
    manifest: &Manifest,
    package: &str,
) -> Result<Vec<Bin>> {
    let mut bins: Vec<Bin> = Vec::new();
    for b in &manifest.bin {
        let name = b.name.get_ref();
        if !is_plain_name(name) {
            return Err(src.error_at(
                b.name.span().start,
                format!("binary name {name:?} is not a plain Cargo name (ASCII letters, digits, - and _)"),
            ));
        }
        let path = match &b.path {
            Some(p) => p.get_ref().trim_start_matches("./").to_string(),
            None => {
                let candidates = [
                    format!("src/bin/{name}.rs"),
                    format!("src/bin/{name}/main.rs"),
                ];
                match candidates.iter().find(|c| pkg_dir.is_file(c)) {
                    Some(c) => c.clone(),
                    None if name == package && pkg_dir.is_file("src/main.rs") => {
                        "src/main.rs".to_string()
                    }
                    None => candidates[0].clone(),
                }
            }
        };
        bins.push(Bin {
            name: name.clone(),
            path,
        });
    }
    let autobins = manifest
        .package
        .as_ref()
        .and_then(|p| p.autobins)
        .unwrap_or(true);
    if autobins {
        let mut found = Vec::new();
        if pkg_dir.is_file("src/main.rs") {
            found.push((package.to_string(), "src/main.rs".to_string()));
        }
        if let Ok(entries) = std::fs::read_dir(pkg_dir.path("src/bin")) {
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let file = e.file_name().to_string_lossy().to_string();
                let path = e.path();
                let (stem, rel) = if path.is_file() && file.ends_with(".rs") {
                    (
                        file.trim_end_matches(".rs").to_string(),
                        format!("src/bin/{file}"),
                    )
                } else if path.join("main.rs").is_file() {
                    (file.clone(), format!("src/bin/{file}/main.rs"))
                } else {
                    continue;
                };
                if !is_plain_name(&stem) {
                    return Err(Error::input(
                        Location::file(pkg_dir.display_path(&rel)),
                        format!(
                            "binary name {stem:?} (from the file name) is not a plain Cargo name (ASCII letters, digits, - and _); rename the file or declare a [[bin]]"
                        ),
                    ));
                }
                found.push((stem, rel));
            }
        }
        for (name, path) in found {
            if !bins.iter().any(|b| b.name == name || b.path == path) {
                bins.push(Bin { name, path });
            }
        }
    }
    bins.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(bins)
}

/// The build script path, relative to the package, when there is one.
fn build_script(pkg_dir: &ProjectDir, package: &PackageSection) -> Option<String> {
    match package.build.as_ref().map(|b| b.get_ref()) {
        Some(toml::Value::Boolean(false)) => None,
        Some(toml::Value::String(s)) if pkg_dir.is_file(s) => {
            Some(s.trim_start_matches("./").to_string())
        }
        _ if pkg_dir.is_file("build.rs") => Some("build.rs".to_string()),
        _ => None,
    }
}

/// What a package's dependency tables say.
struct Dependencies {
    /// Direct normal dependencies by crate name (renames resolved).
    direct: BTreeSet<String>,
    /// Context-relative directories of path dependencies, transitively.
    paths: Vec<String>,
    /// Build dependencies by crate name (renames resolved).
    build: BTreeSet<String>,
    /// Without a lockfile: a direct dependency that means OpenSSL.
    openssl_guess: bool,
    private_registry: bool,
}

impl Dependencies {
    fn collect(
        dir: &ProjectDir,
        ws: &Workspace,
        rel: &str,
        src: &SourceText,
        manifest: &Manifest,
    ) -> Result<Self> {
        let mut out = Dependencies {
            direct: BTreeSet::new(),
            build: BTreeSet::new(),
            paths: Vec::new(),
            openssl_guess: false,
            private_registry: false,
        };
        let mut normal: Vec<&Deps> = vec![&manifest.dependencies];
        normal.extend(manifest.target.values().map(|t| &t.dependencies));
        for deps in &normal {
            for (key, value) in deps.iter() {
                let (resolved, _) = resolve_dep(ws, key, value.get_ref());
                let krate = resolved
                    .get("package")
                    .and_then(|p| p.as_str())
                    .unwrap_or(key);
                out.direct.insert(krate.to_string());
                let default_features = resolved
                    .get("default-features")
                    .and_then(|d| d.as_bool())
                    .unwrap_or(true);
                if matches!(krate, "openssl" | "openssl-sys" | "native-tls")
                    || (krate == "reqwest" && default_features)
                {
                    out.openssl_guess = true;
                }
            }
        }
        let mut build: Vec<&Deps> = vec![&manifest.build_dependencies];
        build.extend(manifest.target.values().map(|t| &t.build_dependencies));
        for (key, value) in build.iter().flat_map(|d| d.iter()) {
            let (resolved, _) = resolve_dep(ws, key, value.get_ref());
            let krate = resolved
                .get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(key);
            out.build.insert(krate.to_string());
        }
        let mut queue: Vec<(String, SourceText, DepList)> = Vec::new();
        queue.push((rel.to_string(), src.clone(), all_deps(manifest)));
        let mut seen: BTreeSet<String> = BTreeSet::new();
        seen.insert(rel.to_string());
        while let Some((base, file, deps)) = queue.pop() {
            for (key, value) in deps {
                let (resolved, inherited) = resolve_dep(ws, &key, value.get_ref());
                if resolved.contains_key("registry") || resolved.contains_key("registry-index") {
                    out.private_registry = true;
                }
                let Some(path) = resolved.get("path").and_then(|p| p.as_str()) else {
                    continue;
                };
                let from = if inherited { "." } else { base.as_str() };
                let target =
                    join_rel(from, path).filter(|p| p == "." || crate::safe::is_safe_path(p));
                let Some(target) = target else {
                    return Err(file.error_at(
                        value.span().start,
                        format!(
                            "path dependency {path:?} is outside the build context or not a plain path; run dockgen from a directory that contains it"
                        ),
                    ));
                };
                if !seen.insert(target.clone()) {
                    continue;
                }
                let Some(dep_src) = dir.read_opt(&format!("{target}/Cargo.toml"))? else {
                    return Err(file.error_at(
                        value.span().start,
                        format!("path dependency {path:?}: {target}/Cargo.toml does not exist"),
                    ));
                };
                let dep_manifest: Manifest = dep_src.toml()?;
                out.paths.push(target.clone());
                if seen.len() < 128 {
                    queue.push((target, dep_src, all_deps(&dep_manifest)));
                }
            }
        }
        out.paths.sort();
        Ok(out)
    }
}

/// Every dependency table of a manifest (normal, dev, build, per target): cargo loads the path
/// dependencies of all of them.
fn all_deps(m: &Manifest) -> DepList {
    let mut tables: Vec<&Deps> = vec![&m.dependencies, &m.dev_dependencies, &m.build_dependencies];
    for t in m.target.values() {
        tables.extend([&t.dependencies, &t.dev_dependencies, &t.build_dependencies]);
    }
    tables
        .into_iter()
        .flat_map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect()
}

/// A dependency's table with `workspace = true` resolved against `[workspace.dependencies]`.
/// The flag says whether the entry came from the workspace (its paths are root-relative).
fn resolve_dep(ws: &Workspace, key: &str, value: &toml::Value) -> (toml::Table, bool) {
    let table = match value {
        toml::Value::Table(t) => t.clone(),
        _ => return (toml::Table::new(), false),
    };
    if table.get("workspace").and_then(|w| w.as_bool()) != Some(true) {
        return (table, false);
    }
    let mut merged = match ws.dependencies.get(key).map(|v| v.get_ref()) {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    };
    for (k, v) in table {
        if k != "workspace" {
            merged.insert(k, v);
        }
    }
    (merged, true)
}

/// Joins a context-relative directory and a relative path lexically; `None` when the result
/// leaves the context or the path is absolute.
fn join_rel(base: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        Some(".".to_string())
    } else {
        Some(parts.join("/"))
    }
}

/// A source file and what it says.
type Found<T> = Option<(String, T)>;

/// Finds where the program listens, and a health route: the chosen binary's file first, then the
/// package's other sources (other binaries' files are skipped).
fn scan_sources(
    pkg_dir: &ProjectDir,
    bins: &[Bin],
    chosen: Option<&str>,
) -> (Found<listen::Listen>, Found<String>) {
    let mut files: Vec<String> = Vec::new();
    let other_bins: Vec<&str> = bins
        .iter()
        .filter(|b| chosen.is_some_and(|c| c != b.name))
        .map(|b| b.path.as_str())
        .collect();
    if let Some(b) = bins.iter().find(|b| Some(b.name.as_str()) == chosen) {
        files.push(b.path.clone());
    }
    let base = pkg_dir.dir();
    let walker = crate::source::walker(&base.join("src"))
        .max_depth(Some(6))
        .build();
    let mut rest: Vec<String> = walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&base).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            rel.ends_with(".rs").then_some(rel)
        })
        .filter(|r| !files.contains(r) && !other_bins.contains(&r.as_str()))
        .collect();
    rest.sort();
    files.extend(rest.into_iter().take(400));
    let mut address = None;
    let mut env_only = None;
    let mut health = None;
    for f in files {
        let Some(text) = pkg_dir.read_source_prefix(&f) else {
            continue;
        };
        let text = without_test_code(&text);
        if health.is_none() {
            health = listen::health_route(text).map(|r| (f.clone(), r));
        }
        let l = listen::scan(text);
        if l.address.is_some() && address.is_none() {
            address = Some((f, l));
        } else if l.reads_port_env && env_only.is_none() {
            env_only = Some((f, l));
        }
    }
    (address.or(env_only), health)
}

/// The part of a Rust source file before its first `#[cfg(test)]`: by convention the test module
/// closes the file, and addresses or routes in tests say nothing about what the program serves.
fn without_test_code(text: &str) -> &str {
    match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_modules_do_not_count_as_serving() {
        let src =
            "fn main() { run(); }\n#[cfg(test)]\nmod tests { const A: &str = \"0.0.0.0:3000\"; }\n";
        assert_eq!(without_test_code(src), "fn main() { run(); }\n");
        assert!(listen::scan(without_test_code(src)).address.is_none());
        assert!(listen::scan(src).address.is_some());
    }

    #[test]
    fn relative_joins_stay_inside_the_context() {
        assert_eq!(
            join_rel("crates/api", "../shared").unwrap(),
            "crates/shared"
        );
        assert_eq!(join_rel(".", "./libs/x").unwrap(), "libs/x");
        assert_eq!(join_rel("a", "..").unwrap(), ".");
        assert!(join_rel(".", "../outside").is_none());
        assert!(join_rel("a", "/etc").is_none());
    }

    #[test]
    fn versions_and_names() {
        assert!(is_rust_version("1.82"));
        assert!(is_rust_version("1.82.0"));
        assert!(!is_rust_version("1"));
        assert!(!is_rust_version("1.82\n"));
        assert!(is_plain_name("my-app_2"));
        assert!(!is_plain_name("a\"b"));
        assert!(!is_plain_name(""));
    }
}
