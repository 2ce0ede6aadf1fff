"""Ingestion: load sources into Articles, clean them, split into sentences and chunks."""
