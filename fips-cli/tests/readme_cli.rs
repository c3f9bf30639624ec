//! What a newcomer reads about fipsctl is what fipsctl does: the shell completions and the
//! manual page name every verb `fipsctl --help` lists (and each verb's own verbs), and every
//! `$ fipsctl ...` sample in the README's console blocks prints exactly what the README shows,
//! with the exit status it states (`# exit N`; 0 when it states none).
//!
//! The README's install commands (`make install`, `cargo install --path fips-cli`, the C
//! example) are run verbatim by `scripts/test-readme`.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn fipsctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args(args)
        .current_dir(top())
        .output()
        .expect("fipsctl starts")
}

fn stdout_ok(args: &[&str]) -> String {
    let out = fipsctl(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "fipsctl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The verbs under `fipsctl WORDS...`, as its `--help` lists them under "Commands:".
fn listed_verbs(words: &[&str]) -> Vec<String> {
    let mut args = words.to_vec();
    args.push("--help");
    let help = stdout_ok(&args);
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|verb| *verb != "help")
        .map(str::to_owned)
        .collect()
}

/// Every verb path (`["validate"]`, `["policy", "show"]`, ...), the leaves of `--help`.
fn verb_paths() -> Vec<Vec<String>> {
    let mut leaves = Vec::new();
    let mut pending: Vec<Vec<String>> = listed_verbs(&[]).into_iter().map(|v| vec![v]).collect();
    assert!(
        pending.len() >= 10,
        "fipsctl --help lists too few verbs to be read right: {pending:?}"
    );
    while let Some(path) = pending.pop() {
        let words: Vec<&str> = path.iter().map(String::as_str).collect();
        let inner = listed_verbs(&words);
        if inner.is_empty() {
            leaves.push(path);
        } else {
            pending.extend(inner.into_iter().map(|v| {
                let mut p = path.clone();
                p.push(v);
                p
            }));
        }
    }
    leaves
}

#[test]
fn completions_name_every_verb() {
    let paths = verb_paths();
    assert!(paths.iter().any(|p| p == &["policy", "show"]));
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_ok(&["completions", shell]);
        for path in &paths {
            for verb in path {
                assert!(
                    script
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .any(|word| word == verb),
                    "fipsctl completions {shell} never names {verb} (of fipsctl {})",
                    path.join(" ")
                );
            }
        }
    }
}

#[test]
fn completions_of_an_unknown_shell_are_a_usage_error() {
    let out = fipsctl(&["completions", "cmd.exe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn man_page_has_a_section_for_every_verb() {
    let page = stdout_ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "not roff: {page:.80}"
    );
    assert!(page.contains("\n.TH fipsctl 1 "), "no .TH fipsctl 1 title");
    for path in verb_paths() {
        // roff escapes a hyphen as `\-`.
        let title = format!("fipsctl {}", path.join(" ")).replace('-', "\\-");
        assert!(
            page.contains(&format!("\n.SS \"{title}\"\n")),
            "fipsctl man has no section for {title}"
        );
    }
}

/// A `$ fipsctl ...` line of a README console block: its words, the exit status it states,
/// and the lines shown under it.
#[derive(Debug)]
struct Sample {
    words: Vec<String>,
    exit: i32,
    shown: String,
}

fn console_samples(readme: &str) -> Vec<Sample> {
    let mut samples: Vec<Sample> = Vec::new();
    let mut inside = false;
    for line in readme.lines() {
        if !inside {
            inside = line == "```console";
            continue;
        }
        if line == "```" {
            inside = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            let (command, comment) = command.split_once('#').unwrap_or((command, ""));
            let exit = comment
                .trim()
                .strip_prefix("exit ")
                .map_or(0, |n| n.parse().expect("`# exit N` states a number"));
            let words: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
            assert_eq!(words[0], "fipsctl", "a console sample runs fipsctl: {line}");
            samples.push(Sample {
                words: words[1..].to_vec(),
                exit,
                shown: String::new(),
            });
        } else {
            let sample = samples.last_mut().expect("output follows a `$ ` line");
            sample.shown.push_str(line);
            sample.shown.push('\n');
        }
    }
    samples
}

#[test]
fn readme_console_samples_are_what_fipsctl_prints() {
    let readme = std::fs::read_to_string(top().join("README.md")).expect("README.md");
    let samples = console_samples(&readme);
    assert!(
        samples
            .iter()
            .any(|s| s.words.contains(&"--json".to_owned())),
        "README.md shows no --json sample: {samples:?}"
    );
    for sample in samples {
        let words: Vec<&str> = sample.words.iter().map(String::as_str).collect();
        let out = fipsctl(&words);
        let printed = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            printed, sample.shown,
            "README.md shows other output for fipsctl {words:?} than it prints"
        );
        assert_eq!(
            out.status.code(),
            Some(sample.exit),
            "README.md states another exit status for fipsctl {words:?}"
        );
    }
}
