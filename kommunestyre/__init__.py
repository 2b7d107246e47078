"""kommunestyre: the terminal workbench for the coordinators of Kommunestyret 2030."""

__version__ = "0.1.0"
