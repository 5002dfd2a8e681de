//! Plans the Dockerfile of a Node project.
//!
//! Stages: `base` (the Node image, plus corepack or bun), `deps` (every dependency, for the build),
//! `build` (the project's build script), `prod-deps` (production dependencies only, from the same
//! lockfile; for a pnpm workspace member `deploy` does this with `pnpm deploy`), and the runtime,
//! which gets production dependencies and the built app and nothing else. Every decision is made
//! here; `templates/node.Dockerfile.tera` lays the text out.

use serde::Serialize;

use super::detect::{
    self as detect_node, NodeDetails, PackageManager, Start, StaticSite, Workspace,
};
use crate::detect::{Project, shell_words};
use crate::error::{Error, Result};
use crate::plan::{
    BuildArg, BuildPlan, BuildSecret, Choices, Flavor, HealthCheck, RuntimeUser,
    chosen_health_path, chosen_port, standard_labels,
};
use crate::rules::Rules;
use crate::safe;

/// Where the runtime's `node` binary lives in each flavour of image.
const DISTROLESS_NODE: &str = "/nodejs/bin/node";
/// Where nginx serves a static site from (the nginx images' document root).
const STATIC_ROOT: &str = "/usr/share/nginx/html";
/// `PATH` for start scripts that call binaries from node_modules/.bin (as `npm start` would).
const SYSTEM_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// One `COPY` into the runtime stage.
#[derive(Debug, Clone, Serialize)]
struct RuntimeCopy {
    /// Build stage to copy from; `None` copies from the build context.
    from: Option<String>,
    src: String,
    dst: String,
    /// Owned by the runtime user (only what the app must write to at run time).
    chown: bool,
}

/// What `templates/node.Dockerfile.tera` renders, beyond the common plan fields.
#[derive(Debug, Clone, Serialize)]
struct NodeVars {
    /// The package manager as the comments name it ("npm", "yarn berry", ...).
    pm: &'static str,
    /// Image for the build stages.
    build_image: String,
    /// Image for the runtime stage.
    runtime_image: String,
    distroless: bool,
    /// Environment of the base stage (corepack settings, yarn settings).
    base_env: Vec<(String, String)>,
    /// Commands run once in the base stage (enable corepack, install bun).
    setup: Vec<Vec<String>>,
    /// Mounts for the setup commands.
    setup_mounts: Vec<String>,
    /// bun is installed from npm in the base stage.
    bun: bool,
    /// Groups of files copied before the install: (sources, destination directory).
    manifests: Vec<(Vec<String>, String)>,
    /// `--mount=` options of every install command (cache and secret).
    mounts: Vec<String>,
    /// How to pass registry credentials, for the comment above the install.
    secret_hint: String,
    /// The full install, when the project is built in the image.
    install: Option<Vec<String>>,
    /// Build commands, dependencies first; empty when there is nothing to build.
    build: Vec<Vec<String>>,
    /// After the build, drop node_modules: the runtime takes production dependencies from prod-deps.
    drop_node_modules: bool,
    /// Before dropping node_modules, keep Prisma's generated client (node_modules/.prisma).
    keep_prisma: bool,
    /// After the build, drop Next.js's build cache (it is large and not needed to serve).
    drop_next_cache: Option<String>,
    /// The production-only install in its own stage.
    prod_install: Option<Vec<String>>,
    /// `pnpm deploy` of a workspace member (production dependencies, workspace packages included).
    deploy: Option<Vec<String>>,
    /// Remove this from the deploy output (copied separately with the right owner).
    deploy_drop: Option<String>,
    /// Packages installed globally with npm in the base stage: (version build arg, `name@${ARG}`).
    global_tools: Vec<(String, String)>,
    /// `--mount=` options of the base stage's RUN.
    base_mounts: Vec<String>,
    /// The base stage's commands, shell-quoted already (joined with `&&`).
    base_run: Vec<String>,
    /// System packages of the base stage (apt or apk): the init, native-module toolchains.
    base_packages: Vec<String>,
    /// Why native build packages are there, one line each.
    native_reasons: Vec<String>,
    /// System libraries native modules load at run time.
    runtime_packages: Vec<String>,
    /// The images are Alpine (apk rather than apt).
    alpine: bool,
    /// The init (source path in the base stage, path in the runtime).
    tini: Option<(String, String)>,
    /// Remove npm, yarn and corepack from the runtime image.
    strip_pm: bool,
    /// Lines of the nginx server configuration of a static site.
    nginx_conf: Vec<String>,
    /// A static site: what is served, and how unknown paths are answered.
    web: Option<(String, String)>,
    /// The images are Bun's own (oven/bun).
    bun_image: bool,
    /// Copy bun into the runtime (the start command runs bun).
    bun_runtime: bool,
    workdir: String,
    copies: Vec<RuntimeCopy>,
}

