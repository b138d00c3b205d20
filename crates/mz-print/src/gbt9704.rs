//! Official documents (公文) laid out to GB/T 9704-2012.
//!
//! The page: A4, top margin 37 mm, left margin 28 mm, text block 156 × 225 mm.
//! Everything from the title down sits on the body grid of 22 lines × 28
//! characters (3号 = 16 pt); a line's em box starts at the top of its grid
//! line, so the first line of a page starts 37 mm from the top of the paper.
//! The header above the red separator is placed in millimetres as the
//! standard gives it (the mark's top 35 mm, or 80 mm for an upward document,
//! below the top of the block).

use crate::document::{DocumentRules, OfficialDocument, chinese_date, parse_date};
use crate::error::{Place, Result};
use crate::fonts::{FontLibrary, FontRole};
use crate::model::{Circle, Colour, Element, Item, Layout, Page, Rule, Shape, TextRun};
use crate::text::{self, Ch, Unit};
use crate::typeset::{Pen, em_mm, resolve, width};

pub const PAGE_W_MM: f32 = 210.0;
pub const PAGE_H_MM: f32 = 297.0;
/// 天头: from the top of the paper to the top of the text block.
pub const TOP_MM: f32 = 37.0;
/// 订口: from the left edge of the paper to the text block.
pub const LEFT_MM: f32 = 28.0;
pub const BLOCK_W_MM: f32 = 156.0;
pub const BLOCK_H_MM: f32 = 225.0;
/// Lines a page and characters a line of body text.
pub const LINES: usize = 22;
pub const CHARS: u32 = 28;
/// The grid's line pitch and cell width.
pub const LINE_MM: f32 = BLOCK_H_MM / LINES as f32;
pub const CELL_MM: f32 = BLOCK_W_MM / CHARS as f32;
/// 2号, 3号, 4号 in points.
pub const SIZE_2HAO: f32 = 22.0;
pub const SIZE_3HAO: f32 = 16.0;
pub const SIZE_4HAO: f32 = 14.0;
/// The issuing-body mark: 初号 (42 pt), smaller when the name is too long
/// for the block.
pub const MARK_PT: f32 = 42.0;
/// The names of a joint document's mark: 一号 (26 pt).
pub const JOINT_MARK_PT: f32 = 26.0;
/// Width of the red separator.
pub const SEPARATOR_MM: f32 = 0.5;
/// Footer rules: first and last thick, those between thin.
pub const FOOTER_THICK_MM: f32 = 0.35;
pub const FOOTER_THIN_MM: f32 = 0.25;
/// The page number's em box starts this far below the text block.
pub const PAGE_NUMBER_GAP_MM: f32 = 7.0;
/// The seal: a 42 mm circle.
pub const SEAL_RADIUS_MM: f32 = 21.0;

/// Top of grid line `row` (0-based) of a page.
pub fn row_top(row: usize) -> f32 {
    TOP_MM + row as f32 * LINE_MM
}

const BLOCK_RIGHT_MM: f32 = LEFT_MM + BLOCK_W_MM;
const BLOCK_BOTTOM_MM: f32 = TOP_MM + BLOCK_H_MM;

/// A grid line of content with its items placed relative to the line's top.
#[derive(Debug, Clone, Default)]
struct Row {
    items: Vec<Item>,
}

impl Row {
    fn blank() -> Self {
        Row::default()
    }
    fn is_blank(&self) -> bool {
        self.items.is_empty()
    }
}

/// The signature, date, seal and note: kept together on one page, with at
/// least one line of text before them on that page.
#[derive(Debug, Default)]
struct SignatureBlock {
    /// Blank grid lines between the last line of text and the first
    /// signature line.
    gap: usize,
    /// Grid lines the block takes from its first signature line on.
    rows: usize,
    /// Items relative to the top of the first signature line.
    items: Vec<Item>,
}

