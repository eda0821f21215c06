//! Exact table values on the hand-built corpus of [`crate::testutil`].

use polars::prelude::*;
use zongjie_parse::model::{PeriodKind, Role};

use super::*;
use crate::testutil::*;

fn strs(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("<null>").to_string())
        .collect()
}

fn u32s(df: &DataFrame, name: &str) -> Vec<u32> {
    df.column(name)
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect()
}

fn f64s(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name).unwrap().f64().unwrap().iter().collect()
}

fn names(df: &DataFrame) -> Vec<String> {
    df.get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn ds() -> Dataset {
    dataset(&corpus())
}

#[test]
fn coverage_counts_documents_sentences_mentions() {
    let t = coverage(&ds(), &Filters::default(), By::default()).unwrap();
    assert_eq!(
        names(&t),
        [
            "region_code",
            "region_name",
            "province",
            "city",
            "period_label",
            "theme",
            "documents",
            "sentences",
            "mentions",
            "share"
        ]
    );
    assert_eq!(t.height(), 10);
    assert_eq!(
        strs(&t, "region_code"),
        ["", "", "370700", "370700", "370783", "370783", "370783", "370783", "420881", "420881"]
    );
    assert_eq!(strs(&t, "region_name")[0], "(unknown)");
    assert_eq!(strs(&t, "period_label")[0], "(unknown)");
    assert_eq!(
        strs(&t, "period_label")[4..8],
        ["2018-H1", "2018-H1", "2019-H1", "2019-H1"]
    );
    assert_eq!(strs(&t, "theme")[4..6], ["high_tech_enterprise", "patent"]);
    assert_eq!(u32s(&t, "sentences"), [4, 4, 8, 8, 10, 10, 20, 20, 5, 5]);
    assert_eq!(u32s(&t, "mentions"), [0, 1, 2, 0, 4, 2, 5, 1, 1, 0]);
    assert_eq!(u32s(&t, "documents"), [1; 10]);
    let share = f64s(&t, "share");
    assert_eq!(share[1], Some(0.25));
    assert_eq!(share[4], Some(0.4));
    assert_eq!(share[9], Some(0.0));
}

#[test]
fn coverage_share_is_zero_without_sentences_and_pools_documents() {
    let docs = vec![
        doc(
            "a",
            shouguang(),
            period(Some(2018), Some(PeriodKind::H1)),
            0,
            &[],
            vec![],
        ),
        doc(
            "b",
            shouguang(),
            period(Some(2018), Some(PeriodKind::H1)),
            0,
            &[],
            vec![],
        ),
    ];
    let t = coverage(&dataset(&docs), &Filters::default(), By::default()).unwrap();
    assert_eq!(u32s(&t, "documents"), [2, 2]);
    assert_eq!(f64s(&t, "share"), [Some(0.0), Some(0.0)]);
}

#[test]
fn indicators_choose_values_and_never_use_masked_or_damaged() {
    let t = indicators(&ds(), &Filters::default(), By::default()).unwrap();
    assert_eq!(names(&t), indicators::COLUMNS);
    let key: Vec<String> = (0..t.height())
        .map(|i| {
            format!(
                "{}|{}|{}|{}|{}",
                strs(&t, "region_code")[i],
                strs(&t, "period_label")[i],
                strs(&t, "theme")[i],
                strs(&t, "role")[i],
                strs(&t, "choice")[i]
            )
        })
        .collect();
    assert_eq!(
        key,
        [
            "|(unknown)|patent|achievement|single",
            "370700|2018-H2|high_tech_enterprise|achievement|single",
            "370783|2018-H1|high_tech_enterprise|achievement|total over part",
            "370783|2018-H1|high_tech_enterprise|plan|single",
            "370783|2018-H1|high_tech_enterprise|problem|single",
            "370783|2018-H1|patent|achievement|",
            "370783|2019-H1|high_tech_enterprise|achievement|single",
            "370783|2019-H1|patent|achievement|single",
            "420881|2018-H1|high_tech_enterprise|achievement|single",
            "420881|2018-H1|patent|achievement|largest",
        ]
    );
    assert_eq!(
        f64s(&t, "value"),
        [
            Some(7.0),
            Some(300.0),
            Some(66.0),
            Some(80.0),
            Some(3.0),
            None,
            Some(90.0),
            Some(50.0),
            Some(66.0),
            Some(40.0)
        ]
    );
    assert_eq!(u32s(&t, "facts"), [1, 1, 2, 1, 1, 2, 1, 1, 1, 3]);
    assert_eq!(u32s(&t, "masked"), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(u32s(&t, "damaged"), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    let start: Vec<u64> = t
        .column("start")
        .unwrap()
        .u64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect();
    // The citation is the chosen fact; with no clean fact, the first fact stated.
    assert_eq!(start, [2, 1, 10, 50, 60, 30, 5, 15, 3, 8]);
    assert_eq!(strs(&t, "path")[5], "a.txt");
    assert_eq!(strs(&t, "sentence")[9], "句子8");
    assert_eq!(strs(&t, "doc_id")[2], "id-a.txt");
    assert_eq!(strs(&t, "qualifier")[2], "exact");
    assert_eq!(strs(&t, "unit")[9], "件");
    assert_eq!(strs(&t, "province")[9], "湖北省");
    assert_eq!(strs(&t, "city")[9], "荆门市");
}

#[test]
fn indicator_groups_do_not_depend_on_how_the_facts_are_cut() {
    // Cut into up to one stretch per fact, reports' runs split anywhere;
    // pooled, several reports share a place and their groups merge.
    let ds = ds();
    for by in [
        By::default(),
        By {
            region: false,
            period: true,
        },
        By {
            region: false,
            period: false,
        },
    ] {
        let places = places::Places::of(&ds, &Filters::default(), by).unwrap();
        let facts = ds.facts.clone().collect().unwrap();
        let whole = indicator_groups::IndicatorGroups::collect_in(&facts, &places, 1).unwrap();
        assert!(whole.len() > 3, "{by:?}: {} groups", whole.len());
        for stretches in 2..=facts.height() + 1 {
            let cut =
                indicator_groups::IndicatorGroups::collect_in(&facts, &places, stretches).unwrap();
            assert_eq!(cut, whole, "{by:?}, {stretches} stretches");
        }
    }
}

#[test]
fn change_pairs_only_comparable_consecutive_periods() {
    let t = change(&ds(), &Filters::default()).unwrap();
    assert_eq!(
        names(&t),
        [
            "region_code",
            "region_name",
            "theme",
            "indicator",
            "unit",
            "from_period",
            "to_period",
            "from_value",
            "to_value",
            "abs_change",
            "rel_change"
        ]
    );
    // Only 寿光市 高企 2018-H1 → 2019-H1; the patent value of 2018-H1 is masked/damaged.
    assert_eq!(t.height(), 1);
    assert_eq!(strs(&t, "from_period"), ["2018-H1"]);
    assert_eq!(strs(&t, "to_period"), ["2019-H1"]);
    assert_eq!(f64s(&t, "abs_change"), [Some(24.0)]);
    assert_eq!(f64s(&t, "rel_change"), [Some(24.0 / 66.0)]);

    use PeriodKind::*;
    let p = |y, k| period(Some(y), Some(k));
    let pf = |v, s| fact("patent", "applications", v, "件", Role::Achievement, s);
    let docs = vec![
        doc("q1", zhongxiang(), p(2019, Q1), 3, &[], vec![pf(10.0, 1)]),
        doc("q2", zhongxiang(), p(2019, Q2), 3, &[], vec![pf(0.0, 1)]),
        doc("q3", zhongxiang(), p(2019, Q3), 3, &[], vec![pf(5.0, 1)]),
        doc("q1b", zhongxiang(), p(2020, Q1), 3, &[], vec![pf(12.0, 1)]),
        doc("h1", shouguang(), p(2019, H1), 3, &[], vec![pf(4.0, 1)]),
        doc("h2", shouguang(), p(2019, H2), 3, &[], vec![pf(9.0, 1)]),
        doc("fy1", weifang(), p(2021, FY), 3, &[], vec![pf(9.0, 1)]),
        doc("fy3", weifang(), p(2023, FY), 3, &[], vec![pf(9.0, 1)]),
        doc(
            "plan",
            weifang(),
            p(2022, FY),
            3,
            &[],
            vec![fact("patent", "applications", 1.0, "件", Role::Plan, 1)],
        ),
    ];
    let t = change(&dataset(&docs), &Filters::default()).unwrap();
    let pairs: Vec<String> = (0..t.height())
        .map(|i| {
            format!(
                "{}→{}",
                strs(&t, "from_period")[i],
                strs(&t, "to_period")[i]
            )
        })
        .collect();
    // H1→H2 is not comparable; 2021-FY→2023-FY has a gap; plans never count.
    assert_eq!(
        pairs,
        ["2019-Q1→2019-Q2", "2019-Q1→2020-Q1", "2019-Q2→2019-Q3"]
    );
    assert_eq!(f64s(&t, "rel_change"), [Some(-1.0), Some(0.2), None]);
    assert_eq!(f64s(&t, "abs_change"), [Some(-10.0), Some(2.0), Some(5.0)]);
}

#[test]
fn ranking_shares_ranks_on_ties() {
    let t = ranking(&ds(), &Filters::default()).unwrap();
    assert_eq!(
        names(&t),
        [
            "period_label",
            "theme",
            "indicator",
            "unit",
            "rank",
            "region_code",
            "region_name",
            "value"
        ]
    );
    let rows: Vec<String> = (0..t.height())
        .map(|i| {
            format!(
                "{} {} {} {} {} {}",
                strs(&t, "period_label")[i],
                strs(&t, "theme")[i],
                strs(&t, "indicator")[i],
                strs(&t, "unit")[i],
                u32s(&t, "rank")[i],
                strs(&t, "region_code")[i]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "2018-H1 high_tech_enterprise certified 家 1 370783",
            "2018-H1 high_tech_enterprise certified 家 1 420881",
            "2018-H1 high_tech_enterprise coverage share 1 370783",
            "2018-H1 high_tech_enterprise coverage share 2 420881",
            "2018-H1 patent applications 件 1 420881",
            "2018-H1 patent coverage share 1 370783",
            "2018-H1 patent coverage share 2 420881",
            "2018-H2 high_tech_enterprise certified 家 1 370700",
            "2018-H2 high_tech_enterprise coverage share 1 370700",
            "2018-H2 patent coverage share 1 370700",
            "2019-H1 high_tech_enterprise certified 家 1 370783",
            "2019-H1 high_tech_enterprise coverage share 1 370783",
            "2019-H1 patent applications 件 1 370783",
            "2019-H1 patent coverage share 1 370783",
        ]
    );
    // Competition ranking: 1, 1, 3; a value in another unit ranks apart.
    let docs: Vec<_> = [
        ("a", shouguang(), 5.0, "件"),
        ("b", zhongxiang(), 5.0, "件"),
        ("c", weifang(), 4.0, "件"),
        ("d", zhongxiang(), 9.0, "项"),
    ]
    .into_iter()
    .map(|(p, r, v, unit)| {
        doc(
            p,
            r,
            period(Some(2020), Some(PeriodKind::FY)),
            1,
            &[],
            vec![fact("patent", "grants", v, unit, Role::Achievement, 0)],
        )
    })
    .collect();
    let f = Filters {
        indicator: Some("grants".into()),
        ..Filters::default()
    };
    let t = ranking(&dataset(&docs), &f).unwrap();
    assert_eq!(u32s(&t, "rank"), [1, 1, 3, 1]);
    assert_eq!(strs(&t, "unit"), ["件", "件", "件", "项"]);
    assert_eq!(
        strs(&t, "region_code"),
        ["370783", "420881", "370700", "420881"]
    );
}

#[test]
fn quality_counts_masked_damaged_and_unknowns() {
    let t = quality(&ds(), &Filters::default(), By::default()).unwrap();
    assert_eq!(
        names(&t),
        [
            "region_code",
            "region_name",
            "province",
            "city",
            "period_label",
            "documents",
            "facts",
            "masked",
            "damaged",
            "unknown_region",
            "unknown_period"
        ]
    );
    assert_eq!(
        strs(&t, "region_code"),
        ["", "370700", "370783", "370783", "420881"]
    );
    assert_eq!(u32s(&t, "documents"), [1, 1, 1, 1, 1]);
    assert_eq!(u32s(&t, "facts"), [1, 1, 6, 2, 4]);
    assert_eq!(u32s(&t, "masked"), [0, 0, 1, 0, 0]);
    assert_eq!(u32s(&t, "damaged"), [0, 0, 1, 0, 0]);
    assert_eq!(u32s(&t, "unknown_region"), [1, 0, 0, 0, 0]);
    assert_eq!(u32s(&t, "unknown_period"), [1, 0, 0, 0, 0]);
}

#[test]
fn filters_apply_before_grouping() {
    let d = ds();
    let by = By::default();
    let f = Filters {
        province_code: Some("42".into()),
        ..Filters::default()
    };
    let t = indicators(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "region_code"), ["420881", "420881"]);

    let f = Filters {
        city_code: Some("3707".into()),
        theme: Some("patent".into()),
        ..Filters::default()
    };
    let t = indicators(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "period_label"), ["2018-H1", "2019-H1"]);
    let t = coverage(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "theme"), ["patent", "patent", "patent"]);

    let f = Filters {
        role: Some("plan".into()),
        ..Filters::default()
    };
    let t = indicators(&d, &f, by).unwrap();
    assert_eq!(f64s(&t, "value"), [Some(80.0)]);
    let t = quality(&d, &f, by).unwrap();
    assert_eq!(u32s(&t, "facts"), [0, 0, 1, 0, 0]);

    let f = Filters {
        region_code: Some("370783".into()),
        period_from: Some("2018-H2".into()),
        ..Filters::default()
    };
    let t = quality(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "period_label"), ["2019-H1"]);

    let f = Filters {
        period_from: Some("2018-H2".into()),
        period_to: Some("2019".into()),
        ..Filters::default()
    };
    let t = quality(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "period_label"), ["2018-H2", "2019-H1"]);

    let f = Filters {
        period_to: Some("2018".into()),
        indicator: Some("applications".into()),
        ..Filters::default()
    };
    let t = indicators(&d, &f, by).unwrap();
    assert_eq!(strs(&t, "region_code"), ["370783", "420881"]);

    let f = Filters {
        period_from: Some("2018-Spring".into()),
        ..Filters::default()
    };
    let err = coverage(&d, &f, by).unwrap_err().to_string();
    assert!(err.contains("2018-Spring"), "{err}");

    let f = Filters {
        theme: Some("nothing".into()),
        ..Filters::default()
    };
    let t = coverage(&d, &f, by).unwrap();
    assert_eq!(t.height(), 0);
    assert_eq!(t.width(), 10);

    // No fact, or no document, left: an empty indicators table with the
    // columns and types of a full one.
    let full = indicators(&d, &Filters::default(), by).unwrap();
    let no_document = Filters {
        region_code: Some("999999".into()),
        ..Filters::default()
    };
    for f in [f, no_document] {
        let t = indicators(&d, &f, by).unwrap();
        assert_eq!(t.height(), 0, "{f:?}");
        assert_eq!(t.schema(), full.schema(), "{f:?}");
    }
}

#[test]
fn pooling_regions_or_periods() {
    let d = ds();
    let t = quality(
        &d,
        &Filters::default(),
        By {
            region: false,
            period: true,
        },
    )
    .unwrap();
    assert_eq!(
        strs(&t, "region_name"),
        ["(all)", "(all)", "(all)", "(all)"]
    );
    assert_eq!(
        strs(&t, "period_label"),
        ["(unknown)", "2018-H1", "2018-H2", "2019-H1"]
    );
    assert_eq!(u32s(&t, "documents"), [1, 2, 1, 1]);
    let t = coverage(
        &d,
        &Filters::default(),
        By {
            region: true,
            period: false,
        },
    )
    .unwrap();
    assert_eq!(strs(&t, "period_label")[4], "(all)");
    assert_eq!(u32s(&t, "sentences")[4], 30);
    assert_eq!(u32s(&t, "mentions")[4], 9);
}

#[test]
fn tables_by_name() {
    let d = ds();
    for name in TABLE_NAMES {
        assert!(
            table(name, &d, &Filters::default(), By::default())
                .unwrap()
                .height()
                > 0
        );
    }
    assert!(table("nope", &d, &Filters::default(), By::default()).is_err());
}
