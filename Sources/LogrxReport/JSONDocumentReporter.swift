import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState

/// One JSON document: `{"findings": [...], "resolved": [...], "summary": {...}}`, the records
/// of ``JSONLinesReporter`` gathered (`--format json`; `jsonl` is the stream). Each record
/// keeps its `type`, so one schema per record type (`Docs/schemas/`) serves both forms.
public struct JSONDocumentReporter: Reporter {
  public init() {}

  struct Document: Encodable {
    let findings: [JSONLinesReporter.FindingRecord]
    let resolved: [JSONLinesReporter.ResolvedRecord]
    let summary: JSONLinesReporter.SummaryRecord
  }

  public func live(_ finding: Finding, to sink: TextSink) {}

  public func report(_ findings: [Finding], summary: RunSummary, to sink: TextSink) {
    let document = Document(
      findings: findings.map { JSONLinesReporter.FindingRecord($0, history: summary.history[$0.fingerprint]) },
      resolved: summary.resolved.map(JSONLinesReporter.ResolvedRecord.init),
      summary: JSONLinesReporter.summaryRecord(findings, summary: summary))
    let encoder = JSONLinesReporter.encoder()
    encoder.outputFormatting.insert(.prettyPrinted)
    guard let data = try? encoder.encode(document) else { return }
    sink.write(String(decoding: data, as: UTF8.self) + "\n")
  }
}
