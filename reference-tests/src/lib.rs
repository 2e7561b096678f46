//! Tests that read the third-party reference corpus (`../shared/reference` beside the
//! repository) in place. Without the corpus every test here is reported as ignored; with
//! `SOAPBIND_REFERENCE=required` (as `.ci/run` sets) a missing corpus fails the build.
//!
//! A test that needs the corpus carries
//! `#[cfg_attr(not(reference), ignore = "needs ../shared/reference beside the repository")]`
//! and finds it through [`reference_dir`].

use std::path::PathBuf;

pub mod cli;

/// Bindings generated from the real Nmbrs v2.1 WSDLs (present only with the corpus).
#[cfg(reference)]
#[allow(clippy::all, dead_code, missing_docs)]
pub mod nmbrs_v21 {
    include!(concat!(env!("OUT_DIR"), "/nmbrs_v21.rs"));
}

/// `../shared/reference` beside the repository; it exists whenever `cfg(reference)` is on.
pub fn reference_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/reference"))
}

/// Declares tests that need the corpus. Each name is a function of a `#[cfg(reference)]`
/// module `bodies` in the calling file; without the corpus the tests are reported as ignored.
///
/// ```text
/// #[cfg(reference)]
/// mod bodies {
///     pub fn reads_the_corpus() { /* ... */ }
/// }
/// reference_tests::reference_tests!(reads_the_corpus);
/// ```
#[macro_export]
macro_rules! reference_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            #[cfg_attr(not(reference), ignore = "needs the reference corpus, ../shared/reference beside the repository")]
            fn $name() {
                #[cfg(reference)]
                bodies::$name();
            }
        )*
    };
}
