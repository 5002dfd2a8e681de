//! Freshness as data: every release line dockgen knows, its end of support, and the default each
//! toolchain or image family builds with, from `data/versions.toml` (embedded, parsed once).
//!
//! How a planner uses it (see also `docs/versions.md`):
//! ```
//! use dockgen::versions::{self, Date};
//! let go = versions::family("go");
//! // go.mod's `go 1.21` is a minimum: build with a supported release that satisfies it.
//! let choice = go.at_least("1.21", "go.mod's `go` line");
//! assert_eq!(choice.version, "1.27");
//! // A pin (`toolchain go1.22.5`, .nvmrc, .python-version, rust-toolchain.toml) stays exact,
//! // with a warning when its line is past end of support on the day dockgen runs.
//! let pinned = go.exact("1.22.5", "go.mod's toolchain line", Date::new(2026, 12, 1));
//! assert_eq!(pinned.version, "1.22.5");
//! assert!(pinned.warning.is_some());
//! ```
//! `evidence` goes into the detection evidence, `warning` into the plan's notes.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("../data/versions.toml");

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The day every source was last gone through.
    pub checked: Date,
    /// Lines whose support ends within this many days are due.
    pub due_within_days: i64,
    pub family: BTreeMap<String, Family>,
    #[serde(default)]
    pub tool: BTreeMap<String, Tool>,
}

/// A toolchain or image family (`node`, `python`, `distroless`, ...).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    #[serde(skip)]
    pub id: String,
    pub name: String,
    /// The line dockgen builds with when the project pins nothing.
    pub default: String,
    pub policy: Policy,
    #[serde(default)]
    pub settle_days: i64,
    pub image: Option<String>,
    pub source: String,
    pub cadence: Option<Cadence>,
    #[serde(rename = "line")]
    pub lines: Vec<Line>,
}

/// Which line the default should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// The newest line.
    Newest,
    /// The newest line with an LTS date.
    NewestLts,
}

/// A fixed release rhythm (Rust): `1.N` ships `first_release + (N - first_minor) * every_days`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub first_minor: u64,
    pub first_release: Date,
    pub every_days: i64,
}

/// One release line (`22`, `3.12`, `1.26`, `debian13`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub version: String,
    pub codename: Option<String>,
    pub released: Option<Date>,
    /// Start of long-term support (Node's even lines, Java's LTS releases).
    pub lts: Option<Date>,
    /// End of active (bug-fix) support, where the project distinguishes it (PHP).
    pub active_until: Option<Date>,
    /// End of security support; absent when the project has announced none.
    pub eol: Option<Date>,
    /// The eol date is a schedule or policy, not an announcement.
    #[serde(default)]
    pub eol_estimated: bool,
    pub source: String,
}

/// A tool the recipes pin (busybox, cargo-chef, uv, ...).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub version: String,
    pub image: Option<String>,
    /// The day the pin was last compared with the tool's releases.
    pub checked: Option<Date>,
    pub source: String,
}

/// The table, parsed on first use.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(DATA).unwrap_or_else(|e| panic!("data/versions.toml: {e}")))
}

/// A family of the table. Panics on an unknown id: ids are constants in the planners, and a test
/// covers every one of them.
pub fn family(id: &str) -> &'static Family {
    table()
        .family
        .get(id)
        .unwrap_or_else(|| panic!("data/versions.toml has no family {id}"))
}

/// Parses and checks a table (the embedded one, or a candidate in a test).
pub fn parse(text: &str) -> Result<Table, String> {
    let mut table: Table = toml::from_str(text).map_err(|e| e.to_string())?;
    for (id, f) in table.family.iter_mut() {
        f.id = id.clone();
        if f.line_info(&f.default).is_none() {
            return Err(format!("family.{id}: default {} is not a line", f.default));
        }
        for pair in f.lines.windows(2) {
            if compare(&pair[0].version, &pair[1].version) != std::cmp::Ordering::Less {
                return Err(format!(
                    "family.{id}: lines must be listed oldest first ({} before {})",
                    pair[0].version, pair[1].version
                ));
            }
        }
    }
    Ok(table)
}

/// What a planner builds with, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The version for the image tag (`1.27`, `3.14`, or the exact pin).
    pub version: String,
    /// One sentence for the evidence: which line and why.
    pub evidence: String,
    /// Set when the chosen line is past (or has no known) end of support.
    pub warning: Option<String>,
}

