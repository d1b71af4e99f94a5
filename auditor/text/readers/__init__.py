"""Input readers: one module per file kind, each returning a `Document`."""
