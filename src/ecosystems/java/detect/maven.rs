//! Maven builds: the root `pom.xml`, its modules (recursively) and the parents inside the project.
//!
//! Each pom is parsed into the few things that decide the image: coordinates, packaging, properties,
//! modules, dependencies, BOM imports and build plugins with their configuration values. A module's
//! effective view merges its in-project parents the way Maven inheritance does (properties, plugins
//! and dependencies are inherited), which is where Spring Boot's parent, `java.version` and plugin
//! configuration usually live in a multi-module build.

use std::collections::HashMap;

use super::{
    BuildTool, Module, Packaging, boot_packaging, checked_main_class, checked_release, settings,
    wrapper_version,
};
use crate::detect::Evidence;
use crate::error::Result;
use crate::safe;
use crate::source::{ProjectDir, SourceText};

/// Modules nested deeper than this are not followed (a cycle guard as much as a limit).
const MAX_DEPTH: usize = 8;

/// Properties that commonly hold the main class.
const MAIN_CLASS_PROPERTIES: [&str; 5] = [
    "exec.mainClass",
    "main.class",
    "mainClass",
    "app.main.class",
    "start-class",
];

#[derive(Debug, Clone)]
struct Coord {
    group: String,
    artifact: String,
    version: Option<String>,
    scope: Option<String>,
}

impl Coord {
    fn key(&self) -> String {
        format!("{}:{}", self.group, self.artifact)
    }
}

/// A build plugin and every text value under its `<configuration>` (also inside `<executions>`),
/// keyed by the element path below `configuration` (`archive/manifest/mainClass`).
#[derive(Debug, Clone)]
struct Plugin {
    coord: Coord,
    config: Vec<(String, String, usize)>,
    /// Index of the pom that declares it.
    pom: usize,
}

impl Plugin {
    fn get(&self, suffix: &str) -> Option<&(String, String, usize)> {
        self.config
            .iter()
            .find(|(path, _, _)| path == suffix || path.ends_with(&format!("/{suffix}")))
    }
}

#[derive(Debug, Clone)]
struct Parent {
    coord: Coord,
    /// `<relativePath>`; `None` means Maven's default `../pom.xml`.
    relative_path: Option<String>,
}

#[derive(Debug, Clone)]
struct Pom {
    src: SourceText,
    /// Directory of the pom relative to the build root (`"."` for the root).
    dir: String,
    /// The pom file relative to the build root.
    file: String,
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    packaging: Option<(String, usize)>,
    parent: Option<Parent>,
    properties: Vec<(String, String, usize)>,
    /// `<module>` entries: value, offset, and whether they sit in a `<profile>`.
    modules: Vec<(String, usize, bool)>,
    dependencies: Vec<Coord>,
    imports: Vec<Coord>,
    plugins: Vec<Plugin>,
    managed_plugins: Vec<Plugin>,
}

