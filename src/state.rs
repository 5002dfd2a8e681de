//! `dockgen.toml`: what dockgen decided for one project and from which inputs, committed next to the
//! Dockerfile it describes.
//!
//! It holds four things: the dockgen `version` that last generated the files; the `[answers]` that
//! differ from detection (only those, so new detections still flow in); the `[inputs]` that shaped
//! the output (ecosystem, package manager, runtime version, framework, start command, port, and every
//! file detection read with a content hash and what it concluded); and `[last]`, the Dockerfile and
//! ignore file exactly as dockgen last generated them, compressed, which is the base of the three-way
//! merge in `dockgen regen`.
//!
//! The file is read and rewritten with `toml_edit`, so a user's comments and layout survive: values
//! dockgen owns are replaced in place and keeps the decoration around them.
//!
//! Monorepos: the file sits next to the Dockerfile it describes (`apps/web/dockgen.toml` for
//! `apps/web/Dockerfile`) and records `project = "apps/web"`, the member's path inside the build
//! context, so each member is regenerated and checked on its own and the context can be found from
//! the file's own location.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::Generated;
use crate::detect::{EcosystemRef, Project};
use crate::error::{Error, Location, Result};
use crate::plan::{Choices, Flavor};
use crate::write::Output;

/// The file name, next to the Dockerfile.
pub const FILE_NAME: &str = "dockgen.toml";

/// Largest `dockgen.toml` dockgen reads: it holds a few answers and two compressed files of a few
/// kilobytes each.
pub const MAX_STATE_BYTES: u64 = 1024 * 1024;
/// Largest file a `[last]` value may inflate to: a generated Dockerfile is kilobytes.
pub const MAX_LAST_BYTES: u64 = 1024 * 1024;

/// Prefix of an encoded `[last]` value: raw DEFLATE, then standard base64.
const LAST_ENCODING: &str = "deflate+base64:";

/// What a fresh `dockgen.toml` looks like before dockgen fills in the values: the comments explain
/// the file to whoever opens it.
const SKELETON: &str = r#"# dockgen.toml: written by `dockgen init`, kept up to date by `dockgen regen`. Commit it
# with the Dockerfile: it lets `dockgen regen` merge your edits into a fresh render, and
# `dockgen check` (CI, pre-commit) tell when the Dockerfile no longer matches the project.

# The dockgen version that last generated the files.
version = ""
# The project, relative to the build context (the directory `docker build` runs in).
project = "."

# Your answers that differ from what dockgen detects. Everything else follows detection, so a
# new lockfile or runtime version flows in on the next `dockgen regen`. Change an answer here,
# then run `dockgen regen`. Keys: ecosystem, package_manager, runtime_version, port, start,
# bin, base, health_path, no_healthcheck, compose (true: also compose.yaml), ci ("github" or
# "gitlab": also a CI workflow).
[answers]

# What dockgen saw when it last generated the files; `dockgen regen` explains changes with it.
[inputs]

# Each file dockgen read (a hash of its content and what it concluded) or the Dockerfile copies.
[inputs.files]

# The Dockerfile, ignore file (and compose.yaml, CI workflow when asked for) exactly as dockgen
# last generated them (deflate + base64):
# the base of the three-way merge that keeps your edits. Written by dockgen; do not edit.
[last]
"#;

/// Keys of `[answers]`, in the order they are written.
const ANSWER_KEYS: &[&str] = &[
    "ecosystem",
    "package_manager",
    "runtime_version",
    "port",
    "start",
    "bin",
    "base",
    "health_path",
    "no_healthcheck",
    "compose",
    "ci",
];

/// The facts that shaped a generated Dockerfile, compared between runs to explain what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub ecosystem: String,
    pub package_manager: Option<String>,
    pub runtime_version: Option<String>,
    pub framework: Option<String>,
    pub start: Option<Vec<String>>,
    pub port: Option<u16>,
    /// Files detection read (context-relative paths), with a hash and the facts drawn from each,
    /// and the files the Dockerfile copies by name (a lockfile, say), whose presence matters.
    pub files: BTreeMap<String, FileInput>,
}

/// One file that shaped the output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileInput {
    /// Content hash of a file detection read; `None` for evidence that is not a regular file (a
    /// directory, a command-line flag) and for files that are only copied.
    pub hash: Option<String>,
    /// What detection concluded from the file.
    pub facts: Vec<String>,
    /// The Dockerfile copies this file by name.
    pub copied: bool,
}

