"""Pure domain: dataclasses, rules, validation. No Textual, no TinyDB, no I/O."""