pub fn plan(project: &Project, d: &NodeDetails, choices: &Choices) -> Result<BuildPlan> {
    let rules = super::rules();
    let flavor = choices.base.unwrap_or(Flavor::Slim);
    if flavor == Flavor::Scratch {
        return Err(Error::Usage(
            "--base scratch: a Node app needs the Node runtime, which scratch does not have; use slim, alpine or distroless".into(),
        ));
    }
    let mut notes = d.notes.clone();

    let version = match &choices.runtime_version {
        Some(v) => safe::version(v.trim_start_matches('v'))?,
        None => safe::version(
            project
                .runtime_version
                .as_deref()
                .unwrap_or(&rules.default_version),
        )?,
    };
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(d.node_major);
    // ---- start command
    let start = match &choices.start {
        Some(argv) => user_start(argv, d)?,
        None => d.start.clone(),
    };
    if let Start::Refused(why) = &start {
        return Err(Error::Usage(why.clone()));
    }
    let site: Option<StaticSite> = match &start {
        Start::Static(site) => Some((**site).clone()),
        _ => None,
    };
    if site.is_some() && matches!(flavor, Flavor::Distroless) {
        notes.push(
            "a static site is served by nginx-unprivileged (Alpine); --base distroless applies to nothing here".into(),
        );
    }
    // Bun projects whose start runs bun get Bun's own image (no Node in it).
    let bun_image = d.pm == PackageManager::Bun
        && matches!(&start, Start::Exec { argv, .. } if argv[0] == "bun");
    let mut args = if bun_image {
        vec![BuildArg {
            name: "BUN_VERSION".into(),
            value: safe::version(&bun_version(d))?,
        }]
    } else {
        vec![BuildArg {
            name: "NODE_VERSION".into(),
            value: version.clone(),
        }]
    };
    let build_image = match (bun_image, flavor) {
        (true, Flavor::Alpine) => "oven/bun:${BUN_VERSION}-alpine",
        (true, _) => "oven/bun:${BUN_VERSION}-slim",
        (false, Flavor::Alpine) => "node:${NODE_VERSION}-alpine",
        (false, _) => "node:${NODE_VERSION}-trixie-slim",
    }
    .to_string();
    let runtime_image = if flavor == Flavor::Distroless {
        if bun_image {
            "oven/bun:${BUN_VERSION}-distroless".to_string()
        } else {
            distroless_check(major)?;
            if version != major.to_string() {
                // One knob for both stages: distroless images are tagged by major only.
                notes.push(format!(
                    "distroless Node images exist per major only: Node {version} becomes {major}"
                ));
                args[0].value = major.to_string();
            }
            "gcr.io/distroless/nodejs${NODE_VERSION}-debian13:nonroot".to_string()
        }
    } else {
        build_image.clone()
    };
    let node_bin = if bun_image {
        "bun"
    } else if flavor == Flavor::Distroless {
        DISTROLESS_NODE
    } else {
        "node"
    };

    let member = project.path.as_str();
    let ws = d.workspace.as_deref();
    let in_member = |p: &str| match (member, p) {
        (".", p) => p.to_string(),
        (m, ".") => m.to_string(),
        (m, p) => format!("{m}/{p}"),
    };
    let app_dir = if member == "." {
        "/app".to_string()
    } else {
        format!("/app/{member}")
    };

    // A program that serves nothing (a worker, a bot, a script) gets no port and no HTTP probe.
    let serves = choices.port.is_some() || d.run.serves_http.is_some();
    let port = chosen_port(project, choices).unwrap_or(3000);
    let mut env: Vec<(String, String)> = if site.is_some() {
        Vec::new()
    } else {
        vec![("NODE_ENV".into(), "production".into())]
    };
    let mut bun_runtime = false;
    let (entrypoint, cmd) = match &start {
        Start::Exec {
            argv,
            env: script_env,
        } => {
            for (k, v) in script_env {
                if k != "PORT" && k != "NODE_ENV" {
                    env.push((k.clone(), safe::text(v, "start script variable")?));
                }
            }
            let mut argv = argv.clone();
            match argv[0].as_str() {
                "node" => argv[0] = node_bin.to_string(),
                "bun" if bun_image => {}
                "bun" => {
                    if flavor == Flavor::Distroless {
                        return Err(Error::Usage(
                            "the start command runs bun, which the distroless Node image does not have; use --base slim or alpine".into(),
                        ));
                    }
                    bun_runtime = true;
                }
                _ => {}
            }
            (vec![argv[0].clone()], argv[1..].to_vec())
        }
        Start::Shell { script } => {
            if flavor == Flavor::Distroless {
                return Err(Error::Usage(format!(
                    "{}: the start script {script:?} needs a shell, which distroless images do not have.\n\
                     Pass --start with a direct command (e.g. --start \"node dist/server.js\") or use --base slim.",
                    manifest_path(member)
                )));
            }
            let mut bins = vec![format!("{app_dir}/node_modules/.bin")];
            if member != "." {
                bins.push("/app/node_modules/.bin".into());
            }
            env.push(("PATH".into(), format!("{}:{SYSTEM_PATH}", bins.join(":"))));
            (
                vec!["/bin/sh".into(), "-c".into()],
                vec![shell_exec(script)],
            )
        }
        // nginx, in the foreground, is the server of a static site.
        Start::Static(_) => (words(&["nginx", "-g", "daemon off;"]), Vec::new()),
        Start::Refused(_) => {
            return Err(Error::Internal("a refused start is reported above".into()));
        }
        Start::Unknown => {
            return Err(Error::Usage(format!(
                "{}: no start command found (no \"start\" script, \"main\" field, server.js or index.js).\n\
                 Add a start script, or pass --start \"node path/to/server.js\".",
                manifest_path(member)
            )));
        }
    };
    if serves && site.is_none() {
        env.push(("PORT".into(), port.to_string()));
    }
    let framework = project.framework.as_deref();
    let standalone = framework == Some("nextjs") && d.next_standalone;
    if framework == Some("nextjs") {
        env.push(("NEXT_TELEMETRY_DISABLED".into(), "1".into()));
    }
    if standalone {
        // The standalone server binds to $HOSTNAME, which Docker sets to the container id.
        env.push(("HOSTNAME".into(), "0.0.0.0".into()));
    }

    // ---- package manager commands
    let pmc = PmCommands::new(d, rules, ws);
    let pnpm_member = d.pm == PackageManager::Pnpm && ws.is_some();
    let mut build = build_commands(d, ws, choices.start.is_none());
    let prisma = d.run.prisma.as_ref().filter(|p| p.cli);
    if let Some(p) = prisma.filter(|p| !p.build_generates && ws.is_none()) {
        // Prisma Client is generated code: the build (and the app) import it.
        let mut c = words(&["node_modules/.bin/prisma", "generate"]);
        if let Some(schema) = &p.schema {
            c.push(format!("--schema={}", safe::path(schema, "prisma schema")?));
        }
        build.insert(0, c);
    }
    let keep_prisma = prisma.is_some_and(|p| p.in_node_modules) && ws.is_none();
    let builds_anything = !build.is_empty();
    let next_app = framework == Some("nextjs") && !standalone && site.is_none();
    let needs_build_stage = builds_anything || pnpm_member;
    if framework == Some("nextjs") && !builds_anything && choices.start.is_none() {
        return Err(Error::Usage(format!(
            "{}: a Next.js app needs a \"build\" script (next build) before it can run",
            manifest_path(member)
        )));
    }

    let mut copies = Vec::new();
    let mut runtime_copies = Vec::new();
    let workdir;
    let mut prod_install = None;
    let mut deploy = None;
    let mut deploy_drop = None;
    let mut drop_node_modules = false;
    let mut drop_next_cache = None;
    let self_contained = d
        .run
        .self_contained
        .as_deref()
        .filter(|_| choices.start.is_none());
    if let Some(site) = &site {
        // Only the built files reach the nginx image, with the server configuration planned here.
        workdir = STATIC_ROOT.to_string();
        let out = safe::path(&site.dir, "static site output")?;
        runtime_copies.push(copy(
            Some("web-config"),
            "/nginx/default.conf",
            "/etc/nginx/conf.d/default.conf",
            false,
        ));
        runtime_copies.push(copy(
            Some("build"),
            &format!("{app_dir}/{out}/"),
            &format!("{STATIC_ROOT}/"),
            false,
        ));
    } else if let Some(out) = self_contained {
        // The build output carries its own dependencies: nothing else reaches the runtime.
        workdir = app_dir.clone();
        let out = safe::path(out, "build output")?;
        runtime_copies.push(copy(
            Some("build"),
            &format!("{app_dir}/{out}"),
            &format!("{app_dir}/{out}"),
            false,
        ));
    } else if standalone {
        workdir = app_dir.clone();
        runtime_copies.push(copy(
            Some("build"),
            &format!("{app_dir}/.next/standalone"),
            "/app",
            true,
        ));
        runtime_copies.push(copy(
            Some("build"),
            &format!("{app_dir}/.next/static"),
            &format!("{app_dir}/.next/static"),
            true,
        ));
        if d.has_public {
            runtime_copies.push(copy(
                Some("build"),
                &format!("{app_dir}/public"),
                &format!("{app_dir}/public"),
                false,
            ));
        }
    } else if pnpm_member {
        workdir = "/app".to_string();
        let name = &ws.map(|w| w.name.clone()).unwrap_or_default();
        deploy = Some(pmc.deploy(name));
        runtime_copies.push(copy(Some("deploy"), "/out", "/app", false));
        if next_app {
            deploy_drop = Some("/out/.next".to_string());
            drop_next_cache = Some(in_member(".next/cache"));
            runtime_copies.push(copy(
                Some("build"),
                &format!("{app_dir}/.next"),
                "/app/.next",
                true,
            ));
        }
    } else {
        workdir = app_dir.clone();
        prod_install = Some(pmc.prod(ws));
        if ws.is_some() && matches!(d.pm, PackageManager::YarnClassic | PackageManager::Bun) {
            notes.push(format!(
                "{} cannot install one workspace's dependencies alone: the image gets the production dependencies of every workspace",
                d.pm.label()
            ));
        }
        runtime_copies.push(copy(Some("prod-deps"), "/app", "/app", false));
        let local: Vec<String> = ws.map(|w| w.local_deps.clone()).unwrap_or_default();
        if next_app {
            drop_next_cache = Some(in_member(".next/cache"));
            drop_node_modules = !local.is_empty();
            for f in d
                .next_config
                .iter()
                .map(String::as_str)
                .chain(d.has_public.then_some("public"))
            {
                runtime_copies.push(copy(
                    Some("build"),
                    &format!("{app_dir}/{f}"),
                    &format!("{app_dir}/{f}"),
                    false,
                ));
            }
            runtime_copies.push(copy(
                Some("build"),
                &format!("{app_dir}/.next"),
                &format!("{app_dir}/.next"),
                true,
            ));
            for dep in &local {
                runtime_copies.push(copy(
                    Some("build"),
                    &format!("/app/{dep}"),
                    &format!("/app/{dep}"),
                    false,
                ));
            }
        } else if builds_anything {
            drop_node_modules = true;
            runtime_copies.push(copy(Some("build"), &app_dir, &app_dir, false));
            if keep_prisma {
                runtime_copies.push(copy(
                    Some("build"),
                    "/tmp/prisma-client",
                    "/app/node_modules/.prisma",
                    false,
                ));
            }
            for dep in &local {
                runtime_copies.push(copy(
                    Some("build"),
                    &format!("/app/{dep}"),
                    &format!("/app/{dep}"),
                    false,
                ));
            }
        } else {
            runtime_copies.push(copy(None, &in_member("."), &app_dir, false));
            copies.push(if member == "." {
                ".".to_string()
            } else {
                member.to_string()
            });
            for dep in &local {
                runtime_copies.push(copy(None, dep, &format!("/app/{dep}"), false));
                copies.push(dep.clone());
            }
        }
    }
    // The source goes into the build stage whole.
    if needs_build_stage || standalone || next_app || site.is_some() {
        copies.push(".".to_string());
    }

    // ---- manifests copied before any install
    let mut root_files = vec!["package.json".to_string()];
    root_files.extend(d.lockfile.iter().cloned());
    let mut manifests = Vec::new();
    let mut install_dirs = Vec::new();
    for f in &d.install_files {
        let f = safe::path(f, "install file")?;
        if f.contains('/') {
            install_dirs.push((vec![f.clone()], format!("./{f}/")));
        } else {
            root_files.push(f);
        }
    }
    manifests.push((root_files.clone(), "./".to_string()));
    manifests.extend(install_dirs);
    if let Some(w) = ws {
        for m in &w.manifests {
            let m = safe::path(m, "workspace manifest")?;
            let parent = m.trim_end_matches("package.json").to_string();
            manifests.push((vec![m.clone()], format!("./{parent}")));
        }
    }
    for (srcs, _) in &manifests {
        copies.extend(srcs.iter().cloned());
    }

    // ---- health check
    let healthcheck = if choices.no_healthcheck {
        HealthCheck::None {
            reason: "Health check disabled with --no-healthcheck.".into(),
        }
    } else if site.is_some() {
        let path = chosen_health_path(choices, "/")?;
        HealthCheck::Cmd {
            argv: vec![
                "wget".into(),
                "-q".into(),
                "-O".into(),
                "/dev/null".into(),
                format!("http://127.0.0.1:{port}{path}"),
            ],
            comment: format!(
                "busybox wget (part of the Alpine image) requests {path}; nginx answers with the built files."
            ),
            path,
        }
    } else if !serves {
        HealthCheck::None {
            reason: format!(
                "A program that serves nothing over HTTP ({}): nothing to probe; `docker ps` shows when it exits.",
                d.run.idle_reason
            ),
        }
    } else {
        let path = chosen_health_path(choices, "/")?;
        let url = format!("http://127.0.0.1:{port}{path}");
        let js = if bun_image
            || major >= 18
            || choices.runtime_version.is_none() && d.node_major >= 18
        {
            format!(
                "fetch('{url}').then((r) => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"
            )
        } else {
            format!(
                "require('http').get('{url}', (r) => process.exit(r.statusCode < 500 ? 0 : 1)).on('error', () => process.exit(1))"
            )
        };
        HealthCheck::Cmd {
            argv: vec![node_bin.to_string(), "-e".into(), js],
            comment: format!(
                "{} itself makes the request (no curl in this image); any answer below 500 from {path} means the server is up.",
                if bun_image { "Bun" } else { "Node" }
            ),
            path: path.to_string(),
        }
    };

    let mut base_env = Vec::new();
    let mut setup = Vec::new();
    let mut setup_mounts = Vec::new();
    let mut global_tools = Vec::new();
    // Node 25 images ship neither corepack nor yarn: corepack then comes from npm, and provides
    // yarn classic too.
    let no_bundled_corepack = major >= 25;
    if d.pm == PackageManager::Pnpm {
        // pnpm from npm, pinned: pnpm no longer documents `corepack prepare`, and Node 25+ has no corepack.
        args.push(BuildArg {
            name: "PNPM_VERSION".into(),
            value: safe::version(&pnpm_version(d))?,
        });
        global_tools.push((
            "PNPM_VERSION".to_string(),
            "pnpm@${PNPM_VERSION}".to_string(),
        ));
        if d.pm_field_overridden {
            // package.json names another package manager; pnpm would refuse to run.
            base_env.push(("npm_config_package_manager_strict".into(), "false".into()));
        }
    } else if d.pm == PackageManager::YarnBerry
        || (d.pm == PackageManager::YarnClassic && no_bundled_corepack)
    {
        base_env.push(("COREPACK_ENABLE_DOWNLOAD_PROMPT".into(), "0".into()));
        if d.pm_field_overridden {
            // package.json names another package manager; corepack would refuse to run this one.
            base_env.push(("COREPACK_ENABLE_STRICT".into(), "0".into()));
        }
        if no_bundled_corepack {
            setup.push(words(&["npm", "install", "--global", "corepack"]));
        }
        setup.extend(pmc.corepack());
    }
    if framework == Some("nextjs") {
        base_env.push(("NEXT_TELEMETRY_DISABLED".into(), "1".into()));
    }
    if d.pm == PackageManager::YarnBerry {
        // node_modules instead of Plug'n'Play, so `node dist/server.js` finds its dependencies; and one
        // global cache directory for the cache mount (yarn 3 would keep a per-project cache).
        base_env.push(("YARN_NODE_LINKER".into(), "node-modules".into()));
        base_env.push(("YARN_ENABLE_GLOBAL_CACHE".into(), "true".into()));
        base_env.push(("YARN_ENABLE_TELEMETRY".into(), "0".into()));
    }
    let bun_from_npm = d.pm == PackageManager::Bun && !bun_image;
    if bun_from_npm {
        args.push(BuildArg {
            name: "BUN_VERSION".into(),
            value: safe::version(&bun_version(d))?,
        });
        global_tools.push(("BUN_VERSION".to_string(), "bun@${BUN_VERSION}".to_string()));
    }
    if !global_tools.is_empty() {
        setup_mounts.push("type=cache,target=/root/.npm".into());
    }

    // ---- system packages: an init for PID 1, and what native modules need to compile and run.
    let native = native_packages(d);
    let alpine = flavor == Flavor::Alpine;
    let init = site.is_none();
    let mut base_packages: Vec<String> = Vec::new();
    if init {
        base_packages.push("tini".into());
    }
    let mut native_reasons = Vec::new();
    for m in &native {
        native_reasons.push(match &m.why {
            Some(why) => format!("{}: {why}", m.name),
            None => format!(
                "{} compiles a native addon with node-gyp when no prebuilt binary fits{}",
                m.name,
                if m.build.len() > 3 {
                    " (its system headers too)"
                } else {
                    ""
                }
            ),
        });
        for p in &m.build {
            if !base_packages.contains(p) {
                base_packages.push(p.clone());
            }
        }
    }
    let mut runtime_packages: Vec<String> = Vec::new();
    for m in &native {
        for p in &m.runtime {
            if !runtime_packages.contains(p) {
                runtime_packages.push(p.clone());
            }
        }
    }
    if alpine {
        // The table names Debian packages; Alpine has the same compiler toolchain names only.
        let toolchain = ["tini", "python3", "make", "g++", "openssl"];
        let dropped: Vec<String> = base_packages
            .iter()
            .chain(runtime_packages.iter())
            .filter(|p| !toolchain.contains(&p.as_str()))
            .cloned()
            .collect();
        if !dropped.is_empty() {
            notes.push(format!(
                "native modules need system packages that dockgen names for Debian only ({}); with --base alpine add their Alpine equivalents",
                dropped.join(", ")
            ));
        }
        base_packages.retain(|p| toolchain.contains(&p.as_str()));
        runtime_packages.clear();
    }
    if !runtime_packages.is_empty() && flavor == Flavor::Distroless {
        return Err(Error::Usage(format!(
            "{}: native modules need system libraries at run time ({}), which a distroless image cannot install; use --base slim",
            manifest_path(member),
            runtime_packages.join(", ")
        )));
    }
    let (tini_src, tini_dst) = if alpine {
        ("/sbin/tini", "/sbin/tini")
    } else {
        // The static build runs on any runtime, distroless included.
        ("/usr/bin/tini-static", "/usr/bin/tini")
    };
    let (entrypoint, cmd) = if init {
        let mut e = vec![tini_dst.to_string(), "--".into()];
        e.extend(entrypoint);
        (e, cmd)
    } else {
        (entrypoint, cmd)
    };
    // The package managers are build tools; the image keeps them only when the start runs one.
    let start_uses_pm = match &start {
        Start::Shell { script } => shell_words(script).unwrap_or_default().iter().any(|w| {
            ["npm", "npx", "yarn", "yarnpkg", "pnpm", "pnpx", "corepack"].contains(&w.as_str())
        }),
        Start::Exec { argv, .. } => {
            ["npm", "npx", "yarn", "pnpm", "corepack"].contains(&argv[0].as_str())
        }
        _ => false,
    };
    let strip_pm = site.is_none() && !bun_image && flavor != Flavor::Distroless && !start_uses_pm;
    // One RUN in the base stage: system packages, global tools, corepack.
    let mut base_mounts = Vec::new();
    let mut base_run = Vec::new();
    let sh_list = |list: &[String]| -> Result<String> {
        Ok(list
            .iter()
            .map(|w| safe::shell_word(w))
            .collect::<Result<Vec<_>>>()?
            .join(" "))
    };
    if !base_packages.is_empty() {
        if alpine {
            base_run.push(format!("apk add --no-cache {}", sh_list(&base_packages)?));
        } else {
            base_mounts.push("type=cache,target=/var/cache/apt,sharing=locked".to_string());
            base_mounts.push("type=cache,target=/var/lib/apt,sharing=locked".to_string());
            base_run.push("rm -f /etc/apt/apt.conf.d/docker-clean".to_string());
            base_run.push("apt-get update".to_string());
            base_run.push(format!(
                "apt-get install -y --no-install-recommends {}",
                sh_list(&base_packages)?
            ));
        }
    }
    base_mounts.extend(setup_mounts.iter().cloned());
    if !global_tools.is_empty() {
        let specs: Vec<String> = global_tools
            .iter()
            .map(|(_, s)| format!("\"{s}\""))
            .collect();
        base_run.push(format!(
            "npm install --global --no-audit --no-fund {}",
            specs.join(" ")
        ));
    }
    for c in &setup {
        base_run.push(sh_list(c)?);
    }
    let mut nginx_conf = Vec::new();
    if let Some(site) = &site {
        args.push(BuildArg {
            name: "NGINX_VERSION".into(),
            value: safe::version(&super::settings().nginx_version)?,
        });
        nginx_conf = nginx_config(site, port)?;
    }
    let runtime_image = if site.is_some() {
        "nginxinc/nginx-unprivileged:${NGINX_VERSION}-alpine".to_string()
    } else {
        runtime_image
    };

    let vars = NodeVars {
        pm: d.pm.label(),
        build_image,
        runtime_image,
        distroless: flavor == Flavor::Distroless && site.is_none(),
        base_env,
        setup,
        setup_mounts,
        global_tools,
        base_mounts,
        base_run,
        base_packages,
        native_reasons,
        runtime_packages,
        alpine,
        tini: init.then(|| (tini_src.to_string(), tini_dst.to_string())),
        strip_pm,
        nginx_conf,
        web: site.as_ref().map(web_summary),
        bun: bun_from_npm,
        bun_image,
        manifests,
        mounts: pmc.mounts(),
        secret_hint: pmc.secret_hint(),
        install: (needs_build_stage || standalone || next_app || site.is_some())
            .then(|| pmc.install()),
        build,
        drop_node_modules,
        keep_prisma: keep_prisma && drop_node_modules,
        drop_next_cache,
        prod_install,
        deploy,
        deploy_drop,
        bun_runtime,
        workdir,
        copies: runtime_copies,
    };
    copies.sort();
    copies.dedup();

    let user = if site.is_some() {
        // nginx-unprivileged's own user.
        RuntimeUser::existing(101)
    } else if flavor == Flavor::Distroless {
        RuntimeUser::existing(65532)
    } else {
        RuntimeUser::existing(1000)
    };
    Ok(BuildPlan {
        ecosystem: super::ECOSYSTEM,
        project_path: project.path.clone(),
        args,
        labels: standard_labels(project),
        user,
        port: serves.then_some(port),
        healthcheck,
        entrypoint,
        cmd,
        env,
        vars: serde_json::to_value(&vars).map_err(|e| Error::Internal(e.to_string()))?,
        copies,
        ignore: Vec::new(),
        notes,
        secrets: vec![pmc.secret()],
        choices: choices.clone(),
    })
}

