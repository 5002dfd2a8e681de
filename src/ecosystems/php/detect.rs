//! PHP projects: `composer.json` (+ `composer.lock`), the PHP release line, the extensions the
//! project needs, the framework and its front controller, and a front-end build beside it.
//!
//! Every value comes from the project and is untrusted: a malformed or mistyped manifest is an
//! input error at `file:line:col`; names that reach the Dockerfile are checked against the rules
//! (`detectors/php.toml`) or the conservative path rules of the planner.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::version::{self, Constraint};
use crate::detect::{Details, DetectOptions, Evidence, Project};
use crate::error::{Error, Location, Result};
use crate::source::{ProjectDir, SourceText};

/// PHP-specific facts for the planner.
#[derive(Debug, Clone, Default)]
pub struct PhpDetails {
    /// `composer.lock` exists (else `composer install` resolves at build time).
    pub lockfile: bool,
    /// Extensions the project requires (lower case, without `ext-`), sorted.
    pub extensions: Vec<String>,
    /// The document root Apache serves: `public` or `.` (a front controller at the root).
    pub docroot: String,
    /// Laravel's `artisan` exists: the build caches routes and views.
    pub artisan: bool,
    /// Symfony's `bin/console` exists: the build warms the prod cache.
    pub console: bool,
    /// Health route the app declares (Laravel's `health: '/up'`).
    pub health_path: Option<String>,
    /// Directories of Composer `path` repositories: copied before `composer install`.
    pub path_repos: Vec<String>,
    /// A front-end build beside composer.json.
    pub assets: Option<Assets>,
    /// Symfony's committed `.env` (defaults, no secrets): the runtime reads it, so it is copied.
    pub dotenv: bool,
    /// Things the user should know.
    pub notes: Vec<String>,
}

/// A Node front-end build (Vite, Webpack Encore) whose output the runtime serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// npm, pnpm or yarn.
    pub package_manager: String,
    /// The lockfile the install reads, when there is one.
    pub lockfile: Option<String>,
    /// Yarn 2+ (`.yarnrc.yml`).
    pub yarn_berry: bool,
    /// Where the build writes, relative to the project (`public/build`).
    pub output: String,
}

