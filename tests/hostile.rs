//! Hostile repositories (issue 9): the real binary on temporary trees built the way an attacker
//! would build them: symlinks out of the project, FIFOs, sparse multi-GiB files, `.gitignore`
//! files that try to re-include secrets or crash the translator, a `dockgen.toml` that inflates to
//! gigabytes, signals in the middle of a write. Each test is named after the class it guards:
//! `class1_*` reads and writes stay inside the project, `class2_*` no secret reaches the build
//! context, `class3_*` no panic and bounded memory/time, `class4_*` nothing lost or half-written,
//! `class5_*` values are validated the same way wherever they come from.

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use dockgen::dockerignore::DockerIgnore;

fn fixture(rel: &str) -> PathBuf {
    fixtures_dir().join(rel)
}

/// Runs the binary, killing it (and failing the test) if it runs past `limit`.
fn dockgen_within(args: &[&str], cwd: &Path, limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dockgen");
    let pid = child.id();
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("wait for dockgen"),
        Err(_) => {
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
            panic!(
                "dockgen {args:?} ran past {limit:?} ({:?})",
                start.elapsed()
            );
        }
    }
}

fn assert_refused(out: &Output, needle: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
}

fn assert_no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "exit 101: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.code().is_some(), "killed by a signal: {err}");
}

fn no_outputs(dir: &Path) {
    for f in ["Dockerfile", ".dockerignore", "dockgen.toml"] {
        assert!(
            !dir.join(f).exists(),
            "{f} was written in {}",
            dir.display()
        );
    }
    temp_files_gone(dir);
}

