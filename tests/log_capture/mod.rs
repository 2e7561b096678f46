//! TRACE output captured in memory, for the tests that search the logs for secrets.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;
use tracing_subscriber::util::SubscriberInitExt;

/// Everything the subscriber wrote so far; clones share the buffer.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn builder(&self) -> impl SubscriberInitExt {
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(self.clone()).with_ansi(false)
    }

    /// Captures TRACE output of the whole process (`log` records from reqwest and hyper too);
    /// a test binary can do this once.
    pub fn global() -> Self {
        let logs = Self::default();
        logs.builder().try_init().expect("the first global subscriber of this test binary");
        logs
    }

    /// Captures TRACE output of this thread while the guard lives.
    pub fn on_this_thread() -> (Self, DefaultGuard) {
        let logs = Self::default();
        let guard = logs.builder().set_default();
        (logs, guard)
    }

    /// The text written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("UTF-8 logs")
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
