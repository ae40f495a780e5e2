import Foundation
import Testing
import LogrxTestSupport

/// `make install PREFIX=…` puts a stripped binary, its debug info apart, a man page per command
/// and the shell completions where packagers and shells look for them.
@Suite struct InstallTests {
  @Test func makeInstallPutsEveryFileInPlace() throws {
    let prefix = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: prefix) }
    let made = try CLI.runProgram("/usr/bin/make", ["install", "PREFIX=\(prefix.path)", "BIN=\(CLI.binary)"], cwd: Fixtures.root.path)
    #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
    func path(_ relative: String) -> String { prefix.appendingPathComponent(relative).path }
    let binary = path("bin/logrx")
    let debug = path("lib/debug\(prefix.path)/bin/logrx.debug")
    #expect(FileManager.default.isExecutableFile(atPath: binary))
    #expect(FileManager.default.fileExists(atPath: debug))

    // Stripped: no DWARF in the binary; the debug file has it, and the binary links to it.
    let sections = try CLI.runProgram("/usr/bin/readelf", ["-S", "-W", binary]).stdout
    #expect(!sections.contains(".debug_info"))
    #expect(sections.contains(".gnu_debuglink"))
    #expect(try CLI.runProgram("/usr/bin/readelf", ["-S", "-W", debug]).stdout.contains(".debug_info"))
    let size = { (file: String) in (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0 }
    #expect(size(binary) < size(CLI.binary))

    // The installed binary works.
    let run = try CLI.runProgram(binary, ["explain", "--color", "never", Fixtures.path("Corpus/logs/guide/02-pod-no-app.log")])
    #expect(run.stdout.contains("s2i-no-app-to-run"))

    // A man page per command, from the binary's help.
    for page in ["logrx", "logrx-explain", "logrx-watch", "logrx-scan", "logrx-history", "logrx-fix", "logrx-eval", "logrx-rules", "logrx-rules-list"] {
      let text = (try? String(contentsOfFile: path("share/man/man1/\(page).1"), encoding: .utf8)) ?? ""
      #expect(text.hasPrefix(".TH \"\(page.uppercased())\" \"1\""), "\(page)")
      #expect(text.contains(".SH OPTIONS") || page == "logrx-rules", "\(page)")
    }
    let explain = try String(contentsOfFile: path("share/man/man1/logrx-explain.1"), encoding: .utf8)
    #expect(explain.contains("\\fB\\-\\-explain, \\-v, \\-\\-verbose\\fR"))

    // Completions for bash, zsh and fish.
    let completions = [
      "share/bash-completion/completions/logrx": "_logrx", "share/zsh/site-functions/_logrx": "#compdef logrx",
      "share/fish/vendor_completions.d/logrx.fish": "complete -c 'logrx'",
    ]
    for (file, marker) in completions {
      let text = (try? String(contentsOfFile: path(file), encoding: .utf8)) ?? ""
      #expect(text.contains(marker), "\(file)")
      #expect(text.contains("explain"), "\(file)")
    }
  }
}
