"""The verdict of `make test-core` from Odoo's log: every failure or error not listed as known fails the run.

usage: core_report.py LOG KNOWN_FAILURES --suites sale,sale_stock,account [--seconds N]
"""

import argparse
import re
import sys

# "... ERROR db odoo.addons.sale.tests.test_x: FAIL: TestClass.test_method" (a subtest: "FAIL: Subtest
# TestClass.test_method (params)"; a class that fails to set up: "ERROR: setUpClass (odoo.addons....TestClass)").
FAILURE = re.compile(r" ERROR \S+ (?P<logger>[\w.]+): (?P<kind>FAIL|ERROR): (?P<what>.+)$")
SUBTEST = re.compile(r"^Subtest (?P<test>[\w.]+)")
HOLDER = re.compile(r"^(?P<fixture>\w+) \((?P<path>[\w.]+)\)")
REPORT = re.compile(r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database")
# Each test's start (Odoo's stats count its subtests too).
STARTED = re.compile(r" (?P<logger>odoo\.addons\.(?P<module>\w+)\.tests\.[\w.]+): Starting (?P<test>\w+\.\w+) \.\.\.")
HOLDER_ID = re.compile(r"\.(setUpClass|tearDownClass|setUpModule|tearDownModule)$")
CRASH = re.compile(r" CRITICAL | Failed to initialize database")


def test_id(logger, what):
    """The failing test as `odoo.addons.<module>.tests.<file>.<Class>.<method>` (a subtest counts as its test)."""
    if match := SUBTEST.match(what):
        return f"{logger}.{match['test']}"
    if match := HOLDER.match(what):
        return f"{match['path']}.{match['fixture']}"
    return f"{logger}.{what.split()[0]}"


def read_known(path):
    known = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            test, _sep, why = line.partition("#")
            if test.strip():
                known[test.strip()] = why.strip()
    return known


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("known")
    parser.add_argument("--suites", required=True)
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()
    known = read_known(args.known)

    failed, started, report, crashed = {}, {}, None, []
    with open(args.log, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if match := FAILURE.search(line):
                failed.setdefault(test_id(match["logger"], match["what"]), match["kind"])
            elif match := STARTED.search(line):
                started.setdefault(match["module"], set()).add(f"{match['logger']}.{match['test']}")
            elif match := REPORT.search(line):
                report = match
            elif CRASH.search(line):
                crashed.append(line.strip())

    counts = {module: len(tests) for module, tests in started.items()}
    problems = []
    if crashed:
        problems.append(f"Odoo did not run the suites: {crashed[0]}")
    if report is None:
        problems.append("Odoo's final test report is missing from the log")
    for suite in args.suites.split(","):
        if not counts.get(suite):
            problems.append(f"no test of {suite} ran")
    unknown = sorted(test for test in failed if test not in known)
    seen_known = sorted(test for test in failed if test in known)
    for test in unknown:
        print(f"{failed[test]}: {test}")
    for test in seen_known:
        print(f"known {failed[test]}: {test} ({known[test]})")
    for test in sorted(set(known) - set(failed)):
        print(f"listed as known but passed: {test} (remove it from {args.known})")
    for problem in problems:
        print(f"error: {problem}")

    run = int(report["run"]) if report else sum(counts.values())
    # A class that fails to set up runs none of its tests: Odoo counts them neither run nor failed.
    failed_tests = sum(1 for test in failed if not HOLDER_ID.search(test))
    per_suite = ", ".join(f"{suite} {counts.get(suite, 0)}" for suite in args.suites.split(","))
    minutes, seconds = divmod(args.seconds, 60)
    print(
        f"core suites: {run - failed_tests} passed, {len(unknown)} failed, {len(seen_known)} known failure(s) "
        f"of {run} tests ({per_suite}) in {minutes}m{seconds:02d}s; log: {args.log}"
    )
    return 1 if unknown or problems else 0


if __name__ == "__main__":
    sys.exit(main())
