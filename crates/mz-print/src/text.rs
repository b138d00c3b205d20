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
//! Paragraph lines are filled greedily ([`break_paragraph`]) and every line
//! but a paragraph's last ends on the block's right edge:
//!
//! - 推入 first: when the next character may not start a line (closing
//!   punctuation) and the line is full, the marks are pulled in and room is
//!   made by setting full-width punctuation inside the line half-width
//!   (标点挤压, as WPS and Word do): the blank half of the mark's cell goes,
//!   which half being read from the glyph's ink in its font.
//! - 推出 otherwise: the break moves left until 避头尾 holds and the line,
//!   now short, is justified: the spare space goes after its punctuation
//!   first (up to half a cell each), then between all its units.
//!
//! A line that needs neither keeps every full-width character on the grid.
//! Titles are never stretched: they break between words (crate::title),
//! falling back to [`break_balanced`] (lines as even as possible, longer
//! ones first) only when a word is wider than the block.

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
    /// For punctuation that can be set half-width: the left and right ends
    /// of its ink as fractions of its advance (from the face's glyph).
    pub ink: Option<(f32, f32)>,
}

/// Characters that must not begin a line (closing punctuation).
const NO_START: &str = "，。、；：？！）」』”’》〉】〕〗］｝％‰℃·・,.;:?!)]}%";
/// Characters that must not end a line (opening brackets).
const NO_END: &str = "（「『“‘《〈【〔〖［｛([{·・";
/// Full-width marks whose cell is half blank: set half-width when a line is
/// squeezed (标点挤压). Closing marks first, then opening brackets.
pub(crate) const SQUEEZABLE: &str = "、，。；：！？）」』”’》〉】〕〗］｝（「『“‘《〈【〔〖［｛";
/// Marks after which a justified line takes its spare space first.
const PAUSES: &str = "、，。；：！？）」』”’》〉】〕〗］｝";
/// Brackets before which a justified line takes its spare space first.
const OPENINGS: &str = "（「『“‘《〈【〔〖［｛";
/// How much a mark gives when squeezed (cells).
const HALF: f32 = 0.5;

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

    /// For a full-width mark that can be set half-width: how much of its
    /// cell to take off on the left (the rest comes off on the right) so
    /// that its ink stays inside the half cell left. `None` when the unit is
    /// not such a mark or its ink is wider than half a cell.
    fn squeeze_left(&self) -> Option<f32> {
        let [c] = self.chars.as_slice() else {
            return None;
        };
        if self.half || self.cells != 1 || !SQUEEZABLE.contains(c.ch) {
            return None;
        }
        let (a, b) = c.ink?;
        let inset = ((1.0 - c.adv) / 2.0).max(0.0);
        let (left, right) = (inset + a * c.adv, inset + b * c.adv);
        const SLACK: f32 = 0.02;
        if right <= HALF + SLACK {
            Some(0.0)
        } else if left >= HALF - SLACK {
            Some(HALF)
        } else if right - left <= HALF {
            Some(((left + right) / 2.0 - HALF / 2.0).clamp(0.0, HALF))
        } else {
            None
        }
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

/// A line of a paragraph: its units, the cells it is set in and whether it
/// must end on the right edge (every line but the paragraph's last).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub range: Range<usize>,
    pub width: u32,
    pub justify: bool,
}

/// Whether a break before unit `k` breaks 避头尾.
fn bad_break(units: &[Unit], k: usize) -> bool {
    units.get(k).is_some_and(Unit::no_start)
        || k.checked_sub(1)
            .and_then(|p| units.get(p))
            .is_some_and(Unit::no_end)
}

/// Half cells that squeezing the units' marks can give, the last unit's
/// excepted (it ends the line, so its whole cell stays).
fn squeeze_room(units: &[Unit]) -> f32 {
    let end = units.iter().rposition(|u| !u.is_space()).unwrap_or(0);
    units
        .get(..end)
        .unwrap_or(&[])
        .iter()
        .filter(|u| u.squeeze_left().is_some())
        .count() as f32
        * HALF
}

