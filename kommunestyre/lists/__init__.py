"""Lists in and out: registration sheets read and imported, the programme's lists written."""
