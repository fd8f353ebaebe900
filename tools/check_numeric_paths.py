"""Which numeric paths this process uses, and a check that `make test-portable` really changed them.

    python tools/check_numeric_paths.py --dispatched   # NumPy's optional SIMD features this CPU has
    python tools/check_numeric_paths.py --report       # OpenBLAS kernel, SIMD features on, a 300x300 product's digest
    python tools/check_numeric_paths.py --check-forced # exit 1 unless this process's paths differ from the default's

`--check-forced` runs under OPENBLAS_CORETYPE / NPY_DISABLE_CPU_FEATURES and compares itself with a
child process started without them: the OpenBLAS core must differ, every disabled feature must be
off, and a 300x300 matrix product must differ in its last digits. Otherwise the variables were
ignored (a misspelt kernel name, a NumPy without dispatch, a BLAS that is not OpenBLAS) and the
portability run would prove nothing.
"""

import ctypes
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

FORCING = ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES")


def _features():
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    return list(__cpu_dispatch__), {k for k, on in __cpu_features__.items() if on}


def openblas_core():
    """OpenBLAS's kernel name (e.g. 'SkylakeX', 'Prescott'), read from NumPy's bundled OpenBLAS."""
    libs = Path(np.__file__).parent.parent / "numpy.libs"
    for lib in sorted(libs.glob("libscipy_openblas*.so*")) + sorted(libs.glob("libopenblas*.so*")):
        handle = ctypes.CDLL(str(lib))
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                       "openblas_get_corename"):
            fn = getattr(handle, symbol, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return None


def report():
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((300, 300)), rng.standard_normal((300, 300))
    x = rng.standard_normal(100_001)
    dispatched, on = _features()
    return {"openblas_core": openblas_core(),
            "dispatched_on": sorted(f for f in dispatched if f in on),
            "product": hashlib.sha256((A @ B).tobytes()).hexdigest()[:16],
            "elementwise": hashlib.sha256(np.tanh(x).tobytes() + np.exp(x).tobytes()).hexdigest()[:16]}


def check_forced():
    env = {k: v for k, v in os.environ.items() if k not in FORCING}
    default = json.loads(subprocess.run([sys.executable, __file__, "--report"], env=env, check=True,
                                        capture_output=True, text=True).stdout)
    forced = report()
    problems = [f"{name} is not set" for name in FORCING if not os.environ.get(name)]
    if os.environ.get("OPENBLAS_CORETYPE"):
        if forced["openblas_core"] is None:
            problems.append("cannot read OpenBLAS's kernel: is NumPy's BLAS OpenBLAS?")
        elif forced["openblas_core"] == default["openblas_core"]:
            problems.append(f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} left the kernel at "
                            f"{default['openblas_core']}")
        if forced["product"] == default["product"]:
            problems.append("a 300x300 product has the same bits as with the default kernel")
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES", "").replace(",", " ").split()
    still_on = [f for f in disabled if f in forced["dispatched_on"]]
    if still_on:
        problems.append(f"NPY_DISABLE_CPU_FEATURES left {still_on} on")
    if disabled and forced["dispatched_on"] == default["dispatched_on"]:
        problems.append("NPY_DISABLE_CPU_FEATURES switched no SIMD feature off")
    print(f"default: {default}\nforced:  {forced}")
    for p in problems:
        print("NOT FORCED:", p, file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    if argv == ["--dispatched"]:
        dispatched, on = _features()
        print(" ".join(f for f in dispatched if f in on))
    elif argv == ["--report"]:
        print(json.dumps(report()))
    elif argv == ["--check-forced"]:
        return check_forced()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
