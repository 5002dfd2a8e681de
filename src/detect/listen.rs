//! Finding the port a server listens on in source code, for languages with C-like string literals
//! (Rust, Go, ...): address literals such as `"0.0.0.0:8080"` or `":8080"`, address tuples such as
//! `([0, 0, 0, 0], 3000)` or `("0.0.0.0", 8080)`, and reads of the `PORT` environment variable with
//! a default next to them. It reads text only; it never runs or compiles anything.

use super::Evidence;
use crate::rules::FrameworkRule;

/// What detection concludes about a program's serving, from its framework and sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Serving {
    pub port: Option<u16>,
    /// It serves HTTP: a framework that does, a listen address, or a `PORT` read.
    pub serves_http: bool,
    pub reads_port_env: bool,
    /// The port is the ecosystem's default, not something the source or framework said.
    pub port_assumed: bool,
    /// A listen-address setting whose default is loopback, and the value that makes the
    /// program listen on every interface (`("LISTEN_ADDR", "0.0.0.0:8080")`): the image sets it.
    pub listen_env: Option<(String, String)>,
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
            if l.loopback && l.loopback_setting.is_none() {
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
        if let Some((name, default, any)) = &l.loopback_setting {
            ev.push(Evidence::new(
                file,
                format!(
                    "{name} defaults to {default}, the loopback interface (unreachable from outside a container): the image sets {name}={any}"
                ),
            ));
            out.listen_env = Some((name.clone(), any.clone()));
            if out.port.is_none() {
                out.port = any.rsplit_once(':').and_then(|(_, p)| parse_port(p));
            }
        }
        if let (None, Some((what, p))) = (out.port, &l.flag_port) {
            ev.push(Evidence::new(
                file,
                format!("{what} (the port it listens on)"),
            ));
            out.port = Some(*p);
        }
    }
    out.serves_http = framework.is_some() || found.is_some_and(|(_, l)| l.found());
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
    /// The default of a command-line flag or setting named like a port (`flag.Int("port",
    /// 4533, ...)`, clap's `default_value_t = 8080` on a `port` field), as (what, port).
    pub flag_port: Option<(String, u16)>,
    /// A setting (environment variable or flag, `LISTEN_ADDR`, `APP_HTTP_ADDR`, `HOST`) whose
    /// default is a loopback address, as (name, default, the same on every interface).
    pub loopback_setting: Option<(String, String, String)>,
}

impl Listen {
    /// The port this file listens on, when it says.
    pub fn port(&self) -> Option<u16> {
        self.address
            .as_ref()
            .map(|(_, p)| *p)
            .or(self.port_env_default)
            .or(self.flag_port.as_ref().map(|(_, p)| *p))
    }

