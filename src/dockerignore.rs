//! The `.dockerignore` that goes with a plan: dockgen's own and local tooling files, the ecosystem's
//! build leftovers, every `.gitignore` in the context translated to Docker's pattern rules, the
//! files the Dockerfile needs, and, last so that nothing above can re-include them, secrets and
//! version-control data.
//!
//! Docker matches patterns against the whole context-relative path (no implicit `**/` as in git), a
//! pattern that matches a directory excludes everything below it, and the last matching line wins.
//! [`Pattern`] implements Docker's matcher as moby's `patternmatcher` documents and implements it
//! (both the classic builder's `MatchesOrParentMatches` and BuildKit's
//! `MatchesUsingParentResults`), so that before anything is written dockgen proves that
//! - no path the Dockerfile copies (nor the start command's entry file) is excluded, and
//! - no secret path present in the tree reaches the context.

use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::plan::BuildPlan;

/// Local tooling and dockgen's own files: not secrets, so a `.gitignore` negation may keep one.
const LOCAL: &[&str] = &[
    "**/.DS_Store",
    "**/Thumbs.db",
    "**/.idea",
    "**/.vscode",
    "**/*.swp",
    "**/*.log",
    ".dockerignore",
    "**/dockgen.toml",
];

/// `.env` files (templates excepted). Kept before the other secrets so the exceptions cannot
/// re-include anything those exclude.
const ENV_SECRETS: &[&str] = &[
    "**/.env",
    "**/.env.*",
    "**/*.env",
    "**/.envrc",
    "!**/.env.example",
    "!**/.env.sample",
    "!**/.env.template",
];

/// Secret files, by name, wherever they are. Collected from what secret scanners flag by file name
/// and what the ecosystems' own ignore templates list as credentials.
const FILE_SECRETS: &[&str] = &[
    // Private keys and keystores.
    "**/*.pem",
    "**/*.key",
    "**/*.p8",
    "**/*.p12",
    "**/*.pfx",
    "**/*.jks",
    "**/*.keystore",
    "**/*.ppk",
    "**/*.keytab",
    "**/*.kdbx",
    "**/*.gpg",
    "**/id_rsa*",
    "**/id_dsa*",
    "**/id_ecdsa*",
    "**/id_ed25519*",
    "**/id_xmss*",
    // Credentials files of package managers, VCS and databases.
    "**/.npmrc",
    "**/.pypirc",
    "**/.netrc",
    "**/_netrc",
    "**/.git-credentials",
    "**/.pgpass",
    "**/.my.cnf",
    "**/.htpasswd",
    "**/.vault-token",
    "**/.dockercfg",
    "**/.docker/config.json",
    "**/.cargo/credentials",
    "**/.cargo/credentials.toml",
    "**/.gem/credentials",
    "**/.s3cfg",
    "**/.boto",
    "**/.terraformrc",
    "**/terraform.rc",
    "**/credentials.tfrc.json",
    "**/*.tfstate",
    "**/*.tfstate.*",
    "**/*.tfvars",
    "**/credentials.json",
    "**/client_secret*.json",
    "**/*service-account*.json",
    "**/*serviceaccount*.json",
    "**/secrets.y*ml",
    // dockgen's own temporary files (an interrupted write must never reach an image).
    "**/.dockgen-*",
];

/// Directories that hold credentials or repository history: excluded with everything below.
const DIR_SECRETS: &[&str] = &[
    "**/.git",
    "**/.hg",
    "**/.svn",
    "**/.bzr",
    "**/.jj",
    "**/.ssh",
    "**/.gnupg",
    "**/.aws",
    "**/.azure",
    "**/.kube",
    "**/.config/gcloud",
    "**/.oci",
    "**/.terraform",
    "**/.terraform.d",
    "**/.password-store",
];

/// Ecosystem leftovers that are also common source directory names (`src/target/mod.rs`,
/// `src/coverage/`): anchored to where the tool puts them (the context root and the project's
/// directory) instead of matched anywhere.
const ANCHORED_LEFTOVERS: &[&str] = &[
    "target", "coverage", "build", "dist", "out", "venv", "htmlcov", "bin", "obj",
];

/// Longest `.gitignore` line dockgen translates (git has no limit; Docker patterns of this size
/// are not hand-written).
const MAX_PATTERN_CHARS: usize = 1024;
/// Most `.gitignore` patterns translated in all (the rest are skipped with a warning).
const MAX_GITIGNORE_PATTERNS: usize = 5000;
/// Largest `.gitignore` read.
const MAX_GITIGNORE_BYTES: u64 = 4 * 1024 * 1024;
/// How deep and how wide the context walk (nested `.gitignore` files, the secret proof) goes.
const WALK_MAX_DEPTH: usize = 12;
const WALK_MAX_ENTRIES: usize = 100_000;
/// Directories the walk does not enter: excluded whole, and huge.
const WALK_SKIP: &[&str] = &[
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".gradle",
];

