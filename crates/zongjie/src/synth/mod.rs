//! The synthetic corpus behind `zongjie gen-corpus`: reports in the style of
//! real bureau summaries, with their ground truth, at any size.
//!
//! A document is a pure function of (seed, index), so corpora are
//! reproducible and can be generated in parallel. The mix follows real
//! corpora: mostly UTF-8 with GB18030 and Big5 (traditional) files, site
//! wrappers, page fragments that cut sentences, masked and damaged values,
//! problem and plan sections, distractor places. Sentence templates live in
//! `data/synth-templates.toml`; places come from the built-in gazetteer.
//!
//! Main types: [`Generator`], [`County`], [`Generated`].

pub mod rng;

use serde::Deserialize;
use serde_json::{json, Value};

use rng::Rng;

/// A county-level unit with what a report about it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    /// Six-digit code.
    pub code: String,
    /// Full name ("寿光市").
    pub name: String,
    /// Parent city name ("潍坊市"), "" for units directly under a province.
    pub city: String,
    /// Parent city code, six digits.
    pub city_code: String,
    /// Province name.
    pub province: String,
    /// Some of its towns (镇/乡/街道).
    pub towns: Vec<String>,
}

/// One sentence template.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    /// Theme id.
    pub theme: String,
    /// Indicator id.
    pub indicator: String,
    /// Sentence with `{n}`, `{unit}` and optionally `{scope}`.
    pub text: String,
    /// Measure word as written.
    pub unit: String,
    /// count, decimal, wan or percent.
    pub kind: String,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// The template file.
#[derive(Debug, Clone, Deserialize)]
pub struct Templates {
    /// Achievement sentences.
    pub fact: Vec<Template>,
    /// Plan sentences.
    pub plan: Vec<Template>,
    /// Sentences without numbers.
    pub filler: Vec<String>,
    /// Problem sentences.
    pub problems: Vec<String>,
    /// Headings of sections on other work, filled with `filler` paragraphs.
    pub other_sections: Vec<String>,
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> anyhow::Result<Self> {
        Ok(toml::from_str(include_str!(
            "../../data/synth-templates.toml"
        ))?)
    }
}

/// One generated report: its file name, bytes and ground truth (gold format).
#[derive(Debug, Clone)]
pub struct Generated {
    /// Relative path inside the corpus folder.
    pub file: String,
    /// The bytes as they would be scraped.
    pub bytes: Vec<u8>,
    /// Ground truth in the format of the seeds' gold file.
    pub truth: Value,
}

/// Generates documents; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Generator {
    counties: Vec<County>,
    templates: Templates,
    seed: u64,
}

const THEMES: [&str; 4] = [
    "high_tech_enterprise",
    "patent",
    "science_envoy",
    "earthquake_preparedness",
];

impl Generator {
    /// A generator over these counties (must not be empty) with these templates.
    pub fn new(counties: Vec<County>, templates: Templates, seed: u64) -> anyhow::Result<Self> {
        anyhow::ensure!(!counties.is_empty(), "no counties to write about");
        Ok(Generator {
            counties,
            templates,
            seed,
        })
    }

