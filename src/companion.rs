//! Companion files: what dockgen writes next to the Dockerfile when asked, and tracks like it
//! (`compose.yaml` with `--compose`, a CI workflow with `--ci`). Each has a key under which
//! `dockgen.toml` records its last render (`[last]`), the base of regen's three-way merge, and the
//! answer that asked for it (`[answers]`).

use std::path::Path;

use crate::Generated;
use crate::error::Result;
use crate::write::Output;

/// One companion file of a generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    /// Its key in `dockgen.toml`'s `[last]`: `compose` or `ci`.
    pub key: &'static str,
    pub output: Output,
}

/// Every key a companion can have, in the order they are written.
pub const KEYS: &[&str] = &["compose", "ci"];

/// The companion files `generated`'s choices ask for.
pub fn for_generation(root: &Path, generated: &Generated) -> Result<Vec<Companion>> {
    let choices = &generated.plan.choices;
    let mut out = Vec::new();
    if choices.compose {
        out.push(Companion {
            key: "compose",
            output: crate::wizard::compose_output(root, generated)?,
        });
    }
    if let Some(provider) = choices.ci {
        out.push(Companion {
            key: "ci",
            output: crate::ci::output(root, generated, provider)?,
        });
    }
    Ok(out)
}
