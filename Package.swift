// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "logrx",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "logrx", targets: ["logrx"]),
    .library(name: "LogrxCore", targets: ["LogrxCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    .systemLibrary(
      name: "CZlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .target(
      name: "LogrxCore",
      dependencies: [
        "CPCRE2", "CZlib", .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .executableTarget(
      name: "logrx",
      dependencies: ["LogrxCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .target(
      name: "LogrxTestSupport",
      dependencies: ["LogrxCore", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(
      name: "LogrxCoreTests",
      dependencies: ["LogrxCore", "LogrxTestSupport"]
    ),
    .testTarget(
      name: "LogrxCLITests",
      dependencies: ["LogrxCore", "LogrxTestSupport", .product(name: "Yams", package: "Yams")]
    ),
  ]
)
