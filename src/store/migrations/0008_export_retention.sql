-- Finished export files are deleted after export_retention_hours; the
-- sweeper looks for done jobs by the time they finished. A job whose file
-- was deleted reads `expired` (status is free text: no constraint to change).
CREATE INDEX export_jobs_finished ON export_jobs (status, finished_at);
