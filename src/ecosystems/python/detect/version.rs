//! Python version constraints: PEP 440 specifiers (`requires-python = ">=3.9,<3.13"`) and Poetry's
//! constraint syntax (`python = "^3.10"`, `"~3.11"`, `">=3.9 <3.13 || 3.8.*"`).
//!
//! dockgen needs one answer from a range: the image tag. [`Constraint::best`] picks the highest
//! known minor version the constraint admits; a minor is admitted when any of its patch releases is.

/// A parsed constraint: alternatives (`||`) of conjunctions (`,` or spaces) of comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    any_of: Vec<Vec<Comparison>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparison {
    op: Op,
    version: Vec<u64>,
    /// `==3.11.*` / `!=3.12.*`
    wildcard: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `~=` (PEP 440 compatible release)
    Compatible,
    /// `^` (Poetry caret)
    Caret,
    /// `~` (Poetry tilde)
    Tilde,
}

/// Highest patch number tried when asking whether a minor version satisfies a constraint.
const MAX_PATCH: u64 = 50;

impl Constraint {
    /// Parses a PEP 440 specifier set or a Poetry constraint. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the constraint is empty".into());
        }
        let mut any_of = Vec::new();
        for alternative in text.split("||") {
            let mut all = Vec::new();
            // Commas and spaces both separate comparisons; an operator may be followed by spaces.
            let words: Vec<&str> = alternative
                .split([',', ' ', '\t'])
                .filter(|w| !w.is_empty())
                .collect();
            let mut i = 0;
            while i < words.len() {
                let mut word = words[i].to_string();
                if is_operator(&word) {
                    let next = words
                        .get(i + 1)
                        .ok_or_else(|| format!("{word:?} is missing its version"))?;
                    word.push_str(next);
                    i += 1;
                }
                all.push(parse_comparison(&word)?);
                i += 1;
            }
            if all.is_empty() {
                return Err(format!("{text:?} has an empty alternative"));
            }
            any_of.push(all);
        }
        Ok(Constraint { any_of })
    }

    /// Whether `version` (major, minor, patch) satisfies the constraint.
    pub fn admits(&self, version: [u64; 3]) -> bool {
        self.any_of
            .iter()
            .any(|all| all.iter().all(|c| c.admits(version)))
    }

    /// Whether some patch release of `major.minor` satisfies the constraint.
    pub fn admits_minor(&self, major: u64, minor: u64) -> bool {
        (0..=MAX_PATCH).any(|patch| self.admits([major, minor, patch]))
    }

    /// The highest of `known` (`"3.12"`-style minors) the constraint admits.
    pub fn best<'a>(&self, known: &'a [String]) -> Option<&'a str> {
        known
            .iter()
            .filter_map(|k| parse_minor(k).map(|mm| (mm, k)))
            .filter(|((major, minor), _)| self.admits_minor(*major, *minor))
            .max_by_key(|(mm, _)| *mm)
            .map(|(_, k)| k.as_str())
    }
}

