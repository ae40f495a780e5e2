#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CZlib
import LogrxMatching
import LogrxVocabulary

/// Something that yields bytes in chunks: a file, a pipe, a decompressor.
public protocol ByteSource {
  /// Reads up to `buffer.count` bytes. Returns 0 at the end of the input.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int
}

func systemError() -> String { String(cString: strerror(errno)) }

/// Reads a file descriptor with `read(2)`; owns and closes it unless it is standard input.
public final class FileDescriptorSource: ByteSource {
  public let fd: Int32
  public let path: String
  private let owned: Bool

  /// Opens `path` read-only.
  public init(path: String) throws(LogrxError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: systemError()) }
    self.fd = fd
    self.path = path
    self.owned = true
  }

  /// Wraps an open descriptor, such as 0 for standard input, without taking ownership.
  public init(fd: Int32, name: String) {
    self.fd = fd
    self.path = name
    self.owned = false
  }

  deinit { if owned { close(fd) } }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    while true {
      let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if count >= 0 { return count }
      if errno == EINTR { continue }
      if errno == EISDIR { throw .readFailed(path: path, reason: "is a directory") }
      throw .readFailed(path: path, reason: systemError())
    }
  }

  /// Waits up to `milliseconds` (-1: without limit) for input. Returns false on time-out and
  /// when a signal interrupted the wait, so that the caller can look at why.
  public func waitForInput(milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let ready = poll(&entry, 1, milliseconds)
    // Another poll error: let the read that follows report it (and end the input).
    return ready > 0 || (ready < 0 && errno != EINTR)
  }
}

/// Decompresses a gzip stream (several concatenated members too) from another source.
public struct GzipSource<Upstream: ByteSource>: ByteSource {
  private var upstream: Upstream
  private let path: String
  private var inputStart = 0
  private var inputEnd = 0
  private var upstreamEnded = false
  private var memberEnded = false
  private var produced = 0
  private var started = false
  private let box: StreamBox

  /// Holds the zlib stream so that it is released when the source goes away.
  private final class StreamBox {
    var stream: UnsafeMutablePointer<z_stream>?
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    deinit {
      input.deallocate()
      if let stream {
        inflateEnd(stream)
        stream.deallocate()
      }
    }
  }

  public init(_ upstream: Upstream, path: String) {
    self.upstream = upstream
    self.path = path
    self.box = StreamBox()
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    if box.stream == nil {
      let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
      stream.initialize(to: z_stream())
      guard logrx_inflate_init_gzip(stream) == Z_OK else {
        stream.deallocate()
        throw .corruptGzip(path: path, reason: "zlib could not start")
      }
      box.stream = stream
    }
    let stream = box.stream!
    while true {
      if inputStart == inputEnd, !upstreamEnded {
        let count = try upstream.read(into: box.input)
        inputStart = 0
        inputEnd = count
        if count == 0 { upstreamEnded = true }
      }
      if inputStart == inputEnd, upstreamEnded {
        if memberEnded || !started { return 0 }
        throw .truncatedGzip(path: path, afterBytes: produced)
      }
      if memberEnded {
        // Another member follows (concatenated gzip files).
        inflateReset(stream)
        memberEnded = false
      }
      started = true
      let available = inputEnd - inputStart
      stream.pointee.next_in = box.input.baseAddress!.assumingMemoryBound(to: UInt8.self) + inputStart
      stream.pointee.avail_in = UInt32(available)
      stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
      stream.pointee.avail_out = UInt32(buffer.count)
      let status = inflate(stream, Z_NO_FLUSH)
      let consumed = available - Int(stream.pointee.avail_in)
      let written = buffer.count - Int(stream.pointee.avail_out)
      inputStart += consumed
      produced += written
      switch status {
      case Z_STREAM_END:
        memberEnded = true
      case Z_OK, Z_BUF_ERROR:
        break
      default:
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate error \(status)"
        throw .corruptGzip(path: path, reason: message)
      }
      if written > 0 { return written }
      if status == Z_BUF_ERROR, consumed == 0, inputStart == inputEnd, upstreamEnded {
        throw .truncatedGzip(path: path, afterBytes: produced)
      }
    }
  }
}

/// A byte range `[offset, end)` of an open file, read with `pread(2)`: several readers (one a
/// thread) can read parts of one descriptor at once.
public struct PreadSource: ByteSource {
  public let fd: Int32
  public private(set) var offset: Int64
  public let end: Int64
  public let path: String

  public init(fd: Int32, offset: Int64, end: Int64, path: String) {
    self.fd = fd
    self.offset = offset
    self.end = end
    self.path = path
  }

  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    let want = Int(min(Int64(buffer.count), end - offset))
    guard want > 0 else { return 0 }
    while true {
      let got = pread(fd, buffer.baseAddress, want, off_t(offset))
      if got < 0, errno == EINTR { continue }
      guard got >= 0 else { throw .readFailed(path: path, reason: systemError()) }
      offset += Int64(got)
      return got
    }
  }
}
