"""The desktop app as a new user meets it, driven over WebDriver under Xvfb."""

import re
import subprocess
import time
import uuid

import pytest

MODULES = ["office", "schedule", "marriage", "funeral", "print", "settings"]
DEMO_PASSWORD = "demo-2026"


def test_first_run_standalone_then_login_every_module_and_logout(launch, profile_dir):
    app = launch(profile_dir)
    app.visible("#create-standalone")
    app.shot("01-setup-wizard")
    app.type("#admin-username", "admin")
    app.type("#admin-password", "short")
    app.type("#admin-password-again", "short")
    app.click("#create-standalone")
    assert "至少 8 个字符" in app.text_of("#setup-error")

    app.type("#admin-password", "counter-2026")
    app.type("#admin-password-again", "counter-2026")
    app.click("#create-standalone")
    app.visible("#login-submit")
    app.shot("02-login")

    app.login("admin", "wrong password")
    assert app.wait_text("#login-error", "用户名或密码错误")
    app.shot("03-login-wrong-password")

    app.login("admin", "counter-2026")
    app.visible("#nav-office")
    app.wait_text("#status-user", "湖南省民政厅")
    for index, module in enumerate(MODULES):
        app.click(f"#nav-{module}")
        app.visible(f"#module-{module}" if module != "settings" else "#settings")
        if module == "marriage":
            # The province sees each office's counts, never the records, and
            # the cities as tiles coloured by them (ECharts, SVG).
            app.visible("#statistics-offices")
            assert not app.driver.find_elements("css selector", "#marriage-tab-list")
            tiles = "const s = document.querySelector('#statistics-cities svg'); return s ? s.textContent : '';"
            app.wait.until(lambda d: "长沙" in d.execute_script(tiles) and "湘西州" in d.execute_script(tiles))
            # Every figure to Excel: the offices' counts and the cities' sums.
            app.click("#statistics-offices-export")
            saved = re.search(r"已导出：(.+?\.xlsx)", app.wait_text("#statistics-offices-exported", ".xlsx")).group(1)
            import openpyxl

            book = openpyxl.load_workbook(saved)
            assert book.sheetnames == ["各登记处", "各市州"], book.sheetnames
            cities = [row[0] for row in book["各市州"].iter_rows(min_row=2, values_only=True)]
            assert len(cities) == 14 and "长沙" in cities, cities
        app.shot(f"{10 + index:02d}-module-{module}")
    assert "在线" in app.text_of("#status-online")

    app.click("#logout")
    app.visible("#login-submit")


