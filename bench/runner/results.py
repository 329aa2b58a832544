"""Results: the markdown table, the machine line, the files in bench/results and the table in docs/bench.md."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.runner.paths import DOCS

SIGNED_IN = "signed-in layout"
DOC_BEGIN, DOC_END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"


def ms(us: float | None) -> str:
    return "" if us is None else f"{us / 1000:.1f}"


def markdown_table(results: list[dict], machine: dict) -> str:
    """The results as a markdown table, with the machine line above it."""
    floor = next((r for r in results if r["name"].startswith("floor") and r.get("p50")), None)
    # The cheapest signed-in page (session, user, layout, a small form): what every signed-in page
    # pays before its own work, the second yardstick beside the anonymous floor.
    signed_in = next((r for r in results if r["name"].startswith(SIGNED_IN) and r.get("p50")), None)
    lines = [
        f"{machine['when']} · {machine['tickets']:,} tickets on {machine['database']} · "
        f"{machine['cpu']} ({machine['cores']} cores, {machine['memory_gb']} GB) · "
        f"gunicorn {machine['workers']} workers · {machine['tool']} {machine['connections']} connections, "
        f"{machine['duration']} s each"
        + (f" · load average {machine['load_before']:.1f} before, {machine['load_after']:.1f} after"
           if "load_before" in machine else ""),
        "",
        "| scenario | role | alone ms | median ms | p95 ms | req/s | x floor | x signed-in | queries | status |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ratio = f"{r['p50'] / floor['p50']:.1f}" if floor and r.get("p50") else ""
        ratio_signed_in = (f"{r['p50'] / signed_in['p50']:.1f}"
                           if signed_in and r.get("p50") and r.get("role") not in (None, "operator") else "")
        queries = "" if r.get("queries") is None else r["queries"]
        rps = f"{r['rps']:.0f}" if r.get("p50") is not None else ""
        lines.append(
            f"| {r['name']} | {r.get('role') or 'anonymous'} | {ms(r.get('alone'))} | {ms(r.get('p50'))} | "
            f"{ms(r.get('p95'))} | {rps} | {ratio} | {ratio_signed_in} | {queries} | {r['status']} |"
        )
    for extra in machine.get("notes", []):
        lines += ["", extra]
    return "\n".join(lines) + "\n"


def update_docs(table: str, path: Path = DOCS) -> None:
    """Replace the table between the markers in ``path`` (docs/bench.md, README.md)."""
    text = path.read_text()
    if DOC_BEGIN not in text:
        text += f"\n{DOC_BEGIN}\n{DOC_END}\n"
    head, rest = text.split(DOC_BEGIN, 1)
    _, tail = rest.split(DOC_END, 1)
    path.write_text(f"{head}{DOC_BEGIN}\n{table}{DOC_END}{tail}")


def machine_info(args, tool: str, fixtures: dict) -> dict:
    from django.db import connection

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        mem = 0
    vendor = connection.vendor
    if vendor == "sqlite":
        version = ".".join(map(str, connection.Database.sqlite_version_info))
    else:
        with connection.cursor() as cursor:
            number = cursor.connection.info.server_version  # 150020 -> 15.20
        version = f"{number // 10000}.{number % 100}"
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu, "cores": os.cpu_count(),
        "memory_gb": round(mem), "python": platform.python_version(), "database": f"{vendor} {version}",
        "tickets": fixtures["tickets"], "workers": args.workers, "tool": tool, "connections": args.connections,
        "duration": args.duration,
    }


def write_results(results_dir: Path, results: list[dict], machine: dict) -> str:
    """``<timestamp>.json``, ``latest.json`` and ``latest.md`` in ``results_dir``; returns the table."""
    table = markdown_table(results, machine)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = json.dumps({"machine": machine, "results": results}, indent=2)
    for name in (f"{stamp}.json", "latest.json"):
        (results_dir / name).write_text(payload)
    (results_dir / "latest.md").write_text(table)
    return table
