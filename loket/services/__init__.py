"""Services: one call per user action, taking the acting user, returning results.

The desktop, the CLI and (later) the sync server call these; nothing above
this layer touches storage, and nothing here knows about Qt.
"""
