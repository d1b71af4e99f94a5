"""One module per output format; each defines ``RENDERER`` and is found by `auditor.render`."""
