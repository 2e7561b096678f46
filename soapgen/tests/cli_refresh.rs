//! `soapgen refresh` against a local HTTP server serving WSDLs from a scratch directory: fetches
//! every contract, writes only the changed ones, shows the diff, and refuses what it must.

mod cli_support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cli_support::{remove_operation, replace_once, soapgen, workspace, Scratch};

const SERVICES: [&str; 5] = ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"];

/// A tiny HTTP/1.1 server on 127.0.0.1: `GET /<anything>/<Name>.asmx?WSDL` answers with
/// `<root>/<Name>.wsdl`, or 404. One connection at a time; stops when dropped.
struct Server {
    base: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(root: PathBuf) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, halt) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let _ = serve(stream, &root);
            }
        });
        Server { base: format!("http://{addr}/soap/v3"), requests, stop, addr }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop so it sees the flag
    }
}

fn serve(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("");
    let file = target
        .strip_suffix("?WSDL")
        .and_then(|p| p.rsplit('/').next())
        .and_then(|name| name.strip_suffix(".asmx"))
        .map(|name| root.join(format!("{name}.wsdl")));
    let (status, body) = match file.and_then(|f| std::fs::read(f).ok()) {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", b"no such service".to_vec()),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

fn vendored(service: &str) -> String {
    std::fs::read_to_string(workspace().join(format!("wsdl/nmbrs/v3/{service}.wsdl"))).expect("a vendored contract")
}

/// A scratch `wsdl/` with the five vendored Nmbrs contracts, their modification time set an hour
/// back, and a `live/` directory served by a local server with the same five.
fn setup(name: &str) -> (Scratch, Server) {
    let scratch = Scratch::new(name);
    let old = SystemTime::now() - Duration::from_secs(3600);
    for service in SERVICES {
        let path = scratch.write(&format!("wsdl/nmbrs/v3/{service}.wsdl"), &vendored(service));
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
        scratch.write(&format!("live/{service}.wsdl"), &vendored(service));
    }
    let server = Server::start(scratch.path("live"));
    (scratch, server)
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn writes_only_the_changed_contract_and_shows_its_diff() {
    let (scratch, server) = setup("refresh-changed");
    let live = remove_operation(&vendored("EmployeeService"), "Employee_Insert");
    scratch.write("live/EmployeeService.wsdl", &live);
    let before: Vec<SystemTime> =
        SERVICES.iter().map(|s| modified(&scratch.path(&format!("wsdl/nmbrs/v3/{s}.wsdl")))).collect();

    let dir = scratch.path("wsdl");
    let run = soapgen(
        &["refresh", "nmbrs", "--base-url", &server.base, "--dir", dir.to_str().unwrap(), "--fail-on", "breaking"],
        None,
    );
    // A breaking change under `--fail-on breaking`: status 1.
    run.expect_code(1);
    assert_eq!(server.requests(), 5);

    // One progress line per contract, in order.
    let progress: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(progress.len(), 5, "{}", run.stderr);
    for (i, (line, service)) in progress.iter().zip(SERVICES).enumerate() {
        let prefix = format!("[{}/5] {}/{service}.asmx?WSDL → ", i + 1, server.base);
        assert!(line.starts_with(&prefix), "{line}");
        let expected = if service == "EmployeeService" { "changed, written" } else { "unchanged" };
        assert!(line.ends_with(expected), "{line}");
    }

    // The diff against the vendored copy, and what to do next.
    assert!(run.stdout.contains("\n  Employee_Insert\n    BREAKING  operation removed"), "{}", run.stdout);
    assert!(run.stdout.contains("1 breaking, 0 additive, 0 notes"), "{}", run.stdout);
    assert!(run.stdout.contains("1 of 5 contract(s) changed"), "{}", run.stdout);
    assert!(run.stdout.contains("SOAPGEN_BLESS=1 cargo build") && run.stdout.contains("git diff generated/"));

    // The changed file holds the live bytes; the others are untouched, contents and times.
    for (service, before) in SERVICES.iter().zip(before) {
        let path = scratch.path(&format!("wsdl/nmbrs/v3/{service}.wsdl"));
        let now = std::fs::read_to_string(&path).unwrap();
        if *service == "EmployeeService" {
            assert_eq!(now, live);
            assert!(modified(&path) > before);
        } else {
            assert_eq!(now, vendored(service), "{service}");
            assert_eq!(modified(&path), before, "{service} was rewritten");
        }
    }

    // A second run finds nothing new.
    let again = soapgen(
        &["refresh", "nmbrs", "--base-url", &server.base, "--dir", dir.to_str().unwrap(), "--fail-on", "any"],
        None,
    );
    again.expect_code(0);
    assert!(again.stdout.contains("5 contract(s) checked, none changed"), "{}", again.stdout);
    assert_eq!(again.stderr.lines().filter(|l| l.ends_with("unchanged")).count(), 5, "{}", again.stderr);
}

#[test]
fn an_additive_change_passes_fail_on_breaking() {
    let (scratch, server) = setup("refresh-additive");
    // An optional field in a type (`Debtor`, read by Debtor_Get and sent by Debtor_Insert): additive
    // on both sides. A new parameter of an operation would break callers.
    let live = replace_once(
        &vendored("DebtorService"),
        "<s:complexType name=\"Debtor\">\n        <s:sequence>\n",
        "<s:complexType name=\"Debtor\">\n        <s:sequence>\n          \
         <s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Region\" type=\"s:string\" />\n",
    );
    scratch.write("live/DebtorService.wsdl", &live);
    let dir = scratch.path("wsdl");
    let run = soapgen(
        &["refresh", "nmbrs", "--base-url", &server.base, "--dir", dir.to_str().unwrap(), "--fail-on", "breaking"],
        None,
    );
    run.expect_code(0);
    assert!(run.stdout.contains("ADDITIVE  request and reply field `Region` added, optional"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(scratch.path("wsdl/nmbrs/v3/DebtorService.wsdl")).unwrap(), live);
}

#[test]
fn url_path_pairs_and_new_files() {
    let (scratch, server) = setup("refresh-pairs");
    let dir = scratch.path("contracts");
    let pair = format!("{}/DebtorService.asmx?WSDL=acme/Debtor.wsdl", server.base);
    let run = soapgen(&["refresh", &pair, "--dir", dir.to_str().unwrap()], None);
    run.expect_code(0);
    assert!(run.stderr.contains("new, written"), "{}", run.stderr);
    // Each operation has a SOAPAction in the SOAP 1.1 binding and in the SOAP 1.2 one.
    let debtor = vendored("DebtorService");
    let operations = format!("{} operations", debtor.matches("soapAction=").count() / 2);
    assert!(run.stdout.contains("new contract") && run.stdout.contains(&operations), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(dir.join("acme/Debtor.wsdl")).unwrap(), debtor);
}

#[test]
fn a_download_that_does_not_generate_leaves_the_vendored_file() {
    let (scratch, server) = setup("refresh-broken");
    scratch.write("live/ReportService.wsdl", "<html><body>Service unavailable</body></html>");
    std::fs::remove_file(scratch.path("live/CompanyService.wsdl")).unwrap();
    let dir = scratch.path("wsdl");
    let run = soapgen(&["refresh", "nmbrs", "--base-url", &server.base, "--dir", dir.to_str().unwrap()], None);
    run.expect_code(2);
    assert!(run.stderr.contains("CompanyService.asmx?WSDL: HTTP 404 Not Found: no such service"), "{}", run.stderr);
    assert!(run.stderr.contains("the downloaded contract does not generate"), "{}", run.stderr);
    assert!(run.stderr.contains("2 of 5 contract(s) failed"), "{}", run.stderr);
    // No claim that all five were checked: three were, and they did not change.
    assert!(run.stdout.contains("3 of 5 contract(s) downloaded; none of those changed"), "{}", run.stdout);
    assert!(!run.stdout.contains("5 contract(s) checked"), "{}", run.stdout);
    for service in ["ReportService", "CompanyService"] {
        let path = scratch.path(&format!("wsdl/nmbrs/v3/{service}.wsdl"));
        assert_eq!(std::fs::read_to_string(path).unwrap(), vendored(service), "{service}");
    }
}

#[test]
fn refuses_plain_http_off_loopback_and_datazoo_without_a_base() {
    let scratch = Scratch::new("refresh-refused");
    let dir = scratch.path("wsdl");
    let run = soapgen(&["refresh", "http://example.com/X.asmx?WSDL=x/X.wsdl", "--dir", dir.to_str().unwrap()], None);
    run.expect_code(2);
    assert!(run.stderr.contains("plain HTTP is only allowed to a loopback address"), "{}", run.stderr);
    assert!(!dir.exists());

    let run = soapgen(&["refresh", "datazoo", "--dir", dir.to_str().unwrap()], None);
    run.expect_code(2);
    assert!(
        run.stderr.contains("Data Zoo publishes no WSDL URL") && run.stderr.contains("--base-url"),
        "{}",
        run.stderr
    );

    let run = soapgen(&["refresh", "--dir", dir.to_str().unwrap()], None);
    run.expect_code(2);
    let run = soapgen(&["refresh", "salesforce"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("`salesforce` is neither an API name"), "{}", run.stderr);
}

#[test]
fn datazoo_with_a_base_url_fetches_its_asmx_wsdl() {
    let scratch = Scratch::new("refresh-datazoo");
    let contract = std::fs::read_to_string(workspace().join("wsdl/datazoo/DataZoo.wsdl")).unwrap();
    scratch.write("live/DataZoo.wsdl", &contract);
    scratch.write("wsdl/datazoo/DataZoo.wsdl", &contract);
    let server = Server::start(scratch.path("live"));
    let dir = scratch.path("wsdl");
    let run = soapgen(&["refresh", "datazoo", "--base-url", &server.base, "--dir", dir.to_str().unwrap()], None);
    run.expect_code(0);
    assert!(run.stderr.contains(&format!("[1/1] {}/DataZoo.asmx?WSDL → ", server.base)), "{}", run.stderr);
    assert!(run.stderr.contains("unchanged"), "{}", run.stderr);
}