/// The start the user passed. A development server or watcher in it is replaced by the production
/// equivalent detection found (a watcher by the command it watches); without one it is refused.
fn user_start(argv: &[String], d: &NodeDetails) -> Result<Start> {
    let argv: Vec<String> = argv
        .iter()
        .map(|a| safe::text(a, "--start argument"))
        .collect::<Result<_>>()?;
    let shown = argv.join(" ");
    match detect_node::dev_server(&argv) {
        None => Ok(Start::Exec {
            argv,
            env: Vec::new(),
        }),
        Some(detect_node::DevStart::Watcher(prod)) if prod.len() > 1 => Ok(Start::Exec {
            argv: prod,
            env: Vec::new(),
        }),
        Some(_) => match &d.start {
            Start::Static(_) | Start::Exec { .. } => Ok(d.start.clone()),
            _ => Err(Error::Usage(format!(
                "--start {shown:?} runs a development server, which does not belong in a production image; \
                 pass the production command instead (for example --start \"node dist/server.js\")"
            ))),
        },
    }
}

fn bun_version(d: &NodeDetails) -> String {
    d.pm_version
        .clone()
        .filter(|_| d.pm_from_field && d.pm == PackageManager::Bun)
        .unwrap_or_else(|| super::settings().bun_version.clone())
}

