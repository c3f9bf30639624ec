//! fips-webhook against a real kube-apiserver (the harness of `tests/harness`): registered by
//! URL with its CA bundle, then driven with kubectl as an operator would. Each webhook
//! configuration selects only the namespaces labelled for its own test, so tests in this
//! binary do not see each other's webhook.

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{mpsc, Arc, Mutex},
    time::{Duration, Instant},
};

use harness::{
    kube::{KubeServer, User},
    server::top,
};

/// A test CA and a serving certificate for 127.0.0.1, made with the openssl CLI.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        let pki = Pki {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        pki.openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=fips-webhook test CA",
        ]);
        pki.issue("1");
        pki
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn openssl(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Issues serving.crt/serving.key (serial `serial`, hex) for IP 127.0.0.1, written to
    /// temporary files first and renamed into place, as the kubelet swaps a Secret's files.
    fn issue(&self, serial: &str) {
        std::fs::write(self.path("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
        self.openssl(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "new.key",
            "-out",
            "new.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            "new.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-set_serial",
            &format!("0x{serial}"),
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "new.crt",
        ]);
        std::fs::rename(self.path("new.key"), self.path("serving.key")).unwrap();
        std::fs::rename(self.path("new.crt"), self.path("serving.crt")).unwrap();
    }

    fn ca_base64(&self) -> String {
        let out = Command::new("base64")
            .args(["-w0"])
            .arg(self.path("ca.crt"))
            .output()
            .expect("base64 runs");
        String::from_utf8(out.stdout).unwrap()
    }
}

/// A running fips-webhook; killed when dropped.
struct Webhook {
    child: Child,
    addr: String,
    lines: Arc<Mutex<Vec<String>>>,
    _pki: Pki,
}

impl Webhook {
    fn start(kube: &KubeServer, pki: Pki, extra: &[&str]) -> Webhook {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fips-webhook"))
            .args(["--listen", "127.0.0.1:0", "--tls-cert"])
            .arg(pki.path("serving.crt"))
            .arg("--tls-key")
            .arg(pki.path("serving.key"))
            .arg("--kubeconfig")
            .arg(kube.kubeconfig())
            .args(["--reload-interval-ms", "200"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("fips-webhook starts");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("\"msg\":\"serving\"") {
                    let _ = tx.send(line.clone());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let serving = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("fips-webhook logs that it is serving");
        let v: serde_json::Value = serde_json::from_str(&serving).unwrap();
        let addr = v["listen"].as_str().unwrap().to_owned();
        assert_eq!(v["selftest_passed"], true, "{serving}");
        Webhook {
            child,
            addr,
            lines,
            _pki: pki,
        }
    }

    fn pki(&self) -> &Pki {
        &self._pki
    }

    fn logged(&self, needle: &str) -> bool {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains(needle))
    }

    /// Registers the webhook by URL for the namespaces labelled `fips-webhook-test=<name>`.
    fn register(&self, kube: &KubeServer, name: &str) {
        let config = format!(
            r#"apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {{name: {name}}}
webhooks:
- name: {name}.fips.policy
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  matchPolicy: Equivalent
  timeoutSeconds: 10
  clientConfig:
    url: https://{addr}/validate
    caBundle: {ca}
  namespaceSelector:
    matchLabels: {{fips-webhook-test: {name}}}
  rules:
  - apiGroups: [cluster.x-k8s.io]
    apiVersions: [v1beta2, v1beta1]
    operations: [CREATE, UPDATE]
    resources: [clusters, machinedeployments, machinesets, machines, machinepools]
  - apiGroups: [controlplane.cluster.x-k8s.io]
    apiVersions: [v1beta2, v1beta1]
    operations: [CREATE, UPDATE]
    resources: [kubeadmcontrolplanes, kubeadmcontrolplanetemplates]
  - apiGroups: [infrastructure.cluster.x-k8s.io]
    apiVersions: [v1beta2, v1beta1]
    operations: [CREATE, UPDATE]
    resources: [awsmachinetemplates, awsmachines, awsclusters]
"#,
            addr = self.addr,
            ca = self.pki().ca_base64(),
        );
        let out = kube.kubectl_stdin(User::Admin, &["apply", "-f", "-"], &config);
        assert!(
            out.status.success(),
            "registering the webhook: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The serial of the certificate the webhook serves now.
    fn served_serial(&self) -> String {
        let mut s_client = Command::new("openssl")
            .args([
                "s_client",
                "-connect",
                &self.addr,
                "-servername",
                "127.0.0.1",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_client runs");
        let out = Command::new("openssl")
            .args(["x509", "-noout", "-serial"])
            .stdin(s_client.stdout.take().unwrap())
            .output()
            .expect("openssl x509 runs");
        let _ = s_client.wait();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn get(&self, path: &str) -> (u16, String) {
        let out = Command::new("curl")
            .args(["-sS", "-w", "\n%{http_code}", "--cacert"])
            .arg(self.pki().path("ca.crt"))
            .arg(format!("https://{}{path}", self.addr))
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
        (code.trim().parse().unwrap_or(0), body.to_owned())
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A namespace selected by the test's webhook (and, with `fips_required`, labelled
/// `fips.policy/required: "true"`).
fn namespace(kube: &KubeServer, test: &str, fips_required: bool) -> String {
    let ns = kube.namespace(test);
    let mut args = vec![
        "label".to_owned(),
        "namespace".to_owned(),
        ns.clone(),
        format!("fips-webhook-test={test}"),
    ];
    if fips_required {
        args.push("fips.policy/required=true".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    kube.kubectl_ok(&args);
    ns
}

/// A KubeadmControlPlane; its etcd is the FIPS build exactly when `version` is a FIPS one.
fn kcp(name: &str, version: &str, repository: &str) -> String {
    let etcd = if version.contains("+fips.") {
        "v3.4.13_fips.0"
    } else {
        "3.5.15-0"
    };
    format!(
        r#"apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata: {{name: {name}}}
spec:
  replicas: 1
  version: {version}
  machineTemplate:
    infrastructureRef: {{apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: AWSMachineTemplate, name: {name}}}
  kubeadmConfigSpec:
    clusterConfiguration:
      imageRepository: {repository}
      etcd: {{local: {{imageRepository: {repository}, imageTag: {etcd}}}}}
"#
    )
}

fn apply(kube: &KubeServer, ns: &str, yaml: &str) -> (bool, String, String) {
    let out = kube.kubectl_stdin(User::Admin, &["apply", "-n", ns, "-f", "-"], yaml);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits until the API server calls the webhook: a partial FIPS control plane, applied with
/// `--dry-run=server`, is refused (enforce) or warned about (warn).
fn wait_effective(kube: &KubeServer, ns: &str) {
    let start = Instant::now();
    loop {
        let out = kube.kubectl_stdin(
            User::Admin,
            &["apply", "--dry-run=server", "-n", ns, "-f", "-"],
            &kcp("probe", "v1.22.8+fips.0", "registry.k8s.io"),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("FIPS-K8S-REPOSITORY-NOT-FIPS") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the API server does not call the webhook: {stderr}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn example() -> PathBuf {
    top().join("tests/kube/documented-example.yaml")
}

fn patch(kube: &KubeServer, ns: &str, resource: &str, patch: &str) -> (bool, String) {
    let out = kube.kubectl(
        User::Admin,
        &["patch", "-n", ns, resource, "--type=merge", "-p", patch],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn enforce_mode_through_the_api_server() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let hook = Webhook::start(kube, Pki::new(), &[]);
    hook.register(kube, "enforce");
    let ns = namespace(kube, "enforce", false);
    wait_effective(kube, &ns);

    // The documented example is admitted.
    let out = kube.kubectl(
        User::Admin,
        &["apply", "-n", &ns, "-f", example().to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "the documented example is refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Its control plane patched to a non-FIPS version: refused, code and field shown.
    let (ok, stderr) = patch(
        kube,
        &ns,
        "kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io/myfipscluster-control-plane",
        r#"{"spec":{"version":"v1.22.8"}}"#,
    );
    assert!(!ok, "the patch to non-FIPS was admitted");
    eprintln!("kubectl patch of the control plane: {stderr}");
    assert!(
        stderr.contains("FIPS-TRANSITION-DISABLE-REFUSED") && stderr.contains("spec.version"),
        "kubectl's error lacks the code and field: {stderr}"
    );
    // Its MachineDeployment too.
    let (ok, stderr) = patch(
        kube,
        &ns,
        "machinedeployments.v1beta1.cluster.x-k8s.io/myfipscluster-md-0",
        r#"{"spec":{"template":{"spec":{"version":"v1.22.8"}}}}"#,
    );
    assert!(!ok, "the MachineDeployment patch to non-FIPS was admitted");
    assert!(
        stderr.contains("FIPS-TRANSITION-DISABLE-REFUSED")
            && stderr.contains("spec.template.spec.version"),
        "{stderr}"
    );

    // A non-FIPS cluster is admitted in an ordinary namespace...
    let plain = kcp("plain", "v1.30.0", "registry.k8s.io");
    let (ok, _, stderr) = apply(kube, &ns, &plain);
    assert!(ok, "a non-FIPS cluster is refused: {stderr}");
    // ...and cannot become a FIPS one.
    let (ok, stderr) = patch(
        kube,
        &ns,
        "kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io/plain",
        r#"{"spec":{"version":"v1.22.8+fips.0"}}"#,
    );
    assert!(!ok, "non-FIPS -> FIPS was admitted");
    assert!(
        stderr.contains("FIPS-TRANSITION-ENABLE-REFUSED"),
        "{stderr}"
    );

    // ...but refused where the namespace requires FIPS.
    let required = namespace(kube, "enforce", true);
    let (ok, _, stderr) = apply(kube, &required, &plain);
    assert!(
        !ok,
        "a non-FIPS cluster is admitted in a fips.policy/required namespace"
    );
    assert!(stderr.contains("FIPS-NAMESPACE-FIPS-REQUIRED"), "{stderr}");

    // A partial FIPS control plane (FIPS version, upstream repository) is refused.
    let (ok, _, stderr) = apply(
        kube,
        &ns,
        &kcp("partial", "v1.22.8+fips.0", "registry.k8s.io"),
    );
    assert!(!ok, "a partial FIPS control plane is admitted");
    assert!(
        stderr.contains("FIPS-K8S-REPOSITORY-NOT-FIPS")
            && stderr.contains("spec.kubeadmConfigSpec.clusterConfiguration.imageRepository"),
        "{stderr}"
    );

    // One log line per decision, with the codes; metrics count them.
    assert!(hook.logged("\"codes\":[\"FIPS-TRANSITION-DISABLE-REFUSED\""));
    let (code, metrics) = hook.get("/metrics");
    assert_eq!(code, 200);
    assert!(
        metrics.contains("verdict=\"denied\"")
            && metrics.contains("fips_webhook_selftest_passed 1"),
        "{metrics}"
    );
    assert_eq!(hook.get("/readyz").0, 200);
    assert_eq!(hook.get("/healthz").0, 200);
}

#[test]
fn warn_mode_admits_with_warnings_that_carry_the_codes() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let hook = Webhook::start(kube, Pki::new(), &["--mode", "warn"]);
    hook.register(kube, "warn");
    let ns = namespace(kube, "warn", false);
    let start = Instant::now();
    loop {
        let (ok, _, stderr) = apply(
            kube,
            &ns,
            &kcp("partial", "v1.22.8+fips.0", "registry.k8s.io"),
        );
        assert!(ok, "warn mode refused: {stderr}");
        if stderr.contains("Warning:") {
            assert!(stderr.contains("FIPS-K8S-REPOSITORY-NOT-FIPS"), "{stderr}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no warning from the webhook: {stderr}"
        );
        kube.kubectl_ok(&[
            "delete",
            "-n",
            &ns,
            "kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io/partial",
        ]);
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn a_rotated_certificate_is_served_without_a_restart() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let hook = Webhook::start(kube, Pki::new(), &[]);
    hook.register(kube, "rotate");
    let ns = namespace(kube, "rotate", false);
    wait_effective(kube, &ns);
    assert_eq!(hook.served_serial(), "serial=01");
    hook.pki().issue("02");
    let start = Instant::now();
    while hook.served_serial() != "serial=02" {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the new certificate is not served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(hook.logged("serving certificate reloaded"));
    // The API server still reaches it (same CA, new pair).
    wait_effective(kube, &ns);
}

#[test]
fn the_deploy_base_is_accepted_by_the_api_server() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    // Server-side dry run cannot create the namespace the other objects go into.
    let out = kube.kubectl(User::Admin, &["create", "namespace", "fips-webhook"]);
    let _ = out;
    let deploy = top().join("deploy");
    let out = kube.kubectl(
        User::Admin,
        &["apply", "--dry-run=server", "-k", deploy.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "kubectl apply --dry-run=server -k deploy/: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for object in [
        "serviceaccount/fips-webhook",
        "clusterrole.rbac.authorization.k8s.io/fips-webhook-read",
        "deployment.apps/fips-webhook",
        "poddisruptionbudget.policy/fips-webhook",
        "service/fips-webhook",
        "certificate.cert-manager.io/fips-webhook-serving",
        "validatingwebhookconfiguration.admissionregistration.k8s.io/fips-webhook",
    ] {
        assert!(stdout.contains(object), "{object} missing: {stdout}");
    }
}

/// The cost of the webhook on an API request, measured side by side in one run: the same
/// `kubectl apply --dry-run=server` of the documented control plane into a namespace the
/// webhook selects and into one it does not. Prints the figures (benches/webhook.md).
/// `cargo test -p fips-webhook --test api_server -- --ignored --nocapture apply_overhead`
#[test]
#[ignore = "a measurement, not a check"]
fn apply_overhead() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let hook = Webhook::start(kube, Pki::new(), &[]);
    hook.register(kube, "overhead");
    let with = namespace(kube, "overhead", false);
    let without = kube.namespace("plain");
    wait_effective(kube, &with);
    let yaml = kcp("cp", "v1.22.8+fips.0", "docker.io/mesosphere");
    const ROUNDS: usize = 20;
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        for (i, ns) in [&with, &without].into_iter().enumerate() {
            let t = Instant::now();
            let out = kube.kubectl_stdin(
                User::Admin,
                &["apply", "--dry-run=server", "-n", ns, "-f", "-"],
                &yaml,
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            times[i].push(t.elapsed());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (w, wo) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "kubectl apply --dry-run=server, median of {ROUNDS}: with webhook {:.1} ms, without {:.1} ms, ratio {:.2}",
        w.as_secs_f64() * 1e3,
        wo.as_secs_f64() * 1e3,
        w.as_secs_f64() / wo.as_secs_f64()
    );
}
