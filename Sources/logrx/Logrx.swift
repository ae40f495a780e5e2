import ArgumentParser
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@main
struct Logrx: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "logrx",
    abstract: "Explain why an OpenShift or Kubernetes build or pod failed, and what to change.",
    discussion: """
      logrx reads build and pod logs, recognises known failures with a library of PCRE2 rules, \
      explains each one in plain words with the lines that show it, and lists the changes that \
      fix it: root causes first, symptoms folded under them.

      Examples:
        oc logs bc/django | logrx explain
        logrx explain build.log pod.log
        oc logs -f dc/django | logrx watch
        logrx scan /var/log/pods --format jsonl
        logrx rules list

      Exit status: 0 when no finding is at or above --fail-on (default: error), 1 when one is, \
      2 on a runtime error (an unreadable input, a bad rule file), 64 on a usage error.
      """,
    version: LogrxVersion.current,
    subcommands: [Explain.self, Watch.self, Scan.self, History.self, Fix.self, Eval.self, RulesCommand.self]
  )
}
