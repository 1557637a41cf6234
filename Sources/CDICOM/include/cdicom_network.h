/* CDICOM network: DIMSE service class user over DCMTK's DcmSCU (C-ECHO, C-STORE, C-FIND, C-GET) with
 * Nagle's algorithm off (TCP_NODELAY; DCMTK 3.6.7 leaves it on and each exchange stalls ~40 ms).
 * Internal to Hepatix. Every call catches C++ exceptions and returns non-zero with a message on failure. */
#ifndef HEPATIX_CDICOM_NETWORK_H
#define HEPATIX_CDICOM_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The remote application entity and how to reach it. */
typedef struct cdicom_peer {
    const char *host;
    uint16_t port;
    const char *called_ae, *calling_ae;  /* AE titles, at most 16 characters */
    uint32_t timeout_seconds;            /* connection, association and per-message timeout */
} cdicom_peer;

/** Verifies the association and the peer's answer (C-ECHO). */
int cdicom_echo(const cdicom_peer *peer, char *message, size_t capacity);

/** Sends `paths` with C-STORE over one association (contexts proposed per SOP class with the file's own
 *  transfer syntax plus explicit and implicit little endian). `progress(context, done, total)` runs after
 *  each file; non-zero from it cancels. `*stored` counts files the peer accepted. Non-zero when any file
 *  was refused or could not be sent; the message names the first. */
int cdicom_store(const cdicom_peer *peer, const char *const *paths, size_t count,
                 int (*progress)(void *context, size_t done, size_t total), void *context, size_t *stored,
                 char *message, size_t capacity);

/** One query key of a C-FIND / C-GET identifier: a tag and its matching value ("" = return this key). */
typedef struct cdicom_query_key {
    uint16_t group, element;
    const char *value;
} cdicom_query_key;

/** Study Root C-FIND at `level` ("STUDY", "SERIES" or "IMAGE"). `visit(context, values, count)` gets each
 *  match's values of the keys, in key order ("" when the peer left one out). */
int cdicom_find(const cdicom_peer *peer, const char *level, const cdicom_query_key *keys, size_t key_count,
                void (*visit)(void *context, const char *const *values, size_t count), void *context,
                char *message, size_t capacity);

/** Study Root C-GET at `level`: the peer sends the matching instances back on the same association and
 *  they are written bit-preserving into `directory` (named after their SOP class and instance UID).
 *  `*received` counts them. Non-zero when a sub-operation failed or nothing matched. */
int cdicom_get(const cdicom_peer *peer, const char *level, const cdicom_query_key *keys, size_t key_count,
               const char *directory, size_t *received, char *message, size_t capacity);

#ifdef __cplusplus
}
#endif
#endif
