//! pip requirements files and PEP 508 requirement strings.
//!
//! A requirements file is untrusted input: every line is checked (a bad line is an error at its
//! `file:line:col`), `-r`/`-c` includes are followed inside the project only (they become bind
//! mounts in the Dockerfile), and lines that install from a local path are noted, because then the
//! dependency step needs the project's source.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::error::Result;
use crate::safe;
use crate::source::{ProjectDir, SourceText};

/// A dependency name (normalised: lower case, runs of `-_.` become `-`) and the extras asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
}

/// What a requirements file and its includes say.
#[derive(Debug, Clone, Default)]
pub struct RequirementsFiles {
    /// Every file read, relative to the project directory, the entry file first.
    pub files: Vec<String>,
    pub requirements: Vec<Requirement>,
    /// The first line that installs from a local path (`-e .`, `./libs/x`), as `file:line`.
    pub local: Option<String>,
}

/// Options pip accepts in a requirements file, and whether they take a value.
const OPTIONS: &[(&str, bool)] = &[
    ("-r", true),
    ("--requirement", true),
    ("-c", true),
    ("--constraint", true),
    ("-e", true),
    ("--editable", true),
    ("-i", true),
    ("--index-url", true),
    ("--extra-index-url", true),
    ("--no-index", false),
    ("-f", true),
    ("--find-links", true),
    ("--trusted-host", true),
    ("--no-binary", true),
    ("--only-binary", true),
    ("--prefer-binary", false),
    ("--require-hashes", false),
    ("--pre", false),
    ("--use-feature", true),
    ("--config-settings", true),
    ("-C", true),
    ("--global-option", true),
    ("-Z", false),
    ("--always-unzip", false),
];

/// Per-requirement options allowed after a requirement on the same line.
const LINE_OPTIONS: &[&str] = &["--hash", "--config-settings", "--global-option", "-C"];

/// Most nested `-r` includes followed before dockgen assumes a cycle.
const MAX_DEPTH: usize = 16;

/// Reads `entry` (relative to `dir`) and every file it includes.
pub fn read(dir: &ProjectDir, entry: &str) -> Result<RequirementsFiles> {
    let mut out = RequirementsFiles::default();
    read_one(dir, entry, &mut out, 0)?;
    Ok(out)
}

fn read_one(dir: &ProjectDir, rel: &str, out: &mut RequirementsFiles, depth: usize) -> Result<()> {
    if out.files.iter().any(|f| f == rel) {
        return Ok(());
    }
    let Some(src) = dir.read_opt(rel)? else {
        return Ok(());
    };
    out.files.push(rel.to_string());
    let base = Path::new(rel)
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    for line in logical_lines(&src.text) {
        let text = line.text.as_str();
        let trimmed_start = text.len() - text.trim_start().len();
        let body = text.trim();
        if body.is_empty() {
            continue;
        }
        let at = |i: usize| line.offsets.get(i).copied().unwrap_or(line.end);
        if body.starts_with('-') {
            let (name, value, value_at) = split_option(body);
            let Some((_, takes_value)) = OPTIONS.iter().find(|(o, _)| *o == name) else {
                return Err(src.error_at(
                    at(trimmed_start),
                    format!("unknown pip option {name:?} in a requirements file"),
                ));
            };
            if *takes_value && value.is_empty() {
                return Err(src.error_at(
                    at(trimmed_start),
                    format!("pip option {name} needs a value"),
                ));
            }
            let value_offset = at(trimmed_start + value_at);
            match name {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    if is_url(value) {
                        continue;
                    }
                    let included = include_path(&base, value).ok_or_else(|| {
                        src.error_at(
                            value_offset,
                            format!(
                                "{name} {value:?} must be a plain relative path inside the project \
                                 (letters, digits, . _ - / @ +); the Dockerfile has to copy it"
                            ),
                        )
                    })?;
                    if depth >= MAX_DEPTH {
                        return Err(src.error_at(
                            value_offset,
                            "requirements files include each other too deeply (a cycle?)",
                        ));
                    }
                    if !dir.is_file(&included) {
                        return Err(src.error_at(
                            value_offset,
                            format!("{name} {value:?}: {included} does not exist"),
                        ));
                    }
                    read_one(dir, &included, out, depth + 1)?;
                }
                "-e" | "--editable" if !is_url(value) && out.local.is_none() => {
                    out.local = Some(format!("{}:{}", src.path.display(), line.number));
                }
                _ => {}
            }
            continue;
        }
        if is_direct_reference(body) {
            if !is_url(body) && out.local.is_none() {
                out.local = Some(format!("{}:{}", src.path.display(), line.number));
            }
            continue;
        }
        // A requirement, then optional per-requirement options (` --hash=...`).
        let (req_text, options_at) = match find_line_options(body) {
            Some(i) => (&body[..i], Some(i)),
            None => (body, None),
        };
        let req = parse_requirement(req_text.trim_end())
            .map_err(|(i, msg)| src.error_at(at(trimmed_start + i), msg))?;
        if let Some(i) = options_at {
            check_line_options(&body[i..])
                .map_err(|(j, msg)| src.error_at(at(trimmed_start + i + j), msg))?;
        }
        out.requirements.push(req);
    }
    Ok(())
}

