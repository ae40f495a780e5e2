import Foundation
import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A folder of rule files compiled once (`logrx rules compile DIR -o PACK`): the rules and data
/// tables as the loader made them, read back without parsing YAML, deriving literals or
/// compiling a pattern (PCRE2 compiles each pattern on its first candidate line, as it does the
/// built-in rules').
///
/// The file (all numbers little-endian):
///
/// | bytes | what |
/// |---|---|
/// | 8 | `\x89LOGRXPK`, the magic |
/// | 4 | the format version (``formatVersion``) |
/// | 4 | zero (reserved) |
/// | 8 | N, the length of the payload |
/// | N | the payload: the preamble, then the tables, the diagnostics, the rules and the stored prefilters (`RulePackCodec.swift`) |
/// | 8 | ``PackChecksum`` of everything before it |
///
/// The preamble, whose layout every format version keeps: the logrx version and the PCRE2
/// version that wrote the pack, the source folder relative to the pack's folder and as an
/// absolute path, and one stamp per `.yaml`/`.yml` file of the folder (its path in the folder,
/// size, modification time and checksum).
///
/// A pack is refused (``RulePackError``) when it is not a pack, is truncated or damaged (the
/// checksum), was written by another format version, logrx version or PCRE2 version, or is
/// stale: when its source folder is where the pack says (relative to the pack, so a checkout
/// moved whole keeps working), its `.yaml` files must be the same set, and each must have the
/// stamp's size and modification time (as `make` and git decide) or else the same contents
/// (a file touched or checked out again without a change is still fresh). A pack whose folder
/// is not there (copied alone into an image) is used as it is.
///
/// The stored prefilters (format 2) are Vectorscan's databases for the patterns a scan with
/// the pack runs (``StoredPrefilter``), compiled by `rules compile` so that a scan starts on
/// them instead of compiling them (and instead of building logrx's own prefilter). They are
/// covered by the checksum like the rest. Databases from another Vectorscan version or for
/// another CPU are left aside (the scan compiles its own, as without them); bytes that
/// Vectorscan does not take as a database make the pack damaged.
public struct RulePack: Sendable {
  /// Raised whenever the payload's layout or the `Rule` values it holds change.
  public static let formatVersion: UInt32 = 2
  static let magic: [UInt8] = [0x89] + Array("LOGRXPK".utf8)
  static let headerSize = 24

  /// The rules of the folder, in file order.
  public var rules: [Rule]
  /// The folder's data tables (`data/*.yaml`), by name.
  public var tables: [String: [String: [String: String]]]
  /// Warnings about the tables and the rule files, as loading the folder gives them.
  public var tableDiagnostics: [Diagnostic]
  public var ruleDiagnostics: [Diagnostic]
  /// Who wrote the pack.
  public var logrxVersion: String
  public var pcre2Version: String
  /// The source folder relative to the pack's folder, and as an absolute path, when compiled.
  public var sourceRelative: String
  public var sourceAbsolute: String
  /// The `.yaml`/`.yml` files of the source folder when compiled, sorted by path.
  public var stamps: [SourceStamp]
  /// The Vectorscan databases to write (``encoded()``); empty in a pack that was read.
  public var prefilterBytes: [StoredPrefilter.Bytes] = []
  /// The Vectorscan databases read back, those usable on this machine.
  public var prefilters: [StoredPrefilter] = []

  /// One rule file of the source folder as it was compiled.
  public struct SourceStamp: Sendable, Equatable {
    /// The path inside the folder.
    public var path: String
    public var size: UInt64
    public var modified: FileTime
    public var checksum: UInt64
  }

  /// A modification time to the nanosecond.
  public struct FileTime: Sendable, Equatable {
    public var seconds: Int
    public var nanoseconds: Int
  }

  // MARK: Reading

