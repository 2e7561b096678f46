//! The build-script side of the contract diff: keeps the `.api` surfaces next to the committed
//! bindings in step, and warns when a contract changed in a way that breaks callers.
//!
//! It sits above both [`crate::api`] (the surface) and [`crate::diff`] (the comparison), so that
//! neither of those depends on the other's user.

use std::fmt::Write as _;
use std::path::Path;

use crate::api::{api_path, Surface};
use crate::diff::{compare, Change, Class};

/// How many breaking changes a build-script warning lists before summing up the rest.
const LISTED: usize = 5;

/// The build-script side of the contract diff, for a directory of committed bindings such as
/// `generated/`: with `bless`, writes each file's surface next to it (`<name>.api`, unchanged
/// files untouched); otherwise compares each new model with the committed surface and returns one
/// warning line per file whose contract change breaks callers (see [`crate::diff`]), or whose
/// surface file is missing or unreadable. Print them as `cargo:warning=` lines.
pub fn check_generated(dir: &Path, files: &[crate::GeneratedFile], bless: bool) -> Result<Vec<String>, crate::Error> {
    let mut warnings = Vec::new();
    for file in files {
        let relative = api_path(&file.relative_path);
        let path = dir.join(&relative);
        let shown = Path::new(dir.file_name().unwrap_or_default()).join(&relative).display().to_string();
        let new = Surface::from_module(&file.module);
        let text = new.render();
        if bless {
            crate::write_if_changed(&path, &text)?;
            continue;
        }
        let Ok(old_text) = std::fs::read_to_string(&path) else {
            warnings.push(format!("{shown} is missing: run `SOAPGEN_BLESS=1 cargo build` and commit it"));
            continue;
        };
        if old_text == text {
            continue;
        }
        let old = match Surface::parse(&old_text, &shown) {
            Ok(old) => old,
            Err(e) => {
                warnings.push(format!("{e}: run `SOAPGEN_BLESS=1 cargo build` and commit it"));
                continue;
            }
        };
        let breaking: Vec<Change> =
            compare(&old, &new).changes.into_iter().filter(|c| c.class == Class::Breaking).collect();
        if breaking.is_empty() {
            continue;
        }
        let mut message = format!(
            "{} changed in a way that breaks callers ({} breaking change{} against {shown}): ",
            file.module.source,
            breaking.len(),
            if breaking.len() == 1 { "" } else { "s" }
        );
        let listed: Vec<String> = breaking.iter().take(LISTED).map(|c| c.to_string()).collect();
        message.push_str(&listed.join("; "));
        if breaking.len() > LISTED {
            let _ = write!(message, "; and {} more", breaking.len() - LISTED);
        }
        let _ = write!(message, " (details: `soapgen diff {shown} {}`)", file.module.source);
        warnings.push(message);
    }
    Ok(warnings)
}
