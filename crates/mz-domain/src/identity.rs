//! Identity documents and personal names (GB 11643-1999, GB 18030-2022).
//!
//! A resident identity card number has 18 characters: a GB/T 2260 address
//! code, the birth date, a sequence whose parity is the sex, and a check
//! character over the first 17 digits. Old 15-digit numbers convert to 18.
//! The address code of a region that was renamed stays valid for the people
//! who hold it, so an unknown code is a warning for the caller to show, never
//! a rejection; everything else here is a rejection with its reason.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Weights of the first 17 digits in the check-character sum.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the sum modulo 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Why an identity card number is refused, in words a clerk can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号码应为 18 位（旧号码 15 位），现为 {0} 位")]
    Length(usize),
    #[error("身份证号码第 {position} 位应为数字")]
    NotDigit { position: usize },
    #[error("身份证号码的出生日期 {0} 不是真实日期")]
    BirthDate(String),
    #[error("身份证号码的出生日期在今天之后")]
    BornInFuture,
    #[error("身份证号码校验位应为 {expected}，现为 {found}，请核对号码")]
    CheckCharacter { expected: char, found: char },
}

/// A valid 18-character resident identity card number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

impl IdNumber {
    /// Checks a number as typed, on the day `today` (the birth date may not
    /// be later). Spaces around it are ignored, a lowercase `x` is stored as
    /// `X`, and a 15-digit number is converted to 18 digits.
    pub fn parse(input: &str, today: NaiveDate) -> Result<IdNumber, IdNumberError> {
        let text = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = text.chars().collect();
        let full: Vec<char> = match chars.len() {
            18 => chars,
            15 => {
                if let Some(position) = chars.iter().position(|c| !c.is_ascii_digit()) {
                    return Err(IdNumberError::NotDigit {
                        position: position + 1,
                    });
                }
                let mut full: Vec<char> = chars.iter().take(6).copied().collect();
                full.extend(['1', '9']);
                full.extend(chars.iter().skip(6));
                full.push(check_character(&full));
                full
            }
            other => return Err(IdNumberError::Length(other)),
        };
        if let Some(position) = full.iter().take(17).position(|c| !c.is_ascii_digit()) {
            return Err(IdNumberError::NotDigit {
                position: position + 1,
            });
        }
        let birth: String = full.iter().skip(6).take(8).collect();
        let date = NaiveDate::parse_from_str(&birth, "%Y%m%d")
            .map_err(|_| IdNumberError::BirthDate(birth.clone()))?;
        if date > today {
            return Err(IdNumberError::BornInFuture);
        }
        let expected = check_character(&full);
        let found = full.get(17).copied().unwrap_or(' ');
        if found != expected {
            return Err(IdNumberError::CheckCharacter { expected, found });
        }
        Ok(IdNumber(full.into_iter().collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The GB/T 2260 code of the place the number was issued for.
    pub fn address_code(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.0
            .get(6..14)
            .and_then(|text| NaiveDate::parse_from_str(text, "%Y%m%d").ok())
            .unwrap_or_default()
    }

    /// Odd sequence numbers are men, even ones women.
    pub fn sex(&self) -> Sex {
        let digit = self
            .0
            .as_bytes()
            .get(16)
            .map_or(0, |b| u32::from(b.wrapping_sub(b'0')));
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.0
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;
    /// For stored numbers: checked without a date bound.
    fn try_from(text: String) -> Result<IdNumber, IdNumberError> {
        IdNumber::parse(&text, NaiveDate::MAX)
    }
}

/// The check character of the first 17 digits of `digits`.
fn check_character(digits: &[char]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK.get((sum % 11) as usize).copied().unwrap_or('?')
}

/// Completes 17 digits into a full number (for generated test and demo data).
pub fn with_check_character(first17: &str) -> String {
    let digits: Vec<char> = first17.chars().collect();
    format!("{first17}{}", check_character(&digits))
}

/// Whole years of age on `day` (a birthday on 29 February counts on 1 March
/// in other years).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}

/// The longest name the registry takes, in characters.
pub const NAME_MAX_CHARS: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("姓名不能为空")]
    Empty,
    #[error("姓名最多 {NAME_MAX_CHARS} 个字符")]
    TooLong,
    #[error("姓名中不能有“{0}”")]
    Character(char),
}

/// Checks a person's name: Chinese characters of every plane (rare ones
/// included), the middle dot of minority and foreign names, and Latin
/// letters and spaces for foreign names. Returns it trimmed, with the look-
/// alike dots people type (•, ・, ．) made the middle dot U+00B7.
pub fn normalise_name(input: &str) -> Result<String, NameError> {
    let name: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '•' | '・' | '．' | '‧' | '∙' => '·',
            other => other,
        })
        .collect();
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(NameError::TooLong);
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !(is_han(c) || c == '·' || c == ' ' || c.is_alphabetic()))
    {
        return Err(NameError::Character(bad));
    }
    if name.starts_with('·') || name.ends_with('·') || name.contains("··") {
        return Err(NameError::Character('·'));
    }
    Ok(name)
}

