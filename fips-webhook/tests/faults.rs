//! Faults on loopback, with the server running offline (no API server): a client that
//! disconnects mid-request, a slow client, a 100 MB body, invalid JSON and a review of an
//! unknown version each get a bounded answer (or a closed connection), and the server keeps
//! serving the others.

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

struct Server {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn start(extra: &[&str]) -> Server {
    start_with_env(extra, &[])
}

fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    openssl(
        dir.path(),
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "tls.key",
            "-out",
            "tls.crt",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_fips-webhook"))
        .args(["--listen", "127.0.0.1:0", "--offline"])
        .arg("--tls-cert")
        .arg(dir.path().join("tls.crt"))
        .arg("--tls-key")
        .arg(dir.path().join("tls.key"))
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .expect("fips-webhook starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("\"msg\":\"serving\""))
        .expect("a serving line");
    std::thread::spawn(move || for _ in lines {});
    let v: serde_json::Value = serde_json::from_str(&serving).unwrap();
    Server {
        child,
        addr: v["listen"].as_str().unwrap().to_owned(),
        dir,
    }
}

impl Server {
    fn ca(&self) -> PathBuf {
        self.dir.path().join("tls.crt")
    }

    /// curl: (HTTP status, body).
    fn curl(&self, path: &str, args: &[&str]) -> (u16, String) {
        let out = Command::new("curl")
            .args([
                "-sS",
                "--max-time",
                "20",
                "-w",
                "\n%{http_code}",
                "--cacert",
            ])
            .arg(self.ca())
            .args(args)
            .arg(format!("https://{}{path}", self.addr))
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
        (code.trim().parse().unwrap_or(0), body.to_owned())
    }

    fn validate(&self, body: &str) -> (u16, String) {
        self.curl(
            "/validate",
            &[
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                body,
            ],
        )
    }

    fn healthy(&self) {
        assert_eq!(self.curl("/healthz", &[]).0, 200);
        let (code, body) = self.validate(&review("admission.k8s.io/v1"));
        assert_eq!(code, 200, "{body}");
        assert!(body.contains("\"allowed\":true"), "{body}");
    }
}

fn review(api_version: &str) -> String {
    serde_json::json!({
        "apiVersion": api_version,
        "kind": "AdmissionReview",
        "request": {
            "uid": "u-1",
            "kind": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "kind": "KubeadmControlPlane"},
            "resource": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "resource": "kubeadmcontrolplanes"},
            "name": "cp", "namespace": "default", "operation": "CREATE", "userInfo": {},
            "object": {
                "apiVersion": "controlplane.cluster.x-k8s.io/v1beta1", "kind": "KubeadmControlPlane",
                "metadata": {"name": "cp", "namespace": "default"},
                "spec": {"version": "v1.22.8+fips.0", "kubeadmConfigSpec": {"clusterConfiguration": {
                    "imageRepository": "docker.io/mesosphere",
                    "etcd": {"local": {"imageRepository": "docker.io/mesosphere", "imageTag": "v3.4.13_fips.0"}}}}},
            },
        },
    })
    .to_string()
}