/// The exact version from packageManager, else the major that wrote the lockfile, else the current major.
fn pnpm_version(d: &NodeDetails) -> String {
    d.pm_version
        .clone()
        .unwrap_or_else(|| super::settings().pnpm_version.clone())
}

/// Native modules the project depends on: (module, build packages, runtime packages), from the
/// `native_modules` table of the rules, for the image family (Debian or Alpine).
fn native_packages(d: &NodeDetails) -> Vec<NativeModule> {
    let table = &super::settings().native_modules;
    d.run
        .native
        .iter()
        .filter_map(|m| {
            let rule = table.get(m)?;
            Some(NativeModule {
                name: m.clone(),
                build: rule.build.clone(),
                runtime: rule.runtime.clone(),
                why: rule.why.clone(),
            })
        })
        .collect()
}

/// A dependency that needs system packages: to compile (`build`) and to run (`runtime`).
struct NativeModule {
    name: String,
    build: Vec<String>,
    runtime: Vec<String>,
    /// Why, when it is not a node-gyp addon.
    why: Option<String>,
}

/// The nginx server block of a static site: non-root port, hashed assets cached for a year,
/// everything else revalidated, and the SPA fallback when the framework routes on the client.
fn nginx_config(site: &StaticSite, port: u16) -> Result<Vec<String>> {
    let mut l: Vec<String> = vec![
        "server {".into(),
        format!("    listen {port};"),
        "    server_name _;".into(),
        format!("    root {STATIC_ROOT};"),
        "    index index.html;".into(),
        "    absolute_redirect off;".into(),
        "    server_tokens off;".into(),
        "    gzip on;".into(),
        "    gzip_types text/css application/javascript application/json image/svg+xml;".into(),
    ];
    for prefix in &site.immutable {
        let ok = prefix.starts_with('/')
            && prefix.ends_with('/')
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '.'));
        if !ok {
            return Err(Error::Internal(format!("bad immutable prefix {prefix:?}")));
        }
        l.push(format!("    location ^~ {prefix} {{"));
        l.push("        add_header Cache-Control \"public, max-age=31536000, immutable\";".into());
        l.push("        try_files $uri =404;".into());
        l.push("    }".into());
    }
    l.push("    location / {".into());
    l.push("        add_header Cache-Control \"no-cache\";".into());
    if site.spa {
        let fallback = safe::path(&site.fallback, "SPA fallback page")?;
        l.push(format!("        try_files $uri $uri/ /{fallback};"));
    } else {
        l.push("        try_files $uri $uri.html $uri/ =404;".into());
    }
    l.push("    }".into());
    if !site.spa {
        l.push("    error_page 404 /404.html;".into());
    }
    l.push("}".into());
    Ok(l)
}

