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

/// The attack suite: each case an attack or an unlucky operator found against 40b98fb, driven
/// through the real binary, so none can come back.
@Suite struct AttackTests {
  /// Every path under `folder`, relative to it.
  static func listing(_ folder: URL) -> [String] {
    (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
  }

  /// Names from `oc`/`kubectl` output are data: a pod, namespace or container named with `../`
  /// never becomes a path outside the fetch folder, and is said as an error.
  @Test func namesFromTheClusterNeverBecomePaths() throws {
    let sandbox = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: sandbox) }
    let temporary = sandbox.appendingPathComponent("a/b/c/tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let result = try CLI.run(
      ["scan", "--cluster", "--client", Fixtures.path("Tests/Fixtures/hostile/bin/kubectl"), "--no-progress"],
      environment: ["TMPDIR": temporary.path, "HOSTILE_MARKER": "escaped"])
    // Nothing with the marker anywhere in the sandbox, and the fetch folder is gone.
    #expect(Self.listing(sandbox).filter { $0.contains("escaped") } == [])
    #expect(Self.listing(temporary) == [])
    #expect(result.status == 2, "the refused names are errors: \(result.stderr)")
    for name in [#"../../escaped-pod"#, #"../escaped-ns"#, #"../../../escaped-container"#, "--kubeconfig=/dev/null"] {
      #expect(result.stderr.contains("\"\(name)\", which is not a Kubernetes name"), "\(name): \(result.stderr)")
    }
    // The ordinary pod is still read.
    #expect(result.stdout.contains("myproject/django-1-abcde/django.log:1: error openshift-v2-env-missing"), "\(result.stdout)")
  }

  /// A tar whose headers lie (a 64 GiB long name in 1.5 KB, a base-256 size of Int.max, a
  /// 256 MiB long name in a 1 MB tar.gz) is a warning about that archive: no abort, no trap,
  /// memory stays small, the entries around it and the other files are still read, and a
  /// `--state` rerun does not die on the same file.
  @Test(arguments: [
    ("huge-long-name", "must-gather.tar", false), ("base256-max", "must-gather.tar", true),
    ("giant-long-name", "must-gather.tar.gz", true),
  ])
  func aHostileTarIsAWarningAndTheScanGoesOn(kind: String, name: String, hasLogAfter: Bool) throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let archive = folder.appendingPathComponent(name).path
    let made = try Trees.run("/usr/bin/python3", [Fixtures.path("Tests/Fixtures/hostile/make-tar.py"), kind, archive])
    #expect(made.status == 0, "\(made.output)")
    let plain = folder.appendingPathComponent("app.log").path
    try Data("Traceback (most recent call last):\nKeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: URL(fileURLWithPath: plain))
    let state = folder.appendingPathComponent("state.sqlite").path
    for run in 1...2 {
      let (result, peak) = try CLI.runMeasuringPeak(["scan", "--no-progress", "--state", state, archive, plain])
      #expect(result.status == (run == 1 ? 1 : 0), "run \(run): \(result.stderr)")
      #expect(peak > 0 && peak < 150 * 1024, "peak RSS \(peak) KiB")
      if run == 1 {
        #expect(result.stdout.contains("app.log:2: error openshift-v2-env-missing"), "\(result.stdout)")
        #expect(result.stderr.contains("warning: \(archive)") || result.stderr.contains(archive), "\(result.stderr)")
        #expect(result.stdout.contains("\(name):ns/pods/p-1-aaaaa/c/c/logs/current.log:1: error openshift-v2-env-missing") == hasLogAfter)
      }
    }
  }

  /// A rule whose fix creates `${dir}/hooks/pre-commit` from a capture of the log.
  static let plantingRule = """
    id: plant-hook
    title: A rule pack that tries to plant a git hook
    severity: error
    stage: runtime
    match:
      - regex: 'plant (?<dir>\\S+)'
    message: "found"
    explain: "because"
    fix:
      - create: { path: "${dir}/hooks/pre-commit", mode: "0755", content: "#!/bin/sh\\ntouch /tmp/pwned\\n" }
    examples:
      match: ["plant tools"]
      nomatch: ["plant"]

    """

  /// `rules check` refuses a fix that names `.git` (or `.hg`, `.GIT.`) or a setuid mode, with
  /// the file and line of each.
  @Test func aRulePackCannotNameGitOrASetuidMode() throws {
    let pack = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: pack) }
    let hooks = Self.plantingRule.replacingOccurrences(of: "id: plant-hook", with: "id: git-hook")
      .replacingOccurrences(of: "${dir}/hooks/pre-commit", with: "sub/.GIT./hooks/pre-commit")
    let setuid = Self.plantingRule.replacingOccurrences(of: "id: plant-hook", with: "id: setuid")
      .replacingOccurrences(of: "${dir}/hooks/pre-commit", with: "bin/run").replacingOccurrences(of: "\"0755\"", with: "\"6777\"")
    try Data(hooks.utf8).write(to: pack.appendingPathComponent("git-hook.yaml"))
    try Data(setuid.utf8).write(to: pack.appendingPathComponent("setuid.yaml"))
    let check = try CLI.run(["rules", "check", pack.path])
    #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
    let said = check.stdout + check.stderr
    #expect(said.contains("git-hook.yaml:10:"), "\(said)")
    #expect(said.contains("a fix never writes inside a version-control folder"))
    #expect(said.contains("setuid.yaml:10:"))
    #expect(said.contains("'mode' 6777 is not allowed"))
  }

  /// A path filled in from the log (`.git`, `.hg`, `.Git.`) or a link in the tree that leads
  /// into `.git` is refused at `--apply`; nothing is written under `.git`.
  @Test(arguments: [".git", ".hg", ".Git.", "tools"])
  func aFixNeverWritesIntoGit(dir: String) throws {
    let pack = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: pack) }
    try Data(Self.plantingRule.utf8).write(to: pack.appendingPathComponent("plant-hook.yaml"))
    let tree = try Trees.make(["app.py": .init("print('hello')\n")])
    defer { try? FileManager.default.removeItem(at: tree) }
    for vcs in [".git", ".hg"] {
      try FileManager.default.createDirectory(at: tree.appendingPathComponent("\(vcs)/hooks"), withIntermediateDirectories: true)
    }
    try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("tools").path, withDestinationPath: ".git")
    let log = pack.appendingPathComponent("build.log")
    try Data("plant \(dir)\n".utf8).write(to: log)
    let result = try CLI.run(["fix", "--rules", pack.path, "--source", tree.path, "--no-predict", "--apply", log.path])
    #expect(result.stderr.contains("a fix never writes inside a version-control folder"), "\(result.stderr)")
    for vcs in [".git", ".hg"] {
      #expect(Self.listing(tree.appendingPathComponent(vcs)) == ["hooks"], "\(vcs)")
    }
  }

  // MARK: #14 item 5: copytruncate behind the same banner

  /// A log truncated in place and written again (copytruncate), with the same first KiB (a
  /// banner) and as long as before or longer, is read again from the start: its new error is
  /// reported.
  @Test(arguments: [0, 400])
  func copytruncateBehindTheSameBannerIsReadAgain(extra: Int) throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("app.log")
    let banner = String(repeating: "=== banner of the app, the same every start ===\n", count: 30)
    let failure = "Traceback (most recent call last):\nKeyError: 'OPENSHIFT_DATA_DIR'\n"
    let quiet = String(repeating: "x", count: failure.utf8.count - 1) + "\n"
    try Data((banner + quiet).utf8).write(to: log)
    let state = folder.appendingPathComponent("state.sqlite").path
    let first = try CLI.run(["scan", "--no-progress", "--state", state, log.path])
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    // copytruncate: the same inode, emptied, then written again.
    let handle = try FileHandle(forWritingTo: log)
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data((banner + failure + String(repeating: "y", count: extra)).utf8))
    try handle.close()
    let second = try CLI.run(["scan", "--no-progress", "--state", state, log.path])
    #expect(second.status == 1, "\(second.stdout)\(second.stderr)")
    #expect(second.stdout.contains("app.log:\(banner.split(separator: "\n").count + 2): error openshift-v2-env-missing"), "\(second.stdout)\(second.stderr)")
    #expect(second.stderr.contains("read again from the start"), "\(second.stderr)")
  }

  // MARK: #14 item 14: a CRI logical line over 1 MiB

  /// A CRI logical line joined from partial (`P`) parts to more than 1 MiB is cut, and said, as
  /// a plain line over 1 MiB is.
  @Test func aJoinedCRILineOverOneMiBIsSaid() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("current.log")
    let part = String(repeating: "a", count: 400 * 1024)
    var text = "2024-05-01T10:00:00.000000000Z stdout F starting\n"
    for _ in 0..<3 { text += "2024-05-01T10:00:01.000000000Z stdout P \(part)\n" }
    text += "2024-05-01T10:00:01.000000000Z stdout F end\n"
    try Data(text.utf8).write(to: log)
    let result = try CLI.run(["scan", "--no-progress", log.path])
    #expect(result.stderr.contains("current.log:2:1: warning: line longer than 1 MiB"), "\(result.stderr)")
  }

  // MARK: #14 item 4: the report and the state are one unit

  /// A rule pack with one rule whose findings differ by a number: `boom 17` is its own finding.
  static func boomRules() throws -> URL {
    let pack = Fixtures.temporaryDirectory()
    try Data(
      """
      id: boom-number
      title: A numbered boom
      severity: error
      stage: runtime
      match:
        - regex: 'boom (?<n>[0-9]+)'
      message: "boom number ${n}"
      explain: "numbered booms are errors"
      examples:
        match: ["boom 1"]
        nomatch: ["boom"]

      """.utf8
    ).write(to: pack.appendingPathComponent("boom-number.yaml"))
    return pack
  }

  /// Starts the binary with standard output appended to `output` (as `>> output` does) and
  /// standard error to `errors`.
  static func start(_ arguments: [String], appendingTo output: String, errors: String = "/dev/null") throws -> Process {
    let out = open(output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    let err = open(errors, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.binary)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle(fileDescriptor: out, closeOnDealloc: true)
    process.standardError = FileHandle(fileDescriptor: err, closeOnDealloc: true)
    try process.run()
    return process
  }

  /// The numbers of the `boom-number` finding lines in a text report, in order.
  static func booms(in report: String) -> [Int] {
    report.split(separator: "\n").compactMap { line in
      guard line.contains(": error boom-number"), line.contains(": boom number ") else { return nil }
      return Int(line.split(separator: " ").last ?? "")
    }
  }

  /// A report that cannot be written (`>/dev/full`) is a message and exit 2, and the state is
  /// unchanged: the next run reports every finding.
  @Test func aReportThatCannotBeWrittenLeavesTheStateAsItWas() throws {
    let pack = try Self.boomRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    let log = pack.appendingPathComponent("app.log")
    try Data((1...3000).map { "line \($0): boom \($0)\n" }.joined().utf8).write(to: log)
    let state = pack.appendingPathComponent("state.sqlite").path
    let arguments = ["scan", "--no-progress", "--no-builtin", "--rules", pack.path, "--state", state, log.path]
    let errors = pack.appendingPathComponent("errors.txt").path
    let full = try Self.start(arguments, appendingTo: "/dev/full", errors: errors)
    full.waitUntilExit()
    let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    #expect(full.terminationStatus == 2, "\(said)")
    #expect(said.contains("standard output: cannot write: No space left on device"), "\(said)")
    #expect(said.contains("the scan state is unchanged"), "\(said)")
    let report = pack.appendingPathComponent("report.txt").path
    let again = try Self.start(arguments, appendingTo: report)
    again.waitUntilExit()
    #expect(again.terminationStatus == 1)
    let booms = Self.booms(in: (try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
    #expect(booms == Array(1...3000), "\(booms.count) of 3000 findings reported after the failed run")
  }

  /// Thirty runs on a growing log, each killed with SIGKILL, their reports appended to one
  /// file (as a cron job's `>> report` does), then one run to the end: every finding is in the
  /// file exactly once. Half the runs are killed at a random moment, half the moment their
  /// report starts to reach the file (the report is larger than one 64 KiB write, so a kill
  /// then cuts it).
  @Test func killedRunsLoseNothingAndRepeatNothing() throws {
    let pack = try Self.boomRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    let log = pack.appendingPathComponent("application-server-with-a-rather-long-name-for-its-log.log")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let state = pack.appendingPathComponent("state.sqlite").path
    let report = pack.appendingPathComponent("report.txt").path
    let arguments = ["scan", "--no-progress", "--no-builtin", "--rules", pack.path, "--state", state, log.path]
    let total = 3000
    // The writer: 100 booms (among other lines) every 40 ms.
    let writer = Thread {
      let handle = FileHandle(forWritingAtPath: log.path)!
      handle.seekToEndOfFile()
      for batch in 0..<(total / 100) {
        var text = ""
        for n in (batch * 100 + 1)...(batch * 100 + 100) { text += "INFO request \(n) served\nline \(n): boom \(n)\n" }
        handle.write(Data(text.utf8))
        usleep(40_000)
      }
      handle.closeFile()
    }
    writer.start()
    func reportSize() -> Int64 {
      var info = stat()
      return stat(report, &info) == 0 ? Int64(info.st_size) : 0
    }
    var generator = SystemRandomNumberGenerator()
    var killed = 0
    for round in 0..<30 {
      let before = reportSize()
      let process = try Self.start(arguments, appendingTo: report)
      if round % 2 == 0 {
        usleep(UInt32.random(in: 0..<300_000, using: &generator))
      } else {
        // Until the report starts to reach the file (or the run ends, or 5 s pass).
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, reportSize() == before, Date() < deadline { usleep(100) }
      }
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        killed += 1
      }
      process.waitUntilExit()
    }
    while !writer.isFinished { usleep(10_000) }
    let last = try Self.start(arguments, appendingTo: report)
    last.waitUntilExit()
    #expect(last.terminationStatus == 0 || last.terminationStatus == 1)
    let booms = Self.booms(in: (try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
    #expect(killed > 0)
    let lost = Set(1...total).subtracting(booms).sorted()
    #expect(lost.isEmpty, "\(lost.count) of \(total) findings lost, such as \(lost.prefix(20)) (\(killed) runs killed)")
    let twice = Dictionary(grouping: booms, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    #expect(twice.isEmpty, "\(twice.count) findings reported more than once, such as \(twice.prefix(20))")
  }
}
