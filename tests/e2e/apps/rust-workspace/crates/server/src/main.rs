//! Serves the greeting over HTTP: the workspace Rust app of dockgen's end-to-end test.

use tiny_http::{Response, Server};

fn main() {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8122);
    let server = Server::http(("0.0.0.0", port)).expect("cannot listen");
    println!("listening on {port}");
    for request in server.incoming_requests() {
        let response = match request.url() {
            "/" => Response::from_string(greeting::greeting()),
            "/healthz" => Response::from_string("ok\n"),
            _ => Response::from_string("not found\n").with_status_code(404),
        };
        let _ = request.respond(response);
    }
}
