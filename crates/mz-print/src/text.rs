//! Chinese line breaking on a character grid.
//!
//! Text is cut into units: a full-width character takes one grid cell; a
//! doubled dash or ellipsis (—— ……) is one unit of two cells that is never
//! split; a run of half-width characters (digits, Latin letters, half-width
//! punctuation) takes ⌈n/2⌉ cells — two half-width characters to a cell — or
//! more when its measured width would need more than 10 % compression; the
//! run keeps its natural spacing and is centred in those cells (or squeezed
//! into them by at most 10 %). Every full-width
//! character therefore starts on a cell boundary and the grid holds.
//!
//! Lines are filled greedily; 避头尾 moves the break to the left (推出) when
//! the next line would begin with closing punctuation or this one would end
//! with an opening bracket, leaving the line one cell short rather than
//! overflowing the text block.

use std::ops::Range;

/// A character with what the layout resolved for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ch {
    pub ch: char,
    /// Face of the chain that prints it.
    pub face: usize,
    /// Advance width in grid cells at the size it is set in.
    pub adv: f32,
    /// 1-based position in the field's text (for error messages).
    pub pos: usize,
}

/// Characters that must not begin a line (closing punctuation).
const NO_START: &str = "，。、；：？！）」』”’》〉】〕〗］｝％‰℃·・,.;:?!)]}%";
/// Characters that must not end a line (opening brackets).
const NO_END: &str = "（「『“‘《〈【〔〖［｛([{·・";

/// Whether the character is set in half a cell (digits, Latin letters,
/// half-width punctuation). The middle dot of minority and foreign names is
/// set full-width, as GB 18030 encodes it.
pub(crate) fn is_half_width(c: char) -> bool {
    let u = u32::from(c);
    c != '·'
        && ((0x20..=0x7E).contains(&u)
            || (0xA0..=0x2FF).contains(&u)
            || (0x1E00..=0x1EFF).contains(&u)
            || (0xFF61..=0xFFDC).contains(&u))
}

pub(crate) fn is_no_start(c: char) -> bool {
    NO_START.contains(c)
}

pub(crate) fn is_no_end(c: char) -> bool {
    NO_END.contains(c)
}

/// One unbreakable piece of a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub chars: Vec<Ch>,
    pub half: bool,
    pub cells: u32,
}

impl Unit {
    fn first(&self) -> Option<char> {
        self.chars.first().map(|c| c.ch)
    }
    fn last(&self) -> Option<char> {
        self.chars.last().map(|c| c.ch)
    }
    fn no_start(&self) -> bool {
        self.first().is_some_and(is_no_start)
    }
    fn no_end(&self) -> bool {
        self.last().is_some_and(is_no_end)
    }
    fn is_space(&self) -> bool {
        self.chars.iter().all(|c| c.ch == ' ')
    }
}

/// Cells a half-width run of these characters takes.
fn half_run_cells(chars: &[Ch]) -> u32 {
    let natural = chars.len().div_ceil(2);
    let measured: f32 = chars.iter().map(|c| c.adv).sum();
    // Up to 10 % compression is allowed before the run takes more cells.
    let needed = (measured / 1.1 - 1e-3).ceil().max(1.0) as usize;
    natural.max(needed) as u32
}

/// Cuts text into units; half-width runs longer than `max_cells` are split
/// (after spaces where possible) so that every unit fits on a line.
pub(crate) fn units(chars: &[Ch], max_cells: u32) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = chars.get(i) {
        if is_half_width(c.ch) {
            let end = chars
                .iter()
                .skip(i)
                .position(|c| !is_half_width(c.ch))
                .map_or(chars.len(), |n| i + n);
            split_half_run(chars.get(i..end).unwrap_or(&[]), max_cells, &mut out);
            i = end;
        } else if (c.ch == '—' || c.ch == '…') && chars.get(i + 1).is_some_and(|n| n.ch == c.ch)
        {
            let pair: Vec<Ch> = chars.get(i..i + 2).map(<[Ch]>::to_vec).unwrap_or_default();
            out.push(Unit {
                chars: pair,
                half: false,
                cells: 2,
            });
            i += 2;
        } else {
            out.push(Unit {
                chars: vec![*c],
                half: false,
                cells: 1,
            });
            i += 1;
        }
    }
    out
}