/// One Docker ignore pattern, compiled as moby's patternmatcher does.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// A `!` line: re-includes what it matches.
    pub negate: bool,
    cleaned: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex(regex::Regex),
}

impl Pattern {
    /// Parses one `.dockerignore` line as Docker does (`!`, whitespace trimmed, `filepath.Clean`,
    /// leading `/` dropped), then compiles it.
    pub fn parse(line: &str) -> std::result::Result<Pattern, String> {
        // The same few hundred lines are compiled for every plan; regex compilation dominates.
        type Cache = std::collections::HashMap<String, std::result::Result<Pattern, String>>;
        static CACHE: std::sync::OnceLock<std::sync::Mutex<Cache>> = std::sync::OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(hit) = cache.lock().ok().and_then(|c| c.get(line).cloned()) {
            return hit;
        }
        let result = Pattern::compile_line(line);
        if let Ok(mut c) = cache.lock() {
            if c.len() < 2_000 {
                c.insert(line.to_string(), result.clone());
            }
        }
        result
    }

    fn compile_line(line: &str) -> std::result::Result<Pattern, String> {
        let mut p = line.trim();
        let negate = p.starts_with('!');
        if negate {
            p = p[1..].trim();
            if p.is_empty() {
                return Err("illegal exclusion pattern: \"!\"".into());
            }
        }
        let mut cleaned = clean(p);
        if cleaned.len() > 1 && cleaned.starts_with('/') {
            cleaned.remove(0);
        }
        let kind = compile(&cleaned)?;
        Ok(Pattern {
            negate,
            cleaned,
            kind,
        })
    }

    /// Whether the pattern matches `path` itself (context-relative, `/`-separated).
    pub fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix => path.starts_with(&self.cleaned[..self.cleaned.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.cleaned[2..];
                path.ends_with(suffix) || (suffix.starts_with('/') && path == &suffix[1..])
            }
            Kind::Regex(re) => re.is_match(path),
        }
    }
}

