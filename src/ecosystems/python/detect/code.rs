//! Reading a Python project's own source for the facts a start command needs: which module holds
//! the `FastAPI()` / `Flask()` application and under which name, Django's settings module and
//! `WSGI_APPLICATION`, a literal port, a health route.
//!
//! This is line-based pattern matching, not a Python parser: it looks only at top-level statements
//! (no indentation), which is where these things live in practice, and it never executes anything.
//! Every name it returns is checked to be a plain dotted identifier before it reaches a plan.

use std::path::Path;

use crate::error::Result;
use crate::source::{ProjectDir, SourceText};

/// Largest source file scanned; bigger files are generated code or data.
const MAX_SOURCE_BYTES: u64 = 512 * 1024;
/// Most `.py` files looked at when searching for an application object.
const MAX_FILES: usize = 400;
/// Directories never searched for application code.
const SKIP_DIRS: &[&str] = &[
    "tests",
    "test",
    "docs",
    "migrations",
    "node_modules",
    "site-packages",
    "venv",
    "env",
    "build",
    "dist",
    "__pycache__",
];

/// A Python source file of the project.
#[derive(Debug, Clone)]
pub struct PyFile {
    /// Path relative to the project directory, `/`-separated.
    pub rel: String,
    pub text: String,
}

impl PyFile {
    /// The module path (`app/main.py` → `app.main`), with a `src/` prefix removed (reported by
    /// [`PyFile::in_src`]); `None` when a part is not an identifier.
    pub fn module(&self) -> Option<String> {
        let rel = self.rel.strip_prefix("src/").unwrap_or(&self.rel);
        let rel = rel.strip_suffix(".py")?;
        let rel = rel.strip_suffix("/__init__").unwrap_or(rel);
        let module = rel.replace('/', ".");
        is_dotted_identifier(&module).then_some(module)
    }

    pub fn in_src(&self) -> bool {
        self.rel.starts_with("src/")
    }
}

/// Lists the project's `.py` files, conventional entry points first, then the rest by path.
pub fn python_files(dir: &ProjectDir) -> Vec<PyFile> {
    let base = dir.dir();
    let mut paths = Vec::new();
    let walker = crate::source::walker(&base)
        .max_depth(Some(4))
        .hidden(true)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIP_DIRS.contains(&name.as_ref()))
        })
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        if entry.metadata().is_ok_and(|m| m.len() > MAX_SOURCE_BYTES) {
            continue;
        }
        if let Ok(rel) = path.strip_prefix(&base) {
            if let Some(rel) = rel.to_str() {
                paths.push(rel.replace('\\', "/"));
            }
        }
        if paths.len() >= MAX_FILES {
            break;
        }
    }
    paths.sort_by_key(|p| (priority(p), p.matches('/').count(), p.clone()));
    paths
        .into_iter()
        .filter_map(|rel| {
            let text = dir.read_source_prefix(&rel)?;
            Some(PyFile { rel, text })
        })
        .collect()
}

/// Conventional application modules sort first.
fn priority(rel: &str) -> u8 {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name {
        "main.py" | "app.py" => 0,
        "wsgi.py" | "asgi.py" | "server.py" | "api.py" | "application.py" => 1,
        "__init__.py" => 2,
        _ => 3,
    }
}

/// True for `a`, `a.b_c`, `_x.y2`: each part a Python identifier (ASCII).
pub fn is_dotted_identifier(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_identifier)
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The name a top-level statement `NAME = <constructor>(` or `NAME: T = <constructor>(` binds,
/// where the constructor is `class_name` or `<anything>.class_name`.
pub fn assigned_instance(text: &str, class_name: &str) -> Option<String> {
    for line in text.lines() {
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        let Some((lhs, rhs)) = line.split_once('=') else {
            continue;
        };
        if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>', '=']) {
            continue;
        }
        let name = lhs.split(':').next().unwrap_or("").trim();
        let rhs = rhs.trim_start();
        let callee = rhs.split('(').next().unwrap_or("");
        if !rhs.contains('(') || callee.trim() != callee {
            continue;
        }
        let last = callee.rsplit('.').next().unwrap_or(callee);
        if last == class_name && is_identifier(name) && is_dotted_identifier(callee) {
            return Some(name.to_string());
        }
    }
    None
}

/// Whether a top-level `def NAME(` exists.
pub fn defines_function(text: &str, name: &str) -> bool {
    text.lines().any(|l| {
        l.strip_prefix("def ")
            .or_else(|| l.strip_prefix("async def "))
            .is_some_and(|rest| rest.trim_start().starts_with(&format!("{name}(")))
    })
}