/// Detects a Composer project in `dir`.
pub fn detect(dir: &ProjectDir, opts: &DetectOptions) -> Result<Vec<Project>> {
    if opts
        .package_manager
        .as_deref()
        .is_some_and(|p| p != "composer")
    {
        if opts.ecosystem == Some(super::ECOSYSTEM) {
            return Err(Error::Usage(format!(
                "--package-manager {}: a PHP project uses composer",
                opts.package_manager.as_deref().unwrap_or_default()
            )));
        }
        return Ok(Vec::new());
    }
    let manifest = dir.read_opt("composer.json")?;
    let lock = dir.read_opt("composer.lock")?;
    let Some(src) = manifest else {
        return match lock {
            Some(l) => Err(Error::input(
                Location::file(&l.path),
                "composer.lock without composer.json: Composer needs the manifest to install; \
                 restore composer.json (or delete the stale lockfile)",
            )),
            None => Ok(Vec::new()),
        };
    };
    let rules = super::rules();
    let json: Value = src.json()?;
    let Some(root) = json.as_object() else {
        return Err(src.error_at(
            first_non_space(&src.text),
            "composer.json must hold a JSON object",
        ));
    };
    let shown = |name: &str| dir.display_path(name).to_string_lossy().replace('\\', "/");
    let cj = shown("composer.json");
    let mut ev = vec![Evidence::new(&cj, "a Composer project")];
    let mut notes = Vec::new();

    let require = string_map(&src, root, "require")?;
    let config = object(&src, root, "config")?;
    let platform = match config {
        Some(c) => object(&src, c, "platform")?,
        None => None,
    };

    // The lockfile.
    let lock_json = match &lock {
        Some(l) => {
            let v: Value = l.json()?;
            if !v.is_object() {
                return Err(l.error_at(
                    first_non_space(&l.text),
                    "composer.lock must hold a JSON object",
                ));
            }
            ev.push(Evidence::new(
                shown("composer.lock"),
                "locked dependencies: composer install installs exactly these",
            ));
            Some(v)
        }
        None => {
            notes.push(format!(
                "{cj} has no composer.lock next to it: composer install resolves the newest \
                 matching versions at every build. Run `composer update` and commit composer.lock"
            ));
            None
        }
    };

    // Deployable? A library has nothing to serve.
    let framework = rules.frameworks.iter().find(|f| {
        f.dependencies
            .iter()
            .any(|d| require.contains_key(d.as_str()))
    });
    let docroot = if dir.is_file("public/index.php") {
        Some("public")
    } else if dir.is_file("index.php") {
        Some(".")
    } else {
        None
    };
    let is_library = root.get("type").and_then(Value::as_str) == Some("library");
    let Some(docroot) = docroot else {
        if framework.is_none() || is_library {
            // A library or a package: nothing to run (the caller says so).
            return Ok(Vec::new());
        }
        return Err(Error::input(
            Location::file(&cj),
            format!(
                "a {} app without public/index.php: dockgen serves public/ with Apache and needs \
                 the front controller there",
                framework.map(|f| f.name.as_str()).unwrap_or("PHP")
            ),
        ));
    };
    let front = if docroot == "." {
        "index.php"
    } else {
        "public/index.php"
    };
    ev.push(Evidence::new(
        shown(front),
        format!(
            "front controller: Apache serves {}",
            if docroot == "." {
                "the project root"
            } else {
                "public/"
            }
        ),
    ));
    if docroot == "." {
        notes.push(format!(
            "{} is the front controller, so the project root is the document root: vendor/ and \
             composer.* are denied to browsers, but move the entry point to public/index.php if \
             other files should stay private",
            shown("index.php")
        ));
    }

    // Framework.
    let mut artisan = false;
    let mut console = false;
    let mut health_path = None;
    let mut dotenv = false;
    if let Some(f) = framework {
        let dep = f
            .dependencies
            .iter()
            .find(|d| require.contains_key(d.as_str()))
            .map(String::as_str)
            .unwrap_or_default();
        ev.push(Evidence::new(
            &cj,
            format!("requires {dep}: framework {}", f.name),
        ));
        let others: Vec<&str> = rules
            .frameworks
            .iter()
            .filter(|o| o.name != f.name)
            .filter(|o| {
                o.dependencies
                    .iter()
                    .any(|d| require.contains_key(d.as_str()))
            })
            .map(|o| o.name.as_str())
            .collect();
        if !others.is_empty() {
            notes.push(format!(
                "{cj} requires both {} and {}: planned as {} (the first in dockgen's order); \
                 its build steps run, the others' do not",
                f.name,
                others.join(", "),
                f.name
            ));
        }
        match f.name.as_str() {
            "laravel" => {
                artisan = dir.is_file("artisan");
                if artisan {
                    ev.push(Evidence::new(
                        shown("artisan"),
                        "artisan: the build caches routes and views",
                    ));
                }
                if let Some(app) = dir.read_opt("bootstrap/app.php")? {
                    if let Some(path) = laravel_health(&app.text) {
                        ev.push(Evidence::new(
                            shown("bootstrap/app.php"),
                            format!("health route {path} (used for the health check)"),
                        ));
                        health_path = Some(path);
                    }
                }
            }
            "symfony" => {
                console = dir.is_file("bin/console");
                if console {
                    ev.push(Evidence::new(
                        shown("bin/console"),
                        "bin/console: the build warms the prod cache",
                    ));
                }
                if dir.is_file(".env") {
                    dotenv = true;
                    ev.push(Evidence::new(
                        shown(".env"),
                        "Symfony's committed defaults: not copied (every .env file stays out of the \
                         context); the image gets an empty .env and reads real environment variables",
                    ));
                }
            }
            _ => {}
        }
    }

    // PHP version: .php-version > config.platform.php > require.php.
    let (runtime_version, version_ev) =
        php_version(dir, &src, &cj, platform, &require, &mut notes)?;
    ev.push(version_ev);
    notes.extend(unsupported_note(&runtime_version));

    // Extensions: require.ext-*, the lockfile's platform and its packages' requirements.
    let mut extensions: BTreeMap<String, String> = BTreeMap::new();
    for key in require.keys() {
        if let Some(ext) = extension_name(key) {
            extensions.entry(ext).or_insert_with(|| cj.clone());
        }
    }
    if let (Some(l), Some(lj)) = (&lock, &lock_json) {
        let ln = l.path.to_string_lossy().replace('\\', "/");
        if let Some(p) = lj.get("platform").and_then(Value::as_object) {
            for key in p.keys() {
                if let Some(ext) = extension_name(key) {
                    extensions.entry(ext).or_insert_with(|| ln.clone());
                }
            }
        }
        if let Some(pkgs) = lj.get("packages").and_then(Value::as_array) {
            for pkg in pkgs {
                let Some(req) = pkg.get("require").and_then(Value::as_object) else {
                    continue;
                };
                for key in req.keys() {
                    if let Some(ext) = extension_name(key) {
                        let by = pkg
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("a package");
                        extensions
                            .entry(ext)
                            .or_insert_with(|| format!("{ln} ({by})"));
                    }
                }
            }
        }
    }
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (ext, from) in &extensions {
        by_source.entry(from.clone()).or_default().push(ext.clone());
    }
    for (from, exts) in by_source {
        let (file, detail) = match from.split_once(" (") {
            Some((f, rest)) => (f.to_string(), format!(" (first required by {}", rest)),
            None => (from.clone(), String::new()),
        };
        ev.push(Evidence::new(
            file,
            format!("extensions {}{detail}", exts.join(", ")),
        ));
    }

    // Composer path repositories: their directories must be in the image before the install.
    let path_repos = path_repositories(&src, root, &mut notes)?;
    for p in &path_repos {
        ev.push(Evidence::new(
            &cj,
            format!("path repository {p}: copied before composer install"),
        ));
    }

    // A front-end build beside composer.json.
    let assets = detect_assets(dir, &mut ev, &mut notes)?;

    let name = root
        .get("name")
        .and_then(Value::as_str)
        .and_then(|n| n.rsplit('/').next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| dir_name(dir));

    let details = PhpDetails {
        lockfile: lock.is_some(),
        extensions: extensions.into_keys().collect(),
        docroot: docroot.to_string(),
        artisan,
        console,
        health_path,
        path_repos,
        assets,
        dotenv,
        notes,
    };
    Ok(vec![Project {
        path: crate::detect::rel_string(&dir.rel),
        ecosystem: super::ECOSYSTEM,
        package_manager: Some("composer".to_string()),
        runtime_version: Some(runtime_version),
        framework: Some(
            framework
                .map(|f| f.name.clone())
                .unwrap_or_else(|| "php".into()),
        ),
        start_command: Some(vec!["apache2-foreground".to_string()]),
        port: rules.default_port,
        evidence: ev,
        name,
        details: Details::new(details),
    }])
}

