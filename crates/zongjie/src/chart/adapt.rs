//! Adapters from the comparison tables (polars DataFrames) to chart inputs.
