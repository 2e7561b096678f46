//! The Redis token store against a real `redis-server`, started by each test on 127.0.0.1 with a
//! free port and no persistence, and the mock Data Zoo service: a fleet of workers (clients with
//! their own memory, each with its own store and connection) sharing one token.
//!
//! Without `redis-server` on the PATH these tests print why and pass, except with
//! `SOAPBIND_REDIS=required` (set by `.ci/run`, which installs it), where they fail.
//!
//! No test moves tokio's clock: the store measures a token's age with Redis's clock, so expiry is
//! shown with a short token lifetime and a real wait, or with a record aged in Redis.

#![cfg(all(feature = "redis", feature = "mock"))]

mod redis_support;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis_support::{free_port, RedisServer};
use sha2::{Digest as _, Sha256};
use soapbind::datazoo::{
    Client, ClientBuilder, Credentials, Error, LockLease, LoginMethod, RedisStoreError, RedisTokenStore, RenewalCause,
    Replaced, Session, TokenStore, Verification, VerificationStatus,
};
use soapbind::mock::datazoo::{MockDataZoo, KNOWN_IDENTITIES, PASSWORD, USER_NAME};
use soapbind::soap::Secret;
use tokio::task::JoinSet;

// ------------------------------------------------------------------------------------------------
// Workers

/// Fails a test that hangs instead of letting it run forever (not a speed assertion).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

/// The mock's first known person, against one data source: a full match.
fn known_person() -> Verification {
    KNOWN_IDENTITIES[0].verification()
}

fn builder(mock: &MockDataZoo) -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(USER_NAME, PASSWORD))
        .endpoint(mock.base_url())
        .rest_base_url(mock.rest_base_url())
}

/// One worker: a client with its own memory and its own store (and Redis connection).
async fn worker(
    mock: &MockDataZoo,
    redis: &RedisServer,
    configure: impl Fn(ClientBuilder) -> ClientBuilder,
) -> (Client, Arc<RedisTokenStore>) {
    let store = Arc::new(RedisTokenStore::connect(redis.url(), USER_NAME).await.unwrap());
    let client = configure(builder(mock)).token_store(store.clone()).build().unwrap();
    (client, store)
}

async fn fleet(
    mock: &MockDataZoo,
    redis: &RedisServer,
    n: usize,
    configure: impl Fn(ClientBuilder) -> ClientBuilder,
) -> Vec<Client> {
    let mut workers = Vec::new();
    for _ in 0..n {
        workers.push(worker(mock, redis, &configure).await.0);
    }
    workers
}

/// `per_worker` verifications from each worker, all at once; every one must succeed.
async fn verify_concurrently(workers: &[Client], per_worker: usize) {
    let mut tasks = JoinSet::new();
    for _ in 0..per_worker {
        for client in workers {
            let client = client.clone();
            tasks.spawn(async move { client.verify(&known_person()).await });
        }
    }
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let result = joined.expect("task panicked").expect("a call failed");
        assert_eq!(result.status, VerificationStatus::FullMatch);
        done += 1;
    }
    assert_eq!(done, workers.len() * per_worker);
}

