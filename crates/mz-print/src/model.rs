//! The layout model: pages of positioned text runs, rules and circles, in
//! millimetres from the top-left corner of the page.
//!
//! Every layout (official document, form, calibration sheet) is built as this
//! model first; tests inspect it, and the PDF writer only translates it.

use serde::Serialize;

use crate::fonts::FontRole;

/// Points to millimetres.
pub const PT_MM: f32 = 25.4 / 72.0;

/// How far above the baseline the top of the ideographic em box sits, as a
/// fraction of the font size (the CJK convention: the em box runs from
/// 0.12 em below the baseline to 0.88 em above it).
pub const EM_ASCENT: f32 = 0.88;

/// A colour in RGB, 0–255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Colour {
    pub const BLACK: Colour = Colour { r: 0, g: 0, b: 0 };
    /// The red of the issuing-body mark, the separator and the seal.
    pub const RED: Colour = Colour {
        r: 230,
        g: 0,
        b: 18,
    };
    /// The light grey of the calibration sheet's millimetre grid.
    pub const GRID: Colour = Colour {
        r: 170,
        g: 170,
        b: 170,
    };

    /// Whether a person would call this red (used by tests and checks).
    pub fn is_red(self) -> bool {
        self.r >= 200 && self.g <= 40 && self.b <= 40
    }
}

/// What a positioned item stands for, so tests and previews can find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Element {
    CopyNo,
    Classification,
    Urgency,
    IssuerMark,
    DocNumber,
    Signer,
    Separator,
    Title,
    Recipients,
    /// A body paragraph line of the given heading level (0 = ordinary).
    Body(u8),
    Attachments,
    Signature,
    Date,
    Seal,
    Note,
    FooterRule,
    Cc,
    Printer,
    PageNumber,
    /// A form field, by name.
    Field(String),
    /// Fixed text or lines of a form layout.
    FormStatic,
    /// The calibration sheet's grid, rulers and marks.
    Calibration,
    /// A table's header row, repeated on every page.
    TableHeader,
    /// A table's cell text.
    TableCell,
}

/// One glyph of a run: the character and the x of its left edge (mm).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Glyph {
    pub ch: char,
    pub x_mm: f32,
}

/// A run of glyphs in one face, size and colour, on one baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextRun {
    pub element: Element,
    pub role: FontRole,
    /// The face of the role's chain that covers every glyph of the run.
    pub face: usize,
    pub size_pt: f32,
    /// Top of the em box, from the top of the page (mm).
    pub top_mm: f32,
    /// Baseline, from the top of the page (mm).
    pub baseline_mm: f32,
    pub colour: Colour,
    /// Counter-clockwise rotation of every glyph about its own origin
    /// (degrees); 0 for ordinary text.
    pub rotation_deg: f32,
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    /// The characters of the run.
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }

    /// The x of the first glyph's left edge.
    pub fn x_mm(&self) -> f32 {
        self.glyphs.first().map_or(0.0, |g| g.x_mm)
    }
}

/// A straight line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub element: Element,
    pub x1_mm: f32,
    pub y1_mm: f32,
    pub x2_mm: f32,
    pub y2_mm: f32,
    pub width_mm: f32,
    pub colour: Colour,
}

/// A circle outline (the seal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Circle {
    pub element: Element,
    pub cx_mm: f32,
    pub cy_mm: f32,
    pub r_mm: f32,
    pub width_mm: f32,
    pub colour: Colour,
}

/// A filled polygon (the star of the seal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    pub element: Element,
    pub points_mm: Vec<(f32, f32)>,
    pub colour: Colour,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Item {
    Text(TextRun),
    Rule(Rule),
    Circle(Circle),
    Shape(Shape),
}

/// One page of a layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    /// The printed page number, if the page carries one.
    pub number: Option<u32>,
    pub items: Vec<Item>,
}

impl Page {
    pub fn a4() -> Self {
        Page {
            width_mm: 210.0,
            height_mm: 297.0,
            number: None,
            items: Vec::new(),
        }
    }

    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.items.iter().filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
    }

    pub fn circles(&self) -> impl Iterator<Item = &Circle> {
        self.items.iter().filter_map(|i| match i {
            Item::Circle(c) => Some(c),
            _ => None,
        })
    }

    /// Whether the page has nothing on it.
    pub fn is_blank(&self) -> bool {
        self.items.is_empty()
    }
}

/// A laid-out document: what the PDF writer draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub title: String,
    pub pages: Vec<Page>,
}

impl Layout {
    /// Every text run with the page (0-based) it is on.
    pub fn texts(&self) -> impl Iterator<Item = (usize, &TextRun)> {
        self.pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.texts().map(move |t| (i, t)))
    }
}
