//! Every reviewed Dockerfile snapshot has a health check that can pass: its `HEALTHCHECK`
//! requests a route its fixture defines, or counts any HTTP answer as "up", or is `NONE` with the
//! reason written above it. A probe of a route the application lacks would keep the container
//! unhealthy forever (busybox's `wget` fails on any 4xx).
//!
//! The check is generic over ecosystems: a route is "defined" when the fixture's files spell the
//! path as a string literal (or, for `/`, hold a static site's `index.html`), or when a dependency
//! the fixture declares provides it (Spring Boot Actuator, SmallRye Health, Micronaut management).

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Routes a framework serves once a dependency is present, as (route suffix, fixture text that
/// declares the dependency).
const PROVIDED_ROUTES: &[(&str, &str)] = &[
    ("/actuator/health", "spring-boot-starter-actuator"),
    ("/q/health", "smallrye-health"),
    ("/health", "micronaut-management"),
];

/// A snapshot's Dockerfile text (the part after insta's header).
fn snapshot_body(text: &str) -> &str {
    let rest = text.strip_prefix("---").unwrap_or(text);
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => text,
    }
}

/// The `HEALTHCHECK` instruction (continuation lines joined) and the comment line above it.
fn healthcheck(dockerfile: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = dockerfile.lines().collect();
    let i = lines.iter().position(|l| l.starts_with("HEALTHCHECK"))?;
    let mut instr = String::new();
    let mut j = i;
    loop {
        let l = lines[j];
        match l.strip_suffix('\\') {
            Some(head) => {
                instr.push_str(head.trim());
                instr.push(' ');
                j += 1;
            }
            None => {
                instr.push_str(l.trim());
                break;
            }
        }
    }
    let comment = i
        .checked_sub(1)
        .map(|k| lines[k])
        .filter(|l| l.starts_with('#'))
        .unwrap_or("")
        .to_string();
    Some((instr, comment))
}

/// The URL path the probe requests: from an `http://host:port/path` URL in the argv, or from a
/// Python `request('GET', '/path')`.
fn probed_path(argv: &[String]) -> Option<String> {
    for a in argv {
        if let Some(i) = a.find("http://") {
            let url = &a[i + "http://".len()..];
            let end = url
                .find(|c: char| c.is_whitespace() || c == '\'' || c == '"' || c == ')')
                .unwrap_or(url.len());
            let url = &url[..end];
            return Some(match url.find('/') {
                Some(s) => url[s..].to_string(),
                None => "/".to_string(),
            });
        }
        if let Some(i) = a.find("request('GET', '") {
            let rest = &a[i + "request('GET', '".len()..];
            return rest.split('\'').next().map(str::to_string);
        }
    }
    None
}

/// Whether the probe counts any HTTP answer (below 500) as up.
fn accepts_any_answer(argv: &[String]) -> bool {
    argv.iter().any(|a| {
        a.contains("status < 500")
            || a.contains("status >= 500")
            // A status-line pattern whose code starts with 1-4 (busybox grep, PHP preg_match).
            || (a.contains("HTTP/") && a.contains(" [1-4]"))
    })
}

/// Every file of a fixture as text (binary files skipped), with its path relative to the fixture.
fn fixture_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, text));
            }
        }
    }
    out
}

/// Whether the fixture defines `path`: its files spell it as a string literal (a route
/// definition, or a health-path setting), a dependency provides it, or it is `/` of a static site.
fn defines_route(files: &[(String, String)], path: &str) -> bool {
    let literal = |p: &str| {
        files.iter().any(|(_, t)| {
            t.contains(&format!("\"{p}\""))
                || t.contains(&format!("'{p}'"))
                || t.contains(&format!("`{p}`"))
                // Go 1.22 patterns put the method first: "GET /healthz".
                || t.contains(&format!("\"GET {p}\""))
        })
    };
    if path == "/" {
        // File-based routing defines `/` by a root page: Astro/Gatsby/Next `pages/index.*`,
        // Expo Router `app/index.*`, Next's App Router `app/page.*`, SvelteKit `routes/+page.*`,
        // and Nuxt's `app.vue` (rendered for every route when there is no pages/ folder).
        let root_page = |f: &str| {
            let name = f.rsplit('/').next().unwrap_or(f);
            let dir = f.strip_suffix(name).unwrap_or("");
            let stem = name.split('.').next().unwrap_or(name);
            (dir.ends_with("pages/") && stem == "index")
                || (dir.ends_with("app/") && (stem == "index" || stem == "page"))
                || (dir.ends_with("routes/") && stem == "+page")
                || f == "app.vue"
                || f.ends_with("/app.vue")
        };
        return literal("/")
            || files
                .iter()
                .any(|(f, _)| f.ends_with("index.html") || root_page(f));
    }
    if literal(path) || literal(path.trim_end_matches('/')) {
        return true;
    }
    PROVIDED_ROUTES.iter().any(|(route, dependency)| {
        let Some(prefix) = path.strip_suffix(route) else {
            return false;
        };
        let declared = files.iter().any(|(_, t)| t.contains(dependency));
        // A context path in front of the framework's route must come from the configuration.
        declared && (prefix.is_empty() || files.iter().any(|(_, t)| t.contains(prefix)))
    })
}