def test_a_registrar_sees_only_the_modules_of_the_counter(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.visible("#nav-marriage")
    names = [e.get_attribute("id") for e in app.driver.find_elements("css selector", "nav a")]
    assert names == ["nav-marriage", "nav-print", "nav-library", "nav-figures", "nav-settings"]
    app.wait_text("#status-user", "芙蓉区婚姻登记处")

    # Stepping away: the window locks and only the password opens it again.
    app.click("#lock-now")
    app.visible("#unlock-password")
    app.shot("05-locked")
    app.type("#unlock-password", "not my password")
    app.click("#unlock-submit")
    assert app.wait_text("#unlock-error", "密码不正确")
    app.type("#unlock-password", DEMO_PASSWORD)
    app.click("#unlock-submit")
    app.visible("#nav-marriage")

    # 打印中心: the printer's calibration, measured on the calibration sheet.
    app.click("#nav-print")
    app.visible("#module-print")
    app.click("#print-tab-calibration")
    app.visible("#printer-offset-x")
    assert app.wait_inner_text("#module-print", "mz-pdf")
    app.type("#printer-offset-x", "1.5")
    app.type("#printer-offset-y", "-0.5")
    app.click("#printer-save")
    assert app.wait_text("#print-center-message", "已保存")
    app.click("#calibration-print")
    assert app.wait_text("#print-center-message", "作业", timeout=30)
    app.visible(".sheet svg")
    app.shot("06-print-center-calibration")


def add_calendar(app, year, holidays):
    app.click("#nav-settings")
    app.click("#add-calendar")
    app.type("#calendar-year", str(year))
    app.type("#calendar-holidays", "，".join(holidays))
    app.click("#calendar-save")
    app.wait.until(lambda d: d.find_elements("css selector", "#calendar-message, #calendar-error"))
    errors = app.driver.find_elements("css selector", "#calendar-error")
    assert not errors, errors[0].text


def test_connected_mode_keeps_a_change_while_the_platform_is_down(launch, profile_dir, platform):
    app = launch(profile_dir)
    app.click("#mode-connect")
    app.type("#platform-url", "http://127.0.0.1:9")
    app.click("#test-and-save")
    assert "无法连接平台" in app.wait_text("#setup-error", "无法连接平台")
    app.shot("20-connect-unreachable")

    app.type("#platform-url", platform.url)
    app.click("#test-and-save")
    app.visible("#login-submit")
    app.login("admin", DEMO_PASSWORD)
    app.visible("#nav-settings")
    app.wait_text("#status-online", "在线")

    platform.stop()
    add_calendar(app, 2029, ["2029-01-01", "2029-10-01"])
    app.wait_text("#status-pending", "待发送 1 条", timeout=30)
    app.wait_text("#status-online", "离线", timeout=30)
    app.shot("21-offline-change-waiting")

    platform.start()
    app.wait_text("#status-pending", "待发送 0 条", timeout=90)
    app.shot("22-outbox-drained")

    # A second client sees the change.
    login = platform.call("POST", "/auth/login", {
        "username": "registrar", "password": DEMO_PASSWORD,
        "device_id": str(uuid.uuid4()), "device_name": "second client",
    })
    years = [c["data"]["year"] for c in whole_feed(platform, login["access_token"]) if c["kind"] == "holiday_calendar" and c["data"]]
    assert 2029 in years


def test_logout_offline_asks_and_keeps_the_waiting_entry_for_the_next_sign_in(launch, profile_dir, platform):
    app = launch(profile_dir)
    app.click("#mode-connect")
    app.type("#platform-url", platform.url)
    app.click("#test-and-save")
    app.visible("#login-submit")
    app.login("admin", DEMO_PASSWORD)
    app.visible("#nav-settings")
    app.wait_text("#status-online", "在线")

    platform.stop()
    add_calendar(app, 2030, ["2030-01-01"])
    # Read afresh after the save, not at the next poll.
    app.wait_text("#status-pending", "待发送 1 条", timeout=5)

    # One click does not sign out: the window says what waits and asks.
    app.click("#logout")
    counts = app.wait_text("#logout-counts", "1 条", timeout=30)
    assert "尚未发送" in counts, counts
    assert "无法连接平台" in app.text_of("#logout-dialog")
    assert app.text_of("#logout-wait") == "等待联网后再退出"
    assert app.text_of("#logout-keep") == "保留到下次登录（加密保存）"
    assert app.text_of("#logout-discard") == "放弃这些记录"
    app.shot("23-logout-offline-asks")
    # Discarding asks again, naming the count; the clerk steps back.
    app.click("#logout-discard")
    assert "1 条" in app.text_of("#logout-confirm-text")
    assert app.text_of("#logout-discard-confirm") == "放弃 1 条记录"
    app.shot("24-logout-discard-confirm")
    app.click("#logout-discard-back")

    app.click("#logout-keep")
    assert app.wait_text("#login-notice", "已加密保存 1 条", timeout=30)
    app.shot("25-logout-kept")

    # The same user signs in once the platform is back: the entry is sent.
    platform.start()
    app.login("admin", DEMO_PASSWORD)
    app.visible("#nav-settings")
    app.wait_text("#status-online", "在线", timeout=30)
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    login = platform.call("POST", "/auth/login", {
        "username": "admin", "password": DEMO_PASSWORD,
        "device_id": str(uuid.uuid4()), "device_name": "second client",
    })
    years = [c["data"]["year"] for c in whole_feed(platform, login["access_token"]) if c["kind"] == "holiday_calendar" and c["data"]]
    assert 2030 in years


def id_number(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def whole_feed(platform, token):
    """Every change the user may read, page by page (a page stops at its byte budget)."""
    changes, after = [], 0
    while True:
        page = platform.call("GET", f"/sync/pull?after={after}&limit=1000", token=token)
        changes += page["changes"]
        after = page["next"]
        if not page["has_more"]:
            return changes


def close_dialog(app):
    """Closes the row's dialog, as the clerk does when done with it."""
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")


def fill_party(app, index, name, number):
    app.type(f"#party-{index}-doc_number", number)
    app.type(f"#party-{index}-name", name)


def test_a_registrar_takes_a_couple_from_the_form_to_the_certificate_number(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.click("#nav-marriage")
    app.click("#marriage-new")
    app.shot("30-marriage-form")

    # A wrong check character: the message stands beside the number.
    good = id_number("43010219980307001")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    fill_party(app, 0, "张三", bad)
    fill_party(app, 1, "李四", id_number("43010219990101002"))
    for box in ["label.stmt-voluntary", "label.stmt-no-spouse", "label.stmt-kinship"]:
        app.click(box)
    app.click("#marriage-save")
    form = app.visible("#marriage-form")
    app.visible("#marriage-message")
    app.shot("31-marriage-invalid-id")
    app.wait.until(lambda d: "校验位" in form.text)

    # Under age on the day: refused with the reason beside the birth date.
    fill_party(app, 0, "张三", id_number("43010220100307001"))
    app.click("#marriage-save")
    app.wait.until(lambda d: "未满 22 周岁" in form.text)

    # The keyboard path: the reader types the number and Enter, the cursor goes on
    # to the name; Ctrl+Enter checks and registers.
    from selenium.webdriver.common.keys import Keys
    app.type("#party-0-doc_number", good + Keys.ENTER)
    active = app.driver.switch_to.active_element
    assert active.get_attribute("id") == "party-0-name"
    active.send_keys(Keys.CONTROL, "a")
    active.send_keys(Keys.BACKSPACE)
    active.send_keys("张三")
    active.send_keys(Keys.CONTROL, Keys.ENTER)
    assert app.wait_text("#marriage-message", "登记成功", timeout=30)
    assert "J430102-" in app.text_of("#marriage-message")
    app.shot("32-marriage-registered")
    # The statement both signed, as the office files it.
    app.click("#marriage-statement")
    app.visible("#marriage-form-paper .sheet svg")

    app.click("#marriage-tab-list")
    app.shot("33-marriage-list")
    assert app.wait_inner_text("#marriage-table", "已登记")

    # The certificate: the PDF is written and its pages previewed, in a
    # dialog over the list that names the couple and the number.
    app.click(".print-certificate")
    title = app.wait_text(".record-dialog .el-dialog__title", "张三 · 李四")
    assert "J430102-" in title, title
    app.click("#certificate-preview")
    assert ".pdf" in app.wait_text("#certificate-path", ".pdf", timeout=30)
    # Onto the certificate paper in the office's printer (CUPS; here cups-pdf).
    app.click("#certificate-print")
    assert "作业" in app.wait_text("#certificate-printed", "作业", timeout=30)
    app.visible(".sheet svg")
    app.shot("34-marriage-certificate-preview")
    # Later the man loses his: 补领, with a BJ number of the counter.
    app.click("#certificate-reissue")
    assert "BJ430102-" in app.wait_text("#certificate-reissued", "BJ430102-", timeout=30)
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")
    # A search hit filters the list and opens its record.
    app.type("#marriage-search", "zs")
    assert app.wait_inner_text("#marriage-hits", "张三")
    assert app.wait_inner_text("#marriage-table", "张三 · 李四")
    app.click("#marriage-hits .hit")
    app.wait_text(".record-dialog .el-dialog__title", "张三 · 李四")
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")

    # The same man again, with another bride: the status check finds him married.
    app.click("#marriage-new")
    fill_party(app, 0, "张三", good)
    fill_party(app, 1, "王芳", id_number("43010319970505004"))
    for box in ["label.stmt-voluntary", "label.stmt-no-spouse", "label.stmt-kinship"]:
        app.click(box)
    app.click("#marriage-register")
    assert "已婚" in app.wait_text("#marriage-married", "已婚", timeout=30)
    app.shot("35-marriage-party-married")
    app.click("#marriage-refuse")
    assert app.wait_text("#marriage-message", "不予登记")
    # The written notice of the refusal.
    app.click("#marriage-tab-list")
    app.click(".paper-refusal")
    assert "告知书" in app.wait_text("#marriage-paper-path", "告知书")
    app.shot("36-marriage-refusal-notice")


def test_the_office_head_sees_the_days_status_checks(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.click("#nav-marriage")
    app.click("#marriage-new")
    fill_party(app, 0, "赵一", id_number("43010219950307001"))
    fill_party(app, 1, "钱二", id_number("43010219960101002"))
    for box in ["label.stmt-voluntary", "label.stmt-no-spouse", "label.stmt-kinship"]:
        app.click(box)
    app.click("#marriage-register")
    assert app.wait_text("#marriage-message", "登记成功", timeout=30)
    app.wait_text("#status-pending", "待发送 0 条")
    app.click("#logout")
    app.visible("#login-submit")

    # The head opens the figures: the check is listed, who made it and what
    # it found, never the documents.
    app.login("marriage_head", DEMO_PASSWORD)
    app.click("#nav-marriage")
    app.click("#marriage-tab-statistics")
    app.visible("#checks-table")
    app.shot("37-marriage-head-day-checks")
    assert app.wait_inner_text("#checks-table", "双方均无在册婚姻")
    listed = app.find("#checks-table").get_attribute("innerText")
    assert "芙蓉区登记员" in listed, listed
    assert "43010219950307001" not in listed


def fill_divorce_party(app, index, name, number):
    app.type(f"#divorce-party-{index}-doc_number", number)
    app.type(f"#divorce-party-{index}-name", name)


NEWEST = "#divorce-table .el-table__body tr:first-child"


def open_divorces(app):
    app.click("#nav-marriage")
    app.click("#marriage-tab-divorce")
    app.visible("#divorce-table")


def test_a_divorce_application_withdrawn_in_the_cooling_off_period(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    open_divorces(app)
    app.click("#divorce-new")
    # A marriage from before the registry: the form is filled from the papers.
    app.type("#divorce-marriage-no", "湘长结字2005第123号")
    app.click("#divorce-lookup")
    assert app.wait_text("#divorce-message", "没有这张结婚证的记录")
    fill_divorce_party(app, 0, "王五", id_number("43010219800101003"))
    fill_divorce_party(app, 1, "赵六", id_number("43010219820202004"))
    app.click("#divorce-receive")
    assert app.wait_text("#divorce-message", "已受理")
    app.visible("#divorce-paper .sheet svg")
    assert "王五 · 赵六" in app.text_of(".record-dialog .el-dialog__title")
    assert app.wait_inner_text("#divorce-table", "冷静期")
    app.shot("40-divorce-received-receipt")
    close_dialog(app)

    # The wife withdraws: the confirmation is laid out at once.
    app.click(f"{NEWEST} .withdraw-1")
    assert app.wait_text("#divorce-message", "已撤回")
    assert app.wait_inner_text("#divorce-table", "已撤回")
    assert ".pdf" in app.wait_text("#divorce-paper-path", "撤回确认单")
    app.shot("41-divorce-withdrawn")
    close_dialog(app)
    # Its history on the platform: received, then withdrawn, by this registrar
    # (sent first: the withdrawal was saved at the counter, offline-capable).
    app.click("#sync-now")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    app.click(f"{NEWEST} .history")
    assert "已撤回" in app.wait_text("#record-history", "已撤回", timeout=30)
    assert "芙蓉区登记员" in app.text_of("#record-history")
    close_dialog(app)

    # The month's figures, with the demo office's registrations, and the workbook.
    app.click("#marriage-tab-statistics")
    assert app.wait_inner_text("#statistics-table", "合计")
    # Drawn by ECharts as SVG: the legend's words and a red bar for the marriages.
    drawn = """
    const chart = document.querySelector('#statistics-chart-periods svg');
    if (!chart) return null;
    const red = [...chart.querySelectorAll('path')].filter((p) => (p.getAttribute('fill') || '').toLowerCase() === '#c0392b');
    return {text: chart.textContent, red: red.length};
    """
    chart = app.wait.until(lambda d: (lambda c: c if c and c["red"] > 1 else None)(d.execute_script(drawn)))
    assert "结婚登记" in chart["text"] and "离婚登记" in chart["text"], chart
    app.wait.until(lambda d: d.execute_script("return !!document.querySelector('#statistics-chart-ages svg')"))
    app.shot("45-marriage-statistics")
    app.click("#statistics-export")
    assert ".xlsx" in app.wait_text("#statistics-exported", ".xlsx")


def test_a_divorce_certificate_after_the_cooling_off_period(launch, profile_dir):
    import datetime
    import re

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    # They married here: the application is filled from the registration.
    app.click("#nav-marriage")
    app.click("#marriage-new")
    fill_party(app, 0, "刘备", id_number("43010219900101001"))
    fill_party(app, 1, "孙尚香", id_number("43010219920202002"))
    for box in ["label.stmt-voluntary", "label.stmt-no-spouse", "label.stmt-kinship"]:
        app.click(box)
    app.click("#marriage-register")
    message = app.wait_text("#marriage-message", "登记成功", timeout=30)
    certificate = re.search(r"J\d{6}-\d{4}-\d{6}", message).group(0)

    app.click("#marriage-tab-divorce")
    app.click("#divorce-new")
    app.type("#divorce-marriage-no", certificate)
    app.click("#divorce-lookup")
    assert app.wait_text("#divorce-message", "已从本处的结婚登记记录带出双方")
    assert app.visible("#divorce-party-1-name").get_attribute("value") == "孙尚香"
    app.click("#divorce-receive")
    assert app.wait_text("#divorce-message", "已受理")
    close_dialog(app)
    table = app.wait_inner_text("#divorce-table", "领证")
    opens = datetime.date.fromisoformat(re.search(r"领证 (\d{4}-\d{2}-\d{2})", table).group(1))
    # Too early for the certificate: only withdrawal and the receipt are offered
    # (the newest application is the first row; the demo office has others).
    assert not app.driver.find_elements("css selector", f"{NEWEST} .register-divorce")
    assert app.driver.find_elements("css selector", f"{NEWEST} .withdraw-0")
    # Sent before the counter closes: the periods run on the platform.
    app.click("#sync-now")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    app.driver.quit()

    # The first day of the second period, on a test build's moved clock.
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    app = launch(profile_dir, "--clock-offset-days", str((opens - today).days))
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    open_divorces(app)
    assert app.wait_inner_text("#divorce-table", "待领证")
    assert app.wait_inner_text("#divorce-due", "可以领证")
    app.shot("42-divorce-awaiting-certificate")
    app.click(f"{NEWEST} .register-divorce")
    assert "L430102-" in app.wait_text("#divorce-message", "已发证", timeout=30)
    app.visible("#divorce-paper .sheet svg")
    assert app.wait_inner_text("#divorce-table", "已发证")
    app.shot("43-divorce-certificate")


def test_a_booking_imported_from_excel_is_checked_in_and_registered(launch, profile_dir, tmp_path):
    import datetime
    import openpyxl

    # The online booking system's export: Chinese headers, ID numbers as text,
    # one row with a wrong check character.
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["预约日期", "预约时段", "业务类型", "男方姓名", "男方身份证号", "女方姓名", "女方身份证号", "联系电话"])
    sheet.append([today, "08:00-08:30", "结婚登记", "诸葛亮", id_number("43010219930404001"),
                  "黄月英", id_number("43010219940505002"), "13800000001"])
    bad = id_number("43010219950606003")
    sheet.append([today, "08:30-09:00", "结婚登记", "赵云", bad[:-1] + ("0" if bad[-1] != "0" else "1"),
                  "孙尚香", id_number("43010219960707004"), "13800000002"])
    path = tmp_path / "网上预约导出.xlsx"
    book.save(path)

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.click("#nav-marriage")
    # The app runs on this machine: the path is given as is, not uploaded.
    from selenium.webdriver.remote.file_detector import UselessFileDetector
    app.driver.file_detector = UselessFileDetector()
    app.find("#appointments-file").send_keys(str(path))
    summary = app.wait_text("#import-summary", "导入 1 条")
    assert "有问题 1 行" in summary and "第 3 行" in summary, summary
    app.shot("37-appointments-imported")

    # The 08:00 booking is the first of the day: they check in and take
    # number 1; the registrar calls the next couple and their form opens.
    first = "#appointments-table .el-table__body tr:first-child"
    assert app.wait_inner_text(first, "诸葛亮")
    app.click(f"{first} .check-in")
    assert app.wait_inner_text(first, "1")
    app.click("#call-next")
    assert "请 1 号 诸葛亮" in app.wait_text("#called", "诸葛亮")
    assert app.visible("#party-0-name").get_attribute("value") == "诸葛亮"
    # Their photo, taken at the counter.
    import base64
    photo = tmp_path / "合影.png"
    photo.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="))
    app.find("#marriage-photo").send_keys(str(photo))
    app.visible("#marriage-photo-preview")
    for box in ["label.stmt-voluntary", "label.stmt-no-spouse", "label.stmt-kinship"]:
        app.click(box)
    app.click("#marriage-register")
    assert "J430102-" in app.wait_text("#marriage-message", "登记成功", timeout=30)
    app.click("#marriage-tab-list")
    app.click(".print-certificate")
    app.click("#certificate-preview")
    assert ".pdf" in app.wait_text("#certificate-path", ".pdf", timeout=30)
    # Onto the certificate paper in the office's printer (CUPS; here cups-pdf).
    app.click("#certificate-print")
    assert "作业" in app.wait_text("#certificate-printed", "作业", timeout=30)


def test_an_official_document_composed_saved_as_a_draft_shared_and_printed(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("office_staff", DEMO_PASSWORD)
    app.click("#nav-print")
    app.visible("#doc-issuer-mark")
    # The unit's mark and signature are filled in; the rest is typed.
    assert app.find("#doc-issuer-mark").get_attribute("value") == "湖南省民政厅文件"
    app.type("#doc-number", "湘民发[2026]5号")
    app.type("#doc-title", "关于做好2027年元旦春节期间婚姻登记服务工作的通知")
    app.type("#doc-recipients", "各市州民政局")
    app.type(
        "#doc-body",
        "为方便群众办理婚姻登记，现就有关事项通知如下。\n"
        "一、延长服务时间\n"
        "（一）节前三天各登记处延时至18时。\n"
        "二、做好预约引导\n"
        "请各地及时公布预约方式。",
    )
    # The preview names what stops the document: the wrong brackets.
    assert "发文字号" in app.wait_text("#doc-problem", "〔〕")
    app.shot("40-document-problem")
    app.type("#doc-number", "湘民发〔2026〕5号")
    assert "共 1 页" in app.wait_text("#doc-page-count", "共 1 页")
    assert not app.driver.find_elements("css selector", "#doc-problem")
    app.visible(".preview-side .page svg")
    app.shot("41-document-preview")
    # Editing the lowest fields, the preview stays beside them.
    app.driver.execute_script("document.querySelector('#doc-print-date').scrollIntoView({block: 'center'})")
    top = app.driver.execute_script("return document.querySelector('.preview-side').getBoundingClientRect().top")
    assert 0 <= top < 200, top

    app.click("#doc-save")
    assert app.wait_text("#doc-message", "草稿已保存")
    assert app.in_view("#doc-message")
    assert "湘民发〔2026〕5号" in app.text_of("#doc-draft-0")
    # Sent when the list no longer marks it waiting (the status bar's
    # "待发送 0 条" may still be the reading from before the save).
    app.wait_text_gone("#doc-draft-0", "待发送", timeout=30)
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)

    # Another member of the unit finds the draft on the platform.
    app.click("#logout")
    app.visible("#login-submit")
    app.login("secretary", DEMO_PASSWORD)
    app.click("#nav-print")
    app.wait_text("#doc-draft-0", "湘民发〔2026〕5号", timeout=30)
    app.click("#doc-draft-0")
    assert app.find("#doc-title").get_attribute("value").startswith("关于做好2027年元旦春节")
    app.type("#doc-cc", "省委办公厅")
    app.wait_text("#doc-page-count", "页")

    app.click("#doc-export")
    said = app.wait_text("#doc-message", "已导出")
    path = re.search(r"PDF：(\S+?\.pdf)", said).group(1)
    # The OFD of the same document lies beside it (GB/T 33190: a zip package).
    ofd = re.search(r"OFD：(\S+?\.ofd)", said).group(1)
    with open(ofd, "rb") as package:
        assert package.read(2) == b"PK"
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s", "", text)
    assert "湘民发〔2026〕5号" in text and "抄送：省委办公厅" in text, text
    app.click("#doc-print")
    assert app.wait_text("#doc-message", "作业", timeout=30)
    app.shot("42-document-printed")


def booked_couple(tmp_path, first17_a, first17_b, name_a, name_b):
    """The booking system's export with one couple booked for today."""
    import datetime
    import openpyxl

    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["预约日期", "预约时段", "业务类型", "男方姓名", "男方身份证号", "女方姓名", "女方身份证号", "联系电话"])
    sheet.append([today, "09:00-09:30", "结婚登记", name_a, id_number(first17_a), name_b, id_number(first17_b), "13800000003"])
    path = tmp_path / "预约.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 640)])
def test_a_booked_couple_is_registered_and_both_copies_printed_in_four_clicks(launch, profile_dir, tmp_path, width, height):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    # A registrar lands on the counter, the first module of the menu.
    app.visible("#module-marriage")
    app.driver.set_window_size(width, height)
    app.driver.execute_script("return 1")
    inner = app.driver.execute_script("return [window.innerWidth, window.innerHeight]")
    assert abs(inner[0] - width) <= 16 and abs(inner[1] - height) <= 48, inner

    # The morning's bookings arrive, and the couple checks in at the door.
    from selenium.webdriver.remote.file_detector import UselessFileDetector
    app.driver.file_detector = UselessFileDetector()
    app.find("#appointments-file").send_keys(str(booked_couple(tmp_path, "43010219930808001", "43010219940909002", "关羽", "貂蝉")))
    app.wait_text("#import-summary", "导入 1 条")
    assert app.wait_inner_text("#appointments-table", "关羽")
    from selenium.webdriver.common.by import By
    row = app.driver.find_element(By.XPATH, "//*[@id='appointments-table']//tr[contains(., '关羽')]")
    row.find_element(By.CSS_SELECTOR, ".check-in").click()
    app.wait.until(lambda d: not row.find_elements(By.CSS_SELECTOR, ".check-in"))

    # From 叫下一位 to both copies at the printer: every click counted, each
    # on something already in view.
    clicks = []

    def click(css):
        app.visible(css)
        assert app.in_view(css), f"{css} is not in view at {width}×{height}: the clerk would scroll"
        app.click(css)
        clicks.append(css)

    click("#call-next")
    assert app.visible("#party-0-name").get_attribute("value") == "关羽"
    click("label.stmt-all")
    click("#marriage-register")
    assert "J430102-" in app.wait_text("#marriage-message", "登记成功", timeout=30)
    assert "J430102-" in app.text_of("#marriage-number")
    # The call banner goes with the couple, and 核验并登记 with the registration.
    app.gone("#called")
    assert not app.driver.find_elements("css selector", "#marriage-register")
    click("#print-both")
    done = app.wait_text("#marriage-message", "两份结婚证已送往", timeout=60)
    assert "mz-pdf" in done and "、" in done, done
    app.shot(f"50-four-clicks-{width}x{height}")
    assert len(clicks) <= 4, clicks


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 640)])
def test_the_form_is_kept_from_the_keyboard_and_every_message_is_chinese_beside_its_field(launch, profile_dir, width, height):
    from selenium.webdriver.common.keys import Keys

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.visible("#module-marriage")
    app.driver.set_window_size(width, height)
    app.click("#marriage-new")
    active = lambda: app.driver.switch_to.active_element

    # Enter goes from field to field through the man's party, his sex radios
    # and the woman's document-type dropdown alike.
    app.type("#party-0-doc_number", id_number("43010219921010001") + Keys.ENTER)
    assert active().get_attribute("id") == "party-0-name"
    active().send_keys("孙权" + Keys.ENTER)
    assert active().get_attribute("id") == "party-0-birth_date"
    for _ in range(7):  # 出生日期 … 电话, then the sex radios
        active().send_keys(Keys.ENTER)
    assert active().get_attribute("type") == "radio", active().get_attribute("outerHTML")
    active().send_keys(Keys.ENTER)
    assert active().get_attribute("id") == "party-1-doc_type"
    active().send_keys(Keys.ENTER)
    assert active().get_attribute("id") == "party-1-doc_number"

    # A day the calendar does not have, typed by hand: said in Chinese beside
    # the field, in red, and the cursor is put there.
    active().send_keys(id_number("43010219931111002"))
    app.type("#party-1-name", "步练师")
    app.type("#party-1-birth_date", "1990-02-30")
    app.click("label.stmt-all")
    app.click("#marriage-save")
    form = app.visible("#marriage-form")
    app.wait.until(lambda d: "没有 1990 年 2 月 30 日这一天" in form.text)
    message = app.visible("#marriage-message")
    assert "el-alert--error" in message.get_attribute("class"), message.get_attribute("class")
    assert "请按提示修改" in message.text
    assert active().get_attribute("id") == "party-1-birth_date"
    app.type("#party-1-birth_date", "15/03/1990")
    app.click("#marriage-save")
    app.wait.until(lambda d: "日期请按 年-月-日 填写" in form.text)

    # A ten-digit mobile and an unticked statement: the rules say why, in Chinese.
    app.type("#party-1-birth_date", "1993-11-11")
    app.type("#party-1-phone", "1380013800")
    app.click("label.stmt-no-spouse")
    app.click("#marriage-save")
    app.wait.until(lambda d: "手机号码为 11 位数字" in form.text)
    assert "请双方确认：本人没有配偶" in form.text
    assert not re.search(r"[A-Za-z]{4,}", app.text_of("#marriage-message")), app.text_of("#marriage-message")
    app.shot(f"51-messages-{width}x{height}")

    # Put right, and registered from the keyboard: Ctrl+Enter from any field.
    app.type("#party-1-phone", "0731-88888888")
    app.click("label.stmt-no-spouse")
    field = app.visible("#party-0-ethnicity")
    field.click()
    field.send_keys(Keys.CONTROL, Keys.ENTER)
    assert "J430102-" in app.wait_text("#marriage-message", "登记成功", timeout=30)
    assert "el-alert--success" in app.visible("#marriage-message").get_attribute("class")


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 640)])
def test_a_row_opens_its_certificate_and_history_beside_the_list_one_at_a_time(launch, profile_dir, width, height):
    from selenium.webdriver.common.by import By

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.visible("#module-marriage")
    app.driver.set_window_size(width, height)
    app.click("#marriage-tab-list")
    assert app.wait_inner_text("#marriage-table", "已登记")
    rows = app.driver.find_elements(By.CSS_SELECTOR, "#marriage-table .el-table__body tr")
    registered = [r for r in rows if r.find_elements(By.CSS_SELECTOR, ".print-certificate")]
    assert len(registered) >= 2, len(registered)
    first, second = registered[0], registered[1]
    couple = lambda row: app.driver.execute_script("return arguments[0].cells[0].innerText", row).strip()
    number = lambda row: app.driver.execute_script("return arguments[0].cells[3].innerText", row).strip()

    # The certificate opens over the list, titled with the couple and the number, in view.
    first.find_element(By.CSS_SELECTOR, ".print-certificate").click()
    title = app.wait_text(".record-dialog .el-dialog__title", couple(first))
    assert number(first) in title, title
    assert app.in_view(".record-dialog .el-dialog__title")
    assert app.in_view("#certificate-preview")
    app.shot(f"52-row-dialog-{width}x{height}")
    close_dialog(app)
    # The next couple's history replaces nothing left behind: one dialog, theirs.
    second.find_element(By.CSS_SELECTOR, ".history").click()
    title = app.wait_text(".record-dialog .el-dialog__title", couple(second))
    assert couple(first) not in title and number(second) in title, title
    assert len(app.driver.find_elements(By.CSS_SELECTOR, ".record-dialog")) == 1
    assert not app.driver.find_elements(By.CSS_SELECTOR, "#certificate-panel")
    app.visible("#record-history")


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 640)])
def test_each_user_lands_on_their_first_module_and_opens_no_other(launch, profile_dir, width, height):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.driver.set_window_size(width, height)
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    app.shot(f"53-funeral-desk-lands-{width}x{height}")
    names = [e.get_attribute("id") for e in app.driver.find_elements("css selector", "nav a")]
    assert names == ["nav-funeral", "nav-print", "nav-library", "nav-figures", "nav-settings"], names
    # The holiday calendar is the province's: this clerk reads it, and is
    # offered no edit.
    app.click("#nav-settings")
    app.visible("#calendar-table")
    assert not app.driver.find_elements("css selector", "#add-calendar")
    assert not app.driver.find_elements("css selector", "[id^=edit-20]")
    app.click("#logout")
    app.visible("#login-submit")

    # A leader has no 打印中心: its address leads back to the leader's own first module.
    app.login("leader", DEMO_PASSWORD)
    app.visible("#module-office")
    app.driver.execute_script("window.location.hash = '#/app/print'")
    app.wait.until(lambda d: d.execute_script("return window.location.hash") == "#/app/office")
    assert not app.driver.find_elements("css selector", "#module-print")


