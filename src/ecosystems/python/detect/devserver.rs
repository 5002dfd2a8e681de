//! Development servers in Python start commands (`flask run --debug`, `manage.py runserver`,
//! `uvicorn --reload`, `fastapi dev`, ...), wherever a start command comes from (a Procfile, the
//! user's `--start`), and the production command that replaces each one.
//!
//! A development server reloads on file changes, serves one request at a time or prints debug
//! pages with source code to anyone who asks: it never belongs in an image. When the project's
//! application object is known the production server runs it; otherwise the caller stops with a
//! message saying what to pass.

use super::Start;

/// A development server found in a start command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevServer {
    /// What it is, for messages: "Flask's development server (`flask run`)".
    pub what: &'static str,
    pub kind: DevKind,
}

/// What kind of development server, and what can be kept from its command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevKind {
    /// `flask run`, with the `--app` value when the command names one.
    Flask { app: Option<String> },
    /// `manage.py runserver` / `django-admin runserver`.
    Django,
    /// `fastapi dev [path]`.
    FastapiDev,
    /// A production server started with auto-reload (`uvicorn --reload`, `gunicorn --reload`,
    /// `hypercorn --reload`): the same command without the reload options.
    Reload { argv: Vec<String> },
}

/// Options that only make sense with auto-reload, and whether each takes a value.
const RELOAD_OPTIONS: &[(&str, bool)] = &[
    ("--reload", false),
    ("--reload-dir", true),
    ("--reload-include", true),
    ("--reload-exclude", true),
    ("--reload-delay", true),
    ("--reload-engine", true),
    ("--reload-extra-file", true),
];

/// Recognises a development server in `argv` (`python -m`, `python manage.py` and a leading
/// `poetry run` / `pipenv run` / `uv run` / `pdm run` included).
pub fn recognise(argv: &[String]) -> Option<DevServer> {
    let mut words: Vec<&str> = argv.iter().map(String::as_str).collect();
    // Runner prefixes: `poetry run flask run`, `uv run -- uvicorn ...`.
    if let [tool, "run", rest @ ..] = words.as_slice() {
        if matches!(*tool, "poetry" | "pipenv" | "uv" | "pdm" | "hatch" | "rye") {
            words = rest.iter().copied().skip_while(|w| *w == "--").collect();
        }
    }
    // `python -m flask run`, `python3 -m uvicorn ...`, `python manage.py runserver`.
    let program = |w: &str| w.rsplit('/').next().unwrap_or(w).to_string();
    let first = program(words.first()?);
    if first.starts_with("python") {
        match words.get(1).copied() {
            Some("-m") => words = words[2..].to_vec(),
            Some(script) if script.ends_with("manage.py") => {
                return words
                    .get(2)
                    .filter(|w| **w == "runserver" || **w == "runserver_plus")
                    .map(|_| django());
            }
            _ => return None,
        }
    }
    let first = program(words.first()?);
    match first.as_str() {
        "manage.py" | "django-admin" | "django-admin.py" => words
            .get(1)
            .filter(|w| **w == "runserver" || **w == "runserver_plus")
            .map(|_| django()),
        "flask" => {
            // `flask [--app X] [--debug] run ...`
            words.iter().position(|w| *w == "run")?;
            let app = words.windows(2).find_map(|w| match w {
                ["--app" | "-A", value] => Some(value.to_string()),
                _ => None,
            });
            let app = app.or_else(|| {
                words
                    .iter()
                    .find_map(|w| w.strip_prefix("--app="))
                    .map(str::to_string)
            });
            Some(DevServer {
                what: "Flask's development server (`flask run`)",
                kind: DevKind::Flask { app },
            })
        }
        "fastapi" => (words.get(1) == Some(&"dev")).then_some(DevServer {
            what: "FastAPI's development server (`fastapi dev`, which reloads on changes)",
            kind: DevKind::FastapiDev,
        }),
        "uvicorn" | "gunicorn" | "hypercorn" | "granian" => {
            if !words.iter().any(|w| {
                RELOAD_OPTIONS
                    .iter()
                    .any(|(o, _)| w == o || w.starts_with(&format!("{o}=")))
            }) {
                return None;
            }
            let mut kept = Vec::new();
            let mut skip_value = false;
            for w in &words {
                if skip_value {
                    skip_value = false;
                    continue;
                }
                if let Some((_, takes)) = RELOAD_OPTIONS.iter().find(|(o, _)| w == o) {
                    skip_value = *takes;
                    continue;
                }
                if RELOAD_OPTIONS
                    .iter()
                    .any(|(o, _)| w.starts_with(&format!("{o}=")))
                {
                    continue;
                }
                kept.push(w.to_string());
            }
            Some(DevServer {
                what: match first.as_str() {
                    "uvicorn" => "uvicorn with auto-reload (`--reload`)",
                    "gunicorn" => "gunicorn with auto-reload (`--reload`)",
                    "hypercorn" => "hypercorn with auto-reload (`--reload`)",
                    _ => "granian with auto-reload (`--reload`)",
                },
                kind: DevKind::Reload { argv: kept },
            })
        }
        _ => None,
    }
}

