import Foundation
import LogrxIngest
import LogrxMatching
import LogrxVocabulary

#if canImport(Glibc)
  import Glibc
#endif

/// A batch of decoded lines with what the matcher found in it: the work that can run on any
/// thread, before the events are assembled in order on one.
struct MatchedBatch {
  var batch: LineBatch
  var hits: [RuleHit]
  var markedLines: [Int]
  var contextHits: [(line: Int, context: String)]
  /// For each of ``contextHits``: what a failure signal's line gives (``Analysis/PreparedSignal``)
  /// when worked out where the batch was matched, else nil.
  var preparedSignals: [Analysis.PreparedSignal?]
  /// The input contexts of ``contextHits`` (not the failure signals) by file, each with its
  /// last line in the batch: all that `Analysis.noteContext` keeps of them (a set of names
  /// and a maximum line), so one note a file and context does what one a hit did.
  var contextLast: [(file: String, context: String, line: Int)]
  /// Lines (index in the batch) where a rule's regex ran into PCRE2's limits.
  var limits: [(line: Int, rule: Int)]
  /// The file block (`offset / blockSize`) whose reading handed the batch on; `Int64.max` for
  /// the lines handed on when the input ends.
  var block: Int64 = -1
  /// The line phase of the batch's events (``TracebackStage/run(_:rules:into:)``) worked out
  /// where it was matched, from the traceback state the part it belongs to started empty with;
  /// nil: worked out when it is assembled.
  var actions: [EventAction]?
  /// Whether the batch is the first of a part (where ``EventAssembler`` decides whether the
  /// part's ``actions`` hold).
  var firstOfPart = false
  /// On the first batch of a part with ``actions``: the origins of all the part's lines. The
  /// traceback state is one per origin, so the actions hold when no traceback is open (and no
  /// hit waits) at the part's start for any of them, whatever is open for other origins.
  var partOrigins: [Origin] = []
  /// What to add to the line numbers of ``actions`` (moved when they are applied, not here).
  var actionsDelta = 0
  /// On the last batch of a part with ``actions``: the traceback state after it.
  var endStage: TracebackStage?

  /// Moves the line numbers of the batch and of what was worked out from it by `delta`.
  mutating func renumber(by delta: Int) {
    guard delta != 0 else { return }
    batch.renumber(by: delta)
    if actions != nil { actionsDelta += delta }
    endStage?.renumber(by: delta)
  }

  /// Matches `batch`. With `prepare` (a thread that matches parts of a file for the scanning
  /// thread), the failure signals' lines are worked out here too, off the scanning thread.
  init(_ batch: LineBatch, matcher: RuleMatcher, prepare: Bool = false) {
    self.batch = batch
    var marked: [Int] = []
    var contexts: [(line: Int, context: String)] = []
    var limits: [(line: Int, rule: Int)] = []
    hits = matcher.hits(in: batch, markedLines: &marked, contextHits: &contexts) { line, rule in limits.append((line, rule)) }
    markedLines = marked
    contextHits = contexts
    self.limits = limits
    var prepared: [Analysis.PreparedSignal?] = []
    prepared.reserveCapacity(contexts.count)
    var last: [String: [String: Int]] = [:]
    for hit in contexts {
      if hit.context.hasPrefix("signal:") {
        prepared.append(prepare ? Analysis.PreparedSignal(text: batch.text(at: hit.line)) : nil)
      } else {
        prepared.append(nil)
        last[batch.origin(at: hit.line).file, default: [:]][hit.context] = hit.line
      }
    }
    preparedSignals = prepared
    contextLast = last.flatMap { file, names in names.map { (file, $0.key, $0.value) } }
  }
}

