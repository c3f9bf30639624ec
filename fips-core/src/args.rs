//! Reading a create-cluster command line exactly as pflag (and so cobra, `dkp`, `kubectl`)
//! reads it, and refusing to guess where fipsctl cannot know how it would be read.
//!
//! The rules are those of `FlagSet.parseArgs`, `parseLongArg` and `parseSingleShortArg` in
//! github.com/spf13/pflag `flag.go` (commit 5fdac2d16c16d60605cb8baa887e8c5c38ef623f):
//!
//! - `--` ends the flags: every word after it is positional, whatever it looks like.
//! - `-` alone and the empty word are positional.
//! - `--name=value` gives the value inline; `---x` and `--=x` are invalid syntax.
//! - A flag that is not boolean takes the next word as its value *whatever it is*
//!   (`--cluster-name --kubernetes-version=1.22.8` names the cluster
//!   `--kubernetes-version=1.22.8` and sets no version); a boolean flag never takes one.
//! - `-abc` is a run of shorthands; a shorthand that takes a value takes the rest of the
//!   word (`-fvalue`, `-f=value`) or, when it ends the word, the next word.
//! - The last value of a flag wins (here: a judged flag given twice with two values is refused).
//!
//! fipsctl knows the type of the flags it judges (all take a value) and of a few booleans;
//! the type of any other flag is the provisioner's business. Where that type decides whether
//! the next word is a value or is read on its own, both readings are followed; when they end
//! in different judged values or provider, the request is ambiguous and refused, naming the
//! flag and the word. Shorthands are assumed not to stand for a judged flag.

use crate::request::{check_ami, JUDGED_FLAGS};
use crate::{ClusterRequest, FipsVersion, ImageRepository, OtherFlag, RequestError};

/// Parses a create-cluster command line (see the module documentation).
pub(crate) fn parse(words: &[&str]) -> Result<ClusterRequest, RequestError> {
    let mut live: Vec<Reading<'_>> = vec![Reading::default()];
    // Step the reading that is furthest behind, so that readings meet at the same word.
    while let Some(next) = live
        .iter()
        .enumerate()
        .filter(|(_, r)| r.at < words.len())
        .min_by_key(|(_, r)| r.at)
        .map(|(i, _)| i)
    {
        let reading = live.swap_remove(next);
        let fork = reading.fork;
        match reading.step(words) {
            Ok(stepped) => {
                for r in stepped {
                    merge(&mut live, r, words)?;
                }
            }
            Err(error) if live.is_empty() => return Err(error),
            // Another reading is still alive: this one fails where that one may not.
            Err(_) => {
                let fork = live.iter().filter_map(|r| r.fork).chain(fork).max();
                return Err(ambiguous(words, fork));
            }
        }
    }
    // Merges keep the primary reading, so it is always here; were it not, refusing the
    // command line is the fail-closed answer, never a guess nor a panic.
    match live.into_iter().find(|r| r.primary) {
        Some(primary) => primary.finish(),
        None => Err(ambiguous(words, None)),
    }
}

/// Adds a reading to the live ones, merging it with one at the same word when both have read
/// the same judged values so far; when they have not, the command line is ambiguous.
fn merge<'a>(
    live: &mut Vec<Reading<'a>>,
    reading: Reading<'a>,
    words: &[&str],
) -> Result<(), RequestError> {
    let Some(same) = live.iter_mut().find(|r| r.at == reading.at) else {
        live.push(reading);
        return Ok(());
    };
    if same.judged_key() != reading.judged_key() {
        return Err(ambiguous(words, same.fork.max(reading.fork)));
    }
    if reading.primary {
        *same = reading;
    }
    Ok(())
}

/// The command line read two ways from the flag at `fork`. Readings only differ after a
/// fork, so `fork` names one with a word after it; without one, the whole command line is
/// named rather than a panic.
fn ambiguous(words: &[&str], fork: Option<usize>) -> RequestError {
    let pair = fork.and_then(|at| Some((*words.get(at)?, *words.get(at + 1)?)));
    let (flag, next) = pair.unwrap_or(("a flag of unknown type", "the word after it"));
    RequestError::Ambiguous {
        flag: flag.to_owned(),
        next: next.to_owned(),
    }
}

