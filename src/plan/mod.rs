//! Planning: turns detected facts plus the user's choices into a [`BuildPlan`], the plain data a
//! template renders. Every decision (base image and tag, stages, cache mounts, user, health check,
//! entrypoint) is made here in Rust where it can be tested; templates only lay the text out.

pub mod stage;

use serde::Serialize;

use crate::detect::{EcosystemRef, Project};
use crate::error::{Error, Result};
use crate::safe;

/// Runtime image flavour the user can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    /// Debian slim: glibc, a shell and apt for debugging; the safe default.
    Slim,
    /// Alpine: smallest with a shell, but musl libc (native modules and wheels may differ).
    Alpine,
    /// Distroless: no shell or package manager; smallest attack surface, harder to debug.
    Distroless,
    /// Scratch: an empty image holding only a static binary (and CA certificates); for ecosystems
    /// that build fully static binaries (Go). Others reject it.
    Scratch,
}

impl Flavor {
    pub fn id(self) -> &'static str {
        match self {
            Flavor::Slim => "slim",
            Flavor::Alpine => "alpine",
            Flavor::Distroless => "distroless",
            Flavor::Scratch => "scratch",
        }
    }

    pub fn parse(s: &str) -> Option<Flavor> {
        [
            Flavor::Slim,
            Flavor::Alpine,
            Flavor::Distroless,
            Flavor::Scratch,
        ]
        .into_iter()
        .find(|f| f.id() == s)
    }
}

/// What the user chose, from flags or the wizard. `None` means "use what was detected".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Choices {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecosystem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_manager: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Flavor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_healthcheck: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Also write (and track) a `compose.yaml` next to the Dockerfile.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub compose: bool,
    /// Also write (and track) a CI workflow for this provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<crate::ci::CiProvider>,
}

/// A `ARG NAME=value` at the top of the Dockerfile, used to pin base-image tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
}

/// The non-root user the final stage runs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuntimeUser {
    pub uid: u32,
    pub gid: u32,
    /// The shell command that creates the user, when the image does not already have it.
    pub create: Option<String>,
}

impl RuntimeUser {
    /// A user created with `useradd` (Debian-based images).
    pub fn debian(uid: u32) -> Self {
        RuntimeUser {
            uid,
            gid: uid,
            create: Some(format!(
                "groupadd --system --gid {uid} app && useradd --system --no-log-init -l --uid {uid} --gid app --home-dir /nonexistent --shell /usr/sbin/nologin app"
            )),
        }
    }

    /// A user created with busybox `adduser` (Alpine images).
    pub fn alpine(uid: u32) -> Self {
        RuntimeUser {
            uid,
            gid: uid,
            create: Some(format!(
                "addgroup -S -g {uid} app && adduser -S -D -H -u {uid} -G app -s /sbin/nologin app"
            )),
        }
    }

    /// A user the base image already has (distroless `nonroot` = 65532, node images' `node` = 1000).
    pub fn existing(uid: u32) -> Self {
        RuntimeUser {
            uid,
            gid: uid,
            create: None,
        }
    }
}

/// The final stage's health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum HealthCheck {
    /// `HEALTHCHECK CMD [...]` in exec form, using only what the runtime image contains.
    /// `path` is the HTTP path the probe requests (for the wizard and messages).
    Cmd {
        argv: Vec<String>,
        comment: String,
        path: String,
    },
    /// `HEALTHCHECK NONE`, with the reason written next to it.
    None { reason: String },
}

/// Tag of the static busybox image that shell-less runtimes (distroless, scratch) borrow `wget`
/// from for their health check (`busybox:${BUSYBOX_VERSION}-musl`).
pub const BUSYBOX_VERSION: &str = "1.37";

impl HealthCheck {
    /// `HEALTHCHECK NONE` because the user passed `--no-healthcheck`.
    pub fn disabled() -> HealthCheck {
        HealthCheck::None {
            reason: "Health check disabled with --no-healthcheck.".into(),
        }
    }

