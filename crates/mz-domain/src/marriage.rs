//! Marriage registration (婚姻登记): the parties, the conditions of the Civil
//! Code that a registrar checks at the counter, and the divorce cooling-off
//! periods (art. 1077).
//!
//! [`check_marriage`] gives every reason a marriage cannot be registered as
//! a list of [`FieldIssue`]s, each naming the field it is about, so that the
//! counter shows the message beside the field and the platform refuses the
//! same record with the same words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::FieldIssue;
use crate::blob::MediaType;
use crate::holiday::{CalendarMissing, Calendars};
use crate::identity::{self, IdNumber, Sex};

/// The minimum age to marry, in full years on the day of registration
/// (Civil Code art. 1047).
pub const MIN_AGE_MAN: u32 = 22;
pub const MIN_AGE_WOMAN: u32 = 20;

/// Days in each stage of the divorce cooling-off period (art. 1077).
pub const COOLING_OFF_DAYS: u32 = 30;

/// The kinds of business at a registration counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Business {
    /// 结婚登记
    Marriage,
    /// 离婚登记
    Divorce,
    /// 补领结婚证
    MarriageReissue,
    /// 补领离婚证
    DivorceReissue,
}

impl Business {
    /// Marriage and divorce need both parties; a reissue may be asked for by
    /// one of them.
    pub fn needs_both_parties(self) -> bool {
        matches!(self, Business::Marriage | Business::Divorce)
    }

    pub fn label(self) -> &'static str {
        match self {
            Business::Marriage => "结婚登记",
            Business::Divorce => "离婚登记",
            Business::MarriageReissue => "补领结婚证",
            Business::DivorceReissue => "补领离婚证",
        }
    }

    /// The business a booking system or a clerk names in Chinese.
    pub fn from_label(text: &str) -> Option<Business> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.as_str() {
            "结婚登记" | "结婚" => Some(Business::Marriage),
            "离婚登记" | "离婚" => Some(Business::Divorce),
            "补领结婚证" | "补发结婚证" => Some(Business::MarriageReissue),
            "补领离婚证" | "补发离婚证" => Some(Business::DivorceReissue),
            _ => None,
        }
    }
}

/// The identity documents a counter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// 居民身份证 (GB 11643).
    IdCard,
    /// 港澳居民来往内地通行证.
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证.
    TaiwanPermit,
    /// 外国护照.
    Passport,
    /// 外国人永久居留身份证 (18 characters, starting with 9, since 2023).
    ForeignPermanentResident,
}

impl DocumentType {
    pub fn label(&self) -> &'static str {
        match self {
            DocumentType::IdCard => "居民身份证",
            DocumentType::HkMacaoPermit => "港澳居民来往内地通行证",
            DocumentType::TaiwanPermit => "台湾居民来往大陆通行证",
            DocumentType::Passport => "护照",
            DocumentType::ForeignPermanentResident => "外国人永久居留身份证",
        }
    }
}

/// One party as the registrar enters them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub doc_type: DocumentType,
    pub doc_number: String,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub nationality: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
}

/// The statements each party signs at the counter (申请结婚登记声明书).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Statements {
    /// Both marry of their own free will.
    pub voluntary: bool,
    /// Neither has a spouse.
    pub no_spouse: bool,
    /// No direct blood relation, nor collateral within three generations.
    pub no_prohibited_kinship: bool,
}

/// The couple's photo (结婚登记照), as the counter scanned or shot it: a
/// JPEG or PNG file kept beside the registration as a blob.
pub type Photo = crate::blob::BlobRef;

/// The largest photo a registration keeps: a 2-inch photo at 300 dpi is
/// well under it.
pub const MAX_PHOTO_BYTES: usize = 1024 * 1024;

/// Whether a photo's file is what it says: a JPEG or PNG file, not empty,
/// not larger than [`MAX_PHOTO_BYTES`]; its reference when it is. The issue
/// names the field `photo`.
pub fn check_photo(media_type: &str, bytes: &[u8]) -> Result<Photo, FieldIssue> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(FieldIssue::new(
            "photo",
            "照片文件超过 1 MB，请压缩后再上传",
        ));
    }
    not_an_image(media_type)?;
    crate::blob::check_content("photo", media_type, bytes)?;
    Ok(Photo::of(media_type, bytes))
}

