//! Data-quality chart: documents per region × period, with the rows and
//! columns that gather documents of unknown region or unknown period
//! highlighted, so gaps in the extraction are visible at a glance.

use super::heatmap::{render_matrix, Matrix};
use super::{ChartError, QualityInput};

/// Draw the data-quality matrix.
pub fn render(input: &QualityInput) -> Result<String, ChartError> {
    let max = input
        .documents
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let cells = input
        .documents
        .iter()
        .map(|row| {
            row.iter()
                .map(|&n| (n > 0).then(|| (f64::from(n) / f64::from(max), n.to_string())))
                .collect()
        })
        .collect();
    let mut stops: Vec<(f64, String)> = vec![(1.0 / f64::from(max), "1".to_string())];
    if max > 2 {
        stops.push((0.5, format!("{}", max.div_ceil(2))));
    }
    if max > 1 {
        stops.push((1.0, max.to_string()));
    }
    let any_alert = input.unknown_rows.iter().any(|&b| b) || input.unknown_cols.iter().any(|&b| b);
    render_matrix(&Matrix {
        title: &input.title,
        row_title: "region",
        col_title: "period",
        rows: &input.row_labels,
        cols: &input.col_labels,
        cells,
        hl_rows: input.unknown_rows.clone(),
        hl_cols: input.unknown_cols.clone(),
        legend_title: "documents",
        legend_stops: stops,
        alert_label: any_alert.then_some("unknown"),
        source_note: &input.source_note,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{self, parse};
    use super::*;

    fn sample() -> QualityInput {
        QualityInput {
            title: "Documents per region and period".into(),
            row_labels: vec!["钟祥市".into(), "京山市".into(), "unknown region".into()],
            col_labels: vec!["2022-FY".into(), "2023-H1".into(), "unknown period".into()],
            documents: vec![vec![2, 1, 0], vec![0, 3, 1], vec![1, 0, 4]],
            unknown_rows: vec![false, false, true],
            unknown_cols: vec![false, false, true],
            source_note: "Source: 12 documents.".into(),
        }
    }

    #[test]
    fn quality_marks_unknowns_and_counts() {
        let svg = render(&sample()).expect("renders");
        let p = parse(&svg);
        for l in [
            "钟祥市",
            "unknown region",
            "2023-H1",
            "unknown period",
            "documents",
            "unknown",
        ] {
            assert!(p.has_text(l), "missing {l}");
        }
        // Non-zero cells show their count; legend shows 1, 2 and 4.
        assert_eq!(p.count_text("3"), 1);
        assert_eq!(p.count_text("4"), 2);
        // Highlight backgrounds: one row band, one column band, one legend swatch.
        assert_eq!(p.count_fill("#FDEBD3"), 3);
        // Cells in highlighted row/column with data get an orange outline (3) + legend (1).
        assert_eq!(p.rects.iter().filter(|r| r.stroke == "#F58518").count(), 4);
    }

    #[test]
    fn quality_escapes_and_is_deterministic() {
        let mut input = sample();
        input.col_labels[0] = testutil::XSS.into();
        input.title = testutil::XSS.into();
        let svg = render(&input).expect("renders");
        testutil::assert_escaped(&svg);
        assert_eq!(render(&input).ok(), Some(svg));
    }

    #[test]
    fn quality_with_300_regions_is_legible() {
        let regions = testutil::regions(300);
        let input = QualityInput {
            row_labels: regions.clone(),
            documents: (0..300u32).map(|i| vec![i % 3, 1, 0]).collect(),
            unknown_rows: vec![false; 300],
            ..sample()
        };
        let p = parse(&render(&input).expect("renders"));
        let (gap, size) = p.min_gap(&regions);
        assert!(gap >= size, "labels {gap}px apart at font size {size}");
    }
}