/// Lays out an official document. Every character is checked against the
/// font chains first: a character no font covers is an error that names it
/// and its place.
pub fn layout_document(doc: &OfficialDocument, fonts: &FontLibrary) -> Result<Layout> {
    doc.validate()?;
    let s = Setter { fonts };
    let mut first_page = Vec::new();

    // 份号, 密级和保密期限, 紧急程度: top left, one line each, in that order.
    let mut header_row = 0;
    // 顶格: flush with the block's left edge, at the characters' own widths.
    let mut corner = |text: &str, field: &str, role: FontRole, element: Element| -> Result<()> {
        let chs = s.measured(text, role, SIZE_3HAO, field)?;
        let pen = Pen::new(role, SIZE_3HAO, element);
        first_page.extend(pen.measured_line(&chs, LEFT_MM, row_top(header_row)));
        header_row += 1;
        Ok(())
    };
    if let Some(copy_no) = &doc.copy_no {
        corner(copy_no, "copy_no", FontRole::Hei, Element::CopyNo)?;
    }
    if let Some(text) = doc.classification_text() {
        corner(
            &text,
            "classification",
            FontRole::Hei,
            Element::Classification,
        )?;
    }
    if let Some(urgency) = doc.urgency {
        corner(urgency.as_str(), "urgency", FontRole::Hei, Element::Urgency)?;
    }

    // 发文机关标志.
    let mark_top = TOP_MM + if doc.upward { 80.0 } else { 35.0 };
    let mark_bottom = s.mark(doc, mark_top, &mut first_page)?;

    // 发文字号 two lines below the mark; 签发人 beside it for upward documents.
    let number_top = mark_bottom + 2.0 * LINE_MM;
    let number_units = s.units(&doc.doc_number, FontRole::Body, "doc_number", CHARS)?;
    let number_pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::DocNumber);
    let number_line_top = if doc.upward {
        let last_top = s.signers(doc, number_top, &mut first_page)?;
        first_page.extend(number_pen.grid_line(
            &number_units,
            LEFT_MM + CELL_MM,
            CELL_MM,
            last_top,
        ));
        last_top
    } else {
        let w = text::line_cells(&number_units) as f32 * CELL_MM;
        let x0 = LEFT_MM + (BLOCK_W_MM - w) / 2.0;
        first_page.extend(number_pen.grid_line(&number_units, x0, CELL_MM, number_top));
        number_top
    };

    // The red separator 4 mm below the document number.
    let red_y = number_line_top + em_mm(SIZE_3HAO) + 4.0;
    first_page.push(Item::Rule(Rule {
        element: Element::Separator,
        x1_mm: LEFT_MM,
        y1_mm: red_y,
        x2_mm: BLOCK_RIGHT_MM,
        y2_mm: red_y,
        width_mm: SEPARATOR_MM,
        colour: Colour::RED,
    }));

    // From the title on, content flows on the grid.
    let mut rows: Vec<Row> = Vec::new();
    let title_row = ((red_y + SEPARATOR_MM / 2.0 - TOP_MM) / LINE_MM).ceil() as usize + 2;
    rows.extend(s.title(doc)?);
    rows.push(Row::blank());
    if !doc.recipients.is_empty() {
        let text = format!("{}：", doc.recipients.join("，"));
        let pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Recipients);
        rows.extend(s.paragraph(&text, "recipients", &pen, 0, 0)?);
    }
    for (i, p) in doc.body.iter().enumerate() {
        let role = match p.level {
            1 => FontRole::Hei,
            2 => FontRole::Kai,
            _ => FontRole::Body,
        };
        let pen = Pen::new(role, SIZE_3HAO, Element::Body(p.level));
        // An indent typed into the text is dropped: the layout indents.
        let text = p.text.trim_start_matches([' ', '\u{3000}']).trim_end();
        let dropped =
            p.text.chars().count() - p.text.trim_start_matches([' ', '\u{3000}']).chars().count();
        rows.extend(
            s.paragraph(text, &format!("body[{i}].text"), &pen, 2, 0)
                .map_err(|e| moved_place(e, |pos| pos + dropped))?,
        );
    }
    if !doc.attachments.is_empty() {
        rows.push(Row::blank());
        rows.extend(s.attachments(doc)?);
    }
    let signature = s.signature_block(doc)?;

    let mut pages = paginate(first_page, rows, title_row, signature);
    let last_content = pages.len().saturating_sub(1);
    for (i, page) in pages.iter_mut().enumerate() {
        page.number = Some(i as u32 + 1);
    }
    s.footer(doc, &mut pages, last_content)?;
    for page in &mut pages {
        if let Some(n) = page.number {
            let items = s.page_number(n)?;
            page.items.extend(items);
        }
    }
    Ok(Layout {
        title: doc.title.clone(),
        pages,
    })
}