/// Go's `filepath.Clean` for `/`-separated paths.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// moby patternmatcher's `Pattern.compile`, for `/` as the separator.
fn compile(pattern: &str) -> std::result::Result<Kind, String> {
    #[derive(PartialEq)]
    enum T {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut mt = T::Exact;
    let mut k = 0;
    let mut i = 0;
    while k < chars.len() {
        let ch = chars[k];
        k += 1;
        if ch == '*' {
            if chars.get(k) == Some(&'*') {
                k += 1;
                if chars.get(k) == Some(&'/') {
                    k += 1;
                }
                if k >= chars.len() {
                    if mt == T::Exact {
                        mt = T::Prefix;
                    } else {
                        re.push_str(".*");
                        mt = T::Regex;
                    }
                } else {
                    re.push_str("(.*/)?");
                    mt = T::Regex;
                }
                if i == 0 {
                    mt = T::Suffix;
                }
            } else {
                re.push_str("[^/]*");
                mt = T::Regex;
            }
        } else if ch == '?' {
            re.push_str("[^/]");
            mt = T::Regex;
        } else if ".+()|{}$".contains(ch) {
            re.push('\\');
            re.push(ch);
        } else if ch == '\\' {
            if k < chars.len() {
                re.push('\\');
                re.push(chars[k]);
                k += 1;
            } else {
                re.push('\\');
            }
        } else if ch == '[' || ch == ']' {
            re.push(ch);
            mt = T::Regex;
        } else {
            re.push(ch);
        }
        i += 1;
    }
    match mt {
        T::Exact => Ok(Kind::Exact),
        T::Prefix => Ok(Kind::Prefix),
        T::Suffix => Ok(Kind::Suffix),
        T::Regex => {
            re.push('$');
            regex::RegexBuilder::new(&re)
                .size_limit(1 << 20)
                .build()
                .map(Kind::Regex)
                .map_err(|e| format!("syntax error in pattern: {e}"))
        }
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug)]
pub struct DockerIgnore {
    sections: Vec<(String, Vec<String>)>,
    rules: Vec<Pattern>,
    /// `.gitignore` lines that were skipped, as `file:LINE: why`.
    pub warnings: Vec<String>,
}

impl DockerIgnore {
    /// Builds the `.dockerignore` for `plan`, reading every `.gitignore` in the build context `root`.
    pub fn for_plan(plan: &BuildPlan, root: &Path) -> Result<Self> {
        let project = plan
            .project_path
            .trim_start_matches("./")
            .trim_end_matches('/');
        let project = if project.is_empty() { "." } else { project };
        let tree = walk(root);
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        let mut local: Vec<String> = LOCAL.iter().map(|s| s.to_string()).collect();
        for dir in [".", project] {
            for name in [
                "Dockerfile",
                "Dockerfile.dockerignore",
                "compose.yaml",
                "compose.yml",
            ]
            .into_iter()
            .chain(["docker-compose.yml", "docker-compose.yaml"])
            {
                push_unique(&mut local, anchored(dir, name));
            }
        }
        sections.push((
            "dockgen's own files, Docker files and local tooling".to_string(),
            local,
        ));
        let mut eco: Vec<String> = Vec::new();
        for entry in plan.ecosystem.rules().ignore.iter().chain(&plan.ignore) {
            for e in leftover(entry, project) {
                push_unique(&mut eco, e);
            }
        }
        sections.push((
            format!(
                "{} build output and caches: the image rebuilds them",
                plan.ecosystem
            ),
            eco,
        ));
        let mut warnings = Vec::new();
        let mut budget = MAX_GITIGNORE_PATTERNS;
        for gi in tree.iter().filter(|e| e.is_gitignore) {
            let dir = gi.path.rsplit_once('/').map_or("", |(d, _)| d);
            let shown = Path::new(&gi.path);
            let Some((file, len)) = crate::source::open(root, &root.join(&gi.path), shown)? else {
                continue;
            };
            if len > MAX_GITIGNORE_BYTES {
                warnings.push(format!(
                    "{}: warning: larger than {MAX_GITIGNORE_BYTES} bytes; not translated",
                    gi.path
                ));
                continue;
            }
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(file, MAX_GITIGNORE_BYTES),
                &mut bytes,
            )
            .map_err(|e| Error::io(shown, e))?;
            let text = String::from_utf8_lossy(&bytes);
            let translated = translate_gitignore_file(&text, &gi.path, &mut budget, &mut warnings);
            if !translated.is_empty() {
                let title = if dir.is_empty() {
                    "From .gitignore (translated: unanchored patterns get **/)".to_string()
                } else {
                    format!("From {} (translated, anchored to {dir}/)", gi.path)
                };
                sections.push((title, translated));
            }
        }
        let mut secrets: Vec<String> = Vec::new();
        secrets.extend(ENV_SECRETS.iter().map(|s| s.to_string()));
        secrets.extend(FILE_SECRETS.iter().map(|s| s.to_string()));
        for d in DIR_SECRETS {
            secrets.push(d.to_string());
            // BuildKit does not re-check a pattern against the contents of a directory an earlier
            // line already excluded; the `/**` form matches each file inside on its own.
            secrets.push(format!("{d}/**"));
        }
        let secrets_section = (
            "Secrets and version control, last so that no line above can re-include them"
                .to_string(),
            secrets,
        );
        let mut ignore = DockerIgnore::from_sections(
            sections
                .iter()
                .cloned()
                .chain([secrets_section.clone()])
                .collect(),
        )?;
        // Whatever the Dockerfile copies, and the file the start command runs, must stay in the
        // context even if a .gitignore drops it (a generated lockfile, say): add exceptions
        // before the secrets, then prove it.
        let mut needed: Vec<String> = plan
            .copies
            .iter()
            .map(|c| c.trim_start_matches("./").trim_end_matches('/').to_string())
            .filter(|c| c != "." && !c.is_empty())
            .collect();
        for entry in entry_files(plan, project) {
            if tree.iter().any(|e| e.path == entry && !e.is_dir) {
                push_unique(&mut needed, entry);
            }
        }
        let keep: Vec<String> = needed
            .iter()
            .filter(|c| ignore.excludes(c))
            .map(|c| format!("!{}", literal(c)))
            .collect();
        if !keep.is_empty() {
            sections.push((
                "Kept because the Dockerfile copies them or the start command runs them"
                    .to_string(),
                keep,
            ));
            ignore = DockerIgnore::from_sections(
                sections.into_iter().chain([secrets_section]).collect(),
            )?;
        }
        for copied in &needed {
            if ignore.excludes(copied) {
                return Err(Error::input(
                    Location::file(copied),
                    "the Dockerfile needs this file, but its name is one .dockerignore always \
                     excludes as a secret; rename it, or pass it as a build secret",
                ));
            }
        }
        // The proof: no secret present in the tree is in the context, under either builder.
        static SECRETS: std::sync::OnceLock<Secrets> = std::sync::OnceLock::new();
        let secrets = match SECRETS.get() {
            Some(s) => s,
            None => {
                let s = Secrets::new()?;
                SECRETS.get_or_init(|| s)
            }
        };
        for e in &tree {
            if secrets.is_secret(&e.path)
                && !(ignore.excludes_classic(&e.path) && ignore.excludes_buildkit(&e.path))
            {
                return Err(Error::input(
                    Location::file(crate::source::excerpt(&e.path)),
                    "a secret that this .dockerignore would let into the build context; \
                     nothing was written (please report this as a dockgen bug)",
                ));
            }
        }
        ignore.warnings = warnings;
        Ok(ignore)
    }

    fn from_sections(sections: Vec<(String, Vec<String>)>) -> Result<Self> {
        let mut rules = Vec::new();
        for (_, entries) in &sections {
            for entry in entries {
                let p = Pattern::parse(entry).map_err(|e| {
                    Error::Internal(format!(
                        ".dockerignore pattern {:?}: {e}",
                        crate::source::excerpt(entry)
                    ))
                })?;
                rules.push(p);
            }
        }
        Ok(DockerIgnore {
            sections,
            rules,
            warnings: Vec::new(),
        })
    }

    /// Parses the text of a `.dockerignore` file (comments and blank lines skipped), as Docker's
    /// `ignorefile.ReadAll` does.
    pub fn parse(text: &str) -> Result<Self> {
        let entries = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        DockerIgnore::from_sections(vec![(String::new(), entries)])
    }

    /// Whether Docker might leave `path` (context-relative, `/`-separated) out of the build
    /// context: excluded by the classic builder or by BuildKit.
    pub fn excludes(&self, path: &str) -> bool {
        self.excludes_classic(path) || self.excludes_buildkit(path)
    }

    /// moby patternmatcher's `MatchesOrParentMatches` (the classic builder): the last pattern that
    /// matches the path or one of its parent directories decides.
    pub fn excludes_classic(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        let parents = parents(path);
        let mut matched = false;
        for p in &self.rules {
            if p.negate != matched {
                continue;
            }
            let hit = p.matches(path) || parents.iter().any(|d| p.matches(d));
            if hit {
                matched = !p.negate;
            }
        }
        matched
    }

    /// moby patternmatcher's `MatchesUsingParentResults` as BuildKit walks the context: each
    /// directory's per-pattern results are handed to its children.
    pub fn excludes_buildkit(&self, path: &str) -> bool {
        let path = path.trim_start_matches("./").trim_end_matches('/');
        let mut parent: Option<Vec<bool>> = None;
        let mut matched = false;
        let mut prefix = String::new();
        for seg in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let mut info = vec![false; self.rules.len()];
            matched = false;
            for (i, p) in self.rules.iter().enumerate() {
                let mut hit = parent.as_ref().is_some_and(|m| m[i]);
                if !hit {
                    if p.negate != matched {
                        continue;
                    }
                    hit = p.matches(&prefix);
                }
                info[i] = hit;
                if hit {
                    matched = !p.negate;
                }
            }
            parent = Some(info);
        }
        matched
    }

    /// The file's text.
    pub fn render(&self) -> Result<String> {
        crate::render::dockerignore(&self.sections)
    }
}

