//! Reading one HTTP/1.1 request off a raw TCP stream, for the tests' scripted servers on
//! 127.0.0.1 (servers that must be able to drop a connection or answer out of turn, which an
//! HTTP framework would not let them do).
#![allow(dead_code)]

use std::borrow::Cow;

use tokio::io::AsyncReadExt as _;
use tokio::net::TcpStream;

/// A request as it arrived: its head, the empty line and its body.
pub struct RawRequest {
    /// Every byte read.
    pub bytes: Vec<u8>,
    head_len: usize,
}

impl RawRequest {
    /// The request line and header lines.
    pub fn head(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes[..self.head_len])
    }
}

/// Reads one whole request from `stream`: the head, then as many body bytes as its
/// `Content-Length` says. `UnexpectedEof` when the client closes the connection before.
pub async fn read_request(stream: &mut TcpStream) -> std::io::Result<RawRequest> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(head_len) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..head_len]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if bytes.len() >= head_len + 4 + length {
                return Ok(RawRequest { bytes, head_len });
            }
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}