def choose_option(app, select, text):
    """Picks `text` in an Element Plus select, as a person does: opens it and
    clicks the option, again while the list is still sliding in and the
    click lands elsewhere, until the select shows it. A list that is not
    open (the first click landed while the page was still redrawing, or a
    click on the sliding list closed it) is opened again."""
    from selenium.webdriver.common.by import By

    option = f"//li[contains(@class, 'el-select-dropdown__item')][contains(., '{text}')]"
    wrapper = f"{select} .el-select__wrapper"
    app.click(wrapper)

    def picked(driver):
        try:
            if text in driver.find_element(By.CSS_SELECTOR, select).text:
                return True
            shown = [e for e in driver.find_elements(By.XPATH, option) if e.is_displayed()]
            if shown:
                driver.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", shown[0])
                shown[0].click()
            else:
                expanded = driver.find_element(By.CSS_SELECTOR, f"{select} .el-select__input")
                if expanded.get_attribute("aria-expanded") != "true":
                    driver.find_element(By.CSS_SELECTOR, wrapper).click()
            return text in driver.find_element(By.CSS_SELECTOR, select).text
        except Exception:
            return False

    app.wait.until(picked)


def open_funeral_intake(app, name, first17, received=True, death_certificate=True):
    """The desk takes a call: the caller, the place, the deceased by ID card
    (sex and birth date follow from the number), the contact."""
    app.click("#funeral-new")
    app.visible("#intake-caller")
    app.type("#intake-caller", "王小明")
    app.type("#intake-phone", "13800000000")
    app.type("#intake-place", "中南大学湘雅医院")
    app.type("#intake-doc-number", id_number(first17))
    app.type("#intake-name", name)
    # Leaving the number fills the birth date from it.
    app.wait.until(lambda d: d.find_element("css selector", "#intake-birth-date").get_attribute("value") != "")
    called = app.find("#intake-called-at").get_attribute("value")
    app.type("#intake-died-at", called)
    app.type("#intake-death-place", "中南大学湘雅医院")
    app.type("#intake-contact-name", "王小明")
    app.type("#intake-relation", "儿子")
    app.type("#intake-contact-doc-number", id_number("43010219700101003"))
    app.type("#intake-contact-phone", "13800000000")
    if not received:
        app.click("label.intake-received")
    if not death_certificate:
        app.type("#intake-death-certificate", " ")
    app.click("#intake-open")
    app.visible("#case-panel")