fn django() -> DevServer {
    DevServer {
        what: "Django's development server (`manage.py runserver`)",
        kind: DevKind::Django,
    }
}

/// The production command for a development server: the detected application under its
/// production server, or the same server without reload. `Err` carries the message that says
/// what to pass instead (`source` names where the command came from, e.g. "--start").
pub fn production(
    dev: &DevServer,
    detected: Option<&Start>,
    port: Option<u16>,
    source: &str,
) -> Result<Vec<String>, String> {
    let port_text = port.unwrap_or(8000);
    let refuse = |example: String| {
        format!(
            "{source} runs {}, which is not meant for production, and dockgen found no application \
             object to serve with a production server instead.\nPass the production command, e.g. \
             --start \"{example}\"",
            dev.what
        )
    };
    match &dev.kind {
        DevKind::Reload { argv } => {
            let mut argv = argv.clone();
            if argv.first().map(String::as_str) == Some("uvicorn") {
                bind_all_interfaces(&mut argv);
            }
            Ok(argv)
        }
        DevKind::Django => match detected {
            Some(s @ Start::Gunicorn { .. }) => Ok(s.argv(port)),
            _ => Err(refuse(format!(
                "gunicorn --bind 0.0.0.0:{port_text} mysite.wsgi:application"
            ))),
        },
        DevKind::Flask { app } => match (detected, app) {
            (Some(s @ Start::Gunicorn { .. }), _) => Ok(s.argv(port)),
            (_, Some(app)) if flask_app_is_plain(app) => {
                let app = if app.contains(':') {
                    app.clone()
                } else {
                    format!("{app}:app")
                };
                Ok(Start::Gunicorn { app }.argv(port))
            }
            _ => Err(refuse(format!(
                "gunicorn --bind 0.0.0.0:{port_text} app:app"
            ))),
        },
        DevKind::FastapiDev => match detected {
            Some(s @ Start::Uvicorn { .. }) => Ok(s.argv(port)),
            _ => Err(refuse(format!(
                "uvicorn main:app --host 0.0.0.0 --port {port_text}"
            ))),
        },
    }
}

/// `--app module`, `--app module:name` or `--app module:factory()` with plain identifiers.
fn flask_app_is_plain(app: &str) -> bool {
    let (module, attr) = app.split_once(':').unwrap_or((app, "app"));
    let attr = attr.strip_suffix("()").unwrap_or(attr);
    super::code::is_dotted_identifier(module) && super::code::is_identifier(attr)
}

/// uvicorn listens on 127.0.0.1 unless told otherwise: a container needs all interfaces.
pub fn bind_all_interfaces(argv: &mut Vec<String>) {
    match argv.iter().position(|w| w == "--host") {
        Some(i) if i + 1 < argv.len() => argv[i + 1] = "0.0.0.0".into(),
        Some(_) => argv.push("0.0.0.0".into()),
        None => {
            if let Some(i) = argv.iter().position(|w| w.starts_with("--host=")) {
                argv[i] = "--host=0.0.0.0".into();
            } else {
                argv.extend(["--host".to_string(), "0.0.0.0".to_string()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn development_servers_are_recognised_wherever_they_hide() {
        for cmd in [
            "flask run --debug",
            "flask --app hello run",
            "python -m flask run --host 0.0.0.0",
            "poetry run flask run",
            "python manage.py runserver 0.0.0.0:8000",
            "python3 manage.py runserver",
            "django-admin runserver",
            "uvicorn main:app --reload",
            "uv run -- uvicorn main:app --reload-dir src --reload",
            "fastapi dev main.py",
            "gunicorn --reload app:app",
        ] {
            assert!(recognise(&words(cmd)).is_some(), "{cmd}");
        }
        for cmd in [
            "gunicorn app:app",
            "uvicorn main:app",
            "fastapi run main.py",
            "python manage.py migrate",
            "python worker.py",
            "flask db upgrade",
        ] {
            assert_eq!(recognise(&words(cmd)), None, "{cmd}");
        }
    }

    #[test]
    fn production_commands_replace_them_or_say_what_to_pass() {
        let flask = Start::Gunicorn {
            app: "app:app".into(),
        };
        let dev = recognise(&words("flask run --debug")).unwrap();
        assert_eq!(
            production(&dev, Some(&flask), Some(5000), "Procfile").unwrap()[..3],
            ["gunicorn", "--bind", "0.0.0.0:5000"]
        );
        let dev = recognise(&words("flask --app hello run")).unwrap();
        assert!(
            production(&dev, None, None, "--start")
                .unwrap()
                .contains(&"hello:app".to_string())
        );
        let dev = recognise(&words("python manage.py runserver")).unwrap();
        let err = production(&dev, None, Some(8000), "--start").unwrap_err();
        assert!(err.contains("--start \"gunicorn"), "{err}");
        let dev = recognise(&words("uvicorn main:app --reload --host 127.0.0.1")).unwrap();
        assert_eq!(
            production(&dev, None, None, "Procfile").unwrap(),
            words("uvicorn main:app --host 0.0.0.0")
        );
    }
}
