//! Untrusted values on their way into a Dockerfile. Detection and planning both use these checks,
//! so this module sits below both.
//!
//! A value read from a project (a package name, a script, a version, a path) must never start a new
//! Dockerfile instruction or break out of the quoting it is rendered in. The rules:
//! - no control characters at all (a newline would start a new instruction);
//! - paths that end up in `COPY`/`--mount` are restricted to a conservative character set;
//! - exec-form arrays are rendered with a JSON encoder ([`exec_json`]);
//! - double-quoted values (`LABEL`, `ENV`) escape `\`, `"` and `$` ([`double_quoted`]);
//! - shell words in `RUN` are single-quoted when they are not plain ([`shell_word`]).
//!
//! [`check_plan`] runs over a finished plan as a last line of defence, so a planner that forgets to
//! validate produces an error, not an injectable Dockerfile.

use crate::error::{Error, Result};

/// True when `s` contains a character that could end a Dockerfile line or hide in one.
pub fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

/// Accepts free text (a command word, a label) that has no control characters.
pub fn text(s: &str, what: &str) -> Result<String> {
    if has_control(s) {
        return Err(Error::Usage(format!(
            "{what} {s:?} contains a control character (newline, tab, ...); dockgen will not put it in a Dockerfile"
        )));
    }
    Ok(s.to_string())
}

/// True for a relative path made only of `[A-Za-z0-9._/@+-]`, without `..` segments, not absolute.
pub fn is_safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.starts_with('-')
        && p.split('/').all(|seg| seg != "..")
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '@' | '+' | '-'))
}

/// Accepts a context-relative path for `COPY` and mounts.
pub fn path(p: &str, what: &str) -> Result<String> {
    let p = p.trim_start_matches("./");
    if p == "." || is_safe_path(p) {
        Ok(p.to_string())
    } else {
        Err(Error::Usage(format!(
            "{what} {p:?} is not a plain relative path (letters, digits, . _ - / @ +); dockgen will not copy it"
        )))
    }
}

/// Accepts an HTTP path for the health check (`/health`, `/actuator/health`).
pub fn url_path(p: &str) -> Result<String> {
    let ok = p.starts_with('/')
        && p.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~' | '?' | '=' | '&')
        });
    if ok {
        Ok(p.to_string())
    } else {
        Err(Error::Usage(format!(
            "health-check path {p:?} must start with / and use only letters, digits and - _ . ~ ? = &"
        )))
    }
}

/// Accepts a version string such as `20`, `3.12`, `1.78.0`, `21-jdk`.
pub fn version(v: &str) -> Result<String> {
    let ok = !v.is_empty()
        && v.len() <= 32
        && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'));
    if ok {
        Ok(v.to_string())
    } else {
        Err(Error::Usage(format!(
            "version {v:?} is not a plain version (digits, letters, . - _ +)"
        )))
    }
}

/// Renders a label value: control characters and backslashes removed, length bounded. Quoting is the
/// template's job. Backslashes go because hadolint cannot parse an escaped backslash before a quote
/// (`"a\\"`), although Docker can; a label loses nothing by it.
pub fn label_value(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && *c != '\\')
        .take(128)
        .collect()
}

/// An exec-form JSON array: `["a", "b"]`. JSON escaping keeps every byte inside its string.
pub fn exec_json(argv: &[String]) -> String {
    let items: Vec<String> = argv
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_else(|_| "\"\"".to_string()))
        .collect();
    format!("[{}]", items.join(", "))
}

/// A double-quoted Dockerfile value with `\`, `"` and `$` escaped (for `LABEL` and `ENV`).
pub fn double_quoted(s: &str) -> Result<String> {
    if has_control(s) {
        return Err(Error::Internal(format!(
            "value {s:?} with a control character reached a template"
        )));
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '\\' | '"' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// A shell word for a `RUN` line: left bare when plain, else single-quoted.
pub fn shell_word(s: &str) -> Result<String> {
    if has_control(s) {
        return Err(Error::Internal(format!(
            "value {s:?} with a control character reached a template"
        )));
    }
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '_' | '-')
        });
    if plain {
        Ok(s.to_string())
    } else {
        Ok(format!("'{}'", s.replace('\'', r"'\''")))
    }
}

/// Last check over a finished plan (`crate::plan::BuildPlan`): no string that reaches a template
/// carries a control character, and every copied path in `copies` is plain.
pub fn check_plan(plan: &impl serde::Serialize, copies: &[String]) -> Result<()> {
    let mut bad = Vec::new();
    let value = serde_json::to_value(plan).map_err(|e| Error::Internal(e.to_string()))?;
    collect_control(&value, "plan", &mut bad);
    if let Some(first) = bad.first() {
        return Err(Error::Internal(format!(
            "unsafe value at {first} reached the plan; please report this"
        )));
    }
    for p in copies {
        if p != "." && !is_safe_path(p) {
            return Err(Error::Internal(format!("unsafe copy path {p:?} in plan")));
        }
    }
    Ok(())
}

fn collect_control(v: &serde_json::Value, at: &str, bad: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if has_control(s) => bad.push(at.to_string()),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_control(item, &format!("{at}[{i}]"), bad);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                collect_control(item, &format!("{at}.{k}"), bad);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_json_keeps_hostile_strings_inside_their_element() {
        let argv = vec!["node".to_string(), "a\"]\nRUN rm -rf /\\".to_string()];
        let out = exec_json(&argv);
        assert!(!out.contains('\n'));
        let back: Vec<String> = serde_json::from_str(&out).unwrap();
        assert_eq!(back, argv);
    }

    #[test]
    fn double_quoted_escapes_quote_backslash_and_dollar() {
        assert_eq!(
            double_quoted(r#"a"b\c$HOME"#).unwrap(),
            r#""a\"b\\c\$HOME""#
        );
        assert!(double_quoted("a\nb").is_err());
    }

    #[test]
    fn shell_word_quotes_anything_not_plain() {
        assert_eq!(shell_word("@scope/app").unwrap(), "@scope/app");
        assert_eq!(shell_word("a b").unwrap(), "'a b'");
        assert_eq!(shell_word("it's;rm").unwrap(), r"'it'\''s;rm'");
        assert!(shell_word("x\ny").is_err());
    }

    #[test]
    fn paths_are_plain_and_relative() {
        assert!(is_safe_path("apps/web"));
        assert!(is_safe_path("src/main.py"));
        assert!(!is_safe_path("../etc"));
        assert!(!is_safe_path("/etc/passwd"));
        assert!(!is_safe_path("a b"));
        assert!(!is_safe_path("a\nRUN x"));
        assert!(!is_safe_path("$(x)"));
    }

    #[test]
    fn label_values_lose_control_characters_and_backslashes() {
        assert_eq!(label_value("a\\b\n\"c$"), "ab\"c$");
    }

    #[test]
    fn versions_are_plain() {
        assert!(version("20").is_ok());
        assert!(version("3.12.1").is_ok());
        assert!(version("20\nRUN x").is_err());
        assert!(version("${X}").is_err());
    }
}
