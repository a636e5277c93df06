//! Preview: serve a course from memory while it is being written, inside an LMS simulator.
//!
//! `lmspack preview` is the author's edit → look → fix loop. A small HTTP server ([`http`]), bound
//! to the loopback interface unless told otherwise, serves each module as a target lays it out
//! (the same [`crate::target::Target::layout`] that `build` zips), framed by a simulator page that
//! plays a strict LMS (`runtime/preview/`). A watcher polls the course folder; each change gives a
//! new [`Build`], announced to the browser by server-sent events and by `GET /__lmspack/status`,
//! so the page reloads, or shows the diagnostics over the module until they are fixed.
//!
//! Nothing is written to disk. The reload script is added to HTML as it is served
//! ([`pages::inject`]); built packages never contain it.
//!
//! Routes:
//!
//! | path | what |
//! |---|---|
//! | `/` | the modules, with a link to each one's simulator |
//! | `/<mode>/<module>/` | the simulator page for a module |
//! | `/<mode>/<module>/package/<path>` | a file of the module's package |
//! | `/__lmspack/status` | the latest build as JSON: number, ok, diagnostics |
//! | `/__lmspack/events` | server-sent events: one `build` event per build |
//! | `/__lmspack/<file>` | the simulator's own scripts and style sheet |

pub mod http;
pub mod mode;
pub mod pages;
pub mod state;

pub use mode::{Lms, Mode};
pub use state::{Build, Outcome};

use http::Request;
use state::Shared;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to run a preview.
#[derive(Debug)]
pub struct Options {
    pub dir: PathBuf,
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// What `/` links to first.
    pub mode: Mode,
    /// Serve on a non-loopback address: anyone who can reach it can read the course.
    pub allow_remote: bool,
    /// How often the course folder is scanned for changes.
    pub poll: Duration,
}

/// Why a preview could not start.
#[derive(Debug)]
pub enum StartError {
    /// A non-loopback address without [`Options::allow_remote`].
    Remote(IpAddr),
    /// The course folder cannot be read at all.
    Course(String),
    /// The address cannot be bound.
    Bind(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Remote(ip) => write!(
                f,
                "refusing to serve the preview on {ip}, which is not a loopback address: anyone who can \
reach it could read the course (pass --allow-remote if that is what you want)"
            ),
            StartError::Course(m) => f.write_str(m),
            StartError::Bind(m) => f.write_str(m),
        }
    }
}

/// A preview that has loaded the course and bound its address, ready to [`Preview::serve`].
pub struct Preview {
    server: http::Server,
    shared: Arc<Shared>,
    addr: SocketAddr,
    mode: Mode,
    poll: Duration,
}

impl Preview {
    pub fn start(options: Options) -> Result<Preview, StartError> {
        if !options.host.is_loopback() && !options.allow_remote {
            return Err(StartError::Remote(options.host));
        }
        let shared = Shared::new(&options.dir);
        if let Outcome::Io(m) = &shared.current().0.outcome {
            return Err(StartError::Course(m.clone()));
        }
        let bind_error = |e: std::io::Error| {
            StartError::Bind(format!(
                "cannot listen on {}:{}: {e}",
                options.host, options.port
            ))
        };
        let server =
            http::Server::bind(SocketAddr::new(options.host, options.port)).map_err(bind_error)?;
        let addr = server.local_addr().map_err(bind_error)?;
        Ok(Preview {
            server,
            shared: Arc::new(shared),
            addr,
            mode: options.mode,
            poll: options.poll,
        })
    }

    /// The address to open in a browser (`http://127.0.0.1:PORT/`).
    pub fn url(&self) -> String {
        let host = if self.addr.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            match self.addr.ip() {
                IpAddr::V6(ip) => format!("[{ip}]"),
                IpAddr::V4(ip) => ip.to_string(),
            }
        };
        format!("http://{host}:{}/", self.addr.port())
    }

    /// The first build (made by [`Preview::start`]).
    pub fn first_build(&self) -> Arc<Build> {
        self.shared.current().0
    }

    /// Watch the course and answer requests until the process ends. `on_build` is called (on the
    /// watcher's thread) after each rebuild.
    pub fn serve(self, on_build: impl FnMut(&Build) + Send + 'static) {
        let shared = Arc::clone(&self.shared);
        let poll = self.poll;
        std::thread::spawn(move || state::watch(&shared, poll, on_build));
        let loopback = self.addr.ip().is_loopback();
        let (mode, shared) = (self.mode, Arc::clone(&self.shared));
        self.server.serve(move |request| {
            let _ = handle(request, &shared, mode, loopback);
        });
    }
}

