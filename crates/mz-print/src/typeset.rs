//! Turning text into positioned runs: resolving every character against the
//! role's font chain (the coverage check), and splitting placed characters
//! into runs of one face.

use crate::error::{Place, PrintError, Result};
use crate::fonts::{FontLibrary, FontRole};
use crate::model::{Colour, EM_ASCENT, Element, Glyph, Item, PT_MM, TextRun};
use crate::text::{self, Ch, Unit};

/// The em of a font size, in millimetres.
pub(crate) fn em_mm(size_pt: f32) -> f32 {
    size_pt * PT_MM
}

/// Resolves each character of `text` to the first face of the role's chain
/// that has it. Advances are given in `cell_mm` cells at `size_pt`.
///
/// A character no face covers is an error naming it and its place: it is
/// never left to print as an empty box.
pub(crate) fn resolve(
    fonts: &FontLibrary,
    text: &str,
    role: FontRole,
    size_pt: f32,
    cell_mm: f32,
    place: &Place,
) -> Result<Vec<Ch>> {
    let em_cells = em_mm(size_pt) / cell_mm;
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    for (i, ch) in text.chars().enumerate() {
        let pos = i + 1;
        if ch.is_control() {
            return Err(PrintError::Unprintable {
                ch,
                place: place.at(pos),
            });
        }
        if ch == ' ' || ch == '\u{3000}' {
            // Spaces take room but draw nothing; no font needs to have them.
            let adv = if ch == ' ' { 0.3 } else { 1.0 };
            out.push(Ch {
                ch: ' ',
                face: usize::MAX,
                adv: adv * em_cells,
                pos,
                ink: None,
            });
            continue;
        }
        let face = fonts
            .face_for(role, ch)
            .ok_or_else(|| PrintError::Uncovered {
                ch,
                place: place.at(pos),
            })?;
        let adv_em = fonts.advance_em(face, ch).unwrap_or(1.0);
        out.push(Ch {
            ch,
            face,
            adv: adv_em * em_cells,
            pos,
            ink: fonts.ink_span(face, ch),
        });
    }
    Ok(out)
}

/// How a line of text is drawn.
#[derive(Debug, Clone)]
pub(crate) struct Pen {
    pub role: FontRole,
    pub size_pt: f32,
    pub colour: Colour,
    pub element: Element,
}

impl Pen {
    pub fn new(role: FontRole, size_pt: f32, element: Element) -> Self {
        Pen {
            role,
            size_pt,
            colour: Colour::BLACK,
            element,
        }
    }

    pub fn red(mut self) -> Self {
        self.colour = Colour::RED;
        self
    }

    /// Runs for characters placed at x (mm), with the em box's top at
    /// `top_mm`: one run per stretch of characters in the same face.
    pub fn runs(&self, placed: &[(Ch, f32)], top_mm: f32) -> Vec<Item> {
        let mut items = Vec::new();
        let mut current: Option<TextRun> = None;
        for (c, x) in placed {
            if c.ch == ' ' {
                continue;
            }
            let same_face = current.as_ref().is_some_and(|r| r.face == c.face);
            if !same_face && let Some(run) = current.take() {
                items.push(Item::Text(run));
            }
            let run = current.get_or_insert_with(|| TextRun {
                element: self.element.clone(),
                role: self.role,
                face: c.face,
                size_pt: self.size_pt,
                top_mm,
                baseline_mm: top_mm + EM_ASCENT * em_mm(self.size_pt),
                colour: self.colour,
                rotation_deg: 0.0,
                glyphs: Vec::new(),
            });
            run.glyphs.push(Glyph { ch: c.ch, x_mm: *x });
        }
        if let Some(run) = current {
            items.push(Item::Text(run));
        }
        items
    }

    /// A line of units on a grid of `cell_mm` cells starting at `x0_mm`.
    pub fn grid_line(&self, units: &[Unit], x0_mm: f32, cell_mm: f32, top_mm: f32) -> Vec<Item> {
        let placed: Vec<(Ch, f32)> = text::place_line(units, 0, false)
            .into_iter()
            .map(|(c, x)| (c, x0_mm + x * cell_mm))
            .collect();
        self.runs(&placed, top_mm)
    }

    /// A paragraph line on a grid of `cell_mm` cells starting at `x0_mm`,
    /// squeezed or justified as its [`text::Line`] says.
    pub fn paragraph_line(
        &self,
        units: &[Unit],
        line: &text::Line,
        x0_mm: f32,
        cell_mm: f32,
        top_mm: f32,
    ) -> Vec<Item> {
        let placed: Vec<(Ch, f32)> = text::place_line(units, line.width, line.justify)
            .into_iter()
            .map(|(c, x)| (c, x0_mm + x * cell_mm))
            .collect();
        self.runs(&placed, top_mm)
    }

    /// Characters one after another at their own widths (page numbers,
    /// form fields); `chars` advances must be in millimetres.
    pub fn measured_line(&self, chars: &[Ch], x0_mm: f32, top_mm: f32) -> Vec<Item> {
        let mut x = x0_mm;
        let placed: Vec<(Ch, f32)> = chars
            .iter()
            .map(|c| {
                let at = x;
                x += c.adv;
                (*c, at)
            })
            .collect();
        self.runs(&placed, top_mm)
    }
}

/// The total advance of characters (in whatever unit they were resolved).
pub(crate) fn width(chars: &[Ch]) -> f32 {
    chars.iter().map(|c| c.adv).sum()
}

/// A line without its trailing spaces.
pub(crate) fn trim_end(line: &[Ch]) -> &[Ch] {
    let end = line.iter().rposition(|c| c.ch != ' ').map_or(0, |p| p + 1);
    line.get(..end).unwrap_or(&[])
}

/// Greedy breaking by measured width (in mm), with 避头尾 as on the grid.
pub(crate) fn wrap_measured(units: &[Unit], w: f32) -> Vec<std::ops::Range<usize>> {
    // Re-express each unit's width in hundredths of a millimetre and reuse
    // the grid breaker.
    let scaled: Vec<Unit> = units
        .iter()
        .map(|u| Unit {
            cells: (width(&u.chars) * 100.0).ceil() as u32,
            ..u.clone()
        })
        .collect();
    let cap = (w * 100.0).floor() as u32;
    text::break_lines(&scaled, cap, cap)
}

/// Text set at `size_pt` and broken into lines no wider than `w_mm`; the
/// characters' advances in millimetres. Checks coverage (naming `place`).
pub(crate) fn wrapped(
    fonts: &FontLibrary,
    value: &str,
    role: FontRole,
    size_pt: f32,
    w_mm: f32,
    place: &Place,
) -> Result<Vec<Vec<Ch>>> {
    let chars = resolve(fonts, value, role, size_pt, 1.0, place)?;
    let units = text::units(&chars, u32::MAX);
    Ok(wrap_measured(&units, w_mm)
        .into_iter()
        .map(|r| {
            let line: Vec<Ch> = units
                .get(r)
                .unwrap_or(&[])
                .iter()
                .flat_map(|u| u.chars.iter().copied())
                .collect();
            trim_end(&line).to_vec()
        })
        .collect())
}