    /// Whether this file says anything about listening at all.
    pub fn found(&self) -> bool {
        self.address.is_some() || self.reads_port_env || self.flag_port.is_some()
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
    // A helper called with "PORT" and a default (`envOr("PORT", "8080")`, `env("PORT", 8536)`)
    // reads it too.
    out.reads_port_env =
        PORT_ENV_READS.iter().any(|r| squeezed.contains(r)) || squeezed.contains("(\"PORT\",");
    if out.address.is_none() {
        out.address = address_tuple(&squeezed).map(|(shown, port, loopback)| {
            out.loopback = loopback;
            (shown, port)
        });
    }
    if out.reads_port_env {
        out.port_env_default = port_env_default(&squeezed);
    }
    out.flag_port = go_flag_port(&squeezed).or_else(|| clap_port(&squeezed));
    out.loopback_setting = loopback_setting(&squeezed);
    out
}

/// Suffixes of setting names that hold a listen address or host.
const ADDRESS_SETTINGS: &[&str] = &["ADDR", "ADDRESS", "HOST", "BIND", "LISTEN", "LISTEN_ON"];

/// A listen-address setting with a loopback default, in whitespace-free text: the nearest
/// upper-case `"NAME"` literal ending in ADDR/ADDRESS/HOST/BIND/LISTEN within a short distance
/// before a `"127.0.0.1[:port]"` or `"localhost[:port]"` literal (`envOr("LISTEN_ADDR",
/// "127.0.0.1:8080")`, `env::var("APP_HTTP_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into())`,
/// clap's `env = "HOST", default_value = "127.0.0.1"`).
fn loopback_setting(squeezed: &str) -> Option<(String, String, String)> {
    for host in ["\"127.0.0.1", "\"localhost"] {
        let mut from = 0;
        while let Some(i) = squeezed[from..].find(host) {
            let at = from + i;
            from = at + host.len();
            let rest = &squeezed[from..];
            let Some(end) = rest.find('"') else { break };
            let tail = &rest[..end];
            let any = match tail.strip_prefix(':') {
                Some(p) if parse_port(p).is_some() => format!("0.0.0.0:{p}"),
                None if tail.is_empty() => "0.0.0.0".to_string(),
                _ => continue,
            };
            let window_start = squeezed[..at]
                .char_indices()
                .rev()
                .nth(100)
                .map_or(0, |(j, _)| j);
            let before = &squeezed[window_start..at];
            let name = before
                .split('"')
                .enumerate()
                .filter(|(k, _)| k % 2 == 1)
                .map(|(_, lit)| lit)
                .filter(|lit| {
                    !lit.is_empty()
                        && lit.len() <= 40
                        && lit.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                        && lit
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                        && ADDRESS_SETTINGS.iter().any(|s| lit.ends_with(s))
                })
                .last();
            if let Some(name) = name {
                let default = format!("{}{tail}", &host[1..]);
                return Some((name.to_string(), default, any));
            }
        }
    }
    None
}

/// A Go flag named like a port with a numeric default, in whitespace-free text:
/// `Int("port",4533,`, `IntVar(&p,"port",4533,`, `IntP("port","p",8080,`, `String("port","8080",`.
fn go_flag_port(squeezed: &str) -> Option<(String, u16)> {
    const CALLS: &[&str] = &[
        "Int(",
        "IntVar(",
        "IntP(",
        "IntVarP(",
        "Uint(",
        "UintVar(",
        "String(",
        "StringVar(",
        "StringP(",
        "StringVarP(",
    ];
    for call in CALLS {
        let mut from = 0;
        while let Some(i) = squeezed[from..].find(call) {
            let start = from + i + call.len();
            from = start;
            let mut rest = &squeezed[start..];
            if call.contains("Var") {
                // The destination pointer comes first.
                let Some(comma) = rest.find(',').filter(|c| *c < 40) else {
                    continue;
                };
                rest = &rest[comma + 1..];
            }
            let Some(name) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) else {
                continue;
            };
            if name.len() > 24 || !name.to_ascii_lowercase().ends_with("port") {
                continue;
            }
            rest = &rest[name.len() + 3..];
            if call.ends_with("P(") {
                // The shorthand letter.
                let Some(comma) = rest.find(',').filter(|c| *c < 6) else {
                    continue;
                };
                rest = &rest[comma + 1..];
            }
            let unquoted = rest.strip_prefix('"').unwrap_or(rest);
            let digits: String = unquoted
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Some(port) = parse_port(&digits) {
                return Some((format!("flag {name:?} defaults to {port}"), port));
            }
        }
    }
    None
}