fn web_summary(site: &StaticSite) -> (String, String) {
    (
        format!("{}/ from the {} build", site.dir, site.framework),
        if site.spa {
            format!(
                "unknown paths answered with {} (the app routes on the client)",
                site.fallback
            )
        } else {
            "unknown paths answered with 404.html".to_string()
        },
    )
}

fn manifest_path(member: &str) -> String {
    if member == "." {
        "package.json".into()
    } else {
        format!("{member}/package.json")
    }
}

fn copy(from: Option<&str>, src: &str, dst: &str, chown: bool) -> RuntimeCopy {
    RuntimeCopy {
        from: from.map(str::to_string),
        src: src.to_string(),
        dst: dst.to_string(),
        chown,
    }
}

/// Distroless builds a nodejs image per Node line it supports (the versions table says which).
fn distroless_check(major: u32) -> Result<()> {
    let family = crate::versions::family("distroless-nodejs");
    if family.line_info(&major.to_string()).is_some() {
        Ok(())
    } else {
        let list: Vec<String> = family.lines.iter().map(|l| l.version.clone()).collect();
        Err(Error::Usage(format!(
            "--base distroless: there is no distroless image for Node {major} (there are for {}); pass --runtime-version or use --base slim",
            list.join(", ")
        )))
    }
}

