//! Fuzzes the .gitignore → .dockerignore translation and Docker's pattern matcher: every line
//! git accepts either translates to a pattern Docker compiles, or is skipped with a warning.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut budget = 5000;
    let mut warnings = Vec::new();
    let pats = dockgen::dockerignore::translate_gitignore_file(
        &text,
        "apps/web/.gitignore",
        &mut budget,
        &mut warnings,
    );
    let joined = pats.join("\n");
    let di = dockgen::dockerignore::DockerIgnore::parse(&joined)
        .expect("every translated pattern compiles");
    for path in ["apps/web/src/main.rs", "apps/web/.env", "a/b/c", "apps/web"] {
        let _ = di.excludes(path);
    }
    // Arbitrary .dockerignore text: errors are fine, panics are not.
    if let Ok(di) = dockgen::dockerignore::DockerIgnore::parse(&text) {
        let _ = di.excludes("x/y.z");
    }
});
