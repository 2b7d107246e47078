"""A letter's HTML part as it reads in the terminal: structure kept, markup gone, any HTML a
template can hold turned into text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from kommunestyre.tui import opener
from kommunestyre.tui.html_text import readable
from kommunestyre.tui.opener import PrivateFiles
from tests.tui.test_plain_text import CLEAR_SCREEN, SET_TITLE, hostile_values


def shown(html: str, width: int = 80) -> str:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(readable(html))
    return captured.get()


def test_headings_paragraphs_and_lists_read_as_text() -> None:
    text = shown(
        "<html><head><title>Brev</title><style>p { color: red }</style></head><body>"
        "<p>Kære Åse</p><h2>Tilmeldte</h2><ul><li>Ole</li><li>Mette</li></ul>"
        "<ol><li>først</li><li>så</li></ol><script>alert(1)</script></body></html>"
    )
    assert text.splitlines() == [
        "Kære Åse",
        "",
        "Tilmeldte",
        "",
        "  • Ole",
        "  • Mette",
        "  1. først",
        "  2. så",
    ]


def test_a_table_is_columns_with_amounts_to_the_right() -> None:
    text = shown(
        "<p>Pris</p><table>"
        "<tr><td>Pr. deltager</td><td class='amount'>14.900,00 kr.</td></tr>"
        "<tr><td><strong>I alt inkl. moms</strong></td><td class='amount'>74.500,00 kr.</td></tr>"
        "<tr><td>Sted</td><td>Hotel Koldingfjord<br>Fjordvej 154</td></tr>"
        "</table>"
    )
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[:2] == ["Pris", ""]
    assert lines[2].endswith(" 14.900,00 kr.") and lines[3].endswith(" 74.500,00 kr.")
    assert len(lines[2]) == len(lines[3])  # right-aligned in one column
    assert lines[4].startswith("Sted") and lines[4].endswith("Hotel Koldingfjord")
    assert lines[5].strip() == "Fjordvej 154"  # a <br> is a new line in its cell


def test_a_wide_table_wraps_to_the_width_there_is() -> None:
    cell = "onsdag den 24. februar 2027 kl. 12.00 til torsdag den 25. februar 2027 kl. 12.00"
    text = shown(f"<table><tr><td>1</td><td>{cell}</td><td>{cell}</td></tr></table>", width=60)
    assert all(len(line) <= 60 for line in text.splitlines())
    assert text.count("2027") == 4  # wrapped, nothing cut


def test_a_link_says_where_it_goes_when_its_text_does_not() -> None:
    text = shown(
        '<p><a href="mailto:ks@komponent.dk">ks@komponent.dk</a> · '
        '<a href="https://kl.dk/ks2030">programmet</a></p>'
    )
    assert text.strip() == "ks@komponent.dk · programmet (https://kl.dk/ks2030)"


@pytest.mark.parametrize(
    "broken",
    [
        "<p>a<b>b</p></b>",
        "</td></tr></table>",
        "<td>x",
        "<table><tr><td>1<table><td>2",
        "<",
        "&bogus;",
    ],
)
def test_broken_html_still_reads(broken: str) -> None:
    assert isinstance(shown(broken), str)


@pytest.mark.parametrize("value", hostile_values())
def test_any_value_in_a_letter_reads_as_text(value: str) -> None:
    for html in (value, f"<p>{value}</p><table><tr><td>{value}</td></tr></table><ul><li>{value}"):
        text = shown(html)
        assert CLEAR_SCREEN not in text and SET_TITLE not in text
        assert "\x1b" not in text


def test_files_opened_are_private_and_removed(tmp_path: Path) -> None:
    files = PrivateFiles(tmp_path / "kommunestyre-breve")
    path = files.write("brev.html", "<p>Åse</p>")
    again = files.write("brev.html", "<p>Bo</p>")  # a second letter of the same name
    assert again != path and path.read_text("utf-8") == "<p>Åse</p>"
    assert path.parent.parent == tmp_path / "kommunestyre-breve"  # seen by a sandboxed browser
    assert path.read_text("utf-8") == "<p>Åse</p>"
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0
    files.remove()
    assert not path.exists() and not path.parent.exists()


def test_no_program_takes_the_terminal_in_a_session_without_a_display(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(opener.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert opener.opener() is None  # else a text browser would fight the app for the terminal
    assert opener.open_file(tmp_path / "brev.html") is False
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(opener.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert opener.opener() == ["/usr/bin/xdg-open"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a</p><![ b>c", ["a", "", "c"]),  # a typo'd declaration: Python's parser gave up
        ("<p>a</p><![ b", ["a", "", "<![ b"]),
        (  # a table in a table: every word stays, in its cell
            "<table><tr><td>Left A</td><td><table><tr><td>Inner B</td></tr></table></td>"
            "<td>Right C</td></tr></table>",
            ["Left A  Inner B  Right C"],
        ),
        (  # a layout table: blocks in a cell are lines of the cell
            "<table><tr><td><h1>Invitation</h1><p>Kære Anna,</p><ul><li>et<li>to</ul></td></tr>"
            "</table>",
            ["Invitation", "Kære Anna,", "• et", "• to"],
        ),
        ("<head><title>T</title><body><p>Hej</p>", ["Hej"]),  # no </head>
        ("<head><title>T</title><p>Hej</p>", ["Hej"]),  # no </head>, no <body>
        ("<table><tr><th>A<th>B<tr><td>1<td>2</table><p>efter</p>", ["A  B", "1  2", "", "efter"]),
        ("<pre>a   b\n  c</pre>", ["a   b", "  c"]),
        ("<p><img alt='logo'> hej</p>", ["[logo] hej"]),
        ("<ul><li><p>x</p></ul>", ["  • x"]),
    ],
)
def test_html_as_templates_write_it_keeps_every_word(html: str, expected: list[str]) -> None:
    assert [line.rstrip() for line in shown(html).splitlines()] == expected


TOKENS = ["<p>", "</p>", "<table>", "</table>", "<tr>", "<td>", "</td>", "<th>", "<![", "<!--",
          "-->", "<head>", "<title>", "<body>", "<ul>", "<li>", "<ol>", "<pre>", "</pre>",
          "<a href='x'>", "</a>", "<b>", "</b>", "<br>", "<img alt='q'>", "&amp;", "&#x1b;",
          "\x1b[2J", "<", ">", "\n", "tekst", "Åse", "<script>", "<h2>", "</h2>", "<hr>",
          "<?x", "</", "<x y='", "&#0;", "<![CDATA[", "]]>"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_any_tag_soup_reads_without_error_or_terminal_commands(tokens: list[str]) -> None:
    assert "\x1b" not in shown("".join(tokens), width=50)
