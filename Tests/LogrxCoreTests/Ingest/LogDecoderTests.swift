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

@Suite struct LogDecoderTests {
  /// Decodes `text` and returns (line number, origin, text) per decoded line.
  func decode(_ text: String, chunk: Int = .max) -> [(Int, Origin, String)] {
    nonisolated(unsafe) var out: [(Int, Origin, String)] = []
    var decoder = LogDecoder(file: "f") { batch in
      for index in 0..<batch.count { out.append((batch.numbers[index], batch.origin(at: index), batch.text(at: index))) }
    }
    var reader = LineReader()
    defer { reader.deallocate() }
    var source = MemorySource(Array(text.utf8), chunk: chunk)
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    return out
  }

  @Test func verbatimLinesAreKeptAsTheyAre() {
    let piece = String(repeating: "xy", count: 40)
    let text = "2017-07-03T05:20:01.713318000+00:00 stderr F a\r\n```\n\(piece)\ncontinued\n\u{1B}[31mred\n"
    nonisolated(unsafe) var out: [(Int, String)] = []
    var decoder = LogDecoder(file: "app.py") { batch in
      for index in 0..<batch.count { out.append((batch.numbers[index], batch.text(at: index))) }
    }
    decoder.verbatim = true
    var reader = LineReader()
    defer { reader.deallocate() }
    var source = MemorySource(Array(text.utf8), chunk: 7)
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    #expect(out.map(\.1) == ["2017-07-03T05:20:01.713318000+00:00 stderr F a", "```", piece, "continued", "\u{1B}[31mred"])
    #expect(out.map(\.0) == [1, 2, 3, 4, 5])
    // The same text as a log: the CRI prefix goes, the fence is dropped, the 80-column piece
    // joins its continuation, the colour code goes.
    #expect(decode(text).map(\.2) == ["a", piece + "continued", "red"])
  }

  @Test func criLinesLoseTheirPrefixAndPartialLinesAreJoined() {
    let log = """
      2017-07-03T05:20:01.713318000+00:00 stderr F KeyError: 'OPENSHIFT_REPO_DIR'
      2017-07-03T05:20:02.000000000Z stdout P Not Found: /sta
      2017-07-03T05:20:02.000000001Z stdout P tic/admin/css/
      2017-07-03T05:20:02.000000002Z stdout F base.css
      2017-07-03T05:20:03Z stdout F done

      """
    for chunk in [1, 13, .max] {
      let lines = decode(log, chunk: chunk)
      #expect(lines.map(\.2) == ["KeyError: 'OPENSHIFT_REPO_DIR'", "Not Found: /static/admin/css/base.css", "done"])
      #expect(lines.map(\.0) == [1, 2, 5])
      #expect(lines.map(\.1.stream) == ["stderr", "stdout", "stdout"])
    }
  }

  @Test func aWebConsoleGutterIsRemovedOnlyWhereItIsOne() {
    let tabs = "1\t---> Running application from script (app.sh) ...\n2\t\n3\t2017-07-03T04:33:20.1Z KeyError: 'OPENSHIFT_REPO_DIR'\n"
    #expect(decode(tabs).map(\.2) == ["---> Running application from script (app.sh) ...", "", "KeyError: 'OPENSHIFT_REPO_DIR'"])
    // Spaces count when the numbering starts at line 1 and goes on; an empty line is the number alone.
    let spaces = "1  WARNING: no manage.py\n2\n3  ERROR: don't know how to run your application.\n"
    #expect(decode(spaces).map(\.2) == ["WARNING: no manage.py", "", "ERROR: don't know how to run your application."])
    // Numbers that are content stay: a count, a table row, numbering that does not go on.
    let content = "---> Collecting Django static files ...\n128 static files copied to '/opt/app-root/src/static'.\n3 errors\n"
    #expect(decode(content).map(\.2) == ["---> Collecting Django static files ...", "128 static files copied to '/opt/app-root/src/static'.", "3 errors"])
    let interrupted = "1  a\n2  b\n7  seven items\n"
    #expect(decode(interrupted).map(\.2) == ["a", "b", "7  seven items"])
  }

