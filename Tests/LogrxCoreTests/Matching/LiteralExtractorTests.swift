import LogrxTestSupport
import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct LiteralExtractorTests {
  @Test(arguments: [
    ("KeyError: '(?<var>OPENSHIFT_[A-Z0-9_]+)'", ["KeyError: '"]),
    ("ERROR: don't know how to run your application\\.", ["ERROR: don't know how to run your application."]),
    ("Back-off restarting failed container", ["Back-off restarting failed container"]),
    ("abc|defg", ["abc", "defg"]),
    ("colou?r scheme", ["r scheme"]),
    ("ab+cdef", ["cdef"]),
    ("x{2,}yz12", ["yz12"]),
    ("\\bNot Found: (?<path>/static/\\S+)", ["Not Found: "]),
    ("(?:Skipped|Ignored) 'python manage\\.py", [" 'python manage.py"]),
    ("(?i)crashloopbackoff", ["crashloopbackoff"]),
    ("\\Q(a.b)\\E tail", ["(a.b) tail"]),
    ("no such table: \\w+", ["no such table: "]),
    ("[0-9]+ ms", [" ms"]),
    ("[0-9]+ s", nil),
    ("(?:foo|bar)baz", ["baz"]),
    ("ab|[xy]z", nil),
    (".*", nil),
  ] as [(String, [String]?)])
  func needles(pattern: String, expected: [String]?) {
    #expect(LiteralExtractor.needles(for: pattern) == expected)
  }

  @Test func everyDerivedNeedleOccursInEveryMatch() throws {
    // Property check over the built-in rules: each match of each example contains a needle.
    for rule in Fixtures.catalog.rules {
      for signature in rule.signatures where !signature.declaredLiteral {
        guard let needles = signature.needles else { continue }
        for example in rule.matchExamples {
          for line in example.text.split(separator: "\n") {
            guard case .match(let range, _) = RegexMatcher().match(signature.regex, in: String(line)) else { continue }
            let matched = String(decoding: Array(line.utf8)[range], as: UTF8.self).lowercased()
            #expect(needles.contains { matched.contains($0.lowercased()) }, "\(rule.id): \(signature.regex.pattern)")
          }
        }
      }
    }
  }
}