/// Where the words so far leave the provider (the word after `cluster`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProviderState<'a> {
    /// No positional `cluster` yet.
    Before,
    /// `cluster` was the last positional word.
    AfterCluster,
    /// The provider word.
    Word(&'a str),
}

/// One way of reading the words: pflag's, with one choice of type for each unknown flag.
#[derive(Clone, Debug)]
struct Reading<'a> {
    /// The next word to read.
    at: usize,
    /// Judged flags in order (key with `--ami-base-os` read as `--os`, flag as typed, value).
    judged: Vec<(&'static str, &'static str, &'a str)>,
    other_flags: Vec<OtherFlag>,
    positional: Vec<&'a str>,
    /// The reading whose guesses are the likely ones (its other flags are reported).
    primary: bool,
    /// The word index of the last flag whose type this reading chose.
    fork: Option<usize>,
}

impl Default for Reading<'_> {
    fn default() -> Self {
        Reading {
            at: 0,
            judged: Vec::new(),
            other_flags: Vec::new(),
            positional: Vec::new(),
            primary: true,
            fork: None,
        }
    }
}

impl<'a> Reading<'a> {
    /// What the verdict depends on: judged values and the provider.
    fn judged_key(&self) -> (Vec<(&'static str, &'a str)>, ProviderState<'a>) {
        let mut values: Vec<(&'static str, &'a str)> =
            self.judged.iter().map(|(k, _, v)| (*k, *v)).collect();
        values.sort_unstable();
        (values, self.provider_state())
    }

