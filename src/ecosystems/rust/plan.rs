//! Plans the Dockerfile of a Rust project: a release build in the official rust image whose
//! dependencies compile in their own layer (cargo-chef's recipe, so a code-only change keeps them),
//! and a distroless `cc` runtime (glibc, libssl, CA certificates) that holds only the binary.

use serde_json::json;

use super::detect::RustDetails;
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::stage::{Instr, Mount, Step};
use crate::plan::{
    BuildArg, BuildPlan, BuildSecret, Choices, Flavor, RuntimeUser, ShelllessProgram,
};
use crate::safe;

/// The distroless `nonroot` user.
const NONROOT: u32 = 65532;

/// cargo-chef releases for the chef stage, newest first, each with the oldest Rust (minor version
/// of 1.x) that compiles it with `cargo install --locked`: the highest `rust-version` among the
/// crates its lockfile builds on Linux, confirmed by installing it with that toolchain. cargo-chef
/// is compiled with the project's own toolchain (every stage uses the same image), so an older
/// toolchain needs an older release.
const CARGO_CHEF: [(u32, &str); 3] = [(88, "0.1.78"), (78, "0.1.73"), (74, "0.1.68")];

pub fn plan(project: &Project, d: &RustDetails, choices: &Choices) -> Result<BuildPlan> {
    if let Some(base) = choices.base.filter(|b| *b != Flavor::Distroless) {
        return Err(Error::Usage(format!(
            "--base {}: Rust images run on distroless cc (glibc); dockgen does not switch a Rust build to musl or another runtime by itself. Drop --base, or edit the generated Dockerfile",
            base.id()
        )));
    }
    let bin = choose_bin(d, choices)?;
    let shared = crate::plan::plan_shellless(
        project,
        choices,
        &ShelllessProgram {
            name: &bin,
            serves_http: d.serves_http,
            health_path: d.health_path.as_deref(),
            port_assumed: d.port_assumed,
            version_arg: "RUST_VERSION",
            reads_port_env: d.reads_port_env,
            copies: &d.copies,
        },
    )?;
    let port = shared.port;
    let mut notes = d.notes.clone();
    notes.extend(shared.notes);
    let mut args = shared.args;
    let chef = cargo_chef_version(&args[0].value, &mut notes);
    args.insert(
        1,
        BuildArg {
            name: "CARGO_CHEF_VERSION".into(),
            value: chef.into(),
        },
    );
    let mut cargo_args = vec!["--release".to_string()];
    if d.locked {
        cargo_args.push("--locked".into());
    }
    if d.in_workspace {
        cargo_args.extend(["--package".to_string(), d.package.clone()]);
    }
    cargo_args.extend(["--bin".to_string(), bin.clone()]);

    let build_steps = build_steps(d, &cargo_args)?;

    let mut env = d.framework_env.clone();
    env.extend(shared.port_env);

    Ok(BuildPlan {
        ecosystem: project.ecosystem,
        project_path: project.path.clone(),
        args,
        labels: crate::plan::standard_labels(project),
        user: RuntimeUser::existing(NONROOT),
        port,
        healthcheck: shared.healthcheck,
        entrypoint: shared.entrypoint,
        cmd: Vec::new(),
        env,
        vars: json!({
            "bin": bin,
            "build_steps": build_steps,
            "busybox": shared.busybox,
        }),
        copies: shared.copies,
        ignore: Vec::new(),
        // The template mounts cargo's credentials for a private registry.
        secrets: if d.private_registry {
            vec![BuildSecret::new(
                "cargo_credentials",
                "$HOME/.cargo/credentials.toml",
            )]
        } else {
            Vec::new()
        },
        notes,
        choices: choices.clone(),
    })
}

/// The build stage after `FROM chef AS build`: system packages some crates need, the target
/// directory, the dependency layer cooked from the recipe, then the project itself.
fn build_steps(d: &RustDetails, cargo_args: &[String]) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    let words = |first: &str, rest: &[String]| -> Result<String> {
        let mut line = first.to_string();
        for w in rest {
            line.push(' ');
            line.push_str(&safe::shell_word(w)?);
        }
        Ok(line)
    };
    if !d.apt_packages.is_empty() {
        let mut comment: Vec<String> = d.apt_reasons.iter().map(|r| format!("{r}.")).collect();
        comment.push(
            "apt's downloads stay in cache mounts between builds and never reach a layer.".into(),
        );
        steps.push(Step {
            comment,
            instr: Instr::Run {
                mounts: vec![
                    Mount::locked_cache("/var/cache/apt"),
                    Mount::locked_cache("/var/lib/apt"),
                ],
                commands: vec![
                    "rm -f /etc/apt/apt.conf.d/docker-clean".into(),
                    "apt-get update".into(),
                    words(
                        "apt-get install -y --no-install-recommends",
                        &d.apt_packages,
                    )?,
                ],
            },
            joined: false,
        });
    }
    let mut comment = vec!["Build output stays in /app/target, whatever .cargo/config says."];
    let mut vars = vec![format!(
        "CARGO_TARGET_DIR={}",
        safe::double_quoted("/app/target")?
    )];
    if d.sqlx_offline {
        comment.push("SQLX_OFFLINE: sqlx checks queries against the prepared .sqlx/ data, not a live database.");
        vars.push(format!("SQLX_OFFLINE={}", safe::double_quoted("true")?));
    }
    steps.push(Step::new(&comment, Instr::Env { vars }));

    let mut mounts = vec![
        Mount::cache("/usr/local/cargo/registry"),
        Mount::cache("/usr/local/cargo/git/db"),
    ];
    let mut comment = vec![
        "Compile the dependencies only, with the same flags as the real build. Downloads stay in cache",
        "mounts; the compiled crates in target/ are this layer's content.",
    ];
    if d.private_registry {
        comment.extend([
            "Private registry: pass your cargo credentials as a secret, never as an ARG:",
            "  docker build --secret id=cargo_credentials,src=$HOME/.cargo/credentials.toml ...",
        ]);
        mounts.push(Mount::secret(
            "cargo_credentials",
            "/usr/local/cargo/credentials.toml",
        ));
    }
    steps.push(Step::copy(
        &comment,
        &["--from=planner", "/app/recipe.json", "recipe.json"],
    ));
    steps.push(
        Step::run(
            &[],
            mounts.clone(),
            vec![words(
                "cargo chef cook --recipe-path recipe.json",
                cargo_args,
            )?],
        )
        .joined(),
    );
    steps.push(Step::copy(
        &[
            "The whole context (.dockerignore keeps target/ and secrets out): cargo needs every workspace",
            "member's manifest, and path dependencies, build.rs, migrations/ and .sqlx/ are all read at",
            "compile time.",
        ],
        &[".", "."],
    ));
    steps.push(Step::run(&[], mounts, vec![words("cargo build", cargo_args)?]).joined());
    Ok(steps)
}

