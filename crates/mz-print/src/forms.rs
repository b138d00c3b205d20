//! Forms and certificate overlays: declarative layouts (assets/print/*.json)
//! whose fields are boxes in millimetres on the page, filled from a JSON
//! object of strings and printed onto pre-printed paper; and the
//! calibration sheet that finds a printer's offset.
//!
//! A value longer than the field's `max_len` (in characters, i.e. Unicode
//! scalar values) is refused; text wider than its box is shrunk, down to the
//! field's `min_size`, and refused beyond that, naming the field.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Place, PrintError, Result};
use crate::fonts::{FontLibrary, FontRole};
use crate::model::{Circle, Colour, Element, Item, Layout, Page, Rule};
use crate::text;
use crate::typeset::{Pen, em_mm, resolve, trim_end, width, wrap_measured};

/// A form or certificate layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormLayout {
    /// The name `mz print form --layout` knows it by.
    pub name: String,
    /// What it prints, for people (e.g. 结婚证内页).
    pub title: String,
    #[serde(default)]
    pub page: PageSize,
    pub fields: Vec<FieldSpec>,
    /// Fixed text printed with the fields (for forms on plain paper; an
    /// overlay for pre-printed paper has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelSpec>,
    /// Fixed lines (frames of a form on plain paper).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageSize {
    pub width_mm: f32,
    pub height_mm: f32,
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize {
            width_mm: 210.0,
            height_mm: 297.0,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One field: a box on the page that a value is set into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The key of the value in the data.
    pub name: String,
    /// The box: left, top, width, height in mm from the page's top-left.
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub font: FontRole,
    /// Size in points.
    pub size: f32,
    #[serde(default)]
    pub align: Align,
    /// The longest value accepted, in characters.
    pub max_len: usize,
    /// The smallest size the text may shrink to so it fits the box; no
    /// shrinking when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<f32>,
    /// Whether a value must be given.
    #[serde(default)]
    pub required: bool,
    /// Whether the text may wrap onto several lines inside the box.
    #[serde(default)]
    pub multiline: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    pub text: String,
    /// Left end and top of the text's em box, in mm.
    pub x: f32,
    pub y: f32,
    pub font: FontRole,
    pub size: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Line width in mm.
    pub width: f32,
}

/// A printer's calibration: what to add to every position so that it lands
/// where the layout says (x to the right, y downwards, in mm).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Offset {
    pub x_mm: f32,
    pub y_mm: f32,
}

impl std::str::FromStr for Offset {
    type Err = PrintError;

    /// `X,Y` in mm, e.g. `1.5,-0.8`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || PrintError::input("offset", "偏移请写作 横向,纵向（毫米），如 1.5,-0.8");
        let (x, y) = s.split_once(',').ok_or_else(bad)?;
        let x: f32 = x.trim().parse().map_err(|_| bad())?;
        let y: f32 = y.trim().parse().map_err(|_| bad())?;
        if !x.is_finite() || !y.is_finite() || x.abs() > 50.0 || y.abs() > 50.0 {
            return Err(PrintError::input("offset", "偏移须在 ±50 毫米以内"));
        }
        Ok(Offset { x_mm: x, y_mm: y })
    }
}

/// The layouts shipped in assets/print, by name.
const BUILTIN: &[(&str, &str)] = &[
    (
        "generic-a4",
        include_str!("../../../assets/print/generic-a4.json"),
    ),
    (
        "marriage-certificate",
        include_str!("../../../assets/print/marriage-certificate.json"),
    ),
    (
        "marriage-statement",
        include_str!("../../../assets/print/marriage-statement.json"),
    ),
    (
        "marriage-review",
        include_str!("../../../assets/print/marriage-review.json"),
    ),
    (
        "refusal-notice",
        include_str!("../../../assets/print/refusal-notice.json"),
    ),
    (
        "divorce-certificate",
        include_str!("../../../assets/print/divorce-certificate.json"),
    ),
    (
        "divorce-receipt",
        include_str!("../../../assets/print/divorce-receipt.json"),
    ),
    (
        "divorce-withdrawal",
        include_str!("../../../assets/print/divorce-withdrawal.json"),
    ),
    (
        "cremation-certificate",
        include_str!("../../../assets/print/cremation-certificate.json"),
    ),
    (
        "funeral-receipt",
        include_str!("../../../assets/print/funeral-receipt.json"),
    ),
];

