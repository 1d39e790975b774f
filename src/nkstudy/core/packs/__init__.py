"""Reading packs from untrusted files: YAML, fields, items, loading, discovery and the pack cache."""
