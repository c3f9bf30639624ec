//! `HostFips`: is this host, or this mounted OS image, in FIPS mode, and is its OS supported?
//!
//! Signals (RHEL family; each reported on its own):
//! - running: `proc/sys/crypto/fips_enabled` (`1` = on), `fips=1` on `proc/cmdline`;
//! - prepared: `etc/system-fips` (RHEL 7/8), `etc/crypto-policies/config` (asked) and
//!   `etc/crypto-policies/state/current` (applied; the part before `:` counts, so
//!   `FIPS:OSPP` is FIPS), `fips=1` on the command line grub builds from `etc/default/grub`
//!   or from the `options` of `boot/loader/entries/*.conf` (BLS, RHEL 8+; see `boot.rs`).
//!
//! Only `fips_enabled` says whether the running kernel is in FIPS mode. The file exists only
//! in kernels built with `CONFIG_CRYPTO_FIPS` (crypto/Makefile: `obj-$(CONFIG_CRYPTO_FIPS) +=
//! fips.o`; crypto/fips.c registers the sysctl and the `fips=` handler together). So a running
//! system (`proc/cmdline` present) without it is not in FIPS mode, whatever its command line
//! says. Red Hat's own check reads the same file: `fips-mode-setup --check` and the RHEL
//! Security Hardening guide take `/proc/sys/crypto/fips_enabled` = 1 as "FIPS mode is enabled".
//!
//! "FIPS mode is on" and "the OS is supported" are separate verdicts. When the signals
//! disagree, that is its own finding, like `fips-mode-setup --check`'s "inconsistent state".
//! A container shares its host's kernel: `fips_enabled` inside one speaks of the host.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{
    boot::{read_boot_config, BootConfig},
    cmdline::kernel_fips,
    os::{identify, HostOs},
    report::no_errors,
    root::Root,
    selftest, validate, Code, Error, Finding, Policy,
};

/// Small files: sysfs values, cmdlines, configs.
const MAX_SMALL_FILE: u64 = 64 * 1024;

/// Each FIPS signal as found under the root; `None` where the file is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSignals {
    /// `proc/sys/crypto/fips_enabled` is `1`.
    pub fips_enabled: Option<bool>,
    /// `proc/cmdline` turns FIPS mode on, read as the kernel reads it (the last `fips=`
    /// before `--` wins, quoted values are not parameters).
    pub cmdline_fips: Option<bool>,
    /// `etc/system-fips` exists.
    pub system_fips: bool,
    /// The policy named in `etc/crypto-policies/config`.
    pub crypto_policy_config: Option<String>,
    /// The policy in `etc/crypto-policies/state/current`.
    pub crypto_policy_current: Option<String>,
    /// The default entry's command line from `etc/default/grub` (`GRUB_CMDLINE_LINUX`, then
    /// `GRUB_CMDLINE_LINUX_DEFAULT`, as grub2-mkconfig writes it) turns FIPS mode on.
    pub grub_cmdline_fips: Option<bool>,
    /// Every `boot/loader/entries/*.conf` turns FIPS mode on in its `options` (with grub's
    /// `$kernelopts` and other variables expanded from `boot/grub2/grubenv`).
    pub bls_entries_fips: Option<bool>,
}

impl HostSignals {
    fn boot_configured(&self) -> bool {
        self.grub_cmdline_fips.is_some() || self.bls_entries_fips.is_some()
    }

    fn boot_fips(&self) -> bool {
        self.grub_cmdline_fips == Some(true) || self.bls_entries_fips == Some(true)
    }

    /// The user-space side: crypto-policies where the OS has them (RHEL 8+), else
    /// `etc/system-fips` (RHEL 7).
    fn userspace_fips(&self) -> bool {
        match (&self.crypto_policy_current, &self.crypto_policy_config) {
            (Some(current), _) => is_fips_policy(current),
            (None, Some(config)) => is_fips_policy(config),
            (None, None) => self.system_fips,
        }
    }
}

/// The verdict on a host or an OS image.
///
/// ```
/// use fips_core::{HostFips, Policy};
/// let host = HostFips::probe("../tests/roots/rhel84-fips", Policy::embedded())?;
/// assert_eq!(host.os.as_ref().unwrap().version.as_deref(), Some("8.4"));
/// assert!(host.os_supported);
/// assert_eq!(host.fips_mode, Some(true));
/// assert!(host.compliant, "{:?}", host.findings);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostFips {
    /// The root probed, as given.
    pub root: String,
    /// The OS, when os-release was found.
    pub os: Option<HostOs>,
    /// The OS is one the policy supports for FIPS mode.
    pub os_supported: bool,
    /// What the running kernel says; `None` when the root has no `proc/` (an image).
    pub fips_mode: Option<bool>,
    /// The root is set up to boot in FIPS mode (boot `fips=1` and a FIPS user space).
    pub fips_prepared: bool,
    /// Every signal, as found.
    pub signals: HostSignals,
    /// True when no finding is an error.
    pub compliant: bool,
    /// What is wrong.
    pub findings: Vec<Finding>,
}

