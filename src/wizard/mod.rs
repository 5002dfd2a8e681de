//! The interactive front end of `dockgen init`: shows what detection found and why, asks only what
//! matters (each question pre-filled with the detected value), previews every file with a diff, and
//! writes nothing before the final confirmation.
//!
//! The wizard never plans on its own. Every answer that differs from what detection (and the
//! command-line flags) already gave becomes a field of [`Choices`], and the files come from
//! [`crate::generate`], the same path `dockgen init --yes` takes; accepting every default therefore
//! writes the same bytes. Answers are checked by planning with them, so a value the planner would
//! refuse is reported at the question, not after it.
//!
//! Questions go through the small [`Prompter`] trait: [`Terminal`] asks with inquire, tests answer
//! from a script.

use std::io::Write;
use std::path::Path;

use crate::detect::{self, Detection, Project};
use crate::error::{Candidate, EXIT_OK, Error, Result};
use crate::plan::{Choices, Flavor, HealthCheck};
use crate::safe;
use crate::write;
use crate::{Generated, report};

mod prompts;
mod review;
pub use prompts::*;
pub use review::*;

/// What the user decided: the choices for [`crate::generate`] and whether to add a compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub choices: Choices,
    pub compose: bool,
}

/// Runs the whole wizard in the terminal and returns the exit code.
pub fn run(root: &Path, flags: &Choices, force: bool) -> Result<i32> {
    let style = Style::from_env();
    inquire::set_global_render_config(style.inquire_config());
    run_with(
        root,
        flags,
        force,
        &mut Terminal,
        &mut std::io::stderr(),
        style,
    )
}

/// The wizard with any [`Prompter`] and output: interview, review, confirm, write.
pub fn run_with(
    root: &Path,
    flags: &Choices,
    force: bool,
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
    style: Style,
) -> Result<i32> {
    let answers = interview(root, flags, ask, out, style)?;
    // The compose answer is a choice like the others: recorded in dockgen.toml, tracked by regen.
    let choices = Choices {
        compose: answers.compose,
        ..answers.choices.clone()
    };
    let generated = crate::generate(root, &choices)?;
    let outputs = generated.outputs();
    // The user sees and decides on every file below, so the refusal `init --yes` makes for a
    // hand-edited Dockerfile is replaced by the diff and the choice (hence `force`).
    let state = crate::state::init_output(root, &generated, true)?;
    let chosen = review(root, &outputs, Some(&state), force, ask, out, style)?;
    if chosen.is_empty() {
        say(out, "\nNothing to write; the directory is unchanged.");
        return Ok(EXIT_OK);
    }
    let count = chosen.len();
    let question = format!("Write {count} file{}?", if count == 1 { "" } else { "s" });
    if !ask.confirm(&question, true, None)? {
        return Err(Error::Cancelled);
    }
    let done = write::write_all(root, &chosen)?;
    report::report_written(root, &done);
    for note in &generated.plan.notes {
        say(out, &format!("note: {note}"));
    }
    say(out, &next_steps(&generated, answers.compose));
    Ok(EXIT_OK)
}

fn say(out: &mut dyn Write, text: &str) {
    let _ = writeln!(out, "{text}");
}

/// Shows what detection found, then asks the questions. Writes nothing.
pub fn interview(
    root: &Path,
    flags: &Choices,
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
    style: Style,
) -> Result<Answers> {
    let mut choices = flags.clone();
    let detection = detect_resolving(root, &mut choices, ask, out)?;
    say(
        out,
        &style.bold(&format!("dockgen looked at {} and found:", root.display())),
    );
    let _ = write!(out, "{}", report::describe(&detection));
    say(
        out,
        "\nEnter keeps the value shown; Esc or Ctrl-C quits without writing anything.",
    );
    let mut project = choose_project(&detection, &mut choices, ask)?;
    let mut detection = detection;
    // A package manager, and which of several programs to build, can be ambiguous only once the
    // project is planned. Each answer goes back through detection, which reads it as a flag.
    loop {
        match crate::plan::plan(&project, &choices) {
            Err(Error::Ambiguous {
                message,
                flag: "--package-manager",
                candidates,
            }) if choices.package_manager.is_none() => {
                choose_package_manager(root, &mut choices, &message, &candidates, ask, out)?;
            }
            Err(Error::ChooseBin { message, options }) if choices.bin.is_none() => {
                choose_bin(&mut choices, &message, &options, ask, out)?;
            }
            _ => break,
        }
        detection = detect::detect(root, &crate::detect_options(&choices)?)?;
        project = detection.select(Some(&project.path))?.clone();
    }
    let mut wizard = Wizard {
        root,
        detection,
        project,
        choices,
    };
    wizard.ask_runtime_version(ask)?;
    wizard.ask_start(ask)?;
    wizard.ask_port(ask)?;
    wizard.ask_health(ask)?;
    wizard.ask_flavor(ask)?;
    let compose = wizard.ask_compose(ask)?;
    Ok(Answers {
        choices: wizard.choices,
        compose,
    })
}

