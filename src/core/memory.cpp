#include "core/memory.h"

#include <dlfcn.h>
#include <malloc.h>

namespace gz::memory {

void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_MAX, 0);                 // large blocks from the heap, not from fresh mappings
  mallopt(M_TRIM_THRESHOLD, 1 << 30);     // give memory back to the kernel only above 1 GB free
  mallopt(M_TOP_PAD, 64 << 20);           // grow the heap by 64 MB steps
}

void release_free_memory() {
  using Fn = void (*)();
  static Fn tcmalloc_release = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"));
  if (tcmalloc_release) tcmalloc_release();
  else malloc_trim(0);
}

}  // namespace gz::memory
