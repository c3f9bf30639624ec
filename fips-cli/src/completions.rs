//! What operators expect beside a CLI: shell completions (clap_complete) and a manual page
//! (clap_mangen), both generated from the one clap definition of fipsctl, so that neither
//! can list a verb or an option the program does not have.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::{
    output::{Out, Verdict},
    write::{say, say_err, say_raw},
    Cli,
};

/// The completion script for `shell`: `fipsctl completions bash > /etc/bash_completion.d/fipsctl`.
pub(crate) fn completions(shell: clap_complete::Shell, out: &Out) -> Verdict {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "fipsctl", &mut script);
    print_text(&script, out)
}

/// The manual page in roff (man(7)): `fipsctl man > share/man/man1/fipsctl.1`, as
/// `make install` does. One page holds every verb (COMMANDS, one subsection each, with its
/// synopsis, description and options), so that `man fipsctl` answers without pages of its own
/// for each verb.
pub(crate) fn man(out: &Out) -> Verdict {
    let mut page = Vec::new();
    // Rendering fails only when its writer does, and a Vec takes every write; should that
    // ever change, there is no page and the run does not end in success.
    if let Err(e) = render_man(&mut page) {
        say_err!("fipsctl: error: cannot render the manual page: {e}");
        return Verdict::NotCompliant;
    }
    print_text(&page, out)
}

fn render_man(page: &mut Vec<u8>) -> io::Result<()> {
    let mut cli = Cli::command();
    // Building gives each verb its full name (`fipsctl policy show`) for its synopsis.
    cli.build();
    let man = clap_mangen::Man::new(cli.clone());
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    man.render_options_section(page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for verb in cli.get_subcommands() {
        render_verb(verb, page)?;
    }
    man.render_extra_section(page)?;
    man.render_version_section(page)
}

/// One verb as a subsection, or each of its own verbs (`policy show`, `policy check`).
fn render_verb(verb: &clap::Command, page: &mut Vec<u8>) -> io::Result<()> {
    if verb.is_hide_set() || verb.get_name() == "help" {
        return Ok(());
    }
    if verb.has_subcommands() {
        for inner in verb.get_subcommands() {
            render_verb(inner, page)?;
        }
        return Ok(());
    }
    let name = verb.get_bin_name().unwrap_or_else(|| verb.get_name());
    writeln!(page, ".SS \"{}\"", name.replace('-', "\\-"))?;
    let man = clap_mangen::Man::new(verb.clone());
    let mut section = Vec::new();
    man.render_synopsis_section(&mut section)?;
    man.render_description_section(&mut section)?;
    man.render_options_section(&mut section)?;
    // The verb's parts are paragraphs of its subsection, not sections of the page.
    for line in String::from_utf8_lossy(&section).lines() {
        if line.starts_with(".SH ") {
            writeln!(page, ".PP")?;
        } else {
            writeln!(page, "{line}")?;
        }
    }
    Ok(())
}

/// The generated text as is, or with --json as one JSON string.
fn print_text(text: &[u8], out: &Out) -> Verdict {
    let text = String::from_utf8_lossy(text);
    if out.json {
        match serde_json::to_string(&text) {
            Ok(json) => say!("{json}"),
            Err(e) => say_err!("fipsctl: error: cannot write JSON: {e}"),
        }
    } else {
        say_raw!("{text}");
    }
    Verdict::Fine
}
