#include <pgmig/connection.hpp>
#include <pgmig/detail/numbers.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <libpq-fe.h>
#include <memory>
#include <utility>

namespace pgmig {
namespace {

std::string trim_message(const char* text) {
    std::string s = text != nullptr ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

using conninfo_options = std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)>;

/// libpq's reading of a connection string; a malformed one is a connection_error whose text
/// (libpq's, which quotes the offending token) never shows a password.
conninfo_options parse_conninfo(std::string_view conninfo) {
    const std::string text(conninfo);
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &parse_error);
    if (options == nullptr) {
        std::string reason = redact_secrets(trim_message(parse_error), conninfo);
        PQfreemem(parse_error);
        throw connection_error(fmt::format("invalid connection string: {}", reason));
    }
    return {options, PQconninfoFree};
}

/// libpq's connection errors span lines ("...failed: Connection refused\n\tIs the server
/// running...?"); a CLI error is one line.
std::string one_line(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n') {
            while (i + 1 < s.size() && (s[i + 1] == '\t' || s[i + 1] == ' ')) {
                ++i;
            }
            out += "; ";
        } else {
            out += s[i];
        }
    }
    return out;
}

const char* field(const PGresult* r, int code) {
    const char* v = PQresultErrorField(r, code);
    return v != nullptr ? v : "";
}

[[noreturn]] void throw_connection_lost(PGconn* conn) {
    throw connection_error(
        fmt::format("lost the connection to the server: {}", trim_message(PQerrorMessage(conn))));
}

/// The error a failed result stands for: the server's words, with its detail and hint.
database_error result_error(const PGresult* r, std::string_view sql) {
    database_error::details info;
    info.sqlstate = field(r, PG_DIAG_SQLSTATE);
    info.statement = std::string(sql);
    info.position = std::atoi(field(r, PG_DIAG_STATEMENT_POSITION));
    std::string message = field(r, PG_DIAG_MESSAGE_PRIMARY);
    if (message.empty()) {
        message = trim_message(PQresultErrorMessage(r));
    }
    if (const char* detail = field(r, PG_DIAG_MESSAGE_DETAIL); *detail != '\0') {
        message += fmt::format("\nDETAIL: {}", detail);
    }
    if (const char* hint = field(r, PG_DIAG_MESSAGE_HINT); *hint != '\0') {
        message += fmt::format("\nHINT: {}", hint);
    }
    if (const char* context = field(r, PG_DIAG_CONTEXT); *context != '\0') {
        message += fmt::format("\nCONTEXT: {}", context);
    }
    info.server_message = message;
    std::string what =
        info.sqlstate.empty() ? message : fmt::format("{} (SQLSTATE {})", message, info.sqlstate);
    return {what, std::move(info)};
}

[[noreturn]] void throw_result_error(PGconn* conn, const PGresult* r, std::string_view sql) {
    if (r == nullptr || PQstatus(conn) == CONNECTION_BAD) {
        throw_connection_lost(conn);
    }
    throw result_error(r, sql);
}

bool succeeded(const PGresult* r) {
    if (r == nullptr) {
        return false;
    }
    switch (PQresultStatus(r)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
    case PGRES_SINGLE_TUPLE:
        return true;
    default:
        return false;
    }
}

struct param_arrays {
    std::vector<const char*> values;
    explicit param_arrays(const std::vector<param>& params) {
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(p ? p->c_str() : nullptr);
        }
    }
    [[nodiscard]] int count() const { return static_cast<int>(values.size()); }
};

void notice_receiver(void* arg, const PGresult* r) {
    auto* handler = static_cast<std::function<void(std::string_view)>*>(arg);
    if (handler != nullptr && *handler) {
        (*handler)(trim_message(PQresultErrorMessage(r)));
    }
}

} // namespace

result::result(pg_result* res) : m_res(res, PQclear) {}

int result::rows() const {
    return m_res ? PQntuples(m_res.get()) : 0;
}

int result::columns() const {
    return m_res ? PQnfields(m_res.get()) : 0;
}

bool result::is_null(int row, int column) const {
    return PQgetisnull(m_res.get(), row, column) != 0;
}

std::string_view result::text(int row, int column) const {
    return {PQgetvalue(m_res.get(), row, column),
            static_cast<std::size_t>(PQgetlength(m_res.get(), row, column))};
}

std::optional<std::string> result::value(int row, int column) const {
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return std::string(text(row, column));
}

int result::column(std::string_view name) const {
    int n = PQfnumber(m_res.get(), std::string(name).c_str());
    if (n < 0) {
        throw error(fmt::format("result has no column '{}'", name));
    }
    return n;
}

