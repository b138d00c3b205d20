//! Font chains: for each role (小标宋, 仿宋, 楷体, 黑体, 宋体) an ordered list of
//! installed faces, ending with the rare-character fallbacks.
//!
//! Faces are found by family name among the installed fonts (fontdb reads
//! the fontconfig setup and the font directories): first the fonts a
//! government desktop has (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) and
//! their Windows names, then the free fonts the project's setup installs
//! (Noto Serif/Sans CJK SC, FandolFang, LXGW WenKai, HanaMinA/B).
//!
//! A face is read only when a character needs it, and then once per process:
//! its character map (for the coverage check and widths) and, for PDF output,
//! its printpdf parse, which is the slow part (0.1–0.2 s for a CJK face).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{PrintError, Result};

/// What a piece of text is set in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FontRole {
    /// 小标宋: the issuing-body mark and the title.
    Title,
    /// 仿宋: body text.
    Body,
    /// 楷体: second-level headings, signers' names.
    Kai,
    /// 黑体: first-level headings, classification, urgency, copy number.
    Hei,
    /// 宋体: page numbers.
    Song,
}

impl FontRole {
    pub const ALL: [FontRole; 5] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Kai,
        FontRole::Hei,
        FontRole::Song,
    ];

    /// The role's name as a person at the counter knows it.
    pub fn label(self) -> &'static str {
        match self {
            FontRole::Title => "小标宋 title",
            FontRole::Body => "仿宋 body",
            FontRole::Kai => "楷体 kai",
            FontRole::Hei => "黑体 hei",
            FontRole::Song => "宋体 song",
        }
    }

    fn wanted(self) -> &'static [Wanted] {
        match self {
            FontRole::Title => TITLE,
            FontRole::Body => BODY,
            FontRole::Kai => KAI,
            FontRole::Hei => HEI,
            FontRole::Song => SONG,
        }
    }
}

/// A family to look for, and the weight to prefer among its faces.
#[derive(Debug)]
struct Wanted {
    family: &'static str,
    weight: u16,
}

const fn w(family: &'static str, weight: u16) -> Wanted {
    Wanted { family, weight }
}

// The heavy weight of Noto Serif CJK (fonts-noto-cjk-extra) is the closest
// free stand-in for 小标宋; without it the nearest weight (Bold) is taken.
const TITLE: &[Wanted] = &[
    w("方正小标宋简体", 400),
    w("方正小标宋_GBK", 400),
    w("FZXiaoBiaoSong-B05S", 400),
    w("FZXiaoBiaoSong-B05", 400),
    w("小标宋", 400),
    w("Noto Serif CJK SC", 900),
    w("Source Han Serif SC", 900),
];
// FandolFang is the free 仿宋 the set-up installs; with no FangSong at all
// the chain falls back to a Kai face, which the standard allows in place of
// 仿宋.
const BODY: &[Wanted] = &[
    w("仿宋_GB2312", 400),
    w("FangSong_GB2312", 400),
    w("仿宋", 400),
    w("FangSong", 400),
    w("方正仿宋_GBK", 400),
    w("FZFangSong-Z02", 400),
    w("FandolFang", 400),
    w("LXGW WenKai", 400),
    w("AR PL UKai CN", 400),
    w("Noto Serif CJK SC", 400),
];
const KAI: &[Wanted] = &[
    w("楷体_GB2312", 400),
    w("KaiTi_GB2312", 400),
    w("楷体", 400),
    w("KaiTi", 400),
    w("方正楷体_GBK", 400),
    w("FZKai-Z03", 400),
    w("FandolKai", 400),
    w("LXGW WenKai", 400),
    w("AR PL UKai CN", 400),
    w("Noto Serif CJK SC", 400),
];
const HEI: &[Wanted] = &[
    w("黑体", 400),
    w("SimHei", 400),
    w("方正黑体_GBK", 400),
    w("FZHei-B01", 400),
    w("FandolHei", 400),
    w("Noto Sans CJK SC", 500),
    w("Source Han Sans SC", 500),
];
const SONG: &[Wanted] = &[
    w("宋体", 400),
    w("SimSun", 400),
    w("方正书宋_GBK", 400),
    w("FandolSong", 400),
    w("Noto Serif CJK SC", 400),
    w("Source Han Serif SC", 400),
];
/// Appended to every chain: faces for the rare characters of real names
/// (CJK Extension A in HanaMinA, Extension B and later in HanaMinB).
const RARE: &[Wanted] = &[
    w("SimSun-ExtB", 400),
    w("MingLiU-ExtB", 400),
    w("HanaMinA", 400),
    w("HanaMinB", 400),
    w("Noto Serif CJK SC", 400),
    w("Noto Sans CJK SC", 400),
];

