//! `fipsctl`: one verb per FIPS question, over `fips-core`. No policy logic lives here.
//!
//! Exit codes: 0 compliant, 1 not compliant, 2 bad input or usage.

mod audit;
mod completions;
mod images_scan;
mod output;
mod progress;
mod registry;
mod scan;
mod verb_args;
mod write;

use std::{ffi::OsString, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use fips_core::{ClusterRequest, Component, Error, FipsVersion, HostFips, ImageRef, Policy};

use crate::output::{Out, Verdict};

#[derive(Parser, Debug)]
#[command(
    name = "fipsctl",
    version = version_line(),
    about = "FIPS 140 compliance policy for Kubernetes provisioning",
    after_help = "Exit status: 0 compliant, 1 not compliant, 2 bad input or usage. A good result \
                  is `compliant` in every verb that gives a verdict (validate, transition, host, \
                  scan, audit), a bad one `NOT COMPLIANT`.\n\
                  --json, --policy and --request are fipsctl's wherever they stand, up to the \
                  `--` before a pasted command."
)]
struct Cli {
    /// Print the result as JSON (the serde shape of the core type).
    #[arg(long, global = true)]
    json: bool,
    /// A policy file (TOML) to use instead of the embedded default.
    #[arg(long, global = true, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Is this create-cluster request a real FIPS build?
    ///
    /// Give the request's flags (`--kubernetes-version=1.22.8+fips.0 ...`), a JSON file
    /// with --request, or a whole pasted command after `--`
    /// (`-- dkp create cluster aws --cluster-name x ...`). The words after that `--` are the
    /// pasted command, read as pflag reads it.
    Validate {
        /// A JSON request file (the serde shape of ClusterRequest); - reads standard input.
        #[arg(long, value_name = "FILE.json")]
        request: Option<PathBuf>,
        /// The create-cluster flags or command.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGS"
        )]
        args: Vec<String>,
    },
    /// Which images would this create-cluster request pull, with which tags?
    ///
    /// With --scan, each image is read from its registry (through the policy's mirrors) and
    /// every binary inside it judged, as `fipsctl scan docker://REF` does.
    Images {
        /// Read and scan every image; the verdict is the worse of the request's and theirs.
        #[arg(long)]
        scan: bool,
        #[command(flatten)]
        registry: registry::RegistryArgs,
        /// The create-cluster flags or command (as for validate).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGS"
        )]
        args: Vec<String>,
    },
    /// Parse a version: is it a FIPS build, and which image tag does it pull?
    Version {
        /// e.g. 1.22.8+fips.0 or v3.4.13+fips.0
        version: String,
        /// Whose tag rule to apply.
        #[arg(long, value_enum, default_value = "kubernetes")]
        component: ComponentArg,
    },
    /// Turn an image tag back into a version (v1.22.8_fips.0 -> 1.22.8+fips.0).
    Tag {
        /// e.g. v3.4.13_fips.0
        tag: String,
        /// Whose tag rule to apply when showing the tag again.
        #[arg(long, value_enum, default_value = "kubernetes")]
        component: ComponentArg,
    },
    /// Parse and normalise a container image reference.
    Image {
        /// e.g. mesosphere/kube-apiserver:v1.22.8_fips.0
        reference: String,
    },
    /// Is this Kubernetes version change allowed for the cluster?
    Transition {
        /// The version the cluster runs.
        #[arg(long)]
        current: String,
        /// The version asked for.
        #[arg(long)]
        desired: String,
    },
    /// Is this host (or mounted OS image) supported and in FIPS mode?
    Host {
        /// The root to probe: / for this host, or a mounted OS image.
        #[arg(long, default_value = "/")]
        root: PathBuf,
    },
    /// Show or check a policy.
    Policy {
        #[command(subcommand)]
        action: PolicyAction,
    },
    /// Is this binary (or image, or directory of them) really a FIPS build?
    ///
    /// Scans ELF files, directories (recursively), OCI image layouts and `docker save` / OCI
    /// tar archives for Go build information and crypto markers.
    ///
    /// Results are printed as each file is judged, then a summary naming every file with a
    /// problem and its codes. Pseudo file systems (proc, sysfs, cgroup, ...) are not walked;
    /// a directory that cannot be read is a finding (FIPS-SCAN-DIR-UNREADABLE).
    Scan {
        /// Files, directories, OCI layouts or image archives; or one image in a registry,
        /// as docker://REGISTRY/NAME:TAG or docker://REGISTRY/NAME@sha256:DIGEST.
        paths: Vec<PathBuf>,
        /// Print only the files with a problem (a warning or an error), and the summary.
        #[arg(short, long)]
        quiet: bool,
        /// Leave out a path (and what is under it) or a glob (`*.so`: any name; `/var/*/x`:
        /// a whole path); may be repeated.
        #[arg(long, value_name = "GLOB|PATH")]
        exclude: Vec<String>,
        /// Do not enter other file systems (mount points), as `du -x` and `find -xdev`.
        #[arg(short = 'x', long)]
        one_file_system: bool,
        #[command(flatten)]
        registry: registry::RegistryArgs,
    },
    /// Parse an os-release file (os-release(5)) and print its fields.
    OsRelease {
        /// The file to read.
        #[arg(default_value = "/etc/os-release")]
        file: PathBuf,
    },
    /// Run the crypto Known-Answer Tests and report each.
    Selftest,
    /// List every finding code with its meaning.
    Codes,
    /// Do these Cluster API / kubeadm manifests ask for a FIPS cluster? (as `kubectl apply -f`,
    /// or read from a live API server with --kubeconfig)
    Audit {
        /// A file, a directory, or - for standard input; may be repeated.
        #[arg(
            short = 'f',
            long = "filename",
            required_unless_present = "kubeconfig",
            value_name = "PATH"
        )]
        paths: Vec<PathBuf>,
        /// Read directories recursively.
        #[arg(short = 'R', long)]
        recursive: bool,
        /// The same objects before the change: judge each version change as an upgrade.
        #[arg(long, value_name = "PATH")]
        old: Vec<PathBuf>,
        #[command(flatten)]
        live: audit::LiveArgs,
        /// Read and scan every image each audited cluster pulls (through the policy's
        /// mirrors); the verdict is the worse of the audit's and the images'.
        #[arg(long, conflicts_with = "kubeconfig")]
        scan: bool,
        #[command(flatten)]
        registry: registry::RegistryArgs,
    },
    /// Print a shell completion script (e.g. `fipsctl completions bash`).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `make install` puts it in share/man/man1/fipsctl.1).
    Man,
}

