"""The Jinja2 environment for letters: sandboxed, strict, HTML-escaped only in HTML, with the
Danish filters, and a coordinator's own templates folder in front of the built-in one."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    Template,
    nodes,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import clock_time, long_date, long_moment, money, short_date
from kommunestyre.resources import templates_dir

DA = "da"  # the letters are Danish, whatever language the coordinator's screen speaks


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def periode(meeting: dict[str, Any]) -> str:
    """A meeting's time span: one day, or from one moment to another."""
    start, end = meeting["start"], meeting["end"]
    if start.date() == end.date():
        return f"{long_date(start.date(), DA)} {clock_time(start, DA)}-{end:%H.%M}"
    return f"fra {long_moment(start, DA)} til {long_moment(end, DA)}"


def antal(count: int, one: str, many: str) -> str:
    """``{{ n | antal("deltager", "deltagere") }}``: "1 deltager", "4 deltagere"."""
    return f"{count} {one if count == 1 else many}"


FILTERS = {
    "dato": lambda value: long_date(_day(value), DA),
    "kort_dato": lambda value: short_date(_day(value)),
    "kl": lambda moment: clock_time(moment, DA),
    "tidspunkt": lambda moment: long_moment(moment, DA),
    "periode": periode,
    "kr": lambda amount: money(Decimal(amount), decimals=False, language=DA),
    "kr_ore": lambda amount: money(Decimal(amount), decimals=True, language=DA),
    "antal": antal,
}


class TemplatesNotFound(KommunestyreError):
    title = "Templates"


#: What one letter's rendering may cost. A letter is a page or two; a coordinator's own
#: template that loops without end, or multiplies a text into gigabytes, is stopped with the
#: template's name and line instead of hanging or exhausting the machine.
MAX_SECONDS = 5.0
MAX_STEPS = 200_000  # items produced by range() and repeated strings, in one letter
MAX_OUTPUT = 1_000_000  # characters of one rendered part
MAX_POWER = 64


class TooCostly(SecurityError):
    """A template went past one of the limits above."""


class Budget:
    """The limits of one rendering, counted down as the template works."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = MAX_STEPS

    def spend(self, steps: int) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise TooCostly(f"the template repeats more than {MAX_STEPS:,} times")
        if time.monotonic() > self.deadline:
            raise TooCostly(f"the template took more than {MAX_SECONDS:g} seconds")


_budget: ContextVar[Budget | None] = ContextVar("letter_budget", default=None)


def _spend(steps: int = 1) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.spend(steps)


def _counted(values: Iterator[Any]) -> Iterator[Any]:
    for index, value in enumerate(values):
        if index % 16 == 0:
            _spend(16)
        yield value


def bounded_range(*args: int) -> Iterator[int]:
    """``range()`` in a template: the sandbox's cap per range, and a budget for all of them."""
    return _counted(iter(safe_range(*args)))


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with a shortcut for the plain dicts our letters are given, and limits.

    ``cohort.venue`` on a dict makes Jinja try the attribute first, fail with an exception and
    then read the key: the sandbox returns the key's value unchecked in that case anyway, so for
    a dict that has the key we read it directly. Everything else takes the sandbox's own path.

    Multiplying texts and lists, powers, and ``range()`` count against the rendering's
    :class:`Budget`, and so does every attribute look-up and call (the clock is read there).
    Texts are checked for size before they are built where the size can be known first
    (``+``, ``~``, ``replace``, ``indent``, widths in ``%`` and ``format``).
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        _spend()
        if isinstance(obj, str) and attribute in FORMATTERS:
            check_widths(obj)  # "{:>300000000}".format(1)
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend()
        _check_sizes(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every ``{% for %}`` counts its items against the budget (a loop over a long text in
        a loop over another would otherwise run for hours without a look-up to notice), and
        every ``a ~ b`` is measured as it is built. The helpers are imported by their module
        path: a template's own variables cannot take their place."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = _wrapped("counted_items", loop.iter, loop.lineno)
        for parent in list(tree.find_all(nodes.Node)):
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _wrapped("sized", value, value.lineno))
                elif isinstance(value, list):
                    value[:] = [
                        _wrapped("sized", v, v.lineno) if isinstance(v, nodes.Concat) else v
                        for v in value
                    ]
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise TooCostly(f"powers above {MAX_POWER} are not allowed in a template")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _spend(max(0, len(seq) * times))
        if operator == "%" and isinstance(left, str):
            check_widths(left)  # "%0300000000d" % 1
        if operator == "+" and isinstance(left, (str, list, tuple)):
            _check_length(len(left) + len(right) if isinstance(right, type(left)) else 0)
        return super().call_binop(context, operator, left, right)


