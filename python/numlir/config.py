"""numba's ``config`` for what numlir shares with it: ``NUMBA_NUM_THREADS`` (and
``NUMLIR_NUM_THREADS``), the size of the thread pool parallel code uses: the environment
variable ``NUMLIR_NUM_THREADS`` when set, else the cores available."""
from ._core import _pool_size

NUMBA_NUM_THREADS = NUMLIR_NUM_THREADS = _pool_size()

# Kernels of numlir.cuda run in the simulator (on the CPU) instead of a GPU: NUMLIR_CUDA_SIM=1
# (or numba's NUMBA_ENABLE_CUDASIM=1) at import, or set this at any time.
import os as _os

CUDA_SIMULATOR = any(_os.environ.get(name, "0") not in ("", "0") for name in ("NUMLIR_CUDA_SIM", "NUMBA_ENABLE_CUDASIM"))
ENABLE_CUDASIM = CUDA_SIMULATOR
