//! Indicator bars: one indicator across regions for one period, horizontal
//! bars sorted descending with value labels. Masked and damaged values are
//! drawn as hatched outlines labelled "masked"/"damaged", never as zero.

use std::cmp::Ordering;

use super::style::{self, Anchor, Canvas, Rows};
use super::{Bar, BarValue, BarsInput, ChartError};

const LEFT: i32 = 36;
const RIGHT_PAD: i32 = 80;
const STUB_W: i32 = 44;

/// Order bars: readable values descending, then masked, then damaged; ties by label.
fn sorted(bars: &[Bar]) -> Vec<Bar> {
    fn rank(v: &BarValue) -> u8 {
        match v {
            BarValue::Value(_) => 0,
            BarValue::Masked => 1,
            BarValue::Damaged => 2,
        }
    }
    let mut out: Vec<Bar> = bars
        .iter()
        .map(|b| match b.value {
            BarValue::Value(v) if !v.is_finite() => Bar {
                label: b.label.clone(),
                value: BarValue::Damaged,
            },
            _ => b.clone(),
        })
        .collect();
    out.sort_by(|a, b| {
        rank(&a.value)
            .cmp(&rank(&b.value))
            .then_with(|| match (a.value, b.value) {
                (BarValue::Value(x), BarValue::Value(y)) => y.total_cmp(&x),
                _ => Ordering::Equal,
            })
            .then_with(|| a.label.cmp(&b.label))
    });
    out
}

