//! A real OCI registry (CNCF distribution) and `crane`, from `scripts/registry-harness`.

use std::{
    path::PathBuf,
    process::{Command, Output},
};

use super::server::{built_paths, Server};

/// How the registry authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Anonymous pull and push.
    None,
    /// Basic authentication against a bcrypt htpasswd file.
    Htpasswd,
    /// The bearer-token flow, with a token server that checks the same user and password.
    Token,
}

/// A running registry; stopped when dropped.
#[derive(Debug)]
pub struct Registry {
    server: Server,
    docker_config: PathBuf,
}

impl Registry {
    /// Starts a registry, or `None` (skip) when the binaries are not built and CI is not
    /// set. `tls` serves HTTPS with a certificate from a CA made for it ([`Registry::ca_cert`]).
    pub fn start(auth: Auth, tls: bool) -> Option<Registry> {
        built_paths("registry-harness")?;
        let mut args = Vec::new();
        if tls {
            args.push("--tls");
        }
        match auth {
            Auth::None => {}
            Auth::Htpasswd => args.push("--htpasswd"),
            Auth::Token => args.push("--token"),
        }
        let server = Server::up("registry-harness", &args);
        let docker_config = server.dir().join("docker");
        std::fs::create_dir_all(&docker_config).expect("creating the DOCKER_CONFIG folder");
        Some(Registry {
            server,
            docker_config,
        })
    }

    /// `127.0.0.1:PORT`, as image references name it.
    pub fn host(&self) -> &str {
        self.server.get("REGISTRY")
    }

    /// `http://127.0.0.1:PORT` or `https://...`.
    pub fn url(&self) -> &str {
        self.server.get("REGISTRY_URL")
    }

    /// The user and password, when the registry has authentication.
    pub fn credentials(&self) -> Option<(&str, &str)> {
        match self.server.get("REGISTRY_AUTH") {
            "none" => None,
            _ => Some((
                self.server.get("REGISTRY_USER"),
                self.server.get("REGISTRY_PASSWORD"),
            )),
        }
    }

    /// The CA of a TLS registry (PEM).
    pub fn ca_cert(&self) -> Option<PathBuf> {
        Some(self.server.get("REGISTRY_CA"))
            .filter(|ca| !ca.is_empty())
            .map(PathBuf::from)
    }

    /// The `DOCKER_CONFIG` folder that [`Registry::crane_login`] writes (empty until then).
    pub fn docker_config(&self) -> PathBuf {
        self.docker_config.clone()
    }

    /// A `crane` command that trusts this registry's CA, uses its own `DOCKER_CONFIG`, and
    /// speaks plain HTTP to a registry without TLS.
    pub fn crane_command(&self) -> Command {
        let mut cmd = Command::new(self.server.get("CRANE"));
        cmd.env("DOCKER_CONFIG", &self.docker_config);
        match self.ca_cert() {
            Some(ca) => {
                cmd.env("SSL_CERT_FILE", ca);
            }
            None => {
                cmd.arg("--insecure");
            }
        }
        cmd
    }

    /// Runs crane.
    pub fn crane(&self, args: &[&str]) -> Output {
        self.crane_command()
            .args(args)
            .output()
            .expect("crane runs")
    }

    /// `crane auth login` with the registry's credentials (into its own DOCKER_CONFIG).
    pub fn crane_login(&self) {
        let (user, password) = self
            .credentials()
            .expect("crane_login needs a registry with authentication");
        let out = self.crane(&["auth", "login", self.host(), "-u", user, "-p", password]);
        assert!(
            out.status.success(),
            "crane auth login failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
