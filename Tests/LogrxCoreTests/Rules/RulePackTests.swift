import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// The compiled rule pack (`logrx rules compile`): what it holds and how it refuses bad bytes.
/// The command-line behaviour (stale, damaged, other version, output paths) is in
/// `RulePackCommandTests`.
@Suite struct RulePackTests {
  /// Compiles `folder` into a pack in a scratch folder; returns its bytes.
  func compile(_ folder: String, builtin: Bool = false) throws -> [UInt8] {
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let compiled = try RulePack.compile(directory: folder, packPath: scratch.appendingPathComponent("rules.pack").path, builtin: builtin)
    #expect(!compiled.diagnostics.contains { $0.level == .error }, "\(compiled.diagnostics)")
    return try #require(compiled.bytes)
  }

  func decode(_ bytes: [UInt8], path: String = "memory.pack") throws(RulePackError) -> RulePack {
    let result = bytes.withUnsafeBytes { buffer in Result { () throws(RulePackError) in try RulePack.decode(buffer, path: path) } }
    return try result.get()
  }

  /// The pack of `Rules/` gives the catalog the folder gives, field for field: the emitter of
  /// the built-in rules writes every field of every rule (patterns with their group numbers,
  /// literals, templates, fixes, examples with their places) and every table.
  @Test func thePackOfRulesLoadsTheSameCatalogAsTheFolder() throws {
    let folder = Fixtures.path("Rules")
    let pack = try decode(try compile(folder))
    let fromFolder = RuleCatalog.load(builtin: false, directories: [folder])
    let fromPack = RuleCatalog.load(builtin: false, inputs: [.pack(pack)])
    #expect(fromPack.rules.count == fromFolder.rules.count)
    #expect(fromPack.rules.map(\.id) == fromFolder.rules.map(\.id))
    #expect(fromPack.diagnostics == fromFolder.diagnostics)
    #expect(fromPack.tables == fromFolder.tables)
    let expected = BuiltinRulesEmitter.swiftSource(for: fromFolder, root: folder)
    let actual = BuiltinRulesEmitter.swiftSource(for: fromPack, root: folder)
    #expect(actual == expected)
    // Every pattern still compiles, with the groups it had.
    for rule in fromPack.rules {
      for signature in rule.signatures {
        #expect(signature.regex.isCompiled, "\(rule.id): \(signature.regex.pattern)")
        #expect(signature.regex.captureNames == (try Regex(signature.regex.pattern)).captureNames)
      }
    }
  }

  /// On top of the built-in rules, as `--rules` loads it: the same catalog too.
  @Test func thePackOverridesBuiltInRulesAsTheFolderDoes() throws {
    let folder = Fixtures.path("Rules")
    let pack = try decode(try compile(folder, builtin: true))
    let fromFolder = RuleCatalog.load(builtin: true, directories: [folder])
    let fromPack = RuleCatalog.load(builtin: true, inputs: [.pack(pack)])
    #expect(BuiltinRulesEmitter.swiftSource(for: fromPack, root: folder) == BuiltinRulesEmitter.swiftSource(for: fromFolder, root: folder))
  }

  /// Warnings of the folder's files travel in the pack, so a load of the pack says them as a
  /// load of the folder does; errors stop the compile.
  @Test func warningsAreKeptAndErrorsStopTheCompile() throws {
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let folder = scratch.appendingPathComponent("rules")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let short = Fixtures.ruleYAML(id: "short-literal", regex: "x(?<what>\\w+)").replacingOccurrences(
      of: "  - regex:", with: "  - literal: \"x\"\n    regex:")
    try short.write(to: folder.appendingPathComponent("short-literal.yaml"), atomically: true, encoding: .utf8)
    let pack = try decode(try compile(folder.path))
    #expect(pack.ruleDiagnostics.map(\.description) == RuleCatalog.load(builtin: false, directories: [folder.path]).diagnostics.map(\.description))
    #expect(pack.ruleDiagnostics.contains { $0.level == .warning && $0.message.contains("shorter than 3 bytes") })

    try Fixtures.ruleYAML(id: "broken", regex: "open (paren").write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
    let compiled = try RulePack.compile(directory: folder.path, packPath: scratch.appendingPathComponent("rules.pack").path, builtin: false)
    #expect(compiled.bytes == nil)
    #expect(compiled.diagnostics.contains { $0.level == .error && $0.message.contains("PCRE2 cannot compile") })
  }

  /// A pack damaged past its checksum (the sum recomputed after a byte changed: a bug, or a
  /// hand-made file) is refused or read; it never crashes, reads out of bounds or matches with
  /// a group number its pattern lacks.
  @Test func damagedBytesBehindAGoodChecksumNeverCrash() throws {
    let scratch = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let folder = scratch.appendingPathComponent("rules")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let rule = Fixtures.ruleYAML(
      id: "two-groups", regex: "boom (?<what>\\w+) at (?<where>\\d+)",
      extra: "fix:\n  - create: { path: \"app.sh\", mode: \"0755\", content: \"x ${what}\" }\n  - command: { run: \"oc get ${what}\" }")
    try rule.write(to: folder.appendingPathComponent("two-groups.yaml"), atomically: true, encoding: .utf8)
    let good = try compile(folder.path)
    #expect(try decode(good).rules.map(\.id) == ["two-groups"])
    var refused = 0
    var read = 0
    let matcher = RegexMatcher()
    for position in RulePackTests.headerSize..<(good.count - 8) {
      for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF, good[position] ^ 0x04] where value != good[position] {
        var bytes = good
        bytes[position] = value
        let sum = bytes.withUnsafeBytes { PackChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
        withUnsafeBytes(of: sum.littleEndian) { for (index, byte) in $0.enumerated() { bytes[bytes.count - 8 + index] = byte } }
        do {
          let pack = try decode(bytes)
          read += 1
          for rule in pack.rules {
            for signature in rule.signatures { _ = matcher.match(signature.regex, in: "boom disk at 42") }
          }
        } catch {
          refused += 1
          #expect([.damaged, .otherVersion].contains(error.reason), "\(error)")
        }
      }
    }
    #expect(refused > 0)
    #expect(read > 0)
  }

  static let headerSize = 24

  @Test func aChangedByteFailsTheChecksum() throws {
    let good = try compile(Fixtures.path("Rules/k8s"), builtin: true)
    for position in stride(from: 0, to: good.count, by: max(1, good.count / 97)) {
      var bytes = good
      bytes[position] ^= 0x10
      #expect(throws: RulePackError.self) { try decode(bytes) }
    }
    for length in [0, 7, 8, 23, 24, 100, good.count - 8, good.count - 1] {
      #expect(throws: RulePackError.self) { try decode(Array(good[0..<length])) }
    }
  }
}
