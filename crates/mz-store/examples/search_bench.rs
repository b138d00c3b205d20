//! The people index at scale: builds a cache with N people (1,000,000 by
//! default) under generated names and identity numbers, then times name,
//! identity-prefix and pinyin queries and prints their percentiles.
//!
//! `cargo run --profile desktop -p mz-store --example search_bench [N] [QUERIES]`

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use mz_api::records::RecordKind;
use mz_domain::identity::with_check_character;
use mz_store::{Person, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文辉玲红梅鹏飞宇浩然子轩晨阳欣怡梓涵雨萱思远俊杰志强海燕丹凤春秋冬雪松柏云龙德福寿康宁安乐天佑嘉诚博文一鸣晓东立新";
/// How a query is made from a person the index holds.
type MakeQuery = fn(&Person, &mut StdRng) -> String;

const COUNTIES: [&str; 8] = [
    "430102", "430103", "430104", "430111", "430121", "430181", "430202", "430302",
];

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: usize = args.next().map_or(1_000_000, |a| a.parse().expect("N"));
    let queries: usize = args.next().map_or(1_000, |a| a.parse().expect("QUERIES"));
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut rng = StdRng::seed_from_u64(2026);

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.db"), &[9; 32]).unwrap();
    let mut people: Vec<Person> = Vec::with_capacity(total);
    let started = Instant::now();
    let mut batch = Vec::new();
    for n in 0..total {
        let mut name = String::new();
        name.push(*surnames.choose(&mut rng).unwrap());
        for _ in 0..rng.gen_range(1..=2) {
            name.push(*given.choose(&mut rng).unwrap());
        }
        let birth = format!(
            "{}{:02}{:02}",
            rng.gen_range(1950..2006),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28)
        );
        let doc = with_check_character(&format!(
            "{}{birth}{:03}",
            COUNTIES.choose(&mut rng).unwrap(),
            rng.gen_range(0..1000)
        ));
        let person = Person {
            role: if n % 2 == 0 { "男方" } else { "女方" }.to_owned(),
            name,
            doc_number: doc,
        };
        people.push(person.clone());
        // Two people a record, like a marriage.
        if n % 2 == 0 {
            batch.push((RecordKind::HolidayCalendar, Uuid::now_v7(), vec![person]));
        } else if let Some(last) = batch.last_mut() {
            last.2.push(person);
        }
        if batch.len() == 5_000 {
            store.index_people(&batch).unwrap();
            batch.clear();
        }
    }
    store.index_people(&batch).unwrap();
    let build = started.elapsed();
    let file = std::fs::metadata(dir.path().join("cache.db")).map_or(0, |m| m.len());
    println!(
        "indexed {total} people in {:.1} s ({:.0} people/s); cache file {:.0} MB",
        build.as_secs_f64(),
        total as f64 / build.as_secs_f64(),
        file as f64 / 1e6
    );

    let kinds: [(&str, MakeQuery); 6] = [
        ("full name", |p, _| p.name.clone()),
        ("two characters of a name", |p, _| {
            p.name.chars().skip(1).take(2).collect::<String>()
        }),
        ("surname", |p, _| p.name.chars().take(1).collect()),
        ("ID number prefix (10 digits)", |p, _| {
            p.doc_number[..10].to_owned()
        }),
        ("pinyin initials", |p, _| initials(&p.name)),
        ("full pinyin prefix", |p, rng| {
            let full = full_pinyin(&p.name);
            let cut = rng.gen_range(3..=full.len().max(3));
            full[..cut.min(full.len())].to_owned()
        }),
    ];
    println!("{queries} queries each, 50 results at most:");
    for (label, make) in kinds {
        let mut times = Vec::with_capacity(queries);
        let mut found = 0usize;
        for _ in 0..queries {
            let person = people.choose(&mut rng).unwrap();
            let query = make(person, &mut rng);
            let started = Instant::now();
            let hits = store.search_people(&query, 50).unwrap();
            times.push(started.elapsed());
            found += hits.len();
        }
        times.sort();
        println!(
            "  {label:<30} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  (avg {:.1} hits)",
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            found as f64 / queries as f64
        );
    }
}

fn initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.to_pinyin()
        .flatten()
        .map(|p| p.first_letter())
        .collect()
}

fn full_pinyin(name: &str) -> String {
    use pinyin::ToPinyin;
    name.to_pinyin()
        .flatten()
        .map(|p| p.plain().replace('ü', "v"))
        .collect()
}
