//! Cell formats, and the workbook's style sheet made of them.

use std::fmt::Write as _;

use super::escape_attribute;

/// A horizontal or vertical alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatAlign {
    Center,
    Right,
    Top,
    VerticalCenter,
}

/// How a cell looks: font, fill, border, alignment, number format, protection. A font
/// not named, or a size not given, is the workbook's (Times New Roman 11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[allow(clippy::struct_excessive_bools)] // a format is a set of switches, as Excel's is
pub struct Format {
    font_name: Option<String>,
    /// Points × 100, so that a format can be a hash key.
    font_size: Option<u32>,
    bold: bool,
    italic: bool,
    underline: bool,
    font_color: Option<u32>,
    fill: Option<u32>,
    border: bool,
    horizontal: Option<FormatAlign>,
    vertical: Option<FormatAlign>,
    wrap: bool,
    number_code: Option<String>,
    unlocked: bool,
}

impl Format {
    pub fn new() -> Self {
        Self::default()
    }

    #[must_use]
    pub fn set_bold(mut self) -> Self {
        self.bold = true;
        self
    }

    #[must_use]
    pub fn set_italic(mut self) -> Self {
        self.italic = true;
        self
    }

    /// A single underline.
    #[must_use]
    pub fn set_underline(mut self) -> Self {
        self.underline = true;
        self
    }

    #[must_use]
    pub fn set_font_name(mut self, name: impl Into<String>) -> Self {
        self.font_name = Some(name.into());
        self
    }

    #[must_use]
    pub fn set_font_size(mut self, points: impl Into<f64>) -> Self {
        // Excel's sizes run from 1 to 409 points.
        let points = points.into();
        let points = if points.is_finite() { points.clamp(1.0, 409.0) } else { 11.0 };
        self.font_size = Some((points * 100.0).round() as u32);
        self
    }

    /// The font's colour, as six hexadecimal digits ("808080").
    #[must_use]
    pub fn set_font_color(mut self, rgb: &str) -> Self {
        self.font_color = hex_colour(rgb);
        self
    }

    /// A solid fill of `rgb`, written as six hexadecimal digits ("DDEBF7").
    #[must_use]
    pub fn set_background_color(mut self, rgb: &str) -> Self {
        self.fill = hex_colour(rgb);
        self
    }

    /// A thin border on all four sides.
    #[must_use]
    pub fn set_border(mut self) -> Self {
        self.border = true;
        self
    }

    /// Sets the horizontal or the vertical alignment, whichever `align` is.
    #[must_use]
    pub fn set_align(mut self, align: FormatAlign) -> Self {
        match align {
            FormatAlign::Center | FormatAlign::Right => self.horizontal = Some(align),
            FormatAlign::Top | FormatAlign::VerticalCenter => self.vertical = Some(align),
        }
        self
    }

    #[must_use]
    pub fn set_text_wrap(mut self) -> Self {
        self.wrap = true;
        self
    }

    #[must_use]
    pub fn set_num_format(mut self, code: impl Into<String>) -> Self {
        self.number_code = Some(code.into());
        self
    }

    /// The cell stays editable when its sheet is protected.
    #[must_use]
    pub fn set_unlocked(mut self) -> Self {
        self.unlocked = true;
        self
    }
}

/// The font part of a format, as the style sheet lists fonts.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Font {
    name: String,
    size: u32,
    bold: bool,
    italic: bool,
    underline: bool,
    color: Option<u32>,
}

/// The style sheet: the default format first (cell style 0), then every format the
/// sheets use, each once, numbered in the order given.
pub(super) struct StyleSheet {
    default: Format,
    formats: Vec<Format>,
    index: std::collections::HashMap<Format, u16>,
}

impl StyleSheet {
    pub(super) fn new(default: Format) -> Self {
        Self { default, formats: Vec::new(), index: std::collections::HashMap::new() }
    }

    /// How many formats the sheets use.
    pub(super) fn len(&self) -> usize {
        self.formats.len()
    }

