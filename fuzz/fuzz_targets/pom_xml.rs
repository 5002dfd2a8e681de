//! Fuzzes the pom.xml parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("pom.xml", data, &[("src/main/java/App.java", "class App {}\n")]);
});
