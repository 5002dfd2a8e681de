//! Script analysis: simple token patterns over one scanned script find applied plugins,
//! dependency coordinates, the Java toolchain or compatibility level and the main class.

use super::*;

/// A plugin named in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PluginUse {
    pub(super) id: String,
    pub(super) version: Option<String>,
    /// `false` for `apply false` (declared for sub-projects, not applied here).
    pub(super) applied: bool,
    /// The id is a version-catalog alias (`alias(libs.plugins.spring.boot)`), not yet resolved.
    pub(super) alias: bool,
}

/// What dockgen reads from one script.
#[derive(Debug, Default, Clone)]
pub(super) struct Script {
    pub(super) plugins: Vec<PluginUse>,
    /// Plugins applied to sub-projects from `subprojects { }` / `allprojects { }` blocks.
    pub(super) sub_plugins: Vec<PluginUse>,
    /// `group:artifact` coordinates and their version as written.
    pub(super) coords: Vec<(String, Option<String>)>,
    /// Version-catalog accessors (`libs.spring.boot.starter.web` → `spring.boot.starter.web`).
    pub(super) lib_refs: Vec<String>,
    pub(super) bundle_refs: Vec<String>,
    /// Java release: raw value, offset, and what it came from.
    pub(super) java_version: Option<(String, usize, &'static str)>,
    pub(super) main_class: Option<(String, usize)>,
    pub(super) manifest_main: Option<(String, usize)>,
    /// `name = "literal"` assignments, for `${name}` in versions and coordinates.
    pub(super) vars: Vec<(String, String)>,
    pub(super) layers_disabled: bool,
    /// `bootJar { enabled = false }`: a library module that only uses Boot's dependency management.
    pub(super) boot_jar_disabled: bool,
    // settings scripts
    pub(super) includes: Vec<(String, usize)>,
    pub(super) include_builds: Vec<(String, usize)>,
    pub(super) root_name: Option<String>,
    pub(super) project_dirs: Vec<(String, String, usize)>,
}

pub(super) struct Cursor<'a> {
    pub(super) t: &'a [Token],
}

impl Cursor<'_> {
    pub(super) fn ident(&self, i: usize) -> Option<&str> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Ident(s)) => Some(s),
            _ => None,
        }
    }

    pub(super) fn is(&self, i: usize, c: char) -> bool {
        matches!(self.t.get(i).map(|t| &t.tok), Some(Tok::Punct(p)) if *p == c)
    }

    pub(super) fn is_ident(&self, i: usize, name: &str) -> bool {
        self.ident(i) == Some(name)
    }

    /// A string or number at `i`, optionally in parentheses: (value, offset, next index).
    pub(super) fn literal(&self, i: usize) -> Option<(String, usize, usize)> {
        if self.is(i, '(') {
            let (v, at, next) = self.literal(i + 1)?;
            return self.is(next, ')').then_some((v, at, next + 1));
        }
        match self.t.get(i).map(|t| (&t.tok, t.at)) {
            Some((Tok::Str(s) | Tok::Num(s), at)) => Some((s.clone(), at, i + 1)),
            _ => None,
        }
    }

    /// `= value`, `.set(value)`, `(value)` or a bare Groovy `value` after a property name at `i`.
    pub(super) fn assigned(&self, i: usize) -> Option<(usize, usize)> {
        if self.is(i, '=') {
            Some((i + 1, i + 1))
        } else if self.is(i, '.') && self.is_ident(i + 1, "set") && self.is(i + 2, '(') {
            Some((i + 3, i + 3))
        } else {
            Some((i, i))
        }
    }

    /// `name = false` or `name.set(false)` at `i`.
    pub(super) fn sets_false(&self, i: usize, name: &str) -> bool {
        if !self.is_ident(i, name) {
            return false;
        }
        (self.is(i + 1, '=') && self.is_ident(i + 2, "false"))
            || (self.is(i + 1, '.')
                && self.is_ident(i + 2, "set")
                && self.is(i + 3, '(')
                && self.is_ident(i + 4, "false"))
    }

    /// Whether the block opened at `open` sets `name` to false.
    pub(super) fn block_sets_false(&self, open: usize, name: &str) -> bool {
        (open + 1..self.close_of(open)).any(|j| self.sets_false(j, name))
    }

    /// Index of the bracket closing the one at `open`.
    pub(super) fn close_of(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for (j, tok) in self.t.iter().enumerate().skip(open) {
            match tok.tok {
                Tok::Punct('{' | '(' | '[') => depth += 1,
                Tok::Punct('}' | ')' | ']') => {
                    depth -= 1;
                    if depth == 0 {
                        return j;
                    }
                }
                _ => {}
            }
        }
        self.t.len()
    }

    /// `libs.a.b.c` starting at `i` (the `libs` token): the accessor after `libs.` and the next index.
    pub(super) fn accessor(&self, i: usize) -> Option<(String, usize)> {
        let mut parts = Vec::new();
        let mut j = i + 1;
        while self.is(j, '.') {
            match self.ident(j + 1) {
                Some(p) => parts.push(p.to_string()),
                None => break,
            }
            j += 2;
        }
        if parts
            .last()
            .is_some_and(|p| p == "get" || p == "asProvider")
        {
            parts.pop();
        }
        (!parts.is_empty()).then(|| (parts.join("."), j))
    }
}

