import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// Collects lines as strings.
struct CollectingSink: LineSink {
  var lines: [String] = []
  var numbers: [Int] = []
  var cuts: [Int] = []
  var chunks = 0

  mutating func line(_ bytes: UnsafeRawBufferPointer, number: Int, cut: Bool) {
    lines.append(String(decoding: bytes, as: UTF8.self))
    numbers.append(number)
    if cut { cuts.append(number) }
  }

  mutating func chunkEnded() { chunks += 1 }
}

@Suite struct LineReaderTests {
  func read(_ bytes: [UInt8], splits: [Int]? = nil, chunk: Int = .max, maxLine: Int = 1 << 20, chunkSize: Int = 64 * 1024)
    -> CollectingSink
  {
    var reader = LineReader(maxLineLength: maxLine, chunkSize: chunkSize)
    defer { reader.deallocate() }
    var sink = CollectingSink()
    var source = MemorySource(bytes, chunk: chunk)
    if let splits {
      var split = SplitSource(bytes: bytes, sizes: splits)
      try? reader.read(&split, into: &sink)
    } else {
      try? reader.read(&source, into: &sink)
    }
    return sink
  }

  static let sample: [UInt8] = {
    var bytes = Array("---> Installing application source ...\r\nline two\n\n".utf8)
    bytes += [0x00, 0xFF, 0xFE] + Array(" invalid utf8\n".utf8)
    bytes += Array(String(repeating: "long ", count: 3000).utf8) + [0x0A]
    bytes += Array("no newline at the end".utf8)
    return bytes
  }()

  @Test func sameLinesWhateverTheChunking() {
    let whole = read(Self.sample)
    #expect(whole.lines.count == 6)
    #expect(whole.lines.last == "no newline at the end")
    let drip = read(Self.sample, chunk: 1)
    #expect(drip.lines == whole.lines)
    #expect(drip.numbers == whole.numbers)
    var generator = SplitMix(seed: 7)
    for _ in 0..<50 {
      let sizes = (0..<40).map { _ in Int.random(in: 1...200, using: &generator) }
      let split = read(Self.sample, splits: sizes, chunkSize: 16)
      #expect(split.lines == whole.lines)
      #expect(split.numbers == whole.numbers)
    }
  }

  @Test func aLineOverTheCapIsCutOnceAndTheRestIsSkipped() {
    let long = Array(String(repeating: "x", count: 10_000).utf8)
    let bytes = Array("before\n".utf8) + long + Array("\nafter\n".utf8)
    for chunk in [1, 7, 100, .max] {
      let sink = read(bytes, chunk: chunk, maxLine: 1000, chunkSize: 64)
      #expect(sink.lines == ["before", String(repeating: "x", count: 1000), "after"], "chunk \(chunk)")
      #expect(sink.cuts == [2])
      #expect(sink.numbers == [1, 2, 3])
    }
  }

  @Test func keepsCarriageReturnsAndNULBytesForTheDecoder() {
    let sink = read(Self.sample)
    #expect(sink.lines[0].hasSuffix("\r"))
    #expect(sink.lines[3].unicodeScalars.first == "\u{0}")
  }
}

/// Hands out bytes in the given chunk sizes (cycling), like a pipe would.
struct SplitSource: ByteSource {
  let bytes: [UInt8]
  let sizes: [Int]
  var offset = 0
  var turn = 0

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(LogrxError) -> Int {
    let size = min(sizes[turn % sizes.count], buffer.count, bytes.count - offset)
    turn += 1
    guard size > 0 else { return 0 }
    bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + size)])) }
    offset += size
    return size
  }
}
