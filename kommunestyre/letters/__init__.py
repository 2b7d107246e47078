"""Letters: templates, recipients, pre-flight, mail files, SMTP, calendars and the ledger.

Core code: no Textual here, and Jinja2 is only imported by the modules that render.
"""
