//! Plans the Dockerfile of a Python project.
//!
//! The shape is the same for every package manager: a build stage creates a virtualenv at
//! `/opt/venv`, installs the dependencies from the manifests and lockfile alone (bind-mounted, with
//! the manager's cache mounted), then copies the source and installs the project itself when it
//! has to be; the runtime stage gets only `/opt/venv` and `/app`. The venv lives outside `/app` so
//! copying the source can never clobber it, and a code change leaves the dependency layer cached.
//!
//! Build steps are data ([`Step`], shared by every ecosystem) with the comment that explains them;
//! the shared partial `templates/partials/steps.tera` lays them out.

use super::detect::{self, PipSource, PythonFacts, VersionSource};
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::stage::{Instr, Mount, Step};
use crate::plan::{
    BuildArg, BuildPlan, BuildSecret, Choices, Flavor, HealthCheck, RuntimeUser,
    chosen_health_path, standard_labels,
};
use crate::rules::Rules;
use crate::safe;

/// Where the virtualenv lives in both stages.
const VENV: &str = "/opt/venv";
/// Unprivileged user created in the slim and alpine runtime images.
const UID: u32 = 10001;
/// Distroless images' `nonroot` user.
const DISTROLESS_UID: u32 = 65532;
/// A tool or server installed with pip, pinned by a build argument.
struct Pinned {
    package: &'static str,
    arg: &'static str,
    version: String,
}

impl Pinned {
    fn spec(&self) -> String {
        format!("\"{}==${{{}}}\"", self.package, self.arg)
    }
}

pub fn plan(project: &Project, d: &PythonFacts, choices: &Choices) -> Result<BuildPlan> {
    let rules = super::rules();
    if let Some(pm) = &choices.package_manager {
        if !detect::managers().contains(&pm.as_str()) {
            return Err(Error::Usage(format!(
                "--package-manager {pm}: not a Python package manager (expected one of {})",
                detect::managers().join(", ")
            )));
        }
    }
    let manager = match (&d.manager, &d.ambiguity) {
        (Some(m), _) => m.clone(),
        (None, Some(a)) => {
            return Err(Error::Ambiguous {
                message: a.message.clone(),
                flag: "--package-manager",
                candidates: a.candidates.clone(),
            });
        }
        (None, None) => {
            return Err(Error::Internal(
                "python project without a package manager".into(),
            ));
        }
    };
    let flavor = choices.base.unwrap_or(Flavor::Slim);
    if flavor == Flavor::Scratch {
        return Err(Error::Usage(
            "--base scratch: a Python app needs its interpreter and standard library, which an empty \
             image does not have. Use --base slim, alpine or distroless."
                .into(),
        ));
    }
    let version = runtime_version(project, d, choices, flavor, rules)?;

    // How the app starts.
    let port = choices.port.or(project.port);
    let argv = start_argv(project, d, choices, port)?;
    let program = argv.first().cloned().unwrap_or_default();

    // Servers the framework needs but the project does not declare.
    let mut notes = Vec::new();
    let servers = missing_servers(d, &program, &mut notes);

    // Whether the project itself is installed into the venv.
    let needs_install = d.scripts.contains(&program);
    let pip_source = effective_pip_source(d, &version);
    let install_project = match manager.as_str() {
        "uv" => false, // uv's second sync installs it when it is a package
        "pip" => match pip_source {
            PipSource::Requirements => needs_install,
            PipSource::Pyproject => d.installable || needs_install,
            PipSource::Package => false, // installed together with its dependencies
        },
        _ => needs_install,
    };
    let installed = install_project
        || (manager == "uv" && d.installable)
        || (manager == "pip" && pip_source == PipSource::Package);

    let BuildStage {
        steps,
        copies,
        args,
        stage_args,
    } = build_stage(
        d,
        &Install {
            manager: &manager,
            pip_source,
            project: install_project,
            for_script: needs_install,
            servers: &servers,
        },
        flavor,
        &version,
    )?;

    // Runtime stage.
    let (build_image, runtime_image, user) = images(flavor);

    // The runtime stage's environment is written by the template next to the comment that
    // explains it (fixed values only), so the shared ENV block of the final partial stays empty.
    let mut runtime_env = vec![
        format!("VIRTUAL_ENV={VENV}"),
        format!("PATH=\"{VENV}/bin:$PATH\""),
        "PYTHONDONTWRITEBYTECODE=1".to_string(),
        "PYTHONUNBUFFERED=1".to_string(),
    ];
    if d.src_layout && !installed {
        runtime_env.push("PYTHONPATH=/app/src".into());
    }

    let serves_http = d.serves_http
        || choices.port.is_some()
        || matches!(program.as_str(), "gunicorn" | "uvicorn");
    let port = if serves_http {
        port.or(rules.default_port)
    } else {
        None
    };
    let healthcheck = healthcheck(d, choices, port)?;

    if manager != "pip" && !d.locked {
        notes.push(format!(
            "no lockfile for {manager}: versions are resolved when the image builds; commit the lockfile for reproducible images"
        ));
    }
    if project.framework.as_deref() == Some("django") {
        notes.push(
            "Django: static files are not collected at build time; add `RUN python manage.py collectstatic --noinput` \
             after the source is copied if the app serves them (e.g. with WhiteNoise). /app is read-only for the \
             app user, so keep SQLite databases and uploaded media on a volume"
                .into(),
        );
    }

    let mounts_netrc = |s: &Step| {
        matches!(&s.instr, Instr::Run { mounts, .. }
            if mounts.iter().any(|m| matches!(m, Mount::Secret { id, .. } if id == "netrc")))
    };
    let secrets = if steps.iter().any(mounts_netrc) {
        vec![BuildSecret::new("netrc", "$HOME/.netrc")]
    } else {
        Vec::new()
    };
    let vars = serde_json::json!({
        "flavor": flavor.id(),
        "build_image": build_image,
        "runtime_image": runtime_image,
        "stage_args": stage_args,
        "steps": steps,
        "musl": flavor == Flavor::Alpine,
        "distroless": flavor == Flavor::Distroless,
        "venv": VENV,
        "runtime_env": runtime_env,
        "src_path": d.src_layout && !installed,
    });

    Ok(BuildPlan {
        ecosystem: super::ECOSYSTEM,
        project_path: project.path.clone(),
        args,
        labels: standard_labels(project),
        user,
        port,
        healthcheck,
        entrypoint: argv[..1].to_vec(),
        cmd: argv[1..].to_vec(),
        env: Vec::new(),
        vars,
        copies,
        ignore: Vec::new(),
        notes,
        secrets,
        choices: choices.clone(),
    })
}

