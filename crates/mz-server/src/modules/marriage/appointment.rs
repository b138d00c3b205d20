//! The rules of a booking (`marriage_appointment`) at push: mz-api's
//! [`mz_api::marriage::check_booking`], which the client runs too.

use super::*;

/// Checks a booking; gives it in its stored form.
pub(crate) fn check_appointment(data: serde_json::Value) -> Result<String, Refusal> {
    let mut body: mz_api::records::AppointmentData = parse_body(data)?;
    if let Some(issue) = mz_api::marriage::check_booking(&mut body)
        .into_iter()
        .next()
    {
        return Err(rule(&format!("data.{}", issue.field), issue.message));
    }
    crate::modules::to_stored(&body)
}
