//! Go projects: modules (`go.mod`) and workspaces (`go.work`), their main packages, and the files
//! `go mod download` needs before the source is copied.
//!
//! `go.mod` and `go.work` have their own line-oriented syntax, so they are read by a small parser
//! here that reports `file:line:col` for anything it cannot read. A module with a main package at
//! its root or under `cmd/<name>/` is a deployable project; several main packages are candidates
//! for `--bin`. In a workspace every used module with a main package is its own project.

use std::collections::BTreeSet;

use crate::detect::{Details, DetectOptions, Evidence, Project, compiled, listen};
use crate::error::{Error, Location, Result};
use crate::source::{ProjectDir, SourceText};

/// Go-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct GoDetails {
    /// The module path (`example.com/shop`).
    pub module: String,
    /// The module's directory relative to the build context (`"."` for the root).
    pub module_dir: String,
    /// Main packages as (binary name, package directory relative to the context).
    pub mains: Vec<(String, String)>,
    /// The main package to build: `--bin`, or the only one.
    pub chosen: Option<String>,
    /// Context-relative files `go mod download` reads (go.mod, go.sum, go.work, local replacements).
    pub module_files: Vec<String>,
    /// Whether there is anything to download (requirements, not vendored).
    pub download: bool,
    /// `vendor/modules.txt` exists: build with `-mod=vendor`, download nothing.
    pub vendored: bool,
    /// The build needs cgo (`import "C"` in the sources, or a module that wraps C code): build
    /// with `CGO_ENABLED=1` and gcc, run on a glibc image. The reasons, for the evidence.
    pub cgo: Vec<String>,
    /// The program serves HTTP (a framework, `ListenAndServe`, a listen address).
    pub serves_http: bool,
    /// The program reads `PORT` from the environment.
    pub reads_port_env: bool,
    /// A listen-address variable whose default is loopback, set to listen on every interface.
    pub listen_env: Option<(String, String)>,
    /// The start command from the Procfile (the binary at `/usr/local/bin/<name>`, its args).
    pub start: Option<Vec<String>>,
    /// No port was found in the source: the port is a guess the user should confirm.
    pub port_assumed: bool,
    /// A conventional health route found in the sources.
    pub health_path: Option<String>,
    /// The sources define a route for `/`.
    pub root_route: bool,
    /// Context paths the build reads (kept by `.dockerignore`).
    pub copies: Vec<String>,
    /// Things the user should know.
    pub notes: Vec<String>,
}

/// One word of a `go.mod`/`go.work` line and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: String,
    line: usize,
    col: usize,
}

/// One directive (`require x v1`), with the block it came from already unfolded.
#[derive(Debug, Clone)]
struct Directive {
    verb: Token,
    args: Vec<Token>,
}

/// What `go.mod` or `go.work` says.
#[derive(Debug, Default)]
struct ModFile {
    module: Option<Token>,
    go: Option<Token>,
    toolchain: Option<Token>,
    requires: Vec<Token>,
    /// Local replacement directories as written.
    local_replaces: Vec<Token>,
    /// Module paths replaced by local directories (nothing to download for them).
    locally_replaced: Vec<String>,
    /// `use` directories (go.work).
    uses: Vec<Token>,
}

const MOD_VERBS: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "exclude",
    "replace",
    "retract",
    "tool",
    "ignore",
];
const WORK_VERBS: &[&str] = &["go", "toolchain", "godebug", "use", "replace"];

/// Detects Go projects in `dir` (and workspace modules below it).
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    if opts.package_manager.as_deref().is_some_and(|p| p != "go") {
        return Ok(Vec::new());
    }
    if let Some(work_src) = dir.read_opt("go.work")? {
        return detect_workspace(dir, &work_src, opts);
    }
    let Some(src) = dir.read_opt("go.mod")? else {
        return Ok(Vec::new());
    };
    let file = parse(&src, MOD_VERBS)?;
    let mut files = vec!["go.mod".to_string()];
    if dir.is_file("go.sum") {
        files.push("go.sum".to_string());
    }
    let module = Module::load(dir, ".", src, file)?;
    files.extend(module.replace_files.iter().cloned());
    Ok(module
        .project(dir, opts, files, None, false)?
        .into_iter()
        .collect())
}

