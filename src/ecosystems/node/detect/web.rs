//! Front-end and full-stack frameworks: what their production build writes and how it runs.
//!
//! A framework's `dev`/`start` script usually runs a development server (`react-scripts start`,
//! `ng serve`, `vite`, `nuxt dev`, ...), which never belongs in an image. This module knows, from
//! the frameworks' documented project shapes, what the production build produces instead: a folder
//! of static files (served by nginx in the image) or a server bundle Node runs. It also recognises
//! development servers and watchers wherever a start command comes from, and maps the watchers
//! (`nodemon x.js`, `node --watch x.js`, `tsx watch src/x.ts`) to the plain production command.
//!
//! Which framework produces which folder, whether it routes on the client and which of its asset
//! folders carry content hashes is data (`[[settings.static_sites]]` in `detectors/node.toml`);
//! reading each framework's configuration file to confirm the shape is code here.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value;

use super::{Manifest, string_after};
use crate::detect::{Evidence, shell_words};
use crate::error::Result;
use crate::rules::Rules;
use crate::safe;
use crate::source::ProjectDir;

/// One front-end framework whose production build can be a folder of static files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRule {
    pub name: String,
    /// Where the build writes the site when the configuration does not say otherwise.
    pub out_dir: String,
    /// The framework routes on the client: unknown paths get `index.html` (SPA fallback).
    #[serde(default)]
    pub spa: bool,
    /// nginx `location` prefixes holding content-hashed files, cached for a year.
    #[serde(default)]
    pub immutable: Vec<String>,
    /// The command that builds the site when the project has no `build` script.
    #[serde(default)]
    pub build: Vec<String>,
    /// Command-line programs of the framework: a start script running one of them is the
    /// framework's own (development or preview) server, replaced by the production build.
    #[serde(default)]
    pub clis: Vec<String>,
}

/// A static site found in a project: built in the image, its output served by nginx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticSite {
    pub framework: String,
    /// The folder the build writes, relative to the project.
    pub dir: String,
    /// Unknown paths are answered with `fallback` (client-side routing).
    pub spa: bool,
    /// The page served for unknown paths of a single-page app (`index.html`, `200.html`).
    pub fallback: String,
    pub immutable: Vec<String>,
    /// The build command when the project has no `build` script (`expo export --platform web`).
    pub build: Vec<String>,
}

/// A server a full-stack framework's build produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsrServer {
    pub framework: String,
    /// The production start, run by Node.
    pub argv: Vec<String>,
    /// The port the server listens on unless told otherwise.
    pub port: u16,
    /// The build's output holds everything it needs (Nuxt's `.output`): no node_modules at run time.
    pub self_contained: Option<String>,
    /// Environment the server needs in a container (a listen address on all interfaces).
    pub env: Vec<(String, String)>,
    /// The build command when the project has no `build` script.
    pub build: Vec<String>,
}

/// What a framework's production build is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontEnd {
    Static(StaticSite),
    Server(SsrServer),
    /// The framework has no production server in this configuration: the message says what to do.
    Refused(String),
}

impl FrontEnd {
    pub fn framework(&self) -> Option<&str> {
        match self {
            FrontEnd::Static(s) => Some(&s.framework),
            FrontEnd::Server(s) => Some(&s.framework),
            FrontEnd::Refused(_) => None,
        }
    }
}

fn site_rules(_rules: &Rules) -> Vec<SiteRule> {
    super::super::settings().static_sites.clone()
}

/// Every framework command-line program the rules name (the CLIs a dev server start runs).
pub fn framework_clis() -> BTreeSet<String> {
    super::super::settings()
        .static_sites
        .iter()
        .cloned()
        .flat_map(|r| r.clis)
        .chain(
            ["next", "nuxt", "nuxi", "svelte-kit", "astro", "ng", "vite"]
                .iter()
                .map(|s| s.to_string()),
        )
        .collect()
}

