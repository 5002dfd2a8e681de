//! Plans the Dockerfile of a PHP project: Composer in a build stage (manifests first, then the
//! source and the optimized autoloader, then the framework's caches), an optional Node stage for
//! front-end assets, and the official Apache + mod_php image as the runtime, on an unprivileged port
//! as www-data, with the project's extensions and OPcache set for production.

use serde_json::json;

use super::detect::PhpDetails;
use super::settings;
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::{
    BuildArg, BuildPlan, BuildSecret, Choices, Flavor, HealthCheck, RuntimeUser,
    chosen_health_path, chosen_port,
};
use crate::safe;

/// Where the official image serves from and the app lives.
const APP_DIR: &str = "/var/www/html";

pub fn plan(project: &Project, d: &PhpDetails, choices: &Choices) -> Result<BuildPlan> {
    let s = settings();
    if let Some(base) = choices.base.filter(|b| *b != Flavor::Slim) {
        return Err(Error::Usage(format!(
            "--base {}: PHP runs on the official Debian-based php:<version>-{} image (Apache with \
             mod_php); only --base slim applies",
            base.id(),
            s.runtime_suffix
        )));
    }
    let version = safe::version(
        choices
            .runtime_version
            .as_deref()
            .or(project.runtime_version.as_deref())
            .unwrap_or_default(),
    )?;
    let port = chosen_port(project, choices).unwrap_or(8080);
    let mut notes = d.notes.clone();

    let mut args = vec![
        BuildArg {
            name: "PHP_VERSION".into(),
            value: version,
        },
        BuildArg {
            name: "COMPOSER_VERSION".into(),
            value: s.composer_version.clone(),
        },
    ];
    if d.assets.is_some() {
        args.push(BuildArg {
            name: "NODE_VERSION".into(),
            value: s.node_version.clone(),
        });
    }

    let ext = extension_steps(d, &mut notes);
    let framework = project.framework.as_deref().unwrap_or("php");

    // The framework's build steps (fixed commands, nothing from the project) and the paths it
    // writes at run time.
    let mut build_steps: Vec<&str> = Vec::new();
    let mut writable: Vec<&str> = Vec::new();
    let mut build_env: Vec<(String, String)> = Vec::new();
    let mut env: Vec<(String, String)> = Vec::new();
    match framework {
        "laravel" => {
            build_steps.push(
                "mkdir -p storage/framework/cache/data storage/framework/sessions storage/framework/views storage/logs bootstrap/cache",
            );
            if d.artisan {
                build_steps.push("php artisan route:cache");
                build_steps.push("php artisan view:cache");
            }
            writable.extend(["storage", "bootstrap/cache"]);
            env.push(("LOG_CHANNEL".into(), "stderr".into()));
        }
        "symfony" => {
            build_env.push(("APP_ENV".into(), "prod".into()));
            build_env.push(("APP_DEBUG".into(), "0".into()));
            // `.env*` never enters the build context (the .dockerignore keeps every dotenv file
            // out as a secret), but Symfony's Dotenv wants the file to exist: an empty one makes
            // the image read its configuration from real environment variables only.
            build_steps.push("touch .env");
            if d.dotenv {
                notes.push(
                    "Symfony's .env is not copied into the image (.dockerignore keeps every .env file \
                     out as a possible secret); the image has an empty .env, so set APP_SECRET, \
                     DATABASE_URL and the other values it held as environment variables at run time"
                        .into(),
                );
            }
            if d.console {
                build_steps.push("php bin/console cache:warmup");
                build_steps.push("php bin/console assets:install public");
            }
            build_steps.push("mkdir -p var/cache var/log");
            writable.push("var");
            env.push(("APP_ENV".into(), "prod".into()));
            env.push(("APP_DEBUG".into(), "0".into()));
        }
        _ => {}
    }

    let healthcheck = if choices.no_healthcheck {
        HealthCheck::None {
            reason: "Health check disabled with --no-healthcheck.".into(),
        }
    } else {
        let path = chosen_health_path(choices, d.health_path.as_deref().unwrap_or("/"))?;
        php_probe(port, &path)
    };

    let mut copies = vec!["composer.json".to_string()];
    if d.lockfile {
        copies.push("composer.lock".to_string());
    }
    let mut path_repos = Vec::new();
    for p in &d.path_repos {
        let p = safe::path(p, "Composer path repository")?;
        copies.push(p.clone());
        path_repos.push(p);
    }
    let assets = match &d.assets {
        Some(a) => {
            let (install, cache) =
                asset_install(&a.package_manager, a.lockfile.is_some(), a.yarn_berry);
            let mut files = vec!["package.json".to_string()];
            files.extend(a.lockfile.iter().cloned());
            if a.yarn_berry {
                files.push(".yarnrc.yml".to_string());
            }
            copies.extend(files.iter().cloned());
            Some(json!({
                "files": files,
                "install": install,
                "cache": cache,
                // pnpm and Yarn 2+ come through corepack; npm and Yarn 1 ship with the image.
                "corepack": a.package_manager == "pnpm" || a.yarn_berry,
                "output": safe::path(&a.output, "asset output")?,
            }))
        }
        None => None,
    };
    let cmd = match &choices.start {
        Some(start) => start.clone(),
        None => vec!["apache2-foreground".to_string()],
    };

    Ok(BuildPlan {
        ecosystem: project.ecosystem,
        project_path: project.path.clone(),
        args,
        labels: crate::plan::standard_labels(project),
        user: RuntimeUser::existing(s.uid),
        port: Some(port),
        healthcheck,
        entrypoint: vec!["docker-php-entrypoint".to_string()],
        cmd,
        env,
        vars: json!({
            "runtime_suffix": s.runtime_suffix,
            "node_suffix": s.node_suffix,
            "app_dir": APP_DIR,
            "docroot": if d.docroot == "." { APP_DIR.to_string() } else { format!("{APP_DIR}/public") },
            "root_docroot": d.docroot == ".",
            "ext": ext,
            "lockfile": d.lockfile,
            "path_repos": path_repos,
            "build_env": build_env,
            "build_steps": build_steps,
            "writable": writable,
            "assets": assets,
            "framework": framework,
            "stop_signal": "SIGWINCH",
        }),
        copies,
        ignore: Vec::new(),
        notes,
        // The composer install step mounts auth.json for private repositories (see the template).
        secrets: vec![BuildSecret::new("composer_auth", "auth.json")],
        choices: choices.clone(),
    })
}

