/*
 * mhd.h: libmicrohttpd, loaded when the server starts (hf__mhd_load,
 * dl.h), not when the hafen command starts: with GnuTLS and its libraries
 * behind it, it cost every other command about 5 ms. The functions the server
 * calls are pointers filled from the library; the macros below let its code
 * call them by their own names. The server's files include this instead of
 * <microhttpd.h>.
 */
#ifndef HAFEN_SERVER_MHD_H
#define HAFEN_SERVER_MHD_H

#include <microhttpd.h>

#include "dl.h"
#include "hafen/error.h"

#define HF_MHD_FUNCS(X, a)                                                     \
	X(a, MHD_add_response_header)                                          \
	X(a, MHD_create_response_from_buffer)                                  \
	X(a, MHD_destroy_response)                                             \
	X(a, MHD_get_connection_info)                                          \
	X(a, MHD_get_connection_values)                                        \
	X(a, MHD_get_daemon_info)                                              \
	X(a, MHD_lookup_connection_value)                                      \
	X(a, MHD_queue_response)                                               \
	X(a, MHD_quiesce_daemon)                                               \
	X(a, MHD_start_daemon)                                                 \
	X(a, MHD_stop_daemon)

struct hf__mhd_api {
	HF_MHD_FUNCS(HF_DL_MEMBER, _)
};
extern struct hf__mhd_api hf__mhd;

/* Loads libmicrohttpd once (thread-safe); HF_EIO naming the library
 * where it is not installed or lacks a function. */
int hf__mhd_load(hf_error *err);

#define MHD_add_response_header (hf__mhd.p_MHD_add_response_header)
#define MHD_create_response_from_buffer                                        \
	(hf__mhd.p_MHD_create_response_from_buffer)
#define MHD_destroy_response	    (hf__mhd.p_MHD_destroy_response)
#define MHD_get_connection_info	    (hf__mhd.p_MHD_get_connection_info)
#define MHD_get_connection_values   (hf__mhd.p_MHD_get_connection_values)
#define MHD_get_daemon_info	    (hf__mhd.p_MHD_get_daemon_info)
#define MHD_lookup_connection_value (hf__mhd.p_MHD_lookup_connection_value)
#define MHD_queue_response	    (hf__mhd.p_MHD_queue_response)
#define MHD_quiesce_daemon	    (hf__mhd.p_MHD_quiesce_daemon)
#define MHD_start_daemon	    (hf__mhd.p_MHD_start_daemon)
#define MHD_stop_daemon		    (hf__mhd.p_MHD_stop_daemon)

#endif
