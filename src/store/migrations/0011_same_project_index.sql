-- Every save and submit asks whether the lead unit entered the same
-- project in another sub-contest (store_app_same_project_elsewhere). The
-- sub-contest is "not this one", so applications_comp_uscc cannot serve
-- it: without this index each save scanned the whole table (800 ms per
-- save at 20,000 records, 8 ms with it; bench G3).
CREATE INDEX applications_uscc_project ON applications (lead_uscc, project_name);
