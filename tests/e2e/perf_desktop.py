"""Desktop figures (not a test; run by scripts/bench-client.sh on the build
the app is installed with): launch to the interactive login screen, and
memory after login with the demo data, as PSS summed over the app and its
WebKit processes. MZ_PERF_MAPPINGS=N also prints the N largest mappings."""

import collections
import os
import pathlib
import shutil
import tempfile
import time

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions

from conftest import APP, DRIVER, App

DEMO_PASSWORD = "demo-2026"

RUNS = 5


def pss_kib(pid, field="Pss:"):
    try:
        for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def family(root):
    """The process and all its descendants."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        for child in pathlib.Path(f"/proc/{pid}/task").glob("*/children"):
            todo.extend(int(c) for c in child.read_text().split())
    return found


def app_pid():
    for proc in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if (proc / "exe").resolve() == APP.resolve():
                return int(proc.name)
        except OSError:
            continue
    raise RuntimeError("the app process was not found")


def start(profile):
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": str(APP), "args": ["--profile", profile, "--demo"]})
    return webdriver.Remote(command_executor=DRIVER, options=options)


def print_memory(what):
    pids = family(app_pid())
    total = sum(pss_kib(p) for p in pids)
    parts = ", ".join(
        f"{pathlib.Path(f'/proc/{p}/comm').read_text().strip()} {pss_kib(p) / 1024:.0f}"
        f" = anon {pss_kib(p, 'Pss_Anon:') / 1024:.0f} + file {pss_kib(p, 'Pss_File:') / 1024:.0f}"
        f" + shmem {pss_kib(p, 'Pss_Shmem:') / 1024:.0f}"
        for p in pids
    )
    print(f"{what}: PSS {total / 1024:.0f} MB over {len(pids)} processes ({parts})")
    top = int(os.environ.get("MZ_PERF_MAPPINGS", "0"))
    if top:
        print(f"  the {top} largest mappings by PSS, summed over the processes:")
        for name, kib in largest_mappings(pids, top):
            print(f"  {kib / 1024:7.1f} MB  {name}")


def largest_mappings(pids, count):
    """PSS per process and mapped file (or anonymous kind), largest first."""
    sizes = collections.Counter()
    for pid in pids:
        name = "?"
        try:
            comm = pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
            lines = pathlib.Path(f"/proc/{pid}/smaps").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields and not fields[0].endswith(":"):
                name = f"{comm}: {fields[5] if len(fields) > 5 else '[anon]'}"
            elif fields and fields[0] == "Pss:":
                sizes[name] += int(fields[1])
    return sizes.most_common(count)


@pytest.mark.skipif(not APP.exists(), reason="build the app first")
def test_print_launch_time_and_memory():
    profile = tempfile.mkdtemp(prefix="mz-perf-")
    try:
        # The first start makes the demo profile; the timed starts reuse it.
        driver = start(profile)
        App(driver).visible("#login-submit")
        driver.quit()
        launches = []
        for _ in range(RUNS):
            began = time.perf_counter()
            driver = start(profile)
            App(driver).visible("#login-submit")
            launches.append(time.perf_counter() - began)
            driver.quit()
        launches.sort()
        print(f"\nlaunch to the interactive login screen ({RUNS} runs, WebDriver session included): "
              f"median {launches[RUNS // 2]:.2f} s, best {launches[0]:.2f} s, worst {launches[-1]:.2f} s")

        driver = start(profile)
        app = App(driver)
        app.login("admin", DEMO_PASSWORD)
        app.visible("#nav-settings")
        time.sleep(3)
        print_memory("memory after login with the demo data (the first screen)")
        # Then every module page once, as a day's work would open them.
        pages = {
            "office": "#module-office",
            "schedule": "#module-schedule",
            "marriage": "#module-marriage",
            "funeral": "#module-funeral",
            "print": "#module-print",
            "library": "#library-list",
            "figures": "#module-figures",
            "settings": "#calendar-table",
        }
        for module, shown in pages.items():
            app.click(f"#nav-{module}")
            app.visible(shown)
        time.sleep(3)
        print_memory("memory after opening every module page")
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
