//! A request (请示) from draft to the city: the office drafts it and names
//! the principal to sign it, the principal signs it off on a desk that has
//! lost the network and it goes when the network returns; two office desks
//! check it at once and the second is shown what the first did; a change
//! after sign-off goes back to the principal; the number comes from the
//! unit's sequence, the document is printed and sent, and the city's office
//! receives it, checks it, assigns it and answers.

use crate::common::{PASSWORD, Platform, client_app};
use mz_api::documents::{OfficialDocument, Paragraph};
use mz_api::office::{Action, Person};
use mz_api::schedule::{Leader, ScheduleSetupData};
use mz_app::AppError;
use mz_app::office::{NewOutgoing, StepRequest};
use mz_domain::office::{DocKind, Step};

fn document() -> OfficialDocument {
    OfficialDocument {
        copy_no: None,
        classification: None,
        urgency: None,
        issuer_mark: "湖南省民政厅文件".to_owned(),
        issuers: Vec::new(),
        doc_number: String::new(),
        signers: Vec::new(),
        upward: false,
        title: "关于请求拨付冬季临时救助资金的请示".to_owned(),
        recipients: vec!["长沙市民政局".to_owned()],
        body: vec![Paragraph {
            level: 0,
            text: "为做好今冬明春困难群众临时救助工作，现请示如下。".to_owned(),
        }],
        attachments: Vec::new(),
        signature: "湖南省民政厅".to_owned(),
        date: String::new(),
        sealed: true,
        note: None,
        cc: Vec::new(),
        printer: None,
        print_date: None,
    }
}

fn step(action: Action, opinion: &str) -> StepRequest {
    StepRequest {
        action,
        opinion: opinion.to_owned(),
        deadline: None,
        on_behalf_of: None,
    }
}

/// The signed-in user of a desk as the steps name them.
fn person(app: &mz_app::ClientApp) -> Person {
    let user = app.user().unwrap().unwrap();
    Person {
        user_id: user.id.to_string(),
        name: user.display_name,
    }
}

/// The office names the unit's leaders: the principal first, then the
/// executive deputy.
fn name_leaders(office: &mz_app::ClientApp, principal: &Person, deputy: Option<&Person>) {
    let leader_of = |p: &Person, principal: bool| Leader {
        user_id: p.user_id.clone(),
        name: p.name.clone(),
        title: if principal { "厅长" } else { "副厅长" }.to_owned(),
        principal,
        executive_deputy: !principal,
    };
    let mut leaders = vec![leader_of(principal, true)];
    leaders.extend(deputy.map(|d| leader_of(d, false)));
    office
        .save_schedule_setup(&ScheduleSetupData {
            leaders,
            secretaries: Vec::new(),
            travel_minutes: 30,
            feed_confidential: mz_api::schedule::ics::ConfidentialAs::Busy,
            office_head: None,
        })
        .unwrap();
}

/// An incoming notice the office received, checked and assigned to `lead`
/// with `opinion`: its id.
fn assigned(
    office: &mz_app::ClientApp,
    (title, sender, number): (&str, &str, &str),
    lead: &Person,
    opinion: &str,
) -> uuid::Uuid {
    let id = office
        .office_new_incoming(mz_app::office::NewIncoming {
            kind: DocKind::Notice,
            title: title.to_owned(),
            sender: sender.to_owned(),
            sender_number: number.to_owned(),
            received_on: office.today(),
            urgency: None,
            classification: None,
            deadline: None,
            file: None,
        })
        .unwrap();
    office.office_act(id, step(Action::Accept, "")).unwrap();
    let assign = Action::Assign {
        lead: lead.clone(),
        co: Vec::new(),
    };
    office.office_act(id, step(assign, opinion)).unwrap();
    id
}

