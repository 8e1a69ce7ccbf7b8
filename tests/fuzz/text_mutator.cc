#include "tests/fuzz/text_mutator.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace turnd::fuzz {
namespace {

std::vector<std::string> split(const std::string& s, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(separator, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// Where a line's value starts: after "x=" and, for attributes, after "name:".
size_t value_start(const std::string& line) {
  size_t colon = line.find(':');
  if (colon != std::string::npos) return colon + 1;
  size_t equals = line.find('=');
  return equals == std::string::npos ? 0 : equals + 1;
}

void mutate_line(std::string& line, const std::string& donor, std::minstd_rand& rng) {
  const size_t start = value_start(line);
  std::string head = line.substr(0, start), value = line.substr(start);
  bool cr = !value.empty() && value.back() == '\r';
  if (cr) value.pop_back();
  auto tokens = split(value, ' ');
  auto donor_tokens = split(donor.substr(value_start(donor)), ' ');
  size_t i = rng() % tokens.size();
  switch (rng() % 6) {
    case 0:  // only the separators stay
      for (auto& t : tokens) t.clear();
      break;
    case 1:  // one field fewer
      tokens[i].clear();
      break;
    case 2:  // one field twice
      tokens.insert(tokens.begin() + static_cast<ptrdiff_t>(i), tokens[i]);
      break;
    case 3:  // a field from another line
      tokens[i] = donor_tokens[rng() % donor_tokens.size()];
      break;
    case 4:  // no value at all
      tokens.assign(1, std::string());
      break;
    default:  // cut short
      if (!tokens[i].empty()) tokens[i].resize(rng() % tokens[i].size());
      break;
  }
  line = head + join(tokens, ' ') + (cr ? "\r" : "");
}

}  // namespace

size_t mutate_text_lines(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  auto lines = split(std::string(reinterpret_cast<const char*>(data), size), '\n');
  size_t i = rng() % lines.size(), j = rng() % lines.size();
  switch (rng() % 4) {
    case 0:
      lines.erase(lines.begin() + static_cast<ptrdiff_t>(i));
      break;
    case 1:
      lines.insert(lines.begin() + static_cast<ptrdiff_t>(i), lines[j]);
      break;
    case 2:
      std::swap(lines[i], lines[j]);
      break;
    default:
      mutate_line(lines[i], lines[j], rng);
      break;
  }
  std::string out = join(lines, '\n');
  size_t n = std::min(out.size(), max_size);
  std::memcpy(data, out.data(), n);
  return n;
}

}  // namespace turnd::fuzz

// The targets that link this file (tests/fuzz/CMakeLists.txt: the text
// formats) mutate half their inputs line by line, half as libFuzzer does.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned seed) {
  if (seed % 2 == 0 || size == 0) return LLVMFuzzerMutate(data, size, max_size);
  return turnd::fuzz::mutate_text_lines(data, size, max_size, seed / 2);
}
