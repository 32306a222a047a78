//! # mnp: the command-line face of the mnp libraries
//!
//! A thin binary: it parses arguments, wires the library crates together,
//! prints results and maps outcomes to exit codes (0 all good, 1 some mails
//! failed, 2 usage or I/O error). No domain logic lives here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod config;
mod corpus_cmd;
mod db_cmd;
mod ingest_cmd;
mod input;
mod mailer;
mod maxout_cmd;
mod maxout_runtime;
mod outages_cmd;
mod parse_cmd;
mod profiles_cmd;
mod remote;
mod report_cmd;
mod scaffold;
mod serve;
mod serve_telemetry;
mod sla_cmd;
mod vendors_cmd;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Network maintenance, outage, SLA and maxout toolkit.
#[derive(Parser, Debug)]
#[command(name = "mnp", version, about, propagate_version = true)]
struct Cli {
    /// More logging on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(flatten)]
    global: config::GlobalOpts,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse maintenance notification mails into structured records.
    Parse(parse_cmd::ParseArgs),
    /// Inspect the registered vendor parsers.
    #[command(subcommand)]
    Vendors(vendors_cmd::VendorsCmd),
    /// Score the parsers against a reference corpus.
    #[command(subcommand)]
    Corpus(corpus_cmd::CorpusCmd),
    /// Database: init, migrate, seed, status.
    #[command(subcommand)]
    Db(db_cmd::DbCmd),
    /// Circuit inventory: import, list.
    #[command(subcommand)]
    Circuits(db_cmd::CircuitsCmd),
    /// Ingest notices from mail folders, IMAP or a helpdesk into the database.
    Ingest(ingest_cmd::IngestArgs),
    /// Run the HTTP service: helpdesk webhook, maintenance API and calendar feed.
    Serve(serve::ServeArgs),
    /// Stored maintenances (forecast events): list as a table, JSON or iCalendar.
    #[command(subcommand)]
    Maintenances(MaintenancesCmd),
    /// Recorded notices: list them with their label, e.g. the dead-letter queue a human works from.
    #[command(subcommand)]
    Notifications(NotificationsCmd),
    /// SLA definitions: import, list, evaluate, explain.
    #[command(subcommand)]
    Sla(sla_cmd::SlaCmd),
    /// Port map (device, port → circuit) for outage detection: import, list.
    #[command(subcommand)]
    Ports(sla_cmd::PortsCmd),
    /// Protection groups (circuits protecting each other): import, list.
    #[command(subcommand)]
    Groups(sla_cmd::GroupsCmd),
    /// Outages: detect from link-state logs, list.
    #[command(subcommand)]
    Outages(outages_cmd::OutagesCmd),
    /// Reports for a month: sla, providers, forecast-accuracy, mttr.
    Report(report_cmd::ReportArgs),
    /// Generate deterministic telemetry (line protocol or JSON) with known maxouts.
    Simulate(maxout_cmd::SimulateArgs),
    /// Maxout episodes: replay telemetry, report, forecast.
    #[command(subcommand)]
    Maxout(maxout_cmd::MaxoutCmd),
}

#[derive(Subcommand, Debug)]
enum MaintenancesCmd {
    /// List current forecast events.
    List(ingest_cmd::ListArgs),
}

#[derive(Subcommand, Debug)]
enum NotificationsCmd {
    /// List recorded notices with label, vendor and the reason of a failure.
    List(ingest_cmd::NotificationArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("mnp: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Parse(args) => parse_cmd::run(args, &config::registry(&cli.global)?),
        Command::Vendors(cmd) => vendors_cmd::run(cmd, &config::registry(&cli.global)?),
        Command::Corpus(cmd) => corpus_cmd::run(cmd, &config::registry(&cli.global)?),
        Command::Db(cmd) => db_cmd::run_db(cmd, &cli.global, &config::registry(&cli.global)?),
        Command::Circuits(cmd) => {
            db_cmd::run_circuits(cmd, &cli.global, &config::registry(&cli.global)?)
        }
        Command::Ingest(args) => {
            ingest_cmd::run(args, &cli.global, &config::registry(&cli.global)?)
        }
        Command::Maintenances(MaintenancesCmd::List(args)) => ingest_cmd::list(args, &cli.global),
        Command::Notifications(NotificationsCmd::List(args)) => {
            ingest_cmd::notifications(args, &cli.global)
        }
        Command::Serve(args) => serve::run(args, &cli.global, config::registry(&cli.global)?),
        Command::Sla(cmd) => sla_cmd::run_sla(cmd, &cli.global, &config::registry(&cli.global)?),
        Command::Ports(cmd) => {
            sla_cmd::run_ports(cmd, &cli.global, &config::registry(&cli.global)?)
        }
        Command::Groups(cmd) => {
            sla_cmd::run_groups(cmd, &cli.global, &config::registry(&cli.global)?)
        }
        Command::Outages(cmd) => outages_cmd::run(cmd, &cli.global),
        Command::Report(args) => report_cmd::run(args, &cli.global),
        Command::Simulate(args) => maxout_cmd::simulate(args),
        Command::Maxout(cmd) => maxout_cmd::run(cmd, &cli.global),
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("MNP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
