//! The document library on the platform: an item's text checked against its
//! file, versions kept, and the search by any two characters.

use super::*;

const ITEM: &str = "01920000-0000-7000-8000-0000000f0001";
const OTHER: &str = "01920000-0000-7000-8000-0000000f0002";

const REGULATION: &str = "婚姻登记条例\n第一条 为了规范婚姻登记工作，保障婚姻自由、一夫一妻、男女平等的婚姻制度的实施，保护婚姻当事人的合法权益，根据《中华人民共和国民法典》，制定本条例。\n第四条 内地居民结婚，男女双方应当共同到一方当事人常住户口所在地的婚姻登记机关办理结婚登记。";
const REVISED: &str = "婚姻登记条例（修订）\n第一条 为了规范婚姻登记工作，制定本条例。\n第四条 内地居民办理结婚登记，可以在全国范围内任一婚姻登记机关办理。";
const FUNERAL: &str =
    "殡葬管理条例\n第一条 为了加强殡葬管理，推进殡葬改革，促进社会主义精神文明建设，制定本条例。";

/// Uploads `text` as a text file and gives its reference.
async fn upload(p: &Platform, token: &str, text: &str) -> Value {
    let bytes = text.as_bytes();
    let blob = mz_domain::blob::BlobRef::of("text/plain", bytes);
    let request = Request::builder()
        .method("PUT")
        .uri(format!("/api/v1/blobs/{}", blob.sha256))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "text/plain")
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    let (status, body) = p.raw(request).await;
    assert!(status.is_success(), "{status} {body}");
    json!(blob)
}

fn version(file: Value, name: &str, change: &str, by: (&str, &str), at: &str) -> Value {
    json!({ "file": file, "file_name": name, "change": change,
            "by": { "user_id": by.0, "name": by.1 }, "at": at })
}

fn item(title: &str, kind: &str, category: &[&str], versions: Vec<Value>, text: &str) -> Value {
    json!({ "title": title, "kind": kind, "category": category, "issuer": "国务院",
            "versions": versions, "text": mz_text::normalise(text) })
}

