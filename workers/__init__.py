"""Dramatiq workers: the broker, the actors, the relay of the outbox and the one scheduler."""
