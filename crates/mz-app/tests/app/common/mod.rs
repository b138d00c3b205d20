//! What the client stories share: the real platform on loopback that can be
//! stopped and started again, clients on encrypted caches, and an in-memory
//! stand-in for the OS credential store.

use std::net::SocketAddr;

use mz_api::records::HolidayCalendarData;
use mz_app::ClientApp;
use mz_client::PlatformClient;
use mz_domain::Role;
use mz_server::admin::{self, NewUser};
use mz_server::{AppState, Clock, Db, DbUrl};
use mz_store::Store;

pub const PASSWORD: &str = "correct horse";

/// The platform on a fixed loopback port, which can be stopped and started again.
pub struct Platform {
    pub db: Db,
    pub clock: Clock,
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Platform {
    pub async fn start() -> Platform {
        let dir = tempfile::tempdir().unwrap();
        let url: DbUrl = format!("sqlite:{}/platform.db", dir.path().display())
            .parse()
            .unwrap();
        let db = Db::open(&url).await.unwrap();
        let clock = Clock::manual(chrono::Utc::now().timestamp_millis());
        admin::init(&db, &clock, admin::HUNAN_DIVISIONS)
            .await
            .unwrap();
        for (username, org, role) in [
            ("admin", "430000-civil", Role::Admin),
            ("registrar", "430102-marriage", Role::Registrar),
            ("registrar2", "430102-marriage", Role::Registrar),
            ("other_registrar", "430103-marriage", Role::Registrar),
            ("funeral", "430100-funeral", Role::FuneralDesk),
            ("funeral_head", "430100-funeral", Role::FuneralHead),
            ("office", "430000-civil", Role::OfficeStaff),
            ("leader", "430000-civil", Role::Leader),
            ("secretary", "430000-civil", Role::Secretary),
            ("deputy", "430000-civil", Role::Leader),
            ("city_office", "430100-civil", Role::OfficeStaff),
        ] {
            let user = NewUser {
                username,
                display_name: username,
                org,
                section: None,
                roles: &[role],
                password: PASSWORD,
            };
            admin::add_user(&db, &clock, user).await.unwrap();
        }
        let mut platform = Platform {
            db,
            clock,
            addr: "127.0.0.1:0".parse().unwrap(),
            stop: None,
            task: None,
            _dir: dir,
        };
        platform.resume();
        platform
    }

    pub fn resume(&mut self) {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(self.addr).unwrap();
        let listener = socket.listen(128).unwrap().into_std().unwrap();
        self.addr = listener.local_addr().unwrap();
        let mut state = AppState::new(self.db.clone());
        state.clock = self.clock.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        self.stop = Some(stop);
        self.task = Some(tokio::spawn(async move {
            mz_server::serve(listener, state, None, async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        }));
    }

    pub async fn halt(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn feed_len(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM changes")
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

pub fn client_app(platform: &Platform, dir: &tempfile::TempDir, name: &str) -> ClientApp {
    let store = Store::open(&dir.path().join(format!("{name}.db")), &[3; 32]).unwrap();
    ClientApp::new(
        PlatformClient::new(&platform.url(), None).unwrap(),
        store,
        name,
    )
    .with_clock(platform.clock.clone())
}

pub fn calendar(year: i32, holidays: &[&str]) -> HolidayCalendarData {
    HolidayCalendarData {
        year,
        holidays: holidays.iter().map(|d| d.parse().unwrap()).collect(),
        working_weekends: vec![],
    }
}

/// The OS credential store's stand-in for these stories: a map in memory.
#[derive(Debug, Default)]
pub struct MemorySecrets(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl mz_app::profile::Secrets for MemorySecrets {
    fn get(&self, name: &str) -> mz_app::AppResult<Option<String>> {
        Ok(self.0.lock().unwrap().get(name).cloned())
    }
    fn set(&self, name: &str, value: &str) -> mz_app::AppResult<()> {
        self.0.lock().unwrap().insert(name.into(), value.into());
        Ok(())
    }
    fn delete(&self, name: &str) -> mz_app::AppResult<()> {
        self.0.lock().unwrap().remove(name);
        Ok(())
    }
}

impl MemorySecrets {
    pub fn get_raw(&self, name: &str) -> Option<String> {
        self.0.lock().unwrap().get(name).cloned()
    }
}

/// A party with an identity card, its birth date taken from the number.
pub fn party(name: &str, first17: &str, sex: mz_domain::Sex) -> mz_domain::marriage::Party {
    let number = mz_domain::identity::with_check_character(first17);
    mz_domain::marriage::Party {
        doc_type: mz_domain::marriage::DocumentType::IdCard,
        birth_date: chrono::NaiveDate::parse_from_str(&number[6..14], "%Y%m%d").unwrap(),
        doc_number: number,
        name: name.into(),
        sex,
        ethnicity: "汉族".into(),
        nationality: "中国".into(),
        occupation: String::new(),
        education: String::new(),
        address: String::new(),
        phone: String::new(),
    }
}

/// A marriage form of two parties who signed every statement.
pub fn signed_form(
    man: mz_domain::marriage::Party,
    woman: mz_domain::marriage::Party,
) -> mz_app::marriage::MarriageForm {
    mz_app::marriage::MarriageForm {
        parties: [man, woman],
        statements: mz_domain::marriage::Statements {
            voluntary: true,
            no_spouse: true,
            no_prohibited_kinship: true,
        },
        appointment_id: None,
        photo: None,
    }
}