fn kinds(view: &mz_app::office::OfficeView) -> Vec<String> {
    view.choices.iter().map(|c| c.kind.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_goes_from_draft_to_the_city_and_is_answered_there() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let secretary = client_app(&platform, &dir, "secretary");
    secretary.login("secretary", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let deputy = client_app(&platform, &dir, "deputy");
    deputy.login("deputy", PASSWORD).await.unwrap();
    let (principal, vice) = (person(&leader), person(&deputy));
    name_leaders(&office, &principal, Some(&vice));

    // 草拟: the number is never taken at draft time.
    let mut numbered = document();
    numbered.doc_number = "湘民发〔2026〕9号".to_owned();
    let id = office
        .office_new_outgoing(NewOutgoing {
            kind: DocKind::Request,
            important: false,
            document: numbered,
        })
        .unwrap();
    let view = office.office_document(id).unwrap();
    assert_eq!(view.data.document.as_ref().unwrap().doc_number, "");
    assert_eq!(view.data.step, Step::Draft);
    assert!(
        kinds(&view).contains(&"submit".to_owned()),
        "{:?}",
        kinds(&view)
    );
    office.office_act(id, step(Action::Submit, "")).unwrap();
    // A request goes upward: the deputy is not the one to sign it.
    let refused = office
        .office_act(
            id,
            step(
                Action::Approve {
                    signer: vice.clone(),
                },
                "",
            ),
        )
        .unwrap_err();
    match refused {
        AppError::Rules(issues) => assert_eq!(issues[0].field, "signer"),
        other => panic!("{other:?}"),
    }
    office
        .office_act(
            id,
            step(
                Action::Approve {
                    signer: principal.clone(),
                },
                "拟同意",
            ),
        )
        .unwrap();
    office.sync_once().await.unwrap();

    // The principal finds it in the to-do list and signs it off offline.
    leader.sync_once().await.unwrap();
    let inbox = leader.office_inbox().unwrap();
    assert_eq!(inbox.to_do.len(), 1);
    assert_eq!(inbox.to_do[0].id, id);
    let view = leader.office_document(id).unwrap();
    assert!(
        kinds(&view).contains(&"sign_off".to_owned()),
        "{:?}",
        kinds(&view)
    );
    platform.halt().await;
    let sign = Action::SignOff {
        circled: false,
        on_behalf_of: None,
    };
    let signed = leader.office_act(id, step(sign, "同意")).unwrap();
    assert!(signed.entry.pending);
    assert_eq!(signed.data.step, Step::Check);
    assert!(leader.sync_once().await.is_err(), "the platform is away");
    assert!(leader.office_inbox().unwrap().to_do.is_empty());
    platform.resume();
    leader.sync_once().await.unwrap();
    assert!(!leader.office_document(id).unwrap().entry.pending);

    // Two office desks check it at once: the second meets the first.
    office.sync_once().await.unwrap();
    secretary.sync_once().await.unwrap();
    secretary.office_act(id, step(Action::Check, "")).unwrap();
    office.office_act(id, step(Action::Check, "")).unwrap();
    secretary.sync_once().await.unwrap();
    office.sync_once().await.unwrap();
    let issues = office.sync_issues().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    let conflict = office.office_document(id).unwrap().conflict.unwrap();
    assert_eq!(
        (conflict.by.as_str(), conflict.action.as_str()),
        ("secretary", "复核")
    );
    assert_eq!(issues[0].state, "conflict");
    let theirs = issues[0].theirs.as_ref().unwrap();
    assert_eq!(
        theirs["steps"].as_array().unwrap().last().unwrap()["by"]["name"],
        "secretary"
    );
    // Their step stands; the office takes it.
    office
        .resolve(issues[0].device_seq, &mz_store::Resolution::TakeTheirs)
        .unwrap();
    let view = office.office_document(id).unwrap();
    assert_eq!(view.data.step, Step::Register);

    // No number yet this year under a code: the clerk gives the first.
    let units = office.office_units().await.unwrap();
    let city = units
        .iter()
        .find(|u| u.code == "430100-civil")
        .unwrap()
        .clone();
    assert!(!units.iter().any(|u| u.code == "430000-civil"));
    let year = chrono::Datelike::year(&office.today());
    let register = Action::Register {
        number: format!("湘民发〔{year}〕1号"),
        recipients: vec![city],
        copies: 5,
    };
    office.office_act(id, step(register, "")).unwrap();
    assert_eq!(
        office.office_next_number(None).unwrap().unwrap(),
        format!("湘民发〔{year}〕2号")
    );
    office.office_act(id, step(Action::Print, "")).unwrap();
    let sent = office.office_act(id, step(Action::Distribute, "")).unwrap();
    assert_eq!(sent.data.step, Step::Done);
    assert_eq!(
        sent.data.document.as_ref().unwrap().doc_number,
        format!("湘民发〔{year}〕1号")
    );
    office.sync_once().await.unwrap();
    assert!(office.sync_issues().unwrap().is_empty());

    // The city's office receives it, checks it, assigns and answers it.
    let city_office = client_app(&platform, &dir, "city_office");
    city_office.login("city_office", PASSWORD).await.unwrap();
    let deliveries = city_office.office_deliveries().await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].sent.number, format!("湘民发〔{year}〕1号"));
    let incoming = city_office.office_receive(deliveries[0].id).await.unwrap();
    city_office
        .office_act(incoming, step(Action::Accept, ""))
        .unwrap();
    let me = person(&city_office);
    city_office
        .office_act(
            incoming,
            step(
                Action::Assign {
                    lead: me,
                    co: Vec::new(),
                },
                "请社会救助科办理",
            ),
        )
        .unwrap();
    let done = city_office
        .office_act(incoming, step(Action::Reply, "已按要求落实"))
        .unwrap();
    assert_eq!(done.data.step, Step::Done);
    city_office.sync_once().await.unwrap();
    assert!(city_office.sync_issues().unwrap().is_empty());
    assert!(city_office.office_deliveries().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_after_sign_off_goes_back_to_the_signer() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let principal = person(&leader);
    name_leaders(&office, &principal, None);
    let new = NewOutgoing {
        kind: DocKind::Notice,
        important: false,
        document: document(),
    };
    let id = office.office_new_outgoing(new.clone()).unwrap();
    office.office_act(id, step(Action::Submit, "")).unwrap();
    office
        .office_act(
            id,
            step(
                Action::Approve {
                    signer: principal.clone(),
                },
                "",
            ),
        )
        .unwrap();
    office.sync_once().await.unwrap();
    leader.sync_once().await.unwrap();
    let circled = Action::SignOff {
        circled: true,
        on_behalf_of: None,
    };
    leader.office_act(id, step(circled, "")).unwrap();
    leader.sync_once().await.unwrap();
    office.sync_once().await.unwrap();
    let mut changed = new;
    changed.document.body[0].text = "为做好今冬明春困难群众临时救助工作，现通知如下。".to_owned();
    let back = office.office_edit(id, changed).unwrap();
    assert_eq!(back.data.step, Step::SignOff);
    assert_eq!(back.data.owners, std::slice::from_ref(&principal.user_id));
    office.sync_once().await.unwrap();
    assert!(office.sync_issues().unwrap().is_empty());
    leader.sync_once().await.unwrap();
    assert_eq!(leader.office_inbox().unwrap().to_do.len(), 1);
    // The signer reads what they signed beside what they are asked to sign.
    let seen = leader.office_document(id).unwrap();
    assert_eq!(seen.data.versions.len(), 1);
    let signed = seen.data.versions[0].document.as_ref().unwrap();
    assert_eq!(signed.body[0].text, document().body[0].text);
    assert_ne!(seen.data.document.as_ref().unwrap().body, signed.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_s_instruction_reaches_the_clerk_it_names() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let secretary = client_app(&platform, &dir, "secretary");
    secretary.login("secretary", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let id = assigned(
        &office,
        (
            "关于开展养老机构安全隐患排查整治的通知",
            "民政部",
            "民发〔2026〕45号",
        ),
        &person(&secretary),
        "请办理",
    );
    let circulate = Action::Circulate {
        readers: vec![person(&leader)],
        purpose: "阅示".to_owned(),
    };
    let out = office.office_act(id, step(circulate, "")).unwrap();
    assert!(out.entry.circulating);
    office.sync_once().await.unwrap();

    leader.sync_once().await.unwrap();
    let inbox = leader.office_inbox().unwrap();
    assert_eq!(inbox.to_read.len(), 1);
    assert!(inbox.to_do.is_empty(), "reading is not a to-do");
    // An instruction names whom it concerns in words too.
    let silent = Action::Read {
        instructs: vec![person(&secretary)],
    };
    assert!(matches!(
        leader.office_act(id, step(silent, "")),
        Err(AppError::Rules(_))
    ));
    let instructs = Action::Read {
        instructs: vec![person(&secretary)],
    };
    leader
        .office_act(id, step(instructs, "请抓紧落实，周五前报我"))
        .unwrap();
    assert!(leader.office_inbox().unwrap().to_read.is_empty());
    leader.sync_once().await.unwrap();

    assert!(secretary.office_instructions().unwrap().is_empty());
    secretary.sync_once().await.unwrap();
    let told = secretary.office_instructions().unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].id, id);
    assert!(
        told[0].title.starts_with("leader批示："),
        "{}",
        told[0].title
    );
    assert_eq!(told[0].body, "请抓紧落实，周五前报我");
    // 督办: the office extends its deadline on request, and the board (and
    // its workbook) lists it.
    let due = secretary.today() + chrono::Duration::days(2);
    let longer = Action::Extend {
        to: due + chrono::Duration::days(5),
    };
    office.sync_once().await.unwrap();
    assert!(
        matches!(
            office.office_act(id, step(longer.clone(), "申请延期")),
            Err(AppError::Rules(_))
        ),
        "a document without a deadline is not extended"
    );
    // The handler finds the instruction in their to-do list; nobody else is told.
    assert_eq!(secretary.office_inbox().unwrap().to_do.len(), 1);
    office.sync_once().await.unwrap();
    assert!(office.office_instructions().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classified_document_is_worked_online_and_never_rests_on_a_desk() {
    let mut platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let principal = person(&leader);
    name_leaders(&office, &principal, None);
    office.sync_once().await.unwrap();
    leader.sync_once().await.unwrap();
    let secret = || mz_app::office::NewIncoming {
        kind: DocKind::Notice,
        title: "关于某涉密事项的通知".to_owned(),
        sender: "民政部".to_owned(),
        sender_number: "民发〔2026〕9号".to_owned(),
        received_on: office.today(),
        urgency: None,
        classification: Some(mz_api::documents::Classification {
            level: mz_api::documents::SecrecyLevel::Confidential,
            period: Some("10年".to_owned()),
        }),
        deadline: None,
        file: None,
    };
    // Never into the cache, whatever path asks.
    match office.office_new_incoming(secret()) {
        Err(AppError::Rules(issues)) => assert_eq!(issues[0].field, "classification"),
        other => panic!("{other:?}"),
    }
    let id = office.office_begin_incoming(secret()).await.unwrap();
    assert!(
        office.office_inbox().unwrap().all.is_empty(),
        "nothing cached"
    );
    let held = office.office_classified().await.unwrap();
    assert_eq!(held.to_do.len(), 1);
    assert_eq!(held.to_do[0].classification.as_deref(), Some("机密"));
    let view = office.office_view(id).await.unwrap();
    assert!(view.held_online);
    office
        .office_take(id, step(Action::Accept, ""))
        .await
        .unwrap();
    let assign = Action::Assign {
        lead: person(&office),
        co: Vec::new(),
    };
    office.office_take(id, step(assign, "")).await.unwrap();

    // The leader is not on it: their desk neither pulls nor reads it.
    leader.sync_once().await.unwrap();
    assert!(leader.office_inbox().unwrap().all.is_empty());
    assert!(leader.office_classified().await.unwrap().all.is_empty());
    assert!(leader.office_view(id).await.is_err());
    // Sent round to the leader: read online, and still never cached.
    let circulate = Action::Circulate {
        readers: vec![person(&leader)],
        purpose: "阅示".to_owned(),
    };
    office.office_take(id, step(circulate, "")).await.unwrap();
    leader.sync_once().await.unwrap();
    assert!(leader.office_inbox().unwrap().all.is_empty());
    let held = leader.office_classified().await.unwrap();
    assert_eq!(held.to_read.len(), 1);
    let read = Action::Read {
        instructs: Vec::new(),
    };
    leader.office_take(id, step(read, "已阅")).await.unwrap();
    assert!(!office.office_view(id).await.unwrap().data.circulating());

    // Offline, it cannot be read or worked.
    platform.halt().await;
    assert!(office.office_view(id).await.is_err());
    assert!(
        office
            .office_take(id, step(Action::Comment, "意见"))
            .await
            .is_err()
    );
    platform.resume();
    assert!(office.sync_issues().unwrap().is_empty());
    office.sync_once().await.unwrap();
    assert!(
        office.office_inbox().unwrap().all.is_empty(),
        "nothing cached"
    );

    // 销毁: done with, its copy destroyed as the leader approves, before a
    // witness, and the register says so.
    office
        .office_take(id, step(Action::Reply, "已按要求办理"))
        .await
        .unwrap();
    let view = office.office_view(id).await.unwrap();
    assert!(
        kinds(&view).contains(&"ask_destroy".to_owned()),
        "{:?}",
        kinds(&view)
    );
    let ask = Action::AskDestroy {
        copies: vec![1],
        method: "碎纸机粉碎".to_owned(),
        approver: principal.clone(),
    };
    office
        .office_take(id, step(ask, "已过保密期限，无保存价值"))
        .await
        .unwrap();
    let asked = leader.office_classified().await.unwrap();
    assert_eq!(asked.to_do.len(), 1, "the leader approves it");
    let view = leader.office_view(id).await.unwrap();
    assert!(kinds(&view).contains(&"decide_destroy".to_owned()));
    leader
        .office_take(
            id,
            step(Action::DecideDestroy { approve: true }, "同意销毁"),
        )
        .await
        .unwrap();
    assert_eq!(office.office_classified().await.unwrap().to_do.len(), 1);
    let destroyed = Action::Destroyed {
        witness: principal.clone(),
    };
    office.office_take(id, step(destroyed, "")).await.unwrap();
    let register = office.office_destructions().await.unwrap();
    assert_eq!(register.len(), 1);
    let line = &register[0];
    assert_eq!((line.id, line.classification.as_str()), (id, "机密"));
    assert_eq!(line.destruction.copies, [1]);
    assert_eq!(line.destruction.approved, Some(true));
    assert_eq!(line.destruction.witness.as_ref(), Some(&principal));
    assert!(line.destruction.destroyed_at.is_some());
    assert!(office.office_classified().await.unwrap().to_do.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tracking_board_lists_what_is_due_and_exports_it() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let me = person(&office);
    let today = office.today();
    let mut ids = Vec::new();
    for (n, days) in [(1, -1i64), (2, 1), (3, 10)] {
        let id = office
            .office_new_incoming(mz_app::office::NewIncoming {
                kind: DocKind::Notice,
                title: format!("限时办理的通知{n}"),
                sender: "民政部".to_owned(),
                sender_number: String::new(),
                received_on: today,
                urgency: None,
                classification: None,
                deadline: None,
                file: None,
            })
            .unwrap();
        office.office_act(id, step(Action::Accept, "")).unwrap();
        let assign = StepRequest {
            action: Action::Assign {
                lead: me.clone(),
                co: Vec::new(),
            },
            opinion: String::new(),
            deadline: Some(today + chrono::Duration::days(days)),
            on_behalf_of: None,
        };
        office.office_act(id, assign).unwrap();
        ids.push(id);
    }
    let board = office.office_inbox().unwrap().tracking;
    let left: Vec<_> = board.iter().map(|e| e.time_left).collect();
    use mz_domain::office::TimeLeft;
    assert_eq!(left, [TimeLeft::Overdue, TimeLeft::Soon, TimeLeft::Ample]);
    // Extended on request, with the reason: later, and off the red.
    let later = Action::Extend {
        to: today + chrono::Duration::days(20),
    };
    let no_reason = office.office_act(ids[0], step(later.clone(), ""));
    assert!(matches!(no_reason, Err(AppError::Rules(_))));
    office
        .office_act(ids[0], step(later, "需会同财政部门核实"))
        .unwrap();
    let board = office.office_inbox().unwrap().tracking;
    assert_eq!(board.last().unwrap().id, ids[0]);
    // Answered: off the board.
    office
        .office_act(ids[1], step(Action::Reply, "已办理"))
        .unwrap();
    assert_eq!(office.office_inbox().unwrap().tracking.len(), 2);
    let (name, bytes) = office.office_tracking_xlsx().unwrap();
    assert!(
        name.starts_with("公文督办表-") && name.ends_with(".xlsx"),
        "{name}"
    );
    let path = dir.path().join(&name);
    std::fs::write(&path, &bytes).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("督办").unwrap();
    let titles: Vec<String> = sheet.rows().skip(1).map(|row| row[0].to_string()).collect();
    assert_eq!(titles, ["限时办理的通知3", "限时办理的通知1"]);
}

/// 督办事项: a leader's instruction opened for tracking, reported back on by
/// its handler on another desk, extended on request, reported finished and
/// closed by the office; on the board and in the handler's 待办 while open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instruction_is_tracked_until_the_office_closes_it() {
    use mz_api::office::task::TaskAction;
    use mz_app::office::tasks::{NewTask, TaskRequest};
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let handler = client_app(&platform, &dir, "deputy");
    handler.login("deputy", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let today = office.today();
    let request = |action, text: &str| TaskRequest {
        action,
        text: text.to_owned(),
    };
    // Opened for a document the desk holds: its title comes with it.
    let document = office
        .office_new_incoming(mz_app::office::NewIncoming {
            kind: DocKind::Notice,
            title: "关于开展养老机构安全隐患排查整治的通知".to_owned(),
            sender: "民政部".to_owned(),
            sender_number: String::new(),
            received_on: today,
            urgency: None,
            classification: None,
            deadline: None,
            file: None,
        })
        .unwrap();
    let new = NewTask {
        title: "落实养老机构排查批示".to_owned(),
        requirement: "leader批示：请抓紧落实，周五前报我".to_owned(),
        source_document: Some(document),
        instructed_by: Some(person(&leader)),
        lead: person(&handler),
        co: Vec::new(),
        deadline: today + chrono::Duration::days(1),
    };
    // Without a title: refused, naming the field.
    let mut nameless = new.clone();
    nameless.title = " ".to_owned();
    assert!(matches!(
        office.office_open_task(nameless),
        Err(AppError::Rules(issues)) if issues[0].field == "title"
    ));
    let id = office.office_open_task(new).unwrap();
    let board = office.office_inbox().unwrap().tasks;
    assert_eq!(board.len(), 1);
    assert_eq!(
        board[0].source.as_ref().unwrap().title,
        "关于开展养老机构安全隐患排查整治的通知"
    );
    assert_eq!(board[0].time_left, mz_domain::office::TimeLeft::Soon);
    assert!(!board[0].mine, "nothing waits for the office yet");
    office.sync_once().await.unwrap();

    // The handler finds it in their 待办, reports, and asks for more time.
    handler.sync_once().await.unwrap();
    let mine = handler.office_inbox().unwrap().tasks;
    assert!(mine[0].mine);
    let view = handler.office_task(id).unwrap();
    let kinds: Vec<&str> = view.choices.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["report", "report_done", "ask_extension"]);
    handler
        .office_task_act(
            id,
            request(TaskAction::Report { done: false }, "已排查 46 家"),
        )
        .unwrap();
    let later = today + chrono::Duration::days(8);
    let no_reason =
        handler.office_task_act(id, request(TaskAction::AskExtension { to: later }, ""));
    assert!(matches!(no_reason, Err(AppError::Rules(_))));
    handler
        .office_task_act(
            id,
            request(TaskAction::AskExtension { to: later }, "其余市州下周完成"),
        )
        .unwrap();
    handler.sync_once().await.unwrap();

    // The office sees the request waiting for it, and grants it.
    office.sync_once().await.unwrap();
    let waiting = office.office_task(id).unwrap();
    assert!(waiting.item.mine);
    assert_eq!(waiting.item.asked_until, Some(later));
    assert_eq!(waiting.item.last_report.as_deref(), Some("已排查 46 家"));
    office
        .office_task_act(id, request(TaskAction::Extend { to: later }, "同意"))
        .unwrap();
    let (_, bytes) = office.office_tracking_xlsx().unwrap();
    let path = dir.path().join("tracking.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("督办").unwrap();
    let rows: Vec<String> = sheet.rows().skip(1).map(|row| row[0].to_string()).collect();
    assert_eq!(rows, ["落实养老机构排查批示"]);
    office.sync_once().await.unwrap();

    // Reported finished and closed: off the board's open part, and final.
    handler.sync_once().await.unwrap();
    handler
        .office_task_act(id, request(TaskAction::Report { done: true }, "已全部整改"))
        .unwrap();
    handler.sync_once().await.unwrap();
    office.sync_once().await.unwrap();
    let closed = office
        .office_task_act(id, request(TaskAction::Close, "同意办结"))
        .unwrap();
    assert!(closed.item.closed);
    assert!(closed.choices.is_empty());
    office.sync_once().await.unwrap();
    handler.sync_once().await.unwrap();
    let seen = handler.office_task(id).unwrap();
    assert!(seen.data.closed, "the close reached the handler's desk");
    assert!(!seen.item.mine);
    assert!(office.sync_issues().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_away_has_a_to_do_taken_by_the_stand_in_and_the_office_transfers_another() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let secretary = client_app(&platform, &dir, "secretary");
    secretary.login("secretary", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let deputy = client_app(&platform, &dir, "deputy");
    deputy.login("deputy", PASSWORD).await.unwrap();
    let (principal, vice) = (person(&leader), person(&deputy));
    name_leaders(&office, &principal, Some(&vice));
    // Two notices for the principal to handle.
    let received = |title: &str, number: &str| {
        assigned(&office, (title, "民政部", number), &principal, "请厅长阅处")
    };
    let first = received("关于做好岁末年初安全生产工作的通知", "民发〔2026〕51号");
    let second = received("关于报送年度工作总结的通知", "民发〔2026〕52号");
    // The principal is away on a trip; the deputy stands in.
    let today = office.today();
    office
        .save_away(
            None,
            mz_api::schedule::AwayData {
                leader: principal.user_id.clone(),
                kind: mz_api::schedule::AwayKind::Trip,
                destination: "北京".to_owned(),
                from: today,
                from_slot: mz_domain::schedule::HalfDay::Morning,
                to: today + chrono::Duration::days(2),
                to_slot: mz_domain::schedule::HalfDay::Evening,
                stand_in: Some(vice.user_id.clone()),
                override_reason: None,
                cancelled: false,
            },
        )
        .unwrap();
    office.sync_once().await.unwrap();

    // The deputy finds the principal's to-dos in their own, marked 代办.
    deputy.sync_once().await.unwrap();
    let inbox = deputy.office_inbox().unwrap();
    let waiting: Vec<_> = inbox.to_do.iter().map(|e| (e.id, e.standing_in)).collect();
    assert!(waiting.contains(&(first, true)), "{waiting:?}");
    let view = deputy.office_document(first).unwrap();
    let reply = view
        .choices
        .iter()
        .find(|c| c.kind == "reply")
        .expect("the stand-in may reply");
    assert_eq!(reply.name, "代答复");
    assert_eq!(reply.on_behalf_of.as_ref(), Some(&principal));
    // Taken as their own, it is refused: the step says whom it is for.
    assert!(matches!(
        deputy.office_act(first, step(Action::Reply, "已部署落实")),
        Err(AppError::Rules(_))
    ));
    let for_principal = StepRequest {
        on_behalf_of: Some(principal.clone()),
        ..step(Action::Reply, "已部署落实")
    };
    let done = deputy.office_act(first, for_principal).unwrap();
    assert_eq!(done.data.step, Step::Done);
    deputy.sync_once().await.unwrap();
    assert!(
        deputy
            .office_inbox()
            .unwrap()
            .to_do
            .iter()
            .all(|e| e.id != first)
    );

    // The platform took it as the deputy's, for the principal.
    office.sync_once().await.unwrap();
    let seen = office.office_document(first).unwrap();
    assert_eq!(seen.data.step, Step::Done);
    let last = seen.data.steps.last().unwrap();
    assert_eq!(
        (&last.by, last.on_behalf_of.as_ref()),
        (&vice, Some(&principal))
    );

    // 转办: the office gives the other to the secretary, with its reason.
    let view = office.office_document(second).unwrap();
    let transfer = view
        .choices
        .iter()
        .find(|c| c.kind == "assign")
        .expect("the office may transfer");
    assert_eq!(transfer.name, "转办");
    let to_secretary = Action::Assign {
        lead: person(&secretary),
        co: Vec::new(),
    };
    assert!(matches!(
        office.office_act(second, step(to_secretary.clone(), "")),
        Err(AppError::Rules(_))
    ));
    office
        .office_act(second, step(to_secretary, "厅长出差，转秘书处理"))
        .unwrap();
    office.sync_once().await.unwrap();
    secretary.sync_once().await.unwrap();
    let mine = secretary.office_inbox().unwrap();
    let entry = mine.to_do.iter().find(|e| e.id == second).unwrap();
    assert!(!entry.standing_in);
    deputy.sync_once().await.unwrap();
    assert!(
        deputy
            .office_inbox()
            .unwrap()
            .to_do
            .iter()
            .all(|e| e.id != second)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn to_dos_handed_to_a_colleague_are_theirs_while_the_delegation_runs() {
    let platform = Platform::start().await;
    let dir = tempfile::tempdir().unwrap();
    let office = client_app(&platform, &dir, "office");
    office.login("office", PASSWORD).await.unwrap();
    let leader = client_app(&platform, &dir, "leader");
    leader.login("leader", PASSWORD).await.unwrap();
    let deputy = client_app(&platform, &dir, "deputy");
    deputy.login("deputy", PASSWORD).await.unwrap();
    let (principal, vice) = (person(&leader), person(&deputy));
    name_leaders(&office, &principal, Some(&vice));
    // A notice for the principal to handle, and a request for them to sign.
    let notice = assigned(
        &office,
        (
            "关于做好年底资金清算工作的通知",
            "湖南省财政厅",
            "湘财社〔2026〕77号",
        ),
        &principal,
        "请厅长阅处",
    );
    let request = office
        .office_new_outgoing(NewOutgoing {
            kind: DocKind::Request,
            important: false,
            document: document(),
        })
        .unwrap();
    office
        .office_act(request, step(Action::Submit, ""))
        .unwrap();
    let approve = Action::Approve {
        signer: principal.clone(),
    };
    office.office_act(request, step(approve, "")).unwrap();
    office.sync_once().await.unwrap();
    leader.sync_once().await.unwrap();

    // Only to a colleague of the unit, for days not yet past.
    let today = leader.today();
    let to = |who: Person| mz_app::office::delegations::NewDelegation {
        to: who,
        start: today,
        end: today + chrono::Duration::days(3),
        reason: "参加中央党校培训".to_owned(),
    };
    let stranger = Person {
        user_id: "01920000-0000-7000-8000-00000000dead".to_owned(),
        name: "无名".to_owned(),
    };
    match leader.office_delegate(to(stranger)).await {
        Err(AppError::Rules(issues)) => assert_eq!(issues[0].field, "to"),
        other => panic!("{other:?}"),
    }
    let id = leader.office_delegate(to(vice.clone())).await.unwrap();
    leader.sync_once().await.unwrap();
    assert!(leader.sync_issues().unwrap().is_empty());

    // The deputy has the notice in 待办 and answers it for the principal;
    // the sign-off is not handed over (only an away report's stand-in signs).
    deputy.sync_once().await.unwrap();
    let handed = deputy.office_delegations().unwrap();
    assert_eq!(
        (handed.len(), handed[0].mine, handed[0].running),
        (1, false, true)
    );
    let waiting = deputy.office_inbox().unwrap().to_do;
    assert!(
        waiting.iter().any(|e| e.id == notice && e.standing_in),
        "{waiting:?}"
    );
    let view = deputy.office_document(request).unwrap();
    assert!(
        !kinds(&view).contains(&"sign_off".to_owned()),
        "{:?}",
        kinds(&view)
    );
    let for_principal = StepRequest {
        on_behalf_of: Some(principal.clone()),
        ..step(Action::Reply, "已布置清算工作")
    };
    deputy.office_act(notice, for_principal).unwrap();
    deputy.sync_once().await.unwrap();
    assert!(deputy.sync_issues().unwrap().is_empty());
    office.sync_once().await.unwrap();
    let answered = office.office_document(notice).unwrap();
    assert_eq!(answered.data.step, Step::Done);
    assert_eq!(
        answered.data.steps.last().unwrap().on_behalf_of.as_ref(),
        Some(&principal)
    );

    // Cancelled, the principal's to-dos are theirs alone again.
    assert!(
        deputy.office_cancel_delegation(id).is_err(),
        "not the deputy's to cancel"
    );
    leader.office_cancel_delegation(id).unwrap();
    leader.sync_once().await.unwrap();
    deputy.sync_once().await.unwrap();
    assert!(!deputy.office_delegations().unwrap()[0].running);
    assert!(
        deputy
            .office_inbox()
            .unwrap()
            .to_do
            .iter()
            .all(|e| !e.standing_in)
    );
}
