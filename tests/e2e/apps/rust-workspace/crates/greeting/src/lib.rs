//! The text the workspace's server answers with (a path dependency of the server crate).

/// The body of `GET /`.
pub fn greeting() -> &'static str {
    "hello from rust-workspace e2e-v1\n"
}
