import Foundation
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

/// A one-line progress bar on standard error, for long scans on a terminal: redrawn at most
/// ten times a second, shown only after the scan has run for half a second, and erased at the
/// end so that nothing of it stays in the output.
final class ProgressBar {
  let enabled: Bool
  private let started = Date()
  private var lastDraw = Date.distantPast
  private var drawn = false

  init(enabled: Bool) { self.enabled = enabled }

  func update(_ progress: ScanProgress) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(started) > 0.5, now.timeIntervalSince(lastDraw) > 0.1 || progress.filesDone == progress.filesTotal
    else { return }
    lastDraw = now
    let fraction = progress.bytesTotal > 0 ? Double(progress.bytesDone) / Double(progress.bytesTotal) : Double(progress.filesDone) / Double(max(progress.filesTotal, 1))
    let width = 24
    let filled = Int((fraction * Double(width)).rounded(.down))
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    var name = progress.current
    if name.count > 40 { name = "…" + name.suffix(39) }
    let line = String(
      format: "\r[%@] %3d%%  %d/%d files  %@/%@  %@", bar, Int(fraction * 100), progress.filesDone, progress.filesTotal,
      ByteCount.format(progress.bytesDone), ByteCount.format(progress.bytesTotal), name)
    Terminal.writeAll(2, Array((line + "\u{1B}[K").utf8))
    drawn = true
  }

  /// Erases the bar.
  func clear() {
    guard drawn else { return }
    Terminal.writeAll(2, Array("\r\u{1B}[K".utf8))
    drawn = false
  }
}