async fn search(p: &Platform, token: &str, query: &str) -> (StatusCode, Value) {
    let mut url = String::from("/api/v1/library/search?");
    url.push_str(
        &query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => format!("{k}={}", urlencode(v)),
                None => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&"),
    );
    p.call("GET", &url, Some(token), None).await
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn titles(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["item"]["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_library_item_is_found_by_two_characters_and_its_text_is_its_file_s(p: Platform) {
    let office = p.token("office", DEVICE_A).await;
    let office_id = p.user_id("office").await;
    let me = (office_id.as_str(), "office");
    let file = upload(&p, &office, REGULATION).await;
    let first = version(
        file.clone(),
        "婚姻登记条例.txt",
        "",
        me,
        "2026-03-05T09:00:00",
    );
    let regulation = item(
        "婚姻登记条例",
        "regulation",
        &["法规", "婚姻登记"],
        vec![first.clone()],
        REGULATION,
    );

    // A text that is not the file's is refused, and nothing is indexed.
    let mut forged = regulation.clone();
    forged["text"] = json!("殡葬改革 火化");
    let outcomes = p
        .push(&office, json!([entry(1, "library_item", ITEM, 0, forged)]))
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.text", "{outcomes:?}");
    // A version in someone else's name is refused.
    let mut borrowed = regulation.clone();
    borrowed["versions"][0]["by"]["name"] = json!("别人");
    let outcomes = p
        .push(
            &office,
            json!([entry(2, "library_item", ITEM, 0, borrowed)]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.versions[0].by",
        "{outcomes:?}"
    );

    let outcomes = p
        .push(
            &office,
            json!([entry(3, "library_item", ITEM, 0, regulation.clone())]),
        )
        .await;
    applied(&outcomes[0]);
    let funeral_file = upload(&p, &office, FUNERAL).await;
    let funeral = item(
        "殡葬管理条例",
        "regulation",
        &["法规", "殡葬"],
        vec![version(
            funeral_file,
            "殡葬管理条例.txt",
            "",
            me,
            "2026-03-05T09:00:00",
        )],
        FUNERAL,
    );
    applied(
        &p.push(
            &office,
            json!([entry(4, "library_item", OTHER, 0, funeral)]),
        )
        .await[0],
    );

    // A registrar reads the library: two characters find it, the passage marked.
    let registrar = p.token("registrar", DEVICE_B).await;
    let (status, answer) = search(&p, &registrar, "q=登记").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(titles(&answer), ["婚姻登记条例"]);
    let hit = &answer["hits"][0];
    let passage = hit["passage"]["text"].as_str().unwrap();
    let marks = hit["passage"]["marks"].as_array().unwrap();
    assert!(!marks.is_empty(), "{hit}");
    for mark in marks {
        let (s, e) = (
            mark[0].as_u64().unwrap() as usize,
            mark[1].as_u64().unwrap() as usize,
        );
        let marked: String = passage.chars().skip(s).take(e - s).collect();
        assert_eq!(marked, "登记");
    }
    assert_eq!(hit["title_marks"], json!([[2, 4]]));
    // Both words must appear; a phrase must appear whole.
    let (_, answer) = search(&p, &registrar, "q=条例 制定").await;
    assert_eq!(titles(&answer).len(), 2, "{answer}");
    let (_, answer) = search(&p, &registrar, "q=殡葬改革").await;
    assert_eq!(titles(&answer), ["殡葬管理条例"]);
    let (_, answer) = search(&p, &registrar, "q=婚姻火化").await;
    assert!(titles(&answer).is_empty(), "{answer}");
    // The title weighs more than the text: 婚姻 in a title comes first.
    let (_, answer) = search(&p, &registrar, "q=条例&kind=regulation&category=法规/殡葬").await;
    assert_eq!(titles(&answer), ["殡葬管理条例"]);

    // Bad queries get a clear answer on their field, never an error page.
    for bad in ["q=婚", "q=", "q= ", &format!("q={}", "婚".repeat(101))] {
        let (status, body) = search(&p, &registrar, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["details"]["field"], "q", "{body}");
    }
    let (status, body) = search(&p, &registrar, "q=婚姻&kind=novel").await;
    assert_eq!(
        (status, body["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("kind"))
    );
    // Engine syntax is text: it finds what holds those words, or nothing.
    for syntax in ["q=\"婚姻\" NEAR 登记*", "q=婚姻) OR (殡葬", "q=' OR 1=1 --"] {
        let (status, body) = search(&p, &registrar, syntax).await;
        assert_eq!(status, StatusCode::OK, "{syntax}: {body}");
    }
    let (_, answer) = search(&p, &registrar, "q=\"婚姻\" 登记*").await;
    assert_eq!(titles(&answer), ["婚姻登记条例"]);

    // A registrar keeps no library: writing is refused.
    let outcomes = p
        .push(
            &registrar,
            json!([entry(1, "library_item", OTHER, 1, regulation.clone())]),
        )
        .await;
    assert_eq!(outcomes[0]["status"], "rejected", "{outcomes:?}");

    // A new version: the earlier kept as it was, the text now the new file's.
    let revised_file = upload(&p, &office, REVISED).await;
    let mut revised = item(
        "婚姻登记条例（2025 年修订）",
        "regulation",
        &["法规", "婚姻登记"],
        vec![
            first.clone(),
            version(
                revised_file.clone(),
                "婚姻登记条例（修订）.txt",
                "第四条改为全国通办",
                me,
                "2026-03-05T09:05:00",
            ),
        ],
        REVISED,
    );
    let mut rewritten = revised.clone();
    rewritten["versions"][0]["file_name"] = json!("改名.txt");
    let outcomes = p
        .push(
            &office,
            json!([entry(5, "library_item", ITEM, 1, rewritten)]),
        )
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.versions",
        "{outcomes:?}"
    );
    let mut ahead = revised.clone();
    ahead["versions"][1]["at"] = json!("2026-03-05T10:00:00");
    let outcomes = p
        .push(&office, json!([entry(6, "library_item", ITEM, 1, ahead)]))
        .await;
    assert_eq!(
        rejected_field(&outcomes[0]),
        "data.versions[1].at",
        "{outcomes:?}"
    );
    applied(
        &p.push(
            &office,
            json!([entry(7, "library_item", ITEM, 1, revised.clone())]),
        )
        .await[0],
    );
    let (_, answer) = search(&p, &registrar, "q=全国范围").await;
    assert_eq!(titles(&answer), ["婚姻登记条例（2025 年修订）"]);
    let (_, answer) = search(&p, &registrar, "q=常住户口").await;
    assert!(
        titles(&answer).is_empty(),
        "the old version's words are no longer searched: {answer}"
    );
    // The text changes with the file only.
    revised["text"] = json!(mz_text::normalise(REGULATION));
    let outcomes = p
        .push(&office, json!([entry(8, "library_item", ITEM, 2, revised)]))
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.text", "{outcomes:?}");

    // Deleted, it is found no more.
    let outcomes = p
        .push(
            &office,
            json!([{ "device_seq": 9, "kind": "library_item", "record_id": OTHER, "op": "delete", "base_version": 1 }]),
        )
        .await;
    applied(&outcomes[0]);
    let (_, answer) = search(&p, &registrar, "q=殡葬").await;
    assert!(titles(&answer).is_empty(), "{answer}");
}

on_both_backends!(a_library_item_is_found_by_two_characters_and_its_text_is_its_file_s);