/// The newest cargo-chef release that compiles with Rust `rust_version` (a version such as
/// `1.80` or `1.82.0`; anything else is taken for a current toolchain). Older than every release
/// in [`CARGO_CHEF`]: the oldest one, and a note saying the chef stage may not build.
fn cargo_chef_version(rust_version: &str, notes: &mut Vec<String>) -> &'static str {
    let minor = rust_version
        .strip_prefix("1.")
        .and_then(|rest| rest.split('.').next())
        .and_then(|m| m.parse::<u32>().ok());
    let Some(minor) = minor else {
        return CARGO_CHEF[0].1;
    };
    if let Some((_, version)) = CARGO_CHEF.iter().find(|(min, _)| minor >= *min) {
        return version;
    }
    let (oldest_minor, oldest) = CARGO_CHEF[CARGO_CHEF.len() - 1];
    notes.push(format!(
        "Rust {rust_version} is older than any cargo-chef release dockgen knows to build with it (cargo-chef {oldest} needs Rust 1.{oldest_minor}); the chef stage may fail: raise RUST_VERSION, or pass --build-arg CARGO_CHEF_VERSION=<a release that builds with {rust_version}>"
    ));
    oldest
}

/// The binary to build: `--bin`, else what detection settled on; several candidates are an error
/// that lists them.
fn choose_bin(d: &RustDetails, choices: &Choices) -> Result<String> {
    match (&choices.bin, &d.chosen_bin) {
        (Some(b), _) if d.bins.contains(b) => Ok(b.clone()),
        (Some(b), _) => Err(Error::Usage(format!(
            "--bin {b}: package {} ({}) has no binary of that name; its binaries: {}",
            d.package,
            d.manifest,
            d.bins.join(", ")
        ))),
        (None, Some(b)) => Ok(b.clone()),
        (None, None) => Err(Error::ChooseBin {
            message: format!(
                "{}: package {} has {} binaries: {}.\nChoose one with --bin NAME (or set default-run in [package]).",
                d.manifest,
                d.package,
                d.bins.len(),
                d.bins.join(", ")
            ),
            options: d.bins.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(bins: &[&str], chosen: Option<&str>) -> RustDetails {
        RustDetails {
            package: "app".into(),
            manifest: "Cargo.toml".into(),
            bins: bins.iter().map(|b| b.to_string()).collect(),
            chosen_bin: chosen.map(str::to_string),
            ..RustDetails::default()
        }
    }

    #[test]
    fn several_binaries_need_a_choice() {
        let d = details(&["api", "worker"], None);
        let err = choose_bin(&d, &Choices::default()).unwrap_err();
        assert!(
            matches!(&err, Error::ChooseBin { options, .. } if options == &["api", "worker"]),
            "{err:?}"
        );
        assert!(err.to_string().contains("api, worker"), "{err}");
        let pick = Choices {
            bin: Some("worker".into()),
            ..Choices::default()
        };
        assert_eq!(choose_bin(&d, &pick).unwrap(), "worker");
        let wrong = Choices {
            bin: Some("nope".into()),
            ..Choices::default()
        };
        assert!(matches!(choose_bin(&d, &wrong), Err(Error::Usage(_))));
    }

    #[test]
    fn cargo_chef_follows_the_toolchain() {
        let mut notes = Vec::new();
        assert_eq!(cargo_chef_version("1.88", &mut notes), "0.1.78");
        assert_eq!(cargo_chef_version("1.95.1", &mut notes), "0.1.78");
        assert_eq!(cargo_chef_version("1.87.0", &mut notes), "0.1.73");
        assert_eq!(cargo_chef_version("1.78", &mut notes), "0.1.73");
        assert_eq!(cargo_chef_version("1.77", &mut notes), "0.1.68");
        assert_eq!(cargo_chef_version("stable", &mut notes), "0.1.78");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(cargo_chef_version("1.70", &mut notes), "0.1.68");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("Rust 1.70"), "{notes:?}");
    }

    #[test]
    fn default_run_or_a_single_binary_needs_no_choice() {
        let d = details(&["api", "worker"], Some("api"));
        assert_eq!(choose_bin(&d, &Choices::default()).unwrap(), "api");
    }
}
