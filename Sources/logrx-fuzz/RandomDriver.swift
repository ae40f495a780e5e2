import Foundation

/// A seeded random fuzzer for toolchains without libFuzzer: mutations of seed inputs (bit
/// flips, interesting bytes, inserted, deleted and repeated runs, splices, cuts), run in
/// process. The same seed gives the same inputs.
enum RandomDriver {
  /// The input being run, for the crash handler.
  nonisolated(unsafe) static var current: [UInt8] = []
  nonisolated(unsafe) static var crashPath: [CChar] = []
  nonisolated(unsafe) static var started = Date()

  static func main() {
    var seconds = 60.0
    var seed = UInt64(Date().timeIntervalSince1970)
    var files: [String] = []
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
      switch argument {
      case "--seconds": seconds = Double(arguments.next() ?? "") ?? seconds
      case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
      default: files.append(argument)
      }
    }
    var seeds: [[UInt8]] = []
    for file in files {
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: file))?.sorted() ?? [] {
          if let data = FileManager.default.contents(atPath: "\(file)/\(name)") { seeds.append(Array(data)) }
        }
      } else if let data = FileManager.default.contents(atPath: file) {
        seeds.append(Array(data))
      }
    }
    if seeds.isEmpty { seeds = [[0, 0] + Array("hello\n".utf8)] }
    crashPath = Array("crash-\(seed).bin".utf8CString)
    installCrashHandlers()
    startWatchdog()
    var random = SplitMix64(seed: seed)
    let deadline = Date().addingTimeInterval(seconds)
    var runs = 0
    while Date() < deadline {
      var input = seeds[Int(random.next() % UInt64(seeds.count))]
      for _ in 0..<(1 + Int(random.next() % 8)) { mutate(&input, seeds: seeds, random: &random) }
      current = input
      started = Date()
      input.withUnsafeBytes { FuzzInput.run($0) }
      runs += 1
    }
    print("logrx-fuzz: \(runs) inputs in \(Int(seconds)) s (seed \(seed), \(seeds.count) seeds): no crash, no hang")
  }

  static func mutate(_ input: inout [UInt8], seeds: [[UInt8]], random: inout SplitMix64) {
    func position() -> Int { input.isEmpty ? 0 : Int(random.next() % UInt64(input.count)) }
    let interesting: [UInt8] = [0, 0x0A, 0x0D, 0x1B, 0x1F, 0x8B, 0x7F, 0x80, 0xFF, 0x20, 0x22, 0x7B, 0x7D, 0x30, 0x39, 0x50, 0x46]
    switch random.next() % 9 {
    case 0 where !input.isEmpty: input[position()] ^= UInt8(1 << (random.next() % 8))
    case 1 where !input.isEmpty: input[position()] = interesting[Int(random.next() % UInt64(interesting.count))]
    case 2: input.insert(UInt8(truncatingIfNeeded: random.next()), at: position())
    case 3 where input.count > 1:
      let start = position()
      input.removeSubrange(start..<min(input.count, start + 1 + Int(random.next() % 64)))
    case 4 where !input.isEmpty:
      // Repeat a run (long lines, many entries).
      let start = position()
      let run = Array(input[start..<min(input.count, start + 1 + Int(random.next() % 32))])
      let times = 1 + Int(random.next() % 512)
      input.insert(contentsOf: Array([[UInt8]](repeating: run, count: times).joined()), at: start)
    case 5:
      let other = seeds[Int(random.next() % UInt64(seeds.count))]
      guard !other.isEmpty else { return }
      let from = Int(random.next() % UInt64(other.count))
      input.insert(contentsOf: other[from..<min(other.count, from + 1 + Int(random.next() % 256))], at: position())
    case 6 where input.count > 2: input.removeLast(Int(random.next() % UInt64(input.count - 2)))
    case 7 where input.count >= 12:
      // An ASCII number where a header field may be (tar sizes are octal text).
      let digits = Array(String(random.next() % 100_000_000_000, radix: 8).utf8)
      let start = position()
      for (offset, digit) in digits.enumerated() where start + offset < input.count { input[start + offset] = digit }
    default:
      if !input.isEmpty { input[0] = UInt8(truncatingIfNeeded: random.next()) }
    }
    if input.count > 1 << 20 { input.removeLast(input.count - (1 << 20)) }
  }

  /// On a trap, the input that caused it is written out before the process ends.
  static func installCrashHandlers() {
    for number in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
      signal(number) { number in
        RandomDriver.saveCurrent(reason: "signal \(number)")
        signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  static func saveCurrent(reason: String) {
    let fd = open(crashPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if fd >= 0 {
      current.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
      close(fd)
    }
    let message = Array("logrx-fuzz: \(reason); the input is in \(String(cString: crashPath))\n".utf8)
    message.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  }

  /// An input that runs for more than 10 s is a hang: saved, and the process ends.
  static func startWatchdog() {
    Thread.detachNewThread {
      while true {
        sleep(1)
        if Date().timeIntervalSince(started) > 10 {
          saveCurrent(reason: "an input ran for more than 10 s")
          exit(1)
        }
      }
    }
  }
}

/// A small, fast, seedable generator (Vigna's SplitMix64).
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
