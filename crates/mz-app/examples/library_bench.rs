//! The document library's search, printed as figures (not a test).
//!
//! `cargo run --release -p mz-app --example library_bench [ITEMS] [CHARACTERS]`
//! starts the platform on loopback over SQLite, as standalone mode does (or
//! over PostgreSQL with `MZ_BENCH_POSTGRES_URL`); the office uploads ITEMS
//! items (10,000 by default) of CHARACTERS characters of text each (3,000 by
//! default), drawn as natural text draws its characters (3,500 of them, the
//! n-th most frequent with a weight of 1/n); a counter's desk pulls them. Then the figures, over 200 queries of two to
//! four characters taken from the texts (each finds something; pairs of
//! common characters find thousands): the platform's search from the command (the
//! network on loopback included), and this desk's offline search over its
//! cache, with the passages marked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use chrono::Datelike;
use std::time::Instant;

use base64::Engine;
use mz_api::library::LibraryKind;
use mz_app::library::{ChosenLibraryFile, NewLibraryItem};
use mz_domain::Role;

mod bench;
use bench::{desk, figures, platform};

const QUERIES: usize = 200;

/// How many characters the texts use: about what an ordinary Chinese text
/// draws on.
const CHARACTERS: usize = 3_500;

/// A small, fixed pseudo-random sequence (so every run measures the same texts).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// Characters drawn as in natural text: the n-th most frequent with a
/// weight of 1/n (Zipf's law), each rank a fixed character of the CJK block.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new() -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=CHARACTERS)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn char(&self, random: &mut Lcg) -> char {
        let total = *self.cumulative.last().unwrap();
        let at = random.next(1 << 30) as f64 / f64::from(1 << 30) * total;
        let rank = self.cumulative.partition_point(|c| *c < at);
        char::from_u32(0x4E00 + (rank as u32 * 7_919) % 20_902).unwrap()
    }
}

/// A text of `chars` characters: words of two to four characters, a
/// sentence every twenty or so.
fn text(random: &mut Lcg, zipf: &Zipf, chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    while count < chars {
        let len = 2 + random.next(3);
        for _ in 0..len {
            out.push(zipf.char(random));
        }
        count += len;
        if random.next(10) == 0 {
            out.push('。');
            count += 1;
        }
    }
    out
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().map_or(10_000, |a| a.parse().expect("ITEMS"));
    let chars: usize = args
        .next()
        .map_or(3_000, |a| a.parse().expect("CHARACTERS"));
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("MZ_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| format!("sqlite:{}/platform.db", dir.path().display()));
    let (db, addr) = platform(
        &url,
        &[
            ("office", "办公室", "430000-civil", Role::OfficeStaff),
            ("registrar", "登记员", "430102-marriage", Role::Registrar),
        ],
    )
    .await;
    let office = desk(addr, dir.path(), "office").await;

    let mut random = Lcg(2026);
    let zipf = Zipf::new();
    let mut texts = Vec::with_capacity(items);
    let started = Instant::now();
    for n in 0..items {
        let body = text(&mut random, &zipf, chars);
        let file = ChosenLibraryFile {
            name: format!("资料{n}.txt"),
            data: base64::engine::general_purpose::STANDARD.encode(body.as_bytes()),
        };
        office
            .library_add(NewLibraryItem {
                title: format!("关于第{n}项工作的规定"),
                kind: LibraryKind::Policy,
                category: vec!["政策文件".to_owned(), format!("第{}类", n % 20)],
                issuer: "湖南省民政厅".to_owned(),
                doc_number: String::new(),
                file,
            })
            .unwrap();
        texts.push(body);
        if n % 500 == 499 {
            while office.sync_once().await.unwrap().applied > 0 {}
        }
    }
    while office.sync_once().await.unwrap().applied > 0 {}
    println!(
        "{items} items of {chars} characters uploaded and pushed in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        db.backend.as_str()
    );
    let counter = desk(addr, dir.path(), "registrar").await;
    let started = Instant::now();
    loop {
        let report = counter.sync_once().await.unwrap();
        if report.pulled == 0 {
            break;
        }
    }
    println!(
        "a counter's desk pulled them in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Queries taken from the texts: two, three or four characters.
    let queries: Vec<String> = (0..QUERIES)
        .map(|n| {
            let chars: Vec<char> = texts[random.next(texts.len())].chars().collect();
            let len = 2 + n % 3;
            loop {
                let at = random.next(chars.len() - len);
                let word: String = chars[at..at + len].iter().collect();
                if !word.contains('。') {
                    return word;
                }
            }
        })
        .collect();
    let mut online = Vec::new();
    let mut found = 0;
    for q in &queries {
        let started = Instant::now();
        let answer = counter.library_search(q, None, &[]).await.unwrap();
        online.push(started.elapsed());
        assert!(answer.online);
        found += answer.hits.len();
    }
    figures("the platform's search, from the command", &mut online);
    let mut offline = Vec::new();
    let mut by_length: [Vec<std::time::Duration>; 3] = Default::default();
    for q in &queries {
        let started = Instant::now();
        let answer = counter.library_search_here(q, None, &[]).unwrap();
        let took = started.elapsed();
        offline.push(took);
        by_length[q.chars().count() - 2].push(took);
        assert!(!answer.hits.is_empty(), "{q} is in a text");
    }
    figures("this desk's cache, offline", &mut offline);
    for (n, times) in by_length.iter_mut().enumerate() {
        figures(&format!("  … of {} characters", n + 2), times);
    }
    println!(
        "{QUERIES} queries of 2–4 characters, {:.1} hits shown each on average (at most 50)",
        found as f64 / QUERIES as f64
    );
    // 综合查询 over the same cache (every kind's people and texts, the units
    // counted), then narrowed to the days of this year: the narrowed query
    // reads the records' units and days before its cut.
    let year = mz_app::search::SearchFilter {
        from: Some(counter.today().with_ordinal(1).unwrap()),
        to: Some(counter.today()),
        ..Default::default()
    };
    for (label, filter) in [
        ("综合查询, offline", mz_app::search::SearchFilter::default()),
        ("综合查询 within this year's days, offline", year),
    ] {
        let mut times = Vec::new();
        for q in &queries {
            let started = Instant::now();
            let answer = counter.search_everything(q, &filter).unwrap();
            times.push(started.elapsed());
            assert!(!answer.hits.is_empty(), "{q} is in a text");
        }
        figures(label, &mut times);
    }
}