@pytest.mark.parametrize("width,height", [(1280, 800), (1024, 640)])
def test_a_funeral_case_from_the_call_to_the_ashes_waits_for_each_paper(launch, profile_dir, width, height):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.driver.set_window_size(width, height)
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    # The day board: the demo's cases, each with its stage and what it waits for.
    assert app.wait_inner_text("#funeral-board", "李建国")
    board = app.driver.execute_script("return document.querySelector('#funeral-board').innerText")
    assert "缺：" in board and "手续齐全" in board and "无名氏" in board, board
    assert "冷藏柜空闲" in app.text_of("#funeral-cabinets")
    app.shot(f"60-funeral-board-{width}x{height}")

    # A call: the body is still at the hospital and no certificate was seen.
    open_funeral_intake(app, "周德厚", "43010219380505001", received=False, death_certificate=False)
    assert "周德厚" in app.text_of(".record-dialog .el-dialog__title")
    assert "YT430100-" in app.text_of(".record-dialog .el-dialog__title")
    # Collection waits for the death certificate, and says so.
    app.click("#case-receive")
    assert "死亡证明" in app.wait_text("#case-message", "死亡证明")
    app.type("#paper-number-death_certificate", id_number("43010219380505001"))
    app.click("#paper-check-death_certificate")
    app.wait_text("#paper-death_certificate", "✓")
    app.click("#case-receive")
    app.visible("#case-book")
    app.shot(f"61-funeral-received-{width}x{height}")

    # The preparation room: a work order, then done.
    app.type("#work-note", "淡妆")
    app.click("#work-order")
    app.type("#work-by-0", "化妆师")
    app.click("#work-done-0")
    assert "化妆师" in app.wait_text("#case-steps", "化妆师 于")
    # Booked for a furnace; cremation is refused while papers are missing,
    # each named.
    app.click("#case-book")
    app.visible("#case-booked")
    app.type("#case-operator", "谭师傅")
    app.click("#case-cremate")
    refused = app.wait_text("#case-message", "火化前须核对逝者身份")
    assert "遗体火化确认书" in refused and "丧事承办人" in refused, refused
    assert "火化前须核对逝者身份" in app.text_of("#paper-identity")
    app.shot(f"62-funeral-cremation-refused-{width}x{height}")
    for paper in ["identity", "confirmation", "contact_identity"]:
        app.click(f"#paper-check-{paper}")
        app.wait_text(f"#paper-{paper}", "✓")
    app.click("#case-cremate")
    app.visible("#case-cremated")

    # The certificate from the home's block, printed; the ashes kept at the home.
    app.click("#case-issue")
    assert "HZ430100-" in app.wait_text("#case-certificate-no", "HZ430100-")
    app.visible("#certificate-path")
    app.click("#certificate-print")
    assert "已送往" in app.wait_text("#certificate-printed", "已送往", timeout=60)
    app.click("#case-collect")
    app.visible("#case-collected")
    # Lost: issued again only to the one who collected it.
    app.type("#reissue-doc", id_number("43010219380505001"))
    app.type("#reissue-reason", "遗失")
    app.click("#case-reissue")
    assert "原领取人" in app.wait_text("#case-message", "原领取人")
    app.type("#reissue-doc", id_number("43010219700101003"))
    app.click("#case-reissue")
    assert "已补发" in app.wait_text("#case-message", "已补发")
    app.type("#ashes-niche", "寄存楼 2-105")
    app.type("#ashes-agreement", "JC2026-0012")
    app.click("#ashes-deposit")
    assert "寄存于 寄存楼 2-105" in app.wait_text("#case-ashes", "寄存于")
    app.click("#case-register-certificate")
    app.click("#case-write-off")
    assert "核销" in app.wait_text("#case-certificate-state", "核销")
    app.shot(f"63-funeral-ashes-deposited-{width}x{height}")
    close_dialog(app)
    assert app.wait_inner_text("#funeral-board", "周德厚")
    # The urn is on the stock check's list, by its niche.
    app.click("#funeral-tab-storage")
    assert app.wait_inner_text("#ashes-storage", "寄存楼 2-105")