    /// An HTTP probe for images without a shell or curl: busybox's static `wget`, copied to
    /// `/busybox` from a `busybox:${BUSYBOX_VERSION}-musl` stage, requests `path` on `port`.
    pub fn busybox_wget(port: u16, path: &str) -> HealthCheck {
        let url = format!("http://127.0.0.1:{port}{path}");
        HealthCheck::Cmd {
            argv: ["/busybox", "wget", "-q", "-O", "/dev/null", url.as_str()]
                .map(String::from)
                .to_vec(),
            comment: format!(
                "No shell or curl in this image: a static busybox wget (from the busybox stage) requests {path}."
            ),
            path: path.to_string(),
        }
    }
}

/// What a compiled program headed for a shell-less runtime (distroless, scratch) tells the planner.
pub struct ShelllessProgram<'a> {
    /// The binary's name, for messages.
    pub name: &'a str,
    /// Whether it serves HTTP (a framework, a listen address).
    pub serves_http: bool,
    /// A health route found in the source, used unless the user chose one.
    pub health_path: Option<&'a str>,
    /// The detected port is a default, not something the source said.
    pub port_assumed: bool,
    /// The build arg that pins the toolchain image (`RUST_VERSION`, `GO_VERSION`).
    pub version_arg: &'a str,
    /// The program reads the `PORT` environment variable (so the image sets it).
    pub reads_port_env: bool,
    /// Context paths the build reads besides the whole context (kept by `.dockerignore`).
    pub copies: &'a [String],
}

/// Port, health check and pinned base-image args for a program on a shell-less runtime.
pub struct ShelllessPlan {
    pub port: Option<u16>,
    pub healthcheck: HealthCheck,
    /// The toolchain version arg, plus `BUSYBOX_VERSION` when the health check borrows busybox.
    pub args: Vec<BuildArg>,
    /// Whether the Dockerfile needs the busybox stage.
    pub busybox: bool,
    pub notes: Vec<String>,
    /// `PORT=<port>` for a program that reads it.
    pub port_env: Option<(String, String)>,
    /// The user's start command, else the binary installed at `/usr/local/bin/<name>`.
    pub entrypoint: Vec<String>,
    /// The whole context plus the program's extra copies.
    pub copies: Vec<String>,
}

/// Plans the parts every compiled program on a shell-less runtime shares: busybox's static wget
/// probes it when it serves HTTP on a known port, else `HEALTHCHECK NONE` says why.
pub fn plan_shellless(
    project: &Project,
    choices: &Choices,
    program: &ShelllessProgram,
) -> Result<ShelllessPlan> {
    let version = chosen_version(project, choices, "")?;
    let port = chosen_port(project, choices);
    let serves_http = program.serves_http || choices.port.is_some();
    let mut notes = Vec::new();
    let healthcheck = match port {
        _ if choices.no_healthcheck => HealthCheck::disabled(),
        Some(p) if serves_http => {
            let path = chosen_health_path(choices, program.health_path.unwrap_or("/"))?;
            if program.port_assumed && choices.port.is_none() {
                notes.push(format!(
                    "no listen port found in {}'s source; assumed {p}. Pass --port if the server listens elsewhere",
                    program.name
                ));
            }
            HealthCheck::busybox_wget(p, &path)
        }
        _ => HealthCheck::None {
            reason: format!(
                "{} serves nothing over HTTP (no web framework or listen address found), so there is nothing to probe.",
                program.name
            ),
        },
    };
    let busybox = matches!(healthcheck, HealthCheck::Cmd { .. });
    let mut args = vec![BuildArg {
        name: program.version_arg.to_string(),
        value: version,
    }];
    if busybox {
        args.push(busybox_arg());
    }
    let port_env = port
        .filter(|_| program.reads_port_env)
        .map(|p| ("PORT".to_string(), p.to_string()));
    let entrypoint = match &choices.start {
        Some(start) => start.clone(),
        None => vec![format!("/usr/local/bin/{}", program.name)],
    };
    let copies = std::iter::once(".".to_string())
        .chain(program.copies.iter().cloned())
        .collect();
    Ok(ShelllessPlan {
        port,
        healthcheck,
        args,
        busybox,
        notes,
        port_env,
        entrypoint,
        copies,
    })
}

