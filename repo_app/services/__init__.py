"""Services: the only code that changes data.

Each public function takes the session first and the actor second, and
goes in a fixed order: check access → validate → change data → record the
audit event → commit → index (after the commit, so a rollback never
reaches the index).
"""