/// The health check: PHP's own HTTP client asks Apache; any status below 500 means it is up.
fn php_probe(port: u16, path: &str) -> HealthCheck {
    let url = format!("http://127.0.0.1:{port}{path}");
    let code = format!(
        "$h = @get_headers('{url}'); exit($h && preg_match('#^HTTP/\\S+ [1-4]#', $h[0]) ? 0 : 1);"
    );
    HealthCheck::Cmd {
        argv: vec!["php".into(), "-r".into(), code],
        comment: format!(
            "No curl in this image: PHP's own HTTP client requests {path}; any answer below 500 means Apache and PHP are up."
        ),
        path: path.to_string(),
    }
}

/// The install command and cache directory of the asset build's package manager.
fn asset_install(pm: &str, locked: bool, berry: bool) -> (&'static str, &'static str) {
    match (pm, locked, berry) {
        ("pnpm", _, _) => (
            "pnpm install --frozen-lockfile",
            "/root/.local/share/pnpm/store",
        ),
        ("yarn", _, true) => ("yarn install --immutable", "/root/.yarn/berry/cache"),
        ("yarn", _, false) => (
            "yarn install --frozen-lockfile",
            "/usr/local/share/.cache/yarn",
        ),
        (_, true, _) => ("npm ci", "/root/.npm"),
        _ => ("npm install", "/root/.npm"),
    }
}

/// What the base stage runs to add the extensions the image lacks.
fn extension_steps(d: &PhpDetails, notes: &mut Vec<String>) -> serde_json::Value {
    let s = settings();
    let mut packages: Vec<String> = Vec::new();
    let mut configure = Vec::new();
    let mut install = Vec::new();
    let mut pecl = Vec::new();
    let mut unknown = Vec::new();
    for ext in &d.extensions {
        let plain = ext.replace('-', " ");
        if s.preinstalled.iter().any(|p| *p == *ext || *p == plain) {
            continue;
        }
        let (list, rule) = if let Some(r) = s.bundled.get(ext) {
            (&mut install, r)
        } else if let Some(r) = s.pecl.get(ext) {
            (&mut pecl, r)
        } else {
            let plain_name = ext
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            unknown.push(if plain_name {
                ext.clone()
            } else {
                format!("{ext:?}")
            });
            continue;
        };
        list.push(ext.clone());
        packages.extend(rule.packages.iter().cloned());
        if !rule.configure.is_empty() {
            configure.push(json!({ "name": ext, "args": rule.configure.join(" ") }));
        }
    }
    packages.sort();
    packages.dedup();
    if !unknown.is_empty() {
        notes.push(format!(
            "the project requires PHP extension{} {} that dockgen does not know how to install: add \
             the install step to the base stage, or composer install will stop on the missing \
             platform requirement",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", ")
        ));
    }
    json!({
        "packages": packages,
        "configure": configure,
        "install": install,
        "pecl": pecl,
        "any": !(install.is_empty() && pecl.is_empty()),
    })
}