/// Names of the layouts that come with mz.
pub fn builtin_layouts() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

impl FormLayout {
    /// A layout from JSON, checked.
    pub fn from_json(json: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let layout: FormLayout =
            serde_path_to_error::deserialize(de).map_err(|e| PrintError::Layout {
                layout: "?".to_owned(),
                message: format!("{}: {}", e.path(), e.inner()),
            })?;
        layout.check()?;
        Ok(layout)
    }

    /// A shipped layout by name, or a layout file by path.
    pub fn load(name_or_path: &str) -> Result<Self> {
        if let Some((_, json)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Self::from_json(json);
        }
        let path = Path::new(name_or_path);
        if path.extension().is_some_and(|e| e == "json") {
            let json = std::fs::read_to_string(path).map_err(|source| PrintError::Io {
                path: path.to_path_buf(),
                source,
            })?;
            return Self::from_json(&json);
        }
        Err(PrintError::Layout {
            layout: name_or_path.to_owned(),
            message: format!(
                "no such layout; shipped: {} (or give a .json file)",
                builtin_layouts().join(", ")
            ),
        })
    }

    fn check(&self) -> Result<()> {
        let fail = |message: String| PrintError::Layout {
            layout: self.name.clone(),
            message,
        };
        let PageSize {
            width_mm: pw,
            height_mm: ph,
        } = self.page;
        if !(pw > 0.0 && ph > 0.0) {
            return Err(fail("page size must be positive".to_owned()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for f in &self.fields {
            if !seen.insert(f.name.as_str()) {
                return Err(fail(format!("field {} appears twice", f.name)));
            }
            let inside = f.x >= 0.0 && f.y >= 0.0 && f.x + f.w <= pw && f.y + f.h <= ph;
            if !(f.w > 0.0 && f.h > 0.0 && inside) {
                return Err(fail(format!("field {}: box is not on the page", f.name)));
            }
            if f.size <= 0.0 || f.min_size.is_some_and(|m| m <= 0.0 || m > f.size) {
                return Err(fail(format!(
                    "field {}: sizes must be positive and min_size at most size",
                    f.name
                )));
            }
            if f.max_len == 0 {
                return Err(fail(format!(
                    "field {}: max_len must be at least 1",
                    f.name
                )));
            }
        }
        Ok(())
    }
}

/// The values of a form: field name → text.
pub type FormData = BTreeMap<String, String>;

/// Reads form data from a JSON object of strings; a key the layout has no
/// field for is an error (nothing is silently left out).
pub fn parse_form_data(json: &str, layout: &FormLayout) -> Result<FormData> {
    let de = &mut serde_json::Deserializer::from_str(json);
    let data: FormData = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "data".to_owned() } else { path };
        PrintError::input(field, e.into_inner().to_string())
    })?;
    for key in data.keys() {
        if !layout.fields.iter().any(|f| &f.name == key) {
            return Err(PrintError::input(
                key.clone(),
                format!("版式 {} 没有这一栏", layout.name),
            ));
        }
    }
    Ok(data)
}

