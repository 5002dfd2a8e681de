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

/// Writes the man page (roff, section 1) to `out`: one page, with a COMMANDS section that holds
/// each subcommand's synopsis, description and options (there are no dockgen-init(1) pages).
pub fn man(out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = render_man(&cmd).map_err(|e| Error::io("stdout", e))?;
    out.write_all(&page).map_err(|e| Error::io("stdout", e))
}

fn render_man(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("dockgen {}", sub.get_name());
        let sub_man = clap_mangen::Man::new(sub.clone());
        page.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
        let mut body = Vec::new();
        sub_man.render_synopsis_section(&mut body)?;
        sub_man.render_description_section(&mut body)?;
        sub_man.render_options_section(&mut body)?;
        // The sections become paragraphs of this command's subsection.
        for line in String::from_utf8_lossy(&body).lines() {
            if line.starts_with(".SH") {
                page.extend_from_slice(b".PP\n");
            } else {
                page.extend_from_slice(line.as_bytes());
                page.push(b'\n');
            }
        }
    }
    man.render_version_section(&mut page)?;
    Ok(page)
}