/// Reads a byte range of a regular file, split at line boundaries into parts that threads
/// decode and match at once, while this thread assembles the events of the parts in order
/// (tracebacks, `unless`, contributions, deduplication: everything that carries from one line
/// to the next past the decoder). The result is the one reading of the whole range on one
/// thread gives, byte for byte:
///
/// - Batches: every reader of the file reads it in 64 KiB blocks of the file
///   (``LineReader/init(alignedAt:maxLineLength:chunkSize:firstLine:)``), so the batches are the
///   same however the file was cut; the block a part boundary falls in is put back together
///   from the end of one part and the start of the next.
/// - The decoder's state at a boundary (a CRI `P` line or a docker line waiting for its last
///   part, an 80-column wrap, a paste's gutter numbering, `--since`): a boundary is put after a
///   line where a decoder that read the 16 KiB before it holds no waiting line, and the part
///   starts from that decoder's state. When the part before ends in another state (a partial
///   line longer than what was read before the boundary), the part is read again on this
///   thread from the real state.
/// - Line numbers: a part after the first numbers its lines from 2^40; they are moved to the
///   real numbers when the part before it is done.
/// - The matcher: each thread has its own (``RuleMatcher/forAnotherThread(bytesSearched:)``),
///   sharing the compiled regexes and Vectorscan databases; hits do not depend on which one ran.
final class PartPipeline: @unchecked Sendable {
  static let blockSize = 64 * 1024
  /// The numbering of a part after the first, before it is moved to the real one.
  static let partNumbering = 1 << 40
  /// Bytes a boundary's decoder reads before it.
  static let warmUp: Int64 = 16 * 1024

  struct Part {
    /// The range read, from one boundary to the next.
    var begin: Int64
    var end: Int64
    /// The decoder state it started from.
    var guess: LogDecoder.Carry
    var batches: [MatchedBatch] = []
    /// The state it ended with, in its own numbering.
    var carry = LogDecoder.Carry()
    var firstLine: Int
    /// Lines read (the number of the last one, in its numbering, is `firstLine + lines - 1`).
    var lines = 0
    var cutLines: [Int] = []
    var error: LogrxError?
  }

  let fd: Int32
  let name: String
  let defaults: Origin
  let since: Double?
  let nominal: [Int64]
  let rangeEnd: Int64
  let firstLine: Int
  private let base: RuleMatcher
  private let maker: FindingMaker?
  private var work: WindowedWork<Part>!

  init(
    fd: Int32, name: String, defaults: Origin, since: Double?, start: Int64, end: Int64, partSize: Int64, firstLine: Int,
    matcher: RuleMatcher, maker: FindingMaker?, jobs: Int
  ) {
    self.maker = maker
    self.fd = fd
    self.name = name
    self.defaults = defaults
    self.since = since
    self.rangeEnd = end
    self.firstLine = firstLine
    self.base = matcher
    nominal = Array(stride(from: start, to: end, by: Int(max(partSize, 1))))
    work = WindowedWork(count: nominal.count, jobs: jobs, window: jobs + 1) { [unowned self] in
      // Each thread its own matcher, made when it takes its first part.
      var matcher: RuleMatcher?
      return { index in
        let own = matcher ?? self.base.forAnotherThread(bytesSearched: Int(self.nominal[index] - self.nominal[0]))
        matcher = own
        return self.read(index, matcher: own)
      }
    }
  }

  var count: Int { nominal.count }

  /// Takes part `index` once it is done (parts are taken in order).
  func take(_ index: Int) -> Part { work.take(index)! }

  /// Stops the threads and waits for them (the descriptor is closed after this).
  func finish() { work.finish() }

  /// Where part `index` starts, and the decoder state it starts from.
  func boundary(_ index: Int) -> (offset: Int64, guess: LogDecoder.Carry) {
    if index == 0 { return (nominal[0], LogDecoder.Carry()) }
    if index >= nominal.count { return (rangeEnd, LogDecoder.Carry()) }
    let limit = index + 1 < nominal.count ? nominal[index + 1] : rangeEnd
    return Self.boundary(
      fd: fd, near: nominal[index], before: limit, rangeStart: nominal[0], rangeEnd: rangeEnd, name: name, defaults: defaults,
      since: since)
  }