long result::affected() const {
    const char* n = m_res ? PQcmdTuples(m_res.get()) : "";
    return *n != '\0' ? std::strtol(n, nullptr, 10) : 0;
}

connection::connection(pg_conn* conn, bool owned) : m_conn(conn), m_owned(owned) {}

connection connection::open(const std::string& conninfo, const std::string& application_name) {
    (void)parse_conninfo(conninfo); // a malformed string is reported before libpq tries it
    const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
    const char* values[] = {conninfo.c_str(), application_name.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (conn == nullptr) {
        throw connection_error("cannot connect: out of memory");
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string reason = redact_secrets(one_line(trim_message(PQerrorMessage(conn))), conninfo);
        PQfinish(conn);
        // The server names a missing database as `database "shop" does not exist`.
        if (auto at = reason.find("database \"");
            at != std::string::npos && reason.find("does not exist") != std::string::npos) {
            auto end = reason.find('"', at + 10);
            std::string name = reason.substr(at + 10, end == std::string::npos ? 0 : end - at - 10);
            reason += fmt::format("; create it first: CREATE DATABASE {} (or createdb {})",
                                  pgmig::quote_identifier(name), name);
        }
        throw connection_error(
            fmt::format("cannot connect to {}: {}", mask_password(conninfo), reason));
    }
    connection c(conn, true);
    c.on_notice(nullptr);
    return c;
}

connection connection::open_another(const std::string& application_name) const {
    // PQconninfo holds the parameters this connection was made with, password included; they
    // go straight back to libpq and nowhere else.
    PQconninfoOption* options = PQconninfo(m_conn);
    if (options == nullptr) {
        throw connection_error("cannot read the connection's parameters");
    }
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val != nullptr && std::string_view(o->keyword) != "fallback_application_name") {
            keywords.push_back(o->keyword);
            values.push_back(o->val);
        }
    }
    keywords.push_back("fallback_application_name");
    values.push_back(application_name.c_str());
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), 0);
    PQconninfoFree(options);
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        std::string reason = conn != nullptr ? trim_message(PQerrorMessage(conn)) : "out of memory";
        PQfinish(conn);
        throw connection_error(
            fmt::format("cannot open a second connection to {}: {}", describe(), reason));
    }
    return {conn, true};
}

connection connection::borrow(pg_conn* conn) {
    return {conn, false};
}

connection::connection(connection&& other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr)), m_owned(other.m_owned),
      m_prepared(std::move(other.m_prepared)), m_notice(std::move(other.m_notice)) {}

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        close();
        m_conn = std::exchange(other.m_conn, nullptr);
        m_owned = other.m_owned;
        m_prepared = std::move(other.m_prepared);
        m_notice = std::move(other.m_notice);
    }
    return *this;
}

connection::~connection() {
    close();
}

void connection::close() noexcept {
    if (m_conn != nullptr && m_owned) {
        PQfinish(m_conn);
    } else if (m_conn != nullptr && m_notice) {
        PQsetNoticeReceiver(m_conn, nullptr, nullptr); // the handler dies with us
    }
    m_conn = nullptr;
}

result connection::exec(std::string_view sql) {
    const std::string text(sql);
    PGresult* r = PQexec(m_conn, text.c_str());
    if (!succeeded(r)) {
        result guard(r);
        throw_result_error(m_conn, r, sql);
    }
    return result(r);
}

result connection::exec(std::string_view sql, const std::vector<param>& params) {
    const std::string text(sql);
    param_arrays p(params);
    PGresult* r = PQexecParams(m_conn, text.c_str(), p.count(), nullptr, p.values.data(), nullptr,
                               nullptr, 0);
    if (!succeeded(r)) {
        result guard(r);
        throw_result_error(m_conn, r, sql);
    }
    return result(r);
}

