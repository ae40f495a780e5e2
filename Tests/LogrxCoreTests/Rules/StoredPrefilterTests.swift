import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// Vectorscan's databases stored in a compiled pack (`StoredPrefilter`, pack format 2): a
/// scan with the pack starts on them and finds what the folder finds; bytes that are not a
/// database make the pack damaged (never a crash); bytes from another Vectorscan are set
/// aside and the scan compiles its own.
@Suite struct StoredPrefilterTests {
  /// The pack of `folder` with the databases `rules compile` stores, as bytes.
  func compile(_ folder: String, builtin: Bool) throws -> [UInt8] {
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let compiled = try RulePack.compile(directory: folder, packPath: scratch.appendingPathComponent("rules.pack").path, builtin: builtin) {
      Analysis.prefiltersToStore(for: $0)
    }
    return try #require(compiled.bytes)
  }

  func decode(_ bytes: [UInt8]) throws(RulePackError) -> RulePack {
    let result = bytes.withUnsafeBytes { buffer in Result { () throws(RulePackError) in try RulePack.decode(buffer, path: "memory.pack") } }
    return try result.get()
  }

  /// Every finding of an analysis, as text, with the lines and captures that make it.
  /// Each file analysed on its own, as `explain FILE` would.
  func findings(_ catalog: RuleCatalog, files: [String]) -> (started: Bool, findings: [String]) {
    var started = true
    var found: [String] = []
    for file in files {
      let analysis = Analysis(catalog: catalog)
      analysis.analyze(path: file)
      started = started && analysis.startedOnStoredPrefilter
      found += analysis.findings().map {
        "\($0.rule.id) \($0.rule.severity) \($0.source) \($0.firstLine)-\($0.lastLine) x\($0.count) \($0.captures.sorted { $0.key < $1.key }) \($0.fingerprint) \($0.evidence.map(\.text))"
      }
      found += analysis.diagnostics.map(\.description)
    }
    return (started, found)
  }