  /// Reads and checks the pack at `path`. Without `examples`, the rules' examples are
  /// skipped (only `rules test` and `rules show` use them): their bytes are a third of a pack.
  public static func read(path: String, examples: Bool = true) throws(RulePackError) -> RulePack {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw RulePackError(.unreadable, path: path, "cannot read the rule pack: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      throw RulePackError(.unreadable, path: path, "not a regular file; give a folder of rule .yaml files or a pack")
    }
    let size = Int(status.st_size)
    guard size > 0 else { return try decode(UnsafeRawBufferPointer(start: nil, count: 0), path: path, examples: examples) }
    // Mapped, not read: the page cache's pages are the buffer, nothing is copied or zeroed.
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), mapped != MAP_FAILED else {
      throw RulePackError(.unreadable, path: path, "cannot read the rule pack: \(String(cString: strerror(errno)))")
    }
    defer { munmap(mapped, size) }
    return try decode(UnsafeRawBufferPointer(start: mapped, count: size), path: path, examples: examples)
  }

  /// Checks and decodes the bytes of the pack at `path` (the path names the pack in messages
  /// and leads to its source folder).
  package static func decode(_ buffer: UnsafeRawBufferPointer, path: String, examples: Bool = true) throws(RulePackError) -> RulePack {
    guard buffer.count >= magic.count, buffer.prefix(magic.count).elementsEqual(magic) else {
      throw RulePackError(
        .notAPack, path: path,
        "not a logrx rule pack (it does not start with one's header); give a folder of rule .yaml files, or a pack written by `logrx rules compile DIR -o PACK`"
      )
    }
    let remedy = { (source: String?) in
      "compile it again: logrx rules compile \(source ?? "DIR") -o \(path)"
    }
    guard buffer.count >= headerSize else {
      throw RulePackError(.truncated, path: path, "the rule pack is truncated (\(buffer.count) bytes, not even its header); \(remedy(nil))")
    }
    let format = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
    let payloadLength = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    let payload = UnsafeRawBufferPointer(rebasing: buffer[headerSize...])
    // Read only to name the folder and the versions in a message; trusted only once the
    // checksum and the format version are right.
    var guessReader = PackReader(payload)
    var guess: Preamble?
    var named: String?
    do throws(PackDecodingError) {
      var names = try Preamble.readNames(&guessReader)
      named = printable(displayPath(Self.source(of: names, packPath: path) ?? names.sourceAbsolute))
      try names.readStamps(&guessReader)
      guess = names
    } catch {
      guess = nil
    }
    guard payloadLength <= UInt64(Int.max - headerSize - 8) else {
      throw RulePackError(.damaged, path: path, "the rule pack is damaged (its header gives an impossible length); \(remedy(named))")
    }
    let expected = headerSize + Int(payloadLength) + 8
    if buffer.count < expected {
      throw RulePackError(.truncated, path: path, "the rule pack is truncated (\(buffer.count) of \(expected) bytes); \(remedy(named))")
    }
    if buffer.count > expected {
      throw RulePackError(.damaged, path: path, "the rule pack is damaged (\(buffer.count - expected) bytes after its end); \(remedy(named))")
    }
    let stored = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: expected - 8, as: UInt64.self))
    guard PackChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[0..<(expected - 8)])) == stored else {
      throw RulePackError(.damaged, path: path, "the rule pack is damaged (its checksum does not match its contents); \(remedy(named))")
    }
    let here = "logrx \(LogrxVersion.current) (pack format \(formatVersion), PCRE2 \(Regex.engineVersion))"
    guard format == formatVersion, let preamble = guess else {
      let writer = guess.map { "logrx \(printable($0.logrxVersion)) (pack format \(format), PCRE2 \(printable($0.pcre2Version)))" } ?? "pack format \(format)"
      throw RulePackError(.otherVersion, path: path, "the rule pack was written by \(writer); this is \(here); \(remedy(named))")
    }
    guard preamble.logrxVersion == LogrxVersion.current, preamble.pcre2Version == Regex.engineVersion else {
      throw RulePackError(
        .otherVersion, path: path,
        "the rule pack was written by logrx \(printable(preamble.logrxVersion)) (pack format \(format), PCRE2 \(printable(preamble.pcre2Version))); this is \(here); \(remedy(named))"
      )
    }
    if let folder = Self.source(of: preamble, packPath: path) {
      let changes = Self.changes(in: folder, since: preamble.stamps)
      if !changes.isEmpty {
        let shown = changes.prefix(3).map { "\(printable(displayPath(folder + "/" + $0.path))) \($0.what)" }.joined(separator: ", ")
        let more = changes.count > 3 ? " (and \(changes.count - 3) more)" : ""
        throw RulePackError(.stale, path: path, "the rule pack is stale: \(shown)\(more) since it was compiled; \(remedy(named))")
      }
    }
    guard guessReader.offset <= Int(payloadLength) else {
      throw RulePackError(.damaged, path: path, "the rule pack cannot be read (its preamble runs past its end) although its checksum matches; \(remedy(named))")
    }
    var reader = PackReader(UnsafeRawBufferPointer(rebasing: payload[0..<Int(payloadLength)]), offset: guessReader.offset)
    var pack: RulePack
    var storedPrefilters: [StoredPrefilter.Bytes]
    do throws(PackDecodingError) {
      let tables = try reader.tables()
      let tableDiagnostics = try reader.list { (reader: inout PackReader) throws(PackDecodingError) in try reader.diagnostic() }
      let ruleDiagnostics = try reader.list { (reader: inout PackReader) throws(PackDecodingError) in try reader.diagnostic() }
      let rules = try reader.rules(examples: examples)
      storedPrefilters = try reader.list { (reader: inout PackReader) throws(PackDecodingError) in try reader.storedPrefilter() }
      guard reader.remaining == 0 else { throw reader.failure("\(reader.remaining) bytes left over") }
      pack = RulePack(
        rules: rules, tables: tables, tableDiagnostics: tableDiagnostics, ruleDiagnostics: ruleDiagnostics,
        logrxVersion: preamble.logrxVersion, pcre2Version: preamble.pcre2Version, sourceRelative: preamble.sourceRelative,
        sourceAbsolute: preamble.sourceAbsolute, stamps: preamble.stamps)
    } catch {
      throw RulePackError(
        .damaged, path: path,
        "the rule pack cannot be read (at byte \(headerSize + error.offset): \(error.what)) although its checksum matches; \(remedy(named))")
    }
    for bytes in storedPrefilters {
      do throws(StoredPrefilter.Damaged) {
        if let loaded = try StoredPrefilter.load(bytes) { pack.prefilters.append(loaded) }
      } catch {
        throw RulePackError(.damaged, path: path, "the rule pack cannot be read (\(error.what)) although its checksum matches; \(remedy(named))")
      }
    }
    return pack
  }

  /// The first part of the payload, kept the same by every format version.
  struct Preamble {
    var logrxVersion: String
    var pcre2Version: String
    var sourceRelative: String
    var sourceAbsolute: String
    var stamps: [SourceStamp]

    /// The versions and the folder, without the stamps.
    static func readNames(_ reader: inout PackReader) throws(PackDecodingError) -> Preamble {
      let logrx = try reader.string()
      let pcre2 = try reader.string()
      let relative = try reader.string()
      let absolute = try reader.string()
      return Preamble(logrxVersion: logrx, pcre2Version: pcre2, sourceRelative: relative, sourceAbsolute: absolute, stamps: [])
    }

    mutating func readStamps(_ reader: inout PackReader) throws(PackDecodingError) {
      stamps = try reader.list { (reader: inout PackReader) throws(PackDecodingError) -> SourceStamp in
        let path = try reader.string()
        let size = try reader.uint()
        let seconds = try reader.int()
        let nanoseconds = try reader.int()
        return SourceStamp(path: path, size: size, modified: FileTime(seconds: seconds, nanoseconds: nanoseconds), checksum: try reader.fixed64())
      }
    }

    func write(_ writer: inout PackWriter) {
      writer.string(logrxVersion)
      writer.string(pcre2Version)
      writer.string(sourceRelative)
      writer.string(sourceAbsolute)
      writer.list(stamps) { writer, stamp in
        writer.string(stamp.path)
        writer.uint(stamp.size)
        writer.int(stamp.modified.seconds)
        writer.int(stamp.modified.nanoseconds)
        writer.fixed64(stamp.checksum)
      }
    }
  }

  /// The source folder of a pack at `packPath`, when it is there (a folder at the recorded
  /// place relative to the pack); nil otherwise.
  static func source(of preamble: Preamble, packPath: String) -> String? {
    guard let pack = realPath(packPath) else { return nil }
    let folder = normalized(parent(of: pack) + "/" + preamble.sourceRelative)
    return isDirectory(folder) ? folder : nil
  }

  /// What changed in `folder` since `stamps`: paths in the folder, each with what happened.
  static func changes(in folder: String, since stamps: [SourceStamp]) -> [(path: String, what: String)] {
    let now = Set(ruleFilePaths(in: folder, sorted: false))
    var changes: [(path: String, what: String)] = []
    var seen = 0
    for stamp in stamps {
      guard now.contains(stamp.path) else {
        changes.append((stamp.path, "was removed"))
        continue
      }
      seen += 1
      let full = folder + "/" + stamp.path
      if let status = fileStatus(full), status.size == stamp.size, status.modified == stamp.modified { continue }
      // Touched or checked out again: the same bytes are still fresh.
      guard let bytes = try? readFile(full), bytes.withUnsafeBytes({ PackChecksum.of($0) }) == stamp.checksum else {
        changes.append((stamp.path, "changed"))
        continue
      }
    }
    if seen < now.count {
      let recorded = Set(stamps.map(\.path))
      for path in now where !recorded.contains(path) { changes.append((path, "is new")) }
    }
    return changes.sorted { $0.path < $1.path }
  }

  /// The `.yaml`/`.yml` files below `folder`, as paths inside it, sorted: the files
  /// ``RuleSource/read(directory:)`` reads (hidden ones included; a link to a folder inside is
  /// not followed, `folder` itself may be one), found with `readdir` alone.
  static func ruleFilePaths(in folder: String, sorted: Bool = true) -> [String] {
    var found: [String] = []
    func walk(_ path: String, _ prefix: String) {
      guard let directory = opendir(path) else { return }
      defer { closedir(directory) }
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let relative = prefix.isEmpty ? name : prefix + "/" + name
        var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
        if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
          var status = stat()
          isFolder = lstat(path + "/" + name, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
        }
        if isFolder {
          walk(path + "/" + name, relative)
        } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
          found.append(relative)
        }
      }
    }
    walk(folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder, "")
    return sorted ? found.sorted() : found
  }

  // MARK: Compiling

  /// What `compile` made: the pack's bytes when the folder loads without an error, and every
  /// problem found (errors, or warnings kept in the pack).
  public struct Compiled: Sendable {
    public var bytes: [UInt8]?
    public var ruleCount: Int
    public var diagnostics: [Diagnostic]
  }

  /// Loads the rule folder `directory` as `--rules` would (checked on top of the built-in rules
  /// unless `builtin` is false) and encodes it as a pack to be written at `packPath`.
  ///
  /// - Parameter prefilter: the Vectorscan databases a scan with the catalog (the pack's rules,
  ///   on the built-in ones when `builtin`) would compile, compiled now, to store in the pack.
  public static func compile(
    directory: String, packPath: String, builtin: Bool, prefilter: ((RuleCatalog) -> [StoredPrefilter.Bytes])? = nil
  ) throws(RulePackError) -> Compiled {
    guard isDirectory(directory) else {
      throw RulePackError(
        .unreadable, path: directory,
        isRegularFile(directory) ? "is a file; `rules compile` reads a folder of rule .yaml files" : "no such rules folder; give a folder of rule .yaml files")
    }
    guard let absolute = realPath(directory), let packFolder = realPath(parent(of: absolutePath(packPath))) else {
      throw RulePackError(.unreadable, path: packPath, "no folder to write the pack in")
    }
    // Stamps are taken before the files are read: a file changed in between then differs
    // from its stamp, and is compared by contents at load.
    let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    var before: [String: (size: UInt64, modified: FileTime)] = [:]
    for path in ruleFilePaths(in: directory) {
      if let status = fileStatus(base + "/" + path) { before[path] = status }
    }
    let (source, readDiagnostics) = RuleSource.read(directory: directory)
    var stamps: [SourceStamp] = []
    for file in source.files + source.tables {
      let path = String(file.path.dropFirst(base.count + 1))
      guard let status = before[path] else {
        throw RulePackError(.unreadable, path: directory, "\(path) appeared while the folder was being compiled; run the command again")
      }
      stamps.append(SourceStamp(path: path, size: status.size, modified: status.modified, checksum: PackChecksum.of(file.text)))
    }
    stamps.sort { $0.path < $1.path }

    let (tables, tableDiagnostics) = RuleCatalog.tables(of: source)
    let tableNames = Set(tables.keys).union(builtin ? Set(BuiltinRules.tables.keys) : [])
    let (rules, ruleDiagnostics) = RuleCatalog.rules(of: source, with: RuleLoader(tableNames: tableNames))
    var pack = RulePack(
      rules: rules, tables: tables, tableDiagnostics: tableDiagnostics, ruleDiagnostics: ruleDiagnostics,
      logrxVersion: LogrxVersion.current, pcre2Version: Regex.engineVersion,
      sourceRelative: relativePath(from: packFolder, to: absolute), sourceAbsolute: absolute, stamps: stamps)
    // The checks across files (explains, lookups, snippets), as a load of the folder makes them.
    let catalog = RuleCatalog.load(builtin: builtin, inputs: [.pack(pack)], initialDiagnostics: readDiagnostics)
    var diagnostics = catalog.diagnostics
    if rules.isEmpty, !catalog.hasErrors {
      diagnostics.append(Diagnostic(.error, at: nil, "no rule files (*.yaml) in the folder; nothing to compile", file: directory))
    }
    guard !diagnostics.contains(where: { $0.level == .error }) else {
      return Compiled(bytes: nil, ruleCount: rules.count, diagnostics: diagnostics)
    }
    pack.prefilterBytes = prefilter?(catalog) ?? []
    return Compiled(bytes: pack.encoded(), ruleCount: rules.count, diagnostics: diagnostics)
  }

  /// The pack as bytes, header and checksum included.
  public func encoded() -> [UInt8] {
    var writer = PackWriter()
    writer.bytes.reserveCapacity(1 << 20)
    writer.bytes += Self.magic
    withUnsafeBytes(of: Self.formatVersion.littleEndian) { writer.bytes.append(contentsOf: $0) }
    withUnsafeBytes(of: UInt32(0)) { writer.bytes.append(contentsOf: $0) }
    writer.fixed64(0)  // the payload length, set below
    Preamble(
      logrxVersion: logrxVersion, pcre2Version: pcre2Version, sourceRelative: sourceRelative, sourceAbsolute: sourceAbsolute,
      stamps: stamps
    ).write(&writer)
    writer.tables(tables)
    writer.list(tableDiagnostics) { $0.diagnostic($1) }
    writer.list(ruleDiagnostics) { $0.diagnostic($1) }
    // Each rule behind its length, so that the reader can share them out between cores.
    writer.list(rules) { writer, rule in
      var one = PackWriter()
      one.rule(rule)
      writer.uint(UInt64(one.bytes.count))
      writer.bytes += one.bytes
    }
    writer.list(prefilterBytes) { $0.storedPrefilter($1) }
    let length = UInt64(writer.bytes.count - Self.headerSize).littleEndian
    withUnsafeBytes(of: length) { for (index, byte) in $0.enumerated() { writer.bytes[16 + index] = byte } }
    writer.fixed64(writer.bytes.withUnsafeBytes { PackChecksum.of($0) })
    return writer.bytes
  }

  // MARK: Writing

  /// Whether the file at `path` starts like a pack (the magic), without checking the rest.
  public static func looksLikePack(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var head = [UInt8](repeating: 0, count: magic.count)
    let count = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
    return count == magic.count && head == magic
  }

  /// Writes `bytes` to `path` through a temporary file in the same folder, renamed over it
  /// when complete and synced: a reader sees the old pack or the new one, never a part. Only
  /// a missing file or a pack is replaced; a folder, a link or any other file is refused.
  public static func write(_ bytes: [UInt8], to path: String) throws(RulePackError) {
    var status = stat()
    if lstat(path, &status) == 0 {
      let kind = status.st_mode & S_IFMT
      if kind == S_IFDIR {
        throw RulePackError(.refusedOutput, path: path, "is a folder; give the pack's file name, such as \(normalized(path + "/rules.pack"))")
      }
      if kind == S_IFLNK {
        throw RulePackError(.refusedOutput, path: path, "is a symbolic link; give the path of the pack itself")
      }
      guard kind == S_IFREG, looksLikePack(path) else {
        throw RulePackError(.refusedOutput, path: path, "exists and is not a logrx rule pack; not overwriting it (remove it, or give another -o)")
      }
    } else if errno != ENOENT {
      throw RulePackError(.refusedOutput, path: path, "cannot write here: \(String(cString: strerror(errno)))")
    }
    let folder = parent(of: path)
    var template = Array((folder + "/." + baseName(path) + ".XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw RulePackError(.refusedOutput, path: path, "cannot create a file in \(folder): \(String(cString: strerror(errno)))")
    }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var failure = writeAll(fd, bytes)
    let written = failure == nil
    if written, fchmod(fd, 0o644) != 0 || fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary)
      throw RulePackError(.refusedOutput, path: path, "cannot write the pack: \(failure); nothing changed")
    }
    let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderFD >= 0 {
      _ = fsync(folderFD)
      close(folderFD)
    }
  }

  // MARK: Files and paths

  struct FileError: Error { var message: String }

  static func readFile(_ path: String) throws(FileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(message: String(cString: strerror(errno))) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw FileError(message: String(cString: strerror(errno))) }
    guard status.st_mode & S_IFMT == S_IFREG else { throw FileError(message: "not a regular file") }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var offset = 0
    while true {
      if offset == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 1 << 16)) }
      let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileError(message: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      offset += count
    }
    bytes.removeLast(bytes.count - offset)
    return bytes
  }

  static func fileStatus(_ path: String) -> (size: UInt64, modified: FileTime)? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return (UInt64(status.st_size), FileTime(seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec)))
  }

  static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
  }

  static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = Glibc.realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }

  static func parent(of path: String) -> String {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  static func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// `path` with `.` and `name/..` taken out, without asking the file system.
  static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", path.hasPrefix("/"), parts.isEmpty { continue }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
  }

  /// The path that leads from the folder `from` to `to`, both absolute.
  static func relativePath(from: String, to: String) -> String {
    let a = normalized(from).split(separator: "/")
    let b = normalized(to).split(separator: "/")
    var common = 0
    while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
    let parts = Array(repeating: "..", count: a.count - common) + b[common...].map(String.init)
    return parts.isEmpty ? "." : parts.joined(separator: "/")
  }

  /// `text` from a pack or a folder, safe to print: control characters (a terminal's escape
  /// sequences) as `?`, at most 300 characters.
  static func printable(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars.prefix(300) {
      out.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar)
    }
    return String(out) + (text.unicodeScalars.count > 300 ? "…" : "")
  }

  /// An absolute path as a user would type it here: relative to the current folder when
  /// below it.
  static func displayPath(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
    return path == cwd ? "." : path
  }
}