/// Breaks a paragraph into lines of `first_cap` cells (first line) and `cap`
/// cells (the others): greedy, with 避头尾 kept by 推入 where the line's
/// punctuation can give the room and by 推出 otherwise.
pub(crate) fn break_paragraph(units: &[Unit], first_cap: u32, cap: u32) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
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
        if j < units.len() && bad_break(units, j) {
            j = pull_in(units, i, j, width).unwrap_or_else(|| push_out(units, i, j));
        }
        lines.push(Line {
            range: i..j,
            width,
            justify: true,
        });
        i = j;
        width = cap;
    }
    if let Some(last) = lines.last_mut() {
        last.justify = false;
    }
    lines
}

/// 推入: the end of the line when the closing marks from `j` on can be
/// pulled into the line `i..j` by squeezing its punctuation.
fn pull_in(units: &[Unit], i: usize, j: usize, width: u32) -> Option<usize> {
    let prev_opens = j.checked_sub(1).and_then(|p| units.get(p))?.no_end();
    if prev_opens || !units.get(j).is_some_and(Unit::no_start) {
        return None;
    }
    let k = j + units.get(j..)?.iter().take_while(|u| u.no_start()).count();
    if k < units.len() && bad_break(units, k) {
        return None;
    }
    let line = units.get(i..k)?;
    let over = line_cells(line).saturating_sub(width) as f32;
    (over <= squeeze_room(line)).then_some(k)
}