impl HostFips {
    /// Probes `root` (`/` for this host, or a mounted OS image), confined to it.
    ///
    /// Returns an error instead of a verdict when the root cannot be read or the crypto
    /// self-test has failed.
    pub fn probe(root: impl AsRef<Path>, policy: &Policy) -> Result<HostFips, Error> {
        selftest::ensure_passed()?;
        let root = Root::open(root.as_ref())?;
        let os = identify(&root)?;
        let boot = read_boot_config(&root)?;
        let signals = read_signals(&root, &boot)?;
        let fips_mode = kernel_fips_mode(&signals);
        let fips_prepared = signals.boot_fips() && signals.userspace_fips();
        let os_supported = os.as_ref().is_some_and(|os| {
            os.version
                .as_deref()
                .is_some_and(|v| policy.supports_os(&os.id, Some(&os.name), v))
        });

        let mut findings = Vec::new();
        os_findings(os.as_ref(), os_supported, &mut findings);
        mode_findings(&signals, fips_mode, fips_prepared, &mut findings);
        inconsistency_findings(&signals, fips_mode, &mut findings);
        boot_findings(&boot, &mut findings);
        validate::crypto_module_rule(policy, &mut findings);
        Ok(HostFips {
            root: root.path().display().to_string(),
            os,
            os_supported,
            fips_mode,
            fips_prepared,
            signals,
            compliant: no_errors(&findings),
            findings,
        })
    }
}

fn read_signals(root: &Root, boot: &BootConfig) -> Result<HostSignals, Error> {
    let text = |path: &str| root.read_text(path, MAX_SMALL_FILE);
    let first_line = |t: String| {
        t.lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
    };
    Ok(HostSignals {
        fips_enabled: text("proc/sys/crypto/fips_enabled")?.map(|t| t.trim() == "1"),
        cmdline_fips: text("proc/cmdline")?.map(|t| kernel_fips(t.as_bytes()) == Some(true)),
        system_fips: root.exists("etc/system-fips")?,
        crypto_policy_config: text("etc/crypto-policies/config")?.and_then(first_line),
        crypto_policy_current: text("etc/crypto-policies/state/current")?.and_then(first_line),
        grub_cmdline_fips: boot.grub_fips,
        bls_entries_fips: boot.bls_fips,
    })
}

/// The running kernel's FIPS mode: `fips_enabled` alone decides. Without it, a running system
/// (one with `proc/cmdline`) has a kernel built without FIPS support, so FIPS mode is off; a
/// root with neither is an image, whose mode is unknown.
fn kernel_fips_mode(signals: &HostSignals) -> Option<bool> {
    match (signals.fips_enabled, signals.cmdline_fips) {
        (Some(enabled), _) => Some(enabled),
        (None, Some(_)) => Some(false),
        (None, None) => None,
    }
}

/// `fips-mode-setup --check` compares the part before `:`: `FIPS:OSPP` is FIPS.
fn is_fips_policy(policy: &str) -> bool {
    policy.split(':').next() == Some("FIPS")
}

fn os_findings(os: Option<&HostOs>, supported: bool, out: &mut Vec<Finding>) {
    match os {
        None => out.push(Finding::error(
            Code::HostOsUnknown,
            "etc/os-release",
            "neither etc/os-release nor usr/lib/os-release exists under the root",
            "probe the root of an OS image or host (the directory that holds etc/ and usr/)",
        )),
        Some(_) if supported => {}
        Some(os) => out.push(Finding::error(
            Code::HostOsUnsupported,
            "etc/os-release",
            format!(
                "{} (ID={}, version {}) is not supported for FIPS mode by the policy",
                os.pretty_name,
                os.id,
                os.version.as_deref().unwrap_or("unknown")
            ),
            "use a supported OS (embedded policy: RHEL 7.9, 8.2, 8.4 or CentOS 7.9)",
        )),
    }
}

