//! The real-API-server harness against reality: a kube-apiserver with the Cluster API, CAPA
//! and cert-manager CRDs accepts the documented example as Cluster API objects, enforces
//! RBAC for the limited user, and, with only the CRDs installed, admits the patch that
//! turns a FIPS KubeadmControlPlane into a non-FIPS one (the hole `fips-webhook` closes).

#[path = "../../tests/harness/mod.rs"]
mod harness;

use harness::{
    kube::{KubeServer, User},
    server::top,
};

fn example_manifest() -> String {
    top()
        .join("tests/kube/documented-example.yaml")
        .to_str()
        .expect("UTF-8 path")
        .to_owned()
}

/// Applies the documented example into a namespace of its own; returns the namespace.
fn apply_example(kube: &KubeServer, prefix: &str) -> String {
    let ns = kube.namespace(prefix);
    let out = kube.kubectl_ok(&["apply", "-n", &ns, "-f", &example_manifest()]);
    for object in [
        "cluster.cluster.x-k8s.io/myfipscluster created",
        "awscluster.infrastructure.cluster.x-k8s.io/myfipscluster created",
        "kubeadmcontrolplane.controlplane.cluster.x-k8s.io/myfipscluster-control-plane created",
        "awsmachinetemplate.infrastructure.cluster.x-k8s.io/myfipscluster-control-plane created",
        "machinedeployment.cluster.x-k8s.io/myfipscluster-md-0 created",
        "awsmachinetemplate.infrastructure.cluster.x-k8s.io/myfipscluster-md-0 created",
        "kubeadmconfigtemplate.bootstrap.cluster.x-k8s.io/myfipscluster-md-0 created",
    ] {
        assert!(out.contains(object), "apply output lacks {object:?}: {out}");
    }
    ns
}

fn kcp_field(kube: &KubeServer, ns: &str, jsonpath: &str) -> String {
    kube.kubectl_ok(&[
        "get",
        "-n",
        ns,
        "kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io",
        "myfipscluster-control-plane",
        "-o",
        &format!("jsonpath={{{jsonpath}}}"),
    ])
}

/// A process that exists and is not a zombie (an exited server waits for init to reap it).
fn running(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(") ")?.1.chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

#[test]
fn admin_applies_the_documented_example_and_reads_its_fips_fields_back() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply_example(kube, "example");
    assert_eq!(kcp_field(kube, &ns, ".spec.version"), "v1.22.8+fips.0");
    let cc = ".spec.kubeadmConfigSpec.clusterConfiguration";
    assert_eq!(
        kcp_field(kube, &ns, &format!("{cc}.imageRepository")),
        "docker.io/mesosphere"
    );
    assert_eq!(
        kcp_field(kube, &ns, &format!("{cc}.etcd.local.imageRepository")),
        "docker.io/mesosphere"
    );
    assert_eq!(
        kcp_field(kube, &ns, &format!("{cc}.etcd.local.imageTag")),
        "v3.4.13_fips.0"
    );
    let amis = kube.kubectl_ok(&[
        "get",
        "-n",
        &ns,
        "awsmachinetemplates.infrastructure.cluster.x-k8s.io",
        "-o",
        "jsonpath={.items[*].spec.template.spec.ami.id}",
    ]);
    assert_eq!(amis, "ami-03dcaa75d45aca36f ami-03dcaa75d45aca36f");
}

#[test]
fn limited_user_is_forbidden_to_list_a_kind_its_rbac_lacks() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply_example(kube, "rbac");
    // What its role grants works: the harness's RBAC, not a broken token, is what refuses.
    let allowed = kube.kubectl(
        User::Limited,
        &[
            "get",
            "-n",
            &ns,
            "kubeadmcontrolplanes.controlplane.cluster.x-k8s.io",
        ],
    );
    assert!(
        allowed.status.success(),
        "the limited user lists kubeadmcontrolplanes: {}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    let got = kube.kubectl(
        User::Limited,
        &[
            "get",
            "-n",
            &ns,
            "awsmachinetemplates.infrastructure.cluster.x-k8s.io",
            "myfipscluster-md-0",
            "-o",
            "name",
        ],
    );
    assert!(
        got.status.success(),
        "get is granted on awsmachinetemplates: {}",
        String::from_utf8_lossy(&got.stderr)
    );
    // The raw request shows the HTTP status: a 403 Forbidden Status naming verb and resource.
    let path = format!(
        "/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/awsmachinetemplates"
    );
    let listed = kube.kubectl(User::Limited, &["get", "--raw", &path, "-v=6"]);
    assert!(!listed.status.success(), "list must be refused");
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(
        stderr.contains("403 Forbidden"),
        "the API server answers 403: {stderr}"
    );
    assert!(
        stderr.contains(r#"User "fips-limited" cannot list resource "awsmachinetemplates""#),
        "the refusal names the user, verb and resource: {stderr}"
    );
}

#[test]
fn crds_alone_admit_a_patch_that_turns_a_fips_control_plane_non_fips() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply_example(kube, "hole");
    // Cluster API's schema accepts any version string and nothing else guards FIPS status:
    // this is what issue 15 observed and what the admission webhook must refuse.
    let out = kube.kubectl_ok(&[
        "patch",
        "-n",
        &ns,
        "kubeadmcontrolplanes.v1beta1.controlplane.cluster.x-k8s.io",
        "myfipscluster-control-plane",
        "--type=merge",
        "-p",
        r#"{"spec":{"version":"v1.22.8"}}"#,
    ]);
    assert!(out.contains("patched"), "patch output: {out}");
    assert_eq!(kcp_field(kube, &ns, ".spec.version"), "v1.22.8");
}

#[test]
fn cert_manager_certificate_is_a_served_kind() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = kube.namespace("certs");
    let certificate = format!(
        "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: fips-webhook
  namespace: {ns}
spec:
  secretName: fips-webhook-tls
  dnsNames: [fips-webhook.{ns}.svc]
  issuerRef:
    name: selfsigned
    kind: Issuer
"
    );
    let out = kube.kubectl_stdin(
        User::Admin,
        &["apply", "--dry-run=server", "-f", "-"],
        &certificate,
    );
    assert!(
        out.status.success(),
        "a cert-manager Certificate passes server-side dry run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(server dry run)"));
}

#[test]
fn a_second_server_runs_beside_the_shared_one_and_stops_on_drop() {
    let Some(shared) = KubeServer::shared() else {
        return;
    };
    let own = KubeServer::start().expect("the binaries are built, as shared() showed");
    assert_ne!(own.url(), shared.url(), "each server has its own free port");
    let dir = own.dir();
    let env = std::fs::read_to_string(dir.join("env")).expect("env is written by up");
    let pid = env
        .lines()
        .find_map(|l| l.strip_prefix("APISERVER_PID="))
        .expect("env names the API server's pid")
        .to_owned();
    assert!(
        running(&pid),
        "the API server (pid {pid}) runs while its guard lives"
    );
    drop(own);
    assert!(
        !running(&pid),
        "the API server (pid {pid}) is stopped after drop"
    );
    assert!(!dir.join("env").exists(), "down removed the state");
}
