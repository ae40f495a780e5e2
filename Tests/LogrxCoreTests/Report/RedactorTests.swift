import LogrxReport
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
  ])
  func leavesAlone(_ line: String) {
    #expect(Redactor().redact(line) == line)
  }

  @Test func isOffWhenAsked() {
    #expect(Redactor(enabled: false).redact("postgres://app:s3cret@db/app") == "postgres://app:s3cret@db/app")
  }
}
