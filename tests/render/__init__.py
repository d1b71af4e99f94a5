"""Tests of the renderers (auditor.render)."""
