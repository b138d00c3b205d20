//! Tables and reports that run over pages: the daily cash report, the
//! month's waiver settlement, the leaders' weekly table. A title and the
//! lines under it, a ruled grid whose header row is repeated on every page,
//! the lines below the table (who made it, the date), and 第 N 页 共 M 页.
//!
//! Cells wrap inside their column; a row goes whole onto the next page
//! when it does not fit what is left of one, and only a row taller than a
//! whole page breaks between its lines, continued under the header.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Place, PrintError, Result};
use crate::fonts::{FontLibrary, FontRole};
use crate::forms::Align;
use crate::model::{Colour, Element, Item, Layout, Page, Rule};
use crate::text::Ch;
use crate::typeset::{Pen, em_mm, resolve, width, wrapped};

/// The most columns, rows and characters in a cell a table takes.
pub const MAX_COLUMNS: usize = 24;
pub const MAX_ROWS: usize = 20_000;
pub const MAX_CELL_CHARS: usize = 4_000;

/// A table to lay out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub title: String,
    /// Lines under the title (the unit, the period), centred.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subtitle: Vec<String>,
    /// A4 across (297 × 210 mm) instead of upright.
    #[serde(default)]
    pub landscape: bool,
    pub columns: Vec<TableColumn>,
    pub rows: Vec<TableRow>,
    /// Lines after the table, right-aligned (制表单位, date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footer: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableColumn {
    pub header: String,
    /// The column's share of the width, relative to the others.
    pub weight: f32,
    #[serde(default)]
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableRow {
    /// One text per column.
    pub cells: Vec<String>,
    /// Set in 黑体 (totals).
    #[serde(default)]
    pub strong: bool,
}

impl TableRow {
    pub fn new(cells: Vec<String>) -> Self {
        TableRow {
            cells,
            strong: false,
        }
    }

    pub fn strong(cells: Vec<String>) -> Self {
        TableRow {
            cells,
            strong: true,
        }
    }
}

const MARGIN_MM: f32 = 15.0;
const TITLE_PT: f32 = 18.0;
const SUBTITLE_PT: f32 = 11.0;
const HEADER_PT: f32 = 10.5;
const CELL_PT: f32 = 10.0;
const FOOTER_PT: f32 = 11.0;
const NUMBER_PT: f32 = 9.0;
const PAD_MM: f32 = 1.5;
const LINE_GAP: f32 = 1.3;
const OUTER_RULE_MM: f32 = 0.35;
const INNER_RULE_MM: f32 = 0.2;

/// A row laid out: its lines per cell and its height.
struct SetRow {
    lines: Vec<Vec<Vec<Ch>>>,
    role: FontRole,
    size_pt: f32,
    height_mm: f32,
}