  /// The first line end at or after `nominal` (and at most `limit`, or 64 KiB further) where a
  /// decoder that read the lines of the 16 KiB before holds no waiting line, with its state; else
  /// the first line end after `nominal`, with a fresh state (a guess the reading checks). A pure
  /// function of the file's bytes, so that the parts on either side agree on it; never before the
  /// boundary of an earlier `nominal`.
  static func boundary(
    fd: Int32, near nominal: Int64, before limit: Int64, rangeStart: Int64, rangeEnd: Int64, name: String, defaults: Origin,
    since: Double?
  ) -> (offset: Int64, guess: LogDecoder.Carry) {
    let windowStart = max(rangeStart, nominal - warmUp)
    let searchEnd = min(limit, nominal + Int64(blockSize), rangeEnd)
    let count = Int(searchEnd - windowStart)
    var buffer = [UInt8](repeating: 0, count: max(count, 0))
    let got = buffer.withUnsafeMutableBytes { readFully(fd: fd, into: $0, at: windowStart) }
    if got == count {
      var decoder = LogDecoder(file: name) { _ in }
      decoder.defaults = defaults
      decoder.since = since
      let found: (Int64, LogDecoder.Carry)? = buffer.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return nil }
        var position = 0
        if windowStart > rangeStart {
          // Not a line start: from the first line that starts in the window.
          guard let newline = memchr(base, 0x0A, count) else { return nil }
          position = base.distance(to: UnsafeRawPointer(newline)) + 1
          if windowStart + Int64(position) >= nominal, windowStart + Int64(position) <= searchEnd {
            return (windowStart + Int64(position), LogDecoder.Carry())
          }
        }
        var number = partNumbering / 2
        while position < count, let newline = memchr(base + position, 0x0A, count - position) {
          let lineEnd = base.distance(to: UnsafeRawPointer(newline))
          number += 1
          decoder.line(UnsafeRawBufferPointer(start: base + position, count: lineEnd - position), number: number, cut: false)
          position = lineEnd + 1
          let offset = windowStart + Int64(position)
          if offset >= nominal, decoder.carry.isClean { return (offset, decoder.carry) }
        }
        return nil
      }
      if let found { return found }
    }
    // The first line end at or after `nominal`.
    var offset = nominal - 1
    var chunk = [UInt8](repeating: 0, count: blockSize)
    while offset < rangeEnd {
      let length = Int(min(Int64(blockSize), rangeEnd - offset))
      let read = chunk.withUnsafeMutableBytes { readFully(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length]), at: offset) }
      guard read > 0 else { break }
      let hit = chunk.withUnsafeBytes { bytes in memchr(bytes.baseAddress!, 0x0A, read).map { bytes.baseAddress!.distance(to: UnsafeRawPointer($0)) } }
      if let hit { return (offset + Int64(hit) + 1, LogDecoder.Carry()) }
      offset += Int64(read)
    }
    return (rangeEnd, LogDecoder.Carry())
  }

  private static func readFully(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
    var done = 0
    while done < buffer.count {
      let got = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + Int64(done)))
      if got < 0, errno == EINTR { continue }
      guard got > 0 else { break }
      done += got
    }
    return done
  }

  /// Reads part `index` from its guessed state, in its own numbering.
  func read(_ index: Int, matcher: RuleMatcher) -> Part {
    let (begin, guess) = boundary(index)
    let (end, _) = boundary(index + 1)
    var part = Part(begin: begin, end: max(begin, end), guess: guess, firstLine: index == 0 ? firstLine : Self.partNumbering + 1)
    guard part.end > part.begin else { return part }
    Self.decode(&part, fd: fd, name: name, defaults: defaults, since: since, last: part.end == rangeEnd, matcher: matcher, prepare: true,
      assemble: maker)
    return part
  }

  /// Decodes and matches `part.begin..<part.end` from `part.guess`, numbering its first line
  /// `part.firstLine`, into `part.batches` (or, with `deliver`, batch by batch to it, which
  /// returns whether to go on), and notes the state it ended in. `last`: the end of the input,
  /// where waiting lines are passed on. `prepare`: on a thread other than the scanning one
  /// (``MatchedBatch/init(_:matcher:prepare:)``).
  static func decode(
    _ part: inout Part, fd: Int32, name: String, defaults: Origin, since: Double?, last: Bool, matcher: RuleMatcher,
    prepare: Bool = false, assemble maker: FindingMaker? = nil, deliver: ((MatchedBatch) -> Void)? = nil,
    onError: ((LogrxError) -> Void)? = nil, keepGoing: () -> Bool = { true }
  ) {
    var block: Int64 = -1
    var collected: [MatchedBatch] = []
    var stage = TracebackStage(maker: maker)
    var decoder = LogDecoder(file: name) { batch in
      var matched = MatchedBatch(batch, matcher: matcher, prepare: prepare)
      matched.block = block
      matched.firstOfPart = collected.isEmpty
      if maker != nil {
        var actions: [EventAction] = []
        stage.run(matched, rules: matcher.rules, into: &actions)
        matched.actions = actions
      }
      if let deliver {
        deliver(matched)
      } else {
        collected.append(matched)
        batch = LineBatch()
      }
    }
    decoder.defaults = defaults
    decoder.since = since
    decoder.carry = part.guess
    var reader = LineReader(alignedAt: part.begin, chunkSize: blockSize, firstLine: part.firstLine)
    defer { reader.deallocate() }
    var source = PreadSource(fd: fd, offset: part.begin, end: part.end, path: name)
    do {
      while keepGoing() {
        block = (reader.fileOffset ?? 0) / Int64(blockSize)
        guard try reader.readChunk(&source, into: &decoder) else { break }
      }
    } catch {
      part.error = error
      onError?(error)
    }
    block = Int64.max
    if last || part.error != nil { decoder.finish() }
    if maker != nil, !collected.isEmpty {
      collected[collected.count - 1].endStage = stage
      var origins: [Origin] = []
      for matched in collected {
        for origin in matched.batch.originTable where !origins.contains(origin) { origins.append(origin) }
      }
      collected[0].partOrigins = origins
    }
    part.batches = collected
    part.carry = decoder.carry
    part.lines = reader.lastLineNumber - part.firstLine + 1
    part.cutLines = decoder.cutLines
  }
}