/// Where a line stands on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    Supported {
        until: Option<Date>,
    },
    EndsSoon {
        on: Date,
    },
    Ended {
        on: Date,
    },
    /// Not a line the table knows.
    Unknown,
}

impl Family {
    /// The line dockgen builds with when nothing is pinned.
    pub fn default_line(&self) -> Line {
        self.line_info(&self.default)
            .expect("parse() checked that the default is a line")
    }

    /// The line a version belongs to (`22.11.0` → `22`, `3.12.4` → `3.12`, `1.88.0` → `1.88`), from
    /// the table or, for a family with a cadence, computed.
    pub fn line_info(&self, version: &str) -> Option<Line> {
        let version = trim_version(version);
        let listed = self
            .lines
            .iter()
            .filter(|l| is_within(version, &l.version))
            .max_by_key(|l| l.version.len());
        if let Some(line) = listed {
            return Some(line.clone());
        }
        let cadence = self.cadence.as_ref()?;
        let parts = numbers(version)?;
        if parts.len() < 2 || parts[0] != 1 || parts[1] < cadence.first_minor {
            return None;
        }
        let minor = parts[1];
        let released = cadence.release_of(minor);
        Some(Line {
            version: format!("1.{minor}"),
            codename: None,
            released: Some(released),
            lts: None,
            active_until: None,
            eol: Some(cadence.release_of(minor + 1)),
            eol_estimated: false,
            source: format!("{} (computed from the release cadence)", self.source),
        })
    }

    /// The line a date's newest release belongs to (for a cadence family, computed; else the
    /// newest listed line released by then).
    pub fn newest_released(&self, on: Date) -> Option<Line> {
        if let Some(c) = &self.cadence {
            let days = on.days_since(c.first_release);
            if days >= 0 {
                let minor = c.first_minor + (days / c.every_days) as u64;
                return self.line_info(&format!("1.{minor}"));
            }
        }
        self.lines
            .iter()
            .rfind(|l| l.released.is_none_or(|r| r <= on))
            .cloned()
    }

    /// The line the family's policy makes the default on `on`: the newest (LTS) line released at
    /// least `settle_days` before.
    pub fn policy_default(&self, on: Date) -> Option<Line> {
        let settled = on.add_days(-self.settle_days);
        let mut candidates: Vec<Line> = self.lines.clone();
        if let Some(newest) = self.newest_released(settled) {
            if !candidates.iter().any(|l| l.version == newest.version) {
                candidates.push(newest);
            }
        }
        candidates
            .into_iter()
            .filter(|l| match self.policy {
                Policy::Newest => l.released.is_none_or(|r| r <= settled),
                Policy::NewestLts => l.lts.is_some_and(|d| d <= settled),
            })
            .max_by(|a, b| compare(&a.version, &b.version))
    }

    /// Where `version`'s line stands on `on`, warning `warn_days` ahead.
    pub fn support(&self, version: &str, on: Date, warn_days: i64) -> Support {
        let Some(line) = self.line_info(version) else {
            return Support::Unknown;
        };
        match line.eol {
            Some(eol) if eol <= on => Support::Ended { on: eol },
            Some(eol) if eol.days_since(on) <= warn_days => Support::EndsSoon { on: eol },
            until => Support::Supported { until },
        }
    }

    /// True when `version`'s line is past its end of support on `on`.
    pub fn is_past_eol(&self, version: &str, on: Date) -> bool {
        matches!(self.support(version, on, 0), Support::Ended { .. })
    }

