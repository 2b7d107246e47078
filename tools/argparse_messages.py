"""The standard library's command-line words that a coordinator reads (argparse's messages).

Not imported by the program: this file only lists the messages for the catalogue, so that
``kommunestyre --help`` and argparse's refusals speak the coordinator's language too (the CLI
points argparse's ``_`` and ``ngettext`` at :mod:`kommunestyre.i18n`).
"""

from kommunestyre.i18n import N_, ngettext

MESSAGES = [
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("can't open '%(filename)s': %(error)s"),
]
PLURALS = [ngettext("expected %s argument", "expected %s arguments", 0)]