/// Lays a form out with its data, shifted by the printer's calibration.
pub fn layout_form(
    layout: &FormLayout,
    data: &FormData,
    offset: Offset,
    fonts: &FontLibrary,
) -> Result<Layout> {
    let mut page = Page {
        width_mm: layout.page.width_mm,
        height_mm: layout.page.height_mm,
        number: None,
        items: Vec::new(),
    };
    for r in &layout.rules {
        page.items.push(Item::Rule(Rule {
            element: Element::FormStatic,
            x1_mm: r.x1,
            y1_mm: r.y1,
            x2_mm: r.x2,
            y2_mm: r.y2,
            width_mm: r.width,
            colour: Colour::BLACK,
        }));
    }
    for (i, label) in layout.labels.iter().enumerate() {
        let chs = resolve(
            fonts,
            &label.text,
            label.font,
            label.size,
            1.0,
            &Place::field(format!("labels[{i}]")),
        )?;
        let pen = Pen::new(label.font, label.size, Element::FormStatic);
        page.items.extend(pen.measured_line(&chs, label.x, label.y));
    }
    for field in &layout.fields {
        match data.get(&field.name) {
            Some(value) if !value.trim().is_empty() => {
                page.items.extend(set_field(field, value.trim(), fonts)?);
            }
            _ if field.required => {
                return Err(PrintError::input(field.name.clone(), "这一栏必须填写"));
            }
            _ => {}
        }
    }
    for item in &mut page.items {
        translate(item, offset.x_mm, offset.y_mm);
    }
    Ok(Layout {
        title: layout.title.clone(),
        pages: vec![page],
    })
}

/// Sets one value into its box: at the field's size if it fits, else at
/// the largest size down to `min_size` that fits.
fn set_field(field: &FieldSpec, value: &str, fonts: &FontLibrary) -> Result<Vec<Item>> {
    let len = value.chars().count();
    if len > field.max_len {
        return Err(PrintError::input(
            field.name.clone(),
            format!("共 {len} 个字，最多 {} 个", field.max_len),
        ));
    }
    let place = Place::field(field.name.clone());
    // Widths scale with the size: resolve once at 1 pt (coverage check too).
    let unit = resolve(fonts, value, field.font, 1.0, 1.0, &place)?;
    let min = field.min_size.unwrap_or(field.size);
    let element = Element::Field(field.name.clone());
    let mut size = field.size;
    loop {
        if let Some(items) = fit(field, &unit, size, &element) {
            return Ok(items);
        }
        if size <= min {
            return Err(PrintError::DoesNotFit {
                field: field.name.clone(),
                w_mm: field.w,
                h_mm: field.h,
                min_size_pt: min,
            });
        }
        // The exact size for one line, else a step down for wrapped text.
        let one_line = field.w / width(&unit).max(f32::EPSILON);
        size = if field.multiline || one_line >= size {
            size - 0.5
        } else {
            (one_line * 10.0).floor() / 10.0
        }
        .max(min);
    }
}

/// Items for the value at `size`, or `None` when it does not fit the box.
fn fit(field: &FieldSpec, unit: &[text::Ch], size: f32, element: &Element) -> Option<Vec<Item>> {
    let em = em_mm(size);
    if em > field.h + 1e-3 {
        return None;
    }
    let chars: Vec<text::Ch> = unit
        .iter()
        .map(|c| text::Ch {
            adv: c.adv * size,
            ..*c
        })
        .collect();
    let pen = Pen::new(field.font, size, element.clone());
    let lines: Vec<Vec<text::Ch>> = if field.multiline {
        let units = text::units(&chars, u32::MAX);
        let mut out = Vec::new();
        for r in wrap_measured(&units, field.w) {
            out.push(
                units
                    .get(r)
                    .unwrap_or(&[])
                    .iter()
                    .flat_map(|u| u.chars.iter().copied())
                    .collect(),
            );
        }
        out
    } else {
        vec![chars]
    };
    let line_h = em * 1.25;
    let block_h = em + (lines.len().saturating_sub(1)) as f32 * line_h;
    if block_h > field.h + 1e-3 {
        return None;
    }
    if lines.iter().any(|l| width(trim_end(l)) > field.w + 1e-3) {
        return None;
    }
    let mut items = Vec::new();
    let top0 = field.y + (field.h - block_h) / 2.0;
    for (k, line) in lines.iter().enumerate() {
        let line = trim_end(line);
        let w = width(line);
        let x = match field.align {
            Align::Left => field.x,
            Align::Center => field.x + (field.w - w) / 2.0,
            Align::Right => field.x + field.w - w,
        };
        items.extend(pen.measured_line(line, x, top0 + k as f32 * line_h));
    }
    Some(items)
}

