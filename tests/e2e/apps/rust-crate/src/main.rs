//! Greets over HTTP: the single-crate Rust app of dockgen's end-to-end test.

use serde::Serialize;
use tiny_http::{Header, Response, Server};

#[derive(Serialize)]
struct Health {
    status: &'static str,
}

fn main() {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8121);
    let server = Server::http(("0.0.0.0", port)).expect("cannot listen");
    println!("listening on {port}");
    let json = Header::from_bytes("Content-Type", "application/json").expect("valid header");
    for request in server.incoming_requests() {
        let response = match request.url() {
            "/" => Response::from_string("hello from rust-crate e2e-v1\n"),
            "/healthz" => {
                let body = serde_json::to_string(&Health { status: "ok" }).expect("serializable");
                Response::from_string(body).with_header(json.clone())
            }
            _ => Response::from_string("not found\n").with_status_code(404),
        };
        let _ = request.respond(response);
    }
}
