import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct PrefilterTests {
  /// Every occurrence a naive case-folded search finds, as (end, needle) pairs.
  func naive(_ needles: [[UInt8]], _ text: [UInt8]) -> [[Int]] {
    func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
    var hits: [[Int]] = []
    for end in 1...max(1, text.count) where end <= text.count {
      for (id, needle) in needles.enumerated() where !needle.isEmpty && needle.count <= end {
        if zip(text[(end - needle.count)..<end], needle).allSatisfy({ fold($0) == fold($1) }) { hits.append([end, id]) }
      }
    }
    return hits.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
  }

  /// The hits of `prefilter`, sorted; Vectorscan's literal scan of the same needles must find
  /// the same.
  func scan(_ prefilter: Prefilter, _ text: [UInt8]) -> [[Int]] {
    var hits: [[Int]] = []
    text.withUnsafeBytes { prefilter.scan($0) { hits.append([$0, $1]) } }
    hits.sort { ($0[0], $0[1]) < ($1[0], $1[1]) }
    if let vectorscan = VectorscanLiterals(needles: prefilter.needles) {
      var other: [[Int]] = []
      let scratch = vectorscan.makeScratch()
      text.withUnsafeBytes { vectorscan.scan($0, scratch: scratch) { other.append([$0, $1]) } }
      #expect(other == hits)
    }
    return hits
  }

  @Test func findsOverlappingAndNestedNeedles() {
    let needles = ["he", "she", "his", "hers"].map { Array($0.utf8) }
    let prefilter = Prefilter(needles: needles)
    let text = Array("ushers SHE His".utf8)
    #expect(scan(prefilter, text) == naive(needles, text))
  }

  @Test func agreesWithANaiveSearchOnRandomInput() {
    var generator = SplitMix(seed: 42)
    let alphabet = Array("abcAB \n:'x".utf8)
    for _ in 0..<200 {
      let needles = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
      }
      let text = (0..<Int.random(in: 0...80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
      #expect(scan(Prefilter(needles: needles), text) == naive(needles, text))
    }
  }

  /// Needles of 3 bytes and more use the start filter (hashes of their first bytes) instead of
  /// the automaton alone; it must find the same hits, upper case and line ends included.
  @Test func theStartFilterAgreesWithANaiveSearch() {
    var generator = SplitMix(seed: 7)
    let alphabet = Array("abcAB :'x\"5".utf8)
    for round in 0..<300 {
      let count = round % 3 == 0 ? Int.random(in: 50...400, using: &generator) : Int.random(in: 1...8, using: &generator)
      let needles = (0..<count).map { _ in
        (0..<Int.random(in: 3...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
      }
      let text = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
        Int.random(in: 0..<20, using: &generator) == 0 ? UInt8(ascii: "\n") : alphabet.randomElement(using: &generator)!
      }
      #expect(scan(Prefilter(needles: needles), text) == naive(needles, text))
    }
  }

  @Test func theStartFilterFindsNeedlesAtTheVeryEndAndStart() {
    let needles = ["abc", "xyz!", "Traceback (most recent call last):"].map { Array($0.utf8) }
    for text in ["abc", "ABC", "xabc", "XYZ!", "abxyz!", "traceback (most recent call last):", "ab", ""] {
      let bytes = Array(text.utf8)
      #expect(scan(Prefilter(needles: needles), bytes) == naive(needles, bytes), "\(text)")
    }
  }
}

/// A small deterministic generator for repeatable random tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