fn translate(item: &mut Item, dx: f32, dy: f32) {
    match item {
        Item::Text(t) => {
            t.top_mm += dy;
            t.baseline_mm += dy;
            for g in &mut t.glyphs {
                g.x_mm += dx;
            }
        }
        Item::Rule(r) => {
            r.x1_mm += dx;
            r.x2_mm += dx;
            r.y1_mm += dy;
            r.y2_mm += dy;
        }
        Item::Circle(c) => {
            c.cx_mm += dx;
            c.cy_mm += dy;
        }
        Item::Shape(s) => {
            for p in &mut s.points_mm {
                p.0 += dx;
                p.1 += dy;
            }
        }
    }
}

/// The calibration sheet, on plain A4: a millimetre grid, rulers along the
/// top and left edges, and cross marks at known positions. Measure where a
/// mark landed; the difference from its label is the printer's offset.
pub fn calibration_sheet(offset: Offset, fonts: &FontLibrary) -> Result<Layout> {
    let (pw, ph) = (210.0f32, 297.0f32);
    let mut items = Vec::new();
    let line = |x1: f32, y1: f32, x2: f32, y2: f32, w: f32, colour: Colour| {
        Item::Rule(Rule {
            element: Element::Calibration,
            x1_mm: x1,
            y1_mm: y1,
            x2_mm: x2,
            y2_mm: y2,
            width_mm: w,
            colour,
        })
    };
    // The grid: every millimetre faint, every 5 mm stronger, every 10 mm dark.
    let grey = |level: u8| Colour {
        r: level,
        g: level,
        b: level,
    };
    for mm in 0..=(pw as u32) {
        let (w, c) = grid_weight(mm, &grey);
        items.push(line(mm as f32, 0.0, mm as f32, ph, w, c));
    }
    for mm in 0..=(ph as u32) {
        let (w, c) = grid_weight(mm, &grey);
        items.push(line(0.0, mm as f32, pw, mm as f32, w, c));
    }
    // Rulers: ticks from the edges, numbered every 10 mm.
    let num_pen = Pen::new(FontRole::Song, 7.0, Element::Calibration);
    for mm in 1..(pw as u32) {
        let len = tick_len(mm);
        items.push(line(mm as f32, 0.0, mm as f32, len, 0.15, Colour::BLACK));
        if mm.is_multiple_of(10) {
            let chs = resolve(
                fonts,
                &mm.to_string(),
                FontRole::Song,
                7.0,
                1.0,
                &Place::field("ruler"),
            )?;
            let w = width(&chs);
            items.extend(num_pen.measured_line(&chs, mm as f32 - w / 2.0, 6.0));
        }
    }
    for mm in 1..(ph as u32) {
        let len = tick_len(mm);
        items.push(line(0.0, mm as f32, len, mm as f32, 0.15, Colour::BLACK));
        if mm.is_multiple_of(10) {
            let chs = resolve(
                fonts,
                &mm.to_string(),
                FontRole::Song,
                7.0,
                1.0,
                &Place::field("ruler"),
            )?;
            items.extend(num_pen.measured_line(&chs, 6.0, mm as f32 - em_mm(7.0) / 2.0));
        }
    }
    // Cross marks with their positions.
    let label_pen = Pen::new(FontRole::Hei, 8.0, Element::Calibration);
    for (x, y) in [
        (30.0, 30.0),
        (180.0, 30.0),
        (105.0, 148.5),
        (30.0, 267.0),
        (180.0, 267.0),
    ] {
        items.push(line(x - 6.0, y, x + 6.0, y, 0.2, Colour::BLACK));
        items.push(line(x, y - 6.0, x, y + 6.0, 0.2, Colour::BLACK));
        items.push(Item::Circle(Circle {
            element: Element::Calibration,
            cx_mm: x,
            cy_mm: y,
            r_mm: 3.0,
            width_mm: 0.2,
            colour: Colour::BLACK,
        }));
        let text = format!("({x}, {y})");
        let chs = resolve(fonts, &text, FontRole::Hei, 8.0, 1.0, &Place::field("mark"))?;
        items.extend(label_pen.measured_line(&chs, x + 4.0, y + 2.0));
    }
    let help = [
        "打印机校准页：用原尺寸（100%，不缩放）打印在白纸上。",
        "量出各十字中心到纸张左边和上边的实际距离（毫米），",
        "减去括号中的标注值，即为该打印机的校准偏移 X,Y（向右、向下为正），",
        "再用 mz print form --offset X,Y 打印表格和证书。",
    ];
    let help_pen = Pen::new(FontRole::Hei, 10.0, Element::Calibration);
    for (k, text) in help.iter().enumerate() {
        let chs = resolve(fonts, text, FontRole::Hei, 10.0, 1.0, &Place::field("help"))?;
        items.extend(help_pen.measured_line(&chs, 30.0, 170.0 + k as f32 * 6.0));
    }
    if offset != Offset::default() {
        let text = format!(
            "本页已按偏移 X={:+.1}mm, Y={:+.1}mm 打印",
            offset.x_mm, offset.y_mm
        );
        let chs = resolve(
            fonts,
            &text,
            FontRole::Hei,
            10.0,
            1.0,
            &Place::field("help"),
        )?;
        items.extend(help_pen.measured_line(&chs, 30.0, 170.0 + help.len() as f32 * 6.0));
    }
    for item in &mut items {
        translate(item, offset.x_mm, offset.y_mm);
    }
    Ok(Layout {
        title: "打印机校准页".to_owned(),
        pages: vec![Page {
            width_mm: pw,
            height_mm: ph,
            number: None,
            items,
        }],
    })
}