/// The start command: `--start`, else what detection found.
fn start_argv(
    project: &Project,
    d: &PythonFacts,
    choices: &Choices,
    port: Option<u16>,
) -> Result<Vec<String>> {
    Ok(match (&choices.start, &d.start) {
        (Some(start), _) => start
            .iter()
            .map(|w| safe::text(w, "--start word"))
            .collect::<Result<Vec<_>>>()?,
        (None, Some(start)) => start.argv(port),
        (None, None) => {
            return Err(Error::Usage(format!(
                "{}: could not tell how this Python project starts.\n\
                 Looked for a Django, FastAPI or Flask application, main.py, app.py, a package with \
                 __main__.py and [project.scripts]. Pass --start, e.g. --start \"python worker.py\".",
                project.path
            )));
        }
    })
}

/// Servers the framework needs but the project does not declare, each with a note.
fn missing_servers(d: &PythonFacts, program: &str, notes: &mut Vec<String>) -> Vec<Pinned> {
    let mut servers = Vec::new();
    let has = |n: &str| d.dependencies.contains(n);
    if program == "gunicorn" && !has("gunicorn") {
        servers.push(pinned(
            "gunicorn",
            "GUNICORN_VERSION",
            &super::settings().gunicorn_version,
        ));
    }
    if program == "uvicorn" && !(has("uvicorn") || has("fastapi[standard]") || has("fastapi[all]"))
    {
        servers.push(pinned(
            "uvicorn",
            "UVICORN_VERSION",
            &super::settings().uvicorn_version,
        ));
    }
    for s in &servers {
        notes.push(format!(
            "{} is not among the project's dependencies; the Dockerfile installs {}=={} (build arg {}). \
             Add it to your dependencies to manage its version there.",
            s.package, s.package, s.version, s.arg
        ));
    }
    servers
}

/// What the build stage installs.
struct Install<'a> {
    manager: &'a str,
    pip_source: PipSource,
    /// The project itself goes into the venv (after its dependencies).
    project: bool,
    /// ... because the start command is one of its console scripts.
    for_script: bool,
    servers: &'a [Pinned],
}