def _wrapped(helper: str, node: Any, lineno: int) -> nodes.Call:
    function = nodes.ImportedName(f"{__name__}.{helper}", lineno=lineno)
    return nodes.Call(function, [node], [], None, None, lineno=lineno)


def counted_items(items: Any) -> Iterator[Any]:
    """What a ``{% for %}`` loops over, counted against the budget."""
    return _counted(iter(items))


def sized(text: Any) -> Any:
    """The result of ``a ~ b``, refused when it has grown past a letter's size."""
    _check_length(len(text))
    return text


#: The methods of a text that format it, and how wide a field in them may be.
FORMATTERS = frozenset({"format", "format_map"})
MAX_WIDTH = 10_000
_NUMBER = re.compile(r"\d+")
_STAR_WIDTH = re.compile(r"%[-#0 +]*\*|%[-#0 +]*\d*\.\*")  # "%*d": the width from the values


def check_widths(template: str) -> None:
    """A format string that asks for a field wider than a letter (``%0300000000d``,
    ``{:>300000000}``, ``%*d``) is refused before it is filled in. (Any number in it above
    :data:`MAX_WIDTH` counts: format strings in letters are short and hold no such number.)"""
    if _STAR_WIDTH.search(template) or any(int(n) > MAX_WIDTH for n in _NUMBER.findall(template)):
        raise TooCostly(f"a field width in {template[:40]!r} is too large for a letter")


def _check_length(length: int) -> None:
    if length > MAX_OUTPUT:
        raise TooCostly(f"the template builds a text of more than {MAX_OUTPUT:,} characters")


def _check_sizes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A call whose argument is a huge text, or a huge number (``center(10**9)``), is refused."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, str) and len(value) > MAX_OUTPUT:
            raise TooCostly(f"the template builds a text of more than {MAX_OUTPUT:,} characters")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_STEPS:
            raise TooCostly(f"the number {value:.3g} is too large for a letter")


def _replaced_length(text: Any, old: Any = "", new: Any = "", *rest: Any) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    count = len(text) + 1 if old == "" else text.count(old)
    return len(text) + count * max(0, len(new) - len(old))


def _indented_length(text: Any, width: Any = 4, *rest: Any, **options: Any) -> int:
    if not isinstance(text, str):
        return 0
    step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    return len(text) + (text.count("\n") + 1) * max(0, step)


#: Filters whose result can be measured before it is built, from their arguments.
RESULT_LENGTH = {"replace": _replaced_length, "indent": _indented_length}


def _guarded(name: str, function: Any) -> Any:
    """A filter that refuses huge arguments and huge results (before building them, where
    :data:`RESULT_LENGTH` can tell)."""

    @functools.wraps(function)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        _spend()
        _check_sizes(args[1:], kwargs)
        values = args[1:] if getattr(function, "jinja_pass_arg", None) else args
        if name == "format" and values and isinstance(values[0], str):
            check_widths(values[0])
        if name in RESULT_LENGTH:
            _check_length(RESULT_LENGTH[name](*values, **kwargs))
        result = function(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_OUTPUT:
            raise TooCostly(f"the template builds a text of more than {MAX_OUTPUT:,} characters")
        return result

    return filtered


def render_bounded(template: Template, context: dict[str, Any]) -> str:
    """Render with a fresh :class:`Budget`, and at most :data:`MAX_OUTPUT` characters."""
    token = _budget.set(Budget())
    try:
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TooCostly(f"the template wrote more than {MAX_OUTPUT:,} characters")
            _spend()
            parts.append(chunk)
        return "".join(parts)
    finally:
        _budget.reset(token)


def make_environment(own_templates: Path | None = None) -> ImmutableSandboxedEnvironment:
    """Templates from ``own_templates`` (if given) override the built-in ones by name."""
    folders = []
    if own_templates is not None:
        if not own_templates.is_dir():
            raise TemplatesNotFound(f"{own_templates} is not a folder of letter templates")
        folders.append(FileSystemLoader(own_templates))
    folders.append(FileSystemLoader(templates_dir()))
    environment = LetterEnvironment(
        loader=ChoiceLoader(folders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters.update(FILTERS)
    environment.filters.update({k: _guarded(k, f) for k, f in environment.filters.items()})
    environment.globals["range"] = bounded_range
    for generator in ("namespace", "lipsum", "cycler", "joiner"):  # no letter needs them
        environment.globals.pop(generator, None)
    environment.own_templates = own_templates  # type: ignore[attr-defined]
    return environment
