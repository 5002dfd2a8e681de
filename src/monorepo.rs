//! `dockgen init --all`: a Dockerfile for every deployable project of a monorepo in one run.
//!
//! Detection runs once; each project is planned, rendered and written on its own (atomically, as
//! `init --project` would), and reported. A project that fails is reported with its error and
//! nothing of it is written; the others are still written, and the run then exits 2, so a script
//! sees the failure without losing the Dockerfiles that could be made.

use std::path::Path;

use crate::error::{EXIT_OK, EXIT_USAGE, Error, Result};
use crate::plan::Choices;
use crate::{detect, report, write};

/// Writes every deployable project's Dockerfile under `root`; returns the exit code.
pub fn init_all(root: &Path, choices: &Choices, force: bool) -> Result<i32> {
    if choices.project.is_some() {
        return Err(Error::Usage(
            "--all writes every project; --project picks one: pass one of them".into(),
        ));
    }
    let detection = detect::detect(root, &crate::detect_options(choices)?)?;
    if let Some(member) = &detection.member_of {
        // The same advice `init` gives: the workspace root is the build context.
        detection.select(Some(member))?;
    }
    let mut failed = 0;
    let projects = detection.projects.clone();
    for project in projects {
        let path = project.path.clone();
        let mut own = choices.clone();
        own.project = Some(path.clone());
        match write_one(root, detection.clone(), project, &own, force) {
            Ok(()) => {}
            Err(e) => {
                failed += 1;
                eprintln!("error: {path}: {e}");
            }
        }
    }
    let total = detection.projects.len();
    eprintln!(
        "{} of {total} projects written{}",
        total - failed,
        if failed > 0 {
            format!(", {failed} failed (nothing written for them)")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 { EXIT_USAGE } else { EXIT_OK })
}

fn write_one(
    root: &Path,
    detection: detect::Detection,
    project: detect::Project,
    choices: &Choices,
    force: bool,
) -> Result<()> {
    let generated = crate::generate_for(root, detection, project, choices)?;
    let mut outputs = generated.outputs();
    write::check_ownership(&outputs, force)?;
    outputs.push(crate::state::init_output(root, &generated, force)?);
    let done = write::write_all(root, &outputs)?;
    report::report_written(root, &done);
    for note in &generated.plan.notes {
        eprintln!("note: {}: {note}", generated.project.path);
    }
    Ok(())
}
