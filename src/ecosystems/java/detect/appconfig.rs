//! The application's own configuration (`src/main/resources/application.properties`,
//! `application.yml`, `application.yaml`): where Spring Boot, Quarkus and Micronaut read the HTTP
//! port, the context path and the management port from.
//!
//! Both formats are flattened to dotted keys. YAML files may hold several documents; documents that
//! only apply to a profile (`spring.config.activate.on-profile`, `spring.profiles`) are skipped, as
//! are `%profile.` keys in properties files, because the image runs the default profile.

use serde::Deserialize;

use crate::detect::Evidence;
use crate::error::{Error, Location, Result};
use crate::safe;
use crate::source::{ProjectDir, SourceText};

const FILES: [&str; 3] = [
    "application.properties",
    "application.yml",
    "application.yaml",
];

/// One key of a configuration file.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    value: String,
    /// Byte offset of the entry in the file.
    offset: usize,
}

#[derive(Debug, Clone)]
struct ConfigFile {
    src: SourceText,
    entries: Vec<Entry>,
}

/// The configuration files of one module, in Spring's precedence order (properties over YAML).
#[derive(Debug, Clone, Default)]
pub(super) struct AppConfig {
    files: Vec<ConfigFile>,
}

/// Where the health check should look.
#[derive(Debug, Clone)]
pub(super) struct Health {
    pub path: String,
    /// Set when the endpoint listens on its own port (Spring's `management.server.port`).
    pub port: Option<u16>,
    pub evidence: Option<Evidence>,
}

/// Reads the configuration files of the module at `module` (`"."` for the root).
pub(super) fn read(dir: &ProjectDir, module: &str) -> Result<AppConfig> {
    let mut files = Vec::new();
    for name in FILES {
        let rel = if module == "." {
            format!("src/main/resources/{name}")
        } else {
            format!("{module}/src/main/resources/{name}")
        };
        let Some(src) = dir.read_opt(&rel)? else {
            continue;
        };
        let entries = if name.ends_with(".properties") {
            properties(&src.text)
        } else {
            yaml(&src)?
        };
        files.push(ConfigFile { src, entries });
    }
    Ok(AppConfig { files })
}

impl AppConfig {
    fn get(&self, key: &str) -> Option<(&ConfigFile, &Entry)> {
        self.files.iter().find_map(|f| {
            f.entries
                .iter()
                .rev()
                .find(|e| e.key == key)
                .map(|e| (f, e))
        })
    }

