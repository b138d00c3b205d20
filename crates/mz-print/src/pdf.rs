//! The layout model written as PDF with printpdf: every run's face embedded
//! as a subset (printpdf's `text_layout` feature), glyphs placed by absolute
//! text matrices so the grid positions of the model are exactly those of
//! the page.
//!
//! Files are written atomically: to a temporary file in the target folder,
//! renamed over the target only when complete. A failed generation leaves
//! nothing at the target path.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use printpdf::{
    Codepoint, Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, TextMatrix,
    WindingOrder,
};

use crate::error::{PrintError, Result};
use crate::fonts::FontLibrary;
use crate::model::{Colour, Item, Layout, PT_MM};

fn pt(mm: f32) -> f32 {
    mm / PT_MM
}

fn colour(c: Colour) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(c.r) / 255.0,
        f32::from(c.g) / 255.0,
        f32::from(c.b) / 255.0,
        None,
    ))
}

fn point(x_mm: f32, y_mm_from_top: f32, page_h: f32) -> LinePoint {
    LinePoint {
        p: Point::new(Mm(x_mm), Mm(page_h - y_mm_from_top)),
        bezier: false,
    }
}

fn handle(x_mm: f32, y_mm_from_top: f32, page_h: f32) -> LinePoint {
    LinePoint {
        bezier: true,
        ..point(x_mm, y_mm_from_top, page_h)
    }
}

/// Writes the layout as PDF bytes.
pub fn render_pdf(layout: &Layout, fonts: &FontLibrary) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&layout.title);
    let mut ids: HashMap<usize, FontId> = HashMap::new();
    for (_, run) in layout.texts() {
        if let std::collections::hash_map::Entry::Vacant(slot) = ids.entry(run.face) {
            slot.insert(doc.add_font(fonts.pdf_font(run.face)?));
        }
    }
    let mut pages = Vec::with_capacity(layout.pages.len());
    for page in &layout.pages {
        let h = page.height_mm;
        let mut ops = Vec::new();
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    let font = fonts.pdf_font(run.face)?;
                    let id = ids
                        .get(&run.face)
                        .ok_or_else(|| PrintError::Pdf("font not registered".to_owned()))?;
                    ops.push(Op::SetFillColor {
                        col: colour(run.colour),
                    });
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id.clone()),
                        size: Pt(run.size_pt),
                    });
                    let y = pt(h - run.baseline_mm);
                    let (sin, cos) = run.rotation_deg.to_radians().sin_cos();
                    for g in &run.glyphs {
                        let gid = font.lookup_glyph_index(u32::from(g.ch)).ok_or_else(|| {
                            PrintError::Pdf(format!(
                                "the font chosen for U+{:04X} has no glyph for it",
                                u32::from(g.ch)
                            ))
                        })?;
                        let matrix = if run.rotation_deg == 0.0 {
                            TextMatrix::Translate(Pt(pt(g.x_mm)), Pt(y))
                        } else {
                            TextMatrix::Raw([cos, sin, -sin, cos, pt(g.x_mm), y])
                        };
                        ops.push(Op::SetTextMatrix { matrix });
                        ops.push(Op::ShowText {
                            items: vec![TextItem::GlyphIds(vec![Codepoint::with_cid(
                                gid,
                                0.0,
                                g.ch.to_string(),
                            )])],
                        });
                    }
                    ops.push(Op::EndTextSection);
                }
                Item::Rule(rule) => {
                    ops.push(Op::SetOutlineColor {
                        col: colour(rule.colour),
                    });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(pt(rule.width_mm)),
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                point(rule.x1_mm, rule.y1_mm, h),
                                point(rule.x2_mm, rule.y2_mm, h),
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Circle(c) => {
                    // Four cubic Bézier quarters.
                    let k = 0.552_284_8 * c.r_mm;
                    let (x, y, r) = (c.cx_mm, c.cy_mm, c.r_mm);
                    let points = vec![
                        point(x + r, y, h),
                        handle(x + r, y + k, h),
                        handle(x + k, y + r, h),
                        point(x, y + r, h),
                        handle(x - k, y + r, h),
                        handle(x - r, y + k, h),
                        point(x - r, y, h),
                        handle(x - r, y - k, h),
                        handle(x - k, y - r, h),
                        point(x, y - r, h),
                        handle(x + k, y - r, h),
                        handle(x + r, y - k, h),
                        point(x + r, y, h),
                    ];
                    ops.push(Op::SetOutlineColor {
                        col: colour(c.colour),
                    });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(pt(c.width_mm)),
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points,
                            is_closed: true,
                        },
                    });
                }
                Item::Shape(s) => {
                    ops.push(Op::SetFillColor {
                        col: colour(s.colour),
                    });
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing {
                                points: s.points_mm.iter().map(|&(x, y)| point(x, y, h)).collect(),
                            }],
                            mode: PaintMode::Fill,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                }
            }
        }
        pages.push(PdfPage::new(Mm(page.width_mm), Mm(h), ops));
    }
    let mut warnings = Vec::new();
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let bytes = doc.with_pages(pages).save(&options, &mut warnings);
    if bytes.is_empty() {
        return Err(PrintError::Pdf("printpdf produced no output".to_owned()));
    }
    Ok(bytes)
}

/// Writes `bytes` to `out` atomically: nothing appears at `out` unless the
/// whole file was written.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |source| PrintError::Io {
        path: out.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".mz-print-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // A temporary file is private (0600); the PDF is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(())
}
