//! Credentials as `crane` and `docker` find them: `$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`. For a registry, in docker's order: the credential helper that
//! `credHelpers` names for it, else the `credsStore` helper, else the `auths` entry (a base64
//! `auth` of `user:password`, or `username` and `password`).
//!
//! A helper is the program `docker-credential-NAME` on `PATH`, spoken to as
//! docker-credential-helpers defines it: `get`, the server URL on stdin, a JSON object
//! `{"ServerURL", "Username", "Secret"}` on stdout. ECR (`ecr-login`), GCR (`gcloud`) and
//! Docker Desktop (`desktop`) hand out credentials only this way. A helper that fails, hangs
//! past [`HELPER_TIMEOUT`] or answers nonsense is an error naming it: never a silent
//! anonymous pull that would end in a confusing 401.

use std::{
    collections::BTreeMap,
    ffi::OsStr,
    io::{Read, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde::Deserialize;

/// Docker Hub's key in `auths`, as `docker login` writes it.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";
/// A config file larger than this is not a Docker config.
const MAX_CONFIG: u64 = 1 << 20;
/// A credential helper that has not answered after this long is stopped.
pub(crate) const HELPER_TIMEOUT: Duration = Duration::from_secs(30);
/// A credential helper's answer larger than this is not credentials.
const MAX_HELPER_ANSWER: u64 = 64 << 10;
/// What docker-credential-helpers print when they hold nothing for the server.
const HELPER_NOT_FOUND: &str = "credentials not found in native keychain";

/// A user and password for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password or token.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default)]
    creds_store: Option<String>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
}

/// A helper's answer to `get`.
#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// The Docker config file that applies: `$DOCKER_CONFIG/config.json`, else
/// `~/.docker/config.json`; `None` when neither variable gives a place.
pub fn docker_config_path() -> Option<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG") {
        Some(dir) if !dir.is_empty() => Some(Path::new(&dir).join("config.json")),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(&h).join(".docker/config.json")),
    }
}

impl Credentials {
    /// The credentials `config` holds for `registry` (`host[:port]`, `docker.io` for Docker
    /// Hub); `Ok(None)` when the file does not exist or has no entry for it. A file that
    /// exists but cannot be read or parsed is an error naming it.
    pub fn for_registry(config: &Path, registry: &str) -> Result<Option<Credentials>, String> {
        Self::for_registry_with(
            config,
            registry,
            std::env::var_os("PATH").as_deref(),
            HELPER_TIMEOUT,
        )
    }

    /// [`Credentials::for_registry`], finding credential helpers in `search_path` (the
    /// `PATH` of the process, in the public function) and stopping one after `timeout`.
    fn for_registry_with(
        config: &Path,
        registry: &str,
        search_path: Option<&OsStr>,
        timeout: Duration,
    ) -> Result<Option<Credentials>, String> {
        let text = match std::fs::metadata(config) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", config.display())),
            Ok(m) if m.len() > MAX_CONFIG => {
                return Err(format!(
                    "{}: larger than {MAX_CONFIG} bytes; not a Docker config",
                    config.display()
                ))
            }
            Ok(_) => std::fs::read(config).map_err(|e| format!("{}: {e}", config.display()))?,
        };
        let parsed: DockerConfig = serde_json::from_slice(&text)
            .map_err(|e| format!("{}: not a Docker config.json: {e}", config.display()))?;
        let wanted = |key: &str| {
            let host = key
                .trim_start_matches("https://")
                .trim_start_matches("http://");
            let host = host.split('/').next().unwrap_or(host);
            host == registry
                || (registry == fips_core::DOCKER_HUB
                    && (key == DOCKER_HUB_KEY || host == "index.docker.io"))
        };
        let helper = parsed
            .cred_helpers
            .iter()
            .find(|(k, _)| wanted(k))
            .map(|(k, name)| (format!("credHelpers[{k:?}]"), name))
            .or_else(|| {
                parsed
                    .creds_store
                    .as_ref()
                    .filter(|name| !name.is_empty())
                    .map(|name| ("credsStore".to_owned(), name))
            });
        if let Some((field, name)) = helper {
            let server = if registry == fips_core::DOCKER_HUB {
                DOCKER_HUB_KEY
            } else {
                registry
            };
            return ask_helper(name, server, search_path, timeout)
                .map_err(|why| format!("{}: {field}: {why}", config.display()));
        }
        let Some((key, entry)) = parsed.auths.iter().find(|(k, _)| wanted(k)) else {
            return Ok(None);
        };
        let bad = |why: &str| format!("{}: auths[{key:?}]: {why}", config.display());
        if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
            let decoded = base64_decode(auth.trim())
                .ok_or_else(|| bad("`auth` is not base64 (of user:password)"))?;
            let decoded =
                String::from_utf8(decoded).map_err(|_| bad("`auth` is not UTF-8 user:password"))?;
            let (user, password) = decoded
                .split_once(':')
                .ok_or_else(|| bad("`auth` decodes to no user:password"))?;
            return Ok(Some(Credentials {
                user: user.to_owned(),
                password: password.to_owned(),
            }));
        }
        match (&entry.username, &entry.password) {
            (Some(user), Some(password)) => Ok(Some(Credentials {
                user: user.clone(),
                password: password.clone(),
            })),
            _ => Ok(None),
        }
    }
}

