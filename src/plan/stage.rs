//! Typed build steps: what a stage runs, copies and sets, as data. The shared partial
//! `templates/partials/steps.tera` lays them out, so the `RUN --mount=...` syntax, the line
//! continuations and the `&&` chaining are written once; the comment above each step says why it
//! is there.

use serde::{Serialize, Serializer};

/// One instruction and the comment lines written above it (without `# `). A step starts after a
/// blank line unless it is `joined` to the one before (a COPY and the RUN that needs it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub comment: Vec<String>,
    #[serde(flatten)]
    pub instr: Instr,
    pub joined: bool,
}

/// A Dockerfile instruction of a build stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "instruction")]
pub enum Instr {
    /// `RUN --mount=... first \ && second`.
    #[serde(rename = "RUN")]
    Run {
        mounts: Vec<Mount>,
        commands: Vec<String>,
    },
    /// `COPY arg...` (sources then destination, each already a safe path).
    #[serde(rename = "COPY")]
    Copy { args: Vec<String> },
    /// `ENV K=v \ K2=v2`, each pair written as the planner quoted it.
    #[serde(rename = "ENV")]
    Env { vars: Vec<String> },
    /// `ARG NAME` (one line each): pinned versions a stage reads.
    #[serde(rename = "ARG")]
    Arg { names: Vec<String> },
}

impl Step {
    /// A step with its comment lines.
    pub fn new(comment: &[&str], instr: Instr) -> Step {
        Step {
            comment: comment.iter().map(|s| s.to_string()).collect(),
            instr,
            joined: false,
        }
    }

    /// The same step, written right below the previous one (no blank line between).
    pub fn joined(self) -> Step {
        Step {
            joined: true,
            ..self
        }
    }

    /// `RUN` with `mounts`, chaining `commands` with `&&`.
    pub fn run(comment: &[&str], mounts: Vec<Mount>, commands: Vec<String>) -> Step {
        Step::new(comment, Instr::Run { mounts, commands })
    }

    /// `COPY` of `args` (sources, then the destination).
    pub fn copy(comment: &[&str], args: &[&str]) -> Step {
        Step::new(
            comment,
            Instr::Copy {
                args: args.iter().map(|s| s.to_string()).collect(),
            },
        )
    }
}

/// A `RUN --mount`: BuildKit cache, secret and bind mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mount {
    /// `type=cache,target=...[,sharing=locked]`: kept between builds, never in a layer.
    Cache { target: String, locked: bool },
    /// `type=secret,id=...,target=...`: present only while the step runs, absent without it.
    Secret { id: String, target: String },
    /// `type=bind,source=...,target=...`: a file of the context, without a layer of its own.
    Bind { source: String, target: String },
}

impl Mount {
    pub fn cache(target: impl Into<String>) -> Mount {
        Mount::Cache {
            target: target.into(),
            locked: false,
        }
    }

    /// A cache that one build at a time may use (apt's lists and archives).
    pub fn locked_cache(target: impl Into<String>) -> Mount {
        Mount::Cache {
            target: target.into(),
            locked: true,
        }
    }

    pub fn secret(id: impl Into<String>, target: impl Into<String>) -> Mount {
        Mount::Secret {
            id: id.into(),
            target: target.into(),
        }
    }

    /// A context file bind-mounted at the same path.
    pub fn bind(path: impl Into<String>) -> Mount {
        let path = path.into();
        Mount::Bind {
            source: path.clone(),
            target: path,
        }
    }

    /// The value after `--mount=`.
    pub fn spec(&self) -> String {
        match self {
            Mount::Cache { target, locked } => format!(
                "type=cache,target={target}{}",
                if *locked { ",sharing=locked" } else { "" }
            ),
            Mount::Secret { id, target } => format!("type=secret,id={id},target={target}"),
            Mount::Bind { source, target } => format!("type=bind,source={source},target={target}"),
        }
    }
}

impl Serialize for Mount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.spec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_write_buildkit_syntax() {
        assert_eq!(
            Mount::cache("/root/.cache/pip").spec(),
            "type=cache,target=/root/.cache/pip"
        );
        assert_eq!(
            Mount::locked_cache("/var/lib/apt").spec(),
            "type=cache,target=/var/lib/apt,sharing=locked"
        );
        assert_eq!(
            Mount::secret("netrc", "/root/.netrc").spec(),
            "type=secret,id=netrc,target=/root/.netrc"
        );
        assert_eq!(
            Mount::bind("uv.lock").spec(),
            "type=bind,source=uv.lock,target=uv.lock"
        );
    }

    #[test]
    fn steps_serialize_for_the_partial() {
        let step = Step::run(&["why"], vec![Mount::cache("/c")], vec!["a".into()]);
        let v = serde_json::to_value(&step).unwrap();
        assert_eq!(v["instruction"], "RUN");
        assert_eq!(v["mounts"][0], "type=cache,target=/c");
        assert_eq!(v["commands"][0], "a");
        assert_eq!(v["comment"][0], "why");
    }
}
