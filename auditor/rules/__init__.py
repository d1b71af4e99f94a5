"""Rule packs: YAML rules validated by JSON Schema, evaluated by small check-kind modules."""