#[test]
fn faults_get_bounded_answers_and_the_server_keeps_serving() {
    let server = start(&["--request-timeout", "3"]);
    server.healthy();

    // Invalid JSON: 400 with the reason.
    let (code, body) = server.validate("{not json");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("not JSON"), "{body}");

    // A review of an unknown version: refused (allowed: false, 400) with the reason.
    let (code, body) = server.validate(&review("admission.k8s.io/v1beta1"));
    assert_eq!(code, 200, "{body}");
    assert!(
        body.contains("\"allowed\":false") && body.contains("admission.k8s.io/v1beta1"),
        "{body}"
    );

    // A body of 100 MB: 413, without reading it all.
    let big = server.dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 100 << 20]).unwrap();
    let (code, body) = server.curl(
        "/validate",
        &[
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &format!("@{}", big.display()),
        ],
    );
    std::fs::remove_file(&big).unwrap();
    assert!(code == 413 || code == 0, "{code} {body}");
    server.healthy();

    // A client that disconnects mid-request (a slow upload, killed).
    let mut slow = Command::new("curl")
        .args(["-sS", "--limit-rate", "1k", "--cacert"])
        .arg(server.ca())
        .args(["--data-binary", &"x".repeat(100_000)])
        .arg(format!("https://{}/validate", server.addr))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let _ = slow.kill();
    let _ = slow.wait();
    server.healthy();

    // Slow clients: one that never starts TLS and one that sends its body too slowly are
    // cut off by the handshake and request time bounds, while others are served.
    let start = Instant::now();
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut trickle = Command::new("curl")
        .args([
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--limit-rate",
            "100",
            "--cacert",
        ])
        .arg(server.ca())
        .args(["--data-binary", &"x".repeat(100_000)])
        .arg(format!("https://{}/validate", server.addr))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    server.healthy();
    let mut buf = [0u8; 16];
    let n = silent.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the silent connection is closed");
    assert!(start.elapsed() < Duration::from_secs(15));
    let mut status = String::new();
    trickle
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut status)
        .unwrap();
    let _ = trickle.wait();
    // 504 when curl reads the early answer, 000 when the cut connection fails its upload.
    assert!(
        status == "504" || status == "000",
        "the trickling upload: {status}"
    );
    assert!(start.elapsed() < Duration::from_secs(15));
    server.healthy();

    // The metrics saw it all.
    let (code, metrics) = server.curl("/metrics", &[]);
    assert_eq!(code, 200);
    for needle in [
        "verdict=\"malformed\"",
        "verdict=\"timeout\"",
        "fips_webhook_selftest_passed 1",
        "fips_webhook_request_duration_seconds_count",
    ] {
        assert!(metrics.contains(needle), "{needle} missing: {metrics}");
    }
}

#[test]
fn a_bad_new_policy_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, fips_core::Policy::embedded_toml()).unwrap();
    let server = start(&[
        "--policy",
        policy.to_str().unwrap(),
        "--reload-interval-ms",
        "100",
    ]);
    std::fs::write(&policy, "this is = not [a policy").unwrap();
    let start = Instant::now();
    loop {
        let (_, metrics) = server.curl("/metrics", &[]);
        if metrics.contains("fips_webhook_policy_reload_failures_total 1") {
            assert!(metrics.contains("fips_webhook_policy_last_reload_ok 0"));
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{metrics}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The old policy still judges: the documented build is admitted.
    server.healthy();
}

/// The self-test fails in the running server (a KAT broken by `FIPS_BREAK_KAT`, in the
/// `break-kat` build only): it still answers, and every answer fails closed.
#[cfg(feature = "break-kat")]
#[test]
fn a_failed_selftest_refuses_every_request_and_fails_readyz() {
    for (kat, power_on) in [("SHA-256", true), ("ECDSA-P256-PCT", false)] {
        let server = start_with_env(&[], &[("FIPS_BREAK_KAT", kat)]);
        let (code, body) = server.curl("/readyz", &[]);
        assert_eq!(code, 503, "{kat}: /readyz {body}");
        assert!(body.contains(kat), "{kat}: /readyz names the KAT: {body}");
        assert_eq!(
            server.curl("/healthz", &[]).0,
            200,
            "{kat}: alive, not ready"
        );

        let (code, body) = server.validate(&review("admission.k8s.io/v1"));
        assert_eq!(code, 200, "{kat}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        let response = &answer["response"];
        assert_eq!(response["allowed"], false, "{kat}: {body}");
        assert_eq!(response["status"]["code"], 500, "{kat}: {body}");
        assert!(
            response["status"]["message"]
                .as_str()
                .unwrap()
                .contains(kat),
            "{kat}: the refusal names the KAT: {body}"
        );

        // Warn mode admits refusals as warnings, but never a failed self-test.
        drop(server);
        let warn = start_with_env(&["--mode", "warn"], &[("FIPS_BREAK_KAT", kat)]);
        let (_, body) = warn.validate(&review("admission.k8s.io/v1"));
        assert!(body.contains("\"allowed\":false"), "{kat} (warn): {body}");

        let (_, metrics) = warn.curl("/metrics", &[]);
        assert!(
            metrics.contains("fips_webhook_selftest_passed 0"),
            "{kat} (power-on {power_on}): {metrics}"
        );
    }
}
