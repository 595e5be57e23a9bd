/* static.c: files of the web app, never anything outside its directory */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "static.h"
#include "../app.h"
#include "../util/banned.h"

static const char fallback_page[] =
	"<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	"<title>赛务 saiwu</title></head><body>"
	"<h1>赛务 saiwu</h1>"
	"<p>2026 年“数据要素×”大赛报名与评审平台的服务端正在运行。</p>"
	"<p>前端页面尚未构建：在仓库根目录运行 <code>make run</code> 会构建并提供它。</p>"
	"<p>接口：<a href=\"/api/v1/competitions\">/api/v1/competitions</a> · "
	"<a href=\"/healthz\">/healthz</a></p>"
	"</body></html>\n";

/* The same page, marked 演示 on a demo server as every page must be. */
static const char demo_page[] =
	"<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	"<title>【演示】赛务 saiwu</title></head><body>"
	"<p><strong>演示环境</strong>：各分赛报名窗口已按今天开放，仅供体验，"
	"正式赛事日期以赛事信息为准。</p>"
	"<h1>赛务 saiwu</h1>"
	"<p>2026 年“数据要素×”大赛报名与评审平台的服务端正在运行。</p>"
	"<p>前端页面尚未构建：在仓库根目录运行 <code>make run</code> 会构建并提供它。</p>"
	"<p>接口：<a href=\"/api/v1/competitions\">/api/v1/competitions</a> · "
	"<a href=\"/api/v1/platform\">/api/v1/platform</a> · "
	"<a href=\"/healthz\">/healthz</a></p>"
	"</body></html>\n";

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

static bool has_extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	return dot && (!slash || dot > slash);
}

/*
 * The path is already percent-decoded, NUL-free UTF-8. Anything that
 * could step outside the directory, or that two spellings could reach,
 * is refused rather than normalised.
 */
static bool safe_path(const char *p, size_t len)
{
	if (len == 0 || p[0] != '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] == '\\' || (unsigned char)p[i] < 0x20)
			return false;
	for (size_t i = 0; i < len;) {
		size_t j = i + 1;
		while (j < len && p[j] != '/')
			j++;
		/* Segment p[i+1 .. j). */
		{
			size_t n = j - i - 1;
			const char *s = p + i + 1;
			if (n == 0 && j < len)
				return false;
			if ((n == 1 && s[0] == '.') ||
			    (n == 2 && s[0] == '.' && s[1] == '.'))
				return false;
		}
		i = j;
	}
	return true;
}

static bool accepts_gzip(struct req *r)
{
	const char *ae = req_header(r, "Accept-Encoding");
	/* "gzip;q=0" is rare enough to be taken as a yes; browsers never send it. */
	return ae && strstr(ae, "gzip");
}

static bool etag_matches(struct req *r, const char *etag)
{
	const char *inm = req_header(r, "If-None-Match");
	return inm && (strstr(inm, etag) || !strcmp(inm, "*"));
}

static int open_file(const char *dir, const char *rel, struct stat *st)
{
	char full[1024];
	int fd, n;

	n = snprintf(full, sizeof(full), "%s%s", dir, rel);
	if (n < 0 || (size_t)n >= sizeof(full))
		return -1;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int static_serve(struct req *r, const char *web_dir)
{
	const char *rel = r->path;
	char gzrel[600];
	struct stat st;
	int fd = -1, gzfd = -1;
	bool is_index = false;

	if (!safe_path(r->path, r->path_len))
		return req_fail(r, E_BAD_REQUEST, "bad_path", "请求路径不合法");
	if (!strcmp(rel, "/"))
		rel = "/index.html";
	fd = open_file(web_dir, rel, &st);
	if (fd < 0 && !has_extension(rel)) {
		rel = "/index.html";
		fd = open_file(web_dir, rel, &st);
	}
	if (fd < 0) {
		struct stat ist;
		int ifd = open_file(web_dir, "/index.html", &ist);
		if (ifd >= 0) {
			close(ifd);
			return req_fail(r, E_NOT_FOUND, "not_found",
					"请求的文件不存在");
		}
		/* No built front end yet: say what this server is. */
		if (has_extension(r->path) && strcmp(r->path, "/index.html"))
			return req_fail(r, E_NOT_FOUND, "not_found",
					"请求的文件不存在");
		r->resp.cache_control = "no-cache";
		if (r->app->cfg.demo)
			return resp_bytes(r, 200, "text/html; charset=utf-8",
					  demo_page, sizeof(demo_page) - 1);
		return resp_bytes(r, 200, "text/html; charset=utf-8",
				  fallback_page, sizeof(fallback_page) - 1);
	}
	is_index = !strcmp(rel, "/index.html");
	if (accepts_gzip(r) && strlen(rel) + 4 < sizeof(gzrel)) {
		struct stat gst;
		snprintf(gzrel, sizeof(gzrel), "%s.gz", rel);
		gzfd = open_file(web_dir, gzrel, &gst);
		if (gzfd >= 0) {
			close(fd);
			fd = gzfd;
			st = gst;
			resp_header(r, "Content-Encoding", "gzip");
		}
	}
	resp_header(r, "Vary", "Accept-Encoding");
	snprintf(r->resp.etag, sizeof(r->resp.etag), "\"%llx-%llx%s\"",
		 (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtime, gzfd >= 0 ? "-gz" : "");
	if (is_index)
		r->resp.cache_control = "no-cache";
	else if (!strncmp(rel, "/assets/", 8))
		r->resp.cache_control = "public, max-age=31536000, immutable";
	else
		r->resp.cache_control = "public, max-age=300";
	r->resp.content_type = type_of(rel);
	if (etag_matches(r, r->resp.etag)) {
		close(fd);
		r->resp.status = 304;
		r->resp.len = 0;
		return 0;
	}
	r->resp.status = 200;
	r->resp.fd = fd;
	r->resp.len = (size_t)st.st_size;
	return 0;
}