/// A "nice" tick step (1, 2 or 5 × 10^k) giving about `target` ticks over `range`.
pub(crate) fn nice_step(range: f64, target: f64) -> f64 {
    if range <= 0.0 || !range.is_finite() {
        return 1.0;
    }
    let raw = range / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Draw the bar chart.
pub fn render(input: &BarsInput) -> Result<String, ChartError> {
    if input.bars.is_empty() {
        return Err(ChartError::Empty(format!("{}: no bars", input.title)));
    }
    let bars = sorted(&input.bars);
    let values: Vec<f64> = bars
        .iter()
        .filter_map(|b| match b.value {
            BarValue::Value(v) => Some(v),
            _ => None,
        })
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
    let w = width as i32;
    let label_w = bars
        .iter()
        .map(|b| style::text_width(&b.label, style::LABEL_SIZE))
        .max()
        .unwrap_or(0)
        .min(style::MAX_ROW_LABEL_WIDTH);
    let x0 = LEFT + label_w + 10;
    let x1 = w - RIGHT_PAD;
    let xs = |v: f64| -> i32 { x0 + ((v - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32 };
    let top = 92;
    let rows = Rows::fit(
        top,
        style::HEIGHT as i32 - top - 50,
        bars.len(),
        style::ROW_STEP_MIN,
        32,
    );
    let height = style::height_for(rows.bottom());
    let any_masked = bars.iter().any(|b| b.value == BarValue::Masked);
    let any_damaged = bars.iter().any(|b| b.value == BarValue::Damaged);

    let mut buf = String::new();
    {
        let c = Canvas::new(&mut buf, width, height)?;
        style::frame(&c, &input.title, &input.source_note, width, height)?;
        c.text(
            &style::fit_text(&input.value_title, style::AXIS_TITLE_SIZE, (x1 - x0) / 2),
            x0,
            50,
            style::AXIS_TITLE_SIZE,
            Anchor::Start,
            style::MUTED,
            false,
        )?;
        c.text_rot(
            &input.category_title,
            16,
            (rows.top + rows.bottom()) / 2,
            style::AXIS_TITLE_SIZE,
            Anchor::Middle,
            style::MUTED,
            false,
            true,
        )?;
        // Legend for unreadable values (top right).
        let mut lx = x1;
        for (show, label, color) in [
            (any_damaged, "damaged", style::DAMAGED),
            (any_masked, "masked", style::MASKED),
        ] {
            if show {
                let tw = style::text_width(label, style::LABEL_SIZE);
                c.text(label, lx, 50, style::LABEL_SIZE, Anchor::End, color, false)?;
                c.hatched(lx - tw - 22, 44, lx - tw - 6, 56, color)?;
                lx -= tw + 36;
            }
        }
        // Value axis ticks and grid.
        let mut t = lo;
        let mut guard = 0;
        while t <= hi + step * 1e-9 && guard < 100 {
            let x = xs(t);
            c.line(vec![(x, top - 6), (x, rows.bottom())], style::GRID, 1)?;
            c.text(
                &style::fmt_number(t),
                x,
                top - 14,
                style::NOTE_SIZE,
                Anchor::Middle,
                style::MUTED,
                false,
            )?;
            t += step;
            guard += 1;
        }
        let thick = (rows.step * 7 / 10).max(6);
        let zero = xs(0.0);
        for (i, bar) in bars.iter().enumerate() {
            let mid = rows.mid(i);
            let by0 = mid - thick / 2;
            let by1 = by0 + thick;
            c.text(
                &style::fit_text(&bar.label, style::LABEL_SIZE, label_w),
                x0 - 8,
                mid,
                style::LABEL_SIZE,
                Anchor::End,
                style::INK,
                false,
            )?;
            match bar.value {
                BarValue::Value(v) => {
                    let xv = xs(v);
                    c.rect(
                        zero.min(xv),
                        by0,
                        zero.max(xv).max(zero.min(xv) + 1),
                        by1,
                        style::BAR,
                    )?;
                    let (lx, anchor) = if v >= 0.0 {
                        (zero.max(xv) + 4, Anchor::Start)
                    } else {
                        (zero.min(xv) - 4, Anchor::End)
                    };
                    c.text(
                        &style::fmt_number(v),
                        lx,
                        mid,
                        style::NOTE_SIZE,
                        anchor,
                        style::INK,
                        false,
                    )?;
                }
                BarValue::Masked | BarValue::Damaged => {
                    let (label, color) = if bar.value == BarValue::Masked {
                        ("masked", style::MASKED)
                    } else {
                        ("damaged", style::DAMAGED)
                    };
                    c.hatched(zero, by0, zero + STUB_W, by1, color)?;
                    c.text(
                        label,
                        zero + STUB_W + 4,
                        mid,
                        style::NOTE_SIZE,
                        Anchor::Start,
                        color,
                        false,
                    )?;
                }
            }
        }
        c.line(
            vec![(zero, top - 6), (zero, rows.bottom())],
            style::MUTED,
            1,
        )?;
        c.finish()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, parse};
    use super::*;

    pub(crate) fn sample() -> BarsInput {
        BarsInput {
            title: "高新技术企业 (家), 2023-FY".into(),
            value_title: "high_tech_enterprise · count (家)".into(),
            category_title: "region".into(),
            bars: vec![
                Bar {
                    label: "京山市".into(),
                    value: BarValue::Value(35.0),
                },
                Bar {
                    label: "钟祥市".into(),
                    value: BarValue::Value(120.0),
                },
                Bar {
                    label: "沙洋县".into(),
                    value: BarValue::Masked,
                },
                Bar {
                    label: "东宝区".into(),
                    value: BarValue::Value(0.0),
                },
                Bar {
                    label: "掇刀区".into(),
                    value: BarValue::Damaged,
                },
            ],
            source_note: "Source: 5 documents; period 2023-FY.".into(),
        }
    }

    #[test]
    fn bars_sorted_descending_with_masked_last() {
        let order: Vec<String> = sorted(&sample().bars)
            .into_iter()
            .map(|b| b.label)
            .collect();
        assert_eq!(order, ["钟祥市", "京山市", "东宝区", "沙洋县", "掇刀区"]);
    }

    #[test]
    fn bars_draw_one_bar_per_value_and_mark_unreadable() {
        let svg = render(&sample()).expect("renders");
        let p = parse(&svg);
        assert_eq!(
            p.count_fill("#4C78A8"),
            3,
            "one filled bar per readable value"
        );
        assert!(p.has_text("120") && p.has_text("35"));
        // Row label + legend entry for each kind.
        assert_eq!(p.count_text("masked"), 2);
        assert_eq!(p.count_text("damaged"), 2);
        let labels: Vec<&TextEl> = ["钟祥市", "京山市", "东宝区", "沙洋县", "掇刀区"]
            .iter()
            .map(|l| p.texts.iter().find(|t| t.text == *l).expect("label drawn"))
            .collect();
        assert!(
            labels.windows(2).all(|w| w[0].y < w[1].y),
            "drawn in sorted order"
        );
        assert!(p.has_text("high_tech_enterprise · count (家)"));
    }

    use super::super::testutil::TextEl;

    #[test]
    fn bars_escape_and_are_deterministic() {
        let mut input = sample();
        input.bars[0].label = testutil::XSS.into();
        input.title = testutil::XSS.into();
        let svg = render(&input).expect("renders");
        testutil::assert_escaped(&svg);
        assert_eq!(render(&input).ok(), Some(svg));
    }

    #[test]
    fn bars_with_300_regions_never_overlap() {
        let regions = testutil::regions(300);
        let input = BarsInput {
            bars: regions
                .iter()
                .enumerate()
                .map(|(i, r)| Bar {
                    label: r.clone(),
                    value: BarValue::Value(i as f64),
                })
                .collect(),
            ..sample()
        };
        let p = parse(&render(&input).expect("renders"));
        let (gap, size) = p.min_gap(&regions);
        assert!(gap >= size, "labels {gap}px apart at font size {size}");
        assert_eq!(p.count_fill("#4C78A8"), 300);
    }

    #[test]
    fn negative_values_extend_left() {
        let input = BarsInput {
            bars: vec![
                Bar {
                    label: "a".into(),
                    value: BarValue::Value(-5.0),
                },
                Bar {
                    label: "b".into(),
                    value: BarValue::Value(10.0),
                },
            ],
            ..sample()
        };
        let p = parse(&render(&input).expect("renders"));
        assert!(p.has_text("-5"));
    }

    #[test]
    fn bars_snapshot() {
        insta::assert_snapshot!(render(&sample()).expect("renders"));
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(120.0, 5.0), 50.0);
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(0.0, 5.0), 1.0);
    }
}
