//! Procfiles (Heroku's format, read by every buildpack-style platform): `name: command` lines,
//! `#` comments and blank lines. The `web` process is the start command and serves HTTP on `$PORT`,
//! `worker` processes serve nothing, `release` runs once before a deploy.
//!
//! Commands are split into argv with the `shlex` crate; a command that relies on the shell
//! (variables such as `$PORT`, `&&`, pipes, redirections, a leading `VAR=value`) says so in
//! [`Process::shell`], so a planner can wrap it in `sh -c` or refuse. The text comes through the
//! source read gate ([`Procfile::read`]), so its size is capped and its errors are located.

use std::path::PathBuf;

use crate::error::Result;
use crate::source::{ProjectDir, SourceText};

/// The parsed Procfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procfile {
    /// As shown to the user (relative to the root dockgen was pointed at).
    pub path: PathBuf,
    /// In file order.
    pub processes: Vec<Process>,
}

/// One `name: command` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub name: String,
    pub kind: ProcessKind,
    /// The command as written (trimmed).
    pub command: String,
    /// The command split into words like a POSIX shell would, without expansion.
    pub argv: Vec<String>,
    /// Shell features the command uses; empty when `argv` can run in exec form as it is.
    pub shell: Vec<ShellFeature>,
    /// Environment variables the command expands (`PORT` for `--bind 0.0.0.0:$PORT`).
    pub variables: Vec<String>,
    /// 1-based line in the Procfile.
    pub line: usize,
}

/// What a process is for, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessKind {
    /// `web`: receives HTTP traffic on `$PORT`.
    Web,
    /// `worker`: background jobs, serves nothing.
    Worker,
    /// `release`: runs once per deploy (migrations), not a long-running process.
    Release,
    /// Any other name (`clock`, `scheduler`, ...): a process that serves nothing.
    Other,
}

/// A shell feature a command depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShellFeature {
    /// A leading `NAME=value` assignment.
    Assignment,
    /// `$NAME`, `${NAME}` or `$1`.
    Variable,
    /// `$(...)` or backquotes.
    CommandSubstitution,
    /// `&&` or `||`.
    AndOr,
    /// `|`.
    Pipe,
    /// `;` or a newline.
    Sequence,
    /// A trailing or inner `&`.
    Background,
    /// `<`, `>`, `2>&1`, ...
    Redirection,
    /// `*`, `?` or `[...]` outside quotes.
    Glob,
    /// `(`, `)`, `{`, `}` outside quotes.
    Grouping,
    /// `~` at the start of a word.
    Tilde,
    /// `#` at the start of a word: the rest of the line is a comment.
    Comment,
}

impl ShellFeature {
    pub fn describe(self) -> &'static str {
        match self {
            ShellFeature::Assignment => "a leading VAR=value assignment",
            ShellFeature::Variable => "variable expansion ($VAR)",
            ShellFeature::CommandSubstitution => "command substitution ($(...) or backquotes)",
            ShellFeature::AndOr => "&& or ||",
            ShellFeature::Pipe => "a pipe (|)",
            ShellFeature::Sequence => "a command list (;)",
            ShellFeature::Background => "a background job (&)",
            ShellFeature::Redirection => "a redirection (<, >)",
            ShellFeature::Glob => "a glob (*, ?, [...])",
            ShellFeature::Grouping => "grouping ((...) or {...})",
            ShellFeature::Tilde => "tilde expansion (~)",
            ShellFeature::Comment => "a # comment",
        }
    }
}

impl Process {
    /// True when the command only runs as intended under a shell.
    pub fn needs_shell(&self) -> bool {
        !self.shell.is_empty()
    }

    /// The exec-form argv when no shell is needed.
    pub fn exec_form(&self) -> Option<&[String]> {
        (!self.needs_shell()).then_some(self.argv.as_slice())
    }

