/// Finds every occurrence of many needles in one pass over a buffer (Aho-Corasick).
///
/// Matching folds ASCII case, so a hit is a superset of the case-sensitive hits: the regex
/// that runs afterwards decides. The automaton is a full DFA over byte classes (bytes that
/// occur in no needle share one class), so the scan does one table load per input byte and
/// no branching on failure links.
///
/// Memory is `states × classes × 4` bytes; for a few hundred needles that is well under a
/// megabyte.
public struct Prefilter: Sendable {
  /// Needles in the order given; ids in hits are indexes into this array.
  public let needles: [[UInt8]]
  private let classOf: [UInt8]
  private let classCount: Int
  private let transitions: [Int32]
  /// For each state, the range in `outputIDs` of the needles that end there.
  private let outputStart: [Int32]
  private let outputIDs: [Int32]

  /// Builds the automaton. Empty needles are ignored.
  public init(needles: [[UInt8]]) {
    self.needles = needles
    let folded = needles.map { $0.map(Prefilter.fold) }

    var classes = [UInt8](repeating: 0, count: 256)
    var nextClass = 1
    for needle in folded {
      for byte in needle where classes[Int(byte)] == 0 {
        classes[Int(byte)] = UInt8(truncatingIfNeeded: nextClass)
        nextClass += 1
      }
    }
    // Upper-case ASCII letters share their lower-case letter's class.
    for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") {
      classes[Int(byte)] = classes[Int(byte | 0x20)]
    }
    precondition(nextClass <= 256)
    let classCount = nextClass
    self.classOf = classes
    self.classCount = classCount

    // Trie.
    var goto: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
    var outputs: [[Int32]] = [[]]
    for (id, needle) in folded.enumerated() where !needle.isEmpty {
      var state = 0
      for byte in needle {
        let symbol = Int(classes[Int(byte)])
        if goto[state][symbol] < 0 {
          goto[state][symbol] = Int32(goto.count)
          goto.append([Int32](repeating: -1, count: classCount))
          outputs.append([])
        }
        state = Int(goto[state][symbol])
      }
      outputs[state].append(Int32(id))
    }

    // Breadth-first: failure links folded into a full transition table.
    var table = [Int32](repeating: 0, count: goto.count * classCount)
    var fail = [Int32](repeating: 0, count: goto.count)
    var queue: [Int] = []
    for symbol in 0..<classCount {
      let next = goto[0][symbol]
      if next > 0 {
        table[symbol] = next
        fail[Int(next)] = 0
        queue.append(Int(next))
      }
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      outputs[state].append(contentsOf: outputs[Int(fail[state])])
      for symbol in 0..<classCount {
        let next = goto[state][symbol]
        let viaFail = table[Int(fail[state]) * classCount + symbol]
        if next > 0 {
          table[state * classCount + symbol] = next
          fail[Int(next)] = viaFail
          queue.append(Int(next))
        } else {
          table[state * classCount + symbol] = viaFail
        }
      }
    }
    // Class 0 (bytes in no needle) always returns to the root.
    for state in 0..<goto.count { table[state * classCount] = 0 }

    var starts: [Int32] = []
    var ids: [Int32] = []
    starts.reserveCapacity(goto.count + 1)
    for output in outputs {
      starts.append(Int32(ids.count))
      ids.append(contentsOf: Set(output).sorted())
    }
    starts.append(Int32(ids.count))
    // A transition into a state where needles end is stored as ~state (negative), so the
    // scan loop tests one sign bit instead of loading the output table for every byte.
    for index in table.indices where !outputs[Int(table[index])].isEmpty {
      table[index] = ~table[index]
    }
    self.transitions = table
    self.outputStart = starts
    self.outputIDs = ids
  }

  /// Whether there are no needles at all.
  public var isEmpty: Bool { needles.allSatisfy(\.isEmpty) }

  /// Calls `hit(end, needleID)` for every needle occurrence, in order of end offset, where
  /// `end` is the offset just past the occurrence.
  @inlinable
  public func scan(_ buffer: UnsafeRawBufferPointer, hit: (Int, Int) -> Void) {
    scanImpl(buffer, hit: hit)
  }

  @usableFromInline
  func scanImpl(_ buffer: UnsafeRawBufferPointer, hit: (Int, Int) -> Void) {
    guard !isEmpty, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
    let count = buffer.count
    let classCount = self.classCount
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { table in
        outputStart.withUnsafeBufferPointer { starts in
          var row = 0
          for offset in 0..<count {
            let next = table[row &+ Int(classOf[Int(base[offset])])]
            if next >= 0 {
              row = Int(next) &* classCount
              continue
            }
            let state = Int(~next)
            row = state &* classCount
            for index in Int(starts[state])..<Int(starts[state + 1]) {
              hit(offset + 1, Int(outputIDs[index]))
            }
          }
        }
      }
    }
  }

  @inline(__always)
  static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
