//! Plans the Dockerfile of a Rust project.

use crate::detect::Project;
use crate::error::{Error, Result};
use crate::plan::{BuildPlan, Choices};

pub fn plan(_project: &Project, _choices: &Choices) -> Result<BuildPlan> {
    Err(Error::Internal("rust planning is not written yet".into()))
}
