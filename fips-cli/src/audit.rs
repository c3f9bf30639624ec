//! `fipsctl audit`: Cluster API and kubeadm manifests read as `kubectl apply -f` reads them
//! (files, directories, `-R`, `-` for stdin), or listed from a live API server
//! (`--kubeconfig`, through `fips-kube`), judged by the one `fips_core::audit`.

use std::{
    io::Read,
    path::{Path, PathBuf},
    time::Duration,
};

use fips_core::{AuditReport, Error, FileError, ManifestError, Object, Policy, Severity};

use crate::{
    images_scan,
    output::{Out, Verdict},
    write::{say, say_err},
};

/// kubectl's `FileExtensions`: the files a directory contributes.
const MANIFEST_EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// Where the live audit reads, as kubectl's own flags say it.
#[derive(clap::Args, Debug)]
pub(crate) struct LiveArgs {
    /// Read the objects from the API server of this kubeconfig instead of files; needs
    /// get and list on the kinds the audit reads (docs/audit.md has the ClusterRole).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["paths", "old", "recursive"])]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use instead of its current-context.
    #[arg(long, value_name = "NAME", requires = "kubeconfig")]
    context: Option<String>,
    /// The namespace to read (default: the context's).
    #[arg(short = 'n', long, value_name = "NS", requires = "kubeconfig")]
    namespace: Option<String>,
    /// Read every namespace (needs the ClusterRole bound cluster-wide).
    #[arg(
        short = 'A',
        long,
        requires = "kubeconfig",
        conflicts_with = "namespace"
    )]
    all_namespaces: bool,
    /// Objects per list request (kubectl's --chunk-size); 0 asks for all at once.
    #[arg(long, value_name = "N", default_value_t = fips_kube::DEFAULT_CHUNK_SIZE, requires = "kubeconfig")]
    chunk_size: u32,
    /// How long connecting, and each request, may take: 30s, 2m, or plain seconds.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, requires = "kubeconfig")]
    request_timeout: Duration,
}

impl LiveArgs {
    /// The API server to read, when --kubeconfig is given.
    pub(crate) fn source(&self) -> Option<fips_kube::Source> {
        let kubeconfig = self.kubeconfig.clone()?;
        let scope = match (&self.namespace, self.all_namespaces) {
            (_, true) => fips_kube::Scope::AllNamespaces,
            (Some(ns), false) => fips_kube::Scope::Namespace(ns.clone()),
            (None, false) => fips_kube::Scope::ContextNamespace,
        };
        let mut source = fips_kube::Source::new(kubeconfig, scope);
        source.context = self.context.clone();
        source.chunk_size = self.chunk_size;
        source.timeout = self.request_timeout;
        Some(source)
    }
}

/// kubectl's `--request-timeout` forms that a time-out needs: `N`, `Ns`, `Nm`, `Nh`, above 0
/// (kubectl's 0 means no time-out, which an audit never runs without).
fn parse_duration(text: &str) -> Result<Duration, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration: give 30s, 2m or 1h"))?;
    let seconds = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => None,
    }
    .ok_or_else(|| format!("{text:?} is not a duration: give 30s, 2m or 1h"))?;
    if seconds == 0 {
        return Err("a request timeout of 0 would let the audit hang: give 30s, 2m or 1h".into());
    }
    Ok(Duration::from_secs(seconds))
}

/// Runs the audit of the objects listed from a live API server: the same report as the
/// offline audit of the same objects. Kinds the server does not serve are notes on stderr.
pub(crate) fn run_live(
    source: &fips_kube::Source,
    policy: &Policy,
    out: &Out,
) -> Result<Verdict, Error> {
    // A kubeconfig that cannot be opened is kind `file`, as for every named file.
    fips_core::read_text_file(&source.kubeconfig, fips_core::MAX_MANIFEST_BYTES as u64).map_err(
        |e| FileError {
            path: source.kubeconfig.clone(),
            source: e,
        },
    )?;
    let listed = fips_kube::read_live(source).map_err(|e| live_error(source, e))?;
    for note in &listed.notes {
        say_err!("fipsctl: note: {note}");
    }
    say_err!(
        "fipsctl: read {} object(s) in {} list request(s) from {}",
        listed.objects.len(),
        listed.pages,
        listed.server
    );
    let report = fips_core::audit(&listed.objects, policy)?;
    print(out, &report);
    Ok(Verdict::from(report.compliant))
}

/// A live read that failed is a source of objects that cannot be read (exit 2); its message
/// names the server, and for a 403 every verb and resource to ask for.
fn live_error(source: &fips_kube::Source, error: fips_kube::Error) -> Error {
    let (source_name, reason) = match error {
        fips_kube::Error::Kubeconfig { path, reason } => (path, reason),
        fips_kube::Error::SelfTest(e) => return e.into(),
        other => (source.kubeconfig.display().to_string(), other.to_string()),
    };
    ManifestError::Unreadable {
        source_name,
        reason,
    }
    .into()
}

/// Runs the audit of `paths` (and `old`, when given, as the objects before an update).
pub(crate) fn run(
    paths: &[PathBuf],
    recursive: bool,
    old: &[PathBuf],
    policy: &Policy,
    scan: Option<&crate::registry::RegistryArgs>,
    out: &Out,
) -> Result<Verdict, Error> {
    let new = read_all(paths, recursive)?;
    let report = if old.is_empty() {
        fips_core::audit(&new, policy)?
    } else {
        fips_core::audit_update(&read_all(old, recursive)?, &new, policy)?
    };
    let Some(registry) = scan else {
        print(out, &report);
        return Ok(Verdict::from(report.compliant));
    };
    let mut clusters = Vec::new();
    for cluster in fips_core::audited_images(&new, policy)? {
        let images = images_scan::scan_images(&cluster.images, registry, policy)?;
        clusters.push(ScannedCluster {
            namespace: cluster.namespace,
            name: cluster.name,
            images,
        });
    }
    let compliant = report.compliant
        && clusters
            .iter()
            .all(|c| images_scan::all_compliant(&c.images));
    if out.json {
        out.print_json(&AuditScanReport {
            compliant,
            audit: &report,
            images: &clusters,
        });
    } else {
        print(out, &report);
        for cluster in &clusters {
            say!();
            say!("images of cluster {}:", cluster.name);
            images_scan::print_scans(&cluster.images);
        }
        say!();
        let all: Vec<_> = clusters.into_iter().flat_map(|c| c.images).collect();
        images_scan::print_verdict(compliant, &all);
    }
    Ok(Verdict::from(compliant))
}

/// One cluster's images, read and scanned.
#[derive(serde::Serialize)]
struct ScannedCluster {
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    name: String,
    images: Vec<images_scan::ImageScan>,
}

/// The JSON of `fipsctl audit --scan`: the audit's report, each cluster's images, and the
/// verdict of both together.
#[derive(serde::Serialize)]
struct AuditScanReport<'a> {
    compliant: bool,
    audit: &'a AuditReport,
    images: &'a [ScannedCluster],
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
            Ok(text) => say!("{text}"),
            Err(e) => say_err!("fipsctl: error: cannot write JSON: {e}"),
        }
        return;
    }
    if report.clusters.is_empty() {
        say!(
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
        say!(
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
                Some(o) => say!("  {severity} {} {o}", finding.code),
                None => say!("  {severity} {}", finding.code),
            }
            say!("    {}: {}", finding.field, finding.message);
            say!("    fix: {}: {}", finding.field, finding.remediation);
        }
    }
    if report.ignored > 0 {
        say!(
            "ignored {} object(s) of kinds that do not matter to FIPS",
            report.ignored
        );
    }
}
