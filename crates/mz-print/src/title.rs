//! Breaking a title that needs more than one line: between words, never
//! inside one (GB/T 9704 asks for 词意完整、排列对称), the lines as even as
//! possible with the longer ones on top (a trapezoid) or in the middle (a
//! diamond).
//!
//! Words come from jieba (its dictionary embedded, plus a few civil-affairs
//! terms). Loading the dictionary is the cost: 80–100 ms and some 33 MB of
//! memory on a 2-core machine (release and dev builds alike; a title is
//! then cut in under a microsecond), so it is loaded once, on the first
//! title that needs two lines, and a document whose title fits never pays
//! for it. A number and its unit
//! (2026年度, 第3次) stay together; the breaks after 关于 and before a
//! closing 的通知 / 的报告 / 的请示 … are preferred when they cost little
//! evenness.

use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::text::{self, Unit};

/// Terms a civil-affairs title keeps whole that jieba's dictionary splits.
const DOMAIN_WORDS: &[&str] = &[
    "民政厅",
    "民政局",
    "婚姻登记",
    "收养登记",
    "殡葬管理",
    "社会救助",
    "养老服务",
    "儿童福利",
    "最低生活保障",
    "特困人员",
    "社会组织",
    "区划地名",
];

/// The 15 kinds of document, which a title ends with after 的.
const KINDS: &[&str] = &[
    "决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
    "批复", "议案", "函", "纪要",
];

static SEGMENTER: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in DOMAIN_WORDS {
        jieba.add_word(word, None, None);
    }
    jieba
});

/// How much evenness (squared cells) a preferred break is worth.
const PREFERRED: f32 = 4.0;
/// What a break inside 《》 or （） costs.
const INSIDE_BRACKETS: f32 = 6.0;

/// Where a title may break: before unit `k` when `allowed[k]`; `preferred[k]`
/// and `bracketed[k]` weigh the break.
#[derive(Debug, Default)]
struct Breaks {
    allowed: Vec<bool>,
    preferred: Vec<bool>,
    bracketed: Vec<bool>,
}

/// The words of `text` as char ranges.
pub(crate) fn words(text: &str) -> Vec<Range<usize>> {
    SEGMENTER
        .cut(text, true)
        .into_iter()
        .map(|t| t.start..t.end)
        .collect()
}

/// Lines of a title of `units` (cut from `text`) at most `cap` cells wide.
pub(crate) fn break_title(text: &str, units: &[Unit], cap: u32) -> Vec<Range<usize>> {
    let greedy = text::break_lines(units, cap, cap);
    if greedy.len() <= 1 {
        return greedy;
    }
    let breaks = breaks(text, units);
    let lens: Vec<u32> = units.iter().map(|u| u.cells).collect();
    let Some(fewest) = fewest_lines(&lens, &breaks.allowed, cap) else {
        // A word wider than the block: only characters can be broken.
        return text::break_balanced(units, cap);
    };
    for shaped in [true, false] {
        for n in fewest..=fewest + 1 {
            if let Some(best) = best_breaks(units, &breaks, cap, n, shaped) {
                return best;
            }
        }
    }
    text::break_balanced(units, cap)
}

/// Where the title may break, from its words.
fn breaks(text: &str, units: &[Unit]) -> Breaks {
    let chars: Vec<char> = text.chars().collect();
    let words = words(text);
    let starts: Vec<usize> = words.iter().map(|w| w.start).collect();
    // The closing 的 + kind, when the title has one: no break inside it, and
    // the break before it preferred.
    let closing_de = words.len().checked_sub(2).and_then(|k| {
        let de = words.get(k)?;
        let kind = words.get(k + 1)?;
        let kind_text: String = chars.get(kind.clone())?.iter().collect();
        let de_text: String = chars.get(de.clone())?.iter().collect();
        (de_text == "的" && KINDS.contains(&kind_text.as_str())).then_some(de.start)
    });
    let mut out = Breaks::default();
    let mut depth = 0i32;
    for (k, u) in units.iter().enumerate() {
        let first = u.chars.first();
        let at = first.map_or(0, |c| c.pos.saturating_sub(1));
        let prev = k.checked_sub(1).and_then(|p| units.get(p));
        let prev_last = prev.and_then(|p| p.chars.last()).map(|c| c.ch);
        let this_first = first.map(|c| c.ch);
        // A number keeps its unit (2026年度) and 第 its number (第3次).
        let number_unit = prev.is_some_and(|p| p.half)
            && prev_last.is_some_and(|c| c.is_ascii_digit())
            && !u.half;
        let ordinal = prev_last == Some('第') && this_first.is_some_and(|c| c.is_ascii_digit());
        let at_word_start = starts.contains(&at);
        let in_closing = closing_de.is_some_and(|s| at > s);
        out.allowed.push(
            k > 0
                && at_word_start
                && !number_unit
                && !ordinal
                && !in_closing
                && !bad_title_break(units, k),
        );
        let after_guanyu = k >= 2
            && units.get(k - 2..k).is_some_and(|p| {
                p.iter()
                    .flat_map(|u| u.chars.iter())
                    .map(|c| c.ch)
                    .eq("关于".chars())
            });
        out.preferred
            .push(after_guanyu || closing_de.is_some_and(|s| s == at));
        out.bracketed.push(depth > 0);
        for c in &u.chars {
            match c.ch {
                '《' | '（' | '(' | '「' | '“' => depth += 1,
                '》' | '）' | ')' | '」' | '”' => depth -= 1,
                _ => {}
            }
        }
    }
    out
}