/// Go sources at `root` without a `go.mod`: what to do about it (dockgen builds modules only;
/// GOPATH mode is gone since Go 1.22).
pub fn without_module(dir: &ProjectDir) -> Option<String> {
    let sources: Vec<String> = dir
        .list(".")
        .into_iter()
        .filter(|e| !e.is_dir && e.name.ends_with(".go") && !e.name.ends_with("_test.go"))
        .map(|e| e.name)
        .collect();
    let root = dir.dir();
    let first = sources.first()?;
    Some(format!(
        "{}: Go sources ({first}{}) but no go.mod: dockgen builds Go modules.\nRun `go mod init <module path>` and `go mod tidy` there, commit go.mod and go.sum, then run dockgen again.",
        root.display(),
        if sources.len() > 1 {
            format!(" and {} more", sources.len() - 1)
        } else {
            String::new()
        }
    ))
}

fn detect_workspace(
    dir: &ProjectDir,
    work_src: &SourceText,
    opts: &DetectOptions,
) -> Result<Vec<Project>> {
    let work = parse(work_src, WORK_VERBS)?;
    let mut files = vec!["go.work".to_string()];
    if dir.is_file("go.work.sum") {
        files.push("go.work.sum".to_string());
    }
    files.extend(local_dirs(work_src, ".", &work.local_replaces, dir)?);
    let mut modules = Vec::new();
    for use_dir in &work.uses {
        let rel = context_path(work_src, ".", use_dir)?;
        let shown = if rel == "." {
            "go.mod".to_string()
        } else {
            format!("{rel}/go.mod")
        };
        let Some(src) = dir.read_opt(&shown)? else {
            return Err(at(
                work_src,
                use_dir,
                format!("use {}: {shown} does not exist", use_dir.text),
            ));
        };
        let file = parse(&src, MOD_VERBS)?;
        files.push(shown.clone());
        let sum = shown.replace("go.mod", "go.sum");
        if dir.is_file(&sum) {
            files.push(sum);
        }
        let module = Module::load(dir, &rel, src, file)?;
        files.extend(module.replace_files.iter().cloned());
        modules.push(module);
    }
    let version = go_version(work_src, &work, "go.work")?;
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.clone()));
    let mut projects = Vec::new();
    for m in modules {
        if let Some(p) = m.project(dir, opts, files.clone(), Some(version.clone()), true)? {
            projects.push(p);
        }
    }
    Ok(projects)
}

/// One module: its parsed `go.mod` and where it lives.
struct Module {
    rel: String,
    src: SourceText,
    file: ModFile,
    path: String,
    /// go.mod/go.sum of local `replace` targets.
    replace_files: Vec<String>,
}

impl Module {
    fn load(dir: &ProjectDir, rel: &str, src: SourceText, file: ModFile) -> Result<Self> {
        let Some(module) = &file.module else {
            return Err(Error::input(
                Location::at(&src.path, 1, 1),
                "go.mod has no module directive",
            ));
        };
        let path = module.text.clone();
        if !is_module_path(&path) {
            return Err(at(
                &src,
                module,
                format!(
                    "module path {path:?} is not a plain module path (letters, digits, . - _ ~ / +)"
                ),
            ));
        }
        let replace_files = local_dirs(&src, rel, &file.local_replaces, dir)?;
        Ok(Module {
            rel: rel.to_string(),
            src,
            file,
            path,
            replace_files,
        })
    }

