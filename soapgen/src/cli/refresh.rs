//! `soapgen refresh`: downloads the live WSDLs of an API, writes those that differ from the
//! vendored copies and shows what changed for callers.

use std::io::Read as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use soapgen::api::Surface;
use soapgen::diff::Class;

use super::{Args, CliError};

/// The Nmbrs v3 services, in the order they are fetched.
pub const NMBRS_SERVICES: [&str; 5] =
    ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"];
/// Where Nmbrs serves its v3 WSDLs: `<base>/<Service>.asmx?WSDL`.
pub const NMBRS_BASE: &str = "https://api.nmbrs.nl/soap/v3";
/// The largest WSDL accepted.
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// How long one download may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// One file to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Where it is downloaded from.
    pub url: String,
    /// Where it is written.
    pub path: PathBuf,
}

/// The targets of a refresh: a named API (`nmbrs`, `datazoo`) or `URL=path` pairs (paths relative
/// to `dir`).
pub fn targets(what: &[String], base_url: Option<&str>, dir: &Path) -> Result<Vec<Target>, CliError> {
    let asmx = |base: &str, service: &str| format!("{}/{service}.asmx?WSDL", base.trim_end_matches('/'));
    match what {
        [name] if name == "nmbrs" => {
            let base = base_url.unwrap_or(NMBRS_BASE);
            Ok(NMBRS_SERVICES
                .iter()
                .map(|s| Target { url: asmx(base, s), path: dir.join("nmbrs/v3").join(format!("{s}.wsdl")) })
                .collect())
        }
        [name] if name == "datazoo" => {
            let base = base_url.ok_or_else(|| {
                CliError::Usage(
                    "refresh datazoo: Data Zoo publishes no WSDL URL; give the base it is served from with \
                     --base-url <url> (fetches <url>/DataZoo.asmx?WSDL), or use an explicit URL=path pair"
                        .into(),
                )
            })?;
            Ok(vec![Target { url: asmx(base, "DataZoo"), path: dir.join("datazoo/DataZoo.wsdl") }])
        }
        [] => Err(CliError::Usage("refresh: name an API (`nmbrs`, `datazoo`) or give URL=path pairs".into())),
        pairs => {
            if base_url.is_some() {
                return Err(CliError::Usage(
                    "refresh: --base-url applies to a named API, not to URL=path pairs".into(),
                ));
            }
            pairs
                .iter()
                .map(|pair| match pair.rsplit_once('=') {
                    Some((url, path)) if !url.is_empty() && !path.is_empty() && url.contains("://") => {
                        Ok(Target { url: url.to_owned(), path: dir.join(path) })
                    }
                    _ => Err(CliError::Usage(format!(
                        "refresh: `{pair}` is neither an API name (`nmbrs`, `datazoo`) nor a URL=path pair"
                    ))),
                })
                .collect()
        }
    }
}

/// Checks that `url` is HTTPS, or plain HTTP to a loopback address.
pub fn check_url(url: &str) -> Result<(), CliError> {
    let err = |message: String| CliError::Fetch { url: url.to_owned(), message };
    let parsed = url::Url::parse(url).map_err(|e| err(format!("not a URL: {e}")))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            if loopback {
                Ok(())
            } else {
                Err(err("plain HTTP is only allowed to a loopback address; use https://".into()))
            }
        }
        other => Err(err(format!("unsupported scheme `{other}`; use https://"))),
    }
}

fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, CliError> {
    check_url(url)?;
    let err = |message: String| CliError::Fetch { url: url.to_owned(), message };
    let mut response = agent.get(url).call().map_err(|e| err(e.to_string()))?;
    let status = response.status();
    if status.is_redirection() {
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("?");
        return Err(err(format!("HTTP {status}: redirected to {location}; refresh that URL instead")));
    }
    if !status.is_success() {
        let mut body = String::new();
        let _ = response.body_mut().as_reader().take(200).read_to_string(&mut body);
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        return Err(err(format!("HTTP {status}{}", if body.is_empty() { String::new() } else { format!(": {body}") })));
    }
    response.body_mut().with_config().limit(MAX_BYTES).read_to_vec().map_err(|e| err(e.to_string()))
}