/// One face of a chain, as `mz print fonts` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainEntry {
    /// The family it was found under.
    pub family: String,
    pub path: PathBuf,
    /// The face index inside a collection (.ttc).
    pub index: u32,
    pub weight: u16,
    /// Whether it is one of the rare-character fallbacks.
    pub fallback: bool,
}

#[derive(Debug)]
struct Link {
    face: usize,
    family: &'static str,
    fallback: bool,
}

/// Character map and widths of one face.
#[derive(Debug)]
struct Metrics {
    advances: HashMap<u32, u16>,
    /// Left and right ends of the ink of the punctuation that can be set
    /// half-width (font units), for 标点挤压.
    ink: HashMap<u32, (i16, i16)>,
    units_per_em: f32,
}

#[derive(Debug)]
struct FaceSlot {
    path: PathBuf,
    index: u32,
    weight: u16,
    metrics: OnceLock<Result<Arc<Metrics>, String>>,
    pdf: OnceLock<Result<ParsedFont, String>>,
}

/// The resolved chains of all roles over the installed fonts.
#[derive(Debug)]
pub struct FontLibrary {
    faces: Vec<FaceSlot>,
    chains: BTreeMap<FontRole, Vec<Link>>,
}

static SYSTEM: OnceLock<FontLibrary> = OnceLock::new();

/// The chains over the fonts installed on this machine, built once per
/// process. Extra font folders can be named in `MZ_PRINT_FONT_DIRS`
/// (separated like PATH).
pub fn system_fonts() -> &'static FontLibrary {
    SYSTEM.get_or_init(FontLibrary::discover)
}

impl FontLibrary {
    /// Reads the installed fonts' names (not their glyphs) and resolves the
    /// chains.
    pub fn discover() -> Self {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        if let Some(dirs) = std::env::var_os("MZ_PRINT_FONT_DIRS") {
            for dir in std::env::split_paths(&dirs) {
                db.load_fonts_dir(dir);
            }
        }
        Self::from_database(&db)
    }

    /// Resolves the chains over the faces of `db` (tests use a database with
    /// a chosen few font files).
    pub fn from_database(db: &fontdb::Database) -> Self {
        let mut faces: Vec<FaceSlot> = Vec::new();
        let mut chains = BTreeMap::new();
        for role in FontRole::ALL {
            let mut links: Vec<Link> = Vec::new();
            let wanted = role
                .wanted()
                .iter()
                .map(|w| (w, false))
                .chain(RARE.iter().map(|w| (w, true)));
            for (want, fallback) in wanted {
                let Some((path, index, weight)) = best_face(db, want) else {
                    continue;
                };
                let slot = match faces
                    .iter()
                    .position(|f| f.path == path && f.index == index)
                {
                    Some(slot) => slot,
                    None => {
                        faces.push(FaceSlot {
                            path,
                            index,
                            weight,
                            metrics: OnceLock::new(),
                            pdf: OnceLock::new(),
                        });
                        faces.len() - 1
                    }
                };
                if links.iter().any(|l| l.face == slot) {
                    continue;
                }
                links.push(Link {
                    face: slot,
                    family: want.family,
                    fallback,
                });
            }
            chains.insert(role, links);
        }
        FontLibrary { faces, chains }
    }

    /// The resolved chain of a role, in the order faces are tried.
    pub fn chain(&self, role: FontRole) -> Vec<ChainEntry> {
        self.links(role)
            .iter()
            .filter_map(|l| {
                self.faces.get(l.face).map(|f| ChainEntry {
                    family: l.family.to_owned(),
                    path: f.path.clone(),
                    index: f.index,
                    weight: f.weight,
                    fallback: l.fallback,
                })
            })
            .collect()
    }

    fn links(&self, role: FontRole) -> &[Link] {
        self.chains.get(&role).map_or(&[], Vec::as_slice)
    }

    /// The file and face index of a face.
    pub fn face_file(&self, face: usize) -> Option<(&Path, u32)> {
        self.faces.get(face).map(|f| (f.path.as_path(), f.index))
    }