/// `group:artifact[:version[:classifier]]` → (`group:artifact`, version).
pub(super) fn split_coord(s: &str) -> Option<(String, Option<String>)> {
    let mut parts = s.split(':');
    let group = parts.next()?;
    let artifact = parts.next()?;
    let plain = |p: &str| {
        !p.is_empty()
            && p.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '$' | '{' | '}')
            })
    };
    (plain(group) && plain(artifact)).then(|| {
        (
            format!("{group}:{artifact}"),
            parts.next().map(str::to_string),
        )
    })
}

pub(super) const CORE_PLUGINS: [&str; 7] = [
    "java",
    "application",
    "java-library",
    "war",
    "groovy",
    "scala",
    "distribution",
];

pub(super) fn analyse(tokens: &[Token]) -> Script {
    let c = Cursor { t: tokens };
    let mut s = Script::default();
    let mut in_plugins_until = 0usize;
    // `subprojects { }` / `allprojects { }` blocks: (open, close, applies to this project too).
    let mut scopes: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if c.is_ident(i, "plugins") && c.is(i + 1, '{') {
            in_plugins_until = c.close_of(i + 1);
            i += 2;
            continue;
        }
        if (c.is_ident(i, "subprojects") || c.is_ident(i, "allprojects")) && c.is(i + 1, '{') {
            scopes.push((i + 1, c.close_of(i + 1), c.is_ident(i, "allprojects")));
        }
        let before = s.plugins.len();
        let next = if i < in_plugins_until {
            plugin_entry(&c, i, &mut s)
        } else {
            None
        };
        if next.is_none() {
            scan_statement(&c, i, &mut s);
        }
        if s.plugins.len() > before {
            if let Some(&(_, _, all)) = scopes
                .iter()
                .find(|(open, close, _)| *open < i && i < *close)
            {
                let moved: Vec<PluginUse> = s.plugins.drain(before..).collect();
                if all {
                    s.plugins.extend(moved.iter().cloned());
                }
                s.sub_plugins.extend(moved);
            }
        }
        i = next.unwrap_or(i + 1);
    }
    s
}

/// One entry of a `plugins { }` block at `i`; returns the index after it.
pub(super) fn plugin_entry(c: &Cursor, i: usize, s: &mut Script) -> Option<usize> {
    let (id, alias, mut j) = match c.ident(i)? {
        "id" => {
            let (id, _, next) = c.literal(i + 1)?;
            (id, false, next)
        }
        "kotlin" if c.is(i + 1, '(') => {
            let (name, _, next) = c.literal(i + 1)?;
            (format!("org.jetbrains.kotlin.{name}"), false, next)
        }
        "alias" if c.is(i + 1, '(') && c.is_ident(i + 2, "libs") => {
            let (acc, next) = c.accessor(i + 2)?;
            let acc = acc.strip_prefix("plugins.")?.to_string();
            (acc, true, next + 1)
        }
        name if CORE_PLUGINS.contains(&name)
            && !c.is(i + 1, '(')
            && !c.is(i + 1, '.')
            && !c.is(i + 1, '=') =>
        {
            (name.to_string(), false, i + 1)
        }
        _ => return None,
    };
    let mut version = None;
    let mut applied = true;
    loop {
        let dot = usize::from(c.is(j, '.'));
        match c.ident(j + dot) {
            Some("version") => {
                let (v, _, next) = c.literal(j + dot + 1)?;
                version = Some(v);
                j = next;
            }
            Some("apply") => {
                let k = j + dot + 1;
                let (flag, next) = if c.is(k, '(') {
                    (c.ident(k + 1), k + 3)
                } else {
                    (c.ident(k), k + 1)
                };
                applied = flag != Some("false");
                j = next;
            }
            _ => break,
        }
    }
    s.plugins.push(PluginUse {
        id,
        version,
        applied,
        alias,
    });
    Some(j)
}

