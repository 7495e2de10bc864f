//! A minimal async HTTP/1.1 client: one keep-alive TCP connection per [`Connection`], no TLS.
//!
//! Written by hand rather than pulling in an HTTP stack because the harness needs very little
//! (plain requests to one server) and the measurement should include as little client machinery
//! as possible. It understands what actix-web sends: `Content-Length` bodies, `Transfer-Encoding:
//! chunked` bodies (used for streamed responses such as CSV), and bodies delimited by the server
//! closing the connection.

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use std::borrow::Cow;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Longest status or header line accepted, so a confused peer cannot make us buffer forever.
const MAX_LINE: usize = 16 * 1024;
/// Most header lines accepted in one response.
const MAX_HEADERS: usize = 200;
/// Largest body accepted: a year of sales as CSV is big, but not this big.
const MAX_BODY: usize = 1024 * 1024 * 1024;
/// How much of a body error messages quote.
const QUOTE_CHARS: usize = 2000;

/// Where the server listens, parsed from `--url` (`http://host[:port][/prefix]`).
#[derive(Debug, Clone)]
pub struct Target {
    host: String,
    port: u16,
    /// `host:port` as sent in the `Host` header.
    authority: String,
    /// A path prefix to put before every request path, without a trailing `/`.
    prefix: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self> {
        let rest = match url.strip_prefix("http://") {
            Some(rest) => rest,
            None if url.starts_with("https://") => {
                bail!("--url {url:?}: https is not supported; point it at the plain HTTP listener")
            }
            None => bail!("--url {url:?} must start with http://"),
        };
        let (authority, prefix) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.is_empty() {
            bail!("--url {url:?} has no host");
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            // An IPv6 literal: [::1]:8080
            let (host, tail) = bracketed
                .split_once(']')
                .with_context(|| format!("--url {url:?}: unclosed '['"))?;
            let port = match tail.strip_prefix(':') {
                Some(port) => port,
                None if tail.is_empty() => "80",
                None => bail!("--url {url:?}: unexpected {tail:?} after the address"),
            };
            (host, port)
        } else {
            authority.rsplit_once(':').unwrap_or((authority, "80"))
        };
        let port = port
            .parse()
            .with_context(|| format!("--url {url:?}: bad port {port:?}"))?;
        Ok(Self {
            host: host.to_owned(),
            port,
            authority: authority.to_owned(),
            prefix: prefix.trim_end_matches('/').to_owned(),
        })
    }
}

/// A complete response: the body is fully read (and de-chunked).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    pub fn json(&self) -> Result<Value> {
        serde_json::from_slice(&self.body)
            .with_context(|| format!("the response is not JSON: {}", self.describe()))
    }

    /// The problem+json `code` of an error response, if it has one.
    pub fn problem_code(&self) -> Option<String> {
        let value: Value = serde_json::from_slice(&self.body).ok()?;
        Some(value.get("code")?.as_str()?.to_owned())
    }

    /// The status and the start of the body, for error messages.
    pub fn describe(&self) -> String {
        let text = self.text();
        let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
        if quoted.len() < text.len() {
            quoted.push_str(" [...]");
        }
        format!("HTTP {}: {}", self.status, quoted.trim())
    }
}

/// How an exchange failed: `Stale` when a reused keep-alive connection turned out to be closed
/// by the server before it answered (safe to resend once on a new connection), `Fatal` else.
enum Failure {
    Stale(anyhow::Error),
    Fatal(anyhow::Error),
}

impl Failure {
    fn into_error(self) -> anyhow::Error {
        match self {
            Self::Stale(e) | Self::Fatal(e) => e,
        }
    }
}

/// One keep-alive connection, opened on first use and reopened whenever the server closes it.
/// Requests on one connection are sequential (no pipelining), as a till would send them.
pub struct Connection {
    target: Target,
    stream: Option<BufReader<TcpStream>>,
    /// The local address to connect from, when not the system's choice.
    from: Option<std::net::IpAddr>,
}

