//! What no honest registry does, from a small fake server on loopback: a registry that hangs
//! (before answering, and in the middle of a layer), a layer larger than the per-blob bound
//! (declared, and undeclared: streamed without a length), and an image larger than the
//! per-image bound. Each must end in an error naming the blob and the cause, never in a
//! verdict and never in a process that waits forever or holds the layer in memory.
//!
//! The honest cases (every layer compression, an index, authentication) run against the real
//! registry in `fips-cli/tests/registry_scan.rs`. This server is not a registry: it answers
//! each route with a scripted behaviour and nothing else.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    thread,
    time::{Duration, Instant},
};

use fips_core::{scan_image_source, Policy, ScanOptions};
use fips_registry::{RegistryImage, RegistryOptions};

/// How the fake server answers one route.
#[derive(Clone)]
enum Answer {
    /// 200 with this body and its length.
    Body(&'static str, Vec<u8>),
    /// Reads the request, then says nothing until the client goes away.
    Hang,
    /// 200 with a `Content-Length` of `declared`, then these bytes, then silence.
    Stall { declared: u64, sent: Vec<u8> },
    /// 200, chunked (no length), zeros for as long as the client reads.
    Endless,
}

/// Bytes the server has written for `Endless` answers: the client must stop reading near its
/// bound, not take the whole stream.
#[derive(Default)]
struct Served {
    endless_bytes: AtomicU64,
}

fn serve(routes: Vec<(String, Answer)>) -> (String, Arc<Served>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address").to_string();
    let served = Arc::new(Served::default());
    let counter = served.clone();
    thread::spawn(move || {
        // Bounded: each test makes a handful of requests.
        for stream in listener.incoming().take(64) {
            let Ok(stream) = stream else { continue };
            let routes = routes.clone();
            let counter = counter.clone();
            thread::spawn(move || answer(stream, &routes, &counter));
        }
    });
    (addr, served)
}

fn answer(mut stream: TcpStream, routes: &[(String, Answer)], served: &Served) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 1 << 16 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or("").to_owned();
    let path = words.next().unwrap_or("").to_owned();
    let found = routes.iter().find(|(p, _)| *p == path).map(|(_, a)| a);
    let ok = |kind: &str, length: Option<u64>| {
        let length = match length {
            Some(n) => format!("Content-Length: {n}\r\n"),
            None => "Transfer-Encoding: chunked\r\n".into(),
        };
        format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n{length}Connection: close\r\n\r\n")
    };
    match found {
        None => {
            let body = br#"{"errors":[{"code":"NAME_UNKNOWN","message":"no such thing"}]}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
        Some(Answer::Body(kind, body)) => {
            let _ = stream.write_all(ok(kind, Some(body.len() as u64)).as_bytes());
            if method != "HEAD" {
                let _ = stream.write_all(body);
            }
        }
        Some(Answer::Hang) => silence(&mut stream),
        Some(Answer::Stall { declared, sent }) => {
            let _ = stream.write_all(ok("application/octet-stream", Some(*declared)).as_bytes());
            let _ = stream.write_all(sent);
            silence(&mut stream);
        }
        Some(Answer::Endless) => {
            let _ = stream.write_all(ok("application/octet-stream", None).as_bytes());
            let chunk = vec![0u8; 64 << 10];
            let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
            frame.extend_from_slice(&chunk);
            frame.extend_from_slice(b"\r\n");
            // Until the client hangs up, or 1 GiB: far past any bound the tests set.
            for _ in 0..(1 << 14) {
                if stream.write_all(&frame).is_err() {
                    return;
                }
                served
                    .endless_bytes
                    .fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
    }
}

/// Holds the connection open without a byte until the client closes it.
fn silence(stream: &mut TcpStream) {
    let mut sink = [0u8; 256];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

fn sha256(data: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

const CONFIG: &[u8] =
    br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;

/// The routes of an image `fake/NAME:v1` whose layers are given as (digest, size, answer).
fn image(name: &str, layers: Vec<(String, u64, Answer)>) -> Vec<(String, Answer)> {
    let config_digest = sha256(CONFIG);
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": CONFIG.len()},
        "layers": layers.iter().map(|(digest, size, _)| serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": digest, "size": size,
        })).collect::<Vec<_>>(),
    }))
    .expect("JSON");
    let mut routes = vec![
        (
            "/v2/".into(),
            Answer::Body("application/json", b"{}".to_vec()),
        ),
        (
            format!("/v2/fake/{name}/manifests/v1"),
            Answer::Body("application/vnd.oci.image.manifest.v1+json", manifest),
        ),
        (
            format!("/v2/fake/{name}/blobs/{config_digest}"),
            Answer::Body("application/octet-stream", CONFIG.to_vec()),
        ),
    ];
    for (digest, _, answer) in layers {
        routes.push((format!("/v2/fake/{name}/blobs/{digest}"), answer));
    }
    routes
}

