"""Full-text search over the repository's works.

This package owns everything Whoosh: the analyzers, the schema, the single
writer and the queries. Nothing outside it imports whoosh, and it imports
nothing from Flask, SQLAlchemy or ``repo_app``: callers hand it plain
dataclasses (``WorkDocument``, ``Scope``) and get plain dataclasses back.
"""