/// Places rows on pages from `first_row` of page 1, then the signature
/// block; returns the pages with content.
fn paginate(
    first_page: Vec<Item>,
    rows: Vec<Row>,
    first_row: usize,
    sig: SignatureBlock,
) -> Vec<Page> {
    let mut slots: Vec<Option<(usize, usize)>> = Vec::with_capacity(rows.len());
    let (mut page, mut row) = (0usize, first_row);
    for r in &rows {
        if row >= LINES {
            page += 1;
            row = 0;
        }
        if r.is_blank() && row == 0 && page > 0 {
            // A blank line never opens a page.
            slots.push(None);
            continue;
        }
        slots.push(Some((page, row)));
        row += 1;
    }
    // Trailing blank lines do not count as text before the signature.
    let last_text = rows.iter().rposition(|r| !r.is_blank());
    if let Some(last) = last_text
        && let Some(Some((p, r))) = slots.get(last).copied()
    {
        page = p;
        row = r + 1;
    }
    if row + sig.gap + sig.rows > LINES {
        // The block does not fit: the last line of text goes over with it,
        // so that no page holds a signature or seal without text.
        if let Some(last) = last_text
            && let Some(slot) = slots.get_mut(last)
            && let Some((p, r)) = *slot
            && r > 0
        {
            *slot = Some((p + 1, 0));
            page = p + 1;
            row = 1;
        } else {
            page += 1;
            row = 0;
        }
    }
    let sig_row = row + sig.gap;

    let mut pages = vec![Page::a4()];
    if let Some(p) = pages.first_mut() {
        p.items = first_page;
    }
    let mut put = |page: usize, items: Vec<Item>, dy: f32| {
        while pages.len() <= page {
            pages.push(Page::a4());
        }
        if let Some(p) = pages.get_mut(page) {
            p.items.extend(items.into_iter().map(|mut i| {
                shift(&mut i, dy);
                i
            }));
        }
    };
    for (r, slot) in rows.into_iter().zip(slots) {
        if let Some((p, row)) = slot {
            put(p, r.items, row_top(row));
        }
    }
    put(page, sig.items, row_top(sig_row));
    pages
}

fn shift(item: &mut Item, dy: f32) {
    match item {
        Item::Text(t) => {
            t.top_mm += dy;
            t.baseline_mm += dy;
        }
        Item::Rule(r) => {
            r.y1_mm += dy;
            r.y2_mm += dy;
        }
        Item::Circle(c) => c.cy_mm += dy,
        Item::Shape(s) => {
            for p in &mut s.points_mm {
                p.1 += dy;
            }
        }
    }
}

struct Setter<'a> {
    fonts: &'a FontLibrary,
}

