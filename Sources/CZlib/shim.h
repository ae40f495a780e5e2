#ifndef LOGRX_CZLIB_SHIM_H
#define LOGRX_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro; this shim opens a stream that reads gzip (and zlib) headers.
static inline int logrx_inflate_init_gzip(z_stream *stream) {
  return inflateInit2(stream, 15 + 32);
}
#endif
