//! GB/T 2260 administrative division codes, six digits: province, city, county.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A six-digit GB/T 2260 region code such as `430102` (芙蓉区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode([u8; 6]);

/// The level of a region in the division tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a region code is six digits, such as 430102")]
pub struct InvalidRegionCode;

impl RegionCode {
    /// The province of Hunan, the root of this department's tree.
    pub const HUNAN: RegionCode = RegionCode(*b"430000");

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("000000")
    }

    pub fn level(&self) -> RegionLevel {
        match (&self.0[2..4], &self.0[4..6]) {
            (b"00", b"00") => RegionLevel::Province,
            (_, b"00") => RegionLevel::City,
            _ => RegionLevel::County,
        }
    }

    /// The digits that every region below this one starts with.
    fn prefix(&self) -> &[u8] {
        match self.level() {
            RegionLevel::Province => &self.0[..2],
            RegionLevel::City => &self.0[..4],
            RegionLevel::County => &self.0[..],
        }
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }

    /// The pattern that matches this region and everything inside it in a SQL
    /// `LIKE`, for filtering rows by region on the database side.
    pub fn like_pattern(&self) -> String {
        let prefix = self.prefix();
        let mut pattern = String::from_utf8_lossy(prefix).into_owned();
        pattern.push_str(&"_".repeat(6 - prefix.len()));
        pattern
    }

    /// The region one level up: a county's city, a city's province.
    pub fn parent(&self) -> Option<RegionCode> {
        let mut code = self.0;
        match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => code[2..6].copy_from_slice(b"0000"),
            RegionLevel::County => code[4..6].copy_from_slice(b"00"),
        }
        Some(RegionCode(code))
    }
}

impl FromStr for RegionCode {
    type Err = InvalidRegionCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes: [u8; 6] = s.as_bytes().try_into().map_err(|_| InvalidRegionCode)?;
        if bytes.iter().all(u8::is_ascii_digit) && &bytes[..2] != b"00" {
            Ok(RegionCode(bytes))
        } else {
            Err(InvalidRegionCode)
        }
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidRegionCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.as_str().to_owned()
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        s.parse().unwrap()
    }

    #[test]
    fn levels_follow_the_trailing_zeros() {
        assert_eq!(code("430000").level(), RegionLevel::Province);
        assert_eq!(code("430100").level(), RegionLevel::City);
        assert_eq!(code("433100").level(), RegionLevel::City);
        assert_eq!(code("430102").level(), RegionLevel::County);
    }

    #[test]
    fn containment_is_by_the_tree() {
        let cases = [
            ("430000", "430102", true),
            ("430000", "430000", true),
            ("430100", "430102", true),
            ("430100", "430202", false),
            ("430102", "430102", true),
            ("430102", "430103", false),
            ("430102", "430100", false),
            ("430000", "440102", false),
        ];
        for (outer, inner, expected) in cases {
            assert_eq!(
                code(outer).contains(&code(inner)),
                expected,
                "{outer} ⊇ {inner}"
            );
        }
    }

    #[test]
    fn like_patterns_match_the_subtree() {
        assert_eq!(code("430000").like_pattern(), "43____");
        assert_eq!(code("430100").like_pattern(), "4301__");
        assert_eq!(code("430102").like_pattern(), "430102");
    }

    #[test]
    fn parents_walk_up() {
        assert_eq!(code("430102").parent(), Some(code("430100")));
        assert_eq!(code("430100").parent(), Some(code("430000")));
        assert_eq!(code("430000").parent(), None);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "43010", "4301023", "43010a", "４３０１０２", "000000"] {
            assert!(bad.parse::<RegionCode>().is_err(), "{bad:?}");
        }
    }
}
