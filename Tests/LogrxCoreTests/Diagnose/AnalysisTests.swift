import Foundation
import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct AnalysisTests {
  @Test func repeatedFindingsAreCountedOnce() {
    let text = """
      ---> Collecting Django static files ...
      WARNING: seems that you're using Django, but we could not find a 'manage.py' file.
      'manage.py collectstatic' ignored.
      other
      WARNING: seems that you're using Django, but we could not find a 'manage.py' file.
      Skipped 'python manage.py migrate'.

      """
    let findings = Fixtures.findings(in: text)
    let manage = findings.filter { $0.rule.id == "s2i-manage-py-missing" }
    #expect(manage.count == 1)
    #expect(manage.first?.firstLine == 2)
    #expect(manage.first?.lastLine == 6)
    #expect(manage.first?.count == 4)
  }

  @Test func aFoldedFindingTakesEachCaptureFromTheFirstHitThatHasIt() throws {
    let text = """
        Building wheel for mysqlclient (setup.py): finished with status 'error'
        unable to execute 'gcc': No such file or directory
        ERROR: Failed building wheel for psycopg2

      """
    let pip = try #require(Fixtures.findings(in: text).first { $0.rule.id == "s2i-pip-install-failed" })
    #expect(pip.count == 3)
    #expect(pip.captures["package"] == "mysqlclient")
    #expect(pip.captures["compiler"] == "unable to execute 'gcc': No such file or directory")
  }

  @Test func aSymptomIsFoldedUnderItsCause() throws {
    let text = """
      NAME             READY     STATUS             RESTARTS   AGE
      django-1-build   0/1       Completed          0          10m
      django-1-jfknz   0/1       CrashLoopBackOff   3          1m
      WARNING: seems that you're using Django, but we could not find a 'manage.py' file.
      Skipped 'python manage.py migrate'.
      ERROR: don't know how to run your application.
      Please set either APP_MODULE, APP_FILE or APP_SCRIPT environment variables, or create a file 'app.py' to launch your application.

      """
    let findings = Fixtures.findings(in: text)
    let crash = try #require(findings.first { $0.rule.id == "k8s-crashloop-backoff" })
    let noApp = try #require(findings.first { $0.rule.id == "s2i-no-app-to-run" })
    #expect(!crash.isRootCause)
    #expect(noApp.explains.contains(crash.fingerprint))
    // Causes in stage order (build before deploy), the symptom right after its cause.
    let order = findings.map(\.rule.id)
    #expect(order.firstIndex(of: "s2i-manage-py-missing")! < order.firstIndex(of: "s2i-no-app-to-run")!)
    #expect(order.firstIndex(of: "k8s-crashloop-backoff")! == order.firstIndex(of: "s2i-no-app-to-run")! + 1)
  }

  @Test func unlessCancelsAFindingDecidedAtTheEndOfTheInput() {
    let access = "10.128.2.1 - - [03/Jul/2017:05:20:01 +0000] \"GET /admin/ HTTP/1.1\" 500 27 \"-\" \"curl/7.29.0\"\n"
    #expect(Fixtures.findings(in: access).map(\.rule.id) == ["django-500-unlogged"])
    let withTraceback = access + "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: boom\n"
    #expect(!Fixtures.findings(in: withTraceback).contains { $0.rule.id == "django-500-unlogged" })
  }

  @Test func tracebackRulesCarryTheWholeTracebackAndItsLastFrame() throws {
    let text = """
      Traceback (most recent call last):
        File "/opt/app-root/src/wsgi/myproject/myproject/settings.py", line 22, in <module>
          SECRETS = secrets.getter(os.path.join(DATA_DIR, 'secrets.json'))
      AttributeError: module 'secrets' has no attribute 'getter'
      [2017-07-03 05:20:01 +0000] [1] [INFO] Shutting down: Master

      """
    let finding = try #require(Fixtures.findings(in: text).first { $0.rule.id == "python-secrets-module-shadowed" })
    #expect(finding.evidence.map(\.line) == [1, 2, 3, 4])
    #expect(finding.captures["frame_file"] == "/opt/app-root/src/wsgi/myproject/myproject/settings.py")
  }

  @Test func namesComeFromTheLogForCommands() throws {
    let text = "[pod/django-7-abcde/django] Multi-Attach error for volume \"pvc-1234\" Volume is already exclusively attached to one node and can't be attached to another\n"
    let finding = try #require(Fixtures.findings(in: text).first { $0.rule.id == "k8s-pvc-multi-attach" })
    let commands = finding.fixes.compactMap(\.run)
    #expect(commands.contains("oc scale dc/django --replicas=0"))
    #expect(finding.source.pod == "django-7-abcde")
  }

  @Test func resultsDoNotDependOnHowTheInputIsChunked() {
    let text = (try? String(contentsOfFile: Fixtures.path("Rules/s2i/s2i-no-app-to-run.yaml"), encoding: .utf8)) ?? ""
    let sample = """
      2017-07-03T05:20:01.7Z stdout F ERROR: don't know how to run your application.
      \u{1B}[31mKeyError: 'OPENSHIFT_DATA_DIR'\u{1B}[0m\r
      Traceback (most recent call last):
        File "/opt/app-root/src/wsgi.py", line 4, in <module>
      KeyError: 'APPDIR'
      done

      """ + text
    let whole = Fixtures.findings(in: sample).map { "\($0.rule.id) \($0.firstLine)-\($0.lastLine) x\($0.count) \($0.fingerprint)" }
    for chunk in [1, 3, 64] {
      let split = Fixtures.findings(in: sample, chunk: chunk).map { "\($0.rule.id) \($0.firstLine)-\($0.lastLine) x\($0.count) \($0.fingerprint)" }
      #expect(split == whole, "chunk \(chunk)")
    }
  }

  @Test func podNamesMapToTheirOwners() {
    #expect(Origin.owner(ofPod: "django-1-jfknz") == "django")
    #expect(Origin.owner(ofPod: "my-app-12-x9z2k") == "my-app")
    #expect(Origin.owner(ofPod: "django-1-build") == "django")
    #expect(Origin.owner(ofPod: "web-5d9c8b7f6-x2k4p") == "web")
    #expect(Origin.owner(ofPod: "postgresql") == "postgresql")
    #expect(Origin.owner(ofBuild: "shop-6") == "shop")
    #expect(Origin.owner(ofBuild: "myproject/my-app-12") == "my-app")
    #expect(Origin.owner(ofBuild: "nightly") == "nightly")
  }
}

