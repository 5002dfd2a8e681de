//! One validation path for the values a user can choose (port, runtime version, start command),
//! wherever they come from: a flag, a wizard answer, an answer recorded in `dockgen.toml`, or
//! detection. Each function returns the value as dockgen uses it, or why it is refused; the
//! caller names the source (`--port`, `dockgen.toml:LINE:COL`, the detected file).

use crate::detect::shell_words;

/// A port a service can listen on: 1-65535.
pub fn port(p: u16) -> Result<u16, String> {
    if p == 0 {
        Err("0 is not a port a service can listen on; use a number from 1 to 65535".into())
    } else {
        Ok(p)
    }
}

/// A runtime version that pins a base image: it starts with a digit (`22`, `3.12`, `1.82.0`).
/// Moving tags (`latest`, `lts`, `stable`) would make every build a different image.
pub fn runtime_version(v: &str) -> Result<String, String> {
    let v = v.trim();
    if !v.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "{:?} is not a version: write one such as 22, 3.12 or 1.82 (a moving tag like \
             `latest` would change the image under you)",
            crate::source::excerpt(v)
        ));
    }
    crate::safe::version(v).map_err(|e| e.to_string())
}

/// A start command typed as one line (a flag, a wizard answer), split like a shell would split it.
/// A line that needs a shell (`FOO=1 node a.js && node b.js`: leading assignments, operators,
/// expansions) runs through `/bin/sh -c`, as a `scripts.start` that needs one does.
pub fn start_line(line: &str) -> Result<Vec<String>, String> {
    let words = shell_words(line).ok_or_else(|| "unbalanced quotes".to_string())?;
    if words.is_empty() {
        return Err("the start command is empty".into());
    }
    let assignment = words[0].split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if assignment || unquoted_shell_syntax(line) {
        return Ok(vec!["/bin/sh".into(), "-c".into(), line.trim().to_string()]);
    }
    Ok(words)
}

/// Whether `line` uses shell syntax outside quotes (operators, globs, expansions; `$` and
/// backquotes also inside double quotes, where the shell still expands them).
fn unquoted_shell_syntax(line: &str) -> bool {
    let mut single = false;
    let mut double = false;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' | '`' if !single => return true,
            '&' | '|' | ';' | '<' | '>' | '(' | ')' | '*' | '?' | '~' | '#'
                if !single && !double =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// A start command recorded as words (`dockgen.toml`'s `start = [...]`): words that only a shell
/// understands (a leading `VAR=value`, `&&`, `|`, ...) make it a `/bin/sh -c` line, as above.
pub fn start_words(words: &[String]) -> Result<Vec<String>, String> {
    if words.is_empty() || words.iter().all(|w| w.trim().is_empty()) {
        return Err("the start command is empty".into());
    }
    const OPERATORS: &[&str] = &["&&", "||", ";", "|", "&", ">", ">>", "<", "2>&1"];
    let assignment = words[0].split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    let operator = words.iter().any(|w| OPERATORS.contains(&w.as_str()));
    if (assignment || operator) && words.first().is_none_or(|w| w != "/bin/sh" && w != "sh") {
        let line = words
            .iter()
            .map(|w| {
                if OPERATORS.contains(&w.as_str()) || assignment_word(w) {
                    w.clone()
                } else {
                    crate::safe::shell_word(w).unwrap_or_else(|_| w.clone())
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        return Ok(vec!["/bin/sh".into(), "-c".into(), line]);
    }
    Ok(words.to_vec())
}

fn assignment_word(w: &str) -> bool {
    w.split_once('=').is_some_and(|(k, v)| {
        !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && crate::safe::shell_word(v).is_ok_and(|q| q == v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_versions() {
        assert!(port(0).is_err());
        assert_eq!(port(8080), Ok(8080));
        assert!(runtime_version("latest").is_err());
        assert!(runtime_version("lts").is_err());
        assert_eq!(runtime_version("22").as_deref(), Ok("22"));
        assert_eq!(runtime_version("3.12").as_deref(), Ok("3.12"));
    }

    #[test]
    fn start_commands_needing_a_shell_run_through_one() {
        assert_eq!(
            start_line("FOO=1 node a.js && node b.js").unwrap(),
            vec!["/bin/sh", "-c", "FOO=1 node a.js && node b.js"]
        );
        assert_eq!(start_line("node a.js").unwrap(), vec!["node", "a.js"]);
        assert_eq!(
            start_line("java -cp '/app/app.jar:/app/lib/*' Tool").unwrap(),
            vec!["java", "-cp", "/app/app.jar:/app/lib/*", "Tool"]
        );
        assert_eq!(start_line("node \"$ENTRY\"").unwrap()[0], "/bin/sh");
        assert!(start_line("node 'a").is_err());
        assert!(start_line("  ").is_err());
        let words: Vec<String> = ["FOO=1", "node", "a.js", "&&", "node", "b.js"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            start_words(&words).unwrap(),
            vec!["/bin/sh", "-c", "FOO=1 node a.js && node b.js"]
        );
        let plain: Vec<String> = vec!["node".into(), "my app.js".into()];
        assert_eq!(start_words(&plain).unwrap(), plain);
    }
}
