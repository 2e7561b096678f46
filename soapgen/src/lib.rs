//! soapgen: WSDL 1.1 and XML Schema contracts to typed Rust SOAP bindings.
//!
//! The pipeline: [`wsdl`] reads the contract; the schemas go to xsd-parser, whose resolved type
//! model becomes the bindings model ([`ir`]) with Rust names chosen in one place; [`emit`] writes
//! the types with straight-line quick-xml readers and writers, the operation descriptors and a
//! client per service, formatted with prettyplease.
//!
//! Used from a build script:
//!
//! ```no_run
//! let files = soapgen::Generator::new()
//!     .runtime_path("::soapbind::soap")
//!     .contracts_in("wsdl")
//!     .generate()
//!     .expect("contracts generate");
//! for file in &files {
//!     println!("{} -> {} lines", file.contract.display(), file.code.lines().count());
//! }
//! ```

pub mod api;
pub mod api_check;
pub mod diff;
pub mod emit;
pub mod ident;
pub mod ir;
mod lists;
mod recursion;
mod schema;
mod services;
pub mod wsdl;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::ToSnakeCase;

pub use emit::{EmitOptions, SerdeDerives};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The WSDL could not be read.
    #[error(transparent)]
    Wsdl(#[from] wsdl::WsdlError),
    /// A schema could not be parsed or resolved by xsd-parser.
    #[error("{origin}: schema error: {message}")]
    Schema {
        /// Where the schema came from.
        origin: String,
        /// What xsd-parser reported.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The emitted code did not parse (a generator bug).
    #[error("{contract}: generated code does not parse: {message}")]
    Emit {
        /// The contract.
        contract: String,
        /// The syn error.
        message: String,
    },
}

/// One generated Rust file.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// The contract it was generated from.
    pub contract: PathBuf,
    /// Where it goes, relative to the output directory (`nmbrs/v3/employee_service.rs`).
    pub relative_path: PathBuf,
    /// The bindings model.
    pub module: ir::Module,
    /// The formatted code.
    pub code: String,
}

/// Generates bindings for a set of contracts.
///
/// A whole build script of a crate that calls a service of its own with soapbind's runtime
/// (`build.rs`, with `soapgen = { version = "0.1", default-features = false }` under
/// `[build-dependencies]` and `soapbind` under `[dependencies]`):
///
/// ```no_run
/// use std::path::PathBuf;
///
/// fn main() {
///     let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
///     // Generate again when the contract changes (and only then).
///     println!("cargo:rerun-if-changed=contracts/Weather.wsdl");
///     soapgen::Generator::new()
///         .runtime_path("::soapbind::soap")
///         .contract("contracts/Weather.wsdl")
///         .write_to(&out)
///         .unwrap_or_else(|e| panic!("generating the Weather bindings: {e}"));
/// }
/// ```
///
/// The output is `<stem in snake_case>.rs` in `OUT_DIR`; the crate includes it as a module:
///
/// ```ignore
/// pub mod weather {
///     include!(concat!(env!("OUT_DIR"), "/weather.rs"));
/// }
/// ```
///
/// The generated code compiles without warnings under `-D warnings`; the test
/// `soapgen/tests/build_script.rs` builds such a crate.
#[derive(Debug, Clone, Default)]
pub struct Generator {
    /// `(file, output path, label in the generated header)`.
    contracts: Vec<(PathBuf, PathBuf, String)>,
    options: EmitOptions,
    /// Local copies of remote documents: URL → file.
    locations: BTreeMap<String, PathBuf>,
}

impl Generator {
    /// A generator with no contracts, targeting the runtime at `::soapbind::soap`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the path the generated code uses for the runtime (`crate::soap` inside soapbind).
    pub fn runtime_path(mut self, path: &str) -> Self {
        self.options.runtime = path.to_owned();
        self
    }

    /// Whether the generated types derive serde's traits: not at all (the default), always, or
    /// under a cargo feature of the generated crate (soapbind's own build uses
    /// `SerdeDerives::Feature("serde".into())`).
    pub fn serde(mut self, serde: SerdeDerives) -> Self {
        self.options.serde = serde;
        self
    }

    /// Adds one `.wsdl` or `.xsd` file; its output is `<stem in snake_case>.rs`.
    pub fn contract(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref().to_path_buf();
        let out = output_name(&path);
        let label = path.display().to_string();
        self.contracts.push((path, out, label));
        self
    }

    /// Adds every `.wsdl` and `.xsd` under `dir`, recursively, in path order; outputs mirror the
    /// directory structure (`dir/nmbrs/v3/EmployeeService.wsdl` → `nmbrs/v3/employee_service.rs`).
    ///
    /// An `.xsd` imported by a WSDL in the same directory is still generated on its own.
    pub fn contracts_in(mut self, dir: impl AsRef<Path>) -> Self {
        let dir = dir.as_ref();
        for path in contract_files(dir) {
            let relative = path.strip_prefix(dir).unwrap_or(&path);
            let out = relative.with_file_name(output_name(relative));
            let label = match dir.file_name() {
                Some(name) => Path::new(name).join(relative),
                None => relative.to_path_buf(),
            };
            let label = label.to_string_lossy().replace('\\', "/");
            self.contracts.push((path, out, label));
        }
        self
    }

