"""Mails to people, requested in the use-case's transaction and sent by a worker after the commit."""
