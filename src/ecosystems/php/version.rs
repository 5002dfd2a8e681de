//! PHP versions: release lines (`8.3`) and Composer constraints (`^8.1`, `>=8.2 <8.5`, `~8.3.0`,
//! `8.2.*`, `^8.1 || ^9.0`), evaluated with the `semver-php` crate (a port of Composer's own
//! constraint rules).

use semver_php::{Operator, SingleConstraint, VersionParser};

/// Lines older than the versions table lists, for projects that still require them.
const OLD_LINES: &[&str] = &["7.0", "7.1", "7.2", "7.3", "7.4", "8.0"];

/// Every release line dockgen can name, oldest first: the old ones above and the lines of
/// `data/versions.toml` (family php).
pub fn known_lines() -> Vec<String> {
    let mut lines: Vec<String> = OLD_LINES.iter().map(|l| l.to_string()).collect();
    for l in &crate::versions::family("php").lines {
        if !lines.contains(&l.version) {
            lines.push(l.version.clone());
        }
    }
    lines.sort_by(|a, b| crate::versions::compare(a, b));
    lines
}

/// Longest constraint dockgen hands to the parser: hand-written constraints are short.
const MAX_CONSTRAINT: usize = 200;

/// The release line of a version such as `8.3`, `8.3.12` or `v8.2.0` (`None` when it is not one).
pub fn release_line(v: &str) -> Option<String> {
    let v = v.trim().trim_start_matches('v');
    let mut parts = v.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    let numeric = |s: &str| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit());
    if !numeric(major) || !numeric(minor) {
        return None;
    }
    for rest in parts {
        // A patch level, possibly with a pre-release suffix (8.4.0RC1, 8.3.0-dev).
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || digits.len() > 3 {
            return None;
        }
        if !rest[digits.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return None;
        }
    }
    Some(format!(
        "{}.{}",
        major.trim_start_matches('0').parse::<u32>().unwrap_or(0),
        minor.parse::<u32>().ok()?
    ))
}

/// A parsed Composer constraint.
pub struct Constraint {
    inner: Box<dyn semver_php::Constraint>,
}

impl Constraint {
    /// Parses `text`, or says why it cannot.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("it is empty".into());
        }
        if text.len() > MAX_CONSTRAINT {
            return Err(format!("it is longer than {MAX_CONSTRAINT} characters"));
        }
        // Only what Composer constraints are made of; anything else is refused before the parser
        // sees it.
        if let Some(c) = text.chars().find(|c| {
            !(c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '.' | '*' | '^' | '~' | '<' | '>' | '=' | '!' | '|' | ',' | ' ' | '-' | '@'
                ))
        }) {
            return Err(format!("{c:?} has no meaning in a constraint"));
        }
        VersionParser::parse_constraints(text)
            .map(|inner| Constraint { inner })
            .map_err(|e| e.to_string())
    }

    /// Whether some release of `line` (`8.3`) satisfies the constraint.
    pub fn admits_line(&self, line: &str) -> bool {
        (0..100).any(|patch| {
            VersionParser::normalize(&format!("{line}.{patch}"))
                .map(|v| self.inner.matches(&SingleConstraint::new(Operator::Eq, &v)))
                .unwrap_or(false)
        })
    }

    /// The highest of `lines` (oldest first) the constraint admits.
    pub fn highest<S: AsRef<str>>(&self, lines: &[S]) -> Option<String> {
        lines
            .iter()
            .rev()
            .map(AsRef::as_ref)
            .find(|l| self.admits_line(l))
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUPPORTED: &[&str] = &["8.1", "8.2", "8.3", "8.4", "8.5"];

    fn highest(c: &str) -> Option<String> {
        Constraint::parse(c).unwrap().highest(SUPPORTED)
    }

    #[test]
    fn constraints_pick_the_highest_admitted_supported_line() {
        assert_eq!(highest("^8.1").as_deref(), Some("8.5"));
        assert_eq!(highest(">=8.2 <8.5").as_deref(), Some("8.4"));
        assert_eq!(highest(">=8.2,<8.4").as_deref(), Some("8.3"));
        assert_eq!(highest("~8.3.0").as_deref(), Some("8.3"));
        assert_eq!(highest("~8.3").as_deref(), Some("8.5"));
        assert_eq!(highest("8.2.*").as_deref(), Some("8.2"));
        assert_eq!(highest("^7.4 || ^8.0").as_deref(), Some("8.5"));
        assert_eq!(highest("^7.4|~8.2.0").as_deref(), Some("8.2"));
        assert_eq!(highest(">=8.3.5").as_deref(), Some("8.5"));
        assert_eq!(highest("8.4.2").as_deref(), Some("8.4"));
        assert_eq!(highest("*").as_deref(), Some("8.5"));
        assert_eq!(highest("^7.4"), None);
        assert_eq!(
            Constraint::parse("^7.4")
                .unwrap()
                .highest(&known_lines())
                .as_deref(),
            Some("7.4")
        );
        let known = known_lines();
        assert_eq!(known.first().map(String::as_str), Some("7.0"));
        assert!(known.iter().any(|l| l == "8.5"), "{known:?}");
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        for bad in ["", "^8.1 ||", "$(id)", "8.1\nRUN x", ">=8.2 <"] {
            assert!(Constraint::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn release_lines_come_from_versions() {
        assert_eq!(release_line("8.3").as_deref(), Some("8.3"));
        assert_eq!(release_line("8.3.12\n").as_deref(), Some("8.3"));
        assert_eq!(release_line("v8.2.0").as_deref(), Some("8.2"));
        assert_eq!(release_line("8.4.0RC1").as_deref(), Some("8.4"));
        assert_eq!(release_line("8"), None);
        assert_eq!(release_line("8.x"), None);
        assert_eq!(release_line("8.3;RUN"), None);
    }
}
