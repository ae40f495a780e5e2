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

/// The prefilter (start filter, automaton, needles per signature) must never lose a hit that
/// running every signature's regex on every decoded line would find, nor invent one.
@Suite struct RuleMatcherTests {
  /// Every hit of every signature (match and unless) on every line of the batch, with captures.
  static func bruteForce(_ rules: [Rule], _ batch: LineBatch) -> [String] {
    let matcher = RegexMatcher()
    var hits: [String] = []
    batch.bytes.withUnsafeBytes { bytes in
      for line in 0..<batch.count {
        let subject = UnsafeRawBufferPointer(rebasing: bytes[batch.starts[line]..<batch.ends[line]])
        for (ruleIndex, rule) in rules.enumerated() {
          let signatures = rule.signatures.enumerated().map { ("match \(ruleIndex) \($0.offset)", $0.element) }
            + rule.unless.map { ("unless \(ruleIndex)", $0) }
          for (role, signature) in signatures {
            if case .match(_, let ranges) = matcher.match(signature.regex, in: subject) {
              let captures = ranges.map { "\($0.key)=\(String(decoding: UnsafeRawBufferPointer(rebasing: subject[$0.value]), as: UTF8.self))" }
              hits.append("\(batch.numbers[line]) \(role) \(captures.sorted())")
            }
          }
        }
      }
    }
    return hits.sorted()
  }

  static func prefiltered(_ matcher: RuleMatcher, _ batch: LineBatch) -> [String] {
    matcher.hits(in: batch).map { hit in
      let role: String
      switch hit.role {
      case .match(let rule, let signature): role = "match \(rule) \(signature)"
      case .unless(let rule): role = "unless \(rule)"
      }
      return "\(batch.numbers[hit.line]) \(role) \(hit.captures.map { "\($0.key)=\($0.value)" }.sorted())"
    }.sorted()
  }

  /// Decodes `text` as a log and compares both ways on each batch; returns the hits seen.
  static func compare(_ rules: [Rule], _ text: [UInt8], name: String, chunk: Int = .max) -> Int {
    let matcher = RuleMatcher(rules: rules, markers: TracebackAssembler.markers)
    nonisolated(unsafe) var seen = 0
    var decoder = LogDecoder(file: name) { batch in
      let expected = bruteForce(rules, batch)
      let got = prefiltered(matcher, batch)
      #expect(got == expected, "\(name): lines \(batch.numbers.first ?? 0)-\(batch.numbers.last ?? 0)")
      seen += expected.count
    }
    var reader = LineReader()
    defer { reader.deallocate() }
    var source = MemorySource(text, chunk: chunk)
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    return seen
  }

  @Test func agreesWithEveryRegexOnEveryLineOfTheCorpus() throws {
    let rules = Fixtures.catalog.rules
    let files = InputFiles.expand([Fixtures.path("Corpus/logs")]).files.filter { !$0.hasSuffix("manifest.yaml") }
    #expect(files.count > 50)
    var hits = 0
    for file in files {
      let data = try #require(FileManager.default.contents(atPath: file))
      hits += Self.compare(rules, Array(data), name: file)
    }
    #expect(hits > 100)
  }

  @Test func agreesWithEveryRegexOnEveryRuleExample() {
    let rules = Fixtures.catalog.rules
    var text = ""
    for rule in rules {
      for example in rule.matchExamples + rule.nomatchExamples { text += example.text + "\n" }
    }
    let hits = Self.compare(rules, Array(text.utf8), name: "examples")
    #expect(hits >= rules.map(\.matchExamples.count).reduce(0, +))
  }

  @Test func agreesInSmallChunksWithCaseChangesAndCRLF() throws {
    // Upper-cased, lower-cased and CRLF copies of the guide: the prefilter folds case, the
    // regexes decide; batches cut at every few bytes.
    let rules = Fixtures.catalog.rules
    let data = try #require(FileManager.default.contents(atPath: Fixtures.path("Corpus/logs/guide/30-first-deploy-combined.txt")))
    let text = String(decoding: data, as: UTF8.self)
    for variant in [text.uppercased(), text.lowercased(), text.replacingOccurrences(of: "\n", with: "\r\n")] {
      _ = Self.compare(rules, Array(variant.utf8), name: "variant", chunk: 7)
    }
  }
}
