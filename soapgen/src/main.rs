//! The `soapgen` command: generate bindings from WSDL/XSD contracts.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  soapgen generate <contract.wsdl|.xsd> [--runtime PATH]   print the generated Rust module
  soapgen generate-dir <dir> <out-dir> [--runtime PATH]     generate every contract under <dir>
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = args
        .iter()
        .position(|a| a == "--runtime")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "::soapbind::soap".to_owned());
    let result = match args.first().map(String::as_str) {
        Some("generate") if args.len() >= 2 => soapgen::Generator::new()
            .runtime_path(&runtime)
            .contract(&args[1])
            .generate()
            .map(|files| files.iter().for_each(|f| print!("{}", f.code))),
        Some("generate-dir") if args.len() >= 3 => soapgen::Generator::new()
            .runtime_path(&runtime)
            .contracts_in(PathBuf::from(&args[1]))
            .write_to(PathBuf::from(&args[2]))
            .map(|files| files.iter().for_each(|f| eprintln!("wrote {}", f.relative_path.display()))),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("soapgen: {e}");
            ExitCode::FAILURE
        }
    }
}
