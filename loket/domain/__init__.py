"""Pure domain: value objects and rules. Imports nothing else of the project."""
