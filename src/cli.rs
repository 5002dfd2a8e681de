//! The command line: `dockgen detect` and `dockgen init`, their flags, output and exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::detect;
use crate::error::{EXIT_OK, Error, Result};
use crate::plan::{Choices, Flavor};
use crate::regen::{CheckOptions, RegenOptions};
use crate::report;
use crate::write;

#[derive(Debug, Parser)]
#[command(
    name = "dockgen",
    version,
    about = "Looks at a project and writes a Dockerfile that doesn't suck, plus a matching .dockerignore",
    long_about = "dockgen detects what a project is (Rust, Node, Python, Go or Java; package manager, \
runtime version, framework, start command, port) and writes a multi-stage, cache-friendly, non-root \
Dockerfile with a working health check, plus a .dockerignore.\n\n\
Exit codes: 0 done; 1 stale or conflicting (check, regen); 2 bad usage or bad input (a path that \
does not exist, a malformed project file or dockgen.toml, a file dockgen did not write and will not \
replace); 130 cancelled (Esc or Ctrl-C in the wizard)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what dockgen finds in a project and why.
    Detect(DetectArgs),
    /// Write a Dockerfile and .dockerignore (interactive in a terminal; --yes for scripts and CI).
    Init(InitArgs),
    /// Update the Dockerfile and .dockerignore after the project changed, keeping your edits.
    #[command(long_about = REGEN_ABOUT)]
    Regen(RegenArgs),
    /// Exit 1 if `dockgen regen` would change anything (for CI and pre-commit); never writes.
    #[command(long_about = CHECK_ABOUT)]
    Check(CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(long_about = COMPLETIONS_ABOUT)]
    Completions(CompletionsArgs),
    /// Print dockgen's man page (roff): dockgen man > ~/.local/share/man/man1/dockgen.1
    Man,
}

/// `dockgen completions --help`.
const COMPLETIONS_ABOUT: &str = "Prints a completion script for SHELL to stdout. Install it where \
your shell looks for completions, e.g.\n\
  bash:       dockgen completions bash > ~/.local/share/bash-completion/completions/dockgen\n\
  zsh:        dockgen completions zsh > ~/.zfunc/_dockgen   (with fpath+=~/.zfunc before compinit)\n\
  fish:       dockgen completions fish > ~/.config/fish/completions/dockgen.fish\n\
  powershell: dockgen completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Project directory.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
    /// Only the flags that steer detection itself; what init would plan with --port, --base, ...
    /// is what `dockgen init --stdout` shows.
    #[command(flatten)]
    pub detection: DetectionArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project directory (the Docker build context).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Accept detected values without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the Dockerfile to stdout instead of writing files.
    #[arg(long)]
    pub stdout: bool,
    /// Overwrite a Dockerfile or .dockerignore that dockgen did not write.
    #[arg(long)]
    pub force: bool,
    /// Also write a compose.yaml that builds and runs the image (tracked by regen and check).
    #[arg(long)]
    pub compose: bool,
    /// Also write a CI workflow that builds the image with BuildKit and a layer cache, tags it with
    /// the commit and runs `dockgen check` (tracked by regen and check).
    #[arg(long, value_enum, value_name = "PROVIDER")]
    pub ci: Option<crate::ci::CiProvider>,
    #[command(flatten)]
    pub choices: ChoiceArgs,
}

/// Flags that steer detection itself (which ecosystem, package manager or binary to look for).
#[derive(Debug, Args, Default, Clone)]
pub struct DetectionArgs {
    /// Treat the project as this ecosystem.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(crate::ecosystems::ids()))]
    pub ecosystem: Option<String>,
    #[arg(long, help = crate::ecosystems::package_manager_help())]
    pub package_manager: Option<String>,
    /// Which binary, main package or module to build when there are several.
    #[arg(long)]
    pub bin: Option<String>,
}

impl DetectionArgs {
    fn to_choices(&self) -> Choices {
        Choices {
            ecosystem: self.ecosystem.clone(),
            package_manager: self.package_manager.clone(),
            bin: self.bin.clone(),
            ..Choices::default()
        }
    }
}

/// Overrides for what detection found. Each one is recorded as an answer that differs from detection.
#[derive(Debug, Args, Default, Clone)]
pub struct ChoiceArgs {
    #[command(flatten)]
    pub detection: DetectionArgs,
    #[arg(long, help = crate::ecosystems::runtime_version_help())]
    pub runtime_version: Option<String>,
    /// Port the service listens on.
    #[arg(long)]
    pub port: Option<u16>,
    /// Start command, as you would type it (split like a shell would, without expansion).
    #[arg(long)]
    pub start: Option<String>,
    /// Which project to containerise in a monorepo (its path, e.g. apps/web).
    #[arg(long)]
    pub project: Option<String>,
    /// Runtime image flavour.
    #[arg(long, value_enum)]
    pub base: Option<Flavor>,
    /// HTTP path the health check requests (default: the framework's convention, else /).
    #[arg(long)]
    pub health_path: Option<String>,
    /// Write `HEALTHCHECK NONE` (for programs that serve nothing).
    #[arg(long)]
    pub no_healthcheck: bool,
}