/// Whether `c` is a CJK unified ideograph (the basic block, Extension A, and
/// Extensions B to I in the supplementary planes) or a compatibility one.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F
        | 0x30000..=0x323AF
        | 0x3007)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-29";

    #[test]
    fn valid_numbers_and_what_they_say() {
        // 11010519491231002X: the standard's own example.
        let id = IdNumber::parse("11010519491231002x", day(TODAY)).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), day("1949-12-31"));
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.address_code(), "110105");
        let man = IdNumber::parse(&with_check_character("43010219900307001"), day(TODAY)).unwrap();
        assert_eq!(man.sex(), Sex::Male);
    }

    #[test]
    fn fifteen_digits_become_eighteen() {
        let id = IdNumber::parse("430102900307001", day(TODAY)).unwrap();
        assert_eq!(id.as_str(), with_check_character("43010219900307001"));
        assert_eq!(id.birth_date(), day("1990-03-07"));
    }

    #[test]
    fn refusals_say_why() {
        let today = day(TODAY);
        assert_eq!(
            IdNumber::parse("1101051949123100", today),
            Err(IdNumberError::Length(16))
        );
        assert_eq!(
            IdNumber::parse("110105194912310021", today),
            Err(IdNumberError::CheckCharacter {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            IdNumber::parse("1101051949123A002X", today),
            Err(IdNumberError::NotDigit { position: 14 })
        );
        let feb30 = with_check_character("43010219900230001");
        assert_eq!(
            IdNumber::parse(&feb30, today),
            Err(IdNumberError::BirthDate("19900230".into()))
        );
        let future = with_check_character("43010220270101001");
        assert_eq!(
            IdNumber::parse(&future, today),
            Err(IdNumberError::BornInFuture)
        );
    }

    #[test]
    fn every_remainder_has_its_check_character() {
        // One number per remainder: changing the sequence moves the sum.
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..200 {
            let full = with_check_character(&format!("430102199003070{seq:02}"));
            if full.len() == 18 && IdNumber::parse(&full, day(TODAY)).is_ok() {
                seen.insert(full.chars().last().unwrap());
            }
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
    }

    #[test]
    fn age_counts_whole_years_on_the_day() {
        assert_eq!(age_on(day("2004-11-29"), day("2026-11-28")), 21);
        assert_eq!(age_on(day("2004-11-29"), day("2026-11-29")), 22);
        assert_eq!(age_on(day("2004-02-29"), day("2024-02-28")), 19);
        assert_eq!(age_on(day("2004-02-29"), day("2024-02-29")), 20);
    }

    #[test]
    fn names_of_every_kind() {
        assert_eq!(normalise_name(" 张三 ").unwrap(), "张三");
        assert_eq!(normalise_name("王䶮").unwrap(), "王䶮");
        assert_eq!(normalise_name("𠀀明").unwrap(), "𠀀明");
        assert_eq!(
            normalise_name("阿依古丽•买买提").unwrap(),
            "阿依古丽·买买提"
        );
        assert_eq!(normalise_name("John Smith").unwrap(), "John Smith");
        assert_eq!(normalise_name(""), Err(NameError::Empty));
        assert_eq!(normalise_name("张3"), Err(NameError::Character('3')));
        assert_eq!(normalise_name("·张"), Err(NameError::Character('·')));
        assert_eq!(normalise_name(&"张".repeat(51)), Err(NameError::TooLong));
        // Counted in characters, not bytes: 50 four-byte characters fit.
        assert!(normalise_name(&"𠀀".repeat(50)).is_ok());
    }
}