  @Test func linesAn80ColumnTerminalCutAreJoined() {
    let long = "[Mon Jul 03 04:53:10.119092 2017] [wsgi:error] [pid 17:tid 140036287776512] [remote 10.129.0.1:53306] AttributeError: 'NoneType' object has no attribute 'lower'"
    let pieces = stride(from: 0, to: long.count, by: 80).map { String(long.dropFirst($0).prefix(80)) }
    #expect(pieces.count == 2)
    let pasted = (["Traceback (most recent call last):"] + pieces + ["10.129.0.1 - - [03/Jul/2017:04:53:10 +0000] \"GET / HTTP/1.1\" 500 27"]).joined(separator: "\n") + "\n"
    for chunk in [1, 7, .max] {
      let lines = decode(pasted, chunk: chunk)
      #expect(lines.map(\.2) == ["Traceback (most recent call last):", long, "10.129.0.1 - - [03/Jul/2017:04:53:10 +0000] \"GET / HTTP/1.1\" 500 27"])
      #expect(lines.map(\.0) == [1, 2, 4])
    }
    // An 80-character line before a line that starts a log line of its own stays alone, and so
    // does a rule of one character.
    let exact = String(repeating: "x", count: 79) + "y"
    #expect(decode("\(exact)\nTraceback (most recent call last):\n").map(\.2) == [exact, "Traceback (most recent call last):"])
    let rule = String(repeating: "=", count: 80)
    #expect(decode("\(rule)\nsummary\n").map(\.2) == [rule, "summary"])
    // Once a line longer than 80 characters is seen, the input is not a wrapped paste.
    let longer = String(repeating: "a", count: 120)
    #expect(decode("\(longer)\n\(exact)\ncontinued\n").map(\.2) == [longer, exact, "continued"])
  }

  @Test func dockerJSONLinesAreUnescaped() {
    let log = #"""
      {"log":"\u001b[31mKeyError: \u0027OPENSHIFT_DATA_DIR\u0027\u001b[0m\n","stream":"stderr","time":"2017-07-03T05:20:01.7Z"}
      {"log":"a \"quoted\" tab\there \u00e9\n","stream":"stdout","time":"2017-07-03T05:20:01.8Z"}
      {"log":"part one ","stream":"stdout","time":"2017-07-03T05:20:01.9Z"}
      {"log":"part two\n","stream":"stdout","time":"2017-07-03T05:20:02.0Z"}

      """#
    let lines = decode(log)
    #expect(lines.map(\.2) == ["KeyError: 'OPENSHIFT_DATA_DIR'", "a \"quoted\" tab\there é", "part one part two"])
    #expect(lines.map(\.1.stream) == ["stderr", "stdout", "stdout"])
  }

  @Test func ocLogsPrefixGivesPodAndContainer() {
    let lines = decode("[pod/django-1-jfknz/django] ERROR: don't know how to run your application.\n")
    #expect(lines.first?.2 == "ERROR: don't know how to run your application.")
    #expect(lines.first?.1.pod == "django-1-jfknz")
    #expect(lines.first?.1.container == "django")
  }

  @Test func timestampsANSIAndCarriageReturnsAreRemoved() {
    let log = "2017-07-03T05:20:01.713318Z \u{1B}[1;31mERROR:\u{1B}[0m it broke\r\n\u{1B}]0;title\u{07}plain\r\n"
    #expect(decode(log).map(\.2) == ["ERROR: it broke", "plain"])
  }

  @Test func markdownFencesOfAPasteAreDropped() {
    let lines = decode("```text\nERROR: it broke\n```\n  ```\nsome ``` inline\n")
    #expect(lines.map(\.2) == ["ERROR: it broke", "some ``` inline"])
    #expect(lines.map(\.0) == [2, 5])
  }

  @Test func plainLinesStayAsTheyAre() {
    let log = "[Mon Jul 03 05:18:44.312345 2017] [mpm_event:notice] [pid 20:tid 140211] AH00489: Apache\n{not json}\n"
    #expect(decode(log).map(\.2) == ["[Mon Jul 03 05:18:44.312345 2017] [mpm_event:notice] [pid 20:tid 140211] AH00489: Apache", "{not json}"])
  }
}

@Suite struct GzipTests {
  func gzip(_ text: String, in directory: URL, name: String) throws -> String {
    let plain = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: plain)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-f", plain.path]
    try process.run()
    process.waitUntilExit()
    return plain.path + ".gz"
  }

  @Test func gzipFilesAreReadByTheirMagicBytes() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try gzip("start\nERROR: don't know how to run your application.\n", in: directory, name: "pod.log")
    let renamed = directory.appendingPathComponent("pod.bin").path
    try FileManager.default.moveItem(atPath: path, toPath: renamed)
    let analysis = Analysis(catalog: Fixtures.catalog)
    analysis.analyze(path: renamed)
    #expect(analysis.findings().map(\.rule.id) == ["s2i-no-app-to-run"])
    #expect(analysis.diagnostics.isEmpty)
  }

  @Test func aTruncatedGzipKeepsWhatCameBeforeAndSaysSo() throws {
    let directory = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var text = "ERROR: don't know how to run your application.\n"
    for index in 0..<20000 { text += "filler line \(index) \(index * 7919 % 104729)\n" }
    let path = try gzip(text, in: directory, name: "big.log")
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    let analysis = Analysis(catalog: Fixtures.catalog)
    analysis.analyze(path: path)
    #expect(analysis.findings().map(\.rule.id) == ["s2i-no-app-to-run"])
    #expect(analysis.diagnostics.contains { $0.message.contains("gzip stream ends early") })
  }
}
