//! `soapgen diff <old> <new>`: what changed for callers between two contracts, each change
//! classified BREAKING, ADDITIVE or NOTE (see [`soapgen::diff`] for the rules).

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use soapgen::diff::{Change, Class, Diff, Use};

use super::{load_surface, Args, CliError};

/// Runs `diff` with the arguments after the subcommand; `Ok(true)` when changes at the
/// `--fail-on` level were found.
pub fn run(args: &[String]) -> Result<bool, CliError> {
    let args = Args::parse("diff", args, &["--fail-on"], &["--json"])?;
    let fail_on = args.fail_on("diff")?;
    let [old, new] = args.positional.as_slice() else {
        return Err(CliError::Usage("diff: give the old and the new contract (.wsdl, .xsd or .api)".into()));
    };
    let diff = soapgen::diff::compare(&load_surface(Path::new(old))?, &load_surface(Path::new(new))?);
    if args.switch("--json") {
        println!("{}", serde_json::to_string_pretty(&Report::new(old, new, &diff))?);
    } else {
        print!("{}", text(old, new, &diff));
    }
    Ok(fail_on.is_some_and(|level| diff.has_at_least(level)))
}

/// The JSON document of `diff --json`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    old: &'a str,
    new: &'a str,
    /// `breaking`, `additive`, `note`, or null when nothing changed.
    worst: Option<&'static str>,
    summary: Summary,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Debug, Serialize)]
struct Summary {
    breaking: usize,
    additive: usize,
    note: usize,
}

#[derive(Debug, Serialize)]
struct ChangeJson<'a> {
    class: &'static str,
    kind: &'static str,
    location: String,
    service: Option<&'a str>,
    operation: Option<&'a str>,
    #[serde(rename = "type")]
    type_name: Option<&'a str>,
    item: Option<&'a str>,
    side: Option<&'static str>,
    old: Option<&'a str>,
    new: Option<&'a str>,
    used_by: Vec<UseJson<'a>>,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct UseJson<'a> {
    service: &'a str,
    operation: &'a str,
    side: &'static str,
}

impl<'a> Report<'a> {
    /// The report of `diff` between the files `old` and `new`.
    pub fn new(old: &'a str, new: &'a str, diff: &'a Diff) -> Self {
        Report {
            old,
            new,
            worst: diff.worst().map(Class::as_str),
            summary: Summary {
                breaking: diff.count(Class::Breaking),
                additive: diff.count(Class::Additive),
                note: diff.count(Class::Note),
            },
            changes: diff
                .changes
                .iter()
                .map(|c| ChangeJson {
                    class: c.class.as_str(),
                    kind: c.kind.as_str(),
                    location: c.location(),
                    service: c.service.as_deref(),
                    operation: c.operation.as_deref(),
                    type_name: c.type_name.as_deref(),
                    item: c.item.as_deref(),
                    side: c.side.map(|s| s.as_str()),
                    old: c.old.as_deref(),
                    new: c.new.as_deref(),
                    used_by: c
                        .used_by
                        .iter()
                        .map(|u| UseJson {
                            service: &u.service,
                            operation: &u.operation,
                            side: if u.request { "request" } else { "reply" },
                        })
                        .collect(),
                    message: &c.detail,
                })
                .collect(),
        }
    }
}

/// How many operations a type's "used by" line names before summing up.
const NAMED_USES: usize = 3;

fn uses_line(used: &[Use]) -> String {
    if used.is_empty() {
        return "used by no operation".to_owned();
    }
    let mut names: Vec<String> = Vec::new();
    for u in used {
        let name = format!("{}.{}", u.service, u.operation);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut line = format!("used by {}", names.iter().take(NAMED_USES).cloned().collect::<Vec<_>>().join(", "));
    if names.len() > NAMED_USES {
        let _ = write!(line, " and {} more", names.len() - NAMED_USES);
    }
    line
}

fn change_line(out: &mut String, indent: &str, c: &Change) {
    let _ = writeln!(out, "{indent}{:<9} {}", c.class.to_string(), c.detail);
}

/// The terminal rendering: grouped by service and operation, then types.
pub fn text(old: &str, new: &str, diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "diff {old} → {new}");
    if diff.changes.is_empty() {
        let _ = writeln!(out, "no changes for callers");
        return out;
    }
    let mut service: Option<&str> = None;
    let mut operation: Option<&str> = None;
    let mut type_name: Option<&str> = None;
    let mut in_types = false;
    for c in &diff.changes {
        if let Some(s) = c.service.as_deref() {
            if service != Some(s) {
                let _ = writeln!(out, "\nservice {s}");
                service = Some(s);
                operation = None;
            }
            match c.operation.as_deref() {
                Some(o) if operation != Some(o) => {
                    let _ = writeln!(out, "  {o}");
                    operation = Some(o);
                }
                Some(_) => {}
                None => operation = None,
            }
            let indent = if c.operation.is_some() { "    " } else { "  " };
            change_line(&mut out, indent, c);
            continue;
        }
        if !in_types {
            let _ = writeln!(out, "\ntypes");
            in_types = true;
        }
        let name = c.type_name.as_deref().unwrap_or("?");
        if type_name != Some(name) {
            let side = c.side.map(|s| s.as_str()).unwrap_or("unused");
            let _ = writeln!(out, "  {name} ({side}; {})", uses_line(&c.used_by));
            type_name = Some(name);
        }
        change_line(&mut out, "    ", c);
    }
    let _ = writeln!(
        out,
        "\n{} breaking, {} additive, {} {}",
        diff.count(Class::Breaking),
        diff.count(Class::Additive),
        diff.count(Class::Note),
        if diff.count(Class::Note) == 1 { "note" } else { "notes" }
    );
    out
}
