//! Full-text search over Chinese, the same on the platform and on a desk.
//!
//! Chinese is written without spaces, and a clerk searches by any two or
//! more characters (婚姻, 登记档案). A text is indexed as the overlapping
//! pairs of its characters (bigrams: 婚姻登记 → 婚姻 姻登 登记), within runs
//! of letters and digits (punctuation and spaces end a run); a query of n
//! characters is the phrase of its n − 1 pairs, so two characters are one
//! term and a longer run must appear whole. This is how search engines index
//! CJK text without a dictionary (Lucene's CJK bigrams); FTS5's trigram
//! tokenizer, by contrast, cannot use its index for two characters.
//!
//! Each pair is written as an ASCII word of eight letters ([`pair_term`]), so
//! that any engine's tokenizer (SQLite FTS5's `unicode61`, PostgreSQL's
//! `simple` configuration) reads it as one word whatever its locale, and a
//! query can never be engine syntax: `"`, `*`, `NEAR` are punctuation or
//! letters like any other. Letters are folded ([`fold`]: lower case, full
//! width as half width), one character for one, so that positions in the
//! folded text are positions in the text.

use crate::FieldIssue;

/// The most text of one file kept for search, in characters (a long
/// regulation has about 60,000; the rest of a longer file is left out).
pub const MAX_TEXT_CHARS: usize = 200_000;

/// The fewest characters a query searches by.
pub const MIN_QUERY_CHARS: usize = 2;
/// The most characters of a query.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most separate words of a query (each must appear).
pub const MAX_QUERY_WORDS: usize = 8;

/// One character as searched: ASCII letters in lower case, full-width
/// forms (Ａ, ０) as their ASCII forms, the ideographic space as a space.
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    };
    c.to_ascii_lowercase()
}

/// A text folded character for character ([`fold`]).
pub fn folded(text: &str) -> String {
    text.chars().map(fold).collect()
}

/// Whether a character belongs to a searchable run: letters (Chinese
/// characters among them) and digits.
fn in_run(c: char) -> bool {
    c.is_alphanumeric()
}

/// The runs of a text, folded.
fn runs(text: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    text.split(|c: char| !in_run(fold(c)))
        .filter(|run| !run.is_empty())
        .map(|run| run.chars().map(fold).collect())
}

/// A character as four lower-case letters (base 26 of its code point;
/// every character below U+6F8F0, which covers every assigned Chinese
/// character, has its own).
fn char_letters(c: char, out: &mut String) {
    let mut code = (c as u32).min(26u32.pow(4) - 1);
    let mut letters = [b'a'; 4];
    for slot in letters.iter_mut().rev() {
        *slot = b'a' + (code % 26) as u8;
        code /= 26;
    }
    out.extend(letters.iter().map(|b| char::from(*b)));
}

/// The term of a pair of folded characters: eight letters.
pub fn pair_term(first: char, second: char) -> String {
    let mut term = String::with_capacity(8);
    char_letters(first, &mut term);
    char_letters(second, &mut term);
    term
}

