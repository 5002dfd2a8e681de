//! Fuzzes the Cargo.toml parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("Cargo.toml", data, &[("src/main.rs", "fn main() {}\n")]);
});