/// One logical line: physical lines joined at a trailing backslash, comments removed, with the
/// file offset of every byte so errors point at the right place.
struct LogicalLine {
    number: usize,
    text: String,
    offsets: Vec<usize>,
    end: usize,
}

fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut cur: Option<LogicalLine> = None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let physical = raw.trim_end_matches(['\n', '\r']);
        let line = cur.get_or_insert_with(|| LogicalLine {
            number: index + 1,
            text: String::new(),
            offsets: Vec::new(),
            end: offset,
        });
        let without_comment = strip_comment(physical);
        let (content, continues) = match without_comment.trim_end().strip_suffix('\\') {
            Some(c) if without_comment.len() == physical.len() => (c, true),
            _ => (without_comment, false),
        };
        for (i, ch) in content.char_indices() {
            line.text.push(ch);
            for _ in 0..ch.len_utf8() {
                line.offsets.push(offset + i);
            }
        }
        line.end = offset + content.len();
        offset += raw.len();
        if continues {
            line.text.push(' ');
            line.offsets.push(line.end);
        } else if let Some(done) = cur.take() {
            out.push(done);
        }
    }
    if let Some(done) = cur.take() {
        out.push(done);
    }
    out
}

/// pip's rule: `#` at the start of a line or after whitespace starts a comment.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// Splits `-r file`, `--requirement=file` or `-rfile` into (option, value, value offset).
fn split_option(body: &str) -> (&str, &str, usize) {
    let name_end = body
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(body.len());
    let mut name = &body[..name_end];
    let mut value_start = name_end;
    if !name.starts_with("--") && name.len() > 2 {
        // `-rfile`: a short option with its value attached.
        name = &body[..2];
        value_start = 2;
    } else if body[value_start..].starts_with('=') {
        value_start += 1;
    }
    let rest = &body[value_start..];
    let skipped = rest.len() - rest.trim_start().len();
    let value = rest.trim();
    (name, value, value_start + skipped)
}

fn is_url(s: &str) -> bool {
    s.contains("://") || s.starts_with("file:")
}

fn is_direct_reference(s: &str) -> bool {
    is_url(s)
        || s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.ends_with(".whl")
        || s.ends_with(".tar.gz")
        || s.ends_with(".zip")
}

/// Resolves an include relative to the including file; `None` when it leaves the project or is
/// not a plain path.
fn include_path(base: &Path, value: &str) -> Option<String> {
    if value.starts_with('/') {
        return None;
    }
    let joined: PathBuf = base.join(value);
    let mut parts: Vec<String> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    let rel = parts.join("/");
    safe::is_safe_path(&rel).then_some(rel)
}

/// Offset of the first ` --option` after a requirement, if any.
fn find_line_options(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    (1..bytes.len())
        .find(|&i| bytes[i] == b'-' && bytes[i - 1].is_ascii_whitespace())
        .filter(|&i| body[i..].starts_with("--") || body[i..].starts_with("-C"))
}

fn check_line_options(text: &str) -> Result<(), (usize, String)> {
    let mut offset = 0;
    for word in text.split_whitespace() {
        let at = text[offset..].find(word).map_or(offset, |i| offset + i);
        offset = at + word.len();
        if !word.starts_with('-') {
            // The value of a previous `--hash sha256:...` style option.
            continue;
        }
        let name = word.split('=').next().unwrap_or(word);
        if !LINE_OPTIONS.contains(&name) {
            return Err((
                at,
                format!("{name:?} is not an option pip allows after a requirement"),
            ));
        }
    }
    Ok(())
}

