//! A mutation fuzzer over the reply readers, on stable Rust.
//!
//! ```sh
//! cargo run --release --example fuzz -- --minutes 10       # or --seconds 60, --seed 42
//! cargo run --release --example fuzz -- --corpus ../shared/reference/nmbrs-v2.1 --minutes 5
//! ```
//!
//! Seeded mutations (bit flips, XML tokens inserted, ranges deleted, repeated or spliced from
//! another seed, truncation) of real-shaped replies — the zeep benchmark shape, an Nmbrs
//! `PersonalInfo_GetAll` reply, a Data Zoo `Verify` reply, SOAP 1.1 and 1.2 faults, and any
//! `*.xml` under `--corpus` (read in place) — are fed to the envelope and fault reader with
//! several generated reply types, the REST login model reader, the redaction, the encoding
//! check and the leaf parsers. A panic, or a read over 100 ms (1 s in a debug build) of an input
//! under 1 MB in four runs, is reported with the input written to `target/fuzz/` and ends the run with
//! status 1. The same seed replays the same inputs; `--replay FILE` times one saved input.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::datazoo::generated::rest_models::LoginResponseModel;
use soapbind::nmbrs::generated::{company_service as cs, debtor_service as ds, employee_service as es};
use soapbind::soap::xml::{self, Base64Binary, Date, DateTime, Decimal, Element, Uuid, XmlReader, XmlValue};
use soapbind::soap::{envelope, CallContext, Fault, QualifiedName, Secret, SoapVersion};

#[path = "../benches/common/mod.rs"]
mod common;

/// Tokens that make XML interesting, inserted by the mutator.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "&",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "&#99999999;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    " xmlns=\"\"",
    " xmlns:a=\"urn:a\"",
    " xsi:nil=\"true\"",
    "a:",
    "\u{0}",
    "\u{1}",
    "\u{feff}",
    "\u{fffe}",
    "\r\n",
    "\"",
    "'",
    "-1",
    "9999999999999999999999999999",
    "1e400",
    "NaN",
    "2024-02-30T25:61:61Z",
    "0001-01-01",
    "true",
    "<soap:Fault>",
    "</soap:Body>",
    "<soap:Header>",
    "Invalid Token",
    "it&#39;s-S3cret",
];

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut input = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                input.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(len);
                input.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(256)).min(len);
                let piece = input[at..end].to_vec();
                for _ in 0..rng.below(16) {
                    input.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let end = (from + rng.below(512)).min(other.len());
                input.splice(at..at, other[from..end].iter().copied());
            }
            5 => input.truncate(at),
            _ if len > 0 => input[at.min(len - 1)] = rng.below(256) as u8,
            _ => {}
        }
    }
    input
}

/// Every reader the fuzzer drives, on one input.
fn run_targets(input: &[u8], ctx: &CallContext) {
    let _ = envelope::read_response::<common::zeep::Items>(input);
    let _ = envelope::read_response::<es::PersonalInfoGetAllAllEmployeesByCompanyResponse>(input);
    let _ = envelope::read_response::<dz::VerifyResponse>(input);
    let _ = envelope::read_response::<dz::AuthenticateResponse>(input);
    let _ = envelope::read_response::<ds::EnvironmentGetResponse>(input);
    let _ = envelope::read_response::<cs::ListGetAllResponse>(input);
    let _ = read_document::<LoginResponseModel>(input);
    let text = String::from_utf8_lossy(input);
    let _ = ctx.redact(&text);
    let _ = xml::document_text(input);
    let _ = xml::illegal_char(&text);
    let leaf: String = text.chars().take(128).collect();
    let _ = Decimal::from_xml(&leaf);
    let _ = i32::from_xml(&leaf);
    let _ = i64::from_xml(&leaf);
    let _ = f64::from_xml(&leaf);
    let _ = bool::from_xml(&leaf);
    let _ = Date::from_xml(&leaf);
    let _ = DateTime::from_xml(&leaf);
    let _ = Base64Binary::from_xml(&leaf);
    let _ = Uuid::from_xml(&leaf);
}

fn read_document<E: Element>(doc: &[u8]) -> Result<E, xml::DeError> {
    let text = xml::document_text(doc)?;
    let mut r = XmlReader::from_text(&text);
    let root = r.root()?;
    let value = E::read_xml(&mut r, &root)?;
    r.finish()?;
    Ok(value)
}

