//! Print what the parser makes of one file (sections with roles, facts).
fn main() {
    let path = std::env::args().nth(1).expect("path");
    let parser = zongjie_parse::Parser::new().unwrap();
    let doc = parser.parse(&path, &std::fs::read(&path).unwrap()).unwrap();
    for (i, s) in doc.structure.sections.iter().enumerate() {
        println!(
            "S{i} L{} {:?} [{}] {}",
            s.level,
            s.parent,
            s.role.as_str(),
            s.heading.chars().take(40).collect::<String>()
        );
    }
    for f in &doc.facts {
        println!(
            "{} {} {:?} {} {} [{}] {}",
            f.theme,
            f.indicator,
            f.value,
            f.unit,
            f.raw,
            f.role.as_str(),
            f.section
        );
    }
}