impl Connection {
    pub fn new(target: Target) -> Self {
        Self {
            target,
            stream: None,
            from: None,
        }
    }

    /// A connection from another local address, e.g. another loopback address (127.0.0.2),
    /// so that the server sees a client of its own.
    pub fn from_address(target: Target, from: std::net::IpAddr) -> Self {
        Self {
            from: Some(from),
            ..Self::new(target)
        }
    }

    /// Sends one request and reads the whole response. `headers` are sent as given; `Host` and,
    /// with a body, `Content-Length` are added.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response> {
        let request = self.encode(method, path, headers, body);
        let reused = self.stream.is_some();
        match self.exchange(&request, method).await {
            Ok(response) => Ok(response),
            // The server closes idle keep-alive connections (actix: after 5 s). The first use
            // of such a connection fails before any response byte arrives, i.e. before the
            // request was handled, so it is sent again on a fresh connection.
            Err(Failure::Stale(_)) if reused => self
                .exchange(&request, method)
                .await
                .map_err(Failure::into_error),
            Err(failure) => Err(failure.into_error()),
        }
        .with_context(|| format!("{method} {path}"))
    }

    fn encode(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut head = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\n",
            self.target.prefix, self.target.authority
        );
        for (name, value) in headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body.unwrap_or_default());
        bytes
    }

    async fn exchange(&mut self, request: &[u8], method: &str) -> Result<Response, Failure> {
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => {
                let stream = connect(&self.target, self.from)
                    .await
                    .with_context(|| {
                        format!("connecting to {}:{}", self.target.host, self.target.port)
                    })
                    .map_err(Failure::Fatal)?;
                // Requests are written in one piece; don't let Nagle hold back the next one.
                stream
                    .set_nodelay(true)
                    .context("setting TCP_NODELAY")
                    .map_err(Failure::Fatal)?;
                self.stream.insert(BufReader::new(stream))
            }
        };
        let result = match stream.get_mut().write_all(request).await {
            Ok(()) => read_response(stream, method).await,
            Err(e) => Err(Failure::Stale(
                anyhow::Error::new(e).context("sending the request"),
            )),
        };
        match result {
            Ok((response, keep_alive)) => {
                if !keep_alive {
                    self.stream = None;
                }
                Ok(response)
            }
            Err(failure) => {
                // Whatever state the connection is in, it cannot carry another request.
                self.stream = None;
                Err(failure)
            }
        }
    }
}

/// Reads one response; also says whether the connection may be reused.
async fn read_response(
    reader: &mut BufReader<TcpStream>,
    method: &str,
) -> Result<(Response, bool), Failure> {
    let first = match read_line(reader).await {
        Ok(Some(line)) => line,
        Ok(None) => {
            return Err(Failure::Stale(anyhow!(
                "the server closed the connection without answering"
            )));
        }
        Err(e) => return Err(Failure::Stale(e)),
    };
    read_rest(reader, first, method)
        .await
        .map_err(Failure::Fatal)
}

async fn read_rest(
    reader: &mut BufReader<TcpStream>,
    mut status_line: String,
    method: &str,
) -> Result<(Response, bool)> {
    loop {
        let (version, status) = parse_status_line(&status_line)?;
        let headers = read_headers(reader).await?;
        if (100..200).contains(&status) && status != 101 {
            // An interim response (e.g. 100 Continue): the real one follows.
            status_line = read_line(reader)
                .await?
                .context("the connection closed after an interim response")?;
            continue;
        }
        let mut keep_alive = keeps_alive(version, &headers);
        let body = if method.eq_ignore_ascii_case("HEAD")
            || status == 204
            || status == 304
            || status < 200
        {
            Vec::new()
        } else if let Some(coding) = header(&headers, "transfer-encoding") {
            if coding
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
            {
                read_chunked(reader).await?
            } else {
                // Not chunked last: the body ends when the connection does (RFC 9112 6.3).
                keep_alive = false;
                read_to_end(reader).await?
            }
        } else if let Some(length) = header(&headers, "content-length") {
            let length: usize = length
                .trim()
                .parse()
                .with_context(|| format!("bad Content-Length {length:?}"))?;
            if length > MAX_BODY {
                bail!("a body of {length} bytes is more than this client accepts");
            }
            let mut body = vec![0; length];
            reader
                .read_exact(&mut body)
                .await
                .context("reading the body")?;
            body
        } else {
            keep_alive = false;
            read_to_end(reader).await?
        };
        let response = Response {
            status,
            headers,
            body,
        };
        return Ok((response, keep_alive));
    }
}