impl Inputs {
    /// The inputs behind `generated`, with the evidence files under the build context `root` hashed.
    pub fn of(root: &Path, generated: &Generated) -> Result<Inputs> {
        let project = &generated.project;
        let choices = &generated.plan.choices;
        let mut files: BTreeMap<String, FileInput> = BTreeMap::new();
        for ev in &project.evidence {
            let entry = files.entry(ev.file.clone()).or_default();
            if !entry.facts.contains(&ev.fact) {
                entry.facts.push(ev.fact.clone());
            }
        }
        for (name, input) in files.iter_mut() {
            input.hash = crate::source::hash_file(root, &root.join(name), Path::new(name))?;
        }
        for copied in &generated.plan.copies {
            let name = copied.trim_start_matches("./").trim_end_matches('/');
            if name != "." && !name.is_empty() && root.join(name).is_file() {
                files.entry(name.to_string()).or_default().copied = true;
            }
        }
        Ok(Inputs {
            ecosystem: project.ecosystem.id().to_string(),
            package_manager: project.package_manager.clone(),
            runtime_version: choices
                .runtime_version
                .clone()
                .or_else(|| project.runtime_version.clone()),
            framework: project.framework.clone(),
            start: choices
                .start
                .clone()
                .or_else(|| project.start_command.clone()),
            port: choices.port.or(project.port),
            files,
        })
    }
}

/// A stable content hash (64-bit FNV-1a) for change detection. Not for security: it only has to
/// notice that a manifest changed, and it must never change between dockgen builds.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h = Fnv1a::new();
    h.update(bytes);
    h.finish()
}

/// The streaming form of [`content_hash`] (files are hashed without being read whole).
pub struct Fnv1a(u64);

impl Fnv1a {
    pub fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    pub fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> String {
        format!("fnv1a64:{:016x}", self.0)
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Self::new()
    }
}

/// The answers worth recording: the user's choices minus the project selection (kept in `project`)
/// and minus values that merely repeat what detection found, so that later detections flow in.
/// Choices that steer detection itself (ecosystem, package manager, binary) are always kept.
pub fn recorded_answers(project: &Project, choices: &Choices) -> Choices {
    let mut out = choices.clone();
    out.project = None;
    if out.port.is_some() && out.port == project.port {
        out.port = None;
    }
    if out.runtime_version.is_some() && out.runtime_version == project.runtime_version {
        out.runtime_version = None;
    }
    if out.start.is_some() && out.start == project.start_command {
        out.start = None;
    }
    out
}

/// The Dockerfile and ignore file as dockgen last generated them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Last {
    pub dockerfile: String,
    pub dockerignore: String,
    /// Companion files (compose.yaml, the CI workflow) by their key in [`crate::companion::KEYS`].
    pub companions: BTreeMap<String, String>,
}

/// A loaded (or new) `dockgen.toml`.
#[derive(Debug, Clone)]
pub struct State {
    /// Where the file lives.
    pub path: PathBuf,
    pub version: String,
    /// The project path inside the build context (`"."` for the context itself).
    pub project: String,
    /// The recorded answers (`project` is never set here).
    pub answers: Choices,
    pub inputs: Inputs,
    /// `None` when the file has no `[last]` (a hand-written or damaged file).
    pub last: Option<Last>,
    doc: DocumentMut,
}

impl State {
    /// Path of the `dockgen.toml` that goes with a generated Dockerfile.
    pub fn path_for(generated: &Generated) -> PathBuf {
        let dockerfile = &generated.dockerfile.path;
        match dockerfile.parent() {
            Some(dir) => dir.join(FILE_NAME),
            None => PathBuf::from(FILE_NAME),
        }
    }

