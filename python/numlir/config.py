"""numba's ``config`` for what numlir shares with it: ``NUMBA_NUM_THREADS`` (and
``NUMLIR_NUM_THREADS``), the size of the thread pool parallel code uses: the environment
variable ``NUMLIR_NUM_THREADS`` when set, else the cores available."""
from ._core import _pool_size

NUMBA_NUM_THREADS = NUMLIR_NUM_THREADS = _pool_size()
