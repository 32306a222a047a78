//! Show what the generic parser reads in a mail: the readable text it works
//! on (with `--text`), then its result with confidence and evidence.
//!
//! `cargo run -p mnp-parsers --example generic_explain -- [--text] MAIL.eml`
#![allow(clippy::print_stdout)]

use mnp_parsers::generic::{self, Inventory, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut show_text = false;
    for arg in std::env::args().skip(1) {
        if arg == "--text" {
            show_text = true;
            continue;
        }
        let raw = std::fs::read(&arg)?;
        let mail = mnp_core::Email::parse(&raw)?;
        println!("== {arg}");
        if show_text {
            println!("{}\n--", mail.text());
        }
        match generic::parse(&mail, &Inventory::default(), &Options::default()) {
            Ok(r) => println!("{}", serde_json::to_string_pretty(&r)?),
            Err(e) => println!("error: {e}"),
        }
    }
    Ok(())
}