/// `dockerfile@<ecosystem>-<case>.snap` → the fixture directory, when it exists.
fn fixture_of(snapshot: &Path) -> Option<PathBuf> {
    let name = snapshot.file_name()?.to_str()?;
    let stem = name.strip_prefix("dockerfile@")?.strip_suffix(".snap")?;
    let (eco, case) = stem.split_once('-')?;
    let dir = fixtures_dir().join(eco).join(case);
    dir.is_dir().then_some(dir)
}

#[test]
fn every_snapshot_healthcheck_can_pass() {
    let mut snapshots: Vec<PathBuf> = std::fs::read_dir(repo_root().join("snapshots"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("dockerfile@") && n.ends_with(".snap"))
        })
        .collect();
    snapshots.sort();
    assert!(snapshots.len() >= 50, "only {} snapshots", snapshots.len());
    let mut failures = Vec::new();
    let (mut routes, mut any, mut none) = (0, 0, 0);
    for snap in &snapshots {
        let shown = snap.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(snap).unwrap();
        let Some((instr, comment)) = healthcheck(snapshot_body(&text)) else {
            failures.push(format!("{shown}: no HEALTHCHECK"));
            continue;
        };
        if instr == "HEALTHCHECK NONE" {
            if comment.trim_start_matches('#').trim().len() < 10 {
                failures.push(format!(
                    "{shown}: HEALTHCHECK NONE without a reason above it"
                ));
            }
            none += 1;
            continue;
        }
        let Some(json) = instr.split_once(" CMD ").map(|(_, j)| j) else {
            failures.push(format!(
                "{shown}: not an exec-form HEALTHCHECK CMD: {instr}"
            ));
            continue;
        };
        let argv: Vec<String> = match serde_json::from_str(json) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!(
                    "{shown}: HEALTHCHECK CMD is not a JSON array ({e})"
                ));
                continue;
            }
        };
        if accepts_any_answer(&argv) {
            any += 1;
            continue;
        }
        let Some(path) = probed_path(&argv) else {
            failures.push(format!(
                "{shown}: cannot tell which route {argv:?} requests"
            ));
            continue;
        };
        let Some(fixture) = fixture_of(snap) else {
            failures.push(format!(
                "{shown}: no fixture directory to check {path} against"
            ));
            continue;
        };
        if defines_route(&fixture_files(&fixture), &path) {
            routes += 1;
        } else {
            failures.push(format!(
                "{shown}: the probe requests {path}, which {} does not define, and fails on a 4xx",
                fixture
                    .strip_prefix(repo_root())
                    .unwrap_or(&fixture)
                    .display()
            ));
        }
    }
    println!(
        "{} snapshots: {routes} probe a defined route, {any} accept any answer, {none} are NONE with a reason",
        snapshots.len()
    );
    assert!(
        failures.is_empty(),
        "health checks that cannot pass:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_route_check_itself_tells_defined_from_guessed_routes() {
    let files = vec![
        (
            "main.go".to_string(),
            "r.HandleFunc(\"/status\", s)\nhttp.ListenAndServe(\":8081\", r)".to_string(),
        ),
        (
            "pom.xml".to_string(),
            "<artifactId>spring-boot-starter-actuator</artifactId>".to_string(),
        ),
        (
            "application.properties".to_string(),
            "server.servlet.context-path=/billing".to_string(),
        ),
    ];
    assert!(defines_route(&files, "/status"));
    assert!(!defines_route(&files, "/"));
    assert!(!defines_route(&files, "/healthz"));
    assert!(defines_route(&files, "/actuator/health"));
    assert!(defines_route(&files, "/billing/actuator/health"));
    assert!(!defines_route(&files, "/other/actuator/health"));
    let argv = |s: &str| -> Vec<String> { serde_json::from_str(s).unwrap() };
    let plain =
        argv(r#"["/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8081/status"]"#);
    assert_eq!(probed_path(&plain).as_deref(), Some("/status"));
    assert!(!accepts_any_answer(&plain));
    let any = argv(
        r#"["/busybox", "sh", "-c", "/busybox wget -q -S -O /dev/null http://127.0.0.1:8080/ 2>&1 | /busybox grep -q '^  HTTP/[0-9.]* [1-4]'"]"#,
    );
    assert!(accepts_any_answer(&any));
    let py = argv(
        r#"["python", "-c", "import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=4); c.request('GET', '/health/'); sys.exit(c.getresponse().status >= 500)"]"#,
    );
    assert_eq!(probed_path(&py).as_deref(), Some("/health/"));
    let df = "FROM x\n# nothing serves HTTP here\nHEALTHCHECK NONE\n";
    assert_eq!(
        healthcheck(df),
        Some((
            "HEALTHCHECK NONE".into(),
            "# nothing serves HTTP here".into()
        ))
    );
}
