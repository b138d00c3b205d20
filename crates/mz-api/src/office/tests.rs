use super::*;
use crate::documents::{Paragraph, SecrecyLevel};

fn person(id: &str, name: &str) -> Person {
    Person {
        user_id: id.to_owned(),
        name: name.to_owned(),
    }
}

fn clerk() -> Actor {
    Actor {
        person: person("u-clerk", "王文书"),
        office: true,
        leader: false,
    }
}

fn drafter() -> Actor {
    Actor {
        person: person("u-drafter", "李拟稿"),
        office: false,
        leader: false,
    }
}

fn principal() -> Actor {
    Actor {
        person: person("u-principal", "周厅长"),
        office: false,
        leader: true,
    }
}

fn deputy() -> Actor {
    Actor {
        person: person("u-deputy", "陈副厅长"),
        office: false,
        leader: true,
    }
}

fn handler() -> Actor {
    Actor {
        person: person("u-handler", "赵处长"),
        office: false,
        leader: false,
    }
}

fn authority() -> Authority {
    Authority {
        leaders: vec![
            ("u-principal".to_owned(), true),
            ("u-deputy".to_owned(), false),
        ],
        ..Authority::default()
    }
}

fn at(n: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(9, n, 0)
        .unwrap()
}

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
        title: "关于做好冬季救助工作的通知".to_owned(),
        recipients: vec!["各市州民政局".to_owned()],
        body: vec![Paragraph {
            level: 0,
            text: "现将有关事项通知如下。".to_owned(),
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

fn draft() -> OfficeDocumentData {
    OfficeDocumentData {
        title: "关于做好冬季救助工作的通知".to_owned(),
        document: Some(document()),
        ..OfficeDocumentData::blank(Direction::Outgoing, DocKind::Notice)
    }
}

/// Takes a step as the desk does: the entry appended and applied.
fn take(
    body: Option<&OfficeDocumentData>,
    content: &OfficeDocumentData,
    who: &Actor,
    action: Action,
    opinion: &str,
    minute: u32,
) -> Result<OfficeDocumentData, FieldIssue> {
    let entry = StepEntry {
        step: body.map_or(
            match content.direction {
                Direction::Outgoing => Step::Draft,
                Direction::Incoming => Step::FirstCheck,
            },
            |b| b.step,
        ),
        action,
        by: who.person.clone(),
        at: at(minute),
        opinion: opinion.to_owned(),
        deadline: None,
        on_behalf_of: None,
    };
    apply(body, &entry, content, who, &authority())
}

fn step(
    body: &OfficeDocumentData,
    who: &Actor,
    action: Action,
    opinion: &str,
    minute: u32,
) -> OfficeDocumentData {
    take(Some(body), body, who, action, opinion, minute).unwrap()
}

fn signed_off() -> OfficeDocumentData {
    let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let d = step(
        &d,
        &clerk(),
        Action::Approve {
            signer: principal().person,
        },
        "拟同意",
        2,
    );
    step(
        &d,
        &principal(),
        Action::SignOff {
            circled: false,
            on_behalf_of: None,
        },
        "同意印发",
        3,
    )
}

#[test]
fn an_outgoing_document_goes_from_draft_to_distribution() {
    let d = signed_off();
    assert_eq!(d.step, Step::Check);
    let signed = d.sign_off.as_ref().unwrap();
    assert_eq!(signed.by.name, "周厅长");
    assert_eq!(signed.date, at(0).date());
    assert_eq!(d.document.as_ref().unwrap().date, "2026-12-07");
    let d = step(&d, &clerk(), Action::Check, "", 4);
    let register = Action::Register {
        number: "湘民发〔2026〕7号".to_owned(),
        recipients: vec![UnitRef {
            code: "430100-civil".to_owned(),
            name: "长沙市民政局".to_owned(),
        }],
        copies: 20,
    };
    let d = step(&d, &clerk(), register, "", 5);
    assert_eq!(d.document.as_ref().unwrap().doc_number, "湘民发〔2026〕7号");
    let d = step(&d, &clerk(), Action::Print, "", 6);
    let d = step(&d, &clerk(), Action::Distribute, "", 7);
    assert_eq!(d.step, Step::Done);
    assert_eq!(d.steps.len(), 8);
    // The platform replays the whole history and finds the same body.
    assert_eq!(
        replay(None, &d, &drafter(), &authority())
            .unwrap_err()
            .field,
        "steps"
    );
}

#[test]
fn the_platform_replays_each_step_as_its_caller() {
    let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
    let submitted = step(&d, &drafter(), Action::Submit, "", 1);
    assert_eq!(
        replay(Some(&d), &submitted, &drafter(), &authority()).unwrap(),
        submitted
    );
    // Someone else's name on the step.
    assert!(replay(Some(&d), &submitted, &clerk(), &authority()).is_err());
    // A body that the steps do not make: the step moved too far.
    let mut forged = submitted.clone();
    forged.step = Step::Register;
    let issue = replay(Some(&d), &forged, &drafter(), &authority()).unwrap_err();
    assert!(issue.message.contains("不符"), "{}", issue.message);
    // A history rewritten.
    let mut rewritten = submitted.clone();
    rewritten.steps[0].opinion = "改过".to_owned();
    assert!(replay(Some(&d), &rewritten, &drafter(), &authority()).is_err());
}

#[test]
fn important_and_upward_documents_go_to_the_principal() {
    let mut important = draft();
    important.important = true;
    let d = take(None, &important, &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let to_deputy = Action::Approve {
        signer: deputy().person,
    };
    let refused = take(Some(&d), &d, &clerk(), to_deputy, "", 2).unwrap_err();
    assert_eq!(refused.field, "signer");
    assert!(refused.message.contains("主要负责人"));
    // A request (请示) goes upward by its kind.
    let mut request = draft();
    request.kind = DocKind::Request;
    let d = take(None, &request, &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let to_deputy = Action::Approve {
        signer: deputy().person,
    };
    assert!(take(Some(&d), &d, &clerk(), to_deputy, "", 2).is_err());
    // Someone who is not a leader never signs.
    let to_clerk = Action::Approve {
        signer: handler().person,
    };
    assert!(take(Some(&d), &d, &clerk(), to_clerk, "", 2).is_err());
}

#[test]
fn a_stand_in_signs_with_dai_only_for_the_leader_away() {
    let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let d = step(
        &d,
        &clerk(),
        Action::Approve {
            signer: principal().person,
        },
        "",
        2,
    );
    let sign = |on_behalf_of| Action::SignOff {
        circled: true,
        on_behalf_of,
    };
    // Not the signer, and not standing in.
    assert!(take(Some(&d), &d, &deputy(), sign(None), "", 3).is_err());
    assert!(
        take(
            Some(&d),
            &d,
            &deputy(),
            sign(Some(principal().person)),
            "",
            3
        )
        .is_err()
    );
    let entry = StepEntry {
        step: Step::SignOff,
        action: sign(Some(principal().person)),
        by: deputy().person,
        at: at(3),
        opinion: String::new(),
        deadline: None,
        on_behalf_of: None,
    };
    let away = Authority {
        standing_in: vec![("u-principal".to_owned(), "u-deputy".to_owned())],
        ..authority()
    };
    let signed = apply(Some(&d), &entry, &d, &deputy(), &away).unwrap();
    let sign_off = signed.sign_off.unwrap();
    assert!(sign_off.circled);
    assert_eq!(sign_off.on_behalf_of.unwrap().name, "周厅长");
    // Without words, the signer circles (圈阅).
    let words = take(
        Some(&d),
        &d,
        &principal(),
        Action::SignOff {
            circled: false,
            on_behalf_of: None,
        },
        "",
        3,
    )
    .unwrap_err();
    assert_eq!(words.field, "opinion");
}

#[test]
fn a_change_after_sign_off_goes_back_to_the_signer() {
    let d = signed_off();
    // The number and the date are the steps' own: no change of content.
    let mut changed = d.clone();
    changed.document.as_mut().unwrap().body[0].text = "现将有关事项重新通知如下。".to_owned();
    let edited = take(Some(&d), &changed, &clerk(), Action::Edit, "改正文", 4).unwrap();
    assert_eq!(edited.step, Step::SignOff);
    assert_eq!(edited.owners, ["u-principal"]);
    assert!(edited.sign_off.is_none());
    // An edit that changes nothing signed stays at the check.
    let same = take(Some(&d), &d, &clerk(), Action::Edit, "", 4).unwrap();
    assert_eq!(same.step, Step::Check);
    // A step that is not an edit changes no content.
    let refused = take(Some(&d), &changed, &clerk(), Action::Check, "", 4).unwrap_err();
    assert!(refused.message.contains("修改"));
}

#[test]
fn a_step_taken_twice_meets_the_first() {
    let d = signed_off();
    let checked = step(&d, &clerk(), Action::Check, "", 4);
    // The second desk still sees the check and takes it again.
    let again = take(Some(&checked), &checked, &clerk(), Action::Check, "", 5);
    let entry = StepEntry {
        step: Step::Check,
        action: Action::Check,
        by: clerk().person,
        at: at(5),
        opinion: String::new(),
        deadline: None,
        on_behalf_of: None,
    };
    let twice = apply(Some(&checked), &entry, &checked, &clerk(), &authority()).unwrap_err();
    assert!(twice.message.contains("已有他人办理"), "{}", twice.message);
    assert!(again.is_err());
}

#[test]
fn recall_before_the_next_step_acts_and_return_with_a_comment() {
    let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let recalled = step(&d, &drafter(), Action::Recall, "", 2);
    assert_eq!(recalled.step, Step::Draft);
    assert_eq!(recalled.owners, ["u-drafter"]);
    // Someone else cannot recall it.
    assert!(take(Some(&d), &d, &clerk(), Action::Recall, "", 2).is_err());
    // Once the review acted, the drafter cannot.
    let reviewed = step(
        &d,
        &clerk(),
        Action::Approve {
            signer: principal().person,
        },
        "",
        2,
    );
    assert!(
        take(
            Some(&reviewed),
            &reviewed,
            &drafter(),
            Action::Recall,
            "",
            3
        )
        .is_err()
    );
    // The signer returns it to the draft, with a comment, to its drafter.
    let back = Action::Return { to: Step::Draft };
    let no_words = take(
        Some(&reviewed),
        &reviewed,
        &principal(),
        back.clone(),
        "",
        3,
    );
    assert_eq!(no_words.unwrap_err().field, "opinion");
    let returned = step(&reviewed, &principal(), back, "第二部分再充实", 3);
    assert_eq!(returned.step, Step::Draft);
    assert_eq!(returned.owners, ["u-drafter"]);
    assert!(returned.signer.is_none());
    // Not forward, and not by someone else.
    let forward = Action::Return { to: Step::Register };
    assert!(take(Some(&reviewed), &reviewed, &principal(), forward, "x", 3).is_err());
    let theirs = Action::Return { to: Step::Draft };
    assert!(take(Some(&reviewed), &reviewed, &deputy(), theirs, "x", 3).is_err());
}

#[test]
fn a_joint_document_is_countersigned_by_every_co_issuer() {
    let mut joint = draft();
    joint.document.as_mut().unwrap().issuers = vec![
        "湖南省民政厅".to_owned(),
        "湖南省财政厅".to_owned(),
        "湖南省卫生健康委员会".to_owned(),
    ];
    let d = take(None, &joint, &drafter(), Action::Create, "", 0).unwrap();
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let d = step(
        &d,
        &clerk(),
        Action::Approve {
            signer: principal().person,
        },
        "",
        2,
    );
    let sign = Action::SignOff {
        circled: true,
        on_behalf_of: None,
    };
    let d = step(&d, &principal(), sign, "", 3);
    assert_eq!(d.step, Step::Countersign);
    let countersign = |issuer: &str| Action::Countersign {
        issuer: issuer.to_owned(),
        signer: "张某".to_owned(),
    };
    let d = step(&d, &clerk(), countersign("湖南省财政厅"), "同意", 4);
    assert_eq!(d.step, Step::Countersign);
    assert!(take(Some(&d), &d, &clerk(), countersign("湖南省财政厅"), "", 5).is_err());
    assert!(take(Some(&d), &d, &clerk(), countersign("湖南省教育厅"), "", 5).is_err());
    let d = step(&d, &clerk(), countersign("湖南省卫生健康委员会"), "同意", 5);
    assert_eq!(d.step, Step::Check);
}

fn incoming() -> OfficeDocumentData {
    OfficeDocumentData {
        title: "关于开展养老机构安全检查的通知".to_owned(),
        urgency: Some(Urgency::Urgent),
        received: Some(Received {
            sender: "民政部".to_owned(),
            sender_unit: None,
            sender_number: "民发〔2026〕31号".to_owned(),
            received_on: at(0).date(),
            delivery: None,
        }),
        ..OfficeDocumentData::blank(Direction::Incoming, DocKind::Notice)
    }
}

#[test]
fn an_incoming_document_is_checked_assigned_read_and_answered() {
    // Only the office receives.
    assert!(take(None, &incoming(), &drafter(), Action::Create, "", 0).is_err());
    let d = take(None, &incoming(), &clerk(), Action::Create, "", 0).unwrap();
    assert_eq!(d.step, Step::FirstCheck);
    let d = step(&d, &clerk(), Action::Accept, "", 1);
    let assign = Action::Assign {
        lead: handler().person,
        co: Vec::new(),
    };
    // An urgent document gets a deadline.
    let none = take(Some(&d), &d, &clerk(), assign.clone(), "", 2).unwrap_err();
    assert_eq!(none.field, "deadline");
    let entry = StepEntry {
        step: Step::Assign,
        action: assign,
        by: clerk().person,
        at: at(2),
        opinion: "请社会救助处牵头办理".to_owned(),
        deadline: Some(at(0).date() + chrono::Duration::days(5)),
        on_behalf_of: None,
    };
    let d = apply(Some(&d), &entry, &d, &clerk(), &authority()).unwrap();
    assert_eq!(d.step, Step::Handle);
    assert_eq!(d.owners, ["u-handler"]);
    assert_eq!(d.deadline, entry.deadline);
    let d = step(
        &d,
        &clerk(),
        Action::Circulate {
            readers: vec![principal().person, deputy().person],
            purpose: "阅示".to_owned(),
        },
        "",
        3,
    );
    assert!(d.circulating());
    let instructs = Action::Read {
        instructs: vec![handler().person],
    };
    let d = step(&d, &principal(), instructs, "请抓紧落实，周五前报结果", 4);
    assert!(d.circulating());
    // Read once.
    let again = Action::Read {
        instructs: Vec::new(),
    };
    assert!(take(Some(&d), &d, &principal(), again.clone(), "", 5).is_err());
    let d = step(&d, &deputy(), again, "", 5);
    assert!(!d.circulating());
    assert!(take(Some(&d), &d, &handler(), Action::Reply, "", 6).is_err());
    let d = step(&d, &handler(), Action::Reply, "已完成检查，报告另报", 6);
    assert_eq!(d.step, Step::Done);
    // Done is done.
    assert!(take(Some(&d), &d, &clerk(), Action::Accept, "", 7).is_err());
}

#[test]
fn a_non_conforming_document_goes_back_with_its_reason() {
    let d = take(None, &incoming(), &clerk(), Action::Create, "", 0).unwrap();
    let no_reason = take(Some(&d), &d, &clerk(), Action::Reject, "", 1).unwrap_err();
    assert_eq!(no_reason.field, "opinion");
    let d = step(
        &d,
        &clerk(),
        Action::Reject,
        "未加盖印章，请补正后重新报送",
        1,
    );
    assert_eq!(d.step, Step::Done);
}

#[test]
fn a_body_names_its_wrong_fields() {
    let mut bad = incoming();
    bad.title = " ".to_owned();
    bad.received.as_mut().unwrap().sender_number = "民发[2026]31号".to_owned();
    let fields: Vec<String> = document_issues(&bad).into_iter().map(|i| i.field).collect();
    assert_eq!(fields, ["title", "received.sender_number"]);
    let mut classified = draft();
    classified.classification = Some(Classification {
        level: SecrecyLevel::Secret,
        period: None,
    });
    assert!(document_issues(&classified).is_empty());
}

#[test]
fn the_number_is_of_the_year_it_is_registered() {
    let d = signed_off();
    let d = step(&d, &clerk(), Action::Check, "", 4);
    let register = |number: &str| Action::Register {
        number: number.to_owned(),
        recipients: vec![UnitRef {
            code: "430100-civil".to_owned(),
            name: "长沙市民政局".to_owned(),
        }],
        copies: 5,
    };
    let refused = take(Some(&d), &d, &clerk(), register("湘民发〔2025〕7号"), "", 5);
    assert_eq!(refused.unwrap_err().field, "number");
    let refused = take(
        Some(&d),
        &d,
        &clerk(),
        register("湘民发〔2026〕07号"),
        "",
        5,
    );
    assert_eq!(refused.unwrap_err().field, "number");
}

#[test]
fn each_action_is_named_as_the_wire_names_it() {
    let actions = [
        Action::Create,
        Action::SignOff {
            circled: true,
            on_behalf_of: None,
        },
        Action::Return { to: Step::Draft },
        Action::Read {
            instructs: Vec::new(),
        },
    ];
    for action in actions {
        let wire = serde_json::to_value(&action).unwrap();
        assert_eq!(wire["kind"], action.kind());
    }
}

#[test]
fn a_deadline_is_extended_by_the_office_later_and_with_a_reason() {
    let d = take(None, &incoming(), &clerk(), Action::Create, "", 0).unwrap();
    let d = step(&d, &clerk(), Action::Accept, "", 1);
    let entry = StepEntry {
        step: Step::Assign,
        action: Action::Assign {
            lead: handler().person,
            co: Vec::new(),
        },
        by: clerk().person,
        at: at(2),
        opinion: String::new(),
        deadline: Some(at(0).date() + chrono::Duration::days(3)),
        on_behalf_of: None,
    };
    let d = apply(Some(&d), &entry, &d, &clerk(), &authority()).unwrap();
    let later = at(0).date() + chrono::Duration::days(10);
    let extend = |to| Action::Extend { to };
    let no_reason = take(Some(&d), &d, &clerk(), extend(later), "", 3).unwrap_err();
    assert_eq!(no_reason.field, "opinion");
    let earlier = take(Some(&d), &d, &clerk(), extend(at(0).date()), "x", 3).unwrap_err();
    assert_eq!(earlier.field, "to");
    assert!(take(Some(&d), &d, &handler(), extend(later), "请延期", 3).is_err());
    // The handler asks, with the reason; the office decides.
    let ask = |to| Action::AskExtension { to };
    assert!(
        take(Some(&d), &d, &clerk(), ask(later), "请延期", 3).is_err(),
        "not theirs"
    );
    let unreasoned = take(Some(&d), &d, &handler(), ask(later), "", 3).unwrap_err();
    assert_eq!(unreasoned.field, "opinion");
    let asked = step(&d, &handler(), ask(later), "需会同财政部门核实", 3);
    assert_eq!(asked.deadline, d.deadline, "asking moves nothing");
    let extended = step(&asked, &clerk(), extend(later), "同意延期一周", 4);
    assert_eq!(extended.deadline, Some(later));
    assert_eq!(extended.step, Step::Handle, "the step stays");
}

fn colleague() -> Actor {
    Actor {
        person: person("u-colleague", "孙副处长"),
        office: false,
        leader: false,
    }
}

/// An incoming document in handling by [`handler`].
fn in_handling() -> OfficeDocumentData {
    let d = take(None, &incoming(), &clerk(), Action::Create, "", 0).unwrap();
    in_handling_of(step(&d, &clerk(), Action::Accept, "", 1))
}

#[test]
fn an_owner_away_has_a_to_do_taken_by_the_stand_in_the_report_names() {
    let d = in_handling();
    let away = Authority {
        standing_in: vec![("u-handler".to_owned(), "u-colleague".to_owned())],
        ..authority()
    };
    let reply = |who: &Actor, for_whom: Option<Person>, auth: &Authority| {
        let entry = StepEntry {
            step: Step::Handle,
            action: Action::Reply,
            by: who.person.clone(),
            at: at(3),
            opinion: "已按要求完成检查".to_owned(),
            deadline: None,
            on_behalf_of: for_whom,
        };
        apply(Some(&d), &entry, &d, who, auth)
    };
    // Not the colleague's own to-do, whether the handler is away or not.
    assert!(reply(&colleague(), None, &away).is_err());
    let not_away = reply(&colleague(), Some(handler().person), &authority()).unwrap_err();
    assert!(
        not_away.message.contains("代为办理"),
        "{}",
        not_away.message
    );
    // Someone the away report does not name may not take it.
    assert!(reply(&drafter(), Some(handler().person), &away).is_err());
    // Nor for someone who is not an owner of the step.
    assert!(reply(&colleague(), Some(principal().person), &away).is_err());
    let done = reply(&colleague(), Some(handler().person), &away).unwrap();
    assert_eq!(done.step, Step::Done);
    let last = done.steps.last().unwrap();
    assert_eq!(last.by, colleague().person);
    assert_eq!(last.on_behalf_of, Some(handler().person));

    // A sign-off for an absent leader says so in its own action (代签发).
    let approved = {
        let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
        let d = step(&d, &drafter(), Action::Submit, "", 1);
        let signer = principal().person;
        step(&d, &clerk(), Action::Approve { signer }, "拟同意", 2)
    };
    let leaders_away = Authority {
        standing_in: vec![("u-principal".to_owned(), "u-deputy".to_owned())],
        ..authority()
    };
    let entry = StepEntry {
        step: Step::SignOff,
        action: Action::SignOff {
            circled: false,
            on_behalf_of: None,
        },
        by: deputy().person,
        at: at(3),
        opinion: "同意".to_owned(),
        deadline: None,
        on_behalf_of: Some(principal().person),
    };
    let refused = apply(Some(&approved), &entry, &approved, &deputy(), &leaders_away);
    assert!(refused.unwrap_err().message.contains("代签发"));
}

#[test]
fn the_office_transfers_a_document_in_handling_with_its_reason() {
    let d = in_handling();
    let to = Action::Assign {
        lead: colleague().person,
        co: Vec::new(),
    };
    // Not by its handler, and not without a reason.
    assert!(take(Some(&d), &d, &handler(), to.clone(), "另行办理", 3).is_err());
    let bare = take(Some(&d), &d, &clerk(), to.clone(), "", 3).unwrap_err();
    assert_eq!(bare.field, "opinion");
    let moved = step(&d, &clerk(), to, "赵处长出差，改由孙副处长办理", 3);
    assert_eq!(moved.step, Step::Handle);
    assert_eq!(moved.owners, ["u-colleague"]);
    assert_eq!(moved.handling.as_ref().unwrap().lead, colleague().person);
    // The deadline set when it was assigned still holds.
    assert_eq!(moved.deadline, d.deadline);
    assert!(take(Some(&moved), &moved, &handler(), Action::Reply, "已办", 4).is_err());
    let done = step(&moved, &colleague(), Action::Reply, "已办结", 4);
    assert_eq!(done.step, Step::Done);
}

#[test]
fn every_draft_a_change_replaces_is_kept_and_readable() {
    let first = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
    let mut changed = first.clone();
    changed.document.as_mut().unwrap().body[0].text = "现将冬季救助有关事项通知如下。".to_owned();
    let second = take(Some(&first), &changed, &drafter(), Action::Edit, "", 1).unwrap();
    assert_eq!(second.versions.len(), 1);
    let kept = &second.versions[0];
    assert_eq!((&kept.by, kept.at), (&drafter().person, at(0)));
    assert_eq!(kept.document, first.document);
    // Saved again unchanged: no new draft.
    let same = take(Some(&second), &second, &drafter(), Action::Edit, "", 2).unwrap();
    assert_eq!(same.versions.len(), 1);
    // The office's change in review keeps the drafter's second draft.
    let d = step(&same, &drafter(), Action::Submit, "", 3);
    let mut retitled = d.clone();
    retitled.title = "关于切实做好冬季救助工作的通知".to_owned();
    let third = take(Some(&d), &retitled, &clerk(), Action::Edit, "", 4).unwrap();
    assert_eq!(third.versions.len(), 2);
    assert_eq!(third.versions[1].by, drafter().person);
    assert_eq!(third.versions[1].document, second.document);
    assert_eq!(third.title, "关于切实做好冬季救助工作的通知");

    // A draft the steps did not make is refused on the platform.
    let mut forged = third.clone();
    forged.versions.remove(0);
    let actor = clerk();
    assert!(replay(Some(&d), &forged, &actor, &authority()).is_err());
    assert!(replay(Some(&d), &third, &actor, &authority()).is_ok());

    // A change beyond the last draft kept is refused, none dropped.
    let mut full = third.clone();
    while full.versions.len() < MAX_VERSIONS {
        full.versions.push(full.versions[0].clone());
    }
    let mut again = full.clone();
    again.title = "关于做好冬季困难群众救助工作的通知".to_owned();
    let refused = take(Some(&full), &again, &clerk(), Action::Edit, "", 5).unwrap_err();
    assert_eq!(refused.field, "document");
}

#[test]
fn a_classified_document_s_copies_are_destroyed_as_approved_and_witnessed() {
    let secret = OfficeDocumentData {
        classification: Some(crate::documents::Classification {
            level: SecrecyLevel::Confidential,
            period: None,
        }),
        ..incoming()
    };
    let d = take(None, &secret, &clerk(), Action::Create, "", 0).unwrap();
    let d = step(&d, &clerk(), Action::Accept, "", 1);
    let ask = |copies: Vec<u32>, approver: Person| Action::AskDestroy {
        copies,
        method: "碎纸机粉碎".to_owned(),
        approver,
    };
    // Not before it is done.
    assert!(
        take(
            Some(&d),
            &d,
            &clerk(),
            ask(vec![1], principal().person),
            "已过保密期限",
            2
        )
        .is_err()
    );
    let d = in_handling_of(d);
    let d = step(&d, &handler(), Action::Reply, "已办结", 3);
    assert_eq!(d.step, Step::Done);
    // Asked by the office, with the reason, of a copy it holds, for a leader.
    let asking = |who: &Actor, copy: u32, approver: Actor, reason: &str| {
        take(
            Some(&d),
            &d,
            who,
            ask(vec![copy], approver.person),
            reason,
            4,
        )
    };
    assert!(asking(&handler(), 1, principal(), "理由").is_err());
    for (refused, field) in [
        (asking(&clerk(), 1, principal(), ""), "opinion"),
        (asking(&clerk(), 2, principal(), "理由"), "copies"),
        (asking(&clerk(), 1, handler(), "理由"), "approver"),
    ] {
        assert_eq!(refused.unwrap_err().field, field);
    }
    let d = step(
        &d,
        &clerk(),
        ask(vec![1], principal().person),
        "已过保密期限",
        4,
    );
    assert_eq!(d.owners, ["u-principal"]);
    assert!(d.destructions[0].open());
    // Only the leader named decides; the office cannot destroy before.
    let approve = Action::DecideDestroy { approve: true };
    assert!(take(Some(&d), &d, &deputy(), approve.clone(), "", 5).is_err());
    let witness = Action::Destroyed {
        witness: handler().person,
    };
    assert!(take(Some(&d), &d, &clerk(), witness.clone(), "", 5).is_err());
    let declined = take(
        Some(&d),
        &d,
        &principal(),
        Action::DecideDestroy { approve: false },
        "",
        5,
    );
    assert_eq!(declined.unwrap_err().field, "opinion");
    let d = step(&d, &principal(), approve, "同意", 5);
    assert_eq!(d.owners, ["u-clerk"]);
    // Destroyed by the office before another person.
    let alone = Action::Destroyed {
        witness: clerk().person,
    };
    assert_eq!(
        take(Some(&d), &d, &clerk(), alone, "", 6)
            .unwrap_err()
            .field,
        "witness"
    );
    let d = step(&d, &clerk(), witness, "", 6);
    let done = &d.destructions[0];
    assert_eq!(done.destroyed_by, Some(clerk().person));
    assert_eq!(done.witness, Some(handler().person));
    assert!(!done.open() && d.owners.is_empty());
    // A copy destroyed is not destroyed twice.
    let twice = take(
        Some(&d),
        &d,
        &clerk(),
        ask(vec![1], principal().person),
        "再次",
        7,
    );
    assert_eq!(twice.unwrap_err().field, "copies");

    // An open document is not registered for destruction.
    let open = in_handling();
    let open = step(&open, &handler(), Action::Reply, "已办结", 3);
    assert!(
        take(
            Some(&open),
            &open,
            &clerk(),
            ask(vec![1], principal().person),
            "理由",
            4
        )
        .is_err()
    );
}

/// An accepted incoming document assigned to [`handler`].
fn in_handling_of(accepted: OfficeDocumentData) -> OfficeDocumentData {
    let entry = StepEntry {
        step: Step::Assign,
        action: Action::Assign {
            lead: handler().person,
            co: Vec::new(),
        },
        by: clerk().person,
        at: at(2),
        opinion: String::new(),
        deadline: Some(at(0).date() + chrono::Duration::days(5)),
        on_behalf_of: None,
    };
    apply(Some(&accepted), &entry, &accepted, &clerk(), &authority()).unwrap()
}

/// A file attached by `who` at minute `minute`.
fn attachment(name: &str, seed: u8, who: &Actor, minute: u32) -> Attachment {
    Attachment {
        name: name.to_owned(),
        file: BlobRef {
            media_type: MediaType::Xlsx.as_str().to_owned(),
            sha256: mz_domain::blob::sha256_hex(&[seed]),
            size: 2048,
        },
        by: who.person.clone(),
        at: at(minute),
    }
}

#[test]
fn a_file_is_attached_by_whoever_takes_the_step_when_they_take_it() {
    let mut content = draft();
    content.attachments = vec![attachment("附件1 统计表.xlsx", 1, &drafter(), 0)];
    let d = take(None, &content, &drafter(), Action::Create, "", 0).unwrap();
    assert_eq!(d.attachments, content.attachments);
    // Written as someone else's, or at another time: refused, by its place.
    for wrong in [
        attachment("附件1 统计表.xlsx", 1, &clerk(), 0),
        attachment("附件1 统计表.xlsx", 1, &drafter(), 7),
    ] {
        let mut content = draft();
        content.attachments = vec![wrong];
        let issue = take(None, &content, &drafter(), Action::Create, "", 0).unwrap_err();
        assert_eq!(issue.field, "attachments[0]");
    }
    // The office adds a second at review; the first stays the drafter's.
    let d = step(&d, &drafter(), Action::Submit, "", 1);
    let mut more = d.clone();
    more.attachments
        .push(attachment("附件2 说明.pdf", 2, &clerk(), 2));
    let edited = take(Some(&d), &more, &clerk(), Action::Edit, "补附件", 2).unwrap();
    assert_eq!(edited.attachments.len(), 2);
    // A step that is no edit changes no attachment.
    let refused = take(Some(&d), &more, &clerk(), Action::Comment, "看看", 2).unwrap_err();
    assert!(refused.message.contains("修改"), "{refused:?}");
}

#[test]
fn the_attachments_are_signed_with_the_document() {
    let d = signed_off();
    // An edit that adds a file after sign-off goes back to the signer.
    let mut more = d.clone();
    more.attachments
        .push(attachment("附件 名单.xlsx", 3, &clerk(), 4));
    let edited = take(Some(&d), &more, &clerk(), Action::Edit, "补附件", 4).unwrap();
    assert_eq!(edited.step, Step::SignOff);
    assert_ne!(content_hash(&more), content_hash(&d));
    // A document without attachments hashes as it did before there were any.
    let mut none = d.clone();
    none.attachments.clear();
    assert_eq!(content_hash(&none), content_hash(&d));
}

#[test]
fn an_attachment_is_named_and_they_are_at_most_fifty() {
    let cases = [
        ("", "请填写附件名称"),
        (" 附件1.pdf", "空格"),
        (&"附".repeat(ATTACHMENT_NAME_CHARS + 1)[..], "不超过"),
    ];
    for (name, says) in cases {
        let mut body = draft();
        body.attachments = vec![attachment(name, 1, &drafter(), 0)];
        let issues = document_issues(&body);
        assert_eq!(issues.len(), 1, "{name:?}");
        assert_eq!(issues[0].field, "attachments[0].name");
        assert!(issues[0].message.contains(says), "{issues:?}");
    }
    let mut body = draft();
    body.attachments = (0..=MAX_ATTACHMENTS as u8)
        .map(|i| attachment(&format!("附件{i}"), i, &drafter(), 0))
        .collect();
    assert_eq!(document_issues(&body)[0].field, "attachments");
    body.attachments.pop();
    assert!(document_issues(&body).is_empty());
}

/// An authority on minute 0's day with `from`'s to-dos handed to `to` on
/// `day`.
fn handed(from: &Actor, to: &Actor, day: NaiveDate) -> Authority {
    authority().with_delegations(
        &[delegation::DelegationData {
            from: from.person.clone(),
            to: to.person.clone(),
            start: day,
            end: day,
            reason: "培训".to_owned(),
            cancelled: false,
        }],
        at(0).date(),
    )
}

#[test]
fn a_delegation_hands_over_to_dos_but_never_the_sign_off() {
    let d = in_handling();
    let entry = StepEntry {
        step: Step::Handle,
        action: Action::Reply,
        by: colleague().person,
        at: at(3),
        opinion: "已办结".to_owned(),
        deadline: None,
        on_behalf_of: Some(handler().person),
    };
    let today = handed(&handler(), &colleague(), at(0).date());
    assert!(apply(Some(&d), &entry, &d, &colleague(), &today).is_ok());
    let tomorrow = handed(&handler(), &colleague(), at(0).date().succ_opt().unwrap());
    assert!(apply(Some(&d), &entry, &d, &colleague(), &tomorrow).is_err());

    // The principal's to-dos handed to the deputy: not the principal's pen.
    let approved = {
        let d = take(None, &draft(), &drafter(), Action::Create, "", 0).unwrap();
        let d = step(&d, &drafter(), Action::Submit, "", 1);
        let signer = principal().person;
        step(&d, &clerk(), Action::Approve { signer }, "拟同意", 2)
    };
    let sign_for = StepEntry {
        step: Step::SignOff,
        action: Action::SignOff {
            circled: false,
            on_behalf_of: Some(principal().person),
        },
        by: deputy().person,
        at: at(3),
        opinion: "同意".to_owned(),
        deadline: None,
        on_behalf_of: None,
    };
    let handed_over = handed(&principal(), &deputy(), at(0).date());
    assert!(
        apply(
            Some(&approved),
            &sign_for,
            &approved,
            &deputy(),
            &handed_over
        )
        .is_err()
    );
}
