//! The layout model drawn as SVG, for the on-screen preview: the same
//! positions as the PDF, in millimetres, each glyph where the PDF puts it.
//! The screen's own fonts stand in for the print fonts (a family per role).

use std::fmt::Write as _;

use crate::fonts::FontRole;
use crate::model::{Colour, Item, PT_MM, Page};

/// The families the screen draws a role with. A face that is installed by
/// its own name comes before the generic names, which fontconfig answers
/// with any serif face.
fn family(role: FontRole) -> &'static str {
    match role {
        FontRole::Title | FontRole::Song => "'Noto Serif CJK SC', serif",
        FontRole::Body => {
            "'FandolFang', '仿宋_GB2312', 'FangSong', 'LXGW WenKai', 'Noto Serif CJK SC', serif"
        }
        FontRole::Kai => "'LXGW WenKai', '楷体_GB2312', 'KaiTi', 'Noto Serif CJK SC', serif",
        FontRole::Hei => "'Noto Sans CJK SC', sans-serif",
    }
}

fn colour(c: Colour) -> String {
    format!("rgb({},{},{})", c.r, c.g, c.b)
}

fn escape(ch: char, out: &mut String) {
    match ch {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        other => out.push(other),
    }
}

/// One page as a standalone SVG document, sized in millimetres.
pub fn page_svg(page: &Page) -> String {
    let (w, h) = (page.width_mm, page.height_mm);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>"
    );
    for item in &page.items {
        match item {
            Item::Text(run) => {
                let size = run.size_pt * PT_MM;
                // Each glyph its own <text>, so that a rotated one (the seal's
                // ring of characters) turns about its own origin as in the PDF.
                for glyph in &run.glyphs {
                    let (x, y) = (glyph.x_mm, run.baseline_mm);
                    let _ = write!(
                        out,
                        "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"{}\" font-size=\"{size:.3}\" fill=\"{}\"",
                        family(run.role),
                        colour(run.colour)
                    );
                    if run.rotation_deg != 0.0 {
                        let _ = write!(
                            out,
                            " transform=\"rotate({:.2} {x:.2} {y:.2})\"",
                            -run.rotation_deg
                        );
                    }
                    out.push('>');
                    escape(glyph.ch, &mut out);
                    out.push_str("</text>");
                }
            }
            Item::Rule(rule) => {
                let _ = write!(
                    out,
                    "<line x1=\"{:.2}\" y1=\"{:.2}\" x2=\"{:.2}\" y2=\"{:.2}\" stroke=\"{}\" stroke-width=\"{:.2}\"/>",
                    rule.x1_mm,
                    rule.y1_mm,
                    rule.x2_mm,
                    rule.y2_mm,
                    colour(rule.colour),
                    rule.width_mm
                );
            }
            Item::Circle(circle) => {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"{:.2}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{:.2}\"/>",
                    circle.cx_mm,
                    circle.cy_mm,
                    circle.r_mm,
                    colour(circle.colour),
                    circle.width_mm
                );
            }
            Item::Shape(shape) => {
                let points: Vec<String> = shape
                    .points_mm
                    .iter()
                    .map(|(x, y)| format!("{x:.2},{y:.2}"))
                    .collect();
                let _ = write!(
                    out,
                    "<polygon points=\"{}\" fill=\"{}\"/>",
                    points.join(" "),
                    colour(shape.colour)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{Element, Glyph, TextRun};

    #[test]
    fn glyphs_stand_where_the_pdf_puts_them_and_markup_is_escaped() {
        let mut page = Page::a4();
        page.items.push(Item::Text(TextRun {
            element: Element::Field("name".into()),
            role: FontRole::Body,
            face: 0,
            size_pt: 12.0,
            top_mm: 40.0,
            baseline_mm: 44.0,
            colour: Colour::BLACK,
            rotation_deg: 0.0,
            glyphs: vec![
                Glyph {
                    ch: '王',
                    x_mm: 30.0,
                },
                Glyph {
                    ch: '<',
                    x_mm: 34.2,
                },
            ],
        }));
        let svg = page_svg(&page);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<text x=\"30.00\" y=\"44.00\""), "{svg}");
        assert!(svg.contains(">王</text>"), "{svg}");
        assert!(svg.contains("<text x=\"34.20\" y=\"44.00\""), "{svg}");
        assert!(svg.contains(">&lt;</text>"), "{svg}");
        assert!(svg.contains("width=\"210mm\""));
    }
}
