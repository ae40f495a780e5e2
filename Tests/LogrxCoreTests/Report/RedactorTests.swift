import Foundation
import LogrxIngest
import LogrxReport
import LogrxTestSupport
import Testing

/// The redactor's patterns, one case each, and lines it must leave alone.
@Suite struct RedactorTests {
  @Test(arguments: [
    ("postgres://app:s3cret@db:5432/app", "postgres://app:[REDACTED]@db:5432/app"),
    ("DATABASE_URL=mysql://root:pw@mysql/db", "DATABASE_URL=mysql://root:[REDACTED]@mysql/db"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y", "Authorization: Bearer [REDACTED]"),
    ("authorization: basic YWRtaW46cGFzcw==", "authorization: basic [REDACTED]"),
    ("DB_PASSWORD=hunter2 user=app", "DB_PASSWORD=[REDACTED] user=app"),
    ("PASSWORD: hunter2", "PASSWORD: [REDACTED]"),
    ("password: YESMAN)", "password: [REDACTED]"),
    (#"{"api_key": "abc123", "name": "x"}"#, #"{"api_key": "[REDACTED]", "name": "x"}"#),
    ("login?user=a&password=pw&next=/", "login?user=a&password=[REDACTED]&next=/"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key = [REDACTED]"),
    ("key id AKIAIOSFODNN7EXAMPLE used", "key id [REDACTED] used"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----", "-----BEGIN PRIVATE KEY----- [REDACTED] -----END PRIVATE KEY-----"),
  ])
  func hides(_ line: String, _ expected: String) {
    #expect(Redactor().redact(line) == expected)
  }

  @Test(arguments: [
    "KeyError: 'OPENSHIFT_DATA_DIR'",
    "ImproperlyConfigured: The SECRET_KEY setting must not be empty.",
    "GET https://example.com/static/app.css 404",
    "tokenizer loaded in 3 s",
    // MySQL says only whether a password was sent (Corpus/reallogs/tune/mysql-access-denied-server-02.log)
    "[Warning] Access denied for user 'django'@'127.0.0.1' (using password: YES)",
    "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: NO)",
  ])
  func leavesAlone(_ line: String) {
    #expect(Redactor().redact(line) == line)
  }

  @Test func isOffWhenAsked() {
    #expect(Redactor(enabled: false).redact("postgres://app:s3cret@db/app") == "postgres://app:s3cret@db/app")
  }
}

/// The redactor runs its patterns on PCRE2; ICU's `NSRegularExpression` (what it used before,
/// and its fallback at PCRE2's limits) is the reference: the same text out for every line of
/// every corpus log, and for lines made to hold credentials in many shapes.
@Suite struct RedactorReferenceTests {
  static let crafted: [String] = [
    "postgres://app:s3cret@db:5432/app and mysql://u:p@h/x twice",
    "https://user:pa:ss@host/ https://:nouser@host/ ftp://a@b",
    "Authorization: Bearer abc_def.ghi-jkl and basic\tZm9vOmJhcg== and Bearer short",
    "DB_PASSWORD=hunter2 api-key: 'k1' access_key=\"v2\"; x.token=abc&secret_key=zz",
    "password=[REDACTED] token: [REDACTED]x passwd:\"x y\" PWD = 3",
    "AKIAIOSFODNN7EXAMPLE ASIAIOSFODNN7EXAMPLE1 xAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPL",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- tail -----BEGIN PRIVATE KEY-----\nopen",
    "émotion token=ça_va pässword=geheim Ωsecret=1 ｔoken=2 \u{2003}password=3",
    "mot de passe: geheim, Passwort=x, 密码 password：全角",
    "KeyError: 'SECRET_KEY' tokenizer keyring monkey=1 passthrough passage=2",
    "",
    "no fragment at all",
  ]

  @Test func pcre2PatternsGiveWhatICUGives() throws {
    var texts = Self.crafted
    let logs = InputFiles.expand([Fixtures.path("Corpus/logs"), Fixtures.path("Corpus/reallogs")]).files.filter {
      !$0.hasSuffix(".yaml") && !$0.hasSuffix(".md")
    }
    #expect(logs.count > 100)
    for path in logs {
      let data = try #require(FileManager.default.contents(atPath: path))
      texts += String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    var differ: [String] = []
    for text in texts where Redactor().redact(text) != Redactor.redactWithFoundation(text) { differ.append(text) }
    #expect(texts.count > 1000)
    #expect(differ.isEmpty, "\(differ.prefix(5))")
  }
}
