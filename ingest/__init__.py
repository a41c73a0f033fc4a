"""From a file to stored, checksummed, text-extracted content.

Storage, fixity, PDF text extraction judged page by page (in a worker
process with limits), page-at-a-time OCR with quality figures, searchable
PDF/A copies of scans, lossless assembly of scanning-station images, text
normalisation, Vietnamese syllable rules and legacy-font conversion, and
batch-manifest reading. Only this package imports pdfminer; it imports
nothing from Flask, SQLAlchemy or ``repo_app`` and hands back plain
dataclasses.
"""