/// Why a rule pack cannot be used or written. The command line says it and exits 2.
public struct RulePackError: Error, Sendable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    case unreadable, notAPack, truncated, damaged, otherVersion, stale, refusedOutput
  }

  public var reason: Reason
  /// The pack (or folder, or output path) concerned.
  public var path: String
  /// What is wrong and what to run, without the path.
  public var problem: String

  init(_ reason: Reason, path: String, _ problem: String) {
    self.reason = reason
    self.path = path
    self.problem = problem
  }

  public var description: String { "\(path): \(problem)" }
}

/// Where one `--rules` value leads: a folder of rule files, or a compiled pack.
public enum RuleInput: Sendable {
  case source(RuleSource)
  case pack(RulePack)

  /// Opens `path`: a folder is read as rule files (their problems returned), anything else
  /// as a pack (a pack that cannot be used is an error; its rules' examples are read only
  /// with `examples`).
  public static func open(_ path: String, examples: Bool = true) throws(RulePackError) -> (RuleInput, [Diagnostic]) {
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFDIR {
      return (.pack(try RulePack.read(path: path, examples: examples)), [])
    }
    let (source, problems) = RuleSource.read(directory: path)
    return (.source(source), problems)
  }
}

extension PackWriter {
  mutating func tables(_ tables: [String: [String: [String: String]]]) {
    uint(UInt64(tables.count))
    for name in tables.keys.sorted() {
      string(name)
      let table = tables[name]!
      uint(UInt64(table.count))
      for key in table.keys.sorted() {
        string(key)
        map(table[key]!)
      }
    }
  }
}

