//! Shared look and layout of every chart: fonts, colours, number formats,
//! text-width estimates, row layout that never lets labels overlap, and a thin
//! drawing wrapper over the plotters SVG backend.
//!
//! All coordinates are whole pixels; every chart is drawn from the same
//! primitives so the output is byte-identical for identical input.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform};

use super::ChartError;

/// Font stack used for every text element: CJK faces first so Chinese region
/// and theme names render on Windows, macOS and Linux without font files.
pub const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// Default canvas width in pixels.
pub const WIDTH: u32 = 800;
/// Default (minimum) canvas height in pixels; charts grow taller with more rows.
pub const HEIGHT: u32 = 500;
/// Font size of the chart title.
pub const TITLE_SIZE: f64 = 18.0;
/// Font size of axis titles.
pub const AXIS_TITLE_SIZE: f64 = 14.0;
/// Font size of tick, row and column labels.
pub const LABEL_SIZE: f64 = 12.0;
/// Font size of the source note and other small print.
pub const NOTE_SIZE: f64 = 11.0;
/// Smallest vertical distance between two row labels: the label size plus a
/// little leading, so labels never touch even with hundreds of rows.
pub const ROW_STEP_MIN: i32 = 16;
/// Widest row-label column; longer labels are shortened with an ellipsis.
pub const MAX_ROW_LABEL_WIDTH: i32 = 170;

/// Plotters writes `font-size = size / 1.24` into SVG; this undoes that factor
/// so the sizes above are the pixel sizes in the output.
const PLOTTERS_FONT_FACTOR: f64 = 1.24;

/// The size to hand plotters so that the SVG says exactly `size` (plotters
/// divides by 1.24; a plain multiply can leave "13.000000000000002").
fn plotters_size(size: f64) -> f64 {
    let guess = size * PLOTTERS_FONT_FACTOR;
    let bits = guess.to_bits();
    (0..8u64)
        .flat_map(|k| [bits.wrapping_add(k), bits.wrapping_sub(k)])
        .map(f64::from_bits)
        .find(|s| s / PLOTTERS_FONT_FACTOR == size)
        .unwrap_or(guess)
}

/// Colour of text.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Colour of secondary text (notes, axis titles).
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Colour of grid and axis lines.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Fill of ordinary bars.
pub const BAR: RGBColor = RGBColor(0x4C, 0x78, 0xA8);
/// Outline and hatching of masked values (numbers hidden in the source as ××).
pub const MASKED: RGBColor = RGBColor(0x8E, 0x6C, 0x8A);
/// Outline and hatching of damaged values (numbers garbled in the source).
pub const DAMAGED: RGBColor = RGBColor(0xE4, 0x57, 0x56);
/// Fill of cells with no data.
pub const EMPTY: RGBColor = RGBColor(0xF4, 0xF4, 0xF4);
/// Highlight of rows/columns that need attention (unknown region or period).
pub const ALERT: RGBColor = RGBColor(0xF5, 0x85, 0x18);
/// Light background of highlighted rows/columns.
pub const ALERT_BG: RGBColor = RGBColor(0xFD, 0xEB, 0xD3);

/// Qualitative palette for series and themes (Tableau 10 plus two extra),
/// chosen to stay distinguishable for up to 12 lines.
pub const PALETTE: [RGBColor; 12] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
    RGBColor(0x1F, 0x3A, 0x93),
    RGBColor(0x2C, 0x8C, 0x2C),
];

/// Colour of a share in `0..=1` on a white-to-blue sequential scale; values
/// outside the range are clamped, non-finite ones count as zero.
pub fn share_color(share: f64) -> RGBColor {
    let t = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let lerp = |a: u8, b: u8| -> u8 {
        let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
        // The value lies between two u8 values, so the cast cannot truncate.
        v.round() as u8
    };
    RGBColor(lerp(0xEF, 0x08), lerp(0xF3, 0x45), lerp(0xFF, 0x94))
}

/// Whether text drawn on `bg` should be white rather than dark.
pub fn light_text_on(bg: RGBColor) -> bool {
    let RGBColor(r, g, b) = bg;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    luma < 140.0
}

