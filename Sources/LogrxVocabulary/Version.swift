import LogrxMatching

/// The version of logrx, for `logrx --version` and for the tool a SARIF log names.
public enum LogrxVersion {
  public static let current = "0.1.0"
}
