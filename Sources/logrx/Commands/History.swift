import ArgumentParser
import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

struct History: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the findings a scan state remembers, with their status.",
    discussion: """
      Each finding once: its status (new: first seen in the last run that saw it; ongoing: \
      seen again; resolved: its pod's logs went on without it, or are gone), when it was first \
      and last seen, and how many times it occurred. Most recently seen first.

      Examples:
        logrx history --state /var/lib/logrx/state.sqlite
        logrx history --state state.sqlite --status resolved --format jsonl
      """)

  @Option(name: .long, help: ArgumentHelp("The scan state file (from scan --state).", valueName: "file"))
  var state: String

  @Option(name: .long, help: ArgumentHelp("Only findings with this status: new, ongoing or resolved.", valueName: "status"))
  var status: FindingHistory.Status?

  @Option(name: .long, help: ArgumentHelp("Output format: text or jsonl.", valueName: "format"))
  var format: HistoryFormat = .text

  @Option(name: .long, help: ArgumentHelp("At most this many findings.", valueName: "n"))
  var limit: Int?

  @OptionGroup var redaction: RedactionOptions

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    if !FileManager.default.fileExists(atPath: state) {
      throw ValidationError("\(state): no such state file (scan --state \(state) makes it).")
    }
  }

  func run() throws {
    var entries: [FindingHistory]
    do { entries = try ScanState(path: state).history() } catch {
      Terminal.error("logrx: \(error)")
      throw ExitCode(2)
    }
    if let status { entries = entries.filter { $0.status == status } }
    if let limit { entries = Array(entries.prefix(limit)) }
    entries = entries.map(redaction.redactor.redact)
    let out = StandardOutput.shared
    switch format {
    case .jsonl:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      encoder.dateEncodingStrategy = .iso8601
      for entry in entries {
        if let data = try? encoder.encode(entry) { out.write(String(decoding: data, as: UTF8.self) + "\n") }
      }
    case .text:
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      for entry in entries {
        let place = entry.pod.map { "\(entry.namespace ?? "")/\($0)" + (entry.container.map { "/\($0)" } ?? "") } ?? entry.file
        out.write(
          "\(entry.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(entry.rule)  \(place)  "
            + "first \(formatter.string(from: entry.firstSeen))  last \(formatter.string(from: entry.lastSeen))  ×\(entry.count)\n")
        out.write("         \(entry.message)\n")
      }
      out.flush()
      Terminal.error("logrx: \(entries.count) finding\(entries.count == 1 ? "" : "s") in \(state)")
    }
    out.flush()
  }
}

enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
  case text, jsonl
}

extension FindingHistory.Status: ExpressibleByArgument {}