    /// Reads the document at the remote `url` (a `schemaLocation` or `wsdl:import location`)
    /// from the local file `path` instead. Remote documents are never downloaded: without a
    /// local copy an unused import is left out, and a used one fails with an error naming `url`.
    ///
    /// ```no_run
    /// let files = soapgen::Generator::new()
    ///     .location("http://example.com/common.xsd", "wsdl/common.xsd")
    ///     .contract("wsdl/Service.wsdl")
    ///     .generate();
    /// ```
    pub fn location(mut self, url: &str, path: impl AsRef<Path>) -> Self {
        self.locations.insert(url.trim().to_owned(), path.as_ref().to_path_buf());
        self
    }

    /// The contract files added so far.
    pub fn contract_paths(&self) -> impl Iterator<Item = &Path> {
        self.contracts.iter().map(|(p, _, _)| p.as_path())
    }

    /// Generates every contract.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.contracts
            .iter()
            .map(|(path, out, label)| {
                let mut module = model_with_locations(path, &self.locations)?;
                module.source.clone_from(label);
                let code = emit::module(&module, &self.options)
                    .map_err(|e| Error::Emit { contract: path.display().to_string(), message: e.to_string() })?;
                Ok(GeneratedFile { contract: path.clone(), relative_path: out.clone(), module, code })
            })
            .collect()
    }

    /// Generates every contract and writes the files under `out_dir`, plus a `mod.rs`-style
    /// index is left to the caller. Files whose content is unchanged are not touched.
    pub fn write_to(&self, out_dir: impl AsRef<Path>) -> Result<Vec<GeneratedFile>, Error> {
        let files = self.generate()?;
        for file in &files {
            write_if_changed(&out_dir.as_ref().join(&file.relative_path), &file.code)?;
        }
        Ok(files)
    }
}

/// Writes `content` to `path` unless it already holds exactly that; creates parent directories.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, Error> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io { path: parent.to_path_buf(), source })?;
    }
    std::fs::write(path, content).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    Ok(true)
}

fn output_name(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("contract");
    PathBuf::from(format!("{}.rs", stem.to_snake_case()))
}

/// Every `.wsdl` and `.xsd` file under `dir`, sorted.
pub fn contract_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("wsdl" | "xsd")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Reads a contract and builds its bindings model.
pub fn model(path: &Path) -> Result<ir::Module, Error> {
    model_with_locations(path, &BTreeMap::new())
}

/// Reads a contract like [`model`], reading remote documents from the local copies in
/// `locations` (URL → file; see [`Generator::location`]).
pub fn model_with_locations(path: &Path, locations: &BTreeMap<String, PathBuf>) -> Result<ir::Module, Error> {
    let module_name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("contract").to_snake_case();
    let source = path.display().to_string();
    if path.extension().and_then(|e| e.to_str()) == Some("xsd") {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
        let schema = wsdl::SchemaSource {
            origin: path.display().to_string(),
            target_namespace: target_namespace(&text),
            text,
            imports_without_location: Vec::new(),
            remote_imports: Vec::new(),
            first_line: 0,
        };
        let meta = schema::resolve(std::slice::from_ref(&schema))?;
        let all: BTreeSet<wsdl::QName> = BTreeSet::new();
        let mut types = schema::build(&meta, &all, true);
        lists::collapse(&mut types.defs);
        recursion::box_cycles(&mut types.defs);
        return Ok(ir::Module {
            name: module_name,
            source,
            namespace: schema.target_namespace,
            types: types.defs,
            services: Vec::new(),
            notes: types.notes,
        });
    }
    let defs = wsdl::read_with_locations(path, locations)?;
    let needed: BTreeSet<wsdl::QName> =
        defs.messages.values().flat_map(|m| m.parts.iter()).filter_map(|p| p.element.clone()).collect();
    let meta = schema::resolve(&defs.schemas)?;
    let mut types = schema::build(&meta, &needed, false);
    let mut notes = defs.notes.clone();
    notes.extend(types.notes.iter().cloned());
    let mut services = services::build(&defs, &mut types, &mut notes);
    lists::collapse(&mut types.defs);
    recursion::box_cycles(&mut types.defs);
    services::unwrap(&mut services, &types.defs);
    notes.sort();
    notes.dedup();
    Ok(ir::Module {
        name: module_name,
        source,
        namespace: defs.target_namespace.clone(),
        types: types.defs,
        services,
        notes,
    })
}

fn target_namespace(schema: &str) -> String {
    schema
        .split_once("targetNamespace=")
        .and_then(|(_, rest)| {
            let quote = rest.chars().next()?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .unwrap_or_default()
}
