//! Plans the Dockerfile of a Node project.

use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::{BuildPlan, Choices};

pub fn plan(_project: &Project, _choices: &Choices) -> Result<BuildPlan> {
    Err(Error::Internal("node planning is not written yet".into()))
}
