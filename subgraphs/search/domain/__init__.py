"""The search read model: documents, queries, facets — no framework imports."""
