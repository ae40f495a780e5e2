import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// The Prometheus text exposition format of a scan, for the node exporter's textfile
/// collector or any scraper that reads a file: open findings by rule, severity and namespace
/// (gauges, which stay while a failure persists across `--state` runs), new ones, bytes and
/// files read, how long the scan took and when it ended.
public struct PrometheusMetrics {
  public init() {}

  public func render(_ result: ScanResult, finished: Date) -> String {
    var out = ""
    func family(_ name: String, _ help: String, _ type: String = "gauge") {
      out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }
    // Gauges of what is broken now: with a state, the open findings (new or ongoing, also
    // those of earlier runs not seen again in this run's new bytes), so that an alert stays
    // while the failure does; without, this scan's findings.
    let stateful = result.stateful
    family("logrx_findings", "Open findings, by rule, severity and namespace: with a state, those not resolved; without, the last scan's.")
    var groups: [String: Int] = [:]
    if stateful {
      for history in result.open {
        groups[Self.labels([("rule", history.rule), ("severity", history.severity), ("namespace", history.namespace ?? "")]), default: 0] += 1
      }
    } else {
      for finding in result.seen {
        let labels = Self.labels([
          ("rule", finding.rule.id), ("severity", finding.rule.severity.rawValue), ("namespace", finding.source.namespace ?? ""),
        ])
        groups[labels, default: 0] += 1
      }
    }
    for (labels, count) in groups.sorted(by: { $0.key < $1.key }) { out += "logrx_findings\(labels) \(count)\n" }
    family("logrx_findings_new", "Findings first seen in the last scan (every finding of it, without a state), by rule, severity and namespace.")
    var fresh: [String: Int] = [:]
    for finding in result.seen where !stateful || result.history[finding.fingerprint]?.status == .new {
      let labels = Self.labels([
        ("rule", finding.rule.id), ("severity", finding.rule.severity.rawValue), ("namespace", finding.source.namespace ?? ""),
      ])
      fresh[labels, default: 0] += 1
    }
    for (labels, count) in fresh.sorted(by: { $0.key < $1.key }) { out += "logrx_findings_new\(labels) \(count)\n" }
    if stateful {
      family("logrx_findings_new_total", "Findings first seen, over every scan of the state.", "counter")
      out += "logrx_findings_new_total \(result.newTotal)\n"
    }
    family("logrx_findings_resolved", "Findings of earlier scans resolved in the last scan, by rule and namespace.")
    var resolved: [String: Int] = [:]
    for history in result.resolved {
      resolved[Self.labels([("rule", history.rule), ("namespace", history.namespace ?? "")]), default: 0] += 1
    }
    for (labels, count) in resolved.sorted(by: { $0.key < $1.key }) { out += "logrx_findings_resolved\(labels) \(count)\n" }
    family("logrx_scan_bytes", "Bytes read by the last scan (new bytes only, with a state).")
    out += "logrx_scan_bytes \(result.bytes)\n"
    family("logrx_scan_files", "Files in the last scan.")
    out += "logrx_scan_files \(result.files.count)\n"
    family("logrx_scan_lines", "Log lines read by the last scan.")
    out += "logrx_scan_lines \(result.lines)\n"
    family("logrx_scan_duration_seconds", "How long the last scan took.")
    out += "logrx_scan_duration_seconds \(String(format: "%.3f", result.duration))\n"
    family("logrx_scan_last_timestamp_seconds", "When the last scan ended, in seconds since 1970.")
    out += "logrx_scan_last_timestamp_seconds \(String(format: "%.3f", finished.timeIntervalSince1970))\n"
    family("logrx_scan_diagnostics", "Problems reading inputs in the last scan.")
    out += "logrx_scan_diagnostics \(result.diagnostics.count)\n"
    return out
  }

  /// `{a="1",b="x\"y"}` with the exposition format's escapes.
  static func labels(_ pairs: [(String, String)]) -> String {
    let body = pairs.map { name, value in
      let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n")
      return "\(name)=\"\(escaped)\""
    }
    return "{" + body.joined(separator: ",") + "}"
  }

  /// Writes `text` to `path` through a temporary file and a rename, so a scraper never reads
  /// half a file.
  public static func write(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    try Data(text.utf8).write(to: temporary)
    if rename(temporary.path, path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path): \(reason)"])
    }
  }
}