/// A note for a release line past its end of support (or one dockgen has no dates for).
fn unsupported_note(v: &str) -> Option<String> {
    use crate::versions::{Date, Support};
    let family = crate::versions::family("php");
    match family.support(v, Date::today(), 0) {
        Support::Ended { on } => Some(format!(
            "PHP {v} has been out of support since {on}: no security fixes, and the official \
             image is no longer rebuilt. Move to PHP {} or another supported line",
            family.default
        )),
        Support::Unknown => Some(format!(
            "PHP {v}: dockgen knows no support dates for this line; check that the official image \
             still builds it"
        )),
        _ => None,
    }
}

fn dir_name(dir: &ProjectDir) -> String {
    dir.dir()
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "app".to_string())
}

fn first_non_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The error for a key of the wrong type, located at the key.
fn wrong_type(src: &SourceText, key: &str, want: &str) -> Error {
    src.error_near(
        &format!("\"{key}\""),
        format!("composer.json: \"{key}\" must be {want}"),
    )
}

/// An optional object member.
fn object<'a>(
    src: &SourceText,
    obj: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        // Composer writes an empty object as [] when PHP serialised it from an empty array.
        Some(Value::Array(a)) if a.is_empty() => Ok(None),
        Some(_) => Err(wrong_type(src, key, "an object")),
    }
}

