//! Stores what a parser derives from the built-in tables, so that a process
//! loads it instead of making it again: the gazetteer's places and surface
//! forms (`$OUT_DIR/gazetteer.bin`, see `Gazetteer::builtin`) and the word
//! automaton of the built-in gazetteer and lexicon
//! (`$OUT_DIR/parser_words.bin`, see `src/parser_words.rs`); the library
//! embeds both. The modules it needs are the library's own
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

/// Nothing stored yet: the build reads the gazetteer from its table.
static BUILT_IN_GAZETTEER: &[u8] = &[];

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
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let write = |name: &str, bytes: Vec<u8>| {
        let path = out.join(name);
        std::fs::write(&path, bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    };
    let gazetteer = gazetteer::Gazetteer::read_builtin()
        .unwrap_or_else(|e| panic!("the built-in gazetteer does not load: {e}"));
    write(
        "gazetteer.bin",
        gazetteer
            .to_bytes()
            .unwrap_or_else(|e| panic!("the built-in gazetteer cannot be stored: {e}")),
    );
    let lexicon = lexicon::Lexicon::builtin()
        .unwrap_or_else(|e: ParseError| panic!("the built-in lexicon does not load: {e}"));
    let words = parser_words::words(&gazetteer, &lexicon);
    let automaton = parser_words::build(&words)
        .unwrap_or_else(|e| panic!("the built-in words do not build an automaton: {e}"));
    write(
        "parser_words.bin",
        parser_words::to_bytes(&words, &automaton),
    );
}