/// What counts as a secret: a path whose own name is a secret file, or anything inside a secret
/// directory.
struct Secrets {
    files: DockerIgnore,
    dirs: DockerIgnore,
}

impl Secrets {
    fn new() -> Result<Self> {
        let list = |l: &mut dyn Iterator<Item = &&str>| -> Vec<String> {
            l.map(|s| s.to_string()).collect()
        };
        Ok(Secrets {
            files: DockerIgnore::from_sections(vec![(
                String::new(),
                list(&mut ENV_SECRETS.iter().chain(FILE_SECRETS)),
            )])?,
            dirs: DockerIgnore::from_sections(vec![(
                String::new(),
                list(&mut DIR_SECRETS.iter()),
            )])?,
        })
    }

    fn is_secret(&self, path: &str) -> bool {
        let mut own = false;
        for p in &self.files.rules {
            if p.matches(path) {
                own = !p.negate;
            }
        }
        own || self.dirs.excludes_classic(path)
    }
}

fn parents(path: &str) -> Vec<&str> {
    path.match_indices('/').map(|(i, _)| &path[..i]).collect()
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// `name` inside the project directory `dir` (`.` for the context root).
fn anchored(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// An ecosystem leftover pattern as written: `**/target` becomes `target` (and the project's own
/// `apps/x/target`) because a source directory may carry the same name.
fn leftover(entry: &str, project: &str) -> Vec<String> {
    let bare = entry.strip_prefix("**/").unwrap_or(entry);
    if ANCHORED_LEFTOVERS.contains(&bare) {
        let mut out = vec![bare.to_string()];
        if project != "." {
            out.push(format!("{project}/{bare}"));
        }
        out
    } else {
        vec![entry.to_string()]
    }
}

/// A path as a Docker pattern that matches exactly it (wildcard characters made literal).
fn literal(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        match c {
            '*' | '?' | '[' | ']' | '\\' | '^' => {
                out.push('[');
                out.push('\\');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// Files the start command runs, relative to the context: `node src/server.js`, `python main.py`,
/// `gunicorn app:app`, `python -m pkg`.
fn entry_files(plan: &BuildPlan, project: &str) -> Vec<String> {
    let words: Vec<&String> = plan.entrypoint.iter().chain(&plan.cmd).collect();
    let mut out = Vec::new();
    let mut after_m = false;
    for w in words {
        let w = w.trim_start_matches("./");
        if w.is_empty() || w.starts_with('-') || w.starts_with('/') || w.contains("..") {
            after_m = w == "-m";
            continue;
        }
        let mut rel = Vec::new();
        if after_m {
            let m = w.replace('.', "/");
            rel.push(format!("{m}.py"));
            rel.push(format!("{m}/__main__.py"));
        } else if let Some((module, _)) = w.split_once(':') {
            if !module.is_empty()
                && module
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '_')
            {
                rel.push(format!("{}.py", module.replace('.', "/")));
            }
        } else if w.contains('.') || w.contains('/') {
            rel.push(w.to_string());
        }
        after_m = false;
        for r in rel {
            out.push(anchored(project, &r));
        }
    }
    out
}

/// One path in the context, found by the bounded walk.
struct Entry {
    path: String,
    is_dir: bool,
    is_gitignore: bool,
}

/// The context's paths (not following symlinks; not entering [`WALK_SKIP`]), in walk order with
/// each directory's `.gitignore` before deeper ones.
fn walk(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut stack: Vec<(std::path::PathBuf, String, usize)> =
        vec![(root.to_path_buf(), String::new(), 0)];
    let mut gitignores = Vec::new();
    while let Some((dir, rel, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<(String, bool)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let ty = e.file_type().ok()?;
                Some((name, ty.is_dir()))
            })
            .collect();
        names.sort();
        let mut subdirs = Vec::new();
        for (name, is_dir) in names {
            if out.len() >= WALK_MAX_ENTRIES {
                break;
            }
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let is_gitignore = !is_dir && name == ".gitignore";
            if is_gitignore {
                gitignores.push(path.clone());
            }
            out.push(Entry {
                path: path.clone(),
                is_dir,
                is_gitignore,
            });
            if is_dir && depth < WALK_MAX_DEPTH && !WALK_SKIP.contains(&name.as_str()) {
                subdirs.push((dir.join(&name), path, depth + 1));
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    // Shallow .gitignore files first, so a deeper file's lines come later and take precedence.
    out.sort_by_key(|e| (!e.is_gitignore, e.path.matches('/').count(), e.path.clone()));
    out
}

/// Translates the text of the `.gitignore` at context-relative `path` (`apps/web/.gitignore`):
/// lines that cannot be translated are skipped with a warning naming `path:LINE`; at most `budget`
/// patterns are produced in all.
pub fn translate_gitignore_file(
    text: &str,
    path: &str,
    budget: &mut usize,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let gi_path = path;
    let mut translated = Vec::new();
    // The lines so far that match files by their own path (not `dir/` lines).
    let mut file_level: Vec<String> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        match translate(line, dir) {
            Ok(None) => {}
            Ok(Some(t)) if *budget > 0 => {
                *budget -= 1;
                translated.push(t.pattern.clone());
                if t.negated && t.dir_only {
                    // `!dir/` re-includes the directories git had excluded as
                    // directories; files in them that an earlier line matches by their
                    // own name stay excluded (`*` then `!*/` then `!*.py`): repeat those.
                    let n = file_level.len().min(*budget);
                    *budget -= n;
                    translated.extend(file_level[..n].iter().cloned());
                } else if !t.dir_only {
                    file_level.push(t.pattern);
                }
            }
            Ok(Some(_)) => {
                warnings.push(format!(
                    "{}:{}: warning: more than {MAX_GITIGNORE_PATTERNS} .gitignore \
                     patterns; the rest are skipped",
                    gi_path,
                    n + 1
                ));
                break;
            }
            Err(why) => warnings.push(format!(
                "{}:{}: warning: {why}; line skipped",
                gi_path,
                n + 1
            )),
        }
    }
    translated
}

/// One translated `.gitignore` line.
struct Translated {
    pattern: String,
    negated: bool,
    dir_only: bool,
}

/// Translates one `.gitignore` line of the `.gitignore` in directory `dir` (context-relative, `""`
/// for the root) to a Docker pattern: `Ok(None)` for comments and blanks; `Err(why)` for a line
/// that cannot be translated faithfully (the caller skips it with a warning).
///
/// A directory-only line (`build/`) becomes `…/build/**`: the directory's contents, not a file of
/// that name. A negated one (`!*/`) re-includes the directories' contents, and the caller repeats
/// the file-level lines before it, so only what git re-includes comes back.
pub fn translate_gitignore_line(
    line: &str,
    dir: &str,
) -> std::result::Result<Option<String>, String> {
    Ok(translate(line, dir)?.map(|t| t.pattern))
}

fn translate(line: &str, dir: &str) -> std::result::Result<Option<Translated>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!(
            "pattern longer than {MAX_PATTERN_CHARS} characters"
        ));
    }
    if line.starts_with('#') {
        return Ok(None);
    }
    // Trailing spaces are dropped unless escaped with a backslash.
    let trimmed = line.trim_end_matches(' ');
    let line = if trimmed.ends_with('\\')
        && trimmed.len() < line.len()
        && !ends_with_escaped_backslash(trimmed)
    {
        &line[..trimmed.len() + 1]
    } else {
        trimmed
    };
    if line.is_empty() {
        return Ok(None);
    }
    if line.chars().any(|c| c.is_control() && c != '\t') {
        return Err("control characters in the pattern".into());
    }
    let (neg, body) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let dir_only = body.ends_with('/') && !ends_with_escaped_slash(body);
    let core = if dir_only {
        body.trim_end_matches('/')
    } else {
        body
    };
    if core.is_empty() {
        return Ok(None);
    }
    let anchored_pat = core.starts_with('/') || core.trim_start_matches('/').contains('/');
    let core = core.trim_start_matches('/');
    if core.is_empty() {
        return Ok(None);
    }
    let glob = git_glob_to_docker(core)?;
    let mut out = String::new();
    if !dir.is_empty() {
        out.push_str(&literal(dir));
        out.push('/');
    }
    if !anchored_pat && !glob.starts_with("**") {
        out.push_str("**/");
    }
    out.push_str(&glob);
    if dir_only {
        out.push_str("/**");
    }
    if out.starts_with('#') {
        out.replace_range(0..1, "[#]");
    }
    if out.ends_with(' ') || out.ends_with('\t') || out.starts_with(' ') || out.starts_with('\t') {
        return Err("leading or trailing whitespace cannot be expressed in .dockerignore".into());
    }
    let out = if neg { format!("!{out}") } else { out };
    // What Docker will do with it: it must compile, or `docker build` fails on the whole file.
    Pattern::parse(&out).map_err(|e| format!("cannot be expressed as a Docker pattern ({e})"))?;
    Ok(Some(Translated {
        pattern: out,
        negated: neg,
        dir_only,
    }))
}

fn ends_with_escaped_backslash(s: &str) -> bool {
    let n = s.chars().rev().take_while(|c| *c == '\\').count();
    n % 2 == 0
}

fn ends_with_escaped_slash(s: &str) -> bool {
    let before = &s[..s.len() - 1];
    let n = before.chars().rev().take_while(|c| *c == '\\').count();
    n % 2 == 1
}

/// Rewrites a git wildmatch pattern (no leading `/`, no trailing `/`) into Docker's syntax.
fn git_glob_to_docker(core: &str) -> std::result::Result<String, String> {
    let chars: Vec<char> = core.chars().collect();
    let mut out = String::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            '\\' => {
                let Some(&next) = chars.get(k + 1) else {
                    return Err("a trailing backslash (git matches nothing with it)".into());
                };
                out.push_str(&literal_char(next));
                k += 2;
            }
            '*' => {
                let start = k;
                while chars.get(k) == Some(&'*') {
                    k += 1;
                }
                let run = k - start;
                let at_start = start == 0 || chars[start - 1] == '/';
                let at_end = k == chars.len() || chars[k] == '/';
                if run == 2 && at_start && at_end {
                    out.push_str("**");
                } else {
                    out.push('*');
                }
            }
            '?' => {
                out.push('?');
                k += 1;
            }
            '[' => {
                let (class, next) = bracket(&chars, k)?;
                out.push_str(&class);
                k = next;
            }
            '/' => {
                if out.ends_with('/') {
                    return Err("an empty path segment (`//`)".into());
                }
                out.push('/');
                k += 1;
            }
            c => {
                out.push_str(&literal_char(c));
                k += 1;
            }
        }
    }
    if out.split('/').any(|s| s == "." || s == "..") {
        return Err("a `.` or `..` segment (git matches it literally, Docker resolves it)".into());
    }
    Ok(out)
}

