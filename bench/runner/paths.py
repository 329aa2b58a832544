"""Where the runner reads and writes."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "bench.md"
README = ROOT / "README.md"  # its Performance section shows the same latest table
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
