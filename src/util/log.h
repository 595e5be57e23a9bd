/* log.h: levelled log lines on standard error */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the lowest level written; the default is LOG_INFO. */
void log_set_level(enum log_level level);

/* Parses "debug", "info", "warn" or "error". Returns 0 or -1. */
int log_level_parse(const char *s, enum log_level *out);

/* Writes one line "time level message"; thread-safe (one write(2) a line). */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