/// Normalises a distribution name the way PEP 503 does.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Checks a PEP 508 requirement (`name[extra] >=1,<2 ; marker` or `name @ url`) and returns its
/// name and extras. The error carries the byte offset of the problem.
pub fn parse_requirement(s: &str) -> Result<Requirement, (usize, String)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let name_start = i;
    let name_end = identifier_end(s, i);
    if name_end == name_start {
        return Err((i, "expected a package name".into()));
    }
    let name = &s[name_start..name_end];
    i = name_end;
    skip_ws(&mut i);
    let mut extras = Vec::new();
    if i < bytes.len() && bytes[i] == b'[' {
        let open = i;
        let close = s[i..]
            .find(']')
            .map(|j| i + j)
            .ok_or((open, "unclosed [ in the extras".to_string()))?;
        for part in s[open + 1..close].split(',') {
            let extra = part.trim();
            if extra.is_empty() && s[open + 1..close].trim().is_empty() {
                continue;
            }
            if extra.is_empty() || identifier_end(extra, 0) != extra.len() {
                return Err((open + 1, format!("{extra:?} is not a valid extra name")));
            }
            extras.push(normalise(extra));
        }
        i = close + 1;
        skip_ws(&mut i);
    }
    if i < bytes.len() && bytes[i] == b'@' {
        i += 1;
        skip_ws(&mut i);
        let url_end = s[i..]
            .find(|c: char| c.is_whitespace())
            .map_or(s.len(), |j| i + j);
        if url_end == i {
            return Err((i, "expected a URL after @".into()));
        }
        i = url_end;
        skip_ws(&mut i);
    } else if i < bytes.len() && bytes[i] != b';' {
        let parens = bytes[i] == b'(';
        if parens {
            i += 1;
        }
        i = version_specifiers(s, i)?;
        skip_ws(&mut i);
        if parens {
            if i >= bytes.len() || bytes[i] != b')' {
                return Err((i, "expected ) to close the version specifier".into()));
            }
            i += 1;
            skip_ws(&mut i);
        }
    }
    if i < bytes.len() {
        if bytes[i] != b';' {
            return Err((
                i,
                format!(
                    "unexpected {:?} (expected a version specifier such as >=1.0, or ; and a marker)",
                    s[i..].chars().next().unwrap_or(' ')
                ),
            ));
        }
        check_marker(s, i + 1)?;
    }
    Ok(Requirement {
        name: normalise(name),
        extras,
    })
}

/// End of a PEP 508 identifier starting at `i` (letters, digits, `-_.`, starting and ending
/// alphanumeric).
fn identifier_end(s: &str, i: usize) -> usize {
    let bytes = s.as_bytes();
    if i >= bytes.len() || !bytes[i].is_ascii_alphanumeric() {
        return i;
    }
    let mut end = i;
    let mut j = i;
    while j < bytes.len()
        && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'-' | b'_' | b'.'))
    {
        if bytes[j].is_ascii_alphanumeric() {
            end = j + 1;
        }
        j += 1;
    }
    end
}

/// Parses `op version (, op version)*` from `i`; returns where it stopped.
fn version_specifiers(s: &str, mut i: usize) -> Result<usize, (usize, String)> {
    let bytes = s.as_bytes();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let rest = &s[i..];
        let op = ["===", "==", "!=", "<=", ">=", "~=", "<", ">"]
            .iter()
            .find(|op| rest.starts_with(**op))
            .ok_or_else(|| {
                (
                    i,
                    format!(
                        "expected a version operator (==, >=, <, ~=, ...) before {:?}",
                        rest.split_whitespace().next().unwrap_or("")
                    ),
                )
            })?;
        i += op.len();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric()
                || matches!(bytes[i], b'.' | b'*' | b'+' | b'!' | b'-' | b'_'))
        {
            i += 1;
        }
        if i == start {
            return Err((start, format!("{op} needs a version after it")));
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b',' {
            i = j + 1;
            continue;
        }
        return Ok(i);
    }
}

/// A marker must be non-empty with balanced quotes and parentheses; its grammar is pip's business.
fn check_marker(s: &str, start: usize) -> Result<(), (usize, String)> {
    let marker = &s[start..];
    if marker.trim().is_empty() {
        return Err((start, "expected an environment marker after ;".into()));
    }
    let mut quote: Option<(char, usize)> = None;
    let mut depth: i32 = 0;
    for (j, c) in marker.char_indices() {
        match (quote, c) {
            (Some((q, _)), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some((c, start + j)),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return Err((start + j, "unbalanced ) in the marker".into()));
                }
            }
            _ => {}
        }
    }
    if let Some((_, at)) = quote {
        return Err((at, "unclosed quote in the marker".into()));
    }
    if depth != 0 {
        return Err((start, "unbalanced ( in the marker".into()));
    }
    Ok(())
}

