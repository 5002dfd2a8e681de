//! Fuzzes the dockgen.toml reader (answers, inputs, the compressed [last] blob).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let p = Path::new("dockgen.toml");
        let _ = dockgen::state::State::parse(p, p, text);
    }
});