/// Detects, and when two package managers' files make detection ambiguous, asks which one is right.
fn detect_resolving(
    root: &Path,
    choices: &mut Choices,
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<Detection> {
    match detect::detect(root, &crate::detect_options(choices)?) {
        Err(Error::Ambiguous {
            message,
            flag: "--package-manager",
            candidates,
        }) if choices.package_manager.is_none() => {
            choose_package_manager(root, choices, &message, &candidates, ask, out)?;
            detect::detect(root, &crate::detect_options(choices)?)
        }
        other => other,
    }
}

/// Asks which package manager to use after detection or planning said it cannot tell (`message`,
/// `offered`), and records the answer in `choices`. Gives the error back when there is nothing to
/// offer.
fn choose_package_manager(
    root: &Path,
    choices: &mut Choices,
    message: &str,
    offered: &[Candidate],
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<()> {
    let candidates = package_manager_candidates(root, choices, offered);
    if candidates.len() < 2 {
        return Err(Error::Ambiguous {
            message: message.to_string(),
            flag: "--package-manager",
            candidates: offered.to_vec(),
        });
    }
    // The first line says what is ambiguous; the rest is advice for the command line.
    let what = message.lines().next().unwrap_or(message);
    say(out, &format!("\ndockgen needs a decision:\n  {what}\n"));
    let labels: Vec<String> = candidates
        .iter()
        .map(|(name, files)| match files.as_slice() {
            [] => name.clone(),
            files => format!("{name} ({})", files.join(", ")),
        })
        .collect();
    let i = ask.select(
        "Which package manager does this project use?",
        &labels,
        0,
        Some("the other one's files stay in the project but are not used to build"),
    )?;
    choices.package_manager = Some(candidates[i].0.clone());
    Ok(())
}

/// Asks which program to build after planning said there are several (`message`, `options`), and
/// records the answer in `choices` as `--bin` would.
fn choose_bin(
    choices: &mut Choices,
    message: &str,
    options: &[String],
    ask: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<()> {
    if options.is_empty() {
        return Err(Error::ChooseBin {
            message: message.to_string(),
            options: options.to_vec(),
        });
    }
    // The first line says what is ambiguous; the rest is advice for the command line.
    let what = message.lines().next().unwrap_or(message);
    say(out, &format!("\ndockgen needs a decision:\n  {what}\n"));
    let i = ask.select(
        "Which program should the image build and run?",
        options,
        0,
        Some("saved as bin in dockgen.toml; the others stay in the project but are not built"),
    )?;
    choices.bin = Some(options[i].clone());
    Ok(())
}

/// The candidates of an ambiguity that resolve it when chosen as the package manager.
fn package_manager_candidates(
    root: &Path,
    choices: &Choices,
    candidates: &[Candidate],
) -> Vec<(String, Vec<String>)> {
    candidates
        .iter()
        .filter(|c| {
            let mut trial = choices.clone();
            trial.package_manager = Some(c.value.clone());
            resolves(root, &trial)
        })
        .map(|c| (c.value.clone(), c.files.clone()))
        .collect()
}

/// True when `choices` detect cleanly and, if they pick a project, plan cleanly too.
fn resolves(root: &Path, choices: &Choices) -> bool {
    let Ok(detection) = crate::detect_options(choices).and_then(|o| detect::detect(root, &o))
    else {
        return false;
    };
    match detection.select(choices.project.as_deref()) {
        Ok(project) => crate::plan::plan(project, choices).is_ok(),
        // Several projects and none chosen yet: detection alone had to succeed.
        Err(_) => true,
    }
}

/// Picks the project: the one the flags name, the only one, or the user's choice among several.
fn choose_project(
    detection: &Detection,
    choices: &mut Choices,
    ask: &mut dyn Prompter,
) -> Result<Project> {
    if choices.project.is_some() || detection.projects.len() == 1 {
        return detection.select(choices.project.as_deref()).cloned();
    }
    let labels: Vec<String> = detection
        .projects
        .iter()
        .map(|p| {
            let mut label = format!("{}  ({}", p.path, p.ecosystem);
            if let Some(fw) = &p.framework {
                label.push_str(&format!(", {fw}"));
            }
            if let Some(port) = p.port {
                label.push_str(&format!(", port {port}"));
            }
            label.push(')');
            label
        })
        .collect();
    let i = ask.select(
        "Which project should get a Dockerfile?",
        &labels,
        0,
        Some("run dockgen again for the others; each member gets its own Dockerfile"),
    )?;
    let project = detection.projects[i].clone();
    choices.project = Some(project.path.clone());
    let shares_path = detection
        .projects
        .iter()
        .filter(|p| p.path == project.path)
        .count()
        > 1;
    if shares_path {
        choices.ecosystem = Some(project.ecosystem.id().to_string());
    }
    Ok(project)
}

/// The questions about one project. `choices` holds the flags plus every answer so far that
/// differs from what was shown.
struct Wizard<'a> {
    root: &'a Path,
    detection: Detection,
    project: Project,
    choices: Choices,
}

impl Wizard<'_> {
    /// What `choices` would produce; the one decision path every answer is checked against.
    fn generate(&self, choices: &Choices) -> Result<Generated> {
        crate::generate_for(
            self.root,
            self.detection.clone(),
            self.project.clone(),
            choices,
        )
    }

    /// Asks a text question pre-filled with `initial`. An answer equal to `initial` changes nothing;
    /// any other answer goes through `apply` and must plan cleanly before it is accepted.
    fn ask_text(
        &mut self,
        ask: &mut dyn Prompter,
        message: &str,
        help: Option<&str>,
        initial: &str,
        apply: &dyn Fn(&mut Choices, &str) -> std::result::Result<(), String>,
    ) -> Result<()> {
        let base = self.choices.clone();
        let check = |answer: &str| -> std::result::Result<(), String> {
            if answer.trim() == initial {
                return Ok(());
            }
            let mut trial = base.clone();
            apply(&mut trial, answer.trim())?;
            self.generate(&trial).map(|_| ()).map_err(|e| e.to_string())
        };
        let answer = ask.text(&TextQuestion {
            message,
            initial,
            help,
            check: &check,
        })?;
        if answer.trim() != initial {
            apply(&mut self.choices, answer.trim()).map_err(Error::Usage)?;
        }
        Ok(())
    }

    fn ask_runtime_version(&mut self, ask: &mut dyn Prompter) -> Result<()> {
        let current = self.generate(&self.choices)?;
        let initial = self
            .choices
            .runtime_version
            .clone()
            .or_else(|| self.project.runtime_version.clone())
            .unwrap_or_else(|| self.project.ecosystem.rules().default_version.clone());
        let help = current
            .plan
            .args
            .iter()
            .find(|a| !initial.is_empty() && a.value == initial)
            .map(|a| {
                format!(
                    "the {} base image tag (ARG {})",
                    self.project.ecosystem, a.name
                )
            })
            .unwrap_or_else(|| format!("the {} base image tag", self.project.ecosystem));
        self.ask_text(
            ask,
            "Runtime version:",
            Some(&help),
            &initial,
            &|c, answer| {
                c.runtime_version = Some(crate::validate::runtime_version(answer)?);
                Ok(())
            },
        )
    }

    fn ask_start(&mut self, ask: &mut dyn Prompter) -> Result<()> {
        let current = self.generate(&self.choices)?;
        let words = match (&self.choices.start, &self.project.start_command) {
            (Some(words), _) | (None, Some(words)) => words.clone(),
            (None, None) => [current.plan.entrypoint, current.plan.cmd].concat(),
        };
        let initial = shell_join(&words);
        self.ask_text(
            ask,
            "Start command:",
            Some("what the container runs; quote like a shell, nothing is expanded"),
            &initial,
            &|c, answer| {
                c.start = Some(crate::validate::start_line(answer)?);
                Ok(())
            },
        )
    }

    fn ask_port(&mut self, ask: &mut dyn Prompter) -> Result<()> {
        let current = self.generate(&self.choices)?;
        let initial = current.plan.port.map(|p| p.to_string()).unwrap_or_default();
        let help = if initial.is_empty() {
            "leave empty for a program that listens on no port"
        } else {
            "the port the program listens on inside the container"
        };
        self.ask_text(
            ask,
            "Port:",
            Some(help),
            &initial,
            &|c, answer| match answer.parse::<u16>().map(crate::validate::port) {
                Ok(Ok(port)) => {
                    c.port = Some(port);
                    Ok(())
                }
                _ => Err("enter a port number from 1 to 65535".into()),
            },
        )
    }

    fn ask_health(&mut self, ask: &mut dyn Prompter) -> Result<()> {
        let current = self.generate(&self.choices)?;
        let initial = match &current.plan.healthcheck {
            // A check that requests no path the user could change (or none at all, with no port):
            // nothing to ask.
            HealthCheck::Cmd { path, .. } => path.clone(),
            HealthCheck::None { .. } if current.plan.port.is_none() => return Ok(()),
            HealthCheck::None { .. } => "none".to_string(),
        };
        self.ask_text(
            ask,
            "Health-check path:",
            Some("an HTTP path that answers 200 when the service is healthy, or none"),
            &initial,
            &|c, answer| {
                if answer.eq_ignore_ascii_case("none") {
                    c.no_healthcheck = true;
                    c.health_path = None;
                } else {
                    c.health_path = Some(safe::url_path(answer).map_err(|e| e.to_string())?);
                    c.no_healthcheck = false;
                }
                Ok(())
            },
        )
    }

    fn ask_flavor(&mut self, ask: &mut dyn Prompter) -> Result<()> {
        let current = self.generate(&self.choices)?.dockerfile.contents;
        // Offer each flavour the planner accepts for this project and that changes the output.
        let mut offered: Vec<(Flavor, String)> = Vec::new();
        for &flavor in <Flavor as clap::ValueEnum>::value_variants() {
            let mut trial = self.choices.clone();
            trial.base = Some(flavor);
            if let Ok(g) = self.generate(&trial) {
                if !offered
                    .iter()
                    .any(|(_, text)| *text == g.dockerfile.contents)
                {
                    offered.push((flavor, g.dockerfile.contents));
                }
            }
        }
        let Some(start) = offered.iter().position(|(_, text)| *text == current) else {
            return Ok(());
        };
        if offered.len() < 2 {
            return Ok(());
        }
        let labels: Vec<String> = offered
            .iter()
            .map(|(f, _)| format!("{:<11} {}", f.id(), flavor_trade_off(*f)))
            .collect();
        let i = ask.select(
            "Runtime image:",
            &labels,
            start,
            Some("the image the final stage runs on; the build stage is unaffected"),
        )?;
        if i != start {
            self.choices.base = Some(offered[i].0);
        }
        Ok(())
    }

    fn ask_compose(&mut self, ask: &mut dyn Prompter) -> Result<bool> {
        let dir = project_dir(self.root, &self.project.path);
        // A compose.yaml dockgen wrote before is kept in step by default.
        let ours = write::is_ours(&dir.join("compose.yaml"));
        let other = ["docker-compose.yml", "docker-compose.yaml", "compose.yml"]
            .into_iter()
            .find(|name| dir.join(name).exists());
        let help = match other {
            Some(name) => {
                format!("{name} exists; Compose reads compose.yaml first if both are there")
            }
            None if ours => "compose.yaml was written by dockgen; yes keeps it in step".into(),
            None => "a small compose.yaml that builds this Dockerfile and publishes its port on \
                     127.0.0.1"
                .into(),
        };
        let default = ours || self.choices.compose;
        ask.confirm(
            "Also write compose.yaml for local runs?",
            default,
            Some(&help),
        )
    }
}

/// One line on what each runtime image flavour costs.
pub fn flavor_trade_off(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Slim => "Debian slim: glibc and a shell for debugging; the safe choice",
        Flavor::Alpine => {
            "smallest with a shell, but musl libc: native modules and wheels may break"
        }
        Flavor::Distroless => {
            "no shell or package manager: least to attack, but no `docker exec sh`"
        }
        Flavor::Scratch => {
            "empty but for the static binary: smallest of all, nothing to debug with"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;
    use crate::write::Output;

    /// Answers from a script, recording the questions.
    #[derive(Default)]
    struct Scripted {
        selects: Vec<usize>,
        asked: Vec<String>,
    }

    impl Prompter for Scripted {
        fn text(&mut self, q: &TextQuestion<'_>) -> Result<String> {
            self.asked.push(q.message.to_string());
            Ok(q.initial.to_string())
        }
        fn select(
            &mut self,
            message: &str,
            options: &[String],
            start: usize,
            _help: Option<&str>,
        ) -> Result<usize> {
            self.asked
                .push(format!("{message} [{}] @{start}", options.join(" | ")));
            if self.selects.is_empty() {
                return Err(Error::Cancelled);
            }
            Ok(self.selects.remove(0))
        }
        fn confirm(&mut self, message: &str, default: bool, _help: Option<&str>) -> Result<bool> {
            self.asked.push(message.to_string());
            Ok(default)
        }
    }

    #[test]
    fn review_asks_only_about_existing_files_that_would_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = |name: &str, text: &str| Output {
            path: root.join(name),
            contents: text.to_string(),
        };
        let ours = format!("# {} 0.1.0\nEXPOSE 3000\n", render::MARKER);
        std::fs::write(root.join("Dockerfile"), &ours).unwrap();
        std::fs::write(root.join(".dockerignore"), "same\n").unwrap();
        std::fs::write(root.join("compose.yaml"), "services: {}\n").unwrap();
        let outputs = vec![
            out("Dockerfile", &ours.replace("3000", "8080")),
            out(".dockerignore", "same\n"),
            out("compose.yaml", "services:\n  web: {}\n"),
            out("new.txt", "new\n"),
        ];
        // Dockerfile: show the diff again, then skip. compose.yaml: overwrite.
        let mut ask = Scripted {
            selects: vec![2, 1, 0],
            ..Scripted::default()
        };
        let mut screen = Vec::new();
        let follower = out("dockgen.toml", "version = \"0.1.0\"\n");
        let chosen = review(
            root,
            &outputs,
            Some(&follower),
            false,
            &mut ask,
            &mut screen,
            Style { color: false },
        )
        .unwrap();
        let names: Vec<_> = chosen
            .iter()
            .map(|o| o.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["compose.yaml", "new.txt", "dockgen.toml"]);
        let screen = String::from_utf8(screen).unwrap();
        assert!(
            screen.contains("Dockerfile     exists, written by dockgen: +1 -1 lines"),
            "{screen}"
        );
        assert!(
            screen.contains(".dockerignore  unchanged, left alone"),
            "{screen}"
        );
        assert!(
            screen.contains("compose.yaml   exists, NOT written by dockgen"),
            "{screen}"
        );
        assert!(screen.contains("new.txt        new file"), "{screen}");
        assert!(
            screen.contains("dockgen.toml   records this run for `dockgen regen`"),
            "{screen}"
        );
        assert_eq!(screen.matches("+++ b/Dockerfile").count(), 2, "{screen}");
        assert!(screen.contains("-EXPOSE 3000\n+EXPOSE 8080"), "{screen}");
        // Dockgen's own file defaults to overwrite; a file someone else wrote defaults to skip.
        assert!(
            ask.asked[0].starts_with("Dockerfile already exists") && ask.asked[0].ends_with("@0")
        );
        assert!(
            ask.asked[2].starts_with("compose.yaml already exists") && ask.asked[2].ends_with("@1")
        );
        assert_eq!(ask.asked.len(), 3);
        // Review writes nothing.
        assert_eq!(
            std::fs::read_to_string(root.join("Dockerfile")).unwrap(),
            ours
        );
        assert!(!root.join("new.txt").exists());
    }

    #[test]
    fn the_follower_is_written_only_with_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        let outputs = vec![Output {
            path: dir.path().join("Dockerfile"),
            contents: "FROM busybox\n".into(),
        }];
        let follower = Output {
            path: dir.path().join("dockgen.toml"),
            contents: "version = \"0.1.0\"\n".into(),
        };
        // Skip the only file: nothing to write, not even the follower.
        let mut ask = Scripted {
            selects: vec![1],
            ..Scripted::default()
        };
        let chosen = review(
            dir.path(),
            &outputs,
            Some(&follower),
            false,
            &mut ask,
            &mut Vec::new(),
            Style { color: false },
        )
        .unwrap();
        assert!(chosen.is_empty(), "{chosen:?}");
    }

    #[test]
    fn esc_during_review_is_a_cancel() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        let outputs = vec![Output {
            path: dir.path().join("Dockerfile"),
            contents: "FROM busybox\n".into(),
        }];
        let mut ask = Scripted::default();
        let err = review(
            dir.path(),
            &outputs,
            None,
            false,
            &mut ask,
            &mut Vec::new(),
            Style { color: false },
        )
        .unwrap_err();
        assert!(matches!(err, Error::Cancelled));
        assert_eq!(err.exit_code(), crate::error::EXIT_CANCELLED);
    }

    #[test]
    fn shell_join_round_trips_through_shell_words() {
        let words: Vec<String> = ["node", "my app.js", "--name=it's", "$HOME", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let line = shell_join(&words);
        assert_eq!(detect::shell_words(&line).unwrap(), words);
        assert_eq!(
            shell_join(&["node".to_string(), "server.js".to_string()]),
            "node server.js"
        );
    }

    #[test]
    fn service_names_are_compose_safe() {
        assert_eq!(service_name("@acme/web"), "acme-web");
        assert_eq!(service_name("Orders API"), "orders-api");
        assert_eq!(service_name("my_app"), "my_app");
        assert_eq!(service_name("$%"), "app");
    }

    #[test]
    fn compose_file_is_valid_yaml_with_the_build_and_the_port() {
        let member = ComposeService {
            service: "acme-api".into(),
            context: "../..".into(),
            dockerfile: "apps/api/Dockerfile".into(),
            port: Some(3000),
        };
        let text = render::compose(&member).unwrap();
        assert!(text.starts_with(&format!("# {}", render::MARKER)));
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        let service = &yaml["services"]["acme-api"];
        assert_eq!(service["build"]["context"].as_str(), Some("../.."));
        assert_eq!(
            service["build"]["dockerfile"].as_str(),
            Some("apps/api/Dockerfile")
        );
        assert_eq!(service["ports"][0].as_str(), Some("127.0.0.1:3000:3000"));

        let worker = ComposeService {
            port: None,
            ..member
        };
        let text = render::compose(&worker).unwrap();
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        assert!(
            yaml["services"]["acme-api"].get("ports").is_none(),
            "{text}"
        );
    }

    #[test]
    fn diff_is_plain_without_colour_and_coloured_with_it() {
        let old = "FROM a\nEXPOSE 3000\nUSER 1000\n";
        let new = "FROM a\nEXPOSE 8080\nUSER 1000\n";
        let plain = unified_diff("Dockerfile", old, new, Style { color: false });
        assert!(plain.contains("--- a/Dockerfile\n+++ b/Dockerfile\n"));
        assert!(plain.contains("\n-EXPOSE 3000\n+EXPOSE 8080\n"));
        assert!(!plain.contains('\x1b'));
        let coloured = unified_diff("Dockerfile", old, new, Style { color: true });
        assert!(coloured.contains("\x1b[31m-EXPOSE 3000\x1b[0m"));
        assert!(coloured.contains("\x1b[32m+EXPOSE 8080\x1b[0m"));
        assert_eq!(line_counts(old, new), (1, 1));
    }
}
