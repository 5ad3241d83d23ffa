// zero_copy_thr <copy|owned> <message-size> <message-count>
//
// The zero-copy row of the side-by-side comparison in C, over libzmq's own
// API, written in the style of libzmq's perf tools (inproc_thr's report):
// a worker thread builds a fresh buffer of message-size bytes per message
// and sends it over inproc to a PULL socket in the main thread, either
// copied (zmq_send) or handed over (zmq_msg_init_data with a free
// function, the buffer freed by libzmq once the receiver is done); at most
// 100 messages in flight. The root build.rs compiles it beside the perf
// tools, against the same libzmq.

#include "zmq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job_t
{
    void *ctx;
    int owned;
    size_t size;
    int count;
};

static void free_buffer (void *data_, void *)
{
    free (data_);
}

static void fail (const char *call_)
{
    printf ("error in %s: %s\n", call_, zmq_strerror (zmq_errno ()));
    exit (1);
}

static void *worker (void *arg_)
{
    job_t *job = static_cast<job_t *> (arg_);
    void *s = zmq_socket (job->ctx, ZMQ_PUSH);
    if (!s)
        fail ("zmq_socket");
    int hwm = 100;
    if (zmq_setsockopt (s, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0)
        fail ("zmq_setsockopt");
    if (zmq_connect (s, "inproc://zero-copy") != 0)
        fail ("zmq_connect");
    for (int i = 0; i != job->count; i++) {
        char *data = static_cast<char *> (malloc (job->size ? job->size : 1));
        if (!data)
            fail ("malloc");
        memset (data, 0x5a, job->size);
        if (job->owned) {
            zmq_msg_t msg;
            if (zmq_msg_init_data (&msg, data, job->size, free_buffer, NULL)
                != 0)
                fail ("zmq_msg_init_data");
            if (zmq_msg_send (&msg, s, 0) < 0)
                fail ("zmq_msg_send");
        } else {
            if (zmq_send (s, data, job->size, 0) < 0)
                fail ("zmq_send");
            free (data);
        }
    }
    zmq_close (s);
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 4
        || (strcmp (argv[1], "copy") != 0 && strcmp (argv[1], "owned") != 0)) {
        printf ("usage: zero_copy_thr <copy|owned> <message-size> "
                "<message-count>\n");
        return 1;
    }
    job_t job;
    job.owned = strcmp (argv[1], "owned") == 0;
    job.size = static_cast<size_t> (atoi (argv[2]));
    job.count = atoi (argv[3]);
    if (job.count < 1) {
        printf ("message-count must be at least 1\n");
        return 1;
    }

    job.ctx = zmq_ctx_new ();
    void *s = zmq_socket (job.ctx, ZMQ_PULL);
    if (!s)
        fail ("zmq_socket");
    int hwm = 100;
    if (zmq_setsockopt (s, ZMQ_RCVHWM, &hwm, sizeof hwm) != 0)
        fail ("zmq_setsockopt");
    if (zmq_bind (s, "inproc://zero-copy") != 0)
        fail ("zmq_bind");

    pthread_t thread;
    if (pthread_create (&thread, NULL, worker, &job) != 0) {
        printf ("error in pthread_create\n");
        return -1;
    }

    zmq_msg_t msg;
    zmq_msg_init (&msg);
    if (zmq_msg_recv (&msg, s, 0) < 0)
        fail ("zmq_msg_recv");
    void *watch = zmq_stopwatch_start ();
    for (int i = 1; i != job.count; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            fail ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != job.size) {
            printf ("message of incorrect size received\n");
            return -1;
        }
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    if (elapsed == 0)
        elapsed = 1;
    zmq_msg_close (&msg);
    pthread_join (thread, NULL);
    zmq_close (s);
    zmq_ctx_term (job.ctx);

    double throughput = static_cast<double> (job.count)
                        / static_cast<double> (elapsed) * 1000000;
    printf ("message size: %d [B]\n", static_cast<int> (job.size));
    printf ("message count: %d\n", job.count);
    printf ("mean throughput: %d [msg/s]\n", static_cast<int> (throughput));
    printf ("mean throughput: %.3f [Mb/s]\n",
            throughput * job.size * 8 / 1000000);
    return 0;
}
