//! Fuzzes the package.json parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("package.json", data, &[]);
});
