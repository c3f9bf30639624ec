//! Credentials as `crane` and `docker` find them: `$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`; the `auths` entry for the registry, with a base64 `auth`
//! (`user:password`) or `username` and `password`.
//!
//! Credential helpers (`credsStore`, `credHelpers`) run other programs; they are not read,
//! and a registry that needs one gets a 401 that says how to log in.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde::Deserialize;

/// Docker Hub's key in `auths`, as `docker login` writes it.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";
/// A config file larger than this is not a Docker config.
const MAX_CONFIG: u64 = 1 << 20;

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
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
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
}
