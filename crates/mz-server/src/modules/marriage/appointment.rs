//! The rules of a booking (`marriage_appointment`) at push.

use super::*;

/// The rules of a booking: real names and identity numbers, both parties
/// for a marriage or a divorce, a queue number only once checked in.
/// Gives the booking in its stored form.
pub(crate) fn check_appointment(data: serde_json::Value) -> Result<String, Refusal> {
    use mz_api::records::{AppointmentData, AppointmentParty, AppointmentStatus};
    let mut body: AppointmentData = parse_body(data)?;
    let check = |who: &str, party: &mut AppointmentParty| -> Result<(), Refusal> {
        party.name = mz_domain::identity::normalise_name(&party.name)
            .map_err(|e| rule(&format!("data.{who}.name"), e.to_string()))?;
        party.id_number = IdNumber::parse(&party.id_number, NaiveDate::MAX)
            .map_err(|e| rule(&format!("data.{who}.id_number"), e.to_string()))?
            .to_string();
        Ok(())
    };
    check("party_a", &mut body.party_a)?;
    match body.party_b.as_mut() {
        Some(party) => check("party_b", party)?,
        None if body.business.needs_both_parties() => {
            return Err(rule(
                "data.party_b",
                format!("{}须双方预约", body.business.label()),
            ));
        }
        None => {}
    }
    let queued = matches!(
        body.status,
        AppointmentStatus::CheckedIn | AppointmentStatus::Served
    );
    if queued != body.queue_no.is_some() && body.status != AppointmentStatus::Served {
        return Err(rule(
            "data.queue_no",
            "a queue number is given at check-in, and only then",
        ));
    }
    crate::modules::to_stored(&body)
}
