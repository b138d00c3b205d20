//! Certificate-number sequences (字号) and the numbers they give.
//!
//! A sequence key names one series: a prefix, the issuing office's region and
//! the year, written `J-430102-2026`. Its serials start at 1 every year and are
//! never reused; the platform hands them to counters in blocks so that a
//! counter working offline never collides with another.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::Resource;
use crate::region::RegionCode;

/// The kinds of certificate with a number series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CertificatePrefix {
    /// 结婚证
    J,
    /// 离婚证
    L,
    /// 补发结婚证
    BJ,
    /// 补发离婚证
    BL,
    /// 火化证明
    HZ,
    /// 殡仪馆业务编号: a funeral home's case (遗体接运 to the ashes' placement).
    YT,
    /// 公墓墓位使用合同: the contract of a cemetery plot sold by a home.
    GM,
}

impl CertificatePrefix {
    pub fn as_str(&self) -> &'static str {
        match self {
            CertificatePrefix::J => "J",
            CertificatePrefix::L => "L",
            CertificatePrefix::BJ => "BJ",
            CertificatePrefix::BL => "BL",
            CertificatePrefix::HZ => "HZ",
            CertificatePrefix::YT => "YT",
            CertificatePrefix::GM => "GM",
        }
    }

    /// The resource whose rules govern this series.
    pub fn resource(&self) -> Resource {
        match self {
            CertificatePrefix::HZ | CertificatePrefix::YT | CertificatePrefix::GM => {
                Resource::FuneralNumbers
            }
            _ => Resource::MarriageNumbers,
        }
    }
}

/// A certificate number as the registry compares it: trimmed, Latin letters
/// upper-cased (older Chinese forms such as 湘长结字… are kept as written).
pub fn certificate_key(number: &str) -> String {
    number.trim().to_ascii_uppercase()
}

/// The largest serial: six digits.
pub const MAX_SERIAL: i64 = 999_999;

/// A number series such as `J-430102-2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SequenceKey {
    pub prefix: CertificatePrefix,
    pub region: RegionCode,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequenceKeyError {
    #[error("a sequence key is PREFIX-REGION-YEAR, such as J-430102-2026")]
    Shape,
    #[error("unknown certificate prefix {0:?}; known are J, L, BJ, BL, HZ, YT")]
    Prefix(String),
    #[error("the region code is six digits, such as 430102")]
    Region,
    #[error("the year must be between 2000 and 2200")]
    Year,
}

impl SequenceKey {
    /// The certificate number for `serial` in this series, e.g. `J430102-2026-000123`.
    pub fn number(&self, serial: i64) -> String {
        format!(
            "{}{}-{}-{:06}",
            self.prefix.as_str(),
            self.region,
            self.year,
            serial
        )
    }
}

impl SequenceKey {
    /// Reads a certificate number of this form back into its series and
    /// serial: `J430102-2026-000123` → (`J-430102-2026`, 123). Older forms
    /// (e.g. 湘长结字…) are not series numbers and give `None`.
    pub fn parse_number(number: &str) -> Option<(SequenceKey, i64)> {
        let (head, rest) = number.split_once('-')?;
        let (year, serial) = rest.split_once('-')?;
        let letters = head.len().checked_sub(6)?;
        let key: SequenceKey =
            format!("{}-{}-{}", head.get(..letters)?, head.get(letters..)?, year)
                .parse()
                .ok()?;
        if serial.len() != 6 || !serial.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let serial: i64 = serial.parse().ok()?;
        (serial >= 1).then_some((key, serial))
    }
}

impl FromStr for SequenceKey {
    type Err = SequenceKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('-');
        let (Some(prefix), Some(region), Some(year), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(SequenceKeyError::Shape);
        };
        let prefix = match prefix {
            "J" => CertificatePrefix::J,
            "L" => CertificatePrefix::L,
            "BJ" => CertificatePrefix::BJ,
            "BL" => CertificatePrefix::BL,
            "HZ" => CertificatePrefix::HZ,
            "YT" => CertificatePrefix::YT,
            "GM" => CertificatePrefix::GM,
            other => return Err(SequenceKeyError::Prefix(other.to_owned())),
        };
        let region = region.parse().map_err(|_| SequenceKeyError::Region)?;
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2200).contains(y) && year.len() == 4)
            .ok_or(SequenceKeyError::Year)?;
        Ok(SequenceKey {
            prefix,
            region,
            year,
        })
    }
}

impl fmt::Display for SequenceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.prefix.as_str(), self.region, self.year)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_make_numbers() {
        let key: SequenceKey = "J-430102-2026".parse().unwrap();
        assert_eq!(key.to_string(), "J-430102-2026");
        assert_eq!(key.number(123), "J430102-2026-000123");
        assert_eq!(key.prefix.resource(), Resource::MarriageNumbers);
        let key: SequenceKey = "HZ-430100-2027".parse().unwrap();
        assert_eq!(key.prefix.resource(), Resource::FuneralNumbers);
    }

    #[test]
    fn numbers_read_back_into_series_and_serial() {
        let (key, serial) = SequenceKey::parse_number("J430102-2026-000123").unwrap();
        assert_eq!((key.to_string(), serial), ("J-430102-2026".to_owned(), 123));
        let (key, _) = SequenceKey::parse_number("BJ430102-2026-000001").unwrap();
        assert_eq!(key.prefix, CertificatePrefix::BJ);
        for bad in [
            "湘长结字2016-1",
            "J430102-2026-123",
            "J4301-2026-000001",
            "J430102-2026-000000",
            "",
        ] {
            assert!(SequenceKey::parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn malformed_keys_say_what_is_wrong() {
        let cases = [
            ("J430102-2026", SequenceKeyError::Shape),
            ("J-430102-2026-1", SequenceKeyError::Shape),
            ("X-430102-2026", SequenceKeyError::Prefix("X".into())),
            ("J-4301-2026", SequenceKeyError::Region),
            ("J-430102-26", SequenceKeyError::Year),
            ("J-430102-+2026", SequenceKeyError::Year),
            ("J-430102-1999", SequenceKeyError::Year),
        ];
        for (input, error) in cases {
            assert_eq!(input.parse::<SequenceKey>(), Err(error), "{input}");
        }
    }
}
