//! The Data Zoo token manager over real HTTP against the mock service on 127.0.0.1: single
//! flight, renewal ahead of expiry, recovery from "Invalid Token" (fault and message), contention
//! between clients of one account, and shared stores.
//!
//! Tests that move time use the default current-thread runtime and pause tokio's clock only
//! around `advance`, resuming it before any network I/O (a paused clock auto-advances while the
//! runtime waits for sockets, which would fire the HTTP timeouts).

#![cfg(all(feature = "datazoo", feature = "mock"))]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use soapbind::datazoo::{
    Client, Credentials, DataSource, Error, LoginMethod, MemoryTokenStore, RenewalCause, Replaced, Session, TokenStore,
    Verification, VerificationStatus,
};
use soapbind::mock::datazoo::{InvalidTokenStyle, MockDataZoo, PASSWORD, TOKEN_LIFETIME, USER_NAME};
use soapbind::soap::Secret;
use tokio::task::JoinSet;

/// Fails a test that hangs instead of letting it run forever (not a speed assertion).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

fn builder(mock: &MockDataZoo, method: LoginMethod) -> soapbind::datazoo::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(USER_NAME, PASSWORD))
        .endpoint(mock.base_url())
        .rest_base_url(mock.rest_base_url())
        .login_method(method)
}

fn client(mock: &MockDataZoo) -> Client {
    builder(mock, LoginMethod::Soap).build().unwrap()
}

fn known_person() -> Verification {
    Verification::new()
        .first_name("Test")
        .last_name("TESTING")
        .date_of_birth(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap())
        .street_number("1")
        .street_name("Test")
        .suburb("Testville")
        .post_code("2001")
        .data_source(DataSource::new("Australian Residential").consent_obtained(true))
}

/// Runs `n` verifications concurrently from clones of `client`; every one must succeed.
async fn verify_concurrently(client: &Client, n: usize) {
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move { client.verify(&known_person()).await });
    }
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let result = joined.expect("task panicked").expect("a call failed");
        assert_eq!(result.status, VerificationStatus::FullMatch);
        done += 1;
    }
    assert_eq!(done, n);
}

/// Moves tokio's clock forward by `by`, then lets it run again.
async fn advance_clock(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_calls_from_clones_cause_one_authentication() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = client(&mock);
    bounded(verify_concurrently(&client, 1000)).await;
    assert_eq!(mock.authentications(), 1);
    assert_eq!(client.authentications(), 1);
    assert_eq!(mock.verifications(), 1000);
    assert_eq!(mock.invalid_token_replies(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_calls_of_each_login_method_cause_one_authentication() {
    for method in [LoginMethod::RestJson, LoginMethod::RestXml] {
        let mock = MockDataZoo::start().await.unwrap();
        let client = builder(&mock, method).build().unwrap();
        bounded(verify_concurrently(&client, 200)).await;
        assert_eq!(mock.authentications(), 1, "{method}");
        assert_eq!(client.session().await.unwrap().method(), method);
    }
}

#[tokio::test]
async fn after_24_hours_the_next_calls_cause_one_reauthentication_and_no_failure() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = client(&mock);
    bounded(client.verify(&known_person())).await.unwrap();
    let first = client.session().await.unwrap();
    assert_eq!(mock.authentications(), 1);

    advance_clock(TOKEN_LIFETIME).await;
    bounded(verify_concurrently(&client, 100)).await;
    assert_eq!(mock.authentications(), 2);
    assert_eq!(mock.invalid_token_replies(), 0, "the token was renewed before it was used");
    let second = client.session().await.unwrap();
    assert_ne!(first.token(), second.token());
    assert!(second.obtained_at() >= first.obtained_at() + TOKEN_LIFETIME);
}

#[tokio::test]
async fn the_token_is_renewed_within_the_margin_before_expiry_and_not_earlier() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).refresh_margin(Duration::from_secs(600)).build().unwrap();
    bounded(client.verify(&known_person())).await.unwrap();

    // 23h50m minus a bit: still fresh.
    advance_clock(TOKEN_LIFETIME - Duration::from_secs(660)).await;
    bounded(verify_concurrently(&client, 20)).await;
    assert_eq!(mock.authentications(), 1);

    // Two minutes later the token is inside the 10-minute margin: renewed before it expires.
    advance_clock(Duration::from_secs(120)).await;
    bounded(verify_concurrently(&client, 20)).await;
    assert_eq!(mock.authentications(), 2);
    assert_eq!(mock.invalid_token_replies(), 0);
}

