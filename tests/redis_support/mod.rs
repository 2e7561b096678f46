//! A real `redis-server` on 127.0.0.1 for the tests of the Redis token store and the Redis rate
//! limiter: started with a free port and no persistence, killed when dropped.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` on 127.0.0.1, killed when dropped.
pub struct RedisServer {
    binary: PathBuf,
    pub port: u16,
    extra: Vec<String>,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server, or returns `None` after saying why when `redis-server` is not installed
    /// (unless `SOAPBIND_REDIS=required`: then that fails the test).
    pub fn start_or_skip(test: &str) -> Option<Self> {
        Self::start_with_or_skip(test, &[])
    }

    /// As [`start_or_skip`](Self::start_or_skip), with extra server arguments.
    pub fn start_with_or_skip(test: &str, extra: &[&str]) -> Option<Self> {
        let Some(binary) = find_on_path("redis-server") else {
            if std::env::var_os("SOAPBIND_REDIS").is_some_and(|v| v == "required") {
                panic!(
                    "{test}: redis-server is not installed, and SOAPBIND_REDIS=required, so the Redis tests must run. \
                     Install it (apt-get install redis-server); .ci/run does so when it is missing"
                );
            }
            // Straight to stderr, past the test harness's capture, so that the skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipping {test}: redis-server is not on the PATH (apt-get install redis-server to run it)"
            );
            return None;
        };
        let mut server = Self { binary, port: 0, extra: extra.iter().map(|s| (*s).to_owned()).collect(), child: None };
        // A free port can be taken by someone else between probing and binding: try a few.
        for _ in 0..5 {
            server.port = free_port();
            if server.spawn() {
                return Some(server);
            }
        }
        panic!("{test}: redis-server did not start on a free port of 127.0.0.1 in 5 attempts");
    }

    /// Starts the process on `self.port`; whether it answers.
    pub fn spawn(&mut self) -> bool {
        let dir = std::env::temp_dir();
        let child = Command::new(&self.binary)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--daemonize", "no", "--loglevel", "warning", "--dir"])
            .arg(&dir)
            .args(&self.extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server could not be started");
        self.child = Some(child);
        for _ in 0..200 {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                eprintln!("redis-server on port {} exited at start: {status}", self.port);
                self.child = None;
                return false;
            }
            if answers_ping(self.port) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        self.kill();
        false
    }

    /// `redis://127.0.0.1:<port>/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills the server (SIGKILL: nothing is saved, clients see the connection drop).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        assert!(self.spawn(), "redis-server did not start again on port {}", self.port);
    }

    /// A plain connection for looking at and changing what the store wrote.
    pub async fn raw(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.url()).unwrap().get_multiplexed_async_connection().await.unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|path| path.is_file())
}

pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}

/// Whether a Redis server answers on `port` (`+PONG`, or `-NOAUTH` when it wants a password).
fn answers_ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 64];
    match stream.read(&mut reply) {
        Ok(n) => reply[..n].starts_with(b"+PONG") || reply[..n].starts_with(b"-NOAUTH"),
        Err(_) => false,
    }
}
