//! Writing to stdout and stderr without panicking when the reader has gone.
//!
//! `println!` panics (exit 101) when stdout is a closed pipe (`fipsctl --json selftest |
//! head -1`). Here a closed pipe stops the output quietly, as `ls | head` does; the exit
//! status stays the verdict's, so `set -o pipefail` never sees a "compliant" that was not.
//! Any other write failure (a full disk) makes the run fail: see [`failed`].

use std::{
    fmt,
    io::{self, Write},
    sync::atomic::{AtomicBool, Ordering},
};

/// The reader of stdout has gone: write nothing more there.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Writing stdout failed for another reason than a closed pipe.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout, then a newline when `newline`.
pub(crate) fn out(args: fmt::Arguments<'_>, newline: bool) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    if let Err(e) = written {
        if e.kind() == io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        } else {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            err(format_args!("fipsctl: error: cannot write the output: {e}"));
        }
    }
}

/// Writes a line to stderr; a closed stderr is ignored (there is nobody to tell).
pub(crate) fn err(args: fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_fmt(args)
        .and_then(|()| stderr.write_all(b"\n"));
}

/// True when some output could not be written (other than to a closed pipe): the run must
/// not end in success.
pub(crate) fn failed() -> bool {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// `println!` that never panics.
macro_rules! say {
    () => { $crate::write::out(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::write::out(format_args!($($arg)*), true) };
}

/// `print!` that never panics.
macro_rules! say_raw {
    ($($arg:tt)*) => { $crate::write::out(format_args!($($arg)*), false) };
}

/// `eprintln!` that never panics.
macro_rules! say_err {
    ($($arg:tt)*) => { $crate::write::err(format_args!($($arg)*)) };
}

pub(crate) use {say, say_err, say_raw};
