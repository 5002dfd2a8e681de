//! dockgen looks at a project, works out what it is and writes a Dockerfile and `.dockerignore`
//! that follow current best practice.
//!
//! The pipeline runs one way: [`detect`] (facts with evidence, driven by the data in `detectors/`)
//! → [`plan`] (decisions) → [`render`] (Tera templates) → [`write`] (atomic writes). Each
//! ecosystem brings its own detector, planner, rules and template ([`ecosystems`]). [`generate`]
//! runs the first three for every front end (flags, wizard, regeneration), so they cannot disagree.

pub mod ci;
pub mod cli;
pub mod companion;
pub mod completions;
pub mod detect;
pub mod dockerignore;
pub mod ecosystems;
pub mod error;
pub mod json_report;
pub mod plan;
pub mod procfile;
pub mod regen;
pub mod render;
pub mod report;
pub mod rules;
pub mod safe;
pub mod source;
pub mod state;
pub mod validate;
pub mod versions;
pub mod wizard;
pub mod write;

use std::path::{Path, PathBuf};

use detect::{DetectOptions, Detection, EcosystemRef, Project};
use error::{Error, Result};
use plan::{BuildPlan, Choices};
use write::Output;

/// Everything one generation produced, before anything is written.
#[derive(Debug, Clone)]
pub struct Generated {
    pub detection: Detection,
    pub project: Project,
    pub plan: BuildPlan,
    pub dockerfile: Output,
    pub dockerignore: Output,
    /// compose.yaml and the CI workflow, when the choices ask for them.
    pub companions: Vec<companion::Companion>,
}

impl Generated {
    pub fn outputs(&self) -> Vec<Output> {
        let mut out = vec![self.dockerfile.clone(), self.dockerignore.clone()];
        out.extend(self.companions.iter().map(|c| c.output.clone()));
        out
    }
}

/// Detection options implied by the user's choices.
pub fn detect_options(choices: &Choices) -> Result<DetectOptions> {
    let ecosystem = match &choices.ecosystem {
        Some(e) => Some(EcosystemRef::parse(e).ok_or_else(|| {
            Error::Usage(format!(
                "--ecosystem {e}: unknown ecosystem (expected one of {})",
                ecosystems::ids().join(", ")
            ))
        })?),
        None => None,
    };
    Ok(DetectOptions {
        ecosystem,
        package_manager: choices.package_manager.clone(),
        bin: choices.bin.clone(),
    })
}

/// Detects, selects the project, plans and renders: the one decision path every front end uses.
pub fn generate(root: &Path, choices: &Choices) -> Result<Generated> {
    let detection = detect::detect(root, &detect_options(choices)?)?;
    let project = detection.select(choices.project.as_deref())?.clone();
    generate_for(root, detection, project, choices)
}

/// Plans and renders for an already detected and selected project.
pub fn generate_for(
    root: &Path,
    detection: Detection,
    project: Project,
    choices: &Choices,
) -> Result<Generated> {
    let mut plan = plan::plan(&project, choices)?;
    let text = render::dockerfile(&plan)?;
    let ignore = dockerignore::DockerIgnore::for_plan(&plan, root)?;
    plan.notes.extend(ignore.warnings.iter().cloned());
    let ignore_text = ignore.render()?;
    let (dockerfile_path, ignore_path) = output_paths(root, &plan);
    let mut generated = Generated {
        detection,
        project,
        plan,
        dockerfile: Output {
            path: dockerfile_path,
            contents: text,
        },
        dockerignore: Output {
            path: ignore_path,
            contents: ignore_text,
        },
        companions: Vec::new(),
    };
    generated.companions = companion::for_generation(root, &generated)?;
    Ok(generated)
}

/// Where the Dockerfile and its ignore file go. The build context is the root the user named; a
/// workspace member's Dockerfile sits in the member's directory with a Dockerfile-specific ignore
/// file next to it (`Dockerfile.dockerignore`, read by BuildKit), so members do not fight over one
/// root `.dockerignore`.
pub fn output_paths(root: &Path, plan: &BuildPlan) -> (PathBuf, PathBuf) {
    if plan.project_path == "." {
        (root.join("Dockerfile"), root.join(".dockerignore"))
    } else {
        let dir = root.join(&plan.project_path);
        (dir.join("Dockerfile"), dir.join("Dockerfile.dockerignore"))
    }
}