#[derive(Subcommand, Debug)]
enum PolicyAction {
    /// Print the policy in effect (the embedded default, or --policy FILE).
    Show,
    /// Load a policy file and report whether it is valid.
    Check {
        /// The TOML file.
        file: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum ComponentArg {
    Kubernetes,
    Etcd,
}

impl From<ComponentArg> for Component {
    fn from(c: ComponentArg) -> Self {
        match c {
            ComponentArg::Kubernetes => Component::Kubernetes,
            ComponentArg::Etcd => Component::Etcd,
        }
    }
}

fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (crypto module: {})",
            env!("CARGO_PKG_VERSION"),
            fips_core::module_name()
        )
    })
}

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(cli) => cli,
        Err(e) => return clap_failure(&e, verb_args::asks_for_json(&argv)),
    };
    let (command, own) = match verb_args::take_own_options(cli.command, &argv) {
        Ok(taken) => taken,
        Err(message) => {
            let out = Out {
                json: cli.json || verb_args::asks_for_json(&argv),
            };
            return out.usage(message);
        }
    };
    let out = Out {
        json: cli.json || own.json,
    };
    let policy = match own.merge_policy(cli.policy) {
        Ok(policy) => policy,
        Err(message) => return out.usage(message),
    };
    if policy.is_some() && !command.uses_policy() {
        return out.usage(format!(
            "fipsctl {} uses no policy: drop --policy (it applies to validate, images, \
             version, transition, host, scan, audit and policy show)",
            command.name()
        ));
    }
    let code = match run(command, policy, &out) {
        Ok(verdict) => verdict.exit_code(),
        Err(Failed {
            option: Some(option),
            error,
        }) => out.error_in(option, &error),
        Err(Failed {
            option: None,
            error,
        }) => out.error(&error),
    };
    if write::failed() {
        return ExitCode::from(2);
    }
    code
}

/// clap's own answer: help and version as clap prints them; a usage error in one shape.
fn clap_failure(e: &clap::Error, json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if !json || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // A closed stdout or stderr: nothing more to say.
        let _ = e.print();
        return ExitCode::from(code);
    }
    let text = e.render().to_string();
    let first = text.lines().next().unwrap_or("invalid command line");
    let message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    Out { json: true }.usage(message)
}

fn load_policy(path: Option<PathBuf>) -> Result<Policy, Error> {
    match path {
        Some(path) => Ok(Policy::from_file(path)?),
        None => Ok(Policy::embedded().clone()),
    }
}

/// Why a verb gave no verdict, with the option whose value was at fault when one was.
struct Failed {
    option: Option<&'static str>,
    /// Boxed: the run's result stays small on its way up.
    error: Box<Error>,
}

impl<E> From<E> for Failed
where
    Error: From<E>,
{
    fn from(error: E) -> Self {
        Failed {
            option: None,
            error: Box::new(error.into()),
        }
    }
}

