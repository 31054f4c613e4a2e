// Process-wide memory tuning.
#pragma once

namespace gz::memory {

// Large blocks (the analyses' per-customer arrays: about 100 MB each at a million customers)
// are by default mapped fresh from the kernel and unmapped when freed, so every analysis pays
// page faults again for memory it just released — a third of its time on a virtual machine.
// This keeps them in the heap and freed memory in the process for the next analysis. Called by
// `gazelle` at start and by the analytics benchmark. (It tunes glibc's allocator: the gazelle
// binary itself allocates through tcmalloc, which keeps freed blocks by design, so there it only
// matters for what glibc still allocates; the benchmark and the tests use glibc's.)
void keep_freed_memory_for_reuse();

// Gives the memory the process has freed back to the system: tcmalloc (the gazelle binary's
// allocator) and glibc both keep it for reuse, so a burst of temporary memory (a large request
// body's string doublings, the vectors grown while the analytics history loads) would leave the
// process that much larger for good.
void release_free_memory();

}  // namespace gz::memory
