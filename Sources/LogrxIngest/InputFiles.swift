import Foundation
import LogrxMatching
import LogrxVocabulary

/// Expands the paths given on the command line into the files to read.
///
/// Directories are walked recursively in sorted order; hidden files and directories
/// (starting with `.`) inside them are skipped, symbolic links to directories are not
/// followed (they would loop or repeat). Inside a folder only regular files are read: a FIFO,
/// socket or device there is skipped with a warning (reading it could wait for ever). A path
/// that does not exist or cannot be read, and a folder that cannot be listed, is an error
/// diagnostic naming the path and the reason (no such file, permission denied, not a
/// directory), and the run goes on with the others.
public enum InputFiles {
  public static func expand(_ paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
    var files: [String] = []
    var diagnostics: [Diagnostic] = []
    for path in paths {
      var info = stat()
      guard stat(path, &info) == 0 else {
        diagnostics.append(Diagnostic(.error, at: nil, reason(errno), file: path))
        continue
      }
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        // A FIFO or device named on the command line is read (`scan <(command)`); a scan with
        // a state refuses it (see ScanJob).
        files.append(path)
        continue
      }
      let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
      var found: [String] = []
      walk(base, into: &found, diagnostics: &diagnostics)
      files.append(contentsOf: found.sorted())
    }
    return (files, diagnostics)
  }

  /// What an `errno` from stat/open/opendir means, for people.
  static func reason(_ code: Int32) -> String {
    code == ENOENT ? "no such file or directory" : String(cString: strerror(code)).lowercased()
  }

  /// The kind of a non-regular file, for people.
  public static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFDIR: "a folder"
    default: "not a regular file"
    }
  }

  static func walk(_ folder: String, into found: inout [String], diagnostics: inout [Diagnostic]) {
    guard let directory = opendir(folder) else {
      diagnostics.append(Diagnostic(.error, at: nil, "cannot read this folder: \(reason(errno))", file: folder))
      return
    }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix(".") { continue }
      names.append(name)
    }
    closedir(directory)
    for name in names.sorted() {
      let full = "\(folder)/\(name)"
      var info = stat()
      guard lstat(full, &info) == 0 else {
        diagnostics.append(Diagnostic(.error, at: nil, reason(errno), file: full))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        walk(full, into: &found, diagnostics: &diagnostics)
      case S_IFREG:
        found.append(full)
      case S_IFLNK:
        // A link to a folder is not followed; a link to a file is read; a dangling link is
        // reported when it is opened.
        var target = stat()
        if stat(full, &target) != 0 || (target.st_mode & S_IFMT) == S_IFREG {
          found.append(full)
        } else if (target.st_mode & S_IFMT) != S_IFDIR {
          diagnostics.append(Diagnostic(.warning, at: nil, "skipped: it leads to \(kind(target.st_mode)), not a regular file", file: full))
        }
      default:
        diagnostics.append(Diagnostic(.warning, at: nil, "skipped: \(kind(info.st_mode)), not a regular file", file: full))
      }
    }
  }
}

/// One file of a scan.
public struct ScanFile: Sendable, Equatable {
  /// The path to read.
  public var path: String
  /// How reports name it: the path as given (or found under a given folder), or for a log
  /// fetched from a cluster, `namespace/pod/container.log`.
  public var name: String
  /// The path with symbolic links resolved: the file's key in the scan state.
  public var key: String
  /// What the path says about the file's lines (namespace, pod, container).
  public var origin: Origin

  public init(path: String, name: String? = nil, key: String? = nil, origin: Origin? = nil) {
    self.path = path
    self.name = name ?? path
    self.key = key ?? path
    self.origin = origin ?? LogPaths.origin(forPath: path)
    self.origin.file = self.name
  }
}

extension InputFiles {
  /// The files of a scan: ``expand(_:)`` with each file once, however many links lead to it
  /// (a node's `/var/log/containers/*.log` links point into `/var/log/pods`), and what the
  /// path, or the link's name, says about its lines.
  public static func scanFiles(_ paths: [String]) -> (files: [ScanFile], diagnostics: [Diagnostic]) {
    let (found, diagnostics) = expand(paths)
    let keys = found.map { realPath($0) ?? $0 }
    // A file reached both as itself and through a link is named as itself.
    let direct = Set(zip(found, keys).filter { $0.0 == $0.1 || !isLink($0.0) }.map(\.1))
    var seen: Set<String> = []
    var files: [ScanFile] = []
    for (path, key) in zip(found, keys) {
      if direct.contains(key), isLink(path) { continue }
      guard seen.insert(key).inserted else { continue }
      var origin = LogPaths.origin(forPath: key)
      if origin.pod == nil { origin = LogPaths.origin(forPath: path) }
      origin.file = path
      files.append(ScanFile(path: path, key: key, origin: origin))
    }
    return (files, diagnostics)
  }

  static func isLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
  }

  package static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether the path names a tar archive (`.tar`, `.tar.gz`, `.tgz`).
  public static func isArchive(_ path: String) -> Bool {
    path.hasSuffix(".tar") || path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz")
  }
}

extension InputFiles {
  /// Opens the file at `path` for reading; gzip is recognised by its magic bytes, whatever
  /// the name, and decompressed as it is read. `name` is what errors call the file.
  /// - Throws: ``LogrxError`` when the file cannot be opened.
  public static func open(_ path: String, name: String? = nil) throws(LogrxError) -> any ByteSource {
    let file = try FileDescriptorSource(path: path)
    var magic = [UInt8](repeating: 0, count: 2)
    let sniffed = (try? magic.withUnsafeMutableBytes { raw throws(LogrxError) in try file.read(into: raw) }) ?? 0
    let prefixed = PrefixedSource(prefix: Array(magic.prefix(sniffed)), upstream: file)
    if sniffed == 2, magic == [0x1F, 0x8B] { return GzipSource(prefixed, path: name ?? path) }
    return prefixed
  }
}

/// Replays a few bytes already read (for sniffing), then reads on from the source.
struct PrefixedSource<Upstream: ByteSource>: ByteSource {
  var prefix: [UInt8]
  var upstream: Upstream

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    if !prefix.isEmpty, buffer.count > 0 {
      let count = min(prefix.count, buffer.count)
      prefix.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
      prefix.removeFirst(count)
      return count
    }
    return try upstream.read(into: buffer)
  }
}
