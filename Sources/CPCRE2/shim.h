#ifndef LOGRX_CPCRE2_SHIM_H
#define LOGRX_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// PCRE2 names its functions through token-pasting macros that Swift cannot import;
// these prefixed shims give Swift plain functions and constants.



static inline pcre2_code *logrx_pcre2_compile(const unsigned char *pattern, size_t length,
                                              uint32_t options, int *errorcode,
                                              size_t *erroroffset) {
  return pcre2_compile(pattern, length, options, errorcode, erroroffset, NULL);
}
static inline int logrx_pcre2_jit_compile(pcre2_code *code) {
  return pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}
static inline void logrx_pcre2_code_free(pcre2_code *code) { pcre2_code_free(code); }
static inline pcre2_match_data *logrx_pcre2_match_data_create(const pcre2_code *code) {
  return pcre2_match_data_create_from_pattern(code, NULL);
}
static inline void logrx_pcre2_match_data_free(pcre2_match_data *data) {
  pcre2_match_data_free(data);
}
static inline pcre2_match_context *logrx_pcre2_match_context_create(uint32_t match_limit,
                                                                    uint32_t depth_limit) {
  pcre2_match_context *ctx = pcre2_match_context_create(NULL);
  if (ctx) {
    pcre2_set_match_limit(ctx, match_limit);
    pcre2_set_depth_limit(ctx, depth_limit);
  }
  return ctx;
}
static inline void logrx_pcre2_match_context_free(pcre2_match_context *ctx) {
  pcre2_match_context_free(ctx);
}
static inline int logrx_pcre2_match(const pcre2_code *code, const unsigned char *subject,
                                    size_t length, size_t start, uint32_t options,
                                    pcre2_match_data *data, pcre2_match_context *ctx) {
  return pcre2_match(code, subject, length, start, options, data, ctx);
}
static inline const size_t *logrx_pcre2_ovector(pcre2_match_data *data) {
  return pcre2_get_ovector_pointer(data);
}
static inline int logrx_pcre2_error_message(int code, unsigned char *buffer, size_t size) {
  return pcre2_get_error_message(code, buffer, size);
}
static inline int logrx_pcre2_info_uint32(const pcre2_code *code, uint32_t what, uint32_t *out) {
  return pcre2_pattern_info(code, what, out);
}
static inline int logrx_pcre2_name_table(const pcre2_code *code, const unsigned char **table) {
  return pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, (void *)table);
}

#endif
