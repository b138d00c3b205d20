//! Telephone numbers as a counter takes them: a mainland mobile (11 digits,
//! 1 then 3–9: 138 0013 8000), a mainland landline with its area code
//! (0 and 2–3 more digits, then a 7- or 8-digit number: 0731-8888 8888,
//! 010 6666 6666, an extension after it: 0731-88888888-123), or an
//! international number with its country code (+852 9123 4567). Spaces and
//! hyphens between groups are kept as typed; anything else is named.

/// Why `text` is not a telephone number, in Chinese; `None` when it is one.
pub fn phone_issue(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == '-' || c == ' ' || c == '+'))
    {
        return Some("电话号码只能包含数字、空格、- 和开头的 +");
    }
    if text.rfind('+').is_some_and(|at| at != 0) {
        return Some("+ 只能写在国际区号之前");
    }
    let groups: Vec<&str> = text
        .trim_start_matches('+')
        .split(['-', ' '])
        .filter(|g| !g.is_empty())
        .collect();
    let digits: String = groups.concat();
    if let Some(rest) = text.strip_prefix('+') {
        // +86 is the mainland's: the number after it follows the rules below.
        if let Some(national) = rest.trim_start().strip_prefix("86") {
            return mainland(national.trim_start_matches(['-', ' ']), true);
        }
        return if (8..=15).contains(&digits.len()) {
            None
        } else {
            Some("国际号码为 + 国家或地区代码再加号码，共 8 到 15 位数字")
        };
    }
    mainland(text, false)
}

fn mainland(text: &str, after_country_code: bool) -> Option<&'static str> {
    let groups: Vec<&str> = text.split(['-', ' ']).filter(|g| !g.is_empty()).collect();
    let digits: String = groups.concat();
    if digits.starts_with('1') {
        let mobile = digits.len() == 11
            && digits
                .as_bytes()
                .get(1)
                .is_some_and(|d| (b'3'..=b'9').contains(d));
        return if mobile {
            None
        } else {
            Some("手机号码为 11 位数字，以 13 至 19 开头")
        };
    }
    // A landline: the area code, then the number, then perhaps an extension.
    let national = if after_country_code {
        // After +86 the area code drops its leading 0.
        format!("0{digits}")
    } else {
        digits
    };
    if !national.starts_with('0') {
        return Some("固定电话请带区号（如 0731-88888888），手机号码为 11 位");
    }
    // 010 and 02x are three digits long; the other area codes four.
    let area = if national.starts_with("01") || national.starts_with("02") {
        3
    } else {
        4
    };
    let number_and_extension = national.len().saturating_sub(area);
    let extension =
        groups.len() >= 3 || (groups.len() == 2 && groups.first().is_some_and(|g| g.len() > 4));
    let ok = if extension {
        number_and_extension >= 8
    } else {
        (7..=8).contains(&number_and_extension)
    };
    if ok {
        None
    } else {
        Some("固定电话为区号加 7 到 8 位号码（如 0731-88888888）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_phone_numbers() {
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("13800138000", true),
            ("138 0013 8000", true),
            ("138-0013-8000", true),
            ("+86 138 0013 8000", true),
            ("1380013800", false),   // ten digits
            ("138001380001", false), // twelve
            ("12800138000", false),  // 12 is no mobile prefix
            ("0731-88888888", true),
            ("0731 8888 8888", true),
            ("073188888888", true),
            ("010-66666666", true),
            ("021 6666666", true),
            ("0731-88888888-123", true),
            ("+86 731 8888 8888", true),
            ("88888888", false), // no area code
            ("0731-888", false),
            ("+852 9123 4567", true),
            ("+1 202 555 0100", true),
            ("+852 91", false),
            ("138abc", false),
            ("138+0013", false),
        ];
        for (text, ok) in cases {
            assert_eq!(
                phone_issue(text).is_none(),
                *ok,
                "{text:?}: {:?}",
                phone_issue(text)
            );
        }
    }
}
