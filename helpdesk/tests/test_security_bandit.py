"""bandit (pinned in requirements-dev.txt) finds nothing of medium severity or above in our code.
Reviewed false positives carry ``# nosec <test id>`` with the reason on the same line."""

import json
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
OUR_CODE = ["accounts", "facilities", "tickets", "knowledge", "notifications", "helpdesk", "bench", "manage.py"]


def test_bandit_finds_nothing_of_medium_severity_or_above():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *OUR_CODE, "-x", "*/tests/*,*/migrations/*,*/.venv/*",
         "--severity-level", "medium", "-f", "json"],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=300,
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    issues = [f'{i["filename"]}:{i["line_number"]} {i["test_id"]} {i["issue_text"]}' for i in report["results"]]
    assert not issues, "\n".join(issues)
    assert report["metrics"]["_totals"]["loc"] > 5000, "bandit scanned our code"