/// The build stage as planned.
struct BuildStage {
    steps: Vec<Step>,
    /// Context paths the steps read.
    copies: Vec<String>,
    /// Pinned build args, the Python version first.
    args: Vec<BuildArg>,
    /// Names of the args the stage reads.
    stage_args: Vec<String>,
}

/// The build stage: what it installs, in cache-friendly order.
fn build_stage(
    d: &PythonFacts,
    install: &Install,
    flavor: Flavor,
    version: &str,
) -> Result<BuildStage> {
    let (manager, pip_source, servers) = (install.manager, install.pip_source, install.servers);
    let (install_project, needs_install) = (install.project, install.for_script);
    let mut copies: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    let mut args = vec![BuildArg {
        name: "PYTHON_VERSION".into(),
        value: version.to_string(),
    }];
    let tools = tools(manager);
    let mut stage_args: Vec<String> = Vec::new();
    for t in tools.iter().chain(servers) {
        args.push(BuildArg {
            name: t.arg.into(),
            value: t.version.clone(),
        });
        stage_args.push(t.arg.into());
    }
    steps.push(build_env(manager));
    if !tools.is_empty() {
        let names: Vec<&str> = tools.iter().map(|t| t.package).collect();
        steps.push(Step::run(
            &[&format!(
                "{}, pinned by build argument{}, installed outside the app's virtualenv.",
                names.join(" and "),
                if names.len() == 1 { "" } else { "s" }
            )],
            vec![cache("/root/.cache/pip")],
            vec![format!(
                "python -m pip install {}",
                tools.iter().map(Pinned::spec).collect::<Vec<_>>().join(" ")
            )],
        ));
    }
    steps.push(Step::new(
        &[
            "From here on `python` is the virtualenv's. The venv gets no pip of its own (about 25 MB",
            "the app never runs): `pip` is the image's, and PIP_PYTHON (pip 22.3+) installs into the venv.",
        ],
        Instr::Env {
            vars: vec![
                format!("VIRTUAL_ENV={VENV}"),
                format!("PATH=\"{VENV}/bin:$PATH\""),
                format!("PIP_PYTHON={VENV}/bin/python"),
            ],
        },
    ));

    let source_first = d.local_dependency.is_some();
    if let Some(local) = &d.local_dependency {
        steps.push(copy_source(&[
            &format!("{local} installs from a local path, so the dependencies need the source:"),
            "it is copied first, and a code change reinstalls them (from the cache).",
        ]));
    }
    let deps = dependency_install(d, manager, pip_source, servers);
    let downloads = deps.commands.len() > 1 || deps.from.is_some();
    let mut mounts: Vec<Mount> = if downloads {
        deps.caches.iter().map(|c| cache(c)).collect()
    } else {
        Vec::new()
    };
    if !source_first {
        for f in &deps.files {
            let f = safe::path(f, "manifest")?;
            mounts.push(Mount::bind(f.clone()));
            copies.push(f);
        }
    }
    if downloads {
        mounts.push(netrc());
    }
    let mut comment = match &deps.from {
        Some(files) => vec![
            format!("Dependencies first, from {files} only, so editing the code does not"),
            "reinstall them. For a private index, put its credentials in a netrc file and build"
                .to_string(),
            "with `--secret id=netrc,src=$HOME/.netrc`; without the secret the build works as usual."
                .to_string(),
        ],
        None => vec!["The virtualenv.".to_string()],
    };
    comment.extend(deps.comment);
    comment.extend(servers.iter().map(|s| {
        format!(
            "{} is not among the project's dependencies: added here, pinned by {}.",
            s.package, s.arg
        )
    }));
    steps.push(Step {
        comment,
        instr: Instr::Run {
            mounts,
            commands: deps.commands,
        },
        joined: false,
    });
    if !source_first {
        steps.push(copy_source(&deps.source_comment));
    }
    steps.extend(deps.after_source);
    if install_project {
        steps.push(Step::run(
            &[if needs_install {
                "The project itself, for its console script (the start command); its dependencies are installed above."
            } else {
                "The project itself; its dependencies are installed above."
            }],
            vec![cache("/root/.cache/pip"), netrc()],
            vec!["pip install --no-deps .".into()],
        ));
    }
    if flavor == Flavor::Distroless {
        steps.push(Step::run(
            &[
                "Distroless runs Debian's own Python 3.11 from /usr/bin, not /usr/local/bin: point",
                "the virtualenv at it (the last step here, since it breaks the venv in this stage).",
            ],
            vec![],
            vec![
                format!("sed -i 's#^home = .*#home = /usr/bin#' {VENV}/pyvenv.cfg"),
                format!("ln -sf /usr/bin/python3.11 {VENV}/bin/python"),
                format!("ln -sf /usr/bin/python3.11 {VENV}/bin/python3"),
                format!("ln -sf /usr/bin/python3.11 {VENV}/bin/python3.11"),
            ],
        ));
    }
    copies.insert(0, ".".into());
    Ok(BuildStage {
        steps,
        copies,
        args,
        stage_args,
    })
}

