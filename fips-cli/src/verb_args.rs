//! fipsctl's own options (`--json`, `--policy`, `--request`) among the words of `validate`
//! and `images`, whose words are otherwise a request's flags or a pasted command.
//!
//! Before the verb's `--`, the three are fipsctl's wherever they stand
//! (`fipsctl validate $FLAGS --policy strict.toml` uses strict.toml), never a request flag
//! swallowed in silence. After it, every word is the pasted command's, read as pflag reads it.

use std::{ffi::OsString, path::PathBuf};

use crate::Command;

/// fipsctl's options found among a verb's words.
#[derive(Debug, Default)]
pub(crate) struct OwnOptions {
    pub(crate) json: bool,
    policy: Option<PathBuf>,
}

impl OwnOptions {
    /// The policy file: given once, before the verb or among its words.
    pub(crate) fn merge_policy(&self, global: Option<PathBuf>) -> Result<Option<PathBuf>, String> {
        match (global, &self.policy) {
            (Some(a), Some(b)) if a != *b => Err(format!(
                "--policy given twice ({} and {}); give it once",
                a.display(),
                b.display()
            )),
            (Some(a), _) => Ok(Some(a)),
            (None, b) => Ok(b.clone()),
        }
    }
}

/// True when `--json` stands among fipsctl's options (before any `--`): a usage error is
/// then answered in JSON too.
pub(crate) fn asks_for_json(argv: &[OsString]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|w| *w != "--")
        .any(|w| w == "--json")
}

/// True when the verb's words began with `--`, which clap consumes: `args` (clap's words of
/// the verb) are then a whole pasted command.
fn pasted(argv: &[OsString], verb: &str, args: &[String]) -> bool {
    // Only fipsctl's global options stand between the program and the verb.
    let mut at = 1;
    while let Some(word) = argv.get(at) {
        if word == verb {
            break;
        }
        at += if word == "--policy" { 2 } else { 1 };
    }
    let tail = argv.get(at + 1..).unwrap_or_default();
    let before_args = &tail[..tail.len().saturating_sub(args.len())];
    before_args.iter().any(|w| w == "--")
}

/// Takes fipsctl's options out of the words of `validate` and `images`, and leaves the
/// request's words: the flags before the verb's `--`, or the pasted command after it.
pub(crate) fn take_own_options(
    command: Command,
    argv: &[OsString],
) -> Result<(Command, OwnOptions), String> {
    let mut own = OwnOptions::default();
    let command = match command {
        Command::Validate { request, args } if pasted(argv, "validate", &args) => {
            if let Some(file) = &request {
                return Err(format!(
                    "give a request as --request {} or as a pasted command, not both",
                    file.display()
                ));
            }
            Command::Validate { request, args }
        }
        Command::Images {
            args,
            scan,
            registry,
        } if pasted(argv, "images", &args) => Command::Images {
            args,
            scan,
            registry,
        },
        Command::Validate { request, args } => {
            let mut file = None;
            let args = split(args, &mut own, Some(&mut file))?;
            let request = match (request, file) {
                (Some(a), Some(b)) if a != b => {
                    return Err(format!(
                        "--request given twice ({} and {}); give it once",
                        a.display(),
                        b.display()
                    ))
                }
                (a, b) => a.or(b),
            };
            if request.is_some() && !args.is_empty() {
                return Err(format!(
                    "give a request as --request FILE.json or as flags, not both (found {:?})",
                    args[0]
                ));
            }
            Command::Validate { request, args }
        }
        Command::Images {
            args,
            scan,
            registry,
        } => Command::Images {
            args: split(args, &mut own, None)?,
            scan,
            registry,
        },
        other => other,
    };
    Ok((command, own))
}

/// The words before the first `--`, less fipsctl's options; or the words after it, when
/// nothing but fipsctl's options stands before it.
fn split(
    words: Vec<String>,
    own: &mut OwnOptions,
    mut request: Option<&mut Option<PathBuf>>,
) -> Result<Vec<String>, String> {
    let mut flags = Vec::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        if word == "--" {
            if let Some(first) = flags.first() {
                return Err(format!(
                    "give the request's flags, or `--` and a whole pasted command, not both \
                     ({first:?} stands before `--`)"
                ));
            }
            return Ok(words.collect());
        }
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (word.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| words.next())
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value, e.g. {name}=FILE"))
        };
        match name {
            "--json" if inline.is_none() => own.json = true,
            "--policy" => {
                let path = value(name)?;
                if own.policy.as_ref().is_some_and(|p| *p != path) {
                    return Err("--policy given twice; give it once".into());
                }
                own.policy = Some(path);
            }
            "--request" => match request.as_deref_mut() {
                Some(slot) => {
                    let path = value(name)?;
                    if slot.as_ref().is_some_and(|p| *p != path) {
                        return Err("--request given twice; give it once".into());
                    }
                    *slot = Some(path);
                }
                None => {
                    return Err("fipsctl images takes the request's flags, not --request".into())
                }
            },
            _ => flags.push(word),
        }
    }
    Ok(flags)
}

impl Command {
    /// Whether the verb judges against a policy (and so takes `--policy`).
    pub(crate) fn uses_policy(&self) -> bool {
        match self {
            Command::Validate { .. }
            | Command::Transition { .. }
            | Command::Host { .. }
            | Command::Scan { .. }
            | Command::Images { .. }
            | Command::Version { .. }
            | Command::Audit { .. } => true,
            Command::Policy { action } => matches!(action, crate::PolicyAction::Show),
            Command::Tag { .. }
            | Command::Image { .. }
            | Command::OsRelease { .. }
            | Command::Selftest
            | Command::Codes
            | Command::Completions { .. }
            | Command::Man => false,
        }
    }

    /// The verb as typed.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Validate { .. } => "validate",
            Command::Images { .. } => "images",
            Command::Version { .. } => "version",
            Command::Tag { .. } => "tag",
            Command::Image { .. } => "image",
            Command::Transition { .. } => "transition",
            Command::Host { .. } => "host",
            Command::Policy { action } => match action {
                crate::PolicyAction::Show => "policy show",
                crate::PolicyAction::Check { .. } => "policy check",
            },
            Command::Scan { .. } => "scan",
            Command::OsRelease { .. } => "os-release",
            Command::Selftest => "selftest",
            Command::Codes => "codes",
            Command::Audit { .. } => "audit",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
        }
    }
}
