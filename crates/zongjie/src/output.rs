//! [`DatasetWriter`]: streams documents and facts into Parquet and CSV as the
//! batch runner hands over parsed documents (as [`DocumentRow`]s: what the
//! tables hold, without the text), so memory stays flat whatever the corpus
//! size.
//!
//! All four files are written to temporary files in the output folder and
//! renamed into place only by [`DatasetWriter::finish`]: an interrupted run
//! leaves the previous outputs intact. Rows are grouped into Parquet row
//! groups of exactly [`DOCS_PER_ROW_GROUP`] documents in path order, so the
//! same documents give the same bytes however they were parsed (threads,
//! shards, cache). Rows are turned into frames every [`DOCS_PER_FRAME`]
//! documents; the CSV files, which have no row groups, take each frame's
//! rows at once, and only the frames wait for a Parquet row group to fill.
//! The files are handed to the system's writeback as they grow
//! ([`start_writeback`]), so the flushes before the renames wait for the
//! last part only.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use polars::polars_utils::compression::ZstdLevel;
use polars::prelude::{CsvWriter, DataFrame, ParquetCompression, ParquetWriter, Schema, SerWriter};
use tempfile::NamedTempFile;

use crate::fsutil::{publish, start_writeback};
use zongjie_aggregate::frames::DocumentRow;
use zongjie_aggregate::{frames, schema};

/// Documents per Parquet row group. Large enough that row-group
/// metadata (kept by the Parquet writer until the file is finished) stays
/// small on a million documents, and that readers scan efficiently; small
/// enough that the waiting frames stay a few tens of megabytes.
pub const DOCS_PER_ROW_GROUP: usize = 4096;

/// Documents turned into frames at a time; divides [`DOCS_PER_ROW_GROUP`].
pub const DOCS_PER_FRAME: usize = 256;

const _: () = assert!(DOCS_PER_ROW_GROUP % DOCS_PER_FRAME == 0);

/// zstd's level for the Parquet files: its fastest. The writer is the part
/// of a run that does not spread over the parsing threads; against level 3
/// (the default), level 1 takes a ninth off writing Parquet (193 → 172 M
/// instructions on 3,000 generated documents) for files about 2 % larger.
const PARQUET_ZSTD_LEVEL: i32 = 1;

type ParquetBatches = polars::io::parquet::write::BatchedWriter<BufWriter<File>>;
type CsvBatches = polars::io::csv::write::BatchedWriter<BufWriter<File>>;

struct Table {
    target: PathBuf,
    parquet: ParquetBatches,
    parquet_tmp: NamedTempFile,
    csv: CsvBatches,
    csv_tmp: NamedTempFile,
}

impl Table {
    fn create(dir: &Path, stem: &str, schema: &Schema) -> anyhow::Result<Self> {
        let target = dir.join(stem);
        let parquet_tmp = temp_in(dir)?;
        let csv_tmp = temp_in(dir)?;
        let parquet = ParquetWriter::new(BufWriter::new(parquet_tmp.reopen()?))
            .with_compression(ParquetCompression::Zstd(Some(ZstdLevel::try_new(
                PARQUET_ZSTD_LEVEL,
            )?)))
            .set_parallel(false)
            .batched(schema)?;
        let csv = CsvWriter::new(BufWriter::new(csv_tmp.reopen()?))
            .include_header(true)
            .n_threads(1)
            .batched(schema)?;
        Ok(Table {
            target,
            parquet,
            parquet_tmp,
            csv,
            csv_tmp,
        })
    }

    /// Write one row group of `df` to both files: the Parquet and the CSV
    /// file side by side when the pool has a thread free (see
    /// [`DatasetWriter::write_row_group`]).
    fn write(&mut self, df: &mut DataFrame) -> anyhow::Result<()> {
        df.rechunk_mut();
        let df = &*df;
        let (parquet, csv) = rayon::join(
            || Self::write_parquet(&mut self.parquet, &self.parquet_tmp, &self.target, df),
            || {
                Self::write_csv(&mut self.csv, &self.target, df)?;
                start_writeback(self.csv_tmp.as_file());
                Ok(())
            },
        );
        parquet.and(csv)
    }

    /// Write `df` as one Parquet row group, then start its writeback (see
    /// [`start_writeback`]) with the CSV file's written since the last one.
    fn write_parquet_group(&mut self, df: &mut DataFrame) -> anyhow::Result<()> {
        df.rechunk_mut();
        Self::write_parquet(&mut self.parquet, &self.parquet_tmp, &self.target, df)?;
        start_writeback(self.csv_tmp.as_file());
        Ok(())
    }

    /// Write the rows of `df` to the CSV file, which has no row groups: a
    /// frame's rows go out as soon as the frame is made.
    fn write_rows(&mut self, df: &DataFrame) -> anyhow::Result<()> {
        Self::write_csv(&mut self.csv, &self.target, df)
    }

    fn write_parquet(
        parquet: &mut ParquetBatches,
        tmp: &NamedTempFile,
        target: &Path,
        df: &DataFrame,
    ) -> anyhow::Result<()> {
        parquet
            .write_batch(df)
            .with_context(|| format!("cannot write {}.parquet", target.display()))?;
        start_writeback(tmp.as_file());
        Ok(())
    }

    fn write_csv(csv: &mut CsvBatches, target: &Path, df: &DataFrame) -> anyhow::Result<()> {
        csv.write_batch(df)
            .with_context(|| format!("cannot write {}.csv", target.display()))
    }