#[tokio::test]
async fn a_token_the_server_expired_first_is_renewed_once_and_the_calls_retried() {
    // The client believes tokens live 48 hours; the server expires them after 24.
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).token_lifetime(2 * TOKEN_LIFETIME).build().unwrap();
    bounded(client.verify(&known_person())).await.unwrap();

    advance_clock(TOKEN_LIFETIME + Duration::from_secs(1)).await;
    bounded(verify_concurrently(&client, 50)).await;
    assert_eq!(mock.authentications(), 2);
    assert_eq!(mock.invalid_token_replies(), 50);
    assert_eq!(mock.verifications(), 1 + 50 + 50);
}

/// Another client signs in with the same account while 50 calls are in flight.
async fn another_client_signs_in_while_calls_are_in_flight(style: InvalidTokenStyle) {
    let mock = MockDataZoo::start().await.unwrap();
    mock.set_invalid_token_style(style);
    let client = client(&mock);
    client.verify(&known_person()).await.unwrap();
    assert_eq!(mock.authentications(), 1);

    mock.hold_verifications();
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.verify(&known_person()).await });
    }
    while mock.verifications() < 1 + 50 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A second client with its own store: its first call signs in and revokes our token.
    let other = client_with_own_store(&mock);
    other.session().await.unwrap();
    assert_eq!(mock.authentications(), 2);
    mock.release_verifications();

    while let Some(joined) = tasks.join_next().await {
        let result = joined.unwrap().expect("every call succeeds on its retry");
        assert_eq!(result.status, VerificationStatus::FullMatch);
    }
    assert_eq!(mock.invalid_token_replies(), 50);
    assert_eq!(client.authentications(), 2, "exactly one re-authentication");
    assert_eq!(mock.authentications(), 3);
    assert_eq!(mock.verifications(), 1 + 50 + 50, "each call was retried once");
    let record = client.token_store().current().await.unwrap().unwrap();
    assert_eq!(record.cause, RenewalCause::Rejected);
    assert_eq!(record.generation, 2);
}

