import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose

/// Renders file changes as a git-style unified diff that `git apply` and `patch -p1` accept.
///
/// Lines are compared with their terminators, so CRLF files keep CRLF and a last line without
/// a newline is marked `\ No newline at end of file`. New files carry `new file mode`, mode
/// changes `old mode`/`new mode`. Hunks have three lines of context.
public enum UnifiedDiff {
  public static let context = 3

  /// The patch for all changes of a plan, in the plan's order.
  public static func render(_ changes: [Plan.FileChange]) -> String {
    changes.map(render).joined()
  }

  public static func render(_ change: Plan.FileChange) -> String {
    let path = change.path
    var out = "diff --git a/\(path) b/\(path)\n"
    let newMode = mode(change.mode)
    if change.original == nil {
      out += "new file mode \(newMode)\n"
    } else if let old = change.originalMode, old != change.mode {
      out += "old mode \(mode(old))\nnew mode \(newMode)\n"
    }
    let oldLines = Plan.lines(change.original ?? "")
    let newLines = Plan.lines(change.content)
    if oldLines == newLines { return out }
    out += change.original == nil ? "--- /dev/null\n" : "--- a/\(path)\n"
    out += "+++ b/\(path)\n"
    out += hunks(oldLines, newLines)
    return out
  }

  package static func mode(_ mode: Int) -> String { mode & 0o111 != 0 ? "100755" : "100644" }

  package enum Operation: Equatable {
    case keep(String)
    case delete(String)
    case insert(String)
  }

  /// Myers' O(ND) shortest edit script.
  package static func operations(_ old: [String], _ new: [String]) -> [Operation] {
    let n = old.count
    let m = new.count
    let max = n + m
    if max == 0 { return [] }
    var v = [Int](repeating: 0, count: 2 * max + 2)
    var trace: [[Int]] = []
    let offset = max + 1
    search: for d in 0...max {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]
        } else {
          x = v[offset + k - 1] + 1
        }
        var y = x - k
        while x < n, y < m, old[x] == new[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n, y >= m { break search }
      }
    }
    // Walk back through the trace.
    var result: [Operation] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK: Int
      if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
        previousK = k + 1
      } else {
        previousK = k - 1
      }
      let previousX = v[offset + previousK]
      let previousY = previousX - previousK
      while x > previousX, y > previousY {
        x -= 1
        y -= 1
        result.append(.keep(old[x]))
      }
      if d > 0 {
        if x == previousX {
          y -= 1
          result.append(.insert(new[y]))
        } else {
          x -= 1
          result.append(.delete(old[x]))
        }
      }
    }
    return result.reversed()
  }

  static func hunks(_ old: [String], _ new: [String]) -> String {
    let ops = operations(old, new)
    // Line numbers (0-based) in the old and new file before each operation.
    var positions: [(old: Int, new: Int)] = []
    var oldLine = 0
    var newLine = 0
    for op in ops {
      positions.append((oldLine, newLine))
      switch op {
      case .keep:
        oldLine += 1
        newLine += 1
      case .delete: oldLine += 1
      case .insert: newLine += 1
      }
    }
    let changes = ops.indices.filter { if case .keep = ops[$0] { return false } else { return true } }
    var out = ""
    var next = 0
    while next < changes.count {
      var last = changes[next]
      var following = next + 1
      // Changes closer than twice the context share one hunk.
      while following < changes.count, changes[following] - last <= 2 * context {
        last = changes[following]
        following += 1
      }
      let start = max(0, changes[next] - context)
      let end = min(ops.count, last + context + 1)
      let slice = ops[start..<end]
      let oldCount = slice.filter { if case .insert = $0 { return false } else { return true } }.count
      let newCount = slice.filter { if case .delete = $0 { return false } else { return true } }.count
      let oldStart = oldCount == 0 ? positions[start].old : positions[start].old + 1
      let newStart = newCount == 0 ? positions[start].new : positions[start].new + 1
      out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
      for op in slice {
        switch op {
        case .keep(let line): out += " " + terminated(line)
        case .delete(let line): out += "-" + terminated(line)
        case .insert(let line): out += "+" + terminated(line)
        }
      }
      next = following
    }
    return out
  }

  static func terminated(_ line: String) -> String {
    Plan.endsWithNewline(line) ? line : line + "\n\\ No newline at end of file\n"
  }
}