/// Whether the file imports `module` (`import fastapi`, `from fastapi import ...`).
pub fn imports(text: &str, module: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        let rest = l
            .strip_prefix("from ")
            .or_else(|| l.strip_prefix("import "));
        rest.is_some_and(|r| {
            let first = r.split([' ', ',', '.']).next().unwrap_or("");
            first == module
        })
    })
}

/// A literal port in a call such as `app.run(port=5000)` or `uvicorn.run(app, port=8080)`.
pub fn literal_port(text: &str) -> Option<u16> {
    for line in text.lines() {
        let mut rest = line;
        while let Some(i) = rest.find("port") {
            let before = rest[..i].chars().last();
            let after = rest[i + 4..].trim_start();
            rest = &rest[i + 4..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let Some(value) = after.strip_prefix('=') else {
                continue;
            };
            if value.starts_with('=') {
                continue;
            }
            let digits: String = value
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(port) = digits.parse::<u16>() {
                if port >= 80 {
                    return Some(port);
                }
            }
        }
    }
    None
}

/// A conventional health route declared with a literal path (`@app.get("/health")`,
/// `path("healthz/", ...)`).
pub fn health_route(text: &str) -> Option<String> {
    const PATHS: &[&str] = &["/health", "/healthz", "/livez", "/ping", "/status"];
    for line in text.lines() {
        let line = line.trim();
        let decorator = line.starts_with('@') && line.contains('(');
        let django = line.starts_with("path(") || line.starts_with("re_path(");
        if !decorator && !django {
            continue;
        }
        let Some(literal) = first_string_literal(line) else {
            continue;
        };
        let path = if literal.starts_with('/') {
            literal.clone()
        } else {
            format!("/{literal}")
        };
        let bare = path.trim_end_matches('/');
        if PATHS.contains(&bare) {
            return Some(path);
        }
    }
    None
}

/// The first `"..."` or `'...'` literal on a line (no escapes inside).
pub fn first_string_literal(line: &str) -> Option<String> {
    let start = line.find(['"', '\''])?;
    let quote = line[start..].chars().next()?;
    let rest = &line[start + 1..];
    let end = rest.find(quote)?;
    let value = &rest[..end];
    (!value.contains('\\')).then(|| value.to_string())
}

/// The value of a top-level `NAME = "..."` assignment, with the byte offset of the value.
pub fn string_setting(src: &SourceText, name: &str) -> Option<(String, usize)> {
    let mut offset = 0;
    for line in src.text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let rest_trim = rest.trim_start();
        let Some(value) = rest_trim.strip_prefix('=') else {
            continue;
        };
        let value_at = here + name.len() + (rest.len() - rest_trim.len()) + 1;
        let literal = first_string_literal(value)?;
        let quote_at = value.find(['"', '\'']).unwrap_or(0);
        return Some((literal, value_at + quote_at + 1));
    }
    None
}