fn options(addr: &str) -> RegistryOptions {
    RegistryOptions {
        insecure_registries: vec![addr.to_owned()],
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        ..RegistryOptions::default()
    }
}

/// Resolves and scans `fake/NAME:v1`; the error text, or a panic if a report came back.
fn scan_error(addr: &str, name: &str, options: &RegistryOptions) -> String {
    let reference = format!("{addr}/fake/{name}:v1");
    let image = match RegistryImage::resolve(&reference, options) {
        Ok(image) => image,
        Err(e) => return e.to_string(),
    };
    match scan_image_source(&image, Policy::embedded(), &ScanOptions::default(), |_| {}) {
        Ok(report) => panic!("{reference}: a report, not an error: {report:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_registry_that_never_answers_the_manifest_is_an_error_after_the_read_timeout() {
    let (addr, _) = serve(vec![
        (
            "/v2/".into(),
            Answer::Body("application/json", b"{}".to_vec()),
        ),
        ("/v2/fake/hangs/manifests/v1".into(), Answer::Hang),
    ]);
    let start = Instant::now();
    let reference = format!("{addr}/fake/hangs:v1");
    let err = RegistryImage::try_resolve(&reference, &options(&addr))
        .expect_err("a registry that never answers gave an image");
    let waited = start.elapsed();
    let text = err.error.to_string();
    assert!(text.contains("did not answer in time"), "{text}");
    assert!(text.contains(&reference), "the image is named: {text}");
    // Unreachable, so a pull through mirrors goes on to the next one.
    assert!(
        err.absent,
        "a hung mirror must be passed over like an unreachable one"
    );
    // Not a wall-clock limit on the code's speed: proof that the wait ended by the timeout
    // set (2 s), not by the server's own 30 s read timeout.
    assert!(waited < Duration::from_secs(25), "waited {waited:?}");
}

#[test]
fn a_registry_that_stalls_in_the_middle_of_a_layer_is_an_error_naming_the_layer() {
    let data = b"the start of a layer, then nothing".to_vec();
    let digest = sha256(b"the layer the manifest names");
    let stall = Answer::Stall {
        declared: 1 << 20,
        sent: data,
    };
    let (addr, _) = serve(image("stalls", vec![(digest.clone(), 1 << 20, stall)]));
    let err = scan_error(&addr, "stalls", &options(&addr));
    assert!(err.contains(&digest), "the layer's digest is named: {err}");
}

#[test]
fn a_layer_declared_larger_than_the_blob_bound_is_refused_before_it_is_read() {
    let digest = sha256(b"a huge layer");
    let huge = Answer::Stall {
        declared: 64 << 30,
        sent: Vec::new(),
    };
    let (addr, _) = serve(image("huge", vec![(digest.clone(), 64 << 30, huge)]));
    let err = scan_error(&addr, "huge", &options(&addr));
    assert!(err.contains(&digest), "the layer's digest is named: {err}");
    assert!(err.contains("per-blob bound"), "{err}");
}

#[test]
fn an_endless_layer_without_a_length_stops_at_the_blob_bound() {
    let digest = sha256(b"a layer with no end");
    let bound: u64 = 4 << 20;
    // The manifest says it is small; the server streams without a length, for ever.
    let (addr, served) = serve(image(
        "endless",
        vec![(digest.clone(), 1024, Answer::Endless)],
    ));
    let options = RegistryOptions {
        max_blob_bytes: bound,
        ..options(&addr)
    };
    let err = scan_error(&addr, "endless", &options);
    assert!(err.contains(&digest), "the layer's digest is named: {err}");
    assert!(err.contains("bound"), "the bound is named: {err}");
    // The download stopped near the bound (plus what sat in socket buffers and the channel),
    // not at the server's 1 GiB.
    let sent = served.endless_bytes.load(Ordering::SeqCst);
    assert!(
        sent < 256 << 20,
        "the client read {sent} bytes of an endless layer"
    );
}

#[test]
fn layers_that_together_pass_the_image_bound_are_an_error() {
    // Two honest layers of about 3 MiB each (empty tar archives: zero blocks only), each
    // under the blob bound, together over the image's.
    let layer: Vec<u8> = vec![0u8; 3 << 20];
    let digest = sha256(&layer);
    let answer = Answer::Body("application/octet-stream", layer.clone());
    let other_layer: Vec<u8> = vec![0u8; (3 << 20) + 512];
    let other = sha256(&other_layer);
    let (addr, _) = serve(image(
        "toobig",
        vec![
            (digest, layer.len() as u64, answer),
            (
                other.clone(),
                other_layer.len() as u64,
                Answer::Body("application/octet-stream", other_layer),
            ),
        ],
    ));
    let options = RegistryOptions {
        max_blob_bytes: 4 << 20,
        max_image_bytes: 5 << 20,
        ..options(&addr)
    };
    let err = scan_error(&addr, "toobig", &options);
    assert!(err.contains("bound"), "the bound is named: {err}");
}
