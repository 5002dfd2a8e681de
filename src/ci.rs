//! `dockgen init --ci github|gitlab`: a CI workflow that builds the generated Dockerfile with BuildKit
//! and a layer cache, passes the build secrets the plan declares, tags the image with the commit and
//! runs `dockgen check`.
//!
//! Everything the workflow says comes from the plan (secret ids, the Dockerfile's place) or from
//! values dockgen makes safe itself (the image name is reduced to `[a-z0-9_-]`, the project path
//! passed [`safe::path`]); the templates under `templates/ci/` hold the layout and the comments.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::Generated;
use crate::error::{Error, Result};
use crate::safe;
use crate::write::Output;

/// Where the workflow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CiProvider {
    /// GitHub Actions: docker/build-push-action with the GitHub Actions cache (type=gha).
    Github,
    /// GitLab CI: docker buildx with a registry cache in the project's container registry.
    Gitlab,
}

impl CiProvider {
    pub const ALL: [CiProvider; 2] = [CiProvider::Github, CiProvider::Gitlab];

    pub fn id(self) -> &'static str {
        match self {
            CiProvider::Github => "github",
            CiProvider::Gitlab => "gitlab",
        }
    }

    pub fn parse(s: &str) -> Option<CiProvider> {
        CiProvider::ALL.into_iter().find(|p| p.id() == s)
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("github", include_str!("../templates/ci/github.yml.tera")),
    ("gitlab", include_str!("../templates/ci/gitlab.yml.tera")),
];

fn tera() -> &'static Tera {
    static TERA: OnceLock<Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .unwrap_or_else(|e| panic!("embedded CI templates are invalid: {e}"));
        tera
    })
}

/// One build secret as the workflow passes it.
#[derive(Debug, Clone, Serialize)]
struct CiSecret {
    /// The id the Dockerfile mounts (`--mount=type=secret,id=npmrc`).
    id: String,
    /// The repository secret / CI variable holding it: the id in capitals (`NPMRC`).
    env: String,
    /// What to put in it (`$HOME/.npmrc`).
    local_file: String,
    /// GitHub: the `secret-envs` line, present only when the repository secret is set.
    github_entry: String,
    /// GitHub: the step's environment variable, from the repository secret.
    github_value: String,
}

/// What the CI templates render.
#[derive(Debug, Clone, Serialize)]
struct Workflow {
    dockgen_version: &'static str,
    /// Workflow name (GitHub).
    name: String,
    /// The image name, also the cache scope: `[a-z0-9_-]` only.
    image: String,
    /// The build context, relative to the repository root.
    context: String,
    /// The Dockerfile, relative to the repository root.
    dockerfile: String,
    check_command: String,
    check_job: String,
    build_job: String,
    /// The workflow file, relative to the build context.
    path: String,
    /// GitLab: the file is not the root `.gitlab-ci.yml`, so it says how to include it.
    include_note: bool,
    secrets: Vec<CiSecret>,
}

/// The workflow file's path, relative to the build context: GitHub reads every file in
/// `.github/workflows/`, so each member gets its own; GitLab reads one `.gitlab-ci.yml`, which is the
/// root project's, and a member's file sits next to its Dockerfile to be included from there.
pub fn relative_path(provider: CiProvider, project_path: &str, image: &str) -> String {
    let member = project_path != ".";
    match (provider, member) {
        (CiProvider::Github, false) => ".github/workflows/docker.yml".into(),
        (CiProvider::Github, true) => format!(".github/workflows/docker-{image}.yml"),
        (CiProvider::Gitlab, false) => ".gitlab-ci.yml".into(),
        (CiProvider::Gitlab, true) => format!("{project_path}/docker.gitlab-ci.yml"),
    }
}

/// The workflow for a generation, under the build context `root`.
pub fn output(root: &Path, generated: &Generated, provider: CiProvider) -> Result<Output> {
    let plan = &generated.plan;
    let image = crate::wizard::service_name(&generated.project.name);
    let member = plan.project_path != ".";
    let project = if member {
        safe::path(&plan.project_path, "project path")
            .map_err(|e| Error::Internal(format!("CI workflow for {:?}: {e}", plan.project_path)))?
    } else {
        ".".to_string()
    };
    let dockerfile = if member {
        format!("{project}/Dockerfile")
    } else {
        "Dockerfile".to_string()
    };
    let secrets = plan
        .secrets
        .iter()
        .map(|s| {
            let env: String =
                s.id.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_uppercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
            CiSecret {
                github_entry: format!(
                    "${{{{ secrets.{env} != '' && '{id}={env}' || '' }}}}",
                    id = s.id
                ),
                github_value: format!("${{{{ secrets.{env} }}}}"),
                id: s.id.clone(),
                env,
                local_file: s.local_file.clone(),
            }
        })
        .collect();
    let path = relative_path(provider, &plan.project_path, &image);
    let suffix = if member {
        format!("-{image}")
    } else {
        String::new()
    };
    let workflow = Workflow {
        dockgen_version: env!("CARGO_PKG_VERSION"),
        name: if member {
            format!("docker {project}")
        } else {
            "docker".into()
        },
        context: ".".into(),
        dockerfile,
        check_command: if member {
            format!("dockgen check --project {project}")
        } else {
            "dockgen check".into()
        },
        check_job: format!("dockgen-check{suffix}"),
        build_job: format!("docker-build{suffix}"),
        include_note: provider == CiProvider::Gitlab && member,
        path: path.clone(),
        image,
        secrets,
    };
    let ctx = Context::from_serialize(&workflow).map_err(|e| Error::Internal(e.to_string()))?;
    let text = tera()
        .render(provider.id(), &ctx)
        .map_err(|e| Error::Internal(format!("rendering the {} workflow: {e}", provider.id())))?;
    Ok(Output {
        path: root.join(PathBuf::from(path)),
        contents: crate::render::tidy(&text),
    })
}
