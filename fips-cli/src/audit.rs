//! `fipsctl audit`: Cluster API and kubeadm manifests read as `kubectl apply -f` reads them
//! (files, directories, `-R`, `-` for stdin), judged by `fips_core::audit`.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use fips_core::{AuditReport, Error, FileError, ManifestError, Object, Policy, Severity};

use crate::output::{Out, Verdict};

/// kubectl's `FileExtensions`: the files a directory contributes.
const MANIFEST_EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// Runs the audit of `paths` (and `old`, when given, as the objects before an update).
pub(crate) fn run(
    paths: &[PathBuf],
    recursive: bool,
    old: &[PathBuf],
    policy: &Policy,
    out: &Out,
) -> Result<Verdict, Error> {
    let new = read_all(paths, recursive)?;
    let report = if old.is_empty() {
        fips_core::audit(&new, policy)?
    } else {
        fips_core::audit_update(&read_all(old, recursive)?, &new, policy)?
    };
    print(out, &report);
    Ok(Verdict::from(report.compliant))
}

fn read_all(paths: &[PathBuf], recursive: bool) -> Result<Vec<Object>, Error> {
    let mut files = Vec::new();
    for path in paths {
        expand(path, recursive, true, &mut files)?;
    }
    let mut objects = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let text = read_source(&file)?;
        let read = fips_core::read_objects(&text).map_err(|error| ManifestError::In {
            source_name: name.clone(),
            error: Box::new(error),
        })?;
        let source: std::sync::Arc<str> = name.into();
        objects.extend(read.into_iter().map(|o| Object {
            source: Some(source.clone()),
            ..o
        }));
        if objects.len() > fips_core::MAX_OBJECTS {
            return Err(ManifestError::TooManyObjects {
                limit: fips_core::MAX_OBJECTS,
            }
            .into());
        }
    }
    Ok(objects)
}

/// A path as kubectl takes it: a file (any name), `-`, or a directory whose `.json`, `.yaml`
/// and `.yml` files are read in name order, sub-directories only with `-R`.
fn expand(path: &Path, recursive: bool, top: bool, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if path == Path::new("-") {
        out.push(path.to_owned());
        return Ok(());
    }
    let unreadable = |reason: String| ManifestError::Unreadable {
        source_name: path.display().to_string(),
        reason,
    };
    // A path the user named that cannot be opened is kind `file`, as for every verb.
    let meta = std::fs::metadata(path).map_err(|source| FileError {
        path: path.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        out.push(path.to_owned());
        return Ok(());
    }
    if !top && !recursive {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| unreadable(e.to_string()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| unreadable(e.to_string()))?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            expand(&entry, recursive, false, out)?;
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e))
        {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_source(path: &Path) -> Result<String, Error> {
    let limit = fips_core::MAX_MANIFEST_BYTES as u64;
    if path != Path::new("-") {
        // The one reader of named files: non-blocking, regular files only, bounded, UTF-8.
        return fips_core::read_text_file(path, limit).map_err(|source| {
            FileError {
                path: path.to_owned(),
                source,
            }
            .into()
        });
    }
    let unreadable = |reason: String| ManifestError::Unreadable {
        source_name: "-".to_owned(),
        reason,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(unreadable(format!("larger than the {limit} bytes an audit reads")).into());
    }
    String::from_utf8(bytes).map_err(|e| unreadable(format!("not UTF-8: {e}")).into())
}

fn print(out: &Out, report: &AuditReport) {
    if out.json {
        match serde_json::to_string_pretty(report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("fipsctl: error: cannot write JSON: {e}"),
        }
        return;
    }
    if report.clusters.is_empty() {
        println!(
            "NOT COMPLIANT: no Cluster API or kubeadm objects found: nothing shows a FIPS cluster"
        );
    }
    for cluster in &report.clusters {
        let name = match &cluster.namespace {
            Some(ns) => format!("{ns}/{}", cluster.name),
            None => cluster.name.clone(),
        };
        let verdict = if cluster.compliant {
            "compliant"
        } else {
            "NOT COMPLIANT"
        };
        println!(
            "cluster {name}: {verdict} ({} objects)",
            cluster.objects.len()
        );
        for f in &cluster.findings {
            let finding = &f.finding;
            let severity = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "info",
            };
            match &f.object {
                Some(o) => println!("  {severity} {} {o}", finding.code),
                None => println!("  {severity} {}", finding.code),
            }
            println!("    {}: {}", finding.field, finding.message);
            println!("    fix: {}: {}", finding.field, finding.remediation);
        }
    }
    if report.ignored > 0 {
        println!(
            "ignored {} object(s) of kinds that do not matter to FIPS",
            report.ignored
        );
    }
}
