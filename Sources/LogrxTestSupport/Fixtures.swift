import Foundation
import LogrxCore

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

  /// Analyses `text` as one input and returns the correlated findings.
  public static func findings(
    in text: String, catalog: RuleCatalog = Fixtures.catalog, identity: SourceIdentity = .byPod, chunk: Int = .max
  ) -> [Finding] {
    let analysis = Analysis(catalog: catalog, identity: identity)
    var source = MemorySource(Array(text.utf8), chunk: chunk)
    analysis.analyze(&source, name: "input.log")
    return analysis.finish()
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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes fully before waiting, so that a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