/// Runs `docker-credential-NAME get` for `server`, found in `search_path`, and reads its
/// answer; `Ok(None)` when the helper holds nothing for the server.
fn ask_helper(
    name: &str,
    server: &str,
    search_path: Option<&OsStr>,
    timeout: Duration,
) -> Result<Option<Credentials>, String> {
    let program = format!("docker-credential-{name}");
    if name.is_empty() || name.contains(['/', '\\']) {
        return Err(format!(
            "{name:?} is not a credential helper name (docker runs docker-credential-NAME)"
        ));
    }
    let found = search_path
        .into_iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(&program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            format!(
                "the credential helper {program} is not on PATH: install it, or remove the entry \
                 to use the `auths` credentials"
            )
        })?;
    let mut child = Command::new(&found)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: cannot run it: {e}", found.display()))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is judged by its answer below.
        let _ = stdin.write_all(server.as_bytes());
    }
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(MAX_HELPER_ANSWER).read_to_end(&mut text);
            }
            text
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} get did not answer within {} s; it was stopped",
                    timeout.as_secs()
                ));
            }
            Err(e) => return Err(format!("{program}: {e}")),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let said = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
    if !status.success() {
        let message = [said(&stdout), said(&stderr)].join(" ");
        if message.contains(HELPER_NOT_FOUND) {
            return Ok(None);
        }
        return Err(format!(
            "{program} get failed ({status}): {}",
            message.trim()
        ));
    }
    let answer: HelperAnswer = serde_json::from_slice(&stdout).map_err(|e| {
        format!("{program} get answered no credentials JSON ({e}); expected {{\"Username\", \"Secret\"}}")
    })?;
    if answer.username == "<token>" {
        return Err(format!(
            "{program} gave an identity token (user <token>), which this client does not \
             exchange; give the registry a user and password or token in `auths`"
        ));
    }
    Ok(Some(Credentials {
        user: answer.username,
        password: answer.secret,
    }))
}