fn seeds(corpus: Option<&Path>) -> Vec<Vec<u8>> {
    let mut seeds = vec![
        common::zeep_reply(20).into_bytes(),
        common::envelope_of(SoapVersion::V11, &common::nmbrs_personal_infos(2)).into_bytes(),
        common::envelope_of(SoapVersion::V12, &common::datazoo_verify_reply()).into_bytes(),
        br#"<?xml version="1.0" encoding="utf-8"?><LoginResponseModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SessionToken>t</SessionToken><Countries><LoginResponseCountryModel><Country>NZ</Country><DataSources><string>A</string></DataSources></LoginResponseCountryModel></Countries></LoginResponseModel>"#.to_vec(),
    ];
    for version in [SoapVersion::V11, SoapVersion::V12] {
        let ns = version.envelope_namespace();
        let mut fault = Fault::new(
            version,
            QualifiedName::new(ns, "Client"),
            "Server was unable to process request. ---> 1001: Invalid Authentication",
        );
        fault.subcodes.push(QualifiedName::new("urn:x", "Sub"));
        fault.detail = Some("<d xmlns=\"urn:x\">detail &amp; more</d>".into());
        seeds.push(envelope::write_fault(version, &fault).into_bytes());
    }
    if let Some(dir) = corpus {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                if let Ok(entries) = std::fs::read_dir(&path) {
                    stack.extend(entries.flatten().map(|e| e.path()));
                }
            } else if path.extension().is_some_and(|e| e == "xml") {
                if let Ok(bytes) = std::fs::read(&path) {
                    seeds.push(bytes);
                }
            }
        }
    }
    seeds
}

/// The fastest of three more runs of a slow input: one slow run can be the machine's load (a
/// shared CI runner), three are the input.
fn retimed(input: &[u8], ctx: &CallContext) -> Duration {
    (0..3)
        .map(|_| {
            let begun = Instant::now();
            let _ = panic::catch_unwind(AssertUnwindSafe(|| run_targets(input, ctx)));
            begun.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn save(kind: &str, n: u64, input: &[u8]) -> PathBuf {
    let dir = PathBuf::from("target/fuzz");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{kind}-{n}.xml"));
    let _ = std::fs::write(&path, input);
    path
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let seconds = value("--seconds").and_then(|v| v.parse::<f64>().ok());
    let minutes = value("--minutes").and_then(|v| v.parse::<f64>().ok());
    let budget = Duration::from_secs_f64(seconds.or(minutes.map(|m| m * 60.0)).unwrap_or(60.0));
    let seed = value("--seed").and_then(|v| v.parse().ok()).unwrap_or(0x5eed_f50a_9000);
    let corpus = value("--corpus").map(PathBuf::from);
    let slow = if cfg!(debug_assertions) { Duration::from_secs(1) } else { Duration::from_millis(100) };

    let ctx = CallContext::new("fuzz")
        .with_secret(Secret::new("it's-S3cret"))
        .with_secret_element("Token")
        .with_secret_element("Password");
    if let Some(path) = value("--replay") {
        // One saved input, 20 times: a slow report that was the machine's load reads fast here.
        let input = std::fs::read(&path).expect("--replay FILE");
        let times: Vec<u128> = (0..20)
            .map(|_| {
                let begun = Instant::now();
                run_targets(&input, &ctx);
                begun.elapsed().as_micros()
            })
            .collect();
        println!(
            "{path}: {} bytes, fastest {} µs, slowest {} µs",
            input.len(),
            times.iter().min().unwrap_or(&0),
            times.iter().max().unwrap_or(&0)
        );
        return;
    }
    let seeds = seeds(corpus.as_deref());
    panic::set_hook(Box::new(|_| {})); // reported below, with the input
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let (mut runs, mut failures) = (0u64, 0u64);
    while started.elapsed() < budget {
        let input = mutate(&mut rng, &seeds);
        let begun = Instant::now();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_targets(&input, &ctx)));
        let took = begun.elapsed();
        runs += 1;
        if let Err(payload) = outcome {
            failures += 1;
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("PANIC on input #{runs} ({message}): {}", save("panic", runs, &input).display());
        } else if took > slow && input.len() < 1_000_000 && retimed(&input, &ctx) > slow {
            failures += 1;
            let path = save("slow", runs, &input);
            eprintln!("SLOW: {} ms for {} bytes: {}", took.as_millis(), input.len(), path.display());
        }
    }
    println!(
        "fuzz: {runs} inputs from {} seeds in {:.0} s (seed {seed}), {failures} failure(s)",
        seeds.len(),
        started.elapsed().as_secs_f64()
    );
    if failures > 0 {
        std::process::exit(1);
    }
}
