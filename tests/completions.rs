//! `dockgen completions SHELL` and `dockgen man` on the real binary: bash loads the script and
//! completes subcommands and flags; groff renders the man page without a warning.

mod common;

use std::process::Command;

use common::*;

fn completions(shell: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dockgen(&["completions", shell], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// What bash offers after `words` (the last word is the one being completed).
fn bash_complete(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = format!(
        "source {script}\n\
         COMP_WORDS=({line})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE='{line}'\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _dockgen dockgen \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script = script.display(),
        cword = words.len() - 1,
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_subcommands_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dockgen.bash");
    std::fs::write(&script, completions("bash")).unwrap();
    let subcommands = bash_complete(&script, &["dockgen", "''"]);
    for s in ["detect", "init", "regen", "check", "completions", "man"] {
        assert!(subcommands.iter().any(|c| c == s), "{s}: {subcommands:?}");
    }
    let init = bash_complete(&script, &["dockgen", "init", "--c"]);
    assert!(init.iter().any(|c| c == "--ci"), "{init:?}");
    assert!(init.iter().any(|c| c == "--compose"), "{init:?}");
    let providers = bash_complete(&script, &["dockgen", "init", "--ci", "''"]);
    assert_eq!(providers, ["github", "gitlab"]);
    let check = bash_complete(&script, &["dockgen", "check", "--j"]);
    assert_eq!(check, ["--json"]);
}

#[test]
fn every_shell_gets_a_script_naming_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = completions(shell);
        for s in ["detect", "init", "regen", "check", "completions"] {
            assert!(script.contains(s), "{shell}: no {s}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dockgen(&["completions", "tcsh"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_renders_cleanly_and_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = dockgen(&["man"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH dockgen 1"),
        "{page}"
    );
    let file = dir.path().join("dockgen.1");
    std::fs::write(&file, &page).unwrap();
    let rendered = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(rendered.status.success());
    assert_eq!(text(&rendered.stderr), "", "groff warnings");
    let rendered = Command::new("groff")
        .args(["-man", "-Tascii"])
        .arg(&file)
        .output()
        .unwrap();
    let shown = text(&rendered.stdout);
    let plain = regex::Regex::new(".\x08").unwrap().replace_all(&shown, "");
    for s in [
        "dockgen detect",
        "dockgen init",
        "dockgen check",
        "--compose",
        "Exit codes",
    ] {
        assert!(plain.contains(s), "man page lacks {s}:\n{plain}");
    }
}
