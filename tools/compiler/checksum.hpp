#pragma once

#include <string>
#include <string_view>

namespace pgmig::compiler {

/// SHA-256 of bytes, as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// The checksum pgmig records for a revision file: `sha256:<hex>` over the file's text with
/// a BOM removed and line endings made LF, so neither counts as a change. The prefix names
/// the algorithm so that it can change later without old checksums being misread.
[[nodiscard]] std::string revision_checksum(std::string_view file_text);

} // namespace pgmig::compiler
