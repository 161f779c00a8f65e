// oneDNN C API (Debian package libdnnl-dev): biasaudit uses dnnl_sgemm.
#include <oneapi/dnnl/dnnl.h>
