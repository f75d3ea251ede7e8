"""Shared pytest settings for pressx's tests."""


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs headless Chromium and chromedriver (skipped when missing)")
