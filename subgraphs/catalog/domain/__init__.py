"""The catalog's domain: products, variants, categories — no web or GraphQL imports."""
