//! The request as a command line again, with each finding's fix applied: what to paste.

use crate::{
    request::{judged_flag_named, JUDGED_FLAGS},
    ClusterRequest, Code, Report,
};

/// The create-cluster command line the request asks for, with every fix a finding names as
/// `--flag=value` applied (a misspelt flag is dropped for the judged one its finding sets).
/// A fix whose value only the user knows stays as its placeholder (`--ami=<id of an AMI
/// built for FIPS mode>`): see [`has_placeholder`].
///
/// ```
/// use fips_core::{corrected_command, validate, ClusterRequest, Policy};
/// let request = ClusterRequest::from_args([
///     "dkp", "create", "cluster", "aws", "--ami=ami-03dcaa75d45aca36f",
///     "--kubernetes-version=1.22.8", "--region", "us-west-2",
/// ])?;
/// let report = validate(&request, Policy::embedded())?;
/// let fixed = corrected_command(&request, &report);
/// assert_eq!(fixed, "dkp create cluster aws --kubernetes-version=1.22.8+fips.0 \
///     --kubernetes-image-repository=docker.io/mesosphere --etcd-version=3.4.13+fips.0 \
///     --etcd-image-repository=docker.io/mesosphere --ami=ami-03dcaa75d45aca36f \
///     --region=us-west-2");
/// let again = ClusterRequest::from_args(fixed.split(' '))?;
/// assert!(validate(&again, Policy::embedded())?.compliant);
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn corrected_command(request: &ClusterRequest, report: &Report) -> String {
    let mut judged: Vec<(&'static str, String)> = Vec::new();
    let mut set = |flag: &'static str, value: String| {
        match judged.iter_mut().find(|(f, _)| *f == flag) {
            Some(slot) => slot.1 = value,
            None => judged.push((flag, value)),
        };
    };
    if let Some(v) = &request.cluster_name {
        set("--cluster-name", v.clone());
    }
    if let Some(v) = &request.ami {
        set("--ami", v.clone());
    }
    if let Some(v) = &request.kubernetes_version {
        set("--kubernetes-version", v.to_string());
    }
    if let Some(v) = &request.kubernetes_image_repository {
        set("--kubernetes-image-repository", v.to_string());
    }
    if let Some(v) = &request.etcd_version {
        set("--etcd-version", v.to_string());
    }
    if let Some(v) = &request.etcd_image_repository {
        set("--etcd-image-repository", v.to_string());
    }
    if let Some(v) = &request.os {
        set("--os", v.to_string());
    }
    let mut dropped: Vec<&str> = Vec::new();
    // A misspelt flag's fix carries the value as typed; the judged rules' fixes come after
    // it, so that theirs (a FIPS build) wins.
    let (misspelt, judged_fixes): (Vec<_>, Vec<_>) = report
        .findings
        .iter()
        .partition(|f| f.code == Code::RequestFlagMisspelt);
    for finding in misspelt.into_iter().chain(judged_fixes) {
        if finding.code == Code::RequestFlagMisspelt {
            dropped.push(&finding.field);
        }
        let Some((flag, value)) = finding.remediation.split_once('=') else {
            continue;
        };
        let exact = JUDGED_FLAGS.iter().copied().find(|f| *f == flag);
        if let (Some(flag), false) = (exact, value.is_empty()) {
            let flag = if flag == "--ami-base-os" {
                "--os"
            } else {
                flag
            };
            set(flag, value.to_owned());
        }
    }
    // In the order of JUDGED_FLAGS, whatever order the request and its fixes gave them.
    judged.sort_by_key(|(flag, _)| JUDGED_FLAGS.iter().position(|f| f == flag));
    let mut words: Vec<String> = Vec::new();
    if let Some(provider) = &request.provider {
        words.extend(["dkp", "create", "cluster"].map(String::from));
        words.push(quote(provider));
        words.extend(request.other_args.iter().map(|w| quote(w)));
    }
    for (flag, value) in &judged {
        words.push(format!("{flag}={}", quote_value(value)));
    }
    for other in &request.other_flags {
        if dropped.contains(&other.flag.as_str()) || judged_flag_named(&other.flag).is_some() {
            continue;
        }
        words.push(match &other.value {
            Some(value) => format!("{}={}", other.flag, quote_value(value)),
            None => other.flag.clone(),
        });
    }
    if request.provider.is_none() && !request.other_args.is_empty() {
        words.push("--".into());
        words.extend(request.other_args.iter().map(|w| quote(w)));
    }
    words.join(" ")
}

/// True when a corrected command still holds a value only the user knows (`<...>`).
///
/// ```
/// assert!(fips_core::has_placeholder("dkp create cluster aws --ami=<id of an AMI>"));
/// assert!(!fips_core::has_placeholder("dkp create cluster aws --ami=ami-1"));
/// ```
pub fn has_placeholder(command: &str) -> bool {
    command.contains("=<")
}

/// A value as a shell reads it back: placeholders as they are (they must be replaced).
fn quote_value(value: &str) -> String {
    if value.starts_with('<') && value.ends_with('>') {
        value.to_owned()
    } else {
        quote(value)
    }
}

/// A word quoted for a POSIX shell when it holds anything but plain characters.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=+@,%".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
