-- The rank an award's application had in its track's ranking when the
-- level was set or the results were published, so the public results
-- list winners in ranking order without recomputing a ranking whose
-- score sheets may change later.
ALTER TABLE awards ADD COLUMN rank_no INTEGER;
