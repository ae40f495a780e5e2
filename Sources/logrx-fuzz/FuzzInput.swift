import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// One fuzz input through the ingest decoders and the rule loader: its first byte picks the
/// target, its second the chunk size the bytes are handed out in; the rest is the data.
///
/// Every target must end (no hang), stay within its bounds (no trap, no unbounded memory) and
/// report what it cannot read as an error or diagnostic, whatever the bytes.
enum FuzzInput {
  /// The built-in rules, loaded once: the decoder target runs the whole analysis.
  nonisolated(unsafe) static let catalog = RuleCatalog.load()

  /// The targets, by the input's first byte modulo their count.
  enum Target: Int, CaseIterable {
    case lines, gzip, tar, tarGzip, rule
  }

  static func run(_ input: UnsafeRawBufferPointer) {
    guard input.count >= 2 else { return }
    let target = Target(rawValue: Int(input[0]) % Target.allCases.count)!
    let chunk = 1 + Int(input[1]) * 97
    let bytes = Array(input[2...])
    switch target {
    case .lines:
      // LineReader → LogDecoder → LineBatch → the built-in rules, as a scan reads a file.
      let analysis = Analysis(catalog: catalog, identity: .byFile)
      var source = MemorySource(bytes, chunk: chunk)
      analysis.analyze(&source, input: InputDescription(name: "fuzz.log", origin: Origin(file: "fuzz.log")))
      _ = analysis.findings()
    case .gzip:
      var gzip = GzipSource(MemorySource(bytes, chunk: chunk), path: "fuzz.gz")
      drain(&gzip)
    case .tar:
      entries(TarReader(MemorySource(bytes, chunk: chunk), path: "fuzz.tar"))
    case .tarGzip:
      entries(TarReader(GzipSource(MemorySource(bytes, chunk: chunk), path: "fuzz.tar.gz"), path: "fuzz.tar.gz"))
    case .rule:
      let loader = RuleLoader(tableNames: ["packages"])
      _ = loader.load(RuleFile(path: "fuzz.yaml", text: String(decoding: bytes, as: UTF8.self)))
    }
  }

  /// Reads a source to its end, or 64 MiB, or its first error.
  static func drain<Source: ByteSource>(_ source: inout Source) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    var total = 0
    while total < 64 << 20 {
      guard let count = try? source.read(into: buffer), count > 0 else { return }
      total += count
    }
  }

  static func entries<Upstream: ByteSource>(_ reader: TarReader<Upstream>) {
    var tar = reader
    var count = 0
    while count < 10_000, let entry = try? tar.nextEntry() {
      count += 1
      if entry.isFile { drain(&tar) }
    }
  }
}
