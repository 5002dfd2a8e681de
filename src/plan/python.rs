//! Plans the Dockerfile of a Python project.

use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::{BuildPlan, Choices};

pub fn plan(_project: &Project, _choices: &Choices) -> Result<BuildPlan> {
    Err(Error::Internal("python planning is not written yet".into()))
}
