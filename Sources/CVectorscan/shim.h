#ifndef LOGRX_CVECTORSCAN_SHIM_H
#define LOGRX_CVECTORSCAN_SHIM_H

#include <hs/hs.h>
#include <stdint.h>
#include <stdlib.h>

// Vectorscan (the portable fork of Hyperscan) as the literal prefilter: the needles are
// compiled as case-insensitive literals into one block-mode database; a scan collects every
// occurrence as (end offset, needle id) in a growing array, so that Swift sees no callback
// per match. Vectorscan does not promise end-offset order: the caller sorts when needed.

typedef struct {
  uint64_t *hits;   // (end << 32) | id
  size_t count;
  size_t capacity;
  int failed;       // out of memory while growing
} logrx_hs_hits;

static inline int logrx_hs_on_match(unsigned int id, unsigned long long from, unsigned long long to,
                                    unsigned int flags, void *context) {
  (void)from;
  (void)flags;
  logrx_hs_hits *hits = (logrx_hs_hits *)context;
  if (hits->count == hits->capacity) {
    size_t capacity = hits->capacity ? hits->capacity * 2 : 1024;
    uint64_t *grown = (uint64_t *)realloc(hits->hits, capacity * sizeof(uint64_t));
    if (!grown) {
      hits->failed = 1;
      return 1;  // stop the scan
    }
    hits->hits = grown;
    hits->capacity = capacity;
  }
  hits->hits[hits->count++] = ((uint64_t)to << 32) | (uint64_t)id;
  return 0;
}

/// Compiles `count` literals (ASCII case folded when matched); 0 on success, else the error
/// code, with the message in `message` (freed by the caller with logrx_hs_free_message).
static inline int logrx_hs_compile_literals(const char *const *literals, const size_t *lengths,
                                            const unsigned *ids, unsigned count,
                                            hs_database_t **database, char **message) {
  unsigned *flags = (unsigned *)malloc((count ? count : 1) * sizeof(unsigned));
  if (!flags) return HS_NOMEM;
  for (unsigned i = 0; i < count; i++) flags[i] = HS_FLAG_CASELESS;
  hs_compile_error_t *error = NULL;
  hs_error_t status = hs_compile_lit_multi(literals, flags, ids, lengths, count, HS_MODE_BLOCK,
                                           NULL, database, &error);
  free(flags);
  *message = NULL;
  if (status != HS_SUCCESS) {
    if (error) {
      const char *text = error->message ? error->message : "unknown error";
      size_t length = 0;
      while (text[length]) length++;
      *message = (char *)malloc(length + 1);
      if (*message) {
        for (size_t i = 0; i <= length; i++) (*message)[i] = text[i];
      }
      hs_free_compile_error(error);
    }
    return status;
  }
  return 0;
}

static inline void logrx_hs_free_message(char *message) { free(message); }

/// Scans `length` bytes (at most 4 GiB: offsets are kept in 32 bits) and appends the hits.
static inline int logrx_hs_scan(const hs_database_t *database, hs_scratch_t *scratch,
                                const char *data, unsigned length, logrx_hs_hits *hits) {
  hs_error_t status = hs_scan(database, data, length, 0, scratch, logrx_hs_on_match, hits);
  if (hits->failed) return HS_NOMEM;
  return status == HS_SCAN_TERMINATED ? HS_NOMEM : status;
}

// Regexes in prefilter mode over lines joined by '\n' (multi-line `^`/`$`): a hit means the
// regex may match on the line where it ends. Hits of one regex within one line are reported
// once (`last` holds each regex's last reported end, -1 for none).
typedef struct {
  logrx_hs_hits hits;
  const char *base;
  long long *last;
} logrx_hs_line_hits;

static inline int logrx_hs_on_line_match(unsigned int id, unsigned long long from, unsigned long long to,
                                         unsigned int flags, void *context) {
  logrx_hs_line_hits *lines = (logrx_hs_line_hits *)context;
  long long last = lines->last[id];
  if (last >= 0 && (long long)to >= last) {
    const char *p = lines->base + last;
    const char *end = lines->base + to;
    int newline = 0;
    for (; p < end; p++) {
      if (*p == '\n') {
        newline = 1;
        break;
      }
    }
    if (!newline) return 0;
  }
  lines->last[id] = (long long)to;
  return logrx_hs_on_match(id, from, to, flags, &lines->hits);
}

/// Compiles one regex in prefilter mode (HS_FLAG_PREFILTER | HS_FLAG_MULTILINE, caseless on
/// request) alone, to learn whether Vectorscan takes it: 0 when it does.
static inline int logrx_hs_check_prefilter(const char *pattern, int caseless) {
  hs_database_t *database = NULL;
  hs_compile_error_t *error = NULL;
  unsigned flags = HS_FLAG_PREFILTER | HS_FLAG_MULTILINE | (caseless ? HS_FLAG_CASELESS : 0);
  hs_error_t status = hs_compile(pattern, flags, HS_MODE_BLOCK, NULL, &database, &error);
  if (error) hs_free_compile_error(error);
  if (database) hs_free_database(database);
  return status;
}

/// Compiles regexes (NUL-terminated) in prefilter mode into one database; 0 on success.
static inline int logrx_hs_compile_prefilter(const char *const *patterns, const int *caseless,
                                             const unsigned *ids, unsigned count,
                                             hs_database_t **database) {
  unsigned *flags = (unsigned *)malloc((count ? count : 1) * sizeof(unsigned));
  if (!flags) return HS_NOMEM;
  for (unsigned i = 0; i < count; i++)
    flags[i] = HS_FLAG_PREFILTER | HS_FLAG_MULTILINE | (caseless[i] ? HS_FLAG_CASELESS : 0);
  hs_compile_error_t *error = NULL;
  hs_error_t status = hs_compile_multi(patterns, flags, ids, count, HS_MODE_BLOCK, NULL, database, &error);
  free(flags);
  if (error) hs_free_compile_error(error);
  return status;
}

/// Scans `length` bytes of lines for the regexes and appends their hits (one per regex and line).
static inline int logrx_hs_scan_lines(const hs_database_t *database, hs_scratch_t *scratch,
                                      const char *data, unsigned length, logrx_hs_line_hits *lines) {
  lines->base = data;
  hs_error_t status = hs_scan(database, data, length, 0, scratch, logrx_hs_on_line_match, lines);
  if (lines->hits.failed) return HS_NOMEM;
  return status == HS_SCAN_TERMINATED ? HS_NOMEM : status;
}

static inline void logrx_hs_hits_free(logrx_hs_hits *hits) {
  free(hits->hits);
  hits->hits = NULL;
  hits->count = 0;
  hits->capacity = 0;
}

// Databases kept as bytes (a compiled rule pack holds them, so a large set is not compiled
// again at every start). hs_serialize_database allocates with malloc (no allocator is set).
static inline int logrx_hs_serialize(const hs_database_t *database, char **bytes, size_t *length) {
  return hs_serialize_database(database, bytes, length);
}

static inline void logrx_hs_free_serialized(char *bytes) { free(bytes); }

/// 0 on success; HS_DB_VERSION_ERROR, HS_DB_PLATFORM_ERROR or HS_DB_MODE_ERROR when the bytes
/// come from another Vectorscan, CPU or mode; another error when they are not a database.
static inline int logrx_hs_deserialize(const char *bytes, size_t length, hs_database_t **database) {
  *database = NULL;
  return hs_deserialize_database(bytes, length, database);
}

static inline void logrx_hs_free_database(hs_database_t *database) { hs_free_database(database); }

#endif