/// The kinds of file a photo may be: a picture, never another kind of file.
pub const PHOTO_TYPES: &[MediaType] = &[MediaType::Jpeg, MediaType::Png];

fn not_an_image(media_type: &str) -> Result<(), FieldIssue> {
    if MediaType::parse(media_type).is_some_and(|m| PHOTO_TYPES.contains(&m)) {
        Ok(())
    } else {
        Err(FieldIssue::new("photo", "照片只接受 JPEG 或 PNG 格式"))
    }
}

/// Whether a registration's reference to its photo is well formed.
pub fn check_photo_ref(photo: &Photo) -> Result<(), FieldIssue> {
    not_an_image(&photo.media_type)?;
    photo.check("photo", MAX_PHOTO_BYTES, PHOTO_TYPES)
}

/// What a court decided of a marriage, recorded on its registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AnnulmentKind {
    /// 撤销: revoked at a party's request (Civil Code art. 1052, 1053).
    Revoked,
    /// 无效: void from the start (art. 1051).
    Void,
}

/// The rules of a court's judgement recorded on a registration made on
/// `registered_on`: the court and the judgement's number named, decided
/// after the registration and not after `today`. Each issue names its field
/// (`annulment.court` …).
pub fn check_annulment(
    court: &str,
    judgement_no: &str,
    decided_on: NaiveDate,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if court.trim().is_empty() {
        issues.push(FieldIssue::new(
            "annulment.court",
            "请填写作出判决的人民法院",
        ));
    }
    if judgement_no.trim().is_empty() {
        issues.push(FieldIssue::new(
            "annulment.judgement_no",
            "请填写判决书案号",
        ));
    }
    if decided_on < registered_on || decided_on > today {
        issues.push(FieldIssue::new(
            "annulment.decided_on",
            "判决日期应在登记之后、今天之前",
        ));
    }
    issues
}

/// A party with the document number and name put in their stored form.
/// The birth date and sex of an identity card come from the number; a
/// different entry is an issue, never silently replaced.
pub fn check_party(index: usize, party: &Party, today: NaiveDate) -> (Party, Vec<FieldIssue>) {
    let at = |field: &str| format!("parties[{index}].{field}");
    let mut issues = Vec::new();
    let mut checked = party.clone();
    match identity::normalise_name(&party.name) {
        Ok(name) => checked.name = name,
        Err(e) => issues.push(FieldIssue::new(at("name"), e.to_string())),
    }
    let (number, document_issues) = check_document(
        &format!("parties[{index}]"),
        party.doc_type,
        &party.doc_number,
        Some((party.sex, party.birth_date)),
        today,
    );
    checked.doc_number = number;
    issues.extend(document_issues);
    if party.birth_date > today {
        issues.push(FieldIssue::new(at("birth_date"), "出生日期在今天之后"));
    }
    if let Some(message) = crate::phone::phone_issue(&party.phone) {
        issues.push(FieldIssue::new(at("phone"), message));
    }
    (checked, issues)
}