fn temp_files_gone(dir: &Path) {
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dockgen-"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

fn sparse(path: &Path, len: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(len).unwrap();
}

fn parsed_ignore(dir: &Path, name: &str) -> DockerIgnore {
    DockerIgnore::parse(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Class 1: symlinks and special files

#[test]
fn class1_version_file_linked_to_proc_environ_is_refused_without_echo() {
    let p = temp_project(&fixture("node/npm-express"));
    symlink("/proc/self/environ", p.path().join(".nvmrc")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dockgen"))
        .args(["init", "--yes"])
        .current_dir(p.path())
        .env("DOCKGEN_CANARY_TOKEN", "canary-4f1d2c")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_refused(&out, ".nvmrc: a symlink to outside the project");
    assert!(!text(&out.stderr).contains("canary-4f1d2c"));
    no_outputs(p.path());
}

#[test]
fn class1_manifests_and_gitignore_linked_outside_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "LEAKED-CONTENT\n").unwrap();
    for name in ["package.json", ".gitignore", ".python-version"] {
        let fx = if name == ".python-version" {
            "python/pip-flask"
        } else {
            "node/npm-express"
        };
        if !fixture(fx).is_dir() {
            continue;
        }
        let p = temp_project(&fixture(fx));
        let _ = std::fs::remove_file(p.path().join(name));
        symlink(outside.path().join("secret"), p.path().join(name)).unwrap();
        let out = dockgen(&["init", "--yes"], p.path());
        assert_refused(&out, &format!("{name}: a symlink to outside the project"));
        assert!(
            !text(&out.stderr).contains("LEAKED"),
            "{}",
            text(&out.stderr)
        );
        no_outputs(p.path());
    }
}

#[test]
fn class1_symlinks_that_stay_inside_are_followed() {
    let p = temp_project(&fixture("node/npm-express"));
    std::fs::create_dir(p.path().join("config")).unwrap();
    std::fs::write(p.path().join("config/node-version"), "20\n").unwrap();
    symlink("config/node-version", p.path().join(".nvmrc")).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let df = std::fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert!(df.contains("NODE_VERSION=20"), "{df}");
}

#[test]
fn class1_workspace_member_linked_outside_is_never_written_into() {
    let p = temp_project(&fixture("go/go-work"));
    let outside = tempfile::tempdir().unwrap();
    let api = p.path().join("services/api");
    copy_tree(&api, &outside.path().join("api"));
    std::fs::remove_dir_all(&api).unwrap();
    symlink(outside.path().join("api"), &api).unwrap();
    let before = tree_state(outside.path());
    for args in [
        vec!["init", "--yes", "--project", "services/api"],
        vec!["init", "--yes"],
    ] {
        let out = dockgen(&args, p.path());
        assert_no_panic(&out);
        assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(
            tree_state(outside.path()),
            before,
            "wrote outside the project"
        );
    }
}

#[test]
fn class1_fifos_and_devices_are_never_opened() {
    for name in [".nvmrc", ".gitignore", "package.json", "src/server.js"] {
        let p = temp_project(&fixture("node/npm-express"));
        let _ = std::fs::remove_file(p.path().join(name));
        mkfifo(&p.path().join(name));
        let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(30));
        assert_no_panic(&out);
    }
    let p = temp_project(&fixture("node/npm-express"));
    symlink("/dev/zero", p.path().join(".nvmrc")).unwrap();
    let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(30));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn class1_error_messages_quote_short_sanitised_excerpts() {
    let p = temp_project(&fixture("node/npm-express"));
    let junk = format!("\u{1b}[31m{}\u{7}\0{}", "x".repeat(5000), "TAIL-MARK");
    std::fs::write(p.path().join(".nvmrc"), junk).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(!err.contains("TAIL-MARK"), "{err}");
    for line in err.lines() {
        assert!(line.chars().count() <= 400, "long line: {line}");
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
    }
    assert!(!err.contains(&"x".repeat(81)), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Class 2: the .dockerignore

/// Secret paths an attacker (or a careless commit) puts in a repository.
const SECRETS: &[&str] = &[
    ".env",
    ".env.production",
    "config/.env.local",
    "server.pem",
    "certs/tls.key",
    ".aws/credentials",
    ".kube/config",
    ".docker/config.json",
    ".ssh/id_ed25519",
    ".ssh/id_ecdsa",
    "deploy/id_rsa",
    ".gnupg/private-keys-v1.d/x.key",
    ".git-credentials",
    ".pgpass",
    "keystore.p12",
    "signing.pfx",
    "release.jks",
    "infra/terraform.tfstate",
    "infra/terraform.tfstate.backup",
    ".npmrc",
    ".netrc",
    ".git/config",
    "sub/.git/HEAD",
];

#[test]
fn class2_gitignore_negations_never_reinclude_secrets() {
    let p = temp_project(&fixture("node/npm-express"));
    for s in SECRETS {
        let f = p.path().join(s);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, "secret\n").unwrap();
    }
    let gitignore = "*\n!*/\n!*.js\n!*.json\n!.env.production\n!server.pem\n!.aws/\n!.aws/**\n\
                     !**/.ssh/*\n!*.key\n!.git\n!.git/**\n!*.tfstate\n!.docker/config.json\n";
    std::fs::write(p.path().join(".gitignore"), gitignore).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let di = parsed_ignore(p.path(), ".dockerignore");
    for s in SECRETS {
        assert!(di.excludes_classic(s), "classic builder sends {s}");
        assert!(di.excludes_buildkit(s), "BuildKit sends {s}");
    }
    // The allow-list still lets the sources in.
    assert!(!di.excludes("src/server.js"));
    assert!(!di.excludes("package.json"));
    // ... and `!*/` did not re-include everything.
    let text = std::fs::read_to_string(p.path().join(".dockerignore")).unwrap();
    assert!(!text.lines().any(|l| l == "!**/*"), "{text}");
}

#[test]
fn class2_nested_gitignores_are_translated_anchored_to_their_directory() {
    let p = temp_project(&fixture("node/npm-express"));
    std::fs::create_dir_all(p.path().join("src/generated")).unwrap();
    std::fs::write(p.path().join("src/.gitignore"), "*.tmp\n/generated/\n").unwrap();
    std::fs::write(p.path().join("src/generated/x.js"), "x\n").unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let di = parsed_ignore(p.path(), ".dockerignore");
    assert!(di.excludes("src/a.tmp"));
    assert!(di.excludes("src/deep/b.tmp"));
    assert!(
        !di.excludes("a.tmp"),
        "a nested .gitignore leaked to the root"
    );
    assert!(di.excludes("src/generated/x.js"));
    assert!(!di.excludes("generated/x.js"));
}

#[test]
fn class2_source_named_like_build_leftovers_stays_in_the_context() {
    let p = temp_project(&fixture("rust/rust-cli"));
    for f in [
        "src/target/mod.rs",
        "src/coverage/mod.rs",
        "src/Dockerfile_parser.rs",
        "src/build/mod.rs",
    ] {
        let path = p.path().join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "// source\n").unwrap();
    }
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let di = parsed_ignore(p.path(), ".dockerignore");
    for f in [
        "src/target/mod.rs",
        "src/coverage/mod.rs",
        "src/Dockerfile_parser.rs",
        "src/build/mod.rs",
    ] {
        assert!(!di.excludes(f), "{f} is excluded");
    }
    assert!(di.excludes("target/release/app"));
    assert!(di.excludes("Dockerfile"));
}

#[test]
fn class2_the_start_commands_entry_file_is_never_excluded() {
    let p = temp_project(&fixture("node/npm-express"));
    std::fs::write(p.path().join(".gitignore"), "src/\n*.js\n").unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let di = parsed_ignore(p.path(), ".dockerignore");
    assert!(!di.excludes("src/server.js"));
}

#[test]
fn class2_interrupted_write_leftovers_are_excluded() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let di = parsed_ignore(p.path(), ".dockerignore");
    assert!(di.excludes(".dockgen-Ab12Cd"));
    assert!(di.excludes("src/.dockgen-x"));
}

