import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct RegexTests {
  @Test func namedCapturesAreReturnedByName() throws {
    let regex = try Regex("KeyError: '(?<var>OPENSHIFT_[A-Z_]+)'")
    #expect(regex.captureNames == ["var"])
    guard case .match(_, let captures) = RegexMatcher().match(regex, in: "x KeyError: 'OPENSHIFT_REPO_DIR' y") else {
      Issue.record("no match")
      return
    }
    let subject = Array("x KeyError: 'OPENSHIFT_REPO_DIR' y".utf8)
    #expect(captures["var"].map { String(decoding: subject[$0], as: UTF8.self) } == "OPENSHIFT_REPO_DIR")
  }

  @Test func alternativesMayShareACaptureName() throws {
    let regex = try Regex("a=(?<v>[0-9]+)|b=(?<v>[a-z]+)")
    #expect(regex.captureNames == ["v"])
    guard case .match(_, let captures) = RegexMatcher().match(regex, in: "b=xyz") else {
      Issue.record("no match")
      return
    }
    #expect(captures["v"] == 2..<5)
  }

  @Test func compileErrorsCarryPCRE2MessageAndOffset() {
    #expect(throws: RegexError.self) { try Regex("abc(def") }
    do {
      _ = try Regex("abc(def")
    } catch {
      #expect(error.message.contains("missing closing parenthesis"))
      #expect(error.offset == 7)
    }
  }

  @Test func catastrophicBacktrackingEndsAtTheMatchLimit() throws {
    let regex = try Regex("^(a|aa)+$")
    let subject = String(repeating: "a", count: 5000) + "b"
    let outcome = RegexMatcher().match(regex, in: subject)
    #expect(outcome == .limitExceeded || outcome == .noMatch)
    // The important property: it returns. A limit must be reported, not hung on.
    let nested = try Regex("^(\\w+\\s?)*$")
    #expect(RegexMatcher().match(nested, in: String(repeating: "a", count: 40) + "!") == .limitExceeded)
  }

  @Test func bytesThatAreNotUTF8DoNotStopAMatch() throws {
    let regex = try Regex("no such table: (?<table>\\w+)")
    var bytes: [UInt8] = [0xFF, 0xFE, 0x00]
    bytes += Array("no such table: auth_user".utf8)
    let outcome = bytes.withUnsafeBytes { RegexMatcher().match(regex, in: $0) }
    guard case .match(_, let captures) = outcome else {
      Issue.record("no match")
      return
    }
    #expect(captures["table"] == 18..<27)
  }
}
