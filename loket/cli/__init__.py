"""The ``loket`` command line, for the office's IT person and scripts."""
