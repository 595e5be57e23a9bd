/*
 * fuzz_zipcheck: the zip container check that every uploaded Word and
 * PowerPoint file passes before it is stored (src/files/zipcheck.c), on
 * any bytes written to a file, with the server's limits; and the OOXML
 * kind reader over the same file. Both read only the file's structure:
 * every offset and length comes from the input. Properties: a refusal
 * says why; an archive that passes is one the kind reader can read, and
 * the kind is "", "docx" or "pptx".
 */
#include <fcntl.h>
#include <unistd.h>
#include "fuzz.h"
#include "files/zipcheck.h"

static char path[64];

static void cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc, (void)argv;
	snprintf(path, sizeof(path), "/dev/shm/saiwu-fuzz-zip.%ld",
		 (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/tmp/saiwu-fuzz-zip.%ld",
			 (long)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	}
	if (fd < 0)
		abort();
	close(fd);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[300] = "", kind[16] = "x";
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ok, readable;

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
	ok = zipcheck_file(path, 10000, 512ull << 20, msg, sizeof(msg));
	FUZZ_CHECK(ok == 0 || ok == -1);
	if (ok < 0)
		FUZZ_CHECK(*msg);
	readable = zipcheck_ooxml_kind(path, kind);
	FUZZ_CHECK(!strcmp(kind, "") || !strcmp(kind, "docx") ||
		   !strcmp(kind, "pptx"));
	if (readable < 0)
		FUZZ_CHECK(!*kind);
	if (ok == 0)
		FUZZ_CHECK(readable == 0);
	return 0;
}