/// Standard base64 (RFC 4648 section 4), padding optional, as Docker writes `auth`.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=');
    if body.len() % 4 == 1 || text.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 section 10 test vectors.
    #[test]
    fn base64_decodes_the_rfc_4648_vectors() {
        for (enc, dec) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(base64_decode(enc).as_deref(), Some(dec.as_bytes()), "{enc}");
        }
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Z"), None);
    }

    #[test]
    fn credentials_come_from_the_auths_entry_of_the_registry() {
        let dir = std::env::temp_dir().join(format!("fips-registry-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.json");
        // "user:pa:ss" in base64: the password may hold a colon.
        std::fs::write(
            &config,
            r#"{"auths":{"127.0.0.1:5000":{"auth":"dXNlcjpwYTpzcw=="},
                "https://index.docker.io/v1/":{"username":"hub","password":"pw"}}}"#,
        )
        .unwrap();
        let c = Credentials::for_registry(&config, "127.0.0.1:5000")
            .unwrap()
            .unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("user", "pa:ss"));
        let hub = Credentials::for_registry(&config, "docker.io")
            .unwrap()
            .unwrap();
        assert_eq!(hub.user, "hub");
        assert_eq!(Credentials::for_registry(&config, "other:1").unwrap(), None);
        assert_eq!(
            Credentials::for_registry(&dir.join("absent.json"), "x").unwrap(),
            None
        );
        std::fs::write(&config, "not json").unwrap();
        assert!(Credentials::for_registry(&config, "x")
            .unwrap_err()
            .contains("config.json"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Writes an executable `docker-credential-NAME` shell script into `dir`.
    fn helper(dir: &Path, name: &str, body: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(format!("docker-credential-{name}"));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn credential_helpers_are_asked_in_dockers_order() {
        let dir =
            std::env::temp_dir().join(format!("fips-registry-helpers-{}", std::process::id()));
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        // The helper checks what it was asked for, as docker-credential-helpers' `get` reads
        // the server URL from stdin.
        helper(
            &bin,
            "good",
            r#"read server; [ "$server" = "127.0.0.1:5000" ] || { echo "asked for $server" >&2; exit 1; }
printf '{"ServerURL":"%s","Username":"robot","Secret":"s3cret"}' "$server""#,
        );
        helper(
            &bin,
            "hub",
            r#"read server; printf '{"Username":"hub","Secret":"%s"}' "$server""#,
        );
        helper(
            &bin,
            "empty",
            "echo 'credentials not found in native keychain'; exit 1",
        );
        helper(&bin, "broken", "echo boom >&2; exit 3");
        helper(&bin, "garbage", "echo not json");
        helper(
            &bin,
            "identity",
            r#"printf '{"Username":"<token>","Secret":"refresh"}'"#,
        );
        helper(&bin, "slow", "sleep 30");
        let config = dir.join("config.json");
        std::fs::write(
            &config,
            r#"{"auths":{"127.0.0.1:5000":{"auth":"dXNlcjpwYXNz"}, "other:1":{"auth":"dXNlcjpwYXNz"}},
                "credHelpers":{"127.0.0.1:5000":"good","empty:1":"empty","broken:1":"broken",
                  "garbage:1":"garbage","identity:1":"identity","slow:1":"slow",
                  "absent:1":"absent","bad:1":"../x"},
                "credsStore":"hub"}"#,
        )
        .unwrap();
        let path = bin.clone().into_os_string();
        let get = |registry: &str| {
            Credentials::for_registry_with(&config, registry, Some(&path), Duration::from_secs(2))
        };
        // credHelpers first, even where `auths` has an entry.
        let c = get("127.0.0.1:5000").unwrap().unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("robot", "s3cret"));
        // credsStore for every other registry, `auths` then unused; Docker Hub by its key.
        assert_eq!(get("other:1").unwrap().unwrap().user, "hub");
        assert_eq!(
            get("docker.io").unwrap().unwrap().password,
            "https://index.docker.io/v1/"
        );
        assert_eq!(get("empty:1").unwrap(), None);
        for (registry, said) in [
            ("broken:1", "boom"),
            ("garbage:1", "no credentials JSON"),
            ("identity:1", "identity token"),
            ("slow:1", "did not answer within 2 s"),
            ("absent:1", "docker-credential-absent is not on PATH"),
            ("bad:1", "not a credential helper name"),
        ] {
            let err = get(registry).unwrap_err();
            assert!(err.contains(said), "{registry}: {err}");
            assert!(
                err.contains("credHelpers"),
                "{registry}: the field is named: {err}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
