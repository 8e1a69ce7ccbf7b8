// A structure-aware mutation for line-based text inputs (SDP, signalling
// message lines): byte-level mutations rarely produce a line whose value is
// only separators, a line with one field fewer or one more, or lines in
// another order — exactly where parsers index past the end of a split.
// text_mutator.cc also defines LLVMFuzzerCustomMutator: the libFuzzer
// builds of the text targets link it (tests/fuzz/CMakeLists.txt).
#pragma once

#include <cstddef>
#include <cstdint>

namespace turnd::fuzz {

// Mutates data[0, size) in place as lines of tokens; returns the new size
// (at most max_size).
size_t mutate_text_lines(uint8_t* data, size_t size, size_t max_size, unsigned seed);

}  // namespace turnd::fuzz