    /// The number of `format` in the style sheet, added if new (past `u16`, the count the
    /// caller refuses, numbers wrap).
    pub(super) fn add(&mut self, format: &Format) -> u16 {
        if let Some(&n) = self.index.get(format) {
            return n;
        }
        let n = (self.formats.len() + 1) as u16;
        self.formats.push(format.clone());
        self.index.insert(format.clone(), n);
        n
    }

    fn font(&self, f: &Format) -> Font {
        Font {
            name: f.font_name.clone().or_else(|| self.default.font_name.clone()).unwrap_or_else(|| "Calibri".into()),
            size: f.font_size.or(self.default.font_size).unwrap_or(1100),
            bold: f.bold,
            italic: f.italic,
            underline: f.underline,
            color: f.font_color,
        }
    }

    /// `styles.xml`.
    pub(super) fn xml(&self) -> String {
        let all: Vec<&Format> = std::iter::once(&self.default).chain(&self.formats).collect();
        let mut num_formats: Vec<&str> = Vec::new();
        let mut fonts: Vec<Font> = Vec::new();
        let mut fills: Vec<u32> = Vec::new();
        let mut xfs = String::new();
        for (k, f) in all.iter().enumerate() {
            let num_id = match f.number_code.as_deref() {
                None | Some("General") => 0,
                Some("@") => 49,
                Some(code) => {
                    let k = num_formats.iter().position(|c| *c == code).unwrap_or_else(|| {
                        num_formats.push(code);
                        num_formats.len() - 1
                    });
                    164 + k
                }
            };
            let font = self.font(f);
            let font_id = fonts.iter().position(|x| *x == font).unwrap_or_else(|| {
                fonts.push(font);
                fonts.len() - 1
            });
            // Fills 0 and 1 are Excel's own (none, gray125).
            let fill_id = f.fill.map_or(0, |rgb| {
                2 + fills.iter().position(|x| *x == rgb).unwrap_or_else(|| {
                    fills.push(rgb);
                    fills.len() - 1
                })
            });
            let border_id = usize::from(f.border);
            let _ = write!(
                xfs,
                r#"<xf numFmtId="{num_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0""#
            );
            let is_default = k == 0;
            for (applies, name) in [
                (num_id != 0, "applyNumberFormat"),
                (font_id != 0, "applyFont"),
                (fill_id != 0, "applyFill"),
                (border_id != 0, "applyBorder"),
                (f.horizontal.is_some() || f.vertical.is_some() || f.wrap, "applyAlignment"),
                (f.unlocked, "applyProtection"),
            ] {
                if applies && !is_default {
                    let _ = write!(xfs, r#" {name}="1""#);
                }
            }
            let alignment = alignment(f);
            if alignment.is_empty() && !f.unlocked {
                xfs.push_str("/>");
                continue;
            }
            xfs.push('>');
            if !alignment.is_empty() {
                let _ = write!(xfs, "<alignment{alignment}/>");
            }
            if f.unlocked {
                xfs.push_str(r#"<protection locked="0"/>"#);
            }
            xfs.push_str("</xf>");
        }
        let mut xml = String::from(super::XML_DECLARATION);
        xml.push_str(r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
        if !num_formats.is_empty() {
            let _ = write!(xml, r#"<numFmts count="{}">"#, num_formats.len());
            for (k, code) in num_formats.iter().enumerate() {
                let _ = write!(xml, r#"<numFmt numFmtId="{}" formatCode="{}"/>"#, 164 + k, escape_attribute(code));
            }
            xml.push_str("</numFmts>");
        }
        let _ = write!(xml, r#"<fonts count="{}">"#, fonts.len());
        for font in &fonts {
            xml.push_str("<font>");
            for (on, tag) in [(font.bold, "<b/>"), (font.italic, "<i/>"), (font.underline, "<u/>")] {
                if on {
                    xml.push_str(tag);
                }
            }
            let _ = write!(xml, r#"<sz val="{}"/>"#, points(font.size));
            if let Some(rgb) = font.color {
                let _ = write!(xml, r#"<color rgb="FF{rgb:06X}"/>"#);
            }
            let _ = write!(xml, r#"<name val="{}"/><family val="2"/></font>"#, escape_attribute(&font.name));
        }
        let _ = write!(
            xml,
            r#"</fonts><fills count="{}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#,
            fills.len() + 2
        );
        for rgb in &fills {
            let _ = write!(
                xml,
                r#"<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb:06X}"/><bgColor indexed="64"/></patternFill></fill>"#
            );
        }
        xml.push_str(concat!(
            r#"</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#,
            r#"<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>"#,
            r#"<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#,
        ));
        // The Normal style is the default format too: a reader takes a cell without a format
        // of its own from it (LibreOffice its alignment).
        let normal = alignment(&self.default);
        let normal = if normal.is_empty() { "/>".to_owned() } else { format!("><alignment{normal}/></xf>") };
        let _ = write!(
            xml,
            r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"{normal}</cellStyleXfs><cellXfs count="{}">{xfs}</cellXfs>"#,
            all.len()
        );
        xml.push_str(concat!(
            r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>"#,
            r#"<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#,
        ));
        xml
    }
}

/// A colour given as hexadecimal digits: of "FFDDEBF7" (with its alpha), the last six.
fn hex_colour(rgb: &str) -> Option<u32> {
    u32::from_str_radix(rgb.trim_start_matches('#'), 16).ok().map(|v| v & 0xFF_FF_FF)
}

/// The attributes of a format's `<alignment>`, empty when it has none.
fn alignment(f: &Format) -> String {
    let mut a = String::new();
    if let Some(h) = f.horizontal {
        let name = if h == FormatAlign::Right { "right" } else { "center" };
        let _ = write!(a, r#" horizontal="{name}""#);
    }
    if let Some(v) = f.vertical {
        let name = if v == FormatAlign::Top { "top" } else { "center" };
        let _ = write!(a, r#" vertical="{name}""#);
    }
    if f.wrap {
        a.push_str(r#" wrapText="1""#);
    }
    a
}

/// Points × 100 as the style sheet writes a size ("11", "10.5").
fn points(hundredths: u32) -> String {
    if hundredths.is_multiple_of(100) {
        (hundredths / 100).to_string()
    } else {
        format!("{}", f64::from(hundredths) / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_is_listed_once_and_its_parts_are_shared() {
        let default = Format::new().set_font_name("Times New Roman").set_font_size(11).set_align(FormatAlign::Top);
        let mut sheet = StyleSheet::new(default);
        let header = Format::new().set_bold().set_border().set_background_color("DDEBF7");
        let percent = Format::new().set_num_format("0.0%").set_align(FormatAlign::Right);
        assert_eq!(sheet.add(&header), 1);
        assert_eq!(sheet.add(&percent), 2);
        assert_eq!(sheet.add(&header.clone()), 1, "the same format is the same number");
        let xml = sheet.xml();
        assert!(xml.contains(r#"<numFmt numFmtId="164" formatCode="0.0%"/>"#), "{xml}");
        // The default's font, the header's bold one: two fonts; a third format adds none.
        assert!(xml.contains(r#"<fonts count="2">"#), "{xml}");
        assert!(xml.contains(r#"<fgColor rgb="FFDDEBF7"/>"#), "{xml}");
        assert!(xml.contains(r#"<cellXfs count="3">"#), "{xml}");
        // The Normal style aligns as the default format does.
        assert!(xml.contains(r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="top"/></xf>"#), "{xml}");
        assert!(xml.contains(r#"<alignment horizontal="right"/>"#), "{xml}");
        assert!(xml.contains(r#"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>"#), "{xml}");
    }

    #[test]
    fn an_unlocked_format_says_so_and_a_text_format_is_the_built_in_one() {
        let mut sheet = StyleSheet::new(Format::new());
        sheet.add(&Format::new().set_num_format("@").set_unlocked());
        let xml = sheet.xml();
        assert!(xml.contains(r#"numFmtId="49""#), "{xml}");
        assert!(xml.contains(r#"<protection locked="0"/>"#), "{xml}");
        assert!(!xml.contains("<numFmts"), "{xml}");
    }
}