/// `exec` in front of a single simple command, so the program replaces the shell and receives
/// signals; a command list (`a && b`) keeps the shell.
fn shell_exec(script: &str) -> String {
    let list = ["&&", "||", ";", "|", "&", "(", ")"]
        .iter()
        .any(|op| script.contains(op));
    let first_is_assignment = script
        .split_whitespace()
        .next()
        .is_some_and(|w| w.contains('='));
    if list || first_is_assignment || script.trim_start().starts_with("exec ") {
        script.to_string()
    } else {
        format!("exec {script}")
    }
}

/// The package manager's commands, words only (the template quotes each word).
struct PmCommands<'a> {
    d: &'a NodeDetails,
    rules: &'a Rules,
    member: Option<&'a Workspace>,
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl<'a> PmCommands<'a> {
    fn new(d: &'a NodeDetails, rules: &'a Rules, member: Option<&'a Workspace>) -> Self {
        PmCommands { d, rules, member }
    }

    fn locked(&self) -> bool {
        self.d.lockfile.is_some()
    }

    fn cache_dir(&self) -> String {
        if self.d.pm == PackageManager::YarnBerry {
            return super::settings().yarn_berry_cache.clone();
        }
        self.rules
            .package_manager(self.d.pm.name())
            .and_then(|r| r.cache_dirs.first().cloned())
            .unwrap_or_else(|| "/root/.npm".into())
    }

    /// Cache and secret mounts of every install. yarn classic's cache breaks when two installs
    /// write it at once (deps and prod-deps run in parallel), so it is locked; so is bun's, whose
    /// cache makes no promise either. npm's and pnpm's stores are safe to share.
    fn mounts(&self) -> Vec<String> {
        let mut cache = format!("type=cache,target={}", self.cache_dir());
        if matches!(self.d.pm, PackageManager::YarnClassic | PackageManager::Bun) {
            cache.push_str(",sharing=locked");
        }
        let secret = match self.d.pm {
            PackageManager::YarnBerry => "type=secret,id=yarnrc,target=/root/.yarnrc.yml",
            _ => "type=secret,id=npmrc,target=/root/.npmrc",
        };
        // The locked mount goes last: buildah hangs on a locked mount followed by another one.
        vec![secret.to_string(), cache]
    }

    /// The registry credentials every install mounts (see [`Self::mounts`]).
    fn secret(&self) -> BuildSecret {
        match self.d.pm {
            PackageManager::YarnBerry => BuildSecret::new("yarnrc", "$HOME/.yarnrc.yml"),
            _ => BuildSecret::new("npmrc", "$HOME/.npmrc"),
        }
    }

    fn secret_hint(&self) -> String {
        match self.d.pm {
            PackageManager::YarnBerry => {
                "docker build --secret id=yarnrc,src=$HOME/.yarnrc.yml .".into()
            }
            _ => "docker build --secret id=npmrc,src=$HOME/.npmrc .".into(),
        }
    }

    /// Base-stage commands: corepack's shim, and the package manager itself downloaded into this
    /// layer, so every later stage uses the same version without fetching it again: the exact
    /// version from `packageManager`, else the major that wrote the lockfile.
    fn corepack(&self) -> Vec<Vec<String>> {
        let tool = if self.d.pm == PackageManager::Pnpm {
            "pnpm"
        } else {
            "yarn"
        };
        let version = self
            .d
            .pm_version
            .clone()
            .unwrap_or_else(|| match self.d.pm {
                PackageManager::YarnClassic => "1".into(),
                PackageManager::YarnBerry => "stable".into(),
                _ => "latest".into(),
            });
        vec![
            words(&["corepack", "enable", tool]),
            vec![
                "corepack".into(),
                "prepare".into(),
                format!("{tool}@{version}"),
                "--activate".into(),
            ],
        ]
    }

    /// Every dependency, dev tools included.
    fn install(&self) -> Vec<String> {
        let locked = self.locked();
        match self.d.pm {
            PackageManager::Npm if locked => words(&["npm", "ci"]),
            PackageManager::Npm => words(&["npm", "install"]),
            PackageManager::Pnpm if locked => words(&[
                "pnpm",
                "install",
                "--frozen-lockfile",
                "--store-dir",
                "/pnpm/store",
            ]),
            PackageManager::Pnpm => words(&["pnpm", "install", "--store-dir", "/pnpm/store"]),
            PackageManager::YarnClassic if locked => {
                words(&["yarn", "install", "--frozen-lockfile"])
            }
            PackageManager::YarnClassic => words(&["yarn", "install"]),
            PackageManager::YarnBerry if locked => words(&["yarn", "install", "--immutable"]),
            PackageManager::YarnBerry => words(&["yarn", "install"]),
            PackageManager::Bun if locked => words(&["bun", "install", "--frozen-lockfile"]),
            PackageManager::Bun => words(&["bun", "install"]),
        }
    }

    /// Production dependencies only (of one member, where the package manager can do that).
    fn prod(&self, ws: Option<&Workspace>) -> Vec<String> {
        let mut cmd = self.install();
        match self.d.pm {
            PackageManager::Npm => {
                cmd.push("--omit=dev".into());
                if let Some(w) = ws {
                    cmd.push(format!("--workspace={}", w.name));
                }
                cmd
            }
            PackageManager::Pnpm => {
                cmd.push("--prod".into());
                cmd
            }
            PackageManager::YarnClassic => {
                cmd.push("--production".into());
                cmd
            }
            PackageManager::YarnBerry => {
                let mut c = words(&["yarn", "workspaces", "focus"]);
                if let Some(w) = ws {
                    c.push(w.name.clone());
                }
                c.push("--production".into());
                c
            }
            PackageManager::Bun => {
                cmd.push("--production".into());
                cmd
            }
        }
    }

    /// `pnpm deploy` of one member into /out: its files and production dependencies, workspace
    /// packages copied in. `deploy-all-files` keeps build output a .gitignore would drop;
    /// `force-legacy-deploy` lets pnpm 10 deploy without injected workspace packages (pnpm 9 ignores it).
    fn deploy(&self, name: &str) -> Vec<String> {
        let _ = self.member;
        vec![
            "pnpm".into(),
            "--filter".into(),
            name.to_string(),
            "--prod".into(),
            "--config.deploy-all-files=true".into(),
            "--config.force-legacy-deploy=true".into(),
            "--store-dir".into(),
            "/pnpm/store".into(),
            "deploy".into(),
            "/out".into(),
        ]
    }
}

