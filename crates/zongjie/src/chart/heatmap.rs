//! Coverage heatmap (regions × themes, coloured by share, value in each cell),
//! and the matrix layout it shares with the data-quality chart.

use super::style::{self, Anchor, Canvas, Rows};
use super::{ChartError, HeatmapInput};

/// A generic labelled matrix: rows × columns of coloured cells with text.
pub(crate) struct Matrix<'a> {
    pub title: &'a str,
    pub row_title: &'a str,
    pub col_title: &'a str,
    pub rows: &'a [String],
    pub cols: &'a [String],
    /// `cells[r][c]`: colour intensity 0–1 and the text to print; `None` = empty cell.
    pub cells: Vec<Vec<Option<(f64, String)>>>,
    /// Rows to highlight (unknown region).
    pub hl_rows: Vec<bool>,
    /// Columns to highlight (unknown period).
    pub hl_cols: Vec<bool>,
    /// Legend title and (intensity, label) stops.
    pub legend_title: &'a str,
    pub legend_stops: Vec<(f64, String)>,
    /// Legend label for highlighted rows/columns, if any are highlighted.
    pub alert_label: Option<&'a str>,
    pub source_note: &'a str,
}

const LEFT: i32 = 36;
const LEGEND_W: i32 = 100;
const MAX_COL_W: i32 = 120;