impl Setter<'_> {
    /// Units of body-grid text (16 pt on 5.57 mm cells).
    fn units(&self, text: &str, role: FontRole, field: &str, cap: u32) -> Result<Vec<Unit>> {
        let chs = resolve(
            self.fonts,
            text,
            role,
            SIZE_3HAO,
            CELL_MM,
            &Place::field(field),
        )?;
        Ok(text::units(&chs, cap))
    }

    /// Characters with advances in millimetres (text set at its own widths).
    fn measured(&self, text: &str, role: FontRole, size: f32, field: &str) -> Result<Vec<Ch>> {
        resolve(self.fonts, text, role, size, 1.0, &Place::field(field))
    }

    /// A paragraph on the body grid: first line indented `first` cells,
    /// the others `rest` cells.
    fn paragraph(
        &self,
        text: &str,
        field: &str,
        pen: &Pen,
        first: u32,
        rest: u32,
    ) -> Result<Vec<Row>> {
        let units = self.units(text, pen.role, field, CHARS - rest.max(first))?;
        Ok(lines_to_rows(&units, pen, first, rest))
    }

    fn mark(&self, doc: &OfficialDocument, top: f32, out: &mut Vec<Item>) -> Result<f32> {
        if doc.issuers.len() >= 2 {
            return self.joint_mark(doc, top, out);
        }
        let mut size = MARK_PT;
        let mut chs = self.measured(&doc.issuer_mark, FontRole::Title, size, "issuer_mark")?;
        let w = width(&chs);
        if w > BLOCK_W_MM {
            size *= BLOCK_W_MM / w;
            chs = self.measured(&doc.issuer_mark, FontRole::Title, size, "issuer_mark")?;
        }
        let x0 = LEFT_MM + (BLOCK_W_MM - width(&chs)) / 2.0;
        let pen = Pen::new(FontRole::Title, size, Element::IssuerMark).red();
        out.extend(pen.measured_line(&chs, x0, top));
        Ok(top + em_mm(size))
    }

    /// Joint documents: the issuers' names stacked, spread to one width,
    /// and “文件” beside them, centred on the stack.
    fn joint_mark(&self, doc: &OfficialDocument, top: f32, out: &mut Vec<Item>) -> Result<f32> {
        let suffix = doc.issuer_mark.trim().ends_with("文件").then_some("文件");
        let mut size = JOINT_MARK_PT;
        loop {
            let pitch = em_mm(size) * 1.3;
            let names = doc
                .issuers
                .iter()
                .enumerate()
                .map(|(i, n)| self.measured(n, FontRole::Title, size, &format!("issuers[{i}]")))
                .collect::<Result<Vec<_>>>()?;
            let names_w = names.iter().map(|n| width(n)).fold(0.0, f32::max);
            let stack_h = (names.len() - 1) as f32 * pitch + em_mm(size);
            let suffix_size = (stack_h / em_mm(1.0)).min(MARK_PT);
            let suffix_chs = match suffix {
                Some(s) => self.measured(s, FontRole::Title, suffix_size, "issuer_mark")?,
                None => Vec::new(),
            };
            let gap = if suffix.is_some() { em_mm(size) } else { 0.0 };
            let total = names_w + gap + width(&suffix_chs);
            if total > BLOCK_W_MM && size > 8.0 {
                size *= BLOCK_W_MM / total;
                continue;
            }
            let x0 = LEFT_MM + (BLOCK_W_MM - total) / 2.0;
            let pen = Pen::new(FontRole::Title, size, Element::IssuerMark).red();
            for (i, name) in names.iter().enumerate() {
                let placed = spread(name, x0, names_w);
                out.extend(pen.runs(&placed, top + i as f32 * pitch));
            }
            if !suffix_chs.is_empty() {
                let pen = Pen::new(FontRole::Title, suffix_size, Element::IssuerMark).red();
                let suffix_top = top + (stack_h - em_mm(suffix_size)) / 2.0;
                out.extend(pen.measured_line(&suffix_chs, x0 + names_w + gap, suffix_top));
            }
            return Ok(top + stack_h);
        }
    }

    /// 签发人 lines, right-aligned one character in from the right; returns
    /// the top of the last line, where the document number goes.
    fn signers(&self, doc: &OfficialDocument, top: f32, out: &mut Vec<Item>) -> Result<f32> {
        let label = self.units("签发人：", FontRole::Body, "signers", CHARS)?;
        let label_cells = text::line_cells(&label);
        let names = doc
            .signers
            .iter()
            .enumerate()
            .map(|(i, n)| self.units(n, FontRole::Kai, &format!("signers[{i}]"), CHARS))
            .collect::<Result<Vec<_>>>()?;
        // Two names a line, one cell apart; later lines under the first name.
        let lines: Vec<&[Vec<Unit>]> = names.chunks(2).collect();
        let line_cells = |line: &[Vec<Unit>]| -> u32 {
            line.iter().map(|n| text::line_cells(n)).sum::<u32>() + line.len() as u32 - 1
        };
        let widest = lines.iter().map(|l| line_cells(l)).max().unwrap_or(0);
        let names_x = BLOCK_RIGHT_MM - CELL_MM - widest as f32 * CELL_MM;
        let label_pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Signer);
        let name_pen = Pen::new(FontRole::Kai, SIZE_3HAO, Element::Signer);
        out.extend(label_pen.grid_line(
            &label,
            names_x - label_cells as f32 * CELL_MM,
            CELL_MM,
            top,
        ));
        let mut line_top = top;
        for (k, line) in lines.iter().enumerate() {
            line_top = top + k as f32 * LINE_MM;
            let mut x = names_x;
            for name in line.iter() {
                out.extend(name_pen.grid_line(name, x, CELL_MM, line_top));
                x += (text::line_cells(name) + 1) as f32 * CELL_MM;
            }
        }
        Ok(line_top)
    }

    /// The title: 2号 小标宋, centred, wrapped into balanced lines that get
    /// shorter downwards, one grid line each.
    fn title(&self, doc: &OfficialDocument) -> Result<Vec<Row>> {
        let cell = em_mm(SIZE_2HAO);
        let cap = (BLOCK_W_MM / cell).floor() as u32;
        let chs = resolve(
            self.fonts,
            &doc.title,
            FontRole::Title,
            SIZE_2HAO,
            cell,
            &Place::field("title"),
        )?;
        let units = text::units(&chs, cap);
        let pen = Pen::new(FontRole::Title, SIZE_2HAO, Element::Title);
        Ok(crate::title::break_title(&doc.title, &units, cap)
            .into_iter()
            .map(|r| {
                let line = units.get(r).unwrap_or(&[]);
                let w = text::line_cells(line) as f32 * cell;
                Row {
                    items: pen.grid_line(line, LEFT_MM + (BLOCK_W_MM - w) / 2.0, cell, 0.0),
                }
            })
            .collect())
    }

    /// 附件说明: “附件：” two cells in; several attachments are numbered and
    /// aligned under the first; a long title wraps under its own first
    /// character.
    fn attachments(&self, doc: &OfficialDocument) -> Result<Vec<Row>> {
        let pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Attachments);
        let label_cells = 3; // 附件：
        let mut rows = Vec::new();
        let single = doc.attachments.len() == 1;
        for (i, title) in doc.attachments.iter().enumerate() {
            let field = format!("attachments[{i}]");
            let number = if single {
                String::new()
            } else {
                format!("{}.", i + 1)
            };
            let number_cells = text::line_cells(&self.units(&number, pen.role, &field, CHARS)?);
            let prefix = if i == 0 { "附件：" } else { "" };
            let text = format!("{prefix}{number}{title}");
            let first = if i == 0 { 2 } else { 2 + label_cells };
            let rest = 2 + label_cells + number_cells;
            // Positions in error messages count from the title itself.
            let offset = prefix.chars().count() + number.chars().count();
            let units = self
                .units(&text, pen.role, &field, CHARS - rest)
                .map_err(|e| shift_place(e, offset))?;
            rows.extend(lines_to_rows(&units, &pen, first, rest));
        }
        Ok(rows)
    }

    fn signature_block(&self, doc: &OfficialDocument) -> Result<SignatureBlock> {
        let date = doc.date_text()?;
        let date_units = self.units(&date, FontRole::Body, "date", CHARS)?;
        let date_cells = text::line_cells(&date_units);
        let sig_pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Signature);
        let date_pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Date);
        let names: Vec<(String, String)> = if doc.issuers.len() >= 2 {
            doc.issuers
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), format!("issuers[{i}]")))
                .collect()
        } else {
            vec![(doc.signature.clone(), "signature".to_owned())]
        };
        let name_units = names
            .iter()
            .map(|(n, f)| self.units(n, FontRole::Body, f, CHARS))
            .collect::<Result<Vec<_>>>()?;
        let mut block = SignatureBlock::default();
        if !doc.sealed {
            // 不加盖印章: one blank line, the signature two cells in from the
            // right, the date below starting two cells right of the
            // signature; when the date is the longer, it takes the two-cell
            // margin and the signature moves left.
            block.gap = 1;
            let sig_cells = name_units
                .iter()
                .map(|u| text::line_cells(u))
                .max()
                .unwrap_or(0);
            let (sig_start, date_start) = if sig_cells >= date_cells + 2 {
                let s = CHARS.saturating_sub(2 + sig_cells);
                (s, s + 2)
            } else {
                let d = CHARS.saturating_sub(2 + date_cells);
                (d.saturating_sub(2), d)
            };
            for (k, units) in name_units.iter().enumerate() {
                block.items.extend(sig_pen.grid_line(
                    units,
                    LEFT_MM + sig_start as f32 * CELL_MM,
                    CELL_MM,
                    k as f32 * LINE_MM,
                ));
            }
            block.items.extend(date_pen.grid_line(
                &date_units,
                LEFT_MM + date_start as f32 * CELL_MM,
                CELL_MM,
                name_units.len() as f32 * LINE_MM,
            ));
            block.rows = name_units.len() + 1;
        } else {
            // 加盖印章: the date four cells in from the right; each seal over
            // its body's name with name and date below the seal's centre, its
            // top within one line of the text above (two blank lines).
            block.gap = 2;
            let date_start = CHARS.saturating_sub(4 + date_cells);
            let date_x = LEFT_MM + date_start as f32 * CELL_MM;
            let date_centre = date_x + date_cells as f32 * CELL_MM / 2.0;
            let per_row = 3usize;
            let seal_rows = name_units.len().div_ceil(per_row);
            // Rows between one row of seals and the next: a seal is 42 mm.
            let seal_pitch = ((2.0 * SEAL_RADIUS_MM + 2.0) / LINE_MM).ceil() as usize;
            for (k, chunk) in name_units.chunks(per_row).enumerate() {
                let row_y = (k * seal_pitch) as f32 * LINE_MM;
                let n = chunk.len();
                for (j, units) in chunk.iter().enumerate() {
                    let centre = if name_units.len() == 1 {
                        date_centre
                    } else {
                        LEFT_MM + BLOCK_W_MM / n as f32 * (j as f32 + 0.5)
                    };
                    let w = text::line_cells(units) as f32 * CELL_MM;
                    block
                        .items
                        .extend(sig_pen.grid_line(units, centre - w / 2.0, CELL_MM, row_y));
                    let name = names
                        .get(k * per_row + j)
                        .map_or(doc.signature.as_str(), |(n, _)| n.as_str());
                    let field = names
                        .get(k * per_row + j)
                        .map_or("signature", |(_, f)| f.as_str());
                    block
                        .items
                        .extend(self.seal(name, field, centre, row_y - 1.0)?);
                }
            }
            let date_row = (seal_rows - 1) * seal_pitch + 1;
            block.items.extend(date_pen.grid_line(
                &date_units,
                date_x,
                CELL_MM,
                date_row as f32 * LINE_MM,
            ));
            block.rows = date_row + 1;
        }
        if let Some(note) = &doc.note {
            // 附注: the line below the date, two cells in, in parentheses.
            let note = note.trim();
            let wrapped = if note.starts_with('（') && note.ends_with('）') {
                note.to_owned()
            } else {
                format!("（{note}）")
            };
            let offset = usize::from(wrapped != note);
            let pen = Pen::new(FontRole::Body, SIZE_3HAO, Element::Note);
            let units = self
                .units(&wrapped, pen.role, "note", CHARS)
                .map_err(|e| shift_place(e, offset))?;
            for (k, row) in lines_to_rows(&units, &pen, 2, 0).into_iter().enumerate() {
                let dy = (block.rows + k) as f32 * LINE_MM;
                block.items.extend(row.items.into_iter().map(|mut i| {
                    shift(&mut i, dy);
                    i
                }));
            }
            block.rows += text::break_paragraph(&units, CHARS - 2, CHARS).len();
        }
        Ok(block)
    }

    /// A red seal: a circle, a star, and the body's name along the top.
    fn seal(&self, name: &str, field: &str, cx: f32, cy: f32) -> Result<Vec<Item>> {
        let mut items = vec![Item::Circle(Circle {
            element: Element::Seal,
            cx_mm: cx,
            cy_mm: cy,
            r_mm: SEAL_RADIUS_MM,
            width_mm: 1.0,
            colour: Colour::RED,
        })];
        let star_r = 5.5;
        let points = (0..10)
            .map(|k| {
                let r = if k % 2 == 0 { star_r } else { star_r * 0.382 };
                let a = std::f32::consts::PI * k as f32 / 5.0;
                (cx + r * a.sin(), cy - r * a.cos())
            })
            .collect();
        items.push(Item::Shape(Shape {
            element: Element::Seal,
            points_mm: points,
            colour: Colour::RED,
        }));
        let chars: Vec<char> = name.chars().collect();
        let n = chars.len().max(1) as f32;
        let mut size = 13.0f32;
        let radius = |size: f32| SEAL_RADIUS_MM - 1.5 - em_mm(size) / 2.0;
        let max_span = 250f32.to_radians();
        let mut step = em_mm(size) * 1.05 / radius(size);
        if step * n > max_span {
            step = max_span / n;
            size = (step * radius(size) / 1.05 / em_mm(1.0)).max(6.0);
        }
        let r = radius(size);
        let e = em_mm(size);
        let chs = resolve(
            self.fonts,
            name,
            FontRole::Song,
            size,
            1.0,
            &Place::field(field),
        )?;
        for (i, c) in chs.iter().enumerate() {
            if c.ch == ' ' {
                continue;
            }
            let theta = (i as f32 - (n - 1.0) / 2.0) * step;
            let (sin, cos) = theta.sin_cos();
            // Centre of the character's em box on the arc; its origin
            // (left end of the baseline) relative to that centre, rotated
            // clockwise by theta on the page.
            let (ccx, ccy) = (cx + r * sin, cy - r * cos);
            let (ox, oy) = (-e / 2.0, 0.38 * e);
            let x = ccx + ox * cos - oy * sin;
            let y = ccy + ox * sin + oy * cos;
            items.push(Item::Text(TextRun {
                element: Element::Seal,
                role: FontRole::Song,
                face: c.face,
                size_pt: size,
                top_mm: y - crate::model::EM_ASCENT * e,
                baseline_mm: y,
                colour: Colour::RED,
                rotation_deg: -theta.to_degrees(),
                glyphs: vec![crate::model::Glyph { ch: c.ch, x_mm: x }],
            }));
        }
        Ok(items)
    }

    /// 版记 on the last even page: 抄送 and 印发机关/印发日期 in 4号 仿宋, one
    /// character in from each side, between thick rules (the last on the
    /// bottom of the text block) with a thin rule between the two.
    fn footer(&self, doc: &OfficialDocument, pages: &mut Vec<Page>, last: usize) -> Result<()> {
        let em = em_mm(SIZE_4HAO);
        let cap = ((BLOCK_W_MM - 2.0 * em) / em).floor() as u32;
        let mut rows: Vec<Vec<Item>> = Vec::new();
        let text_top = (LINE_MM - em) / 2.0;
        if !doc.cc.is_empty() {
            let text = format!("抄送：{}。", doc.cc.join("，"));
            let chs = resolve(
                self.fonts,
                &text,
                FontRole::Body,
                SIZE_4HAO,
                em,
                &Place::field("cc"),
            )
            .map_err(|e| shift_place(e, 3))?;
            let units = text::units(&chs, cap - 3);
            let pen = Pen::new(FontRole::Body, SIZE_4HAO, Element::Cc);
            for (k, line) in text::break_paragraph(&units, cap, cap - 3)
                .into_iter()
                .enumerate()
            {
                let indent = if k == 0 { 0.0 } else { 3.0 * em };
                let line_units = units.get(line.range.clone()).unwrap_or(&[]);
                rows.push(pen.paragraph_line(
                    line_units,
                    &line,
                    LEFT_MM + em + indent,
                    em,
                    text_top,
                ));
            }
        }
        let cc_rows = rows.len();
        if let (Some(printer), Some(date)) = (&doc.printer, &doc.print_date) {
            let pen = Pen::new(FontRole::Body, SIZE_4HAO, Element::Printer);
            let chs = resolve(
                self.fonts,
                printer,
                FontRole::Body,
                SIZE_4HAO,
                em,
                &Place::field("printer"),
            )?;
            let mut items = pen.grid_line(&text::units(&chs, cap), LEFT_MM + em, em, text_top);
            let date_text = format!("{}印发", chinese_date(parse_date("print_date", date)?));
            let chs = resolve(
                self.fonts,
                &date_text,
                FontRole::Body,
                SIZE_4HAO,
                em,
                &Place::field("print_date"),
            )?;
            let units = text::units(&chs, cap);
            let w = text::line_cells(&units) as f32 * em;
            items.extend(pen.grid_line(&units, BLOCK_RIGHT_MM - em - w, em, text_top));
            rows.push(items);
        }
        if rows.is_empty() {
            return Ok(());
        }
        let k = rows.len();
        let first_row = LINES - k;
        // Where the footer goes: the last page if it is even and has room
        // below its text, else a new even page (after a blank one if needed).
        let last_page_no = last + 1;
        let used_rows = pages.get(last).map_or(LINES, last_used_row);
        let target = if last_page_no.is_multiple_of(2) && used_rows < first_row {
            last
        } else if last_page_no.is_multiple_of(2) {
            last + 2
        } else {
            last + 1
        };
        while pages.len() <= target {
            pages.push(Page::a4());
        }
        let Some(page) = pages.get_mut(target) else {
            return Ok(());
        };
        for (k, items) in rows.into_iter().enumerate() {
            let dy = row_top(first_row + k);
            page.items.extend(items.into_iter().map(|mut i| {
                shift(&mut i, dy);
                i
            }));
        }
        let rule = |y: f32, w: f32| {
            Item::Rule(Rule {
                element: Element::FooterRule,
                x1_mm: LEFT_MM,
                y1_mm: y,
                x2_mm: BLOCK_RIGHT_MM,
                y2_mm: y,
                width_mm: w,
                colour: Colour::BLACK,
            })
        };
        page.items.push(rule(row_top(first_row), FOOTER_THICK_MM));
        if cc_rows > 0 && cc_rows < k {
            page.items
                .push(rule(row_top(first_row + cc_rows), FOOTER_THIN_MM));
        }
        page.items.push(rule(BLOCK_BOTTOM_MM, FOOTER_THICK_MM));
        if target != last {
            // Blank pages and the footer-only page carry no number.
            for p in pages.iter_mut().skip(last + 1) {
                p.number = None;
            }
        }
        Ok(())
    }

    /// “— N —” in 4号 宋体, 7 mm below the block: odd pages right, even pages
    /// left, one character in.
    fn page_number(&self, n: u32) -> Result<Vec<Item>> {
        let text = format!("— {n} —");
        let chs = self.measured(&text, FontRole::Song, SIZE_4HAO, "page number")?;
        let w = width(&chs);
        let em = em_mm(SIZE_4HAO);
        let x0 = if n % 2 == 1 {
            BLOCK_RIGHT_MM - em - w
        } else {
            LEFT_MM + em
        };
        let pen = Pen::new(FontRole::Song, SIZE_4HAO, Element::PageNumber);
        Ok(pen.measured_line(&chs, x0, BLOCK_BOTTOM_MM + PAGE_NUMBER_GAP_MM))
    }
}

