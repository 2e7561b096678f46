//! The `soapgen` subcommands: argument parsing, errors and the shared pieces.

pub mod diff;
pub mod inspect;
pub mod refresh;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use soapgen::api::Surface;
use soapgen::diff::Class;

/// The option mapping a remote document to a local copy: `--location URL=FILE`, repeatable.
pub const LOCATION: &str = "--location";

/// Exit status when the command ran and found changes at the `--fail-on` level.
pub const EXIT_CHANGES: u8 = 1;
/// Exit status for usage errors, unreadable files, contracts that do not generate, failed downloads.
pub const EXIT_ERROR: u8 = 2;

/// Why a command failed (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line was wrong.
    #[error("{0}")]
    Usage(String),
    /// A contract could not be read or generated.
    #[error(transparent)]
    Generate(#[from] soapgen::Error),
    /// An `.api` file could not be read.
    #[error(transparent)]
    Api(#[from] soapgen::api::ApiError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A download failed.
    #[error("{url}: {message}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// JSON output could not be written.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Some of several files failed; each was reported already.
    #[error("{0}")]
    Partial(String),
}

/// Parsed arguments of one subcommand: positionals, `--flag value` / `--flag=value` options and
/// `--switch`es.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional arguments in order.
    pub positional: Vec<String>,
    options: BTreeMap<&'static str, String>,
    switches: Vec<&'static str>,
    /// `--location URL=FILE`, which may be given several times.
    locations: Vec<(String, PathBuf)>,
}

impl Args {
    /// Parses `args` for a command that takes the options `with_value` and the `switches`.
    pub fn parse(
        command: &str,
        args: &[String],
        with_value: &[&'static str],
        switches: &[&'static str],
    ) -> Result<Self, CliError> {
        let mut out = Args::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                out.positional.extend(iter.by_ref().cloned());
                break;
            }
            if !arg.starts_with("--") {
                out.positional.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (arg.as_str(), None),
            };
            if name == LOCATION && with_value.contains(&LOCATION) {
                let value = match inline {
                    Some(v) => v,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| CliError::Usage(format!("{command}: {name} needs URL=FILE")))?,
                };
                let Some((url, file)) = value.split_once('=') else {
                    return Err(CliError::Usage(format!("{command}: {name} takes URL=FILE, not `{value}`")));
                };
                out.locations.push((url.to_owned(), PathBuf::from(file)));
            } else if let Some(flag) = with_value.iter().find(|f| **f == name) {
                let value = match inline {
                    Some(v) => v,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| CliError::Usage(format!("{command}: {name} needs a value")))?,
                };
                if out.options.insert(flag, value).is_some() {
                    return Err(CliError::Usage(format!("{command}: {name} given twice")));
                }
            } else if let Some(switch) = switches.iter().find(|s| **s == name) {
                if inline.is_some() {
                    return Err(CliError::Usage(format!("{command}: {name} takes no value")));
                }
                out.switches.push(switch);
            } else {
                return Err(CliError::Usage(format!("{command}: unknown option `{arg}`")));
            }
        }
        Ok(out)
    }

    /// The value of option `name`, if given.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// A generator with the `--location URL=FILE` mappings given.
    pub fn generator(&self) -> soapgen::Generator {
        self.locations.iter().fold(soapgen::Generator::new(), |g, (url, file)| g.location(url, file))
    }

    /// The `--location URL=FILE` mappings, URL → file.
    pub fn locations(&self) -> BTreeMap<String, PathBuf> {
        self.locations.iter().cloned().collect()
    }

    /// Whether switch `name` was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    /// `--fail-on breaking|additive|any`, if given.
    pub fn fail_on(&self, command: &str) -> Result<Option<Class>, CliError> {
        match self.option("--fail-on") {
            None => Ok(None),
            Some("breaking") => Ok(Some(Class::Breaking)),
            Some("additive") => Ok(Some(Class::Additive)),
            Some("any") => Ok(Some(Class::Note)),
            Some(other) => Err(CliError::Usage(format!(
                "{command}: --fail-on takes `breaking`, `additive` or `any`, not `{other}`"
            ))),
        }
    }
}

/// The API surface of a contract (`.wsdl`, `.xsd`) or of a saved surface (`.api`, as written
/// next to each file in `generated/`).
pub fn load_surface(path: &Path) -> Result<Surface, CliError> {
    if path.extension().is_some_and(|e| e == "api") {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::Io { path: path.to_path_buf(), source })?;
        return Ok(Surface::parse(&text, &path.display().to_string())?);
    }
    if !path.is_file() {
        return Err(CliError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let mut module = soapgen::model(path)?;
    module.source = path.display().to_string();
    Ok(Surface::from_module(&module))
}