/// Reads the project's configuration to decide what its front-end framework builds, if it has one.
pub(super) fn detect(
    dir: &ProjectDir,
    manifest: &Manifest,
    rules: &Rules,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<FrontEnd>> {
    let deps = manifest.deps(true);
    let has = |d: &str| deps.contains(d);
    let pkg = dir.display_path("package.json");
    let build_script = manifest.script("build").unwrap_or("");

    if has("nuxt") {
        if build_script.contains("generate") {
            let site = site_from(rules, "nuxt-generate", None, &pkg, evidence, |s| {
                format!(
                    "the build script runs `nuxt generate`: a static site in {}/",
                    s.dir
                )
            });
            return Ok(site);
        }
        evidence.push(Evidence::new(
            &pkg,
            "Nuxt: `nuxt build` writes a self-contained server to .output/ (node .output/server/index.mjs)",
        ));
        return Ok(Some(FrontEnd::Server(SsrServer {
            framework: "nuxt".into(),
            argv: vec!["node".into(), ".output/server/index.mjs".into()],
            port: 3000,
            self_contained: Some(".output".into()),
            env: vec![("HOST".into(), "0.0.0.0".into())],
            build: vec!["nuxt".into(), "build".into()],
        })));
    }
    if has("@sveltejs/kit") {
        return sveltekit(dir, rules, evidence);
    }
    if has("@angular/core") && dir.is_file("angular.json") {
        return angular(dir, manifest, rules, evidence);
    }
    if has("astro") {
        return astro(dir, manifest, rules, evidence);
    }
    if has("next") {
        let Some((file, text)) = first_config(
            dir,
            &[
                "next.config.js",
                "next.config.mjs",
                "next.config.ts",
                "next.config.cjs",
                "next.config.mts",
            ],
        )?
        else {
            return Ok(None);
        };
        if declares_output(&text, "export") {
            return Ok(site_from(rules, "next-export", None, &pkg, evidence, |s| {
                format!(
                    "{file}: output: 'export' writes a static site to {}/",
                    s.dir
                )
            }));
        }
        return Ok(None);
    }
    if has("gatsby") {
        return Ok(site_from(rules, "gatsby", None, &pkg, evidence, |s| {
            format!("Gatsby: `gatsby build` writes the site to {}/", s.dir)
        }));
    }
    if has("@docusaurus/core") {
        return Ok(site_from(rules, "docusaurus", None, &pkg, evidence, |s| {
            format!(
                "Docusaurus: `docusaurus build` writes the site to {}/",
                s.dir
            )
        }));
    }
    if has("expo") && (has("react-native-web") || has("react-dom")) {
        return Ok(site_from(rules, "expo", None, &pkg, evidence, |s| {
            format!(
                "Expo with react-native-web: `expo export --platform web` writes the web app to {}/",
                s.dir
            )
        }));
    }
    if has("react-scripts") {
        return Ok(site_from(
            rules,
            "create-react-app",
            None,
            &pkg,
            evidence,
            |s| {
                format!(
                    "Create React App: `react-scripts build` writes the site to {}/",
                    s.dir
                )
            },
        ));
    }
    if has("@vue/cli-service") {
        let out = config_string(dir, &["vue.config.js", "vue.config.cjs"], "outputDir")?;
        return Ok(site_from(rules, "vue-cli", out, &pkg, evidence, |s| {
            format!(
                "Vue CLI: `vue-cli-service build` writes the site to {}/",
                s.dir
            )
        }));
    }
    if has("vite") && dir.is_file("index.html") && !build_script.is_empty() {
        let out = config_string(
            dir,
            &[
                "vite.config.ts",
                "vite.config.js",
                "vite.config.mjs",
                "vite.config.mts",
                "vite.config.cjs",
            ],
            "outDir",
        )?;
        return Ok(site_from(
            rules,
            "vite",
            out,
            &dir.display_path("index.html"),
            evidence,
            |s| {
                format!(
                    "Vite single-page app (index.html at the root): the build writes {}/",
                    s.dir
                )
            },
        ));
    }
    Ok(None)
}

/// A static site from the rule `name`, with the output folder `out` when the configuration names
/// one, and evidence from `why`.
fn site_from(
    rules: &Rules,
    name: &str,
    out: Option<(String, String)>,
    file: &std::path::Path,
    evidence: &mut Vec<Evidence>,
    why: impl Fn(&StaticSite) -> String,
) -> Option<FrontEnd> {
    let rule = site_rules(rules).into_iter().find(|r| r.name == name)?;
    let mut site = StaticSite {
        framework: rule.name.clone(),
        dir: rule.out_dir.clone(),
        spa: rule.spa,
        fallback: "index.html".into(),
        immutable: rule.immutable.clone(),
        build: rule.build.clone(),
    };
    let mut file = file.to_path_buf();
    if let Some((config, dir)) = out {
        site.dir = dir;
        file = config.into();
    }
    evidence.push(Evidence::new(file, why(&site)));
    Some(FrontEnd::Static(site))
}

/// The first of `files` that exists, with its text.
fn first_config(dir: &ProjectDir, files: &[&str]) -> Result<Option<(String, String)>> {
    for f in files {
        if let Some(src) = dir.read_opt(f)? {
            return Ok(Some((
                src.path.to_string_lossy().replace('\\', "/"),
                without_line_comments(&src.text),
            )));
        }
    }
    Ok(None)
}

/// A plain relative path assigned to `key` in the first existing config file: (file, path).
fn config_string(dir: &ProjectDir, files: &[&str], key: &str) -> Result<Option<(String, String)>> {
    for f in files {
        let Some(src) = dir.read_opt(f)? else {
            continue;
        };
        let text = without_line_comments(&src.text);
        if let Some(value) = string_after(&text, key) {
            let cleaned = clean_path(&value);
            if !safe::is_safe_path(&cleaned) {
                return Err(src.error_near(
                    key,
                    format!(
                        "{key} {value:?} is not a plain relative path; dockgen will not copy it"
                    ),
                ));
            }
            return Ok(Some((
                src.path.to_string_lossy().replace('\\', "/"),
                cleaned,
            )));
        }
    }
    Ok(None)
}

/// `string_after` for a key that must stand as a word (`out` is not the end of `layout`).
fn word_string_after(text: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        from = at + key.len();
        let glued = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        if glued {
            continue;
        }
        let window = &text[at..text[at..].find('\n').map_or(text.len(), |n| at + n)];
        if let Some(v) = string_after(window, key) {
            return Some(v);
        }
    }
    None
}

