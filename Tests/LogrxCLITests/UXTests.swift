import Foundation
import Testing
import LogrxTestSupport

/// What a person sees, on the real binary: nothing half-filled.
@Suite struct UXTests {
  @Test func commandsNameTheAppTheLogsNameOrSayWhatToPutThere() throws {
    // The log runs `oc logs -f dc/django`: commands use that name and assume nothing.
    let named = try CLI.run(["fix", Fixtures.path("Corpus/logs/platform/16-failed-scheduling-insufficient-memory.txt")])
    #expect(named.stderr.contains("oc set resources dc/django --requests=cpu=100m,memory=256Mi"))
    #expect(!named.stderr.contains("YOUR-"))
    #expect(!named.stderr.contains("name no pod"))

    // This one names nothing: the command says what to put there, and the assumption is said once.
    let unnamed = try CLI.run(["fix", Fixtures.path("Corpus/logs/guide/10-rsh-undefined-symbol.txt")])
    #expect(unnamed.stderr.contains("oc rsh dc/YOUR-DEPLOYMENT-CONFIG bash -c"))
    #expect(unnamed.stderr.components(separatedBy: "put yours there").count == 2)
    #expect(!unnamed.stderr.contains("<source."))

    let app = try CLI.run(["fix", "--app", "shop", Fixtures.path("Corpus/logs/guide/10-rsh-undefined-symbol.txt")])
    #expect(app.stderr.contains("oc rsh dc/shop bash -c"))
    #expect(!app.stderr.contains("YOUR-"))
  }

  @Test func pathsComeFromTheLogAndAnythingAssumedIsMarked() throws {
    // The builder's hint names ./manage.py: the advice uses it, not the V2 starter's path.
    let hinted = try CLI.run(["explain", "--explain", Fixtures.path("Corpus/logs/s2i-build/01-build-collectstatic-dry-run-failed.log")])
    #expect(hinted.stdout.contains("run `python manage.py collectstatic --noinput` yourself"))
    #expect(!hinted.stdout.contains("wsgi/myproject/manage.py"))
    #expect(!hinted.stdout.contains("assumed"))
    // The guide's log names neither: the starter's paths are used and said to be assumed.
    let assumed = try CLI.run(["explain", Fixtures.path("Corpus/logs/guide/30-first-deploy-combined.txt")])
    #expect(
      assumed.stdout.contains(
        "assumption: no --source given and the logs do not show where: assumed wsgi/myproject/manage.py (tree.manage_py), wsgi/application (tree.wsgi_entry)"))
  }

  @Test func noHalfFilledTemplateReachesTheCorpusOutput() throws {
    for folder in ["guide", "platform", "python-django"] {
      let result = try CLI.run(["explain", "--color", "never", Fixtures.path("Corpus/logs/\(folder)")])
      for leftover in ["<source.", "${", "$<", "(?<", "<found>", "<frame_file>"] {
        #expect(!result.stdout.contains(leftover), "\(folder): \(leftover)")
      }
    }
  }
}

/// `explain` is short by default, full with `--explain`, and paged only on a terminal.
@Suite struct BriefExplainTests {
  static let log = Fixtures.path("Corpus/logs/guide/30-first-deploy-combined.txt")

