"""The index: embeddings, Chroma vectors, BM25, the catalog and the manifest."""