// ---------------------------------------------------------------------------------------------
// Class 3: no panic, bounded memory and time

#[test]
fn class3_gitignore_lines_git_accepts_never_crash() {
    let p = temp_project(&fixture("node/npm-express"));
    let long = "a".repeat(200 * 1024);
    let gitignore = format!("node_modules/\nfoo{{\n[abc\ntrailing\\\n[z-a]\n{long}\n\\!bang\n");
    std::fs::write(p.path().join(".gitignore"), gitignore).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for line in [3, 4, 5, 6] {
        assert!(
            err.contains(&format!(".gitignore:{line}:")),
            "no warning for line {line}: {err}"
        );
    }
    let di = parsed_ignore(p.path(), ".dockerignore");
    assert!(di.excludes("node_modules/x"));
    assert!(di.excludes("foo{"));
    assert!(di.excludes("!bang"));
}

#[test]
fn class3_last_blob_inflating_to_gigabytes_is_capped() {
    use std::io::Write;
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // 64 MiB of zeros deflates to about 64 KB: under the file cap, far over the inflation cap.
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&chunk).unwrap();
    }
    use base64::Engine;
    let bomb = format!(
        "deflate+base64:{}",
        base64::engine::general_purpose::STANDARD.encode(enc.finish().unwrap())
    );
    let state_path = p.path().join("dockgen.toml");
    let state = std::fs::read_to_string(&state_path).unwrap();
    let mut doc: toml_edit::DocumentMut = state.parse().unwrap();
    doc["last"]["dockerfile"] = toml_edit::value(bomb);
    std::fs::write(&state_path, doc.to_string()).unwrap();
    let start = Instant::now();
    let out = dockgen_within(&["check"], p.path(), Duration::from_secs(60));
    assert_refused(&out, "dockgen.toml:");
    assert!(text(&out.stderr).contains("[last].dockerfile is damaged"));
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn class3_oversized_dockgen_toml_is_refused_before_reading() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0));
    sparse(&p.path().join("dockgen.toml"), 3 << 30);
    let out = dockgen_within(&["check"], p.path(), Duration::from_secs(30));
    assert_refused(&out, "larger than");
}

#[test]
fn class3_multi_gib_sparse_files_are_read_in_bounded_memory_and_time() {
    // A generated 3 GiB Go source next to the program.
    let p = temp_project(&fixture("go/go-nethttp"));
    sparse(&p.path().join("zz_generated.go"), 3 << 30);
    let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(60));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A 3 GiB lockfile and .gitignore.
    let p = temp_project(&fixture("node/npm-express"));
    sparse(&p.path().join(".gitignore"), 3 << 30);
    let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(60));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(".gitignore: warning: larger than"));
    let p = temp_project(&fixture("node/npm-express"));
    sparse(&p.path().join("package-lock.json"), 3 << 30);
    let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(60));
    assert_no_panic(&out);
    // A 3 GiB Python module.
    let p = temp_project(&fixture("python/pip-flask"));
    if p.path().is_dir() {
        sparse(&p.path().join("huge.py"), 3 << 30);
        let out = dockgen_within(&["init", "--yes"], p.path(), Duration::from_secs(60));
        assert_no_panic(&out);
    }
}

