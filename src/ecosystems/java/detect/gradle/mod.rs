//! Gradle builds: `settings.gradle[.kts]`, the root and module build scripts, `gradle.properties`
//! and the version catalog `gradle/libs.versions.toml`.
//!
//! Build scripts are programs (Groovy or Kotlin), so dockgen does not evaluate them. A small scanner
//! splits a script into identifiers, strings, numbers and punctuation — it knows both languages'
//! string forms (including `${...}` templates), comments and brackets, and reports an unclosed string,
//! comment or bracket with its line and column. Simple token patterns then find what the image needs:
//! applied plugins, dependency coordinates, the Java toolchain or compatibility level, the main class,
//! and the projects `settings` includes.

use std::collections::BTreeMap;

use super::{
    BuildTool, Module, Packaging, boot_packaging, checked_main_class, checked_release,
    wrapper_version,
};
use crate::detect::Evidence;
use crate::error::Result;
use crate::safe;
use crate::source::{ProjectDir, SourceText};

mod lexer;
mod script;
use lexer::*;
use script::*;

// ---- the build ----

/// A parsed script and its file.
#[derive(Debug, Clone)]
struct Parsed {
    src: SourceText,
    script: Script,
}

fn parse_script(dir: &ProjectDir, file: &str) -> Result<Option<Parsed>> {
    let Some(src) = dir.read_opt(file)? else {
        return Ok(None);
    };
    let tokens = tokenize(&src)?;
    let script = analyse(&tokens);
    Ok(Some(Parsed { src, script }))
}

/// The first existing of `names` under `base`.
fn first_file(dir: &ProjectDir, base: &str, names: &[&str]) -> Option<String> {
    names
        .iter()
        .map(|n| {
            if base == "." {
                n.to_string()
            } else {
                format!("{base}/{n}")
            }
        })
        .find(|p| dir.is_file(p))
}

/// The version catalog, reduced to what detection asks of it.
#[derive(Debug, Default)]
struct Catalog {
    /// Normalised alias → (`group:artifact`, version).
    libraries: BTreeMap<String, (String, Option<String>)>,
    /// Normalised alias → (plugin id, version).
    plugins: BTreeMap<String, (String, Option<String>)>,
    /// Normalised alias → library aliases.
    bundles: BTreeMap<String, Vec<String>>,
}

fn norm_alias(a: &str) -> String {
    a.replace(['-', '_'], ".")
}

fn read_catalog(dir: &ProjectDir) -> Result<Catalog> {
    let Some(src) = dir.read_opt("gradle/libs.versions.toml")? else {
        return Ok(Catalog::default());
    };
    let table: toml::Table = src.toml()?;
    let versions: BTreeMap<String, String> = table
        .get("versions")
        .and_then(|v| v.as_table())
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| {
                    let v = v.as_str().map(str::to_string).or_else(|| {
                        v.get("strictly")
                            .or(v.get("require"))
                            .and_then(|x| x.as_str())
                            .map(str::to_string)
                    })?;
                    Some((k.clone(), v))
                })
                .collect()
        })
        .unwrap_or_default();
    let version_of = |v: &toml::Value| -> Option<String> {
        match v.get("version") {
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(toml::Value::Table(t)) => t
                .get("ref")
                .and_then(|r| r.as_str())
                .and_then(|r| versions.get(r).cloned()),
            _ => None,
        }
    };
    let mut cat = Catalog::default();
    if let Some(libs) = table.get("libraries").and_then(|v| v.as_table()) {
        for (alias, v) in libs {
            let entry = match v {
                toml::Value::String(s) => split_coord(s),
                toml::Value::Table(t) => {
                    let module = t
                        .get("module")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                        .or_else(|| {
                            Some(format!(
                                "{}:{}",
                                t.get("group")?.as_str()?,
                                t.get("name")?.as_str()?
                            ))
                        });
                    module.map(|m| (m, version_of(v)))
                }
                _ => None,
            };
            if let Some(e) = entry {
                cat.libraries.insert(norm_alias(alias), e);
            }
        }
    }
    if let Some(plugins) = table.get("plugins").and_then(|v| v.as_table()) {
        for (alias, v) in plugins {
            let entry = match v {
                toml::Value::String(s) => {
                    let (id, ver) = s
                        .split_once(':')
                        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
                    Some((id.to_string(), ver.map(str::to_string)))
                }
                toml::Value::Table(t) => t
                    .get("id")
                    .and_then(|i| i.as_str())
                    .map(|id| (id.to_string(), version_of(v))),
                _ => None,
            };
            if let Some(e) = entry {
                cat.plugins.insert(norm_alias(alias), e);
            }
        }
    }
    if let Some(bundles) = table.get("bundles").and_then(|v| v.as_table()) {
        for (alias, v) in bundles {
            let libs = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(norm_alias)
                        .collect()
                })
                .unwrap_or_default();
            cat.bundles.insert(norm_alias(alias), libs);
        }
    }
    Ok(cat)
}

