/// Finds every occurrence of many needles in one pass over a buffer.
///
/// Matching folds ASCII case, so a hit is a superset of the case-sensitive hits: the regex
/// that runs afterwards decides. Bytes that occur in no needle share one byte class.
///
/// When the needles are at least 3 bytes long (all but a few) and none holds a newline (the
/// usual case), a start filter comes first: a bitset of hashes of every needle's first 3 or 4
/// (case-folded) bytes. Each position of the buffer costs one unaligned load, a multiply and
/// a bit test, all independent of the position before, and only positions whose bytes may
/// start a needle walk the trie of the needles from the root. The trie is compact: a state
/// with one child (most of them: the needles' tails) keeps that edge inline, and only
/// branching states have a dense row of edges, so thousands of needles stay within the
/// caches. Hits then come in order of start offset (so a hit's line never goes backwards).
///
/// Otherwise every byte goes through an Aho-Corasick automaton built as a full DFA over the
/// byte classes (one table load per byte, no failure links to follow; `states × classes × 4`
/// bytes), and hits come in order of end offset.
public struct Prefilter: Sendable {
  /// Needles in the order given; ids in hits are indexes into this array.
  public let needles: [[UInt8]]
  private let classOf: [UInt8]
  private let classCount: Int
  /// The full DFA (unfiltered scan), or the dense rows of the branching trie states
  /// (filtered scan).
  private let transitions: [Int32]
  /// Filtered scan: each state's row in `transitions` (-1: at most one child), and the one
  /// child's class (0: none) and state.
  private let rowOf: [Int32]
  private let singleClass: [UInt8]
  private let singleNext: [Int32]
  /// For each state, the range in `outputIDs` of the needles that end there.
  private let outputStart: [Int32]
  private let outputIDs: [Int32]
  /// Start filter: bit `hash(first bytes)` is set for every needle; empty when not used.
  private let startFilter: [UInt64]
  /// How many leading bytes the start filter hashes (3 or 4), and the shift that turns the
  /// 32-bit product into a bit index.
  private let startWidth: Int
  private let startShift: UInt32
  /// First bytes (both cases) of the needles shorter than 3 bytes.
  private let shortStart: [Bool]
  private let hasShortNeedles: Bool

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

    // The trie, built from the needles in sorted order (each shares its prefix with the one
    // before, so a new state's parent is on the previous needle's path): for each state the
    // class of the edge into it, its parent, and its children as a linked list in class order.
    var parent: [Int32] = [-1]
    var edgeClass: [UInt8] = [0]
    var firstChild: [Int32] = [-1]
    var lastChild: [Int32] = [-1]
    var nextSibling: [Int32] = [-1]
    var ends: [(state: Int32, id: Int32)] = []
    let order = folded.indices.filter { !folded[$0].isEmpty }.sorted {
      folded[$0].lexicographicallyPrecedes(folded[$1])
    }
    var path: [Int32] = [0]
    var previous: [UInt8] = []
    for id in order {
      let needle = folded[id]
      var common = 0
      while common < min(needle.count, previous.count), needle[common] == previous[common] { common += 1 }
      path.removeLast(path.count - common - 1)
      var state = path[common]
      for byte in needle[common...] {
        let child = Int32(parent.count)
        parent.append(state)
        edgeClass.append(classes[Int(byte)])
        firstChild.append(-1)
        lastChild.append(-1)
        nextSibling.append(-1)
        if lastChild[Int(state)] < 0 { firstChild[Int(state)] = child } else { nextSibling[Int(lastChild[Int(state)])] = child }
        lastChild[Int(state)] = child
        path.append(child)
        state = child
      }
      ends.append((state, Int32(id)))
      previous = needle
    }
    let stateCount = parent.count

    // The start filter, when the needles are on one line and most are long enough. Needles
    // of 1 or 2 bytes are found through their first byte instead (`shortStart`).
    let real = folded.filter { !$0.isEmpty }
    let long = real.filter { $0.count >= 3 }
    let shortest = long.map(\.count).min() ?? 0
    var shortStart = [Bool](repeating: false, count: 256)
    for needle in real where needle.count < 3 {
      shortStart[Int(needle[0])] = true
      if needle[0] >= UInt8(ascii: "a"), needle[0] <= UInt8(ascii: "z") { shortStart[Int(needle[0] & ~0x20)] = true }
    }
    self.shortStart = shortStart
    self.hasShortNeedles = long.count < real.count
    if !long.isEmpty, real.count - long.count <= 8, !real.contains(where: { $0.contains(UInt8(ascii: "\n")) }) {
      let width = min(shortest, 4)
      // About 64 bits per needle keeps hash collisions rare; 2^12 to 2^21 bits (512 B-256 KiB).
      var bits = 12
      while bits < 21, 1 << bits < long.count * 64 { bits += 1 }
      var filter = [UInt64](repeating: 0, count: (1 << bits) / 64)
      let shift = UInt32(32 - bits)
      for needle in long {
        var word: UInt32 = 0
        for index in 0..<width { word |= UInt32(needle[index]) << (8 * UInt32(index)) }
        let bit = Prefilter.startHash(word, width: width, shift: shift)
        filter[bit >> 6] |= 1 << UInt64(bit & 63)
      }
      self.startFilter = filter
      self.startWidth = width
      self.startShift = shift
    } else {
      self.startFilter = []
      self.startWidth = 0
      self.startShift = 0
    }

