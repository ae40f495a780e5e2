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

/// The matcher on Vectorscan (literals, and prefilter-mode regexes for the patterns without a
/// literal) must find exactly what running every regex on every line finds, and what logrx's
/// own prefilter finds: same hits, same captures, same marked lines.
@Suite struct VectorscanTests {
  /// Every pattern the analysis searches: the rules' signatures, the contexts and the failure
  /// signals (which have no literal, so they run through Vectorscan's prefilter mode).
  static let patterns: [Pattern] = {
    let catalog = Fixtures.catalog
    var patterns: [Pattern] = []
    for rule in catalog.rules {
      for signature in rule.signatures + rule.unless { patterns.append(Pattern(regex: signature.regex, needles: signature.needles)) }
    }
    let tables = RuleMatcher.contexts(in: catalog.tables).map(\.regex)
      + (catalog.tables["failure-signals"] ?? [:]).sorted { $0.key < $1.key }.compactMap { $0.value["regex"].flatMap { try? Regex($0) } }
    for regex in tables { patterns.append(Pattern(regex: regex, needles: LiteralExtractor.needles(for: regex.pattern))) }
    return patterns
  }()

  static func describe(_ hits: [LineHit]) -> [String] {
    hits.map { "\($0.line) \($0.pattern) \($0.captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })" }.sorted()
  }

  static func bruteForce(_ patterns: [Pattern], _ batch: LineBatch) -> [String] {
    let matcher = RegexMatcher()
    var hits: [String] = []
    batch.bytes.withUnsafeBytes { bytes in
      for line in 0..<batch.count {
        let subject = UnsafeRawBufferPointer(rebasing: bytes[batch.starts[line]..<batch.ends[line]])
        for (index, pattern) in patterns.enumerated() {
          if case .match(_, let ranges) = matcher.match(pattern.regex, in: subject) {
            let captures = ranges.sorted { $0.key < $1.key }.map {
              "\($0.key)=\(String(decoding: UnsafeRawBufferPointer(rebasing: subject[$0.value]), as: UTF8.self))"
            }
            hits.append("\(line) \(index) \(captures)")
          }
        }
      }
    }
    return hits.sorted()
  }

  /// Decodes `text` and compares the three ways on every batch; returns the hits seen.
  static func compare(_ patterns: [Pattern], _ text: [UInt8], name: String) -> Int {
    let markers = TracebackAssembler.markers
    let fast = PatternMatcher(patterns: patterns, markers: markers, vectorscanAfter: 0)
    let own = PatternMatcher(patterns: patterns, markers: markers, vectorscanAfter: .max)
    nonisolated(unsafe) var seen = 0
    var decoder = LogDecoder(file: name) { batch in
      var fastMarked: [Int] = []
      var ownMarked: [Int] = []
      let (fastHits, ownHits) = batch.withUnsafeLines { bytes, starts, ends in
        (
          fast.hits(in: bytes, starts: starts, ends: ends, markedLines: &fastMarked),
          own.hits(in: bytes, starts: starts, ends: ends, markedLines: &ownMarked)
        )
      }
      let expected = bruteForce(patterns, batch)
      #expect(describe(fastHits) == expected, "\(name)")
      #expect(describe(ownHits) == expected, "\(name)")
      #expect(fastMarked == ownMarked, "\(name)")
      seen += expected.count
    }
    var reader = LineReader()
    defer { reader.deallocate() }
    var source = MemorySource(text)
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    return seen
  }

  @Test func agreesWithEveryRegexOnEveryLineOfTheCorpus() throws {
    let files = InputFiles.expand([Fixtures.path("Corpus/logs")]).files.filter { !$0.hasSuffix("manifest.yaml") }
    #expect(files.count > 50)
    var hits = 0
    for file in files {
      let data = try #require(FileManager.default.contents(atPath: file))
      hits += Self.compare(Self.patterns, Array(data), name: file)
    }
    #expect(hits > 100)
  }

  /// Patterns without a literal: line anchors, look-behind at a line's start, a case-folded
  /// regex, and ones Vectorscan must leave to PCRE2 on every line (`\A`, `\z`, an empty match).
  @Test func patternsWithoutALiteralMatchLineByLine() throws {
    let sources: [(String, Bool)] = [
      ("^[EF]\\d{4} \\d\\d:", false), ("(?<!x)ab\\d$", false), ("^q\\w+z", true), ("\\Aab", false), ("\\d\\z", false),
      ("x*", false), ("(?:^|\\s)ERR(?:\\s|$)", false), ("^(\\w+\\s?)*$", false), ("^(?:ab)?$", false),
    ]
    let patterns = try sources.map { Pattern(regex: try Regex($0.0, caseInsensitive: $0.1), needles: nil) }
    let text = "E1234 12:00\nxab1\nab2\nQUUZ\nqz\nab\n1\nERR\n\n a ERR b\nxERR\nF0000 00:\nword word\n\n"
    #expect(Self.compare(patterns, Array(text.utf8), name: "synthetic") > 10)
    let regexes = try #require(VectorscanRegexes(regexes: patterns.map(\.regex)))
    #expect(regexes.covered == [0, 1, 2, 6])
  }

  /// A needle across the seam of two of Vectorscan's pieces is found once, hits in end order.
  @Test func literalsAcrossPieceSeamsInEndOrder() throws {
    let needles = ["abc", "bcdefg", "Traceback", "x"].map { Array($0.utf8) }
    let vectorscan = try #require(VectorscanLiterals(needles: needles, pieceSize: 1))
    #expect(vectorscan.pieceSize == 4 * 9)
    var generator = SplitMix(seed: 3)
    let alphabet = Array("abcdefgTRACEBACKtraceback x\n".utf8)
    let prefilter = Prefilter(needles: needles)
    for _ in 0..<100 {
      var text = (0..<Int.random(in: 0...400, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
      if Bool.random(using: &generator) { text += Array("Traceback".utf8) }
      var hits: [[Int]] = []
      let scratch = vectorscan.makeScratch()
      text.withUnsafeBytes { vectorscan.scan($0, scratch: scratch) { hits.append([$0, $1]) } }
      #expect(zip(hits, hits.dropFirst()).allSatisfy { $0[0] <= $1[0] })
      var own: [[Int]] = []
      text.withUnsafeBytes { prefilter.scan($0) { own.append([$0, $1]) } }
      #expect(hits.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) } == own.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })
    }
  }
}