/// Patterns that can start at any token.
pub(super) fn scan_statement(c: &Cursor, i: usize, s: &mut Script) {
    let tok = &c.t[i];
    match &tok.tok {
        Tok::Str(text) => {
            if let Some((coord, version)) = split_coord(text) {
                s.coords.push((coord, version));
            }
            // "Main-Class": "x" / "Main-Class" to "x" / attributes["Main-Class"] = "x"
            if text == "bootJar" && c.is(i + 1, ')') && c.is(i + 2, '{') {
                s.boot_jar_disabled |= c.block_sets_false(i + 2, "enabled");
            }
            if text == "Main-Class" {
                let j = if c.is(i + 1, ']') { i + 2 } else { i + 1 };
                let k = if c.is(j, ':') || c.is(j, '=') || c.is_ident(j, "to") {
                    j + 1
                } else {
                    return;
                };
                if let Some((v, at, _)) = c.literal(k) {
                    s.manifest_main.get_or_insert((v, at));
                }
            }
        }
        Tok::Ident(name) => match name.as_str() {
            "apply" => {
                // Groovy `apply plugin: 'x'`, Kotlin `apply(plugin = "x")`
                let j = if c.is(i + 1, '(') { i + 2 } else { i + 1 };
                if c.is_ident(j, "plugin") && (c.is(j + 1, ':') || c.is(j + 1, '=')) {
                    if let Some((id, _, _)) = c.literal(j + 2) {
                        s.plugins.push(PluginUse {
                            id,
                            version: None,
                            applied: true,
                            alias: false,
                        });
                    }
                }
            }
            "libs" if c.is(i + 1, '.') && (i == 0 || !c.is(i - 1, '.')) => {
                if let Some((acc, _)) = c.accessor(i) {
                    if let Some(b) = acc.strip_prefix("bundles.") {
                        s.bundle_refs.push(b.to_string());
                    } else if !acc.starts_with("plugins.") && !acc.starts_with("versions.") {
                        s.lib_refs.push(acc);
                    }
                }
            }
            "group" if c.is(i + 1, ':') || c.is(i + 1, '=') => {
                // group: 'g', name: 'a'[, version: 'v']
                if let Some((g, _, j)) = c.literal(i + 2) {
                    if c.is(j, ',') && c.is_ident(j + 1, "name") {
                        if let Some((a, _, k)) = c.literal(j + 3) {
                            let v = (c.is(k, ',') && c.is_ident(k + 1, "version"))
                                .then(|| c.literal(k + 3).map(|x| x.0))
                                .flatten();
                            s.coords.push((format!("{g}:{a}"), v));
                        }
                    }
                }
            }
            "JavaLanguageVersion" if c.is(i + 1, '.') && c.is_ident(i + 2, "of") => {
                if let Some((v, at, _)) = c.literal(i + 3) {
                    set_version(s, v, at, "toolchain languageVersion", 0);
                }
            }
            "jvmToolchain" => {
                if let Some((v, at, _)) = c.literal(i + 1) {
                    set_version(s, v, at, "jvmToolchain", 0);
                }
            }
            "release" if i > 0 && c.is(i - 1, '.') => {
                if let Some((j, _)) = c.assigned(i + 1) {
                    if let Some((v, at, _)) = c.literal(j) {
                        set_version(s, v, at, "options.release", 1);
                    }
                }
            }
            "sourceCompatibility" | "targetCompatibility" => {
                let (what, rank) = if name == "sourceCompatibility" {
                    ("sourceCompatibility", 2)
                } else {
                    ("targetCompatibility", 3)
                };
                let Some((j, _)) = c.assigned(i + 1) else {
                    return;
                };
                if let Some((v, at, _)) = c.literal(j) {
                    set_version(s, v, at, what, rank);
                } else if c.is_ident(j, "JavaVersion") && c.is(j + 1, '.') {
                    match c.ident(j + 2) {
                        Some("toVersion") => {
                            if let Some((v, at, _)) = c.literal(j + 3) {
                                set_version(s, v, at, what, rank);
                            }
                        }
                        Some(constant) => {
                            set_version(s, constant.to_string(), c.t[j + 2].at, what, rank);
                        }
                        None => {}
                    }
                }
            }
            "mainClass" | "mainClassName" => {
                if let Some((j, _)) = c.assigned(i + 1) {
                    if let Some((v, at, _)) = c.literal(j) {
                        s.main_class.get_or_insert((v, at));
                    }
                }
            }
            "layered" if c.is(i + 1, '{') => {
                if c.block_sets_false(i + 1, "enabled") {
                    s.layers_disabled = true;
                }
            }
            // bootJar { enabled = false }, tasks.bootJar { ... }, bootJar.enabled = false
            "bootJar" => {
                let disabled = if c.is(i + 1, '{') {
                    c.block_sets_false(i + 1, "enabled")
                } else {
                    c.is(i + 1, '.') && c.sets_false(i + 2, "enabled")
                };
                s.boot_jar_disabled |= disabled;
            }
            "set" if c.is(i + 1, '(') => {
                if let Some((k, _, j)) = c.literal(i + 2) {
                    if c.is(j, ',') {
                        if let Some((v, _, _)) = c.literal(j + 1) {
                            s.vars.push((k, v));
                        }
                    }
                }
            }
            // settings.gradle
            "include" => {
                let mut j = i + 1;
                let paren = c.is(j, '(');
                if paren {
                    j += 1;
                }
                while let Some(Tok::Str(p)) = c.t.get(j).map(|t| &t.tok) {
                    s.includes.push((p.clone(), c.t[j].at));
                    if c.is(j + 1, ',') {
                        j += 2;
                    } else {
                        break;
                    }
                }
            }
            "includeBuild" => {
                if let Some((p, at, _)) = c.literal(i + 1) {
                    s.include_builds.push((p, at));
                }
            }
            "rootProject" if c.is(i + 1, '.') && c.is_ident(i + 2, "name") && c.is(i + 3, '=') => {
                if let Some((n, _, _)) = c.literal(i + 4) {
                    s.root_name = Some(n);
                }
            }
            "project"
                if c.is(i + 1, '(')
                    && c.is(i + 3, ')')
                    && c.is(i + 4, '.')
                    && c.is_ident(i + 5, "projectDir")
                    && c.is(i + 6, '=')
                    && c.is_ident(i + 7, "file") =>
            {
                if let (Some((p, _, _)), Some((d, at, _))) = (c.literal(i + 2), c.literal(i + 8)) {
                    s.project_dirs.push((p, d, at));
                }
            }
            _ => {
                // name = "literal" (ext properties, Kotlin vals, Groovy defs)
                if c.is(i + 1, '=') && !c.is(i + 2, '=') {
                    if let Some(Tok::Str(v)) = c.t.get(i + 2).map(|t| &t.tok) {
                        s.vars.push((name.clone(), v.clone()));
                    }
                }
            }
        },
        _ => {}
    }
}

/// Keeps the strongest Java-release source: toolchain (0) > release (1) > source (2) > target (3).
pub(super) fn set_version(s: &mut Script, raw: String, at: usize, what: &'static str, rank: u8) {
    let current = s.java_version.as_ref().map(|v| rank_of(v.2));
    if current.is_none_or(|r| rank < r) {
        s.java_version = Some((raw, at, what));
    }
}

pub(super) fn rank_of(what: &str) -> u8 {
    match what {
        "toolchain languageVersion" | "jvmToolchain" => 0,
        "options.release" => 1,
        "sourceCompatibility" => 2,
        _ => 3,
    }
}