    // With the start filter, the scan walks trie edges from candidate positions only, and
    // the outputs are each state's own needles. Most states have one child (the tails of the
    // needles): those keep it in `singleClass`/`singleNext`, and only branching states get a
    // dense row of `classCount` edges, so the trie stays small enough for the caches even
    // with thousands of needles. Without the filter, every byte goes through a full DFA:
    // failure links folded in.
    if !startFilter.isEmpty {
      var hasOutput = [Bool](repeating: false, count: stateCount)
      for end in ends { hasOutput[Int(end.state)] = true }
      func encoded(_ state: Int32) -> Int32 { hasOutput[Int(state)] ? ~state : state }
      var rowOf = [Int32](repeating: -1, count: stateCount)
      var singleClass = [UInt8](repeating: 0, count: stateCount)
      var singleNext = [Int32](repeating: Prefilter.noEdge, count: stateCount)
      var rows: [Int32] = []
      for state in 0..<stateCount where firstChild[state] >= 0 {
        let first = firstChild[state]
        if nextSibling[Int(first)] < 0 {
          singleClass[state] = edgeClass[Int(first)]
          singleNext[state] = encoded(first)
          continue
        }
        rowOf[state] = Int32(rows.count / classCount)
        let base = rows.count
        rows.append(contentsOf: repeatElement(Prefilter.noEdge, count: classCount))
        var child = first
        while child >= 0 {
          rows[base + Int(edgeClass[Int(child)])] = encoded(child)
          child = nextSibling[Int(child)]
        }
      }
      var own = [[Int32]](repeating: [], count: stateCount)
      for end in ends { own[Int(end.state)].append(end.id) }
      (transitions, outputStart, outputIDs) = Prefilter.flatten(rows, own)
      (self.rowOf, self.singleClass, self.singleNext) = (rowOf, singleClass, singleNext)
      return
    }
    (rowOf, singleClass, singleNext) = ([], [], [])
    var goto = [Int32](repeating: -1, count: stateCount * classCount)
    for state in 1..<max(stateCount, 1) { goto[Int(parent[state]) * classCount + Int(edgeClass[state])] = Int32(state) }
    var table = [Int32](repeating: 0, count: stateCount * classCount)
    var fail = [Int32](repeating: 0, count: stateCount)
    var queue: [Int] = []
    queue.reserveCapacity(stateCount)
    for symbol in 0..<classCount where goto[symbol] > 0 {
      table[symbol] = goto[symbol]
      queue.append(Int(goto[symbol]))
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      let row = state * classCount
      let failRow = Int(fail[state]) * classCount
      for symbol in 0..<classCount {
        let next = goto[row + symbol]
        let viaFail = table[failRow + symbol]
        if next > 0 {
          table[row + symbol] = next
          fail[Int(next)] = viaFail
          queue.append(Int(next))
        } else {
          table[row + symbol] = viaFail
        }
      }
    }
    // Class 0 (bytes in no needle) always returns to the root.
    for state in 0..<stateCount { table[state * classCount] = 0 }

