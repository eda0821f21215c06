//! Hand-built documents for the unit tests: three regions, consecutive
//! periods, plan and problem facts, masked and damaged numbers.

use std::collections::BTreeMap;

use zongjie_parse::model::*;

/// The themes the test documents count mentions for, in lexicon order.
pub const THEMES: &[&str] = &["high_tech_enterprise", "patent"];

fn region(code: &str, level: RegionLevel, name: &str, province: &str, city: &str) -> Region {
    Region {
        code: code.into(),
        level,
        name: name.into(),
        province: province.into(),
        city: city.into(),
        county: if level == RegionLevel::County {
            name.into()
        } else {
            String::new()
        },
        confidence: 0.9,
        evidence: Vec::new(),
    }
}

/// 寿光市 (county 370783 in 潍坊市 3707, 山东 37).
pub fn shouguang() -> Region {
    region("370783", RegionLevel::County, "寿光市", "山东省", "潍坊市")
}

/// 钟祥市 (county 420881 in 荆门市 4208, 湖北 42).
pub fn zhongxiang() -> Region {
    region("420881", RegionLevel::County, "钟祥市", "湖北省", "荆门市")
}

/// 潍坊市 (city 370700, 山东 37).
pub fn weifang() -> Region {
    region("370700", RegionLevel::City, "潍坊市", "山东省", "潍坊市")
}

/// A period.
pub fn period(year: Option<i32>, kind: Option<PeriodKind>) -> Period {
    Period {
        year,
        kind,
        year_trust: if year.is_some() {
            YearTrust::Sure
        } else {
            YearTrust::Unknown
        },
        evidence: Vec::new(),
    }
}

/// A clean fact.
pub fn fact(
    theme: &str,
    indicator: &str,
    value: f64,
    unit: &str,
    role: Role,
    start: usize,
) -> Fact {
    Fact {
        theme: theme.into(),
        indicator: indicator.into(),
        value: Some(value),
        unit: unit.into(),
        raw: format!("{value}{unit}"),
        qualifier: Qualifier::Exact,
        masked: false,
        damaged: false,
        role,
        section: "一、工作总结".into(),
        sentence: format!("句子{start}"),
        start,
        end: start + 3,
    }
}

/// A masked fact ("xx家").
pub fn masked(theme: &str, indicator: &str, unit: &str, start: usize) -> Fact {
    Fact {
        value: None,
        raw: format!("xx{unit}"),
        masked: true,
        ..fact(theme, indicator, 0.0, unit, Role::Achievement, start)
    }
}

/// A damaged fact ("00件"); the parser's value is kept to prove it is ignored.
pub fn damaged(theme: &str, indicator: &str, unit: &str, start: usize) -> Fact {
    Fact {
        value: Some(0.0),
        raw: format!("00{unit}"),
        damaged: true,
        ..fact(theme, indicator, 0.0, unit, Role::Achievement, start)
    }
}

/// A document with `sentences` sentences of text "文" each.
pub fn doc(
    path: &str,
    region: Region,
    period: Period,
    sentences: usize,
    mentions: &[(&str, u32)],
    facts: Vec<Fact>,
) -> Document {
    let text = "文。".repeat(sentences);
    let sentences = (0..sentences)
        .map(|i| Sentence {
            span: i * 6..i * 6 + 6,
            section: 0,
        })
        .collect();
    let mut m: BTreeMap<String, u32> = THEMES.iter().map(|t| (t.to_string(), 0)).collect();
    for (t, n) in mentions {
        m.insert(t.to_string(), *n);
    }
    Document {
        doc_id: format!("id-{path}"),
        path: path.into(),
        format: Format::Text,
        encoding: "UTF-8".into(),
        script: Script::Simplified,
        title: format!("{}工作总结", region.name),
        text,
        structure: Structure {
            title: String::new(),
            sections: Vec::new(),
            sentences,
        },
        region,
        period,
        mentions: m,
        facts,
        cleaning: CleaningReport::default(),
    }
}

/// The standard test corpus, sorted by path:
///
/// - a.txt 寿光市 2018-H1, 10 sentences: 高企 66家 (total) and 20家 (part) as
///   `certified`; patent applications xx件 (masked) and 00件 (damaged); a plan
///   of 80家; a problem statement of 3家.
/// - b.txt 寿光市 2019-H1, 20 sentences: 高企 90家; patent applications 50件.
/// - c.txt 钟祥市 2018-H1, 5 sentences: 高企 66家 (ties 寿光市); patent 40件, 30件, 25件.
/// - d.txt 潍坊市 2018-H2, 8 sentences: 高企 300家.
/// - e.txt unknown region and period, 4 sentences: patent 7件.
pub fn corpus() -> Vec<Document> {
    use PeriodKind::*;
    use Role::*;
    let hte = "high_tech_enterprise";
    vec![
        doc(
            "a.txt",
            shouguang(),
            period(Some(2018), Some(H1)),
            10,
            &[(hte, 4), ("patent", 2)],
            vec![
                fact(hte, "certified", 66.0, "家", Achievement, 10),
                fact(hte, "certified", 20.0, "家", Achievement, 20),
                masked("patent", "applications", "件", 30),
                damaged("patent", "applications", "件", 40),
                fact(hte, "certified", 80.0, "家", Plan, 50),
                fact(hte, "certified", 3.0, "家", Problem, 60),
            ],
        ),
        doc(
            "b.txt",
            shouguang(),
            period(Some(2019), Some(H1)),
            20,
            &[(hte, 5), ("patent", 1)],
            vec![
                fact(hte, "certified", 90.0, "家", Achievement, 5),
                fact("patent", "applications", 50.0, "件", Achievement, 15),
            ],
        ),
        doc(
            "c.txt",
            zhongxiang(),
            period(Some(2018), Some(H1)),
            5,
            &[(hte, 1)],
            vec![
                fact(hte, "certified", 66.0, "家", Achievement, 3),
                fact("patent", "applications", 40.0, "件", Achievement, 8),
                fact("patent", "applications", 30.0, "件", Achievement, 12),
                fact("patent", "applications", 25.0, "件", Achievement, 14),
            ],
        ),
        doc(
            "d.txt",
            weifang(),
            period(Some(2018), Some(H2)),
            8,
            &[(hte, 2)],
            vec![fact(hte, "certified", 300.0, "家", Achievement, 1)],
        ),
        doc(
            "e.txt",
            Region::unknown(),
            period(None, None),
            4,
            &[("patent", 1)],
            vec![fact("patent", "applications", 7.0, "件", Achievement, 2)],
        ),
    ]
}

/// The standard corpus as an in-memory dataset.
pub fn dataset(docs: &[Document]) -> crate::io::Dataset {
    let d = crate::frames::documents_frame(docs, THEMES).unwrap();
    let f = crate::frames::facts_frame(docs).unwrap();
    crate::io::Dataset::from_frames(d, f, std::path::Path::new("mem")).unwrap()
}