/// `gradle.properties` as key → value.
fn read_properties(dir: &ProjectDir) -> Result<Vec<(String, String)>> {
    let Some(src) = dir.read_opt("gradle.properties")? else {
        return Ok(Vec::new());
    };
    Ok(src
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let (k, v) = l.split_once(['=', ':'])?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect())
}

/// `$name` / `${name}` replaced from `vars`; `None` when something stays unresolved.
fn interpolate(s: &str, vars: &[(String, String)]) -> Option<String> {
    if !s.contains('$') {
        return Some(s.to_string());
    }
    let lookup = |name: &str| {
        vars.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            (&inner[..end], end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        out.push_str(&lookup(name.trim())?);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    (!out.contains('$')).then_some(out)
}

/// One Gradle project of the build.
struct GradleProject {
    /// Directory relative to the root.
    dir: String,
    /// Gradle path (`:app`); `None` for the root project.
    path: Option<String>,
    name: String,
    file: String,
    parsed: Parsed,
}

/// Reads the Gradle build rooted at `dir`.
pub(super) fn read(dir: &ProjectDir) -> Result<super::Build> {
    let settings_file = first_file(dir, ".", &["settings.gradle.kts", "settings.gradle"]);
    let settings = match &settings_file {
        Some(f) => parse_script(dir, f)?,
        None => None,
    };
    let root_file = first_file(dir, ".", &["build.gradle.kts", "build.gradle"]);
    let root = match &root_file {
        Some(f) => parse_script(dir, f)?,
        None => None,
    };
    let catalog = read_catalog(dir)?;
    let mut vars = read_properties(dir)?;
    if let Some(r) = &root {
        vars.extend(r.script.vars.iter().cloned());
    }

    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    let wrapper = dir.is_file("gradlew") && dir.is_file("gradle/wrapper/gradle-wrapper.properties");
    let mut tool_version = None;
    if wrapper {
        evidence.push(Evidence::new(
            "gradlew",
            "Gradle wrapper (gradle/wrapper) → ./gradlew builds with the Gradle version it pins",
        ));
        if !dir.is_file("gradle/wrapper/gradle-wrapper.jar") {
            notes.push(
                "gradle/wrapper/gradle-wrapper.jar is missing, so ./gradlew will fail; commit it \
                 (it is often caught by a `*.jar` rule in .gitignore)"
                    .to_string(),
            );
        }
    } else {
        tool_version = wrapper_version(dir, "gradle/wrapper/gradle-wrapper.properties", "gradle-")?;
        evidence.push(Evidence::new(
            settings_file
                .as_deref()
                .or(root_file.as_deref())
                .unwrap_or("build.gradle"),
            "Gradle build without a wrapper → the Gradle image builds it",
        ));
    }

    // The projects: the root, then every `include`d one.
    let root_name = settings
        .as_ref()
        .and_then(|s| s.script.root_name.clone())
        .or_else(|| {
            std::fs::canonicalize(dir.dir())
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "app".into());
    let mut projects = Vec::new();
    if let (Some(file), Some(parsed)) = (root_file.clone(), root.clone()) {
        projects.push(GradleProject {
            dir: ".".into(),
            path: None,
            name: root_name.clone(),
            file,
            parsed,
        });
    }
    let mut module_dirs = Vec::new();
    let mut build_files = Vec::new();
    if wrapper {
        build_files.push("gradlew".to_string());
    }
    build_files.extend(settings_file.clone());
    if dir.is_file("gradle.properties") {
        build_files.push("gradle.properties".into());
    }
    build_files.extend(root_file.clone());
    let mut build_dirs = Vec::new();
    if let Some(s) = &settings {
        for (include, at) in &s.script.includes {
            let gradle_path = format!(":{}", include.trim_start_matches(':'));
            let default_dir = include.trim_start_matches(':').replace(':', "/");
            let mapped = s
                .script
                .project_dirs
                .iter()
                .find(|(p, _, _)| format!(":{}", p.trim_start_matches(':')) == gradle_path)
                .map(|(_, d, at)| (d.clone(), *at));
            let (project_dir, at) = mapped.unwrap_or((default_dir, *at));
            let clean = project_dir.trim_start_matches("./").trim_end_matches('/');
            if safe::path(clean, "project").is_err() || clean == "." {
                return Err(s.src.error_at(
                    at,
                    format!(
                        "project {include:?} is not a plain relative directory inside the build \
                         (letters, digits, . _ - / @ +; no ..); dockgen will not copy it"
                    ),
                ));
            }
            module_dirs.push(clean.to_string());
            let Some(file) = first_file(dir, clean, &["build.gradle.kts", "build.gradle"]) else {
                continue;
            };
            let parsed = parse_script(dir, &file)?.expect("file exists");
            build_files.push(file.clone());
            projects.push(GradleProject {
                dir: clean.to_string(),
                name: gradle_path.rsplit(':').next().unwrap_or(clean).to_string(),
                path: Some(gradle_path),
                file,
                parsed,
            });
        }
        for (b, _) in &s.script.include_builds {
            let clean = b.trim_start_matches("./").trim_end_matches('/');
            if safe::path(clean, "included build").is_err() || clean == "." {
                notes.push(format!(
                    "{}: included build {b:?} is outside the build context (or not a plain path), \
                     so the image build cannot see it",
                    s.src.path.display()
                ));
                continue;
            }
            if dir.path(clean).is_dir() {
                build_dirs.push(clean.to_string());
            }
        }
    }
    for d in ["gradle", "buildSrc"] {
        if dir.path(d).is_dir() && !build_dirs.iter().any(|b| b == d) {
            build_dirs.insert(0, d.to_string());
        }
    }
    let multi_module = !module_dirs.is_empty();
    let keep = ["gradle/wrapper/gradle-wrapper.jar"]
        .into_iter()
        .filter(|f| dir.is_file(f))
        .map(str::to_string)
        .collect();

    let (conventions, build_logic) = read_build_logic(dir, &build_dirs)?;
    let ctx = Context {
        root: root.as_ref(),
        settings: settings.as_ref(),
        catalog: &catalog,
        vars: &vars,
        conventions: &conventions,
        build_logic: &build_logic,
    };
    let mut modules = Vec::new();
    for p in &projects {
        // In a multi-project build the root usually only configures; it is a candidate only when it
        // applies an application plugin itself.
        let m = ctx.module(p)?;
        if p.path.is_none() && multi_module && !m.packaging.is_known() {
            continue;
        }
        modules.push(m);
    }
    if modules.is_empty() {
        let file = settings_file
            .clone()
            .or(root_file.clone())
            .unwrap_or_else(|| "settings.gradle".into());
        modules.push(Module {
            path: ".".into(),
            name: root_name,
            build_file: file.clone(),
            aliases: Vec::new(),
            signals: Vec::new(),
            java_version: None,
            packaging: Packaging::Unknown {
                reason: "no project of this build has a build script".into(),
            },
            gradle_path: None,
            gradle_task: None,
            evidence: vec![Evidence::new(&file, "no build script found")],
            notes: Vec::new(),
        });
    }
    Ok(super::Build {
        tool: BuildTool::Gradle,
        wrapper,
        tool_version,
        modules,
        multi_module,
        build_files,
        build_dirs,
        keep,
        module_dirs,
        evidence,
        notes,
    })
}

struct Context<'a> {
    root: Option<&'a Parsed>,
    settings: Option<&'a Parsed>,
    catalog: &'a Catalog,
    vars: &'a [(String, String)],
    /// Precompiled script plugins of buildSrc and included builds: plugin id → script.
    conventions: &'a [(String, Parsed)],
    /// The build scripts of buildSrc and included builds (where plugin versions are declared).
    build_logic: &'a [Parsed],
}

/// Convention plugins by id, and the build scripts of buildSrc and included builds.
type BuildLogic = (Vec<(String, Parsed)>, Vec<Parsed>);

/// Reads the convention plugins (`src/main/{kotlin,groovy}/**/*.gradle[.kts]`) and the build
/// scripts under buildSrc and included builds. A convention plugin's id is its file name.
fn read_build_logic(dir: &ProjectDir, build_dirs: &[String]) -> Result<BuildLogic> {
    let mut conventions = Vec::new();
    let mut scripts = Vec::new();
    for base in build_dirs.iter().filter(|d| *d != "gradle") {
        let mut files = Vec::new();
        collect_scripts(&dir.path(base), base, 0, &mut files);
        files.sort();
        for file in files {
            let Some(parsed) = parse_script(dir, &file)? else {
                continue;
            };
            let name = file.rsplit('/').next().unwrap_or(&file);
            if file.contains("/src/main/") {
                let id = name
                    .trim_end_matches(".kts")
                    .trim_end_matches(".gradle")
                    .to_string();
                conventions.push((id, parsed));
            } else if name.starts_with("build.gradle") {
                scripts.push(parsed);
            }
        }
    }
    Ok((conventions, scripts))
}

/// Gradle scripts below `path` (shown as `rel`), skipping build output.
fn collect_scripts(path: &std::path::Path, rel: &str, depth: usize, out: &mut Vec<String>) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = format!("{rel}/{name}");
        let Ok(ty) = entry.file_type() else { continue };
        if ty.is_dir() {
            if !matches!(name.as_str(), "build" | ".gradle" | "out" | "test") {
                collect_scripts(&entry.path(), &child, depth + 1, out);
            }
        } else if ty.is_file() && (name.ends_with(".gradle.kts") || name.ends_with(".gradle")) {
            out.push(child);
        }
    }
}

