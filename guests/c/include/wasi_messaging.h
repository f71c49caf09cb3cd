// wasi:messaging@0.2.0-draft for C guests: canonical-ABI import declarations written by hand (check
// with `node scripts/print-core-abi.mjs edge-messaging`), and the export a guest defines to receive
// messages (world edge-messaging, `// build: world=edge-messaging`). Declarations a guest does not
// call are not imported.
#ifndef WASI_MESSAGING_H
#define WASI_MESSAGING_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "cabi.h"

typedef int32_t msg_client_t;
typedef int32_t msg_message_t;
typedef int32_t msg_request_options_t;

// variant error { timeout, connection(string), permission-denied(string), other(string) }
enum { MSG_ERR_TIMEOUT = 0, MSG_ERR_CONNECTION = 1, MSG_ERR_PERMISSION_DENIED = 2, MSG_ERR_OTHER = 3 };
typedef struct { uint8_t tag; cabi_string_t message; } msg_error_t;
_Static_assert(sizeof(msg_error_t) == 12 && offsetof(msg_error_t, message) == 4, "error");

typedef struct { cabi_string_t key; cabi_string_t value; } msg_pair_t;  // tuple<string, string>
_Static_assert(sizeof(msg_pair_t) == 16, "tuple<string, string>");
typedef struct { msg_pair_t *ptr; size_t len; } msg_metadata_t;     // metadata

typedef struct { uint8_t is_some; cabi_string_t value; } msg_option_string_t;
_Static_assert(sizeof(msg_option_string_t) == 12 && offsetof(msg_option_string_t, value) == 4, "option<string>");
typedef struct { uint8_t is_some; msg_metadata_t value; } msg_option_metadata_t;
_Static_assert(sizeof(msg_option_metadata_t) == 12 && offsetof(msg_option_metadata_t, value) == 4, "option<metadata>");

typedef struct { uint8_t is_err; union { msg_client_t client; msg_error_t err; } val; } msg_result_client_t;
_Static_assert(sizeof(msg_result_client_t) == 16 && offsetof(msg_result_client_t, val) == 4, "result<client, error>");
typedef struct { uint8_t is_err; msg_error_t err; } msg_result_unit_t;
_Static_assert(sizeof(msg_result_unit_t) == 16 && offsetof(msg_result_unit_t, err) == 4, "result<_, error>");
typedef struct { uint8_t is_err; union { struct { msg_message_t *ptr; size_t len; } ok; msg_error_t err; } val; } msg_result_messages_t;
_Static_assert(sizeof(msg_result_messages_t) == 16 && offsetof(msg_result_messages_t, val) == 4, "result<list<message>, error>");

#define MSG_TYPES(name) __attribute__((import_module("wasi:messaging/types@0.2.0-draft"), import_name(name)))
#define MSG_PRODUCER(name) __attribute__((import_module("wasi:messaging/producer@0.2.0-draft"), import_name(name)))
#define MSG_RR(name) __attribute__((import_module("wasi:messaging/request-reply@0.2.0-draft"), import_name(name)))

MSG_TYPES("[static]client.connect") void msg_client_connect(const char *name, size_t len, msg_result_client_t *ret);
MSG_TYPES("[method]client.disconnect") void msg_client_disconnect(msg_client_t self, msg_result_unit_t *ret);
MSG_TYPES("[resource-drop]client") void msg_client_drop(msg_client_t self);

MSG_TYPES("[constructor]message") msg_message_t msg_message_new(const uint8_t *data, size_t len);
MSG_TYPES("[method]message.topic") void msg_message_topic(msg_message_t self, msg_option_string_t *ret);
MSG_TYPES("[method]message.content-type") void msg_message_content_type(msg_message_t self, msg_option_string_t *ret);
MSG_TYPES("[method]message.set-content-type") void msg_message_set_content_type(msg_message_t self, const char *s, size_t len);
MSG_TYPES("[method]message.data") void msg_message_data(msg_message_t self, cabi_bytes_t *ret);
MSG_TYPES("[method]message.set-data") void msg_message_set_data(msg_message_t self, const uint8_t *data, size_t len);
MSG_TYPES("[method]message.metadata") void msg_message_metadata(msg_message_t self, msg_option_metadata_t *ret);
MSG_TYPES("[method]message.add-metadata")
void msg_message_add_metadata(msg_message_t self, const char *key, size_t key_len, const char *value, size_t value_len);
MSG_TYPES("[method]message.set-metadata") void msg_message_set_metadata(msg_message_t self, const msg_pair_t *pairs, size_t n);
MSG_TYPES("[method]message.remove-metadata") void msg_message_remove_metadata(msg_message_t self, const char *key, size_t len);
MSG_TYPES("[resource-drop]message") void msg_message_drop(msg_message_t self);

// The message is moved to the host (own<message>): do not drop it afterwards.
MSG_PRODUCER("send")
void msg_send(msg_client_t c, const char *topic, size_t topic_len, msg_message_t message, msg_result_unit_t *ret);

MSG_RR("[constructor]request-options") msg_request_options_t msg_request_options_new(void);
MSG_RR("[method]request-options.set-timeout-ms") void msg_request_options_set_timeout_ms(msg_request_options_t self, uint32_t ms);
MSG_RR("[method]request-options.set-expected-replies") void msg_request_options_set_expected_replies(msg_request_options_t self, uint32_t n);
MSG_RR("[resource-drop]request-options") void msg_request_options_drop(msg_request_options_t self);
// `message` is borrowed; the options, when given (has_options = 1), are moved to the host.
MSG_RR("request")
void msg_request(msg_client_t c, const char *topic, size_t topic_len, msg_message_t message, int32_t has_options,
                 msg_request_options_t options, msg_result_messages_t *ret);
// `reply_to` is borrowed, `message` moved.
MSG_RR("reply") void msg_reply(msg_message_t reply_to, msg_message_t message, msg_result_unit_t *ret);

static const char *const MSG_ERROR_NAMES[] = {"timeout", "connection", "permission-denied", "other"};
static inline const char *msg_error_name(uint8_t tag) { return tag < 4 ? MSG_ERROR_NAMES[tag] : "?"; }

// Connects to a configured client by its NUL-terminated name.
static inline void msg_connect(const char *name, msg_result_client_t *ret) { msg_client_connect(name, strlen(name), ret); }

// Frees the message text an error carries (timeout has none).
static inline void msg_error_free(msg_error_t *e) {
  if (e->tag != MSG_ERR_TIMEOUT) cabi_free_list(e->message.ptr, e->message.len);
}

// The incoming-handler export: a guest of world edge-messaging defines
//   MSG_HANDLER msg_result_unit_t *msg_handle(msg_message_t message) { ... }
// returning a pointer to a static result (is_err = 0 for success), and MSG_HANDLER_POST.
#define MSG_HANDLER __attribute__((export_name("wasi:messaging/incoming-handler@0.2.0-draft#handle")))
#define MSG_HANDLER_POST __attribute__((export_name("cabi_post_wasi:messaging/incoming-handler@0.2.0-draft#handle")))

#endif
