//! The `soapgen` command: generate bindings from WSDL/XSD contracts, inspect a contract, compare
//! two contracts as callers see them, and refresh vendored contracts from the live services.
//!
//! Exit status: 0 on success, 1 when `diff`/`refresh --fail-on LEVEL` found changes at that
//! level, 2 for usage errors, unreadable files, contracts that do not generate, failed downloads.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use cli::{Args, CliError, EXIT_CHANGES, EXIT_ERROR};

const USAGE: &str = "\
usage:
  soapgen inspect <contract> [--json] [--location URL=FILE...]
      services, ports, operations (Rust signature, SOAPAction, header, documentation) and types
  soapgen diff <old> <new> [--json] [--fail-on breaking|additive|any]
      what changed for callers, each change BREAKING, ADDITIVE or NOTE; <old> and <new> are
      .wsdl/.xsd contracts or .api surfaces (as kept next to each file in generated/)
  soapgen refresh <nmbrs|datazoo|URL=path...> [--base-url URL] [--dir DIR] [--fail-on LEVEL]
      download the live WSDLs into DIR (default wsdl), write those that differ, show the diff
  soapgen generate <contract> [--runtime PATH] [--location URL=FILE...]
      print the generated Rust module
  soapgen generate-dir <dir> <out-dir> [--runtime PATH] [--location URL=FILE...]
      generate every contract under <dir> into <out-dir>
  --location URL=FILE (also for inspect): read the remote schemaLocation or wsdl:import URL
      from a local copy; soapgen never downloads them

exit status: 0 ok; 1 changes found at the --fail-on level; 2 usage, file, contract or download error
see docs/soapgen.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(EXIT_ERROR);
    };
    let rest = &args[1..];
    let result = match command.as_str() {
        "inspect" => cli::inspect::run(rest).map(|()| false),
        "diff" => cli::diff::run(rest),
        "refresh" => cli::refresh::run(rest),
        "generate" => generate(rest).map(|()| false),
        "generate-dir" => generate_dir(rest).map(|()| false),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(CliError::Usage(format!("unknown command `{other}`"))),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(EXIT_CHANGES),
        Err(CliError::Usage(message)) => {
            eprintln!("soapgen: {message}\n\n{USAGE}");
            ExitCode::from(EXIT_ERROR)
        }
        Err(e) => {
            eprintln!("soapgen: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn generate(args: &[String]) -> Result<(), CliError> {
    let args = Args::parse("generate", args, &["--runtime", cli::LOCATION], &[])?;
    let [contract] = args.positional.as_slice() else {
        return Err(CliError::Usage("generate: give exactly one contract".into()));
    };
    let files = args
        .generator()
        .runtime_path(args.option("--runtime").unwrap_or("::soapbind::soap"))
        .contract(contract)
        .generate()?;
    files.iter().for_each(|f| print!("{}", f.code));
    Ok(())
}

fn generate_dir(args: &[String]) -> Result<(), CliError> {
    let args = Args::parse("generate-dir", args, &["--runtime", cli::LOCATION], &[])?;
    let [dir, out] = args.positional.as_slice() else {
        return Err(CliError::Usage("generate-dir: give the contract directory and the output directory".into()));
    };
    let files = args
        .generator()
        .runtime_path(args.option("--runtime").unwrap_or("::soapbind::soap"))
        .contracts_in(PathBuf::from(dir))
        .write_to(PathBuf::from(out))?;
    files.iter().for_each(|f| eprintln!("wrote {}", f.relative_path.display()));
    Ok(())
}