    /// Document number `index` of the corpus.
    pub fn document(&self, index: u64) -> Generated {
        let mut rng = Rng::new(self.seed.wrapping_mul(0x100_0000_01B3) ^ index);
        let county = rng.pick(&self.counties).clone();
        let year = rng.range(2018, 2024) as i32;
        let (kind, period_word, next_word) = *rng.pick(&[
            ("Q1", "第一季度", "第二季度"),
            ("Q2", "第二季度", "第三季度"),
            ("H1", "上半年", "下半年"),
            ("H1", "上半年", "下半年"),
            ("FY", "", "明年"),
            ("FY", "", "明年"),
        ]);
        let scope = scope_word(&county.name);
        let mut truth_facts = Vec::new();
        let mut masked = Vec::new();
        let mut damaged = Vec::new();
        let mut themes_seen = [false; 4];

        let title = if period_word.is_empty() {
            format!("{}科技局{year}年工作总结", county.name)
        } else {
            format!("{}科技局{year}年{period_word}工作总结", county.name)
        };
        let mut body = String::new();
        let span = if period_word.is_empty() {
            "今年以来"
        } else {
            period_word
        };
        body.push_str(&format!(
            "{span}，{}科技局在{}委、{}政府的坚强领导下，{}{}\n",
            county.name,
            scope,
            scope,
            rng.pick(&self.templates.filler),
            self.filler_run(&mut rng, 1, 3)
        ));
        body.push_str("一、主要工作开展情况\n");
        let mut order: Vec<usize> = (0..THEMES.len()).collect();
        for i in (1..order.len()).rev() {
            let j = rng.range(0, i as u64) as usize;
            order.swap(i, j);
        }
        let n_themes = rng.range(2, 4) as usize;
        let headings = [
            "（一）",
            "（二）",
            "（三）",
            "（四）",
            "（五）",
            "（六）",
            "（七）",
            "（八）",
        ];
        for (h, &t) in order.iter().take(n_themes).enumerate() {
            themes_seen[t] = true;
            let theme = THEMES[t];
            body.push_str(&format!("{}{}\n", headings[h], theme_heading(theme)));
            let candidates: Vec<&Template> = self
                .templates
                .fact
                .iter()
                .filter(|f| f.theme == theme)
                .collect();
            let k = rng.range(1, candidates.len().min(3) as u64) as usize;
            let mut clauses = Vec::new();
            let mut used = Vec::new();
            while clauses.len() < k {
                let tpl = *rng.pick(&candidates);
                if used.contains(&tpl.indicator) {
                    continue;
                }
                used.push(tpl.indicator.clone());
                let (clause, fact, mark) = render(&mut rng, tpl, scope, "achievement");
                clauses.push(clause);
                match mark {
                    Mark::Clean => truth_facts.push(fact),
                    Mark::Masked(raw) => masked.push(json!({"theme": theme, "raw": raw})),
                    Mark::Damaged(raw) => damaged.push(json!({"theme": theme, "raw": raw})),
                }
            }
            let mut para = self.filler_run(&mut rng, 1, 4);
            if !county.towns.is_empty() && rng.chance(0.4) {
                let town = rng.pick(&county.towns);
                para.push_str(&format!("在{town}召开现场推进会，"));
            }
            if rng.chance(0.3) {
                let other = rng.pick(&self.counties);
                if other.code != county.code {
                    para.push_str(&format!("赴{}考察学习先进经验，", other.name));
                }
            }
            para.push_str(&clauses.join("，"));
            para.push('。');
            para.push_str(&self.filler_run(&mut rng, 0, 3));
            para.push('\n');
            body.push_str(&para);
        }
        // Real reports are several kilobytes: most of the text is about other
        // work and carries no headline figure.
        let n_other = rng.range(2, 4) as usize;
        for marker in headings.iter().skip(n_themes).take(n_other) {
            let heading = rng.pick(&self.templates.other_sections);
            body.push_str(&format!("{marker}{heading}\n"));
            for _ in 0..rng.range(2, 3) {
                body.push_str(&self.filler_run(&mut rng, 3, 6));
                body.push('\n');
            }
        }
        body.push_str("二、存在问题\n");
        body.push_str(rng.pick(&self.templates.problems).as_str());
        body.push('\n');
        body.push_str(&format!("三、{next_word}工作打算\n"));
        let plan = rng.pick(&self.templates.plan).clone();
        let (clause, fact, mark) = render(&mut rng, &plan, scope, "plan");
        body.push_str(&format!(
            "{}，{clause}。\n",
            rng.pick(&self.templates.filler).trim_end_matches('。')
        ));
        if let Mark::Clean = mark {
            truth_facts.push(fact);
        }
        if let Some(t) = THEMES.iter().position(|t| *t == plan.theme) {
            themes_seen[t] = true;
        }

        let with_fragments = rng.chance(0.2);
        let body = if with_fragments {
            fragment(&mut rng, &body)
        } else {
            body
        };
        let mut text = String::new();
        if with_fragments || rng.chance(0.15) {
            text.push_str(&wrapper_head(&mut rng, &title, year));
        }
        if with_fragments {
            // The sites that cut pages put the title inside the first chunk.
            text.push_str(&body.replacen("1、", &format!("1、{title} "), 1));
        } else {
            text.push_str(&title);
            text.push('\n');
            text.push_str(&body);
        }

        let pick = rng.unit();
        let (bytes, encoding) = if pick < 0.15 {
            (encoding_rs::GB18030.encode(&text).0.into_owned(), "GB18030")
        } else if pick < 0.22 {
            let trad = zhconv::zhconv(&text, zhconv::Variant::ZhHant);
            (encoding_rs::BIG5.encode(&trad).0.into_owned(), "Big5")
        } else if pick < 0.27 {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            (b, "UTF-8")
        } else {
            (text.into_bytes(), "UTF-8")
        };
        let file = format!("{:04}/{index:07}.txt", index / 1000);
        let truth = json!({
            "file": file,
            "encoding": encoding,
            "region": {
                "code": county.code,
                "name": county.name,
                "city_code": county.city_code.get(..4).unwrap_or(""),
                "province_code": county.code.get(..2).unwrap_or(""),
            },
            "period": {"year": year, "kind": kind, "year_trust": "sure"},
            "themes": {
                "high_tech_enterprise": themes_seen[0],
                "patent": themes_seen[1],
                "science_envoy": themes_seen[2],
                "earthquake_preparedness": themes_seen[3],
            },
            "facts": truth_facts,
            "damaged": damaged,
            "masked": masked,
        });
        Generated { file, bytes, truth }
    }
}

impl Generator {
    /// Between `min` and `max` filler sentences run together as one paragraph.
    fn filler_run(&self, rng: &mut Rng, min: u64, max: u64) -> String {
        (0..rng.range(min, max))
            .map(|_| rng.pick(&self.templates.filler).as_str())
            .collect()
    }
}

enum Mark {
    Clean,
    Masked(String),
    Damaged(String),
}

