//! Shared by the fuzz targets: a scratch project directory per process, the fuzzed bytes written
//! as one manifest next to fixed companion files, and the whole pipeline (detect, plan, render,
//! .dockerignore) run on it. Any panic is a finding; errors are fine.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dockgen-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// Writes `companions` once, then `data` as `manifest`, and runs dockgen's generation on it.
pub fn run_project(manifest: &str, data: &[u8], companions: &[(&str, &str)]) {
    let dir = scratch();
    for (name, text) in companions {
        let p = dir.join(name);
        if !p.exists() {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
    }
    std::fs::write(dir.join(manifest), data).unwrap();
    generate(dir);
}

pub fn generate(dir: &Path) {
    let choices = dockgen::plan::Choices::default();
    let _ = dockgen::generate(dir, &choices);
}
