/* exports.h: the background export jobs, as the server's shutdown sees them */
#ifndef API_EXPORTS_H
#define API_EXPORTS_H

/*
 * Asks the running export jobs of this process to stop (they are marked
 * failed, to be started again) and waits up to 30 seconds for them to
 * end. Called before the pool and the blob store they use are freed.
 */
void export_jobs_stop(void);

#endif
