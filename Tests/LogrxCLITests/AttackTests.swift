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
      // Run 2 finds nothing new, but app.log's failure is still open: exit 1 both times.
      #expect(result.status == 1, "run \(run): \(result.stderr)")
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
  /// With `assuming`, the rule's claim needs the `openshift` context (or a probe failure) and is
  /// a note without it, like the port rule.
  static func boomRules(assuming: Bool = false) throws -> URL {
    let pack = Fixtures.temporaryDirectory()
    let assumes = assuming ? "assumes:\n  context: [openshift]\n  corroborated_by: [k8s-probe-failed]\n  otherwise: info\n" : ""
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
      \(assumes)examples:
        match: ["boom 1"]
        nomatch: ["boom"]

      """.utf8
    ).write(to: pack.appendingPathComponent("boom-number.yaml"))
    return pack
  }

  /// Starts the binary with standard output appended to `output` (as `>> output` does) and
  /// standard error to `errors`.
  static func start(
    _ arguments: [String], appendingTo output: String, errors: String = "/dev/null", executable: String = CLI.binary,
    environment: [String: String] = [:]
  ) throws -> Process {
    let out = open(output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    let err = open(errors, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
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

  // MARK: Running the binary with a deadline

  struct Bounded {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the run had to be killed at the deadline.
    var hung: Bool
  }

  /// Findings of a rule that `assumes:` a context are weighed as they come (for watch and scan's
  /// --max-findings) against those seen before: with an index, not by re-weighing all of them
  /// for each new one (which took 322 s for 1000 findings, and grew with their cube).
  @Test func manyFindingsOfARuleThatAssumesAContextDoNotHang() throws {
    let pack = try Self.boomRules(assuming: true)
    let log = Fixtures.temporaryDirectory().appendingPathComponent("app.log")
    try Data((1...3000).map { "line \($0): boom \($0)\n" }.joined().utf8).write(to: log)
    let result = try Self.run(["scan", "--no-progress", "--rules", pack.path, log.path], seconds: 60)
    #expect(!result.hung, "scan of 3000 findings of an assuming rule still running after 60 s")
    // No openshift context in the input: each is a note, not an error.
    #expect(result.stdout.components(separatedBy: ": info boom-number: ").count == 3001, "\(result.stdout.prefix(300))")
  }

  /// Runs `executable` (the binary by default) and kills it after `seconds`: a test of a hang
  /// must not hang the suite.
  static func run(
    _ arguments: [String], executable: String = CLI.binary, seconds: Double, environment: [String: String] = [:]
  ) throws -> Bounded {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out").path
    let err = folder.appendingPathComponent("err").path
    let process = try start(arguments, appendingTo: out, errors: err, executable: executable, environment: environment)
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { usleep(10_000) }
    let hung = process.isRunning
    if hung { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return Bounded(
      status: process.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", hung: hung)
  }

  // MARK: #14 item 6, 7, 8: --apply never re-encodes, never overwrites an edit, never breaks links

  /// A rule pack whose fix adds a line to the file the log names.
  static func lineRules() throws -> URL {
    let pack = Fixtures.temporaryDirectory()
    try Data(
      """
      id: add-line
      title: A file needs a line
      severity: error
      stage: runtime
      match:
        - regex: 'needs a line in (?<file>[A-Za-z0-9_./-]+)'
      message: "add a line to ${file}"
      explain: "the file lacks it"
      fix:
        - ensure_line: { file: "${file}", line: "ADDED = True" }
      examples:
        match: ["needs a line in settings.py"]
        nomatch: ["needs"]

      """.utf8
    ).write(to: pack.appendingPathComponent("add-line.yaml"))
    try Data("needs a line in settings.py\n".utf8).write(to: pack.appendingPathComponent("build.log"))
    return pack
  }

  static func fixArguments(_ pack: URL, _ tree: URL) -> [String] {
    ["fix", "--no-builtin", "--rules", pack.path, "--source", tree.path, "--no-predict", "--apply", pack.appendingPathComponent("build.log").path]
  }

  /// A file that is not UTF-8 (Latin-1) is refused with a message that names it, and its bytes
  /// are left as they were (no U+FFFD).
  @Test func aFileThatIsNotUTF8IsRefusedNotReencoded() throws {
    let pack = try Self.lineRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    let tree = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: tree) }
    let latin1 = Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A, 0x44, 0x45, 0x42, 0x55, 0x47, 0x20, 0x3D, 0x20, 0x31, 0x0A])  // "# café\nDEBUG = 1\n"
    let settings = tree.appendingPathComponent("settings.py")
    try latin1.write(to: settings)
    let result = try CLI.run(Self.fixArguments(pack, tree))
    #expect(result.stderr.contains("settings.py: is not UTF-8 text"), "\(result.stderr)")
    #expect(result.status == 1)
    #expect(try Data(contentsOf: settings) == latin1)
  }

  /// A read-only file, and a file with a second hard link, are refused and left as they were
  /// (the link still shares the file).
  @Test func readOnlyAndHardLinkedFilesAreRefused() throws {
    let pack = try Self.lineRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    for kind in ["read-only", "hard link"] {
      let tree = Fixtures.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: tree) }
      let settings = tree.appendingPathComponent("settings.py")
      try Data("DEBUG = 1\n".utf8).write(to: settings)
      if kind == "read-only" {
        chmod(settings.path, 0o444)
      } else {
        link(settings.path, tree.appendingPathComponent("shared-settings.py").path)
      }
      let result = try CLI.run(Self.fixArguments(pack, tree))
      #expect(result.status == 1, "\(kind): \(result.stderr)")
      #expect(result.stderr.contains(kind == "read-only" ? "settings.py: is read-only" : "settings.py: has 2 hard links"), "\(kind): \(result.stderr)")
      #expect(try String(contentsOf: settings, encoding: .utf8) == "DEBUG = 1\n", "\(kind)")
      var info = stat()
      stat(settings.path, &info)
      #expect(kind == "read-only" ? info.st_mode & 0o777 == 0o444 : info.st_nlink == 2, "\(kind)")
    }
  }

  /// A tree with a 30 MB settings.py, for the writes that take long enough to be caught.
  static func bigTree() throws -> URL {
    let tree = Fixtures.temporaryDirectory()
    let line = "# " + String(repeating: "padding ", count: 12) + "\n"
    let text = "DEBUG = 1\n" + String(repeating: line, count: 30_000_000 / line.utf8.count)
    try Data(text.utf8).write(to: tree.appendingPathComponent("settings.py"))
    return tree
  }

  /// The files a process has open under `folder` (a temporary file too, named or not).
  static func openFiles(of pid: Int32, under folder: String) -> [String] {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
      .filter { $0.hasPrefix(folder + "/") }
  }

  /// An edit made while `--apply` writes the new file (after its content check) is not
  /// overwritten: the file is checked again just before the rename and refused.
  @Test func anEditDuringApplyIsNotOverwritten() throws {
    let pack = try Self.lineRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    let tree = try Self.bigTree()
    defer { try? FileManager.default.removeItem(at: tree) }
    let settings = tree.appendingPathComponent("settings.py")
    let real = settings.resolvingSymlinksInPath().deletingLastPathComponent().path
    let errors = pack.appendingPathComponent("errors.txt").path
    let process = try Self.start(Self.fixArguments(pack, tree), appendingTo: "/dev/null", errors: errors)
    // The moment the new file is being written (the settings file is not the one open), edit.
    var edited = false
    while process.isRunning, !edited {
      if Self.openFiles(of: process.processIdentifier, under: real).contains(where: { !$0.hasSuffix("/settings.py") }) {
        let handle = try FileHandle(forWritingTo: settings)
        handle.seekToEndOfFile()
        handle.write(Data("EDITED_BY_HAND = True\n".utf8))
        handle.closeFile()
        edited = true
      }
      usleep(200)
    }
    process.waitUntilExit()
    let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    #expect(edited, "the temporary file was never seen open: \(said)")
    #expect(said.contains("settings.py: changed while the fix was being written"), "\(said)")
    let tail = try FileHandle(forReadingFrom: settings)
    try tail.seek(toOffset: UInt64(try FileManager.default.attributesOfItem(atPath: settings.path)[.size] as! Int) - 22)
    #expect(String(decoding: tail.readDataToEndOfFile(), as: UTF8.self) == "EDITED_BY_HAND = True\n")
  }

  /// Runs of `--apply` killed at random moments while they write a 30 MB file leave no
  /// temporary file in the tree.
  @Test func aKilledApplyLeavesNothingInTheTree() throws {
    let pack = try Self.lineRules()
    defer { try? FileManager.default.removeItem(at: pack) }
    let tree = try Self.bigTree()
    defer { try? FileManager.default.removeItem(at: tree) }
    let real = tree.resolvingSymlinksInPath().path
    var caught = 0
    for round in 0..<10 {
      let process = try Self.start(Self.fixArguments(pack, tree), appendingTo: "/dev/null")
      // Half the runs killed at a random moment, half while the new file is open.
      if round % 2 == 0 {
        usleep(UInt32.random(in: 0..<1_500_000))
      } else {
        while process.isRunning, !Self.openFiles(of: process.processIdentifier, under: real).contains(where: { !$0.hasSuffix("/settings.py") }) {
          usleep(200)
        }
        caught += 1
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // Back to the unfixed file for the next round.
      if let text = try? String(contentsOf: tree.appendingPathComponent("settings.py"), encoding: .utf8), text.hasSuffix("ADDED = True\n") {
        try Data(text.dropLast("ADDED = True\n".count).utf8).write(to: tree.appendingPathComponent("settings.py"))
      }
    }
    #expect(caught > 0)
    #expect(Self.listing(tree) == ["settings.py"])
  }

  // MARK: #14 item 8, 9: a cluster client that hangs, and signals

  /// A client that never answers is stopped after `--client-timeout`, with a message, and
  /// nothing is left behind.
  @Test func aHungClientIsStoppedAfterItsTimeout() throws {
    let sandbox = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: sandbox) }
    let pidFile = sandbox.appendingPathComponent("client.pid").path
    let temporary = sandbox.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let result = try Self.run(
      ["scan", "--cluster", "-n", "myproject", "--client", Fixtures.path("Tests/Fixtures/hostile/bin/hung-client"), "--client-timeout", "2", "--no-progress"],
      seconds: 20, environment: ["TMPDIR": temporary.path, "HUNG_PIDFILE": pidFile])
    let pid = Int32(((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    defer { if pid > 0 { kill(pid, SIGKILL) } }
    #expect(!result.hung, "still running after 20 s")
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("hung-client did not answer within 2 s and was stopped"), "\(result.stderr)")
    #expect(pid > 0 && !Self.isRunning(pid), "the client \(pid) is still running")
    #expect(Self.listing(temporary) == [])
  }

  /// SIGINT or SIGTERM while the client runs: the client is stopped and the fetch folder is
  /// removed.
  @Test(arguments: [SIGINT, SIGTERM])
  func aSignalStopsTheClientAndRemovesTheFetchFolder(signal number: Int32) throws {
    let sandbox = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: sandbox) }
    let pidFile = sandbox.appendingPathComponent("client.pid").path
    let temporary = sandbox.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let errors = sandbox.appendingPathComponent("errors.txt").path
    let process = try Self.start(
      ["scan", "--cluster", "-n", "myproject", "--client", Fixtures.path("Tests/Fixtures/hostile/bin/hung-client"), "--no-progress"],
      appendingTo: "/dev/null", errors: errors, environment: ["TMPDIR": temporary.path, "HUNG_PIDFILE": pidFile])
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: pidFile), Date() < deadline { usleep(10_000) }
    usleep(100_000)
    let pid = Int32(((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    defer { if pid > 0 { kill(pid, SIGKILL) } }
    kill(process.processIdentifier, number)
    let ended = Date().addingTimeInterval(10)
    while process.isRunning, Date() < ended { usleep(10_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    usleep(200_000)
    #expect(pid > 0 && !Self.isRunning(pid), "the client \(pid) was left running")
    #expect(Self.listing(temporary) == [], "left behind in TMPDIR")
  }

  /// Whether `pid` runs (a zombie waiting for a parent that never reaps it does not).
  static func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.range(of: ") ", options: .backwards)
    else { return false }
    return !stat[close.upperBound...].hasPrefix("Z")
  }

  // MARK: #14 item 9: FIFOs and devices

  /// A FIFO in a scanned folder is skipped with a warning; one named on the command line with
  /// `--state` is an error; either way the scan ends and the state is not held.
  @Test func aFIFOInAScanIsSkippedNotWaitedOn() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let logs = folder.appendingPathComponent("logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    try Data("Traceback (most recent call last):\nKeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: logs.appendingPathComponent("app.log"))
    let fifo = logs.appendingPathComponent("pipe.log").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let state = folder.appendingPathComponent("state.sqlite").path
    let inFolder = try Self.run(["scan", "--no-progress", "--state", state, logs.path], seconds: 20)
    #expect(!inFolder.hung)
    #expect(inFolder.status == 1, "\(inFolder.stderr)")
    #expect(inFolder.stderr.contains("pipe.log: warning: skipped: a FIFO, not a regular file"), "\(inFolder.stderr)")
    #expect(inFolder.stdout.contains("app.log:2: error openshift-v2-env-missing"))
    let named = try Self.run(["scan", "--no-progress", "--state", state, fifo], seconds: 20)
    #expect(!named.hung)
    #expect(named.status == 2, "\(named.stderr)")
    #expect(named.stderr.contains("a FIFO, not a regular file: a scan with --state reads only files it can resume"), "\(named.stderr)")
  }

  /// `/dev/zero` behind a link and FIFOs in a `--source` tree do not hang `fix`.
  @Test func devicesAndFIFOsInASourceTreeDoNotHangFix() throws {
    let tree = try Trees.make(["app.py": .init("print('hello')\n")])
    defer { try? FileManager.default.removeItem(at: tree) }
    try FileManager.default.createDirectory(at: tree.appendingPathComponent("proj"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("proj/settings.py").path, withDestinationPath: "/dev/zero")
    #expect(mkfifo(tree.appendingPathComponent("requirements.txt").path, 0o644) == 0)
    #expect(mkfifo(tree.appendingPathComponent("manage.py").path, 0o644) == 0)
    let result = try Self.run(["fix", "--source", tree.path, Fixtures.path("Corpus/logs/guide/30-first-deploy-combined.txt")], seconds: 30)
    #expect(!result.hung, "fix still running after 30 s")
    #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
  }

  // MARK: #14 item 11: unreadable input is an error

  /// A path through a file used as a folder is said as such (not "no such file"), exit 2.
  @Test func aPathThroughAFileIsNotADirectory() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("app.log")
    try Data("hello\n".utf8).write(to: file)
    let result = try CLI.run(["scan", "--no-progress", file.path + "/pods"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("app.log/pods: error: not a directory"), "\(result.stderr)")
  }

  /// Run as `nobody` (tests run as root, for whom nothing is unreadable): a folder that cannot
  /// be listed and a file that cannot be read are errors naming them (permission denied), exit
  /// 2, and what can be read is still scanned; a tree with nothing readable is not "0 findings".
  @Test func unreadableInputIsAnErrorNotHealth() throws {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    chmod(folder.path, 0o755)
    let logs = folder.appendingPathComponent("logs")
    try FileManager.default.createDirectory(at: logs.appendingPathComponent("secret"), withIntermediateDirectories: true)
    try Data("Traceback (most recent call last):\nKeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: logs.appendingPathComponent("app.log"))
    try Data("KeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: logs.appendingPathComponent("private.log"))
    try Data("KeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: logs.appendingPathComponent("secret/hidden.log"))
    chmod(logs.path, 0o755)
    chmod(logs.appendingPathComponent("app.log").path, 0o644)
    chmod(logs.appendingPathComponent("private.log").path, 0o600)
    chmod(logs.appendingPathComponent("secret").path, 0o700)
    let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary]
    let result = try Self.run(nobody + ["scan", "--no-progress", logs.path], executable: "/usr/bin/setpriv", seconds: 30)
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains("secret: error: cannot read this folder: permission denied"), "\(result.stderr)")
    #expect(result.stderr.contains("private.log: cannot open: Permission denied"), "\(result.stderr)")
    #expect(result.stdout.contains("app.log:2: error openshift-v2-env-missing"), "\(result.stdout)")
    let nothing = try Self.run(nobody + ["scan", "--no-progress", logs.appendingPathComponent("secret").path], executable: "/usr/bin/setpriv", seconds: 30)
    #expect(nothing.status == 2, "\(nothing.stderr)")
    #expect(nothing.stderr.contains("permission denied"), "\(nothing.stderr)")
  }

  // MARK: #14 item 12: metrics and exit status follow open findings

  /// A `--state` rerun that reads nothing new keeps the failure in `logrx_findings` and exits
  /// 1 while it is open (`--exit-on new` gives 0); once its source is gone it is resolved, the
  /// gauge empties and the run exits 0.
  @Test func metricsAndExitStatusFollowOpenFindings() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let logs = folder.appendingPathComponent("logs")
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    let log = logs.appendingPathComponent("app.log")
    try Data("Traceback (most recent call last):\nKeyError: 'OPENSHIFT_DATA_DIR'\n".utf8).write(to: log)
    let state = folder.appendingPathComponent("state.sqlite").path
    let metrics = folder.appendingPathComponent("logrx.prom").path
    let arguments = ["scan", "--no-progress", "--state", state, "--metrics", metrics, logs.path]
    let series = #"logrx_findings{rule="openshift-v2-env-missing",severity="error",namespace=""} 1"#
    let first = try CLI.run(arguments)
    #expect(first.status == 1)
    #expect(((try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "").contains(series))
    let second = try CLI.run(arguments)
    #expect(second.status == 1, "the failure is still open: \(second.stderr)")
    let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
    #expect(text.contains(series), "\(text)")
    #expect(text.contains("logrx_findings_new_total 1"), "\(text)")
    let onlyNew = try CLI.run(arguments + ["--exit-on", "new"])
    #expect(onlyNew.status == 0, "\(onlyNew.stderr)")
    try FileManager.default.removeItem(at: log)
    let gone = try CLI.run(arguments)
    #expect(gone.status == 0, "\(gone.stderr)")
    #expect(!((try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "").contains("logrx_findings{"))
  }

  // MARK: #14 item 10: credentials never reach the output

  static let leakyTraceback = """
    Traceback (most recent call last):
      File "/opt/app-root/src/app.py", line 3, in <module>
        engine = create_engine("postgres://app:s3cr3tpass@db:5432/app", headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"})
      File "/opt/app-root/src/settings.py", line 9, in <module>
        DB_PASSWORD = "hunter2hunter2"; aws = "AKIAIOSFODNN7EXAMPLE"; auth = "Basic YWRtaW46cGFzc3dvcmQ="
    KeyError: 'OPENSHIFT_DATA_DIR'

    """
  static let secrets = ["s3cr3tpass", "eyJhbGciOiJIUzI1NiJ9", "hunter2hunter2", "AKIAIOSFODNN7EXAMPLE", "YWRtaW46cGFzc3dvcmQ="]

  /// URL passwords, bearer and basic tokens, password values and AWS keys in a log line never
  /// appear in JSON Lines, SARIF, Markdown or text, from `scan` or `explain`; `--no-redact`
  /// shows the raw line.
  @Test(arguments: ["scan", "explain"])
  func credentialsAreRedactedInEveryFormat(command: String) throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("app.log")
    try Data(Self.leakyTraceback.utf8).write(to: log)
    for format in ["jsonl", "sarif", "markdown", "text"] {
      // explain's text is short by default; its --explain form shows the evidence lines.
      let extra = command == "scan" ? ["--no-progress"] : format == "text" ? ["--explain"] : []
      let result = try CLI.run([command, "--format", format, log.path] + extra)
      #expect(result.status == 1, "\(command) \(format): \(result.stderr)")
      let said = result.stdout + result.stderr
      for secret in Self.secrets { #expect(!said.contains(secret), "\(command) \(format) shows \(secret)") }
      if format != "text" || command == "explain" {
        #expect(said.contains("postgres://app:[REDACTED]@db"), "\(command) \(format): \(said)")
      }
    }
    let raw = try CLI.run([command, "--format", "jsonl", "--no-redact", log.path])
    for secret in Self.secrets { #expect(raw.stdout.contains(secret), "--no-redact hides \(secret)") }
  }

  /// A private key block in a log is hidden whole, across its lines.
  @Test func aPrivateKeyBlockIsHiddenWhole() throws {
    let folder = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = folder.appendingPathComponent("app.log")
    let key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
    try Data(
      """
      Traceback (most recent call last):
        File "/opt/app-root/src/app.py", line 3, in <module>
          KEY = '-----BEGIN RSA PRIVATE KEY-----
          \(key)
          -----END RSA PRIVATE KEY-----'
      KeyError: 'OPENSHIFT_DATA_DIR'

      """.utf8
    ).write(to: log)
    let result = try CLI.run(["explain", "--format", "jsonl", log.path])
    #expect(!result.stdout.contains(key), "\(result.stdout)")
    #expect(result.stdout.contains("-----BEGIN RSA PRIVATE KEY-----"), "the line before the key is kept: \(result.stdout)")
  }
}
