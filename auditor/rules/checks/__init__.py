"""Check kinds: one module each, exporting KIND, PARAMS_SCHEMA and a pure ``check``."""