    /// Reads and checks a `dockgen.toml` (through the read gate, confined to its own directory and
    /// at most [`MAX_STATE_BYTES`]); `shown` is the path used in messages.
    pub fn load(path: &Path, shown: &Path) -> Result<State> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let text = crate::source::read_text(dir, path, shown, MAX_STATE_BYTES)?
            .ok_or_else(|| Error::io(shown, std::io::ErrorKind::NotFound.into()))?;
        State::parse(path, shown, &text)
    }

    /// Parses the text of a `dockgen.toml`.
    pub fn parse(path: &Path, shown: &Path, text: &str) -> Result<State> {
        let parsed = toml_edit::Document::parse(text.to_string()).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            Error::input(
                Location::from_offset(shown, text, at),
                format!(
                    "invalid TOML: {}",
                    e.message().lines().next().unwrap_or("").trim()
                ),
            )
        })?;
        let r = Reader { shown, text };
        let root = parsed.as_table();
        for (key, item) in root.iter() {
            if !matches!(key, "version" | "project" | "answers" | "inputs" | "last") {
                return Err(r.error(item, format!("unknown key `{key}`")));
            }
        }
        let version = r.string(root, "version")?.unwrap_or_default();
        let project = r.string(root, "project")?.unwrap_or_else(|| ".".into());
        if project.contains("..") || project.starts_with('/') || project.contains('\\') {
            let item = root.get("project").expect("project was read");
            return Err(r.error(
                item,
                "`project` must be a relative path inside the build context",
            ));
        }
        let answers = match root.get("answers") {
            Some(item) => r.answers(item)?,
            None => Choices::default(),
        };
        let inputs = match root.get("inputs") {
            Some(item) => r.inputs(item)?,
            None => Inputs::default(),
        };
        let last = match root.get("last") {
            Some(item) => Some(r.last(item)?),
            None => None,
        };
        Ok(State {
            path: path.to_path_buf(),
            version,
            project,
            answers,
            inputs,
            last,
            doc: parsed.into_mut(),
        })
    }

    /// A fresh file for `generated` (comments from the skeleton, values from the generation).
    pub fn new(path: PathBuf) -> State {
        State {
            path,
            version: String::new(),
            project: ".".into(),
            answers: Choices::default(),
            inputs: Inputs::default(),
            last: None,
            doc: SKELETON
                .parse()
                .expect("the dockgen.toml skeleton is valid TOML"),
        }
    }

    /// The answers to generate with: the recorded ones plus the project selection.
    pub fn choices(&self) -> Choices {
        let mut c = self.answers.clone();
        c.project = Some(self.project.clone());
        c
    }

    /// Records a generation: version, project, inputs and the generated text. Answers are replaced
    /// only when `answers` is given (`init`); `regen` keeps the user's.
    pub fn record(&mut self, generated: &Generated, inputs: Inputs, answers: Option<Choices>) {
        self.version = env!("CARGO_PKG_VERSION").to_string();
        self.project = generated.plan.project_path.clone();
        self.inputs = inputs;
        self.last = Some(Last {
            dockerfile: generated.dockerfile.contents.clone(),
            dockerignore: generated.dockerignore.contents.clone(),
            companions: generated
                .companions
                .iter()
                .map(|c| (c.key.to_string(), c.output.contents.clone()))
                .collect(),
        });
        if let Some(a) = answers {
            self.answers = a;
            self.answers.project = None;
            let table = section(&mut self.doc, "answers");
            write_answers(table, &self.answers);
        }
        let root = self.doc.as_table_mut();
        set(root, "version", Some(Value::from(self.version.as_str())));
        set(root, "project", Some(Value::from(self.project.as_str())));
        write_inputs(section(&mut self.doc, "inputs"), &self.inputs);
        let last = self.last.clone().expect("set above");
        let table = section(&mut self.doc, "last");
        set(
            table,
            "dockerfile",
            Some(Value::from(encode(&last.dockerfile))),
        );
        set(
            table,
            "dockerignore",
            Some(Value::from(encode(&last.dockerignore))),
        );
        for key in crate::companion::KEYS {
            let value = last.companions.get(*key).map(|t| Value::from(encode(t)));
            set(table, key, value);
        }
    }

    /// The file's text.
    pub fn render(&self) -> String {
        self.doc.to_string()
    }
}