    /// Builds with the default line when it satisfies `minimum`, else with the newest known line
    /// at or above it, else with `minimum` itself (newer than this table). `what` names where the
    /// minimum came from ("go.mod's `go` line", "requires-python", "Cargo.toml's rust-version").
    pub fn at_least(&self, minimum: &str, what: &str) -> Choice {
        let minimum = trim_version(minimum);
        let name = &self.name;
        if numbers(minimum).is_none() {
            // Untrusted text never becomes the version: fall back to the default, and say so.
            return Choice {
                version: self.default.clone(),
                evidence: format!(
                    "{name} {}: dockgen's default release line ({what} is not a version it can compare)",
                    self.default
                ),
                warning: Some(format!(
                    "{what}: {minimum:?} is not a version dockgen can compare; building with {name} {}",
                    self.default
                )),
            };
        }
        if compare_line(&self.default, minimum) != std::cmp::Ordering::Less {
            return Choice {
                version: self.default.clone(),
                evidence: format!(
                    "{name} {}: dockgen's default release line, which satisfies {what} (a minimum: {minimum})",
                    self.default
                ),
                warning: None,
            };
        }
        let newest = self
            .lines
            .iter()
            .filter(|l| compare_line(&l.version, minimum) != std::cmp::Ordering::Less)
            .max_by(|a, b| compare(&a.version, &b.version));
        match newest {
            Some(line) => Choice {
                version: line.version.clone(),
                evidence: format!(
                    "{name} {}: newest known release line at or above {what} (a minimum: {minimum}), newer than dockgen's default {}",
                    line.version, self.default
                ),
                warning: None,
            },
            None => Choice {
                version: minimum.to_string(),
                evidence: format!(
                    "{name} {minimum}: {what} asks for a release newer than any dockgen knows; building with that minimum"
                ),
                warning: None,
            },
        }
    }

    /// Builds with exactly `pin` (a toolchain file, .nvmrc, .python-version, go.mod `toolchain`),
    /// warning when its line is past end of support on `today`, or older than the table. The pin is
    /// returned as given (less a `v`/`go` prefix): validate it as the planners validate every version.
    pub fn exact(&self, pin: &str, what: &str, today: Date) -> Choice {
        let pin = trim_version(pin);
        let name = &self.name;
        let warning = match self.support(pin, today, 0) {
            Support::Ended { on } => Some(format!(
                "{what} pins {name} {pin}, whose release line has been out of support since {on}: it gets no security fixes. Move to {name} {} (dockgen's default) or another supported line",
                self.default
            )),
            Support::Unknown
                if self
                    .lines
                    .iter()
                    .all(|l| compare_line(&l.version, pin) == std::cmp::Ordering::Greater) =>
            {
                Some(format!(
                    "{what} pins {name} {pin}, older than any release line dockgen knows (all out of support)"
                ))
            }
            _ => None,
        };
        Choice {
            version: pin.to_string(),
            evidence: format!("{name} {pin}: pinned exactly by {what}"),
            warning,
        }
    }

    /// The default, with the evidence sentence for a project that names no version.
    pub fn default_choice(&self) -> Choice {
        let line = self.default_line();
        let why = match (self.policy, line.lts) {
            (Policy::NewestLts, Some(_)) => "the newest long-term-support line",
            _ => "the newest supported line",
        };
        Choice {
            version: self.default.clone(),
            evidence: format!(
                "{} {}: the project names no version; dockgen's default, {why}",
                self.name, self.default
            ),
            warning: None,
        }
    }
}

impl Cadence {
    /// The release date of `1.minor`.
    pub fn release_of(&self, minor: u64) -> Date {
        let steps = minor as i64 - self.first_minor as i64;
        self.first_release.add_days(steps * self.every_days)
    }
}

/// `v1.2.3`, `go1.22`, ` 3.12 ` → the bare version.
fn trim_version(v: &str) -> &str {
    let v = v.trim();
    let v = v.strip_prefix("go").unwrap_or(v);
    v.strip_prefix('v').unwrap_or(v)
}

fn numbers(v: &str) -> Option<Vec<u64>> {
    v.split('.').map(|p| p.parse().ok()).collect()
}