    /// What the shell is needed for, as a phrase for a note (`"variable expansion ($VAR), && or ||"`).
    pub fn shell_reason(&self) -> String {
        self.shell
            .iter()
            .map(|f| f.describe())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Procfile {
    /// Reads `Procfile` in `dir` through the source read gate; `None` when there is none.
    pub fn read(dir: &ProjectDir) -> Result<Option<Procfile>> {
        match dir.read_opt("Procfile")? {
            Some(src) => Procfile::parse(&src).map(Some),
            None => Ok(None),
        }
    }

    /// Parses a Procfile's text. Malformed lines (no `name:`, a bad name, an empty command,
    /// unbalanced quotes, a name used twice) are input errors at `file:line:col`.
    pub fn parse(src: &SourceText) -> Result<Procfile> {
        let mut processes: Vec<Process> = Vec::new();
        let mut offset = 0;
        for (i, raw) in src.text.split('\n').enumerate() {
            let line_start = offset;
            offset += raw.len() + 1;
            let mut line = raw.strip_suffix('\r').unwrap_or(raw);
            let mut start = line_start;
            if i == 0 {
                if let Some(rest) = line.strip_prefix('\u{feff}') {
                    line = rest;
                    start += '\u{feff}'.len_utf8();
                }
            }
            let indent = line.len() - line.trim_start().len();
            let body = line.trim();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let at = |col_bytes: usize| start + indent + col_bytes;
            let Some(colon) = body.find(':') else {
                return Err(src.error_at(
                    at(0),
                    "not a Procfile line: expected `name: command` (for example `web: node server.js`)",
                ));
            };
            let name = body[..colon].trim_end();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(src.error_at(
                    at(0),
                    format!(
                        "invalid process name {name:?}: Procfile names use letters, digits, '_' and '-'"
                    ),
                ));
            }
            let after = &body[colon + 1..];
            let command = after.trim();
            let command_at = at(colon + 1 + (after.len() - after.trim_start().len()));
            if command.is_empty() {
                return Err(src.error_at(at(colon), format!("process {name:?} has no command")));
            }
            if let Some(first) = processes.iter().find(|p| p.name == name) {
                return Err(src.error_at(
                    at(0),
                    format!(
                        "process {name:?} is defined twice (first on line {}); a Procfile names each process once",
                        first.line
                    ),
                ));
            }
            let Some(argv) = shlex::split(command) else {
                return Err(src.error_at(
                    command_at,
                    format!("the command of process {name:?} has an unclosed quote or a trailing backslash"),
                ));
            };
            let scan = scan(command);
            processes.push(Process {
                name: name.to_string(),
                kind: match name {
                    "web" => ProcessKind::Web,
                    "worker" => ProcessKind::Worker,
                    "release" => ProcessKind::Release,
                    _ => ProcessKind::Other,
                },
                command: command.to_string(),
                argv,
                shell: scan.features,
                variables: scan.variables,
                line: i + 1,
            });
        }
        Ok(Procfile {
            path: src.path.clone(),
            processes,
        })
    }

    pub fn get(&self, name: &str) -> Option<&Process> {
        self.processes.iter().find(|p| p.name == name)
    }

    /// The `web` process: the start command, serving HTTP on `$PORT`.
    pub fn web(&self) -> Option<&Process> {
        self.processes.iter().find(|p| p.kind == ProcessKind::Web)
    }

    /// The `release` process (noted, not run by the image).
    pub fn release(&self) -> Option<&Process> {
        self.processes
            .iter()
            .find(|p| p.kind == ProcessKind::Release)
    }

    /// The long-running processes that serve nothing (`worker` first, then others in file order).
    pub fn workers(&self) -> Vec<&Process> {
        let mut out: Vec<&Process> = self
            .processes
            .iter()
            .filter(|p| p.kind == ProcessKind::Worker)
            .collect();
        out.extend(
            self.processes
                .iter()
                .filter(|p| p.kind == ProcessKind::Other),
        );
        out
    }

    /// True when the Procfile says the app serves HTTP (it has a `web` process).
    pub fn serves_http(&self) -> bool {
        self.web().is_some()
    }
}

struct Scan {
    features: Vec<ShellFeature>,
    variables: Vec<String>,
}

/// Finds the shell features a command uses, honouring quotes: nothing is special inside single
/// quotes, only `$` and backquotes inside double quotes.
fn scan(command: &str) -> Scan {
    use ShellFeature::*;
    let mut features = Vec::new();
    let mut variables: Vec<String> = Vec::new();
    let chars: Vec<char> = command.chars().collect();
    let mut i = 0;
    let (mut single, mut double) = (false, false);
    let mut word_start = true;
    let mut first_word = true;
    let mut first_word_text = String::new();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let at_word_start = word_start;
        word_start = false;
        if single {
            if c == '\'' {
                single = false;
            }
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                i += 2;
                continue;
            }
            '\'' if !double => single = true,
            '"' => double = !double,
            '$' => match next {
                Some('(') => {
                    features.push(CommandSubstitution);
                    // Skip to the matching parenthesis: what is inside runs in its own shell.
                    let mut depth = 0;
                    while i < chars.len() {
                        match chars[i] {
                            '(' => depth += 1,
                            ')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                }
                Some('{') => {
                    let name: String = chars[i + 2..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                        .collect();
                    features.push(Variable);
                    if !name.is_empty() && !variables.contains(&name) {
                        variables.push(name);
                    }
                    // `${NAME:-default}` is one expansion: skip to its closing brace.
                    while i < chars.len() && chars[i] != '}' {
                        i += 1;
                    }
                }
                Some(n) if n.is_ascii_alphabetic() || n == '_' => {
                    let name: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                        .collect();
                    features.push(Variable);
                    if !variables.contains(&name) {
                        variables.push(name);
                    }
                }
                Some(n) if n.is_ascii_digit() || "@*#?$!-".contains(n) => features.push(Variable),
                _ => {}
            },
            '`' => features.push(CommandSubstitution),
            _ if double => {}
            '&' if next == Some('&') => {
                features.push(AndOr);
                i += 1;
            }
            '|' if next == Some('|') => {
                features.push(AndOr);
                i += 1;
            }
            '|' => features.push(Pipe),
            '&' if next == Some('>') => {
                features.push(Redirection);
                i += 1;
            }
            '&' => features.push(Background),
            ';' | '\n' => features.push(Sequence),
            '<' | '>' => {
                features.push(Redirection);
                // `2>&1`, `<&3`: the `&` belongs to the redirection.
                if next == Some('&') {
                    i += 1;
                }
            }
            '*' | '?' | '[' => features.push(Glob),
            '(' | ')' | '{' | '}' => features.push(Grouping),
            '~' if at_word_start => features.push(Tilde),
            '#' if at_word_start => {
                features.push(Comment);
                break;
            }
            c if c.is_whitespace() => {
                word_start = true;
                if !first_word_text.is_empty() {
                    first_word = false;
                }
            }
            _ => {}
        }
        if first_word && !c.is_whitespace() {
            first_word_text.push(c);
        }
        i += 1;
    }
    // `NAME=value cmd`: an assignment is a first word whose text before `=` is a valid name.
    if let Some((name, _)) = first_word_text.split_once('=') {
        if !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            features.push(Assignment);
        }
    }
    features.sort();
    features.dedup();
    Scan {
        features,
        variables,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ShellFeature::*;

    fn parse(text: &str) -> Result<Procfile> {
        Procfile::parse(&SourceText::new("Procfile", text))
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_rails_style_procfile() {
        let p = parse(
            "# Heroku processes\n\
             web: bundle exec puma -C config/puma.rb\n\
             worker: bundle exec sidekiq -q default\n\
             \n\
             release: bundle exec rails db:migrate\n",
        )
        .unwrap();
        assert_eq!(p.processes.len(), 3);
        let web = p.web().unwrap();
        assert_eq!(web.line, 2);
        assert_eq!(
            web.exec_form().unwrap(),
            ["bundle", "exec", "puma", "-C", "config/puma.rb"]
        );
        assert_eq!(p.release().unwrap().argv[3], "db:migrate");
        assert_eq!(p.workers()[0].name, "worker");
        assert!(p.serves_http());
    }

    #[test]
    fn a_worker_only_procfile_serves_nothing() {
        let p = parse("worker: python bot.py\nclock: python -m scheduler\n").unwrap();
        assert!(!p.serves_http());
        assert_eq!(
            p.workers()
                .iter()
                .map(|w| w.name.as_str())
                .collect::<Vec<_>>(),
            ["worker", "clock"]
        );
        assert_eq!(p.get("clock").unwrap().kind, ProcessKind::Other);
    }

    #[test]
    fn port_variables_need_a_shell_and_are_named() {
        let p =
            parse("web: gunicorn app:app --bind 0.0.0.0:$PORT --workers ${WEB_CONCURRENCY:-2}\n")
                .unwrap();
        let web = p.web().unwrap();
        assert_eq!(web.shell, [Variable]);
        assert_eq!(web.variables, ["PORT", "WEB_CONCURRENCY"]);
        assert!(web.exec_form().is_none());
        assert_eq!(web.shell_reason(), "variable expansion ($VAR)");
        // argv is split without expansion.
        assert_eq!(web.argv[3], "0.0.0.0:$PORT");
    }

    #[test]
    fn shell_features_are_recognised_outside_quotes_only() {
        let cases: [(&str, &[ShellFeature]); 14] = [
            ("node dist/main.js --port 3000", &[]),
            ("NODE_ENV=production node server.js", &[Assignment]),
            ("npm run migrate && npm start", &[AndOr]),
            ("python manage.py migrate; gunicorn app.wsgi", &[Sequence]),
            ("./server 2>&1 | tee log.txt", &[Pipe, Redirection]),
            ("java -jar build/libs/*.jar", &[Glob]),
            ("bin/start `cat port`", &[CommandSubstitution]),
            (
                "bin/start --id $(hostname) &> out",
                &[CommandSubstitution, Redirection],
            ),
            ("worker.sh &", &[Background]),
            ("cd ~/app && ./run", &[AndOr, Tilde]),
            ("node -e 'a && b | c; $X'", &[]),
            ("echo \"port $PORT; ok\"", &[Variable]),
            ("node server.js # serves the API", &[Comment]),
            ("python -c \"print('x=1')\"", &[]),
        ];
        for (command, want) in cases {
            let p = parse(&format!("web: {command}\n")).unwrap();
            assert_eq!(p.web().unwrap().shell, want, "{command}");
        }
        // `--flag=value` is not an assignment; only a leading NAME=value is.
        let p = parse("web: node --max-old-space-size=512 a.js\n").unwrap();
        assert!(p.web().unwrap().shell.is_empty());
    }

    #[test]
    fn quoted_arguments_split_like_a_shell() {
        let p = parse("web: node \"my app.js\" --title='a b' c\\ d\n").unwrap();
        assert_eq!(
            p.web().unwrap().argv,
            ["node", "my app.js", "--title=a b", "c d"]
        );
    }

    #[test]
    fn crlf_bom_comments_and_spacing_are_accepted() {
        let p =
            parse("\u{feff}# comment\r\n  web:node index.js\r\n\r\nworker :  node jobs.js  \r\n")
                .unwrap();
        assert_eq!(p.web().unwrap().command, "node index.js");
        assert_eq!(p.get("worker").unwrap().argv, ["node", "jobs.js"]);
        assert_eq!(p.get("worker").unwrap().line, 4);
    }

    #[test]
    fn malformed_lines_are_located() {
        assert_eq!(
            err("web: node a.js\nthis is not a process\n"),
            "Procfile:2:1: not a Procfile line: expected `name: command` (for example `web: node server.js`)"
        );
        assert_eq!(
            err("web: node a.js\n  my app: node b.js\n"),
            "Procfile:2:3: invalid process name \"my app\": Procfile names use letters, digits, '_' and '-'"
        );
        assert_eq!(
            err("web:   \n"),
            "Procfile:1:4: process \"web\" has no command"
        );
        assert_eq!(
            err("web: node 'a.js\n"),
            "Procfile:1:6: the command of process \"web\" has an unclosed quote or a trailing backslash"
        );
        assert_eq!(
            err("web: a\nworker: b\nweb: c\n"),
            "Procfile:3:1: process \"web\" is defined twice (first on line 1); a Procfile names each process once"
        );
    }

    #[test]
    fn an_empty_procfile_has_no_processes() {
        let p = parse("\n# nothing yet\n").unwrap();
        assert!(p.processes.is_empty());
        assert!(!p.serves_http());
    }

    #[test]
    fn read_goes_through_the_source_gate() {
        let dir = tempfile::tempdir().unwrap();
        let project = ProjectDir::new(dir.path(), "apps/api");
        std::fs::create_dir_all(project.dir()).unwrap();
        assert_eq!(Procfile::read(&project).unwrap(), None);
        std::fs::write(project.path("Procfile"), "web node a.js\n").unwrap();
        let e = Procfile::read(&project).unwrap_err().to_string();
        assert!(e.starts_with("apps/api/Procfile:1:1: "), "{e}");
        std::fs::write(project.path("Procfile"), b"web: node \xff\n").unwrap();
        let e = Procfile::read(&project).unwrap_err().to_string();
        assert!(e.contains("not valid UTF-8"), "{e}");
    }
}
