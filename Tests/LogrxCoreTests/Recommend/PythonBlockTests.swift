import Testing
import LogrxRecommend

/// The imports a python_block carries go in only where the file does not bind their names.
@Suite struct PythonBlockTests {
  let block = "import os\n\nLOGGING = {'level': os.getenv('X', 'INFO')}\n"

  @Test func importAddedWhereTheFileBindsOnlyOtherNames() {
    // huogerac/django16-openshift-template's settings: `from os import environ` only.
    let settings = "from os import environ\nfrom os.path import join\nSECRET_KEY = environ['K']\n"
    #expect(PythonBlock.withoutBoundImports(block, in: settings) == block)
  }

  @Test func importLeftOutWhereTheFileImportsIt() {
    for settings in ["import os\n", "import sys, os\n", "import os.path\n", "from x import os\n", "import os  # paths\n"] {
      #expect(PythonBlock.withoutBoundImports(block, in: settings) == "LOGGING = {'level': os.getenv('X', 'INFO')}\n", "\(settings)")
    }
  }

  @Test func indentedOrAliasedImportsDoNotCount() {
    // Inside a function, or bound to another name: `os` is not a module-level name.
    for settings in ["def f():\n    import os\n", "import os as _os\n", "from os import *\n", "# import os\n"] {
      #expect(PythonBlock.withoutBoundImports(block, in: settings) == block, "\(settings)")
    }
  }

  @Test func aBlockStartingWithACommentIsLeftAsItIs() {
    // python-v2-libs-path and django-collectstatic-no-static-root start with a comment.
    let commented = "# Where collectstatic puts the files.\nimport os\nSTATIC_ROOT = os.path.join(BASE_DIR, 's')\n"
    #expect(PythonBlock.withoutBoundImports(commented, in: "import os\n") == commented)
  }

  @Test func boundNames() {
    let names = PythonBlock.boundNames(in: "import a.b, c as d\nfrom e import (f, g as h)\n    import i\nfrom j import *\n")
    #expect(names == ["a", "d", "f", "h"])
  }
}
