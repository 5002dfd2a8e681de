//! Asking: the [`Prompter`] trait every question goes through, the terminal implementation
//! ([`Terminal`], with inquire), colours ([`Style`]) and the small text helpers the questions use.

use std::io::IsTerminal;

use crate::error::{Error, Result};
use crate::safe;

/// Asks the user one question at a time. Esc and Ctrl-C come back as [`Error::Cancelled`].
pub trait Prompter {
    /// A line of text, pre-filled with `q.initial`; returns only answers `q.check` accepts.
    fn text(&mut self, q: &TextQuestion<'_>) -> Result<String>;
    /// One of `options`, starting on `start`; returns its index.
    fn select(
        &mut self,
        message: &str,
        options: &[String],
        start: usize,
        help: Option<&str>,
    ) -> Result<usize>;
    /// Yes or no.
    fn confirm(&mut self, message: &str, default: bool, help: Option<&str>) -> Result<bool>;
}

/// A free-text question and the check its answer must pass.
pub struct TextQuestion<'a> {
    pub message: &'a str,
    pub initial: &'a str,
    pub help: Option<&'a str>,
    /// `Err(message)` makes the prompt show the message and ask again.
    pub check: &'a dyn Fn(&str) -> std::result::Result<(), String>,
}

/// The real terminal, through inquire (which draws on stderr).
pub struct Terminal;

impl Prompter for Terminal {
    fn text(&mut self, q: &TextQuestion<'_>) -> Result<String> {
        let check = q.check;
        let mut prompt = inquire::Text::new(q.message)
            .with_initial_value(q.initial)
            .with_validator(move |s: &str| {
                Ok(match check(s) {
                    Ok(()) => inquire::validator::Validation::Valid,
                    Err(msg) => inquire::validator::Validation::Invalid(msg.into()),
                })
            });
        if let Some(help) = q.help {
            prompt = prompt.with_help_message(help);
        }
        prompt.prompt().map_err(prompt_error)
    }

    fn select(
        &mut self,
        message: &str,
        options: &[String],
        start: usize,
        help: Option<&str>,
    ) -> Result<usize> {
        let mut prompt = inquire::Select::new(message, options.to_vec())
            .with_starting_cursor(start)
            .with_page_size(10)
            .with_formatter(&|chosen| short_label(chosen.value).to_string());
        if let Some(help) = help {
            prompt = prompt.with_help_message(help);
        }
        prompt.raw_prompt().map(|o| o.index).map_err(prompt_error)
    }

    fn confirm(&mut self, message: &str, default: bool, help: Option<&str>) -> Result<bool> {
        let mut prompt = inquire::Confirm::new(message).with_default(default);
        if let Some(help) = help {
            prompt = prompt.with_help_message(help);
        }
        prompt.prompt().map_err(prompt_error)
    }
}

/// The part of an option label before its explanation (two spaces separate them), shown once the
/// question is answered.
pub(super) fn short_label(label: &str) -> &str {
    label.split("  ").next().unwrap_or(label)
}

pub(super) fn prompt_error(e: inquire::InquireError) -> Error {
    use inquire::InquireError as E;
    match e {
        E::OperationCanceled | E::OperationInterrupted => Error::Cancelled,
        E::NotTTY => Error::Usage(
            "the terminal cannot show questions; re-run with --yes to accept the detected values"
                .into(),
        ),
        E::IO(source) => Error::io("the terminal", source),
        other => Error::Internal(format!("prompt: {other}")),
    }
}

/// Colours for the wizard's own output: off when `NO_COLOR` is set or stderr is not a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    pub(super) fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub(super) fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    pub(super) fn inquire_config(self) -> inquire::ui::RenderConfig<'static> {
        if self.color {
            inquire::ui::RenderConfig::default_colored()
        } else {
            // Answered questions get `>` as with colours, so a log tells them from open ones.
            inquire::ui::RenderConfig::empty()
                .with_answered_prompt_prefix(inquire::ui::Styled::new(">"))
        }
    }
}

/// A unified diff from `old` to `new`, coloured like `git diff` when `style` allows.
pub fn unified_diff(name: &str, old: &str, new: &str, style: Style) -> String {
    let text = diffy::DiffOptions::new()
        .set_context_len(3)
        .set_original_filename(format!("a/{name}"))
        .set_modified_filename(format!("b/{name}"))
        .create_patch(old, new)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            style.bold(line)
        } else if line.starts_with("@@") {
            style.paint("36", line)
        } else if line.starts_with('+') {
            style.paint("32", line)
        } else if line.starts_with('-') {
            style.paint("31", line)
        } else {
            line.to_string()
        };
        out.push_str(&painted);
        out.push('\n');
    }
    out
}

/// Joins command words back into one line that [`detect::shell_words`] splits into the same words.
pub fn shell_join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| safe::shell_word(w).unwrap_or_else(|_| w.clone()))
        .collect::<Vec<_>>()
        .join(" ")
}
