import Testing
import LogrxMatching
import LogrxVocabulary
import LogrxIngest
import LogrxRules
import LogrxDiagnose
import LogrxRecommend
import LogrxState
import LogrxReport

@Suite struct TracebackAssemblerTests {
  func events(_ text: String) -> [TracebackAssembler.Event] {
    var assembler = TracebackAssembler()
    var events: [TracebackAssembler.Event] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if let event = assembler.feed(String(line), number: index + 1) { events.append(event) }
    }
    if let event = assembler.flush() { events.append(event) }
    return events
  }

  @Test func theGuidesCutShortTracebackIsOneEvent() {
    let text = """
       File "/opt/app-root/src/wsgi/application", line 9, in <module>
         sys.path.append(os.path.join(os.environ['OPENSHIFT_REPO_DIR'], 'wsgi', 'myproject'))
       File "/opt/app-root/lib64/python2.7/UserDict.py", line 40, in __getitem__
         raise KeyError(key)
     KeyError: 'OPENSHIFT_REPO_DIR'
    [Mon Jul 03 05:20:02 2017] [notice] next
    """
    let found = events(text)
    #expect(found.count == 1)
    #expect(found[0].lines.map(\.line) == [1, 2, 3, 4, 5])
    #expect(found[0].lastFrameFile == "/opt/app-root/lib64/python2.7/UserDict.py")
  }

  @Test func modWSGIPrefixedLinesAreReadAfterThePrefix() {
    let prefix = "[Mon Jul 03 05:20:01.713318 2017] [wsgi:error] [pid 21:tid 1399] [remote 10.129.0.1:52] "
    let text = [
      "mod_wsgi (pid=21): Target WSGI script '/opt/app-root/src/wsgi/application' cannot be loaded as Python module.",
      "Traceback (most recent call last):",
      "  File \"/opt/app-root/src/wsgi/application\", line 9, in <module>",
      "    sys.path.append(os.path.join(os.environ['OPENSHIFT_REPO_DIR'], 'wsgi', 'myproject'))",
      "KeyError: 'OPENSHIFT_REPO_DIR'",
    ].map { prefix + $0 }.joined(separator: "\n") + "\n10.128.0.1 - - [03/Jul/2017:05:20:01 +0000] \"GET / HTTP/1.1\" 500 27"
    let found = events(text)
    #expect(found.count == 1)
    #expect(found[0].lines.map(\.line) == [2, 3, 4, 5])
    #expect(found[0].lastFrameFile == "/opt/app-root/src/wsgi/application")
  }

  @Test func chainedExceptionsStayTogether() {
    let text = """
    Traceback (most recent call last):
      File "a.py", line 1, in <module>
    KeyError: 'x'

    During handling of the above exception, another exception occurred:

    Traceback (most recent call last):
      File "b.py", line 2, in <module>
    RuntimeError: y
    next line
    """
    let found = events(text)
    #expect(found.count == 1)
    #expect(found[0].lines.last?.text == "RuntimeError: y")
    #expect(found[0].lastFrameFile == "b.py")
  }

  @Test func twoSeparateTracebacksAreTwoEvents() {
    let text = """
    Traceback (most recent call last):
      File "a.py", line 1, in <module>
    KeyError: 'x'
    Traceback (most recent call last):
      File "b.py", line 2, in <module>
    ValueError: y
    """
    #expect(events(text).map { $0.lines.count } == [3, 3])
  }

  @Test func ordinaryIndentedLinesAreNotATraceback() {
    #expect(events("Operations to perform:\n  Apply all migrations: admin\n  File saved\n").isEmpty)
  }

  /// The innermost frame is often the standard library (os.py's __getitem__ for a KeyError) or
  /// an installed package; a fix edits the innermost frame of the app itself.
  @Test func theAppsOwnFrameIsToldApartFromTheLibraries() {
    let text = """
    Traceback (most recent call last):
      File "/opt/app-root/src/wsgi/application", line 9, in <module>
        virtenv = os.environ['APPDIR'] + '/virtenv/'
      File "/opt/app-root/lib64/python3.6/os.py", line 669, in __getitem__
        raise KeyError(key) from None
    KeyError: 'APPDIR'
    """
    let event = events(text)[0]
    #expect(event.lastFrameFile == "/opt/app-root/lib64/python3.6/os.py")
    #expect(event.lastAppFrameFile == "/opt/app-root/src/wsgi/application")
    for library in ["/opt/app-root/lib/python3.11/site-packages/django/urls/conf.py", "/usr/lib/python3/dist-packages/x.py", "<frozen importlib._bootstrap>", "/usr/lib64/python2.7/UserDict.py"] {
      #expect(!TracebackAssembler.isAppFile(library), "\(library)")
    }
    for app in ["manage.py", "/opt/app-root/src/lib/pythonic/util.py", "/srv/app/myproject/settings.py"] {
      #expect(TracebackAssembler.isAppFile(app), "\(app)")
    }
  }
}