def test_an_unidentified_body_goes_through_on_the_polices_paper(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    app.click("#funeral-new")
    app.visible("#intake-caller")
    app.type("#intake-caller", "长沙市公安局岳麓分局")
    app.type("#intake-phone", "13800000000")
    app.type("#intake-place", "岳麓区橘子洲头")
    app.click("label.intake-unidentified")
    called = app.find("#intake-called-at").get_attribute("value")
    app.type("#intake-died-at", called)
    app.type("#intake-death-place", "岳麓区橘子洲头")
    # No document, no family: the police's paper is the gate.
    assert not app.driver.find_elements("css selector", "#intake-doc-number")
    assert not app.driver.find_elements("css selector", "#intake-contact-name")
    # Without it the form says so beside its field, and nothing is numbered.
    app.click("#intake-open")
    app.wait_text("#intake-message", "请按提示")
    assert "无名遗体须有公安机关的证明" in app.wait_text("#funeral-intake", "无名遗体须有公安机关的证明")
    app.type("#intake-police-paper", "长公（刑）勘字〔2026〕0420号")
    app.click("#intake-open")
    app.visible("#case-panel")
    assert "无名氏" in app.text_of(".record-dialog .el-dialog__title")
    assert "✓" in app.text_of("#paper-police_paper")
    assert not app.driver.find_elements("css selector", "#paper-identity")
    app.click("#case-book")
    app.visible("#case-booked")
    app.type("#case-operator", "谭师傅")
    app.click("#case-cremate")
    app.visible("#case-cremated")
    app.click("#case-issue")
    assert "HZ430100-" in app.wait_text("#case-certificate-no", "HZ430100-")
    app.shot("64-funeral-unidentified-cremated")


def scanned_pdf():
    """A one-page PDF as a scanner makes it: the page is a grey picture (a
    Flate-compressed image) in a black frame, with a line of text."""
    import zlib

    width, height = 64, 32
    picture = zlib.compress(bytes(((x * 4) ^ (y * 8)) & 0xFF for y in range(height) for x in range(width)))
    content = b"q 400 0 0 200 100 500 cm /Scan Do Q 4 w 50 50 495 742 re S BT /F1 24 Tf 100 450 Td (Scan) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Scan 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (width, height, len(picture), picture),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


# What the preview drew: the page's canvas, its size and how many of its
# opaque pixels are dark (the frame, the picture, the text) and light (the
# paper), or nothing yet.
DRAWN_PAGE = """
const canvas = document.querySelector('.scan-preview .file-preview-page.drawn canvas');
if (!canvas || !canvas.width || !canvas.height) return null;
const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let dark = 0, light = 0;
for (let i = 0; i < pixels.length; i += 4) {
  if (pixels[i + 3] !== 255) continue;
  if (pixels[i] < 128) dark++; else light++;
}
return {width: canvas.width, height: canvas.height, shown: canvas.getBoundingClientRect().width, dark: dark, light: light};
"""


def scanned_png(width=480, height=300):
    """A photo of a paper as a phone takes it: a PNG, grey and black squares."""
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes(((x // 20 + y // 20) % 2) * 200 for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# What the preview shows of an image: its own size and its width on the
# screen once decoded, or nothing yet.
SHOWN_IMAGE = """
const image = document.querySelector('.scan-preview img.file-preview-image');
if (!image || !image.complete || !image.naturalWidth) return null;
return {natural: image.naturalWidth, shown: image.getBoundingClientRect().width};
"""


def zoom_in(app, drawer, measure, before):
    """Zooms a preview in with its + button, as a person does: clicked again
    while the zoom has not moved (the drawer still sliding in, the click
    landing beside the button), then waited on until what `measure` finds
    is shown wider than `before`."""
    from selenium.common.exceptions import WebDriverException

    percent = f"{drawer} .file-preview-percent"
    start = app.text_of(percent)

    def wider(driver):
        if (driver.execute_script(measure) or {}).get("shown", 0) > before * 1.2:
            return True
        if driver.find_element("css selector", percent).text == start:
            try:
                driver.find_element("css selector", f"{drawer} .file-preview-in").click()
            except WebDriverException:
                pass
        return False

    app.wait.until(wider)


def test_a_funeral_papers_scans_pdf_and_photo_are_previewed_before_and_after_the_check(launch, profile_dir, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.file_detector import UselessFileDetector

    app = launch(profile_dir, "--demo")
    # The app runs here: a chosen file is named by its path, not uploaded.
    app.driver.file_detector = UselessFileDetector()
    app.visible("#login-submit")
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    open_funeral_intake(app, "吴秀英", "43010219420606002")
    # The deceased's ID card, scanned to a PDF, chosen for the paper.
    scan = tmp_path / "身份证扫描.pdf"
    scan.write_bytes(scanned_pdf())
    app.find("#paper-scan-identity").send_keys(str(scan))
    app.visible("#paper-preview-identity")
    app.shot("70-funeral-scan-chosen")
    app.click("#paper-preview-identity")
    # WebKitGTK shows no PDF by itself: pdf.js draws the page on a canvas.
    app.visible(".scan-preview .file-preview-page")
    assert "逝者身份" in app.text_of(".scan-preview .el-drawer__title")
    # (innerText: WebKitWebDriver's element text leaves the clipped name out)
    assert app.wait_inner_text(".scan-preview .file-preview-name", "身份证扫描.pdf")
    assert "共 1 页" in app.text_of(".scan-preview .file-preview-count")
    drawn = app.wait.until(lambda d: d.execute_script(DRAWN_PAGE))
    assert drawn["width"] > 300 and drawn["height"] > 400 and drawn["shown"] > 300, drawn
    assert drawn["dark"] > 1000 and drawn["light"] > drawn["width"] * drawn["height"] / 2, drawn
    # Sized for the screen: the zoom is within the window, the page fits its width.
    assert app.in_view(".scan-preview .file-preview-fit")
    zoom_in(app, ".scan-preview", DRAWN_PAGE, drawn["shown"])
    app.shot("70-funeral-scan-pdf")
    # Esc closes the preview and leaves the case open.
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.gone(".scan-preview")
    assert app.visible("#case-panel")

    # Checked with the paper, the kept scan is previewed from the cache.
    app.click("#paper-check-identity")
    assert "已附扫描件" in app.wait_text("#paper-identity", "✓")
    app.click("#paper-preview-identity")
    drawn = app.wait.until(lambda d: d.execute_script(DRAWN_PAGE))
    assert drawn["dark"] > 1000, drawn
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.gone(".scan-preview")

    # The contact's ID card, photographed: shown as an image, with the same zoom.
    photo = tmp_path / "承办人身份证.png"
    photo.write_bytes(scanned_png())
    app.find("#paper-scan-contact_identity").send_keys(str(photo))
    app.click("#paper-preview-contact_identity")
    assert "承办人身份证件" in app.text_of(".scan-preview .el-drawer__title")
    assert app.wait_inner_text(".scan-preview .file-preview-name", "承办人身份证.png")
    shown = app.wait.until(lambda d: d.execute_script(SHOWN_IMAGE))
    assert shown["natural"] == 480 and shown["shown"] > 200, shown
    zoom_in(app, ".scan-preview", SHOWN_IMAGE, shown["shown"])
    app.shot("70-funeral-scan-photo")
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.gone(".scan-preview")
    app.click("#paper-check-contact_identity")
    assert "已附扫描件" in app.wait_text("#paper-contact_identity", "✓")


def test_a_dibao_familys_bill_is_waived_paid_printed_and_in_the_daily_report(launch, profile_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    assert app.wait_inner_text("#funeral-board", "李建国")
    app.driver.find_element(By.XPATH, "//*[@id='funeral-board']//tr[contains(., '李建国')]//button[contains(@class, 'open-case')]").click()
    app.visible("#case-bill")
    # The family of a 低保 household: 接运, 冷藏 3 天, 平板炉, a basic urn.
    for code, quantity in [("transport", "1"), ("cold_storage", "3"), ("cremation_flat", "1"), ("urn_basic", "1"), ("dressing", "1")]:
        field = app.visible(f"#bill-qty-{code}")
        app.type(f"#bill-qty-{code}", quantity)
        field.send_keys(Keys.TAB)
    choose_option(app, ".bill-waiver", "低保对象")
    app.type("#bill-evidence", "湘殡免 2026-0107")
    app.click("#bill-price")
    app.wait_text("#bill-message", "已按收费清单计价")
    # Everything basic waived; only the dressing (整容) is paid: 200.00.
    assert app.text_of("#bill-payable") == "200.00", app.text_of("#bill-lines")
    assert app.text_of("#bill-waived") == "1250.00"
    app.click("#bill-amount")
    assert app.find("#bill-amount").get_attribute("value") == "200.00"
    app.click("#bill-pay")
    assert "尚欠 0.00" in app.wait_text("#bill-due", "尚欠 0.00")
    app.click("#bill-receipt")
    assert "已送往" in app.wait_text("#bill-message", "已送往", timeout=60)
    app.shot("65-funeral-bill-dibao")
    close_dialog(app)

    # The day's report counts it, and goes to Excel.
    app.click("#funeral-tab-report")
    assert "现金 200.00 元" in app.wait_text("#report-totals", "现金")
    app.click("#report-export")
    assert ".xlsx" in app.wait_text("#report-exported", ".xlsx")
    # And as a PDF table to print and sign.
    app.click("#report-pdf")
    saved = app.wait_text("#report-printed .printed-path", ".pdf")
    path = re.search(r"PDF 已保存：(\S+\.pdf)", saved).group(1)
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s", "", text)
    assert "长沙市殡仪馆收费日报" in text and "现金合计200.00" in text and "第1页共1页" in text, text
    app.click("#report-printed .printed-send")
    assert "已送往" in app.wait_text("#report-printed .notice", "已送往", timeout=60)
    app.shot("66-funeral-daily-report")
    # The month's death data for health and public security, and the home's counts.
    app.click("#funeral-tab-figures")
    app.click("#exchange-export")
    assert "死亡数据交换-" in app.wait_text("#exchange-done", "已导出")
    app.click("#settlement-export")
    assert "减免结算-" in app.wait_text("#settlement-done", "已导出")
    assert app.wait_inner_text("#figures-homes", "长沙市殡仪馆")


def test_a_hall_slot_once_booked_is_offered_to_no_other_case(launch, profile_dir):
    from selenium.webdriver.common.by import By

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    assert "告别厅今日" in app.text_of("#funeral-halls")

    def open_case(name):
        assert app.wait_inner_text("#funeral-board", name)
        app.driver.find_element(By.XPATH, f"//*[@id='funeral-board']//tr[contains(., '{name}')]//button[contains(@class, 'open-case')]").click()
        app.visible("#case-book-hall")

    def slot_option(text):
        """The slot's option in the open dropdown (opened once: a second click
        on the select would close it again)."""
        options = "//li[contains(@class, 'el-select-dropdown__item')]"
        if not any(e.is_displayed() for e in app.driver.find_elements(By.XPATH, options)):
            app.click(".case-hall-slot .el-select__wrapper")
        option = f"{options}[contains(., '{text}')]"
        app.wait.until(lambda d: any(e.is_displayed() for e in d.find_elements(By.XPATH, option)))
        return next(e for e in app.driver.find_elements(By.XPATH, option) if e.is_displayed())

    open_case("李建国")
    choose_option(app, ".case-hall-slot", "09:00")
    app.click("#case-book-hall")
    assert "已预约 1号厅" in app.wait_text("#case-message", "已预约")
    # The demo's farewell of today holds 1号厅 at 10:00: offered to no one else.
    assert "is-disabled" in slot_option("10:00 赵德明").get_attribute("class")
    close_dialog(app)

    open_case("王秀英")
    taken = slot_option("09:00 李建国")
    assert "is-disabled" in taken.get_attribute("class")
    app.shot("67-funeral-hall-taken")


def test_a_plot_is_sold_on_the_cemetery_map_and_a_cremated_case_is_laid_in_it(launch, profile_dir):
    from selenium.webdriver.common.by import By

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("funeral_desk", DEMO_PASSWORD)
    app.visible("#module-funeral")
    app.click("#funeral-tab-cemetery")
    # The demo's section A: a plot in each state, the rest free.
    assert "已安葬" in app.wait_inner_text("#cemetery-map [data-plot='A-01-01']", "已安葬")
    assert "预留" in app.text_of("#cemetery-map [data-plot='A-01-03']")
    app.click("#cemetery-map [data-plot='A-01-05']")
    app.visible("#plot-sell")
    app.type("#sell-name", "刘洪波")
    # A wrong check character is named beside the number, nothing is sold.
    app.type("#sell-doc-number", "430102197001010000")
    app.type("#sell-phone", "13907310009")
    app.click("#plot-sell")
    assert "校验" in app.wait_text("#plot-message", "校验")
    app.type("#sell-doc-number", id_number("43010219700101003"))
    app.click("#plot-sell")
    assert "合同编号 GM430100-" in app.wait_text("#plot-message", "合同编号")
    assert "已售" in app.wait_inner_text("#cemetery-map [data-plot='A-01-05']", "已售")
    # The cremated case of the demo is laid in it: the plot used.
    choose_option(app, ".bury-case", "刘桂兰")
    app.click("#plot-bury")
    assert "刘桂兰 的骨灰已安葬于 A-01-05" in app.wait_text("#plot-message", "已安葬于")
    assert "已安葬" in app.wait_inner_text("#cemetery-map [data-plot='A-01-05']", "已安葬")
    assert "刘桂兰" in app.text_of("#plot-burials")
    app.shot("68-funeral-cemetery")
    # The fees running out within a year: the demo's one-year sale.
    choose_option(app, ".due-within", "365 天内")
    assert app.wait_inner_text("#plot-due", "A-01-02")
    # On the board the case has ended in its burial.
    app.click("#funeral-tab-board")
    row = "//*[@id='funeral-board']//tr[contains(., '刘桂兰')]"
    app.wait.until(lambda d: any("已安葬" in e.text for e in d.find_elements(By.XPATH, row)))


def test_a_secretary_overrides_a_conflict_prints_the_week_and_the_office_never_sees_the_confidential(launch, profile_dir):
    from selenium.webdriver.common.by import By

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("secretary", DEMO_PASSWORD)
    app.click("#nav-schedule")
    app.visible("#week-grid")
    # The demo week: the Monday meeting, and the principal's confidential talk this secretary keeps.
    assert app.wait_inner_text("#week-grid", "厅党组会")
    assert "约谈" in app.text_of("#week-grid")
    app.click("#activity-new")
    app.visible("#activity-form")
    app.driver.find_element(By.XPATH, "//*[@id='activity-leaders']//label[contains(., '周志远')]").click()
    app.type("#activity-content", "听取婚姻登记工作汇报")
    app.type("#activity-place", "厅长办公室")
    # 09:00–10:00 on Monday: the Monday meeting holds him then.
    app.click("#activity-save")
    assert "厅党组会" in app.wait_text("#activity-message", "厅党组会")
    app.visible("#activity-reason")
    app.type("#activity-reason", "会前听取汇报，九点半到会")
    app.click("#activity-save")
    app.gone("#activity-form")
    app.gone(".record-dialog")
    assert app.wait_inner_text("#week-grid", "听取婚姻登记工作汇报")
    app.shot("69-schedule-week")
    # The week's table as a landscape PDF.
    app.click("#week-print")
    saved = app.wait_text("#week-printed .printed-path", ".pdf")
    path = re.search(r"PDF 已保存：(\S+\.pdf)", saved).group(1)
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout)
    assert "领导活动安排表" in text and "听取婚姻登记工作汇报" in text and "上午" in text, text
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    app.click("#logout")
    app.visible("#login-submit")

    # The office clerk reads the week, without the confidential talk.
    app.login("office_staff", DEMO_PASSWORD)
    app.click("#nav-schedule")
    assert app.wait_inner_text("#week-grid", "听取婚姻登记工作汇报", timeout=30)
    assert "约谈" not in app.text_of("#week-grid")
    # The executive deputy's report of a meeting away, with who stands in.
    grid = app.text_of("#week-grid")
    assert "民政部会议" in grid and "代主持：刘建新" in grid, grid
    # The office publishes the week's table.
    app.click("#week-publish")
    assert "已发布" in app.wait_text("#week-published", "已发布")


def test_a_secretary_moves_one_meeting_of_a_series_shares_the_calendar_and_hands_over_the_phone_feed(launch, profile_dir, tmp_path):
    import urllib.error
    import urllib.request

    import icalendar
    import openpyxl
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.file_detector import UselessFileDetector

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("secretary", DEMO_PASSWORD)
    app.click("#nav-schedule")
    app.visible("#week-grid")
    # The principal's weekly meeting repeats every Friday: this week's is moved on its own.
    assert app.wait_inner_text("#week-grid", "处室负责人周例会")
    meeting = app.driver.find_element(By.XPATH, "//button[contains(@class,'activity')][contains(., '处室负责人周例会')]")
    assert "重复" in meeting.get_attribute("textContent")
    # The seven days stay above the fold.
    assert app.in_view("#week-grid tbody tr:last-child"), "the week's Sunday is in view"
    meeting.click()
    app.visible("#activity-scope")
    app.click("#activity-scope .scope-one")
    app.type("#activity-place", "厅机关 5 楼会议室")
    app.click("#activity-save")
    app.gone("#activity-form")
    app.gone(".record-dialog")
    moved = app.driver.find_element(By.XPATH, "//button[contains(@class,'activity')][contains(., '处室负责人周例会')]")
    moved_text = moved.get_attribute("textContent")
    assert "厅机关 5 楼会议室" in moved_text and "本次调整" in moved_text, moved_text
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)

    # The principal's calendar as an iCalendar file, read by another client.
    app.click("#calendar-files-open")
    app.visible("#calendar-files")
    app.click("#files-export-ics")
    saved = app.wait_text("#files-message", ".ics")
    path = re.search(r"已导出：(\S+\.ics)", saved).group(1)
    calendar = icalendar.Calendar.from_ical(open(path, "rb").read())
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    events = calendar.walk("VEVENT")
    series = [e for e in events if "RRULE" in e]
    assert len(series) == 1 and series[0]["RRULE"]["FREQ"] == ["WEEKLY"], series
    start = series[0].decoded("DTSTART")
    assert start.tzinfo is not None and str(series[0]["DTSTART"].params["TZID"]) == "Asia/Shanghai"
    moved_events = [e for e in events if "RECURRENCE-ID" in e]
    assert len(moved_events) == 1 and moved_events[0]["UID"] == series[0]["UID"]
    assert moved_events[0]["LOCATION"] == "厅机关 5 楼会议室"
    # Written out again by that client and imported: nothing changes.
    again = tmp_path / "reread.ics"
    again.write_bytes(calendar.to_ical())
    app.driver.file_detector = UselessFileDetector()
    app.find("#files-import-input").send_keys(str(again))
    result = app.wait_text("#files-import-result", "已导入")
    assert "新增 0 项，更新 0 项" in result, result

    # The office's old weekly sheet: a time that is not one imports nothing.
    # Its Monday is two months on, clear of the demo's week.
    import datetime
    later = datetime.date.today() + datetime.timedelta(days=60)
    later -= datetime.timedelta(days=later.weekday())

    def sheet(time):
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["领导活动安排表"])
        ws.merge_cells("A1:E1")
        ws.append(["日期", "时间", "领导", "活动内容", "地点"])
        ws.append([f"{later.year}年{later.month}月{later.day}日", "9:00-10:30", "周志远", "调研养老服务中心", "长沙市"])
        ws.append([None, time, "周志远", "听取年度工作汇报", "厅机关"])
        ws.merge_cells("A3:A4")
        path = tmp_path / f"周安排-{time}.xlsx"
        book.save(path)
        return path

    app.find("#files-import-input").send_keys(str(sheet("待定")))
    refused = app.wait_text("#files-import-result", "未导入")
    assert "第 4 行 B 列（时间）" in refused and "待定" in refused, refused
    app.find("#files-import-input").send_keys(str(sheet("下午")))
    assert "新增 2 项" in app.wait_text("#files-import-result", "已导入")
    app.shot("71-schedule-calendar-files")

    # The phone feed: its address answers a phone with the week, the confidential talk only as busy.
    app.click("#files-feed-new")
    url = app.visible("#files-feed-url").get_attribute("value")
    assert "/api/v1/schedule/feed/mzf_" in url, url
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        feed = answer.read().decode()
    assert "REFRESH-INTERVAL" in feed and "处室负责人周例会" in feed and "SUMMARY:忙" in feed, feed
    assert "约谈" not in feed
    assert app.wait_inner_text("#files-feeds", "周志远")
    app.click("#files-feeds .feed-revoke")
    assert app.wait_inner_text("#files-feeds", "已停用")
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(url, timeout=10)
    assert gone.value.code == 404
    close_dialog(app)
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    app.click("#logout")
    app.visible("#login-submit")

    # The principal reads his month, with his confidential talk, and his day.
    app.login("leader", DEMO_PASSWORD)
    app.click("#nav-schedule")
    app.click("#schedule-view .view-month")
    assert app.wait_inner_text("#schedule-month", "约谈")
    assert "处室负责人周例会" in app.driver.execute_script("return document.querySelector('#schedule-month').innerText")
    app.click("#schedule-view .view-day")
    app.visible("#day-title")
    app.shot("72-schedule-my-day")


def office_item(app, title, timeout=30):
    """The inbox's button of the document titled `title`, once sync has brought it."""
    from selenium.webdriver.common.by import By

    path = f"//ul[@id='office-list']//button[contains(., '{title}')]"
    app.wait_inner_text("#office-list", title, timeout=timeout)
    return app.driver.find_element(By.XPATH, path)


def choose_one_more(app, select, text, outside="#office-doc-title"):
    """Adds `text` to an Element Plus multiple select: typed into its filter,
    its option clicked once (a second click would take it off again), the
    list closed by a click `outside` it, as a person closes it."""
    from selenium.webdriver.common.by import By
    app.click(f"{select} .el-select__wrapper")
    field = app.find(f"{select} input")
    field.send_keys(text)
    option = f"//li[contains(@class, 'el-select-dropdown__item')][normalize-space(.)='{text}']"
    app.wait.until(lambda d: any(e.is_displayed() for e in d.find_elements(By.XPATH, option)))
    next(e for e in app.driver.find_elements(By.XPATH, option) if e.is_displayed()).click()
    tags = f"{select} .el-select__tags-text"
    app.wait.until(lambda d: any(e.get_attribute("textContent") == text for e in d.find_elements(By.CSS_SELECTOR, tags)))
    app.click(outside)
    # The list slides away before what is under it takes a click.
    app.wait.until(lambda d: not any(e.is_displayed() for e in d.find_elements(By.XPATH, option)))


def sent_and_signed_out(app):
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)
    app.click("#logout")
    app.visible("#login-submit")


def test_a_notice_goes_from_draft_to_the_city_which_receives_and_answers_it(launch, profile_dir):
    from selenium.webdriver.common.by import By

    title = "关于做好2027年春节期间困难群众走访慰问工作的通知"
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.login("office_staff", DEMO_PASSWORD)
    # The office lands on its documents: the demo's waiting ones counted.
    app.visible("#module-office")
    assert int(app.wait_text("#office-count-to_do", "")) >= 1
    # The navigation's count is the length of the list it counts.
    app.wait.until(lambda d: d.find_element("css selector", "#nav-badge-office").text == app.text_of("#office-count-to_do"))
    app.shot("80-office-inbox")
    # 督办: the ministry's notice past its deadline, in red, and the board as Excel.
    app.click("#office-tab-tracking")
    overdue = office_item(app, "关于开展养老机构安全隐患排查整治的通知")
    assert "overdue" in overdue.get_attribute("class")
    app.click("#office-tracking-export")
    saved = app.wait_text("#module-office .notice", ".xlsx")
    path = re.search(r"已导出：(\S+\.xlsx)", saved).group(1)
    import openpyxl

    rows = [row[0] for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert "关于开展养老机构安全隐患排查整治的通知" in rows, rows
    app.click("#office-tab-to_do")

    # 草拟 in the composer, with the kind; no number, date or signer to write.
    app.click("#office-new-outgoing")
    app.visible("#doc-start")
    assert not app.driver.find_elements("css selector", "#doc-number")
    app.type("#doc-title", title)
    app.type("#doc-recipients", "长沙市民政局")
    app.type("#doc-body", "为做好春节期间困难群众走访慰问工作，现通知如下。\n一、摸清底数\n请各地全面走访困难群众。")
    app.wait_text("#doc-page-count", "页")
    app.shot("81-office-draft")
    app.click("#doc-start")
    app.gone(".record-dialog")
    assert app.wait_text("#office-doc-title", title)
    assert "待办公室办理" in app.text_of("#office-doc-state")

    # 审核: the office names the deputy to sign it off.
    choose_option(app, ".office-signer", "陈立华")
    app.type("#office-opinion", "文字和格式符合要求，拟请陈厅长签发")
    app.click("#office-act-approve")
    assert app.wait_text("#office-doc-state", "陈立华")
    sent_and_signed_out(app)

    # 签发 by the deputy, from the to-do list.
    app.login("deputy1", DEMO_PASSWORD)
    app.visible("#module-office")
    office_item(app, title).click()
    app.visible("#office-act-sign_off")
    app.type("#office-opinion", "同意")
    app.click("#office-act-sign_off")
    assert "陈立华" in app.wait_text("#office-sign-off", "同意")
    app.shot("82-office-signed-off")
    sent_and_signed_out(app)

    # 复核, 登记编号 from the unit's sequence, 印制 as PDF and OFD, 核发.
    app.login("office_staff", DEMO_PASSWORD)
    app.visible("#module-office")
    office_item(app, title).click()
    app.click("#office-act-check")
    app.visible("#office-act-register")
    number = app.find("#office-number").get_attribute("value")
    assert re.fullmatch(r"湘民发〔\d{4}〕2号", number), number
    choose_one_more(app, ".office-recipients", "长沙市民政局")
    app.click("#office-act-register")
    assert app.wait_text("#office-doc-number", number)
    app.click("#office-export")
    said = app.wait_text("#module-office .notice", "OFD")
    path = re.search(r"PDF：(\S+?\.pdf)", said).group(1)
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout)
    assert number in text and "春节期间" in text, text
    app.click("#office-act-print")
    app.click("#office-act-distribute")
    assert app.wait_text("#office-doc-state", "已办结")
    app.shot("83-office-distributed")
    sent_and_signed_out(app)

    # The city's office finds it among the documents sent to it, receives,
    # checks, assigns and answers it.
    app.login("city_office", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#office-deliveries")
    app.wait_inner_text("#office-delivery-list", title, timeout=30)
    row = app.driver.find_element(By.XPATH, f"//ul[@id='office-delivery-list']/li[contains(., '{title}')]//button")
    row.click()
    assert app.wait_text("#office-doc-title", title)
    assert number in app.text_of("#office-doc-number")
    app.click("#office-act-accept")
    app.visible("#office-lead")
    choose_option(app, ".office-lead", "长沙市民政局办公室")
    app.type("#office-opinion", "请社会救助科办理")
    app.click("#office-act-assign")
    app.visible("#office-act-reply")
    app.type("#office-opinion", "已组织走访，名单另报")
    app.click("#office-act-reply")
    assert app.wait_text("#office-doc-state", "已办结")
    app.shot("84-office-received-and-answered")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)


def test_an_incoming_notice_is_registered_assigned_circulated_instructed_and_answered(launch, profile_dir, tmp_path):
    from selenium.webdriver.remote.file_detector import UselessFileDetector

    title = "关于做好2027年元旦期间安全生产工作的通知"
    app = launch(profile_dir, "--demo")
    app.driver.file_detector = UselessFileDetector()
    app.visible("#login-submit")
    app.login("office_staff", DEMO_PASSWORD)
    app.visible("#module-office")

    # A 机密 notice is worked online and never kept on this desk.
    app.click("#office-new-incoming")
    app.visible("#incoming-save")
    app.type("#incoming-title", "关于某涉密事项的通知")
    app.type("#incoming-sender", "民政部")
    choose_option(app, ".incoming-secrecy", "机密")
    app.click("#incoming-save")
    app.gone(".record-dialog")
    assert app.wait_text("#office-doc-title", "关于某涉密事项的通知")
    assert "不存入本机" in app.text_of("#office-held-online")
    assert "机密" in app.text_of("#office-list")

    # 收文登记 with the scan of the paper: a wrong sender's number is named
    # beside its field.
    app.click("#office-new-incoming")
    app.visible("#incoming-save")
    app.type("#incoming-title", title)
    app.type("#incoming-sender", "湖南省应急管理厅")
    app.type("#incoming-sender-number", "湘应急[2026]12号")
    scan = tmp_path / "湘应急〔2026〕12号.pdf"
    scan.write_bytes(scanned_pdf())
    app.find("#incoming-file").send_keys(str(scan))
    assert "12号.pdf" in app.wait_text("#incoming-file-name", "pdf")
    app.click("#incoming-save")
    assert "六角括号" in app.wait_text(".incoming .el-form-item__error", "六角括号")
    app.type("#incoming-sender-number", "湘应急〔2026〕12号")
    app.click("#incoming-save")
    app.gone(".record-dialog")
    assert app.wait_text("#office-doc-title", title)
    assert app.wait_inner_text("#office-attachment-0", "湘应急〔2026〕12号.pdf")

    # 初审, 分办 to 社会救助处, 传阅 to the principal.
    app.click("#office-act-accept")
    app.visible("#office-act-assign")
    choose_option(app, ".office-lead", "王建军")
    app.type("#office-opinion", "请社会救助处牵头办理")
    app.click("#office-act-assign")
    app.visible("#office-act-circulate")
    choose_one_more(app, ".office-readers", "周志远")
    app.click("#office-act-circulate")
    assert app.wait_text("#office-doc-state", "传阅中")
    app.shot("85-office-circulating")
    sent_and_signed_out(app)

    # The principal reads it from 传阅 and instructs the handler by name.
    app.login("leader", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#office-tab-to_read")
    office_item(app, title).click()
    app.visible("#office-act-read")
    app.type("#office-opinion", "请抓紧落实，元旦前报结果")
    choose_one_more(app, ".office-instructs", "王建军（社会救助处）")
    app.click("#office-act-read")
    app.wait_text_gone("#office-doc-state", "传阅中")
    sent_and_signed_out(app)

    # The handler finds it in their to-do list with the instruction, and answers.
    app.login("relief", DEMO_PASSWORD)
    app.visible("#module-office")
    office_item(app, title).click()
    assert "请抓紧落实" in app.wait_text("#module-office .readers", "请抓紧落实")
    app.type("#office-opinion", "已完成排查，情况另行报送")
    app.click("#office-act-reply")
    assert app.wait_text("#office-doc-state", "已办结")
    app.shot("86-office-answered")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)


def test_a_sign_off_taken_offline_is_sent_later_and_a_confidential_copy_is_destroyed_as_approved(launch, profile_dir, platform):
    request = "关于申请省级养老服务体系建设补助资金的请示"
    secret = "关于做好重要时段安全保密工作的通知"
    app = launch(profile_dir)
    app.click("#mode-connect")
    app.type("#platform-url", platform.url)
    app.click("#test-and-save")
    app.visible("#login-submit")

    # The principal opens the request waiting for them; the network goes;
    # the sign-off is taken all the same and waits in the outbox.
    app.login("leader", DEMO_PASSWORD)
    app.wait_text("#status-online", "在线", timeout=30)
    app.click("#nav-office")
    office_item(app, request).click()
    app.visible("#office-act-sign_off")
    platform.stop()
    app.type("#office-opinion", "同意报送")
    app.click("#office-act-sign_off")
    assert "周志远" in app.wait_text("#office-sign-off", "同意报送")
    app.wait_text("#status-pending", "待发送 1 条", timeout=30)
    app.shot("85-office-signed-off-offline")
    platform.start()
    app.wait_text("#status-pending", "待发送 0 条", timeout=90)
    login = platform.call("POST", "/auth/login", {
        "username": "office_staff", "password": DEMO_PASSWORD,
        "device_id": str(uuid.uuid4()), "device_name": "second client",
    })
    changes = whole_feed(platform, login["access_token"])
    signed = [c["data"] for c in changes if c["kind"] == "office_document" and c["data"] and c["data"]["title"] == request]
    assert signed and signed[-1]["step"] == "check", signed
    assert signed[-1]["sign_off"]["by"]["name"] == "周志远"
    # The confidential notice never reaches a desk's pull.
    assert not [c for c in changes if c["kind"] == "office_document" and c["data"] and c["data"]["title"] == secret]
    sent_and_signed_out(app)

    # 销毁: the secretary (机要) asks to destroy the confidential notice's
    # copy, read online, naming the principal to approve.
    app.login("secretary", DEMO_PASSWORD)
    app.click("#nav-office")
    app.click("#office-tab-done")
    office_item(app, secret).click()
    app.visible("#office-act-ask_destroy")
    # Its one copy is the one offered.
    app.wait_inner_text(".office-destroy-copies", "第1份")
    app.type("#office-opinion", "已过保密期限，无保存价值")
    app.click("#office-act-ask_destroy")
    assert "待 周志远 批准" in app.wait_text("#office-destructions", "待")
    app.click("#office-destruction-register-open")
    app.wait_inner_text("#office-destruction-register", secret)
    app.wait_inner_text("#office-destruction-register", "待批准")
    app.shot("86-office-destruction-asked")
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")
    app.click("#logout")
    app.visible("#login-submit")

    # The principal finds it in 待办 and approves.
    app.login("leader", DEMO_PASSWORD)
    app.click("#nav-office")
    office_item(app, secret).click()
    app.visible("#office-act-decide_destroy")
    app.type("#office-opinion", "同意销毁")
    app.click("#office-act-decide_destroy")
    assert "批准" in app.wait_text("#office-destructions", "周志远")
    app.click("#logout")
    app.visible("#login-submit")

    # The secretary destroys it before a witness; the register says so.
    app.login("secretary", DEMO_PASSWORD)
    app.click("#nav-office")
    office_item(app, secret).click()
    app.visible("#office-act-destroyed")
    choose_option(app, ".office-destroy-witness", "赵敏")
    app.type("#office-opinion", "机要室碎纸机粉碎")
    app.click("#office-act-destroyed")
    assert "赵敏（秘书） 监销" in app.wait_text("#office-destructions", "监销")
    app.click("#office-destruction-register-open")
    app.wait_inner_text("#office-destruction-register", "已销毁")
    app.shot("87-office-destruction-register")


def test_a_change_after_sign_off_goes_back_to_the_signer_who_reads_both_drafts(launch, profile_dir):
    letter = "关于商请协助做好流浪乞讨人员救助管理工作的函"
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    # 复核: the office finds a substantive change to make in the signed letter.
    app.login("office_staff", DEMO_PASSWORD)
    app.visible("#module-office")
    office_item(app, letter).click()
    app.visible("#office-act-check")
    app.click("#office-edit")
    app.visible("#doc-body")
    app.type("#doc-body", "为加强流浪乞讨人员救助管理工作，现商请贵厅在春节期间给予协助。")
    app.click("#doc-start")
    app.gone(".record-dialog")
    # It goes back to the deputy who signed it; the signed draft is kept.
    assert app.wait_text("#office-doc-state", "陈立华")
    assert app.wait_text("#office-versions", "第1稿")
    sent_and_signed_out(app)

    app.login("deputy1", DEMO_PASSWORD)
    app.visible("#module-office")
    office_item(app, letter).click()
    app.visible("#office-act-sign_off")
    # The signer reads what they signed, then what they are asked to sign.
    app.click("#office-version-0")
    assert "第1稿" in app.wait_text(".version-shown", "第1稿")
    app.wait.until(lambda d: "现商请贵厅给予协助" in d.find_element("css selector", ".pages").get_attribute("textContent"))
    app.shot("88-office-earlier-draft")
    app.click("#office-version-current")
    app.wait.until(lambda d: "春节期间" in d.find_element("css selector", ".pages").get_attribute("textContent"))
    app.type("#office-opinion", "同意修改后印发")
    app.click("#office-act-sign_off")
    assert "陈立华" in app.wait_text("#office-sign-off", "同意修改后印发")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)


def office_package(parts):
    """A ZIP package of `parts` (name → text), as Word and Excel write them."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return out.getvalue()


def test_a_document_s_attachments_are_checked_by_content_previewed_and_kept_with_their_draft(launch, profile_dir, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.file_detector import UselessFileDetector

    notice = "关于做好2026年冬季困难群众救助工作的通知"
    app = launch(profile_dir, "--demo")
    app.driver.file_detector = UselessFileDetector()
    app.visible("#login-submit")
    app.login("office_staff", DEMO_PASSWORD)
    app.visible("#module-office")
    # 审核: the office attaches the list and the allocation table to the draft.
    office_item(app, notice).click()
    app.visible("#office-attachments .add")
    assert "没有附件" in app.text_of("#office-attachments")
    word = office_package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    posing = tmp_path / "统计表.pdf"
    posing.write_bytes(word)
    app.find("#office-attach-file").send_keys(str(posing))
    assert "PDF" in app.wait_text("#office-attach-error", "格式")
    assert "没有附件" in app.text_of("#office-attachments")

    listed = tmp_path / "附件1 救助对象名单.pdf"
    listed.write_bytes(scanned_pdf())
    app.find("#office-attach-file").send_keys(str(listed))
    assert app.wait_inner_text("#office-attachment-0", "附件1 救助对象名单.pdf")
    assert "厅办公室工作人员" in app.text_of("#office-attachment-0")
    table = tmp_path / "附件2 资金分配表.xlsx"
    table.write_bytes(office_package({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}))
    app.find("#office-attach-file").send_keys(str(table))
    assert app.wait_inner_text("#office-attachment-1", "Excel 表格")
    app.shot("89-office-attachments")

    # The PDF drawn in the window by pdf.js; the workbook saved for Excel.
    drawn_page = DRAWN_PAGE.replace(".scan-preview", ".attachment-preview")
    app.click("#office-attachment-open-0")
    drawn = app.wait.until(lambda d: d.execute_script(drawn_page))
    assert drawn["dark"] > 1000 and drawn["light"] > drawn["width"] * drawn["height"] / 2, drawn
    app.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    app.gone(".attachment-preview")
    app.click("#office-attachment-open-1")
    app.visible(".attachment-preview .file-preview-save")
    assert "Excel 表格" in app.text_of(".attachment-preview .file-preview-kind")
    app.click(".attachment-preview .file-preview-save")
    said = app.wait_inner_text("#module-office", "另存到")
    saved = re.search(r"另存到：(.+?\.xlsx)", said).group(1)
    assert open(saved, "rb").read().startswith(b"PK")
    app.gone(".attachment-preview")

    # Taken off the document, the list stays with the draft that had it.
    app.click("#office-attachment-remove-0")
    app.click(".el-popconfirm .el-button--primary")
    app.wait.until(lambda d: "救助对象名单" not in d.find_element("css selector", "#office-attachments").get_attribute("textContent"))
    app.click("#office-version-1")
    assert app.wait_inner_text("#office-attachments", "附件1 救助对象名单.pdf")
    assert not app.driver.find_elements("css selector", "#office-attach-file")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)


def test_a_clerk_away_hands_their_to_dos_to_a_colleague_and_cancels(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    # 王建军 of 社会救助处 goes to a training and hands his to-dos to 赵敏.
    app.login("relief", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#office-delegation-open")
    app.visible("#delegation-save")
    assert "没有委托" in app.text_of(".delegation")
    app.click("#delegation-save")
    assert "受托" in app.wait_text(".delegation .el-form-item__error", "受托")
    choose_option(app, ".delegation-to", "赵敏")
    app.type("#delegation-reason", "参加全国社会救助业务培训")
    app.click("#delegation-save")
    assert app.wait_inner_text("#delegation-0", "委托中")
    assert "委托给 赵敏（秘书）" in app.driver.execute_script("return document.querySelector('#delegation-0').innerText")
    app.shot("90-office-delegation")
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")
    sent_and_signed_out(app)

    # 赵敏 sees what was handed to her.
    app.login("secretary2", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#office-delegation-open")
    assert app.wait_inner_text("#delegation-0", "王建军（社会救助处） 委托给我")
    assert not app.driver.find_elements("css selector", "#delegation-cancel-0")
    app.click(".record-dialog .el-dialog__headerbtn")
    app.gone(".record-dialog")
    app.click("#logout")
    app.visible("#login-submit")

    # Back early: he cancels it.
    app.login("relief", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#office-delegation-open")
    app.click("#delegation-cancel-0")
    assert app.wait_inner_text("#delegation-0", "已取消")
    app.wait_text("#status-pending", "待发送 0 条", timeout=30)


def test_an_office_clerk_uploads_a_regulation_and_a_counter_finds_it_offline_by_two_characters(launch, profile_dir, platform, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.file_detector import UselessFileDetector

    title = "湖南省婚姻登记档案管理办法"
    app = launch(profile_dir)
    app.driver.file_detector = UselessFileDetector()
    app.click("#mode-connect")
    app.type("#platform-url", platform.url)
    app.click("#test-and-save")
    app.visible("#login-submit")

    # The office's clerk uploads it; a file that is not what its name says is refused beside it.
    app.login("office_staff", DEMO_PASSWORD)
    app.wait_text("#status-online", "在线", timeout=30)
    app.click("#nav-library")
    app.visible("#library-q")
    assert app.in_view("#library-q") and app.in_view("#library-upload")
    app.click("#library-upload")
    disguised = tmp_path / "办法.pdf"
    disguised.write_text("只是一段文字", encoding="utf-8")
    app.find("#library-file").send_keys(str(disguised))
    app.type("#library-category", "婚姻登记/档案管理")
    app.click("#library-upload-submit")
    assert "PDF" in app.wait_text("#library-form .el-form-item__error", "格式")
    regulation = tmp_path / f"{title}.txt"
    regulation.write_text(
        f"{title}\n第一条 为加强婚姻登记档案管理，制定本办法。\n"
        "第八条 婚姻登记档案应当在办结后三十日内归档，电子档案与纸质档案同步保存。\n",
        encoding="utf-8",
    )
    app.find("#library-file").send_keys(str(regulation))
    app.type("#library-issuer", "湖南省民政厅")
    app.click("#library-upload-submit")
    app.gone(".record-dialog")
    assert title in app.wait_text("#library-notice", "已上传")
    assert app.wait_inner_text("#library-list", title)
    assert app.wait_inner_text("#library-versions", "第 1 版")
    app.shot("95-library-uploaded")
    sent_and_signed_out(app)

    # A registrar's counter takes the library with its first sync.
    app.login("registrar", DEMO_PASSWORD)
    app.wait_text("#status-online", "在线", timeout=30)
    app.wait_text("#status-last-sync", "最近同步", timeout=60)
    app.click("#nav-library")
    assert app.wait_inner_text("#library-list", title)
    assert not app.driver.find_elements(By.CSS_SELECTOR, "#library-upload"), "a registrar only reads"
    # Read once online: the file is kept in the cache from then on.
    app.driver.find_element(By.XPATH, f"//button[contains(@class,'library-row')][contains(., '{title}')]").click()
    app.click("#library-read")
    assert "第八条" in app.wait_text(".file-preview-text", "第八条", timeout=30)
    app.click(".library-drawer .el-drawer__close-btn")
    app.gone(".file-preview-text")

    # The network goes: two characters of the body still find it, marked.
    platform.stop()
    app.type("#library-q", "婚")
    app.click("#library-search")
    assert "两个" in app.wait_text("#library-q-issue", "两个")
    app.type("#library-q", "归档")
    app.click("#library-search")
    scope = app.wait_text("#library-scope", "本机缓存", timeout=60)
    assert "找到 1 份" in scope, scope
    hit = app.visible("#library-list .library-hit")
    assert title in hit.text
    marks = [m.text for m in hit.find_elements(By.CSS_SELECTOR, ".library-passage mark")]
    assert marks == ["归档"], marks
    assert app.in_view("#library-list .library-hit")
    app.shot("96-library-found-offline")
    # Read in the drawer, offline, from the cache.
    app.click("#library-read")
    assert "第八条" in app.wait_text(".file-preview-text", "第八条", timeout=30)
    app.shot("97-library-read")
    app.click(".library-drawer .el-drawer__close-btn")
    app.gone(".file-preview-text")

    # 综合查询 from the top bar, still offline: the counter's couples by a
    # name, the regulation by two characters; a click opens it in its module.
    app.type("#everything-q", "电子档案")
    app.find("#everything-q").send_keys(Keys.ENTER)
    assert "本机找到" in app.wait_text("#search-count", "本机找到")
    group = app.visible("#search-hits .search-group[data-module='library']")
    assert title in group.text
    app.shot("98-search-everything")
    group.find_element(By.CSS_SELECTOR, ".search-hit").click()
    assert title in app.wait_text("#library-item h3", title)
    app.type("#everything-q", "许文博")
    app.find("#everything-q").send_keys(Keys.ENTER)
    marriage = app.visible("#search-hits .search-group[data-module='marriage']")
    assert "许文博" in marriage.text and "婚姻登记预约" in marriage.text, marriage.text
    # Each hit says its day and unit; narrowed to the counter's own unit
    # (named, with its count, among the units found), the booking stays.
    assert "芙蓉区婚姻登记处" in marriage.text, marriage.text
    choose_option(app, ".search-unit", "芙蓉区婚姻登记处")
    assert "许文博" in app.wait_text("#search-hits", "许文博")
    assert app.in_view(".search-filters")
    app.shot("99-search-narrowed")


def svg_text(selector):
    return f"const s = document.querySelector('{selector} svg'); return s ? s.textContent : '';"


def test_a_leader_reads_the_months_figures_on_a_tablet_sized_window_and_exports_them(launch, profile_dir):
    import openpyxl

    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.driver.set_window_size(1280, 800)
    app.login("leader", DEMO_PASSWORD)
    app.visible("#module-office")
    app.click("#nav-figures")
    app.visible("#module-figures")
    # The sections' work with the overdue apart, each month's documents, and
    # the province's registrations and cremations: counts, drawn by ECharts.
    app.wait.until(lambda d: "督办超期" in d.execute_script(svg_text("#figures-sections")))
    app.wait.until(lambda d: "发文" in d.execute_script(svg_text("#figures-documents")))
    app.wait.until(lambda d: "结婚登记" in d.execute_script(svg_text("#figures-marriage")))
    app.wait.until(lambda d: "火化" in d.execute_script(svg_text("#figures-funeral")))
    assert "督办在办" in app.wait_text("#figures-summary", "超期")
    first = app.driver.find_element("css selector", "#module-figures").get_attribute("data-first-chart-ms")
    print(f"\n数据分析: the first chart drawn {first} ms after the page opened (1280x800)")
    # Touch: every button of the page at least 44 px high.
    heights = app.driver.execute_script(
        "return [...document.querySelectorAll('#module-figures button')].map(b => b.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
    # The four charts above the fold.
    below = app.driver.execute_script(
        "return ['#figures-sections', '#figures-documents', '#figures-marriage', '#figures-funeral']"
        ".filter(s => document.querySelector(s).getBoundingClientRect().bottom > window.innerHeight)"
    )
    assert not below, below
    app.shot("90-leader-figures-1280x800")

    # Every chart to one workbook, each a sheet of the counts drawn.
    app.click("#figures-export-all")
    saved = re.search(r"已导出：(.+?\.xlsx)", app.wait_text("#figures-exported", ".xlsx")).group(1)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames[:4] == ["各处室待办", "公文各月", "婚姻登记各月", "殡葬各月"], book.sheetnames
    months = [row[0] for row in book["公文各月"].iter_rows(min_row=2, values_only=True)]
    assert months and all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months), months

    # The week's government affairs beside the leaders' activities: the same
    # grid, either alone.
    app.click("#nav-schedule")
    app.visible("#week-grid")
    assert app.wait_inner_text("#week-grid", "【会议】")
    app.click("#week-shown .shown-affairs")
    app.visible("#week-shown .shown-affairs.is-active")
    grid = app.wait_inner_text("#week-grid", "全省婚姻登记员业务培训会")
    assert "接待民政部殡葬改革调研组" in grid and "厅党组会" not in grid, grid
    app.shot("91-leader-affairs-1280x800")
    app.click("#week-shown .shown-leaders")
    grid = app.wait_inner_text("#week-grid", "厅党组会")
    assert "业务培训会" not in grid, grid

    # And finds a regulation by two characters of its text.
    app.click("#nav-library")
    app.type("#library-q", "范围")
    app.click("#library-search")
    assert "找到" in app.wait_text("#library-scope", "找到", timeout=30)
    assert "婚姻登记窗口服务指南" in app.wait_inner_text("#library-list", "婚姻登记窗口服务指南")
    app.shot("92-leader-library-1280x800")

    # A counter's clerk reads their own office's registrations, no documents.
    app.click("#logout")
    app.visible("#login-submit")
    app.login("registrar", DEMO_PASSWORD)
    app.visible("#nav-figures")
    app.click("#nav-figures")
    app.wait.until(lambda d: "结婚登记" in d.execute_script(svg_text("#figures-marriage")))
    assert not app.driver.find_elements("css selector", "#figures-sections")
    assert not app.driver.find_elements("css selector", "#figures-funeral")


# Every control the page and its top bar show that a finger would touch,
# lower than 44 px.
SMALL_TARGETS = """
const small = [];
const seen = new Set();
const controls = ['button', 'a[href]', '[role=button]', '.el-select__wrapper', '.el-radio-button__inner',
  '.el-checkbox', '.el-input__wrapper', '.el-tabs__item', 'summary'];
for (const e of document.querySelectorAll(controls.flatMap(c => [`main ${c}`, `header.top ${c}`]).join(', '))) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > innerHeight) continue;
  if (e.closest('.el-radio-button') && !e.classList.contains('el-radio-button__inner')) continue;
  if (r.height < 44) {
    const name = e.id || (e.getAttribute('class') || e.tagName).split(' ')[0];
    if (!seen.has(name)) { seen.add(name); small.push(`${name} ${Math.round(r.height)}px`); }
  }
}
return small;
"""


def test_the_oa_schedule_library_and_figures_screens_take_a_finger_at_tablet_size(launch, profile_dir):
    app = launch(profile_dir, "--demo")
    app.visible("#login-submit")
    app.driver.set_window_size(1280, 800)
    app.login("office_staff", DEMO_PASSWORD)
    pages = {
        "office": ("#nav-office", "#module-office"),
        "schedule": ("#nav-schedule", "#week-grid"),
        "library": ("#nav-library", "#library-list"),
        "figures": ("#nav-figures", "#figures-sections svg"),
    }
    small = {}
    for name, (nav, ready) in pages.items():
        app.click(nav)
        app.visible(ready)
        time.sleep(0.5)
        found = app.driver.execute_script(SMALL_TARGETS)
        if found:
            small[name] = found
        app.shot(f"93-tablet-{name}-1280x800")
    assert not small, small
