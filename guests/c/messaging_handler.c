// build: world=edge-messaging kind=reactor
// The receiving side of wasi:messaging through a real component: the host calls the exported
// incoming-handler with each message on the subscribed topics. For each it prints one JSON line
// (topic, data, content type, metadata). A message whose data is "fail" is answered with an error;
// one that is a request (it carries a response topic) gets the reply "pong:<data>".
#include <stdio.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_messaging.h"


static msg_result_unit_t result;
static char reply_buf[512];

MSG_HANDLER msg_result_unit_t *msg_handle(msg_message_t m) {
  setvbuf(stdout, NULL, _IONBF, 0);
  msg_option_string_t topic, ct;
  cabi_bytes_t data;
  msg_option_metadata_t meta;
  msg_message_topic(m, &topic);
  msg_message_content_type(m, &ct);
  msg_message_data(m, &data);
  msg_message_metadata(m, &meta);
  printf("{\"handled\":");
  if (topic.is_some) edge_print_json_string(topic.value.ptr, topic.value.len);
  else printf("null");
  printf(",\"data\":");
  edge_print_json_string((const char *)data.ptr, data.len);
  if (ct.is_some) {
    printf(",\"contentType\":");
    edge_print_json_string(ct.value.ptr, ct.value.len);
  }
  if (meta.is_some) {
    printf(",\"metadata\":[");
    for (size_t i = 0; i < meta.value.len; i++) {
      printf("%s[", i ? "," : "");
      edge_print_json_string(meta.value.ptr[i].key.ptr, meta.value.ptr[i].key.len);
      putchar(',');
      edge_print_json_string(meta.value.ptr[i].value.ptr, meta.value.ptr[i].value.len);
      putchar(']');
    }
    printf("]");
  }
  memset(&result, 0, sizeof result);
  if (data.len == 4 && !memcmp(data.ptr, "fail", 4)) {
    static const char why[] = "this handler refuses \"fail\"";
    result.is_err = 1;
    result.err.tag = MSG_ERR_OTHER;
    result.err.message = (cabi_string_t){(char *)why, sizeof why - 1};
  } else if (data.len >= 4 && !memcmp(data.ptr, "ping", 4) && data.len + 5 < sizeof reply_buf) {
    memcpy(reply_buf, "pong:", 5);
    memcpy(reply_buf + 5, data.ptr, data.len);
    msg_message_t answer = msg_message_new((const uint8_t *)reply_buf, data.len + 5);
    msg_result_unit_t r;
    msg_reply(m, answer, &r);
    printf(",\"replied\":%s", r.is_err ? "false" : "true");
    if (r.is_err) {
      printf(",\"error\":\"%s\",\"message\":", msg_error_name(r.err.tag));
      edge_print_json_string(r.err.message.ptr, r.err.message.len);
      msg_error_free(&r.err);
    }
  }
  printf("}\n");
  if (topic.is_some) cabi_free_list(topic.value.ptr, topic.value.len);
  if (ct.is_some) cabi_free_list(ct.value.ptr, ct.value.len);
  cabi_free_list(data.ptr, data.len);
  if (meta.is_some) {
    for (size_t i = 0; i < meta.value.len; i++) {
      cabi_free_list(meta.value.ptr[i].key.ptr, meta.value.ptr[i].key.len);
      cabi_free_list(meta.value.ptr[i].value.ptr, meta.value.ptr[i].value.len);
    }
    cabi_free_list(meta.value.ptr, meta.value.len);
  }
  msg_message_drop(m);
  return &result;
}

// The error message is static: nothing to free after the host has read the result.
MSG_HANDLER_POST void msg_handle_post(msg_result_unit_t *r) { (void)r; }
