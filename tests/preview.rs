//! `lmspack preview`: a real server started as a child process, spoken to over plain TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_lmspack");

/// A course copied to a temporary folder, and a preview of it; the child is killed on drop.
struct Preview {
    child: Child,
    addr: SocketAddr,
    course: PathBuf,
    _dir: tempfile::TempDir,
}

impl Preview {
    fn start(extra: &[&str]) -> Preview {
        let dir = tempfile::tempdir().unwrap();
        let course = dir.path().join("course");
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/minimal"),
            &course,
        );
        let mut child = Command::new(BIN)
            .arg("preview")
            .arg(&course)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Preview {
            child,
            addr,
            course,
            _dir: dir,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get_with_host(self.addr, path, "127.0.0.1")
    }

    fn status(&self) -> serde_json::Value {
        let (code, body) = self.get("/__lmspack/status");
        assert_eq!(code, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Poll the status until `done` holds (the watcher polls every 300 ms).
    fn wait_for(&self, what: &str, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let s = self.status();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; last status: {s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn page(&self) -> PathBuf {
        self.course.join("01-only/pages/01-page.md")
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get_with_host(addr: SocketAddr, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, body.to_owned())
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn serves_the_module_list_the_simulator_and_the_package() {
    let p = Preview::start(&[]);
    let (code, index) = p.get("/");
    assert_eq!(code, 200);
    assert!(index.contains("The only module"), "{index}");
    assert!(index.contains("href=\"/scorm12/only/\""), "{index}");
    assert!(index.contains("href=\"/scorm2004/only/\""), "{index}");

    let (code, sim) = p.get("/scorm12/only/");
    assert_eq!(code, 200);
    assert!(sim.contains("data-lmspack-simulator"), "{sim}");
    assert!(sim.contains("/__lmspack/scorm-api.js"), "{sim}");
    assert!(
        sim.contains("\"package\":\"/scorm12/only/package/index.html\""),
        "{sim}"
    );
    let (code, api) = p.get("/__lmspack/scorm-api.js");
    assert_eq!(code, 200);
    assert!(api.contains("LMSSetValue") && api.contains("Terminate"));

    let (code, html) = p.get("/scorm12/only/package/index.html");
    assert_eq!(code, 200);
    assert!(html.contains("Read this, then answer."), "{html}");
    assert!(html.contains("\"api\":\"scorm12\""), "{html}");
    let (code, manifest) = p.get("/scorm2004/only/package/imsmanifest.xml");
    assert_eq!(code, 200);
    assert!(manifest.contains("2004 4th Edition"), "{manifest}");
    let (code, web) = p.get("/web/only/package/index.html");
    assert_eq!(code, 200);
    assert!(web.contains("\"api\":\"standalone\""), "{web}");

    assert_eq!(p.get("/scorm12/nope/package/index.html").0, 404);
    assert_eq!(p.get("/scorm13/only/").0, 404);
    assert_eq!(p.get("/scorm12/only/package/../../../course.yaml").0, 400);
    assert_eq!(
        p.get("/scorm12/only/package/%2e%2e/%2e%2e/course.yaml").0,
        400
    );
}

#[test]
fn a_page_change_is_announced_and_its_text_served() {
    let p = Preview::start(&[]);
    let mut events = TcpStream::connect(p.addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        events,
        "GET /__lmspack/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "data: {\"build\":1,\"ok\":true}");
    assert!(seen.contains("Content-Type: text/event-stream"), "{seen}");

    let text = std::fs::read_to_string(p.page()).unwrap();
    std::fs::write(
        p.page(),
        text.replace("Read this, then answer.", "Freshly edited text."),
    )
    .unwrap();
    read_until(
        &mut events,
        &mut seen,
        "event: build\ndata: {\"build\":2,\"ok\":true}",
    );
    let (_, html) = p.get("/scorm12/only/package/index.html");
    assert!(html.contains("Freshly edited text."), "{html}");
    assert!(!html.contains("Read this, then answer."));
}

/// Read an event stream until `needle` has arrived.
fn read_until(events: &mut TcpStream, seen: &mut String, needle: &str) {
    let start = Instant::now();
    let mut buf = [0; 4096];
    while !seen.contains(needle) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {needle} in {seen}"
        );
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "the event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[test]
fn an_error_is_reported_with_its_place_and_the_preview_recovers() {
    let p = Preview::start(&[]);
    assert_eq!(p.status()["ok"], true);
    let good = std::fs::read_to_string(p.page()).unwrap();
    // An unknown key in the question's YAML, on line 11 of the page.
    std::fs::write(
        p.page(),
        good.replace(
            "prompt: Which answer is right?",
            "prompt: Which answer is right?\nbogus_key: 1",
        ),
    )
    .unwrap();
    let s = p.wait_for("the error", |s| s["ok"] == false);
    let d = s["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error" && d["file"].as_str().unwrap().ends_with("01-page.md"))
        .unwrap_or_else(|| panic!("no error in the page in {s}"));
    assert_eq!(d["line"], 11, "{d}");
    assert!(d["column"].as_u64().unwrap() >= 1);
    assert!(d["message"].as_str().unwrap().contains("bogus_key"), "{d}");
    assert!(d["source"].as_str().unwrap().contains("bogus_key"), "{d}");
    assert!(s["errors"].as_u64().unwrap() >= 1);
    // The last good build is still served underneath the overlay.
    assert_eq!(s["served_build"], 1, "{s}");
    let (code, html) = p.get("/scorm12/only/package/index.html");
    assert_eq!(code, 200);
    assert!(html.contains("Read this, then answer."));
    let (code, _) = p.get("/scorm12/only/");
    assert_eq!(code, 200);

    let broken = s["build"].as_u64().unwrap();
    std::fs::write(p.page(), good.replace("Read this", "Now read this")).unwrap();
    let s = p.wait_for("the fix", |s| s["ok"] == true);
    assert!(s["build"].as_u64().unwrap() > broken);
    assert_eq!(s["served_build"], s["build"]);
    assert_eq!(s["diagnostics"].as_array().unwrap().len(), 0, "{s}");
    let (_, html) = p.get("/scorm12/only/package/index.html");
    assert!(html.contains("Now read this, then answer."), "{html}");
}

#[test]
fn a_broken_course_yaml_is_reported_then_recovers() {
    let p = Preview::start(&[]);
    let yaml = p.course.join("course.yaml");
    let good = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, good.replace("title: Minimal course", "title: [")).unwrap();
    let s = p.wait_for("the error", |s| s["ok"] == false);
    let d = &s["diagnostics"][0];
    assert!(d["file"].as_str().unwrap().ends_with("course.yaml"), "{s}");
    assert_eq!(d["line"], 2, "{s}");
    std::fs::write(&yaml, good).unwrap();
    p.wait_for("the fix", |s| s["ok"] == true);
}

#[test]
fn the_reload_script_is_served_but_never_built_and_nothing_is_written() {
    let p = Preview::start(&[]);
    let before = snapshot(&p.course);
    for target in ["scorm12", "scorm2004", "web"] {
        let (code, html) = p.get(&format!("/{target}/only/package/index.html"));
        assert_eq!(code, 200);
        assert!(html.contains("/__lmspack/reload.js"), "{target}: {html}");
    }
    let (_, index) = p.get("/");
    assert!(index.contains("/__lmspack/reload.js"));
    assert_eq!(
        snapshot(&p.course),
        before,
        "the preview wrote into the course"
    );

    let out = p._dir.path().join("dist");
    let status = Command::new(BIN)
        .arg("build")
        .arg(&p.course)
        .arg("--out")
        .arg(&out)
        .args(["--target", "all", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success());
    let mut zips = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("zip") {
            continue;
        }
        zips += 1;
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("__lmspack") && !text.contains("lmspack-preview"),
                "{} in {} holds preview code",
                f.name().unwrap(),
                path.display()
            );
        }
    }
    assert_eq!(zips, lmspack::target::all().len());
}

#[test]
fn only_loopback_unless_remote_is_allowed_and_only_to_local_names() {
    let out = Command::new(BIN)
        .args([
            "preview",
            "fixtures/minimal",
            "--port",
            "0",
            "--host",
            "0.0.0.0",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");

    let remote = Preview::start(&["--host", "0.0.0.0", "--allow-remote"]);
    assert_eq!(remote.get("/").0, 200);
    drop(remote);

    let p = Preview::start(&[]);
    assert!(p.addr.ip().is_loopback());
    assert_eq!(get_with_host(p.addr, "/", "localhost").0, 200);
    // A page whose DNS name was rebound to 127.0.0.1 must not read the course.
    assert_eq!(
        get_with_host(p.addr, "/__lmspack/status", "attacker.example").0,
        403
    );
}

#[test]
fn unknown_targets_and_folders_are_usage_errors() {
    let out = Command::new(BIN)
        .args(["preview", "fixtures/minimal", "--target", "scorm13"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scorm12, scorm2004"));
    let out = Command::new(BIN)
        .args(["preview", "no/such/course", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
