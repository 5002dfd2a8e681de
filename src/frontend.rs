//! A JavaScript frontend that lives in a server's repository (`frontend/`, `ui/`, `web/`,
//! `client/`, or a `package.json` beside the server) and that the server serves: found from
//! evidence, built in its own Node stage, and only its output copied where the server expects it.
//!
//! Ecosystem-neutral: a planner of any language calls [`find`] with a closure that says whether
//! its server serves a given path (Flask's `static_folder`, Django's `STATICFILES_DIRS`, a Go
//! `//go:embed`, Spring's `static/`), puts the [`Frontend`] it gets into its plan's vars as
//! `frontend` (its [`Frontend::stage`]), includes `partials/frontend.tera` before its build stage
//! and copies `/src/<output>` from the `frontend` stage. Untrusted input: every path is checked to
//! be a plain relative path inside the project before it can reach a Dockerfile.

use serde::Serialize;
use serde_json::Value;

use crate::detect::Evidence;
use crate::error::Result;
use crate::source::ProjectDir;

/// Directories a frontend conventionally lives in, in order; `.` is a `package.json` beside the server.
pub const DIRS: &[&str] = &["frontend", "ui", "web", "client", "."];

/// A frontend the server serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frontend {
    /// Its directory, relative to the project (`.` for the project itself).
    pub dir: String,
    /// npm, pnpm or yarn.
    pub package_manager: String,
    /// The lockfile, relative to the project, when there is one.
    pub lockfile: Option<String>,
    /// Where `npm run build` writes, relative to the project (`frontend/dist`).
    pub output: String,
    /// The Node release line the stage builds with.
    pub node_version: String,
    /// Why dockgen believes each of the above.
    pub evidence: Vec<Evidence>,
}

/// What a template needs to render the frontend stage.
#[derive(Debug, Clone, Serialize)]
pub struct FrontendStage {
    pub comment: String,
    /// Files copied before the install (manifest and lockfile), as (source, destination).
    pub manifests: Vec<String>,
    /// The `/src/<dir>` working directory.
    pub workdir: String,
    pub cache: String,
    pub install: String,
    /// `COPY <dir>/ ./`: the frontend's sources.
    pub source: String,
    pub build: String,
    /// `/src/<output>` in the stage, to copy from.
    pub output: String,
    /// The `ARG` the stage declares (a pinned pnpm), also in [`Frontend::build_args`].
    pub tool_arg: Option<String>,
}

impl Frontend {
    /// The pinned versions the stage needs at the top of the Dockerfile.
    pub fn build_args(&self) -> Vec<crate::plan::BuildArg> {
        let mut args = vec![crate::plan::BuildArg {
            name: "NODE_VERSION".into(),
            value: self.node_version.clone(),
        }];
        if self.package_manager == "pnpm" {
            args.push(crate::plan::BuildArg {
                name: "PNPM_VERSION".into(),
                value: PNPM_VERSION.into(),
            });
        }
        args
    }

    /// The Node stage for a template (`partials/frontend.tera`).
    pub fn stage(&self) -> FrontendStage {
        let prefix = if self.dir == "." {
            String::new()
        } else {
            format!("{}/", self.dir)
        };
        let mut manifests = vec![format!("{prefix}package.json")];
        manifests.extend(self.lockfile.iter().cloned());
        let (cache, install, tool_arg) = match self.package_manager.as_str() {
            "pnpm" => (
                "/root/.local/share/pnpm/store",
                "npm install -g \"pnpm@${PNPM_VERSION}\" && pnpm install --frozen-lockfile"
                    .to_string(),
                Some("PNPM_VERSION".to_string()),
            ),
            "yarn" => (
                "/usr/local/share/.cache/yarn",
                "yarn install --frozen-lockfile".to_string(),
                None,
            ),
            _ if self.lockfile.is_some() => ("/root/.npm", "npm ci".to_string(), None),
            _ => ("/root/.npm", "npm install".to_string(), None),
        };
        let workdir = if self.dir == "." {
            "/src".to_string()
        } else {
            format!("/src/{}", self.dir)
        };
        FrontendStage {
            comment: format!(
                "the JavaScript frontend in {}, built with {} in a stage of its own; only {} leaves it",
                if self.dir == "." {
                    "package.json".to_string()
                } else {
                    format!("{}/", self.dir)
                },
                self.package_manager,
                self.output
            ),
            manifests,
            workdir,
            cache: cache.to_string(),
            install,
            source: if self.dir == "." {
                ".".into()
            } else {
                format!("{}/", self.dir)
            },
            build: match self.package_manager.as_str() {
                "pnpm" => "pnpm run build".into(),
                "yarn" => "yarn run build".into(),
                _ => "npm run build".into(),
            },
            output: format!("/src/{}", self.output),
            tool_arg,
        }
    }
}

