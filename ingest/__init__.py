"""From a file to stored, checksummed, text-extracted content.

Storage, fixity, PDF text extraction (in a worker process with limits),
text normalisation, Vietnamese legacy-font conversion and batch-manifest
reading. Only this package imports pdfminer; it imports nothing from Flask,
SQLAlchemy or ``repo_app`` and hands back plain dataclasses.
"""