    /// Finish both files and rename them into place, side by side when the
    /// pool has a thread free: most of the time is the wait for the disk.
    fn finish(self) -> anyhow::Result<()> {
        let Table {
            target,
            parquet,
            parquet_tmp,
            mut csv,
            csv_tmp,
        } = self;
        let (parquet, csv) = rayon::join(
            || -> anyhow::Result<()> {
                parquet.finish()?;
                // Dropping the writer flushes its buffer before the rename.
                drop(parquet);
                publish(parquet_tmp, &target.with_extension("parquet"))
            },
            || -> anyhow::Result<()> {
                csv.finish()?;
                drop(csv);
                publish(csv_tmp, &target.with_extension("csv"))
            },
        );
        parquet.and(csv)
    }
}

fn temp_in(dir: &Path) -> anyhow::Result<NamedTempFile> {
    tempfile::Builder::new()
        .prefix(".zongjie-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// Streams the documents and facts tables of one output folder.
pub struct DatasetWriter {
    themes: Vec<String>,
    documents: Table,
    facts: Table,
    /// Document rows not yet turned into frames (fewer than [`DOCS_PER_FRAME`]).
    pending: Vec<DocumentRow>,
    /// Frames (documents, facts) of the row group being filled.
    staged: Option<(DataFrame, DataFrame)>,
}

impl DatasetWriter {
    /// Start writing into `dir` with one `mentions_<theme>` column per theme.
    pub fn create(dir: &Path, themes: &[String]) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let ids: Vec<&str> = themes.iter().map(String::as_str).collect();
        Ok(DatasetWriter {
            themes: themes.to_vec(),
            documents: Table::create(dir, "documents", &schema::documents_schema(&ids))?,
            facts: Table::create(dir, "facts", &schema::facts_schema())?,
            pending: Vec::with_capacity(DOCS_PER_FRAME),
            staged: None,
        })
    }

    /// Queue document rows (in path order); full row groups are written at
    /// once. Returns the rows turned into frames by this call (given in this
    /// call or earlier ones, in the order given), which the writer no longer
    /// needs: the caller chooses where they are freed.
    pub fn write(&mut self, docs: Vec<DocumentRow>) -> anyhow::Result<Vec<DocumentRow>> {
        let mut done = Vec::new();
        for doc in docs {
            self.pending.push(doc);
            if self.pending.len() == DOCS_PER_FRAME {
                self.stage()?;
                done.append(&mut self.pending);
            }
        }
        Ok(done)
    }

    /// Turn the pending rows into frames added to the row group being
    /// filled, leaving them in `pending`; write the row group when it is
    /// full.
    fn stage(&mut self) -> anyhow::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = self.themes.iter().map(String::as_str).collect();
        let docs = frames::documents_frame(&self.pending, &ids)?;
        let facts = frames::facts_frame(&self.pending)?;
        // The CSV files take the frames' rows now, side by side when the
        // pool has a thread free; only Parquet waits for a full row group,
        // so the end of a run writes a frame's rows to CSV, not a row group's.
        self.on_both_tables(&docs, &facts, Table::write_rows)?;
        self.staged = Some(match self.staged.take() {
            Some((mut all_docs, mut all_facts)) => {
                all_docs.vstack_mut_owned(docs)?;
                all_facts.vstack_mut_owned(facts)?;
                (all_docs, all_facts)
            }
            None => (docs, facts),
        });
        let staged_docs = self.staged.as_ref().map_or(0, |(docs, _)| docs.height());
        if staged_docs >= DOCS_PER_ROW_GROUP {
            self.write_staged()?;
        }
        Ok(())
    }

    /// Write the staged frames as one Parquet row group (their rows are in
    /// the CSV files already).
    fn write_staged(&mut self) -> anyhow::Result<()> {
        if let Some((mut docs, mut facts)) = self.staged.take() {
            self.on_both_tables(&mut docs, &mut facts, Table::write_parquet_group)?;
        }
        Ok(())
    }

    /// Write one row group of documents and their facts.
    ///
    /// The four files are written as four rayon tasks: on a pool of one
    /// thread one after the other, on more by whichever threads are free.
    /// Each file still gets its row groups in order from one task at a time,
    /// so the bytes are the same. When parsing is cheap (a rerun whose
    /// documents all come from the cache) writing is most of a run, and a
    /// writer on one thread would leave the other cores idle.
    fn write_row_group(
        &mut self,
        docs: &mut DataFrame,
        facts: &mut DataFrame,
    ) -> anyhow::Result<()> {
        self.on_both_tables(docs, facts, Table::write)
    }

    /// `write` the documents table with `docs` and the facts table with
    /// `facts`, side by side when the pool has a thread free.
    fn on_both_tables<F: Send>(
        &mut self,
        docs: F,
        facts: F,
        write: impl Fn(&mut Table, F) -> anyhow::Result<()> + Sync,
    ) -> anyhow::Result<()> {
        let (documents, facts_table) = (&mut self.documents, &mut self.facts);
        let (wrote_docs, wrote_facts) =
            rayon::join(|| write(documents, docs), || write(facts_table, facts));
        wrote_docs.and(wrote_facts)
    }

    /// Write everything queued, whatever the row group's fill.
    fn flush(&mut self) -> anyhow::Result<()> {
        self.stage()?;
        self.pending.clear();
        self.write_staged()
    }

    /// Write one row group of ready-made frames (documents and their facts),
    /// as `merge` does; they must follow the schema and be in path order.
    pub fn write_frames(
        &mut self,
        docs: &mut DataFrame,
        facts: &mut DataFrame,
    ) -> anyhow::Result<()> {
        self.flush()?;
        self.write_row_group(docs, facts)
    }

    /// Write what is queued and rename all four files into place (the two
    /// tables side by side when the pool has a thread free).
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        let DatasetWriter {
            documents, facts, ..
        } = self;
        let (documents, facts) = rayon::join(|| documents.finish(), || facts.finish());
        documents.and(facts)
    }
}
