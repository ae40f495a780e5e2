import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// Receives the text a reporter produces: standard output, a file, a string in a test.
public protocol TextSink: AnyObject {
  func write(_ text: String)
}

/// Collects output in memory.
public final class StringSink: TextSink {
  public private(set) var text = ""
  public init() {}
  public func write(_ text: String) { self.text += text }
}

/// What a report covers besides the findings.
public struct RunSummary: Sendable {
  public var inputs: [String]
  public var bytes: Int
  public var lines: Int
  public var diagnostics: [Diagnostic]
  /// With a scan state: findings of earlier runs that are resolved now.
  public var resolved: [FindingHistory] = []
  /// With a scan state: the history of each reported finding, by fingerprint.
  public var history: [String: FindingHistory] = [:]
  /// With a scan state: files with nothing new since the last run.
  public var unchangedFiles: Int?

  public init(inputs: [String], bytes: Int, lines: Int, diagnostics: [Diagnostic]) {
    self.inputs = inputs
    self.bytes = bytes
    self.lines = lines
    self.diagnostics = diagnostics
  }
}

/// Writes findings in one output format.
public protocol Reporter {
  /// Called for each finding as soon as it is seen (live output); may write nothing.
  func live(_ finding: Finding, to sink: TextSink)
  /// Writes the whole report once the run has ended.
  func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink)
}

/// The output formats.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text, json, jsonl, markdown, sarif

  /// The reporter for this format; `patches` holds each root cause's part of the patch, `plans`
  /// the same as plans made against the source tree at `sourceRoot` (for SARIF fixes).
  /// `fullReportCommand`, for text, asks for the brief form (see ``TextReporter``).
  public func reporter(
    style: TextStyle, patches: [String: String] = [:], plans: [String: Plan] = [:], sourceRoot: String? = nil,
    fullReportCommand: String? = nil, assumptions: [String] = []
  ) -> Reporter {
    switch self {
    case .text: TextReporter(style: style, patches: patches, fullReportCommand: fullReportCommand, assumptions: assumptions)
    case .json: JSONDocumentReporter()
    case .jsonl: JSONLinesReporter()
    case .markdown: MarkdownReporter(patches: patches)
    case .sarif: SARIFReporter(plans: plans, sourceRoot: sourceRoot)
    }
  }
}

/// Terminal styling: ANSI colours when on, plain text when off.
public struct TextStyle: Sendable {
  public var color: Bool
  public init(color: Bool) { self.color = color }

  func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
  func bold(_ text: String) -> String { paint(text, "1") }
  func dim(_ text: String) -> String { paint(text, "2") }
  func severity(_ severity: Severity) -> String {
    let label = severity.rawValue.uppercased()
    switch severity {
    case .error: return paint(label, "1;31")
    case .warning: return paint(label, "1;33")
    case .info: return paint(label, "1;36")
    }
  }
}

extension Finding {
  /// `file:first-last` for people.
  public var locationText: String {
    let lines = firstLine == lastLine ? "\(firstLine)" : "\(firstLine)-\(lastLine)"
    return "\(source.file):\(lines)"
  }

  /// pod/container when known.
  var podText: String? {
    guard let pod = source.pod else { return nil }
    return [source.namespace, pod, source.container].compactMap { $0 }.joined(separator: "/")
  }
}

extension RunSummary {
  func counts(_ findings: [Finding]) -> (errors: Int, warnings: Int, infos: Int, roots: Int) {
    (
      findings.filter { $0.rule.severity == .error }.count, findings.filter { $0.rule.severity == .warning }.count,
      findings.filter { $0.rule.severity == .info }.count, findings.filter(\.isRootCause).count
    )
  }
}

func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }

extension RunSummary {
  /// What a session read, and the problems with it.
  public init(_ session: Session) {
    self.init(
      inputs: session.inputs, bytes: session.analysis.bytesRead, lines: session.analysis.linesRead,
      diagnostics: session.analysis.diagnostics)
  }

  /// What a scan read; `stateful` adds the histories, the resolved findings and the
  /// unchanged files.
  public init(_ result: ScanResult, stateful: Bool) {
    self.init(inputs: result.files, bytes: Int(result.bytes), lines: result.lines, diagnostics: result.diagnostics)
    if stateful {
      history = result.history
      resolved = result.resolved
      unchangedFiles = result.unchanged
    }
  }
}
