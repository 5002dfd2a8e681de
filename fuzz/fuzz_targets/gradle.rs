//! Fuzzes the build.gradle parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("build.gradle", data, &[("settings.gradle", "rootProject.name = \"app\"\n"), ("src/main/java/App.java", "class App {}\n")]);
});