/// `"3.12"` → `(3, 12)`.
pub fn parse_minor(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// True for `3.12` or `3.12.1`: a CPython release the `python` image is tagged with.
pub fn is_release(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
}

fn is_operator(w: &str) -> bool {
    matches!(
        w,
        "==" | "!=" | "<" | "<=" | ">" | ">=" | "~=" | "^" | "~" | "==="
    )
}

fn parse_comparison(word: &str) -> Result<Comparison, String> {
    let ops: [(&str, Op); 10] = [
        ("===", Op::Eq),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("~=", Op::Compatible),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("^", Op::Caret),
        ("~", Op::Tilde),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(s, op)| word.strip_prefix(s).map(|rest| (*op, rest)))
        .unwrap_or((Op::Eq, word));
    if op == Op::Eq && rest == "*" {
        // Poetry's "any version".
        return Ok(Comparison {
            op: Op::Ge,
            version: vec![0],
            wildcard: false,
        });
    }
    let (body, wildcard) = match rest.strip_suffix(".*") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    if wildcard && !matches!(op, Op::Eq | Op::Ne) {
        return Err(format!("{word:?}: a .* wildcard only goes with == or !="));
    }
    let version = parse_release(body).ok_or_else(|| {
        format!("{word:?} is not a version comparison (expected e.g. >=3.9 or ^3.10)")
    })?;
    if op == Op::Compatible && version.len() < 2 {
        return Err(format!("{word:?}: ~= needs at least two version parts"));
    }
    Ok(Comparison {
        op,
        version,
        wildcard,
    })
}

/// Numeric release parts of a version, ignoring pre/post/dev/local suffixes on the last part.
fn parse_release(s: &str) -> Option<Vec<u64>> {
    let s = s.trim().trim_start_matches('v');
    let s = s.split('+').next()?;
    let mut out = Vec::new();
    for part in s.split('.') {
        let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return None;
        }
        let rest = &part[digits.len()..];
        if !rest.is_empty()
            && !rest
                .trim_start_matches(['-', '_', '.'])
                .starts_with(['a', 'b', 'c', 'r', 'p', 'd'])
        {
            return None;
        }
        out.push(digits.parse().ok()?);
        if !rest.is_empty() {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn cmp_release(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => continue,
            other => return other,
        }
    }
    std::cmp::Ordering::Equal
}

/// The version that bounds `v` from above after bumping part `index` (`3.10` bumped at 0 → `4`).
fn bump(v: &[u64], index: usize) -> Vec<u64> {
    let mut out: Vec<u64> = v.iter().take(index + 1).copied().collect();
    while out.len() <= index {
        out.push(0);
    }
    out[index] += 1;
    out
}

impl Comparison {
    fn admits(&self, v: [u64; 3]) -> bool {
        use std::cmp::Ordering::*;
        let v = &v[..];
        let spec = &self.version[..];
        if self.wildcard {
            let prefix_matches = v.iter().zip(spec).all(|(a, b)| a == b);
            return match self.op {
                Op::Eq => prefix_matches,
                _ => !prefix_matches,
            };
        }
        let ord = cmp_release(v, spec);
        match self.op {
            Op::Eq => ord == Equal,
            Op::Ne => ord != Equal,
            Op::Lt => ord == Less,
            Op::Le => ord != Greater,
            Op::Gt => ord == Greater,
            Op::Ge => ord != Less,
            Op::Compatible => ord != Less && cmp_release(v, &bump(spec, spec.len() - 2)) == Less,
            Op::Caret => {
                // ^3.10 → >=3.10,<4 ; ^0.2 → >=0.2,<0.3
                let first_nonzero = spec.iter().position(|p| *p != 0).unwrap_or(spec.len() - 1);
                ord != Less && cmp_release(v, &bump(spec, first_nonzero)) == Less
            }
            Op::Tilde => {
                // ~3.10 → >=3.10,<3.11 ; ~3 → >=3,<4
                let index = if spec.len() >= 2 { 1 } else { 0 };
                ord != Less && cmp_release(v, &bump(spec, index)) == Less
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn best(spec: &str) -> Option<String> {
        Constraint::parse(spec)
            .unwrap()
            .best(&known())
            .map(str::to_string)
    }

    #[test]
    fn pep440_ranges_pick_the_highest_admitted_minor() {
        assert_eq!(best(">=3.9,<3.13").as_deref(), Some("3.12"));
        assert_eq!(best(">=3.9, <3.13").as_deref(), Some("3.12"));
        assert_eq!(best(">=3.10").as_deref(), Some("3.14"));
        assert_eq!(best("~=3.11").as_deref(), Some("3.14"));
        assert_eq!(best("~=3.11.2").as_deref(), Some("3.11"));
        assert_eq!(best("==3.10.*").as_deref(), Some("3.10"));
        assert_eq!(best(">=3.9,!=3.14.*").as_deref(), Some("3.13"));
        assert_eq!(best("<3.12.1,>=3.8").as_deref(), Some("3.12"));
        assert_eq!(best(">3.12").as_deref(), Some("3.14"));
        assert_eq!(best("<3.9").as_deref(), Some("3.8"));
        assert_eq!(best(">=3.20"), None);
    }

    #[test]
    fn poetry_constraints_follow_poetry_semantics() {
        assert_eq!(best("^3.10").as_deref(), Some("3.14"));
        assert_eq!(best("~3.11").as_deref(), Some("3.11"));
        assert_eq!(best("~3.11.4").as_deref(), Some("3.11"));
        assert_eq!(best(">=3.9 <3.12").as_deref(), Some("3.11"));
        assert_eq!(best("3.10.*").as_deref(), Some("3.10"));
        assert_eq!(best("3.9.* || 3.10.*").as_deref(), Some("3.10"));
        assert_eq!(best("*").as_deref(), Some("3.14"));
        assert_eq!(best(">= 3.11, < 3.13").as_deref(), Some("3.12"));
    }

    #[test]
    fn nonsense_is_rejected_with_a_reason() {
        for bad in ["", "banana", ">=", ">=3.x", "~=3", ">=3.*", "3.10 ||"] {
            assert!(Constraint::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn prerelease_suffixes_are_tolerated() {
        assert!(Constraint::parse(">=3.10.0rc1").is_ok());
        assert!(Constraint::parse(">=3.10.0b2").is_ok());
    }

    #[test]
    fn releases_are_plain_numbers() {
        assert!(is_release("3.12"));
        assert!(is_release("3.12.1"));
        assert!(!is_release("3"));
        assert!(!is_release("pypy3.10"));
        assert!(!is_release("3.13t"));
        assert!(!is_release("3.12\nRUN x"));
    }
}
