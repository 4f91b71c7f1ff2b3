"""Admin login throttling: too many failed attempts from one client → 429.

Two counts per failure: one per (client IP, username), limit ``LOGIN_THROTTLE_ATTEMPTS``, and
one per client IP across all usernames, limit ``LOGIN_THROTTLE_IP_ATTEMPTS`` (so one address
cannot try a password on many usernames).  A failed attempt is a POST to the admin login page
that re-renders the form (HTTP 200); a successful one redirects (302) and clears the
(IP, username) count.  Counts live in the default cache, which in production is shared by
all gunicorn workers (config/settings.py ``CACHES``), and expire
``LOGIN_THROTTLE_WINDOW_SECONDS`` after the first failure.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse

MESSAGE = "登录失败次数过多，请 {minutes} 分钟后再试。"


def client_ip(request) -> str:
    if getattr(settings, "LOGIN_THROTTLE_USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def throttle_key(ip: str, username: str) -> str:
    digest = hashlib.sha256(f"{ip}\n{username.strip().casefold()}".encode()).hexdigest()
    return f"login-throttle:{digest}"


def ip_throttle_key(ip: str) -> str:
    return "login-throttle-ip:" + hashlib.sha256(ip.encode()).hexdigest()


def _count_failure(key: str, window: int) -> None:
    cache.add(key, 0, timeout=window)  # the window starts at the first failure
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _login_path() -> str | None:
        try:
            return reverse("admin:login")
        except NoReverseMatch:
            return None

    def __call__(self, request):
        if request.method != "POST" or request.path_info != self._login_path():
            return self.get_response(request)

        limit = settings.LOGIN_THROTTLE_ATTEMPTS
        window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
        ip = client_ip(request)
        key = throttle_key(ip, request.POST.get("username", ""))
        ip_key = ip_throttle_key(ip)
        if cache.get(key, 0) >= limit or cache.get(ip_key, 0) >= settings.LOGIN_THROTTLE_IP_ATTEMPTS:
            minutes = max(1, round(window / 60))
            return HttpResponse(
                MESSAGE.format(minutes=minutes),
                status=429,
                content_type="text/plain; charset=utf-8",
                headers={"Retry-After": str(window)},
            )

        response = self.get_response(request)
        if response.status_code == 200:  # the form came back: wrong credentials
            _count_failure(key, window)
            _count_failure(ip_key, window)
        elif response.status_code in (301, 302, 303):
            cache.delete(key)
        return response
