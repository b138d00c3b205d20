"""Fixtures for driving the real desktop app over WebDriver (tauri-driver)."""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The binaries cargo built: under CARGO_TARGET_DIR when it is set, as cargo does.
TARGET = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
APP = pathlib.Path(os.environ.get("MZ_APP_BINARY", TARGET / "debug/minzheng-desk"))
MZ = pathlib.Path(os.environ.get("MZ_BINARY", TARGET / "debug/mz"))
SHOTS = ROOT / "tests/e2e/screenshots"
DRIVER = os.environ.get("TAURI_DRIVER_URL", "http://127.0.0.1:4444")


class App:
    """One running instance of the app, with helpers a person's actions map to."""

    def __init__(self, driver):
        self.driver = driver
        self.wait = WebDriverWait(driver, 20)

    def find(self, css):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def visible(self, css):
        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css))).click()

    def type(self, css, text):
        # Select and delete what is there, as a person would: WebDriver's
        # clear() does not fire the input event that Vue's v-model listens to.
        field = self.visible(css)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.BACKSPACE)
        field.send_keys(text)

    def text_of(self, css):
        return self.visible(css).text

    def gone(self, css, timeout=20):
        """Waits until nothing matching `css` is shown (a dialog closed)."""
        WebDriverWait(self.driver, timeout).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, css)))

    def in_view(self, css):
        """Whether the element is inside the window as it is, with no scrolling."""
        return self.driver.execute_script(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
            css,
        )

    def wait_text(self, css, fragment, timeout=20):
        WebDriverWait(self.driver, timeout).until(lambda d: fragment in d.find_element(By.CSS_SELECTOR, css).text)
        return self.text_of(css)

    def wait_text_gone(self, css, fragment, timeout=20):
        WebDriverWait(self.driver, timeout).until(lambda d: fragment not in d.find_element(By.CSS_SELECTOR, css).text)
        return self.text_of(css)

    def wait_inner_text(self, css, fragment, timeout=20):
        """Like wait_text, through the DOM's innerText: WebKitWebDriver's
        element text comes back empty for Element Plus tables."""
        script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';"
        WebDriverWait(self.driver, timeout).until(lambda d: fragment in d.execute_script(script, css))
        return self.driver.execute_script(script, css)

    def shot(self, name):
        # The X display, not WebDriver's snapshot: WebKitWebDriver's screenshot
        # command does not answer under Xvfb.
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["import", "-window", "root", str(SHOTS / f"{name}.png")], check=True, timeout=20)

    def login(self, username, password):
        self.type("#login-username", username)
        self.type("#login-password", password)
        self.click("#login-submit")


@pytest.fixture
def profile_dir():
    path = tempfile.mkdtemp(prefix="mz-e2e-profile-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def launch():
    """Starts the app with a profile folder; closes every app it started."""
    started = []

    def start(profile, *args):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP), "args": ["--profile", profile, *args]})
        driver = webdriver.Remote(command_executor=DRIVER, options=options)
        started.append(driver)
        return App(driver)

    yield start
    for driver in started:
        try:
            driver.quit()
        except Exception:  # the app may already be gone
            pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    """A separate `mz server` on loopback, with demo data, that tests stop and start."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="mz-e2e-platform-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        db = f"sqlite:{self.dir}/platform.db"
        self.process = subprocess.Popen(
            [str(MZ), "server", "--db", db, "--listen", f"127.0.0.1:{self.port}", "--demo"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("mz server did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(f"{self.url}/api/v1{path}", method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        data = json.dumps(body).encode() if body is not None else None
        with urllib.request.urlopen(request, data=data, timeout=10) as r:
            return json.loads(r.read() or b"null")


@pytest.fixture
def platform():
    p = Platform()
    p.start()
    yield p
    p.stop()
    shutil.rmtree(p.dir, ignore_errors=True)
