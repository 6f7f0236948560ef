-- When the mails about a tender were requested, so a repeated event or a second run of a
-- periodic job never requests them again (outbox delivery is at least once).
--
-- award_notice.mailed_at: the notice's mails to the bidding organisation's people were
-- requested. tender.standstill_end_mailed_at: the municipality was told that its standstill
-- has ended and the contract may be signed. Each is set by an update that requests the mails
-- in the same transaction, and only where it is still null: of two concurrent runs one sets
-- it, and the other finds it set.
--
-- Both tables keep their row-level security as it is: the municipality's scope writes these
-- columns of its own rows (the grants and policies of 0001), a bidder still only reads its
-- own notices.

alter table award_notice add column mailed_at timestamptz;
alter table tender add column standstill_end_mailed_at timestamptz;
