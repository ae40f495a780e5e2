import LogrxMatching
import LogrxVocabulary

/// RFC 3339 timestamps as container runtimes write them (`2024-05-01T10:15:00.123456789Z`,
/// `2024-05-01T10:15:00+02:00`), as seconds since 1970, without Foundation's formatters (this
/// runs on every line of a `--since` scan).
public enum Timestamps {
  /// Parses the timestamp at the start of `bytes`; nil when there is none.
  public static func parse<Bytes: Collection>(_ bytes: Bytes) -> Double? where Bytes.Element == UInt8, Bytes.Index == Int {
    let start = bytes.startIndex
    guard bytes.count >= 19 else { return nil }
    func number(_ offset: Int, _ length: Int) -> Int? {
      var value = 0
      for index in start + offset..<start + offset + length {
        let byte = bytes[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard let year = number(0, 4), bytes[start + 4] == UInt8(ascii: "-"), let month = number(5, 2),
      bytes[start + 7] == UInt8(ascii: "-"), let day = number(8, 2),
      bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == UInt8(ascii: " "),
      let hour = number(11, 2), bytes[start + 13] == UInt8(ascii: ":"), let minute = number(14, 2),
      bytes[start + 16] == UInt8(ascii: ":"), let second = number(17, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var seconds = Double(daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second)
    var cursor = start + 19
    let end = bytes.endIndex
    if cursor < end, bytes[cursor] == UInt8(ascii: ".") {
      cursor += 1
      var scale = 0.1
      while cursor < end, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 {
        seconds += Double(bytes[cursor] - 0x30) * scale
        scale /= 10
        cursor += 1
      }
    }
    guard cursor < end else { return seconds }
    let zone = bytes[cursor]
    if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-"), cursor + 6 <= end, bytes[cursor + 3] == UInt8(ascii: ":"),
      let hours = number(cursor + 1 - start, 2), let minutes = number(cursor + 4 - start, 2)
    {
      let offset = Double(hours * 3600 + minutes * 60)
      seconds += zone == UInt8(ascii: "+") ? -offset : offset
    }
    return seconds
  }

  public static func parse(_ text: String) -> Double? { parse(Array(text.utf8)) }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  /// `--since`: a duration back from `now` (`90s`, `15m`, `2h`, `7d`) or an RFC 3339 time.
  public static func since(_ text: String, now: Double) -> Double? {
    if let absolute = parse(text) { return absolute }
    guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
    switch unit {
    case "s": return now - amount
    case "m": return now - amount * 60
    case "h": return now - amount * 3600
    case "d": return now - amount * 86400
    default: return nil
    }
  }
}