const SHADOW_PLUGINS: [&str; 3] = [
    "com.github.johnrengelman.shadow",
    "com.gradleup.shadow",
    "io.github.goooler.shadow",
];

impl Context<'_> {
    /// Plugin ids with catalog aliases resolved.
    fn resolved_plugins(&self, script: &Script) -> Vec<PluginUse> {
        script
            .plugins
            .iter()
            .map(|p| {
                if !p.alias {
                    return p.clone();
                }
                match self.catalog.plugins.get(&norm_alias(&p.id)) {
                    Some((id, v)) => PluginUse {
                        id: id.clone(),
                        version: p.version.clone().or(v.clone()),
                        applied: p.applied,
                        alias: false,
                    },
                    None => p.clone(),
                }
            })
            .collect()
    }

    /// The project's script followed by the convention plugins it applies (transitively).
    fn chain<'b>(&'b self, parsed: &'b Parsed) -> Vec<&'b Parsed> {
        let mut chain = vec![parsed];
        let mut i = 0;
        while i < chain.len() && chain.len() < 16 {
            for plugin in self.resolved_plugins(&chain[i].script) {
                if !plugin.applied {
                    continue;
                }
                for (id, conv) in self.conventions {
                    if *id == plugin.id && !chain.iter().any(|c| std::ptr::eq(*c, conv)) {
                        chain.push(conv);
                    }
                }
            }
            i += 1;
        }
        chain
    }

    /// The version of plugin `id` wherever the build declares it (the project's scripts, the
    /// root's `apply false`, settings' pluginManagement, the catalog, a classpath coordinate in
    /// a buildscript block or in buildSrc / an included build).
    fn plugin_version(&self, chain: &[&Parsed], id: &str, artifact: &str) -> Option<String> {
        let mut scripts: Vec<&Script> = chain.iter().map(|p| &p.script).collect();
        scripts.extend(self.root.map(|r| &r.script));
        scripts.extend(self.settings.map(|s| &s.script));
        scripts.extend(self.build_logic.iter().map(|p| &p.script));
        let from_plugins = scripts.iter().find_map(|s| {
            self.resolved_plugins(s)
                .into_iter()
                .find(|p| p.id == id && p.version.is_some())
                .and_then(|p| p.version)
        });
        let from_catalog = || {
            self.catalog
                .plugins
                .values()
                .find(|(pid, v)| pid == id && v.is_some())
                .and_then(|(_, v)| v.clone())
        };
        let from_classpath = || {
            scripts.iter().find_map(|s| {
                s.coords
                    .iter()
                    .find(|(c, v)| c == artifact && v.is_some())
                    .and_then(|(_, v)| v.clone())
            })
        };
        let vars = self.all_vars(chain);
        from_plugins
            .or_else(from_catalog)
            .or_else(from_classpath)
            .and_then(|v| interpolate(&v, &vars))
    }

    fn all_vars(&self, chain: &[&Parsed]) -> Vec<(String, String)> {
        let mut v = self.vars.to_vec();
        for p in chain {
            v.extend(p.script.vars.iter().cloned());
        }
        v
    }

    /// Applied plugin ids and every dependency coordinate of the project, its conventions and
    /// the root script, as signals for the framework rules.
    fn signals(&self, chain: &[&Parsed], plugins: &[PluginUse]) -> Vec<String> {
        let mut out: Vec<String> = plugins
            .iter()
            .filter(|p| p.applied)
            .map(|p| p.id.clone())
            .collect();
        let vars = self.all_vars(chain);
        let mut scripts: Vec<&Script> = chain.iter().map(|p| &p.script).collect();
        scripts.extend(self.root.map(|r| &r.script));
        for s in scripts {
            for (coord, _) in &s.coords {
                if let Some(c) = interpolate(coord, &vars) {
                    out.push(c);
                }
            }
            for r in &s.lib_refs {
                if let Some((c, _)) = self.catalog.libraries.get(&norm_alias(r)) {
                    out.push(c.clone());
                }
            }
            for b in &s.bundle_refs {
                for lib in self
                    .catalog
                    .bundles
                    .get(&norm_alias(b))
                    .into_iter()
                    .flatten()
                {
                    if let Some((c, _)) = self.catalog.libraries.get(lib) {
                        out.push(c.clone());
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn module(&self, p: &GradleProject) -> Result<Module> {
        let chain = self.chain(&p.parsed);
        let mut plugins: Vec<PluginUse> = chain
            .iter()
            .flat_map(|c| self.resolved_plugins(&c.script))
            .collect();
        if let Some(root) = self.root.filter(|_| p.path.is_some()) {
            // What the root applies in `subprojects { }` / `allprojects { }`.
            plugins.extend(root.script.sub_plugins.iter().cloned());
        }
        let applied = |id: &str| plugins.iter().any(|x| x.applied && x.id == id);
        let vars = self.all_vars(&chain);
        let mut evidence = Vec::new();
        let mut notes = Vec::new();
        for conv in chain.iter().skip(1) {
            evidence.push(Evidence::new(
                &conv.src.path,
                "convention plugin applied by this project (read for plugins, toolchain, dependencies)",
            ));
        }

        // Java release: this project's script, its conventions, else the root's
        // (allprojects/subprojects blocks).
        let mut java_version = None;
        let mut sources = chain.clone();
        sources.extend(self.root.filter(|_| p.path.is_some()));
        for parsed in sources {
            if let Some((raw, at, what)) = &parsed.script.java_version {
                let Some(value) = interpolate(raw, &vars) else {
                    evidence.push(Evidence::new(
                        &parsed.src.path,
                        format!("{what} {raw} cannot be resolved here"),
                    ));
                    continue;
                };
                let v = checked_release(&parsed.src, *at, what, &value)?;
                java_version = Some((
                    v.clone(),
                    Evidence::new(&parsed.src.path, format!("{what} {value} → Java {v}")),
                ));
                break;
            }
        }

        // Main class: the first script of the chain that sets one.
        let mut main_class =
            |pick: fn(&Script) -> &Option<(String, usize)>| -> Result<Option<(String, Evidence)>> {
                let Some(parsed) = chain.iter().find(|c| pick(&c.script).is_some()) else {
                    return Ok(None);
                };
                let (raw, at) = pick(&parsed.script).as_ref().expect("found above");
                match interpolate(raw, &vars) {
                    Some(v) => Ok(Some((
                        checked_main_class(&parsed.src, *at, &v)?,
                        Evidence::new(&parsed.src.path, format!("main class {v}")),
                    ))),
                    None => {
                        notes.push(format!(
                            "{}: main class {raw} cannot be resolved",
                            parsed.src.path.display()
                        ));
                        Ok(None)
                    }
                }
            };
        let app_main = main_class(|s| &s.main_class)?;
        let manifest_main = main_class(|s| &s.manifest_main)?;
        let layers_disabled = chain.iter().any(|c| c.script.layers_disabled);
        let boot_jar_disabled = chain.iter().any(|c| c.script.boot_jar_disabled);

        let (packaging, task, why) = if applied("io.quarkus") {
            (
                Packaging::QuarkusFastJar,
                Some("quarkusBuild"),
                "plugin io.quarkus → Quarkus fast-jar in build/quarkus-app".to_string(),
            )
        } else if applied("org.springframework.boot") && boot_jar_disabled {
            let reason = "the Spring Boot plugin is applied but bootJar is disabled (a library)";
            (
                Packaging::Unknown {
                    reason: reason.into(),
                },
                None,
                format!("no start command: {reason}"),
            )
        } else if applied("org.springframework.boot") {
            let version = self.plugin_version(
                &chain,
                "org.springframework.boot",
                "org.springframework.boot:spring-boot-gradle-plugin",
            );
            let (pk, why) = boot_packaging(version.as_deref(), layers_disabled);
            (
                pk,
                Some("bootJar"),
                format!("plugin org.springframework.boot: {why}"),
            )
        } else if applied("application") || applied("io.micronaut.application") {
            match app_main {
                Some((main_class, ev)) => (
                    Packaging::Distribution { main_class },
                    Some("installDist"),
                    format!(
                        "application plugin, {} → installDist, java -cp lib/*",
                        ev.fact
                    ),
                ),
                None => (
                    Packaging::Unknown {
                        reason: "the application plugin is applied but no mainClass is set".into(),
                    },
                    None,
                    "application plugin without mainClass".into(),
                ),
            }
        } else if let Some((_, ev)) = manifest_main {
            let shadow = SHADOW_PLUGINS.iter().any(|id| applied(id));
            if !shadow {
                notes.push(format!(
                    "{}: the jar's manifest names the main class; `java -jar` needs the jar to carry \
                     its dependencies (a fat jar) or to have none",
                    p.file
                ));
            }
            (
                Packaging::ExecutableJar,
                Some(if shadow { "shadowJar" } else { "jar" }),
                format!(
                    "{} in the jar manifest{} → java -jar",
                    ev.fact,
                    if shadow { ", shadow plugin" } else { "" }
                ),
            )
        } else {
            let reason = "no Spring Boot, Quarkus or application plugin and no Main-Class manifest \
                          attribute";
            (
                Packaging::Unknown {
                    reason: reason.into(),
                },
                None,
                format!("no start command: {reason}"),
            )
        };
        evidence.push(Evidence::new(&p.file, why));
        let gradle_task = task.map(|t| match &p.path {
            Some(path) => format!("{path}:{t}"),
            None => t.to_string(),
        });
        let mut aliases = vec![p.dir.rsplit('/').next().unwrap_or(".").to_string()];
        aliases.extend(p.path.clone());
        Ok(Module {
            path: p.dir.clone(),
            name: p.name.clone(),
            build_file: p.file.clone(),
            aliases,
            signals: self.signals(&chain, &plugins),
            java_version,
            packaging,
            gradle_path: p.path.clone(),
            gradle_task,
            evidence,
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> Script {
        let src = SourceText::new("build.gradle.kts", text);
        analyse(&tokenize(&src).unwrap())
    }

    fn scan_error(text: &str) -> String {
        let src = SourceText::new("build.gradle.kts", text);
        tokenize(&src).unwrap_err().to_string()
    }

    #[test]
    fn kotlin_dsl_plugins_toolchain_and_dependencies() {
        let s = script(
            r#"
plugins {
    java
    id("org.springframework.boot") version "3.3.4"
    id("io.spring.dependency-management") version "1.1.6" apply false
    kotlin("jvm") version "2.0.0"
}
java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }
dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation(libs.spring.boot.starter.actuator)
    // implementation("com.example:commented-out:1.0")
    /* "also:ignored" */
}
"#,
        );
        let ids: Vec<_> = s
            .plugins
            .iter()
            .map(|p| (p.id.as_str(), p.applied))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("java", true),
                ("org.springframework.boot", true),
                ("io.spring.dependency-management", false),
                ("org.jetbrains.kotlin.jvm", true)
            ]
        );
        assert_eq!(s.plugins[1].version.as_deref(), Some("3.3.4"));
        assert_eq!(s.java_version.as_ref().unwrap().0, "21");
        assert!(
            s.coords
                .iter()
                .any(|c| c.0 == "org.springframework.boot:spring-boot-starter-web")
        );
        assert!(
            !s.coords
                .iter()
                .any(|c| c.0.starts_with("com.example") || c.0.starts_with("also"))
        );
        assert_eq!(s.lib_refs, vec!["spring.boot.starter.actuator"]);
    }

    #[test]
    fn groovy_dsl_forms() {
        let s = script(
            r#"
plugins { id 'application' }
apply plugin: 'org.springframework.boot'
sourceCompatibility = JavaVersion.VERSION_17
application { mainClassName = 'com.example.App' }
jar { manifest { attributes 'Main-Class': 'com.example.Other' } }
dependencies { implementation group: 'io.micronaut', name: 'micronaut-management', version: '4.0' }
ext { springBootVersion = '2.7.18' }
def greeting = "hello ${name.toUpperCase("x")} world"
"#,
        );
        assert!(s.plugins.iter().any(|p| p.id == "application"));
        assert!(s.plugins.iter().any(|p| p.id == "org.springframework.boot"));
        assert_eq!(s.java_version.as_ref().unwrap().0, "VERSION_17");
        assert_eq!(s.main_class.as_ref().unwrap().0, "com.example.App");
        assert_eq!(s.manifest_main.as_ref().unwrap().0, "com.example.Other");
        assert!(
            s.coords
                .iter()
                .any(|c| c.0 == "io.micronaut:micronaut-management")
        );
        assert!(
            s.vars
                .contains(&("springBootVersion".into(), "2.7.18".into()))
        );
    }

    #[test]
    fn plugins_applied_to_subprojects_are_kept_apart() {
        let s = script(
            "plugins { java }\nsubprojects {\n    apply plugin: 'org.springframework.boot'\n}\nallprojects { apply(plugin = \"idea\") }\n",
        );
        let own: Vec<_> = s.plugins.iter().map(|p| p.id.as_str()).collect();
        let sub: Vec<_> = s.sub_plugins.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(own, vec!["java", "idea"]);
        assert_eq!(sub, vec!["org.springframework.boot", "idea"]);
    }

    #[test]
    fn toolchain_beats_source_compatibility_in_any_order() {
        let s = script(
            "java { sourceCompatibility = JavaVersion.VERSION_11\n toolchain { languageVersion.set(JavaLanguageVersion.of(17)) } }",
        );
        assert_eq!(s.java_version.unwrap().0, "17");
    }

    #[test]
    fn settings_includes_and_project_dirs() {
        let s = script(
            "rootProject.name = \"shop\"\ninclude(\"app\", \":libs:core\")\ninclude 'worker'\nproject(':worker').projectDir = file('services/worker')\nincludeBuild(\"build-logic\")\n",
        );
        let inc: Vec<_> = s.includes.iter().map(|i| i.0.as_str()).collect();
        assert_eq!(inc, vec!["app", ":libs:core", "worker"]);
        assert_eq!(s.root_name.as_deref(), Some("shop"));
        assert_eq!(s.project_dirs[0].1, "services/worker");
        assert_eq!(s.include_builds[0].0, "build-logic");
    }

    #[test]
    fn unbalanced_brackets_and_strings_are_located() {
        let err = scan_error("plugins {\n    java\n\ndependencies {\n}\n");
        assert!(err.starts_with("build.gradle.kts:1:9:"), "{err}");
        assert!(err.contains("never closed"), "{err}");
        let err = scan_error("a {\n  b(\"x\"}\n}\n");
        assert!(err.starts_with("build.gradle.kts:2:8:"), "{err}");
        let err = scan_error("x = \"abc\ny = 1\n");
        assert!(err.starts_with("build.gradle.kts:1:5:"), "{err}");
        let err = scan_error("}\n");
        assert!(err.starts_with("build.gradle.kts:1:1:"), "{err}");
        let err = scan_error("/* open\n");
        assert!(err.contains("comment is never closed"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_block() {
        let s = script("\u{feff}plugins { application }\n");
        assert!(s.plugins.iter().any(|p| p.id == "application"));
    }

    #[test]
    fn templates_with_quotes_inside_do_not_end_the_string() {
        let s = script("val v = \"${property(\"x\")}-suffix\"\nplugins { java }\n");
        assert!(s.plugins.iter().any(|p| p.id == "java"));
    }

    #[test]
    fn interpolation_resolves_known_names_only() {
        let vars = vec![("v".to_string(), "1.2".to_string())];
        assert_eq!(interpolate("$v", &vars).as_deref(), Some("1.2"));
        assert_eq!(interpolate("x-${v}", &vars).as_deref(), Some("x-1.2"));
        assert_eq!(interpolate("${nope}", &vars), None);
        assert_eq!(interpolate("plain", &vars).as_deref(), Some("plain"));
    }
}
