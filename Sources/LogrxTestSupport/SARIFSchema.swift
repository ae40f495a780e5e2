import Foundation

/// Validates SARIF logs against the official SARIF 2.1.0 JSON schema with Python's
/// `jsonschema` (installed by `scripts/setup`).
///
/// The schema is the repository's copy, `Tests/Fixtures/sarif/sarif-schema-2.1.0.json` (its
/// source and licence are in the README beside it), or `$LOGRX_SARIF_SCHEMA`.
public enum SARIFSchema {
  /// Why a validation could not run: a test that meets it fails, it does not skip.
  public struct Unavailable: Error, CustomStringConvertible {
    public var description: String
  }

  public static var path: String {
    if let path = ProcessInfo.processInfo.environment["LOGRX_SARIF_SCHEMA"] { return path }
    return Fixtures.path("Tests/Fixtures/sarif/sarif-schema-2.1.0.json")
  }

  /// The validator: the schema's own draft (draft-07 for SARIF 2.1.0), with format checks.
  /// Exit 0 valid, 1 invalid (one problem a line), 3 no jsonschema module.
  static let script = """
    import json, sys
    try:
        import jsonschema
    except ImportError:
        sys.stderr.write("python3 has no jsonschema module: run scripts/setup (it installs python3-jsonschema)\\n")
        sys.exit(3)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    document = json.load(sys.stdin)
    cls = jsonschema.validators.validator_for(schema)
    checker = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    validator = cls(schema, format_checker=checker)
    problems = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for problem in problems:
        where = "/".join(str(p) for p in problem.absolute_path) or "(root)"
        print(where + ": " + problem.message[:500])
    sys.exit(1 if problems else 0)
    """

  /// The schema problems of `sarif`, one per line (`path/in/document: message`); empty when valid.
  ///
  /// - Throws: ``Unavailable`` when the schema, `python3` or its `jsonschema` module is missing.
  public static func problems(in sarif: String) throws -> [String] {
    guard FileManager.default.fileExists(atPath: path) else {
      throw Unavailable(description: "the SARIF schema is not at \(path) (Tests/Fixtures/sarif in the repository, or set LOGRX_SARIF_SCHEMA)")
    }
    let run: (status: Int32, stdout: Data, stderr: Data)
    do {
      run = try Subprocess.run("/usr/bin/env", ["python3", "-c", script, path], stdin: Data(sarif.utf8))
    } catch {
      throw Unavailable(description: "cannot run python3 through /usr/bin/env: \(error); run scripts/setup")
    }
    let stdout = String(decoding: run.stdout, as: UTF8.self)
    let stderr = String(decoding: run.stderr, as: UTF8.self)
    switch run.status {
    case 0: return []
    case 1 where !stdout.isEmpty: return stdout.split(separator: "\n").map(String.init)
    case 127:
      throw Unavailable(
        description: "python3 is not installed: run scripts/setup (\(stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
    default:
      throw Unavailable(
        description:
          "the SARIF validator failed (exit \(run.status)): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
  }
}