fn split_half_run(run: &[Ch], max_cells: u32, out: &mut Vec<Unit>) {
    if run.is_empty() {
        return;
    }
    if half_run_cells(run) <= max_cells {
        out.push(Unit {
            chars: run.to_vec(),
            half: true,
            cells: half_run_cells(run),
        });
        return;
    }
    // Too long for one line: pieces that end after a space, else anywhere.
    let mut start = 0;
    while start < run.len() {
        let mut end = start + 1;
        let mut last_space_end = None;
        while end < run.len() && half_run_cells(run.get(start..=end).unwrap_or(&[])) <= max_cells {
            if run.get(end).is_some_and(|c| c.ch == ' ') {
                last_space_end = Some(end + 1);
            }
            end += 1;
        }
        if end < run.len()
            && let Some(space_end) = last_space_end
        {
            end = space_end;
        }
        let piece = run.get(start..end).unwrap_or(&[]);
        out.push(Unit {
            chars: piece.to_vec(),
            half: true,
            cells: half_run_cells(piece),
        });
        start = end;
    }
}

/// Breaks units into lines of at most `first_cap` cells (first line) and
/// `cap` cells (the others), obeying 避头尾 where possible.
pub(crate) fn break_lines(units: &[Unit], first_cap: u32, cap: u32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut i = 0;
    let mut width = first_cap;
    while i < units.len() {
        let mut j = i;
        let mut used = 0;
        while let Some(u) = units.get(j) {
            // Spaces may hang past the end of a line.
            if used + u.cells > width && !u.is_space() {
                break;
            }
            used += u.cells;
            j += 1;
        }
        if j == i {
            j = i + 1;
        }
        if j < units.len() {
            let bad = |k: usize| {
                units.get(k).is_some_and(Unit::no_start)
                    || k.checked_sub(1)
                        .and_then(|p| units.get(p))
                        .is_some_and(Unit::no_end)
            };
            let mut k = j;
            while k > i + 1 && bad(k) {
                k -= 1;
            }
            if !bad(k) {
                j = k;
            }
        }
        lines.push(i..j);
        i = j;
        width = cap;
    }
    lines
}

/// Breaks into as few lines as greedy breaking at `cap` gives, but with the
/// lines as even as possible, longer ones first (the trapezoid of a title).
pub(crate) fn break_balanced(units: &[Unit], cap: u32) -> Vec<Range<usize>> {
    let greedy = break_lines(units, cap, cap);
    if greedy.len() <= 1 {
        return greedy;
    }
    let total: u32 = units.iter().map(|u| u.cells).sum();
    let lines = greedy.len() as u32;
    let mut target = total.div_ceil(lines);
    while target < cap {
        let attempt = break_lines(units, target, target);
        if attempt.len() <= greedy.len() {
            return attempt;
        }
        target += 1;
    }
    greedy
}

/// Cells a line of units takes (trailing spaces not counted).
pub(crate) fn line_cells(units: &[Unit]) -> u32 {
    let end = units
        .iter()
        .rposition(|u| !u.is_space())
        .map_or(0, |p| p + 1);
    units
        .get(..end)
        .unwrap_or(&[])
        .iter()
        .map(|u| u.cells)
        .sum()
}