/// pnpm installed with npm in the frontend stage (corepack is no longer bundled with Node).
const PNPM_VERSION: &str = "10.20.0";

/// Finds the frontend a server serves. `served(output)` says, for an output path relative to the
/// project (`frontend/dist`), where the server's source shows it serves it (`app.py: static_folder`),
/// or `None`. A frontend whose output the server does not serve is not returned: it is another
/// deployable, not part of this one.
pub fn find(
    dir: &ProjectDir,
    served: &dyn Fn(&str) -> Option<Evidence>,
) -> Result<Option<Frontend>> {
    for candidate in DIRS {
        let manifest = if *candidate == "." {
            "package.json".to_string()
        } else {
            format!("{candidate}/package.json")
        };
        let Some(src) = dir.read_opt(&manifest)? else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<Value>(&src.text) else {
            continue;
        };
        let Some(build) = json
            .get("scripts")
            .and_then(|s| s.get("build"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let mut evidence = vec![Evidence::new(
            &manifest,
            format!("a JavaScript frontend: its build script is `{build}`"),
        )];
        let Some((out_rel, why)) = output_dir(dir, candidate, build, &json)? else {
            continue;
        };
        let output = join(candidate, &out_rel);
        let Some(output) = output.filter(|o| crate::safe::is_safe_path(o) && o != ".") else {
            continue;
        };
        evidence.push(Evidence::new(&why.0, format!("{} → {output}", why.1)));
        let Some(served_by) = served(&output) else {
            continue;
        };
        evidence.push(served_by);
        let prefix = if *candidate == "." {
            String::new()
        } else {
            format!("{candidate}/")
        };
        let (package_manager, lockfile) = [
            ("pnpm", "pnpm-lock.yaml"),
            ("yarn", "yarn.lock"),
            ("npm", "package-lock.json"),
        ]
        .iter()
        .find(|(_, lock)| dir.is_file(&format!("{prefix}{lock}")))
        .map(|(pm, lock)| (pm.to_string(), Some(format!("{prefix}{lock}"))))
        .unwrap_or(("npm".to_string(), None));
        let node_version = crate::versions::family("node").default.clone();
        evidence.push(Evidence::new(
            lockfile.as_deref().unwrap_or(&manifest),
            format!("built with {package_manager} on Node {node_version} in a stage of its own"),
        ));
        return Ok(Some(Frontend {
            dir: candidate.to_string(),
            package_manager,
            lockfile,
            output,
            node_version,
            evidence,
        }));
    }
    Ok(None)
}

/// Where the build writes, relative to the frontend directory, and the (file, fact) that says so:
/// Vite's `outDir`, an `--out-dir`/`--outDir` flag in the build script, Create React App's
/// `build/`, else Vite's and most bundlers' `dist/`.
fn output_dir(
    dir: &ProjectDir,
    frontend: &str,
    build: &str,
    json: &Value,
) -> Result<Option<(String, (String, String))>> {
    let prefix = if frontend == "." {
        String::new()
    } else {
        format!("{frontend}/")
    };
    for config in [
        "vite.config.ts",
        "vite.config.js",
        "vite.config.mjs",
        "vite.config.mts",
    ] {
        let file = format!("{prefix}{config}");
        if let Some(src) = dir.read_opt(&file)? {
            if let Some(out) = keyword_literal(&src.text, "outDir") {
                return Ok(Some((out, (file, "Vite's build.outDir".into()))));
            }
            return Ok(Some((
                "dist".into(),
                (file, "Vite builds into dist/ (no outDir)".into()),
            )));
        }
    }
    let words: Vec<&str> = build.split_whitespace().collect();
    for pair in words.windows(2) {
        if matches!(
            pair[0],
            "--out-dir" | "--outDir" | "--output-path" | "--dist-dir"
        ) {
            return Ok(Some((
                pair[1].trim_matches(['"', '\'']).to_string(),
                (
                    format!("{prefix}package.json"),
                    format!("the build script's {}", pair[0]),
                ),
            )));
        }
    }
    let deps = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| json.get(k).and_then(|d| d.get(name)).is_some())
    };
    if deps("react-scripts") {
        return Ok(Some((
            "build".into(),
            (
                format!("{prefix}package.json"),
                "Create React App builds into build/".into(),
            ),
        )));
    }
    if deps("vite") || deps("webpack") || deps("parcel") || deps("esbuild") {
        return Ok(Some((
            "dist".into(),
            (
                format!("{prefix}package.json"),
                "the bundler builds into dist/".into(),
            ),
        )));
    }
    Ok(None)
}