fn client_with_own_store(mock: &MockDataZoo) -> Client {
    builder(mock, LoginMethod::Soap).token_store(Arc::new(MemoryTokenStore::new())).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalid_token_as_a_fault_causes_one_reauthentication_for_50_calls_in_flight() {
    bounded(another_client_signs_in_while_calls_are_in_flight(InvalidTokenStyle::Fault)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalid_token_in_the_message_causes_one_reauthentication_for_50_calls_in_flight() {
    bounded(another_client_signs_in_while_calls_are_in_flight(InvalidTokenStyle::Message)).await;
}

#[tokio::test]
async fn a_revoked_token_is_replaced_for_both_reply_styles_one_call_at_a_time() {
    for style in [InvalidTokenStyle::Fault, InvalidTokenStyle::Message] {
        let mock = MockDataZoo::start().await.unwrap();
        mock.set_invalid_token_style(style);
        let client = client(&mock);
        client.verify(&known_person()).await.unwrap();
        mock.issue_token(USER_NAME).unwrap();
        let result = bounded(client.verify(&known_person())).await.unwrap();
        assert!(result.is_full_match(), "{style:?}");
        assert_eq!(mock.authentications(), 3, "{style:?}");
        assert_eq!(mock.invalid_token_replies(), 1, "{style:?}");
    }
}

#[tokio::test]
async fn two_clients_fighting_over_one_account_end_with_contention() {
    let mock = MockDataZoo::start().await.unwrap();
    let a = client_with_own_store(&mock);
    let b = client_with_own_store(&mock);
    let mut contention = None;
    for round in 0..10 {
        for (name, client) in [("a", &a), ("b", &b)] {
            match bounded(client.verify(&known_person())).await {
                Ok(_) => {}
                Err(e) if e.is_contention() => {
                    contention.get_or_insert((round, name, e));
                }
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
    }
    let (round, who, error) = contention.expect("a contention error");
    assert!(round <= 2, "contention detected late, in round {round}");
    // a: initial + one recovery; b: initial + one recovery; then a's recovery token is
    // rejected within the window and nobody authenticates any more.
    assert_eq!(mock.authentications(), 4);
    assert_eq!(who, "a");
    let Error::TokenContention { user_name, window_ms, .. } = &error else { panic!("{error:?}") };
    assert_eq!(user_name, USER_NAME);
    assert_eq!(*window_ms, 60_000);
    let message = error.to_string();
    assert!(message.contains("TokenStore") && message.contains("same account"), "{message}");
    assert!(!message.contains(PASSWORD));
    for token in mock.issued_tokens() {
        assert!(!message.contains(&token));
        assert!(!format!("{error:?}").contains(&token));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_clients_fighting_concurrently_stop_within_a_bounded_number_of_authentications() {
    let mock = MockDataZoo::start().await.unwrap();
    let a = client_with_own_store(&mock);
    let b = client_with_own_store(&mock);
    let run = |client: Client| async move {
        let mut contentions = 0;
        for _ in 0..30 {
            match client.verify(&known_person()).await {
                Ok(_) => {}
                Err(e) if e.is_contention() => contentions += 1,
                Err(Error::TokenRejected { .. }) => {}
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
        contentions
    };
    let (ca, cb) = bounded(async { tokio::join!(tokio::spawn(run(a.clone())), tokio::spawn(run(b.clone()))) }).await;
    let (ca, cb) = (ca.unwrap(), cb.unwrap());
    assert!(ca + cb > 0, "a contention error");
    // Within the window each client authenticates at most twice: once at first, once to
    // replace a rejected token.
    assert!(mock.authentications() <= 4, "{} authentications", mock.authentications());
    assert!(a.authentications() <= 2 && b.authentications() <= 2);
}

#[tokio::test]
async fn after_the_contention_window_the_client_authenticates_again() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).contention_window(Duration::from_secs(30)).build().unwrap();
    client.verify(&known_person()).await.unwrap();
    mock.issue_token(USER_NAME).unwrap(); // someone else signs in once: recovered
    client.verify(&known_person()).await.unwrap();
    mock.issue_token(USER_NAME).unwrap(); // and again, right away: contention
    let error = client.verify(&known_person()).await.unwrap_err();
    assert!(error.is_contention(), "{error}");
    assert!(client.verify(&known_person()).await.unwrap_err().is_contention());
    assert_eq!(client.authentications(), 2);

    advance_clock(Duration::from_secs(31)).await;
    client.verify(&known_person()).await.unwrap();
    assert_eq!(client.authentications(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_sharing_one_store_share_one_token() {
    let mock = MockDataZoo::start().await.unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let a = builder(&mock, LoginMethod::Soap).token_store(store.clone()).build().unwrap();
    let b = builder(&mock, LoginMethod::RestJson).token_store(store.clone()).build().unwrap();
    bounded(async { tokio::join!(verify_concurrently(&a, 200), verify_concurrently(&b, 200)) }).await;
    assert_eq!(mock.authentications(), 1);
    assert_eq!(a.authentications() + b.authentications(), 1);
    assert_eq!(a.session().await.unwrap().token(), b.session().await.unwrap().token());

    // A rejection seen by one is repaired once for both.
    mock.issue_token(USER_NAME).unwrap();
    bounded(async { tokio::join!(verify_concurrently(&a, 50), verify_concurrently(&b, 50)) }).await;
    assert_eq!(mock.authentications(), 3);
}

#[tokio::test]
async fn a_stale_token_found_in_the_store_is_replaced_once() {
    let mock = MockDataZoo::start().await.unwrap();
    let store = Arc::new(MemoryTokenStore::new());
    let stale = Session::new(
        USER_NAME,
        Secret::new("00000000-0000-0000-0000-000000000000"),
        tokio::time::Instant::now(),
        Vec::new(),
        LoginMethod::Soap,
    );
    let Replaced::Done(seeded) = store.replace_if(None, Arc::new(stale), RenewalCause::Initial).await.unwrap() else {
        panic!("empty store")
    };
    let client = builder(&mock, LoginMethod::Soap).token_store(store.clone()).build().unwrap();
    bounded(verify_concurrently(&client, 20)).await;
    assert_eq!(mock.authentications(), 1);
    assert_eq!(mock.invalid_token_replies(), 20);
    let now = store.current().await.unwrap().unwrap();
    assert_eq!(now.generation, seeded.generation + 1);
}

#[tokio::test]
async fn a_store_holding_another_users_token_is_refused() {
    let mock = MockDataZoo::start().await.unwrap();
    let store = Arc::new(MemoryTokenStore::new());
    let foreign =
        Session::new("someone-else", Secret::new("x"), tokio::time::Instant::now(), Vec::new(), LoginMethod::Soap);
    store.replace_if(None, Arc::new(foreign), RenewalCause::Initial).await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).token_store(store).build().unwrap();
    let error = client.verify(&known_person()).await.unwrap_err();
    assert!(matches!(error, Error::Store(_)), "{error}");
    assert!(error.to_string().contains("one store per account"));
    assert_eq!(mock.authentications(), 0);
}

#[tokio::test]
async fn the_memory_store_compares_generations_and_leases_its_lock() {
    let store = MemoryTokenStore::new();
    let session = || {
        Arc::new(Session::new(USER_NAME, Secret::new("t"), tokio::time::Instant::now(), Vec::new(), LoginMethod::Soap))
    };
    let Replaced::Done(first) = store.replace_if(None, session(), RenewalCause::Initial).await.unwrap() else {
        panic!()
    };
    assert!(matches!(
        store.replace_if(None, session(), RenewalCause::Initial).await.unwrap(),
        Replaced::Conflict(Some(_))
    ));
    let Replaced::Done(second) =
        store.replace_if(Some(first.generation), session(), RenewalCause::Expiry).await.unwrap()
    else {
        panic!()
    };
    assert!(second.generation > first.generation);
    assert!(matches!(
        store.replace_if(Some(first.generation), session(), RenewalCause::Expiry).await.unwrap(),
        Replaced::Conflict(Some(r)) if r.generation == second.generation
    ));

    let lock = store.try_lock(Duration::from_secs(10)).await.unwrap().expect("free");
    assert!(store.try_lock(Duration::from_secs(10)).await.unwrap().is_none(), "held");
    // Releasing with a foreign id does nothing.
    let mut foreign = lock;
    foreign.id = uuid::Uuid::new_v4();
    store.unlock(foreign).await.unwrap();
    assert!(store.try_lock(Duration::from_secs(10)).await.unwrap().is_none(), "still held");
    store.unlock(lock).await.unwrap();
    let lock = store.try_lock(Duration::from_secs(10)).await.unwrap().expect("free again");

    // A lease that ran out can be taken over.
    advance_clock(Duration::from_secs(11)).await;
    let taken = store.try_lock(Duration::from_secs(10)).await.unwrap().expect("lease ran out");
    store.unlock(lock).await.unwrap(); // the old holder cannot release the new lock
    assert!(store.try_lock(Duration::from_secs(10)).await.unwrap().is_none());
    store.unlock(taken).await.unwrap();

    // A waiter wakes up when the record changes.
    let store = Arc::new(store);
    let lock = store.try_lock(Duration::from_secs(60)).await.unwrap().unwrap();
    let waiter = {
        let store = store.clone();
        tokio::spawn(async move { store.wait_for_change(Some(second.generation), Duration::from_secs(60)).await })
    };
    tokio::task::yield_now().await;
    store.replace_if(Some(second.generation), session(), RenewalCause::Rejected).await.unwrap();
    bounded(waiter).await.unwrap().unwrap();
    store.unlock(lock).await.unwrap();
}

#[tokio::test]
async fn callers_queued_behind_a_failed_login_share_its_failure() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = Client::builder()
        .credentials(Credentials::new(USER_NAME, "not-the-password"))
        .endpoint(mock.base_url())
        .build()
        .unwrap();
    mock.hold_logins();
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.verify(&known_person()).await });
    }
    // On this current-thread runtime every task runs up to its first wait before the test task
    // runs again: one is in the held login, the others are queued behind it.
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
    mock.release_logins();
    let (mut refused, mut shared) = (0, 0);
    while let Some(joined) = bounded(tasks.join_next()).await {
        match joined.unwrap().unwrap_err() {
            Error::LoginRefused { .. } => refused += 1,
            Error::LoginFailed { message, retryable } => {
                assert!(message.contains("Invalid username or password"), "{message}");
                assert!(!retryable);
                shared += 1;
            }
            other => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!((refused, shared), (1, 49));
    assert_eq!(mock.failed_logins(), 1);
    // A later call tries again.
    assert!(matches!(client.verify(&known_person()).await, Err(Error::LoginRefused { .. })));
    assert_eq!(mock.failed_logins(), 2);
}

#[tokio::test]
async fn a_call_cancelled_during_its_login_releases_the_store_lock() {
    let mock = MockDataZoo::start().await.unwrap();
    let store = Arc::new(MemoryTokenStore::new());
    let client = builder(&mock, LoginMethod::Soap)
        .token_store(store.clone())
        .lock_lease(Duration::from_secs(3600))
        .build()
        .unwrap();
    mock.hold_logins();
    let cancelled = {
        let client = client.clone();
        tokio::spawn(async move { client.verify(&known_person()).await })
    };
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
    assert!(store.try_lock(Duration::from_secs(1)).await.unwrap().is_none(), "the login holds the lock");
    cancelled.abort();
    assert!(cancelled.await.unwrap_err().is_cancelled());
    mock.release_logins();
    // Without the release, this would wait for the hour-long lease.
    bounded(client.verify(&known_person())).await.unwrap();
    let lock = store.try_lock(Duration::from_secs(1)).await.unwrap();
    assert!(lock.is_some(), "the lock is free again");
}

#[tokio::test]
async fn calls_in_flight_during_a_proactive_renewal_retry_with_the_new_token() {
    // A short client-side lifetime, so the jump stays below the HTTP timeout of the held calls.
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap)
        .token_lifetime(Duration::from_secs(60))
        .refresh_margin(Duration::from_secs(10))
        .build()
        .unwrap();
    client.verify(&known_person()).await.unwrap();

    mock.hold_verifications();
    let spawn_calls = |tasks: &mut JoinSet<_>, n| {
        for _ in 0..n {
            let client = client.clone();
            tasks.spawn(async move { client.verify(&known_person()).await });
        }
    };
    let mut tasks = JoinSet::new();
    spawn_calls(&mut tasks, 20);
    bounded(async {
        while mock.verifications() < 1 + 20 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    // Inside the margin: the next calls renew, which revokes the token of the 20 held calls.
    advance_clock(Duration::from_secs(55)).await;
    spawn_calls(&mut tasks, 20);
    bounded(async {
        while mock.verifications() < 1 + 40 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert_eq!(mock.authentications(), 2);
    mock.release_verifications();
    while let Some(joined) = bounded(tasks.join_next()).await {
        assert!(joined.unwrap().expect("no failed call reaches the caller").is_full_match());
    }
    assert_eq!(mock.authentications(), 2, "the retries used the renewed token");
    assert_eq!(mock.invalid_token_replies(), 20);
    assert_eq!(client.token_store().current().await.unwrap().unwrap().cause, RenewalCause::Expiry);
}
