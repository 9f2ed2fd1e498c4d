"""Known vulnerabilities in the installed packages, by pip-audit against a pinned list.

Usage: python scripts/audit.py LOCKFILE  (the Makefile writes LOCKFILE with `pip freeze`)

Prints the number of findings. Exit status:
- 1 when a finding has a fixed version: an upgrade exists, so the build waits for it;
- 0 when there are none, when the findings have no fix yet (they are printed to be watched),
  and when the vulnerability service cannot be reached (said plainly: nothing was checked).
"""

import json
import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 300


def run_pip_audit(lockfile: Path) -> tuple[dict | None, str]:
    """pip-audit's JSON report, or None and the reason it gave none."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lockfile),
        # The list is `pip freeze` of an installed environment: every pin is already resolved.
        "--no-deps",
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return None, f"pip-audit svarade inte inom {TIMEOUT_SECONDS} s"
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["inget svar"])[-1]
        return None, last[:300]


def summarize(report: dict) -> tuple[list[tuple[str, str, dict]], list[str], int]:
    """(findings as (package, version, vulnerability), skipped packages, audited count)."""
    findings = []
    skipped = []
    audited = 0
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped.append(dependency["name"])
            continue
        audited += 1
        for vulnerability in dependency.get("vulns", []):
            findings.append((dependency["name"], dependency.get("version", "?"), vulnerability))
    return findings, skipped, audited


def verdict(report: dict | None, packages: int, reason: str = "") -> tuple[list[str], int]:
    """The lines to print and the exit status for pip-audit's report (None: no report)."""
    nothing = f"audit: INGET granskat av {packages} paket; bygget fortsätter."
    if report is None:
        return [f"audit: sårbarhetstjänsten kunde inte nås ({reason}).", nothing], 0
    findings, skipped, audited = summarize(report)
    if audited == 0:
        return [
            f"audit: sårbarhetstjänsten kunde inte nås: alla {len(skipped)} paket hoppades över.",
            nothing,
        ], 0
    fixable = [f for f in findings if f[2].get("fix_versions")]
    lines = [
        f"audit: {len(findings)} kända sårbarheter ({len(fixable)} med rättad version) "
        f"i {audited} granskade paket; {len(skipped)} kunde inte granskas"
        + (f" ({', '.join(skipped)})" if skipped else "")
    ]
    for name, version, vulnerability in findings:
        fixes = ", ".join(vulnerability.get("fix_versions") or []) or "ingen rättning än"
        lines.append(f"  {name} {version}: {vulnerability.get('id')} – rättad i: {fixes}")
    return lines, 1 if fixable else 0


def main(lockfile: Path) -> int:
    packages = sum(
        1 for line in lockfile.read_text().splitlines() if line.strip() and line[0] != "#"
    )
    report, reason = run_pip_audit(lockfile)
    lines, status = verdict(report, packages, reason)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
