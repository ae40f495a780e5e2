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

  @Test func noHalfFilledTemplateReachesTheCorpusOutput() throws {
    for folder in ["guide", "platform", "python-django"] {
      let result = try CLI.run(["explain", "--color", "never", Fixtures.path("Corpus/logs/\(folder)")])
      for leftover in ["<source.", "${", "$<", "(?<", "<found>", "<frame_file>"] {
        #expect(!result.stdout.contains(leftover), "\(folder): \(leftover)")
      }
    }
  }
}
