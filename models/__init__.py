"""Xref Explorer's domain: parsing, the library, queries, annotations, exports (no Qt)."""

__version__ = "0.1.0"
