"""The browser harness works: the Chinese admin login page renders and accepts no inline code."""

from __future__ import annotations

import re


def test_admin_login_page_renders_in_chinese(page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    response = page.goto("/admin/login/")

    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert re.search("登录", page.title())
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    assert page.locator("input[type=submit]").get_attribute("value") == "登录"
    # Stylesheets come from static files and are allowed by the Content-Security-Policy.
    assert page.evaluate("document.styleSheets.length") > 0
    assert not [e for e in errors if "Content Security Policy" in e], errors