/// The terms of a text in order, each run's pairs one after another.
pub fn terms(text: &str) -> Vec<String> {
    runs(text)
        .flat_map(|run| {
            run.windows(2)
                .filter_map(|pair| match pair {
                    [a, b] => Some(pair_term(*a, *b)),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The terms of a text as one string for an index, apart by spaces.
pub fn index_text(text: &str) -> String {
    terms(text).join(" ")
}

/// The distinct terms of a text, sorted, apart by spaces: for an index
/// that keeps no positions (PostgreSQL's, where a match is then confirmed
/// in the folded text).
pub fn distinct_index_text(text: &str) -> String {
    let mut terms = terms(text);
    terms.sort_unstable();
    terms.dedup();
    terms.join(" ")
}

/// A query read: the words it searches (each must appear), as typed but
/// folded, and each word's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The words, folded: found in a text's folded form ([`folded`]).
    pub words: Vec<String>,
    /// Each word's terms, in order.
    pub phrases: Vec<Vec<String>>,
}

/// Reads what a user typed. One character, nothing, or more than
/// [`MAX_QUERY_CHARS`] is refused with a message for the field `field`.
pub fn parse_query(field: &str, input: &str) -> Result<Query, FieldIssue> {
    let input = input.trim();
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(FieldIssue::new(
            field,
            format!("检索词过长：最多 {MAX_QUERY_CHARS} 个字"),
        ));
    }
    let mut words: Vec<String> = Vec::new();
    for run in runs(input).filter(|run| run.len() >= MIN_QUERY_CHARS) {
        let word: String = run.iter().collect();
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.is_empty() {
        return Err(FieldIssue::new(
            field,
            "请至少输入两个连续的字或字母（单个字无法检索）",
        ));
    }
    if words.len() > MAX_QUERY_WORDS {
        return Err(FieldIssue::new(
            field,
            format!("检索词过多：最多 {MAX_QUERY_WORDS} 个，以空格分开"),
        ));
    }
    let phrases = words.iter().map(|word| terms(word)).collect();
    Ok(Query { words, phrases })
}

impl Query {
    /// The query in SQLite FTS5's syntax: each word a quoted phrase of its
    /// terms, all of them required.
    pub fn fts5(&self) -> String {
        self.phrases
            .iter()
            .map(|phrase| format!("\"{}\"", phrase.join(" ")))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// Every term of every word, all required, in PostgreSQL's `tsquery`
    /// syntax: the candidates an index finds, confirmed in the folded text.
    pub fn tsquery(&self) -> String {
        let mut terms: Vec<&String> = self.phrases.iter().flatten().collect();
        terms.sort_unstable();
        terms.dedup();
        terms
            .into_iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// Whether a folded text holds every word.
    pub fn found_in(&self, folded_text: &str) -> bool {
        self.words
            .iter()
            .all(|word| folded_text.contains(word.as_str()))
    }
}

/// A passage of a text around what was found, with the places found in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Snippet {
    /// The passage, as the text has it; `…` where it was cut.
    pub text: String,
    /// The places found in `text`, in characters from its start: `[start,
    /// end)`, in order, never overlapping.
    pub marks: Vec<(u32, u32)>,
}

/// The passage of `text` where `query`'s words first occur, at most about
/// `width` characters, with every occurrence inside it marked. The start of
/// the text when no word occurs (a match by the title only).
pub fn snippet(text: &str, query: &Query, width: usize) -> Snippet {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for word in &query.words {
        let word: Vec<char> = word.chars().collect();
        if word.is_empty() || word.len() > folded.len() {
            continue;
        }
        let mut at = 0;
        while at + word.len() <= folded.len() {
            if folded.get(at..at + word.len()) == Some(word.as_slice()) {
                found.push((at, at + word.len()));
                at += word.len();
            } else {
                at += 1;
            }
        }
    }
    found.sort_unstable();
    let first = found.first().map_or(0, |(start, _)| *start);
    let start = first.saturating_sub(width / 4);
    let start = chars
        .get(start..first)
        .and_then(|before| before.iter().rposition(|c| *c == '\n'))
        .map_or(start, |newline| start + newline + 1);
    let end = (start + width).min(chars.len());
    let mut out = String::new();
    let offset = if start > 0 {
        out.push('…');
        1
    } else {
        0
    };
    out.extend(
        chars
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|c| if *c == '\n' { ' ' } else { *c }),
    );
    if end < chars.len() {
        out.push('…');
    }
    let mut marks: Vec<(u32, u32)> = Vec::new();
    for (s, e) in found {
        if s < start || e > end {
            continue;
        }
        let (s, e) = ((s - start + offset) as u32, (e - start + offset) as u32);
        match marks.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => marks.push((s, e)),
        }
    }
    Snippet { text: out, marks }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_indexed_by_the_pairs_of_each_run() {
        let text = "婚姻登记，GB/T 9704。";
        let expected: Vec<String> = [
            ('婚', '姻'),
            ('姻', '登'),
            ('登', '记'),
            ('g', 'b'),
            ('9', '7'),
            ('7', '0'),
            ('0', '4'),
        ]
        .iter()
        .map(|(a, b)| pair_term(*a, *b))
        .collect();
        assert_eq!(terms(text), expected);
        assert!(
            expected
                .iter()
                .all(|t| t.len() == 8 && t.chars().all(|c| c.is_ascii_lowercase()))
        );
        // Full width and case fold to one term.
        assert_eq!(terms("ＧＢ"), terms("gb"));
        assert_ne!(pair_term('婚', '姻'), pair_term('姻', '婚'));
    }

    #[test]
    fn queries_are_words_of_two_characters_or_more() {
        let query = parse_query("q", "  婚姻 登记档案 婚姻 ").unwrap();
        assert_eq!(query.words, vec!["婚姻", "登记档案"]);
        assert_eq!(query.phrases[1].len(), 3);
        assert_eq!(
            query.fts5(),
            format!(
                "\"{}\" AND \"{}\"",
                query.phrases[0][0],
                query.phrases[1].join(" ")
            )
        );
        assert_eq!(query.tsquery().split(" & ").count(), 4);
        for bad in ["", "婚", "  婚 ", "* \" ( )", &"婚".repeat(101)] {
            let issue = parse_query("q", bad).unwrap_err();
            assert_eq!(issue.field, "q");
        }
        assert!(
            parse_query("q", "婚 姻").is_err(),
            "two single characters are not a word"
        );
        assert!(parse_query("q", "a b c ij kl mn op qr st uv").is_ok());
        assert!(parse_query("q", "ab cd ef gh ij kl mn op qr").is_err());
    }

    /// Engine syntax typed into the box is searched as text: it cannot
    /// reach the engine, whose query holds only letters and quotes.
    #[test]
    fn engine_syntax_is_only_text() {
        for input in [
            "\"婚姻\" NEAR 登记",
            "婚姻* OR 1=1",
            "a'); DROP TABLE x; --",
        ] {
            let query = parse_query("q", input).unwrap();
            let fts = query.fts5();
            assert!(
                fts.chars()
                    .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '"' || "AND".contains(c)),
                "{fts}"
            );
            assert!(
                query
                    .tsquery()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '&')
            );
        }
    }

    #[test]
    fn a_snippet_marks_every_occurrence_in_its_passage() {
        let text = format!(
            "{}第五条 办理结婚登记的男女双方应当共同到婚姻登记机关办理结婚登记。",
            "前言。".repeat(30)
        );
        let query = parse_query("q", "结婚登记").unwrap();
        let found = snippet(&text, &query, 40);
        assert!(found.text.starts_with('…'), "{}", found.text);
        let marked: Vec<String> = found
            .marks
            .iter()
            .map(|(s, e)| {
                found
                    .text
                    .chars()
                    .skip(*s as usize)
                    .take((e - s) as usize)
                    .collect()
            })
            .collect();
        assert_eq!(marked, vec!["结婚登记", "结婚登记"]);
        // A title-only match shows the start.
        let other = snippet("殡葬管理条例全文", &query, 10);
        assert_eq!(other.text, "殡葬管理条例全文");
        assert!(other.marks.is_empty());
        // Folded letters are found in their written form.
        let latin = snippet(
            "执行ＧＢ/Ｔ 9704 标准",
            &parse_query("q", "gb").unwrap(),
            20,
        );
        assert_eq!(latin.marks, vec![(2, 4)]);
    }

    #[test]
    fn a_text_holds_a_query_when_every_word_appears() {
        let query = parse_query("q", "婚姻 档案").unwrap();
        assert!(query.found_in(&folded("婚姻登记档案")));
        assert!(!query.found_in(&folded("婚姻登记")));
    }
}