impl ChoiceArgs {
    pub fn to_choices(&self) -> Result<Choices> {
        let start = match &self.start {
            Some(s) => Some(split_command(s)?),
            None => None,
        };
        Ok(Choices {
            runtime_version: match &self.runtime_version {
                Some(v) => Some(
                    crate::validate::runtime_version(v)
                        .map_err(|e| Error::Usage(format!("--runtime-version: {e}")))?,
                ),
                None => None,
            },
            port: match self.port {
                Some(p) => Some(
                    crate::validate::port(p)
                        .map_err(|e| Error::Usage(format!("--port {p}: {e}")))?,
                ),
                None => None,
            },
            start,
            project: self.project.clone(),
            base: self.base,
            health_path: self.health_path.clone(),
            no_healthcheck: self.no_healthcheck,
            ..self.detection.to_choices()
        })
    }
}

/// Splits a command line into words like a POSIX shell, without expansions; `--start` uses it.
pub fn split_command(s: &str) -> Result<Vec<String>> {
    crate::validate::start_line(s)
        .map_err(|e| Error::Usage(format!("--start {:?}: {e}", crate::source::excerpt(s))))
}

/// Runs dockgen with the process arguments and returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", crate::source::sanitize_message(&e.to_string()));
            e.exit_code()
        }
    }
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Detect(args) => run_detect(args),
        Command::Init(args) => run_init(args),
        Command::Regen(args) => crate::regen::run_regen(&RegenOptions {
            path: args.path,
            project: args.project,
            diff: args.diff,
            force: args.force,
            conflict_markers: args.conflict_markers,
            json: args.json,
        }),
        Command::Check(args) => crate::regen::run_check(&CheckOptions {
            path: args.path,
            project: args.project,
            json: args.json,
        }),
        Command::Completions(args) => {
            crate::completions::completions(args.shell, &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            crate::completions::man(&mut std::io::stdout())?;
            Ok(EXIT_OK)
        }
    }
}

fn run_detect(args: DetectArgs) -> Result<i32> {
    let choices = args.detection.to_choices();
    let detection = detect::detect(&args.path, &crate::detect_options(&choices)?)?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&detection).map_err(|e| Error::Internal(e.to_string()))?;
        println!("{json}");
    } else {
        print!("{}", report::describe(&detection));
    }
    Ok(EXIT_OK)
}

fn run_init(args: InitArgs) -> Result<i32> {
    let mut choices = args.choices.to_choices()?;
    choices.compose = args.compose;
    choices.ci = args.ci;
    if !args.yes && !args.stdout {
        if !std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "stdin is not a terminal, so dockgen cannot ask questions.\n\
                 Re-run with --yes to accept the detected values (add flags such as --port to change them)."
                    .into(),
            ));
        }
        return crate::wizard::run(&args.path, &choices, args.force);
    }
    let generated = crate::generate(&args.path, &choices)?;
    if args.stdout {
        print!("{}", generated.dockerfile.contents);
        return Ok(EXIT_OK);
    }
    let mut outputs = generated.outputs();
    write::check_ownership(&outputs, args.force)?;
    outputs.push(crate::state::init_output(
        &args.path, &generated, args.force,
    )?);
    let done = write::write_all(&args.path, &outputs)?;
    report::report_written(&args.path, &done);
    for note in &generated.plan.notes {
        eprintln!("note: {note}");
    }
    Ok(EXIT_OK)
}

/// `dockgen regen --help`.
const REGEN_ABOUT: &str = "Re-detects the project, re-plans with the answers saved in dockgen.toml, \
re-renders, and merges your edits into the new Dockerfile and .dockerignore (three-way merge: what \
dockgen generated last time, the files on disk, the new render). A clean merge is written and \
explained; a conflict writes nothing and shows the conflicting lines (exit 1).\n\n\
A Dockerfile without a dockgen.toml next to it was not written by dockgen and is left alone unless \
you pass --force. In a monorepo every dockgen.toml at or below PATH is handled; --project picks one.";

#[derive(Debug, Args)]
pub struct RegenArgs {
    /// Project directory (the Docker build context), or a member directory holding a dockgen.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only this workspace member (its path in the build context, e.g. apps/web).
    #[arg(long)]
    pub project: Option<String>,
    /// Print what would change as a unified diff, and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Take the new render as is, dropping your edits (also replaces a Dockerfile dockgen did not write).
    #[arg(long, conflicts_with = "conflict_markers")]
    pub force: bool,
    /// On a conflict, write the file with standard <<<<<<< / ======= / >>>>>>> markers to resolve.
    #[arg(long)]
    pub conflict_markers: bool,
    /// With --diff: print the result as JSON (per file: status, reasons, diff) instead.
    #[arg(long, requires = "diff")]
    pub json: bool,
}

/// `dockgen check --help`.
const CHECK_ABOUT: &str = "Checks that the Dockerfile and .dockerignore match what `dockgen regen` \
would produce now (your own edits are fine). Never writes.\n\n\
Exit codes: 0 up to date; 1 stale (the reasons are listed); 2 bad input or no dockgen.toml.";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project directory (the Docker build context), or a member directory holding a dockgen.toml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Only this workspace member (its path in the build context, e.g. apps/web).
    #[arg(long)]
    pub project: Option<String>,
    /// Print the result as JSON on stdout (per file: status, reasons, diff); same exit codes.
    #[arg(long)]
    pub json: bool,
}
