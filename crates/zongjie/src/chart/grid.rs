//! Coverage small multiples as a dot matrix: one row per region, one group of
//! columns per period, one dot per theme inside each group. A filled dot in the
//! theme's colour means the region's documents of that period mention the
//! theme; a grey ring means they do not.

use super::style::{self, Anchor, Canvas, Rows};
use super::{ChartError, GridInput};

const LEFT: i32 = 36;
const LEGEND_W: i32 = 160;
const GROUP_GAP: i32 = 12;

/// Draw the coverage grid.
pub fn render(input: &GridInput) -> Result<String, ChartError> {
    let (nr, np, nt) = (input.regions.len(), input.periods.len(), input.themes.len());
    if nr == 0 || np == 0 || nt == 0 {
        return Err(ChartError::Empty(format!(
            "{}: no regions, periods or themes",
            input.title
        )));
    }
    let ragged = input.reported.len() != nr
        || input
            .reported
            .iter()
            .any(|r| r.len() != np || r.iter().any(|p| p.len() != nt));
    if ragged {
        return Err(ChartError::Invalid(format!(
            "reported must be {nr} regions × {np} periods × {nt} themes"
        )));
    }
    let label_w = input
        .regions
        .iter()
        .map(|r| style::text_width(r, style::LABEL_SIZE))
        .max()
        .unwrap_or(0)
        .min(style::MAX_ROW_LABEL_WIDTH);
    let gx0 = LEFT + label_w + 12;
    let np_i = i32::try_from(np).unwrap_or(i32::MAX);
    let nt_i = i32::try_from(nt).unwrap_or(i32::MAX);
    let avail = style::WIDTH as i32 - LEGEND_W - 20 - gx0;
    // Dot pitch: as wide as fits, between 8 and 18 px; the canvas widens if even 8 px do not fit.
    let pitch = ((avail - GROUP_GAP * np_i) / (np_i * nt_i)).clamp(8, 18);
    let group_w = pitch * nt_i + GROUP_GAP;
    let gx1 = gx0 + group_w * np_i;
    let width = u32::try_from(gx1 + LEGEND_W + 20)
        .unwrap_or(style::WIDTH)
        .max(style::WIDTH);
    let w = width as i32;
    let period_w = input
        .periods
        .iter()
        .map(|p| style::text_width(p, style::LABEL_SIZE))
        .max()
        .unwrap_or(0);
    let vertical = period_w > group_w - 4;
    let header = if vertical { period_w.min(120) + 12 } else { 22 };
    let top = 70 + header;
    let rows = Rows::fit(
        top,
        style::HEIGHT as i32 - top - 50,
        nr,
        style::ROW_STEP_MIN,
        24,
    );
    let height = style::height_for(rows.bottom());
    let r = ((pitch.min(rows.step) - 4) / 2).max(2);

    let mut buf = String::new();
    {
        let c = Canvas::new(&mut buf, width, height)?;
        style::frame(&c, &input.title, &input.source_note, width, height)?;
        c.text(
            "period",
            (gx0 + gx1) / 2,
            52,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
        )?;
        c.text_rot(
            "region",
            16,
            (rows.top + rows.bottom()) / 2,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
            true,
        )?;
        for (p, label) in input.periods.iter().enumerate() {
            let p_i = i32::try_from(p).unwrap_or(i32::MAX / 2);
            let x0 = gx0 + group_w * p_i;
            let cx = x0 + (group_w - GROUP_GAP) / 2;
            if vertical {
                let text = style::fit_text(label, style::LABEL_SIZE, header - 12);
                c.text_rot(
                    &text,
                    cx,
                    top - 6,
                    style::LABEL_SIZE,
                    Anchor::Start,
                    style::INK,
                    false,
                    true,
                )?;
            } else {
                c.text(
                    label,
                    cx,
                    top - 11,
                    style::LABEL_SIZE,
                    Anchor::Middle,
                    style::INK,
                    false,
                )?;
            }
            if p > 0 {
                let sx = x0 - GROUP_GAP / 2;
                c.line(vec![(sx, top - 4), (sx, rows.bottom())], style::GRID, 1)?;
            }
        }
        for (i, region) in input.regions.iter().enumerate() {
            let mid = rows.mid(i);
            c.text(
                &style::fit_text(region, style::LABEL_SIZE, label_w),
                gx0 - 8,
                mid,
                style::LABEL_SIZE,
                Anchor::End,
                style::INK,
                false,
            )?;
            for p in 0..np {
                let p_i = i32::try_from(p).unwrap_or(i32::MAX / 2);
                for t in 0..nt {
                    let t_i = i32::try_from(t).unwrap_or(i32::MAX / 2);
                    let cx = gx0 + group_w * p_i + pitch * t_i + pitch / 2;
                    if input.reported[i][p][t] {
                        c.dot(cx, mid, r, style::PALETTE[t % style::PALETTE.len()], true)?;
                    } else {
                        c.dot(cx, mid, r - 1, style::GRID, false)?;
                    }
                }
            }
        }
        let lx = w - LEGEND_W;
        let mut ly = top;
        c.text(
            "theme",
            lx,
            ly,
            style::LABEL_SIZE,
            Anchor::Start,
            style::INK,
            true,
        )?;
        ly += 18;
        for (t, theme) in input.themes.iter().enumerate() {
            c.dot(
                lx + 6,
                ly,
                5,
                style::PALETTE[t % style::PALETTE.len()],
                true,
            )?;
            c.text(
                &style::fit_text(theme, style::LABEL_SIZE, LEGEND_W - 26),
                lx + 18,
                ly,
                style::LABEL_SIZE,
                Anchor::Start,
                style::INK,
                false,
            )?;
            ly += 18;
        }
        c.dot(lx + 6, ly, 4, style::GRID, false)?;
        c.text(
            "not mentioned",
            lx + 18,
            ly,
            style::LABEL_SIZE,
            Anchor::Start,
            style::MUTED,
            false,
        )?;
        c.finish()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, parse};
    use super::*;

    fn sample() -> GridInput {
        GridInput {
            title: "Which themes each region reports".into(),
            regions: vec!["钟祥市".into(), "京山市".into()],
            periods: vec!["2022-FY".into(), "2023-H1".into()],
            themes: vec![
                "high_tech_enterprise".into(),
                "patent".into(),
                "science_envoy".into(),
            ],
            reported: vec![
                vec![vec![true, true, false], vec![true, false, false]],
                vec![vec![false, false, false], vec![true, true, true]],
            ],
            source_note: "Source: 4 documents; periods 2022-FY – 2023-H1.".into(),
        }
    }

    #[test]
    fn grid_has_one_dot_per_region_period_theme() {
        let p = parse(&render(&sample()).expect("renders"));
        // 2 × 2 × 3 = 12 dots, plus 3 theme swatches and one "not mentioned" ring.
        assert_eq!(p.circles.len(), 12 + 4);
        let rings = p.circles.iter().filter(|f| f.as_str() == "none").count();
        assert_eq!(rings, 6 + 1, "six unreported cells and the legend ring");
        for l in ["钟祥市", "2023-H1", "patent", "theme", "period", "region"] {
            assert!(p.has_text(l), "missing {l}");
        }
    }

    #[test]
    fn grid_escapes_and_is_deterministic() {
        let mut input = sample();
        input.themes[2] = testutil::XSS.into();
        input.title = testutil::XSS.into();
        let svg = render(&input).expect("renders");
        testutil::assert_escaped(&svg);
        assert_eq!(render(&input).ok(), Some(svg));
    }

    #[test]
    fn grid_with_300_regions_and_many_periods_is_legible() {
        let regions = testutil::regions(300);
        let periods: Vec<String> = (2010..2024).map(|y| format!("{y}-FY")).collect();
        let input = GridInput {
            regions: regions.clone(),
            periods: periods.clone(),
            themes: sample().themes,
            reported: (0..300)
                .map(|i| {
                    (0..14)
                        .map(|p| vec![(i + p) % 2 == 0, true, false])
                        .collect()
                })
                .collect(),
            ..sample()
        };
        let p = parse(&render(&input).expect("renders"));
        let (gap, size) = p.min_gap(&regions);
        assert!(gap >= size, "labels {gap}px apart at font size {size}");
        assert_eq!(p.circles.len(), 300 * 14 * 3 + 4);
    }
}