// ---------------------------------------------------------------------------------------------
// Class 4: nothing lost, nothing half-done

#[test]
fn class4_init_yes_refuses_an_edited_dockerfile_when_dockgen_toml_is_missing() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0));
    let df = p.path().join("Dockerfile");
    let edited = format!(
        "{}\nRUN echo my-edit\n",
        std::fs::read_to_string(&df).unwrap()
    );
    std::fs::write(&df, &edited).unwrap();
    std::fs::remove_file(p.path().join("dockgen.toml")).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_refused(&out, "Dockerfile");
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&df).unwrap(), edited);
    assert!(!p.path().join("dockgen.toml").exists());
    let out = dockgen(&["init", "--yes", "--force"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!std::fs::read_to_string(&df).unwrap().contains("my-edit"));
}

#[test]
fn class4_a_signal_while_writing_leaves_no_temp_files_and_no_half_set() {
    use std::io::{BufRead, BufReader};
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let p = temp_project(&fixture("node/npm-express"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_dockgen"))
            .args(["init", "--yes"])
            .current_dir(p.path())
            .env("DOCKGEN_TEST_PAUSE_BEFORE_RENAME", "20000")
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "dockgen ended early"
            );
            if line.contains("staged") {
                break;
            }
        }
        let staged = std::fs::read_dir(p.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".dockgen-"))
            .count();
        assert_eq!(staged, 3, "expected the three outputs staged");
        unsafe {
            libc::kill(child.id() as i32, sig);
        }
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(128 + sig));
        no_outputs(p.path());
    }
}

#[test]
fn class4_a_failed_write_rolls_the_whole_set_back() {
    let p = temp_project(&fixture("node/npm-express"));
    std::fs::create_dir_all(p.path().join("dockgen.toml/blocker")).unwrap();
    let out = dockgen(&["init", "--yes", "--force"], p.path());
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!p.path().join("Dockerfile").exists());
    assert!(!p.path().join(".dockerignore").exists());
    temp_files_gone(p.path());
}

