/*
 * standalone.c - main() for a fuzz target outside libFuzzer: runs the
 * target once on every file named on the command line (each folder's
 * files too), so saved inputs replay under any compiler.
 */
#include "fuzz.h"
#include "util/fs.h"
#include "util/sbuf.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define INPUT_MAX (8 << 20)

static int run_file(const char *path)
{
	struct sbuf data = SBUF_INIT(INPUT_MAX);
	struct sbuf err = SBUF_INIT(1024);
	int r = fs_read_file(path, &data, &err);

	if (r < 0)
		fprintf(stderr, "%s\n", err.buf);
	else
		LLVMFuzzerTestOneInput((const uint8_t *)data.buf, data.len);
	sbuf_release(&data);
	sbuf_release(&err);
	return r < 0 ? 1 : 0;
}

static int run_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[4096];
	int bad = 0, n = 0;

	if (!d) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		bad |= run_file(sub);
		n++;
	}
	closedir(d);
	printf("%s: %d inputs\n", path, n);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			bad |= run_dir(argv[i]);
		else
			bad |= run_file(argv[i]);
	}
	return bad;
}