/// Build commands, dependencies before dependents.
fn build_commands(
    d: &NodeDetails,
    ws: Option<&Workspace>,
    detected_start: bool,
) -> Vec<Vec<String>> {
    let run = |extra: &[String]| -> Vec<String> {
        let mut c = vec![d.pm.name().to_string()];
        c.extend(extra.iter().cloned());
        c
    };
    let Some(w) = ws else {
        return if d.has_build {
            vec![run(&["run".into(), "build".into()])]
        } else if detected_start && !d.run.framework_build.is_empty() {
            // No build script: the framework's own build command, from the project's node_modules.
            let mut c = d.run.framework_build.clone();
            c[0] = format!("node_modules/.bin/{}", c[0]);
            vec![c]
        } else {
            Vec::new()
        };
    };
    if w.builds.is_empty() {
        return Vec::new();
    }
    if d.pm == PackageManager::Pnpm {
        // `name...` selects the member and the workspace packages it depends on; pnpm runs their
        // build scripts in dependency order.
        return vec![run(&[
            "--filter".into(),
            format!("{}...", w.name),
            "run".into(),
            "build".into(),
        ])];
    }
    w.builds
        .iter()
        .map(|(path, name)| match d.pm {
            PackageManager::Npm => {
                run(&["run".into(), "build".into(), format!("--workspace={path}")])
            }
            PackageManager::Bun => {
                run(&["run".into(), "--cwd".into(), path.clone(), "build".into()])
            }
            _ => run(&[
                "workspace".into(),
                name.clone(),
                "run".into(),
                "build".into(),
            ]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plans a project written into a temporary directory, with `choices`.
    fn plan_for(files: &[(&str, &str)], choices: Choices) -> Result<BuildPlan> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        crate::generate(dir.path(), &choices).map(|g| g.plan)
    }

    const SHELL_START: &str =
        r#"{"name": "x", "scripts": {"start": "node migrate.js && node server.js"}}"#;

    #[test]
    fn single_commands_get_exec_and_lists_keep_the_shell() {
        assert_eq!(shell_exec("tsx src/index.ts"), "exec tsx src/index.ts");
        assert_eq!(
            shell_exec("node a.js && node b.js"),
            "node a.js && node b.js"
        );
        assert_eq!(shell_exec("FOO=$BAR node a.js"), "FOO=$BAR node a.js");
    }

    #[test]
    fn shell_start_scripts_run_under_sh_with_node_modules_bin_on_path() {
        let plan = plan_for(&[("package.json", SHELL_START)], Choices::default()).unwrap();
        assert_eq!(
            plan.entrypoint,
            vec!["/usr/bin/tini", "--", "/bin/sh", "-c"]
        );
        assert_eq!(plan.cmd, vec!["node migrate.js && node server.js"]);
        let path = plan.env.iter().find(|(k, _)| k == "PATH").unwrap();
        assert!(path.1.starts_with("/app/node_modules/.bin:"), "{path:?}");
    }

    #[test]
    fn distroless_refuses_a_start_script_that_needs_a_shell() {
        let choices = Choices {
            base: Some(Flavor::Distroless),
            ..Choices::default()
        };
        let err = plan_for(&[("package.json", SHELL_START)], choices)
            .unwrap_err()
            .to_string();
        assert!(err.contains("distroless"), "{err}");
        assert!(err.contains("--start"), "{err}");
    }

    #[test]
    fn distroless_runs_node_by_absolute_path_and_as_nonroot() {
        let choices = Choices {
            base: Some(Flavor::Distroless),
            start: Some(vec!["node".into(), "main.js".into()]),
            ..Choices::default()
        };
        let plan = plan_for(&[("package.json", r#"{"name": "x"}"#)], choices).unwrap();
        assert_eq!(
            plan.entrypoint,
            vec!["/usr/bin/tini", "--", DISTROLESS_NODE]
        );
        assert_eq!(plan.cmd, vec!["main.js"]);
        assert_eq!(plan.user.uid, 65532);
        match &plan.healthcheck {
            HealthCheck::Cmd { argv, .. } => assert_eq!(argv[0], DISTROLESS_NODE),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn distroless_needs_a_major_it_has_an_image_for() {
        let choices = Choices {
            base: Some(Flavor::Distroless),
            runtime_version: Some("18".into()),
            ..Choices::default()
        };
        let files = [
            ("package.json", r#"{"name": "x", "main": "a.js"}"#),
            ("a.js", ""),
        ];
        let err = plan_for(&files, choices).unwrap_err().to_string();
        assert!(err.contains("no distroless image for Node 18"), "{err}");
    }

    #[test]
    fn scratch_is_refused() {
        let choices = Choices {
            base: Some(Flavor::Scratch),
            ..Choices::default()
        };
        let files = [("package.json", r#"{"name": "x"}"#), ("index.js", "")];
        let err = plan_for(&files, choices).unwrap_err().to_string();
        assert!(err.contains("--base scratch"), "{err}");
    }

    #[test]
    fn old_node_health_checks_use_http_get_instead_of_fetch() {
        let choices = Choices {
            runtime_version: Some("16".into()),
            ..Choices::default()
        };
        let files = [
            ("package.json", r#"{"name": "x"}"#),
            ("index.js", "require('http').createServer(h).listen(3000)"),
        ];
        let plan = plan_for(&files, choices).unwrap();
        match &plan.healthcheck {
            HealthCheck::Cmd { argv, .. } => assert!(argv[2].contains("require('http')")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_project_without_a_start_command_asks_for_one() {
        let err = plan_for(
            &[("package.json", r#"{"name": "lib"}"#)],
            Choices::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no start command"), "{err}");
        assert!(err.contains("--start"), "{err}");
    }

    #[test]
    fn node_25_and_later_get_corepack_from_npm() {
        let choices = Choices {
            runtime_version: Some("25".into()),
            ..Choices::default()
        };
        let files = [
            ("package.json", r#"{"name": "x", "main": "a.js"}"#),
            ("yarn.lock", "# yarn lockfile v1\n"),
            ("a.js", ""),
        ];
        let plan = plan_for(&files, choices).unwrap();
        let setup = plan.vars["setup"].to_string();
        assert!(
            setup.contains(r#"["npm","install","--global","corepack"]"#),
            "{setup}"
        );
        assert!(setup.contains("yarn@1"), "{setup}");
    }

    #[test]
    fn package_manager_override_changes_the_install() {
        let choices = Choices {
            package_manager: Some("pnpm".into()),
            ..Choices::default()
        };
        let files = [
            ("package.json", r#"{"name": "x", "main": "a.js"}"#),
            ("package-lock.json", "{}"),
            ("a.js", ""),
        ];
        let plan = plan_for(&files, choices.clone()).unwrap();
        let prod = plan.vars["prod_install"].to_string();
        assert!(!plan.vars["base_env"].to_string().contains("STRICT"));
        let fielded = [
            (
                "package.json",
                r#"{"name": "x", "main": "a.js", "packageManager": "yarn@4.5.3"}"#,
            ),
            ("a.js", ""),
        ];
        let overridden = plan_for(&fielded, choices).unwrap();
        assert!(
            overridden.vars["base_env"]
                .to_string()
                .contains("package_manager_strict"),
            "{}",
            overridden.vars["base_env"]
        );
        assert!(prod.contains("pnpm"), "{prod}");
        assert!(!prod.contains("frozen"), "no pnpm lockfile: {prod}");
    }
}
