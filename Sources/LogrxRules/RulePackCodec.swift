import LogrxMatching
import LogrxVocabulary

// The byte encoding of a compiled rule pack (`RulePack`): unsigned numbers as LEB128 varints,
// signed ones zigzag-encoded first, strings as a varint byte count and their UTF-8 bytes, lists
// as a varint count and their items, optionals as a 0/1 byte and the value. No field names:
// the reader reads the fields in the order the writer wrote them, and `RulePack.formatVersion`
// changes whenever that order or the `Rule` values it carries change.

/// Appends values to a pack's bytes.
struct PackWriter {
  var bytes: [UInt8] = []

  mutating func uint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  mutating func int(_ value: Int) {
    let wide = Int64(value)
    uint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
  }

  mutating func fixed64(_ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  mutating func string(_ value: String) {
    var copy = value
    copy.withUTF8 { utf8 in
      uint(UInt64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  mutating func strings(_ values: [String]) {
    uint(UInt64(values.count))
    for value in values { string(value) }
  }

  mutating func optional<T>(_ value: T?, _ write: (inout PackWriter, T) -> Void) {
    guard let value else { return bytes.append(0) }
    bytes.append(1)
    write(&self, value)
  }

  mutating func list<T>(_ values: [T], _ write: (inout PackWriter, T) -> Void) {
    uint(UInt64(values.count))
    for value in values { write(&self, value) }
  }

  /// A string-to-string mapping, sorted by key (the same rules give the same bytes).
  mutating func map(_ values: [String: String]) {
    uint(UInt64(values.count))
    for key in values.keys.sorted() {
      string(key)
      string(values[key]!)
    }
  }
}

/// Why the bytes of a pack could not be read as the values its format says.
struct PackDecodingError: Error {
  var offset: Int
  var what: String
}

/// Reads values from a pack's bytes; every read checks the bounds, so a damaged or hostile
/// pack ends in an error, never outside the buffer.
struct PackReader {
  let bytes: UnsafeRawBufferPointer
  var offset: Int

  init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  var remaining: Int { bytes.count - offset }

  func failure(_ what: String) -> PackDecodingError { PackDecodingError(offset: offset, what: what) }

  mutating func byte() throws(PackDecodingError) -> UInt8 {
    guard offset < bytes.count else { throw failure("unexpected end") }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func uint() throws(PackDecodingError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64, shift < 63 || next <= 1 else { throw failure("number too large") }
      result |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { return result }
      shift += 7
    }
  }

  mutating func int() throws(PackDecodingError) -> Int {
    let raw = try uint()
    let wide = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    guard let value = Int(exactly: wide) else { throw failure("number too large") }
    return value
  }

  /// A count of items, each at least one byte long: never more than the bytes left.
  mutating func count() throws(PackDecodingError) -> Int {
    let value = try uint()
    guard value <= UInt64(remaining) else { throw failure("count \(value) beyond the end") }
    return Int(value)
  }

  mutating func fixed64() throws(PackDecodingError) -> UInt64 {
    guard remaining >= 8 else { throw failure("unexpected end") }
    defer { offset += 8 }
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  mutating func bool() throws(PackDecodingError) -> Bool {
    switch try byte() {
    case 0: return false
    case 1: return true
    default: throw failure("not a boolean")
    }
  }

  mutating func string() throws(PackDecodingError) -> String {
    let length = try count()
    defer { offset += length }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
  }

  mutating func strings() throws(PackDecodingError) -> [String] {
    let count = try count()
    var result: [String] = []
    result.reserveCapacity(count)
    for _ in 0..<count { result.append(try string()) }
    return result
  }

  mutating func present() throws(PackDecodingError) -> Bool { try bool() }

  mutating func list<T>(_ read: (inout PackReader) throws(PackDecodingError) -> T) throws(PackDecodingError) -> [T] {
    let count = try count()
    var result: [T] = []
    result.reserveCapacity(count)
    for _ in 0..<count { result.append(try read(&self)) }
    return result
  }

  mutating func map() throws(PackDecodingError) -> [String: String] {
    let count = try count()
    var result: [String: String] = [:]
    result.reserveCapacity(count)
    for _ in 0..<count {
      let key = try string()
      result[key] = try string()
    }
    return result
  }

  mutating func raw<E: RawRepresentable>(_ type: E.Type) throws(PackDecodingError) -> E where E.RawValue == String {
    let text = try string()
    guard let value = E(rawValue: text) else { throw failure("unknown \(E.self) '\(text)'") }
    return value
  }
}

/// A 64-bit checksum in four lanes: the bytes are taken eight at a time, word i going to lane
/// i mod 4, and each lane steps `h = rotl((h ^ word) * K, 31)` with K odd; the lanes, the tail
/// and the length are then folded together the same way. Every step is one-to-one in its word
/// and in the state, so any change within one aligned 8-byte word (a flipped bit, a few bytes
/// zeroed) always changes the sum; other changes leave it equal with odds of about 2^-64. Four
/// lanes keep four multiplications in flight: ~1 ms for a 10 MB pack. It detects damage, it
/// is not a signature: whoever may write a pack may write the rules it holds.
package enum PackChecksum {
  static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

  @inline(__always)
  static func step(_ sum: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = (sum ^ word) &* multiplier
    return (mixed << 31) | (mixed >> 33)
  }

  package static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x6C6F_6772_785F_706B, 0x7275_6C65_2D70_6163, 0x6B2D_6368_6563_6B73, 0x756D_2D6C_616E_6573)
    var offset = 0
    if let base = bytes.baseAddress {
      while offset + 32 <= bytes.count {
        lanes.0 = step(lanes.0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        lanes.1 = step(lanes.1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
        lanes.2 = step(lanes.2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
        lanes.3 = step(lanes.3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)))
        offset += 32
      }
    }
    var sum = step(step(step(step(UInt64(bytes.count), lanes.0), lanes.1), lanes.2), lanes.3)
    while offset < bytes.count {
      var word: UInt64 = 0
      for shift in 0..<min(8, bytes.count - offset) { word |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
      sum = step(sum, word)
      offset += 8
    }
    sum ^= sum >> 33
    sum = sum &* 0xFF51_AFD7_ED55_8CCD
    sum ^= sum >> 33
    return sum
  }

  package static func of(_ text: String) -> UInt64 {
    var copy = text
    return copy.withUTF8 { of(UnsafeRawBufferPointer($0)) }
  }
}

// MARK: Rules

extension PackWriter {
  mutating func rule(_ rule: Rule) {
    string(rule.id)
    string(rule.title)
    string(rule.severity.rawValue)
    string(rule.stage.rawValue)
    strings(rule.tags)
    list(rule.signatures) { $0.signature($1) }
    list(rule.sourceSignatures) { $0.sourceSignature($1) }
    list(rule.unless) { $0.signature($1) }
    string(rule.context.rawValue)
    strings(rule.explains)
    optional(rule.fingerprint) { $0.strings($1) }
    optional(rule.lookup) { writer, lookup in
      writer.string(lookup.table)
      writer.string(lookup.key)
      writer.string(lookup.prefix)
    }
    optional(rule.assumption) { writer, assumption in
      writer.strings(assumption.contexts)
      writer.strings(assumption.corroboratedBy)
      writer.optional(assumption.otherwise) { $0.string($1.rawValue) }
    }
    string(rule.message.source)
    string(rule.explanation.source)
    list(rule.fixes) { $0.fix($1) }
    string(rule.file)
    // The examples last, behind their length: a reader that does not need them skips them.
    var examples = PackWriter()
    examples.list(rule.matchExamples) { $0.example($1) }
    examples.list(rule.nomatchExamples) { $0.example($1) }
    uint(UInt64(examples.bytes.count))
    bytes += examples.bytes
  }

  mutating func regex(_ regex: Regex) {
    string(regex.pattern)
    list(regex.groupNumbers) { writer, group in
      writer.string(group.name)
      writer.uint(UInt64(group.number))
    }
  }

  mutating func signature(_ signature: Signature) {
    regex(signature.regex)
    optional(signature.needles) { $0.strings($1) }
    bool(signature.declaredLiteral)
    optional(signature.within) { $0.regex($1) }
    bool(signature.contributesOnly)
  }

  mutating func sourceSignature(_ source: SourceSignature) {
    strings(source.files.map(\.pattern))
    optional(source.signature) { $0.signature($1) }
    list(source.unless) { $0.condition($1) }
    list(source.requires) { $0.condition($1) }
    optional(source.executable) { $0.bool($1) }
    optional(source.pathAs) { $0.string($1) }
  }

  mutating func condition(_ condition: FileCondition) {
    string(condition.file.source)
    optional(condition.regex) { $0.string($1.source) }
  }

  mutating func fix(_ fix: ConditionalFix) {
    switch fix.action {
    case .env(let file, let set):
      bytes.append(0)
      string(file.source)
      list(set) { writer, assignment in
        writer.string(assignment.key.source)
        writer.string(assignment.value.source)
      }
    case .requirement(let file, let package):
      bytes.append(1)
      string(file.source)
      string(package.source)
    case .create(let path, let mode, let content):
      bytes.append(2)
      string(path.source)
      int(mode)
      string(content.source)
    case .ensureLine(let file, let line):
      bytes.append(3)
      string(file.source)
      string(line.source)
    case .pythonBlock(let file, let name, let block):
      bytes.append(4)
      string(file.source)
      string(name)
      string(block.source)
    case .replace(let file, let regex, let with, let unless):
      bytes.append(5)
      string(file.source)
      string(regex.source)
      string(with.source)
      optional(unless) { $0.string($1) }
    case .chmod(let file, let mode):
      bytes.append(6)
      string(file.source)
      int(mode)
    case .command(let run, let why):
      bytes.append(7)
      string(run.source)
      optional(why) { $0.string($1.source) }
    case .codemod(let tool, let files):
      bytes.append(8)
      string(tool)
      strings(files)
    }
    optional(fix.when) { $0.string($1) }
  }

  mutating func example(_ example: RuleExample) {
    string(example.text)
    map(example.captures)
    location(example.location)
  }

  mutating func location(_ location: SourceLocation) {
    string(location.file)
    int(location.line)
    int(location.column)
  }

  mutating func diagnostic(_ diagnostic: Diagnostic) {
    string(diagnostic.level.rawValue)
    optional(diagnostic.location) { $0.location($1) }
    optional(diagnostic.file) { $0.string($1) }
    string(diagnostic.message)
  }
}

extension PackReader {
  /// A rule; its examples are left empty (and their bytes skipped) unless `examples`. Globs are
  /// shared through `globs` (most source signatures name the same few).
  mutating func rule(examples: Bool, globs: inout [String: Glob]) throws(PackDecodingError) -> Rule {
    let id = try string()
    let title = try string()
    let severity = try raw(Severity.self)
    let stage = try raw(Stage.self)
    let tags = try strings()
    let signatures = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.signature() }
    let sourceSignatures = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.sourceSignature(globs: &globs) }
    let unless = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.signature() }
    let context = try raw(RuleContext.self)
    let explains = try strings()
    let fingerprint = try present() ? try strings() : nil
    var lookup: Lookup?
    if try present() { lookup = Lookup(table: try string(), key: try string(), prefix: try string()) }
    var assumption: Assumption?
    if try present() {
      let contexts = try strings()
      let corroboratedBy = try strings()
      let otherwise = try present() ? try raw(Severity.self) : nil
      assumption = Assumption(contexts: contexts, corroboratedBy: corroboratedBy, otherwise: otherwise)
    }
    let message = Template(try string())
    let explanation = Template(try string())
    let fixes = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.fix() }
    let file = try string()
    let examplesLength = try count()
    let examplesEnd = offset + examplesLength
    var matchExamples: [RuleExample] = []
    var nomatchExamples: [RuleExample] = []
    if examples {
      matchExamples = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.example() }
      nomatchExamples = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.example() }
      guard offset == examplesEnd else { throw failure("examples of \(examplesLength) bytes end at \(offset - examplesEnd)") }
    }
    offset = examplesEnd
    return Rule(
      id: id, title: title, severity: severity, stage: stage, tags: tags, signatures: signatures,
      sourceSignatures: sourceSignatures, unless: unless, context: context, explains: explains, fingerprint: fingerprint,
      lookup: lookup, assumption: assumption, message: message, explanation: explanation, fixes: fixes,
      matchExamples: matchExamples, nomatchExamples: nomatchExamples, file: file)
  }

  /// A pattern checked when the pack was compiled: PCRE2 compiles it on its first candidate
  /// line, as it does the built-in rules' patterns.
  mutating func regex() throws(PackDecodingError) -> Regex {
    let pattern = try string()
    let groups = try list { (reader: inout PackReader) throws(PackDecodingError) -> (name: String, number: Int) in
      let name = try reader.string()
      let number = try reader.uint()
      guard number <= 65_535 else { throw reader.failure("group number \(number)") }
      return (name, Int(number))
    }
    return Regex(checked: pattern, groups: groups)
  }

  mutating func signature() throws(PackDecodingError) -> Signature {
    let regex = try regex()
    let needles = try present() ? try strings() : nil
    let declared = try bool()
    let within = try present() ? try self.regex() : nil
    let contributes = try bool()
    return Signature(regex: regex, needles: needles, declaredLiteral: declared, within: within, contributesOnly: contributes)
  }

  mutating func sourceSignature(globs: inout [String: Glob]) throws(PackDecodingError) -> SourceSignature {
    var files: [Glob] = []
    for pattern in try strings() {
      if let known = globs[pattern] {
        files.append(known)
      } else {
        let glob = Glob(checked: pattern)
        globs[pattern] = glob
        files.append(glob)
      }
    }
    let signature = try present() ? try signature() : nil
    let unless = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.condition() }
    let requires = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.condition() }
    let executable = try present() ? try bool() : nil
    let pathAs = try present() ? try string() : nil
    return SourceSignature(files: files, signature: signature, unless: unless, requires: requires, executable: executable, pathAs: pathAs)
  }

  mutating func condition() throws(PackDecodingError) -> FileCondition {
    let file = Template(try string())
    let regex = try present() ? Template(try string()) : nil
    return FileCondition(file: file, regex: regex)
  }

  mutating func template() throws(PackDecodingError) -> Template { Template(try string()) }

  mutating func fix() throws(PackDecodingError) -> ConditionalFix {
    let kind = try byte()
    let action: FixTemplate
    switch kind {
    case 0:
      let file = try template()
      let set = try list { (reader: inout PackReader) throws(PackDecodingError) in
        Assignment(key: try reader.template(), value: try reader.template())
      }
      action = .env(file: file, set: set)
    case 1: action = .requirement(file: try template(), package: try template())
    case 2: action = .create(path: try template(), mode: try int(), content: try template())
    case 3: action = .ensureLine(file: try template(), line: try template())
    case 4: action = .pythonBlock(file: try template(), unlessDefined: try string(), block: try template())
    case 5:
      let file = try template()
      let regex = try template()
      let with = try template()
      let unless = try present() ? try string() : nil
      action = .replace(file: file, regex: regex, with: with, unless: unless)
    case 6: action = .chmod(file: try template(), mode: try int())
    case 7:
      let run = try template()
      let why = try present() ? try template() : nil
      action = .command(run: run, why: why)
    case 8: action = .codemod(tool: try string(), files: try strings())
    default: throw failure("unknown fix kind \(kind)")
    }
    let when = try present() ? try string() : nil
    return ConditionalFix(action: action, when: when)
  }

  mutating func example() throws(PackDecodingError) -> RuleExample {
    let text = try string()
    let captures = try map()
    return RuleExample(text: text, captures: captures, location: try location())
  }

  mutating func location() throws(PackDecodingError) -> SourceLocation {
    SourceLocation(file: try string(), line: try int(), column: try int())
  }

  mutating func diagnostic() throws(PackDecodingError) -> Diagnostic {
    let level = try raw(Diagnostic.Level.self)
    let location = try present() ? try self.location() : nil
    let file = try present() ? try string() : nil
    return Diagnostic(level, at: location, try string(), file: file)
  }
}

