-- What the award notice tells, kept as it was told (FOA § 25-1: the reasons, the chosen bid's
-- characteristics and relative advantages, the standstill's end).
--
-- tender.award_outcome: the winner's name, organisasjonsnummer, price, score per criterion and
-- total, the number of bids, and the reasons. Written once, with the notice; public from then
-- on through public_tender() (select *), as the award notice is public.
-- award_notice.outcome: the addressed bid's own price, scores, rank and qualification, so its
-- letter can set them beside the winner's. A bidder reads only its own notices (0001's policy).

alter table tender add column award_outcome jsonb;
alter table award_notice add column outcome jsonb;