fn bad_title_break(units: &[Unit], k: usize) -> bool {
    let no_start = units
        .get(k)
        .and_then(|u| u.chars.first())
        .is_some_and(|c| text::is_no_start(c.ch));
    let no_end = k
        .checked_sub(1)
        .and_then(|p| units.get(p))
        .and_then(|u| u.chars.last())
        .is_some_and(|c| text::is_no_end(c.ch));
    no_start || no_end
}

/// The fewest lines the allowed breaks give (greedy is optimal for that).
fn fewest_lines(lens: &[u32], allowed: &[bool], cap: u32) -> Option<usize> {
    let mut lines = 0;
    let mut i = 0;
    while i < lens.len() {
        let mut used = 0;
        let mut end = None;
        for (k, len) in lens.iter().enumerate().skip(i) {
            used += len;
            if used > cap {
                break;
            }
            if k + 1 == lens.len() || allowed.get(k + 1).copied().unwrap_or(false) {
                end = Some(k + 1);
            }
        }
        i = end?;
        lines += 1;
    }
    Some(lines)
}

/// The best `n` lines by evenness and preferred breaks; with `shaped`, only
/// trapezoids and diamonds (the longest line never below a shorter one's
/// rise: no line longer than the one above it after the widest).
fn best_breaks(
    units: &[Unit],
    breaks: &Breaks,
    cap: u32,
    n: usize,
    shaped: bool,
) -> Option<Vec<Range<usize>>> {
    let candidates: Vec<usize> = (1..units.len())
        .filter(|&k| breaks.allowed.get(k).copied().unwrap_or(false))
        .collect();
    let cells = |r: Range<usize>| text::line_cells(units.get(r).unwrap_or(&[]));
    let mut best: Option<(f32, Vec<Range<usize>>)> = None;
    let mut chosen = Vec::with_capacity(n);
    let mut visit = |cuts: &[usize]| {
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(units.len());
        let lines: Vec<Range<usize>> = bounds
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some(*a..*b),
                _ => None,
            })
            .collect();
        let lens: Vec<f32> = lines.iter().map(|r| cells(r.clone()) as f32).collect();
        if lens.iter().any(|&l| l > cap as f32 || l == 0.0) || (shaped && !well_shaped(&lens)) {
            return;
        }
        let mean = lens.iter().sum::<f32>() / lens.len() as f32;
        let mut cost: f32 = lens.iter().map(|l| (l - mean).powi(2)).sum();
        for &c in cuts {
            if breaks.preferred.get(c).copied().unwrap_or(false) {
                cost -= PREFERRED;
            }
            if breaks.bracketed.get(c).copied().unwrap_or(false) {
                cost += INSIDE_BRACKETS;
            }
        }
        // Cuts come in increasing order: on a tie the later, whose first
        // line is the longer, wins.
        let better = best.as_ref().is_none_or(|(b, _)| cost <= *b + 1e-4);
        if better {
            best = Some((cost, lines));
        }
    };
    choose(&candidates, n - 1, 0, &mut chosen, &mut visit);
    best.map(|(_, lines)| lines)
}

/// Calls `visit` with every increasing choice of `k` of `from[start..]`.
fn choose(
    from: &[usize],
    k: usize,
    start: usize,
    chosen: &mut Vec<usize>,
    visit: &mut impl FnMut(&[usize]),
) {
    if k == 0 {
        visit(chosen);
        return;
    }
    for (i, &c) in from.iter().enumerate().skip(start) {
        chosen.push(c);
        choose(from, k - 1, i + 1, chosen, visit);
        chosen.pop();
    }
}

