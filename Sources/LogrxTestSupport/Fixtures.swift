import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// Paths and helpers shared by the test targets.
public enum Fixtures {
  /// The package's root folder.
  public static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  /// The built-in catalog, loaded once.
  public static let catalog: RuleCatalog = RuleCatalog.load()

  /// Analyses `text` as one input and returns the correlated findings, rendered without a
  /// source tree.
  public static func findings(
    in text: String, catalog: RuleCatalog = Fixtures.catalog, identity: SourceIdentity = .byPod, chunk: Int = .max
  ) -> [Finding] {
    let analysis = Analysis(catalog: catalog, identity: identity)
    var source = MemorySource(Array(text.utf8), chunk: chunk)
    analysis.analyze(&source, name: "input.log")
    return FindingRenderer(catalog: catalog, namedInLogs: analysis.deploymentConfigsSeen.last).rendered(analysis.findings(), lastPod: analysis.lastPod)
  }

  /// A catalog made from rule files in memory (`[path: yaml]`), without the built-in rules.
  public static func catalog(_ files: [String: String], tables: [String: String] = [:]) -> RuleCatalog {
    RuleCatalog.load([
      RuleSource(
        files: files.sorted { $0.key < $1.key }.map { RuleFile(path: $0.key, text: $0.value) },
        tables: tables.sorted { $0.key < $1.key }.map { RuleFile(path: $0.key, text: $0.value) })
    ])
  }

  /// A minimal valid rule file, with `extra` YAML appended.
  public static func ruleYAML(id: String, regex: String, extra: String = "") -> String {
    """
    id: \(id)
    title: Test rule \(id)
    severity: error
    stage: runtime
    match:
      - regex: '\(regex.replacingOccurrences(of: "'", with: "''"))'
    message: "found"
    explain: "because"
    \(extra)
    examples:
      match: ["x"]
      nomatch: ["y"]

    """
  }

  /// A scratch directory, removed by the caller.
  public static func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("logrx-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Runs the built `logrx` binary.
public enum CLI {
  /// The binary next to the test bundle (`swift build` puts both in one folder), or
  /// `$LOGRX_BIN`.
  public static var binary: String {
    if let path = ProcessInfo.processInfo.environment["LOGRX_BIN"] { return path }
    let candidates = [
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("logrx").path,
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("logrx").path,
      Fixtures.path(".build/debug/logrx"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
  }

  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// Runs `logrx args…` with `stdin` as standard input; waits for it to end.
  public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], cwd: String? = nil) throws -> Result {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (key, value) in environment { env[key] = value }
    let (status, stdout, stderr) = try Subprocess.run(binary, arguments, stdin: Data((stdin ?? "").utf8), environment: env, cwd: cwd)
    return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// Runs another program (`script`, `make`) with the same environment handling as ``run(_:stdin:environment:cwd:)``.
  public static func runProgram(_ executable: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil) throws -> Result {
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (key, value) in environment { env[key] = value }
    let (status, stdout, stderr) = try Subprocess.run(executable, arguments, stdin: Data(), environment: env, cwd: cwd)
    return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// Runs `logrx args…` under a Python parent that reads the child's peak resident set from
  /// `getrusage(RUSAGE_CHILDREN)`: the result, and the peak in KiB (-1 when not reported).
  /// A child killed by a signal N exits 128 + N, as a shell reports it.
  public static func runMeasuringPeak(_ arguments: [String], environment: [String: String] = [:]) throws -> (result: Result, peakKiB: Int) {
    let script = """
      import resource, subprocess, sys
      r = subprocess.run(sys.argv[1:])
      sys.stderr.write("\\npeak-kib %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)
      """
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let (status, stdout, stderr) = try Subprocess.run("/usr/bin/python3", ["-c", script, binary] + arguments, stdin: Data(), environment: env)
    var errors = String(decoding: stderr, as: UTF8.self)
    var peak = -1
    if let range = errors.range(of: "\npeak-kib ", options: .backwards) {
      peak = Int(errors[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
      errors = String(errors[..<range.lowerBound])
    }
    return (Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: errors), peak)
  }
}

/// Runs a program to its end with all of `stdin` as its standard input, reading standard output
/// and standard error at the same time, so that neither a large input nor a large output can
/// block the child.
enum Subprocess {
  static func run(
    _ executable: String, _ arguments: [String], stdin: Data, environment: [String: String]? = nil, cwd: String? = nil
  ) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
      errorData = errors.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    DispatchQueue.global().async {
      input.fileHandleForWriting.write(stdin)
      try? input.fileHandleForWriting.close()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, outputData, errorData)
  }
}