extension PackReader {
  /// The rules, each behind its length: decoded in parts on every core (strings, templates
  /// and arrays to allocate are most of a pack's load), in order.
  mutating func rules(examples: Bool) throws(PackDecodingError) -> [Rule] {
    let count = try count()
    var found: [Range<Int>] = []
    found.reserveCapacity(count)
    for _ in 0..<count {
      let length = try self.count()
      found.append(offset..<(offset + length))
      offset += length
    }
    let parts = count < 64 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8, count / 32)
    let results = UnsafeMutableBufferPointer<Result<Rule, PackDecodingError>>.allocate(capacity: count)
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    nonisolated(unsafe) let buffer = self.bytes
    let ranges = found
    let decodePart: @Sendable (Int) -> Void = { part in
      var globs: [String: Glob] = [:]
      for index in (part * count / parts)..<((part + 1) * count / parts) {
        var reader = PackReader(UnsafeRawBufferPointer(rebasing: buffer[ranges[index]]))
        let result = Result { () throws(PackDecodingError) -> Rule in
          let rule = try reader.rule(examples: examples, globs: &globs)
          guard reader.remaining == 0 else { throw reader.failure("\(reader.remaining) bytes left over in a rule") }
          return rule
        }.mapError { PackDecodingError(offset: $0.offset + ranges[index].lowerBound, what: $0.what) }
        (slots.baseAddress! + index).initialize(to: result)
      }
    }
    if parts == 1 {
      decodePart(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: parts, execute: decodePart)
    }
    defer { _ = results.deinitialize() }
    var rules: [Rule] = []
    rules.reserveCapacity(count)
    for result in results { rules.append(try result.get()) }
    return rules
  }

  mutating func tables() throws(PackDecodingError) -> [String: [String: [String: String]]] {
    let count = try count()
    var tables: [String: [String: [String: String]]] = [:]
    for _ in 0..<count {
      let name = try string()
      let entries = try self.count()
      var table: [String: [String: String]] = [:]
      table.reserveCapacity(entries)
      for _ in 0..<entries {
        let key = try string()
        table[key] = try map()
      }
      tables[name] = table
    }
    return tables
  }
}
