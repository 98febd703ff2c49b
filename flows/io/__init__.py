"""Bytes to documents to Parquet: readers, decoding, HTML extraction, storage, the writer and the schema."""
