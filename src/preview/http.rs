//! The preview's HTTP server: one thread per connection, one request per connection.
//!
//! Small on purpose: the preview answers GET and HEAD from memory to one browser on this machine.
//! It replaces `tiny_http` 0.12, whose connection pool can leave a newly accepted connection
//! queued behind a long-lived one (a keep-alive socket, or the event stream) when two connections
//! arrive at once: the browser then waits forever for a script of the module.
//!
//! Every response closes its connection (`Connection: close`), so no thread waits on an idle
//! socket; loopback connections cost nothing to open again.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// The request line and headers may not be longer than this.
const MAX_HEAD: u64 = 32 * 1024;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// One request, with the connection to answer it on.
pub struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    stream: TcpStream,
    has_body: bool,
}

impl Request {
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The request target as sent (path and query).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sends a whole response (no body for HEAD) and closes the connection.
    pub fn respond(self, status: u16, headers: &[(&str, &str)], body: &[u8]) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ));
        let head_only = self.method == "HEAD";
        let has_body = self.has_body;
        let mut stream = self.stream;
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(body)?;
        }
        stream.flush()?;
        close(stream, has_body);
        Ok(())
    }

    /// The connection, for a response written by hand (the event stream).
    pub fn into_stream(self) -> TcpStream {
        self.stream
    }
}

/// Closes after the response. A request body that was never read is drained first (for a little
/// while): closing a socket with unread data resets it, and the client may lose the response.
fn close(stream: TcpStream, has_body: bool) {
    let _ = stream.shutdown(Shutdown::Write);
    if has_body {
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let _ = io::copy(&mut (&stream).take(1 << 20), &mut io::sink());
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// A bound listener, ready to [`Server::serve`].
pub struct Server {
    listener: TcpListener,
}

impl Server {
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections until the process ends; each one's request goes to `handler` on a
    /// thread of its own.
    pub fn serve<H>(&self, handler: H)
    where
        H: Fn(Request) + Send + Sync + 'static,
    {
        let handler = std::sync::Arc::new(handler);
        for stream in self.listener.incoming() {
            let Ok(stream) = stream else { continue };
            let handler = std::sync::Arc::clone(&handler);
            std::thread::spawn(move || {
                if let Some(request) = read_request(stream) {
                    handler(request);
                }
            });
        }
    }
}

/// Reads the request line and headers; answers malformed requests itself (and gives `None`).
fn read_request(stream: TcpStream) -> Option<Request> {
    let _ = stream.set_nodelay(true);
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut reader = BufReader::new((&stream).take(MAX_HEAD));
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => {
                // The client went away, or the head is too long.
                if !lines.is_empty() || reader.get_ref().limit() == 0 {
                    fail(stream, 431);
                }
                return None;
            }
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                fail(stream, 408);
                return None;
            }
            Err(_) => return None,
        }
        if !line.ends_with(b"\n") {
            fail(stream, 431);
            return None;
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if line.is_empty() {
            if lines.is_empty() {
                continue; // a stray CRLF before the request line is allowed
            }
            break;
        }
        let Ok(line) = String::from_utf8(line) else {
            fail(stream, 400);
            return None;
        };
        lines.push(line);
    }
    drop(reader);
    let mut parts = lines[0].split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        fail(stream, 400);
        return None;
    };
    if !matches!(version, "HTTP/1.0" | "HTTP/1.1") {
        fail(
            stream,
            if version.starts_with("HTTP/") {
                505
            } else {
                400
            },
        );
        return None;
    }
    let mut headers = Vec::with_capacity(lines.len() - 1);
    for line in &lines[1..] {
        let Some((name, value)) = line.split_once(':') else {
            fail(stream, 400);
            return None;
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let has_body = headers.iter().any(|(n, v)| {
        (n.eq_ignore_ascii_case("Content-Length") && v != "0")
            || n.eq_ignore_ascii_case("Transfer-Encoding")
    });
    Some(Request {
        method: method.to_owned(),
        url: url.to_owned(),
        headers,
        stream,
        has_body,
    })
}

fn fail(stream: TcpStream, status: u16) {
    let request = Request {
        method: "GET".into(),
        url: String::new(),
        headers: Vec::new(),
        stream,
        has_body: false,
    };
    let _ = request.respond(
        status,
        &[("Content-Type", "text/plain; charset=utf-8")],
        format!("{status} {}\n", reason(status)).as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn exchange(raw: &[u8]) -> String {
        let server = Server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = server.local_addr().unwrap();
        std::thread::spawn(move || {
            server.serve(|rq| {
                let body = format!("{} {} {:?}", rq.method(), rq.url(), rq.header("x-test"));
                let _ = rq.respond(200, &[("Content-Type", "text/plain")], body.as_bytes());
            })
        });
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(raw).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn answers_one_request_and_closes() {
        let out = exchange(b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.contains("\r\nConnection: close\r\n"), "{out}");
        assert!(out.contains("\r\nContent-Length: 20\r\n"), "{out}");
        assert!(out.ends_with("\r\n\r\nGET /a?b Some(\"yes\")"), "{out}");
    }

    #[test]
    fn head_has_no_body_and_bad_requests_get_400() {
        let out = exchange(b"HEAD / HTTP/1.0\r\n\r\n");
        assert!(out.ends_with("Connection: close\r\n\r\n"), "{out}");
        assert!(out.contains("Content-Length: 11\r\n"), "{out}");
        assert!(exchange(b"GARBAGE\r\n\r\n").starts_with("HTTP/1.1 400 "));
        assert!(exchange(b"GET / HTTP/2.0\r\n\r\n").starts_with("HTTP/1.1 505 "));
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(40_000));
        assert!(exchange(long.as_bytes()).starts_with("HTTP/1.1 431 "));
    }

    #[test]
    fn many_connections_at_once_are_all_answered() {
        let server = Server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = server.local_addr().unwrap();
        std::thread::spawn(move || {
            server.serve(|rq| {
                if rq.url() == "/hold" {
                    // A connection that never ends (like the event stream) blocks nobody.
                    let _s = rq.into_stream();
                    std::thread::sleep(Duration::from_secs(30));
                    return;
                }
                let _ = rq.respond(204, &[], b"");
            })
        });
        let mut held = Vec::new();
        for _ in 0..8 {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /hold HTTP/1.1\r\n\r\n").unwrap();
            held.push(s);
        }
        let clients: Vec<_> = (0..32)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut s = TcpStream::connect(addr).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    s.write_all(b"GET /x HTTP/1.1\r\n\r\n").unwrap();
                    let mut out = String::new();
                    s.read_to_string(&mut out).unwrap();
                    out
                })
            })
            .collect();
        for c in clients {
            assert!(c.join().unwrap().starts_with("HTTP/1.1 204 "));
        }
    }
}