/// What happened to one target.
enum Outcome {
    Unchanged,
    Changed { old: Option<Surface>, new: Surface },
}

/// Runs `refresh` with the arguments after the subcommand; `Ok(true)` when changes at the
/// `--fail-on` level were found.
pub fn run(args: &[String]) -> Result<bool, CliError> {
    let args = Args::parse("refresh", args, &["--base-url", "--dir", "--fail-on"], &[])?;
    let fail_on = args.fail_on("refresh")?;
    let dir = PathBuf::from(args.option("--dir").unwrap_or("wsdl"));
    let targets = targets(&args.positional, args.option("--base-url"), &dir)?;
    for t in &targets {
        check_url(&t.url)?;
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let total = targets.len();
    let (mut changed, mut failed, mut worst) = (0usize, 0usize, None::<Class>);
    for (i, target) in targets.iter().enumerate() {
        eprint!("[{}/{total}] {} → {} ... ", i + 1, target.url, target.path.display());
        match refresh_one(&agent, target) {
            Ok(Outcome::Unchanged) => eprintln!("unchanged"),
            Ok(Outcome::Changed { old, new }) => {
                changed += 1;
                match old {
                    Some(old) => {
                        eprintln!("changed, written");
                        let diff = soapgen::diff::compare(&old, &new);
                        worst = worst.max(diff.worst());
                        let shown = target.path.display().to_string();
                        print!(
                            "{}",
                            super::diff::text(&format!("{shown} (vendored)"), &format!("{shown} (live)"), &diff)
                        );
                    }
                    None => {
                        eprintln!("new, written");
                        let operations: usize = new.services.iter().map(|s| s.operations.len()).sum();
                        println!(
                            "new contract {}: {} services, {operations} operations, {} types",
                            target.path.display(),
                            new.services.len(),
                            new.types.len()
                        );
                        worst = worst.max(Some(Class::Additive));
                    }
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("failed");
                eprintln!("soapgen: {e}");
            }
        }
    }
    let downloaded = total - failed;
    if changed == 0 && failed == 0 {
        println!("\n{total} contract(s) checked, none changed");
    } else if changed == 0 {
        println!("\n{downloaded} of {total} contract(s) downloaded; none of those changed");
    } else {
        println!("\n{changed} of {total} contract(s) changed under {}. Next:", dir.display());
        println!("  SOAPGEN_BLESS=1 cargo build   # regenerates generated/");
        println!("  git diff generated/           # the code diff for callers");
    }
    if failed > 0 {
        return Err(CliError::Partial(format!("refresh: {failed} of {total} contract(s) failed")));
    }
    Ok(fail_on.is_some_and(|level| worst.is_some_and(|w| w >= level)))
}

fn refresh_one(agent: &ureq::Agent, target: &Target) -> Result<Outcome, CliError> {
    let bytes = fetch(agent, &target.url)?;
    let path = &target.path;
    let io = |source| CliError::Io { path: path.clone(), source };
    let previous = match std::fs::read(path) {
        Ok(old) if old == bytes => return Ok(Outcome::Unchanged),
        Ok(old) => Some(old),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    // The vendored contract's surface, read before it is replaced (it may import files nearby).
    let old = match &previous {
        Some(_) => match super::load_surface(path) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!(
                    "note: the vendored {} does not generate ({e}); showing the new contract only",
                    path.display()
                );
                None
            }
        },
        None => None,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| CliError::Io { path: parent.to_path_buf(), source })?;
    }
    std::fs::write(path, &bytes).map_err(io)?;
    match super::load_surface(path) {
        Ok(new) => Ok(Outcome::Changed { old, new }),
        Err(e) => {
            // Keep the vendored contract: a download that does not generate must not break the build.
            let restored = match &previous {
                Some(old) => std::fs::write(path, old),
                None => std::fs::remove_file(path),
            };
            restored.map_err(io)?;
            Err(CliError::Fetch {
                url: target.url.clone(),
                message: format!("the downloaded contract does not generate, {} left as it was: {e}", path.display()),
            })
        }
    }
}
