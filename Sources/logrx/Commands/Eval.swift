import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure the rules on a labelled corpus: precision and recall per rule, every miss and false alarm.",
    discussion: """
      A manifest is a YAML list of {file, expect, note}: each log file with every rule id that \
      must fire on it, and no other. Give manifests or folders (searched for manifest.yaml). \
      Exits with 1 when precision or recall falls below the thresholds given.

      Entries labelled by what they show ({file, kind, cause, also}, as in Corpus/reallogs: kind \
      failure, healthy or near-miss; a failure's root cause and the symptoms that may come \
      with it) are scored per manifest by the top finding: root-cause accuracy, silent rate \
      and false-alarm rate, then every miss.

      Examples:
        logrx eval Corpus/logs
        logrx eval --min-precision 1 --min-recall 1 Corpus/logs
        logrx eval --rules my-rules/ my-corpus/manifest.yaml
        logrx eval Corpus/reallogs/tune/manifest.yaml
      """)

  @Argument(help: ArgumentHelp("Manifests, or folders that hold them.", valueName: "manifest"))
  var manifests: [String]

  @Option(name: .customLong("min-precision"), help: ArgumentHelp("Fail below this overall precision (0 to 1).", valueName: "p"))
  var minPrecision: Double?

  @Option(name: .customLong("min-recall"), help: ArgumentHelp("Fail below this overall recall (0 to 1).", valueName: "r"))
  var minRecall: Double?

  @OptionGroup var rules: RuleOptions

  func validate() throws {
    if manifests.isEmpty { throw ValidationError("Give a manifest or a folder with manifest.yaml files.") }
    for value in [minPrecision, minRecall].compactMap({ $0 }) where !(0...1).contains(value) {
      throw ValidationError("Thresholds are between 0 and 1; got \(value).")
    }
  }

  func run() throws {
    let catalog = try rules.catalog()
    let corpus = LabelledCorpus(paths: manifests)
    for diagnostic in corpus.diagnostics { Terminal.error("logrx: \(diagnostic)") }
    let evaluation = Evaluation(corpus: corpus, catalog: catalog)
    let out = StandardOutput.shared
    let expectFiles = corpus.entries.filter { $0.kind == nil }.count
    if expectFiles > 0 || evaluation.causeScores.isEmpty {
      out.write(evaluation.table())
      for mistake in evaluation.mistakes { out.write("\(mistake)\n") }
      let overall = evaluation.overall
      out.write(
        "\(expectFiles) files: \(overall.truePositives) expected findings found, \(evaluation.mistakes.filter { $0.kind == .miss }.count) missed, "
          + "\(evaluation.mistakes.filter { $0.kind == .falseAlarm }.count) false alarms\n")
    }
    for score in evaluation.causeScores {
      if expectFiles > 0 || score.manifest != evaluation.causeScores.first?.manifest { out.write("\n") }
      out.write(score.table())
      if !score.misses.isEmpty { out.write("\nmisses:\n" + score.misses.map { "  \($0)\n" }.joined()) }
    }
    out.flush()
    if !corpus.diagnostics.isEmpty || catalog.hasErrors { throw ExitCode(2) }
    if let minPrecision, evaluation.overall.precision < minPrecision { throw ExitCode(1) }
    if let minRecall, evaluation.overall.recall < minRecall { throw ExitCode(1) }
  }
}