    fn provider_state(&self) -> ProviderState<'a> {
        match self.positional.iter().position(|w| *w == "cluster") {
            None => ProviderState::Before,
            Some(at) => match self.positional.get(at + 1) {
                None => ProviderState::AfterCluster,
                Some(word) => ProviderState::Word(word),
            },
        }
    }

    /// Reads the word at `at` (and its value); two readings when the word is a flag of
    /// unknown type with a word after it.
    fn step(mut self, words: &[&'a str]) -> Result<Vec<Reading<'a>>, RequestError> {
        let word = words[self.at];
        self.at += 1;
        if word.len() < 2 || !word.starts_with('-') {
            self.positional.push(word);
            return Ok(vec![self]);
        }
        if word == "--" {
            self.positional.extend(&words[self.at..]);
            self.at = words.len();
            return Ok(vec![self]);
        }
        if let Some(name) = word.strip_prefix("--") {
            if name.starts_with(['-', '=']) {
                return Err(RequestError::BadFlagSyntax {
                    word: word.to_owned(),
                });
            }
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) => (flag, Some(value)),
                None => (word, None),
            };
            if let Some(&judged) = JUDGED_FLAGS.iter().find(|f| **f == flag) {
                let value = match inline {
                    Some(value) => value,
                    None => {
                        let Some(&value) = words.get(self.at) else {
                            return Err(RequestError::MissingValue {
                                flag: judged.into(),
                            });
                        };
                        self.at += 1;
                        value
                    }
                };
                self.judge(judged, value)?;
                return Ok(vec![self]);
            }
            if inline.is_some() || is_boolean_flag(flag) {
                self.other_flags.push(OtherFlag {
                    flag: flag.to_owned(),
                    value: inline.map(str::to_owned),
                });
                return Ok(vec![self]);
            }
            return Ok(self.fork(word, words));
        }
        // Shorthands. `-f=value` (with a value: pflag reads `-f=` as two shorthands) never
        // takes the next word; any other run may, when its last shorthand takes a value and
        // the ones before are boolean.
        if word.len() > 3 && word.as_bytes()[2] == b'=' {
            self.other_flags.push(OtherFlag {
                flag: word[..2].to_owned(),
                value: Some(word[3..].to_owned()),
            });
            return Ok(vec![self]);
        }
        if is_boolean_flag(word) {
            self.other_flags.push(OtherFlag {
                flag: word.to_owned(),
                value: None,
            });
            return Ok(vec![self]);
        }
        Ok(self.fork(word, words))
    }

    /// A flag of unknown type without an inline value: it takes the next word, or it does not.
    fn fork(mut self, flag: &str, words: &[&'a str]) -> Vec<Reading<'a>> {
        let flag_at = self.at - 1;
        let Some(&next) = words.get(self.at) else {
            // Last word: a flag that needs a value fails in the provisioner, no cluster is made.
            self.other_flags.push(OtherFlag {
                flag: flag.to_owned(),
                value: None,
            });
            return vec![self];
        };
        let mut valued = self.clone();
        valued.at += 1;
        valued.fork = Some(flag_at);
        valued.other_flags.push(OtherFlag {
            flag: flag.to_owned(),
            value: Some(next.to_owned()),
        });
        let mut boolean = self;
        boolean.fork = Some(flag_at);
        boolean.other_flags.push(OtherFlag {
            flag: flag.to_owned(),
            value: None,
        });
        // The likely reading: a word that looks like a flag is one.
        let next_is_flag = next.len() > 1 && next.starts_with('-');
        valued.primary &= !next_is_flag;
        boolean.primary &= next_is_flag;
        vec![valued, boolean]
    }

    /// Records a judged flag: empty values and a second, different value are refused.
    fn judge(&mut self, flag: &'static str, value: &'a str) -> Result<(), RequestError> {
        if value.is_empty() {
            return Err(RequestError::MissingValue { flag: flag.into() });
        }
        // `--os` and `--ami-base-os` say the same thing.
        let key = if flag == "--ami-base-os" {
            "--os"
        } else {
            flag
        };
        if let Some((_, _, first)) = self.judged.iter().find(|(k, _, _)| *k == key) {
            if *first != value {
                return Err(RequestError::DuplicateFlag {
                    flag: flag.into(),
                    first: (*first).to_owned(),
                    second: value.to_owned(),
                });
            }
            return Ok(());
        }
        self.judged.push((key, flag, value));
        Ok(())
    }

    /// The request this reading asks for.
    fn finish(self) -> Result<ClusterRequest, RequestError> {
        let mut request = ClusterRequest {
            other_flags: self.other_flags,
            ..ClusterRequest::default()
        };
        for (_, flag, value) in &self.judged {
            set(&mut request, flag, value)?;
        }
        // `... create cluster <provider>`: the words up to the provider are the command
        // itself, any after it are kept.
        let mut positional = self.positional;
        let provider_at = positional
            .iter()
            .position(|w| *w == "cluster")
            .map(|i| i + 1)
            .filter(|&i| i < positional.len());
        if let Some(at) = provider_at {
            let word = positional[at];
            match &request.provider {
                Some(flag) if flag != word => {
                    return Err(RequestError::DuplicateFlag {
                        flag: "--provider".into(),
                        first: flag.clone(),
                        second: word.to_owned(),
                    })
                }
                _ => request.provider = Some(word.to_owned()),
            }
        }
        let command_end = provider_at.map_or(0, |at| at + 1);
        request.other_args = positional
            .split_off(command_end)
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(request)
    }
}

/// Sets the field of a judged flag from its value.
fn set(request: &mut ClusterRequest, flag: &str, value: &str) -> Result<(), RequestError> {
    let invalid = |reason: String| RequestError::InvalidValue {
        field: flag.to_owned(),
        reason,
    };
    match flag {
        "--cluster-name" => request.cluster_name = Some(value.to_owned()),
        "--provider" => request.provider = Some(value.to_owned()),
        "--kubernetes-version" => {
            request.kubernetes_version =
                Some(FipsVersion::parse(value).map_err(|e| invalid(e.to_string()))?)
        }
        "--etcd-version" => {
            request.etcd_version =
                Some(FipsVersion::parse(value).map_err(|e| invalid(e.to_string()))?)
        }
        "--kubernetes-image-repository" => {
            request.kubernetes_image_repository =
                Some(ImageRepository::parse(value).map_err(|e| invalid(e.to_string()))?)
        }
        "--etcd-image-repository" => {
            request.etcd_image_repository =
                Some(ImageRepository::parse(value).map_err(|e| invalid(e.to_string()))?)
        }
        "--ami" => {
            check_ami(flag, value)?;
            request.ami = Some(value.to_owned());
        }
        "--os" | "--ami-base-os" => {
            request.os = Some(value.parse().map_err(|e: RequestError| match e {
                RequestError::InvalidValue { reason, .. } => invalid(reason),
                other => other,
            })?)
        }
        _ => unreachable!("every judged flag is handled above"),
    }
    Ok(())
}

/// pflag boolean flags of `dkp create cluster` that never take a separate value.
fn is_boolean_flag(flag: &str) -> bool {
    matches!(
        flag,
        "--dry-run" | "--self-managed" | "--with-aws-bootstrap-credentials" | "--help" | "-h"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ambiguity_without_its_fork_is_still_a_refusal_not_a_panic() {
        let words = ["dkp", "--flag"];
        for fork in [None, Some(1), Some(7)] {
            let err = ambiguous(&words, fork);
            assert!(
                matches!(err, RequestError::Ambiguous { .. }),
                "{fork:?}: {err}"
            );
        }
    }

    use super::*;

    fn read(words: &[&str]) -> Result<ClusterRequest, RequestError> {
        parse(words)
    }

    #[test]
    fn flags_after_the_terminator_are_positional() {
        let r = read(&["--etcd-version=3.4.13", "--", "--kubernetes-version=1.22.8"]).unwrap();
        assert_eq!(r.kubernetes_version, None);
        assert_eq!(r.other_args, ["--kubernetes-version=1.22.8"]);
    }

    #[test]
    fn a_judged_flag_takes_the_next_word_whatever_it_is() {
        let r = read(&["--cluster-name", "--kubernetes-version=1.22.8+fips.0"]).unwrap();
        assert_eq!(
            r.cluster_name.as_deref(),
            Some("--kubernetes-version=1.22.8+fips.0")
        );
        assert_eq!(r.kubernetes_version, None);
    }

    #[test]
    fn unknown_flag_before_a_judged_flag_is_ambiguous() {
        let err = read(&["--region", "--kubernetes-version=1.22.8+fips.0"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ambiguous command line: fipsctl does not know whether --region takes a value; if \
             it does, pflag gives it \"--kubernetes-version=1.22.8+fips.0\" as its value, if not, \
             \"--kubernetes-version=1.22.8+fips.0\" is read on its own, and the two readings \
             differ; write --region=<value>, or put --region after the flags fipsctl judges"
        );
    }

    #[test]
    fn unknown_flag_before_cluster_is_ambiguous() {
        let err = read(&["dkp", "create", "--verbose", "cluster", "aws"]).unwrap_err();
        assert!(matches!(err, RequestError::Ambiguous { ref flag, ref next }
            if flag == "--verbose" && next == "cluster"));
    }

    #[test]
    fn unknown_flag_before_a_harmless_word_is_read_the_likely_way() {
        let r = read(&[
            "dkp",
            "create",
            "cluster",
            "aws",
            "--region",
            "us-west-2",
            "--verbose",
            "--dry-run",
            "-v",
            "3",
        ])
        .unwrap();
        let flags: Vec<(&str, Option<&str>)> = r
            .other_flags
            .iter()
            .map(|f| (f.flag.as_str(), f.value.as_deref()))
            .collect();
        assert_eq!(
            flags,
            [
                ("--region", Some("us-west-2")),
                ("--verbose", None),
                ("--dry-run", None),
                ("-v", Some("3"))
            ]
        );
        assert_eq!(r.provider.as_deref(), Some("aws"));
    }

    #[test]
    fn unknown_shorthand_before_a_judged_flag_is_ambiguous() {
        let err = read(&["-v", "--etcd-version=3.4.13"]).unwrap_err();
        assert!(matches!(err, RequestError::Ambiguous { .. }), "{err}");
        // With its value inline, the shorthand cannot take the next word.
        let r = read(&["-v=3", "--etcd-version=3.4.13"]).unwrap();
        assert!(r.etcd_version.is_some());
    }

    #[test]
    fn unknown_flag_before_the_terminator_is_ambiguous() {
        let err = read(&["--region", "--", "--kubernetes-version=1.22.8"]).unwrap_err();
        assert!(matches!(err, RequestError::Ambiguous { .. }), "{err}");
    }

    #[test]
    fn bad_flag_syntax_is_refused() {
        for word in ["---kubernetes-version=1.22.8", "--=x"] {
            let err = read(&[word]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("bad flag syntax: {word} (pflag refuses it)")
            );
        }
    }

    #[test]
    fn dash_alone_is_positional() {
        let r = read(&["dkp", "create", "cluster", "-"]).unwrap();
        assert_eq!(r.provider.as_deref(), Some("-"));
    }
}
