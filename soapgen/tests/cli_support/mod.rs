//! Shared pieces of the `soapgen` command tests: running the binary, scratch directories,
//! editing contracts.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Runs the built `soapgen` with `args` in `dir` (the workspace root when `None`).
pub fn soapgen(args: &[&str], dir: Option<&Path>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_soapgen"));
    command.args(args).current_dir(dir.map_or_else(workspace, Path::to_path_buf));
    let Output { status, stdout, stderr } = command.output().expect("the soapgen binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// The workspace root (the bindings crate).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh, empty directory named after the test.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("soapgen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating the scratch directory");
        Scratch(dir)
    }

    /// A path inside it.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }

    /// Writes `text` at `relative`, creating directories; returns the path.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("creating directories");
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