    // Needles ending at each state: its own, then (breadth-first, so the failure state is
    // done) those of its failure state.
    var outputs = [[Int32]](repeating: [], count: stateCount)
    for end in ends { outputs[Int(end.state)].append(end.id) }
    for state in queue {
      var output = outputs[state] + outputs[Int(fail[state])]
      if output.count > 1 { output = Array(Set(output)).sorted() }
      outputs[state] = output
    }
    // A transition into a state where needles end is stored as ~state (negative), so the
    // scan loop tests one sign bit instead of loading the output table for every byte.
    let anyOutput = outputs.map { !$0.isEmpty }
    for index in table.indices where anyOutput[Int(table[index])] {
      table[index] = ~table[index]
    }
    (transitions, outputStart, outputIDs) = Prefilter.flatten(table, outputs)
  }

  /// A missing trie edge in the filtered scan's table.
  static let noEdge = Int32.min

  /// The table with the outputs as one array of ids and each state's range in it.
  private static func flatten(_ table: [Int32], _ outputs: [[Int32]]) -> ([Int32], [Int32], [Int32]) {
    var starts: [Int32] = []
    var ids: [Int32] = []
    starts.reserveCapacity(outputs.count + 1)
    for output in outputs {
      starts.append(Int32(ids.count))
      ids.append(contentsOf: output)
    }
    starts.append(Int32(ids.count))
    return (table, starts, ids)
  }

  /// Folds the first `width` bytes of `word` (little-endian) for the start filter: OR 0x20
  /// maps an upper-case letter to its lower-case one (and some other bytes together, which
  /// only adds candidates), then a multiplicative hash.
  @inline(__always)
  static func startHash(_ word: UInt32, width: Int, shift: UInt32) -> Int {
    let mask: UInt32 = width == 4 ? 0xFFFF_FFFF : 0x00FF_FFFF
    let folded = (word | 0x2020_2020) & mask
    return Int((folded &* 0x9E37_79B1) >> shift)
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
    if startWidth > 0 {
      filteredScan(base, count: buffer.count, hit: hit)
      return
    }
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

  /// The scan with the start filter: hits in order of start offset.
  private func filteredScan(_ base: UnsafePointer<UInt8>, count: Int, hit: (Int, Int) -> Void) {
    let width = startWidth
    let shift = startShift
    let classCount = self.classCount
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { table in
        outputStart.withUnsafeBufferPointer { starts in
          outputIDs.withUnsafeBufferPointer { ids in
            startFilter.withUnsafeBufferPointer { filter in
              rowOf.withUnsafeBufferPointer { rowOf in
                singleClass.withUnsafeBufferPointer { singleClass in
                  singleNext.withUnsafeBufferPointer { singleNext in
                    /// Follows trie edges from the root at `start`, reporting the needles that
                    /// begin there.
                    func walk(_ start: Int) {
                      var state = 0
                      var offset = start
                      while offset < count {
                        let symbol = classOf[Int(base[offset])]
                        let row = rowOf[state]
                        let entry: Int32
                        if row >= 0 {
                          entry = table[Int(row) &* classCount &+ Int(symbol)]
                        } else if symbol == singleClass[state], symbol != 0 {
                          entry = singleNext[state]
                        } else {
                          return
                        }
                        if entry == Prefilter.noEdge { return }
                        state = entry >= 0 ? Int(entry) : Int(~entry)
                        offset &+= 1
                        if entry < 0 {
                          for index in Int(starts[state])..<Int(starts[state + 1]) { hit(offset, Int(ids[index])) }
                        }
                      }
                    }
                    shortStart.withUnsafeBufferPointer { short in
                      let raw = UnsafeRawPointer(base)
                      let mask: UInt32 = width == 4 ? 0xFFFF_FFFF : 0x00FF_FFFF
                      let filterBase = filter.baseAddress!
                      let shortBase = short.baseAddress!
                      var position = 0
                      // Four readable bytes at each position of the fast loop.
                      let limit = count &- 3
                      while position < limit {
                        position =
                          hasShortNeedles
                          ? Prefilter.nextCandidate(
                            raw, from: position, limit: limit, filter: filterBase, shift: shift, mask: mask, short: shortBase)
                          : Prefilter.nextCandidate(raw, from: position, limit: limit, filter: filterBase, shift: shift, mask: mask)
                        guard position < limit else { break }
                        walk(position)
                        position &+= 1
                      }
                      // The last positions, where fewer than four bytes are left.
                      while position < count {
                        var candidate = short[Int(base[position])]
                        if !candidate, position &+ width <= count {
                          var word: UInt32 = 0
                          for index in 0..<width { word |= UInt32(base[position + index]) << (8 * UInt32(index)) }
                          let bit = Prefilter.startHash(word, width: width, shift: shift)
                          candidate = filter[bit &>> 6] & (1 &<< UInt64(bit & 63)) != 0
                        }
                        if candidate { walk(position) }
                        position &+= 1
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The first position in `from..<limit` whose four bytes hash into the start filter, or
  /// `limit`. Kept apart and small so that its few values stay in registers.
  @inline(never)
  static func nextCandidate(
    _ raw: UnsafeRawPointer, from: Int, limit: Int, filter: UnsafePointer<UInt64>, shift: UInt32, mask: UInt32
  ) -> Int {
    var position = from
    while position < limit {
      let word = (raw.loadUnaligned(fromByteOffset: position, as: UInt32.self) | 0x2020_2020) & mask
      let bit = Int(truncatingIfNeeded: (word &* 0x9E37_79B1) &>> shift)
      if filter[bit &>> 6] & (1 &<< UInt64(truncatingIfNeeded: bit & 63)) != 0 { return position }
      position &+= 1
    }
    return limit
  }

  /// ``nextCandidate(_:from:limit:filter:shift:mask:)`` that also stops at the first byte of
  /// a needle shorter than 3 bytes.
  @inline(never)
  static func nextCandidate(
    _ raw: UnsafeRawPointer, from: Int, limit: Int, filter: UnsafePointer<UInt64>, shift: UInt32, mask: UInt32,
    short: UnsafePointer<Bool>
  ) -> Int {
    var position = from
    while position < limit {
      let word = raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)
      let folded = (word | 0x2020_2020) & mask
      let bit = Int(truncatingIfNeeded: (folded &* 0x9E37_79B1) &>> shift)
      if filter[bit &>> 6] & (1 &<< UInt64(truncatingIfNeeded: bit & 63)) != 0 || short[Int(word & 0xFF)] { return position }
      position &+= 1
    }
    return limit
  }

  @inline(__always)
  static func fold(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
