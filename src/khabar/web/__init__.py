"""The explorer: JSON API and right-to-left web pages over a khabar database."""

from khabar.web.app import create_app, serve

__all__ = ["create_app", "serve"]
