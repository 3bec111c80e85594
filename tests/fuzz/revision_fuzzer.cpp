// libFuzzer target: any bytes given to the revision reader, the splitter and the whole
// per-file compile must produce diagnostics, never a crash, a hang or a leak.
#include "revision_compiler.hpp"
#include "sql_splitter.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto compiled = pgmig::compiler::compile_revision("fuzz.sql", text);
    for (const auto& s : compiled.rev.upgrade) {
        if (s.line < 1) {
            __builtin_trap(); // every statement must map to a real line of the file
        }
    }
    (void)pgmig::compiler::read_revision("fuzz.cpp", text, pgmig::compiler::source_kind::cpp);
    (void)pgmig::compiler::split_statements(text, {"fuzz.sql", 1});
    return 0;
}
