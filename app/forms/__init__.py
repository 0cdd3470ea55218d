"""JSON-Schema form engine: generated citizen forms validated by jsonschema."""
