//! SVG charts of the comparison tables.
//!
//! Every chart takes a plain input struct defined here (so charts can be built
//! and tested without polars; [`adapt`] fills them from the comparison tables)
//! and returns the SVG document as a `String`. The same input always gives the
//! same bytes. Charts are 800 px wide and at least 500 px tall; with many
//! regions they grow taller so that no two labels overlap. All text is
//! XML-escaped by the SVG backend.

pub mod adapt;
pub mod bars;
pub mod grid;
pub mod heatmap;
pub mod quality;
pub mod style;
pub mod trend;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The input holds nothing to draw (after filtering).
    #[error("nothing to chart: {0}")]
    Empty(String),
    /// The input is inconsistent (e.g. a row with the wrong number of cells).
    #[error("invalid chart input: {0}")]
    Invalid(String),
    /// A comparison table lacks a column or has one of the wrong type.
    #[error("comparison table: {0}")]
    Table(String),
    /// The SVG backend failed.
    #[error("drawing failed: {0}")]
    Draw(String),
}

/// The chart kinds `zongjie chart` can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartKind {
    /// Regions × themes for one period, coloured by share of documents.
    CoverageHeatmap,
    /// One indicator across regions for one period, sorted descending.
    IndicatorBars,
    /// One indicator over periods, one line per region.
    IndicatorTrend,
    /// Which themes each region reports, period by period (dot matrix).
    CoverageGrid,
    /// Documents per region × period, unknown region/period highlighted.
    Quality,
}

impl ChartKind {
    /// The kebab-case name used on the command line and as default file stem.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::CoverageHeatmap => "coverage-heatmap",
            ChartKind::IndicatorBars => "indicator-bars",
            ChartKind::IndicatorTrend => "indicator-trend",
            ChartKind::CoverageGrid => "coverage-grid",
            ChartKind::Quality => "quality",
        }
    }
}

/// Coverage heatmap input: one row per region, one column per theme, for one
/// period. `cells[r][c]` is the theme's share (0–1) of the region's
/// sentences (the coverage table's `share`); `None` when there is no data.
#[derive(Debug, Clone, Default)]
pub struct HeatmapInput {
    /// Chart title.
    pub title: String,
    /// Row labels (regions), top to bottom.
    pub row_labels: Vec<String>,
    /// Column labels (themes), left to right.
    pub col_labels: Vec<String>,
    /// `cells[row][col]`: share in 0–1, or `None` for no data.
    pub cells: Vec<Vec<Option<f64>>>,
    /// Axis title for the rows (e.g. "region").
    pub row_title: String,
    /// Axis title for the columns (e.g. "theme").
    pub col_title: String,
    /// Source note printed at the bottom (documents, period range).
    pub source_note: String,
}

/// One bar's value: a number, or the reason there is none. Masked and damaged
/// values are drawn as hatched outlines, never as zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BarValue {
    /// A readable number.
    Value(f64),
    /// The source hides the number (e.g. "××家").
    Masked,
    /// The number in the source is garbled.
    Damaged,
}

/// One region's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Region label.
    pub label: String,
    /// Its value.
    pub value: BarValue,
}

/// Indicator bars input: one indicator across regions for one period.
#[derive(Debug, Clone, Default)]
pub struct BarsInput {
    /// Chart title.
    pub title: String,
    /// Value axis title (indicator and unit).
    pub value_title: String,
    /// Category axis title (e.g. "region").
    pub category_title: String,
    /// The bars, in any order: the chart sorts them descending, masked and
    /// damaged ones last.
    pub bars: Vec<Bar>,
    /// Source note printed at the bottom.
    pub source_note: String,
}

/// One line of a trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Region label.
    pub label: String,
    /// One value per period of [`TrendInput::periods`]; `None` = not reported.
    pub values: Vec<Option<f64>>,
}

/// Indicator trend input: values over periods, one series per region. With
/// more than 12 series the chart keeps the 12 with the highest latest value.
#[derive(Debug, Clone, Default)]
pub struct TrendInput {
    /// Chart title.
    pub title: String,
    /// Period labels in chronological order (x axis).
    pub periods: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
    /// Value axis title (indicator and unit).
    pub value_title: String,
    /// Period axis title.
    pub period_title: String,
    /// Source note printed at the bottom.
    pub source_note: String,
}

/// Coverage small multiples input: which themes each region reports in each
/// period. `reported[region][period][theme]`.
#[derive(Debug, Clone, Default)]
pub struct GridInput {
    /// Chart title.
    pub title: String,
    /// Region labels (rows).
    pub regions: Vec<String>,
    /// Period labels in chronological order (column groups).
    pub periods: Vec<String>,
    /// Theme labels (one dot per theme inside each period group).
    pub themes: Vec<String>,
    /// `reported[r][p][t]`: whether region r's documents of period p mention theme t.
    pub reported: Vec<Vec<Vec<bool>>>,
    /// Source note printed at the bottom.
    pub source_note: String,
}

/// Data-quality input: documents per region × period. Rows or columns for
/// documents whose region or period could not be resolved are highlighted.
#[derive(Debug, Clone, Default)]
pub struct QualityInput {
    /// Chart title.
    pub title: String,
    /// Region labels (rows).
    pub row_labels: Vec<String>,
    /// Period labels (columns).
    pub col_labels: Vec<String>,
    /// `documents[row][col]`: number of documents (0 = none).
    pub documents: Vec<Vec<u32>>,
    /// `unknown_rows[row]`: the row gathers documents with no resolved region.
    pub unknown_rows: Vec<bool>,
    /// `unknown_cols[col]`: the column gathers documents with no resolved period.
    pub unknown_cols: Vec<bool>,
    /// Source note printed at the bottom.
    pub source_note: String,
}

