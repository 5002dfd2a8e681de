//! Plans the Dockerfile of a Node project.
//!
//! Stages: `base` (the Node image, plus corepack or bun), `deps` (every dependency, for the build),
//! `build` (the project's build script), `prod-deps` (production dependencies only, from the same
//! lockfile; for a pnpm workspace member `deploy` does this with `pnpm deploy`), and the runtime,
//! which gets production dependencies and the built app and nothing else. Every decision is made
//! here; `templates/node.Dockerfile.tera` lays the text out.

use serde::Serialize;

use super::detect::{NodeDetails, PackageManager, Start, Workspace};
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::{
    BuildArg, BuildPlan, Choices, Flavor, HealthCheck, ManifestStage, RuntimeUser,
    chosen_health_path, chosen_port, standard_labels,
};
use crate::rules::Rules;
use crate::safe;

/// Where the runtime's `node` binary lives in each flavour of image.
const DISTROLESS_NODE: &str = "/nodejs/bin/node";
/// Where the static-file server is installed (its own npm prefix, copied whole).
const SERVE_PREFIX: &str = "/opt/serve";
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
    /// A workspace: every member's package.json comes from the `manifests` stage.
    manifest_stage: Option<ManifestStage>,
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
    /// After the build, drop Next.js's build cache (it is large and not needed to serve).
    drop_next_cache: Option<String>,
    /// The production-only install in its own stage.
    prod_install: Option<Vec<String>>,
    /// `pnpm deploy` of a workspace member (production dependencies, workspace packages included).
    deploy: Option<Vec<String>>,
    /// Remove this from the deploy output (copied separately with the right owner).
    deploy_drop: Option<String>,
    /// Install the static-file server.
    serve: bool,
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
    let mut args = vec![BuildArg {
        name: "NODE_VERSION".into(),
        value: version.clone(),
    }];
    let build_image = match flavor {
        Flavor::Alpine => "node:${NODE_VERSION}-alpine",
        _ => "node:${NODE_VERSION}-bookworm-slim",
    }
    .to_string();
    let runtime_image = if flavor == Flavor::Distroless {
        distroless_check(major)?;
        if version != major.to_string() {
            // One knob for both stages: distroless images are tagged by major only.
            notes.push(format!(
                "distroless Node images exist per major only: Node {version} becomes {major}"
            ));
            args[0].value = major.to_string();
        }
        "gcr.io/distroless/nodejs${NODE_VERSION}-debian12:nonroot".to_string()
    } else {
        build_image.clone()
    };
    let node_bin = if flavor == Flavor::Distroless {
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

    // ---- start command
    let start = match &choices.start {
        Some(argv) => Start::Exec {
            argv: argv
                .iter()
                .map(|a| safe::text(a, "--start argument"))
                .collect::<Result<_>>()?,
            env: Vec::new(),
        },
        None => d.start.clone(),
    };
    let port = chosen_port(project, choices).unwrap_or(3000);
    let mut env: Vec<(String, String)> = vec![("NODE_ENV".into(), "production".into())];
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
        Start::Static { dir } => (
            vec![node_bin.to_string()],
            vec![
                format!("{SERVE_PREFIX}/node_modules/serve/build/main.js"),
                "--single".into(),
                "--no-clipboard".into(),
                "--no-port-switching".into(),
                "--listen".into(),
                format!("tcp://0.0.0.0:{port}"),
                dir.clone(),
            ],
        ),
        Start::Unknown => {
            return Err(Error::Usage(format!(
                "{}: no start command found (no \"start\" script, \"main\" field, server.js or index.js).\n\
                 Add a start script, or pass --start \"node path/to/server.js\".",
                manifest_path(member)
            )));
        }
    };
    env.push(("PORT".into(), port.to_string()));
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
    let is_static = matches!(start, Start::Static { .. }) && choices.start.is_none();
    let pnpm_member = d.pm == PackageManager::Pnpm && ws.is_some();
    let build = build_commands(d, ws);
    let builds_anything = !build.is_empty();
    let next_app = framework == Some("nextjs") && !standalone;
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
    if is_static {
        workdir = "/app".to_string();
        runtime_copies.push(copy(
            Some("static-server"),
            SERVE_PREFIX,
            SERVE_PREFIX,
            false,
        ));
        if let Start::Static { dir } = &start {
            let out = safe::path(dir, "vite outDir")?;
            runtime_copies.push(copy(
                Some("build"),
                &format!("{app_dir}/{out}"),
                &format!("/app/{out}"),
                false,
            ));
        }
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
    if needs_build_stage || is_static || standalone || next_app {
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
    for (srcs, _) in &manifests {
        copies.extend(srcs.iter().cloned());
    }
    // A workspace's members come in through the `manifests` stage: one find, whatever their number.
    let manifest_stage = d.workspace_members.then(|| ManifestStage {
        image: build_image.clone(),
        names: vec!["package.json".into()],
        why: vec![
            "Node: pnpm fetch needs only the lockfile, but its offline install still needs every".into(),
            "package.json; turbo prune needs turbo first. This works the same for every package manager.".into(),
        ],
    });
    if manifest_stage.is_some() {
        copies.push(".".to_string());
    }

    // ---- health check
    let healthcheck = if choices.no_healthcheck {
        HealthCheck::None {
            reason: "Health check disabled with --no-healthcheck.".into(),
        }
    } else {
        let path = chosen_health_path(choices, "/")?;
        let url = format!("http://127.0.0.1:{port}{path}");
        let js = if major >= 18 || choices.runtime_version.is_none() && d.node_major >= 18 {
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
                "Node itself makes the request (no curl in this image); any answer below 500 from {path} means the server is up."
            ),
            path: path.to_string(),
        }
    };

    let mut base_env = Vec::new();
    let mut setup = Vec::new();
    let mut setup_mounts = Vec::new();
    // Node 25 images ship neither corepack nor yarn: corepack then comes from npm, and provides
    // yarn classic too.
    let no_bundled_corepack = major >= 25;
    if matches!(d.pm, PackageManager::Pnpm | PackageManager::YarnBerry)
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
    if d.pm == PackageManager::Bun {
        let bun_version = d
            .pm_version
            .clone()
            .filter(|_| d.pm_from_field)
            .unwrap_or_else(|| super::settings().bun_version.clone());
        args.push(BuildArg {
            name: "BUN_VERSION".into(),
            value: safe::version(&bun_version)?,
        });
        setup_mounts.push("type=cache,target=/root/.npm".into());
    }
    if is_static {
        args.push(BuildArg {
            name: "SERVE_VERSION".into(),
            value: safe::version(&super::settings().serve_version)?,
        });
    }

    let vars = NodeVars {
        pm: d.pm.label(),
        build_image,
        runtime_image,
        distroless: flavor == Flavor::Distroless,
        base_env,
        setup,
        setup_mounts,
        bun: d.pm == PackageManager::Bun,
        manifests,
        manifest_stage,
        mounts: pmc.mounts(),
        secret_hint: pmc.secret_hint(),
        install: (needs_build_stage || is_static || standalone || next_app).then(|| pmc.install()),
        build,
        drop_node_modules,
        drop_next_cache,
        prod_install,
        deploy,
        deploy_drop,
        serve: is_static,
        bun_runtime,
        workdir,
        copies: runtime_copies,
    };
    copies.sort();
    copies.dedup();

    let user = if flavor == Flavor::Distroless {
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
        port: Some(port),
        healthcheck,
        entrypoint,
        cmd,
        env,
        vars: serde_json::to_value(&vars).map_err(|e| Error::Internal(e.to_string()))?,
        copies,
        ignore: Vec::new(),
        notes,
        choices: choices.clone(),
    })
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

fn distroless_check(major: u32) -> Result<()> {
    let majors = &super::settings().distroless_majors;
    if majors.contains(&major) {
        Ok(())
    } else {
        let list: Vec<String> = majors.iter().map(|m| m.to_string()).collect();
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
fn build_commands(d: &NodeDetails, ws: Option<&Workspace>) -> Vec<Vec<String>> {
    let run = |extra: &[String]| -> Vec<String> {
        let mut c = vec![d.pm.name().to_string()];
        c.extend(extra.iter().cloned());
        c
    };
    let Some(w) = ws else {
        return if d.has_build {
            vec![run(&["run".into(), "build".into()])]
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
        assert_eq!(plan.entrypoint, vec!["/bin/sh", "-c"]);
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
        assert_eq!(plan.entrypoint, vec![DISTROLESS_NODE]);
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
        let files = [("package.json", r#"{"name": "x"}"#), ("index.js", "")];
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
                .contains("COREPACK_ENABLE_STRICT"),
            "{}",
            overridden.vars["base_env"]
        );
        assert!(prod.contains("pnpm"), "{prod}");
        assert!(!prod.contains("frozen"), "no pnpm lockfile: {prod}");
    }
}