/// Lays out a table over as many pages as it needs.
pub fn layout_table(table: &Table, fonts: &FontLibrary) -> Result<Layout> {
    check(table)?;
    let (page_w, page_h) = if table.landscape {
        (297.0, 210.0)
    } else {
        (210.0, 297.0)
    };
    let inner_w = page_w - 2.0 * MARGIN_MM;
    let total_weight: f32 = table.columns.iter().map(|c| c.weight).sum();
    let widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| inner_w * c.weight / total_weight)
        .collect();
    let header = set_row(
        fonts,
        table.columns.iter().map(|c| c.header.as_str()),
        &widths,
        FontRole::Hei,
        HEADER_PT,
        "columns",
    )?;
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let role = if row.strong {
                FontRole::Hei
            } else {
                FontRole::Song
            };
            set_row(
                fonts,
                row.cells.iter().map(String::as_str),
                &widths,
                role,
                CELL_PT,
                &format!("rows[{i}]"),
            )
        })
        .collect::<Result<Vec<_>>>()?;

    let bottom = page_h - MARGIN_MM - 8.0;
    let mut pages: Vec<Page> = Vec::new();
    let mut page = blank(page_w, page_h);
    let mut y = MARGIN_MM;
    // The title and its lines on the first page; a shorter head after.
    y = centred(
        &mut page,
        fonts,
        &table.title,
        FontRole::Title,
        TITLE_PT,
        y,
        page_w,
        "title",
    )?;
    y += 2.0;
    for (i, line) in table.subtitle.iter().enumerate() {
        y = centred(
            &mut page,
            fonts,
            line,
            FontRole::Body,
            SUBTITLE_PT,
            y,
            page_w,
            &format!("subtitle[{i}]"),
        )?;
    }
    y += 3.0;
    let continued = format!("{}（续）", table.title);
    let mut top = y;
    draw_row(&mut page, &header, &widths, &table.columns, y, true);
    y += header.height_mm;
    for row in rows {
        // A row that does not fit what is left of the page goes on the
        // next; one taller than a whole page breaks between its lines,
        // the rest continued under the header repeated.
        let mut rest = Some(row);
        while let Some(row) = rest.take() {
            if y + row.height_mm <= bottom {
                draw_row(&mut page, &row, &widths, &table.columns, y, false);
                y += row.height_mm;
                continue;
            }
            let fits = row.lines_within(bottom - y);
            let at_top = y <= top + header.height_mm + 0.01;
            if fits > 0 && (at_top || row.height_mm > bottom - top - header.height_mm) {
                let (head, tail) = row.split(fits);
                draw_row(&mut page, &head, &widths, &table.columns, y, false);
                y += head.height_mm;
                rest = Some(tail);
            } else {
                rest = Some(row);
            }
            frame(&mut page, &widths, top, y);
            pages.push(std::mem::replace(&mut page, blank(page_w, page_h)));
            y = centred(
                &mut page,
                fonts,
                &continued,
                FontRole::Hei,
                SUBTITLE_PT,
                MARGIN_MM,
                page_w,
                "title",
            )? + 2.0;
            top = y;
            draw_row(&mut page, &header, &widths, &table.columns, y, true);
            y += header.height_mm;
        }
    }
    frame(&mut page, &widths, top, y);
    y += 5.0;
    let footer_h = table.footer.len() as f32 * em_mm(FOOTER_PT) * 1.6;
    if y + footer_h > bottom && !table.footer.is_empty() {
        pages.push(std::mem::replace(&mut page, blank(page_w, page_h)));
        y = MARGIN_MM;
    }
    for (i, line) in table.footer.iter().enumerate() {
        let chars = resolve(
            fonts,
            line,
            FontRole::Body,
            FOOTER_PT,
            1.0,
            &Place::field(format!("footer[{i}]")),
        )?;
        let x = page_w - MARGIN_MM - width(&chars);
        let pen = Pen::new(FontRole::Body, FOOTER_PT, Element::Note);
        page.items.extend(pen.measured_line(&chars, x, y));
        y += em_mm(FOOTER_PT) * 1.6;
    }
    pages.push(page);
    let count = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        let label = format!("第 {} 页 共 {count} 页", n + 1);
        let chars = resolve(
            fonts,
            &label,
            FontRole::Song,
            NUMBER_PT,
            1.0,
            &Place::field("page"),
        )?;
        let x = (page_w - width(&chars)) / 2.0;
        let pen = Pen::new(FontRole::Song, NUMBER_PT, Element::PageNumber);
        page.items
            .extend(pen.measured_line(&chars, x, page_h - MARGIN_MM - em_mm(NUMBER_PT)));
        page.number = u32::try_from(n + 1).ok();
    }
    Ok(Layout {
        title: table.title.clone(),
        pages,
    })
}

fn check(table: &Table) -> Result<()> {
    if table.title.trim().is_empty() {
        return Err(PrintError::input("title", "表格必须有标题"));
    }
    if table.columns.is_empty() || table.columns.len() > MAX_COLUMNS {
        return Err(PrintError::input(
            "columns",
            format!("共 {} 列，应有 1 至 {MAX_COLUMNS} 列", table.columns.len()),
        ));
    }
    for (i, c) in table.columns.iter().enumerate() {
        if !(c.weight.is_finite() && c.weight > 0.0 && c.weight <= 100.0) {
            return Err(PrintError::input(
                format!("columns[{i}].weight"),
                "列宽比例应大于 0、不超过 100",
            ));
        }
    }
    if table.rows.len() > MAX_ROWS {
        return Err(PrintError::input(
            "rows",
            format!("共 {} 行，最多 {MAX_ROWS} 行", table.rows.len()),
        ));
    }
    for (i, row) in table.rows.iter().enumerate() {
        if row.cells.len() != table.columns.len() {
            return Err(PrintError::input(
                format!("rows[{i}]"),
                format!(
                    "有 {} 格，表格有 {} 列",
                    row.cells.len(),
                    table.columns.len()
                ),
            ));
        }
        for (j, cell) in row.cells.iter().enumerate() {
            let len = cell.chars().count();
            if len > MAX_CELL_CHARS {
                return Err(PrintError::input(
                    format!("rows[{i}].cells[{j}]"),
                    format!("共 {len} 个字，最多 {MAX_CELL_CHARS} 个"),
                ));
            }
        }
    }
    Ok(())
}

fn blank(width_mm: f32, height_mm: f32) -> Page {
    Page {
        width_mm,
        height_mm,
        number: None,
        items: Vec::new(),
    }
}

/// Sets text centred on the page, wrapped to the margins; the y below it.
#[allow(clippy::too_many_arguments)]
fn centred(
    page: &mut Page,
    fonts: &FontLibrary,
    text: &str,
    role: FontRole,
    size_pt: f32,
    mut y: f32,
    page_w: f32,
    field: &str,
) -> Result<f32> {
    let pen = Pen::new(role, size_pt, Element::Title);
    let place = Place::field(field);
    for line in wrapped(fonts, text, role, size_pt, page_w - 2.0 * MARGIN_MM, &place)? {
        let x = (page_w - width(&line)) / 2.0;
        page.items.extend(pen.measured_line(&line, x, y));
        y += em_mm(size_pt) * 1.4;
    }
    Ok(y)
}

