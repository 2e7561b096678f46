//! No Data Zoo secret reaches the logs: every flow runs with a TRACE subscriber capturing into a
//! buffer, then the buffer is searched for the password and every token the mock issued.
//!
//! The subscriber is global, so this file holds a single test.

#![cfg(all(feature = "datazoo", feature = "mock"))]

mod log_capture;

use log_capture::CapturedLogs;
use std::sync::Arc;

use soapbind::datazoo::{Client, Credentials, LoginMethod, MemoryTokenStore, Verification};
use soapbind::mock::datazoo::{InvalidTokenStyle, MockDataZoo, KNOWN_IDENTITIES, PASSWORD, USER_NAME};

/// The mock's first known person, against one data source: a full match.
fn person() -> Verification {
    KNOWN_IDENTITIES[0].verification()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_appears_in_trace_output_errors_or_debug() {
    let captured = CapturedLogs::global();

    let mock = MockDataZoo::start().await.unwrap();
    let mut printed = Vec::new();
    for method in [LoginMethod::Soap, LoginMethod::RestJson, LoginMethod::RestXml] {
        for style in [InvalidTokenStyle::Fault, InvalidTokenStyle::Message] {
            mock.set_invalid_token_style(style);
            let client = mock
                .client_builder()
                .login_method(method)
                .token_store(Arc::new(MemoryTokenStore::new()))
                .build()
                .unwrap();
            client.verify(&person()).await.unwrap();
            // Revoked by someone else: recovered once, then contention.
            mock.issue_token(USER_NAME);
            client.verify(&person()).await.unwrap();
            mock.issue_token(USER_NAME);
            let contention = client.verify(&person()).await.unwrap_err();
            assert!(contention.is_contention());
            printed.push(contention.to_string());
            printed.push(format!("{contention:?}"));
            printed.push(format!("{client:?}"));
            printed.push(format!("{:?}", client.session().await.unwrap()));
            printed.push(format!("{:?}", client.token_store()));
        }
        // A wrong password, for the refusal paths.
        let refused = Client::builder()
            .credentials(Credentials::new(USER_NAME, format!("{PASSWORD}-wrong")))
            .endpoint(mock.base_url())
            .rest_base_url(mock.rest_base_url())
            .login_method(method)
            .build()
            .unwrap()
            .session()
            .await
            .unwrap_err();
        printed.push(refused.to_string());
        printed.push(format!("{refused:?}"));
    }

    let logs = captured.text();
    // The capture works and saw the envelopes and the REST bodies.
    assert!(logs.contains("soap request") && logs.contains("soap reply"), "no envelopes traced");
    assert!(logs.contains("rest login request") && logs.contains("rest login reply"), "no REST bodies traced");
    assert!(logs.contains("<UserPassword>***</UserPassword>"), "the password element is not redacted");
    assert!(logs.contains("datazoo token contention"));
    assert!(logs.contains(USER_NAME));

    let tokens = mock.issued_tokens();
    assert!(tokens.len() >= 18, "{} tokens", tokens.len());
    let everything = format!("{logs}\n{}", printed.join("\n"));
    let escaped_password = PASSWORD.replace('&', "&amp;");
    for secret in [PASSWORD, escaped_password.as_str(), "-wrong"] {
        assert!(!everything.contains(secret), "the password ({secret}) leaked");
    }
    for token in &tokens {
        assert!(!everything.contains(token.as_str()), "a token leaked");
        assert!(!everything.to_ascii_lowercase().contains(&token.to_ascii_lowercase()), "a token leaked (case)");
    }
}
