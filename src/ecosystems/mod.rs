//! Ecosystems that live in one folder each.

pub mod php;