/// Places the characters of a line: (character, x in cells from the line
/// start). Spaces are not returned (they only take room).
pub(crate) fn place(units: &[Unit]) -> Vec<(Ch, f32)> {
    let mut out = Vec::new();
    let mut pos = 0.0f32;
    for u in units {
        let width = u.cells as f32;
        if u.half {
            let measured: f32 = u.chars.iter().map(|c| c.adv).sum();
            if measured <= width {
                // At natural spacing, centred in its cells.
                let mut x = pos + (width - measured) / 2.0;
                for c in &u.chars {
                    if c.ch != ' ' {
                        out.push((*c, x));
                    }
                    x += c.adv;
                }
            } else {
                let scale = width / measured;
                let mut x = pos;
                for c in &u.chars {
                    if c.ch != ' ' {
                        out.push((*c, x));
                    }
                    x += c.adv * scale;
                }
            }
        } else {
            let per = width / u.chars.len() as f32;
            for (k, c) in u.chars.iter().enumerate() {
                // A glyph narrower than its cell (the middle dot) is centred.
                let inset = if c.adv < per {
                    (per - c.adv) / 2.0
                } else {
                    0.0
                };
                out.push((*c, pos + k as f32 * per + inset));
            }
        }
        pos += width;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters as a 16 pt face on the body grid would give them: full
    /// width 1 cell, half width 0.5 cell.
    fn chs(text: &str) -> Vec<Ch> {
        text.chars()
            .enumerate()
            .map(|(i, ch)| Ch {
                ch,
                face: 0,
                adv: if is_half_width(ch) { 0.5 } else { 1.0 },
                pos: i + 1,
            })
            .collect()
    }

    fn lines_of(text: &str, first: u32, cap: u32) -> Vec<String> {
        let us = units(&chs(text), cap);
        break_lines(&us, first, cap)
            .into_iter()
            .map(|r| {
                us[r]
                    .iter()
                    .flat_map(|u| u.chars.iter().map(|c| c.ch))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Five cells a line: the comma would start line 2, so 丙 goes down with it.
        let lines = lines_of("甲乙丙丁戊，己庚", 5, 5);
        assert_eq!(lines, ["甲乙丙丁", "戊，己庚"]);
        for l in &lines {
            assert!(!is_no_start(l.chars().next().unwrap()), "{l}");
        }
    }

    #[test]
    fn a_run_of_closing_marks_is_pushed_out_together() {
        let lines = lines_of("甲乙丙丁。”戊", 4, 4);
        assert_eq!(lines, ["甲乙丙", "丁。”戊"]);
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        let lines = lines_of("甲乙丙（丁）戊", 4, 4);
        assert_eq!(lines, ["甲乙丙", "（丁）戊"]);
        assert!(lines.iter().all(|l| !is_no_end(l.chars().last().unwrap())));
    }

    #[test]
    fn dashes_and_ellipses_are_not_split() {
        let lines = lines_of("甲乙丙——丁", 4, 4);
        assert_eq!(lines, ["甲乙丙", "——丁"]);
        let lines = lines_of("甲乙丙……丁", 4, 4);
        assert_eq!(lines, ["甲乙丙", "……丁"]);
    }

    #[test]
    fn two_half_width_characters_share_a_cell() {
        let us = units(&chs("2016年"), 28);
        assert_eq!(us.len(), 2);
        assert_eq!(us[0].cells, 2);
        assert_eq!(line_cells(&us), 3);
        // An odd run rounds up so the next full-width character is on the grid.
        let us = units(&chs("1.第"), 28);
        assert_eq!(us[0].cells, 1);
        let us = units(&chs("123年"), 28);
        assert_eq!(us[0].cells, 2);
        let placed = place(&us);
        assert_eq!(placed.last().unwrap().1, 2.0, "年 starts on the third cell");
    }

    #[test]
    fn wide_latin_takes_more_cells() {
        // Four glyphs of 0.8 cell need 3.2 cells: more than 10 % over 2.
        let wide: Vec<Ch> = chs("WWWW")
            .into_iter()
            .map(|c| Ch { adv: 0.8, ..c })
            .collect();
        let us = units(&wide, 28);
        assert_eq!(us[0].cells, 3);
        // 2.2 cells squeeze into 2 (9 % compression).
        let tight: Vec<Ch> = chs("0000")
            .into_iter()
            .map(|c| Ch { adv: 0.55, ..c })
            .collect();
        assert_eq!(units(&tight, 28)[0].cells, 2);
    }

    #[test]
    fn a_full_line_holds_28_characters() {
        let text: String = "民".repeat(60);
        let lines = lines_of(&text, 26, 28);
        assert_eq!(
            lines.iter().map(|l| l.chars().count()).collect::<Vec<_>>(),
            [26, 28, 6]
        );
    }

    #[test]
    fn long_latin_is_split_after_spaces() {
        let text = "aaaa bbbb cccc dddd";
        let us = units(&chs(text), 5);
        assert!(us.iter().all(|u| u.cells <= 5));
        let joined: String = us
            .iter()
            .flat_map(|u| u.chars.iter().map(|c| c.ch))
            .collect();
        assert_eq!(joined, text);
        assert!(
            us.first()
                .unwrap()
                .chars
                .last()
                .is_some_and(|c| c.ch == ' ')
        );
    }

    #[test]
    fn balanced_title_lines_are_longer_on_top() {
        let us = units(&chs(&"题".repeat(25)), 20);
        let lines = break_balanced(&us, 20);
        let lens: Vec<usize> = lines.iter().map(|r| r.len()).collect();
        assert_eq!(lens, [13, 12]);
    }

    #[test]
    fn middle_dot_is_full_width_and_centred() {
        let mut cs = chs("阿依·买");
        cs[2].adv = 0.3;
        let us = units(&cs, 28);
        assert_eq!(line_cells(&us), 4);
        let placed = place(&us);
        assert!((placed[2].1 - 2.35).abs() < 1e-4);
    }
}