/// Grid lines below the last text on a page (0 when empty).
fn last_used_row(page: &Page) -> usize {
    page.texts()
        .map(|t| ((t.top_mm - TOP_MM) / LINE_MM + 0.5).floor() as usize + 1)
        .max()
        .unwrap_or(0)
}

/// A paragraph's lines, each ending on the block's right edge but the last.
fn lines_to_rows(units: &[Unit], pen: &Pen, first: u32, rest: u32) -> Vec<Row> {
    text::break_paragraph(units, CHARS - first, CHARS - rest)
        .into_iter()
        .enumerate()
        .map(|(k, line)| {
            let indent = if k == 0 { first } else { rest };
            let line_units = units.get(line.range.clone()).unwrap_or(&[]);
            Row {
                items: pen.paragraph_line(
                    line_units,
                    &line,
                    LEFT_MM + indent as f32 * CELL_MM,
                    CELL_MM,
                    0.0,
                ),
            }
        })
        .collect()
}

/// Spreads characters evenly over `w` mm from `x0` (分散对齐); a single
/// character is centred.
fn spread(chs: &[Ch], x0: f32, w: f32) -> Vec<(Ch, f32)> {
    let natural = width(chs);
    if chs.len() < 2 {
        return chs.iter().map(|c| (*c, x0 + (w - natural) / 2.0)).collect();
    }
    let gap = (w - natural) / (chs.len() - 1) as f32;
    let mut x = x0;
    chs.iter()
        .map(|c| {
            let at = x;
            x += c.adv + gap;
            (*c, at)
        })
        .collect()
}

/// Error positions count from the user's text, not from a prefix we added.
fn shift_place(e: crate::error::PrintError, by: usize) -> crate::error::PrintError {
    moved_place(e, |pos| pos.saturating_sub(by).max(1))
}

fn moved_place(
    e: crate::error::PrintError,
    to: impl Fn(usize) -> usize,
) -> crate::error::PrintError {
    use crate::error::PrintError;
    let fix = |place: Place| Place {
        char_pos: place.char_pos.map(&to),
        ..place
    };
    match e {
        PrintError::Uncovered { ch, place } => PrintError::Uncovered {
            ch,
            place: fix(place),
        },
        PrintError::Unprintable { ch, place } => PrintError::Unprintable {
            ch,
            place: fix(place),
        },
        other => other,
    }
}