/// Reads the Maven build rooted at `dir`.
pub(super) fn read(dir: &ProjectDir) -> Result<super::Build> {
    let mut reactor = Reactor {
        dir,
        poms: Vec::new(),
        by_file: HashMap::new(),
    };
    let root = reactor
        .load("pom.xml", ".")?
        .expect("pom.xml exists: detect checked it");
    reactor.walk_modules(root, 0)?;
    let reactor_len = reactor.poms.len();
    let multi_module = reactor_len > 1;

    let mut evidence = Vec::new();
    let mut notes = Vec::new();
    let wrapper = dir.is_file("mvnw") && dir.is_file(".mvn/wrapper/maven-wrapper.properties");
    let mut tool_version = None;
    if wrapper {
        evidence.push(Evidence::new(
            "mvnw",
            "Maven wrapper (.mvn/wrapper) → ./mvnw builds with the Maven version it pins",
        ));
    } else {
        if dir.is_file("mvnw") {
            notes.push(
                "mvnw is present but .mvn/wrapper/maven-wrapper.properties is not, so the wrapper \
                 cannot run; the build uses the Maven image instead"
                    .to_string(),
            );
        }
        tool_version = wrapper_version(
            dir,
            ".mvn/wrapper/maven-wrapper.properties",
            "apache-maven-",
        )?;
        evidence.push(Evidence::new(
            "pom.xml",
            "Maven build without a wrapper → the Maven image builds it",
        ));
    }

    // Classify every module of the reactor (parents are loaded on the way, so iterate by index).
    let mut modules = Vec::new();
    for idx in 0..reactor_len {
        let packaging = reactor.poms[idx]
            .packaging
            .as_ref()
            .map(|p| p.0.clone())
            .unwrap_or_else(|| "jar".into());
        let chain = reactor.chain(idx)?;
        let view = View {
            reactor: &reactor,
            chain,
        };
        let packaging = view.resolve(&packaging).unwrap_or(packaging);
        if packaging == "pom" {
            continue;
        }
        modules.push(view.module(&packaging)?);
    }
    if modules.is_empty() {
        // Only aggregator poms: report the root so the user hears why nothing can be built.
        let chain = reactor.chain(0)?;
        let view = View {
            reactor: &reactor,
            chain,
        };
        let mut m = view.module("pom")?;
        m.packaging = Packaging::Unknown {
            reason: "every pom of this build has <packaging>pom</packaging>; none makes a jar"
                .into(),
        };
        modules.push(m);
    }

    let mut build_files = Vec::new();
    if wrapper {
        build_files.push("mvnw".to_string());
    }
    build_files.extend(reactor.poms.iter().map(|p| p.file.clone()));
    let build_dirs = if dir.path(".mvn").is_dir() {
        vec![".mvn".to_string()]
    } else {
        Vec::new()
    };
    let keep = [".mvn/wrapper/maven-wrapper.jar"]
        .into_iter()
        .filter(|f| dir.is_file(f))
        .map(str::to_string)
        .collect();
    let module_dirs = reactor.poms[..reactor_len]
        .iter()
        .filter(|p| p.dir != ".")
        .map(|p| p.dir.clone())
        .collect();
    Ok(super::Build {
        tool: BuildTool::Maven,
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

struct Reactor<'a> {
    dir: &'a ProjectDir,
    poms: Vec<Pom>,
    by_file: HashMap<String, usize>,
}

impl Reactor<'_> {
    /// Loads (once) the pom at `file` (root-relative) whose directory is `pom_dir`.
    fn load(&mut self, file: &str, pom_dir: &str) -> Result<Option<usize>> {
        if let Some(&idx) = self.by_file.get(file) {
            return Ok(Some(idx));
        }
        let Some(src) = self.dir.read_opt(file)? else {
            return Ok(None);
        };
        let mut pom = parse(src, pom_dir, file)?;
        let idx = self.poms.len();
        for plugin in pom.plugins.iter_mut().chain(pom.managed_plugins.iter_mut()) {
            plugin.pom = idx;
        }
        self.poms.push(pom);
        self.by_file.insert(file.to_string(), idx);
        Ok(Some(idx))
    }

    /// Loads the modules of pom `idx`, depth first, so the reactor is `0..len` afterwards.
    fn walk_modules(&mut self, idx: usize, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let modules = self.poms[idx].modules.clone();
        let base = self.poms[idx].dir.clone();
        for (module, offset, in_profile) in modules {
            let src = &self.poms[idx].src;
            let clean = module.trim().trim_end_matches('/');
            if safe::path(clean, "module").is_err() || clean == "." {
                return Err(src.error_at(
                    offset,
                    format!(
                        "module {module:?} is not a plain relative path inside the project \
                         (letters, digits, . _ - / @ +; no ..); dockgen will not copy it"
                    ),
                ));
            }
            let path = join(&base, clean);
            let (file, pom_dir) = if clean.ends_with(".xml") {
                let parent = path.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
                (path.clone(), parent)
            } else {
                (format!("{path}/pom.xml"), path.clone())
            };
            if self.by_file.contains_key(&file) {
                continue;
            }
            match self.load(&file, &pom_dir)? {
                Some(child) => self.walk_modules(child, depth + 1)?,
                None if in_profile => {}
                None => {
                    return Err(self.poms[idx].src.error_at(
                        offset,
                        format!("module {clean:?} has no {file}; Maven cannot build this reactor"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Pom `idx` followed by its parents that live in the project (nearest first).
    fn chain(&mut self, idx: usize) -> Result<Vec<usize>> {
        let mut chain = vec![idx];
        let mut cur = idx;
        while chain.len() <= MAX_DEPTH {
            let Some(parent) = self.poms[cur].parent.clone() else {
                break;
            };
            let rel = match parent.relative_path.as_deref() {
                None => "../pom.xml".to_string(),
                Some("") => break,
                Some(p) if p.ends_with(".xml") => p.to_string(),
                Some(p) => format!("{}/pom.xml", p.trim_end_matches('/')),
            };
            let Some(file) = normalise(&join(&self.poms[cur].dir, &rel)) else {
                break;
            };
            let pom_dir = file.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
            let Some(pidx) = self.load(&file, &pom_dir)? else {
                break;
            };
            if self.poms[pidx].artifact_id.as_deref() != Some(parent.coord.artifact.as_str())
                || chain.contains(&pidx)
            {
                break;
            }
            chain.push(pidx);
            cur = pidx;
        }
        Ok(chain)
    }
}

/// One module seen through its in-project parents.
struct View<'a> {
    reactor: &'a Reactor<'a>,
    /// The module first, then its parents.
    chain: Vec<usize>,
}

impl View<'_> {
    fn pom(&self) -> &Pom {
        &self.reactor.poms[self.chain[0]]
    }

    fn poms(&self) -> impl Iterator<Item = &Pom> {
        self.chain.iter().map(|&i| &self.reactor.poms[i])
    }

    /// The parent outside the project (Spring Boot's starter parent, a company parent, ...).
    fn external_parent(&self) -> Option<&Coord> {
        let top = &self.reactor.poms[*self.chain.last()?];
        top.parent.as_ref().map(|p| &p.coord)
    }

    /// A property as Maven would see it in this module: own value, else the nearest parent's,
    /// plus the `project.*` built-ins.
    fn property(&self, name: &str) -> Option<(String, &Pom, usize)> {
        for pom in self.poms() {
            if let Some((_, v, off)) = pom.properties.iter().rev().find(|(k, _, _)| k == name) {
                return Some((v.clone(), pom, *off));
            }
        }
        let own = self.pom();
        let builtin = match name {
            "project.artifactId" | "pom.artifactId" | "artifactId" => own.artifact_id.clone(),
            "project.groupId" | "pom.groupId" | "groupId" => own
                .group_id
                .clone()
                .or_else(|| own.parent.as_ref().map(|p| p.coord.group.clone())),
            "project.version" | "pom.version" | "version" => own
                .version
                .clone()
                .or_else(|| own.parent.as_ref().and_then(|p| p.coord.version.clone())),
            "project.parent.version" => own.parent.as_ref().and_then(|p| p.coord.version.clone()),
            _ => None,
        };
        builtin.map(|v| (v, own, 0))
    }

    /// `${...}` references replaced; `None` when one cannot be resolved.
    fn resolve(&self, value: &str) -> Option<String> {
        let mut out = value.to_string();
        for _ in 0..8 {
            let Some(start) = out.find("${") else {
                return Some(out);
            };
            let end = start + out[start..].find('}')?;
            let name = &out[start + 2..end];
            let (v, _, _) = self.property(name)?;
            out.replace_range(start..=end, &v);
        }
        (!out.contains("${")).then_some(out)
    }

    fn plugins(&self) -> impl Iterator<Item = &Plugin> {
        self.poms().flat_map(|p| p.plugins.iter())
    }

    fn managed_plugins(&self) -> impl Iterator<Item = &Plugin> {
        self.poms().flat_map(|p| p.managed_plugins.iter())
    }

    fn plugin(&self, artifact: &str) -> Option<&Plugin> {
        self.plugins().find(|p| p.coord.artifact == artifact)
    }

    /// A configuration value of plugin `artifact`, from its declaration or its pluginManagement.
    fn plugin_config(
        &self,
        artifact: &str,
        suffix: &str,
    ) -> Option<(&Plugin, &(String, String, usize))> {
        self.plugins()
            .chain(self.managed_plugins())
            .filter(|p| p.coord.artifact == artifact)
            .find_map(|p| p.get(suffix).map(|v| (p, v)))
    }

    /// Everything the module uses, as `group:artifact` signals for framework rules.
    fn signals(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = self.external_parent() {
            out.push(p.key());
        }
        for pom in self.poms() {
            out.extend(pom.dependencies.iter().map(Coord::key));
            out.extend(pom.imports.iter().map(Coord::key));
            out.extend(pom.plugins.iter().map(|p| p.coord.key()));
        }
        out.dedup();
        out
    }

    fn java_version(&self) -> Result<Option<(String, Evidence)>> {
        for name in &settings().maven_version_properties {
            let Some((raw, pom, offset)) = self.property(name) else {
                continue;
            };
            return self.release(&raw, pom, offset, name);
        }
        for key in ["release", "source"] {
            if let Some((plugin, (_, raw, offset))) =
                self.plugin_config("maven-compiler-plugin", key)
            {
                let pom = &self.reactor.poms[plugin.pom];
                return self.release(raw, pom, *offset, &format!("maven-compiler-plugin <{key}>"));
            }
        }
        Ok(None)
    }

    fn release(
        &self,
        raw: &str,
        pom: &Pom,
        offset: usize,
        what: &str,
    ) -> Result<Option<(String, Evidence)>> {
        let Some(value) = self.resolve(raw) else {
            return Ok(Some((
                settings_default(),
                Evidence::new(
                    &pom.file,
                    format!(
                        "{what} = {raw} cannot be resolved here; using the default {}",
                        settings_default()
                    ),
                ),
            )));
        };
        let v = checked_release(&pom.src, offset, what, &value)?;
        Ok(Some((
            v.clone(),
            Evidence::new(&pom.file, format!("{what} = {value} → Java {v}")),
        )))
    }

    fn boot_version(&self) -> Option<String> {
        const BOOT: &str = "org.springframework.boot";
        let from_parent = self
            .external_parent()
            .filter(|p| p.group == BOOT && p.artifact == "spring-boot-starter-parent")
            .and_then(|p| p.version.clone());
        let from_bom = || {
            self.poms()
                .flat_map(|p| p.imports.iter())
                .find(|c| c.group == BOOT && c.artifact == "spring-boot-dependencies")
                .and_then(|c| c.version.clone())
        };
        let from_plugin = || {
            self.plugins()
                .chain(self.managed_plugins())
                .find(|p| p.coord.artifact == "spring-boot-maven-plugin")
                .and_then(|p| p.coord.version.clone())
        };
        let from_property = || self.property("spring-boot.version").map(|p| p.0);
        [from_parent, from_bom(), from_plugin(), from_property()]
            .into_iter()
            .flatten()
            .find_map(|v| self.resolve(&v))
    }

    /// A main class from `artifact`'s configuration at `suffix`, checked; `Err(reason)`-like `None`
    /// when it refers to a property that cannot be resolved.
    fn main_class_from(&self, artifact: &str, suffix: &str) -> Result<Option<MainClass>> {
        let Some((plugin, (_, raw, offset))) = self.plugin_config(artifact, suffix) else {
            return Ok(None);
        };
        let pom = &self.reactor.poms[plugin.pom];
        self.main_class_value(raw, pom, *offset, &format!("{artifact} {suffix}"))
            .map(Some)
    }

    fn main_class_value(
        &self,
        raw: &str,
        pom: &Pom,
        offset: usize,
        what: &str,
    ) -> Result<MainClass> {
        Ok(match self.resolve(raw) {
            Some(v) => MainClass::Found(
                checked_main_class(&pom.src, offset, &v)?,
                Evidence::new(&pom.file, format!("{what} = {v}")),
            ),
            None => MainClass::Unresolved(format!("{what} = {raw} cannot be resolved")),
        })
    }

    fn main_class_property(&self) -> Result<Option<MainClass>> {
        for name in MAIN_CLASS_PROPERTIES {
            if let Some((raw, pom, offset)) = self.property(name) {
                return self
                    .main_class_value(&raw, pom, offset, &format!("property {name}"))
                    .map(Some);
            }
        }
        Ok(None)
    }

    /// True when the module (with inheritance) has no compile or runtime dependency.
    fn has_no_runtime_dependencies(&self) -> bool {
        self.poms().all(|p| {
            p.dependencies
                .iter()
                .all(|d| matches!(d.scope.as_deref(), Some("test" | "provided" | "system")))
        })
    }

    fn module(&self, packaging: &str) -> Result<Module> {
        let pom = self.pom();
        let name = pom
            .artifact_id
            .clone()
            .or_else(|| pom.dir.rsplit('/').next().map(str::to_string))
            .unwrap_or_else(|| "app".into());
        let mut evidence = Vec::new();
        let java_version = self.java_version()?;
        let (packaging, why) = self.packaging(packaging)?;
        evidence.push(Evidence::new(&pom.file, why));
        let mut aliases = vec![pom.dir.rsplit('/').next().unwrap_or(".").to_string()];
        aliases.extend(pom.artifact_id.clone());
        // A module that inherits Spring Boot's parent but neither repackages with Boot's plugin nor
        // uses a starter is a plain Java program, not a Spring Boot service.
        let mut signals = self.signals();
        if packaging.is_known() && self.plugin("spring-boot-maven-plugin").is_none() {
            if let Some(parent) = self
                .external_parent()
                .filter(|p| p.artifact == "spring-boot-starter-parent")
            {
                let key = parent.key();
                signals.retain(|s| *s != key);
            }
        }
        Ok(Module {
            path: pom.dir.clone(),
            name,
            build_file: pom.file.clone(),
            aliases,
            signals,
            java_version,
            packaging,
            gradle_path: None,
            gradle_task: None,
            evidence,
            notes: Vec::new(),
        })
    }

    /// How this module is packaged and started, and why dockgen thinks so.
    fn packaging(&self, packaging: &str) -> Result<(Packaging, String)> {
        if packaging == "pom" {
            return Ok((
                Packaging::Unknown {
                    reason: "aggregator pom".into(),
                },
                "packaging pom".into(),
            ));
        }
        if packaging != "jar" {
            return Ok((
                Packaging::Unknown {
                    reason: format!(
                        "<packaging>{packaging}</packaging>: dockgen builds applications packaged as jar"
                    ),
                },
                format!("packaging {packaging}"),
            ));
        }
        let has = |artifact: &str| self.plugin(artifact).is_some();
        if has("quarkus-maven-plugin") {
            return Ok((
                Packaging::QuarkusFastJar,
                "quarkus-maven-plugin → Quarkus fast-jar in target/quarkus-app".into(),
            ));
        }
        let boot_skipped = self
            .plugin_config("spring-boot-maven-plugin", "skip")
            .and_then(|(_, (_, v, _))| self.resolve(v))
            .is_some_and(|v| v.trim() == "true");
        if has("spring-boot-maven-plugin") && boot_skipped {
            let reason = "spring-boot-maven-plugin is skipped here (a library module)";
            return Ok((
                Packaging::Unknown {
                    reason: reason.into(),
                },
                format!("no start command: {reason}"),
            ));
        }
        if has("spring-boot-maven-plugin") {
            let disabled = self
                .plugin_config("spring-boot-maven-plugin", "layers/enabled")
                .and_then(|(_, (_, v, _))| self.resolve(v))
                .is_some_and(|v| v.trim() == "false");
            let (p, why) = boot_packaging(self.boot_version().as_deref(), disabled);
            return Ok((p, format!("spring-boot-maven-plugin: {why}")));
        }
        let mut unresolved = Vec::new();
        // A shaded jar that names its main class is self-contained.
        if has("maven-shade-plugin") {
            for suffix in ["mainClass", "manifestEntries/Main-Class"] {
                match self.main_class_from("maven-shade-plugin", suffix)? {
                    Some(MainClass::Found(_, ev)) => {
                        return Ok((
                            Packaging::ExecutableJar,
                            format!("{} → shaded executable jar, java -jar", ev.fact),
                        ));
                    }
                    Some(MainClass::Unresolved(r)) => unresolved.push(r),
                    None => {}
                }
            }
        }
        for suffix in [
            "archive/manifest/mainClass",
            "archive/manifestEntries/Main-Class",
        ] {
            match self.main_class_from("maven-jar-plugin", suffix)? {
                Some(MainClass::Found(main_class, ev)) => {
                    let add_cp = self
                        .plugin_config("maven-jar-plugin", "archive/manifest/addClasspath")
                        .and_then(|(_, (_, v, _))| self.resolve(v))
                        .is_some_and(|v| v.trim() == "true");
                    let prefix = self
                        .plugin_config("maven-jar-plugin", "archive/manifest/classpathPrefix")
                        .and_then(|(_, (_, v, _))| self.resolve(v))
                        .unwrap_or_default();
                    let lib_on_manifest = add_cp && prefix.trim().trim_end_matches('/') == "lib";
                    let no_deps = self.has_no_runtime_dependencies();
                    let manifest = lib_on_manifest || no_deps;
                    let how = if lib_on_manifest {
                        "the manifest class path points at lib/ → java -jar"
                    } else if no_deps {
                        "no runtime dependencies → java -jar"
                    } else {
                        "dependencies copied to lib/ → java -cp app.jar:lib/*"
                    };
                    return Ok((
                        Packaging::ThinJar {
                            main_class,
                            manifest,
                        },
                        format!("{} → {how}", ev.fact),
                    ));
                }
                Some(MainClass::Unresolved(r)) => unresolved.push(r),
                None => {}
            }
        }
        let candidates = [
            ("maven-assembly-plugin", "archive/manifest/mainClass"),
            ("exec-maven-plugin", "mainClass"),
        ];
        for (artifact, suffix) in candidates {
            match self.main_class_from(artifact, suffix)? {
                Some(MainClass::Found(main_class, ev)) => {
                    return Ok((
                        Packaging::ThinJar {
                            main_class,
                            manifest: false,
                        },
                        format!("{} → java -cp app.jar:lib/*", ev.fact),
                    ));
                }
                Some(MainClass::Unresolved(r)) => unresolved.push(r),
                None => {}
            }
        }
        match self.main_class_property()? {
            Some(MainClass::Found(main_class, ev)) => {
                let micronaut = has("micronaut-maven-plugin");
                return Ok((
                    Packaging::ThinJar {
                        main_class,
                        manifest: false,
                    },
                    format!(
                        "{}{} → java -cp app.jar:lib/*",
                        ev.fact,
                        if micronaut { " (Micronaut)" } else { "" }
                    ),
                ));
            }
            Some(MainClass::Unresolved(r)) => unresolved.push(r),
            None => {}
        }
        let boot_parent = self
            .external_parent()
            .is_some_and(|p| p.artifact == "spring-boot-starter-parent");
        let mut reason = if boot_parent {
            "the Spring Boot parent is there but spring-boot-maven-plugin is not in <build><plugins>, \
             so `mvn package` makes a plain jar that cannot start; add the plugin"
                .to_string()
        } else {
            "no Spring Boot, Quarkus or main-class configuration found (maven-jar-plugin manifest \
             mainClass, maven-shade-plugin transformer mainClass, exec.mainClass)"
                .to_string()
        };
        if !unresolved.is_empty() {
            reason = format!("{reason}; {}", unresolved.join("; "));
        }
        let why = format!("no start command: {reason}");
        Ok((Packaging::Unknown { reason }, why))
    }
}

fn settings_default() -> String {
    crate::versions::family("java").default.clone()
}

enum MainClass {
    Found(String, Evidence),
    Unresolved(String),
}

/// Joins a root-relative directory and a relative path.
fn join(base: &str, rel: &str) -> String {
    if base == "." {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    }
}

/// Resolves `.` and `..` segments; `None` when the path leaves the project.
fn normalise(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    (!out.is_empty()).then(|| out.join("/"))
}

// ---- pom.xml parsing ----

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text(node: Option<Node>) -> Option<String> {
    node.and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn coord(node: Node, default_group: &str) -> Coord {
    Coord {
        group: text(child(node, "groupId")).unwrap_or_else(|| default_group.to_string()),
        artifact: text(child(node, "artifactId")).unwrap_or_default(),
        version: text(child(node, "version")),
        scope: text(child(node, "scope")),
    }
}

fn plugins(container: Option<Node>, pom: usize) -> Vec<Plugin> {
    let Some(plugins) = container.and_then(|c| child(c, "plugins")) else {
        return Vec::new();
    };
    children(plugins, "plugin")
        .map(|p| {
            let mut config = Vec::new();
            let mut configs: Vec<Node> = child(p, "configuration").into_iter().collect();
            if let Some(execs) = child(p, "executions") {
                configs
                    .extend(children(execs, "execution").filter_map(|e| child(e, "configuration")));
            }
            for cfg in configs {
                collect_config(cfg, "", &mut config);
            }
            Plugin {
                coord: coord(p, "org.apache.maven.plugins"),
                config,
                pom,
            }
        })
        .collect()
}

fn collect_config(node: Node, prefix: &str, out: &mut Vec<(String, String, usize)>) {
    for c in node.children().filter(|c| c.is_element()) {
        let path = if prefix.is_empty() {
            c.tag_name().name().to_string()
        } else {
            format!("{prefix}/{}", c.tag_name().name())
        };
        if c.children().any(|g| g.is_element()) {
            collect_config(c, &path, out);
        } else if let Some(t) = c.text() {
            out.push((path, t.trim().to_string(), c.range().start));
        }
    }
}

fn parse(src: SourceText, dir: &str, file: &str) -> Result<Pom> {
    // The document borrows the text; everything needed is copied out before `src` moves.
    let pom = {
        let doc = src.xml()?;
        let project = doc.root_element();
        if project.tag_name().name() != "project" {
            return Err(src.error_at(
                project.range().start,
                format!(
                    "the root element is <{}>, not <project>; this is not a Maven pom",
                    project.tag_name().name()
                ),
            ));
        }
        let parent = child(project, "parent").map(|p| Parent {
            coord: coord(p, ""),
            relative_path: child(p, "relativePath")
                .map(|r| r.text().map(|t| t.trim().to_string()).unwrap_or_default()),
        });
        let properties = child(project, "properties")
            .map(|props| {
                props
                    .children()
                    .filter(|c| c.is_element())
                    .map(|c| {
                        (
                            c.tag_name().name().to_string(),
                            c.text().map(|t| t.trim().to_string()).unwrap_or_default(),
                            c.range().start,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut modules = Vec::new();
        let mut module_lists = vec![(child(project, "modules"), false)];
        if let Some(profiles) = child(project, "profiles") {
            module_lists.extend(children(profiles, "profile").map(|p| (child(p, "modules"), true)));
        }
        for (list, in_profile) in module_lists {
            for m in list.into_iter().flat_map(|l| children(l, "module")) {
                modules.push((
                    m.text().map(|t| t.trim().to_string()).unwrap_or_default(),
                    m.range().start,
                    in_profile,
                ));
            }
        }
        let dependencies = child(project, "dependencies")
            .map(|d| children(d, "dependency").map(|n| coord(n, "")).collect())
            .unwrap_or_default();
        let imports = child(project, "dependencyManagement")
            .and_then(|dm| child(dm, "dependencies"))
            .map(|d| {
                children(d, "dependency")
                    .map(|n| coord(n, ""))
                    .filter(|c| c.scope.as_deref() == Some("import"))
                    .collect()
            })
            .unwrap_or_default();
        let build = child(project, "build");
        Pom {
            src: SourceText::new(src.path.clone(), String::new()),
            dir: dir.to_string(),
            file: file.to_string(),
            group_id: text(child(project, "groupId")),
            artifact_id: text(child(project, "artifactId")),
            version: text(child(project, "version")),
            packaging: child(project, "packaging")
                .and_then(|p| text(Some(p)).map(|t| (t, p.range().start))),
            parent,
            properties,
            modules,
            dependencies,
            imports,
            // The index is fixed up by the caller once the pom has its place in the reactor.
            plugins: plugins(build, usize::MAX),
            managed_plugins: plugins(build.and_then(|b| child(b, "pluginManagement")), usize::MAX),
        }
    };
    Ok(Pom { src, ..pom })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_normalise_inside_the_project() {
        assert_eq!(normalise("app/../pom.xml").as_deref(), Some("pom.xml"));
        assert_eq!(
            normalise("a/b/../../c/pom.xml").as_deref(),
            Some("c/pom.xml")
        );
        assert_eq!(normalise("../pom.xml"), None);
    }

    #[test]
    fn poms_parse_into_the_facts_that_matter() {
        let src = SourceText::new(
            "pom.xml",
            r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.4</version><relativePath/></parent>
  <artifactId>demo</artifactId>
  <properties><java.version>17</java.version></properties>
  <modules><module>core</module></modules>
  <build><plugins><plugin>
    <artifactId>maven-jar-plugin</artifactId>
    <configuration><archive><manifest><mainClass>com.example.Main</mainClass></manifest></archive></configuration>
  </plugin></plugins></build>
</project>"#,
        );
        let pom = parse(src, ".", "pom.xml").unwrap();
        let parent = pom.parent.unwrap();
        assert_eq!(
            parent.coord.key(),
            "org.springframework.boot:spring-boot-starter-parent"
        );
        assert_eq!(parent.relative_path.as_deref(), Some(""));
        assert_eq!(pom.properties[0].0, "java.version");
        assert_eq!(pom.modules[0].0, "core");
        let jar = &pom.plugins[0];
        assert_eq!(jar.coord.group, "org.apache.maven.plugins");
        assert_eq!(
            jar.get("archive/manifest/mainClass").unwrap().1,
            "com.example.Main"
        );
    }

    #[test]
    fn broken_xml_is_reported_with_line_and_column() {
        let src = SourceText::new(
            "pom.xml",
            "<project>\n  <artifactId>x</artifact>\n</project>\n",
        );
        let err = parse(src, ".", "pom.xml").unwrap_err().to_string();
        assert!(err.starts_with("pom.xml:2:"), "{err}");
    }
}