std::uint64_t connection::copy_into(connection& to, std::string_view copy_out,
                                    std::string_view copy_in,
                                    const std::function<void(std::uint64_t)>& progress) {
    auto start = [](PGconn* conn, std::string_view sql, ExecStatusType expected) {
        const std::string text(sql);
        PGresult* r = PQexec(conn, text.c_str());
        result guard(r);
        if (r == nullptr || PQresultStatus(r) != expected) {
            throw_result_error(conn, r, sql);
        }
    };
    // The target first: when its COPY cannot start, the source has sent nothing yet.
    start(to.m_conn, copy_in, PGRES_COPY_IN);
    auto abandon = [&](const char* why) {
        (void)PQputCopyEnd(to.m_conn, why);
        while (PGresult* r = PQgetResult(to.m_conn)) {
            PQclear(r);
        }
    };
    try {
        start(m_conn, copy_out, PGRES_COPY_OUT);
    } catch (...) {
        abandon("the source's COPY did not start");
        throw;
    }
    std::uint64_t bytes = 0;
    for (;;) {
        char* buffer = nullptr;
        const int n = PQgetCopyData(m_conn, &buffer, 0);
        if (n < 0) {
            break; // -1: done; -2: failed, as the source's result says
        }
        const int sent = PQputCopyData(to.m_conn, buffer, n);
        PQfreemem(buffer);
        if (sent != 1) {
            abandon("the target stopped taking rows");
            while (PGresult* r = PQgetResult(m_conn)) {
                PQclear(r);
            }
            throw_connection_lost(to.m_conn);
        }
        bytes += static_cast<std::uint64_t>(n);
        if (progress) {
            progress(bytes);
        }
    }
    PGresult* source_result = PQgetResult(m_conn);
    result source_guard(source_result);
    while (PGresult* extra = PQgetResult(m_conn)) {
        PQclear(extra);
    }
    if (!succeeded(source_result)) {
        abandon("the source's COPY failed");
        throw_result_error(m_conn, source_result, copy_out);
    }
    if (PQputCopyEnd(to.m_conn, nullptr) != 1) {
        throw_connection_lost(to.m_conn);
    }
    PGresult* target_result = PQgetResult(to.m_conn);
    result target_guard(target_result);
    while (PGresult* extra = PQgetResult(to.m_conn)) {
        PQclear(extra);
    }
    if (!succeeded(target_result)) {
        throw_result_error(to.m_conn, target_result, copy_in);
    }
    return detail::parse_number<std::uint64_t>(PQcmdTuples(target_result), "a row count");
}

std::vector<result> connection::exec_all(std::string_view sql) {
    const std::string text(sql);
    if (PQsendQuery(m_conn, text.c_str()) == 0) {
        throw_result_error(m_conn, nullptr, sql);
    }
    std::vector<result> out;
    std::optional<result> failed;
    while (PGresult* r = PQgetResult(m_conn)) {
        if (!succeeded(r) && !failed) {
            failed = result(r);
        } else {
            out.push_back(result(r));
        }
    }
    if (failed) {
        throw_result_error(m_conn, failed->m_res.get(), sql);
    }
    return out;
}

std::optional<pipeline_failure> connection::pipeline(const std::vector<sql_command>& commands,
                                                     std::vector<result>* results) {
    if (commands.empty()) {
        return std::nullopt;
    }
    if (PQenterPipelineMode(m_conn) != 1) {
        throw_connection_lost(m_conn);
    }
    // Send in chunks and read each chunk's results before the next: a revision of many
    // statements must not fill both socket buffers and deadlock.
    constexpr std::size_t chunk = 64;
    std::optional<pipeline_failure> failure;
    std::size_t sent = 0;
    bool synced = false;
    // Results to read, in order: one per command, plus one for each statement prepared.
    std::vector<std::pair<std::size_t, bool>> expected; // (command, is a Prepare)
    std::size_t read = 0;
    while (!synced) {
        if (!failure && sent < commands.size()) {
            for (std::size_t until = std::min(sent + chunk, commands.size()); sent < until;
                 ++sent) {
                const sql_command& c = commands[sent];
                param_arrays p(c.params);
                int ok = 0;
                if (c.prepared_as.empty()) {
                    ok = PQsendQueryParams(m_conn, c.text.c_str(), p.count(), nullptr,
                                           p.values.data(), nullptr, nullptr, 0);
                } else {
                    if (std::find(m_prepared.begin(), m_prepared.end(), c.prepared_as) ==
                        m_prepared.end()) {
                        if (PQsendPrepare(m_conn, c.prepared_as.c_str(), c.text.c_str(), p.count(),
                                          nullptr) != 1) {
                            throw_connection_lost(m_conn);
                        }
                        m_prepared.push_back(c.prepared_as);
                        expected.emplace_back(sent, true);
                    }
                    ok = PQsendQueryPrepared(m_conn, c.prepared_as.c_str(), p.count(),
                                             p.values.data(), nullptr, nullptr, 0);
                }
                if (ok != 1) {
                    throw_connection_lost(m_conn);
                }
                expected.emplace_back(sent, false);
            }
        }
        synced = failure || sent == commands.size();
        if ((synced ? PQpipelineSync(m_conn) : PQsendFlushRequest(m_conn)) != 1 ||
            PQflush(m_conn) != 0) {
            throw_connection_lost(m_conn);
        }
        for (; read < expected.size(); ++read) {
            const auto [index, is_prepare] = expected[read];
            PGresult* r = PQgetResult(m_conn);
            if (r == nullptr) {
                throw_connection_lost(m_conn);
            }
            ExecStatusType status = PQresultStatus(r);
            if (status != PGRES_PIPELINE_ABORTED && !succeeded(r) && !failure) {
                failure = pipeline_failure{index, result_error(r, commands[index].text)};
            }
            if (is_prepare && !succeeded(r)) { // failed or skipped: never prepared after all
                m_prepared.erase(
                    std::remove(m_prepared.begin(), m_prepared.end(), commands[index].prepared_as),
                    m_prepared.end());
            }
            if (results != nullptr && !is_prepare) {
                results->push_back(result(r)); // the result now owns r
            } else {
                PQclear(r);
            }
            while (PGresult* extra = PQgetResult(m_conn)) { // a command's results end with NULL
                PQclear(extra);
            }
        }
    }
    PGresult* sync = PQgetResult(m_conn);
    bool ok = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!ok || PQexitPipelineMode(m_conn) != 1) {
        throw_connection_lost(m_conn);
    }
    return failure;
}