fn grid_weight(mm: u32, grey: &dyn Fn(u8) -> Colour) -> (f32, Colour) {
    if mm.is_multiple_of(10) {
        (0.15, grey(110))
    } else if mm.is_multiple_of(5) {
        (0.1, grey(160))
    } else {
        (0.05, Colour::GRID)
    }
}

fn tick_len(mm: u32) -> f32 {
    if mm.is_multiple_of(10) {
        5.0
    } else if mm.is_multiple_of(5) {
        3.5
    } else {
        2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::system_fonts;

    fn field(w: f32, size: f32, min: Option<f32>, multiline: bool) -> FormLayout {
        FormLayout {
            name: "t".to_owned(),
            title: "t".to_owned(),
            page: PageSize::default(),
            fields: vec![FieldSpec {
                name: "name".to_owned(),
                x: 20.0,
                y: 20.0,
                w,
                h: 12.0,
                font: FontRole::Body,
                size,
                align: Align::Left,
                max_len: 40,
                min_size: min,
                required: true,
                multiline,
            }],
            labels: vec![],
            rules: vec![],
        }
    }

    fn data(value: &str) -> FormData {
        [("name".to_owned(), value.to_owned())]
            .into_iter()
            .collect()
    }

    fn sizes(l: &Layout) -> Vec<f32> {
        l.texts().map(|(_, t)| t.size_pt).collect()
    }

    #[test]
    fn text_that_fits_keeps_its_size() {
        let l = layout_form(
            &field(60.0, 14.0, Some(8.0), false),
            &data("王䶮"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap();
        assert!(sizes(&l).iter().all(|&s| s == 14.0));
    }

    #[test]
    fn long_text_shrinks_down_to_min_size() {
        // 10 characters at 14 pt are 49 mm: into 40 mm they go at about 11.4 pt.
        let l = layout_form(
            &field(40.0, 14.0, Some(8.0), false),
            &data("阿依古丽买买提艾力江"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap();
        let s = sizes(&l)[0];
        assert!((8.0..14.0).contains(&s), "{s}");
        let run = l.texts().next().unwrap().1;
        let right = run.glyphs.last().unwrap().x_mm + em_mm(s);
        assert!(right <= 60.0 + 0.01, "inside the box: {right}");
    }

    #[test]
    fn text_too_long_even_at_min_size_names_the_field() {
        let err = layout_form(
            &field(20.0, 14.0, Some(10.0), false),
            &data("阿依古丽买买提艾力江"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap_err();
        assert!(
            matches!(&err, PrintError::DoesNotFit { field, .. } if field == "name"),
            "{err}"
        );
        // Without min_size there is no shrinking at all.
        let err = layout_form(
            &field(40.0, 14.0, None, false),
            &data("阿依古丽买买提艾力江"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap_err();
        assert!(matches!(err, PrintError::DoesNotFit { .. }));
    }

    #[test]
    fn multiline_text_wraps_before_it_shrinks() {
        let l = layout_form(
            &field(40.0, 10.0, Some(6.0), true),
            &data("湖南省长沙市芙蓉区五一大道一号"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap();
        let tops: std::collections::BTreeSet<i32> =
            l.texts().map(|(_, t)| (t.top_mm * 10.0) as i32).collect();
        assert!(tops.len() >= 2, "wrapped: {tops:?}");
        assert!(sizes(&l).iter().all(|&s| s == 10.0));
    }

    #[test]
    fn max_len_counts_characters_and_names_the_field() {
        let mut layout = field(200.0, 10.0, None, false);
        layout.fields[0].max_len = 3;
        assert!(layout_form(&layout, &data("𠀀明华"), Offset::default(), system_fonts()).is_ok());
        let err = layout_form(
            &layout,
            &data("𠀀明华子"),
            Offset::default(),
            system_fonts(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("name:"), "{err}");
    }

    #[test]
    fn offset_moves_everything() {
        let layout = field(60.0, 14.0, None, false);
        let plain = layout_form(&layout, &data("张三"), Offset::default(), system_fonts()).unwrap();
        let moved = layout_form(
            &layout,
            &data("张三"),
            "1.5,-2".parse().unwrap(),
            system_fonts(),
        )
        .unwrap();
        let (a, b) = (
            plain.texts().next().unwrap().1,
            moved.texts().next().unwrap().1,
        );
        assert!((b.x_mm() - a.x_mm() - 1.5).abs() < 1e-4);
        assert!((b.top_mm - a.top_mm + 2.0).abs() < 1e-4);
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(
            "1.5,-0.8".parse::<Offset>().unwrap(),
            Offset {
                x_mm: 1.5,
                y_mm: -0.8
            }
        );
        assert!("1.5".parse::<Offset>().is_err());
        assert!("a,b".parse::<Offset>().is_err());
        assert!("80,0".parse::<Offset>().is_err());
    }

    #[test]
    fn data_with_an_unknown_key_is_refused() {
        let layout = field(60.0, 14.0, None, false);
        let err = parse_form_data(r#"{"name": "张三", "nmae": "x"}"#, &layout).unwrap_err();
        assert!(err.to_string().starts_with("nmae:"), "{err}");
        let err = parse_form_data(r#"{"name": 3}"#, &layout).unwrap_err();
        assert!(err.to_string().starts_with("name:"), "{err}");
    }

    #[test]
    fn required_field_missing_is_named() {
        let layout = field(60.0, 14.0, None, false);
        let err =
            layout_form(&layout, &FormData::new(), Offset::default(), system_fonts()).unwrap_err();
        assert!(err.to_string().starts_with("name:"), "{err}");
    }

    #[test]
    fn shipped_layouts_load() {
        for name in builtin_layouts() {
            let l = FormLayout::load(name).unwrap();
            assert_eq!(l.name, name);
        }
        assert!(FormLayout::load("no-such-layout").is_err());
    }

    #[test]
    fn calibration_sheet_has_a_millimetre_grid_and_rulers() {
        let l = calibration_sheet(Offset::default(), system_fonts()).unwrap();
        let rules = l.pages[0].rules().count();
        assert!(rules > 211 + 298, "{rules}");
        let numbers: Vec<String> = l.texts().map(|(_, t)| t.text()).collect();
        assert!(numbers.contains(&"100".to_owned()));
        assert!(numbers.contains(&"290".to_owned()));
    }
}