pub(crate) fn render_matrix(m: &Matrix<'_>) -> Result<String, ChartError> {
    if m.rows.is_empty() || m.cols.is_empty() {
        return Err(ChartError::Empty(format!(
            "{}: no rows or columns",
            m.title
        )));
    }
    if m.cells.len() != m.rows.len() || m.cells.iter().any(|r| r.len() != m.cols.len()) {
        return Err(ChartError::Invalid(format!(
            "{}: cells must be {} rows × {} columns",
            m.title,
            m.rows.len(),
            m.cols.len()
        )));
    }
    let width = style::WIDTH;
    let w = width as i32;
    let label_w = m
        .rows
        .iter()
        .map(|r| style::text_width(r, style::LABEL_SIZE))
        .max()
        .unwrap_or(0)
        .min(style::MAX_ROW_LABEL_WIDTH);
    let gx0 = LEFT + label_w + 10;
    let ncols = i32::try_from(m.cols.len()).unwrap_or(i32::MAX);
    let cw = ((w - LEGEND_W - 20 - gx0) / ncols).clamp(1, MAX_COL_W);
    let gx1 = gx0 + cw * ncols;
    let col_label_w = m
        .cols
        .iter()
        .map(|c| style::text_width(c, style::LABEL_SIZE))
        .max()
        .unwrap_or(0);
    let vertical = col_label_w > cw - 6;
    let header = if vertical {
        col_label_w.min(style::MAX_ROW_LABEL_WIDTH) + 12
    } else {
        22
    };
    let col_title_y = 52;
    let top = col_title_y + 14 + header;
    let avail = style::HEIGHT as i32 - top - 50;
    let rows = Rows::fit(top, avail, m.rows.len(), style::ROW_STEP_MIN, 36);
    let height = style::height_for(rows.bottom());

    let mut buf = String::new();
    {
        let c = Canvas::new(&mut buf, width, height)?;
        style::frame(&c, m.title, m.source_note, width, height)?;
        c.text(
            &style::fit_text(
                m.col_title,
                style::AXIS_TITLE_SIZE,
                2 * ((gx0 + gx1) / 2 - 4).min(w - (gx0 + gx1) / 2 - 4),
            ),
            (gx0 + gx1) / 2,
            col_title_y,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
        )?;
        c.text_rot(
            m.row_title,
            16,
            (rows.top + rows.bottom()) / 2,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
            true,
        )?;
        // Column highlights and labels.
        for (j, label) in m.cols.iter().enumerate() {
            let j_i = i32::try_from(j).unwrap_or(i32::MAX / 2);
            let x0 = gx0 + cw * j_i;
            let hl = m.hl_cols.get(j).copied().unwrap_or(false);
            if hl {
                c.rect(x0, top - header, x0 + cw, rows.bottom(), style::ALERT_BG)?;
            }
            let color = if hl { style::ALERT } else { style::INK };
            if vertical {
                let text = style::fit_text(label, style::LABEL_SIZE, header - 12);
                c.text_rot(
                    &text,
                    x0 + cw / 2,
                    top - 6,
                    style::LABEL_SIZE,
                    Anchor::Start,
                    color,
                    false,
                    true,
                )?;
            } else {
                c.text(
                    label,
                    x0 + cw / 2,
                    top - 11,
                    style::LABEL_SIZE,
                    Anchor::Middle,
                    color,
                    false,
                )?;
            }
        }
        // Rows: highlight, label, cells.
        let cell_size = if rows.step < 20 {
            10.0
        } else {
            style::LABEL_SIZE
        };
        for (i, label) in m.rows.iter().enumerate() {
            let y0 = rows.y0(i);
            let y1 = y0 + rows.step;
            let hl = m.hl_rows.get(i).copied().unwrap_or(false);
            if hl {
                c.rect(LEFT, y0, gx1, y1, style::ALERT_BG)?;
            }
            c.text(
                &style::fit_text(label, style::LABEL_SIZE, label_w),
                gx0 - 8,
                rows.mid(i),
                style::LABEL_SIZE,
                Anchor::End,
                if hl { style::ALERT } else { style::INK },
                false,
            )?;
            for (j, cell) in m.cells[i].iter().enumerate() {
                let j_i = i32::try_from(j).unwrap_or(i32::MAX / 2);
                let x0 = gx0 + cw * j_i;
                let (fill, text) = match cell {
                    Some((t, s)) => (style::share_color(*t), s.as_str()),
                    None => (style::EMPTY, ""),
                };
                c.rect(x0 + 1, y0 + 1, x0 + cw - 1, y1 - 1, fill)?;
                if !text.is_empty() && style::text_width(text, cell_size) <= cw - 4 {
                    let ink = if style::light_text_on(fill) {
                        plotters::style::WHITE
                    } else {
                        style::INK
                    };
                    c.text(
                        text,
                        x0 + cw / 2,
                        rows.mid(i),
                        cell_size,
                        Anchor::Middle,
                        ink,
                        false,
                    )?;
                }
                let cell_hl = hl || m.hl_cols.get(j).copied().unwrap_or(false);
                if cell_hl && cell.is_some() {
                    c.outline(x0 + 1, y0 + 1, x0 + cw - 1, y1 - 1, style::ALERT)?;
                }
            }
        }
        // Legend: colour stops, then the highlight swatch.
        let lx = w - LEGEND_W;
        let mut ly = top;
        c.text(
            m.legend_title,
            lx,
            ly,
            style::LABEL_SIZE,
            Anchor::Start,
            style::INK,
            true,
        )?;
        ly += 18;
        for (t, label) in &m.legend_stops {
            c.rect(lx, ly - 7, lx + 16, ly + 7, style::share_color(*t))?;
            c.text(
                label,
                lx + 22,
                ly,
                style::LABEL_SIZE,
                Anchor::Start,
                style::INK,
                false,
            )?;
            ly += 18;
        }
        c.rect(lx, ly - 7, lx + 16, ly + 7, style::EMPTY)?;
        c.text(
            "no data",
            lx + 22,
            ly,
            style::LABEL_SIZE,
            Anchor::Start,
            style::INK,
            false,
        )?;
        ly += 18;
        if let Some(alert) = m.alert_label {
            c.rect(lx, ly - 7, lx + 16, ly + 7, style::ALERT_BG)?;
            c.outline(lx, ly - 7, lx + 16, ly + 7, style::ALERT)?;
            c.text(
                alert,
                lx + 22,
                ly,
                style::LABEL_SIZE,
                Anchor::Start,
                style::ALERT,
                false,
            )?;
        }
        c.finish()?;
    }
    Ok(buf)
}