extension PackWriter {
  /// Bytes behind their count.
  mutating func data(_ value: [UInt8]) {
    uint(UInt64(value.count))
    bytes += value
  }

  mutating func storedPrefilter(_ stored: StoredPrefilter.Bytes) {
    fixed64(stored.key)
    string(stored.engineVersion)
    data(stored.literals)
    uint(UInt64(stored.longestNeedle))
    data(stored.regexes)
    list(stored.covered) { $0.uint(UInt64($1)) }
  }
}

extension PackReader {
  mutating func data() throws(PackDecodingError) -> [UInt8] {
    let length = try count()
    defer { offset += length }
    return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
  }

  /// A number below 2^31 (a length or an index).
  mutating func small() throws(PackDecodingError) -> Int {
    let value = try uint()
    guard value < 1 << 31 else { throw failure("number too large") }
    return Int(value)
  }

  mutating func storedPrefilter() throws(PackDecodingError) -> StoredPrefilter.Bytes {
    let key = try fixed64()
    let version = try string()
    let literals = try data()
    let longest = try small()
    let regexes = try data()
    let covered = try list { (reader: inout PackReader) throws(PackDecodingError) in try reader.small() }
    return StoredPrefilter.Bytes(key: key, engineVersion: version, literals: literals, longestNeedle: longest, regexes: regexes, covered: covered)
  }
}
