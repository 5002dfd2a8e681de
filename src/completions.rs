//! `dockgen completions SHELL` and `dockgen man`: shell completions and a man page, generated from
//! the clap definition in [`crate::cli`], so they list exactly the commands and flags dockgen has.
//!
//! The man page is a command rather than a file made at build time: `cargo install` copies only the
//! binary, so a build-time file would not reach the user's machine, and a build script would have to
//! compile the clap definition a second time. Printing it on demand has neither problem:
//! `dockgen man > ~/.local/share/man/man1/dockgen.1`.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::{Error, Result};

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "dockgen", out);
}

/// Writes the man page (roff, section 1) to `out`.
pub fn man(out: &mut dyn Write) -> Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd)
        .render(out)
        .map_err(|e| Error::io("stdout", e))
}