fn fleet_authentications(workers: &[Client]) -> u64 {
    workers.iter().map(Client::authentications).sum()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

// ------------------------------------------------------------------------------------------------
// A fleet sharing one token

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_workers_making_1000_concurrent_calls_cause_one_authentication() {
    let Some(redis) = RedisServer::start_or_skip("eight_workers_making_1000_concurrent_calls") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let workers = fleet(&mock, &redis, 8, |b| b).await;

    bounded(verify_concurrently(&workers, 125)).await;
    assert_eq!(mock.authentications(), 1);
    assert_eq!(fleet_authentications(&workers), 1);
    assert_eq!(mock.verifications(), 1000);
    assert_eq!(mock.invalid_token_replies(), 0);
    let token = mock.current_token(USER_NAME).unwrap();
    for client in &workers {
        assert_eq!(client.session().await.unwrap().token().expose(), token);
    }
}

#[tokio::test]
async fn redis_holds_the_token_under_a_hash_of_the_user_name_and_neither_the_name_nor_the_password() {
    let Some(redis) = RedisServer::start_or_skip("redis_holds_the_token_under_a_hash") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    mock.add_user("second-user", "second-password");
    let (first, store) = worker(&mock, &redis, |b| b.login_method(LoginMethod::RestJson)).await;
    let second_store = Arc::new(RedisTokenStore::connect(redis.url(), "second-user").await.unwrap());
    let second = Client::builder()
        .credentials(Credentials::new("second-user", "second-password"))
        .endpoint(mock.base_url())
        .token_store(second_store.clone())
        .build()
        .unwrap();
    let person = known_person();
    bounded(async { tokio::try_join!(first.verify(&person), second.verify(&person)) }).await.unwrap();

    let hash = sha256_hex(USER_NAME);
    assert_eq!(store.account_hash(), hash);
    assert_eq!(store.token_key(), format!("soapbind:datazoo:{{{hash}}}:token"));
    assert_eq!(store.lock_key(), format!("soapbind:datazoo:{{{hash}}}:lock"));
    let mut raw = redis.raw().await;
    let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut raw).await.unwrap();
    keys.sort();
    let mut expected = vec![store.token_key().to_owned(), second_store.token_key().to_owned()];
    expected.sort();
    assert_eq!(keys, expected, "one record per account, and no lock left behind");

    for (key, user, password) in
        [(store.token_key(), USER_NAME, PASSWORD), (second_store.token_key(), "second-user", "second-password")]
    {
        let fields: Vec<(String, String)> = redis::cmd("HGETALL").arg(key).query_async(&mut raw).await.unwrap();
        let token = fields.iter().find(|(name, _)| name == "token").map(|(_, value)| value.clone());
        assert_eq!(token, mock.current_token(user), "the shared token is the account's current one");
        for text in std::iter::once(key).chain(fields.iter().flat_map(|(n, v)| [n.as_str(), v.as_str()])) {
            assert!(!text.contains(user), "the user name is stored in clear in {key}");
            assert!(!text.contains(password), "the password reached Redis in {key}");
        }
        let method = fields.iter().find(|(name, _)| name == "method").map(|(_, value)| value.as_str());
        assert_eq!(method, Some(if user == USER_NAME { "rest-json" } else { "soap" }));
    }
    assert_ne!(mock.current_token(USER_NAME), mock.current_token("second-user"));
    assert_eq!(mock.authentications(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_expiry_one_worker_renews_the_token_for_the_fleet() {
    let Some(redis) = RedisServer::start_or_skip("after_expiry_one_worker_renews_the_token_for_the_fleet") else {
        return;
    };
    let mock = MockDataZoo::start().await.unwrap();
    // Usable for 8 s, then renewed ahead of expiry. Each phase of calls must end within 8 s of
    // its token's login for the counts below to hold: ample on loopback, even on a loaded machine.
    let usable = Duration::from_secs(8);
    let workers = fleet(&mock, &redis, 8, |b| {
        b.token_lifetime(usable + Duration::from_secs(2)).refresh_margin(Duration::from_secs(2))
    })
    .await;
    bounded(verify_concurrently(&workers, 10)).await;
    assert_eq!(mock.authentications(), 1);
    let first = workers[0].session().await.unwrap();

    // A real wait: the token's age is measured with Redis's clock, which tokio cannot move.
    tokio::time::sleep_until(first.obtained_at() + usable + Duration::from_millis(200)).await;
    let started = tokio::time::Instant::now();
    bounded(verify_concurrently(&workers, 25)).await;
    assert_eq!(mock.authentications(), 2, "exactly one renewal for the fleet (the calls took {:?})", started.elapsed());
    assert_eq!(fleet_authentications(&workers), 2);
    assert_eq!(mock.invalid_token_replies(), 0, "renewed before it was used");
    let record = workers[7].token_store().current().await.unwrap().unwrap();
    assert_eq!(record.cause, RenewalCause::Expiry);
    assert_eq!(record.session.token().expose(), mock.current_token(USER_NAME).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_aged_past_24_hours_in_redis_is_renewed_once_for_1000_calls() {
    let Some(redis) = RedisServer::start_or_skip("a_token_aged_past_24_hours_in_redis") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let workers = fleet(&mock, &redis, 8, |b| b).await;
    bounded(workers[0].verify(&known_person())).await.unwrap();
    let store = RedisTokenStore::builder(redis.url(), USER_NAME).build().unwrap();

    // As if the fleet had signed in 24 hours ago by Redis's clock.
    let mut raw = redis.raw().await;
    let (secs, _micros): (u64, u64) = redis::cmd("TIME").query_async(&mut raw).await.unwrap();
    let day_ago_ms = (secs - 24 * 60 * 60) * 1000;
    let _: () = redis::cmd("HSET")
        .arg(store.token_key())
        .arg("obtained_ms")
        .arg(day_ago_ms)
        .query_async(&mut raw)
        .await
        .unwrap();
    let aged = store.current().await.unwrap().unwrap();
    assert!(aged.session.obtained_at().elapsed() >= Duration::from_secs(24 * 60 * 60));

    bounded(verify_concurrently(&workers, 125)).await;
    assert_eq!(mock.authentications(), 2);
    assert_eq!(fleet_authentications(&workers), 2);
    assert_eq!(mock.invalid_token_replies(), 0);
    let renewed = store.current().await.unwrap().unwrap();
    assert_eq!(renewed.cause, RenewalCause::Expiry);
    assert!(renewed.generation > aged.generation);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_revoked_by_an_outsider_is_replaced_once_for_the_fleet() {
    let Some(redis) = RedisServer::start_or_skip("a_token_revoked_by_an_outsider") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let workers = fleet(&mock, &redis, 8, |b| b).await;
    bounded(verify_concurrently(&workers, 5)).await;
    let before = workers[0].token_store().current().await.unwrap().unwrap();

    mock.issue_token(USER_NAME).unwrap(); // someone else signs in with the account
    bounded(verify_concurrently(&workers, 25)).await;
    // Every worker saw "Invalid Token", but only one signed in: the others found that the token
    // that failed was no longer the one in Redis.
    assert_eq!(mock.authentications(), 3);
    assert_eq!(fleet_authentications(&workers), 2);
    let after = workers[3].token_store().current().await.unwrap().unwrap();
    assert_eq!(after.cause, RenewalCause::Rejected);
    assert!(after.generation > before.generation);
    assert_eq!(after.session.token().expose(), mock.current_token(USER_NAME).unwrap());
    assert!(mock.invalid_token_replies() >= 1);
}

// ------------------------------------------------------------------------------------------------
// The lock

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dead_lock_holder_blocks_the_fleet_only_until_its_lease_runs_out() {
    let Some(redis) = RedisServer::start_or_skip("a_dead_lock_holder") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    // Default lock lease (150 s) for the live workers: waiting for their own lease would hang.
    let workers = fleet(&mock, &redis, 8, |b| b).await;
    let store = RedisTokenStore::builder(redis.url(), USER_NAME).build().unwrap();

    // A worker took the lock, with a 3 s lease, and died.
    let mut raw = redis.raw().await;
    let taken: Option<String> = redis::cmd("SET")
        .arg(store.lock_key())
        .arg("dead-worker")
        .arg("NX")
        .arg("PX")
        .arg(3_000)
        .query_async(&mut raw)
        .await
        .unwrap();
    assert_eq!(taken.as_deref(), Some("OK"));

    let calls = {
        let workers = workers.clone();
        tokio::spawn(async move { verify_concurrently(&workers, 10).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logins = mock.authentications();
    let pttl: i64 = redis::cmd("PTTL").arg(store.lock_key()).query_async(&mut raw).await.unwrap();
    if pttl > 0 {
        assert_eq!(logins, 0, "a worker signed in while the dead worker's lock stood");
    }
    bounded(calls).await.unwrap();
    assert_eq!(mock.authentications(), 1);
    assert_eq!(fleet_authentications(&workers), 1);
    let exists: i64 = redis::cmd("EXISTS").arg(store.lock_key()).query_async(&mut raw).await.unwrap();
    assert_eq!(exists, 0, "the lock is released after the login");
}

#[tokio::test]
async fn a_worker_cancelled_during_its_login_releases_the_lock_for_the_others() {
    let Some(redis) = RedisServer::start_or_skip("a_worker_cancelled_during_its_login") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let hour = |b: ClientBuilder| b.lock_lease(Duration::from_secs(3600));
    let (a, store) = worker(&mock, &redis, hour).await;
    let (b, _) = worker(&mock, &redis, hour).await;
    let mut raw = redis.raw().await;

    mock.hold_logins();
    let cancelled = tokio::spawn(async move { a.verify(&known_person()).await });
    bounded(async {
        loop {
            let held: i64 = redis::cmd("EXISTS").arg(store.lock_key()).query_async(&mut raw).await.unwrap();
            if held == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    cancelled.abort();
    assert!(cancelled.await.unwrap_err().is_cancelled());
    mock.release_logins();

    // Without the release, b would wait for the hour-long lease.
    bounded(b.verify(&known_person())).await.unwrap();
    let exists: i64 = redis::cmd("EXISTS").arg(store.lock_key()).query_async(&mut raw).await.unwrap();
    assert_eq!(exists, 0);
}

// ------------------------------------------------------------------------------------------------
// Redis unreachable

fn unreachable_error(error: &Error) -> &RedisStoreError {
    assert!(matches!(error, Error::Store(_)), "{error}");
    let found = RedisStoreError::find(error).unwrap_or_else(|| panic!("no RedisStoreError in {error}"));
    assert!(found.is_unreachable(), "{found}");
    found
}

#[tokio::test]
async fn redis_killed_mid_run_fails_calls_with_a_typed_error_and_no_login() {
    let Some(mut redis) = RedisServer::start_or_skip("redis_killed_mid_run") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let workers = fleet(&mock, &redis, 2, |b| b).await;
    bounded(verify_concurrently(&workers, 5)).await;
    assert_eq!(mock.authentications(), 1);

    redis.kill();
    for client in &workers {
        let error = bounded(client.verify(&known_person())).await.unwrap_err();
        let RedisStoreError::Unreachable { server, .. } = unreachable_error(&error) else { unreachable!() };
        assert_eq!(server, &format!("127.0.0.1:{}/0", redis.port));
        let message = error.to_string();
        assert!(message.contains("unreachable") && message.contains(&format!("127.0.0.1:{}", redis.port)), "{message}");
        assert!(message.contains("No Data Zoo login is attempted"), "{message}");
        for token in mock.issued_tokens() {
            assert!(!message.contains(&token) && !format!("{error:?}").contains(&token));
        }
        assert!(!message.contains(PASSWORD));
    }
    assert_eq!(mock.authentications(), 1, "no worker signed in without the shared store");

    // Back, empty: the workers reconnect by themselves, and one signs in for both.
    redis.restart();
    bounded(async {
        loop {
            match workers[0].verify(&known_person()).await {
                Ok(_) => break,
                Err(e) if RedisStoreError::find(&e).is_some_and(RedisStoreError::is_unreachable) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
    })
    .await;
    bounded(async {
        loop {
            match workers[1].verify(&known_person()).await {
                Ok(_) => break,
                Err(e) if RedisStoreError::find(&e).is_some_and(RedisStoreError::is_unreachable) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("unexpected error: {e}"),
            }
        }
    })
    .await;
    assert_eq!(mock.authentications(), 2);
}

#[tokio::test]
async fn an_unreachable_redis_at_start_is_a_typed_error_naming_the_server_without_its_password() {
    // Needs no redis-server: nothing listens on the port.
    let port = free_port();
    let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
    let error = RedisTokenStore::connect(url.clone(), USER_NAME).await.unwrap_err();
    let found = RedisStoreError::find(&error).expect("a RedisStoreError");
    assert!(found.is_unreachable(), "{found}");
    let message = error.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}/0")), "{message}");
    assert!(!message.contains("hunter2") && !format!("{error:?}").contains("hunter2"), "{message}");

    // Built without connecting: the first call fails the same way, and nothing signs in.
    let mock = MockDataZoo::start().await.unwrap();
    let store = RedisTokenStore::builder(url.clone(), USER_NAME).build().unwrap();
    assert!(!format!("{store:?}").contains("hunter2"));
    let client = builder(&mock).token_store(Arc::new(store)).build().unwrap();
    let error = bounded(client.verify(&known_person())).await.unwrap_err();
    unreachable_error(&error);
    assert_eq!(mock.authentications(), 0);

    // With the fallback (opted in), the worker runs on memory.
    let store = Arc::new(RedisTokenStore::builder(url, USER_NAME).fallback_to_memory().connect().await.unwrap());
    assert!(store.is_degraded());
    let client = builder(&mock).token_store(store.clone()).build().unwrap();
    bounded(client.verify(&known_person())).await.unwrap();
    bounded(client.verify(&known_person())).await.unwrap();
    assert_eq!(mock.authentications(), 1);
}

#[tokio::test]
async fn with_the_memory_fallback_a_worker_keeps_working_while_redis_is_down_and_writes_back_its_token() {
    let Some(mut redis) = RedisServer::start_or_skip("with_the_memory_fallback") else { return };
    let mock = MockDataZoo::start().await.unwrap();
    let store = Arc::new(
        RedisTokenStore::builder(redis.url(), USER_NAME)
            .fallback_retry_after(Duration::from_millis(200))
            .connect()
            .await
            .unwrap(),
    );
    let client = builder(&mock).token_store(store.clone()).build().unwrap();
    bounded(client.verify(&known_person())).await.unwrap();
    assert!(!store.is_degraded());

    redis.kill();
    // The token last seen in Redis is still valid: used without a login.
    for _ in 0..5 {
        bounded(client.verify(&known_person())).await.unwrap();
    }
    assert!(store.is_degraded());
    assert_eq!(mock.authentications(), 1);

    // Someone else signs in: recovered in memory with one login.
    mock.issue_token(USER_NAME).unwrap();
    bounded(client.verify(&known_person())).await.unwrap();
    assert_eq!(mock.authentications(), 3);
    let token = mock.current_token(USER_NAME).unwrap();

    // Redis is back (empty): the token obtained meanwhile goes back to Redis, without a login.
    redis.restart();
    bounded(async {
        while store.is_degraded() {
            client.verify(&known_person()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    bounded(client.verify(&known_person())).await.unwrap();
    assert_eq!(mock.authentications(), 3);
    let mut raw = redis.raw().await;
    let stored: Option<String> =
        redis::cmd("HGET").arg(store.token_key()).arg("token").query_async(&mut raw).await.unwrap();
    assert_eq!(stored.as_deref(), Some(token.as_str()));

    // A second worker joining now shares it.
    let (other, _) = worker(&mock, &redis, |b| b).await;
    bounded(other.verify(&known_person())).await.unwrap();
    assert_eq!(mock.authentications(), 3);
}

#[tokio::test]
async fn a_refused_redis_password_is_a_typed_error_without_the_password() {
    let Some(redis) = RedisServer::start_with_or_skip("a_refused_redis_password", &["--requirepass", "s3cret-redis"])
    else {
        return;
    };
    let mock = MockDataZoo::start().await.unwrap();
    let good = format!("redis://:s3cret-redis@127.0.0.1:{}/0", redis.port);
    let store = Arc::new(RedisTokenStore::connect(good, USER_NAME).await.unwrap());
    let client = builder(&mock).token_store(store.clone()).build().unwrap();
    bounded(client.verify(&known_person())).await.unwrap();
    assert!(!format!("{store:?}").contains("s3cret-redis"));

    let wrong = format!("redis://:not-the-password@127.0.0.1:{}/0", redis.port);
    // The fallback does not hide a refusal: only unreachability falls back.
    let error = RedisTokenStore::builder(wrong, USER_NAME).fallback_to_memory().connect().await.unwrap_err();
    let found = RedisStoreError::find(&error).expect("a RedisStoreError");
    assert!(matches!(found, RedisStoreError::Refused { .. }), "{found}");
    let message = error.to_string();
    assert!(!message.contains("not-the-password") && !format!("{error:?}").contains("not-the-password"));
    assert!(message.contains("refused"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_user_whose_acl_allows_only_the_store_keys_and_commands_is_enough() {
    let Some(redis) = RedisServer::start_or_skip("a_redis_user_whose_acl_allows_only_the_store") else { return };
    let mut raw = redis.raw().await;
    // The ACL docs/datazoo-redis.md recommends.
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("datazoo")
        .arg("on")
        .arg(">acl-password")
        .arg("resetkeys")
        .arg("~soapbind:datazoo:*")
        .arg("resetchannels")
        .arg("-@all")
        .arg("+ping")
        .arg("+set")
        .arg("+evalsha")
        .arg("+script|load")
        .arg("+get")
        .arg("+del")
        .arg("+exists")
        .arg("+hget")
        .arg("+hgetall")
        .arg("+hset")
        .arg("+time")
        .query_async(&mut raw)
        .await
        .unwrap();
    let mock = MockDataZoo::start().await.unwrap();
    let url = format!("redis://datazoo:acl-password@127.0.0.1:{}/0", redis.port);
    let mut workers = Vec::new();
    for _ in 0..3 {
        let store = RedisTokenStore::connect(url.clone(), USER_NAME).await.unwrap();
        workers.push(builder(&mock).token_store(Arc::new(store)).build().unwrap());
    }
    bounded(verify_concurrently(&workers, 20)).await;
    assert_eq!(mock.authentications(), 1);

    // Outside its keys the user is refused, and the error says what to check.
    let store = RedisTokenStore::builder(url, USER_NAME).key_prefix("elsewhere").build().unwrap();
    let error = store.current().await.unwrap_err();
    let found = RedisStoreError::find(&error).expect("a RedisStoreError");
    assert!(matches!(found, RedisStoreError::Refused { .. }), "{found}");
    assert!(error.to_string().contains("ACL"), "{error}");
    assert!(!error.to_string().contains("acl-password"));
}

// ------------------------------------------------------------------------------------------------
// The TokenStore contract

fn session(user: &str, token: &str) -> Arc<Session> {
    Arc::new(Session::new(user, Secret::new(token), tokio::time::Instant::now(), Vec::new(), LoginMethod::Soap))
}

#[tokio::test]
async fn the_redis_store_compares_generations_and_keeps_the_session() {
    let Some(redis) = RedisServer::start_or_skip("the_redis_store_compares_generations") else { return };
    let store = RedisTokenStore::connect(redis.url(), USER_NAME).await.unwrap();
    assert!(store.current().await.unwrap().is_none());

    let ten_minutes_ago = tokio::time::Instant::now() - Duration::from_secs(600);
    let full = Session::new(
        USER_NAME,
        Secret::new("TOKEN-ONE"),
        ten_minutes_ago,
        vec![soapbind::datazoo::CountrySources {
            country: "Australia".into(),
            data_sources: vec!["Australian Residential".into(), "Australian Experian".into()],
        }],
        LoginMethod::RestXml,
    )
    .with_reference("ref-1");
    let Replaced::Done(first) = store.replace_if(None, Arc::new(full), RenewalCause::Initial).await.unwrap() else {
        panic!("the store was empty")
    };
    let read = store.current().await.unwrap().unwrap();
    assert_eq!(read.generation, first.generation);
    assert_eq!(read.cause, RenewalCause::Initial);
    assert_eq!(read.session.user_name(), USER_NAME);
    assert_eq!(read.session.token().expose(), "TOKEN-ONE");
    assert_eq!(read.session.reference(), "ref-1");
    assert_eq!(read.session.method(), LoginMethod::RestXml);
    assert_eq!(read.session.countries(), first.session.countries());
    let age = read.session.obtained_at().elapsed();
    assert!(age >= Duration::from_secs(599) && age < Duration::from_secs(3600), "{age:?}");

    // Compare-and-swap on the generation.
    let conflict = store.replace_if(None, session(USER_NAME, "TOKEN-X"), RenewalCause::Initial).await.unwrap();
    assert!(matches!(conflict, Replaced::Conflict(Some(ref r)) if r.generation == first.generation));
    let Replaced::Done(second) = store
        .replace_if(Some(first.generation), session(USER_NAME, "TOKEN-TWO"), RenewalCause::Rejected)
        .await
        .unwrap()
    else {
        panic!("the generation matched")
    };
    assert!(second.generation > first.generation);
    let stale = store.replace_if(Some(first.generation), session(USER_NAME, "TOKEN-X"), RenewalCause::Expiry).await;
    assert!(matches!(stale.unwrap(), Replaced::Conflict(Some(r)) if r.generation == second.generation
        && r.session.token().expose() == "TOKEN-TWO"));

    // Generations keep increasing even when Redis loses the record.
    let mut raw = redis.raw().await;
    let _: () = redis::cmd("FLUSHALL").query_async(&mut raw).await.unwrap();
    let Replaced::Done(third) =
        store.replace_if(None, session(USER_NAME, "TOKEN-THREE"), RenewalCause::Initial).await.unwrap()
    else {
        panic!("the store was emptied")
    };
    assert!(third.generation > second.generation);

    // One store per account.
    let error = store.replace_if(Some(third.generation), session("someone-else", "T"), RenewalCause::Expiry).await;
    let error = error.unwrap_err();
    assert!(matches!(RedisStoreError::find(&error), Some(RedisStoreError::WrongAccount { .. })), "{error}");
}

#[tokio::test]
async fn the_redis_lock_is_leased_and_released_only_by_its_holder() {
    let Some(redis) = RedisServer::start_or_skip("the_redis_lock_is_leased") else { return };
    let store = Arc::new(RedisTokenStore::connect(redis.url(), USER_NAME).await.unwrap());
    let other = RedisTokenStore::connect(redis.url(), USER_NAME).await.unwrap();

    let lock = store.try_lock(Duration::from_secs(60)).await.unwrap().expect("free");
    assert!(other.try_lock(Duration::from_secs(60)).await.unwrap().is_none(), "held, also for another process");
    let foreign = LockLease { id: uuid::Uuid::new_v4(), lease: lock.lease };
    other.unlock(foreign).await.unwrap();
    assert!(other.try_lock(Duration::from_secs(60)).await.unwrap().is_none(), "still held");
    store.unlock(lock).await.unwrap();

    // A lease that runs out can be taken over, and the old holder cannot release the new lock.
    let short = other.try_lock(Duration::from_millis(200)).await.unwrap().expect("free again");
    bounded(async {
        loop {
            if let Some(taken) = store.try_lock(Duration::from_secs(60)).await.unwrap() {
                break taken;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    other.unlock(short).await.unwrap();
    assert!(other.try_lock(Duration::from_secs(60)).await.unwrap().is_none(), "the new lock stands");

    // A waiter wakes up when the record changes, long before its maximum wait.
    let waiter = {
        let store = store.clone();
        tokio::spawn(async move { store.wait_for_change(None, Duration::from_secs(3600)).await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    other.replace_if(None, session(USER_NAME, "T"), RenewalCause::Initial).await.unwrap();
    bounded(waiter).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_damaged_record_is_a_typed_error_that_shows_no_stored_value() {
    let Some(redis) = RedisServer::start_or_skip("a_damaged_record") else { return };
    let store = RedisTokenStore::connect(redis.url(), USER_NAME).await.unwrap();
    store.replace_if(None, session(USER_NAME, "SECRET-TOKEN-VALUE"), RenewalCause::Initial).await.unwrap();
    let mut raw = redis.raw().await;
    let _: () = redis::cmd("HSET")
        .arg(store.token_key())
        .arg("generation")
        .arg("not-a-number")
        .query_async(&mut raw)
        .await
        .unwrap();

    let error = store.current().await.unwrap_err();
    let found = RedisStoreError::find(&error).expect("a RedisStoreError");
    assert!(matches!(found, RedisStoreError::CorruptRecord { .. }), "{found}");
    let message = error.to_string();
    assert!(message.contains("generation") && message.contains(store.token_key()), "{message}");
    assert!(!message.contains("SECRET-TOKEN-VALUE") && !format!("{error:?}").contains("SECRET-TOKEN-VALUE"));
    assert!(!message.contains("not-a-number"));
}
