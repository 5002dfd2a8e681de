//! Fuzzes the requirements.txt parser through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_project("requirements.txt", data, &[("app.py", "from flask import Flask\napp = Flask(__name__)\n")]);
});