/// A document number in its stored form (identity cards in their 18
/// characters, everything else trimmed and upper-cased), with the issues of
/// its own rules for `doc_type` (GB 11643 for an identity card) under
/// `person` (`parties[0]`, `deceased`). `entered` is the sex and birth date
/// entered beside it: an identity card's number carries both, and a
/// different entry is an issue, never silently replaced.
pub fn check_document(
    person: &str,
    doc_type: DocumentType,
    number: &str,
    entered: Option<(crate::Sex, NaiveDate)>,
    today: NaiveDate,
) -> (String, Vec<FieldIssue>) {
    let at = |field: &str| format!("{person}.{field}");
    let mut issues = Vec::new();
    let mut number = number.trim().to_ascii_uppercase();
    match doc_type {
        DocumentType::IdCard | DocumentType::ForeignPermanentResident => {
            let foreign = doc_type == DocumentType::ForeignPermanentResident;
            if foreign && !(number.len() == 18 && number.starts_with('9')) {
                issues.push(FieldIssue::new(
                    at("doc_number"),
                    "外国人永久居留身份证号码为 18 位，以 9 开头",
                ));
            } else {
                match IdNumber::parse(&number, today) {
                    Ok(id) => {
                        number = id.as_str().to_owned();
                        if let Some((sex, birth_date)) = entered {
                            if id.birth_date() != birth_date {
                                issues.push(FieldIssue::new(
                                    at("birth_date"),
                                    format!(
                                        "出生日期与证件号码不符（号码中为 {}）",
                                        id.birth_date()
                                    ),
                                ));
                            }
                            if id.sex() != sex {
                                issues.push(FieldIssue::new(at("sex"), "性别与证件号码不符"));
                            }
                        }
                    }
                    Err(e) => issues.push(FieldIssue::new(at("doc_number"), e.to_string())),
                }
            }
        }
        DocumentType::HkMacaoPermit => {
            let ok = matches!(number.chars().next(), Some('H' | 'M'))
                && matches!(number.len(), 9 | 11)
                && number.chars().skip(1).all(|c| c.is_ascii_digit());
            if !ok {
                issues.push(FieldIssue::new(
                    at("doc_number"),
                    "港澳居民来往内地通行证号码为 H 或 M 加 8 位（旧证 10 位）数字",
                ));
            }
        }
        DocumentType::TaiwanPermit => {
            let ok = (number.len() == 8 && number.chars().all(|c| c.is_ascii_digit()))
                || (number.len() == 10 && number.chars().all(|c| c.is_ascii_alphanumeric()));
            if !ok {
                issues.push(FieldIssue::new(
                    at("doc_number"),
                    "台湾居民来往大陆通行证号码为 8 位数字（旧证 10 位）",
                ));
            }
        }
        DocumentType::Passport => {
            let ok = (5..=20).contains(&number.len())
                && number.chars().all(|c| c.is_ascii_alphanumeric());
            if !ok {
                issues.push(FieldIssue::new(
                    at("doc_number"),
                    "护照号码为 5 到 20 位字母或数字",
                ));
            }
        }
    }
    (number, issues)
}

/// Every reason the marriage of `parties` cannot be registered on `date`
/// (the registration day, also the day the ages are counted on), with the
/// parties in their stored form. An empty list means the counter may go on
/// to the marital-status check.
pub fn check_marriage(
    parties: &[Party; 2],
    statements: &Statements,
    date: NaiveDate,
) -> ([Party; 2], Vec<FieldIssue>) {
    let (first, mut issues) = check_party(0, &parties[0], date);
    let (second, more) = check_party(1, &parties[1], date);
    issues.extend(more);
    if first.sex == second.sex {
        issues.push(FieldIssue::new(
            "parties[1].sex",
            "结婚登记的双方应为一男一女",
        ));
    }
    for (index, party) in [&first, &second].into_iter().enumerate() {
        let (minimum, who) = match party.sex {
            Sex::Male => (MIN_AGE_MAN, "男方"),
            Sex::Female => (MIN_AGE_WOMAN, "女方"),
        };
        let age = identity::age_on(party.birth_date, date);
        if age < minimum {
            issues.push(FieldIssue::new(
                format!("parties[{index}].birth_date"),
                format!("{who}登记之日未满 {minimum} 周岁（{age} 周岁），不予登记"),
            ));
        }
    }
    if first.doc_type == second.doc_type && first.doc_number == second.doc_number {
        issues.push(FieldIssue::new("parties[1].doc_number", "双方证件号码相同"));
    }
    if !statements.voluntary {
        issues.push(FieldIssue::new(
            "statements.voluntary",
            "请双方确认：结婚完全出于自愿",
        ));
    }
    if !statements.no_spouse {
        issues.push(FieldIssue::new(
            "statements.no_spouse",
            "请双方确认：本人没有配偶",
        ));
    }
    if !statements.no_prohibited_kinship {
        issues.push(FieldIssue::new(
            "statements.no_prohibited_kinship",
            "请双方确认：双方没有直系血亲和三代以内旁系血亲关系",
        ));
    }
    ([first, second], issues)
}