/// 推出: the break moved left until 避头尾 holds (or left where it was
/// when nothing before it would do).
fn push_out(units: &[Unit], i: usize, j: usize) -> usize {
    let mut k = j;
    while k > i + 1 && bad_break(units, k) {
        k -= 1;
    }
    if bad_break(units, k) { j } else { k }
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

/// Places the characters of a line on the grid: (character, x in cells
/// from the line start). Spaces are not returned (they only take room).
#[cfg(test)]
pub(crate) fn place(units: &[Unit]) -> Vec<(Ch, f32)> {
    place_line(units, 0, false)
}

/// Places the characters of a line set in `width` cells: squeezed when its
/// units need more, justified to end on the edge when they need less and
/// `justify` is set, on the grid otherwise. Spaces are not returned.
pub(crate) fn place_line(units: &[Unit], width: u32, justify: bool) -> Vec<(Ch, f32)> {
    let end = units
        .iter()
        .rposition(|u| !u.is_space())
        .map_or(0, |p| p + 1);
    let body = units.get(..end).unwrap_or(&[]);
    let content = line_cells(units) as f32;
    let width = width as f32;
    // Per unit: cells taken off on the left and on the right, space added after.
    let mut trims = vec![(0.0f32, 0.0f32); units.len()];
    let mut after = vec![0.0f32; units.len()];
    // A half-width run ending a line that must end on the edge is set flush
    // right, and the room it leaves on its left is spread over the line
    // rather than left as a hole before it.
    let tail = end.checked_sub(1).filter(|_| justify && end >= 2);
    let tail_slack = tail
        .and_then(|k| body.get(k))
        .filter(|u| u.half)
        .map_or(0.0, |u| (u.cells as f32 - shown_width(u)).max(0.0));
    if content > width {
        squeeze(body, content - width, &mut trims);
    } else if justify && (content < width || tail_slack > 0.0) {
        if let Some(slot) = tail.and_then(|k| trims.get_mut(k)) {
            slot.0 = tail_slack;
        }
        stretch(body, width - content + tail_slack, &mut after);
    }
    let mut out = Vec::new();
    let mut pos = 0.0f32;
    for (k, u) in units.iter().enumerate() {
        let (left, right) = trims.get(k).copied().unwrap_or((0.0, 0.0));
        let cells = u.cells as f32;
        let x0 = pos - left;
        if u.half {
            // The line's last run ends on the edge when the line must.
            place_half(u, x0, cells, justify && k + 1 == end, &mut out);
        } else {
            let per = cells / u.chars.len() as f32;
            for (n, c) in u.chars.iter().enumerate() {
                // A glyph narrower than its cell (the middle dot) is centred.
                let inset = if c.adv < per {
                    (per - c.adv) / 2.0
                } else {
                    0.0
                };
                out.push((*c, x0 + n as f32 * per + inset));
            }
        }
        pos += cells - left - right + after.get(k).copied().unwrap_or(0.0);
    }
    out
}

/// A half-width run in `cells` from `x0`: at natural spacing, centred (or
/// flush right when `flush_right`); squeezed evenly when wider, its last
/// glyph then ending on the run's end.
fn place_half(u: &Unit, x0: f32, cells: f32, flush_right: bool, out: &mut Vec<(Ch, f32)>) {
    let shown = shown(u);
    let measured = shown_width(u);
    let (start, scale) = if measured <= cells {
        let slack = cells - measured;
        (if flush_right { slack } else { slack / 2.0 }, 1.0)
    } else {
        let last = shown.last().map_or(0.0, |c| c.adv);
        let inner = measured - last;
        let scale = if inner > 0.0 {
            (cells - last) / inner
        } else {
            1.0
        };
        (0.0, scale)
    };
    let mut x = x0 + start;
    for c in shown {
        if c.ch != ' ' {
            out.push((*c, x));
        }
        x += c.adv * scale;
    }
}

/// A half-width run without its trailing spaces.
fn shown(u: &Unit) -> &[Ch] {
    let visible = u
        .chars
        .iter()
        .rposition(|c| c.ch != ' ')
        .map_or(0, |p| p + 1);
    u.chars.get(..visible).unwrap_or(&[])
}

/// The natural width of a half-width run's characters, trailing spaces
/// left out.
fn shown_width(u: &Unit) -> f32 {
    shown(u).iter().map(|c| c.adv).sum()
}

/// Takes `over` cells out of a line by setting marks half-width: first
/// marks next to another mark (。” ，“), then the others from the line's
/// end back; never the line's last unit.
fn squeeze(body: &[Unit], over: f32, trims: &mut [(f32, f32)]) {
    let n = body.len();
    let is_mark = |k: usize| {
        body.get(k)
            .and_then(|u| u.chars.first())
            .is_some_and(|c| SQUEEZABLE.contains(c.ch))
    };
    let mut order: Vec<usize> = (0..n.saturating_sub(1))
        .rev()
        .filter(|&k| body.get(k).and_then(Unit::squeeze_left).is_some())
        .collect();
    // Stable: keeps end-first order within each group.
    order.sort_by_key(|&k| !(is_mark(k + 1) || k.checked_sub(1).is_some_and(is_mark)));
    let mut left_over = over;
    for k in order {
        if left_over <= 1e-4 {
            break;
        }
        let Some(t) = body.get(k).and_then(Unit::squeeze_left) else {
            continue;
        };
        let r = left_over.min(HALF);
        let left = t * r / HALF;
        if let Some(slot) = trims.get_mut(k) {
            *slot = (left, r - left);
        }
        left_over -= r;
    }
}

/// Spreads `spare` cells over a line's gaps: after its pauses (、，。 and
/// closing brackets) and before its opening brackets first, up to half a
/// cell each; what is left evenly between all its units.
fn stretch(body: &[Unit], spare: f32, after: &mut [f32]) {
    let gaps = body.len().saturating_sub(1);
    if gaps == 0 {
        return;
    }
    let is_pause = |k: usize| {
        body.get(k)
            .and_then(Unit::last)
            .is_some_and(|c| PAUSES.contains(c))
            || body
                .get(k + 1)
                .and_then(Unit::first)
                .is_some_and(|c| OPENINGS.contains(c))
    };
    let pauses: Vec<usize> = (0..gaps).filter(|&k| is_pause(k)).collect();
    let mut rest = spare;
    if !pauses.is_empty() {
        let each = (spare / pauses.len() as f32).min(HALF);
        for &k in &pauses {
            if let Some(a) = after.get_mut(k) {
                *a += each;
            }
        }
        rest -= each * pauses.len() as f32;
    }
    if rest > 1e-5 {
        let each = rest / gaps as f32;
        for a in after.iter_mut().take(gaps) {
            *a += each;
        }
    }
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
                // Pauses and closing brackets inked on the left half,
                // opening brackets on the right, as in a GB font.
                ink: SQUEEZABLE.contains(ch).then_some(if OPENINGS.contains(ch) {
                    (0.6, 0.9)
                } else {
                    (0.1, 0.4)
                }),
            })
            .collect()
    }

    fn lines_of(text: &str, first: u32, cap: u32) -> Vec<String> {
        let us = units(&chs(text), cap);
        break_paragraph(&us, first, cap)
            .into_iter()
            .map(|l| {
                us[l.range]
                    .iter()
                    .flat_map(|u| u.chars.iter().map(|c| c.ch))
                    .collect()
            })
            .collect()
    }

    /// Each line of a paragraph placed: (its text, x of each glyph, where
    /// its last glyph ends), in cells.
    fn set(text: &str, cap: u32) -> Vec<(String, Vec<f32>, f32)> {
        let us = units(&chs(text), cap);
        break_paragraph(&us, cap, cap)
            .into_iter()
            .map(|l| {
                let placed = place_line(&us[l.range], l.width, l.justify);
                let text = placed.iter().map(|(c, _)| c.ch).collect();
                let end = placed.last().map_or(0.0, |(c, x)| x + c.adv);
                (text, placed.iter().map(|p| p.1).collect(), end)
            })
            .collect()
    }

    #[test]
    fn line_breaking_table() {
        // (text, cells a line, lines): 推入 where the line's marks can give
        // the room, 推出 where they cannot.
        let cases: &[(&str, u32, &[&str])] = &[
            // Two commas give a cell: the full stop is pulled in.
            ("甲，乙，丙丁。戊己", 6, &["甲，乙，丙丁。", "戊己"]),
            // One comma gives half a cell: 丁 goes down with the full stop.
            ("甲，乙丙丁戊。己", 6, &["甲，乙丙丁", "戊。己"]),
            // 。” needs two cells, four marks: there are four.
            (
                "甲，乙，丙，丁，戊。”己",
                9,
                &["甲，乙，丙，丁，戊。”", "己"],
            ),
            // 。 inside the line gives half a cell too (only the last unit
            // keeps its cell): four marks, two cells.
            ("甲，乙，丙，丁。”己", 7, &["甲，乙，丙，丁。”", "己"]),
            // Three marks are not enough: 推出.
            ("甲，乙，丙丁戊。”己", 7, &["甲，乙，丙丁", "戊。”己"]),
            // An opening bracket is never pulled in or left at the end.
            ("甲，乙，丙（丁）戊", 6, &["甲，乙，丙", "（丁）戊"]),
            // The last unit's mark keeps its whole cell, so a line whose
            // only other mark is the last one cannot squeeze.
            ("甲乙丙丁，。戊", 5, &["甲乙丙", "丁，。戊"]),
            // A digit run is one unit of two cells; nothing to squeeze, so
            // 年 goes down with the comma.
            ("甲乙丙2026年，丁", 6, &["甲乙丙2026", "年，丁"]),
            // Nothing to do: full lines and a short last one.
            ("甲乙丙丁戊己庚辛壬癸", 4, &["甲乙丙丁", "戊己庚辛", "壬癸"]),
        ];
        for (text, cap, want) in cases {
            assert_eq!(lines_of(text, *cap, *cap), *want, "{text} in {cap} cells");
        }
    }

    #[test]
    fn every_line_but_the_last_ends_on_the_edge() {
        for (text, cap) in [
            ("甲，乙，丙丁。戊己", 6),
            ("甲，乙丙丁戊。己", 6),
            ("甲，乙，丙，丁，戊。”己", 9),
            ("甲，乙，丙，丁。”己", 7),
            ("甲乙丙丁，。戊", 5),
            ("甲乙（丙）丁戊己，庚辛", 5),
            ("甲乙丙123丁戊", 6),
            ("甲乙丙2026年，丁", 6),
            ("甲乙丙丁戊己庚辛壬癸", 4),
        ] {
            let lines = set(text, cap);
            let (body, last) = lines.split_at(lines.len() - 1);
            for (line, _, end) in body {
                assert!(
                    (end - cap as f32).abs() < 1e-3,
                    "{text}: {line} ends at {end}"
                );
            }
            // The last line is set on the grid, never stretched.
            let (line, xs, _) = &last[0];
            if !line.chars().any(is_half_width) {
                for x in xs {
                    assert_eq!(x.fract(), 0.0, "{text}: last line {line} at {x}");
                }
            }
        }
    }

    #[test]
    fn lines_that_need_nothing_stay_on_the_grid() {
        let lines = set("甲乙丙丁，戊己庚辛。壬癸子丑寅卯", 5);
        assert_eq!(lines[0].0, "甲乙丙丁，");
        for (line, xs, _) in &lines {
            for (k, x) in xs.iter().enumerate() {
                assert_eq!(*x, k as f32, "{line}");
            }
        }
    }

    #[test]
    fn a_squeezed_line_sets_its_marks_half_width() {
        let lines = set("甲，乙，丙丁。戊己", 6);
        // ， takes half a cell (its right half goes); the pulled-in 。 keeps
        // its whole cell, ending on the edge.
        assert_eq!(lines[0].1, [0.0, 1.0, 1.5, 2.5, 3.0, 4.0, 5.0]);
        // Marks next to another mark go first: 。 before ”, then the comma
        // nearest the end.
        let lines = set("甲，乙，丙，丁，戊。”己", 9);
        let xs = &lines[0].1;
        assert_eq!(xs[10] - xs[9], 0.5, "。 half-width before ”");
        assert_eq!(xs[8] - xs[7], 0.5, "the last comma");
        assert_eq!(xs[2] - xs[1], 1.0, "the first comma keeps its cell");
        assert_eq!(lines[0].2, 9.0);
        // An opening bracket's blank half is its left one.
        let us = units(&chs("甲（乙）丙"), 28);
        let mut trims = vec![(0.0, 0.0); us.len()];
        squeeze(&us, 1.0, &mut trims);
        assert_eq!(trims[1], (0.5, 0.0));
        assert_eq!(trims[3], (0.0, 0.5));
    }

    #[test]
    fn a_pushed_out_line_spreads_its_space_after_punctuation_first() {
        // 推出 leaves one cell: the comma takes half a cell, the other half
        // goes evenly between the four units.
        let lines = set("甲，乙丙丁戊。己", 6);
        let xs = &lines[0].1;
        assert_eq!(lines[0].0, "甲，乙丙丁");
        let gaps: Vec<f32> = xs.windows(2).map(|w| w[1] - w[0] - 1.0).collect();
        assert_eq!(gaps, [0.125, 0.625, 0.125, 0.125]);
        assert_eq!(lines[0].2, 6.0);
        // Without punctuation the space is even.
        let lines = set("甲乙丙丁（戊）", 5);
        assert_eq!(lines[0].0, "甲乙丙丁");
        let want = [0.0, 4.0 / 3.0, 8.0 / 3.0, 4.0];
        for (x, w) in lines[0].1.iter().zip(want) {
            assert!((x - w).abs() < 1e-5, "{:?}", lines[0].1);
        }
    }

    #[test]
    fn a_half_width_run_ending_a_line_ends_on_the_edge() {
        // 123 takes two cells; at a line's end it is set flush right and
        // the half cell it leaves goes between the units before it.
        let lines = set("甲乙丙丁123戊己", 6);
        assert_eq!(lines[0].0, "甲乙丙丁123");
        assert_eq!(lines[0].2, 6.0);
        assert_eq!(lines[0].1[..5], [0.0, 1.125, 2.25, 3.375, 4.5]);
        // In the last line it stays centred.
        let us = units(&chs("甲123"), 28);
        assert_eq!(place(&us)[1].1, 1.25);
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
