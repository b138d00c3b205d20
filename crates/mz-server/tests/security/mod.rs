//! The security review's findings, each a story that failed before its fix,
//! run against both backends like the rest of the platform's stories.

use super::*;

async fn a_refused_marriage_is_final_and_never_deleted(p: Platform) {
    let counter = p.token("registrar", DEVICE_A).await;
    let couple = zhang_and(LI, "1999-01-01");
    let mut refused = registration(couple.clone(), "refused", None, None);
    refused["refusal_reason"] = json!("一方已有配偶");
    let outcomes = p
        .push(&counter, json!([marriage_entry(1, REG_A, 0, refused)]))
        .await;
    assert_eq!(outcomes[0]["status"], "applied", "{outcomes:?}");

    // Back to a form, then deleted: both refused.
    let outcomes = p
        .push(
            &counter,
            json!([
                marriage_entry(2, REG_A, 1, registration(couple, "prepared", None, None)),
                { "device_seq": 3, "kind": "marriage_registration", "record_id": REG_A,
                  "op": "delete", "base_version": 1 },
            ]),
        )
        .await;
    assert_eq!(rejected_field(&outcomes[0]), "data.status", "{outcomes:?}");
    assert_eq!(rejected_field(&outcomes[1]), "record_id", "{outcomes:?}");
    let changes = p.pull_all(&counter).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["data"]["status"], "refused");
}

on_both_backends!(a_refused_marriage_is_final_and_never_deleted,);
