/*
 * The fixed-response floor: a bare libmicrohttpd server that answers every
 * request with the same small JSON object, the shape of one org as zerenzhi
 * renders it.  It does no routing, no parsing, no database work and no
 * logging, so its throughput and CPU per request are what libmicrohttpd costs
 * on this machine.  bench/run divides zerenzhi's numbers by these to show how
 * much the application adds on top of the HTTP library.
 *
 * It listens on 127.0.0.1 only, uses one epoll thread per core (the thread
 * pool zerenzhi uses too) and stops cleanly on SIGINT or SIGTERM.
 *
 * Usage: floor_fixed PORT
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

static const char floor_body[] =
	"{\"id\":1,\"parent_id\":null,\"name\":\"floor\",\"kind\":\"unit\","
	"\"path\":\"/1/\"}";

/*
 * Parses a TCP port in 1..65535 from s into *port.  Returns 0 on success and
 * -1 if s is not a whole decimal number in that range.
 */
static int floor_parse_port(const char *s, uint16_t *port)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * Answers every request, whatever its method or URL, with the shared
 * response.  The response is persistent and reference-counted by
 * libmicrohttpd, so all pool threads may queue it at once.
 */
static enum MHD_Result floor_answer(void *cls, struct MHD_Connection *conn,
				    const char *url, const char *method,
				    const char *version, const char *upload_data,
				    size_t *upload_data_size, void **req_cls)
{
	struct MHD_Response *resp = cls;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;

	/*
	 * The first call only announces the headers.  Answering there would
	 * make libmicrohttpd close the connection, so mark the request and
	 * answer on the next call, after any body has been read and dropped.
	 */
	if (*req_cls == NULL) {
		*req_cls = resp;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, resp);
}

int main(int argc, char **argv)
{
	struct MHD_Response *resp = NULL;
	struct MHD_Daemon *daemon = NULL;
	struct sockaddr_in addr;
	sigset_t stop;
	uint16_t port;
	long ncpu;
	int sig = 0;
	int rc = 1;

	if (argc != 2 || floor_parse_port(argv[1], &port) != 0) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;

	/*
	 * Block the stop signals before any thread exists, so that every pool
	 * thread inherits the mask and only sigwait() below receives them.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
		fprintf(stderr, "floor_fixed: cannot block signals\n");
		return 1;
	}

	resp = MHD_create_response_from_buffer(sizeof(floor_body) - 1,
					       (void *)floor_body,
					       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "application/json") != MHD_YES) {
		fprintf(stderr, "floor_fixed: cannot build the response\n");
		goto out;
	}

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
					  MHD_USE_ERROR_LOG,
				  port, NULL, NULL, floor_answer, resp,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				  MHD_OPTION_THREAD_POOL_SIZE,
				  (unsigned int)ncpu, MHD_OPTION_END);
	if (daemon == NULL) {
		fprintf(stderr, "floor_fixed: cannot listen on 127.0.0.1:%u\n",
			(unsigned int)port);
		goto out;
	}
	fprintf(stderr, "floor_fixed: listening on 127.0.0.1:%u, %ld threads\n",
		(unsigned int)port, ncpu);

	if (sigwait(&stop, &sig) != 0) {
		fprintf(stderr, "floor_fixed: sigwait failed\n");
		goto out;
	}
	rc = 0;
out:
	if (daemon != NULL)
		MHD_stop_daemon(daemon);
	if (resp != NULL)
		MHD_destroy_response(resp);
	return rc;
}
