//! Drives the real `dockgen init` wizard in a real pseudo-terminal (expectrl), on temporary copies of
//! the fixture projects in `tests/fixtures/wizard/`, and compares what it writes with what
//! `dockgen init --yes` writes for the same project and the same decisions.
//!
//! Keys go to the program exactly as a terminal sends them (Enter is `\r`, arrows are escape
//! sequences, Ctrl-C is byte 3 read in raw mode). The terminal is fixed at 120x40, `TERM` is set, and
//! every wait has a timeout, so a stuck prompt fails the test instead of hanging it.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use dockgen::plan::Choices;
use dockgen::wizard::{Prompter, Style, TextQuestion};
use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use regex::bytes::Regex;

const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";
const CTRL_C: &str = "\x03";
const ESC: &str = "\x1b";
/// Enough backspaces to empty any pre-filled answer.
const CLEAR: &str = "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\
\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\
\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f";

/// An open question as inquire draws it: `?`, a space and the message, perhaps with colour codes
/// between them (answered questions start with `>` instead).
const QUESTION: &str = r"\?(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)*(Which package manager does this project use\?|Which program should the image build and run\?|Which project should get a Dockerfile\?|Runtime version:|Start command:|Port:|Health-check path:|Runtime image:|Also write compose\.yaml for local runs\?|\S+ already exists\. What should dockgen do\?|Write \d+ files?\?)";

const TIMEOUT: Duration = Duration::from_secs(30);

fn wizard_fixture(name: &str) -> tempfile::TempDir {
    temp_copy(&fixtures_dir().join("wizard").join(name))
}

/// One wizard run in a pseudo-terminal.
struct Wizard {
    session: OsSession,
    /// Output read from the terminal and not yet matched.
    pending: Vec<u8>,
    eof: bool,
    /// Everything the program printed and the test has looked at.
    transcript: String,
    /// The question answered last; its redraws are not a new question.
    last: Option<String>,
}

impl Wizard {
    fn start(dir: &Path, args: &[&str], color: bool) -> Wizard {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockgen"));
        cmd.arg("init").args(args).arg(".").current_dir(dir);
        cmd.env("TERM", "xterm-256color")
            .env("COLUMNS", "120")
            .env("LINES", "40");
        if color {
            cmd.env_remove("NO_COLOR");
        } else {
            cmd.env("NO_COLOR", "1");
        }
        let mut session = OsSession::spawn(cmd).expect("spawn dockgen in a pty");
        session
            .get_process_mut()
            .set_window_size(120, 40)
            .expect("set the terminal size");
        Wizard {
            session,
            pending: Vec::new(),
            eof: false,
            transcript: String::new(),
            last: None,
        }
    }

