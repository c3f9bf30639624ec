//! A real kube-apiserver (etcd, TLS, static tokens, RBAC) with the Cluster API, CAPA and
//! cert-manager CRDs installed, from `scripts/kube-harness`.
//!
//! Users: `fips-admin` (group `system:masters`) through [`KubeServer::kubeconfig`], and
//! `fips-limited` through [`KubeServer::kubeconfig_limited`]: read-only on the Cluster API
//! kinds, with `get` but no `list` on `awsmachinetemplates`.

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Output, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        OnceLock,
    },
};

use super::server::{built_paths, Server};

/// A running API server; stopped when dropped.
#[derive(Debug)]
pub struct KubeServer {
    server: Server,
}

/// Which user a kubectl call runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    /// `fips-admin`, in `system:masters`.
    Admin,
    /// `fips-limited`: read-only, no `list` on `awsmachinetemplates`.
    Limited,
}

impl KubeServer {
    /// Starts a server of its own for the caller, or `None` (skip) when the binaries are not
    /// built and CI is not set. Takes a few seconds: prefer [`KubeServer::shared`].
    pub fn start() -> Option<KubeServer> {
        built_paths("kube-harness")?;
        Some(KubeServer {
            server: Server::up("kube-harness", &[]),
        })
    }

    /// One server for the whole test binary, started on first use; tests keep apart by
    /// working in their own namespace ([`KubeServer::namespace`]). It stops when the test
    /// process exits.
    pub fn shared() -> Option<&'static KubeServer> {
        static SHARED: OnceLock<Option<KubeServer>> = OnceLock::new();
        SHARED.get_or_init(KubeServer::start).as_ref()
    }

    /// The admin kubeconfig file.
    pub fn kubeconfig(&self) -> PathBuf {
        self.server.get("KUBECONFIG_ADMIN").into()
    }

    /// The limited user's kubeconfig file.
    pub fn kubeconfig_limited(&self) -> PathBuf {
        self.server.get("KUBECONFIG_LIMITED").into()
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        self.server.get("APISERVER_URL")
    }

    /// The CA that signed the API server's certificate (PEM).
    pub fn ca_cert(&self) -> PathBuf {
        self.server.get("CA_CERT").into()
    }

    /// The kubectl built with the API server (same version); `kubectl` on PATH may be older.
    pub fn kubectl_path(&self) -> PathBuf {
        self.server.get("KUBECTL").into()
    }

    /// The server's folder (logs/ holds etcd.log and kube-apiserver.log).
    pub fn dir(&self) -> PathBuf {
        self.server.dir().to_path_buf()
    }

    /// A `kubectl` command for `user`, with its kubeconfig and a request time-out set.
    pub fn kubectl_command(&self, user: User) -> Command {
        let kubeconfig = match user {
            User::Admin => self.kubeconfig(),
            User::Limited => self.kubeconfig_limited(),
        };
        let mut cmd = Command::new(self.kubectl_path());
        cmd.arg("--kubeconfig")
            .arg(kubeconfig)
            .arg("--request-timeout=30s");
        cmd
    }

    /// Runs kubectl as `user`.
    pub fn kubectl(&self, user: User, args: &[&str]) -> Output {
        self.kubectl_command(user)
            .args(args)
            .output()
            .expect("kubectl runs")
    }

    /// Runs kubectl as `user` with `stdin` as its input (for `apply -f -`).
    pub fn kubectl_stdin(&self, user: User, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .kubectl_command(user)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kubectl runs");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(stdin.as_bytes())
            .expect("writing kubectl's stdin");
        child.wait_with_output().expect("kubectl finishes")
    }

    /// Runs kubectl as admin and returns its stdout; panics with stderr if it fails.
    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let out = self.kubectl(User::Admin, args);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("kubectl prints UTF-8")
    }

    /// Creates a namespace named after `prefix` that no other test in this process uses.
    pub fn namespace(&self, prefix: &str) -> String {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!("{prefix}-{}", COUNTER.fetch_add(1, Ordering::Relaxed));
        self.kubectl_ok(&["create", "namespace", &name]);
        name
    }
}