    /// The deployable project of this module, `None` when it has no main package.
    fn project(
        &self,
        dir: &ProjectDir,
        opts: &DetectOptions,
        module_files: Vec<String>,
        workspace_version: Option<GoVersion>,
        in_workspace: bool,
    ) -> Result<Option<Project>> {
        let rules = super::rules();
        let mod_dir = ProjectDir::new(dir.root.clone(), self.rel.as_str());
        let mains = main_packages(&mod_dir, &self.path)?;
        if mains.is_empty() {
            return Ok(None);
        }
        let gomod = self.src.path.to_string_lossy().replace('\\', "/");
        let mut ev = vec![Evidence::new(&gomod, format!("module {}", self.path))];
        let mut notes = Vec::new();
        if in_workspace {
            ev.push(Evidence::new("go.work", format!("uses {}", self.rel)));
        }
        let mains_ctx: Vec<(String, String)> = mains
            .iter()
            .map(|(name, pkg)| (name.clone(), join(&self.rel, pkg)))
            .collect();
        ev.push(Evidence::new(
            &gomod,
            format!(
                "main package{} {}",
                if mains.len() == 1 { "" } else { "s" },
                mains_ctx
                    .iter()
                    .map(|(n, p)| format!("{n} ({p})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        let names: Vec<String> = mains.iter().map(|(n, _)| n.clone()).collect();
        let procfile = compiled::read(&mod_dir, &names, &mut ev, &mut notes)?;
        let root_main = mains.iter().find(|(_, p)| p == ".").map(|(n, _)| n.clone());
        let chosen = match (&opts.bin, names.as_slice()) {
            (Some(b), _) if names.contains(b) => Some(b.clone()),
            (_, [only]) => Some(only.clone()),
            (None, _) if procfile.bin.is_some() => procfile.bin.clone(),
            // The module root is itself a main package: that is what `go build` builds.
            _ if root_main.is_some() => {
                let root = root_main.clone().unwrap_or_default();
                ev.push(Evidence::new(
                    &gomod,
                    format!(
                        "the module root is a main package: building {root}, as `go build` does"
                    ),
                ));
                let others: Vec<String> = mains_ctx
                    .iter()
                    .filter(|(_, p)| p != &self.rel && p != ".")
                    .map(|(n, p)| format!("{n} ({p})"))
                    .collect();
                notes.push(format!(
                    "{gomod}: building the module root's main package {root}; the module has other main packages: {}. Choose one with --bin NAME",
                    others.join(", ")
                ));
                Some(root)
            }
            _ => None,
        };

        // Version: the workspace's, else this module's toolchain (a pin) or go line (a minimum).
        let chosen_version = match workspace_version {
            Some(v) => v,
            None => go_version(&self.src, &self.file, &gomod)?,
        };
        ev.push(chosen_version.evidence);
        notes.extend(chosen_version.warning);
        let version = chosen_version.version;

        let requires: BTreeSet<&str> = self.file.requires.iter().map(|t| t.text.as_str()).collect();
        let remote = requires
            .iter()
            .any(|r| !self.file.locally_replaced.iter().any(|l| l == r));
        let vendored = mod_dir.is_file("vendor/modules.txt");
        if vendored {
            ev.push(Evidence::new(
                join(&self.rel, "vendor/modules.txt"),
                "vendored dependencies: build with -mod=vendor, nothing to download",
            ));
        }
        let has_sum = mod_dir.is_file("go.sum");
        if remote && !has_sum && !vendored && !in_workspace {
            notes.push(format!(
                "{gomod} requires modules but there is no go.sum: run `go mod tidy` and commit go.sum, or the build fails verifying them"
            ));
        }
        // go.mod (and go.sum) → `go mod download` → source, even with nothing to download yet:
        // the first requirement someone adds then keeps its own cached layer.
        let download = !vendored;

        // Serving: framework from requirements, else net/http in the sources.
        let framework = rules
            .frameworks
            .iter()
            .find(|f| f.dependencies.iter().any(|d| requires.contains(d.as_str())));
        if let Some(f) = framework {
            ev.push(Evidence::new(
                &gomod,
                format!("requires {} (framework {})", f.dependencies[0], f.name),
            ));
        }
        let chosen_pkg = chosen
            .as_ref()
            .and_then(|c| mains.iter().find(|(n, _)| n == c))
            .map(|(_, p)| p.clone());
        let other_mains: Vec<String> = mains
            .iter()
            .filter(|(n, _)| chosen.as_ref().is_some_and(|c| c != n))
            .map(|(_, p)| p.clone())
            .collect();
        let scan = scan_sources(&mod_dir, chosen_pkg.as_deref(), &other_mains);
        let framework_name = match framework {
            Some(f) => Some(f.name.clone()),
            None if scan.net_http => {
                ev.push(Evidence::new(
                    join(&self.rel, &scan.net_http_file),
                    "serves with net/http",
                ));
                Some("net/http".to_string())
            }
            None => None,
        };
        if let Some((file, route)) = &scan.health {
            ev.push(Evidence::new(
                join(&self.rel, file),
                format!("route {route} (used for the health check)"),
            ));
        }
        let mut cgo = Vec::new();
        if let Some(f) = &scan.cgo_file {
            let f = join(&self.rel, f);
            ev.push(Evidence::new(
                &f,
                "import \"C\": cgo, so the build needs gcc and the binary glibc",
            ));
            cgo.push(format!("{f} imports \"C\""));
        }
        for (module, why) in &super::settings().cgo_modules {
            if requires.contains(module.as_str()) {
                ev.push(Evidence::new(
                    &gomod,
                    format!("requires {module}, which {why}: cgo, so the build needs gcc and the binary glibc"),
                ));
                cgo.push(format!("{module} {why}"));
            }
        }
        let shown = scan.listen.as_ref().map(|(f, l)| (join(&self.rel, f), l));
        let rule = framework.or_else(|| framework_name.as_ref().and_then(|n| rules.framework(n)));
        let mut serving = listen::conclude(
            shown.as_ref().map(|(f, l)| (f.as_str(), *l)),
            rule,
            rules.default_port,
            &gomod,
            &mut ev,
            &mut notes,
        );
        compiled::apply(&procfile, &mut serving, rules.default_port);
        let port = serving.port;
        let start = chosen
            .as_ref()
            .filter(|c| procfile.bin.as_ref() == Some(*c))
            .and_then(|c| procfile.entrypoint(c, port));

        let mut copies = module_files.clone();
        copies.push(self.rel.clone());
        copies.retain(|c| c != ".");
        copies.sort();
        copies.dedup();
        let details = GoDetails {
            module: self.path.clone(),
            module_dir: self.rel.clone(),
            mains: mains_ctx,
            chosen: chosen.clone(),
            module_files,
            download,
            vendored,
            cgo,
            serves_http: serving.serves_http,
            reads_port_env: serving.reads_port_env,
            listen_env: serving.listen_env.clone(),
            start,
            port_assumed: serving.port_assumed,
            health_path: scan.health.map(|(_, r)| r),
            root_route: scan.root_route,
            copies,
            notes,
        };
        Ok(Some(Project {
            path: self.rel.clone(),
            ecosystem: super::ECOSYSTEM,
            package_manager: Some("go".to_string()),
            runtime_version: Some(version),
            framework: framework_name,
            start_command: chosen.map(|c| vec![c]),
            port,
            evidence: ev,
            name: self
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&self.path)
                .to_string(),
            details: Details::new(details),
        }))
    }
}

/// The Go release to build with, and why.
#[derive(Debug, Clone)]
struct GoVersion {
    version: String,
    evidence: Evidence,
    warning: Option<String>,
}

/// The Go release a `go.mod`/`go.work` asks for: a `toolchain` line is an exact pin (with a
/// warning past its end of support); a `go` line is a minimum, so the newest supported release
/// that satisfies it; neither, dockgen's default. The lines come from `data/versions.toml`.
fn go_version(src: &SourceText, file: &ModFile, shown: &str) -> Result<GoVersion> {
    let go = crate::versions::family("go");
    let (choice, t, verb) = if let Some(t) = &file.toolchain {
        let pin = version_of(src, t)?;
        let what = format!("{shown}'s toolchain line ({})", t.text);
        (
            go.exact(&pin, &what, crate::versions::Date::today()),
            t,
            "toolchain",
        )
    } else if let Some(t) = &file.go {
        let minimum = version_of(src, t)?;
        let what = format!("{shown}'s go line");
        (go.at_least(&minimum, &what), t, "go")
    } else {
        let c = go.default_choice();
        return Ok(GoVersion {
            version: c.version,
            evidence: Evidence::new(shown, c.evidence),
            warning: c.warning,
        });
    };
    let evidence = Evidence::new(
        shown,
        format!("{} (line {}: {verb} {})", choice.evidence, t.line, t.text),
    );
    Ok(GoVersion {
        version: choice.version,
        evidence,
        warning: choice.warning,
    })
}

/// An input error at a token.
fn at(src: &SourceText, t: &Token, message: impl Into<String>) -> Error {
    Error::input(Location::at(&src.path, t.line, t.col), message)
}

/// `a` joined with the relative path `b` (`"."` stands for the context root).
fn join(a: &str, b: &str) -> String {
    let b = b.trim_start_matches("./");
    match (a, b) {
        (".", "" | ".") => ".".to_string(),
        (".", b) => b.to_string(),
        (a, "" | ".") => a.to_string(),
        (a, b) => format!("{a}/{b}"),
    }
}

/// A directory written in `src` (which lives in `base`), as a context-relative path; outside the
/// context or not plain is an error at the token.
fn context_path(src: &SourceText, base: &str, t: &Token) -> Result<String> {
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let mut ok = !t.text.starts_with('/') && !t.text.contains('\\');
    for seg in t.text.split('/') {
        match seg {
            "" | "." => {}
            ".." => ok &= parts.pop().is_some(),
            s => parts.push(s),
        }
    }
    let rel = if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    };
    if ok && (rel == "." || crate::safe::is_safe_path(&rel)) {
        Ok(rel)
    } else {
        Err(at(
            src,
            t,
            format!(
                "{:?} is outside the build context or not a plain path; run dockgen from a directory that contains it",
                t.text
            ),
        ))
    }
}

/// The go.mod/go.sum files of local `replace` targets.
fn local_dirs(
    src: &SourceText,
    base: &str,
    dirs: &[Token],
    root: &ProjectDir,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in dirs {
        let rel = context_path(src, base, t)?;
        let gomod = join(&rel, "go.mod");
        if !root.is_file(&gomod) {
            return Err(at(
                src,
                t,
                format!("replacement directory {}: {gomod} does not exist", t.text),
            ));
        }
        out.push(gomod);
        let gosum = join(&rel, "go.sum");
        if root.is_file(&gosum) {
            out.push(gosum);
        }
    }
    Ok(out)
}

/// `1.22`, `1.22.3`, `1.21rc1` from a `go` or `toolchain` (`go1.22.3`) directive.
fn version_of(src: &SourceText, t: &Token) -> Result<String> {
    let v = t.text.strip_prefix("go").unwrap_or(&t.text);
    let (num, pre) = match v.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => v.split_at(i),
        None => (v, ""),
    };
    let parts: Vec<&str> = num.split('.').collect();
    let ok = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
        && (pre.is_empty()
            || ["rc", "beta"].iter().any(|k| {
                pre.strip_prefix(k)
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            }));
    if ok {
        Ok(v.to_string())
    } else {
        Err(at(
            src,
            t,
            format!("{:?} is not a Go version such as 1.22 or go1.22.3", t.text),
        ))
    }
}

/// Module paths as the go command accepts them (ASCII letters, digits, `.-_~+/`).
fn is_module_path(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 256
        && !p.starts_with(['/', '-', '.'])
        && p.split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '+' | '/'))
}

