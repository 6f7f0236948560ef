"""Litestar: the app factory, controllers, templates, static files and login."""