/// Draw the coverage heatmap: one cell per region × theme, coloured by share,
/// with the share as a percentage in the cell.
///
/// Shares are often small (a theme fills a few percent of a report's
/// sentences), so colours run from 0 to the largest share in the chart, and
/// the legend says which share the darkest colour stands for.
pub fn render(input: &HeatmapInput) -> Result<String, ChartError> {
    let max = input
        .cells
        .iter()
        .flatten()
        .flatten()
        .copied()
        .filter(|s| s.is_finite())
        .fold(0.0, f64::max);
    let scale = if max > 0.0 { max } else { 1.0 };
    let cells = input
        .cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| v.map(|s| (s / scale, style::fmt_share(s))))
                .collect()
        })
        .collect();
    let stops = [0.0, 0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|&t| (t, style::fmt_share(t * scale)))
        .collect();
    render_matrix(&Matrix {
        title: &input.title,
        row_title: &input.row_title,
        col_title: &input.col_title,
        rows: &input.row_labels,
        cols: &input.col_labels,
        cells,
        hl_rows: Vec::new(),
        hl_cols: Vec::new(),
        legend_title: "share",
        legend_stops: stops,
        alert_label: None,
        source_note: &input.source_note,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, parse};
    use super::*;

    pub(crate) fn sample() -> HeatmapInput {
        HeatmapInput {
            title: "Theme coverage, 2023-FY".into(),
            row_labels: vec!["钟祥市".into(), "京山市".into(), "沙洋县".into()],
            col_labels: vec![
                "high_tech_enterprise".into(),
                "patent".into(),
                "science_envoy".into(),
            ],
            cells: vec![
                vec![Some(1.0), Some(0.5), None],
                vec![Some(0.0), Some(0.25), Some(1.0)],
                vec![None, Some(0.75), Some(0.5)],
            ],
            row_title: "region".into(),
            col_title: "theme".into(),
            source_note: "Source: 7 documents; period 2023-FY.".into(),
        }
    }

    #[test]
    fn heatmap_has_labels_and_one_cell_per_value() {
        let svg = render(&sample()).expect("renders");
        let p = parse(&svg);
        for l in [
            "钟祥市",
            "京山市",
            "沙洋县",
            "patent",
            "science_envoy",
            "region",
            "theme",
        ] {
            assert!(p.has_text(l), "missing label {l}");
        }
        assert_eq!(p.count_text("100%"), 2 + 1, "two full cells + legend stop");
        assert_eq!(p.count_text("50%"), 2 + 1);
        assert!(p.has_text("Source: 7 documents; period 2023-FY."));
        // 9 cells: 7 coloured + 2 empty (+1 empty swatch in the legend).
        assert_eq!(p.count_fill("#F4F4F4"), 2 + 1);
        assert!(svg.contains("Noto Sans CJK SC"));
        assert_eq!(p.width, 800.0);
        assert_eq!(p.height, 500.0);
    }

    #[test]
    fn heatmap_escapes_labels() {
        let mut input = sample();
        input.row_labels[0] = testutil::XSS.into();
        input.title = testutil::XSS.into();
        testutil::assert_escaped(&render(&input).expect("renders"));
    }

    #[test]
    fn small_shares_use_the_whole_colour_scale() {
        let input = HeatmapInput {
            cells: vec![
                vec![Some(0.14), Some(0.05), Some(0.0)],
                vec![None, Some(0.01), Some(0.07)],
                vec![None, None, None],
            ],
            ..sample()
        };
        let svg = render(&input).expect("renders");
        let p = parse(&svg);
        assert!(p.has_text("14%") && p.has_text("5.0%") && p.has_text("1.0%"));
        // The largest share gets the darkest colour: cell and top legend stop.
        assert_eq!(p.count_fill("#084594"), 2);
        assert!(
            p.has_text("7.0%"),
            "legend midpoint labelled with the real share"
        );
    }

    #[test]
    fn heatmap_rejects_ragged_cells() {
        let mut input = sample();
        input.cells[1].pop();
        assert!(matches!(render(&input), Err(ChartError::Invalid(_))));
    }

    #[test]
    fn heatmap_with_300_regions_grows_and_labels_do_not_overlap() {
        let regions = testutil::regions(300);
        let input = HeatmapInput {
            row_labels: regions.clone(),
            cells: (0..300)
                .map(|i| vec![Some(f64::from(i % 5) / 4.0); 3])
                .collect(),
            ..sample()
        };
        let svg = render(&input).expect("renders");
        let p = parse(&svg);
        let (gap, size) = p.min_gap(&regions);
        assert!(gap >= size, "labels {gap}px apart at font size {size}");
        assert!(p.height > 300.0 * size);
    }

    #[test]
    fn heatmap_is_deterministic() {
        assert_eq!(render(&sample()).ok(), render(&sample()).ok());
    }

    #[test]
    fn heatmap_snapshot() {
        insta::assert_snapshot!(render(&sample()).expect("renders"));
    }
}