    /// The first of `keys` that is set, as a port. `${PORT:8081}` yields its default; a value that is
    /// only decided at run time (`${PORT}`, `0`) yields `None`; anything else is an input error.
    pub fn port(&self, keys: &[&str]) -> Result<Option<(u16, Evidence)>> {
        for key in keys {
            if let Some(found) = self.port_of(key)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    fn port_of(&self, key: &str) -> Result<Option<(u16, Evidence)>> {
        let Some((file, e)) = self.get(key) else {
            return Ok(None);
        };
        let value = default_of_placeholder(&e.value);
        if value.is_empty() || value == "0" || value == "-1" {
            return Ok(None);
        }
        match value.parse::<u16>() {
            Ok(p) if p > 0 => Ok(Some((
                p,
                Evidence::new(&file.src.path, format!("{key} = {} → port {p}", e.value)),
            ))),
            _ => Err(file.src.error_at(
                e.offset,
                format!("{key} = {:?} is not a port number", e.value),
            )),
        }
    }

    /// The listen address `key` names when it is a loopback address (`127.0.0.1`, `localhost`,
    /// `::1`, `${HOST:127.0.0.1}`), with the evidence: a server bound there is unreachable from
    /// outside its container.
    pub fn loopback(&self, key: &str) -> Option<Evidence> {
        let (file, e) = self.get(key)?;
        let value = default_of_placeholder(&e.value);
        let v = value.trim().trim_matches(|c| c == '[' || c == ']');
        let loopback = v.eq_ignore_ascii_case("localhost")
            || v == "::1"
            || v.parse::<std::net::Ipv4Addr>()
                .is_ok_and(|a| a.is_loopback());
        loopback.then(|| {
            Evidence::new(
                &file.src.path,
                format!("{key} = {} → listens on loopback only", e.value),
            )
        })
    }

    /// A path-valued key, checked as an HTTP path (`None` when unset or `/`).
    fn path(&self, key: &str) -> Result<Option<(String, Evidence)>> {
        let Some((file, e)) = self.get(key) else {
            return Ok(None);
        };
        let value = default_of_placeholder(&e.value);
        let trimmed = value.trim_end_matches('/');
        if trimmed.is_empty() {
            return Ok(None);
        }
        let path = if trimmed.starts_with('/') {
            trimmed.to_string()
        } else {
            format!("/{trimmed}")
        };
        safe::url_path(&path).map_err(|_| {
            file.src.error_at(
                e.offset,
                format!("{key} = {:?} is not a plain URL path", e.value),
            )
        })?;
        Ok(Some((
            path.clone(),
            Evidence::new(&file.src.path, format!("{key} = {}", e.value)),
        )))
    }

    /// The health-check path (and port) for `framework`, given the health endpoint its dependencies
    /// provide (`None`: no endpoint, so the application's root is requested).
    pub fn health(&self, framework: &str, endpoint: Option<&str>) -> Result<Health> {
        let root_key = match framework {
            "spring-boot" => "server.servlet.context-path",
            "quarkus" => "quarkus.http.root-path",
            "micronaut" => "micronaut.server.context-path",
            _ => "",
        };
        let root = self.path(root_key)?;
        let root_path = root.as_ref().map(|r| r.0.clone()).unwrap_or_default();
        let mut evidence = root.map(|r| r.1);
        let Some(endpoint) = endpoint else {
            return Ok(Health {
                path: format!("{root_path}/"),
                port: None,
                evidence,
            });
        };
        if framework != "spring-boot" {
            return Ok(Health {
                path: format!("{root_path}{endpoint}"),
                port: None,
                evidence,
            });
        }
        // Actuator: its base path can move, and it can listen on a separate management port, where
        // the application's context path does not apply.
        let base = match self.get("management.endpoints.web.base-path") {
            Some(_) => self
                .path("management.endpoints.web.base-path")?
                .map(|p| p.0)
                .unwrap_or_default(),
            None => endpoint
                .strip_suffix("/health")
                .unwrap_or("/actuator")
                .to_string(),
        };
        let management_port = self.port(&["management.server.port"])?;
        let (prefix, port) = match management_port {
            Some((p, ev)) => {
                evidence = Some(Evidence::new(
                    ev.file,
                    format!("management.server.port → health check on port {p}"),
                ));
                let prefix = match self.path("management.server.base-path")? {
                    Some(p) => Some(p),
                    None => self.path("management.server.servlet.context-path")?,
                };
                (prefix.map(|p| p.0).unwrap_or_default(), Some(p))
            }
            None => (root_path, None),
        };
        Ok(Health {
            path: format!("{prefix}{base}/health"),
            port,
            evidence,
        })
    }
}

/// `${PORT:8081}` → `8081`, `${PORT}` → ``, anything else unchanged.
fn default_of_placeholder(value: &str) -> String {
    let mut v = value.trim();
    while let Some(inner) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        match inner.split_once(':') {
            Some((_, default)) => v = default.trim(),
            None => return String::new(),
        }
    }
    v.to_string()
}

/// Parses a `.properties` file: `key=value`, `key: value` or `key value`, `#`/`!` comments,
/// backslash line continuations.
fn properties(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut pending: Option<(String, usize)> = None;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let (logical, start) = match pending.take() {
            Some((mut acc, start)) => {
                acc.push_str(line.trim_start());
                (acc, start)
            }
            None => {
                let trimmed =
                    line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
                if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
                    continue;
                }
                (
                    trimmed.to_string(),
                    line_start + (line.len() - trimmed.len()),
                )
            }
        };
        let continued = logical.ends_with('\\') && !logical.ends_with("\\\\");
        if continued {
            pending = Some((logical[..logical.len() - 1].to_string(), start));
            continue;
        }
        let split = logical
            .char_indices()
            .find(|(_, c)| matches!(c, '=' | ':') || c.is_whitespace())
            .map(|(i, _)| i);
        let (key, value) = match split {
            Some(i) => {
                let rest = logical[i..].trim_start();
                let rest = rest
                    .strip_prefix(['=', ':'])
                    .map(str::trim_start)
                    .unwrap_or(rest);
                (&logical[..i], rest)
            }
            None => (logical.as_str(), ""),
        };
        out.push(Entry {
            key: key.to_string(),
            value: value.trim_end().to_string(),
            offset: start,
        });
    }
    out
}