/// Items `0..<count` worked out by `jobs` threads ahead of one consumer that takes them in
/// order (skipping some, for ``FilePrefetch``), at most `window` items beyond the next one to be
/// taken, so memory stays bounded. The loop of both ``PartPipeline`` (parts of one file) and
/// ``FilePrefetch`` (the next files of a folder).
final class WindowedWork<Item>: @unchecked Sendable {
  private let condition = NSCondition()
  private var results: [Item?]
  private let count: Int
  private let window: Int
  private var next = 0
  private var consumed = 0
  private var cancelled = false
  private var running: Int

  /// - Parameter worker: called once on each thread; returns what that thread does for an
  ///   index (it may keep state of its own, such as a matcher).
  init(count: Int, jobs: Int, window: Int, worker: @escaping @Sendable () -> (Int) -> Item) {
    self.count = count
    self.window = window
    results = Array(repeating: nil, count: count)
    running = jobs
    for _ in 0..<jobs {
      let thread = Thread { [self] in work(worker()) }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Item `index` (after the last one taken), waiting for it unless `wait` is false (then it is
  /// only dropped, as are those between the last one taken and it).
  func take(_ index: Int, wait: Bool = true) -> Item? {
    condition.lock()
    defer { condition.unlock() }
    for skipped in consumed..<index { results[skipped] = nil }
    // Items before this one are not worked on any more; this one is now if it was not yet.
    consumed = index
    condition.broadcast()
    var item: Item?
    if wait {
      while results[index] == nil, !cancelled { condition.wait() }
      item = results[index]
    }
    results[index] = nil
    consumed = index + 1
    condition.broadcast()
    return item
  }

  /// Stops the threads and waits for them.
  func finish() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  private func work(_ perform: (Int) -> Item) {
    while true {
      condition.lock()
      while !cancelled, next < count, next >= consumed + window { condition.wait() }
      guard !cancelled, next < count else {
        running -= 1
        condition.broadcast()
        condition.unlock()
        return
      }
      let index = next
      next += 1
      if index < consumed {
        condition.unlock()
        continue
      }
      condition.unlock()
      let item = perform(index)
      condition.lock()
      if index >= consumed { results[index] = item }
      condition.broadcast()
      condition.unlock()
    }
  }
}

extension Analysis {
  /// Where the batches of a part (lines, hits, the findings made for them) are freed once
  /// assembled: freeing them was a tenth of the scanning thread's work.
  private static let releaser = DispatchQueue(label: "logrx.parts.free", qos: .utility)

  /// Drops `value` on ``releaser``'s thread (the caller must hold no other reference to what it
  /// frees, or that reference frees it).
  private static func free<Value>(_ value: consuming Value) {
    let box = KeptForRelease(value)
    releaser.async { box.drop() }
  }

  /// Reads `[start, end)` of the regular file open as `fd` as the input `input` describes:
  /// split across ``jobs`` threads when it is larger than two ``partSize`` parts, with the
  /// same findings, diagnostics and order as one thread (see `PartPipeline`). A binary or gzip
  /// file is read as ``analyze(_:input:)`` reads it.
  /// - Returns: the number of the last line read.
  @discardableResult
  public func analyze(fd: Int32, from start: Int64, to end: Int64, input description: InputDescription) -> Int {
    guard !stopped else { return description.firstLine - 1 }
    var sniffed = SniffedSource(PreadSource(fd: fd, offset: start, end: end, path: description.name))
    guard case .text = (try? sniffed.sniff()) ?? .binary("") else {
      var source = PreadSource(fd: fd, offset: start, end: end, path: description.name)
      return analyze(&source, input: description)
    }
    let input = EventAssembler(analysis: self, name: description.name)
    if let prefetcher, var part = prefetcher.take(name: description.name, start: start, end: end, firstLine: description.firstLine) {
      let batches = part.batches
      part.batches = []
      for batch in batches { input.assemble(batch) }
      Self.free(consume batches)
      input.finish(cutLines: part.cutLines)
      return part.firstLine + part.lines - 1
    }
    let parallel = jobs > 1 && end - start > 2 * partSize
    guard parallel else {
      var part = PartPipeline.Part(begin: start, end: end, guess: LogDecoder.Carry(), firstLine: description.firstLine)
      PartPipeline.decode(
        &part, fd: fd, name: description.name, defaults: description.origin, since: description.since, last: true, matcher: matcher,
        deliver: { input.assemble($0) },
        onError: { self.addInputDiagnostic(Diagnostic(.warning, at: nil, $0.description, file: description.name)) },
        keepGoing: { !self.stopped })
      input.finish(cutLines: part.cutLines)
      return part.firstLine + part.lines - 1
    }
    let pipeline = PartPipeline(
      fd: fd, name: description.name, defaults: description.origin, since: description.since, start: start, end: end,
      partSize: partSize, firstLine: description.firstLine, matcher: matcher, maker: deduplicator.maker, jobs: jobs)
    defer { pipeline.finish() }
    var lastLine = description.firstLine - 1
    var carry = LogDecoder.Carry()
    // The batches of the file block being read (more than one: a part boundary fell in it).
    var held: [MatchedBatch] = []
    var cutLines: [Int] = []
    var error: LogrxError?
    for index in 0..<pipeline.count {
      guard !stopped, error == nil else { break }
      var part = pipeline.take(index)
      guard part.end > part.begin else { continue }
      if index > 0, !carry.continues(part.guess, partEnd: part.carry) {
        // The part before ended in another state than the guess: read it again from there.
        partsReadAgain += 1
        var again = PartPipeline.Part(begin: part.begin, end: part.end, guess: carry, firstLine: lastLine + 1)
        PartPipeline.decode(
          &again, fd: fd, name: description.name, defaults: description.origin, since: description.since,
          last: part.end == pipeline.rangeEnd, matcher: matcher)
        part = again
      } else {
        let delta = lastLine + 1 - part.firstLine
        for batch in part.batches.indices { part.batches[batch].renumber(by: delta) }
        part.cutLines = part.cutLines.map { $0 + delta }
        part.carry = part.carry.renumbered(by: delta)
        // A long line before the part counts after it too.
        if carry.sawLongLineBefore { part.carry.sawLongLineBefore = true }
      }
      let batches = part.batches
      part.batches = []
      for (position, batch) in batches.enumerated() {
        // The block a boundary fell in was one batch for a single reader.
        if position == 0, let before = held.last, before.block == batch.block {
          held.append(batch)
          continue
        }
        if !held.isEmpty {
          input.assemble(held)
          Self.free(consume held)
        }
        held = [batch]
      }
      Self.free(consume batches)
      for line in part.cutLines where cutLines.last != line { cutLines.append(line) }
      lastLine += part.lines
      carry = part.carry
      error = part.error
    }
    if let error { addInputDiagnostic(Diagnostic(.warning, at: nil, error.description, file: input.name)) }
    if !held.isEmpty { input.assemble(held) }
    input.finish(cutLines: cutLines)
    return lastLine
  }
}

/// A value carried to another thread to be freed there.
private final class KeptForRelease<Value>: @unchecked Sendable {
  private var value: Value?
  init(_ value: consuming Value) { self.value = value }
  func drop() { value = nil }
}
