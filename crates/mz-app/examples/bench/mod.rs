//! What the benchmark examples share: the password of their users, the
//! figures they print, and a desk signed in to the platform they started.

use std::time::Duration;

use mz_app::ClientApp;
use mz_client::PlatformClient;
use mz_store::Store;

/// Every bench user's password.
pub const PASSWORD: &str = "bench password";

/// Prints the median, the 95th percentile and the worst of `times`.
pub fn figures(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{label:<52} median {:>7.2} ms   p95 {:>7.2} ms   worst {:>7.2} ms",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*times.last().unwrap())
    );
}

/// A desk of `username` on the platform at `addr`, its cache in `dir`,
/// signed in.
#[allow(
    dead_code,
    reason = "the benches that measure the window's data alone start no desk"
)]
pub async fn desk(addr: std::net::SocketAddr, dir: &std::path::Path, username: &str) -> ClientApp {
    let store = Store::open(&dir.join(format!("{username}.db")), &[5; 32]).unwrap();
    let app = ClientApp::new(
        PlatformClient::new(&format!("http://{addr}"), None).unwrap(),
        store,
        username,
    );
    app.login(username, PASSWORD).await.unwrap();
    app
}

/// A user of a bench: username, name shown, org unit, role.
pub type BenchUser<'a> = (&'a str, &'a str, &'a str, mz_domain::Role);

/// The platform as standalone mode runs it, on loopback: its database at
/// `url` made and given `users` (each with [`PASSWORD`]), served on a port
/// of its own. The database and the address.
pub async fn platform(url: &str, users: &[BenchUser<'_>]) -> (mz_server::Db, std::net::SocketAddr) {
    use mz_server::admin::{self, NewUser};
    let url: mz_server::DbUrl = url.parse().unwrap();
    let db = mz_server::Db::open(&url).await.unwrap();
    let clock = mz_server::Clock::System;
    admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
        .await
        .unwrap();
    for (username, display_name, org, role) in users {
        let user = NewUser {
            username,
            display_name,
            org,
            section: None,
            roles: std::slice::from_ref(role),
            password: PASSWORD,
        };
        admin::add_user(&db, &clock, user).await.unwrap();
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(mz_server::serve(
        listener,
        mz_server::AppState::new(db.clone()),
        None,
        std::future::pending(),
    ));
    (db, addr)
}