fn respond(
    request: Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
) -> std::io::Result<()> {
    request.respond(
        status,
        &[
            ("Content-Type", content_type),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
        &body,
    )
}

fn text(request: Request, status: u16, body: &str) -> std::io::Result<()> {
    respond(
        request,
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

const HTML: &str = "text/html; charset=utf-8";

/// Is the `Host` header one of this machine's loopback names? A page on another site that
/// rebinds its DNS name to 127.0.0.1 must not read the course.
fn local_host(request: &Request) -> bool {
    let Some(host) = request.header("Host").map(str::to_ascii_lowercase) else {
        return true;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1") || name.ends_with(".localhost")
}

fn handle(request: Request, shared: &Shared, default: Mode, loopback: bool) -> std::io::Result<()> {
    if loopback && !local_host(&request) {
        return text(request, 403, "the preview answers only to localhost\n");
    }
    if !matches!(request.method(), "GET" | "HEAD") {
        return text(request, 405, "the preview only serves GET requests\n");
    }
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    let Some(path) = percent_decode(&path) else {
        return text(request, 400, "bad path\n");
    };
    let (build, good) = shared.current();
    let good = good.as_deref();
    match path.as_str() {
        "/" | "/index.html" => respond(
            request,
            200,
            HTML,
            pages::index(&build, good, default).into_bytes(),
        ),
        "/__lmspack/status" => respond(
            request,
            200,
            "application/json",
            pages::status(&build, good).to_string().into_bytes(),
        ),
        "/__lmspack/events" => events(request, shared),
        "/favicon.ico" => request.respond(204, &[], b""),
        p => {
            if let Some(name) = p.strip_prefix("/__lmspack/") {
                return match pages::assets::ALL.iter().find(|(n, _, _)| *n == name) {
                    Some((_, kind, body)) => respond(request, 200, kind, body.as_bytes().to_vec()),
                    None => text(request, 404, "no such file\n"),
                };
            }
            let mut parts = p.trim_start_matches('/').splitn(3, '/');
            let (Some(mode), Some(module)) = (parts.next(), parts.next()) else {
                return text(request, 404, "not found\n");
            };
            let Some(mode) = Mode::by_name(mode) else {
                return text(request, 404, "no such target\n");
            };
            match parts.next() {
                None => {
                    let to = format!("/{}/{module}/", mode.name());
                    request.respond(302, &[("Location", &to)], b"")
                }
                Some("") => respond(
                    request,
                    200,
                    HTML,
                    pages::simulator(mode, module, good).into_bytes(),
                ),
                Some(rest) => match rest.strip_prefix("package/") {
                    Some(file) => package_file(request, &build, good, mode, module, file),
                    None => text(request, 404, "not found\n"),
                },
            }
        }
    }
}

fn package_file(
    request: Request,
    build: &Build,
    good: Option<&state::Good>,
    mode: Mode,
    module: &str,
    file: &str,
) -> std::io::Result<()> {
    let Some(good) = good else {
        return respond(request, 503, HTML, pages::broken(build).into_bytes());
    };
    let Some(tree) = good.package(mode, module) else {
        return text(
            request,
            404,
            &format!("the course has no module `{module}`\n"),
        );
    };
    let tree = match tree.as_ref() {
        Ok(t) => t,
        Err(e) => return text(request, 500, &format!("cannot lay out the package: {e}\n")),
    };
    let file = if file.is_empty() { "index.html" } else { file };
    let Some(content) = tree.get(file) else {
        return text(request, 404, &format!("the package has no file `{file}`\n"));
    };
    let bytes = match content {
        crate::package::Content::Bytes(b) => b.to_vec(),
        crate::package::Content::Disk(p) => match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => return text(request, 500, &format!("{}: {e}\n", p.display())),
        },
    };
    let kind = content_type(file);
    let bytes = if kind == HTML {
        pages::inject(&bytes)
    } else {
        bytes
    };
    respond(request, 200, kind, bytes)
}

/// Server-sent events: the current build at once, then one `build` event per build, and a comment
/// every 15 s so a closed connection is noticed (and its thread ends).
fn events(request: Request, shared: &Shared) -> std::io::Result<()> {
    let mut writer = request.into_stream();
    write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n"
    )?;
    let mut build = shared.current().0;
    loop {
        write!(
            writer,
            "event: build\ndata: {}\n\n",
            serde_json::json!({"build": build.number, "ok": build.ok()})
        )?;
        writer.flush()?;
        loop {
            let next = shared.wait(build.number, Duration::from_secs(15));
            if next.number != build.number {
                build = next;
                break;
            }
            writer.write_all(b": ping\n\n")?;
            writer.flush()?;
        }
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    // Package paths never hold `..`, `.` or empty segments past the route, nor backslashes.
    if s.split('/').any(|seg| seg == ".." || seg == ".") || s.contains('\\') || s.contains('\0') {
        return None;
    }
    Some(s)
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => HTML,
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsd" | "dtd" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_never_climb() {
        assert_eq!(
            percent_decode("/a%20b/c.png").as_deref(),
            Some("/a b/c.png")
        );
        assert_eq!(percent_decode("/a/../b"), None);
        assert_eq!(percent_decode("/a/%2e%2e/b"), None);
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(content_type("x/INDEX.HTML"), HTML);
        assert_eq!(content_type("img.svg"), "image/svg+xml");
    }
}
