//! Running the `soapgen` command from the tests, and editing contracts for `soapgen diff`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The result of one `soapgen` run.
pub struct Run {
    /// Exit status (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the exit status is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "exit status\n--- stdout:\n{}\n--- stderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// Runs the `soapgen` command with `args`.
pub fn soapgen(args: &[&str]) -> Run {
    let Output { status, stdout, stderr } =
        Command::new(binary()).args(args).output().expect("the soapgen binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The `soapgen` binary of this build. Cargo builds a package's binaries only for that package's
/// own tests, so this runs `cargo build -p soapgen` once (nothing to do after
/// `cargo test --workspace`) and takes the binary from the profile directory this test runs from.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary's path");
        // <target>/<profile>/deps/<test>
        let profile_dir = exe.parent().and_then(Path::parent).expect("the test binary is in <profile>/deps");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "soapgen", "--bin", "soapgen"]);
        if profile_dir.file_name().is_some_and(|name| name == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "`cargo build -p soapgen` failed: {status}");
        let binary = profile_dir.join(format!("soapgen{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "{} was not built", binary.display());
        binary
    })
}

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh, empty directory named after the test.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("reference-tests-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating the scratch directory");
        Scratch(dir)
    }

    /// Writes `text` at `relative`; returns the path.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::write(&path, text).expect("writing a scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `text` with the one occurrence of `from` replaced by `to`; panics unless `from` occurs once.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "expected exactly one `{from}`");
    text.replacen(from, to, 1)
}

/// `text` without any `<wsdl:operation name="{name}">…</wsdl:operation>` block (port type and
/// bindings); panics when there is none.
pub fn remove_operation(text: &str, name: &str) -> String {
    let open = format!("<wsdl:operation name=\"{name}\">");
    let close = "</wsdl:operation>";
    let mut out = String::new();
    let mut rest = text;
    let mut removed = 0;
    while let Some(start) = rest.find(&open) {
        let end = start + rest[start..].find(close).expect("the operation is closed") + close.len();
        out.push_str(&rest[..start]);
        rest = &rest[end..];
        removed += 1;
    }
    out.push_str(rest);
    assert!(removed > 0, "no operation `{name}`");
    out
}

/// Parses JSON output.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{text}"))
}