/// An optional object of package name → constraint string (`require`).
fn string_map(
    src: &SourceText,
    obj: &Map<String, Value>,
    key: &str,
) -> Result<BTreeMap<String, String>> {
    let Some(m) = object(src, obj, key)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let Some(s) = v.as_str() else {
            return Err(src.error_near(
                &format!("\"{k}\""),
                format!("composer.json: the constraint of {k:?} in \"{key}\" must be a string"),
            ));
        };
        out.insert(k.to_lowercase(), s.to_string());
    }
    Ok(out)
}

/// `ext-intl` → `intl` (lower case). Composer writes Zend OPcache as `ext-zend-opcache`.
fn extension_name(key: &str) -> Option<String> {
    let ext = key.to_ascii_lowercase().strip_prefix("ext-")?.to_string();
    if ext.is_empty() {
        return None;
    }
    Some(ext)
}

/// The PHP release line and the evidence for it.
fn php_version(
    dir: &ProjectDir,
    src: &SourceText,
    cj: &str,
    platform: Option<&Map<String, Value>>,
    require: &BTreeMap<String, String>,
    notes: &mut Vec<String>,
) -> Result<(String, Evidence)> {
    if let Some(file) = dir.read_opt(".php-version")? {
        let shown = file.path.to_string_lossy().replace('\\', "/");
        let first = file.text.lines().next().unwrap_or("").trim();
        let Some(line) = version::release_line(first) else {
            return Err(Error::input(
                Location::at(&file.path, 1, 1),
                format!(".php-version: {first:?} is not a PHP version (such as 8.3 or 8.3.12)"),
            ));
        };
        let fact = format!("{first:?}: PHP {line}");
        return Ok((line, Evidence::new(shown, fact)));
    }
    if let Some(v) = platform.and_then(|p| p.get("php")) {
        let Some(s) = v.as_str() else {
            return Err(wrong_type(src, "php", "a version string"));
        };
        let Some(line) = version::release_line(s) else {
            return Err(src.error_near(
                &format!("{s:?}"),
                format!("config.platform.php {s:?} is not a PHP version (such as 8.3.0)"),
            ));
        };
        return Ok((
            line.clone(),
            Evidence::new(cj, format!("config.platform.php {s:?}: PHP {line}")),
        ));
    }
    if let Some(c) = require.get("php") {
        let constraint = Constraint::parse(c).map_err(|why| {
            src.error_near(
                &format!("\"{c}\""),
                format!("require.php {c:?} is not a Composer constraint: {why}"),
            )
        })?;
        let known = version::known_lines();
        let line = match constraint.highest(&known) {
            Some(l) => l,
            None => {
                let line = super::rules().default_version.clone();
                notes.push(format!(
                    "{cj}: require.php {c:?} admits no PHP release line dockgen knows ({} to {}): \
                     using PHP {line}; pass --runtime-version to choose",
                    known.first().map(String::as_str).unwrap_or_default(),
                    known.last().map(String::as_str).unwrap_or_default()
                ));
                return Ok((
                    line.clone(),
                    Evidence::new(cj, format!("require.php {c:?}: no known line, PHP {line}")),
                ));
            }
        };
        return Ok((
            line.clone(),
            Evidence::new(
                cj,
                format!("require.php {c:?}: PHP {line}, the highest release line it admits"),
            ),
        ));
    }
    let rules = super::rules();
    notes.push(format!(
        "{cj} does not say which PHP it needs (require.php, config.platform.php, .php-version): \
         using PHP {}",
        rules.default_version
    ));
    Ok((
        rules.default_version.clone(),
        Evidence::new(
            cj,
            format!("no PHP version required: PHP {}", rules.default_version),
        ),
    ))
}