/// Parses the version given to `option`; an error names the option.
fn version_of(option: &'static str, text: &str) -> Result<FipsVersion, Failed> {
    FipsVersion::parse(text).map_err(|e| Failed {
        option: Some(option),
        error: Box::new(e.into()),
    })
}

fn run(command: Command, policy: Option<PathBuf>, out: &Out) -> Result<Verdict, Failed> {
    match command {
        Command::Validate { request, args } => {
            let request = match request {
                Some(path) if path.as_os_str() == "-" => {
                    ClusterRequest::from_json(&output::read_stdin()?)?
                }
                Some(path) => ClusterRequest::from_json(&output::read_file(&path)?)?,
                None => ClusterRequest::from_args(&args)?,
            };
            let report = fips_core::validate(&request, &load_policy(policy)?)?;
            out.report(
                &report,
                Some(&fips_core::corrected_command(&request, &report)),
            );
            Ok(Verdict::from(report.compliant))
        }
        Command::Images {
            args,
            scan,
            registry,
        } => {
            let request = ClusterRequest::from_args(&args)?;
            if scan {
                return Ok(images_scan::run(
                    &request,
                    &registry,
                    &load_policy(policy)?,
                    out,
                )?);
            }
            registry::refuse_unused(&registry, "fipsctl images")?;
            // Labelled against the policy in use, so that its mirrors count as the FIPS
            // repository they stand for.
            out.images(&load_policy(policy)?.pulled_images(&request));
            Ok(Verdict::Fine)
        }
        Command::Version { version, component } => {
            let component = Component::from(component);
            let parsed = FipsVersion::parse(&version)?;
            let policy = load_policy(policy)?;
            let listed = parsed.is_fips().then(|| match component {
                Component::Kubernetes => policy.supports_kubernetes(&parsed),
                Component::Etcd => policy.supports_etcd(&parsed),
            });
            out.version_listed(&parsed.describe(&version, component), listed);
            Ok(Verdict::Fine)
        }
        Command::Tag { tag, component } => {
            let version = FipsVersion::from_tag(&tag)?;
            let info = version.describe(&tag, component.into());
            out.version(&info);
            Ok(Verdict::Fine)
        }
        Command::Image { reference } => {
            let image = ImageRef::parse(&reference)?;
            out.image(&image);
            Ok(Verdict::Fine)
        }
        Command::Transition { current, desired } => {
            let current = version_of("--current", &current)?;
            let desired = version_of("--desired", &desired)?;
            let report = fips_core::check_transition(&current, &desired, &load_policy(policy)?)?;
            out.transition(&report);
            Ok(Verdict::from(report.allowed))
        }
        Command::Host { root } => {
            let host = HostFips::probe(&root, &load_policy(policy)?)?;
            out.host(&host);
            Ok(Verdict::from(host.compliant))
        }
        Command::Policy { action } => match action {
            PolicyAction::Show => {
                let embedded = policy.is_none();
                out.policy(&load_policy(policy)?, embedded);
                Ok(Verdict::Fine)
            }
            PolicyAction::Check { file } => {
                let checked = Policy::from_file(&file)?;
                out.policy_check(&file, &checked);
                Ok(Verdict::Fine)
            }
        },
        Command::Scan {
            paths,
            quiet,
            exclude,
            one_file_system,
            registry,
        } => {
            let args = scan::ScanArgs {
                paths,
                options: fips_core::ScanOptions {
                    exclude,
                    one_file_system,
                },
                quiet,
            };
            Ok(registry::run(&args, &registry, &load_policy(policy)?, out)?)
        }
        Command::OsRelease { file } => {
            out.os_release(&fips_core::OsRelease::parse(&output::read_file(&file)?));
            Ok(Verdict::Fine)
        }
        Command::Selftest => {
            let report = fips_core::selftest();
            out.selftest(report);
            Ok(Verdict::from(report.passed))
        }
        Command::Codes => {
            out.codes();
            Ok(Verdict::Fine)
        }
        Command::Audit {
            paths,
            recursive,
            old,
            live,
            scan,
            registry,
        } => match live.source() {
            Some(source) => {
                registry::refuse_unused(&registry, "fipsctl audit --kubeconfig")?;
                Ok(audit::run_live(&source, &load_policy(policy)?, out)?)
            }
            None => {
                let scan = scan.then_some(&registry);
                if scan.is_none() {
                    registry::refuse_unused(&registry, "fipsctl audit")?;
                }
                let policy = load_policy(policy)?;
                Ok(audit::run(&paths, recursive, &old, &policy, scan, out)?)
            }
        },
        Command::Completions { shell } => Ok(completions::completions(shell, out)),
        Command::Man => Ok(completions::man(out)),
    }
}
