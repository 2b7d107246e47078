"""Use cases built on the domain and the store; shared by the CLI and the TUI."""