/// The build image, the runtime image and its user for a flavour.
fn images(flavor: Flavor) -> (String, String, RuntimeUser) {
    let settings = super::settings();
    let image = &settings.image;
    match flavor {
        Flavor::Slim => {
            let tag = format!("{image}:${{PYTHON_VERSION}}-{}", settings.slim_suffix);
            (tag.clone(), tag, RuntimeUser::debian(UID))
        }
        Flavor::Alpine => {
            let tag = format!("{image}:${{PYTHON_VERSION}}-{}", settings.alpine_suffix);
            (tag.clone(), tag, RuntimeUser::alpine(UID))
        }
        Flavor::Distroless | Flavor::Scratch => (
            format!("{image}:${{PYTHON_VERSION}}-{}", settings.slim_suffix),
            settings.distroless_image.clone(),
            RuntimeUser::existing(DISTROLESS_UID),
        ),
    }
}

/// The dependency step of one package manager: what it reads, caches and runs.
struct DependencyInstall {
    /// Manifests and lockfile, bind-mounted (described in the comment as `from`).
    files: Vec<String>,
    from: Option<String>,
    caches: Vec<&'static str>,
    commands: Vec<String>,
    comment: Vec<String>,
    /// Comment above `COPY . .`.
    source_comment: Vec<&'static str>,
    /// Steps that need the source.
    after_source: Vec<Step>,
}