result connection::exec_prepared(const std::string& name, std::string_view sql,
                                 const std::vector<param>& params) {
    param_arrays p(params);
    if (std::find(m_prepared.begin(), m_prepared.end(), name) == m_prepared.end()) {
        const std::string text(sql);
        result prepared(PQprepare(m_conn, name.c_str(), text.c_str(), p.count(), nullptr));
        if (!succeeded(prepared.m_res.get())) {
            throw_result_error(m_conn, prepared.m_res.get(), sql);
        }
        m_prepared.push_back(name);
    }
    PGresult* r =
        PQexecPrepared(m_conn, name.c_str(), p.count(), p.values.data(), nullptr, nullptr, 0);
    if (!succeeded(r)) {
        result guard(r);
        throw_result_error(m_conn, r, sql);
    }
    return result(r);
}

void connection::forget_prepared() {
    exec("DEALLOCATE ALL");
    m_prepared.clear();
}

std::string connection::quote_identifier(std::string_view name) const {
    char* quoted = PQescapeIdentifier(m_conn, name.data(), name.size());
    if (quoted == nullptr) {
        throw error(
            fmt::format("cannot quote identifier: {}", trim_message(PQerrorMessage(m_conn))));
    }
    std::string out = quoted;
    PQfreemem(quoted);
    return out;
}

int connection::server_version() const {
    return PQserverVersion(m_conn);
}

int connection::backend_pid() const {
    return PQbackendPID(m_conn);
}

std::string connection::user() const {
    return PQuser(m_conn);
}

std::string connection::database() const {
    return PQdb(m_conn);
}

std::string connection::describe() const {
    std::string host = PQhost(m_conn) != nullptr ? PQhost(m_conn) : "";
    return fmt::format("{}@{}:{}/{}", PQuser(m_conn), host, PQport(m_conn), PQdb(m_conn));
}

bool connection::in_transaction() const {
    auto status = PQtransactionStatus(m_conn);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void connection::on_notice(std::function<void(std::string_view)> handler) {
    m_notice = std::make_unique<std::function<void(std::string_view)>>(std::move(handler));
    PQsetNoticeReceiver(m_conn, notice_receiver, m_notice.get());
}

std::string sql_command::inlined() const {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '$' && i + 1 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            std::size_t j = i + 1;
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
                ++j;
            }
            auto n = detail::parse_number<std::size_t>(
                std::string_view(text).substr(i + 1, j - i - 1), "a parameter number");
            if (n == 0 || n > params.size()) {
                throw error(fmt::format("${} in a statement with {} parameter{}", n, params.size(),
                                        params.size() == 1 ? "" : "s"));
            }
            const param& p = params[n - 1];
            out += p ? quote_literal(*p) : "NULL";
            i = j - 1;
        } else {
            out += text[i];
        }
    }
    return out;
}

namespace {

/// A value for a key=value connection string: quoted, with quotes and backslashes escaped.
std::string conninfo_value(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') {
            out += '\\';
        }
        out += c;
    }
    return out + "'";
}

} // namespace

std::vector<conninfo_parameter> conninfo_parameters(std::string_view conninfo) {
    conninfo_options parsed = parse_conninfo(conninfo);
    std::vector<conninfo_parameter> out;
    for (PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
        if (o->val != nullptr && *o->val != '\0') {
            out.push_back({o->keyword, o->val,
                           std::string_view(o->keyword) == "password" ||
                               std::string_view(o->dispchar) == "*"});
        }
    }
    return out;
}

