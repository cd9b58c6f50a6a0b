"""Suite-wide rule: a skipped test is a failure.

Odoo skips browser tests silently when Chromium or websocket-client is missing, and HTTP tests
when the server is not started; here that must turn the run red, not pass it quietly.
"""

import pytest


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"{len(skipped)} test(s) skipped: the suite refuses skips", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