fn dependency_install(
    d: &PythonFacts,
    manager: &str,
    pip_source: PipSource,
    servers: &[Pinned],
) -> DependencyInstall {
    let venv = format!("python -m venv --without-pip {VENV}");
    let locked = d.locked;
    let lockfile = match manager {
        "uv" => "uv.lock",
        "poetry" => "poetry.lock",
        "pdm" => "pdm.lock",
        "pipenv" => "Pipfile.lock",
        _ => "",
    };
    let mut files: Vec<String> = match manager {
        "pipenv" => vec!["Pipfile".into()],
        "pip" if pip_source == PipSource::Requirements => d.requirements_files.clone(),
        "pip" if pip_source == PipSource::Package => vec![],
        _ => vec!["pyproject.toml".into()],
    };
    if locked && !lockfile.is_empty() {
        files.push(lockfile.into());
    }
    let from = match files.len() {
        0 => None,
        1 | 2 => Some(files.join(" and ")),
        _ => Some("the requirements files".to_string()),
    };
    let mut out = DependencyInstall {
        files,
        from,
        caches: vec!["/root/.cache/pip"],
        commands: vec![venv],
        comment: vec![],
        source_comment: vec!["Then the source."],
        after_source: vec![],
    };
    let unlocked_note = |tool: &str| {
        format!(
            "There is no {lockfile}: {tool} resolves the versions now (commit one for reproducible builds)."
        )
    };
    match manager {
        "uv" => {
            let flag = if locked { " --locked" } else { "" };
            out.caches = vec!["/root/.cache/uv"];
            out.commands = vec![format!("uv sync{flag} --no-install-project --no-dev")];
            out.comment.push(if locked {
                "--locked stops the build when uv.lock is out of date.".into()
            } else {
                unlocked_note("uv")
            });
            // A virtual project (no build backend, or `package = false`) has nothing more to install.
            if d.installable {
                let inexact = if servers.is_empty() { "" } else { " --inexact" };
                out.after_source.push(Step::run(
                    &[
                        "The project itself, non-editable so the venv does not point back into /app",
                        if servers.is_empty() {
                            "(the runtime stage copies only the venv and the app)."
                        } else {
                            "(--inexact keeps the server added above)."
                        },
                    ],
                    vec![cache("/root/.cache/uv"), netrc()],
                    vec![format!("uv sync{flag} --no-dev --no-editable{inexact}")],
                ));
            }
        }
        "poetry" | "pdm" => {
            let hashes = !d.unhashed_sources;
            if manager == "poetry" {
                if !locked {
                    out.commands.push("poetry lock".into());
                }
                out.commands.push(format!(
                    "poetry export --only main --format requirements.txt{} --output /tmp/requirements.txt",
                    if hashes { "" } else { " --without-hashes" }
                ));
            } else {
                out.commands.push(
                    if locked {
                        "pdm lock --check"
                    } else {
                        "pdm lock"
                    }
                    .into(),
                );
                out.commands.push(format!(
                    "pdm export --prod{} --output /tmp/requirements.txt",
                    if hashes { "" } else { " --no-hashes" }
                ));
            }
            out.commands
                .push("pip install --no-deps -r /tmp/requirements.txt".into());
            let tool = if manager == "poetry" { "Poetry" } else { "PDM" };
            out.comment.push(format!(
                "{tool} only exports the lockfile (and fails if it is out of date); pip installs"
            ));
            out.comment.push(if hashes {
                "that hash-pinned list, so pip's cache is the one kept between builds.".into()
            } else {
                "that list (without hashes: the lockfile has git or URL packages, which have none)."
                    .into()
            });
            if !locked {
                out.comment.push(unlocked_note(tool));
            }
        }
        "pipenv" => {
            out.caches.push("/root/.cache/pipenv");
            out.commands.push(
                if locked {
                    "pipenv install --deploy"
                } else {
                    "pipenv install"
                }
                .into(),
            );
            out.comment
                .push("pipenv installs into the active virtualenv (VIRTUAL_ENV above);".into());
            out.comment.push(if locked {
                "--deploy stops the build when Pipfile.lock is out of date.".into()
            } else {
                unlocked_note("pipenv")
            });
        }
        _ => match pip_source {
            PipSource::Requirements => {
                out.commands.push("pip install -r requirements.txt".into());
            }
            PipSource::Pyproject => {
                out.commands.push(
                    r#"python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"].get("dependencies", [])))' > /tmp/requirements.txt"#
                        .into(),
                );
                out.commands
                    .push("pip install -r /tmp/requirements.txt".into());
                out.comment.push(
                    "There is no lockfile: the [project] dependencies are read with tomllib and resolved now."
                        .into(),
                );
            }
            PipSource::Package => {
                out.source_comment = vec![
                    "Only the package build knows the dependencies (setup.py, dynamic metadata, or",
                    "Python older than 3.11 without tomllib), so they are installed with the project,",
                    "after the source: a code change reinstalls them (from the cache).",
                ];
                out.after_source.push(Step::run(
                    &["The project and its dependencies."],
                    vec![cache("/root/.cache/pip"), netrc()],
                    vec!["pip install .".into()],
                ));
            }
        },
    }
    for s in servers {
        let installer = if manager == "uv" {
            "uv pip install"
        } else {
            "pip install"
        };
        out.commands.push(format!("{installer} {}", s.spec()));
    }
    out
}

fn cache(target: &str) -> Mount {
    Mount::cache(target)
}

/// The netrc secret mount offered to every step that downloads packages (a private index).
fn netrc() -> Mount {
    Mount::secret("netrc", "/root/.netrc")
}

fn copy_source(comment: &[&str]) -> Step {
    Step::copy(comment, &[".", "."])
}

