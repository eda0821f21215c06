//! Builds the parser's word automaton for the built-in gazetteer and
//! lexicon (`src/parser_words.rs` says why) into `$OUT_DIR/parser_words.bin`,
//! which the library embeds. The modules it needs are the library's own
//! files, compiled here as they are there, so the build and the library
//! read the tables with the same code.

// Parts of the modules the build does not call.
#![allow(dead_code)]

#[path = "src/char_bits.rs"]
mod char_bits;
#[path = "src/error.rs"]
mod error;
#[path = "src/gazetteer.rs"]
mod gazetteer;
#[path = "src/lexicon.rs"]
mod lexicon;
#[path = "src/parser_words.rs"]
mod parser_words;
#[path = "src/word_automata.rs"]
mod word_automata;

use error::ParseError;

fn main() {
    for input in [
        "build.rs",
        "data/gazetteer.tsv",
        "data/region_rules.toml",
        "data/lexicon.toml",
        "src/char_bits.rs",
        "src/error.rs",
        "src/gazetteer.rs",
        "src/lexicon.rs",
        "src/parser_words.rs",
        "src/word_automata.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let gazetteer = gazetteer::Gazetteer::builtin();
    let lexicon = lexicon::Lexicon::builtin()
        .unwrap_or_else(|e: ParseError| panic!("the built-in lexicon does not load: {e}"));
    let words = parser_words::words(gazetteer, &lexicon);
    let automaton = parser_words::build(&words)
        .unwrap_or_else(|e| panic!("the built-in words do not build an automaton: {e}"));
    let out = std::path::Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("parser_words.bin");
    std::fs::write(&out, parser_words::to_bytes(&words, &automaton))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