fn render(rng: &mut Rng, tpl: &Template, scope: &str, role: &str) -> (String, Value, Mark) {
    let (shown, value): (String, f64) = match tpl.kind.as_str() {
        "decimal" => {
            let v = (rng.range((tpl.min * 100.0) as u64, (tpl.max * 100.0) as u64) as f64) / 100.0;
            (trim_number(v), v)
        }
        "percent" => {
            let v = (rng.range((tpl.min * 10.0) as u64, (tpl.max * 10.0) as u64) as f64) / 10.0;
            (trim_number(v), v)
        }
        "wan" => {
            let v = rng.range(tpl.min as u64 * 10, tpl.max as u64 * 10) as f64 / 10.0;
            (trim_number(v), v * 10_000.0)
        }
        _ => {
            let v = rng.range(tpl.min as u64, tpl.max as u64) as f64;
            (trim_number(v), v)
        }
    };
    let roll = if role == "plan" { 1.0 } else { rng.unit() };
    let (number, mark) = if roll < 0.06 {
        let mask = if shown.contains('.') { "xx.xx" } else { "xx" };
        (
            mask.to_string(),
            Mark::Masked(format!("{mask}{}", tpl.unit)),
        )
    } else if roll < 0.09 && tpl.kind == "count" {
        ("00".to_string(), Mark::Damaged(format!("00{}", tpl.unit)))
    } else {
        (shown, Mark::Clean)
    };
    let clause = tpl
        .text
        .replace("{scope}", scope)
        .replace("{n}", &number)
        .replace("{unit}", &tpl.unit);
    let unit = if tpl.kind == "wan" {
        "元"
    } else {
        tpl.unit.as_str()
    };
    let fact = json!({
        "theme": tpl.theme,
        "indicator": tpl.indicator,
        "value": value,
        "unit": unit,
        "core": true,
        "role": role,
        "evidence": clause,
    });
    (clause, fact, mark)
}

fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn scope_word(name: &str) -> &'static str {
    if name.ends_with('市') {
        "市"
    } else if name.ends_with('区') {
        "区"
    } else if name.ends_with('旗') {
        "旗"
    } else {
        "县"
    }
}

fn theme_heading(theme: &str) -> &'static str {
    match theme {
        "high_tech_enterprise" => "培育创新主体，高新技术企业量质齐升",
        "patent" => "强化知识产权创造和保护",
        "science_envoy" => "深化科技特派员制度，服务乡村振兴",
        _ => "扎实做好防震减灾工作",
    }
}

fn wrapper_head(rng: &mut Rng, title: &str, year: i32) -> String {
    let pages = rng.range(2, 9);
    let mut s = format!(
        "{title}\n\nID:{}\n\n大小:{}.{} KB\n\n页数:{pages}页\n\n时间:{}-{:02}-{:02}\n\n",
        rng.range(1_000_000, 99_999_999),
        rng.range(10, 90),
        rng.range(10, 99),
        year + 1,
        rng.range(1, 12),
        rng.range(1, 28)
    );
    for p in 1..=pages {
        s.push_str(&format!("{title}_第{p}页\n"));
    }
    s.push_str(&format!(
        "资源描述:\n\n《{title}》由会员上传分享,免费在线阅读,更多相关内容在应用文档-天天文库\n\n"
    ));
    s
}

/// Cut the body into page chunks "1、… 2、…" at places between two Chinese
/// characters, as document-sharing sites do.
fn fragment(rng: &mut Rng, body: &str) -> String {
    let chars: Vec<char> = body.chars().filter(|c| *c != '\n').collect();
    let mut out = String::from("1、");
    let mut since = 0usize;
    let mut chunk = 1;
    let mut target = rng.range(180, 360) as usize;
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        since += 1;
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        if since >= target && is_han(*c) && is_han(next) {
            chunk += 1;
            out.push_str(&format!("\n\n{chunk}、"));
            since = 0;
            target = rng.range(180, 360) as usize;
        }
    }
    out.push('\n');
    out
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn county() -> County {
        County {
            code: "370783".into(),
            name: "寿光市".into(),
            city: "潍坊市".into(),
            city_code: "370700".into(),
            province: "山东省".into(),
            towns: vec!["稻田镇".into(), "古城街道".into()],
        }
    }

    #[test]
    fn documents_are_deterministic_and_truth_matches_text() {
        let generator = Generator::new(vec![county()], Templates::builtin().unwrap(), 42).unwrap();
        for i in 0..50 {
            let a = generator.document(i);
            let b = generator.document(i);
            assert_eq!(a.bytes, b.bytes);
            if a.truth["encoding"] == "UTF-8" {
                let text = String::from_utf8_lossy(&a.bytes);
                for fact in a.truth["facts"].as_array().unwrap() {
                    let evidence = fact["evidence"].as_str().unwrap();
                    // Fragment markers may split an evidence clause; compare without them.
                    let flat: String = text.split('\n').collect::<Vec<_>>().concat();
                    let head: String = evidence.chars().take(4).collect();
                    assert!(flat.contains(&head), "{evidence} not in {text}");
                }
            }
        }
        assert_ne!(generator.document(1).bytes, generator.document(2).bytes);
    }
}