/// The health route of a Laravel 11+ app: `->withRouting(..., health: '/up')` in bootstrap/app.php.
pub fn laravel_health(text: &str) -> Option<String> {
    let code = strip_php_comments(text);
    let at = code.find("health:")?;
    let rest = code[at + "health:".len()..].trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    let path = &body[..end];
    (path.starts_with('/') && path.len() <= 200).then(|| path.to_string())
}

/// The PHP source without `//`, `#` and `/* */` comments (strings kept; good enough to find a
/// named argument).
fn strip_php_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '#' if chars.peek() != Some(&'[') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Directories of `{"type": "path", "url": "..."}` repositories inside the project. A glob
/// (`packages/*`) contributes the directory before its first wildcard.
fn path_repositories(
    src: &SourceText,
    root: &Map<String, Value>,
    notes: &mut Vec<String>,
) -> Result<Vec<String>> {
    let repos: Vec<&Value> = match root.get("repositories") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(m)) => m.values().collect(),
        Some(_) => return Err(wrong_type(src, "repositories", "an array or an object")),
    };
    let mut dirs = BTreeSet::new();
    for repo in repos {
        let Some(r) = repo.as_object() else {
            continue;
        };
        if r.get("type").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let Some(url) = r.get("url").and_then(Value::as_str) else {
            return Err(src.error_near(
                "\"path\"",
                "composer.json: a path repository needs a \"url\" string",
            ));
        };
        let trimmed = url.trim_start_matches("./").trim_end_matches('/');
        let base: Vec<&str> = trimmed
            .split('/')
            .take_while(|seg| !seg.contains(['*', '?', '[', '{']))
            .collect();
        let base = base.join("/");
        if base.is_empty()
            || trimmed.starts_with('/')
            || base.split('/').any(|s| s == ".." || s == ".")
            || !crate::safe::is_safe_path(&base)
        {
            notes.push(format!(
                "path repository {url:?} is outside the project or not a plain relative path: \
                 it is not in the build context, so composer install cannot find it there"
            ));
            continue;
        }
        dirs.insert(base);
    }
    Ok(dirs.into_iter().collect())
}

/// A Node front-end build beside composer.json: a package.json with a `build` script.
fn detect_assets(
    dir: &ProjectDir,
    ev: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
) -> Result<Option<Assets>> {
    let Some(pj) = dir.read_opt("package.json")? else {
        return Ok(None);
    };
    let shown = pj.path.to_string_lossy().replace('\\', "/");
    let v: Value = pj.json()?;
    let build = v
        .get("scripts")
        .and_then(|s| s.get("build"))
        .and_then(Value::as_str);
    let Some(build) = build else {
        notes.push(format!(
            "{shown} has no \"build\" script: no front-end build in the image"
        ));
        return Ok(None);
    };
    let (pm, lockfile) = if dir.is_file("pnpm-lock.yaml") {
        ("pnpm", Some("pnpm-lock.yaml"))
    } else if dir.is_file("yarn.lock") {
        ("yarn", Some("yarn.lock"))
    } else if dir.is_file("package-lock.json") {
        ("npm", Some("package-lock.json"))
    } else {
        ("npm", None)
    };
    if lockfile.is_none() {
        notes.push(format!(
            "{shown} has no lockfile: the asset build resolves dependencies anew each time; \
             commit package-lock.json"
        ));
    }
    let (output, from) = asset_output(dir, build, &v)?;
    ev.push(Evidence::new(
        &shown,
        format!("build script {build:?}: front-end assets built with {pm} in a Node stage"),
    ));
    match from {
        Some(file) => ev.push(Evidence::new(
            file,
            format!("the front-end build writes {output}: copied into the image"),
        )),
        None => notes.push(format!(
            "{shown}: no output directory found for the front-end build; assumed {output} \
             (edit the COPY --from=assets line if it writes elsewhere)"
        )),
    }
    Ok(Some(Assets {
        package_manager: pm.to_string(),
        lockfile: lockfile.map(str::to_string),
        yarn_berry: pm == "yarn" && dir.is_file(".yarnrc.yml"),
        output,
    }))
}

