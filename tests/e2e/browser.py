"""Debian's Chromium for the browser tests: installed with apt when missing, launched headless."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Chinese pages need a CJK font, or every character renders as a box in screenshots.
CJK_FONT_PACKAGE = "fonts-noto-cjk"
# Without Chromium's zh-CN locale pack, --lang=zh-CN falls back to en-US and date inputs read
# "mm/dd/yyyy" on Chinese pages (Debian ships the packs apart from the browser).
ZH_LOCALE_PACK = Path("/usr/lib/chromium/locales/zh-CN.pak")
L10N_PACKAGE = "chromium-l10n"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _apt_install(packages: list[str]) -> str | None:
    """Installs Debian packages; returns why it could not, or None on success."""
    if os.geteuid() != 0:
        return "not root, so apt-get cannot install " + " ".join(packages)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", *packages],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            return f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}"
    return None


def ensure_chromium() -> str | None:
    """Makes /usr/bin/chromium (with a CJK font and its Chinese locale pack) present; returns
    why not, or None when ready."""
    # Parallel test workers would race for dpkg's lock; the first installs, the others wait.
    with open("/tmp/railclaim-chromium-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = [] if CHROMIUM.exists() else ["chromium"]
        if not _has_cjk_font():
            missing.append(CJK_FONT_PACKAGE)
        if not ZH_LOCALE_PACK.exists():
            missing.append(L10N_PACKAGE)
        if missing:
            failure = _apt_install(missing)
            if failure and not CHROMIUM.exists():
                return failure
    if not CHROMIUM.exists():
        return "apt-get reported success but /usr/bin/chromium is absent"
    return None


if __name__ == "__main__":
    reason = ensure_chromium()
    print(reason or f"ready: {CHROMIUM}")  # noqa: T201