/// Django's settings module from `manage.py`:
/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`.
pub fn django_settings_module(manage: &SourceText) -> Option<(String, usize)> {
    let mut offset = 0;
    for line in manage.text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some(i) = line.find("DJANGO_SETTINGS_MODULE") else {
            continue;
        };
        let after_key = &line[i + "DJANGO_SETTINGS_MODULE".len()..];
        // Skip the key's closing quote and the comma.
        let Some(comma) = after_key.find(',') else {
            continue;
        };
        let value_part = &after_key[comma + 1..];
        let literal = first_string_literal(value_part)?;
        let quote_at = value_part.find(['"', '\'']).unwrap_or(0);
        return Some((
            literal,
            here + i + "DJANGO_SETTINGS_MODULE".len() + comma + 1 + quote_at + 1,
        ));
    }
    None
}

/// The files a settings module can live in: `a/b.py` or `a/b/__init__.py`.
pub fn module_files(module: &str) -> [String; 2] {
    let path = module.replace('.', "/");
    [format!("{path}.py"), format!("{path}/__init__.py")]
}

/// Relative star-imports of a settings module (`from .base import *`) as module names, so split
/// settings (`settings/production.py` importing `settings/base.py`) can be followed.
pub fn star_imports(text: &str, module: &str, is_package: bool) -> Vec<String> {
    let package: Vec<&str> = if is_package {
        module.split('.').collect()
    } else {
        let mut parts: Vec<&str> = module.split('.').collect();
        parts.pop();
        parts
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("from ") else {
            continue;
        };
        let Some((source, names)) = rest.split_once(" import ") else {
            continue;
        };
        if names.trim() != "*" {
            continue;
        }
        let source = source.trim();
        let dots = source.chars().take_while(|c| *c == '.').count();
        let name = &source[dots..];
        let target = if dots == 0 {
            name.to_string()
        } else if dots <= package.len() + 1 {
            let mut parts: Vec<&str> = package[..package.len() + 1 - dots].to_vec();
            if !name.is_empty() {
                parts.push(name);
            }
            parts.join(".")
        } else {
            continue;
        };
        if is_dotted_identifier(&target) {
            out.push(target);
        }
    }
    out
}

/// Reads a project file as source text when it exists and is small enough.
pub fn read_source(dir: &ProjectDir, rel: &str) -> Result<Option<SourceText>> {
    let path = dir.path(rel);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_SOURCE_BYTES) {
        return Ok(None);
    }
    dir.read_opt(rel)
}

/// `src/<pkg>/__main__.py` or `<pkg>/__main__.py` packages, as (module, in_src).
pub fn main_packages(dir: &ProjectDir) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (base, in_src) in [("src", true), ("", false)] {
        let root = if base.is_empty() {
            dir.dir()
        } else {
            dir.path(base)
        };
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().join("__main__.py").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| is_identifier(n) && !SKIP_DIRS.contains(&n.as_str()))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| (n, in_src)));
    }
    out
}

/// True when `rel` exists as a file in the project.
pub fn exists(dir: &ProjectDir, rel: &str) -> bool {
    dir.is_file(rel) && Path::new(rel).extension().is_some_and(|e| e == "py")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_objects_are_found_at_top_level_only() {
        let text = "from fastapi import FastAPI\n\napp = FastAPI(title='x')\n";
        assert_eq!(assigned_instance(text, "FastAPI").as_deref(), Some("app"));
        let text = "import fastapi\napi: fastapi.FastAPI = fastapi.FastAPI()\n";
        assert_eq!(assigned_instance(text, "FastAPI").as_deref(), Some("api"));
        let text = "def make():\n    app = Flask(__name__)\n    return app\n";
        assert_eq!(assigned_instance(text, "Flask"), None);
        assert_eq!(assigned_instance("x == Flask(1)\n", "Flask"), None);
        assert_eq!(
            assigned_instance("app = MyFlask(__name__)\n", "Flask"),
            None
        );
    }

    #[test]
    fn ports_and_health_routes_are_literal_only() {
        assert_eq!(
            literal_port("    uvicorn.run(app, host='0.0.0.0', port=8080)"),
            Some(8080)
        );
        assert_eq!(literal_port("app.run(port = 5001)"), Some(5001));
        assert_eq!(literal_port("app.run(port=int(os.environ['PORT']))"), None);
        assert_eq!(literal_port("support=1\nairport=9000"), None);
        assert_eq!(
            health_route("@app.get(\"/healthz\")"),
            Some("/healthz".into())
        );
        assert_eq!(
            health_route("    path('health/', views.health),"),
            Some("/health/".into())
        );
        assert_eq!(health_route("@app.get('/users')"), None);
    }

    #[test]
    fn django_settings_are_read_from_manage_py() {
        let src = SourceText::new(
            "manage.py",
            "import os\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        );
        let (module, at) = django_settings_module(&src).unwrap();
        assert_eq!(module, "mysite.settings");
        assert_eq!(&src.text[at..at + module.len()], "mysite.settings");
        let settings = SourceText::new(
            "s.py",
            "X = 1\nWSGI_APPLICATION = \"mysite.wsgi.application\"\n",
        );
        let (value, at) = string_setting(&settings, "WSGI_APPLICATION").unwrap();
        assert_eq!(value, "mysite.wsgi.application");
        assert_eq!(&settings.text[at..at + value.len()], value);
    }

    #[test]
    fn star_imports_resolve_relative_to_the_package() {
        let text = "from .base import *\nfrom os import path\nfrom config.common import *\n";
        assert_eq!(
            star_imports(text, "config.settings.production", false),
            vec!["config.settings.base", "config.common"]
        );
        assert_eq!(
            star_imports("from .base import *\n", "config.settings", true),
            vec!["config.settings.base"]
        );
    }

    #[test]
    fn modules_come_from_paths() {
        let f = |rel: &str| PyFile {
            rel: rel.into(),
            text: String::new(),
        };
        assert_eq!(f("app/main.py").module().as_deref(), Some("app.main"));
        assert_eq!(f("src/pkg/api.py").module().as_deref(), Some("pkg.api"));
        assert_eq!(f("pkg/__init__.py").module().as_deref(), Some("pkg"));
        assert_eq!(f("my-app/main.py").module(), None);
        assert!(is_dotted_identifier("mysite.wsgi"));
        assert!(!is_dotted_identifier("mysite.wsgi\nRUN"));
        assert!(!is_dotted_identifier("a..b"));
    }
}
