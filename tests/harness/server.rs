//! One server started by a harness script (`scripts/*-harness up DIR`), stopped on drop.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::atomic::{AtomicUsize, Ordering},
};

/// The repository's top folder (the crate that includes this module is one level below).
pub fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("a workspace crate has a parent folder")
        .to_path_buf()
}

/// True when CI runs the tests: a missing server is then a failure, never a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Says why a server cannot be had: panics under CI, otherwise prints a note and gives
/// `None`, so the caller skips.
pub fn unavailable<T>(reason: &str) -> Option<T> {
    assert!(
        !in_ci(),
        "{reason}; CI=true needs the test servers: run scripts/install-deps (it builds them)"
    );
    eprintln!("skipping: {reason} (run scripts/install-deps to build the test servers)");
    None
}

/// The `KEY=value` lines a harness script prints (`paths`) or writes (`DIR/env`).
pub fn parse_env(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// Runs `scripts/NAME ARGS...`; panics with its output if it cannot be run at all.
pub fn run_script(name: &str, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(top().join("scripts").join(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running scripts/{name}: {e}"))
}

/// The cached paths the script reports (`paths`), or `None` (skip) when one is missing.
pub fn built_paths(script: &str) -> Option<BTreeMap<String, String>> {
    let out = run_script(script, &["paths"]);
    if !out.status.success() {
        return unavailable(&format!(
            "scripts/{script} paths failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let paths = parse_env(&String::from_utf8_lossy(&out.stdout));
    for path in paths.values() {
        if !Path::new(path).exists() {
            return unavailable(&format!("{path} is not built"));
        }
    }
    Some(paths)
}

/// A running server; `down` runs on drop. If the test process dies without dropping it
/// (a shared server in a `static`, a killed binary), the watcher that `up --owner-pid`
/// starts stops the server within a second of the process's exit.
#[derive(Debug)]
pub struct Server {
    script: &'static str,
    dir: PathBuf,
    env: BTreeMap<String, String>,
}

impl Server {
    /// `scripts/SCRIPT up DIR --owner-pid PID ARGS...` in a fresh temporary folder; panics
    /// with the script's output (it includes the tails of the server logs) if it fails.
    pub fn up(script: &'static str, args: &[&str]) -> Server {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fips-{}-{}-{}",
            script.trim_end_matches("-harness"),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let pid = std::process::id().to_string();
        let dir_arg = dir.to_str().expect("temporary folder path is UTF-8");
        let mut full = vec!["up", dir_arg, "--owner-pid", &pid];
        full.extend_from_slice(args);
        let out = run_script(script, &full);
        if !out.status.success() {
            let _ = run_script(script, &["down", dir_arg]);
            panic!(
                "scripts/{script} up failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let env_text = std::fs::read_to_string(dir.join("env"))
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.join("env").display()));
        Server {
            script,
            dir,
            env: parse_env(&env_text),
        }
    }

    /// A value of `DIR/env`; panics naming the key if the script did not write it.
    pub fn get(&self, key: &str) -> &str {
        self.env
            .get(key)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{}/env has no {key}", self.dir.display()))
    }

    /// The server's folder: kubeconfigs, certificates, logs/.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.to_str() {
            let out = run_script(self.script, &["down", dir]);
            if !out.status.success() {
                eprintln!(
                    "scripts/{} down {dir} failed: {}",
                    self.script,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        if std::thread::panicking() {
            eprintln!("server logs kept in {}/logs", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