/// Where the front-end build writes, and the file that says so: `--outDir` in the build script,
/// `outDir` in vite.config, `setOutputPath` in webpack.config.js, the Laravel and Encore plugins'
/// `public/build`, Vite's `dist`; `None` when it is a guess.
fn asset_output(dir: &ProjectDir, build: &str, pj: &Value) -> Result<(String, Option<String>)> {
    let clean = |s: &str| {
        let s = s.trim().trim_start_matches("./").trim_end_matches('/');
        crate::safe::is_safe_path(s).then(|| s.to_string())
    };
    let words: Vec<&str> = build.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let value = match w.split_once('=') {
            Some(("--outDir" | "--out-dir", v)) => Some(v),
            _ if *w == "--outDir" || *w == "--out-dir" => words.get(i + 1).copied(),
            _ => None,
        };
        if let Some(out) = value.and_then(clean) {
            return Ok((out, Some("package.json".to_string())));
        }
    }
    for (file, key) in [
        ("vite.config.js", "outDir"),
        ("vite.config.ts", "outDir"),
        ("vite.config.mjs", "outDir"),
        ("webpack.config.js", "setOutputPath"),
    ] {
        let Some(src) = dir.read_opt(file)? else {
            continue;
        };
        let shown = src.path.to_string_lossy().replace('\\', "/");
        let code = strip_php_comments(&src.text);
        if let Some(at) = code.find(key) {
            let rest = code[at + key.len()..].trim_start_matches([':', '(', ' ', '\t']);
            if let Some(q) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))
            {
                if let Some(end) = rest[1..].find(q) {
                    if let Some(out) = clean(&rest[1..1 + end]) {
                        return Ok((out, Some(shown)));
                    }
                }
            }
        }
    }
    let has = |dep: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| pj.get(k).and_then(|d| d.get(dep)).is_some())
    };
    if has("laravel-vite-plugin") || has("@symfony/webpack-encore") {
        return Ok(("public/build".to_string(), Some("package.json".to_string())));
    }
    if has("vite") {
        return Ok(("dist".to_string(), Some("package.json".to_string())));
    }
    Ok(("public/build".to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laravel_health_route_is_read_from_bootstrap_app() {
        let app = r#"<?php
return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(
        web: __DIR__.'/../routes/web.php',
        commands: __DIR__.'/../routes/console.php',
        health: '/up',
    )"#;
        assert_eq!(laravel_health(app).as_deref(), Some("/up"));
        let commented = "// health: '/up',\n->withRouting(web: 'x')";
        assert_eq!(laravel_health(commented), None);
        assert_eq!(
            laravel_health("/* health: '/a' */ health: \"/status\""),
            Some("/status".into())
        );
        assert_eq!(laravel_health("health: '/up"), None);
    }

    #[test]
    fn extension_names_drop_the_prefix() {
        assert_eq!(extension_name("ext-Intl").as_deref(), Some("intl"));
        assert_eq!(extension_name("ext-"), None);
        assert_eq!(extension_name("php"), None);
    }
}