/// Environment of the build stage: pip's noise off, and the manager's own settings.
fn build_env(manager: &str) -> Step {
    let mut comment = vec![
        "pip without the upgrade nag or the root warning (this stage is thrown away).".to_string(),
    ];
    let mut lines = vec![
        "PIP_DISABLE_PIP_VERSION_CHECK=1".to_string(),
        "PIP_ROOT_USER_ACTION=ignore".to_string(),
    ];
    match manager {
        "uv" => {
            comment.push(
                "uv: compile .pyc now (the runtime user cannot write them), copy from the cache mount"
                    .into(),
            );
            comment.push(
                "instead of hard-linking, use the image's Python, and sync into /opt/venv.".into(),
            );
            lines.extend(
                [
                    "UV_COMPILE_BYTECODE=1",
                    "UV_LINK_MODE=copy",
                    "UV_PYTHON_DOWNLOADS=never",
                    "UV_PROJECT_ENVIRONMENT=/opt/venv",
                ]
                .map(String::from),
            );
        }
        "poetry" => {
            comment.push("Poetry never asks questions in a build.".into());
            lines.push("POETRY_NO_INTERACTION=1".into());
        }
        "pdm" => {
            comment.push("PDM does not look for its own updates in a build.".into());
            lines.push("PDM_CHECK_UPDATE=false".into());
        }
        "pipenv" => {
            comment.push("pipenv: no notice about using the active virtualenv.".into());
            lines.push("PIPENV_VERBOSITY=-1".into());
        }
        _ => {}
    }
    Step {
        comment,
        instr: Instr::Env { vars: lines },
        joined: false,
    }
}

fn tools(manager: &str) -> Vec<Pinned> {
    let s = super::settings();
    match manager {
        "uv" => vec![pinned("uv", "UV_VERSION", &s.uv_version)],
        "poetry" => vec![
            pinned("poetry", "POETRY_VERSION", &s.poetry_version),
            pinned(
                "poetry-plugin-export",
                "POETRY_PLUGIN_EXPORT_VERSION",
                &s.poetry_plugin_export_version,
            ),
        ],
        "pdm" => vec![pinned("pdm", "PDM_VERSION", &s.pdm_version)],
        "pipenv" => vec![pinned("pipenv", "PIPENV_VERSION", &s.pipenv_version)],
        _ => vec![],
    }
}

fn pinned(package: &'static str, arg: &'static str, version: &str) -> Pinned {
    Pinned {
        package,
        arg,
        version: version.to_string(),
    }
}