/// "N documents · periods A–B": the standard source note.
pub fn source_note(documents: u64, periods: &[String]) -> String {
    let range = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a != b => format!("periods {a} – {b}"),
        (Some(a), _) => format!("period {a}"),
        _ => "no period".to_string(),
    };
    let noun = if documents == 1 {
        "document"
    } else {
        "documents"
    };
    format!("Source: zongjie extraction of {documents} {noun}; {range}.")
}

#[cfg(test)]
pub(crate) mod testutil {
    //! SVG inspection helpers shared by the chart tests.

    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// One `<text>` element: its content (unescaped), x, y and font size.
    #[derive(Debug, Clone)]
    pub struct TextEl {
        pub text: String,
        pub x: f64,
        pub y: f64,
        pub size: f64,
        pub anchor: String,
        pub rotated: bool,
    }

    /// One `<rect>`: its fill and stroke.
    #[derive(Debug, Clone)]
    pub struct RectEl {
        pub fill: String,
        pub stroke: String,
    }

    /// Parsed SVG: fails the test if the document is not well-formed XML.
    #[derive(Debug, Default)]
    pub struct Parsed {
        pub texts: Vec<TextEl>,
        pub rects: Vec<RectEl>,
        pub paths: usize,
        pub circles: Vec<String>,
        pub width: f64,
        pub height: f64,
    }

    fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> String {
        e.attributes()
            .filter_map(Result::ok)
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| {
                a.unescape_value()
                    .expect("attribute unescapes")
                    .into_owned()
            })
            .unwrap_or_default()
    }

    pub fn parse(svg: &str) -> Parsed {
        let mut reader = Reader::from_str(svg);
        let mut out = Parsed::default();
        let mut depth = 0usize;
        let mut current: Option<TextEl> = None;
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Start(e) => {
                    depth += 1;
                    match e.name().as_ref() {
                        b"svg" => {
                            out.width = attr(&e, "width").parse().unwrap_or(0.0);
                            out.height = attr(&e, "height").parse().unwrap_or(0.0);
                        }
                        b"text" => {
                            current = Some(TextEl {
                                text: String::new(),
                                x: attr(&e, "x").parse().unwrap_or(f64::NAN),
                                y: attr(&e, "y").parse().unwrap_or(f64::NAN),
                                size: attr(&e, "font-size").parse().unwrap_or(f64::NAN),
                                anchor: attr(&e, "text-anchor"),
                                rotated: !attr(&e, "transform").is_empty(),
                            })
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) => match e.name().as_ref() {
                    b"rect" => out.rects.push(RectEl {
                        fill: attr(&e, "fill"),
                        stroke: attr(&e, "stroke"),
                    }),
                    b"polyline" | b"path" | b"line" => out.paths += 1,
                    b"circle" => out.circles.push(attr(&e, "fill")),
                    _ => {}
                },
                Event::Text(t) => {
                    if let Some(cur) = current.as_mut() {
                        cur.text.push_str(&t.unescape().expect("text unescapes"));
                    }
                }
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    if e.name().as_ref() == b"text" {
                        if let Some(mut cur) = current.take() {
                            cur.text = cur.text.trim().to_string();
                            out.texts.push(cur);
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "unbalanced SVG");
        // Every label lies inside the canvas (horizontal extent estimated).
        for t in &out.texts {
            assert!(t.y >= 0.0 && t.y <= out.height, "{t:?} outside the canvas");
            if !t.rotated {
                let w = f64::from(super::style::text_width(&t.text, t.size));
                let (x0, x1) = match t.anchor.as_str() {
                    "end" => (t.x - w, t.x),
                    "middle" => (t.x - w / 2.0, t.x + w / 2.0),
                    _ => (t.x, t.x + w),
                };
                assert!(x0 >= 0.0 && x1 <= out.width, "{t:?} runs off the canvas");
            }
        }
        out
    }

    impl Parsed {
        pub fn has_text(&self, s: &str) -> bool {
            self.texts.iter().any(|t| t.text == s)
        }
        pub fn count_text(&self, s: &str) -> usize {
            self.texts.iter().filter(|t| t.text == s).count()
        }
        pub fn count_fill(&self, fill: &str) -> usize {
            self.rects.iter().filter(|r| r.fill == fill).count()
        }
        /// Smallest vertical gap between any two texts whose content is in `labels`.
        pub fn min_gap(&self, labels: &[String]) -> (f64, f64) {
            let mut ys: Vec<(f64, f64)> = self
                .texts
                .iter()
                .filter(|t| labels.contains(&t.text))
                .map(|t| (t.y, t.size))
                .collect();
            assert_eq!(ys.len(), labels.len(), "every label drawn once");
            ys.sort_by(|a, b| a.0.total_cmp(&b.0));
            let gap = ys
                .windows(2)
                .map(|w| w[1].0 - w[0].0)
                .fold(f64::INFINITY, f64::min);
            let size = ys.iter().map(|y| y.1).fold(0.0, f64::max);
            (gap, size)
        }
    }

    pub const XSS: &str = "<script>alert(1)</script>";

    /// The raw SVG must never hold the label unescaped, and must hold it escaped.
    pub fn assert_escaped(svg: &str) {
        assert!(!svg.contains("<script"), "unescaped label in SVG");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let parsed = parse(svg);
        assert!(parsed.has_text(XSS), "label round-trips through XML");
    }

    /// Labels "地区001" … for synthetic many-region tests.
    pub fn regions(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("地区{i:03}")).collect()
    }
}
