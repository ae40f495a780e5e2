import Foundation
import Testing
import LogrxTestSupport

/// `json` is one document, `jsonl` the stream, `-o` the short name of `--format`; real output of
/// both validates against Docs/schemas/ (python3 jsonschema, installed by scripts/setup --test).
@Suite struct JSONSchemaTests {
  static func validate(_ output: String, as mode: String) throws -> CLI.Result {
    let file = Fixtures.temporaryDirectory().appendingPathComponent("output.\(mode)")
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    try Data(output.utf8).write(to: file)
    return try CLI.runProgram("/bin/sh", ["-c", "\"$0\" \"$1\" < \"$2\"", Fixtures.path("scripts/validate-json.py"), mode, file.path])
  }

  @Test func explainWritesOneDocumentOrAStreamThatFollowTheSchemas() throws {
    let json = try CLI.run(["explain", "-o", "json", Fixtures.path("Corpus/logs/guide")])
    let long = try CLI.run(["explain", "--format", "json", Fixtures.path("Corpus/logs/guide")])
    #expect(json.stdout == long.stdout)
    let document = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(Set(document.keys) == ["findings", "resolved", "summary"])
    #expect(((document["findings"] as? [Any])?.count ?? 0) > 10)
    let checked = try Self.validate(json.stdout, as: "json")
    #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")

    let jsonl = try CLI.run(["explain", "-o", "jsonl", Fixtures.path("Corpus/logs")])
    #expect(jsonl.stdout.split(separator: "\n").count > 50)
    let lines = try Self.validate(jsonl.stdout, as: "jsonl")
    #expect(lines.status == 0, "\(lines.stdout)\(lines.stderr)")
  }

  @Test func aScanWithStateWritesResolvedRecordsThatFollowTheSchemas() throws {
    let work = Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let pods = work.appendingPathComponent("pods")
    try FileManager.default.copyItem(atPath: Fixtures.path("Tests/Fixtures/nodelogs/var/log/pods"), toPath: pods.path)
    let state = work.appendingPathComponent("state.sqlite").path
    let first = try CLI.run(["scan", "--state", state, "-o", "json", pods.path])
    #expect(try Self.validate(first.stdout, as: "json").status == 0)
    try FileManager.default.removeItem(at: pods.appendingPathComponent("myproject_django-1-abcde_5f0c1f2e-8d3b-4c6a-9e21-7b1d2c3e4f50"))
    let second = try CLI.run(["scan", "--state", state, "--report", "all", "-o", "jsonl", pods.path])
    #expect(second.stdout.contains("\"type\":\"resolved\""))
    let checked = try Self.validate(second.stdout, as: "jsonl")
    #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
  }

  @Test func theValidatorRejectsARecordThatDoesNotFit() throws {
    let result = try Self.validate("{\"type\":\"summary\",\"findings\":\"three\"}\n", as: "jsonl")
    #expect(result.status == 1)
    #expect(result.stdout.contains("summary.schema.json"))
  }
}
