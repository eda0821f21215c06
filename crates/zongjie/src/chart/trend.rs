//! Indicator trend: values over periods, one line per region. At most
//! [`MAX_SERIES`] lines are drawn; with more regions the chart keeps those
//! with the highest latest value and says so ("top 12 of N regions").

use super::bars::nice_step;
use super::style::{self, Anchor, Canvas};
use super::{ChartError, Series, TrendInput};

/// Most lines a trend chart draws before it becomes unreadable.
pub const MAX_SERIES: usize = 12;

const X0: i32 = 80;
const LEGEND_W: i32 = 170;
const TOP: i32 = 70;
const BOTTOM_PAD: i32 = 80;

/// The series to draw: all if at most [`MAX_SERIES`], else the top ones by
/// their latest reported value (series with no value last), ties by label.
pub fn select(series: &[Series]) -> Vec<&Series> {
    let mut all: Vec<&Series> = series.iter().collect();
    if all.len() <= MAX_SERIES {
        return all;
    }
    let latest = |s: &Series| {
        s.values
            .iter()
            .rev()
            .find_map(|v| v.filter(|x| x.is_finite()))
    };
    all.sort_by(|a, b| match (latest(a), latest(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.label.cmp(&b.label)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.label.cmp(&b.label),
    });
    all.truncate(MAX_SERIES);
    all
}

/// Draw the trend chart.
pub fn render(input: &TrendInput) -> Result<String, ChartError> {
    if input.periods.is_empty() || input.series.is_empty() {
        return Err(ChartError::Empty(format!(
            "{}: no periods or series",
            input.title
        )));
    }
    if let Some(bad) = input
        .series
        .iter()
        .find(|s| s.values.len() != input.periods.len())
    {
        return Err(ChartError::Invalid(format!(
            "series {} has {} values for {} periods",
            bad.label,
            bad.values.len(),
            input.periods.len()
        )));
    }
    let shown = select(&input.series);
    let values: Vec<f64> = shown
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let vmin = values.iter().copied().fold(0.0, f64::min);
    let vmax = values.iter().copied().fold(0.0, f64::max);
    let step = nice_step(vmax - vmin, 5.0);
    let lo = (vmin / step).floor() * step;
    let mut hi = (vmax / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    let width = style::WIDTH;
    let height = style::HEIGHT;
    let w = width as i32;
    let h = height as i32;
    let x1 = w - LEGEND_W - 20;
    let y1 = h - BOTTOM_PAD;
    let n = input.periods.len();
    let n_i = i32::try_from(n).unwrap_or(i32::MAX);
    let slot = f64::from(x1 - X0) / f64::from(n_i.max(1));
    let px = |i: usize| -> i32 { X0 + (slot * (i as f64 + 0.5)).round() as i32 };
    let py = |v: f64| -> i32 { y1 - ((v - lo) / (hi - lo) * f64::from(y1 - TOP)).round() as i32 };
    // Thin period labels so that they never overlap: keep every k-th.
    let label_w = input
        .periods
        .iter()
        .map(|p| style::text_width(p, style::LABEL_SIZE))
        .max()
        .unwrap_or(1)
        + 8;
    let every = ((f64::from(label_w) / slot).ceil() as usize).max(1);

    let mut buf = String::new();
    {
        let c = Canvas::new(&mut buf, width, height)?;
        style::frame(&c, &input.title, &input.source_note, width, height)?;
        c.text(
            &style::fit_text(&input.value_title, style::AXIS_TITLE_SIZE, x1 - X0),
            X0,
            50,
            style::AXIS_TITLE_SIZE,
            Anchor::Start,
            style::MUTED,
            false,
        )?;
        c.text(
            &input.period_title,
            (X0 + x1) / 2,
            y1 + 42,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
        )?;
        let mut t = lo;
        let mut guard = 0;
        while t <= hi + step * 1e-9 && guard < 100 {
            let y = py(t);
            c.line(vec![(X0, y), (x1, y)], style::GRID, 1)?;
            c.text(
                &style::fmt_number(t),
                X0 - 6,
                y,
                style::NOTE_SIZE,
                Anchor::End,
                style::MUTED,
                false,
            )?;
            t += step;
            guard += 1;
        }
        c.line(vec![(X0, y1), (x1, y1)], style::MUTED, 1)?;
        // Keep the latest period labelled: count the thinning from the end.
        for (i, p) in input.periods.iter().enumerate() {
            if (n - 1 - i) % every == 0 {
                c.line(vec![(px(i), y1), (px(i), y1 + 4)], style::MUTED, 1)?;
                c.text(
                    p,
                    px(i),
                    y1 + 16,
                    style::LABEL_SIZE,
                    Anchor::Middle,
                    style::INK,
                    false,
                )?;
            }
        }
        let lx = w - LEGEND_W;
        let mut ly = TOP;
        if shown.len() < input.series.len() {
            c.text(
                &format!("top {} of {} regions", shown.len(), input.series.len()),
                lx,
                ly,
                style::NOTE_SIZE,
                Anchor::Start,
                style::MUTED,
                false,
            )?;
            ly += 20;
        }
        for (k, s) in shown.iter().enumerate() {
            let color = style::PALETTE[k % style::PALETTE.len()];
            // Consecutive reported values form one segment; gaps break the line.
            let mut seg: Vec<(i32, i32)> = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v.filter(|x| x.is_finite()) {
                    Some(v) => seg.push((px(i), py(v))),
                    None => {
                        if seg.len() > 1 {
                            c.line(std::mem::take(&mut seg), color, 2)?;
                        }
                        seg.clear();
                    }
                }
            }
            if seg.len() > 1 {
                c.line(seg, color, 2)?;
            }
            for (i, v) in s.values.iter().enumerate() {
                if let Some(v) = v.filter(|x| x.is_finite()) {
                    c.dot(px(i), py(v), 3, color, true)?;
                }
            }
            c.line(vec![(lx, ly), (lx + 18, ly)], color, 3)?;
            c.text(
                &style::fit_text(&s.label, style::LABEL_SIZE, LEGEND_W - 30),
                lx + 24,
                ly,
                style::LABEL_SIZE,
                Anchor::Start,
                style::INK,
                false,
            )?;
            ly += 20;
        }
        c.finish()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, parse};
    use super::*;

    fn sample() -> TrendInput {
        TrendInput {
            title: "专利授权 over time".into(),
            periods: vec!["2021-FY".into(), "2022-FY".into(), "2023-FY".into()],
            series: vec![
                Series {
                    label: "钟祥市".into(),
                    values: vec![Some(10.0), Some(20.0), Some(30.0)],
                },
                Series {
                    label: "京山市".into(),
                    values: vec![Some(5.0), None, Some(8.0)],
                },
            ],
            value_title: "patent · grants (件)".into(),
            period_title: "period".into(),
            source_note: "Source: 6 documents; periods 2021-FY – 2023-FY.".into(),
        }
    }

    #[test]
    fn trend_draws_lines_points_and_legend() {
        let p = parse(&render(&sample()).expect("renders"));
        for l in [
            "钟祥市",
            "京山市",
            "2021-FY",
            "2023-FY",
            "period",
            "patent · grants (件)",
        ] {
            assert!(p.has_text(l), "missing {l}");
        }
        // One dot per reported value.
        assert_eq!(p.circles.len(), 5);
        assert!(!p.texts.iter().any(|t| t.text.starts_with("top ")));
    }

    #[test]
    fn trend_keeps_top_12_by_latest_value() {
        let regions = testutil::regions(30);
        let input = TrendInput {
            series: regions
                .iter()
                .enumerate()
                .map(|(i, r)| Series {
                    label: r.clone(),
                    values: vec![Some(100.0 - i as f64), None, Some(i as f64)],
                })
                .collect(),
            ..sample()
        };
        let svg = render(&input).expect("renders");
        let p = parse(&svg);
        assert!(p.has_text("top 12 of 30 regions"));
        assert!(p.has_text("地区029") && p.has_text("地区018"));
        assert!(!p.has_text("地区017") && !p.has_text("地区000"));
        assert_eq!(p.circles.len(), 24);
    }

    #[test]
    fn trend_thins_period_labels() {
        let periods: Vec<String> = (0..60)
            .map(|i| format!("{}-Q{}", 2000 + i / 4, i % 4 + 1))
            .collect();
        let input = TrendInput {
            series: vec![Series {
                label: "x".into(),
                values: vec![Some(1.0); 60],
            }],
            periods: periods.clone(),
            ..sample()
        };
        let p = parse(&render(&input).expect("renders"));
        let mut xs: Vec<f64> = p
            .texts
            .iter()
            .filter(|t| periods.contains(&t.text))
            .map(|t| t.x)
            .collect();
        xs.sort_by(f64::total_cmp);
        assert!(xs.len() < 60 && xs.len() > 5);
        let w = f64::from(style::text_width("2000-Q1", style::LABEL_SIZE));
        assert!(
            xs.windows(2).all(|p| p[1] - p[0] >= w),
            "period labels overlap"
        );
        assert!(p.has_text("2014-Q4"), "latest period labelled");
    }

    #[test]
    fn trend_escapes_and_is_deterministic() {
        let mut input = sample();
        input.series[1].label = testutil::XSS.into();
        input.title = testutil::XSS.into();
        let svg = render(&input).expect("renders");
        testutil::assert_escaped(&svg);
        assert_eq!(render(&input).ok(), Some(svg));
    }

    #[test]
    fn trend_rejects_misaligned_series() {
        let mut input = sample();
        input.series[0].values.pop();
        assert!(matches!(render(&input), Err(ChartError::Invalid(_))));
    }
}