/// A binary name taken from a directory or module path element.
fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with(['.', '-'])
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

// ---- go.mod / go.work syntax ----

/// Parses a `go.mod` or `go.work` file; anything it cannot read is an error at its line and column.
fn parse(src: &SourceText, verbs: &[&str]) -> Result<ModFile> {
    let mut directives = Vec::new();
    let mut block: Option<Token> = None;
    for (i, raw) in src.text.lines().enumerate() {
        let line = i + 1;
        let tokens = lex(raw, line)
            .map_err(|(col, msg)| Error::input(Location::at(&src.path, line, col), msg))?;
        let Some(first) = tokens.first() else {
            continue;
        };
        if let Some(verb) = &block {
            if first.text == ")" {
                if tokens.len() > 1 {
                    return Err(at(src, &tokens[1], "unexpected text after )"));
                }
                block = None;
                continue;
            }
            directives.push(Directive {
                verb: verb.clone(),
                args: tokens,
            });
            continue;
        }
        if !verbs.contains(&first.text.as_str()) {
            return Err(at(
                src,
                first,
                format!(
                    "unknown directive {:?} (expected one of: {})",
                    first.text,
                    verbs.join(", ")
                ),
            ));
        }
        if tokens.len() == 2 && tokens[1].text == "(" {
            block = Some(first.clone());
            continue;
        }
        directives.push(Directive {
            verb: first.clone(),
            args: tokens[1..].to_vec(),
        });
    }
    if let Some(verb) = block {
        return Err(at(
            src,
            &verb,
            format!("the {} block opened here is never closed with )", verb.text),
        ));
    }
    let mut out = ModFile::default();
    for d in directives {
        interpret(src, &mut out, d)?;
    }
    Ok(out)
}

