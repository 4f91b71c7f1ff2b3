"""Security headers Django 5.2 does not set itself: Content-Security-Policy.

X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy come from Django's
SecurityMiddleware, X-Frame-Options from XFrameOptionsMiddleware (see config/settings.py).
The policy allows same-origin resources only, so templates must load CSS and JavaScript from
static files: inline <script>, <style> and style="" attributes are blocked by browsers.
"""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Add ``settings.CONTENT_SECURITY_POLICY`` unless a view set its own header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
