"""A bug in the app: one line and a crash report, never a traceback with the app's values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_crash import SECRET, reports
from tests.tui.conftest import SIZE, AppFactory


async def test_the_app_stops_with_one_line_and_a_report(
    make_app: AppFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KOMMUNESTYRE_CRASH_DIR", str(tmp_path))
    app = make_app()

    def broken() -> None:
        raise KeyError(SECRET)

    monkeypatch.setattr(app, "action_help", broken)
    with pytest.raises(KeyError):  # a Pilot test still sees the error itself
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f1")
            await pilot.pause()
    assert app.return_code == 1
    captured = capfd.readouterr()
    shown = " ".join((captured.out + captured.err).split())
    assert "kommunestyre stopped after an unexpected error (KeyError)" in shown
    assert "Traceback" not in shown and SECRET not in shown
    [report] = reports(tmp_path)
    assert "where: the app, overview" in report.read_text("utf-8")
    assert SECRET not in report.read_text("utf-8")