/// pyproject dependencies are read with `tomllib`, which needs Python 3.11; older images install
/// the project as a package instead.
fn effective_pip_source(d: &PythonFacts, version: &str) -> PipSource {
    let modern = detect::version::parse_minor(version)
        .or_else(|| {
            let mut parts = version.split('.');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .is_some_and(|mm| mm >= (3, 11));
    match d.pip_source {
        PipSource::Pyproject if !modern => PipSource::Package,
        other => other,
    }
}

/// The interpreter version: the user's, else the project's; distroless only has 3.11.
fn runtime_version(
    project: &Project,
    d: &PythonFacts,
    choices: &Choices,
    flavor: Flavor,
    rules: &Rules,
) -> Result<String> {
    let distroless = super::settings().distroless_version.as_str();
    let fits = |v: &str| v == distroless || v.starts_with(&format!("{distroless}."));
    let refuse = |what: String| {
        Error::Usage(format!(
            "--base distroless: gcr.io/distroless/python3-debian12 runs Debian 12's Python {distroless}, \
             but {what}.\nUse --base slim (or alpine), or --runtime-version {distroless} if the project runs on it."
        ))
    };
    if let Some(v) = &choices.runtime_version {
        let v = safe::version(v)?;
        if flavor == Flavor::Distroless && !fits(&v) {
            return Err(refuse(format!("--runtime-version asks for {v}")));
        }
        return Ok(v);
    }
    if flavor == Flavor::Distroless {
        return match &d.version {
            VersionSource::Pinned { version, .. } if fits(version) => Ok(version.clone()),
            VersionSource::Pinned { version, file } => {
                Err(refuse(format!("{file} pins Python {version}")))
            }
            VersionSource::Range(spec) => {
                let admits = detect::version::Constraint::parse(spec).is_ok_and(|c| {
                    detect::version::parse_minor(distroless)
                        .is_some_and(|(a, b)| c.admits_minor(a, b))
                });
                if admits {
                    Ok(distroless.to_string())
                } else {
                    Err(refuse(format!("pyproject.toml requires Python {spec}")))
                }
            }
            VersionSource::Default => Ok(distroless.to_string()),
        };
    }
    let v = project
        .runtime_version
        .clone()
        .unwrap_or_else(|| rules.default_version.clone());
    safe::version(&v)
}

/// An HTTP probe written in Python (slim and distroless images have no curl): any answer below
/// 500 means the server is up — a 404 on `/` or Django's 400 for an unlisted host still prove it.
fn healthcheck(d: &PythonFacts, choices: &Choices, port: Option<u16>) -> Result<HealthCheck> {
    if choices.no_healthcheck {
        return Ok(HealthCheck::disabled());
    }
    let Some(port) = port else {
        return Ok(HealthCheck::None {
            reason: "No HTTP port: this program serves nothing to probe (pass --port if it does)."
                .into(),
        });
    };
    let path = chosen_health_path(choices, d.health_path.as_deref().unwrap_or("/"))?;
    let code = format!(
        "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', {port}, timeout=4); \
         c.request('GET', '{path}'); sys.exit(c.getresponse().status >= 500)"
    );
    Ok(HealthCheck::Cmd {
        argv: vec!["python".into(), "-c".into(), code],
        comment: format!(
            "No curl in this image: Python asks GET {path} on port {port}; any answer below 500 means the server is up."
        ),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{DetectOptions, detect};

    fn plan_for(files: &[(&str, &str)], choices: Choices) -> Result<BuildPlan> {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = tmp.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found = detect(tmp.path(), &DetectOptions::default())?;
        crate::plan::plan(&found.projects[0], &choices)
    }

    const WORKER: (&str, &str) = ("worker.py", "print('tick')\n");

    fn distroless() -> Choices {
        Choices {
            base: Some(Flavor::Distroless),
            ..Choices::default()
        }
    }

    #[test]
    fn distroless_takes_3_11_from_a_range_that_admits_it_and_refuses_others() {
        let ok = plan_for(
            &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"w\"\nrequires-python = \">=3.10\"\n",
                ),
                WORKER,
            ],
            distroless(),
        )
        .unwrap();
        assert_eq!(ok.args[0].value, "3.11");
        assert_eq!(ok.user.uid, DISTROLESS_UID);
        let err = plan_for(
            &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"w\"\nrequires-python = \">=3.12\"\n",
                ),
                WORKER,
            ],
            distroless(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("requires Python >=3.12"), "{err}");
        let err = plan_for(
            &[("requirements.txt", "x\n"), WORKER],
            Choices {
                runtime_version: Some("3.13".into()),
                ..distroless()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("--runtime-version asks for 3.13"), "{err}");
    }

    #[test]
    fn a_worker_has_no_port_until_the_user_gives_one() {
        let plan = plan_for(&[("requirements.txt", "x\n"), WORKER], Choices::default()).unwrap();
        assert_eq!(plan.port, None);
        assert!(matches!(plan.healthcheck, HealthCheck::None { .. }));
        assert_eq!(plan.entrypoint, ["python"]);
        assert_eq!(plan.cmd, ["worker.py"]);
        let plan = plan_for(
            &[("requirements.txt", "x\n"), WORKER],
            Choices {
                port: Some(9000),
                health_path: Some("/ready".into()),
                ..Choices::default()
            },
        )
        .unwrap();
        assert_eq!(plan.port, Some(9000));
        let HealthCheck::Cmd { argv, .. } = &plan.healthcheck else {
            panic!("no health check");
        };
        assert!(argv[2].contains("'127.0.0.1', 9000") && argv[2].contains("'/ready'"));
    }

    #[test]
    fn a_user_port_rebinds_the_detected_server_and_a_missing_server_is_added() {
        let plan = plan_for(
            &[
                ("requirements.txt", "flask==3.1.3\n"),
                ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ],
            Choices {
                port: Some(7000),
                ..Choices::default()
            },
        )
        .unwrap();
        assert_eq!(plan.cmd[1], "0.0.0.0:7000");
        assert!(plan.args.iter().any(|a| a.name == "GUNICORN_VERSION"));
        assert!(
            plan.notes
                .iter()
                .any(|n| n.starts_with("gunicorn is not among"))
        );
    }

    #[test]
    fn nothing_to_start_and_foreign_package_managers_are_usage_errors() {
        let err = plan_for(&[("requirements.txt", "x\n")], Choices::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("Pass --start"), "{err}");
        let err = plan_for(
            &[("requirements.txt", "x\n"), WORKER],
            Choices {
                package_manager: Some("yarn".into()),
                ..Choices::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not a Python package manager"), "{err}");
        let err = plan_for(
            &[("requirements.txt", "x\n"), WORKER],
            Choices {
                base: Some(Flavor::Scratch),
                ..Choices::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("--base scratch"), "{err}");
    }
}