    /// Waits (politely, without spinning) until the regex `needle` matches what the program printed
    /// and returns its first group (or the whole match); `None` when the program ends first.
    /// Only the text up to the end of the first match is consumed.
    fn wait_for(&mut self, needle: &str) -> Option<String> {
        let re = Regex::new(needle).expect("a valid regex");
        let started = Instant::now();
        loop {
            if let Some(c) = re.captures(&self.pending) {
                let whole = c.get(0).unwrap();
                let found =
                    String::from_utf8_lossy(c.get(1).unwrap_or(whole).as_bytes()).into_owned();
                let end = whole.end();
                self.transcript
                    .push_str(&String::from_utf8_lossy(&self.pending[..end]));
                self.pending.drain(..end);
                return Some(found);
            }
            if self.eof {
                self.transcript
                    .push_str(&String::from_utf8_lossy(&self.pending));
                self.pending.clear();
                return None;
            }
            let mut buf = [0u8; 4096];
            match self.session.try_read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                // Linux reports the end of a pty whose program exited as EIO.
                Err(e) if e.raw_os_error() == Some(5) => self.eof = true,
                Err(e) => panic!("reading the terminal: {e}\n{}", self.transcript),
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "timed out waiting for {needle:?}; the screen so far:\n{}{}",
                self.transcript,
                String::from_utf8_lossy(&self.pending)
            );
        }
    }

    /// The next question (not a redraw of the last one), or `None` when the program ends.
    fn next_question(&mut self) -> Option<String> {
        loop {
            let message = self.wait_for(QUESTION)?;
            if self.last.as_deref() != Some(message.as_str()) {
                self.last = Some(message.clone());
                return Some(message);
            }
        }
    }

    /// Waits for a question containing `text` and answers it with `keys`.
    fn answer(&mut self, text: &str, keys: &str) {
        let q = self.next_question().unwrap_or_else(|| {
            panic!(
                "the wizard ended before asking {text:?}:\n{}",
                self.transcript
            )
        });
        assert!(
            q.contains(text),
            "expected the question {text:?}, got {q:?}; screen:\n{}",
            self.transcript
        );
        self.send(keys);
    }

    /// Answers every remaining question with its default (Enter) and returns them.
    fn accept_rest(&mut self) -> Vec<String> {
        let mut asked = Vec::new();
        while let Some(q) = self.next_question() {
            asked.push(q);
            self.send(ENTER);
        }
        asked
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("type into the terminal");
    }

    /// Reads to the end and returns the exit code.
    fn finish(mut self) -> (i32, String) {
        while self.wait_for(r"\n").is_some() {}
        self.wait_for("$^never");
        let started = Instant::now();
        loop {
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return (code, self.transcript),
                Ok(WaitStatus::Signaled(_, sig, _)) => {
                    panic!("killed by {sig:?}\n{}", self.transcript)
                }
                _ => {}
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "dockgen did not exit:\n{}",
                self.transcript
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// `dockgen init --yes ARGS .` on a fresh copy of the fixture; returns the copy.
fn with_yes(fixture: &str, args: &[&str]) -> tempfile::TempDir {
    let dir = wizard_fixture(fixture);
    let mut all = vec!["init", "--yes"];
    all.extend_from_slice(args);
    all.push(".");
    let out = dockgen(&all, dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "dockgen {all:?} failed:\n{}",
        text(&out.stderr)
    );
    dir
}

fn assert_same_tree(wizard: &Path, yes: &Path, transcript: &str) {
    let a = tree_state(wizard);
    let b = tree_state(yes);
    let names = |t: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        t.keys()
            .map(|k| k.display().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b), "different files\n{transcript}");
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "{} differs from the --yes output:\n--- wizard\n{}\n--- --yes\n{}",
            path.display(),
            text(bytes),
            text(&b[path])
        );
    }
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn accepting_every_default_writes_what_yes_writes() {
    let dir = wizard_fixture("express");
    let mut w = Wizard::start(dir.path(), &[], false);
    let asked = w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");

    // It said what it found, and why, before asking anything.
    let first_question = screen.find("? Runtime version:").expect("asks the version");
    let summary = &screen[..first_question];
    assert!(summary.contains("node project at ."), "{summary}");
    assert!(summary.contains("package.json"), "{summary}");
    assert!(summary.contains("node server.js"), "{summary}");
    assert_eq!(asked.first().map(String::as_str), Some("Runtime version:"));
    assert!(asked.iter().any(|q| q == "Start command:"), "{asked:?}");
    assert!(asked.iter().any(|q| q == "Port:"), "{asked:?}");
    // Dockerfile, .dockerignore and dockgen.toml, as with --yes.
    assert_eq!(asked.last().map(String::as_str), Some("Write 3 files?"));
    assert!(screen.contains("wrote Dockerfile"), "{screen}");
    assert!(!screen.contains("\x1b[31m"), "NO_COLOR was set:\n{screen}");

    let yes = with_yes("express", &[]);
    assert_same_tree(dir.path(), yes.path(), &screen);
    // The dockgen.toml it wrote describes what it wrote.
    let check = dockgen(&["check", "."], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn changed_port_and_start_command_reach_the_dockerfile() {
    let dir = wizard_fixture("express");
    let mut w = Wizard::start(dir.path(), &[], false);
    w.answer("Runtime version:", ENTER);
    w.answer(
        "Start command:",
        &format!("{CLEAR}node --enable-source-maps server.js{ENTER}"),
    );
    w.answer("Port:", &format!("{CLEAR}8080{ENTER}"));
    w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");

    let dockerfile = read(dir.path(), "Dockerfile");
    let ins = instructions(&dockerfile);
    assert!(
        ins.iter().any(|(k, v)| k == "EXPOSE" && v == "8080"),
        "{dockerfile}"
    );
    let run: Vec<String> = ins
        .iter()
        .filter(|(k, _)| k == "ENTRYPOINT" || k == "CMD")
        .flat_map(|(_, v)| serde_json::from_str::<Vec<String>>(v).unwrap())
        .collect();
    assert!(
        run.iter().any(|w| w == "--enable-source-maps"),
        "the start command is not in ENTRYPOINT/CMD: {run:?}\n{dockerfile}"
    );
    assert!(
        dockerfile_violations(&dockerfile).is_empty(),
        "{dockerfile}"
    );

    // The same decisions as flags give the same bytes: one decision path.
    let yes = with_yes(
        "express",
        &[
            "--port",
            "8080",
            "--start",
            "node --enable-source-maps server.js",
        ],
    );
    assert_same_tree(dir.path(), yes.path(), &screen);
}

#[test]
fn choosing_a_monorepo_member_writes_its_files_and_a_compose_file() {
    let dir = wizard_fixture("monorepo");
    let detected = dockgen(&["detect", "--json", "."], dir.path());
    assert_eq!(
        detected.status.code(),
        Some(0),
        "{}",
        text(&detected.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&detected.stdout).unwrap();
    let projects = json["projects"].as_array().unwrap();
    assert!(projects.len() >= 2, "a monorepo with several apps: {json}");
    let member = projects[1]["path"].as_str().unwrap().to_string();
    assert_ne!(member, ".");

    let mut w = Wizard::start(dir.path(), &[], false);
    w.answer(
        "Which project should get a Dockerfile?",
        &format!("{DOWN}{ENTER}"),
    );
    let mut asked = Vec::new();
    while let Some(q) = w.next_question() {
        let keys = if q.starts_with("Also write compose.yaml") {
            format!("y{ENTER}")
        } else {
            ENTER.to_string()
        };
        asked.push(q);
        w.send(&keys);
    }
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(asked.contains(&"Write 4 files?".to_string()), "{asked:?}");

    let member_dir = dir.path().join(&member);
    assert!(member_dir.join("Dockerfile").is_file(), "{screen}");
    assert!(member_dir.join("Dockerfile.dockerignore").is_file());
    assert!(!dir.path().join("Dockerfile").exists());

    // Every file, dockgen.toml with its `compose = true` answer included: byte for byte what
    // --yes --compose --project writes.
    let yes = with_yes("monorepo", &["--compose", "--project", &member]);
    for name in [
        "Dockerfile",
        "Dockerfile.dockerignore",
        "compose.yaml",
        "dockgen.toml",
    ] {
        assert_eq!(
            read(&member_dir, name),
            read(&yes.path().join(&member), name),
            "{member}/{name}"
        );
    }

    // The compose file builds that Dockerfile from the root and publishes the port it exposes.
    let compose_text = read(&member_dir, "compose.yaml");
    assert!(compose_text.starts_with("# Generated by dockgen"));
    let compose: serde_yaml_ng::Value = serde_yaml_ng::from_str(&compose_text).unwrap();
    let services = compose["services"].as_mapping().expect("services");
    assert_eq!(services.len(), 1, "{compose_text}");
    let service = services.values().next().unwrap();
    let context = member_dir.join(service["build"]["context"].as_str().unwrap());
    assert_eq!(
        context.canonicalize().unwrap(),
        dir.path().canonicalize().unwrap(),
        "the context is the root the Dockerfile is built from"
    );
    let dockerfile_in_context = context.join(service["build"]["dockerfile"].as_str().unwrap());
    assert_eq!(
        dockerfile_in_context.canonicalize().unwrap(),
        member_dir.join("Dockerfile").canonicalize().unwrap()
    );
    let dockerfile = read(&member_dir, "Dockerfile");
    let exposed = instructions(&dockerfile)
        .into_iter()
        .find(|(k, _)| k == "EXPOSE")
        .map(|(_, v)| v)
        .expect("the member serves HTTP");
    let ports: Vec<&str> = service["ports"]
        .as_sequence()
        .expect("ports")
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(ports, [format!("127.0.0.1:{exposed}:{exposed}")]);
    assert!(
        !compose_text.contains("environment"),
        "no secrets: {compose_text}"
    );
}

#[test]
fn skip_leaves_an_existing_dockerfile_untouched() {
    // A Dockerfile dockgen wrote earlier with another port: the wizard wants to change it.
    let dir = with_yes("express", &["--port", "9000"]);
    let before = tree_state(dir.path());

    let mut w = Wizard::start(dir.path(), &[], true);
    let mut diff_shown = 0;
    loop {
        let q = w.next_question().expect("the wizard asks about Dockerfile");
        if q == "Dockerfile already exists. What should dockgen do?" {
            diff_shown += 1;
            if diff_shown == 1 {
                // "show the diff again" is the third option; then the same question comes back.
                w.send(&format!("{DOWN}{DOWN}{ENTER}"));
                w.wait_for("--- a/Dockerfile").expect("the diff again");
                let again = w.wait_for(QUESTION).expect("asked again");
                assert_eq!(again, q);
            }
            w.send(&format!("{DOWN}{ENTER}"));
            break;
        }
        w.send(ENTER);
    }
    let rest = w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(
        rest.is_empty(),
        "nothing left to write, nothing to confirm: {rest:?}"
    );
    assert!(screen.contains("Nothing to write"), "{screen}");
    assert_eq!(tree_state(dir.path()), before, "skip changed the project");

    // The diff was shown twice, coloured (NO_COLOR was not set), from the old port to the new.
    assert_eq!(screen.matches("+++ b/Dockerfile").count(), 2, "{screen}");
    assert!(screen.contains("\x1b[31m-EXPOSE 9000"), "{screen}");
    assert!(screen.contains("\x1b[32m+EXPOSE "), "{screen}");
}

#[test]
fn runtime_image_and_no_health_check_are_choices_too() {
    let dir = wizard_fixture("go-service");
    let mut w = Wizard::start(dir.path(), &[], false);
    w.answer("Runtime version:", ENTER);
    w.answer("Start command:", ENTER);
    w.answer("Port:", ENTER);
    w.answer("Health-check path:", &format!("{CLEAR}none{ENTER}"));
    // Typing filters the options; each option carries its trade-off.
    w.answer("Runtime image:", &format!("scratch{ENTER}"));
    w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("no shell or package manager"),
        "distroless is offered with its trade-off:\n{screen}"
    );

    let dockerfile = read(dir.path(), "Dockerfile");
    let ins = instructions(&dockerfile);
    assert!(
        ins.iter()
            .any(|(k, v)| k == "FROM" && v.starts_with("scratch")),
        "{dockerfile}"
    );
    assert!(
        ins.iter().any(|(k, v)| k == "HEALTHCHECK" && v == "NONE"),
        "{dockerfile}"
    );
    let yes = with_yes("go-service", &["--base", "scratch", "--no-healthcheck"]);
    assert_same_tree(dir.path(), yes.path(), &screen);
}

#[test]
fn ctrl_c_at_the_second_question_writes_nothing_and_exits_130() {
    let dir = wizard_fixture("express");
    let before = tree_state(dir.path());
    let mut w = Wizard::start(dir.path(), &[], false);
    w.next_question().expect("a first question");
    w.send(ENTER);
    w.next_question().expect("a second question");
    w.send(CTRL_C);
    let (code, screen) = w.finish();
    assert_eq!(code, 130, "{screen}");
    assert!(screen.contains("nothing was written"), "{screen}");
    assert_eq!(tree_state(dir.path()), before);
}

#[test]
fn esc_at_the_final_confirmation_writes_nothing_and_exits_130() {
    let dir = wizard_fixture("express");
    let before = tree_state(dir.path());
    let mut w = Wizard::start(dir.path(), &[], false);
    loop {
        let q = w.next_question().expect("reaches the confirmation");
        if q.starts_with("Write ") {
            w.send(ESC);
            break;
        }
        w.send(ENTER);
    }
    let (code, screen) = w.finish();
    assert_eq!(code, 130, "{screen}");
    assert_eq!(tree_state(dir.path()), before);
}

#[test]
fn ambiguous_package_managers_are_asked_about() {
    let dir = wizard_fixture("python-ambiguous");
    // --yes will not guess, and says which files disagree.
    let refused = dockgen(&["init", "--yes", "."], dir.path());
    let message = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{message}");
    assert!(
        message.contains("uv.lock") && message.contains("requirements.txt"),
        "{message}"
    );

    let mut w = Wizard::start(dir.path(), &[], false);
    // Typing filters the options; only uv's entry contains "uv.lock".
    w.answer(
        "Which package manager does this project use?",
        &format!("uv.lock{ENTER}"),
    );
    w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    let yes = with_yes("python-ambiguous", &["--package-manager", "uv"]);
    assert_same_tree(dir.path(), yes.path(), &screen);
}

#[test]
fn several_binaries_are_asked_about() {
    let fixture = fixtures_dir().join("rust").join("several-bins");
    let dir = temp_copy(&fixture);
    // --yes will not guess, and lists the binaries.
    let refused = dockgen(&["init", "--yes", "."], dir.path());
    let message = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{message}");
    assert!(message.contains("admin, migrate, server"), "{message}");

    let mut w = Wizard::start(dir.path(), &[], false);
    w.answer(
        "Which program should the image build and run?",
        &format!("{DOWN}{ENTER}"),
    );
    w.accept_rest();
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    // One line per binary, the first one pre-selected.
    assert!(
        screen.contains("> admin\r\n  migrate\r\n  server\r\n"),
        "{screen}"
    );

    let stdout = dockgen(
        &["init", "--yes", "--bin", "migrate", "--stdout", "."],
        temp_copy(&fixture).path(),
    );
    assert_eq!(stdout.status.code(), Some(0), "{}", text(&stdout.stderr));
    assert_eq!(
        read(dir.path(), "Dockerfile"),
        text(&stdout.stdout),
        "{screen}"
    );
    // The answer differs from what detection could settle on, so it is saved for reruns.
    let saved: toml::Value = toml::from_str(&read(dir.path(), "dockgen.toml")).unwrap();
    assert_eq!(
        saved
            .get("answers")
            .and_then(|a| a.get("bin"))
            .and_then(|b| b.as_str()),
        Some("migrate"),
        "{saved}"
    );
    let check = dockgen(&["check", "."], dir.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn without_a_terminal_init_asks_for_yes() {
    let dir = wizard_fixture("express");
    let before = tree_state(dir.path());
    let out = dockgen(&["init", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--yes"), "{}", text(&out.stderr));
    assert_eq!(tree_state(dir.path()), before);
}

/// Answers like a user who presses Enter everywhere except at the questions listed, and checks
/// every answer it gives the way the prompt would.
struct Script {
    answers: Vec<(&'static str, &'static str)>,
    asked: Vec<String>,
    /// Each text question with the value it showed.
    shown: Vec<(String, String)>,
    /// A question whose check is tried on these answers (the shown value is still given).
    probe: Option<(&'static str, &'static [&'static str])>,
    /// What the check said about each probed answer.
    verdicts: Vec<(String, bool)>,
}

impl Script {
    fn new(answers: &[(&'static str, &'static str)]) -> Script {
        Script {
            answers: answers.to_vec(),
            asked: Vec::new(),
            shown: Vec::new(),
            probe: None,
            verdicts: Vec::new(),
        }
    }
}

impl Prompter for Script {
    fn text(&mut self, q: &TextQuestion<'_>) -> dockgen::error::Result<String> {
        self.asked.push(q.message.to_string());
        self.shown
            .push((q.message.to_string(), q.initial.to_string()));
        assert!((q.check)(q.initial).is_ok(), "the shown value is accepted");
        if let Some((question, candidates)) = self.probe {
            if q.message == question {
                for c in candidates {
                    self.verdicts.push((c.to_string(), (q.check)(c).is_ok()));
                }
            }
        }
        match self.answers.iter().find(|(m, _)| *m == q.message) {
            Some((_, answer)) => {
                (q.check)(answer).unwrap_or_else(|e| panic!("{answer:?} refused: {e}"));
                Ok(answer.to_string())
            }
            None => Ok(q.initial.to_string()),
        }
    }

    fn select(
        &mut self,
        message: &str,
        _options: &[String],
        start: usize,
        _help: Option<&str>,
    ) -> dockgen::error::Result<usize> {
        self.asked.push(message.to_string());
        Ok(start)
    }

    fn confirm(
        &mut self,
        message: &str,
        default: bool,
        _help: Option<&str>,
    ) -> dockgen::error::Result<bool> {
        self.asked.push(message.to_string());
        Ok(default)
    }
}

fn interview(fixture: &str, script: &mut Script) -> dockgen::wizard::Answers {
    interview_in(&wizard_fixture(fixture), script)
}

fn interview_in(dir: &tempfile::TempDir, script: &mut Script) -> dockgen::wizard::Answers {
    dockgen::wizard::interview(
        dir.path(),
        &Choices::default(),
        script,
        &mut Vec::new(),
        Style { color: false },
    )
    .expect("the interview ends")
}

#[test]
fn only_answers_that_differ_from_the_shown_value_become_choices() {
    let mut defaults = Script::new(&[]);
    let answers = interview("express", &mut defaults);
    assert_eq!(answers.choices, Choices::default(), "{:?}", defaults.asked);
    assert!(!answers.compose);

    let mut changed = Script::new(&[("Port:", "8080"), ("Start command:", "node server.js")]);
    let answers = interview("express", &mut changed);
    assert_eq!(
        answers.choices,
        Choices {
            port: Some(8080),
            ..Choices::default()
        },
        "the start command was left as shown, so only the port is a choice"
    );
}

#[test]
fn a_go_module_with_several_main_packages_asks_which_one() {
    let dir = temp_copy(&fixtures_dir().join("go").join("go-cmd-layout"));
    let mut script = Script::new(&[]);
    let answers = interview_in(&dir, &mut script);
    assert_eq!(
        script.asked.first().map(String::as_str),
        Some("Which program should the image build and run?"),
        "{:?}",
        script.asked
    );
    // Taking the pre-selected entry is still a pick detection could not make: it is a choice.
    assert_eq!(answers.choices.bin.as_deref(), Some("api"));
}

#[test]
fn questions_show_the_values_the_plan_uses() {
    let shown = |fixture: &str| {
        let mut script = Script::new(&[]);
        interview(fixture, &mut script);
        script.shown
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    // The health paths come from the routes in the source (main.go, app/main.py), confirmed by
    // planning rather than read from the probe's text.
    assert_eq!(
        shown("go-service"),
        pairs(&[
            ("Runtime version:", "1.23"),
            ("Start command:", "shipping"),
            ("Port:", "8080"),
            ("Health-check path:", "/healthz"),
        ])
    );
    let python = shown("python-ambiguous");
    assert!(
        python.contains(&("Health-check path:".to_string(), "/health".to_string())),
        "{python:?}"
    );
    assert!(
        python.contains(&("Port:".to_string(), "8000".to_string())),
        "{python:?}"
    );
}

#[test]
fn bad_answers_are_refused_at_the_prompt() {
    let cases: &[(&str, &[&str], &[bool])] = &[
        (
            "Port:",
            &["8080", "0", "70000", "http", ""],
            &[true, false, false, false, false],
        ),
        (
            "Runtime version:",
            &["22", "22\nRUN rm -rf /", "${X}", "latest but spaced"],
            &[true, false, false, false],
        ),
        (
            "Start command:",
            &[
                "node server.js --inspect",
                "node 'unclosed",
                "",
                "node\u{7}server.js",
            ],
            &[true, false, false, false],
        ),
        (
            "Health-check path:",
            &["/healthz", "none", "healthz", "/a b", "/x\"]"],
            &[true, true, false, false, false],
        ),
    ];
    for (question, candidates, expected) in cases {
        let mut script = Script::new(&[]);
        script.probe = Some((question, candidates));
        interview("express", &mut script);
        let got: Vec<bool> = script.verdicts.iter().map(|(_, ok)| *ok).collect();
        assert_eq!(&got, expected, "{question} {:?}", script.verdicts);
    }
}

#[test]
fn a_compose_file_dockgen_wrote_is_kept_in_step_by_default() {
    let dir = wizard_fixture("express");
    // An earlier run wrote compose.yaml for port 9000; the project now gets the detected port.
    let earlier = Choices {
        port: Some(9000),
        ..Choices::default()
    };
    let old = dockgen::generate(dir.path(), &earlier).unwrap();
    let old_compose = dockgen::wizard::compose_output(dir.path(), &old).unwrap();
    std::fs::write(&old_compose.path, &old_compose.contents).unwrap();
    assert!(old_compose.contents.contains("127.0.0.1:9000:9000"));

    let mut script = Script::new(&[]);
    let code = dockgen::wizard::run_with(
        dir.path(),
        &Choices::default(),
        false,
        &mut script,
        &mut Vec::new(),
        Style { color: false },
    )
    .unwrap();
    assert_eq!(code, 0);
    let compose = read(dir.path(), "compose.yaml");
    let dockerfile = read(dir.path(), "Dockerfile");
    let port = instructions(&dockerfile)
        .into_iter()
        .find(|(k, _)| k == "EXPOSE")
        .map(|(_, v)| v)
        .unwrap();
    assert_ne!(port, "9000");
    assert!(
        compose.contains(&format!("\"127.0.0.1:{port}:{port}\"")),
        "{compose}"
    );
    assert!(
        script
            .asked
            .iter()
            .any(|q| q == "Also write compose.yaml for local runs?"),
        "{:?}",
        script.asked
    );
}

#[test]
fn ci_and_compose_flags_reach_the_wizard_and_its_files_match_yes() {
    // In a real terminal: `init --ci github --compose` asks the usual questions (compose
    // pre-answered yes), and every file it writes is what `--yes` writes with the same flags.
    let dir = wizard_fixture("express");
    let mut w = Wizard::start(dir.path(), &["--ci", "github", "--compose"], false);
    let mut asked = Vec::new();
    while let Some(q) = w.next_question() {
        asked.push(q);
        w.send(ENTER);
    }
    let (code, screen) = w.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(asked.contains(&"Write 5 files?".to_string()), "{asked:?}");
    let yes = with_yes("express", &["--ci", "github", "--compose"]);
    for name in [
        "Dockerfile",
        ".dockerignore",
        "compose.yaml",
        ".github/workflows/docker.yml",
        "dockgen.toml",
    ] {
        assert_eq!(read(dir.path(), name), read(yes.path(), name), "{name}");
    }
    let toml = read(dir.path(), "dockgen.toml");
    assert!(
        toml.contains("compose = true") && toml.contains("ci = \"github\""),
        "{toml}"
    );
}
