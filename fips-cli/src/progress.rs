//! Progress on stderr while `fipsctl scan` and `images --scan` read: files judged, and for
//! an image read from a registry its blobs and bytes against what its manifests declare, as
//! `crane` and `docker pull` show a download. Only when stderr is a terminal: a pipe or a
//! log file gets no control characters, and `--json` output on stdout is never touched.

use std::{fmt::Write, io::IsTerminal, sync::Arc, time::Duration};

use fips_core::ScanResult;
use fips_registry::Transfer;
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A spinner line, or nothing when stderr is not a terminal.
pub(crate) struct Progress(Option<ProgressBar>);

impl Progress {
    /// Counts files judged; `label` (an image's name) leads the line, and `transfer` adds
    /// the download of a registry image.
    pub(crate) fn new(label: Option<&str>, transfer: Option<Arc<Transfer>>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let template = if transfer.is_some() {
            "{spinner} {prefix}{transfer}  {pos} file(s) judged  {wide_msg}"
        } else {
            "{spinner} {prefix}{pos} file(s) judged  {wide_msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            let style = match transfer {
                Some(transfer) => {
                    style.with_key("transfer", move |_: &ProgressState, w: &mut dyn Write| {
                        let _ = write!(
                            w,
                            "blob {}/{}  {} / {}",
                            transfer.blobs(),
                            transfer.total_blobs(),
                            HumanBytes(transfer.bytes()),
                            HumanBytes(transfer.total_bytes())
                        );
                    })
                }
                None => style,
            };
            bar.set_style(style);
        }
        if let Some(label) = label {
            bar.set_prefix(format!("{label}  "));
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// One more file judged.
    pub(crate) fn judged(&self, result: &ScanResult) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            bar.set_message(result.path.clone());
        }
    }

    /// Prints without tearing the progress line.
    pub(crate) fn suspend(&self, print: impl FnOnce()) {
        match &self.0 {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Clears the line.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
