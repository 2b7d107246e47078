"""Letters: templates, recipients, pre-flight, mail files, SMTP, calendars and the ledger.

Core code: no Textual here, and Jinja2 is only imported by the modules that render.
"""

#: The SMTP password may come from this environment variable (the CLI and the app read it).
PASSWORD_ENV = "KOMMUNESTYRE_SMTP_PASSWORD"