fn interpret(src: &SourceText, out: &mut ModFile, d: Directive) -> Result<()> {
    let verb = d.verb.text.as_str();
    let want = |n: std::ops::RangeInclusive<usize>, what: &str| -> Result<()> {
        if n.contains(&d.args.len()) {
            Ok(())
        } else {
            let t = d.args.first().unwrap_or(&d.verb);
            Err(at(src, t, format!("{verb}: expected {what}")))
        }
    };
    if let Some(t) = d.args.iter().find(|t| t.text == "(" || t.text == ")") {
        return Err(at(src, t, format!("{verb}: unexpected {}", t.text)));
    }
    match verb {
        "module" => {
            want(1..=1, "a module path")?;
            set_once(src, &mut out.module, &d)?;
        }
        "go" => {
            want(1..=1, "a version such as 1.22")?;
            version_of(src, &d.args[0])?;
            set_once(src, &mut out.go, &d)?;
        }
        "toolchain" => {
            want(1..=1, "a toolchain name such as go1.22.3")?;
            if d.args[0].text != "default" {
                if !d.args[0].text.starts_with("go") {
                    return Err(at(
                        src,
                        &d.args[0],
                        format!("toolchain {:?} should look like go1.22.3", d.args[0].text),
                    ));
                }
                version_of(src, &d.args[0])?;
                set_once(src, &mut out.toolchain, &d)?;
            }
        }
        "require" => {
            want(2..=2, "a module path and a version")?;
            out.requires.push(d.args[0].clone());
        }
        "replace" => {
            let Some(arrow) = d.args.iter().position(|t| t.text == "=>") else {
                return Err(at(
                    src,
                    d.args.first().unwrap_or(&d.verb),
                    "replace: expected old [version] => new [version]",
                ));
            };
            let (left, right) = (&d.args[..arrow], &d.args[arrow + 1..]);
            if !(1..=2).contains(&left.len()) || !(1..=2).contains(&right.len()) {
                return Err(at(
                    src,
                    &d.args[arrow],
                    "replace: expected old [version] => new [version]",
                ));
            }
            let new = &right[0];
            let local = new.text.starts_with("./")
                || new.text.starts_with("../")
                || new.text == "."
                || new.text == ".."
                || new.text.starts_with('/');
            if local && right.len() == 1 {
                out.local_replaces.push(new.clone());
                out.locally_replaced.push(left[0].text.clone());
            }
        }
        "use" => {
            want(1..=1, "a module directory")?;
            out.uses.push(d.args[0].clone());
        }
        "exclude" => want(2..=2, "a module path and a version")?,
        "godebug" | "retract" | "tool" | "ignore" => want(1..=usize::MAX, "an argument")?,
        _ => return Err(at(src, &d.verb, format!("unknown directive {verb:?}"))),
    }
    Ok(())
}

