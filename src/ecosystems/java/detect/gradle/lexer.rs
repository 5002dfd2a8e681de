//! The Gradle script scanner: identifiers, strings (with `${...}` templates), numbers and
//! punctuation of Groovy and Kotlin scripts; unclosed strings, comments and brackets are errors.

use crate::error::Result;
use crate::source::SourceText;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    Punct(char),
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    /// Byte offset in the script.
    pub at: usize,
}

/// Splits a Groovy or Kotlin build script into tokens; unbalanced brackets, unclosed strings and
/// comments are input errors located in `src`.
pub(super) fn tokenize(src: &SourceText) -> Result<Vec<Token>> {
    let mut lx = Lexer {
        src,
        b: src.text.as_bytes(),
        i: 0,
        out: Vec::new(),
        stack: Vec::new(),
        quiet: 0,
    };
    // A byte-order mark is not part of the first identifier.
    if lx.b.starts_with("\u{feff}".as_bytes()) {
        lx.i = 3;
    }
    if lx.b[lx.i..].starts_with(b"#!") {
        lx.skip_line();
    }
    lx.tokens(None)?;
    Ok(lx.out)
}

pub(super) struct Lexer<'a> {
    pub(super) src: &'a SourceText,
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) out: Vec<Token>,
    /// Open brackets and where they were opened.
    pub(super) stack: Vec<(u8, usize)>,
    /// Inside a string template: tokens are checked but not kept.
    pub(super) quiet: usize,
}

pub(super) fn closer_of(open: u8) -> u8 {
    match open {
        b'{' => b'}',
        b'(' => b')',
        _ => b']',
    }
}

impl Lexer<'_> {
    pub(super) fn push(&mut self, tok: Tok, at: usize) {
        if self.quiet == 0 {
            self.out.push(Token { tok, at });
        }
    }

    pub(super) fn skip_line(&mut self) {
        while self.i < self.b.len() && self.b[self.i] != b'\n' {
            self.i += 1;
        }
    }

    pub(super) fn skip_trivia(&mut self) -> Result<()> {
        loop {
            match self.b.get(self.i..self.i + 2) {
                Some(b"//") => self.skip_line(),
                Some(b"/*") => {
                    let start = self.i;
                    match self.src.text[self.i + 2..].find("*/") {
                        Some(end) => self.i += 2 + end + 2,
                        None => {
                            return Err(self
                                .src
                                .error_at(start, "this /* comment is never closed"));
                        }
                    }
                }
                _ => match self.b.get(self.i) {
                    Some(c) if c.is_ascii_whitespace() || *c == b';' => self.i += 1,
                    _ => return Ok(()),
                },
            }
        }
    }

    /// Lexes until the end of input, or (inside a `${...}` template) until the bracket at
    /// `stop_depth` closes.
    pub(super) fn tokens(&mut self, stop_depth: Option<usize>) -> Result<()> {
        loop {
            self.skip_trivia()?;
            let Some(&c) = self.b.get(self.i) else {
                if let Some(&(open, at)) = self.stack.last() {
                    return Err(self.src.error_at(
                        at,
                        format!(
                            "`{}` is never closed (missing `{}`)",
                            open as char,
                            closer_of(open) as char
                        ),
                    ));
                }
                return Ok(());
            };
            let at = self.i;
            match c {
                b'"' | b'\'' => {
                    let s = self.string()?;
                    self.push(Tok::Str(s), at);
                }
                b'{' | b'(' | b'[' => {
                    self.stack.push((c, at));
                    self.i += 1;
                    self.push(Tok::Punct(c as char), at);
                }
                b'}' | b')' | b']' => {
                    match self.stack.pop() {
                        None => {
                            return Err(self.src.error_at(
                                at,
                                format!(
                                    "`{}` closes nothing (no matching opening bracket)",
                                    c as char
                                ),
                            ));
                        }
                        Some((open, open_at)) if closer_of(open) != c => {
                            let opened = crate::error::Location::from_offset(
                                &self.src.path,
                                &self.src.text,
                                open_at,
                            );
                            return Err(self.src.error_at(
                                at,
                                format!(
                                    "`{}` does not match the `{}` opened at line {}, column {}",
                                    c as char,
                                    open as char,
                                    opened.line.unwrap_or(0),
                                    opened.column.unwrap_or(0)
                                ),
                            ));
                        }
                        Some(_) => {}
                    }
                    self.i += 1;
                    if stop_depth == Some(self.stack.len()) {
                        return Ok(());
                    }
                    self.push(Tok::Punct(c as char), at);
                }
                b'`' => {
                    // Kotlin backtick identifier: `java-library`.
                    let end = self.b[at + 1..]
                        .iter()
                        .position(|&x| x == b'`' || x == b'\n')
                        .map(|p| at + 1 + p);
                    match end {
                        Some(e) if self.b[e] == b'`' => {
                            let name = self.src.text[at + 1..e].to_string();
                            self.i = e + 1;
                            self.push(Tok::Ident(name), at);
                        }
                        _ => {
                            return Err(self.src.error_at(at, "this ` identifier is never closed"));
                        }
                    }
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => {
                    while self.b.get(self.i).is_some_and(|&x| {
                        x.is_ascii_alphanumeric() || x == b'_' || x == b'$' || x >= 0x80
                    }) {
                        self.i += 1;
                    }
                    let name = self.src.text[at..self.i].to_string();
                    self.push(Tok::Ident(name), at);
                }
                c if c.is_ascii_digit() => {
                    while self.b.get(self.i).is_some_and(|&x| {
                        x.is_ascii_alphanumeric()
                            || x == b'_'
                            || (x == b'.' && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit))
                    }) {
                        self.i += 1;
                    }
                    let num = self.src.text[at..self.i].to_string();
                    self.push(Tok::Num(num), at);
                }
                _ => {
                    // Any other ASCII punctuation; a multi-byte character never reaches here.
                    self.i += 1;
                    self.push(Tok::Punct(c as char), at);
                }
            }
        }
    }

    /// A string literal starting at `self.i`: '...', "...", '''...''' or """...""". Double-quoted
    /// strings may hold `${...}` templates, which are lexed (so quotes inside them are handled)
    /// and kept in the value as written.
    pub(super) fn string(&mut self) -> Result<String> {
        let start = self.i;
        let q = self.b[start];
        let triple = self.b[start..].starts_with(&[q, q, q]);
        let templates = q == b'"';
        self.i += if triple { 3 } else { 1 };
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.src.error_at(start, "this string is never closed"));
            };
            if triple {
                if self.b[self.i..].starts_with(&[q, q, q]) {
                    self.i += 3;
                    while self.b.get(self.i) == Some(&q) {
                        out.push(q);
                        self.i += 1;
                    }
                    break;
                }
            } else if c == q {
                self.i += 1;
                break;
            } else if c == b'\n' {
                return Err(self.src.error_at(
                    start,
                    "this string is not closed before the end of the line",
                ));
            }
            if c == b'\\' && !triple {
                let Some(&next) = self.b.get(self.i + 1) else {
                    return Err(self.src.error_at(start, "this string is never closed"));
                };
                out.push(match next {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                self.i += 2;
                continue;
            }
            if templates && c == b'$' && self.b.get(self.i + 1) == Some(&b'{') {
                let open = self.i + 1;
                self.stack.push((b'{', open));
                self.i += 2;
                self.quiet += 1;
                let depth = self.stack.len() - 1;
                let result = self.tokens(Some(depth));
                self.quiet -= 1;
                result?;
                out.extend_from_slice(&self.b[open - 1..self.i]);
                continue;
            }
            out.push(c);
            self.i += 1;
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}
