// oneDNN's C API (Debian package libdnnl-dev): biasaudit uses dnnl_sgemm and dnnl_set_max_threads.
#include <oneapi/dnnl/dnnl.h>