/// The `dockgen.toml` to write with a fresh `init`: the existing file updated in place (so the user's
/// comments stay), or a new one.
///
/// Re-running `init` starts again from detection and the new answers. Without `force` it refuses
/// (before anything is written) when the Dockerfile or ignore file carries edits made after dockgen
/// generated it: those edits would be lost, and `dockgen regen` is the command that keeps them.
pub fn init_output(root: &Path, generated: &Generated, force: bool) -> Result<Output> {
    let path = State::path_for(generated);
    let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    let mut state = if path.is_file() {
        State::load(&path, &shown)?
    } else {
        State::new(path.clone())
    };
    if !force {
        let shown_out = |out: &Output| {
            out.path
                .strip_prefix(root)
                .unwrap_or(&out.path)
                .display()
                .to_string()
        };
        let on_disk = |out: &Output| -> Result<Option<String>> {
            let shown = out.path.strip_prefix(root).unwrap_or(&out.path);
            Ok(
                crate::source::read_text(root, &out.path, shown, MAX_LAST_BYTES * 16)?
                    .map(|t| crate::write::normalise_newlines(&t)),
            )
        };
        let mut pairs = vec![
            (
                &generated.dockerfile,
                state.last.as_ref().map(|l| &l.dockerfile),
            ),
            (
                &generated.dockerignore,
                state.last.as_ref().map(|l| &l.dockerignore),
            ),
        ];
        for c in &generated.companions {
            pairs.push((
                &c.output,
                state.last.as_ref().and_then(|l| l.companions.get(c.key)),
            ));
        }
        let mut edited = Vec::new();
        let mut unknown = Vec::new();
        for (out, base) in pairs {
            let Some(ours) = on_disk(out)? else {
                continue;
            };
            if ours == out.contents {
                continue;
            }
            match base {
                Some(base) if ours == *base => {}
                Some(_) => edited.push(shown_out(out)),
                // No recorded base: an edit cannot be told from a stale render, so the file is
                // treated as foreign.
                None => unknown.push(shown_out(out)),
            }
        }
        if !edited.is_empty() {
            return Err(Error::Refused(format!(
                "{} ha{} edits made after dockgen generated {}, and init would replace them; \
                 nothing was written.\n\
                 Run `dockgen regen` to update while keeping your edits, or pass --force to start over.",
                edited.join(" and "),
                if edited.len() == 1 { "s" } else { "ve" },
                if edited.len() == 1 { "it" } else { "them" },
            )));
        }
        if !unknown.is_empty() {
            return Err(Error::Refused(format!(
                "{} differ{} from what dockgen would write now, and there is no {} recording what \
                 dockgen generated, so edits in {} cannot be told apart; nothing was written.\n\
                 Pass --force to replace {}.",
                unknown.join(" and "),
                if unknown.len() == 1 { "s" } else { "" },
                shown.display(),
                if unknown.len() == 1 { "it" } else { "them" },
                if unknown.len() == 1 { "it" } else { "them" },
            )));
        }
    }
    let inputs = Inputs::of(root, generated)?;
    let answers = recorded_answers(&generated.project, &generated.plan.choices);
    state.record(generated, inputs, Some(answers));
    Ok(Output {
        path,
        contents: state.render(),
    })
}

/// The table `name` at the top of the document, created (and placed last) when missing.
fn section<'a>(doc: &'a mut DocumentMut, name: &str) -> &'a mut Table {
    let root = doc.as_table_mut();
    if !root.get(name).is_some_and(Item::is_table) {
        root.insert(name, Item::Table(Table::new()));
    }
    root.get_mut(name)
        .and_then(Item::as_table_mut)
        .expect("inserted above")
}

/// Sets (or removes, for `None`) `key`, keeping the comments around an existing value and leaving a
/// value that already means the same thing untouched.
fn set(table: &mut Table, key: &str, value: Option<Value>) {
    match value {
        None => {
            table.remove(key);
        }
        Some(mut new) => match table.get_mut(key) {
            Some(Item::Value(old)) => {
                if plain(old) != plain(&new) {
                    *new.decor_mut() = old.decor().clone();
                    *old = new;
                }
            }
            _ => {
                table.insert(key, Item::Value(new));
            }
        },
    }
}

/// A TOML value without formatting, for "does this mean the same" comparisons.
fn plain(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::String(s) => J::String(s.value().clone()),
        Value::Integer(i) => J::from(*i.value()),
        Value::Float(f) => J::from(*f.value()),
        Value::Boolean(b) => J::Bool(*b.value()),
        Value::Datetime(d) => J::String(d.value().to_string()),
        Value::Array(a) => J::Array(a.iter().map(plain).collect()),
        Value::InlineTable(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.to_string(), plain(v)))
                .collect::<serde_json::Map<_, _>>(),
        ),
    }
}

fn str_array(items: &[String]) -> Value {
    Value::Array(items.iter().map(String::as_str).collect::<Array>())
}