std::string with_database(std::string_view conninfo, std::string_view dbname) {
    std::string out;
    for (const auto& p : conninfo_parameters(conninfo)) {
        if (p.keyword != "dbname") {
            out += fmt::format("{}={} ", p.keyword, conninfo_value(p.value));
        }
    }
    return out + "dbname=" + conninfo_value(dbname);
}

std::string without_secrets(std::string_view conninfo) {
    std::string out;
    for (const auto& p : conninfo_parameters(conninfo)) {
        if (!p.secret) {
            out +=
                fmt::format("{}{}={}", out.empty() ? "" : " ", p.keyword, conninfo_value(p.value));
        }
    }
    return out;
}

std::string mask_password(std::string_view conninfo) {
    const std::string text(conninfo);
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &parse_error);
    if (options == nullptr) {
        PQfreemem(parse_error);
        return "(invalid connection string)";
    }
    std::string out;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val == nullptr || *o->val == '\0') {
            continue;
        }
        bool secret =
            std::string_view(o->keyword) == "password" || std::string_view(o->dispchar) == "*";
        if (!out.empty()) {
            out += ' ';
        }
        out += fmt::format("{}={}", o->keyword, secret ? "****" : o->val);
    }
    PQconninfoFree(options);
    return out.empty() ? "(default connection settings)" : out;
}

namespace {

/// `%41` -> `A`; malformed escapes stay as they are.
std::string percent_decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
            out += static_cast<char>(detail::parse_number<int>(text.substr(i + 1, 2), "hex", 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

/// The value after `password=` in a key=value string or a URI query: quoted ('...' with \'
/// escapes, possibly unterminated) or up to whitespace or `&`.
void key_value_passwords(std::string_view text, std::vector<std::string>& out) {
    for (std::size_t at = text.find("password"); at != std::string_view::npos;
         at = text.find("password", at + 1)) {
        std::size_t i = at + 8;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        if (i >= text.size() || text[i] != '=') {
            continue;
        }
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        std::string value;
        if (i < text.size() && text[i] == '\'') {
            for (++i; i < text.size() && text[i] != '\''; ++i) {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    ++i;
                }
                value += text[i];
            }
        } else {
            for (; i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0 &&
                   text[i] != '&';
                 ++i) {
                value += text[i];
            }
        }
        out.push_back(std::move(value));
    }
}

} // namespace

std::vector<std::string> passwords_in(std::string_view conninfo) {
    std::vector<std::string> found;
    // URI: scheme://user:password@host..., the user part ending at the last '@' before the path.
    if (auto scheme = conninfo.find("://"); scheme != std::string_view::npos) {
        std::string_view rest = conninfo.substr(scheme + 3);
        std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
        if (auto at = authority.rfind('@'); at != std::string_view::npos) {
            std::string_view user = authority.substr(0, at);
            if (auto colon = user.find(':'); colon != std::string_view::npos) {
                found.emplace_back(user.substr(colon + 1));
            }
        }
    }
    key_value_passwords(conninfo, found);
    std::vector<std::string> out;
    for (const auto& p : found) {
        for (std::string form : {p, percent_decoded(p)}) {
            if (!form.empty() && std::find(out.begin(), out.end(), form) == out.end()) {
                out.push_back(std::move(form));
            }
        }
    }
    return out;
}

std::string redact_secrets(std::string_view text, std::string_view conninfo) {
    const std::vector<std::string> secrets = passwords_in(conninfo);
    if (secrets.empty()) {
        return std::string(text);
    }
    auto holds_secret = [&](std::string_view fragment) {
        return std::any_of(secrets.begin(), secrets.end(), [&](const std::string& secret) {
            return fragment.find(secret) != std::string_view::npos;
        });
    };
    // libpq quotes the token it stumbled on, sometimes the whole string: hide such a fragment
    // whole, so that no part of a password (a prefix before a bad escape, say) stays.
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto open = text.find('"', i);
        auto close = open == std::string_view::npos ? open : text.find('"', open + 1);
        if (close == std::string_view::npos) {
            out += text.substr(i);
            break;
        }
        out += text.substr(i, open - i);
        std::string_view fragment = text.substr(open, close - open + 1);
        out += holds_secret(fragment) ? std::string("\"****\"") : std::string(fragment);
        i = close + 1;
    }
    for (const auto& secret : secrets) {
        for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at)) {
            out.replace(at, secret.size(), "****");
            at += 4;
        }
    }
    return out;
}

std::string quote_literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

} // namespace pgmig
