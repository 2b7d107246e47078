"""The Textual app. Nothing outside this package imports it; the CLI loads it lazily."""
