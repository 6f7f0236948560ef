"""Which municipal roles may do what in a tender: the use-cases, the web guards and the workers
read these, so a guard and its use-case never disagree."""

from __future__ import annotations

# Create, publish, add documents, answer questions, cancel, notify the award, sign the contract.
MANAGERS = ("admin", "case_officer")
# Confirm the two-person opening; declare interests, qualify and score the opened bids.
OPENERS = ("admin", "case_officer", "evaluator", "board_member")
EVALUATORS = OPENERS
# The capacities in which one declares a conflict of interest (habilitet) for a tender.
DECLARED_AS = ("evaluator", "board_member")
# Told by mail when the standstill ends and the contract may be signed.
CONTRACT_SIGNERS = MANAGERS
