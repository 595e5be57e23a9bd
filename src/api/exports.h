/* exports.h: the background export jobs, as the server's start and stop see them */
#ifndef API_EXPORTS_H
#define API_EXPORTS_H

struct app;

/*
 * Starts the sweeper that deletes finished export files older than
 * export_retention_hours (at once, then every ten minutes). app must
 * outlive export_jobs_stop(). Returns 0, or -1 when no thread could be
 * started.
 */
int export_jobs_start(struct app *app);

/*
 * Stops the sweeper, asks the running export jobs of this process to
 * stop (they are marked failed, to be started again) and waits up to 30
 * seconds for them to end. Called before the pool and the blob store
 * they use are freed.
 */
void export_jobs_stop(void);

#endif
