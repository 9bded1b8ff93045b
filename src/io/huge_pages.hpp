#pragma once

// Large buffers that a reader fills once from start to end (the observations of a big table,
// the padded copy of a big file) cost a page fault per 4 KiB page the first time they are
// written; on a 90 MB JSON-stat table those faults took more time than the parse. Linux can
// back such a buffer with 2 MiB pages instead, when asked (transparent huge pages in "madvise"
// mode, the default of Debian's kernels).

#include <cstddef>

namespace halsonav::statsio {

// Asks the kernel to back the 2 MiB-aligned part of [data, data + bytes) with huge pages, when
// the buffer is large (8 MiB or more) and not yet written. A hint only: nothing happens where
// the system does not support it, and the buffer works the same either way.
void AdviseHugePages(void* data, std::size_t bytes);

}  // namespace halsonav::statsio
