//! Plans the Dockerfile of a Go project: module download in its own cached layer, a static
//! (`CGO_ENABLED=0`) cross-compiled build, and a distroless `static` (or `scratch`) runtime that
//! holds only the binary.

use serde_json::json;

use super::detect::GoDetails;
use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::stage::{Mount, Step};
use crate::plan::{BuildPlan, BuildSecret, Choices, Flavor, RuntimeUser, ShelllessProgram};
use crate::safe;

/// The distroless `nonroot` user; also used on scratch, which has no users at all.
const NONROOT: u32 = 65532;

pub fn plan(project: &Project, d: &GoDetails, choices: &Choices) -> Result<BuildPlan> {
    let runtime = match choices.base {
        None | Some(Flavor::Distroless) => "distroless",
        Some(Flavor::Scratch) => "scratch",
        Some(other) => {
            return Err(Error::Usage(format!(
                "--base {}: a static Go binary runs on distroless static (the default) or scratch (--base scratch); a distribution image would only add attack surface",
                other.id()
            )));
        }
    };
    let (bin, pkg) = choose_main(d, choices)?;
    let shared = crate::plan::plan_shellless(
        project,
        choices,
        &ShelllessProgram {
            name: &bin,
            serves_http: d.serves_http,
            health_path: d.health_path.as_deref(),
            port_assumed: d.port_assumed,
            version_arg: "GO_VERSION",
            reads_port_env: d.reads_port_env || project.framework.as_deref() == Some("gin"),
            copies: &d.copies,
        },
    )?;
    let port = shared.port;
    let mut notes = d.notes.clone();
    notes.extend(shared.notes);

    let mut env = Vec::new();
    if project.framework.as_deref() == Some("gin") {
        env.push(("GIN_MODE".to_string(), "release".to_string()));
    }
    env.extend(shared.port_env);

    Ok(BuildPlan {
        ecosystem: project.ecosystem,
        project_path: project.path.clone(),
        args: shared.args,
        labels: crate::plan::standard_labels(project),
        user: RuntimeUser::existing(NONROOT),
        port,
        healthcheck: shared.healthcheck,
        entrypoint: shared.entrypoint,
        cmd: Vec::new(),
        env,
        vars: json!({
            "bin": bin,
            "package": pkg,
            "source_steps": source_steps(d)?,
            "vendored": d.vendored,
            "runtime": runtime,
            "busybox": shared.busybox,
        }),
        copies: shared.copies,
        ignore: Vec::new(),
        // The module download step mounts a netrc for private modules (see the template).
        secrets: if d.download {
            vec![BuildSecret::new("netrc", "$HOME/.netrc")]
        } else {
            Vec::new()
        },
        notes,
        choices: choices.clone(),
    })
}

/// The main package to build, as (binary name, `./package/path` from the context root).
fn choose_main(d: &GoDetails, choices: &Choices) -> Result<(String, String)> {
    let listed = || {
        d.mains
            .iter()
            .map(|(n, p)| format!("{n} ({p})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = match (&choices.bin, &d.chosen) {
        (Some(b), _) if d.mains.iter().any(|(n, _)| n == b) => b.clone(),
        (Some(b), _) => {
            return Err(Error::Usage(format!(
                "--bin {b}: module {} has no main package of that name; its main packages: {}",
                d.module,
                listed()
            )));
        }
        (None, Some(c)) => c.clone(),
        (None, None) => {
            return Err(Error::ChooseBin {
                message: format!(
                    "module {} has {} main packages: {}.\nChoose one with --bin NAME.",
                    d.module,
                    d.mains.len(),
                    listed()
                ),
                options: d.mains.iter().map(|(n, _)| n.clone()).collect(),
            });
        }
    };
    let pkg = d
        .mains
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| ".".into());
    let pkg = if pkg == "." {
        ".".to_string()
    } else {
        format!("./{}", safe::path(&pkg, "main package")?)
    };
    Ok((name, pkg))
}

/// `COPY` groups for the module files: files of one directory share one instruction that lands
/// them in the same directory of the image.
/// The module files grouped by directory, as `(destination, files)` for one COPY each.
fn module_copies(files: &[String]) -> Result<Vec<(String, Vec<String>)>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for f in files {
        let f = safe::path(f, "module file")?;
        let dir = match f.rsplit_once('/') {
            Some((d, _)) => format!("{d}/"),
            None => "./".to_string(),
        };
        match groups.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, list)) => list.push(f),
            None => groups.push((dir, vec![f])),
        }
    }
    Ok(groups)
}

/// The build stage up to the source: the module files and a cached, secret-aware download when
/// there is something to download, then the whole context.
fn source_steps(d: &GoDetails) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    if d.download {
        for (i, (dest, files)) in module_copies(&d.module_files)?.into_iter().enumerate() {
            let mut args = Vec::new();
            for f in files.iter().chain(std::iter::once(&dest)) {
                args.push(safe::shell_word(f)?);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            steps.push(if i == 0 {
                Step::copy(
                    &["Module files first: the download step below re-runs only when they change."],
                    &args,
                )
            } else {
                Step::copy(&[], &args).joined()
            });
        }
        steps.push(Step::run(
            &[
                "Private modules: add `ENV GOPRIVATE=github.com/acme/*` above and build with",
                "--secret id=netrc,src=$HOME/.netrc; the secret is mounted for this step only, never stored.",
            ],
            vec![
                Mount::cache("/go/pkg/mod"),
                Mount::secret("netrc", "/root/.netrc"),
            ],
            vec!["go mod download".into()],
        ));
    }
    let why: &[&str] = if d.vendored {
        &["vendor/ holds every dependency, so nothing is downloaded; the build uses -mod=vendor."]
    } else if !d.download {
        &[
            "Nothing to download (no requirements, or only local replacements), so the source comes first.",
        ]
    } else {
        &[]
    };
    steps.push(Step::copy(why, &[".", "."]));
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_files_are_copied_per_directory() {
        let files = [
            "go.work",
            "go.work.sum",
            "services/api/go.mod",
            "services/api/go.sum",
            "libs/common/go.mod",
        ]
        .map(String::from);
        let groups = module_copies(&files).unwrap();
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].0, "./");
        assert_eq!(groups[1].0, "services/api/");
        assert_eq!(groups[1].1.len(), 2);
    }

    #[test]
    fn several_main_packages_need_a_choice() {
        let d = GoDetails {
            module: "example.com/tools".into(),
            mains: vec![
                ("api".into(), "cmd/api".into()),
                ("worker".into(), "cmd/worker".into()),
            ],
            ..GoDetails::default()
        };
        let err = choose_main(&d, &Choices::default()).unwrap_err();
        assert!(
            matches!(&err, Error::ChooseBin { options, .. } if options == &["api", "worker"]),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("api (cmd/api), worker (cmd/worker)")
        );
        let pick = Choices {
            bin: Some("worker".into()),
            ..Choices::default()
        };
        assert_eq!(
            choose_main(&d, &pick).unwrap(),
            ("worker".to_string(), "./cmd/worker".to_string())
        );
    }
}