/// Parses every document of a YAML file into dotted keys, skipping profile-specific documents.
fn yaml(src: &SourceText) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(&src.text) {
        let value = serde_yaml_ng::Value::deserialize(doc).map_err(|e| {
            let location = match e.location() {
                Some(l) => Location::at(&src.path, l.line(), l.column()),
                None => Location::file(&src.path),
            };
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Error::input(location, format!("invalid YAML: {msg}"))
        })?;
        let mut entries = Vec::new();
        flatten("", &value, &mut entries);
        let profile_only = entries
            .iter()
            .any(|(k, _)| k == "spring.config.activate.on-profile" || k == "spring.profiles");
        if profile_only {
            continue;
        }
        for (key, value) in entries {
            let last = key.rsplit('.').next().unwrap_or(&key);
            let offset = src
                .text
                .find(&format!("{last}:"))
                .or_else(|| src.text.find(last))
                .unwrap_or(0);
            out.push(Entry { key, value, offset });
        }
    }
    Ok(out)
}

fn flatten(prefix: &str, value: &serde_yaml_ng::Value, out: &mut Vec<(String, String)>) {
    use serde_yaml_ng::Value;
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                let key = match k {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => continue,
                };
                flatten(&join(&key), v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
        Value::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        Value::Tagged(t) => flatten(prefix, &t.value, out),
        Value::Null | Value::Sequence(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str, text: &str) -> AppConfig {
        let src = SourceText::new(name, text);
        let entries = if name.ends_with(".properties") {
            properties(text)
        } else {
            yaml(&src).unwrap()
        };
        AppConfig {
            files: vec![ConfigFile { src, entries }],
        }
    }

    #[test]
    fn properties_forms_and_placeholders() {
        let c = config(
            "application.properties",
            "# c\n! c\nserver.port = ${PORT:8081}\nspring.application.name: demo\nlong.key=a\\\n  b\n",
        );
        assert_eq!(c.port(&["server.port"]).unwrap().unwrap().0, 8081);
        assert_eq!(c.get("spring.application.name").unwrap().1.value, "demo");
        assert_eq!(c.get("long.key").unwrap().1.value, "ab");
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_key() {
        let c = config("application.properties", "\u{feff}server.port=9000\n");
        assert_eq!(c.port(&["server.port"]).unwrap().unwrap().0, 9000);
    }

    #[test]
    fn runtime_only_ports_are_not_guessed_and_garbage_is_an_error() {
        let c = config("application.properties", "server.port=${PORT}\n");
        assert!(c.port(&["server.port"]).unwrap().is_none());
        let c = config("application.properties", "a=1\nserver.port=http\n");
        let err = c.port(&["server.port"]).unwrap_err().to_string();
        assert!(err.starts_with("application.properties:2:1:"), "{err}");
    }

    #[test]
    fn yaml_documents_for_profiles_are_skipped() {
        let c = config(
            "application.yml",
            "server:\n  port: 9000\n---\nspring:\n  config:\n    activate:\n      on-profile: dev\nserver:\n  port: 9999\n",
        );
        assert_eq!(c.port(&["server.port"]).unwrap().unwrap().0, 9000);
    }

    #[test]
    fn actuator_path_follows_context_path_and_management_port() {
        let c = config(
            "application.properties",
            "server.servlet.context-path=/api\n",
        );
        let h = c.health("spring-boot", Some("/actuator/health")).unwrap();
        assert_eq!(h.path, "/api/actuator/health");
        assert_eq!(h.port, None);
        let c = config(
            "application.properties",
            "server.servlet.context-path=/api\nmanagement.server.port=9090\nmanagement.endpoints.web.base-path=/manage\n",
        );
        let h = c.health("spring-boot", Some("/actuator/health")).unwrap();
        assert_eq!(h.path, "/manage/health");
        assert_eq!(h.port, Some(9090));
        let h = config("application.properties", "")
            .health("spring-boot", None)
            .unwrap();
        assert_eq!(h.path, "/");
    }

    #[test]
    fn loopback_addresses_are_recognised() {
        for v in [
            "127.0.0.1",
            "localhost",
            "${HOST:127.0.0.1}",
            "::1",
            "127.0.1.1",
        ] {
            let c = config("application.properties", &format!("server.address={v}\n"));
            assert!(c.loopback("server.address").is_some(), "{v}");
        }
        for v in ["0.0.0.0", "10.0.0.1", "${HOST}", "::"] {
            let c = config("application.properties", &format!("server.address={v}\n"));
            assert!(c.loopback("server.address").is_none(), "{v}");
        }
    }

    #[test]
    fn hostile_context_path_is_refused() {
        let c = config(
            "application.properties",
            "server.servlet.context-path=/a\"b\n",
        );
        assert!(c.health("spring-boot", None).is_err());
    }
}
