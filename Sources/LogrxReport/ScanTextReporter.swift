import Foundation
import LogrxState
import LogrxVocabulary

/// `scan`'s text output: one `file:line: severity rule (status): message` line per finding and
/// one `file: resolved rule: message` line per resolved finding on standard output, for grep
/// and cron mail; the diagnostics and a one-line summary on standard error.
public struct ScanTextReporter {
  public var style: TextStyle

  public init(style: TextStyle) { self.style = style }

  /// - Parameters:
  ///   - findings: the findings to report, in the order to print them.
  ///   - out: standard output; `errors`: standard error.
  public func report(_ result: ScanResult, findings: [Finding], stateful: Bool, to out: TextSink, errors: TextSink) {
    for finding in findings {
      let status = result.history[finding.fingerprint].map { " (\($0.status.rawValue))" } ?? ""
      out.write(
        "\(finding.source.file):\(finding.firstLine): \(style.severityLabel(finding.rule.severity)) \(finding.rule.id)\(status): \(finding.message)\n")
    }
    for resolved in result.resolved {
      out.write("\(resolved.file): resolved \(resolved.rule): \(resolved.message)\n")
    }
    for diagnostic in result.diagnostics { errors.write("logrx: \(diagnostic)\n") }
    errors.write("logrx: \(Self.summaryLine(result, reported: findings.count, stateful: stateful))\n")
  }

  /// `3 findings (1 new, 2 ongoing), 0 resolved in 2 files (1 unchanged), 1.2 MB and 9 lines read in 0.01 s`.
  public static func summaryLine(_ result: ScanResult, reported: Int, stateful: Bool) -> String {
    var text = plural(result.seen.count, "finding")
    if stateful {
      let new = result.history.values.filter { $0.status == .new }.count
      text += " (\(new) new, \(result.seen.count - new) ongoing), \(result.resolved.count) resolved"
      if reported != result.seen.count { text += "; \(reported) reported" }
    }
    text += " in \(plural(result.files.count, "file"))"
    if stateful { text += " (\(result.unchanged) unchanged)" }
    text += ", \(ByteCount.format(result.bytes)) and \(plural(result.lines, "line")) read in \(String(format: "%.2f", result.duration)) s"
    return text
  }
}

extension TextStyle {
  /// The severity in lower case, coloured when colour is on.
  public func severityLabel(_ severity: Severity) -> String {
    let label = severity.rawValue
    guard color else { return label }
    switch severity {
    case .error: return "\u{1B}[1;31m\(label)\u{1B}[0m"
    case .warning: return "\u{1B}[1;33m\(label)\u{1B}[0m"
    case .info: return "\u{1B}[1;36m\(label)\u{1B}[0m"
    }
  }
}

/// Byte counts for people: `512 B`, `1.2 MB`.
public enum ByteCount {
  public static func format(_ bytes: Int64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}