/// Compact human number: thousands separators for large values, at most two
/// decimals, no trailing zeros ("12,300", "3.5", "0.25").
pub fn fmt_number(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let neg = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc();
    let frac = ((abs - int) * 100.0).round() as u64;
    let mut digits = format!("{int:.0}");
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    grouped = format!("{digits}{grouped}");
    let mut out = if neg { format!("-{grouped}") } else { grouped };
    if frac > 0 {
        let f = format!("{frac:02}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// A share in `0..=1` as a whole percentage ("45%").
pub fn fmt_percent(share: f64) -> String {
    if !share.is_finite() {
        return "–".to_string();
    }
    format!("{:.0}%", share * 100.0)
}

/// A share in `0..=1` as a percentage: one decimal below 10% ("4.5%"), whole
/// above ("45%"), so small shares stay distinguishable.
pub fn fmt_share(share: f64) -> String {
    if !share.is_finite() {
        "–".to_string()
    } else if share > 0.0 && share < 0.1 {
        format!("{:.1}%", share * 100.0)
    } else {
        format!("{:.0}%", share * 100.0)
    }
}

/// Estimated rendered width of `text` at `size` px: CJK and other wide
/// characters count one em, narrow (ASCII) ones about 0.6 em.
pub fn text_width(text: &str, size: f64) -> i32 {
    let ems: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum();
    (ems * size).ceil() as i32
}

/// `text` shortened with "…" so that it fits in `max_width` px at `size`.
pub fn fit_text(text: &str, size: f64, max_width: i32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let candidate = format!("{out}{c}…");
        if text_width(&candidate, size) > max_width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Vertical placement of `n` equally spaced rows starting at `top`; the step
/// never falls below [`ROW_STEP_MIN`], so the chart grows instead of letting
/// labels overlap.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    /// y of the top edge of the first row.
    pub top: i32,
    /// Height of each row.
    pub step: i32,
    /// Number of rows.
    pub n: usize,
}

impl Rows {
    /// Rows filling `avail` px if that leaves at least `min_step` per row
    /// (capped at `max_step`), else `min_step` rows that extend past `avail`.
    pub fn fit(top: i32, avail: i32, n: usize, min_step: i32, max_step: i32) -> Self {
        let n_i = i32::try_from(n.max(1)).unwrap_or(i32::MAX);
        let step = (avail / n_i).clamp(min_step, max_step.max(min_step));
        Rows { top, step, n }
    }
    /// y of the top edge of row `i`.
    pub fn y0(&self, i: usize) -> i32 {
        self.top + self.step * i32::try_from(i).unwrap_or(i32::MAX / 2)
    }
    /// y of the centre of row `i`.
    pub fn mid(&self, i: usize) -> i32 {
        self.y0(i) + self.step / 2
    }
    /// y just below the last row.
    pub fn bottom(&self) -> i32 {
        self.y0(self.n)
    }
}

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

/// A drawing surface: plotters' SVG backend with the primitives the charts use.
pub struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

impl<'a> Canvas<'a> {
    /// A white canvas of `width × height` px writing into `buf`.
    pub fn new(buf: &'a mut String, width: u32, height: u32) -> Result<Self, ChartError> {
        let area = SVGBackend::with_string(buf, (width, height)).into_drawing_area();
        area.fill(&WHITE).map_err(draw_err)?;
        Ok(Canvas { area })
    }

    /// Finish the document (writes the closing `</svg>`).
    pub fn finish(self) -> Result<(), ChartError> {
        self.area.present().map_err(draw_err)
    }

    /// One line of text; `size` is the output font size in px, `v_center`
    /// puts `y` at the middle of the text rather than its baseline.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        s: &str,
        x: i32,
        y: i32,
        size: f64,
        anchor: Anchor,
        color: RGBColor,
        bold: bool,
    ) -> Result<(), ChartError> {
        self.text_rot(s, x, y, size, anchor, color, bold, false)
    }

    /// Like [`Canvas::text`], optionally rotated to read bottom-to-top.
    #[allow(clippy::too_many_arguments)]
    pub fn text_rot(
        &self,
        s: &str,
        x: i32,
        y: i32,
        size: f64,
        anchor: Anchor,
        color: RGBColor,
        bold: bool,
        vertical: bool,
    ) -> Result<(), ChartError> {
        if s.is_empty() {
            return Ok(());
        }
        let h = match anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        let mut font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            plotters_size(size),
            if bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            },
        );
        if vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let style = TextStyle {
            font,
            color: color.to_backend_color(),
            pos: Pos::new(h, VPos::Center),
        };
        self.area
            .draw(&Text::new(s.to_string(), (x, y), style))
            .map_err(draw_err)
    }

    /// A filled rectangle from `(x0, y0)` to `(x1, y1)`.
    pub fn rect(
        &self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        fill: RGBColor,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))
            .map_err(draw_err)
    }

    /// A rectangle outline.
    pub fn outline(
        &self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        color: RGBColor,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(1)))
            .map_err(draw_err)
    }

    /// A polyline.
    pub fn line(
        &self,
        points: Vec<(i32, i32)>,
        color: RGBColor,
        width: u32,
    ) -> Result<(), ChartError> {
        self.area
            .draw(&PathElement::new(points, color.stroke_width(width)))
            .map_err(draw_err)
    }

    /// A dot; filled or as a ring.
    pub fn dot(
        &self,
        x: i32,
        y: i32,
        r: i32,
        color: RGBColor,
        filled: bool,
    ) -> Result<(), ChartError> {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(1)
        };
        self.area
            .draw(&Circle::new((x, y), r, style))
            .map_err(draw_err)
    }

    /// An outlined rectangle with diagonal hatching: marks a value that exists
    /// in the source but cannot be read (masked or damaged), so it is never
    /// mistaken for a zero.
    pub fn hatched(
        &self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        color: RGBColor,
    ) -> Result<(), ChartError> {
        let h = y1 - y0;
        let spacing = 6;
        // Lines of slope -1 ("/"): x + y = c, clipped to the rectangle.
        let mut c = x0 + y0 + spacing;
        while c < x1 + y1 {
            let (mut ax, mut ay) = (c - y1, y1);
            if ax < x0 {
                ax = x0;
                ay = c - x0;
            }
            let (mut bx, mut by) = (c - y0, y0);
            if bx > x1 {
                bx = x1;
                by = c - x1;
            }
            if h > 0 && ax <= bx {
                self.line(vec![(ax, ay), (bx, by)], color, 1)?;
            }
            c += spacing;
        }
        self.outline(x0, y0, x1, y1, color)
    }
}