#[test]
fn class4_new_files_get_the_umask_permissions() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022; exec '{}' init --yes",
            env!("CARGO_BIN_EXE_dockgen")
        ))
        .current_dir(p.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for f in ["Dockerfile", ".dockerignore", "dockgen.toml"] {
        let mode = std::fs::metadata(p.path().join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{f}: {mode:o}");
    }
    // A replaced file keeps its own mode.
    std::fs::set_permissions(
        p.path().join("Dockerfile"),
        std::fs::Permissions::from_mode(0o664),
    )
    .unwrap();
    let out = dockgen(&["init", "--yes", "--force", "--port", "4000"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mode = std::fs::metadata(p.path().join("Dockerfile"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o664);
}

#[test]
fn class4_a_crlf_checkout_merges_and_keeps_its_line_endings() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0));
    let df = p.path().join("Dockerfile");
    let lf = std::fs::read_to_string(&df).unwrap();
    // The user's edit, and a Windows checkout.
    let edited = lf.replacen("\nFROM ", "\n# my note\nFROM ", 1);
    assert_ne!(edited, lf);
    std::fs::write(&df, edited.replace('\n', "\r\n")).unwrap();
    let out = dockgen(&["check"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A change in the project: regen merges cleanly and keeps CRLF.
    let out = dockgen(&["regen"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pkg = p.path().join("package.json");
    let text_pkg = std::fs::read_to_string(&pkg).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text_pkg).unwrap();
    json["engines"] = serde_json::json!({"node": "20"});
    std::fs::write(&pkg, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let out = dockgen(&["regen"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let now = std::fs::read_to_string(&df).unwrap();
    assert!(now.contains("# my note\r\n"), "{now}");
    assert!(now.contains("NODE_VERSION=20"), "{now}");
    assert_eq!(
        now.matches('\n').count(),
        now.matches("\r\n").count(),
        "mixed endings"
    );
}

// ---------------------------------------------------------------------------------------------
// Class 5: values are read the way the tools themselves read them

#[test]
fn class5_a_byte_order_mark_in_package_json_and_requirements_is_accepted() {
    let p = temp_project(&fixture("node/npm-express"));
    let pkg = p.path().join("package.json");
    let text_pkg = std::fs::read_to_string(&pkg).unwrap();
    std::fs::write(&pkg, format!("\u{feff}{text_pkg}")).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let p = temp_project(&fixture("python/pip-flask"));
    let req = p.path().join("requirements.txt");
    let text_req = std::fs::read_to_string(&req).unwrap();
    std::fs::write(&req, format!("\u{feff}{text_req}")).unwrap();
    let out = dockgen(&["detect"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("flask"), "{}", text(&out.stdout));
}

#[test]
fn class5_a_pep263_coding_line_is_honoured() {
    let p = temp_project(&fixture("python/pip-flask"));
    let app = p.path().join("app.py");
    let src = std::fs::read_to_string(&app).unwrap();
    let mut bytes = b"# -*- coding: latin-1 -*-\n# caf\xe9 \xa9 2024\n".to_vec();
    bytes.extend_from_slice(src.as_bytes());
    std::fs::write(&app, bytes).unwrap();
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let df = std::fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert!(df.contains("app:app"), "{df}");
}

#[test]
fn class1_a_go_cmd_directory_linked_outside_is_not_read() {
    let p = temp_project(&fixture("go/go-nethttp"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    std::fs::create_dir(p.path().join("cmd")).unwrap();
    symlink(outside.path(), p.path().join("cmd/evil")).unwrap();
    let out = dockgen(&["detect"], p.path());
    assert_no_panic(&out);
    assert!(
        !text(&out.stdout).contains("cmd/evil"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn class5_flags_are_validated_like_every_other_source() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes", "--port", "0"], p.path());
    assert_refused(&out, "--port 0:");
    no_outputs(p.path());
    let out = dockgen(&["init", "--yes", "--runtime-version", "latest"], p.path());
    assert_refused(&out, "--runtime-version:");
    no_outputs(p.path());
    // A start command that needs a shell runs through one, as the same scripts.start would.
    let out = dockgen(
        &["init", "--yes", "--start", "FOO=1 node a.js && node b.js"],
        p.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let df = std::fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert!(!df.contains("ENTRYPOINT [\"FOO=1\"]"), "{df}");
    assert!(
        df.contains("CMD [\"-c\", \"FOO=1 node a.js && node b.js\"]"),
        "{df}"
    );
}

#[test]
fn class5_dockgen_toml_answers_are_validated_and_located() {
    let p = temp_project(&fixture("node/npm-express"));
    let out = dockgen(&["init", "--yes"], p.path());
    assert_eq!(out.status.code(), Some(0));
    let state_path = p.path().join("dockgen.toml");
    let state = std::fs::read_to_string(&state_path).unwrap();
    for (answer, needle) in [
        ("runtime_version = \"latest\"", "runtime_version:"),
        ("port = 0", "`port` must be a port number"),
    ] {
        let edited = state.replacen("[answers]\n", &format!("[answers]\n{answer}\n"), 1);
        assert_ne!(edited, state);
        std::fs::write(&state_path, &edited).unwrap();
        let out = dockgen(&["check"], p.path());
        let line = edited
            .lines()
            .position(|l| l == answer)
            .map(|i| i + 1)
            .unwrap();
        assert_refused(&out, &format!("dockgen.toml:{line}:"));
        assert!(text(&out.stderr).contains(needle), "{}", text(&out.stderr));
        assert!(
            !text(&out.stderr).contains("--port"),
            "names a flag never passed"
        );
    }
    // Recorded words that need a shell are run through one.
    let edited = state.replacen(
        "[answers]\n",
        "[answers]\nstart = [\"FOO=1\", \"node\", \"src/server.js\"]\n",
        1,
    );
    std::fs::write(&state_path, &edited).unwrap();
    let out = dockgen(&["regen"], p.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let df = std::fs::read_to_string(p.path().join("Dockerfile")).unwrap();
    assert!(!df.contains("ENTRYPOINT [\"FOO=1\"]"), "{df}");
}
