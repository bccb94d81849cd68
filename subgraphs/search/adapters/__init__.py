"""Search engines behind one protocol (``SearchEngine``): tantivy, Meilisearch, PostgreSQL."""
