// wasi:messaging through a real component: runs the steps given as arguments, in order, and prints
// one JSON line per step (the tests in test/messaging/ read them):
//   connect:NAME            connect to a configured client (later steps use it)
//   ct:TYPE                 content type of the messages that follow
//   meta:KEY=VALUE          metadata of the messages that follow (add-metadata: same key replaces)
//   send:TOPIC:DATA         send DATA to TOPIC
//   big:TOPIC:N             send N bytes ('x') to TOPIC
//   burst:TOPIC:N[:FROM]    send N messages "FROM".."FROM+N-1" (FROM 0 unless given), each with metadata seq=i
//   verbose                 from now on burst prints {"sent":i} after each accepted message
//   request:TOPIC:DATA:MS:N request with timeout MS and N expected replies; prints the replies
//   disconnect              disconnect the client
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edge_util.h"
#include "wasi_messaging.h"

static msg_client_t client = -1;
static char *content_type = NULL;
static msg_pair_t meta[16];
static size_t meta_len = 0;
// Set by the step `verbose`: burst prints a line per message.
static int verbose = 0;


// Prints `,"error":"<case>","message":"…"` for an error, then frees it.
static void print_error(msg_error_t *e) {
  printf(",\"error\":\"%s\"", msg_error_name(e->tag));
  if (e->tag != MSG_ERR_TIMEOUT) {
    printf(",\"message\":");
    edge_print_json_string(e->message.ptr, e->message.len);
  }
  msg_error_free(e);
}

static msg_message_t make(const uint8_t *data, size_t len) {
  msg_message_t m = msg_message_new(data, len);
  if (content_type) msg_message_set_content_type(m, content_type, strlen(content_type));
  for (size_t i = 0; i < meta_len; i++) msg_message_add_metadata(m, meta[i].key.ptr, meta[i].key.len, meta[i].value.ptr, meta[i].value.len);
  return m;
}

static int send_one(const char *topic, const uint8_t *data, size_t len, const char *seq) {
  msg_message_t m = make(data, len);
  if (seq) msg_message_add_metadata(m, "seq", 3, seq, strlen(seq));
  msg_result_unit_t r;
  msg_send(client, topic, strlen(topic), m, &r);
  if (r.is_err) {
    printf("{\"send\":");
    edge_print_json_string(topic, strlen(topic));
    print_error(&r.err);
    printf("}\n");
    return 0;
  }
  return 1;
}

// Splits "a:b:c" in place at ':' into at most n fields; the last field keeps any further colons.
static int fields(char *s, char **out, int n) {
  int k = 0;
  out[k++] = s;
  for (char *p = s; *p && k < n; p++) {
    if (*p == ':') {
      *p = 0;
      out[k++] = p + 1;
    }
  }
  return k;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 1; i < argc; i++) {
    // How many fields each step has: the last one keeps any colons (data, request payloads).
    static const struct { const char *name; int fields; } STEPS[] = {
      {"connect", 2}, {"ct", 2}, {"meta", 2}, {"send", 3}, {"big", 3}, {"burst", 4}, {"request", 5}, {"disconnect", 1}, {"verbose", 1}};
    int want = 6;
    for (size_t s = 0; s < sizeof STEPS / sizeof STEPS[0]; s++) {
      size_t len = strlen(STEPS[s].name);
      if (!strncmp(argv[i], STEPS[s].name, len) && (argv[i][len] == ':' || argv[i][len] == 0)) want = STEPS[s].fields;
    }
    char *f[6];
    int n = fields(argv[i], f, want);
    if (!strcmp(f[0], "connect") && n == 2) {
      msg_result_client_t r;
      msg_connect(f[1], &r);
      printf("{\"connect\":");
      edge_print_json_string(f[1], strlen(f[1]));
      if (r.is_err) print_error(&r.val.err);
      else client = r.val.client;
      printf("}\n");
    } else if (!strcmp(f[0], "ct") && n == 2) {
      content_type = f[1];
    } else if (!strcmp(f[0], "meta") && n == 2 && meta_len < 16) {
      char *eq = strchr(f[1], '=');
      if (!eq) return 2;
      meta[meta_len].key = (cabi_string_t){f[1], (size_t)(eq - f[1])};
      meta[meta_len].value = (cabi_string_t){eq + 1, strlen(eq + 1)};
      meta_len++;
    } else if (!strcmp(f[0], "send") && n == 3) {
      if (send_one(f[1], (const uint8_t *)f[2], strlen(f[2]), NULL)) printf("{\"send\":\"%s\",\"ok\":true}\n", f[1]);
    } else if (!strcmp(f[0], "big") && n == 3) {
      size_t len = strtoul(f[2], NULL, 10);
      uint8_t *b = malloc(len ? len : 1);
      memset(b, 'x', len);
      if (send_one(f[1], b, len, NULL)) printf("{\"send\":\"%s\",\"ok\":true,\"bytes\":%zu}\n", f[1], len);
      free(b);
    } else if (!strcmp(f[0], "burst") && (n == 3 || n == 4)) {
      unsigned count = strtoul(f[2], NULL, 10), sent = 0;
      unsigned from = n == 4 ? strtoul(f[3], NULL, 10) : 0;
      char num[16];
      for (unsigned k = from; k < from + count; k++) {
        snprintf(num, sizeof num, "%u", k);
        if (!send_one(f[1], (const uint8_t *)num, strlen(num), num)) break;
        sent++;
        // One line per message the host accepted: a test that kills the host mid-burst knows
        // exactly which sends had returned.
        if (verbose) printf("{\"sent\":%u}\n", k);
      }
      printf("{\"burst\":\"%s\",\"sent\":%u}\n", f[1], sent);
    } else if (!strcmp(f[0], "request") && n == 5) {
      msg_message_t m = make((const uint8_t *)f[2], strlen(f[2]));
      msg_request_options_t o = msg_request_options_new();
      msg_request_options_set_timeout_ms(o, strtoul(f[3], NULL, 10));
      msg_request_options_set_expected_replies(o, strtoul(f[4], NULL, 10));
      msg_result_messages_t r;
      msg_request(client, f[1], strlen(f[1]), m, 1, o, &r);
      msg_message_drop(m);
      printf("{\"request\":");
      edge_print_json_string(f[1], strlen(f[1]));
      if (r.is_err) {
        print_error(&r.val.err);
      } else {
        printf(",\"replies\":[");
        for (size_t k = 0; k < r.val.ok.len; k++) {
          cabi_bytes_t d;
          msg_message_data(r.val.ok.ptr[k], &d);
          printf("%s", k ? "," : "");
          edge_print_json_string((const char *)d.ptr, d.len);
          cabi_free_list(d.ptr, d.len);
          msg_message_drop(r.val.ok.ptr[k]);
        }
        printf("]");
        cabi_free_list(r.val.ok.ptr, r.val.ok.len);
      }
      printf("}\n");
    } else if (!strcmp(f[0], "verbose") && n == 1) {
      verbose = 1;
    } else if (!strcmp(f[0], "disconnect") && n == 1) {
      msg_result_unit_t r;
      msg_client_disconnect(client, &r);
      printf("{\"disconnect\":true");
      if (r.is_err) print_error(&r.err);
      printf("}\n");
    } else {
      fprintf(stderr, "unknown step %s\n", argv[i]);
      return 2;
    }
  }
  if (client >= 0) msg_client_drop(client);
  return 0;
}