  static func corpusLogs() throws -> [String] {
    let root = Fixtures.path("Corpus/logs")
    let names = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".log") || $0.hasSuffix(".txt") }
    return names.sorted().map { root + "/" + $0 }
  }

  /// The pack of `Rules/` compiled on the built-in rules (as `rules compile` does by default)
  /// and loaded the same way starts on its stored databases, and finds on every corpus log
  /// exactly what the folder finds (which starts on logrx's own prefilter: a log under 1 MiB
  /// never reaches Vectorscan).
  @Test func aScanWithThePackStartsOnItsDatabasesAndFindsTheSame() throws {
    guard StoredPrefilter.runsHere else { return }
    let folder = Fixtures.path("Rules")
    let pack = try decode(try compile(folder, builtin: true))
    #expect(pack.prefilters.count == 1)
    let files = try Self.corpusLogs()
    #expect(files.count > 100)
    let fromPack = findings(RuleCatalog.load(builtin: true, inputs: [.pack(pack)]), files: files)
    let fromFolder = findings(RuleCatalog.load(builtin: true, directories: [folder]), files: files)
    #expect(fromPack.started)
    #expect(!fromFolder.started)
    #expect(fromPack.findings.count > 150)
    #expect(fromPack.findings == fromFolder.findings)
  }

  /// Loaded without the built-in rules it was compiled on, the pack's patterns differ from the
  /// stored databases' (their key does not match): the scan compiles its own, and finds the same.
  @Test func aPackLoadedOnOtherRulesDoesNotUseDatabasesOfOtherPatterns() throws {
    guard StoredPrefilter.runsHere else { return }
    let folder = Fixtures.path("Rules/k8s")
    let pack = try decode(try compile(folder, builtin: true))
    #expect(pack.prefilters.count == 1)
    let files = try Self.corpusLogs()
    let fromPack = findings(RuleCatalog.load(builtin: false, inputs: [.pack(pack)]), files: files)
    let fromFolder = findings(RuleCatalog.load(builtin: false, directories: [folder]), files: files)
    #expect(!fromPack.started)
    #expect(fromPack.findings == fromFolder.findings)
  }

  /// The stored databases' place in a pack: the pack without them is the same bytes up to the
  /// (empty) list of them.
  func sectionStart(_ folder: String) throws -> (full: [UInt8], start: Int) {
    let full = try compile(folder, builtin: false)
    var pack = try decode(full)
    pack.prefilters = []
    let plain = pack.encoded()
    // Everything before the list of stored prefilters (its count: 1 byte) is the same.
    let start = plain.count - 9
    #expect(Array(full[24..<start]) == Array(plain[24..<start]))
    return (full, start)
  }

  static func resum(_ bytes: inout [UInt8]) {
    let sum = bytes.withUnsafeBytes { PackChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
    withUnsafeBytes(of: sum.littleEndian) { for (index, byte) in $0.enumerated() { bytes[bytes.count - 8 + index] = byte } }
  }

  /// Every byte of the stored databases changed (with the pack's checksum made right again, as
  /// a bug or a hand-made file would): the pack is refused as damaged with the command to run,
  /// or read and used without a crash (a changed byte of Vectorscan's version or CPU fields
  /// only sets the databases aside). A changed byte in the bytecode is caught by the pack's
  /// own checksum first; behind a good one, by Vectorscan's CRC-32.
  @Test func damagedDatabaseBytesAreRefusedNeverACrash() throws {
    guard StoredPrefilter.runsHere else { return }
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let folder = scratch.appendingPathComponent("rules")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Fixtures.ruleYAML(id: "boom-disk", regex: "boom (?<what>\\w+) at (?<where>\\d+)").write(
      to: folder.appendingPathComponent("boom-disk.yaml"), atomically: true, encoding: .utf8)
    try Fixtures.ruleYAML(id: "no-literal", regex: "^\\d{3}x\\d{3}$").write(
      to: folder.appendingPathComponent("no-literal.yaml"), atomically: true, encoding: .utf8)
    let (good, start) = try sectionStart(folder.path)
    #expect(try decode(good).prefilters.count == 1)
    let text = Array("ok\nboom disk at 42\n123x456\n".utf8)
    var refused = 0
    var setAside = 0
    var used = 0
    for position in start..<(good.count - 8) {
      for value: UInt8 in [0x00, 0xFF, good[position] ^ 0x04] where value != good[position] {
        var bytes = good
        bytes[position] = value
        // The pack's own checksum refuses it first.
        #expect(throws: RulePackError.self) { try decode(bytes) }
        Self.resum(&bytes)
        do {
          let pack = try decode(bytes)
          if pack.prefilters.isEmpty { setAside += 1 } else { used += 1 }
          let analysis = Analysis(catalog: RuleCatalog.load(builtin: false, inputs: [.pack(pack)]))
          var source = MemorySource(text)
          analysis.analyze(&source, name: "x.log")
          #expect(Set(analysis.findings().map(\.rule.id)) == ["boom-disk", "no-literal"], "byte \(position) = \(value)")
        } catch {
          refused += 1
          #expect(error.reason == .damaged, "\(error)")
          #expect(error.problem.contains("compile it again: logrx rules compile"))
        }
      }
    }
    #expect(refused > 100)
    #expect(setAside > 0)
    #expect(used > 0)
  }

  /// Databases written by another Vectorscan version are set aside (the scan compiles its own);
  /// the pack is still used.
  @Test func databasesOfAnotherVectorscanAreSetAside() throws {
    guard StoredPrefilter.runsHere else { return }
    let catalog = RuleCatalog.load(builtin: true)
    var stored = try #require(Analysis.prefiltersToStore(for: catalog).first)
    #expect(try StoredPrefilter.load(stored) != nil)
    stored.engineVersion = "0.0.1 2000-01-01"
    #expect(try StoredPrefilter.load(stored) == nil)
    var cut = try #require(Analysis.prefiltersToStore(for: catalog).first)
    cut.literals.removeLast(cut.literals.count / 2)
    #expect(throws: StoredPrefilter.Damaged.self) { try StoredPrefilter.load(cut) }
  }
}