fn mode_findings(
    signals: &HostSignals,
    fips_mode: Option<bool>,
    prepared: bool,
    out: &mut Vec<Finding>,
) {
    match fips_mode {
        Some(true) => {}
        Some(false) if signals.fips_enabled.is_none() => out.push(Finding::error(
            Code::HostFipsModeOff,
            "proc/sys/crypto/fips_enabled",
            "the running kernel has no proc/sys/crypto/fips_enabled: it was built without FIPS \
             support (CONFIG_CRYPTO_FIPS), so it is not in FIPS mode whatever its command line says",
            "boot the OS vendor's kernel, which has FIPS support, then fips-mode-setup --enable \
             (RHEL 8+) or dracut-fips with fips=1 (RHEL 7) and reboot",
        )),
        Some(false) => out.push(Finding::error(
            Code::HostFipsModeOff,
            "proc/sys/crypto/fips_enabled",
            "the running kernel is not in FIPS mode",
            "RHEL 8+: fips-mode-setup --enable, then reboot; RHEL 7: install dracut-fips, \
             rebuild the initramfs and boot with fips=1",
        )),
        None if prepared => {}
        None => out.push(Finding::error(
            Code::HostNotPrepared,
            "boot/loader/entries",
            "the image is not prepared to boot in FIPS mode (needs fips=1 on the kernel command \
             line and a FIPS crypto policy or etc/system-fips)",
            "prepare the image with the OS vendor's FIPS instructions (fips-mode-setup --enable \
             on RHEL 8+) before provisioning",
        )),
    }
}

fn inconsistency_findings(s: &HostSignals, fips_mode: Option<bool>, out: &mut Vec<Finding>) {
    let mut flag = |field: &str, message: String| {
        out.push(Finding::error(
            Code::HostInconsistent,
            field,
            message,
            "run fips-mode-setup --check, then fips-mode-setup --enable (or --disable) and reboot \
             so that kernel, boot configuration and crypto policy agree",
        ))
    };
    let has_policy = s.crypto_policy_current.is_some() || s.crypto_policy_config.is_some();
    if let (Some(config), Some(current)) = (&s.crypto_policy_config, &s.crypto_policy_current) {
        if is_fips_policy(config) != is_fips_policy(current) {
            flag(
                "etc/crypto-policies/state/current",
                format!("crypto policy {config:?} was asked for but {current:?} is applied"),
            );
        }
    }
    match fips_mode {
        Some(true) if has_policy && !s.userspace_fips() => flag(
            "etc/crypto-policies/state/current",
            "the kernel is in FIPS mode but the crypto policy is not FIPS".into(),
        ),
        Some(false) if has_policy && s.userspace_fips() => flag(
            "proc/sys/crypto/fips_enabled",
            "the crypto policy is FIPS but the kernel is not in FIPS mode".into(),
        ),
        _ => {}
    }
    if s.fips_enabled.is_none() && s.cmdline_fips == Some(true) {
        flag(
            "proc/cmdline",
            "the kernel command line says fips=1 but the kernel has no FIPS support (no \
             proc/sys/crypto/fips_enabled), so it ignored it"
                .into(),
        );
    }
    if let (Some(enabled), Some(cmdline)) = (s.fips_enabled, s.cmdline_fips) {
        if enabled != cmdline {
            flag(
                "proc/cmdline",
                format!(
                    "fips_enabled is {} but the kernel command line says fips={}",
                    enabled as u8, cmdline as u8
                ),
            );
        }
    }
    if fips_mode == Some(true) && s.boot_configured() && !s.boot_fips() {
        flag(
            "etc/default/grub",
            "the kernel is in FIPS mode but the boot configuration lacks fips=1: FIPS mode is lost at the next boot".into(),
        );
    }
    if let (Some(grub), Some(bls)) = (s.grub_cmdline_fips, s.bls_entries_fips) {
        if grub != bls {
            flag(
                "boot/loader/entries",
                format!(
                    "GRUB_CMDLINE_LINUX says fips={} but the BLS entries say fips={}",
                    grub as u8, bls as u8
                ),
            );
        }
    }
    if fips_mode.is_none() && s.boot_fips() != s.userspace_fips() {
        flag(
            "etc/default/grub",
            if s.boot_fips() {
                "the image boots with fips=1 but its user space is not set to FIPS".into()
            } else {
                "the image's user space is set to FIPS but it does not boot with fips=1".into()
            },
        );
    }
}

fn boot_findings(boot: &BootConfig, out: &mut Vec<Finding>) {
    for (field, why) in &boot.unreadable {
        out.push(Finding::error(
            Code::HostBootConfigUnreadable,
            *field,
            format!("the boot configuration cannot be judged: {why}"),
            "keep etc/default/grub to plain NAME=value assignments and the boot entries within \
             bounds, or check the image's kernel command line by hand before provisioning",
        ));
    }
}
