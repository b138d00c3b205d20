//! The marriage counter on the client against the real platform: prepared
//! offline, final online with the status check and a number of the counter's
//! block, a married party found, a refusal, a spoiled print.

use crate::common::{PASSWORD, Platform, client_app, party, signed_form};
use mz_api::records::MarriageStatus;
use mz_app::ErrorCode;
use mz_app::marriage::RegisterOutcome;
use mz_domain::Sex;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_couple_from_the_form_to_the_certificate_number() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let counter = client_app(&platform, &dir, "counter");
    counter.login("registrar", PASSWORD).await.unwrap();
    let zhang = party("张三", "43010219980307001", Sex::Male);
    let li = party("李四", "43010219990101002", Sex::Female);

    // Wrong input: every issue with its field.
    let mut young = party("赵六", "43010220100101001", Sex::Male);
    young.name = "赵6".into();
    let error = counter
        .prepare_marriage(None, signed_form(young, li.clone()))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    let mz_app::AppError::Rules(issues) = &error else {
        panic!("{error:?}")
    };
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["parties[0].name", "parties[0].birth_date"]);

    // A name that no installed font can print is told before anyone signs;
    // a rare character that a font covers is fine.
    let mut rare = party("王䶮", "43010219980307001", Sex::Male);
    let rare_ok = counter.prepare_marriage(None, signed_form(rare.clone(), li.clone()));
    assert!(rare_ok.is_ok(), "{rare_ok:?}");
    counter.refuse_marriage(rare_ok.unwrap(), "测试").unwrap();
    rare.name = "王\u{323AF}".into();
    let error = counter
        .prepare_marriage(None, signed_form(rare, li.clone()))
        .unwrap_err();
    let mz_app::AppError::Rules(issues) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(issues[0].field, "parties[0].name");
    assert!(
        issues[0].message.contains("没有可用的打印字体"),
        "{issues:?}"
    );

    // The couple's photo must be the image it says it is.
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let error = counter.keep_photo("image/jpeg", PNG).unwrap_err(); // labelled JPEG
    let mz_app::AppError::Rules(issues) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(issues[0].field, "photo");
    // A form naming a photo this machine does not hold is refused beside it.
    let mut with_photo = signed_form(zhang.clone(), li.clone());
    with_photo.photo = Some(mz_domain::blob::BlobRef::of(
        "image/png",
        b"\x89PNG\r\n\x1a\nother",
    ));
    let error = counter.prepare_marriage(None, with_photo).unwrap_err();
    let issues = mz_app::CommandError::from(error).issues;
    assert_eq!(issues[0].field, "photo", "{issues:?}");

    // Prepared while the platform is away; the registration itself waits for it.
    platform.halt().await;
    let mut couple = signed_form(zhang.clone(), li.clone());
    couple.photo = Some(counter.keep_photo("image/png", PNG).unwrap());
    let id = counter.prepare_marriage(None, couple).unwrap();
    let offline = counter.register_marriage(id).await.unwrap_err();
    assert_eq!(offline.code(), ErrorCode::Offline);
    assert_eq!(
        counter.marriages().unwrap()[0].data.status,
        MarriageStatus::Prepared
    );

    platform.resume();
    let outcome = counter.register_marriage(id).await.unwrap();
    let year = chrono::Datelike::year(&mz_domain::holiday::china_date(chrono::Utc::now()));
    let first = format!("J430102-{year}-000001");
    assert_eq!(
        outcome,
        RegisterOutcome::Registered {
            certificate_no: first.clone()
        }
    );
    let entry = &counter.marriages().unwrap()[0];
    assert_eq!(entry.data.status, MarriageStatus::Registered);
    assert!(!entry.pending, "sent at once");
    assert_eq!(
        counter.numbers_left(&format!("J-430102-{year}")).unwrap(),
        49
    );
    // Found by the people index.
    assert_eq!(counter.search_people("zs", 10).unwrap()[0].record_id, id);

    // The certificate for each holder: a PDF on the office's paper, and its preview.
    let data = &counter.marriages().unwrap()[0].data;
    let (pdf, pages) = mz_app::marriage::certificate(
        data,
        1,
        mz_print::forms::Offset {
            x_mm: 1.5,
            y_mm: -0.5,
        },
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(pages.len(), 1);
    for ch in "李四J430102".chars() {
        assert!(
            pages[0].contains(&format!(">{ch}</text>")),
            "{ch} in the preview"
        );
    }
    assert!(
        mz_app::marriage::certificate(&counter.marriages().unwrap()[0].data, 2, Default::default())
            .is_err()
    );

    // The A4 papers: the statement both sign, and the review form.
    let (name, pdf, pages) = counter
        .marriage_paper(id, mz_app::marriage::MarriagePaper::Statement)
        .unwrap();
    assert!(name.ends_with("声明书.pdf") && pdf.starts_with(b"%PDF"));
    assert!(pages[0].contains(">自</text>") && pages[0].contains(">张</text>"));
    let (_, _, pages) = counter
        .marriage_paper(id, mz_app::marriage::MarriagePaper::Review)
        .unwrap();
    assert!(pages[0].contains(">准</text>"), "准予登记");
    assert!(
        counter
            .marriage_paper(id, mz_app::marriage::MarriagePaper::RefusalNotice)
            .is_err(),
        "no refusal, no notice"
    );

    // A spoiled print voids the number; the reprint takes the next one.
    let second = counter.reprint_marriage(id, "卡纸").await.unwrap();
    assert_eq!(second, format!("J430102-{year}-000002"));
    let entry = &counter.marriages().unwrap()[0];
    assert_eq!(entry.data.voided_numbers, [first]);
    assert!(counter.sync_issues().unwrap().is_empty());

    // The woman lost hers: a BJ number, recorded on the registration, and her
    // copy now prints it with the remark.
    let reissued = counter.reissue_marriage(id, 1).await.unwrap();
    assert_eq!(reissued, format!("BJ430102-{year}-000001"));
    let data = &counter.marriages().unwrap()[0].data;
    assert_eq!(data.reissues.len(), 1);
    let (_, pages) = mz_app::marriage::certificate(data, 1, Default::default()).unwrap();
    assert!(pages[0].contains(">B</text>") && pages[0].contains(">补</text>"));
    let (_, pages) = mz_app::marriage::certificate(data, 0, Default::default()).unwrap();
    assert!(!pages[0].contains(">补</text>"), "his copy is unchanged");
    assert!(counter.sync_issues().unwrap().is_empty());

    // Its history: prepared offline, registered, reprinted, reissued — each by
    // this registrar on this counter.
    let history = counter
        .record_history(mz_api::records::RecordKind::MarriageRegistration, id)
        .await
        .unwrap();
    let statuses: Vec<&str> = history
        .iter()
        .map(|h| h.data.as_ref().unwrap()["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["prepared", "registered", "registered", "registered"]
    );
    assert!(
        history
            .iter()
            .all(|h| h.user == "registrar" && h.device == "counter")
    );

    // The man is married now: a second marriage is found out and refused.
    let wang = party("王芳", "43010319970505004", Sex::Female);
    let again = counter
        .prepare_marriage(None, signed_form(zhang, wang))
        .unwrap();
    let outcome = counter.register_marriage(again).await.unwrap();
    let RegisterOutcome::PartyMarried { parties } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(parties[0].married && !parties[1].married);
    assert_eq!(parties[0].certificate_no.as_deref(), Some(second.as_str()));
    counter.refuse_marriage(again, "男方有配偶").unwrap();
    counter.sync_once().await.unwrap();
    let refused = counter
        .marriages()
        .unwrap()
        .into_iter()
        .find(|m| m.id == again)
        .unwrap();
    assert_eq!(refused.data.status, MarriageStatus::Refused);
    let (_, _, pages) = counter
        .marriage_paper(again, mz_app::marriage::MarriagePaper::RefusalNotice)
        .unwrap();
    assert!(
        pages[0].contains(">配</text>"),
        "the reason is in the notice"
    );
    assert!(
        counter.register_marriage(again).await.is_err(),
        "a refusal is final"
    );
}