fn set_once(src: &SourceText, slot: &mut Option<Token>, d: &Directive) -> Result<()> {
    if slot.is_some() {
        return Err(at(
            src,
            &d.verb,
            format!("repeated {} directive", d.verb.text),
        ));
    }
    *slot = Some(d.args[0].clone());
    Ok(())
}

/// Splits one line into words: bare words, `"quoted"` (Go escapes) and `` `raw` `` strings,
/// `(`, `)` and `=>`; `//` starts a comment. Errors carry the 1-based column.
fn lex(line: &str, lineno: usize) -> std::result::Result<Vec<Token>, (usize, String)> {
    let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        let tok = |text: String| Token {
            text,
            line: lineno,
            col,
        };
        if c == ' ' || c == '\t' {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            break;
        } else if c == '(' || c == ')' {
            out.push(tok(c.to_string()));
            i += 1;
        } else if c == '"' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err((col, "unterminated quoted string".into())),
                    Some('"') => break,
                    Some('\\') => {
                        let esc = chars
                            .get(i + 1)
                            .ok_or((i + 1, "unterminated quoted string".to_string()))?;
                        text.push(match esc {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '0' => '\0',
                            other => *other,
                        });
                        i += 2;
                    }
                    Some(ch) => {
                        text.push(*ch);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push(tok(text));
        } else if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|ch| *ch == '`')
                .ok_or((col, "unterminated raw string".to_string()))?;
            out.push(tok(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if c.is_control() {
            return Err((col, format!("unexpected control character {c:?}")));
        } else {
            let start = i;
            while i < chars.len()
                && !matches!(chars[i], ' ' | '\t' | '"' | '`' | '(' | ')')
                && !(chars[i] == '/' && chars.get(i + 1) == Some(&'/'))
            {
                if chars[i].is_control() {
                    return Err((
                        i + 1,
                        format!("unexpected control character {:?}", chars[i]),
                    ));
                }
                i += 1;
            }
            out.push(tok(chars[start..i].iter().collect()));
        }
    }
    Ok(out)
}

// ---- main packages and sources ----

/// Directories that hold examples and tooling rather than the program to deploy.
const NOT_DEPLOYED: &[&str] = &[
    "vendor",
    "testdata",
    "examples",
    "example",
    "_examples",
    "tools",
    "hack",
    "scripts",
    "test",
    "tests",
    "docs",
    "node_modules",
];