    /// The first face of the role's chain that has a glyph for `ch`.
    pub fn face_for(&self, role: FontRole, ch: char) -> Option<usize> {
        self.links(role)
            .iter()
            .map(|l| l.face)
            .find(|&face| self.covers(face, ch))
    }

    /// Whether the face has a glyph for `ch`. A face that cannot be read
    /// covers nothing, so the chain moves on to the next one.
    pub fn covers(&self, face: usize, ch: char) -> bool {
        self.metrics(face)
            .is_some_and(|m| m.advances.contains_key(&u32::from(ch)))
    }

    /// The advance width of `ch` in the face, in ems; `None` when the face
    /// has no glyph for it.
    pub fn advance_em(&self, face: usize, ch: char) -> Option<f32> {
        let m = self.metrics(face)?;
        m.advances
            .get(&u32::from(ch))
            .map(|&a| f32::from(a) / m.units_per_em)
    }

    /// Where the ink of a squeezable punctuation mark lies across its
    /// advance, as fractions of the advance (0 = left end, 1 = right end);
    /// `None` for other characters or a mark the face draws nothing for.
    pub fn ink_span(&self, face: usize, ch: char) -> Option<(f32, f32)> {
        let m = self.metrics(face)?;
        let &(x_min, x_max) = m.ink.get(&u32::from(ch))?;
        let adv = f32::from(*m.advances.get(&u32::from(ch))?);
        (adv > 0.0).then(|| (f32::from(x_min) / adv, f32::from(x_max) / adv))
    }

    fn metrics(&self, face: usize) -> Option<Arc<Metrics>> {
        let slot = self.faces.get(face)?;
        slot.metrics
            .get_or_init(|| read_metrics(&slot.path, slot.index).map(Arc::new))
            .as_ref()
            .ok()
            .cloned()
    }

    /// The face parsed for PDF output, once per process.
    pub(crate) fn pdf_font(&self, face: usize) -> Result<&ParsedFont> {
        let slot = self
            .faces
            .get(face)
            .ok_or_else(|| PrintError::Pdf(format!("no face {face} in the font library")))?;
        slot.pdf
            .get_or_init(|| {
                let bytes = std::fs::read(&slot.path).map_err(|e| e.to_string())?;
                let mut warnings = Vec::new();
                ParsedFont::from_bytes(&bytes, slot.index as usize, &mut warnings)
                    .ok_or_else(|| "printpdf could not parse the face".to_owned())
            })
            .as_ref()
            .map_err(|message| PrintError::Font {
                path: slot.path.clone(),
                message: message.clone(),
            })
    }

    /// Reads and parses every face the chains' first links need, so that
    /// the first document is not slower than the next (the desktop app calls
    /// this at start-up, in the background).
    pub fn preload(&self) -> Result<()> {
        for role in FontRole::ALL {
            if let Some(link) = self.links(role).first() {
                self.metrics(link.face);
                self.pdf_font(link.face)?;
            }
        }
        Ok(())
    }
}

fn best_face(db: &fontdb::Database, want: &Wanted) -> Option<(PathBuf, u32, u16)> {
    db.faces()
        .filter(|f| f.style == fontdb::Style::Normal)
        .filter(|f| {
            f.families
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case(want.family))
        })
        .filter_map(|f| {
            let path = match &f.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            Some((path, f.index, f.weight.0))
        })
        .min_by_key(|(path, index, weight)| (weight.abs_diff(want.weight), path.clone(), *index))
}

fn read_metrics(path: &Path, index: u32) -> Result<Metrics, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let face = ttf_parser::Face::parse(&bytes, index).map_err(|e| e.to_string())?;
    let mut advances = HashMap::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if let Some(gid) = sub.glyph_index(cp)
                    && gid.0 != 0
                {
                    advances
                        .entry(cp)
                        .or_insert_with(|| face.glyph_hor_advance(gid).unwrap_or(0));
                }
            });
        }
    }
    let mut ink = HashMap::new();
    for ch in crate::text::SQUEEZABLE.chars() {
        if let Some(gid) = face.glyph_index(ch)
            && let Some(bbox) = face.glyph_bounding_box(gid)
        {
            ink.insert(u32::from(ch), (bbox.x_min, bbox.x_max));
        }
    }
    Ok(Metrics {
        advances,
        ink,
        units_per_em: f32::from(face.units_per_em().max(1)),
    })
}
