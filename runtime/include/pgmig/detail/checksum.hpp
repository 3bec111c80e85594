#pragma once

#include <string>
#include <string_view>

// Checksums of revision files: computed by the compiler for every revision it embeds, and by
// the CLI for a revision it writes and stamps at once (adopt), so the two always agree.

namespace pgmig::detail {

/// SHA-256 of bytes, as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// Text without a leading UTF-8 BOM and with CR LF and lone CR turned into LF.
[[nodiscard]] std::string normalize_text(std::string_view text);

/// The checksum pgmig records for a revision file: `sha256:<hex>` over the file's text with
/// a BOM removed and line endings made LF, so neither counts as a change. The prefix names
/// the algorithm so that it can change later without old checksums being misread.
[[nodiscard]] std::string revision_checksum(std::string_view file_text);

} // namespace pgmig::detail