/// Main packages of a module: (binary name, package directory relative to the module). The root
/// and `cmd/<name>/` are the conventional places; only when neither has one are other
/// directories (up to three levels, examples and tooling skipped) searched.
fn main_packages(mod_dir: &ProjectDir, module: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    if is_main_dir(&mod_dir.root, &mod_dir.dir()) {
        let last = module
            .rsplit('/')
            .find(|seg| !is_major_suffix(seg))
            .unwrap_or("app");
        let name = if is_plain_name(last) { last } else { "app" };
        out.push((name.to_string(), ".".to_string()));
    }
    let mut dirs: Vec<String> = mod_dir
        .list("cmd")
        .into_iter()
        .filter(|e| e.is_dir)
        .map(|e| format!("cmd/{}", e.name))
        .collect();
    let conventional = !out.is_empty()
        || dirs
            .iter()
            .any(|d| is_main_dir(&mod_dir.root, &mod_dir.path(d)));
    if !conventional {
        let base = mod_dir.dir();
        let walker = crate::source::walker(&base)
            .max_depth(Some(3))
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !NOT_DEPLOYED.contains(&n.as_ref())
            })
            .build();
        dirs = walker
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_dir()))
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&base).ok()?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                (!rel.is_empty()).then_some(rel)
            })
            .collect();
        dirs.sort();
    }
    for d in dirs {
        if !is_main_dir(&mod_dir.root, &mod_dir.path(&d)) {
            continue;
        }
        let name = d.rsplit('/').next().unwrap_or(&d).to_string();
        let shown = mod_dir.display_path(&d);
        if !is_plain_name(&name) || !crate::safe::is_safe_path(&d) {
            return Err(Error::input(
                Location::file(shown),
                format!(
                    "main package directory {d:?} is not a plain name (letters, digits, . - _); rename it"
                ),
            ));
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Error::input(
                Location::file(shown),
                format!("two main packages would both build a binary named {name:?}"),
            ));
        }
        out.push((name, d));
    }
    Ok(out)
}

/// `v2`, `v3`, ...: a major-version suffix, not a name.
fn is_major_suffix(seg: &str) -> bool {
    seg.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a directory holds a `package main` that is built (not `//go:build ignore`, not a test).
fn is_main_dir(root: &std::path::Path, dir: &std::path::Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir).and_then(|e| {
        crate::source::is_inside(root, dir)
            .then_some(e)
            .ok_or(std::io::ErrorKind::NotFound.into())
    }) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().to_string();
        name.ends_with(".go")
            && !name.ends_with("_test.go")
            && e.path().is_file()
            && crate::source::read_prefix(
                root,
                &e.path(),
                &e.path(),
                crate::source::MAX_SOURCE_PREFIX,
            )
            .is_ok_and(|t| t.is_some_and(|t| package_clause(&t) == Some("main")))
    })
}

/// The package name of a Go file, skipping comments; `None` for files excluded with
/// `//go:build ignore`.
fn package_clause(text: &str) -> Option<&str> {
    let mut in_block = false;
    for line in text.lines() {
        let l = line.trim();
        if in_block {
            in_block = !l.contains("*/");
            continue;
        }
        if l.starts_with("//go:build") || l.starts_with("// +build") {
            let expr = l
                .trim_start_matches("//go:build")
                .trim_start_matches("// +build");
            if expr.trim() == "ignore" {
                return None;
            }
            continue;
        }
        if l.is_empty() || l.starts_with("//") {
            continue;
        }
        if l.starts_with("/*") {
            in_block = !l.contains("*/");
            continue;
        }
        let rest = l.strip_prefix("package")?;
        return rest.split_whitespace().next();
    }
    None
}

/// What the sources say about serving.
#[derive(Default)]
struct SourceScan {
    listen: Option<(String, listen::Listen)>,
    health: Option<(String, String)>,
    root_route: bool,
    /// The first file with `import "C"`.
    cgo_file: Option<String>,
    net_http: bool,
    net_http_file: String,
}

/// Reads the chosen main package first, then the module's other Go files (other main packages,
/// vendor/ and testdata/ skipped).
fn scan_sources(
    mod_dir: &ProjectDir,
    chosen_pkg: Option<&str>,
    other_mains: &[String],
) -> SourceScan {
    let base = mod_dir.dir();
    let walker = crate::source::walker(&base)
        .max_depth(Some(8))
        .filter_entry(|e| {
            let n = e.file_name();
            n != "vendor" && n != "testdata" && n != "node_modules"
        })
        .build();
    let mut files: Vec<String> = walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&base).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel.ends_with(".go") && !rel.ends_with("_test.go")).then_some(rel)
        })
        .filter(|r| {
            let dir = r.rsplit_once('/').map_or(".", |(d, _)| d);
            !other_mains.iter().any(|m| m == dir)
        })
        .collect();
    let in_chosen = |r: &str| {
        let dir = r.rsplit_once('/').map_or(".", |(d, _)| d);
        Some(dir) == chosen_pkg
    };
    files.sort_by_key(|r| (!in_chosen(r), r.clone()));
    files.truncate(400);
    let mut out = SourceScan::default();
    let mut env_only = None;
    for f in files {
        let Some(text) = mod_dir.read_source_prefix(&f) else {
            continue;
        };
        if out.health.is_none() {
            out.health = listen::health_route(&text).map(|r| (f.clone(), r));
        }
        out.root_route |= listen::root_route(&text);
        if out.cgo_file.is_none() && imports_c(&text) {
            out.cgo_file = Some(f.clone());
        }
        if !out.net_http && text.contains("\"net/http\"") && text.contains("ListenAndServe") {
            out.net_http = true;
            out.net_http_file = f.clone();
        }
        let l = listen::scan(&text);
        if l.address.is_some() && out.listen.is_none() {
            out.listen = Some((f, l));
        } else if (l.reads_port_env || l.flag_port.is_some()) && env_only.is_none() {
            env_only = Some((f, l));
        }
    }
    if out.listen.is_none() {
        out.listen = env_only;
    }
    out
}