/// Where a divorce application stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DivorceStage {
    /// Inside the first 30 days: either party may withdraw.
    CoolingOff,
    /// In the following 30 days: both come, and the certificate is issued.
    AwaitingCertificate,
    /// Neither came in time: deemed withdrawn (视为撤回).
    DeemedWithdrawn,
}

/// The dates of a divorce application received on `received`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CoolingOff {
    pub received: NaiveDate,
    /// The last day either party may withdraw.
    pub withdrawal_ends: NaiveDate,
    /// The first day both may come for the certificate.
    pub certificate_from: NaiveDate,
    /// The last day both may come for the certificate.
    pub certificate_until: NaiveDate,
}

impl CoolingOff {
    /// Counts both periods with the holiday calendar (art. 201, 203): the
    /// day of receipt is not counted, and a period that ends on a statutory
    /// rest day ends on the next working day instead. The second period runs
    /// from the day after the first one ended.
    pub fn from_receipt(
        received: NaiveDate,
        calendars: &Calendars,
    ) -> Result<CoolingOff, CalendarMissing> {
        let withdrawal_ends = calendars.period_end(received, COOLING_OFF_DAYS)?;
        let certificate_until = calendars.period_end(withdrawal_ends, COOLING_OFF_DAYS)?;
        Ok(CoolingOff {
            received,
            withdrawal_ends,
            certificate_from: withdrawal_ends.succ_opt().unwrap_or(withdrawal_ends),
            certificate_until,
        })
    }

    pub fn stage_on(&self, day: NaiveDate) -> DivorceStage {
        if day <= self.withdrawal_ends {
            DivorceStage::CoolingOff
        } else if day <= self.certificate_until {
            DivorceStage::AwaitingCertificate
        } else {
            DivorceStage::DeemedWithdrawn
        }
    }
}

/// A day that matters in a divorce application, as the counter warns of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The last day either party may withdraw.
    WithdrawalCloses,
    /// The first day both may come for the certificate.
    CertificateOpens,
    /// The last day both may come; after it the application is deemed withdrawn.
    CertificateCloses,
}

impl Milestone {
    pub fn label(self) -> &'static str {
        match self {
            Milestone::WithdrawalCloses => "撤回期届满",
            Milestone::CertificateOpens => "可以领证",
            Milestone::CertificateCloses => "领证期届满",
        }
    }
}

impl CoolingOff {
    /// The milestones that fall in `from..=to`, in date order.
    pub fn milestones_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(NaiveDate, Milestone)> {
        [
            (self.withdrawal_ends, Milestone::WithdrawalCloses),
            (self.certificate_from, Milestone::CertificateOpens),
            (self.certificate_until, Milestone::CertificateCloses),
        ]
        .into_iter()
        .filter(|(day, _)| (from..=to).contains(day))
        .collect()
    }
}

