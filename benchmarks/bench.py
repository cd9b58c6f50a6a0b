"""Run the benchmark cases on a generated database; print the table, write it to benchmarks/results/.

Run from the repository root with Odoo's source on ``PYTHONPATH`` (``make bench`` does)::

    python -m benchmarks.bench --scale small [--runs 7] [--warmup 1] [--case partner_list_80 ...]

The database is never changed: every run is rolled back, and so is the whole session.
"""

import argparse
import datetime
import json
import platform
import subprocess
import sys
import time

import odoo.release

from . import cases  # noqa: F401  (registers the cases)
from .framework import CASES, BaselineMismatch, run_case
from .generate import ANCHOR_KEY, DURATION_KEY
from .odoo_env import ROOT, bench_database, environment

RESULTS = ROOT / "benchmarks" / "results"
COLUMNS = ("case", "ours ms", "baseline", "baseline ms", "ratio", "queries ours", "queries baseline")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="small", help="small, medium or large (default: small)")
    parser.add_argument("--db", help="database (default: customer_management_bench_<scale>)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each callable (default: 7)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default: 1)")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only these cases (repeatable)")
    parser.add_argument("--no-save", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    db = args.db or bench_database(args.scale)
    started = datetime.datetime.now(datetime.UTC)
    results = []
    with environment(db) as env:
        try:
            for name in args.case or CASES:
                bench_case = CASES[name]
                clock = time.monotonic()
                try:
                    measures = run_case(env, bench_case, args.runs, args.warmup)
                except BaselineMismatch as error:
                    print(f"{name}: the baseline does not give our answer: {error}", file=sys.stderr)
                    return 1
                results.append(_case_result(bench_case, measures))
                print(f"  {name}: {time.monotonic() - clock:.1f}s", file=sys.stderr)
        finally:
            env.cr.rollback()
        env.cr.execute(
            "SELECT (SELECT COUNT(*) FROM res_partner WHERE customer_rank > 0),"
            " (SELECT COUNT(*) FROM sale_order), (SELECT COUNT(*) FROM account_move),"
            " (SELECT COUNT(*) FROM account_move_line)"
        )
        customers, orders, moves, lines = env.cr.fetchone()
        params = env["ir.config_parameter"].sudo()
        generated = {
            "anchor_date": params.get_param(ANCHOR_KEY),
            "generation_seconds": int(params.get_param(DURATION_KEY) or 0),
        }
    report = {
        "scale": args.scale,
        "database": db,
        "date": started.isoformat(timespec="seconds"),
        "runs": args.runs,
        "warmup": args.warmup,
        "data": {
            "customers": customers,
            "sale_orders": orders,
            "moves": moves,
            "journal_items": lines,
            **generated,
        },
        "odoo": odoo.release.version,
        "commit": _git_commit(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "cases": results,
    }
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        text = json.dumps(report, indent=2) + "\n"
        (RESULTS / f"{args.scale}-{stamp}.json").write_text(text)
        (RESULTS / f"{args.scale}-latest.json").write_text(text)
        (RESULTS / f"{args.scale}-latest.md").write_text(markdown)
        print(f"Written to {RESULTS.relative_to(ROOT)}/{args.scale}-latest.md and .json, {args.scale}-{stamp}.json")
    return 0


def _case_result(bench_case, measures):
    ours = measures["ours"]
    return {
        "case": bench_case.name,
        "description": bench_case.description,
        "ours": ours.as_dict(),
        "baselines": {
            label: {**measure.as_dict(), "ratio": round(ours.median_ms / measure.median_ms, 2)}
            for label, measure in measures.items()
            if label != "ours"
        },
    }


def to_markdown(report):
    """The table: one row per case and baseline, ratio = our median / the baseline's median."""
    data = report["data"]
    lines = [
        f"## Benchmarks, scale `{report['scale']}` ({report['date']})",
        "",
        f"{data['customers']:,} customers, {data['sale_orders']:,} sale orders, {data['moves']:,} journal entries, "
        f"{data['journal_items']:,} journal items (generated {data['anchor_date']} in {data['generation_seconds']} s); "
        f"Odoo {report['odoo']}, commit {report['commit']}; median of {report['runs']} runs after {report['warmup']} "
        "warm-up.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" if index in (0, 2) else "---:" for index in range(len(COLUMNS))) + "|",
    ]
    for result in report["cases"]:
        ours = result["ours"]
        for label, baseline in result["baselines"].items():
            lines.append(
                f"| {result['case']} | {ours['median_ms']:.1f} | {label} | {baseline['median_ms']:.1f} "
                f"| {baseline['ratio']:.2f} | {ours['queries']} | {baseline['queries']} |"
            )
    lines += ["", *(f"- `{result['case']}`: {result['description']}" for result in report["cases"]), ""]
    return "\n".join(lines)


def _git_commit():
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