  @Test func explainIsAFewLinesPerRootCauseByDefault() throws {
    let brief = try CLI.run(["explain", "--color", "never", Self.log])
    let full = try CLI.run(["explain", "--color", "never", "--explain", Self.log])
    let verbose = try CLI.run(["explain", "--color", "never", "-v", Self.log])
    #expect(brief.status == 1 && full.status == 1)
    #expect(full.stdout == verbose.stdout)
    let lines = brief.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count < 20, "\(brief.stdout)")
    #expect(full.stdout.split(separator: "\n").count > 100)
    // What, where, the fix's first step, the symptom as one line, and how to see it all.
    #expect(brief.stdout.contains("1/2 WARNING s2i-manage-py-missing at \(Self.log):42-82, 6 times"))
    #expect(brief.stdout.contains("  Fix: add mod_wsgi to requirements.txt (and 1 more step)"))
    #expect(brief.stdout.contains("  explains k8s-crashloop-backoff at \(Self.log):77: "))
    #expect(brief.stdout.hasSuffix("Why, the log lines and the whole patch: logrx explain --explain \(Self.log)\n"))
    #expect(!brief.stdout.contains("  Why\n") && full.stdout.contains("  Why\n"))
    #expect(!brief.stdout.contains("Patch") && full.stdout.contains("exec mod_wsgi-express start-server"))
  }

  @Test func thePagerIsUsedOnlyOnATerminal() throws {
    // Not a terminal (the test's pipe): never paged, whatever the environment says.
    let piped = try CLI.run(["explain", "--color", "never", Self.log], environment: ["LOGRX_PAGER": "sed s/^/PAGED:/"])
    #expect(!piped.stdout.contains("PAGED:"))
    #expect(piped.stdout.hasPrefix("3 findings"))
    // On a terminal (script(1) gives one): LOGRX_PAGER wins over PAGER; --no-pager turns it off.
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
    func onTerminal(_ arguments: String, _ environment: [String: String]) throws -> String {
      let command = "\(CLI.binary) explain --color never \(arguments) \(Self.log)"
      let result = try CLI.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
      return result.stdout
    }
    let paged = try onTerminal("", ["LOGRX_PAGER": "sed s/^/PAGED:/", "PAGER": "sed s/^/WRONG:/"])
    #expect(paged.contains("PAGED:3 findings"))
    #expect(!paged.contains("WRONG:"))
    let byPAGER = try onTerminal("", ["PAGER": "sed s/^/VIA-PAGER:/"])
    #expect(byPAGER.contains("VIA-PAGER:3 findings"))
    let unpaged = try onTerminal("--no-pager", ["LOGRX_PAGER": "sed s/^/PAGED:/"])
    #expect(!unpaged.contains("PAGED:") && unpaged.contains("3 findings"))
  }
}

/// Input that is not a log, and words that are no command.
@Suite struct InputProblemTests {
  @Test func aMissingFileIsSaidTheWayCatSaysIt() throws {
    let result = try CLI.run(["explain", "nope.log"], cwd: Fixtures.temporaryDirectory().path)
    #expect(result.status == 2)
    #expect(result.stderr == "logrx: nope.log: no such file\n")
    #expect(result.stdout.isEmpty)
  }

  @Test func emptyInputSaysNoInput() throws {
    let result = try CLI.run(["explain"], stdin: "")
    #expect(result.status == 0)
    #expect(result.stderr == "logrx: no input\n")
    #expect(result.stdout.isEmpty)
  }

  @Test(arguments: ["explain", "scan"])
  func aRunWithNoRulesIsAnError(command: String) throws {
    let result = try CLI.run([command, "--no-builtin", Fixtures.path("Corpus/logs/guide/02-pod-no-app.log")])
    #expect(result.status == 2)
    #expect(result.stderr.contains("logrx: no rules loaded"))
  }

  @Test func aBinaryFileIsSkippedWithANote() throws {
    let result = try CLI.run(["explain", "--color", "never", CLI.binary])
    #expect(result.status == 0)
    #expect(result.stdout.contains("binary file (an ELF executable), skipped"))
    #expect(!result.stdout.contains("ERROR"))
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var bytes = [UInt8](repeating: 0, count: 4096)
    bytes += Array("KeyError: 'OPENSHIFT_REPO_DIR'\n".utf8)
    try Data(bytes).write(to: folder.appendingPathComponent("core.dump"))
    let nul = try CLI.run(["explain", "--color", "never", folder.appendingPathComponent("core.dump").path])
    #expect(nul.stdout.contains("binary file (mostly NUL bytes in its first 8 KiB), skipped"))
    #expect(!nul.stdout.contains("openshift-v2-env-missing"))
  }

  @Test func gzipOnStandardInputIsDecoded() throws {
    let log = try String(contentsOfFile: Fixtures.path("Corpus/logs/guide/02-pod-no-app.log"), encoding: .utf8)
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(log.utf8).write(to: folder.appendingPathComponent("pod.log"))
    let result = try CLI.runProgram("/bin/sh", ["-c", "gzip -c pod.log | \"$0\" explain --color never", CLI.binary], cwd: folder.path)
    #expect(result.stdout.contains("ERROR s2i-no-app-to-run at <stdin>"))
  }

  @Test func aMistypedCommandGetsTheNearest() throws {
    let result = try CLI.run(["scna", "logs/"])
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("logrx: 'scna' is not a logrx command; did you mean scan?\n"))
    #expect(try CLI.run(["expalin"]).stderr.contains("did you mean explain?"))
    #expect(try CLI.run(["zzzzzz"]).stderr.contains("is not a logrx command (explain, watch, scan, history, fix, eval, rules)"))
  }
}
