import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct TemplateTests {
  @Test func placeholdersAreFilledAndOtherDollarsKept() {
    let template = Template("export ${name}=\"$ARGS\" # ${name} in ${file}, cost $5, ${}")
    #expect(template.names == ["name", "file", ""])
    #expect(template.render(["name": "X", "file": "a.py", "": "e"]) == "export X=\"$ARGS\" # X in a.py, cost $5, e")
  }

  @Test func anUnclosedPlaceholderIsText() {
    #expect(Template("a ${b").names == [])
    #expect(Template("a ${b").render([:]) == "a ${b")
    #expect(Template("${x} and ${y").render(["x": "1"]) == "1 and ${y")
    #expect(Template("$").render([:]) == "$")
    #expect(Template("").render([:]) == "")
  }

  @Test func aMissingValueRendersAsItsName() {
    #expect(Template("héllo ${wörld}!").render([:]) == "héllo <wörld>!")
  }
}