/// Names (and `name[extra]`) of `requirements`, for framework and server detection.
pub fn names(requirements: &[Requirement]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in requirements {
        out.insert(r.name.clone());
        for e in &r.extras {
            out.insert(format!("{}[{e}]", r.name));
        }
    }
    out
}

/// A requirement from a TOML string value: errors point into the string in `src`.
pub fn parse_in_toml(src: &SourceText, value: &str, span_start: usize) -> Result<Requirement> {
    parse_requirement(value).map_err(|(i, msg)| {
        // +1 skips the opening quote; exact for strings without escapes.
        src.error_at(
            span_start + 1 + i,
            format!("invalid requirement {value:?}: {msg}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Requirement {
        parse_requirement(s).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
    }

    fn err_at(s: &str) -> usize {
        parse_requirement(s)
            .err()
            .unwrap_or_else(|| panic!("{s:?} parsed"))
            .0
    }

    #[test]
    fn valid_requirements_parse() {
        assert_eq!(ok("Flask==3.1.3").name, "flask");
        assert_eq!(ok("zope.interface>=5").name, "zope-interface");
        assert_eq!(ok("uvicorn[standard]==0.54.0").extras, vec!["standard"]);
        assert_eq!(ok("uvicorn [ standard , socks ]").extras.len(), 2);
        ok("requests>=2.32,<3");
        ok("requests (>=2.32, <3)");
        ok("python-dateutil~=2.9");
        ok("blinker==1.9.0 ; python_version >= \"3.9\"");
        ok("foo; sys_platform == 'linux' and (python_version < '3.12')");
        ok("pkg @ https://example.invalid/pkg-1.0.tar.gz");
        ok("pkg @ git+https://example.invalid/pkg.git@v1 ; python_version > '3'");
        ok("torch===2.0.0+cpu");
        ok("django>=5.2,<5.3");
        ok("attrs==25.*");
    }

    #[test]
    fn invalid_requirements_point_at_the_problem() {
        assert_eq!(err_at("flask=="), 7);
        assert_eq!(err_at("flask 2.0"), 6);
        assert_eq!(err_at("requests[security"), 8);
        assert_eq!(err_at("=flask"), 0);
        assert_eq!(err_at("django>=3.2,<"), 13);
        assert_eq!(err_at("foo; python_version < '3"), 22);
        assert_eq!(err_at("foo ;"), 5);
        assert_eq!(err_at("foo[bad extra]"), 4);
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("Django_Rest.Framework"), "django-rest-framework");
        assert_eq!(normalise("ruamel.yaml"), "ruamel-yaml");
    }

    #[test]
    fn comments_and_continuations_are_handled() {
        let lines = logical_lines(
            "a==1 # c\n# whole\nb==2 \\\n    --hash=sha256:x\nc @ https://x/y#egg=c\n",
        );
        let texts: Vec<&str> = lines.iter().map(|l| l.text.trim()).collect();
        assert_eq!(
            texts,
            vec![
                "a==1",
                "",
                "b==2      --hash=sha256:x",
                "c @ https://x/y#egg=c"
            ]
        );
        assert_eq!(lines[2].number, 3);
        // The hash starts on line 4, column 5: offsets map back to the file.
        let i = lines[2].text.find("--hash").unwrap();
        assert_eq!(
            lines[2].offsets[i],
            "a==1 # c\n# whole\nb==2 \\\n    ".len()
        );
    }

    #[test]
    fn includes_stay_inside_the_project() {
        assert_eq!(
            include_path(Path::new("requirements"), "base.txt").as_deref(),
            Some("requirements/base.txt")
        );
        assert_eq!(
            include_path(Path::new("requirements"), "../req.txt").as_deref(),
            Some("req.txt")
        );
        assert_eq!(include_path(Path::new(""), "../outside.txt"), None);
        assert_eq!(include_path(Path::new(""), "/etc/passwd"), None);
        assert_eq!(include_path(Path::new(""), "$(id).txt"), None);
    }

    #[test]
    fn options_split_into_name_and_value() {
        assert_eq!(split_option("-r base.txt"), ("-r", "base.txt", 3));
        assert_eq!(split_option("-rbase.txt"), ("-r", "base.txt", 2));
        assert_eq!(
            split_option("--requirement=base.txt"),
            ("--requirement", "base.txt", 14)
        );
        assert_eq!(split_option("--pre"), ("--pre", "", 5));
    }
}