/// Draw the chart title (top left) and the source note (bottom left) shared by
/// every chart; returns nothing, errors only on a backend failure.
pub fn frame(
    canvas: &Canvas<'_>,
    title: &str,
    source_note: &str,
    width: u32,
    height: u32,
) -> Result<(), ChartError> {
    let w = i32::try_from(width).unwrap_or(i32::MAX);
    let h = i32::try_from(height).unwrap_or(i32::MAX);
    canvas.text(
        &fit_text(title, TITLE_SIZE, w - 40),
        20,
        24,
        TITLE_SIZE,
        Anchor::Start,
        INK,
        true,
    )?;
    canvas.text(
        &fit_text(source_note, NOTE_SIZE, w - 40),
        20,
        h - 14,
        NOTE_SIZE,
        Anchor::Start,
        MUTED,
        false,
    )
}

/// Canvas height that fits `content_bottom` plus the footer, never below the default.
pub fn height_for(content_bottom: i32) -> u32 {
    u32::try_from(content_bottom + 40)
        .unwrap_or(HEIGHT)
        .max(HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_number(12300.0), "12,300");
        assert_eq!(fmt_number(3.5), "3.5");
        assert_eq!(fmt_number(0.25), "0.25");
        assert_eq!(fmt_number(-1234567.0), "-1,234,567");
        assert_eq!(fmt_percent(0.456), "46%");
        assert_eq!(fmt_share(0.045), "4.5%");
        assert_eq!(fmt_share(0.0), "0%");
    }

    #[test]
    fn long_labels_are_shortened_to_fit() {
        let long = "湖北省荆门市钟祥市科学技术局高新技术产业开发区管理委员会";
        let fitted = fit_text(long, 12.0, 120);
        assert!(fitted.ends_with('…'));
        assert!(text_width(&fitted, 12.0) <= 120);
        assert_eq!(fit_text("钟祥市", 12.0, 120), "钟祥市");
    }

    #[test]
    fn rows_never_closer_than_minimum() {
        let rows = Rows::fit(40, 400, 300, ROW_STEP_MIN, 40);
        assert_eq!(rows.step, ROW_STEP_MIN);
        assert!(rows.bottom() > 400);
        let rows = Rows::fit(40, 400, 4, ROW_STEP_MIN, 40);
        assert_eq!(rows.step, 40);
    }

    #[test]
    fn font_sizes_come_out_exact() {
        for size in [TITLE_SIZE, AXIS_TITLE_SIZE, LABEL_SIZE, NOTE_SIZE, 10.0] {
            assert_eq!(plotters_size(size) / PLOTTERS_FONT_FACTOR, size);
        }
    }

    #[test]
    fn share_scale_runs_light_to_dark() {
        assert!(!light_text_on(share_color(0.0)));
        assert!(light_text_on(share_color(1.0)));
    }
}