/// The prefilter must never lose a hit that running every regex on every line would find.
@Suite struct PrefilterEquivalenceTests {
  func bruteForce(_ rules: [Rule], _ lines: [String]) -> [String] {
    var hits: [String] = []
    let matcher = RegexMatcher()
    for (index, line) in lines.enumerated() {
      for (ruleIndex, rule) in rules.enumerated() {
        for (signatureIndex, signature) in rule.signatures.enumerated() {
          if case .match = matcher.match(signature.regex, in: line) { hits.append("\(index) \(ruleIndex) \(signatureIndex)") }
        }
      }
    }
    return hits.sorted()
  }

  func prefiltered(_ rules: [Rule], _ lines: [String]) -> [String] {
    let matcher = RuleMatcher(rules: rules)
    var batch: [String] = []
    nonisolated(unsafe) var hits: [String] = []
    var decoder = LogDecoder(file: "x") { lineBatch in
      for hit in matcher.hits(in: lineBatch) {
        if case .match(let rule, let signature) = hit.role { hits.append("\(lineBatch.numbers[hit.line] - 1) \(rule) \(signature)") }
      }
    }
    batch = lines
    var reader = LineReader()
    defer { reader.deallocate() }
    var source = MemorySource(Array(batch.joined(separator: "\n").utf8) + [0x0A])
    try? reader.read(&source, into: &decoder)
    decoder.finish()
    return hits.sorted()
  }

