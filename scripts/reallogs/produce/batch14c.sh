#!/bin/bash
# batch14c: a second numpy-ABI case: scipy 1.11.4 wheels (built against numpy 1.x) with numpy 2.0.2.
O=/tmp/rl/out14; B=/tmp/rl/b14
env -u PIP_FIND_LINKS $B/pdv/bin/pip install -q --no-deps "scipy==1.11.4" > $B/pip-scipy.txt 2>&1
$B/pdv/bin/python -c "import scipy.linalg; print(scipy.__version__)" > $O/scipy-numpy2.txt 2>&1
echo done > $O/batch14c.done