fn write_answers(table: &mut Table, a: &Choices) {
    let values: [(&str, Option<Value>); 11] = [
        ("ecosystem", a.ecosystem.as_deref().map(Value::from)),
        (
            "package_manager",
            a.package_manager.as_deref().map(Value::from),
        ),
        (
            "runtime_version",
            a.runtime_version.as_deref().map(Value::from),
        ),
        ("port", a.port.map(|p| Value::from(i64::from(p)))),
        ("start", a.start.as_deref().map(str_array)),
        ("bin", a.bin.as_deref().map(Value::from)),
        ("base", a.base.map(|f| Value::from(f.id()))),
        ("health_path", a.health_path.as_deref().map(Value::from)),
        (
            "no_healthcheck",
            a.no_healthcheck.then(|| Value::from(true)),
        ),
        ("compose", a.compose.then(|| Value::from(true))),
        ("ci", a.ci.map(|c| Value::from(c.id()))),
    ];
    for (key, value) in values {
        set(table, key, value);
    }
}

fn write_inputs(table: &mut Table, i: &Inputs) {
    set(table, "ecosystem", Some(Value::from(i.ecosystem.as_str())));
    set(
        table,
        "package_manager",
        i.package_manager.as_deref().map(Value::from),
    );
    set(
        table,
        "runtime_version",
        i.runtime_version.as_deref().map(Value::from),
    );
    set(table, "framework", i.framework.as_deref().map(Value::from));
    set(table, "start", i.start.as_deref().map(str_array));
    set(table, "port", i.port.map(|p| Value::from(i64::from(p))));
    if !table.get("files").is_some_and(Item::is_table) {
        table.insert("files", Item::Table(Table::new()));
    }
    let files = table
        .get_mut("files")
        .and_then(Item::as_table_mut)
        .expect("inserted above");
    let stale: Vec<String> = files
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !i.files.contains_key(k))
        .collect();
    for k in stale {
        files.remove(&k);
    }
    for (name, input) in &i.files {
        let mut t = InlineTable::new();
        if let Some(h) = &input.hash {
            t.insert("hash", Value::from(h.as_str()));
        }
        if !input.facts.is_empty() {
            t.insert("facts", str_array(&input.facts));
        }
        if input.copied {
            t.insert("copied", Value::from(true));
        }
        set(files, name, Some(Value::InlineTable(t)));
    }
}

