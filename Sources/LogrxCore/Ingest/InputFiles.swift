import Foundation

/// Expands the paths given on the command line into the files to read.
///
/// Directories are walked recursively in sorted order; hidden files and directories
/// (starting with `.`) inside them are skipped, symbolic links to directories are not
/// followed (they would loop or repeat). A path that does not exist is a diagnostic, and the
/// run goes on with the others.
public enum InputFiles {
  public static func expand(_ paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
    var files: [String] = []
    var diagnostics: [Diagnostic] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        diagnostics.append(Diagnostic(.error, at: nil, "no such file or directory", file: path))
        continue
      }
      guard isDirectory.boolValue else {
        files.append(path)
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      var found: [String] = []
      if let enumerator = manager.enumerator(atPath: path) {
        while let relative = enumerator.nextObject() as? String {
          let name = (relative as NSString).lastPathComponent
          let full = "\(base)/\(relative)"
          var childIsDirectory: ObjCBool = false
          _ = manager.fileExists(atPath: full, isDirectory: &childIsDirectory)
          if name.hasPrefix(".") {
            if childIsDirectory.boolValue { enumerator.skipDescendants() }
            continue
          }
          if !childIsDirectory.boolValue { found.append(full) }
        }
      }
      files.append(contentsOf: found.sorted())
    }
    return (files, diagnostics)
  }
}

extension Analysis {
  /// Opens `path` (gzip recognised by its magic bytes, whatever the name) and analyses it
  /// under the name `name` (default: the path).
  public func analyze(path: String, name: String? = nil) {
    let name = name ?? path
    let file: FileDescriptorSource
    do {
      file = try FileDescriptorSource(path: path)
    } catch {
      addInputDiagnostic(Diagnostic(.error, at: nil, error.description, file: name))
      return
    }
    var magic = [UInt8](repeating: 0, count: 2)
    let sniffed = (try? magic.withUnsafeMutableBytes { raw throws(IngestError) in try file.read(into: raw) }) ?? 0
    var prefixed = PrefixedSource(prefix: Array(magic.prefix(sniffed)), upstream: file)
    if sniffed == 2, magic == [0x1F, 0x8B] {
      var gzip = GzipSource(prefixed, path: name)
      analyze(&gzip, name: name)
    } else {
      analyze(&prefixed, name: name)
    }
  }
}

/// Replays a few bytes already read (for sniffing), then reads on from the source.
struct PrefixedSource<Upstream: ByteSource>: ByteSource {
  var prefix: [UInt8]
  var upstream: Upstream

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
    if !prefix.isEmpty, buffer.count > 0 {
      let count = min(prefix.count, buffer.count)
      prefix.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
      prefix.removeFirst(count)
      return count
    }
    return try upstream.read(into: buffer)
  }
}