/// `HTTP/1.1 200 OK` → ("HTTP/1.1", 200).
fn parse_status_line(line: &str) -> Result<(&str, u16)> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        bail!("not an HTTP/1.x status line: {line:?}");
    }
    let status = parts
        .next()
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no status code in {line:?}"))?;
    Ok((version, status))
}

async fn read_headers(reader: &mut BufReader<TcpStream>) -> Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)
            .await?
            .context("the connection closed inside the headers")?;
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() == MAX_HEADERS {
            bail!("more than {MAX_HEADERS} header lines");
        }
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("bad header line {line:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when told `keep-alive`.
fn keeps_alive(version: &str, headers: &[(String, String)]) -> bool {
    let has = |token: &str| {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("connection"))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    if version == "HTTP/1.0" {
        has("keep-alive")
    } else {
        !has("close")
    }
}

/// Decodes a chunked body: `<hex size>[;ext]\r\n<data>\r\n` ... `0\r\n[trailers]\r\n`.
async fn read_chunked(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)
            .await?
            .context("the connection closed inside a chunked body")?;
        let size_text = line
            .split_once(';')
            .map_or(line.as_str(), |(s, _)| s)
            .trim();
        let size = usize::from_str_radix(size_text, 16)
            .with_context(|| format!("bad chunk size line {line:?}"))?;
        if size == 0 {
            // Trailer fields, if any, up to the empty line; we have no use for them.
            while !read_line(reader)
                .await?
                .context("the connection closed inside the trailers")?
                .is_empty()
            {}
            return Ok(body);
        }
        if body.len().saturating_add(size) > MAX_BODY {
            bail!("a chunked body of more than {MAX_BODY} bytes");
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(&mut body[start..])
            .await
            .context("reading a chunk")?;
        let end = read_line(reader)
            .await?
            .context("the connection closed after a chunk")?;
        if !end.is_empty() {
            bail!("a chunk is not followed by CRLF");
        }
    }
}

async fn read_to_end(reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    reader
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .await
        .context("reading the body")?;
    if body.len() > MAX_BODY {
        bail!("a body of more than {MAX_BODY} bytes");
    }
    Ok(body)
}

/// One CRLF- (or LF-) terminated line without its terminator; `None` at a clean end of stream.
async fn read_line(reader: &mut BufReader<TcpStream>) -> Result<Option<String>> {
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut line)
        .await
        .context("reading from the server")?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        if read == MAX_LINE {
            bail!("a line longer than {MAX_LINE} bytes");
        }
        bail!("the connection closed in the middle of a line");
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

async fn connect(target: &Target, from: Option<std::net::IpAddr>) -> std::io::Result<TcpStream> {
    let Some(from) = from else {
        return TcpStream::connect((target.host.as_str(), target.port)).await;
    };
    let to = tokio::net::lookup_host((target.host.as_str(), target.port))
        .await?
        .find(|a| a.is_ipv4() == from.is_ipv4())
        .ok_or_else(|| std::io::Error::other("no server address of the local address's family"))?;
    let socket = if from.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.bind(std::net::SocketAddr::new(from, 0))?;
    socket.connect(to).await
}
