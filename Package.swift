// swift-tools-version:6.1
import PackageDescription

// The layers of logrx, each its own target that may import only the targets below it, so a
// backward dependency does not compile (Docs/design.md, "Layers"):
//
//   LogrxMatching    regex (PCRE2), literal prefilter (Vectorscan), multi-pattern matching over byte buffers
//   LogrxVocabulary  Rule, Signature, Finding, Origin, Diagnostic, FixAction: values, no I/O
//   LogrxIngest      byte sources (files, gzip, tar, stdin, cluster), line reader, log formats
//   LogrxRules       rule loader and validation, the catalog (built-in rules compiled in)
//   LogrxDiagnose    event assembly, dedup, correlation, rule examples, evaluation
//   LogrxRecommend   source tree, rendering with the tree's values, fix plans, diff, applier
//   LogrxState       scan state (SQLite) and the stateful scan
//   LogrxReport      text, JSON, JSON Lines, SARIF, Markdown, metrics, fix reports
//   logrx            the command line: parse options, call one entry point, pick a reporter
let package = Package(
  name: "logrx",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "logrx", targets: ["logrx"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CVectorscan", pkgConfig: "libhs", providers: [.apt(["libvectorscan-dev"])]),
    .target(name: "LogrxMatching", dependencies: ["CPCRE2", "CVectorscan"]),
    .target(name: "LogrxVocabulary", dependencies: ["LogrxMatching"]),
    .target(name: "LogrxIngest", dependencies: ["LogrxVocabulary", "CZlib"]),
    .target(name: "LogrxRules", dependencies: ["LogrxVocabulary", .product(name: "Yams", package: "Yams")]),
    .target(name: "LogrxDiagnose", dependencies: ["LogrxRules", "LogrxIngest", .product(name: "Yams", package: "Yams")]),
    .target(name: "LogrxRecommend", dependencies: ["LogrxDiagnose"]),
    .target(name: "LogrxState", dependencies: ["LogrxRecommend", .product(name: "GRDB", package: "GRDB.swift")]),
    .target(name: "LogrxReport", dependencies: ["LogrxState"]),
    .executableTarget(
      name: "logrx",
      dependencies: ["LogrxReport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    // The fuzz target for the ingest decoders and the rule loader (`make fuzz`).
    .executableTarget(name: "logrx-fuzz", dependencies: ["LogrxDiagnose"]),
    .target(
      name: "LogrxTestSupport",
      dependencies: ["LogrxReport", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(name: "LogrxCoreTests", dependencies: ["LogrxTestSupport"]),
    .testTarget(
      name: "LogrxCLITests",
      dependencies: ["LogrxTestSupport", .product(name: "Yams", package: "Yams")]
    ),
  ]
)
