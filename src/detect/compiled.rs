//! What a Procfile says about a compiled program (Go, Rust): which binary its `web` (or only
//! worker) process runs, whether it serves HTTP, and the start command in the image, where the
//! binary lives at `/usr/local/bin/<name>`.

use crate::detect::Evidence;
use crate::error::Result;
use crate::procfile::{ProcessKind, Procfile};
use crate::source::ProjectDir;

/// The Procfile's verdict for a compiled program.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcfileStart {
    /// The binary the process runs, when it names one of the candidates.
    pub bin: Option<String>,
    /// `Some(true)`: a `web` process (serves HTTP on `$PORT`); `Some(false)`: only processes that
    /// serve nothing (workers).
    pub serves_http: Option<bool>,
    /// The process reads `$PORT`.
    pub reads_port: bool,
    /// The process's arguments after the binary (exec form), when it runs without a shell.
    pub args: Option<Vec<String>>,
}

impl ProcfileStart {
    /// The start command in the image for `bin`, with `$PORT` replaced by `port` (the image sets
    /// the same value in `PORT`).
    pub fn entrypoint(&self, bin: &str, port: Option<u16>) -> Option<Vec<String>> {
        let args = self.args.as_ref()?;
        let mut argv = vec![format!("/usr/local/bin/{bin}")];
        for a in args {
            if a.contains('$') {
                let p = port?.to_string();
                argv.push(a.replace("${PORT}", &p).replace("$PORT", &p));
            } else {
                argv.push(a.clone());
            }
        }
        Some(argv)
    }
}

/// Applies the Procfile's verdict to what the sources say: a `web` process serves HTTP (on
/// `$PORT`, `default_port` when nothing names one); only workers serve nothing.
pub fn apply(
    procfile: &ProcfileStart,
    serving: &mut crate::detect::listen::Serving,
    default_port: Option<u16>,
) {
    match procfile.serves_http {
        Some(false) => *serving = crate::detect::listen::Serving::default(),
        Some(true) => {
            serving.serves_http = true;
            serving.reads_port_env |= procfile.reads_port;
            if serving.port.is_none() {
                serving.port = default_port;
                serving.port_assumed = default_port.is_some();
            }
        }
        None => {}
    }
}

/// Reads the Procfile in `dir` (if any) for a program whose binaries are `bins`.
pub fn read(
    dir: &ProjectDir,
    bins: &[String],
    ev: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
) -> Result<ProcfileStart> {
    let Some(procfile) = Procfile::read(dir)? else {
        return Ok(ProcfileStart::default());
    };
    let shown = procfile.path.to_string_lossy().replace('\\', "/");
    let mut out = ProcfileStart::default();
    if let Some(release) = procfile.release() {
        notes.push(format!(
            "{shown}:{}: release process `{}` runs once per deploy; it is not part of the image's start command (run it as a separate step)",
            release.line, release.command
        ));
    }
    let process = match procfile.web() {
        Some(web) => {
            out.serves_http = Some(true);
            web
        }
        None => {
            let workers = procfile.workers();
            let Some(first) = workers.first().copied() else {
                return Ok(out);
            };
            out.serves_http = Some(false);
            ev.push(Evidence::new(
                &shown,
                format!(
                    "no web process, only {}: a program that serves nothing over HTTP",
                    workers
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            first
        }
    };
    // `bin/api`, `./api`, `target/release/api`, `api`: the binary's name is the last segment.
    let program = process.argv.first().map(String::as_str).unwrap_or("");
    let name = program.rsplit('/').next().unwrap_or(program);
    out.bin = bins.iter().find(|b| *b == name).cloned();
    out.reads_port = process.variables.iter().any(|v| v == "PORT");
    let what = if process.kind == ProcessKind::Web {
        "web process"
    } else {
        "process"
    };
    match &out.bin {
        Some(bin) => {
            ev.push(Evidence::new(
                &shown,
                format!("{what} {:?} runs {bin}", process.command),
            ));
            // Only `$PORT` may need expanding; anything else needs a shell distroless lacks.
            let only_port = process.variables.iter().all(|v| v == "PORT")
                && process
                    .shell
                    .iter()
                    .all(|f| *f == crate::procfile::ShellFeature::Variable);
            if only_port {
                out.args = Some(process.argv[1..].to_vec());
            } else {
                notes.push(format!(
                    "{shown}:{}: the {} process needs a shell ({}), which the runtime image lacks; the image runs {bin} without its arguments (pass --start to change it)",
                    process.line,
                    process.name,
                    process.shell_reason()
                ));
            }
        }
        None => notes.push(format!(
            "{shown}:{}: the {} process runs {program:?}, which is none of the binaries this project builds ({}); ignored",
            process.line,
            process.name,
            bins.join(", ")
        )),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(args: &[&str]) -> ProcfileStart {
        ProcfileStart {
            args: Some(args.iter().map(|a| a.to_string()).collect()),
            ..ProcfileStart::default()
        }
    }

    #[test]
    fn port_variables_become_the_port() {
        let s = start(&["serve", "--listen", ":$PORT"]);
        assert_eq!(
            s.entrypoint("api", Some(8080)).unwrap(),
            ["/usr/local/bin/api", "serve", "--listen", ":8080"]
        );
        assert_eq!(s.entrypoint("api", None), None);
        assert_eq!(
            start(&[]).entrypoint("api", None).unwrap(),
            ["/usr/local/bin/api"]
        );
    }
}
