/*
 * feed.c - feed FILE CMD [ARGS...]: runs CMD with FILE as its standard input.
 *
 * make bench uses it to time commands that read stdin (guard hook CLIENT <
 * payload) with hyperfine -N, without a shell: both sides of a comparison go
 * through feed, so its own small cost cancels out.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: feed FILE CMD [ARGS...]\n", stderr);
		return 64;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0 || dup2(fd, 0) < 0) {
		perror(argv[1]);
		return 66;
	}
	if (fd != 0)
		close(fd);
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
