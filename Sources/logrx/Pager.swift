import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Long output on a terminal goes through a pager, as git's does: `LOGRX_PAGER`, then `PAGER`,
/// then `less -FRX` (which quits at once when the text fits on one screen and keeps colours).
/// Never when standard output is not a terminal; an empty value or `cat` means no pager.
enum Pager {
  /// The pager's command line, or nil for none.
  static func command(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let command = (environment["LOGRX_PAGER"] ?? environment["PAGER"] ?? "less -FRX").trimmingCharacters(in: .whitespaces)
    if command.isEmpty || command == "cat" { return nil }
    // A pager that is not installed would take our output with it: check its program first.
    let program = String(command.prefix { $0 != " " })
    if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? command : nil }
    let path = environment["PATH"] ?? "/usr/bin:/bin"
    let found = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    return found ? command : nil
  }

  /// Starts the pager with standard output redirected into it, when standard output is a
  /// terminal; call ``finish(_:)`` with the result once everything is written.
  static func start(enabled: Bool) -> Process? {
    guard enabled, isatty(1) == 1, let command = command() else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardInput = pipe
    do { try process.run() } catch { return nil }
    dup2(pipe.fileHandleForWriting.fileDescriptor, 1)
    try? pipe.fileHandleForWriting.close()
    // A pager quit early (q in less) closes the pipe: stop quietly, as git does.
    signal(SIGPIPE, SIG_DFL)
    return process
  }

  /// Ends the output and waits for the reader to leave the pager.
  static func finish(_ process: Process?) {
    guard let process else { return }
    StandardOutput.shared.flush()
    close(1)
    process.waitUntilExit()
  }
}
