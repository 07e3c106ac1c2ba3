// OpenBLAS's CBLAS (multiarch include folder, added by pkg-config `openblas`) and LAPACKE.
#include <cblas.h>
#include <lapacke.h>