/// A character as Docker matches it literally.
fn literal_char(c: char) -> String {
    match c {
        '*' | '?' | '[' | ']' | '\\' | '^' => format!("[\\{c}]"),
        c => c.to_string(),
    }
}

/// Translates the bracket expression starting at `chars[start] == '['`; returns it and the index
/// after it. Negated classes never match `/`, positive ones drop it (git's pathname rule).
fn bracket(chars: &[char], start: usize) -> std::result::Result<(String, usize), String> {
    const POSIX: &[&str] = &[
        "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
        "upper", "xdigit",
    ];
    let mut k = start + 1;
    let negated = matches!(chars.get(k), Some('!' | '^'));
    if negated {
        k += 1;
    }
    let mut members = String::new();
    let mut count = 0;
    let mut first = true;
    let mut prev: Option<char> = None;
    loop {
        let Some(&c) = chars.get(k) else {
            return Err("an unclosed `[` (git matches nothing with it)".into());
        };
        if c == ']' && !first {
            k += 1;
            break;
        }
        first = false;
        if c == '[' && chars.get(k + 1) == Some(&':') {
            let rest: String = chars[k + 2..].iter().collect();
            let Some(end) = rest.find(":]") else {
                return Err("an unclosed `[:class:]`".into());
            };
            let name = &rest[..end];
            if !POSIX.contains(&name) {
                return Err(format!(
                    "an unknown character class [:{}:]",
                    crate::source::excerpt(name)
                ));
            }
            members.push_str(&format!("[:{name}:]"));
            count += 1;
            k += 2 + rest[..end].chars().count() + 2;
            prev = None;
            continue;
        }
        let (lit, width) = if c == '\\' {
            match chars.get(k + 1) {
                Some(&n) => (n, 2),
                None => return Err("a trailing backslash".into()),
            }
        } else {
            (c, 1)
        };
        // A range `a-z`.
        if chars.get(k + width) == Some(&'-') && chars.get(k + width + 1).is_some_and(|&e| e != ']')
        {
            let mut e = chars[k + width + 1];
            let mut ew = 1;
            if e == '\\' {
                match chars.get(k + width + 2) {
                    Some(&n) => {
                        e = n;
                        ew = 2;
                    }
                    None => return Err("a trailing backslash".into()),
                }
            }
            if e < lit {
                return Err(format!("a reversed range [{lit}-{e}]"));
            }
            if lit <= '/' && '/' <= e && !negated {
                return Err("a range spanning `/`".into());
            }
            members.push_str(&class_char(lit));
            members.push('-');
            members.push_str(&class_char(e));
            count += 1;
            k += width + 1 + ew;
            prev = None;
            continue;
        }
        let _ = prev;
        if lit != '/' {
            members.push_str(&class_char(lit));
            count += 1;
        }
        prev = Some(lit);
        k += width;
    }
    if negated {
        members.push_str("\\/");
        return Ok((format!("[^{members}]"), k));
    }
    if count == 0 {
        return Err("a character class that matches nothing".into());
    }
    Ok((format!("[{members}]"), k))
}

