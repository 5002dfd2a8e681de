//! Fuzzes the go.mod parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("go.mod", data, &[("main.go", "package main\n\nfunc main() {}\n")]);
});
