//! Finding the port a server listens on in source code, for languages with C-like string literals
//! (Rust, Go, ...): address literals such as `"0.0.0.0:8080"` or `":8080"`, address tuples such as
//! `([0, 0, 0, 0], 3000)` or `("0.0.0.0", 8080)`, and reads of the `PORT` environment variable with
//! a default next to them. It reads text only; it never runs or compiles anything.

use super::Evidence;
use super::rules::FrameworkRule;

/// What detection concludes about a program's serving, from its framework and sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Serving {
    pub port: Option<u16>,
    /// It serves HTTP: a framework that does, a listen address, or a `PORT` read.
    pub serves_http: bool,
    pub reads_port_env: bool,
    /// The port is the ecosystem's default, not something the source or framework said.
    pub port_assumed: bool,
}

/// Concludes the port: a listen address in `found` (a file as shown to the user, and what it
/// says), else the default next to a `PORT` read, else the framework's default port, else
/// `default_port` when the program serves HTTP at all. Adds evidence (the manifest for
/// defaults) and a note for loopback-only addresses.
pub fn conclude(
    found: Option<(&str, &Listen)>,
    framework: Option<&FrameworkRule>,
    default_port: Option<u16>,
    manifest: &str,
    ev: &mut Vec<Evidence>,
    notes: &mut Vec<String>,
) -> Serving {
    let mut out = Serving::default();
    if let Some((file, l)) = found {
        if let Some((addr, p)) = &l.address {
            ev.push(Evidence::new(file, format!("listens on {addr}")));
            out.port = Some(*p);
            if l.loopback {
                notes.push(format!(
                    "{file} listens on {addr}, the loopback interface: nothing outside the container can reach it. Listen on 0.0.0.0 instead"
                ));
            }
        }
        if l.reads_port_env {
            ev.push(Evidence::new(file, "reads the PORT environment variable"));
            out.reads_port_env = true;
            out.port = out.port.or(l.port_env_default);
        }
    }
    out.serves_http =
        framework.is_some_and(|f| f.serves_http) || found.is_some_and(|(_, l)| l.found());
    if out.port.is_none() && out.serves_http {
        match framework.and_then(|f| f.port.map(|p| (f, p))) {
            Some((f, p)) => {
                out.port = Some(p);
                ev.push(Evidence::new(
                    manifest,
                    format!("{}'s default port {p}", f.name),
                ));
            }
            None => {
                out.port = default_port;
                out.port_assumed = default_port.is_some();
                if let Some(p) = default_port {
                    ev.push(Evidence::new(
                        manifest,
                        format!("no port found in the source; assuming {p}"),
                    ));
                }
            }
        }
    }
    out
}

/// What one source file says about listening.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listen {
    /// A literal listen address, as written (`"0.0.0.0:8080"`), and its port.
    pub address: Option<(String, u16)>,
    /// The address binds only the loopback interface (unreachable from outside a container).
    pub loopback: bool,
    /// The code reads the `PORT` environment variable.
    pub reads_port_env: bool,
    /// The default written next to the `PORT` read (`unwrap_or(3000)`, `port = "8080"`).
    pub port_env_default: Option<u16>,
}

impl Listen {
    /// The port this file listens on, when it says.
    pub fn port(&self) -> Option<u16> {
        self.address
            .as_ref()
            .map(|(_, p)| *p)
            .or(self.port_env_default)
    }

    /// Whether this file says anything about listening at all.
    pub fn found(&self) -> bool {
        self.address.is_some() || self.reads_port_env
    }
}

const ANY_HOSTS: &[&str] = &["", "0.0.0.0", "[::]", "::"];
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "localhost", "[::1]"];