/// A clap/structopt argument on a field named like a port with a numeric default, in
/// whitespace-free text: `#[arg(long,default_value_t=8080)]port:u16`,
/// `#[clap(long,env="PORT",default_value="3000")]pubport:u16`.
fn clap_port(squeezed: &str) -> Option<(String, u16)> {
    for key in ["default_value_t=", "default_value=\""] {
        let mut from = 0;
        while let Some(i) = squeezed[from..].find(key) {
            let start = from + i + key.len();
            from = start;
            let digits: String = squeezed[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let Some(port) = parse_port(&digits) else {
                continue;
            };
            let after = &squeezed[start + digits.len()..];
            let Some(close) = after.find(")]").filter(|c| *c < 200) else {
                continue;
            };
            let mut field = &after[close + 2..];
            // Further attributes on the same field.
            while field.starts_with("#[") {
                match field.find(")]").or_else(|| field.find(']')) {
                    Some(end) => field = field[end + 1..].trim_start_matches(']'),
                    None => break,
                }
            }
            let field = field.strip_prefix("pub").unwrap_or(field);
            let name: String = field
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if field[name.len()..].starts_with(':') && name.to_ascii_lowercase().ends_with("port") {
                return Some((format!("argument {name} defaults to {port}"), port));
            }
        }
    }
    None
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
    // Go 1.22 patterns put the method first: "GET /healthz".
    let literals: Vec<&str> = string_literals(text)
        .into_iter()
        .map(|l| match l.split_once(' ') {
            Some((method, path)) if method.chars().all(|c| c.is_ascii_uppercase()) => path,
            _ => l,
        })
        .collect();
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
        assert_eq!(
            health_route(r#"mux.HandleFunc("GET /healthz", h)"#).as_deref(),
            Some("/healthz")
        );
    }

    #[test]
    fn flag_and_argument_defaults_give_the_port() {
        let go = scan("port := flag.Int(\"port\", 4533, \"port to listen on\")");
        assert_eq!(go.port(), Some(4533));
        assert!(go.found());
        let var = scan("flag.IntVar(&cfg.Port, \"http-port\", 9000, \"\")");
        assert_eq!(var.port(), Some(9000));
        let pflag = scan("cmd.Flags().StringP(\"port\", \"p\", \"8088\", \"port\")");
        assert_eq!(pflag.port(), Some(8088));
        assert_eq!(scan("flag.Int(\"workers\", 4, \"\")").port(), None);
        let clap = scan(
            "struct Args {\n    #[arg(long, env = \"PORT\", default_value_t = 8081)]\n    port: u16,\n}",
        );
        assert_eq!(clap.port(), Some(8081));
        assert!(clap.reads_port_env);
        let structopt =
            scan("#[clap(long, default_value = \"3030\")]\n/// doc\npub listen_port: u16,");
        assert_eq!(structopt.port(), Some(3030));
        assert_eq!(
            scan("#[arg(long, default_value_t = 4)]\nworkers: usize,").port(),
            None
        );
        let helper = scan("addr := \":\" + envOr(\"PORT\", \"8090\")");
        assert!(helper.reads_port_env);
        assert_eq!(helper.port(), Some(8090));
    }

    #[test]
    fn loopback_defaults_of_address_settings_are_found() {
        let go = scan(
            "addr := envOr(\"LISTEN_ADDR\", \"127.0.0.1:8080\")\nhttp.ListenAndServe(addr, nil)",
        );
        assert_eq!(
            go.loopback_setting,
            Some((
                "LISTEN_ADDR".into(),
                "127.0.0.1:8080".into(),
                "0.0.0.0:8080".into()
            ))
        );
        let rust = scan(
            "let addr = std::env::var(\"APP_HTTP_ADDR\").unwrap_or_else(|_| \"localhost:3000\".to_string());",
        );
        assert_eq!(rust.loopback_setting.unwrap().2, "0.0.0.0:3000");
        let host =
            scan("#[arg(long, env = \"HOST\", default_value = \"127.0.0.1\")]\nhost: String,");
        assert_eq!(host.loopback_setting.unwrap().2, "0.0.0.0");
        assert_eq!(scan("let db = \"127.0.0.1:5432\";").loopback_setting, None);
        assert_eq!(
            scan("redis := envOr(\"REDIS_URL\", \"localhost:6379\")").loopback_setting,
            None
        );
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