/// Line lengths that rise to one widest line and then fall, the widest not
/// being the last (two lines: the longer on top).
fn well_shaped(lens: &[f32]) -> bool {
    let Some(peak) = lens
        .iter()
        .enumerate()
        .fold(None::<(usize, f32)>, |best, (i, &l)| match best {
            Some((_, b)) if b >= l => best,
            _ => Some((i, l)),
        })
        .map(|(i, _)| i)
    else {
        return true;
    };
    let rising = lens
        .get(..=peak)
        .is_some_and(|s| s.windows(2).all(|w| matches!(w, [a, b] if a <= b)));
    let falling = lens
        .get(peak..)
        .is_some_and(|s| s.windows(2).all(|w| matches!(w, [a, b] if a >= b)));
    rising && falling && (lens.len() < 2 || peak + 1 < lens.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Ch, is_half_width, units};

    /// A title's lines as a 22 pt face on the title grid would give them.
    fn chs(title: &str) -> Vec<Ch> {
        title
            .chars()
            .enumerate()
            .map(|(i, ch)| Ch {
                ch,
                face: 0,
                adv: if is_half_width(ch) { 0.5 } else { 1.0 },
                pos: i + 1,
                ink: None,
            })
            .collect()
    }

    fn title_lines(title: &str, cap: u32) -> Vec<String> {
        let us = units(&chs(title), cap);
        break_title(title, &us, cap)
            .into_iter()
            .map(|r| {
                us[r]
                    .iter()
                    .flat_map(|u| u.chars.iter().map(|c| c.ch))
                    .collect()
            })
            .collect()
    }

    /// Cells of a line as the grid counts them (a digit run takes whole cells).
    fn cells(line: &str) -> f32 {
        crate::text::line_cells(&units(&chs(line), 28)) as f32
    }

    #[test]
    fn a_title_breaks_between_words_not_inside_2026年度() {
        assert_eq!(
            title_lines("湖南省民政厅关于2026年度婚姻登记工作情况的报告", 20),
            ["湖南省民政厅关于2026年度", "婚姻登记工作情况的报告"]
        );
    }

    #[test]
    fn a_title_that_fits_stays_on_one_line() {
        assert_eq!(
            title_lines("关于做好婚姻登记工作的通知", 20),
            ["关于做好婚姻登记工作的通知"]
        );
    }

    #[test]
    fn titles_break_at_word_boundaries_longer_lines_on_top() {
        let titles = [
            "湖南省民政厅关于2026年度婚姻登记工作情况的报告",
            "湖南省民政厅关于做好2026年度全省婚姻登记工作的通知",
            "湖南省民政厅湖南省财政厅关于调整城乡最低生活保障标准的通知",
            "湖南省民政厅关于印发《湖南省婚姻登记工作规范》的通知",
            "关于进一步加强和改进全省殡葬管理服务工作推进殡葬改革的意见",
            "湖南省民政厅关于长沙市民政局申请增设婚姻登记处的批复",
            "湖南省民政厅关于开展第3次全国地名普查成果转化利用工作的通知",
            "湖南省民政厅关于2025年度全省养老服务体系建设和特困人员供养服务设施改造提升工作情况及2026年工作安排的报告",
        ];
        for title in titles {
            let lines = title_lines(title, 20);

            assert_eq!(lines.concat(), title);
            assert!(lines.len() >= 2, "{title}: {lines:?}");
            let lens: Vec<f32> = lines.iter().map(|l| cells(l)).collect();
            assert!(lens.iter().all(|&l| l <= 20.0), "{lines:?}");
            assert!(well_shaped(&lens), "{lines:?}");
            // Every break is the start of a word.
            let starts: Vec<usize> = words(title).iter().map(|w| w.start).collect();
            let mut at = 0;
            for line in &lines[..lines.len() - 1] {
                at += line.chars().count();
                assert!(
                    starts.contains(&at),
                    "{title}: {lines:?} breaks inside a word"
                );
            }
            for line in &lines {
                assert!(!line.ends_with(|c: char| c.is_ascii_digit()), "{lines:?}");
                assert!(!line.ends_with('的') && !line.ends_with('第'), "{lines:?}");
            }
            // Lines as even as the words allow: no two lines differ by more
            // than the half of the longest.
            let (max, min) = lens
                .iter()
                .fold((0f32, f32::MAX), |(a, b), &l| (a.max(l), b.min(l)));
            assert!(max - min <= max / 2.0, "{lines:?}");
        }
    }
}