/// Scans one source file.
pub fn scan(text: &str) -> Listen {
    let mut out = Listen::default();
    for lit in string_literals(text) {
        if out.address.is_none() {
            if let Some((port, loopback)) = address_literal(lit) {
                out.address = Some((format!("\"{lit}\""), port));
                out.loopback = loopback;
            }
        }
    }
    let squeezed: String = without_comments(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // A `"PORT"` literal alone could be anything; read through an environment call it is the port.
    out.reads_port_env = PORT_ENV_READS.iter().any(|r| squeezed.contains(r));
    if out.address.is_none() {
        out.address = address_tuple(&squeezed).map(|(shown, port, loopback)| {
            out.loopback = loopback;
            (shown, port)
        });
    }
    if out.reads_port_env {
        out.port_env_default = port_env_default(&squeezed);
    }
    out
}

/// How Rust and Go programs read the `PORT` environment variable (whitespace removed).
const PORT_ENV_READS: &[&str] = &[
    "var(\"PORT\")",
    "var_os(\"PORT\")",
    "Getenv(\"PORT\")",
    "LookupEnv(\"PORT\")",
    "env=\"PORT\"",
    "env!(\"PORT\")",
    "option_env!(\"PORT\")",
];

/// Route literals that conventionally answer health checks, in order of preference.
const HEALTH_ROUTES: &[&str] = &[
    "/healthz",
    "/health",
    "/api/health",
    "/api/healthz",
    "/healthcheck",
    "/health-check",
    "/_health",
    "/livez",
    "/readyz",
    "/ping",
    "/status",
];

/// The first conventional health-check route written as a string literal in `text`
/// (`.route("/health", ...)`, `#[get("/healthz")]`, `r.GET("/ping", ...)`).
pub fn health_route(text: &str) -> Option<String> {
    let literals = string_literals(text);
    HEALTH_ROUTES
        .iter()
        .find(|r| literals.contains(r))
        .map(|r| r.to_string())
}

/// Route-defining calls and attributes whose first argument is the path (Go's net/http, gin,
/// echo, chi, fiber, gorilla/mux; Rust's axum, actix-web, Rocket, poem, tide).
const ROUTE_CALLS: &[&str] = &[
    "HandleFunc(",
    "Handle(",
    "GET(",
    "Get(",
    "Any(",
    "route(",
    "get(",
    "resource(",
    "at(",
];

/// Whether the source defines a route for `/` itself (`http.HandleFunc("/", ...)`,
/// `.route("/", get(root))`, `#[get("/")]`, Go 1.22's `"GET /"`), so a probe of `/` can pass.
pub fn root_route(text: &str) -> bool {
    let squeezed: String = without_comments(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ROUTE_CALLS.iter().any(|call| {
        ["\"/\",", "\"/\")", "\"GET/\",", "\"/{$}\",", "\"GET/{$}\","]
            .iter()
            .any(|arg| squeezed.contains(&format!("{call}{arg}")))
    })
}

/// `host:port` with a wildcard or loopback host and a numeric port.
fn address_literal(lit: &str) -> Option<(u16, bool)> {
    let (host, port) = lit.rsplit_once(':')?;
    let port = parse_port(port)?;
    if ANY_HOSTS.contains(&host) {
        Some((port, false))
    } else if LOOPBACK_HOSTS.contains(&host) {
        Some((port, true))
    } else {
        None
    }
}

/// `[0,0,0,0],3000)`, `"0.0.0.0",8080)`, `UNSPECIFIED,8080)` in whitespace-free text.
fn address_tuple(squeezed: &str) -> Option<(String, u16, bool)> {
    const FORMS: &[(&str, bool)] = &[
        ("[0,0,0,0],", false),
        ("[127,0,0,1],", true),
        ("\"0.0.0.0\",", false),
        ("\"::\",", false),
        ("\"127.0.0.1\",", true),
        ("\"localhost\",", true),
        ("UNSPECIFIED,", false),
        ("Ipv4Addr::LOCALHOST,", true),
    ];
    let mut best: Option<(usize, String, u16, bool)> = None;
    for (prefix, loopback) in FORMS {
        let mut from = 0;
        while let Some(i) = squeezed[from..].find(prefix) {
            let start = from + i + prefix.len();
            from = start;
            let digits: String = squeezed[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let after = squeezed[start + digits.len()..].chars().next();
            if after != Some(')') {
                continue;
            }
            if let Some(port) = parse_port(&digits) {
                if best.as_ref().is_none_or(|b| start < b.0) {
                    let shown = format!("({}{digits})", prefix.replace(',', ", "));
                    best = Some((start, shown, port, *loopback));
                }
                break;
            }
        }
    }
    best.map(|(_, shown, port, loopback)| (shown, port, loopback))
}

/// The first `"NNNN"` or `unwrap_or(NNNN)` shortly after a `"PORT"` literal.
fn port_env_default(squeezed: &str) -> Option<u16> {
    let mut from = 0;
    while let Some(i) = squeezed[from..].find("\"PORT\"") {
        let start = from + i + "\"PORT\"".len();
        from = start;
        let window: String = squeezed[start..].chars().take(160).collect();
        let quoted = window.match_indices('"').find_map(|(j, _)| {
            let rest = &window[j + 1..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            let closed = rest[digits.len()..].starts_with('"');
            if closed { parse_port(&digits) } else { None }
        });
        let call = window.find("unwrap_or(").and_then(|j| {
            let rest = &window[j + "unwrap_or(".len()..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            parse_port(&digits).map(|p| (j, p))
        });
        let quoted_at = quoted.and_then(|p| window.find(&format!("\"{p}\"")).map(|j| (j, p)));
        let first = [quoted_at, call]
            .into_iter()
            .flatten()
            .min_by_key(|(j, _)| *j);
        if let Some((_, port)) = first {
            return Some(port);
        }
    }
    None
}

fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The contents of the double-quoted string literals in `text`, outside comments. Escapes are left
/// as written (an address literal has none). Character literals such as `'"'` are skipped.
/// `text` without `//` and `/* */` comments (string literals are kept whole, so a URL's `//`
/// is not taken for a comment): an address in a doc comment says nothing about the program.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
                out.push(' ');
            }
            '"' => {
                out.push(c);
                while let Some(n) = chars.next() {
                    out.push(n);
                    if n == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if n == '"' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn string_literals(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' => {
                // 'x' or '\x' (a character literal); anything else is a Rust lifetime.
                if bytes.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else if bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'') {
                    i += 4;
                } else {
                    i += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i <= bytes.len() {
                    out.push(&text[start..i.min(bytes.len())]);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_literals_give_the_port() {
        let l = scan(r#"let listener = TcpListener::bind("0.0.0.0:3000").await?;"#);
        assert_eq!(l.port(), Some(3000));
        assert!(!l.loopback);
        let go = scan(r#"log.Fatal(http.ListenAndServe(":9090", mux))"#);
        assert_eq!(go.port(), Some(9090));
        assert_eq!(go.address.unwrap().0, "\":9090\"");
    }

    #[test]
    fn loopback_addresses_are_flagged() {
        let l = scan(r#"HttpServer::new(f).bind(("127.0.0.1", 8081))?.run()"#);
        assert_eq!(l.port(), Some(8081));
        assert!(l.loopback);
    }

    #[test]
    fn address_tuples_give_the_port() {
        let l = scan("let addr = SocketAddr::from(([0, 0, 0, 0], 4000));");
        assert_eq!(l.port(), Some(4000));
        assert_eq!(l.address.unwrap().0, "([0, 0, 0, 0], 4000)");
        let l = scan("SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 7000)");
        assert_eq!(l.port(), None, "the .into() is not a bare tuple");
        let l = scan("SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 7000)");
        assert_eq!(l.port(), Some(7000));
    }

    #[test]
    fn port_env_reads_and_their_defaults_are_found() {
        let rust = scan(
            r#"let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);"#,
        );
        assert!(rust.reads_port_env);
        assert_eq!(rust.port(), Some(3000));
        let go = scan("port := os.Getenv(\"PORT\")\n\tif port == \"\" {\n\t\tport = \"8081\"\n\t}");
        assert_eq!(go.port(), Some(8081));
        let bare = scan(r#"let p = env::var("PORT")?;"#);
        assert!(bare.reads_port_env);
        assert_eq!(bare.port(), None);
    }

    #[test]
    fn conclusions_prefer_the_source_then_the_framework_then_the_default() {
        let (mut ev, mut notes) = (Vec::new(), Vec::new());
        let l = scan(r#"bind("127.0.0.1:4000")"#);
        let s = conclude(
            Some(("src/main.rs", &l)),
            None,
            Some(8080),
            "Cargo.toml",
            &mut ev,
            &mut notes,
        );
        assert_eq!(
            (s.port, s.serves_http, s.port_assumed),
            (Some(4000), true, false)
        );
        assert_eq!(notes.len(), 1, "a loopback address gets a note");
        let rocket = FrameworkRule {
            name: "rocket".into(),
            dependencies: vec![],
            port: Some(8000),
            health_path: None,
            serves_http: true,
        };
        let s = conclude(
            None,
            Some(&rocket),
            Some(8080),
            "Cargo.toml",
            &mut ev,
            &mut notes,
        );
        assert_eq!((s.port, s.port_assumed), (Some(8000), false));
        let plain = FrameworkRule {
            port: None,
            ..rocket
        };
        let s = conclude(
            None,
            Some(&plain),
            Some(8080),
            "Cargo.toml",
            &mut ev,
            &mut notes,
        );
        assert_eq!((s.port, s.port_assumed), (Some(8080), true));
        let cli = conclude(None, None, Some(8080), "Cargo.toml", &mut ev, &mut notes);
        assert_eq!(
            cli,
            Serving::default(),
            "a CLI serves nothing and gets no port"
        );
    }

    #[test]
    fn health_routes_are_found_in_route_literals() {
        let src = r#"Router::new().route("/", get(root)).route("/health", get(ok))"#;
        assert_eq!(health_route(src).as_deref(), Some("/health"));
        assert_eq!(
            health_route(r#"r.GET("/ping", pong)"#).as_deref(),
            Some("/ping")
        );
        assert_eq!(health_route(r#"route("/healthy-cats")"#), None);
    }

    #[test]
    fn root_routes_are_found_in_route_definitions() {
        assert!(root_route(r#"http.HandleFunc("/", index)"#));
        assert!(root_route(r#"mux.HandleFunc("GET /", index)"#));
        assert!(root_route(r#"Router::new().route("/", get(root))"#));
        assert!(root_route("#[get(\"/\")]\nfn index() {}"));
        assert!(!root_route(
            r#"r.HandleFunc("/status", s); strings.Split(p, "/")"#
        ));
        assert!(!root_route(r#"rocket::build().mount("/", routes![items])"#));
        assert!(!root_route("// http.HandleFunc(\"/\", index)"));
    }

    #[test]
    fn comments_char_literals_and_other_strings_are_ignored() {
        let l = scan("// bind(\"0.0.0.0:1234\")\nlet q = '\"'; let s = \"db:5432\"; /* \":99\" */");
        assert_eq!(l, Listen::default());
        assert!(!scan("format!(\"0.0.0.0:{port}\")").found());
    }

    #[test]
    fn addresses_in_comments_do_not_count() {
        let src = "//! serves on `([0, 0, 0, 0], 3000)`\n/* ([0,0,0,0], 4000) */\nfn main() { let u = \"http://x\"; }\n";
        assert!(scan(src).address.is_none());
        assert!(without_comments(src).contains("\"http://x\""));
    }
}
