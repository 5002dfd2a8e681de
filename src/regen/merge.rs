//! The three-way merge of one file: base (the last render), ours (the file on disk) and theirs
//! (the new render), with diffy's diff3; a conflict is reported, never resolved silently.

/// The result of merging one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// Every change fitted together; the merged text.
    Clean(String),
    /// Both sides changed the same lines.
    Conflict(Conflicted),
}

/// A merge with conflicts: the text with standard markers, and the conflicting hunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicted {
    /// The merged text with `<<<<<<< yours` / `=======` / `>>>>>>> dockgen` around each conflict.
    pub with_markers: String,
    pub hunks: Vec<ConflictHunk>,
}

/// One conflict: the user's lines, what dockgen generated before, what it generates now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictHunk {
    /// 1-based line of the user's lines in the file on disk, when they are not empty.
    pub line: Option<usize>,
    pub ours: Vec<String>,
    pub base: Vec<String>,
    pub theirs: Vec<String>,
}

pub(super) const OURS_LABEL: &str = "yours";
pub(super) const THEIRS_LABEL: &str = "dockgen regen";

/// Three-way merge of a generated file: `base` = last generated, `ours` = on disk, `theirs` = new.
///
/// The line merge is `diffy`'s diff3. Like git, it calls changes that touch adjacent lines a
/// conflict; one case is then settled here because it is common in Dockerfiles and unambiguous: one
/// side only *added* lines right before or after a block the other side changed (a user's `RUN
/// apt-get install` right below a `FROM` line dockgen rewrote). The added lines stay on their side
/// of the changed block.
pub fn merge(base: &str, ours: &str, theirs: &str) -> Merged {
    if ours == base {
        return Merged::Clean(theirs.to_string());
    }
    if theirs == base || ours == theirs {
        return Merged::Clean(ours.to_string());
    }
    let diff3 = match diffy::MergeOptions::new()
        .set_conflict_style(diffy::ConflictStyle::Diff3)
        .set_incomplete_hunk_style(diffy::IncompleteHunkStyle::Git)
        .merge(base, ours, theirs)
    {
        Ok(text) => return Merged::Clean(text),
        Err(diff3) => diff3,
    };
    let our_lines: Vec<&str> = ours.lines().collect();
    let mut cursor = 0;
    let mut text = String::new();
    let mut hunks = Vec::new();
    for segment in segments(&diff3) {
        match segment {
            Segment::Lines(l) => text.push_str(l),
            Segment::Conflict { ours, base, theirs } => {
                if let Some(lines) = settle_adjacent(&ours, &base, &theirs) {
                    lines.iter().for_each(|l| text.push_str(l));
                    continue;
                }
                text.push_str(&format!("<<<<<<< {OURS_LABEL}\n"));
                ours.iter().for_each(|l| text.push_str(l));
                text.push_str("=======\n");
                theirs.iter().for_each(|l| text.push_str(l));
                text.push_str(&format!(">>>>>>> {THEIRS_LABEL}\n"));
                let plain = |v: &[&str]| -> Vec<String> {
                    v.iter()
                        .map(|l| l.trim_end_matches(['\n', '\r']).to_string())
                        .collect()
                };
                let mut hunk = ConflictHunk {
                    line: None,
                    ours: plain(&ours),
                    base: plain(&base),
                    theirs: plain(&theirs),
                };
                if let Some(at) = find_block(&our_lines, &hunk.ours, cursor) {
                    hunk.line = Some(at + 1);
                    cursor = at + hunk.ours.len();
                }
                hunks.push(hunk);
            }
        }
    }
    if hunks.is_empty() {
        Merged::Clean(text)
    } else {
        Merged::Conflict(Conflicted {
            with_markers: text,
            hunks,
        })
    }
}

/// A piece of diffy's diff3 output: merged lines, or one conflict (lines keep their endings).
pub(super) enum Segment<'a> {
    Lines(&'a str),
    Conflict {
        ours: Vec<&'a str>,
        base: Vec<&'a str>,
        theirs: Vec<&'a str>,
    },
}

pub(super) fn segments(diff3: &str) -> Vec<Segment<'_>> {
    #[derive(PartialEq)]
    enum Part {
        Outside,
        Ours,
        Base,
        Theirs,
    }
    let mut out = Vec::new();
    let mut part = Part::Outside;
    let (mut ours, mut base, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for line in diff3.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        match (&part, body) {
            (Part::Outside, "<<<<<<< ours") => part = Part::Ours,
            (Part::Ours, "||||||| original") => part = Part::Base,
            (Part::Base, "=======") => part = Part::Theirs,
            (Part::Theirs, ">>>>>>> theirs") => {
                part = Part::Outside;
                out.push(Segment::Conflict {
                    ours: std::mem::take(&mut ours),
                    base: std::mem::take(&mut base),
                    theirs: std::mem::take(&mut theirs),
                });
            }
            (Part::Outside, _) => out.push(Segment::Lines(line)),
            (Part::Ours, _) => ours.push(line),
            (Part::Base, _) => base.push(line),
            (Part::Theirs, _) => theirs.push(line),
        }
    }
    out
}

/// Settles a conflict where one side only added lines directly before or after the (non-empty)
/// block the other side changed; `None` when both sides really edited the same lines.
pub(super) fn settle_adjacent<'a>(
    ours: &[&'a str],
    base: &[&'a str],
    theirs: &[&'a str],
) -> Option<Vec<&'a str>> {
    if base.is_empty() {
        return None;
    }
    let added = |side: &[&'a str]| -> Option<(Vec<&'a str>, Vec<&'a str>)> {
        if side.len() <= base.len() {
            return None;
        }
        if side.ends_with(base) {
            return Some((side[..side.len() - base.len()].to_vec(), vec![]));
        }
        if side.starts_with(base) {
            return Some((vec![], side[base.len()..].to_vec()));
        }
        None
    };
    let (before, changed, after) = if let Some((b, a)) = added(ours) {
        (b, theirs, a)
    } else if let Some((b, a)) = added(theirs) {
        (b, ours, a)
    } else {
        return None;
    };
    Some([before.as_slice(), changed, after.as_slice()].concat())
}

pub(super) fn find_block(lines: &[&str], block: &[String], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| {
        lines.len() - i >= block.len() && block.iter().zip(&lines[i..]).all(|(a, b)| a == b)
    })
}

/// True when `text` still holds conflict markers from an earlier `--conflict-markers` run.
pub fn has_conflict_markers(text: &str) -> bool {
    let mut open = false;
    for line in text.lines() {
        if line.starts_with("<<<<<<<") {
            open = true;
        } else if open && line.starts_with(">>>>>>>") {
            return true;
        }
    }
    false
}