/// A character inside a Docker (Go regexp) class: ASCII punctuation escaped.
fn class_char(c: char) -> String {
    if c.is_ascii_punctuation() {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(entries: &[&str]) -> DockerIgnore {
        DockerIgnore::from_sections(vec![(
            "t".into(),
            entries.iter().map(|s| s.to_string()).collect(),
        )])
        .unwrap()
    }

    fn tr(line: &str) -> Option<String> {
        translate_gitignore_line(line, "").unwrap()
    }

    #[test]
    fn gitignore_lines_become_docker_patterns() {
        assert_eq!(tr("node_modules/").unwrap(), "**/node_modules/**");
        assert_eq!(tr("/dist").unwrap(), "dist");
        assert_eq!(tr("build/out").unwrap(), "build/out");
        assert_eq!(tr("*.pyc").unwrap(), "**/*.pyc");
        assert_eq!(tr("!keep.txt").unwrap(), "!**/keep.txt");
        assert_eq!(tr("**/tmp").unwrap(), "**/tmp");
        assert_eq!(tr("# comment"), None);
        assert_eq!(tr("   "), None);
        assert_eq!(tr("!*/").unwrap(), "!**/*/**");
        assert_eq!(tr("\\#lit").unwrap(), "**/#lit");
        assert_eq!(tr("/\\#lit").unwrap(), "[#]lit");
        assert_eq!(tr("[!a]b").unwrap(), "**/[^a\\/]b");
        assert_eq!(
            translate_gitignore_line("*.tmp", "apps/web")
                .unwrap()
                .unwrap(),
            "apps/web/**/*.tmp"
        );
        assert_eq!(
            translate_gitignore_line("/out/", "apps/web")
                .unwrap()
                .unwrap(),
            "apps/web/out/**"
        );
    }

    #[test]
    fn lines_git_accepts_but_docker_cannot_express_are_refused_not_panicked() {
        for line in ["foo{", "[abc", "foo\\", "[z-a]", "a/../b", "[[:nope:]]"] {
            let r = translate_gitignore_line(line, "");
            if line == "foo{" {
                let p = r.unwrap().unwrap();
                assert!(ignore(&[&p]).excludes("foo{"), "{p}");
            } else {
                assert!(r.is_err(), "{line}: {r:?}");
            }
        }
        assert!(translate_gitignore_line(&"a".repeat(200_000), "").is_err());
    }

    #[test]
    fn directory_patterns_exclude_their_contents() {
        let di = ignore(&["**/node_modules", "dist"]);
        assert!(di.excludes("node_modules/x/index.js"));
        assert!(di.excludes("apps/web/node_modules"));
        assert!(di.excludes("dist/app.js"));
        assert!(!di.excludes("src/dist.js"));
        assert!(!di.excludes("apps/dist/x"));
    }

    #[test]
    fn directory_only_patterns_leave_files_of_that_name() {
        let p = tr("build/").unwrap();
        let di = ignore(&[&p]);
        assert!(di.excludes("build/x.o"));
        assert!(di.excludes("a/build/x.o"));
        assert!(!di.excludes("scripts/build"));
    }

    #[test]
    fn allow_list_gitignores_do_not_reinclude_everything() {
        // What for_plan emits for `*`, `!*/`, `!*.py`.
        let mut pats: Vec<String> = ["**/*", "!**/*/**", "**/*", "!**/*.py"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        pats.extend(ENV_SECRETS.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = pats.iter().map(String::as_str).collect();
        let di = ignore(&refs);
        assert!(!di.excludes("src/app.py"));
        assert!(di.excludes("src/data.csv"));
        assert!(di.excludes(".env"));
    }

    #[test]
    fn negated_directories_come_back_with_their_files() {
        // Spring Initializr's .gitignore: source packages named build stay.
        let text = "build/\n!gradle/wrapper/gradle-wrapper.jar\n!**/src/main/**/build/\n";
        let mut warnings = Vec::new();
        let pats = translate_gitignore_file(text, ".gitignore", &mut 100, &mut warnings);
        let refs: Vec<&str> = pats.iter().map(String::as_str).collect();
        let di = ignore(&refs);
        assert!(di.excludes("build/libs/app.jar"));
        assert!(!di.excludes("src/main/java/com/x/build/Foo.java"));
        // An allow-list: only .py files come back.
        let pats =
            translate_gitignore_file("*\n!*/\n!*.py\n", ".gitignore", &mut 100, &mut warnings);
        let refs: Vec<&str> = pats.iter().map(String::as_str).collect();
        let di = ignore(&refs);
        assert!(!di.excludes("src/app.py"));
        assert!(di.excludes("src/data.csv"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn untranslatable_lines_are_skipped_with_their_line_number() {
        let mut warnings = Vec::new();
        let pats = translate_gitignore_file(
            "ok\n[abc\nfoo\\\n",
            "apps/.gitignore",
            &mut 100,
            &mut warnings,
        );
        assert_eq!(pats, vec!["apps/**/ok".to_string()]);
        assert!(
            warnings[0].starts_with("apps/.gitignore:2: warning:"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("apps/.gitignore:3: warning:"),
            "{warnings:?}"
        );
    }

    #[test]
    fn bin_directories_are_not_excluded_by_default() {
        let di = ignore(FILE_SECRETS);
        assert!(!di.excludes("src/bin/server.rs"));
        assert!(!di.excludes("bin/www"));
        let di = ignore(ENV_SECRETS);
        assert!(di.excludes(".env"));
        assert!(di.excludes("config/.env.local"));
        assert!(!di.excludes(".env.example"));
    }

    #[test]
    fn later_exceptions_win() {
        let di = ignore(&["**/*.lock", "!poetry.lock"]);
        assert!(!di.excludes("poetry.lock"));
        assert!(di.excludes("other.lock"));
    }

    #[test]
    fn buildkit_does_not_recheck_patterns_skipped_for_an_excluded_directory() {
        // `.aws` excluded by the first line, its credentials re-included by the second: the
        // plain `**/.aws` line after them is skipped for the directory, so BuildKit lets the
        // file in; the `/**` form catches it.
        let di = ignore(&["**/.aws", "!**/.aws/credentials", "**/.aws"]);
        assert!(di.excludes_classic(".aws/credentials"));
        assert!(!di.excludes_buildkit(".aws/credentials"));
        let di = ignore(&["**/.aws", "!**/.aws/credentials", "**/.aws", "**/.aws/**"]);
        assert!(di.excludes_buildkit(".aws/credentials"));
    }

    #[test]
    fn docker_pattern_types_match_as_moby_does() {
        let p = Pattern::parse("**/foo").unwrap();
        assert!(p.matches("foo") && p.matches("a/foo") && !p.matches("afoo"));
        let p = Pattern::parse("foo/**").unwrap();
        assert!(p.matches("foo/x") && !p.matches("foo"));
        let p = Pattern::parse("/a/./b/").unwrap();
        assert!(p.matches("a/b"));
        assert!(Pattern::parse("[").is_err());
        assert!(Pattern::parse("!").is_err());
    }
}