/// Every reason the divorce application of `parties` cannot be received on
/// `date`: their documents and names, and two different people; the parties
/// in their stored form.
pub fn check_divorce(parties: &[Party; 2], date: NaiveDate) -> ([Party; 2], Vec<FieldIssue>) {
    let (first, mut issues) = check_party(0, &parties[0], date);
    let (second, more) = check_party(1, &parties[1], date);
    issues.extend(more);
    if first.doc_type == second.doc_type && first.doc_number == second.doc_number {
        issues.push(FieldIssue::new("parties[1].doc_number", "双方证件号码相同"));
    }
    ([first, second], issues)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::identity::with_check_character;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn person(name: &str, first17: &str, sex: Sex, birth: &str) -> Party {
        Party {
            doc_type: DocumentType::IdCard,
            doc_number: with_check_character(first17),
            name: name.into(),
            sex,
            birth_date: day(birth),
            ethnicity: "汉族".into(),
            nationality: "中国".into(),
            occupation: String::new(),
            education: String::new(),
            address: String::new(),
            phone: "13800000000".into(),
        }
    }

    fn couple() -> [Party; 2] {
        [
            person("张三", "43010219980307001", Sex::Male, "1998-03-07"),
            person("李四", "43010219990101002", Sex::Female, "1999-01-01"),
        ]
    }

    const ALL_TRUE: Statements = Statements {
        voluntary: true,
        no_spouse: true,
        no_prohibited_kinship: true,
    };

    fn fields(issues: &[FieldIssue]) -> Vec<&str> {
        issues.iter().map(|i| i.field.as_str()).collect()
    }

    #[test]
    fn a_couple_that_meets_every_condition() {
        let (parties, issues) = check_marriage(&couple(), &ALL_TRUE, day("2026-11-29"));
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(parties[0].name, "张三");
    }

    #[test]
    fn the_age_counts_on_the_day_of_registration() {
        let mut parties = couple();
        parties[0] = person("王五", "43010220041130001", Sex::Male, "2004-11-30");
        let (_, issues) = check_marriage(&parties, &ALL_TRUE, day("2026-11-29"));
        assert_eq!(fields(&issues), ["parties[0].birth_date"]);
        assert!(
            issues[0].message.contains("未满 22 周岁（21 周岁）"),
            "{issues:?}"
        );
        // The day he turns 22 he may marry.
        let (_, issues) = check_marriage(&parties, &ALL_TRUE, day("2026-11-30"));
        assert!(issues.is_empty(), "{issues:?}");

        let mut parties = couple();
        parties[1] = person("赵六", "43010220061201002", Sex::Female, "2006-12-01");
        let (_, issues) = check_marriage(&parties, &ALL_TRUE, day("2026-11-30"));
        assert!(
            issues[0].message.contains("女方登记之日未满 20 周岁"),
            "{issues:?}"
        );
    }

    #[test]
    fn the_number_decides_birth_date_and_sex() {
        let mut parties = couple();
        parties[0].birth_date = day("1998-03-08");
        parties[1].sex = Sex::Male;
        let (_, issues) = check_marriage(&parties, &ALL_TRUE, day("2026-11-29"));
        assert_eq!(
            fields(&issues),
            ["parties[0].birth_date", "parties[1].sex", "parties[1].sex"],
            "{issues:?}"
        );
        let mut parties = couple();
        parties[1].doc_number.pop();
        parties[1].doc_number.push('0');
        let (_, issues) = check_marriage(&parties, &ALL_TRUE, day("2026-11-29"));
        assert_eq!(fields(&issues), ["parties[1].doc_number"]);
        assert!(issues[0].message.contains("校验位"));
    }

    #[test]
    fn statements_and_names() {
        let mut parties = couple();
        parties[0].name = "张3".into();
        parties[1].name = "阿依古丽•买买提".into();
        let statements = Statements {
            voluntary: false,
            ..ALL_TRUE
        };
        let (checked, issues) = check_marriage(&parties, &statements, day("2026-11-29"));
        assert_eq!(fields(&issues), ["parties[0].name", "statements.voluntary"]);
        assert_eq!(checked[1].name, "阿依古丽·买买提");
    }

    #[test]
    fn a_photo_is_a_real_jpeg_or_png() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2];
        let photo = check_photo("image/jpeg", &jpeg).unwrap();
        assert_eq!(photo, Photo::of("image/jpeg", &jpeg));
        assert!(check_photo_ref(&photo).is_ok());
        assert!(check_photo("image/png", b"\x89PNG\r\n\x1a\n....").is_ok());
        assert!(check_photo("image/png", &[0xFF, 0xD8, 0xFF]).is_err());
        assert!(check_photo("image/gif", b"GIF89a").is_err());
        assert!(check_photo("image/jpeg", &[]).is_err());
        let mut big = vec![0xFF; MAX_PHOTO_BYTES + 1];
        big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(check_photo("image/jpeg", &big).unwrap_err().field, "photo");
        // A reference to a file over the cap is refused too.
        let claimed = Photo {
            size: MAX_PHOTO_BYTES as u64 + 1,
            ..photo
        };
        assert_eq!(check_photo_ref(&claimed).unwrap_err().field, "photo");
    }

    #[test]
    fn other_documents_have_their_own_forms() {
        let today = day("2026-11-29");
        let mut party = couple()[0].clone();
        for (doc_type, good, bad) in [
            (DocumentType::HkMacaoPermit, "H12345678", "X12345678"),
            (DocumentType::TaiwanPermit, "12345678", "1234"),
            (DocumentType::Passport, "E12345678", "E-1"),
        ] {
            party.doc_type = doc_type;
            party.doc_number = good.into();
            assert!(check_party(0, &party, today).1.is_empty(), "{good}");
            party.doc_number = bad.into();
            assert_eq!(
                fields(&check_party(0, &party, today).1),
                ["parties[0].doc_number"],
                "{bad}"
            );
        }
        party.doc_type = DocumentType::ForeignPermanentResident;
        party.doc_number = with_check_character("93310219980307001");
        assert!(check_party(0, &party, today).1.is_empty());
        party.doc_number = with_check_character("43010219980307001");
        assert_eq!(
            fields(&check_party(0, &party, today).1),
            ["parties[0].doc_number"]
        );
    }

    #[test]
    fn cooling_off_follows_the_domain_example() {
        let published: Vec<crate::HolidayCalendar> =
            serde_json::from_str(include_str!("../../../assets/demo/holiday-calendars.json"))
                .unwrap();
        let calendars = Calendars::new(published.into_iter().filter(|c| c.year == 2026));
        // Received Thursday 2026-03-05: the 30 days run 03-06 … 04-04, a
        // Saturday of 清明, so the withdrawal period ends on the next
        // working day, Tuesday 04-07.
        let dates = CoolingOff::from_receipt(day("2026-03-05"), &calendars).unwrap();
        assert_eq!(dates.withdrawal_ends, day("2026-04-07"));
        assert_eq!(dates.certificate_from, day("2026-04-08"));
        // 04-08 … 05-07, a working Thursday after 劳动节.
        assert_eq!(dates.certificate_until, day("2026-05-07"));
        assert_eq!(dates.stage_on(day("2026-04-07")), DivorceStage::CoolingOff);
        assert_eq!(
            dates.stage_on(day("2026-04-08")),
            DivorceStage::AwaitingCertificate
        );
        assert_eq!(
            dates.stage_on(day("2026-05-08")),
            DivorceStage::DeemedWithdrawn
        );
        assert_eq!(
            dates.milestones_between(day("2026-04-06"), day("2026-04-12")),
            [
                (day("2026-04-07"), Milestone::WithdrawalCloses),
                (day("2026-04-08"), Milestone::CertificateOpens)
            ]
        );
        // Without next year's calendar a period reaching into it cannot be counted.
        assert!(CoolingOff::from_receipt(day("2026-12-01"), &calendars).is_err());
    }

    #[test]
    fn a_judgement_names_its_court_and_follows_the_registration() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let (registered, today) = (day("2026-03-05"), day("2026-06-01"));
        let fields = |court: &str, number: &str, decided: &str| -> Vec<String> {
            check_annulment(court, number, day(decided), registered, today)
                .into_iter()
                .map(|i| i.field)
                .collect()
        };
        assert!(fields("芙蓉区人民法院", "（2026）湘0102民初1号", "2026-05-01").is_empty());
        assert!(fields("芙蓉区人民法院", "（2026）湘0102民初1号", "2026-03-05").is_empty());
        assert_eq!(
            fields(" ", "", "2026-05-01"),
            ["annulment.court", "annulment.judgement_no"]
        );
        assert_eq!(
            fields("法院", "1号", "2026-03-04"),
            ["annulment.decided_on"]
        );
        assert_eq!(
            fields("法院", "1号", "2026-06-02"),
            ["annulment.decided_on"]
        );
        assert_eq!(
            serde_json::to_value(AnnulmentKind::Revoked).unwrap(),
            serde_json::json!("revoked")
        );
    }
}