/// Whether a Go file imports the pseudo-package `C` (cgo): `import "C"` on its own or inside an
/// import block.
fn imports_c(text: &str) -> bool {
    let mut in_block = false;
    for line in text.lines() {
        let l = line.trim();
        if in_block {
            if l.starts_with(')') {
                in_block = false;
            } else if l == "\"C\"" {
                return true;
            }
        } else if l == "import \"C\"" {
            return true;
        } else if l.starts_with("import (") {
            in_block = true;
        } else if l.starts_with("func ") {
            // Imports come before any declaration.
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgo_imports_are_found() {
        assert!(imports_c(
            "package main\n\n// #include <stdio.h>\nimport \"C\"\n"
        ));
        assert!(imports_c("package db\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n"));
        assert!(!imports_c(
            "package main\nimport \"fmt\"\nfunc main() { s := `import \"C\"` }\n"
        ));
    }

    fn parse_str(text: &str) -> Result<ModFile> {
        parse(&SourceText::new("go.mod", text), MOD_VERBS)
    }

    #[test]
    fn go_mod_directives_and_blocks_are_read() {
        let m = parse_str(
            "module example.com/shop // the shop\n\ngo 1.22\ntoolchain go1.22.3\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgolang.org/x/net v0.25.0 // indirect\n)\n\nreplace example.com/lib => ../lib\nreplace example.com/x v1.0.0 => example.com/y v1.1.0\n",
        )
        .unwrap();
        assert_eq!(m.module.unwrap().text, "example.com/shop");
        assert_eq!(m.go.unwrap().text, "1.22");
        assert_eq!(m.toolchain.unwrap().text, "go1.22.3");
        assert_eq!(m.requires.len(), 2);
        assert_eq!(m.local_replaces.len(), 1);
        assert_eq!(m.local_replaces[0].text, "../lib");
    }

    #[test]
    fn go_mod_errors_name_line_and_column() {
        let err = parse_str("module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("go.mod:3:1:"), "{err}");
        let err = parse_str("module x\ngo 1.22\nrequires github.com/a/b v1\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("go.mod:3:1: unknown directive"), "{err}");
        let err = parse_str("module x\ngo one.two\n").unwrap_err().to_string();
        assert!(err.starts_with("go.mod:2:4:"), "{err}");
        let err = parse_str("module \"x\ny").unwrap_err().to_string();
        assert!(err.starts_with("go.mod:1:8: unterminated"), "{err}");
    }

    #[test]
    fn versions_come_from_toolchain_names() {
        let src = SourceText::new("go.mod", "");
        let t = |s: &str| Token {
            text: s.into(),
            line: 1,
            col: 1,
        };
        assert_eq!(version_of(&src, &t("go1.22.3")).unwrap(), "1.22.3");
        assert_eq!(version_of(&src, &t("1.21rc1")).unwrap(), "1.21rc1");
        assert!(version_of(&src, &t("1.22;rm")).is_err());
    }

    #[test]
    fn package_clauses_skip_comments_and_ignored_files() {
        assert_eq!(package_clause("// Package x\npackage main\n"), Some("main"));
        assert_eq!(package_clause("/* a\nb */\npackage util"), Some("util"));
        assert_eq!(package_clause("//go:build ignore\n\npackage main"), None);
    }

    #[test]
    fn module_paths_are_plain() {
        assert!(is_module_path("github.com/acme/shop/v2"));
        assert!(!is_module_path("evil\"\nRUN x"));
        assert!(!is_module_path("../x"));
    }
}
