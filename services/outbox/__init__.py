"""The transactional outbox: events written with the change that caused them, sent after commit."""
