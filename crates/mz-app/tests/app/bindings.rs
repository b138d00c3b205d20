//! The TypeScript types the window uses are generated from the Rust types the
//! commands take and return, and committed as ui/src/bindings.ts. This test
//! fails when the two drift apart; `MZ_UPDATE_BINDINGS=1 cargo test -p mz-app
//! --test app bindings` writes the file anew.

use std::path::Path;

use ts_rs::{Config, TS};

/// One exported declaration of a type, as the window sees it.
fn declaration<T: TS + ?Sized>(config: &Config) -> String {
    let mut text = String::new();
    if let Some(docs) = T::docs() {
        text.push_str(&docs);
    }
    text.push_str("export ");
    text.push_str(&T::decl(config));
    text.push('\n');
    text
}

fn bindings() -> String {
    // Every number that crosses is well inside 2^53: plain `number`.
    let config = Config::new().with_large_int("number");
    let declarations = [
        declaration::<serde_json::Value>(&config),
        declaration::<mz_domain::Role>(&config),
        declaration::<mz_domain::AppModule>(&config),
        declaration::<mz_domain::Sex>(&config),
        declaration::<mz_domain::marriage::DocumentType>(&config),
        declaration::<mz_domain::marriage::Party>(&config),
        declaration::<mz_domain::marriage::Statements>(&config),
        declaration::<mz_domain::marriage::AnnulmentKind>(&config),
        declaration::<mz_domain::blob::BlobRef>(&config),
        declaration::<mz_domain::FieldIssue>(&config),
        declaration::<mz_api::auth::OrgUnitInfo>(&config),
        declaration::<mz_api::auth::UserInfo>(&config),
        declaration::<mz_api::records::RecordKind>(&config),
        declaration::<mz_api::records::HolidayCalendarData>(&config),
        declaration::<mz_api::sync::Op>(&config),
        declaration::<mz_api::records::MarriageStatus>(&config),
        declaration::<mz_api::records::Annulment>(&config),
        declaration::<mz_api::records::Reissue>(&config),
        declaration::<mz_api::records::HistoryEntry>(&config),
        declaration::<mz_api::records::MarriageRegistrationData>(&config),
        declaration::<mz_api::marriage::PersonStatus>(&config),
        declaration::<mz_store::SyncState>(&config),
        declaration::<mz_store::SyncIssue>(&config),
        declaration::<mz_store::Resolution>(&config),
        declaration::<mz_store::PersonHit>(&config),
        declaration::<mz_app::Status>(&config),
        declaration::<mz_app::ErrorCode>(&config),
        declaration::<mz_app::CommandError>(&config),
        declaration::<mz_app::profile::Mode>(&config),
        declaration::<mz_app::desktop::Phase>(&config),
        declaration::<mz_app::desktop::CalendarEntry>(&config),
        declaration::<mz_app::desktop::LogoutChoice>(&config),
        declaration::<mz_app::desktop::LogoutOutcome>(&config),
        declaration::<mz_app::marriage::MarriageForm>(&config),
        declaration::<mz_app::marriage::MarriageEntry>(&config),
        declaration::<mz_app::marriage::RegisterOutcome>(&config),
        declaration::<mz_app::forms::CertificatePrint>(&config),
        declaration::<mz_app::marriage::MarriagePaper>(&config),
        declaration::<mz_app::printers::PrinterInfo>(&config),
        declaration::<mz_app::printers::PrintedJob>(&config),
        declaration::<mz_domain::marriage::Business>(&config),
        declaration::<mz_api::records::AppointmentParty>(&config),
        declaration::<mz_api::records::AppointmentStatus>(&config),
        declaration::<mz_api::records::AppointmentData>(&config),
        declaration::<mz_app::marriage::appointments::ImportIssue>(&config),
        declaration::<mz_app::marriage::appointments::ImportSummary>(&config),
        declaration::<mz_app::marriage::appointments::AppointmentEntry>(&config),
        declaration::<mz_domain::marriage::CoolingOff>(&config),
        declaration::<mz_domain::marriage::Milestone>(&config),
        declaration::<mz_api::records::DivorceStatus>(&config),
        declaration::<mz_api::records::DivorceWithdrawal>(&config),
        declaration::<mz_api::records::DivorceRegistrationData>(&config),
        declaration::<mz_app::marriage::divorce::DivorceForm>(&config),
        declaration::<mz_app::marriage::divorce::DivorceState>(&config),
        declaration::<mz_app::marriage::divorce::DivorceEntry>(&config),
        declaration::<mz_app::marriage::divorce::DueItem>(&config),
        declaration::<mz_app::marriage::divorce::DivorcePaper>(&config),
        declaration::<mz_app::marriage::statistics::Grouping>(&config),
        declaration::<mz_app::marriage::statistics::StatisticsQuery>(&config),
        declaration::<mz_app::marriage::statistics::PeriodRow>(&config),
        declaration::<mz_app::marriage::statistics::AgeBandRow>(&config),
        declaration::<mz_app::marriage::statistics::Statistics>(&config),
        declaration::<mz_api::marriage::OfficeFigures>(&config),
        declaration::<mz_api::marriage::CheckPurpose>(&config),
        declaration::<mz_api::marriage::StatusCheckEntry>(&config),
        declaration::<mz_api::documents::SecrecyLevel>(&config),
        declaration::<mz_api::documents::Classification>(&config),
        declaration::<mz_api::documents::Urgency>(&config),
        declaration::<mz_api::documents::Paragraph>(&config),
        declaration::<mz_api::documents::OfficialDocument>(&config),
        declaration::<mz_app::documents::DraftEntry>(&config),
        declaration::<mz_app::documents::DocumentPreview>(&config),
        declaration::<mz_domain::funeral::CaseStage>(&config),
        declaration::<mz_domain::funeral::CauseCategory>(&config),
        declaration::<mz_domain::funeral::CertificateState>(&config),
        declaration::<mz_domain::funeral::WaiverGround>(&config),
        declaration::<mz_domain::funeral::FeeItem>(&config),
        declaration::<mz_domain::funeral::WaiverRule>(&config),
        declaration::<mz_api::funeral::CallLog>(&config),
        declaration::<mz_api::funeral::Dispatch>(&config),
        declaration::<mz_api::funeral::Deceased>(&config),
        declaration::<mz_api::funeral::Contact>(&config),
        declaration::<mz_api::funeral::PaperCheck>(&config),
        declaration::<mz_api::funeral::Checks>(&config),
        declaration::<mz_api::funeral::CabinetStay>(&config),
        declaration::<mz_api::funeral::Cremation>(&config),
        declaration::<mz_api::funeral::Collection>(&config),
        declaration::<mz_api::funeral::CertificateReissue>(&config),
        declaration::<mz_api::funeral::CremationCertificate>(&config),
        declaration::<mz_api::funeral::Ashes>(&config),
        declaration::<mz_api::funeral::WorkKind>(&config),
        declaration::<mz_api::funeral::WorkOrder>(&config),
        declaration::<mz_api::funeral::FuneralCaseData>(&config),
        declaration::<mz_api::funeral::HomeFigures>(&config),
        declaration::<mz_api::funeral::home::Facility>(&config),
        declaration::<mz_api::funeral::home::FuneralHomeData>(&config),
        declaration::<mz_api::funeral::standard::FuneralStandardData>(&config),
        declaration::<mz_domain::office::DocKind>(&config),
        declaration::<mz_domain::office::Step>(&config),
        declaration::<mz_domain::office::TimeLeft>(&config),
        declaration::<mz_api::office::Direction>(&config),
        declaration::<mz_api::office::Person>(&config),
        declaration::<mz_api::office::UnitRef>(&config),
        declaration::<mz_api::office::SignOff>(&config),
        declaration::<mz_api::office::Countersign>(&config),
        declaration::<mz_api::office::Registration>(&config),
        declaration::<mz_api::office::Received>(&config),
        declaration::<mz_api::office::Handling>(&config),
        declaration::<mz_api::office::Reading>(&config),
        declaration::<mz_api::office::Action>(&config),
        declaration::<mz_api::office::StepEntry>(&config),
        declaration::<mz_api::office::OfficeDocumentData>(&config),
        declaration::<mz_api::office::SentDocument>(&config),
        declaration::<mz_api::office::Delivery>(&config),
        declaration::<mz_api::office::HeldDocument>(&config),
        declaration::<mz_app::office::OfficeEntry>(&config),
        declaration::<mz_app::office::OfficeInbox>(&config),
        declaration::<mz_app::office::OfficeChoice>(&config),
        declaration::<mz_app::office::OfficeView>(&config),
        declaration::<mz_app::office::OfficeConflict>(&config),
        declaration::<mz_app::office::StepRequest>(&config),
        declaration::<mz_app::office::NewOutgoing>(&config),
        declaration::<mz_app::office::NewIncoming>(&config),
        declaration::<mz_app::office::OfficePeople>(&config),
        declaration::<mz_app::office::OfficeLeader>(&config),
        declaration::<mz_domain::schedule::HalfDay>(&config),
        declaration::<mz_domain::schedule::When>(&config),
        declaration::<mz_domain::schedule::Visibility>(&config),
        declaration::<mz_domain::schedule::Repeat>(&config),
        declaration::<mz_api::schedule::OccurrenceOf>(&config),
        declaration::<mz_api::schedule::ics::ConfidentialAs>(&config),
        declaration::<mz_api::schedule::Feed>(&config),
        declaration::<mz_app::schedule::feeds::FeedLink>(&config),
        declaration::<mz_app::schedule::files::CalendarImport>(&config),
        declaration::<mz_api::schedule::Leader>(&config),
        declaration::<mz_api::schedule::Secretary>(&config),
        declaration::<mz_api::schedule::ScheduleSetupData>(&config),
        declaration::<mz_api::schedule::ActivityData>(&config),
        declaration::<mz_api::schedule::AwayKind>(&config),
        declaration::<mz_api::schedule::PublishedItem>(&config),
        declaration::<mz_api::schedule::WeekTableData>(&config),
        declaration::<mz_api::schedule::AwayData>(&config),
        declaration::<mz_app::schedule::AwayEntry>(&config),
        declaration::<mz_app::schedule::ActivityEntry>(&config),
        declaration::<mz_app::schedule::WeekDay>(&config),
        declaration::<mz_app::schedule::Week>(&config),
        declaration::<mz_app::schedule::DayPlan>(&config),
        declaration::<mz_app::schedule::Month>(&config),
        declaration::<mz_app::schedule::Reminder>(&config),
        declaration::<mz_app::schedule::ActivitySaved>(&config),
        declaration::<mz_api::funeral::cemetery::PlotState>(&config),
        declaration::<mz_api::funeral::cemetery::Reservation>(&config),
        declaration::<mz_api::funeral::cemetery::Holder>(&config),
        declaration::<mz_api::funeral::cemetery::Renewal>(&config),
        declaration::<mz_api::funeral::cemetery::PlotContract>(&config),
        declaration::<mz_api::funeral::cemetery::Burial>(&config),
        declaration::<mz_api::funeral::cemetery::PlotData>(&config),
        declaration::<mz_app::funeral::cemetery::PlotCell>(&config),
        declaration::<mz_app::funeral::cemetery::RowMap>(&config),
        declaration::<mz_app::funeral::cemetery::SectionMap>(&config),
        declaration::<mz_app::funeral::cemetery::CemeteryMap>(&config),
        declaration::<mz_app::funeral::cemetery::PlotDue>(&config),
        declaration::<mz_app::funeral::cemetery::CemeteryImport>(&config),
        declaration::<mz_app::funeral::CaseIntake>(&config),
        declaration::<mz_app::funeral::CaseEntry>(&config),
        declaration::<mz_app::funeral::Paper>(&config),
        declaration::<mz_app::funeral::PaperInput>(&config),
        declaration::<mz_app::funeral::CaseStep>(&config),
        declaration::<mz_domain::funeral::BillLine>(&config),
        declaration::<mz_domain::funeral::Bill>(&config),
        declaration::<mz_api::funeral::Ordered>(&config),
        declaration::<mz_api::funeral::WaiverClaim>(&config),
        declaration::<mz_api::funeral::PayMethod>(&config),
        declaration::<mz_api::funeral::Payment>(&config),
        declaration::<mz_api::funeral::Refund>(&config),
        declaration::<mz_api::funeral::CaseBill>(&config),
        declaration::<mz_app::funeral::CashRow>(&config),
        declaration::<mz_app::funeral::DailyReport>(&config),
        declaration::<mz_app::funeral::ScheduleImport>(&config),
        declaration::<mz_api::funeral::booking::HallBookingData>(&config),
        declaration::<mz_app::funeral::BookingEntry>(&config),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-app --test app bindings`.\n\
         // Do not edit: change the Rust type and generate again.\n\n",
    );
    out.push_str(&declarations.join("\n"));
    out
}

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings.ts");
    let fresh = bindings();
    if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: run `MZ_UPDATE_BINDINGS=1 cargo test -p mz-app --test app bindings`"
    );
}
