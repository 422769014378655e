/*
 * frame.c - length-prefixed frames on pipes (see worker.h, "Protocol").
 *
 * The same code serves both ends: the worker's blocking stdin and stdout,
 * and the supervisor's non-blocking pipe ends, where every wait goes
 * through poll() with the attempt's deadline and the pool's stop fd, so a
 * hung or dead worker can never hold a supervisor thread forever.
 */
#include "worker/internal.h"
#include "util/timeutil.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

/* Waits until fd is ready for events, the deadline passes or stop is signalled. */
static int wait_fd(int fd, short events, const struct worker_io *io)
{
	for (;;) {
		struct pollfd pf[2] = { { fd, events, 0 }, { io->stop_fd, POLLIN, 0 } };
		int ms = -1, n;

		if (io->deadline > 0) {
			double left = io->deadline - time_mono();

			if (left <= 0)
				return -PC_ETIMEOUT;
			ms = (int)(left * 1000) + 1;
		}
		n = poll(pf, io->stop_fd >= 0 ? 2 : 1, ms);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0 && io->stop_fd >= 0 && pf[1].revents)
			return -PC_EINTR;
		if (n > 0 && pf[0].revents)
			return 0;
	}
}

/* With a deadline or a stop fd, a blocking fd must not be read or written blindly. */
static bool limited(const struct worker_io *io)
{
	return io->deadline > 0 || io->stop_fd >= 0;
}

static int write_all(int fd, const char *p, size_t len, const struct worker_io *io)
{
	while (len > 0) {
		int r = limited(io) ? wait_fd(fd, POLLOUT, io) : 0;
		ssize_t n;

		if (r < 0)
			return r;
		n = write(fd, p, len);

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return n == 0 ? -EIO : -errno;
		if (!limited(io) && (r = wait_fd(fd, POLLOUT, io)) < 0)
			return r;
	}
	return 0;
}

/* Reads exactly len bytes; *got says how many arrived before an end or error. */
static int read_all(int fd, char *p, size_t len, size_t *got, const struct worker_io *io)
{
	*got = 0;
	while (*got < len) {
		int r = limited(io) ? wait_fd(fd, POLLIN, io) : 0;
		ssize_t n;

		if (r < 0)
			return r;
		n = read(fd, p + *got, len - *got);

		if (n > 0) {
			*got += (size_t)n;
			continue;
		}
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (!limited(io) && (r = wait_fd(fd, POLLIN, io)) < 0)
			return r;
	}
	return 0;
}

int worker_frame_send(int fd, const char *data, size_t len, const struct worker_io *io)
{
	unsigned char hdr[4];
	int r;

	if (len > WORKER_FRAME_MAX)
		return -PC_ETOOBIG;
	hdr[0] = (unsigned char)(len >> 24);
	hdr[1] = (unsigned char)(len >> 16);
	hdr[2] = (unsigned char)(len >> 8);
	hdr[3] = (unsigned char)len;
	r = write_all(fd, (const char *)hdr, sizeof(hdr), io);
	return r < 0 ? r : write_all(fd, data, len, io);
}

int worker_frame_recv(int fd, struct sbuf *out, const struct worker_io *io)
{
	unsigned char hdr[4];
	size_t got, len;
	int r;

	sbuf_reset(out);
	r = read_all(fd, (char *)hdr, sizeof(hdr), &got, io);
	if (r < 0)
		return r == -EPIPE && got == 0 ? -ENODATA : r;
	len = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
	if (len > WORKER_FRAME_MAX || len > out->max)
		return -PC_ETOOBIG;
	r = sbuf_grow(out, len);
	if (r < 0)
		return r;
	r = read_all(fd, out->buf, len, &got, io);
	if (r < 0)
		return r;
	sbuf_setlen(out, len);
	return 0;
}