fn clean_path(p: &str) -> String {
    let p = p.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    p.trim_end_matches('/').to_string()
}

/// The text without `//` comment lines (commented-out options must not count).
pub fn without_line_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a config sets `output: '<value>'` (Next.js, Astro).
pub fn declares_output(text: &str, value: &str) -> bool {
    let text = without_line_comments(text);
    let mut from = 0;
    while let Some(i) = text[from..].find("output") {
        let start = from + i;
        from = start + 6;
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        if string_after(&text[start..line_end], "output").as_deref() == Some(value) {
            return true;
        }
    }
    false
}

fn sveltekit(
    dir: &ProjectDir,
    rules: &Rules,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<FrontEnd>> {
    let Some((file, text)) = first_config(
        dir,
        &["svelte.config.js", "svelte.config.mjs", "svelte.config.ts"],
    )?
    else {
        return Ok(Some(FrontEnd::Refused(
            "a SvelteKit app without svelte.config.js: dockgen cannot tell which adapter builds it. \
             Add @sveltejs/adapter-node (a Node server) or @sveltejs/adapter-static (static files)"
                .into(),
        )));
    };
    if text.contains("@sveltejs/adapter-static") {
        let pages = word_string_after(&text, "pages").map(|p| clean_path(&p));
        let fallback = word_string_after(&text, "fallback");
        let out = pages.unwrap_or_else(|| "build".into());
        if !safe::is_safe_path(&out) {
            return Err(
                crate::source::SourceText::new(&file, text.clone()).error_near(
                    "pages",
                    format!("pages {out:?} is not a plain relative path; dockgen will not copy it"),
                ),
            );
        }
        let Some(FrontEnd::Static(mut site)) = site_from(
            rules,
            "sveltekit-static",
            None,
            &dir.display_path("package.json"),
            &mut Vec::new(),
            |_| String::new(),
        ) else {
            return Ok(None);
        };
        site.dir = out;
        if let Some(f) = fallback.filter(|f| safe::is_safe_path(f) && !f.contains('/')) {
            site.spa = true;
            site.fallback = f;
        }
        evidence.push(Evidence::new(
            &file,
            format!(
                "SvelteKit with adapter-static: the build writes {}/{}",
                site.dir,
                if site.spa {
                    format!(", {} answers client-side routes", site.fallback)
                } else {
                    String::new()
                }
            ),
        ));
        return Ok(Some(FrontEnd::Static(site)));
    }
    if text.contains("@sveltejs/adapter-node") {
        let out = word_string_after(&text, "out")
            .map(|p| clean_path(&p))
            .filter(|p| safe::is_safe_path(p))
            .unwrap_or_else(|| "build".into());
        evidence.push(Evidence::new(
            &file,
            format!(
                "SvelteKit with adapter-node: the build writes a Node server to {out}/ (node {out})"
            ),
        ));
        return Ok(Some(FrontEnd::Server(SsrServer {
            framework: "sveltekit".into(),
            argv: vec!["node".into(), out],
            port: 3000,
            self_contained: None,
            env: Vec::new(),
            build: vec!["vite".into(), "build".into()],
        })));
    }
    Ok(Some(FrontEnd::Refused(format!(
        "{file}: this SvelteKit app uses an adapter other than adapter-node or adapter-static \
         (adapter-auto builds for a hosting platform, not a container). Install @sveltejs/adapter-node \
         (a Node server, `node build`) or @sveltejs/adapter-static (static files), or pass --start"
    ))))
}

fn angular(
    dir: &ProjectDir,
    manifest: &Manifest,
    rules: &Rules,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<FrontEnd>> {
    let Some(src) = dir.read_opt("angular.json")? else {
        return Ok(None);
    };
    let value: Value = src.json()?;
    let projects = value.get("projects").and_then(Value::as_object);
    let chosen = value
        .get("defaultProject")
        .and_then(Value::as_str)
        .and_then(|n| projects.and_then(|p| p.get(n)).map(|v| (n.to_string(), v)))
        .or_else(|| {
            projects.and_then(|p| {
                p.iter()
                    .find(|(_, v)| {
                        v.get("projectType").and_then(Value::as_str) == Some("application")
                    })
                    .map(|(n, v)| (n.clone(), v))
            })
        });
    let Some((name, project)) = chosen else {
        return Ok(Some(FrontEnd::Refused(
            "angular.json: no application project found; pass --start".into(),
        )));
    };
    let build = project
        .get("architect")
        .or_else(|| project.get("targets"))
        .and_then(|a| a.get("build"));
    let builder = build
        .and_then(|b| b.get("builder"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let options = build.and_then(|b| b.get("options"));
    // The application builder (Angular 17+) writes browser files to <outputPath>/browser and the
    // SSR server to <outputPath>/server; the older browser builder writes to outputPath itself.
    let application = builder.ends_with(":application");
    let (base, browser) = match options.and_then(|o| o.get("outputPath")) {
        Some(Value::String(s)) => (clean_path(s), "browser".to_string()),
        Some(Value::Object(o)) => (
            o.get("base")
                .and_then(Value::as_str)
                .map(clean_path)
                .unwrap_or_else(|| format!("dist/{name}")),
            o.get("browser")
                .and_then(Value::as_str)
                .map(clean_path)
                .unwrap_or_else(|| "browser".into()),
        ),
        _ => (format!("dist/{name}"), "browser".to_string()),
    };
    let out = if application {
        if browser.is_empty() {
            base.clone()
        } else {
            format!("{base}/{browser}")
        }
    } else {
        base.clone()
    };
    if !safe::is_safe_path(&out) {
        return Err(src.error_near(
            "outputPath",
            format!("outputPath {out:?} is not a plain relative path; dockgen will not copy it"),
        ));
    }
    let ssr = application
        && manifest.deps(false).contains("@angular/ssr")
        && options.is_some_and(|o| {
            o.get("ssr").is_some_and(|s| !s.is_null() && s != false) || o.get("server").is_some()
        });
    if ssr {
        let server = format!("{base}/server/server.mjs");
        evidence.push(Evidence::new(
            &src.path,
            format!("Angular SSR (project {name}): the build writes the server to {server}"),
        ));
        return Ok(Some(FrontEnd::Server(SsrServer {
            framework: "angular".into(),
            argv: vec!["node".into(), server],
            port: 4000,
            self_contained: None,
            env: Vec::new(),
            build: vec!["ng".into(), "build".into()],
        })));
    }
    let Some(FrontEnd::Static(mut site)) =
        site_from(rules, "angular", None, &src.path, &mut Vec::new(), |_| {
            String::new()
        })
    else {
        return Ok(None);
    };
    site.dir = out;
    evidence.push(Evidence::new(
        &src.path,
        format!(
            "Angular project {name} ({}): the build writes the browser app to {}/",
            if application {
                "application builder"
            } else {
                "browser builder"
            },
            site.dir
        ),
    ));
    Ok(Some(FrontEnd::Static(site)))
}

fn astro(
    dir: &ProjectDir,
    manifest: &Manifest,
    rules: &Rules,
    evidence: &mut Vec<Evidence>,
) -> Result<Option<FrontEnd>> {
    let config = first_config(
        dir,
        &[
            "astro.config.mjs",
            "astro.config.ts",
            "astro.config.js",
            "astro.config.mts",
        ],
    )?;
    let text = config.as_ref().map(|c| c.1.as_str()).unwrap_or("");
    let file = config.as_ref().map(|c| c.0.clone()).unwrap_or_else(|| {
        dir.display_path("package.json")
            .to_string_lossy()
            .into_owned()
    });
    let out = string_after(text, "outDir")
        .map(|p| clean_path(&p))
        .filter(|p| safe::is_safe_path(p))
        .unwrap_or_else(|| "dist".into());
    if manifest.deps(false).contains("@astrojs/node") || text.contains("@astrojs/node") {
        evidence.push(Evidence::new(
            &file,
            format!(
                "Astro with the Node adapter: the build writes a server to {out}/server/entry.mjs"
            ),
        ));
        return Ok(Some(FrontEnd::Server(SsrServer {
            framework: "astro".into(),
            argv: vec!["node".into(), format!("{out}/server/entry.mjs")],
            port: 4321,
            self_contained: None,
            // The standalone server listens on localhost unless HOST says otherwise.
            env: vec![("HOST".into(), "0.0.0.0".into())],
            build: vec!["astro".into(), "build".into()],
        })));
    }
    if text.contains("adapter:") {
        return Ok(Some(FrontEnd::Refused(format!(
            "{file}: this Astro site uses an adapter for a hosting platform; install @astrojs/node \
             (mode: 'standalone') to run it in a container, remove the adapter for a static site, or pass --start"
        ))));
    }
    let Some(FrontEnd::Static(mut site)) = site_from(
        rules,
        "astro",
        None,
        std::path::Path::new(&file),
        &mut Vec::new(),
        |_| String::new(),
    ) else {
        return Ok(None);
    };
    site.dir = out;
    evidence.push(Evidence::new(
        &file,
        format!(
            "Astro without a server adapter: the build writes a static site to {}/",
            site.dir
        ),
    ));
    Ok(Some(FrontEnd::Static(site)))
}

/// What a start command is, when it is not a production server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevStart {
    /// A framework's own development or preview server: the framework's production build replaces it.
    Framework(String),
    /// A file watcher around a production command: that command, without the watcher.
    Watcher(Vec<String>),
    /// A watcher around TypeScript run from source: the compiled output replaces it (when found).
    TypeScript { tool: String, file: String },
    /// A development server with no production equivalent dockgen knows.
    Other(String),
}

/// Classifies a start command (words, after `VAR=` assignments).
pub fn classify(argv: &[String], clis: &BTreeSet<String>) -> Option<DevStart> {
    let first = argv.first()?.as_str();
    let rest: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    let sub = rest.first().copied().unwrap_or("");
    let is_dev = match first {
        "react-scripts" | "craco" | "react-app-rewired" => sub == "start",
        "ng" => matches!(sub, "serve" | "s"),
        "vite" => {
            rest.is_empty() || matches!(sub, "dev" | "serve" | "preview") || sub.starts_with('-')
        }
        "next" => sub == "dev",
        "nuxt" | "nuxi" => matches!(sub, "dev" | "preview"),
        "expo" => sub == "start",
        "astro" => matches!(sub, "dev" | "preview" | "start"),
        "gatsby" => matches!(sub, "develop" | "serve"),
        "docusaurus" => matches!(sub, "start" | "serve"),
        "vue-cli-service" => sub == "serve",
        "svelte-kit" => matches!(sub, "dev" | "preview"),
        "webpack-dev-server" => true,
        "webpack" | "webpack-cli" => matches!(sub, "serve" | "s"),
        _ => false,
    };
    if is_dev {
        return Some(DevStart::Framework(
            format!("{first} {sub}").trim().to_string(),
        ));
    }
    if first == "nx" && matches!(sub, "serve" | "dev" | "run") {
        return Some(DevStart::Other(argv.join(" ")));
    }
    if first == "nodemon" {
        // nodemon [options] [script]: the script runs under node unless --exec names another program.
        let mut file = None;
        let mut i = 0;
        while i < rest.len() {
            let w = rest[i];
            if matches!(w, "--exec" | "-x") {
                return Some(DevStart::Other(argv.join(" ")));
            }
            if w.starts_with('-') {
                if matches!(
                    w,
                    "--watch"
                        | "-w"
                        | "--ext"
                        | "-e"
                        | "--ignore"
                        | "-i"
                        | "--delay"
                        | "-d"
                        | "--signal"
                        | "--config"
                ) {
                    i += 1;
                }
            } else if file.is_none() {
                file = Some(w.to_string());
            }
            i += 1;
        }
        return match file {
            Some(f) if f.ends_with(".ts") || f.ends_with(".mts") => Some(DevStart::TypeScript {
                tool: "nodemon".into(),
                file: f,
            }),
            Some(f) => Some(DevStart::Watcher(vec!["node".into(), f])),
            None => Some(DevStart::Watcher(vec!["node".into()])),
        };
    }
    if matches!(first, "node" | "bun")
        && rest
            .iter()
            .any(|w| *w == "--watch" || w.starts_with("--watch-path") || *w == "--hot")
    {
        let mut out = vec![first.to_string()];
        let mut skip = false;
        for w in &rest {
            if skip {
                skip = false;
                continue;
            }
            if *w == "--watch" || *w == "--hot" || w.starts_with("--watch-path=") {
                continue;
            }
            if *w == "--watch-path" {
                skip = true;
                continue;
            }
            out.push(w.to_string());
        }
        return Some(DevStart::Watcher(out));
    }
    if first == "ts-node-dev" || first == "tsnd" || (first == "tsx" && sub == "watch") {
        let file = rest
            .iter()
            .rfind(|w| !w.starts_with('-') && **w != "watch")
            .map(|s| s.to_string());
        return Some(match file {
            Some(file) => DevStart::TypeScript {
                tool: first.to_string(),
                file,
            },
            None => DevStart::Other(argv.join(" ")),
        });
    }
    if clis.contains(first)
        && matches!(sub, "dev" | "serve" | "start" | "develop" | "preview")
        && first != "next"
    {
        return Some(DevStart::Framework(format!("{first} {sub}")));
    }
    None
}

/// Where `tsc` writes the JavaScript of `source` (`src/main.ts`), from tsconfig's `outDir` and
/// `rootDir` (tsconfig.build.json first, as Nest's build uses it). Without `rootDir`, tsc uses
/// the common directory of every input file: `src` when only `src/` holds TypeScript, else the
/// project root (so `src/main.ts` lands in `dist/src/main.js`).
pub fn compiled_path(dir: &ProjectDir, source: &str) -> Result<Option<(String, String)>> {
    let mut out_dir = None;
    let mut root_dir = None;
    let mut includes_outside = None;
    let mut found = None;
    for f in ["tsconfig.build.json", "tsconfig.json"] {
        let Some(src) = dir.read_opt(f)? else {
            continue;
        };
        let text = without_line_comments(&src.text);
        found.get_or_insert_with(|| f.to_string());
        if out_dir.is_none() {
            out_dir = string_after(&text, "outDir").map(|p| clean_path(&p));
        }
        if root_dir.is_none() {
            root_dir = string_after(&text, "rootDir").map(|p| clean_path(&p));
        }
        if includes_outside.is_none() {
            includes_outside = include_list(&text).map(|list| {
                list.iter().any(|p| {
                    let p = clean_path(p);
                    !(p == "src" || p.starts_with("src/"))
                })
            });
        }
    }
    let Some(config) = found else {
        return Ok(None);
    };
    let Some(out_dir) = out_dir.filter(|o| safe::is_safe_path(o)) else {
        return Ok(None);
    };
    let stem = source
        .trim_end_matches(".ts")
        .trim_end_matches(".mts")
        .trim_end_matches(".tsx");
    let ext = if source.ends_with(".mts") {
        "mjs"
    } else {
        "js"
    };
    let root = match root_dir {
        Some(r) => r,
        None => {
            // Without an include list tsc compiles every .ts file under the project.
            let outside = includes_outside.unwrap_or_else(|| ts_outside_src(dir));
            if outside { String::new() } else { "src".into() }
        }
    };
    let rel = if root.is_empty() || root == "." {
        stem.to_string()
    } else {
        match stem.strip_prefix(&format!("{root}/")) {
            Some(r) => r.to_string(),
            None => stem.to_string(),
        }
    };
    Ok(Some((format!("{out_dir}/{rel}.{ext}"), config)))
}

/// The `include` array of a tsconfig, when it is written as a plain list of strings.
fn include_list(text: &str) -> Option<Vec<String>> {
    let i = text.find("\"include\"")?;
    let rest = &text[i..];
    let open = rest.find('[')?;
    let close = rest[open..].find(']')? + open;
    let words = shell_words(&rest[open + 1..close].replace(',', " "))?;
    Some(words)
}

/// Whether TypeScript files sit outside `src/` at the top level or in `test/` (tsc would then
/// compile them too and keep the `src/` level in the output).
fn ts_outside_src(dir: &ProjectDir) -> bool {
    dir.list(".")
        .iter()
        .any(|e| !e.is_dir && e.name.ends_with(".ts") && !e.name.ends_with(".d.ts"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shell_words(s).unwrap()
    }

    #[test]
    fn development_servers_are_recognised() {
        let clis = BTreeSet::new();
        for dev in [
            "react-scripts start",
            "ng serve",
            "vite",
            "vite dev",
            "vite --host",
            "next dev",
            "nuxt dev",
            "expo start",
            "webpack serve --mode development",
            "webpack-dev-server",
            "vue-cli-service serve",
            "astro dev",
            "gatsby develop",
            "docusaurus start",
        ] {
            assert!(
                matches!(classify(&words(dev), &clis), Some(DevStart::Framework(_))),
                "{dev}"
            );
        }
        assert_eq!(classify(&words("next start"), &clis), None);
        assert_eq!(classify(&words("node server.js"), &clis), None);
        assert!(matches!(
            classify(&words("nx serve api"), &clis),
            Some(DevStart::Other(_))
        ));
    }

    #[test]
    fn watchers_become_the_command_they_watch() {
        let clis = BTreeSet::new();
        assert_eq!(
            classify(&words("nodemon --watch src server.js"), &clis),
            Some(DevStart::Watcher(words("node server.js")))
        );
        assert_eq!(
            classify(&words("node --watch index.js"), &clis),
            Some(DevStart::Watcher(words("node index.js")))
        );
        assert_eq!(
            classify(&words("bun --hot src/index.ts"), &clis),
            Some(DevStart::Watcher(words("bun src/index.ts")))
        );
        assert_eq!(
            classify(&words("tsx watch src/index.ts"), &clis),
            Some(DevStart::TypeScript {
                tool: "tsx".into(),
                file: "src/index.ts".into()
            })
        );
        assert_eq!(
            classify(
                &words("ts-node-dev --respawn --transpile-only src/server.ts"),
                &clis
            ),
            Some(DevStart::TypeScript {
                tool: "ts-node-dev".into(),
                file: "src/server.ts".into()
            })
        );
        assert!(matches!(
            classify(&words("nodemon --exec ts-node src/x.ts"), &clis),
            Some(DevStart::Other(_))
        ));
    }

    #[test]
    fn output_settings_are_read_outside_comments() {
        assert!(declares_output("const c = { output: 'export' }", "export"));
        assert!(!declares_output(
            "// output: 'export'\nexport default {}",
            "export"
        ));
        assert!(!declares_output(
            "export default { output: 'standalone' }",
            "export"
        ));
    }

    #[test]
    fn compiled_paths_follow_root_dir_and_include() {
        let dir = tempfile::tempdir().unwrap();
        let p = ProjectDir::new(dir.path(), ".");
        std::fs::write(
            dir.path().join("tsconfig.json"),
            "{\n  // \"outDir\": \"./wrong\",\n  \"compilerOptions\": { \"outDir\": \"./dist\" }\n}",
        )
        .unwrap();
        assert_eq!(
            compiled_path(&p, "src/main.ts").unwrap().unwrap().0,
            "dist/main.js"
        );
        std::fs::write(dir.path().join("ormconfig.ts"), "export default {}").unwrap();
        assert_eq!(
            compiled_path(&p, "src/main.ts").unwrap().unwrap().0,
            "dist/src/main.js"
        );
        std::fs::write(
            dir.path().join("tsconfig.json"),
            "{ \"compilerOptions\": { \"outDir\": \"build\", \"rootDir\": \"./src\" } }",
        )
        .unwrap();
        assert_eq!(
            compiled_path(&p, "src/main.ts").unwrap().unwrap().0,
            "build/main.js"
        );
    }
}