/// The string literal after `key:` or `key =` (`outDir: '../static/app'`).
fn keyword_literal(text: &str, key: &str) -> Option<String> {
    for line in text.lines() {
        let Some(i) = line.find(key) else {
            continue;
        };
        let rest = line[i + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let end = rest[1..].find(quote)?;
        let value = &rest[1..1 + end];
        if !value.contains(['$', '\\']) {
            return Some(value.to_string());
        }
    }
    None
}

/// `base` joined with a relative `path`, `..` resolved; `None` when it leaves the project.
pub fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if path.starts_with('/') {
        return None;
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_project_only() {
        assert_eq!(join("frontend", "dist").as_deref(), Some("frontend/dist"));
        assert_eq!(
            join("frontend", "../app/static").as_deref(),
            Some("app/static")
        );
        assert_eq!(join(".", "build").as_deref(), Some("build"));
        assert_eq!(join("ui", "../../etc"), None);
        assert_eq!(join("ui", "/etc"), None);
    }

    #[test]
    fn vite_out_dir_is_read_from_the_config() {
        let text = "export default defineConfig({\n  build: {\n    outDir: '../server/static/app',\n  },\n})\n";
        assert_eq!(
            keyword_literal(text, "outDir").as_deref(),
            Some("../server/static/app")
        );
        assert_eq!(keyword_literal("outDir: `${x}`", "outDir"), None);
    }

    #[test]
    fn a_frontend_the_server_does_not_serve_is_not_part_of_it() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("frontend")).unwrap();
        std::fs::write(
            tmp.path().join("frontend/package.json"),
            r#"{"scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7"}}"#,
        )
        .unwrap();
        std::fs::write(tmp.path().join("frontend/package-lock.json"), "{}").unwrap();
        let dir = ProjectDir::new(tmp.path(), ".");
        assert_eq!(find(&dir, &|_| None).unwrap(), None);
        let found = find(&dir, &|out| {
            (out == "frontend/dist").then(|| Evidence::new("app.py", "serves it"))
        })
        .unwrap()
        .unwrap();
        assert_eq!(found.output, "frontend/dist");
        assert_eq!(
            found.lockfile.as_deref(),
            Some("frontend/package-lock.json")
        );
        let stage = found.stage();
        assert_eq!(stage.install, "npm ci");
        assert_eq!(stage.output, "/src/frontend/dist");
    }
}