/// Compresses and encodes a generated file for `[last]`.
pub fn encode(text: &str) -> String {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(text.as_bytes())
        .expect("writing to memory cannot fail");
    let bytes = enc.finish().expect("writing to memory cannot fail");
    format!(
        "{LAST_ENCODING}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Reverses [`encode`]; `None` when the value is damaged or inflates past [`MAX_LAST_BYTES`].
pub fn decode(value: &str) -> Option<String> {
    let data = value.strip_prefix(LAST_ENCODING)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .ok()?;
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(MAX_LAST_BYTES + 1)
        .read_to_string(&mut text)
        .ok()?;
    if text.len() as u64 > MAX_LAST_BYTES {
        return None;
    }
    Some(text)
}

/// Reads typed values out of the parsed document, reporting `file:line:col` on bad ones.
struct Reader<'a> {
    shown: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    fn error(&self, item: &Item, message: impl Into<String>) -> Error {
        let at = item.span().map_or(0, |s| s.start);
        Error::input(Location::from_offset(self.shown, self.text, at), message)
    }

    fn value_error(&self, value: &Value, message: impl Into<String>) -> Error {
        let at = value.span().map_or(0, |s| s.start);
        Error::input(Location::from_offset(self.shown, self.text, at), message)
    }

    fn table<'t>(&self, item: &'t Item, name: &str) -> Result<&'t dyn toml_edit::TableLike> {
        item.as_table_like()
            .ok_or_else(|| self.error(item, format!("`{name}` must be a table")))
    }

    fn string(&self, t: &dyn toml_edit::TableLike, key: &str) -> Result<Option<String>> {
        match t.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| self.error(item, format!("`{key}` must be a string"))),
        }
    }

    fn strings(&self, t: &dyn toml_edit::TableLike, key: &str) -> Result<Option<Vec<String>>> {
        let Some(item) = t.get(key) else {
            return Ok(None);
        };
        let bad = || self.error(item, format!("`{key}` must be a list of strings"));
        let array = item.as_array().ok_or_else(bad)?;
        array
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }

    fn port(&self, t: &dyn toml_edit::TableLike, key: &str) -> Result<Option<u16>> {
        let Some(item) = t.get(key) else {
            return Ok(None);
        };
        item.as_integer()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| self.error(item, format!("`{key}` must be a port number (1-65535)")))
    }

    fn answers(&self, item: &Item) -> Result<Choices> {
        let mut choices = self.detection_answers(item)?;
        let t = self.table(item, "answers")?;
        if let Some(item) = t.get("compose") {
            choices.compose = item
                .as_bool()
                .ok_or_else(|| self.error(item, "`compose` must be true or false"))?;
        }
        if let Some(name) = self.string(t, "ci")? {
            choices.ci = Some(crate::ci::CiProvider::parse(&name).ok_or_else(|| {
                self.error(
                    t.get("ci").expect("read above"),
                    format!("unknown ci {name:?} (expected github or gitlab)"),
                )
            })?);
        }
        Ok(choices)
    }

    fn detection_answers(&self, item: &Item) -> Result<Choices> {
        let t = self.table(item, "answers")?;
        for (key, value) in t.iter() {
            if !ANSWER_KEYS.contains(&key) {
                return Err(self.error(
                    value,
                    format!(
                        "unknown answer `{key}`; expected one of {}",
                        ANSWER_KEYS.join(", ")
                    ),
                ));
            }
        }
        let ecosystem = self.string(t, "ecosystem")?;
        if let Some(e) = &ecosystem {
            if EcosystemRef::parse(e).is_none() {
                return Err(self.error(
                    t.get("ecosystem").expect("read above"),
                    format!(
                        "unknown ecosystem {e:?} (expected one of {})",
                        crate::ecosystems::ids().join(", ")
                    ),
                ));
            }
        }
        let base = match self.string(t, "base")? {
            None => None,
            Some(b) => Some(Flavor::parse(&b).ok_or_else(|| {
                self.error(
                    t.get("base").expect("read above"),
                    format!("unknown base {b:?} (expected slim, alpine or distroless)"),
                )
            })?),
        };
        let start = self.strings(t, "start")?;
        if start.as_ref().is_some_and(Vec::is_empty) {
            return Err(self.error(
                t.get("start").expect("read above"),
                "`start` must not be empty",
            ));
        }
        let no_healthcheck = match t.get("no_healthcheck") {
            None => false,
            Some(item) => item
                .as_bool()
                .ok_or_else(|| self.error(item, "`no_healthcheck` must be true or false"))?,
        };
        let runtime_version = match self.string(t, "runtime_version")? {
            Some(v) => Some(crate::validate::runtime_version(&v).map_err(|e| {
                self.error(
                    t.get("runtime_version").expect("read above"),
                    format!("runtime_version: {e}"),
                )
            })?),
            None => None,
        };
        let start = match start {
            Some(words) => Some(crate::validate::start_words(&words).map_err(|e| {
                self.error(t.get("start").expect("read above"), format!("start: {e}"))
            })?),
            None => None,
        };
        Ok(Choices {
            ecosystem,
            package_manager: self.string(t, "package_manager")?,
            runtime_version,
            port: self.port(t, "port")?,
            start,
            project: None,
            base,
            health_path: self.string(t, "health_path")?,
            no_healthcheck,
            bin: self.string(t, "bin")?,
            ..Choices::default()
        })
    }

    fn inputs(&self, item: &Item) -> Result<Inputs> {
        let t = self.table(item, "inputs")?;
        let mut files = BTreeMap::new();
        if let Some(f) = t.get("files") {
            for (name, entry) in self.table(f, "inputs.files")?.iter() {
                let e = self.table(entry, name)?;
                files.insert(
                    name.to_string(),
                    FileInput {
                        hash: self.string(e, "hash")?,
                        facts: self.strings(e, "facts")?.unwrap_or_default(),
                        copied: e.get("copied").and_then(Item::as_bool).unwrap_or(false),
                    },
                );
            }
        }
        Ok(Inputs {
            ecosystem: self.string(t, "ecosystem")?.unwrap_or_default(),
            package_manager: self.string(t, "package_manager")?,
            runtime_version: self.string(t, "runtime_version")?,
            framework: self.string(t, "framework")?,
            start: self.strings(t, "start")?,
            port: self.port(t, "port")?,
            files,
        })
    }

    fn last(&self, last_item: &Item) -> Result<Last> {
        let t = self.table(last_item, "last")?;
        let field = |key: &str| -> Result<String> {
            let Some(item) = t.get(key) else {
                return Err(self.error(
                    last_item,
                    format!(
                        "[last] has no `{key}`; restore dockgen.toml from version control, or run \
                         `dockgen regen --force` to start again from a fresh render"
                    ),
                ));
            };
            let value = item
                .as_value()
                .ok_or_else(|| self.error(item, format!("`{key}` must be a string")))?;
            value.as_str().and_then(decode).ok_or_else(|| {
                self.value_error(
                    value,
                    format!(
                        "[last].{key} is damaged (dockgen writes it; it is not meant to be \
                             edited); restore dockgen.toml from version control, or run \
                             `dockgen regen --force` to start again from a fresh render"
                    ),
                )
            })
        };
        let mut companions = BTreeMap::new();
        for key in crate::companion::KEYS {
            if t.contains_key(key) {
                companions.insert(key.to_string(), field(key)?);
            }
        }
        Ok(Last {
            dockerfile: field("dockerfile")?,
            dockerignore: field("dockerignore")?,
            companions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_inputs() -> Inputs {
        let mut files = BTreeMap::new();
        files.insert(
            "package.json".to_string(),
            FileInput {
                hash: Some(content_hash(b"{}")),
                facts: vec!["node project".into()],
                copied: true,
            },
        );
        files.insert(
            "package-lock.json".to_string(),
            FileInput {
                hash: Some(content_hash(b"lock")),
                facts: vec!["package manager npm".into()],
                copied: true,
            },
        );
        Inputs {
            ecosystem: "node".into(),
            package_manager: Some("npm".into()),
            runtime_version: Some("20".into()),
            framework: None,
            start: Some(vec!["node".into(), "server.js".into()]),
            port: Some(3000),
            files,
        }
    }

    /// Fills a document the way `record` does, without needing a real generation.
    fn filled(mut state: State, inputs: &Inputs, answers: &Choices) -> State {
        write_answers(section(&mut state.doc, "answers"), answers);
        set(
            state.doc.as_table_mut(),
            "version",
            Some(Value::from("0.1.0")),
        );
        write_inputs(section(&mut state.doc, "inputs"), inputs);
        let last = section(&mut state.doc, "last");
        set(last, "dockerfile", Some(Value::from(encode("FROM x\n"))));
        set(last, "dockerignore", Some(Value::from(encode(".git\n"))));
        state
    }

    fn reparse(text: &str) -> State {
        State::parse(Path::new("dockgen.toml"), Path::new("dockgen.toml"), text).unwrap()
    }

    #[test]
    fn encoded_text_round_trips_and_is_smaller() {
        let text = "# comment\nFROM node:22-bookworm-slim\n".repeat(40);
        let enc = encode(&text);
        assert!(enc.starts_with(LAST_ENCODING));
        assert!(
            enc.len() < text.len() / 4,
            "{} vs {}",
            enc.len(),
            text.len()
        );
        assert_eq!(decode(&enc).unwrap(), text);
        assert!(decode("deflate+base64:!!!").is_none());
        assert!(decode("FROM x").is_none());
    }

    #[test]
    fn content_hash_is_stable() {
        // Fixed values: a committed dockgen.toml must keep meaning the same across builds.
        assert_eq!(content_hash(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(content_hash(b"a"), "fnv1a64:af63dc4c8601ec8c");
    }

    #[test]
    fn a_new_file_reads_back_what_was_written() {
        let answers = Choices {
            port: Some(8080),
            start: Some(vec!["node".into(), "dist/main.js".into()]),
            base: Some(Flavor::Alpine),
            no_healthcheck: true,
            ..Choices::default()
        };
        let inputs = sample_inputs();
        let state = filled(State::new("dockgen.toml".into()), &inputs, &answers);
        let text = state.render();
        let back = reparse(&text);
        assert_eq!(back.version, "0.1.0");
        assert_eq!(back.project, ".");
        assert_eq!(back.answers, answers);
        assert_eq!(back.inputs, inputs);
        let last = back.last.unwrap();
        assert_eq!(last.dockerfile, "FROM x\n");
        assert_eq!(last.dockerignore, ".git\n");
        // The skeleton's explanations are there, and values sit in their own sections.
        assert!(text.starts_with("# dockgen.toml: written by `dockgen init`"));
        let answers_at = text.find("[answers]").unwrap();
        let inputs_at = text.find("[inputs]").unwrap();
        let port_at = text.find("port = 8080").unwrap();
        assert!(answers_at < port_at && port_at < inputs_at, "{text}");
        assert!(text.contains("\"package-lock.json\" = {"), "{text}");
    }

    #[test]
    fn user_comments_and_layout_survive_a_rewrite() {
        let inputs = sample_inputs();
        let answers = Choices {
            port: Some(8080),
            ..Choices::default()
        };
        let first = filled(State::new("dockgen.toml".into()), &inputs, &answers).render();
        // The user documents their answer and adds a note of their own at the end.
        let edited = first
            .replace(
                "port = 8080",
                "# the load balancer expects 8080\nport = 8080 # keep in sync with k8s",
            )
            .replace("[last]", "# our own note\n[last]");
        let state = reparse(&edited);
        let mut newer = inputs.clone();
        newer.package_manager = Some("pnpm".into());
        newer.files.remove("package-lock.json");
        newer.files.insert(
            "pnpm-lock.yaml".into(),
            FileInput {
                hash: Some(content_hash(b"pnpm")),
                facts: vec!["package manager pnpm".into()],
                copied: true,
            },
        );
        let answers = state.answers.clone();
        let rewritten = filled(state, &newer, &answers).render();
        assert!(
            rewritten
                .contains("# the load balancer expects 8080\nport = 8080 # keep in sync with k8s"),
            "{rewritten}"
        );
        assert!(rewritten.contains("# our own note\n[last]"), "{rewritten}");
        assert!(
            rewritten.contains("package_manager = \"pnpm\""),
            "{rewritten}"
        );
        assert!(!rewritten.contains("package-lock.json"), "{rewritten}");
        assert_eq!(reparse(&rewritten).inputs, newer);
    }

    #[test]
    fn an_unchanged_value_keeps_the_users_spelling() {
        let mut t: Table = "start = [ 'node',  'a.js' ] # mine\n"
            .parse::<DocumentMut>()
            .unwrap()
            .as_table()
            .clone();
        set(
            &mut t,
            "start",
            Some(str_array(&["node".into(), "a.js".into()])),
        );
        assert_eq!(t.to_string(), "start = [ 'node',  'a.js' ] # mine\n");
        set(&mut t, "start", Some(str_array(&["node".into()])));
        assert_eq!(t.to_string(), "start = [\"node\"] # mine\n");
    }

    #[test]
    fn bad_files_are_reported_with_line_and_column() {
        let cases: &[(&str, &str)] = &[
            ("version = \n", "dockgen.toml:1:"),
            (
                "[answers]\nprot = 80\n",
                "dockgen.toml:2:8: unknown answer `prot`",
            ),
            (
                "[answers]\nport = 70000\n",
                "dockgen.toml:2:8: `port` must be a port",
            ),
            (
                "[answers]\nbase = \"tiny\"\n",
                "dockgen.toml:2:8: unknown base",
            ),
            (
                "[answers]\nstart = []\n",
                "dockgen.toml:2:9: `start` must not be empty",
            ),
            (
                "[answers]\necosystem = \"cobol\"\n",
                "dockgen.toml:2:13: unknown ecosystem",
            ),
            (
                "project = \"../x\"\n",
                "dockgen.toml:1:11: `project` must be a relative path",
            ),
            (
                "[last]\ndockerfile = \"FROM x\"\ndockerignore = \"\"\n",
                "dockgen.toml:2:14: [last].dockerfile is damaged",
            ),
            ("colour = 1\n", "dockgen.toml:1:10: unknown key `colour`"),
        ];
        for (text, want) in cases {
            let err = State::parse(Path::new("x"), Path::new("dockgen.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(want),
                "{text:?}: got {err:?}, want {want:?}"
            );
            assert_eq!(
                crate::error::Error::Usage(String::new()).exit_code(),
                crate::error::EXIT_USAGE
            );
        }
    }

    #[test]
    fn answers_that_repeat_detection_are_dropped() {
        let project = Project {
            path: ".".into(),
            ecosystem: crate::ecosystems::node::ECOSYSTEM,
            package_manager: Some("npm".into()),
            runtime_version: Some("20".into()),
            framework: None,
            start_command: Some(vec!["node".into(), "server.js".into()]),
            port: Some(3000),
            evidence: vec![],
            name: "app".into(),
            details: Default::default(),
        };
        let choices = Choices {
            port: Some(3000),
            runtime_version: Some("22".into()),
            start: Some(vec!["node".into(), "server.js".into()]),
            package_manager: Some("npm".into()),
            project: Some(".".into()),
            ..Choices::default()
        };
        let kept = recorded_answers(&project, &choices);
        assert_eq!(
            kept,
            Choices {
                runtime_version: Some("22".into()),
                package_manager: Some("npm".into()),
                ..Choices::default()
            }
        );
    }
}
