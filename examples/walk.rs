//! A bare walk of a directory tree with the `ignore` crate (hidden files and .gitignore rules
//! honoured, as a developer's tools would), printing how many files it saw. The baseline
//! `scripts/bench-monorepo.sh` compares `dockgen detect` against.
//!
//! Usage: cargo run --release --example walk -- DIR

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: walk DIR");
        std::process::exit(2);
    };
    let mut files = 0u64;
    for entry in ignore::WalkBuilder::new(&dir).build().flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            files += 1;
        }
    }
    println!("{files}");
}