  @Test func everyExampleLineAndCorpusLine() throws {
    let rules = Fixtures.catalog.rules
    var lines: [String] = []
    for rule in rules {
      for example in rule.matchExamples + rule.nomatchExamples {
        // Plain lines only: the decoder would change CRI/JSON lines before matching.
        lines += example.text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("{") && !$0.hasPrefix("[pod/") && !$0.contains("\u{1B}") }
      }
    }
    lines = lines.filter { line in
      // Lines that start with a timestamp lose it in decoding; keep the test on raw text.
      !(line.count > 10 && line.dropFirst(4).first == "-" && line.dropFirst(10).first == "T")
    }
    #expect(lines.count > 50)
    #expect(prefiltered(rules, lines) == bruteForce(rules, lines))
  }
}

@Suite struct BadInputTests {
  @Test func invalidUTF8AndNULBytesDoNotStopTheAnalysis() {
    var bytes: [UInt8] = Array("start\n".utf8) + [0x00, 0xFF, 0xC3, 0x28, 0x0A]
    bytes += Array(String(repeating: "\u{0}", count: 100).utf8) + [0x0A]
    bytes += Array("ERROR: don't know how to run your application.\n".utf8)
    let analysis = Analysis(catalog: Fixtures.catalog)
    var source = MemorySource(bytes)
    analysis.analyze(&source, name: "binary.log")
    #expect(analysis.findings().map(\.rule.id) == ["s2i-no-app-to-run"])
  }

  @Test func aRegexThatHitsPCRE2sLimitIsADiagnosticNamingRuleAndLine() throws {
    let rule = Fixtures.ruleYAML(id: "slow-rule", regex: "^(\\w+\\s?)*$", extra: "")
    let catalog = Fixtures.catalog(["slow-rule.yaml": rule])
    let analysis = Analysis(catalog: catalog)
    var source = MemorySource(Array(("ok!\n" + String(repeating: "a", count: 40) + "!\n").utf8))
    analysis.analyze(&source, name: "big.log")
    #expect(analysis.findings().isEmpty)
    let diagnostic = try #require(analysis.diagnostics.first)
    #expect(diagnostic.description == "big.log:2:1: warning: rule 'slow-rule' hit PCRE2's match limit on this line and was skipped there; simplify its regex")
  }

  @Test func aHugeLineIsCutOnceAndTheRestStillAnalysed() {
    let huge = String(repeating: "x", count: 3 << 20)
    let text = huge + "\nKeyError: 'OPENSHIFT_REPO_DIR'\n" + huge + "\n"
    let analysis = Analysis(catalog: Fixtures.catalog)
    var source = MemorySource(Array(text.utf8), chunk: 100_000)
    analysis.analyze(&source, name: "huge.log")
    #expect(analysis.findings().map(\.rule.id) == ["openshift-v2-env-missing"])
    #expect(analysis.diagnostics.map(\.description) == ["huge.log:1:1: warning: line longer than 1 MiB; only its first 1 MiB was analysed (and 1 more lines)"])
  }

  @Test func randomSplitsGiveTheSameFindings() throws {
    let text = try String(contentsOfFile: Fixtures.path("Corpus/logs/guide/12-pod-disallowed-host.log"), encoding: .utf8)
      + (try String(contentsOfFile: Fixtures.path("Corpus/logs/guide/04-pod-keyerror-repo-dir.log"), encoding: .utf8))
    let whole = Fixtures.findings(in: text).map { "\($0.fingerprint) \($0.count) \($0.firstLine)-\($0.lastLine)" }
    #expect(!whole.isEmpty)
    var generator = SplitMix(seed: 99)
    for _ in 0..<5 {
      let sizes = (0..<50).map { _ in Int.random(in: 1...300, using: &generator) }
      let analysis = Analysis(catalog: Fixtures.catalog)
      var source = SplitSource(bytes: Array(text.utf8), sizes: sizes)
      analysis.analyze(&source, name: "input.log")
      #expect(analysis.findings().map { "\($0.fingerprint) \($0.count) \($0.firstLine)-\($0.lastLine)" } == whole)
    }
  }
}