/// A BuildKit secret the Dockerfile mounts (`RUN --mount=type=secret,id=...`): what a build, local
/// or in CI, may pass. Without it the mount is simply absent and the build works as usual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildSecret {
    /// The secret's id, as in `docker build --secret id=npmrc,...`.
    pub id: String,
    /// The file a developer passes on their machine (`$HOME/.npmrc`).
    pub local_file: String,
}

impl BuildSecret {
    pub fn new(id: &str, local_file: &str) -> Self {
        BuildSecret {
            id: id.to_string(),
            local_file: local_file.to_string(),
        }
    }
}

/// Everything a template needs to write one Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct BuildPlan {
    pub ecosystem: EcosystemRef,
    /// The project path relative to the build context (`"."` for the root).
    pub project_path: String,
    pub args: Vec<BuildArg>,
    pub labels: Vec<(String, String)>,
    pub user: RuntimeUser,
    pub port: Option<u16>,
    pub healthcheck: HealthCheck,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// Runtime `ENV` of the final stage.
    pub env: Vec<(String, String)>,
    /// Ecosystem-specific data for its own template.
    pub vars: serde_json::Value,
    /// Paths in the build context the Dockerfile copies or bind-mounts; `.dockerignore` must keep them.
    pub copies: Vec<String>,
    /// `.dockerignore` entries this plan adds to the ecosystem's defaults.
    pub ignore: Vec<String>,
    /// Things the user should know (printed, never written into the Dockerfile).
    pub notes: Vec<String>,
    /// The BuildKit secrets the Dockerfile mounts (CI passes the same ones).
    pub secrets: Vec<BuildSecret>,
    /// The choices this plan was made with (what the wizard or flags changed).
    #[serde(skip)]
    pub choices: Choices,
}

/// Plans the Dockerfile for one detected project.
pub fn plan(project: &Project, choices: &Choices) -> Result<BuildPlan> {
    if let Some(start) = &choices.start {
        if start.is_empty() {
            return Err(Error::Usage("--start: the command is empty".into()));
        }
    }
    if let (None, Some(p)) = (choices.port, project.port) {
        // A detected port goes through the same check as --port, and names where it was found.
        crate::validate::port(p).map_err(|e| {
            let file = project
                .evidence
                .iter()
                .find(|ev| ev.fact.contains("port") || ev.fact.contains("listens"))
                .map_or_else(|| project.path.clone(), |ev| ev.file.clone());
            crate::error::Error::input(
                crate::error::Location::file(file),
                format!("detected port {p}: {e}; pass --port"),
            )
        })?;
    }
    let mut plan = project.ecosystem.plan(project, choices)?;
    plan.choices = choices.clone();
    safe::check_plan(&plan, &plan.copies)?;
    Ok(plan)
}

/// OCI labels every image gets.
pub fn standard_labels(project: &Project) -> Vec<(String, String)> {
    vec![
        (
            "org.opencontainers.image.title".to_string(),
            safe::label_value(&project.name),
        ),
        (
            "org.opencontainers.image.description".to_string(),
            format!("{} service built by dockgen", project.ecosystem),
        ),
    ]
}

/// The runtime version: `--runtime-version`, else detection's, else the ecosystem's `default`;
/// checked as an image tag part.
pub fn chosen_version(project: &Project, choices: &Choices, default: &str) -> Result<String> {
    safe::version(
        choices
            .runtime_version
            .as_deref()
            .or(project.runtime_version.as_deref())
            .unwrap_or(default),
    )
}

/// `ARG BUSYBOX_VERSION`, for a Dockerfile with the busybox probe stage.
pub fn busybox_arg() -> BuildArg {
    BuildArg {
        name: "BUSYBOX_VERSION".into(),
        value: BUSYBOX_VERSION.into(),
    }
}

/// The port to expose: the user's choice, else detection's.
pub fn chosen_port(project: &Project, choices: &Choices) -> Option<u16> {
    choices.port.or(project.port)
}

/// The health-check path: the user's choice, else the ecosystem's guess.
pub fn chosen_health_path(choices: &Choices, detected: &str) -> Result<String> {
    let path = choices.health_path.as_deref().unwrap_or(detected);
    safe::url_path(path)
}
