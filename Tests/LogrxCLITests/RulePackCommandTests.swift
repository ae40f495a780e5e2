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

/// `logrx rules compile` and `--rules PACK`, through the real binary.
@Suite(.serialized) struct RulePackCommandTests {
  /// A scratch folder holding a copy of `Rules/` (as `rules/`) and its pack (`rules.pack`).
  struct Scratch {
    let root: URL
    var rules: String { root.appendingPathComponent("rules").path }
    var pack: String { root.appendingPathComponent("rules.pack").path }

    init(compile: Bool = true) throws {
      root = Fixtures.temporaryDirectory()
      try FileManager.default.copyItem(atPath: Fixtures.path("Rules"), toPath: rules)
      if compile {
        let result = try CLI.run(["rules", "compile", rules, "-o", pack])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("rules from \(rules)"))
      }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Files left in the pack's folder besides `rules/` and the given names.
    func strays(besides names: Set<String>) throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0 != "rules" && !names.contains($0) }
    }
  }

  /// Corpus logs of the tune parts: the pack must find in them what the folder finds.
  static func corpusSample() throws -> [String] {
    let logs = Fixtures.path("Corpus/logs")
    let files = (FileManager.default.subpaths(atPath: logs) ?? []).filter { $0.contains("/tune/") || !$0.contains("/test/") }
      .filter { !$0.hasSuffix(".yaml") }.sorted()
    var sample: [String] = []
    for file in files where sample.count < 24 {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: logs + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue {
        sample.append(logs + "/" + file)
      }
    }
    return sample
  }

  @Test func aPackLoadsTheSameRulesAndFindsTheSameAsItsFolder() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    for command in [["rules", "list"], ["rules", "export", "--patterns"], ["rules", "show", "s2i-no-app-to-run"], ["rules", "check"]] {
      let folder = try CLI.run(command + ["--no-builtin", "--rules", scratch.rules])
      let pack = try CLI.run(command + ["--no-builtin", "--rules", scratch.pack])
      #expect(folder.status == 0, "\(command): \(folder.stderr)")
      #expect(pack.status == folder.status, "\(command): \(pack.stderr)")
      #expect(pack.stdout == folder.stdout, "\(command)")
      #expect(pack.stderr == folder.stderr, "\(command)")
    }
    let sample = try Self.corpusSample()
    #expect(sample.count >= 20)
    let folderScan = try CLI.run(["scan", "--no-progress", "--format", "jsonl", "--fail-on", "none", "--no-builtin", "--rules", scratch.rules] + sample)
    let packScan = try CLI.run(["scan", "--no-progress", "--format", "jsonl", "--fail-on", "none", "--no-builtin", "--rules", scratch.pack] + sample)
    #expect(folderScan.status == 0, "\(folderScan.stderr)")
    #expect(packScan.status == 0, "\(packScan.stderr)")
    #expect(folderScan.stdout.split(separator: "\n").count > 20)
    #expect(packScan.stdout == folderScan.stdout)
    let explainFolder = try CLI.run(["explain", "--format", "json", "--no-builtin", "--rules", scratch.rules, sample[0]])
    let explainPack = try CLI.run(["explain", "--format", "json", "--no-builtin", "--rules", scratch.pack, sample[0]])
    #expect(explainPack.status == explainFolder.status)
    #expect(explainPack.stdout == explainFolder.stdout)
    // `rules test PACK` runs the examples of the pack's rules, as `rules test DIR` does.
    let testFolder = try CLI.run(["rules", "test", "--no-builtin", scratch.rules])
    let testPack = try CLI.run(["rules", "test", "--no-builtin", scratch.pack])
    #expect(testFolder.status == 0)
    #expect(testPack.status == 0, "\(testPack.stdout)")
    #expect(testPack.stdout == testFolder.stdout)
    #expect(testPack.stdout.contains(" example checks: "))
  }

  @Test func aStalePackIsRefusedWithTheCommandToRun() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let file = scratch.rules + "/python/python-abi-mismatch.yaml"
    // Touched without a change: still fresh.
    let later = Date().addingTimeInterval(5)
    try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: file)
    #expect(try CLI.run(["rules", "list", "--no-builtin", "--rules", scratch.pack]).status == 0)

    let original = try String(contentsOfFile: file, encoding: .utf8)
    try (original + "# a comment\n").write(toFile: file, atomically: true, encoding: .utf8)
    let changed = try CLI.run(["scan", "--no-progress", "--rules", scratch.pack, Fixtures.path("Corpus/logs")])
    #expect(changed.status == 2)
    #expect(changed.stdout.isEmpty)
    #expect(changed.stderr.contains("the rule pack is stale: "))
    #expect(changed.stderr.contains("python/python-abi-mismatch.yaml changed since it was compiled"))
    #expect(changed.stderr.contains("compile it again: logrx rules compile \(scratch.rules) -o \(scratch.pack)"))
    // The same bytes again: fresh.
    try original.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try CLI.run(["rules", "list", "--rules", scratch.pack]).status == 0)

    let added = scratch.rules + "/python/zz-new-rule.yaml"
    try Fixtures.ruleYAML(id: "zz-new-rule", regex: "boom").write(toFile: added, atomically: true, encoding: .utf8)
    let new = try CLI.run(["rules", "list", "--rules", scratch.pack])
    #expect(new.status == 2)
    #expect(new.stderr.contains("python/zz-new-rule.yaml is new since it was compiled"))
    try FileManager.default.removeItem(atPath: added)

    try FileManager.default.removeItem(atPath: file)
    let removed = try CLI.run(["explain", "--rules", scratch.pack], stdin: "ERROR: nothing\n")
    #expect(removed.status == 2)
    #expect(removed.stderr.contains("python/python-abi-mismatch.yaml was removed since it was compiled"))

    // Compiled again: fresh, with one rule fewer.
    let again = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.pack])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try CLI.run(["rules", "list", "--no-builtin", "--rules", scratch.pack]).stdout.contains("python-abi-mismatch") == false)
  }

  /// The folder is found relative to the pack: moved together they stay fresh; a pack copied
  /// alone (no folder beside it) is used as it is.
  @Test func aPackFindsItsFolderRelativeToItself() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let moved = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: moved) }
    let target = moved.appendingPathComponent("here")
    try FileManager.default.moveItem(at: scratch.root, to: target)
    try FileManager.default.createDirectory(at: scratch.root, withIntermediateDirectories: true)
    let pack = target.appendingPathComponent("rules.pack").path
    let rules = target.appendingPathComponent("rules").path
    #expect(try CLI.run(["rules", "list", "--rules", pack]).status == 0)
    try "# edited\n".write(toFile: rules + "/k8s/k8s-evicted.yaml", atomically: true, encoding: .utf8)
    let stale = try CLI.run(["rules", "list", "--rules", pack])
    #expect(stale.status == 2)
    #expect(stale.stderr.contains("compile it again: logrx rules compile \(rules) -o \(pack)"))

    let alone = moved.appendingPathComponent("alone.pack").path
    try FileManager.default.copyItem(atPath: pack, toPath: alone)
    let used = try CLI.run(["rules", "list", "--no-builtin", "--rules", alone])
    #expect(used.status == 0, "\(used.stderr)")
    #expect(used.stdout.contains("k8s-evicted"))
  }

  /// A link to a rules folder, given as --rules or to `rules compile`, is the folder (it used
  /// to load no rule at all, silently).
  @Test func aLinkToTheFolderIsTheFolder() throws {
    let scratch = try Scratch(compile: false)
    defer { scratch.remove() }
    let link = scratch.root.appendingPathComponent("linked-rules").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: scratch.rules)
    let direct = try CLI.run(["rules", "list", "--no-builtin", "--rules", scratch.rules])
    let linked = try CLI.run(["rules", "list", "--no-builtin", "--rules", link])
    #expect(linked.status == 0)
    #expect(!linked.stdout.isEmpty)
    #expect(linked.stdout == direct.stdout)
    let compiled = try CLI.run(["rules", "compile", link, "-o", scratch.pack])
    #expect(compiled.status == 0, "\(compiled.stderr)")
    #expect(try CLI.run(["rules", "list", "--no-builtin", "--rules", scratch.pack]).stdout == direct.stdout)
  }

  @Test func aDamagedTruncatedOrForeignFileIsRefused() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let good = try Data(contentsOf: URL(fileURLWithPath: scratch.pack))
    let bad = scratch.root.appendingPathComponent("bad.pack").path

    var flipped = good
    flipped[good.count / 2] ^= 0x01
    try flipped.write(to: URL(fileURLWithPath: bad))
    var result = try CLI.run(["scan", "--no-progress", "--rules", bad, Fixtures.path("Corpus/logs")])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("bad.pack: the rule pack is damaged (its checksum does not match its contents); compile it again: logrx rules compile \(scratch.rules) -o \(bad)"))

    try good.prefix(good.count - 100).write(to: URL(fileURLWithPath: bad))
    result = try CLI.run(["rules", "list", "--rules", bad])
    #expect(result.status == 2)
    #expect(result.stderr.contains("the rule pack is truncated (\(good.count - 100) of \(good.count) bytes)"))

    try (good + Data([0x0A])).write(to: URL(fileURLWithPath: bad))
    result = try CLI.run(["rules", "list", "--rules", bad])
    #expect(result.status == 2)
    #expect(result.stderr.contains("the rule pack is damaged (1 bytes after its end)"))

    try Data("id: not-a-pack\n".utf8).write(to: URL(fileURLWithPath: bad))
    result = try CLI.run(["explain", "--rules", bad], stdin: "ERROR: x\n")
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad.pack: not a logrx rule pack"))

    try Data().write(to: URL(fileURLWithPath: bad))
    result = try CLI.run(["rules", "check", bad])
    #expect(result.status == 2)
    #expect(result.stderr.contains("not a logrx rule pack"))
  }

  /// Rewrites the bytes at `offset` and fixes the checksum, as another logrx would have
  /// written them.
  static func rewritten(_ data: Data, at offset: Int, with bytes: [UInt8]) -> Data {
    var copy = [UInt8](data)
    copy.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
    let sum = copy.withUnsafeBytes { PackChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<(copy.count - 8)])) }
    withUnsafeBytes(of: sum.littleEndian) { for (index, byte) in $0.enumerated() { copy[copy.count - 8 + index] = byte } }
    return Data(copy)
  }

  @Test func aPackOfAnotherVersionIsRefused() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let good = try Data(contentsOf: URL(fileURLWithPath: scratch.pack))
    let other = scratch.root.appendingPathComponent("other.pack").path

    // Another pack format (the header's version field).
    try Self.rewritten(good, at: 8, with: [99, 0, 0, 0]).write(to: URL(fileURLWithPath: other))
    var result = try CLI.run(["rules", "list", "--rules", other])
    #expect(result.status == 2)
    #expect(result.stderr.contains("other.pack: the rule pack was written by logrx \(LogrxVersion.current) (pack format 99, PCRE2 \(Regex.engineVersion)); this is logrx \(LogrxVersion.current) (pack format \(RulePack.formatVersion)"))
    #expect(result.stderr.contains("compile it again: logrx rules compile \(scratch.rules) -o \(other)"))

    // Another logrx version (the preamble's first string, same length).
    let version = Array(LogrxVersion.current.utf8)
    let offset = 24 + 1
    #expect(Array(good[offset..<(offset + version.count)]) == version)
    let older = Array(String(repeating: "9", count: version.count).utf8)
    try Self.rewritten(good, at: offset, with: older).write(to: URL(fileURLWithPath: other))
    result = try CLI.run(["scan", "--no-progress", "--rules", other, Fixtures.path("Corpus/logs")])
    #expect(result.status == 2)
    #expect(result.stderr.contains("written by logrx \(String(decoding: older, as: UTF8.self)) (pack format \(RulePack.formatVersion)"))

    // What the pack says is printed without its control characters (no escape sequence
    // reaches the terminal).
    if version.count == 5 {
      try Self.rewritten(good, at: offset, with: Array("\u{1B}[31m".utf8)).write(to: URL(fileURLWithPath: other))
      result = try CLI.run(["rules", "list", "--rules", other])
      #expect(result.status == 2)
      #expect(!result.stderr.contains("\u{1B}"))
      #expect(result.stderr.contains("written by logrx ?[31m (pack format"))
    }

    // Another PCRE2 (the preamble's second string).
    let pcre = Array(Regex.engineVersion.utf8)
    let pcreOffset = offset + version.count + 1
    #expect(Array(good[pcreOffset..<(pcreOffset + pcre.count)]) == pcre)
    let otherPCRE = Array(String(repeating: "1", count: pcre.count).utf8)
    try Self.rewritten(good, at: pcreOffset, with: otherPCRE).write(to: URL(fileURLWithPath: other))
    result = try CLI.run(["rules", "list", "--rules", other])
    #expect(result.status == 2)
    #expect(result.stderr.contains("PCRE2 \(String(decoding: otherPCRE, as: UTF8.self))); this is logrx"))
  }

  @Test func theOutputPathIsWrittenWholeAndNeverOverAnotherFile() throws {
    let scratch = try Scratch(compile: false)
    defer { scratch.remove() }
    let fm = FileManager.default

    // A file that is not a pack is kept.
    let notes = scratch.root.appendingPathComponent("notes.txt").path
    try "keep me\n".write(toFile: notes, atomically: true, encoding: .utf8)
    var result = try CLI.run(["rules", "compile", scratch.rules, "-o", notes])
    #expect(result.status == 2)
    #expect(result.stderr.contains("notes.txt: exists and is not a logrx rule pack; not overwriting it"))
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "keep me\n")

    // A folder, the source folder itself, and a link are refused.
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.rules])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a folder"))
    let link = scratch.root.appendingPathComponent("link.pack").path
    try fm.createSymbolicLink(atPath: link, withDestinationPath: notes)
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", link])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a symbolic link"))
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "keep me\n")

    // A .yaml name would become a rule file of the folder.
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.rules + "/packed.yaml"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("A pack is not a rule file"))
    #expect(!fm.fileExists(atPath: scratch.rules + "/packed.yaml"))

    // A missing folder, or a file, as the source.
    result = try CLI.run(["rules", "compile", scratch.root.appendingPathComponent("nope").path, "-o", scratch.pack])
    #expect(result.status == 2)
    #expect(result.stderr.contains("no such rules folder"))
    result = try CLI.run(["rules", "compile", notes, "-o", scratch.pack])
    #expect(result.status == 2)
    #expect(result.stderr.contains("is a file"))

    // A pack is written, then replaced by a newer one; no temporary file is left.
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.pack])
    #expect(result.status == 0, "\(result.stderr)")
    let first = try fm.attributesOfItem(atPath: scratch.pack)[.systemFileNumber] as? Int
    try "# edited\n".write(toFile: scratch.rules + "/k8s/k8s-evicted.yaml", atomically: true, encoding: .utf8)
    #expect(try CLI.run(["rules", "list", "--rules", scratch.pack]).status == 2)
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.pack])
    #expect(result.status == 1, "an empty rule file is an error: \(result.stderr)")
    #expect(result.stderr.contains("nothing written"))
    #expect(try CLI.run(["rules", "list", "--rules", scratch.pack]).status == 2, "the old pack stays, still stale")
    try fm.removeItem(atPath: scratch.rules + "/k8s/k8s-evicted.yaml")
    result = try CLI.run(["rules", "compile", scratch.rules, "-o", scratch.pack])
    #expect(result.status == 0, "\(result.stderr)")
    let second = try fm.attributesOfItem(atPath: scratch.pack)[.systemFileNumber] as? Int
    #expect(first != second, "replaced by rename, not written in place")
    #expect(try CLI.run(["rules", "list", "--rules", scratch.pack]).status == 0)
    #expect(try scratch.strays(besides: ["notes.txt", "link.pack", "rules.pack"]).isEmpty)
    // Two packs of one folder, and a pack beside a folder, in one run.
    let copy = scratch.root.appendingPathComponent("copy.pack").path
    try fm.copyItem(atPath: scratch.pack, toPath: copy)
    let both = try CLI.run(["rules", "list", "--no-builtin", "--rules", scratch.pack, "--rules", copy, "--rules", scratch.rules])
    #expect(both.status == 0, "\(both.stderr)")
  }
}