impl SetRow {
    fn height_of(lines: &[Vec<Vec<Ch>>], size_pt: f32) -> f32 {
        let most = lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
        let em = em_mm(size_pt);
        2.0 * PAD_MM + em + (most - 1.0) * em * LINE_GAP
    }

    /// How many lines of each cell fit in `space` mm.
    fn lines_within(&self, space: f32) -> usize {
        let em = em_mm(self.size_pt);
        let room = space - 2.0 * PAD_MM - em;
        if room < 0.0 {
            return 0;
        }
        1 + (room / (em * LINE_GAP)).floor() as usize
    }

    /// The first `n` lines of each cell, and the rest.
    fn split(self, n: usize) -> (SetRow, SetRow) {
        let (head, tail): (Vec<_>, Vec<_>) = self
            .lines
            .into_iter()
            .map(|mut cell| {
                let tail = cell.split_off(n.min(cell.len()));
                (cell, tail)
            })
            .unzip();
        let part = |lines: Vec<Vec<Vec<Ch>>>| SetRow {
            height_mm: SetRow::height_of(&lines, self.size_pt),
            lines,
            role: self.role,
            size_pt: self.size_pt,
        };
        (part(head), part(tail))
    }
}

fn set_row<'a>(
    fonts: &FontLibrary,
    cells: impl Iterator<Item = &'a str>,
    widths: &[f32],
    role: FontRole,
    size_pt: f32,
    field: &str,
) -> Result<SetRow> {
    let mut lines = Vec::new();
    for (j, (cell, w)) in cells.zip(widths).enumerate() {
        let place = Place::field(format!("{field}[{j}]"));
        let cell_w = (w - 2.0 * PAD_MM).max(em_mm(size_pt));
        lines.push(wrapped(fonts, cell.trim(), role, size_pt, cell_w, &place)?);
    }
    Ok(SetRow {
        height_mm: SetRow::height_of(&lines, size_pt),
        lines,
        role,
        size_pt,
    })
}

fn draw_row(
    page: &mut Page,
    row: &SetRow,
    widths: &[f32],
    columns: &[TableColumn],
    top: f32,
    header: bool,
) {
    let em = em_mm(row.size_pt);
    let element = if header {
        Element::TableHeader
    } else {
        Element::TableCell
    };
    let pen = Pen::new(row.role, row.size_pt, element);
    let mut x = MARGIN_MM;
    for ((lines, w), column) in row.lines.iter().zip(widths).zip(columns) {
        let block = em + (lines.len().max(1) as f32 - 1.0) * em * LINE_GAP;
        let mut y = top + (row.height_mm - block) / 2.0;
        let align = if header { Align::Center } else { column.align };
        for line in lines {
            let lw = width(line);
            let at = match align {
                Align::Left => x + PAD_MM,
                Align::Center => x + (w - lw) / 2.0,
                Align::Right => x + w - PAD_MM - lw,
            };
            page.items.extend(pen.measured_line(line, at, y));
            y += em * LINE_GAP;
        }
        x += w;
    }
    let right: f32 = MARGIN_MM + widths.iter().sum::<f32>();
    let bottom = top + row.height_mm;
    page.items.push(rule(
        MARGIN_MM,
        bottom,
        right,
        bottom,
        if header { OUTER_RULE_MM } else { INNER_RULE_MM },
    ));
}

/// The outer frame and the column rules of a page's part of the table.
fn frame(page: &mut Page, widths: &[f32], top: f32, bottom: f32) {
    let right: f32 = MARGIN_MM + widths.iter().sum::<f32>();
    page.items
        .push(rule(MARGIN_MM, top, right, top, OUTER_RULE_MM));
    page.items
        .push(rule(MARGIN_MM, bottom, right, bottom, OUTER_RULE_MM));
    page.items
        .push(rule(MARGIN_MM, top, MARGIN_MM, bottom, OUTER_RULE_MM));
    page.items
        .push(rule(right, top, right, bottom, OUTER_RULE_MM));
    let mut x = MARGIN_MM;
    for w in widths.iter().take(widths.len().saturating_sub(1)) {
        x += w;
        page.items.push(rule(x, top, x, bottom, INNER_RULE_MM));
    }
}

fn rule(x1: f32, y1: f32, x2: f32, y2: f32, width_mm: f32) -> Item {
    Item::Rule(Rule {
        element: Element::FormStatic,
        x1_mm: x1,
        y1_mm: y1,
        x2_mm: x2,
        y2_mm: y2,
        width_mm,
        colour: Colour::BLACK,
    })
}
