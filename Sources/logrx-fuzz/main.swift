import Foundation

// The fuzz target for the ingest decoders (LineReader + LogDecoder, GzipSource, TarReader)
// and the rule loader (see FuzzInput).
//
// Built with `-sanitize=fuzzer -DLIBFUZZER` (`make fuzz`), it is a libFuzzer binary and takes
// libFuzzer's flags. Built plainly (as `make test` does, so that it keeps compiling), it is a
// seeded random driver: `logrx-fuzz [--seconds N] [--seed S] SEED_FILE…` mutates the seed
// files for N seconds and, when an input traps or takes over 10 s, writes it to
// `crash-<seed>.bin` in the current folder and exits 1.

#if LIBFUZZER
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
  ) -> Int32

  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(
    LLVMFuzzerRunDriver(&argc, &argv) { data, size in
      FuzzInput.run(UnsafeRawBufferPointer(start: data, count: size))
      return 0
    })
#else
  RandomDriver.main()
#endif