/// Whether `version` lies within `line` (`3.12.4` within `3.12`, `22` within `22`).
fn is_within(version: &str, line: &str) -> bool {
    version == line
        || version
            .strip_prefix(line)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Orders versions numerically part by part (`1.100` > `1.99`); non-numeric ones as text.
pub fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    match (numbers(a), numbers(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Compares a line with a version at the line's precision (`3.12` vs `3.12.4` → equal).
fn compare_line(line: &str, version: &str) -> std::cmp::Ordering {
    match (numbers(line), numbers(version)) {
        (Some(l), Some(v)) => {
            let n = l.len().min(v.len());
            l[..n].cmp(&v[..n])
        }
        _ => line.cmp(version),
    }
}

/// A calendar date (proleptic Gregorian), as TOML writes it (`2026-12-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Today: `DOCKGEN_TODAY` (YYYY-MM-DD, for reproducible tests) or the system clock (UTC).
    pub fn today() -> Date {
        if let Some(d) = std::env::var("DOCKGEN_TODAY")
            .ok()
            .and_then(|v| Date::parse(&v))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        let d = Date { year, month, day };
        (Date::from_days(d.days()) == d).then_some(d)
    }

    /// Days since 1970-01-01 (civil-from-days arithmetic, valid for any Gregorian date).
    fn days(self) -> i64 {
        let (m, d) = (self.month as i64, self.day as i64);
        let y = self.year as i64 - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// `self - other` in days.
    pub fn days_since(self, other: Date) -> i64 {
        self.days() - other.days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time) {
            (Some(date), None) => Ok(Date::new(date.year as i32, date.month, date.day)),
            _ => Err(serde::de::Error::custom(format!(
                "{dt}: expected a date (YYYY-MM-DD)"
            ))),
        }
    }
}

/// One thing the maintenance check found (see `scripts/versions-due.sh`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub family: String,
    pub line: String,
    pub what: String,
}

/// Everything due on `on`: defaults past or near their end, defaults the policy would replace,
/// lines ending within `due_within_days`, tool pins never checked or not checked for 180 days.
pub fn due(table: &Table, on: Date) -> Vec<Due> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Due>, f: &str, l: &str, what: String| {
        out.push(Due {
            family: f.to_string(),
            line: l.to_string(),
            what,
        })
    };
    for (id, f) in &table.family {
        let default = f.default_line();
        match f.support(&f.default, on, table.due_within_days) {
            Support::Ended { on: eol } => push(
                &mut out,
                id,
                &f.default,
                format!("the DEFAULT is past end of support (since {eol})"),
            ),
            // A cadence family's default always ends within weeks; its successor is what is due.
            Support::EndsSoon { on: eol } if f.cadence.is_none() => push(
                &mut out,
                id,
                &f.default,
                format!("the DEFAULT reaches end of support on {eol}"),
            ),
            _ => {}
        }
        let newer = f
            .policy_default(on)
            .filter(|best| compare(&best.version, &default.version) == std::cmp::Ordering::Greater);
        if let Some(best) = newer {
            let known = f.lines.iter().any(|l| l.version == best.version);
            push(
                &mut out,
                id,
                &best.version,
                format!(
                    "newer than the default {} and due as default by the family's policy{}",
                    f.default,
                    if known {
                        ""
                    } else {
                        " (computed; add the line)"
                    }
                ),
            );
        }
        for line in &f.lines {
            if line.version == f.default {
                continue;
            }
            if let Support::EndsSoon { on: eol } =
                f.support(&line.version, on, table.due_within_days)
            {
                push(
                    &mut out,
                    id,
                    &line.version,
                    format!("reaches end of support on {eol}"),
                );
            }
            if line.eol_estimated && line.eol.is_some_and(|e| e <= on) {
                push(
                    &mut out,
                    id,
                    &line.version,
                    "its estimated end of support has passed: confirm the date".into(),
                );
            }
        }
    }
    for (id, t) in &table.tool {
        match t.checked {
            None => push(
                &mut out,
                id,
                &t.version,
                "tool pin never compared with the tool's releases".into(),
            ),
            Some(c) if on.days_since(c) > 180 => push(
                &mut out,
                id,
                &t.version,
                format!("tool pin last compared on {c}, over 180 days ago"),
            ),
            _ => {}
        }
    }
    if on.days_since(table.checked) > 180 {
        push(
            &mut out,
            "(table)",
            "-",
            format!("sources last gone through on {}", table.checked),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEC_1: Date = Date::new(2026, 12, 1);

    #[test]
    fn the_embedded_table_parses_and_every_family_planners_use_exists() {
        for id in [
            "node",
            "python",
            "go",
            "rust",
            "java",
            "php",
            "debian",
            "distroless",
            "distroless-lang",
            "distroless-nodejs",
            "distroless-java",
            "distroless-python3",
        ] {
            let f = family(id);
            assert_eq!(f.default_line().version, f.default, "{id}");
        }
        for id in ["busybox", "cargo-chef", "uv", "maven", "gradle"] {
            assert!(table().tool.contains_key(id), "{id}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_defaults_are_rejected() {
        let base = "checked = 2026-12-01\ndue_within_days = 90\n";
        let typo = format!(
            "{base}[family.x]\nname = \"X\"\ndefault = \"1\"\npolicy = \"newest\"\nsource = \"s\"\n[[family.x.line]]\nversion = \"1\"\nsource = \"s\"\neoll = 2020-01-01\n"
        );
        assert!(parse(&typo).unwrap_err().contains("eoll"));
        let no_line = format!(
            "{base}[family.x]\nname = \"X\"\ndefault = \"2\"\npolicy = \"newest\"\nsource = \"s\"\n[[family.x.line]]\nversion = \"1\"\nsource = \"s\"\n"
        );
        assert!(parse(&no_line).unwrap_err().contains("default 2"));
        let not_a_date = format!(
            "{base}[family.x]\nname = \"X\"\ndefault = \"1\"\npolicy = \"newest\"\nsource = \"s\"\n[[family.x.line]]\nversion = \"1\"\nsource = \"s\"\neol = 2020-01-01T10:00:00\n"
        );
        assert!(parse(&not_a_date).unwrap_err().contains("expected a date"));
    }

    #[test]
    fn a_go_mod_minimum_builds_with_the_newest_supported_release() {
        let c = family("go").at_least("1.21", "go.mod's `go` line");
        assert_eq!(c.version, "1.27");
        assert_eq!(
            c.evidence,
            "Go 1.27: dockgen's default release line, which satisfies go.mod's `go` line (a minimum: 1.21)"
        );
        assert_eq!(c.warning, None);
        // Patch-level minimums (go 1.22.0) compare at the line's precision.
        assert_eq!(family("go").at_least("1.27.0", "go.mod").version, "1.27");
    }

    #[test]
    fn a_minimum_that_is_not_a_version_falls_back_to_the_default() {
        let c = family("python").at_least("3.x; RUN evil", "requires-python");
        assert_eq!(c.version, "3.14");
        assert!(c.warning.unwrap().contains("not a version"));
    }

    #[test]
    fn a_rust_version_minimum_builds_with_the_current_stable() {
        let c = family("rust").at_least("1.81", "Cargo.toml's rust-version");
        assert_eq!(c.version, "1.100");
        // 1.100 sorts above 1.99 (numeric, not text).
        assert_eq!(compare("1.100", "1.99"), std::cmp::Ordering::Greater);
    }

    #[test]
    fn requires_python_above_the_default_takes_the_newest_line_that_satisfies_it() {
        let py = family("python");
        assert_eq!(py.at_least("3.9", "requires-python").version, "3.14");
        let c = py.at_least("3.15", "requires-python");
        assert_eq!(c.version, "3.15");
        assert!(
            c.evidence.contains("newer than dockgen's default 3.14"),
            "{}",
            c.evidence
        );
        let c = py.at_least("3.17", "requires-python");
        assert_eq!(c.version, "3.17");
        assert!(
            c.evidence.contains("newer than any dockgen knows"),
            "{}",
            c.evidence
        );
    }

    #[test]
    fn exact_pins_stay_exact_and_warn_past_end_of_support() {
        let node = family("node");
        let c = node.exact("20.11.1", ".nvmrc", DEC_1);
        assert_eq!(c.version, "20.11.1");
        let w = c.warning.unwrap();
        assert!(w.contains("out of support since 2026-04-30"), "{w}");
        assert!(w.contains("Node.js 26"), "{w}");
        assert_eq!(node.exact("v22.3.0", ".nvmrc", DEC_1).warning, None);
        // Python 3.10 ended on 2026-10-31; 3.11 has a year left.
        assert!(
            family("python")
                .exact("3.10", ".python-version", DEC_1)
                .warning
                .is_some()
        );
        assert!(
            family("python")
                .exact("3.11.9", ".python-version", DEC_1)
                .warning
                .is_none()
        );
        // Older than the table: out of support too.
        assert!(
            family("python")
                .exact("3.6", "runtime.txt", DEC_1)
                .warning
                .is_some()
        );
        // go.mod toolchain go1.25.3: Go 1.25 ended when 1.27 shipped.
        let c = family("go").exact("go1.25.3", "go.mod's toolchain line", DEC_1);
        assert_eq!(c.version, "1.25.3");
        assert!(c.warning.is_some());
    }

    #[test]
    fn rust_lines_not_listed_come_from_the_cadence() {
        let rust = family("rust");
        let l = rust.line_info("1.85.0").unwrap();
        assert_eq!(l.released, Some(Date::new(2025, 2, 20)));
        assert_eq!(l.eol, Some(Date::new(2025, 4, 3)));
        assert_eq!(
            rust.line_info("1.90").unwrap().released,
            Some(Date::new(2025, 9, 18))
        );
        // The listed lines agree with the cadence.
        assert_eq!(
            rust.line_info("1.100").unwrap().released,
            Some(Date::new(2026, 11, 12))
        );
        assert_eq!(
            rust.cadence.as_ref().unwrap().release_of(99),
            Date::new(2026, 10, 1)
        );
        assert_eq!(rust.newest_released(DEC_1).unwrap().version, "1.100");
        assert_eq!(
            rust.newest_released(Date::new(2026, 12, 24))
                .unwrap()
                .version,
            "1.101"
        );
        assert!(rust.is_past_eol("1.88", DEC_1));
        assert!(!rust.is_past_eol("1.100.0", DEC_1));
    }

    #[test]
    fn support_windows() {
        let node = family("node");
        assert_eq!(
            node.support("22", DEC_1, 90),
            Support::Supported {
                until: Some(Date::new(2027, 4, 30))
            }
        );
        assert_eq!(
            node.support("22", Date::new(2027, 3, 1), 90),
            Support::EndsSoon {
                on: Date::new(2027, 4, 30)
            }
        );
        assert_eq!(node.support("19", DEC_1, 90), Support::Unknown);
        assert!(family("distroless").is_past_eol("debian12", DEC_1));
        assert!(!family("distroless").is_past_eol("debian13", DEC_1));
        assert!(family("debian").is_past_eol("12", DEC_1));
    }

    #[test]
    fn defaults_follow_the_policy_on_the_day_the_table_was_checked() {
        for (id, f) in &table().family {
            if let Some(best) = f.policy_default(table().checked) {
                assert_eq!(
                    best.version, f.default,
                    "family {id}: the policy wants {}",
                    best.version
                );
            }
        }
        // Node: the newest LTS line, not the newest line.
        assert_eq!(family("node").default, "26");
        // Python 3.15 becomes the policy's default after it has settled.
        assert_eq!(
            family("python")
                .policy_default(Date::new(2027, 4, 1))
                .unwrap()
                .version,
            "3.15"
        );
    }

    #[test]
    fn nothing_is_due_today_except_what_the_table_says() {
        let due = due(table(), DEC_1);
        let lines: Vec<String> = due
            .iter()
            .map(|d| format!("{} {}", d.family, d.line))
            .collect();
        // PHP 8.2 ends on 2026-12-31: due. Rust's default ends with every release, which is not
        // due by itself: the next stable is.
        assert!(lines.contains(&"php 8.2".to_string()), "{lines:?}");
        assert!(!lines.iter().any(|l| l.starts_with("rust")), "{lines:?}");
        // No default is past its end of support.
        assert!(!due.iter().any(|d| d.what.contains("past end")), "{due:?}");
        // Six weeks later the cadence brings Rust 1.101.
        let later = super::due(table(), Date::new(2026, 12, 25));
        let rust: Vec<&Due> = later.iter().filter(|d| d.family == "rust").collect();
        assert_eq!(rust.len(), 2, "{rust:?}");
        assert_eq!(
            rust[0].what,
            "the DEFAULT is past end of support (since 2026-12-24)"
        );
        assert_eq!(rust[1].line, "1.101");
        assert!(
            rust[1].what.contains("(computed; add the line)"),
            "{}",
            rust[1].what
        );
    }

    #[test]
    fn dates_round_trip() {
        for (d, days) in [
            (Date::new(1970, 1, 1), 0),
            (Date::new(2000, 2, 29), 11_016),
            (Date::new(2026, 12, 1), 20_788),
        ] {
            assert_eq!(d.days(), days);
            assert_eq!(Date::from_days(days), d);
        }
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2026-12-01"), Some(DEC_1));
        assert_eq!(DEC_1.add_days(31).to_string(), "2027-01-01");
    }
}
