// SPDX-License-Identifier: Apache-2.0
#include "loader.h"

#include "document_parser.h"
#include "document_splitter.h"
#include "load_jobs.h"
#include "resource_decoder.h"
#include "schema_decoder.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include <yaml-cpp/yaml.h>

namespace sluice::config {
namespace {

namespace fs = std::filesystem;
using model::Level;

struct KindEntry {
    std::string_view group;
    std::array<std::string_view, 3> versions;
    std::string_view kind;
    KindDecoder decode;
};

constexpr std::array<KindEntry, 9> kKinds{{
    {"networking.istio.io", {"v1alpha3", "v1beta1", "v1"}, "Gateway", decodeGateway},
    {"networking.istio.io", {"v1alpha3", "v1beta1", "v1"}, "VirtualService", decodeVirtualService},
    {"networking.istio.io", {"v1alpha3", "v1beta1", "v1"}, "DestinationRule", decodeDestinationRule},
    {"networking.istio.io", {"v1alpha3", "v1beta1", "v1"}, "ServiceEntry", decodeServiceEntry},
    {"", {"v1"}, "Service", decodeService},
    {"", {"v1"}, "Secret", decodeSecret},
    {"", {"v1"}, "Pod", decodePod},
    {"apps", {"v1"}, "Deployment", decodeDeployment},
    {"sluice.dev", {"v1"}, "Workload", decodeWorkload},
}};

std::string scalarOr(const YAML::Node& map, const char* key) {
    const YAML::Node n = map[key];
    return n && n.IsScalar() ? n.Scalar() : std::string();
}

class FileLoader {
public:
    /// `file` is the index `source` has (or will have, when loading in parallel) in the result.
    FileLoader(std::uint32_t file, model::SourceFile& source, LoadResult& into, const LoadOptions& options)
        : m_file(file)
        , m_source(source)
        , m_into(into)
        , m_options(options) {}

    void loadSlice(const DocumentSlice& slice, std::uint32_t index) {
        const std::string& text = m_source.text;
        model::DocumentInfo doc{m_file, index, slice.firstLine, slice.begin, slice.end};
        // Without aliases a document holds fewer nodes than bytes, so a budget of max(64Ki, bytes)
        // never cuts a real document yet stops a small alias bomb early (capped by the option).
        const std::size_t budget =
            std::min(m_options.maxNodesPerDocument, std::max<std::size_t>(1u << 16, slice.end - slice.begin));
        DecodeContext ctx(m_file, slice.beginLine - 1, m_into.diagnostics, budget);
        if (slice.end - slice.begin > m_options.maxDocumentBytes) {
            ctx.report(Level::Error, "SLU0004",
                       "document is larger than " + std::to_string(m_options.maxDocumentBytes >> 20) +
                           " MiB; not loaded",
                       {m_file, slice.firstLine, 1});
            return;
        }
        const std::string_view docText = std::string_view(text).substr(slice.begin, slice.end - slice.begin);
        ParsedDocument parsed = parseDocument(docText);
        if (parsed.error) {
            ctx.report(Level::Error, "SLU0001", std::move(parsed.error->message),
                       ctx.span(parsed.error->line, parsed.error->column));
            return;
        }
        const YAML::Node& root = parsed.root;
        ctx.setText(docText);
        m_source.documents.push_back(doc);
        try {
            loadRoot(root, doc, ctx);
        } catch (const std::exception& e) {
            // yaml-cpp throws on odd node shapes; never let that escape the loader.
            ctx.report(Level::Error, "SLU0001", std::string("document could not be decoded: ") + e.what(),
                       {m_file, slice.firstLine, 1});
        }
    }

private:
    void loadRoot(const YAML::Node& root, const model::DocumentInfo& doc, DecodeContext& ctx) {
        if (root.IsNull())
            return;
        if (!root.IsMap()) {
            ctx.report(Level::Error, "SLU0005",
                       "a Kubernetes document must be a map with apiVersion and kind, got " + describe(root),
                       spanOf(root, ctx));
            return;
        }
        const std::string apiVersion = scalarOr(root, "apiVersion");
        const std::string kind = scalarOr(root, "kind");
        if (kind == "List" && apiVersion == "v1") {
            const YAML::Node items = root["items"];
            if (items && items.IsSequence()) {
                std::size_t i = 0;
                for (const auto& item : items) {
                    DecodeContext::PathGuard guard(ctx, "items");
                    DecodeContext::PathGuard index(ctx, i++);
                    ctx.setResource({});
                    if (item.IsMap())
                        loadResource(item, doc, ctx);
                    else
                        ctx.report(Level::Error, "SLU0005",
                                   "List items must be resources (maps) with apiVersion and kind, got " +
                                       describe(item),
                                   spanOf(item, ctx));
                }
            } else if (items && !items.IsNull()) {
                ctx.report(Level::Error, "SLU0005", "List items must be a list, got " + describe(items),
                           spanOf(items, ctx));
            }
            return;
        }
        loadResource(root, doc, ctx);
    }

    void loadResource(const YAML::Node& root, const model::DocumentInfo& doc, DecodeContext& ctx) {
        const std::string apiVersion = scalarOr(root, "apiVersion");
        const std::string kind = scalarOr(root, "kind");
        const model::SourceSpan at = spanOf(root, ctx);
        if (apiVersion.empty() || kind.empty()) {
            ctx.report(Level::Error, "SLU0005",
                       std::string("document has no ") + (kind.empty() ? "kind" : "apiVersion") +
                           "; every Kubernetes resource needs apiVersion and kind",
                       at);
            return;
        }
        const auto slash = apiVersion.find('/');
        const std::string group = slash == std::string::npos ? std::string() : apiVersion.substr(0, slash);
        const std::string version = slash == std::string::npos ? apiVersion : apiVersion.substr(slash + 1);

        const KindEntry* entry = nullptr;
        for (const auto& k : kKinds)
            if (k.group == group && k.kind == kind)
                entry = &k;
        const YAML::Node meta = root["metadata"];
        const std::string name = meta && meta.IsMap() ? scalarOr(meta, "name") : std::string();
        std::string ns = meta && meta.IsMap() ? scalarOr(meta, "namespace") : std::string();
        if (ns.empty())
            ns = "default";
        if (!entry) {
            m_into.resources.skipped.push_back({doc, apiVersion, kind, name, ns});
            ctx.setResource(kind + " " + ns + "/" + name);
            ctx.report(Level::Info, "SLU0003",
                       "skipped " + kind + " (" + apiVersion + "): not a kind Sluice models", at);
            return;
        }
        ctx.setResource(kind + " " + ns + "/" + name);
        if (std::find(entry->versions.begin(), entry->versions.end(), version) == entry->versions.end()) {
            ctx.report(Level::Error, "SLU0006",
                       "unsupported apiVersion \"" + apiVersion + "\" for " + kind + "; not loaded",
                       spanOf(root["apiVersion"], ctx));
            return;
        }
        if (group.empty() || group == "apps")
            ctx.setSchemaCode("SLU0007");
        model::ResourceHeader header;
        header.apiVersion = model::Located<std::string>(apiVersion, spanOf(root["apiVersion"], ctx));
        header.kind = model::Located<std::string>(kind, spanOf(root["kind"], ctx));
        header.doc = doc;
        header.span = at;
        decodeHeader(root, header, ctx);
        if (!header.metadata.name.present)
            ctx.schemaError("metadata.name is required",
                            header.metadata.span.known() ? header.metadata.span : at);
        entry->decode(root, std::move(header), ctx, m_into.resources);
        ctx.setSchemaCode("IST0106");
    }

    std::uint32_t m_file;
    model::SourceFile& m_source;
    LoadResult& m_into;
    const LoadOptions& m_options;
};

// Every function below adds exactly one entry to `into.resources.files`, which has index `file`
// in the final result: `into` is either that result or (parallel loading) one file's share of it.
void addFile(std::uint32_t file, std::string path, std::string text, LoadResult& into,
             const LoadOptions& options) {
    if (text.starts_with("\xEF\xBB\xBF"))
        text.erase(0, 3);
    const bool json = fs::path(path).extension() == ".json";
    into.resources.files.push_back({std::move(path), std::move(text), {}});
    model::SourceFile& source = into.resources.files.back();
    const std::string& stored = source.text;
    std::vector<DocumentSlice> slices;
    if (json) {
        DocumentSlice whole{0, stored.size(), 1, 1, true};
        slices.push_back(whole);
    } else {
        slices = splitDocuments(stored);
    }
    FileLoader loader(file, source, into, options);
    std::uint32_t index = 0;
    for (const auto& slice : slices) {
        if (slice.hasContent)
            loader.loadSlice(slice, index);
        ++index;
    }
}

void unreadable(std::uint32_t file, const std::string& path, const std::string& why, LoadResult& into) {
    into.resources.files.push_back({path, {}, {}});
    into.diagnostics.push_back({"SLU0008", Level::Error, why, {file, 1, 1}, {}, {}});
    into.unreadable = true;
}

std::string readAll(std::istream& in) {
    std::string text;
    std::array<char, 1 << 16> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
        text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    return text;
}

void loadFile(std::uint32_t file, const fs::path& p, LoadResult& into, const LoadOptions& options) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    if (ec) {
        unreadable(file, p.string(), "cannot read file: " + ec.message(), into);
        return;
    }
    if (size > options.maxFileBytes) {
        unreadable(file, p.string(),
                   "file is " + std::to_string(size >> 20) + " MiB, over the " +
                       std::to_string(options.maxFileBytes >> 20) + " MiB limit; not loaded",
                   into);
        return;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        unreadable(file, p.string(), "cannot open file", into);
        return;
    }
    addFile(file, p.string(), readAll(in), into, options);
}

} // namespace

std::vector<ModelledKind> modelledKinds() {
    std::vector<ModelledKind> kinds;
    for (const KindEntry& k : kKinds) {
        ModelledKind& out = kinds.emplace_back(ModelledKind{std::string(k.kind), {}});
        for (std::string_view version : k.versions)
            if (!version.empty())
                out.apiVersions.push_back(k.group.empty()
                                              ? std::string(version)
                                              : std::string(k.group) + "/" + std::string(version));
    }
    return kinds;
}

bool isConfigFileName(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

std::vector<fs::path> configFilesUnder(const fs::path& folder) {
    std::vector<fs::path> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string leaf = it->path().filename().string();
        if (it->is_directory(ec) && leaf.starts_with('.')) {
            it.disable_recursion_pending(); // .git and friends
            continue;
        }
        if (it->is_regular_file(ec) && isConfigFileName(it->path()))
            found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::string sourcesFingerprint(const std::vector<std::string>& paths) {
    std::string out;
    const auto add = [&out](const fs::path& p) {
        std::error_code ec;
        const auto size = fs::file_size(p, ec);
        const auto time = ec ? fs::file_time_type{} : fs::last_write_time(p, ec);
        out += p.string();
        out += '|';
        out += ec ? std::string("?")
                  : std::to_string(size) + "@" + std::to_string(time.time_since_epoch().count());
        out += '\n';
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        if (path == "-")
            continue; // stdin is read once
        if (fs::is_directory(path, ec))
            for (const auto& f : configFilesUnder(path))
                add(f);
        else
            add(path);
    }
    return out;
}

void loadText(std::string path, std::string text, LoadResult& into, const LoadOptions& options) {
    const auto file = static_cast<std::uint32_t>(into.resources.files.size());
    addFile(file, std::move(path), std::move(text), into, options);
}

LoadResult loadPaths(const std::vector<std::string>& paths, const LoadOptions& options) {
    std::vector<LoadJob> jobs;
    // A file named twice (directly and through its folder, say) would define every resource twice.
    std::set<fs::path> seen;
    const auto firstTime = [&](const fs::path& p) {
        std::error_code ec;
        const fs::path key = fs::weakly_canonical(p, ec);
        return seen.insert(ec ? p : key).second;
    };
    for (const std::string& path : paths) {
        if (path == "-") {
            jobs.push_back({LoadJob::Kind::Text, "<stdin>", readAll(std::cin)});
            continue;
        }
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            jobs.push_back({LoadJob::Kind::Missing, path, {}});
            continue;
        }
        if (!fs::is_directory(status)) {
            if (firstTime(path))
                jobs.push_back({LoadJob::Kind::File, path, {}});
            continue;
        }
        std::vector<fs::path> found = configFilesUnder(path);
        for (const auto& f : found)
            if (firstTime(f))
                jobs.push_back({LoadJob::Kind::File, f.string(), {}});
    }
    LoadResult result = runJobs(
        jobs, options, [](const LoadJob& job, std::uint32_t file, LoadResult& into, const LoadOptions& o) {
            switch (job.kind) {
            case LoadJob::Kind::Text:
                addFile(file, job.path, job.text, into, o);
                break;
            case LoadJob::Kind::Missing:
                unreadable(file, job.path, "no such file or directory", into);
                break;
            case LoadJob::Kind::File:
                if (const auto unsaved = o.unsavedText.find(job.path); unsaved != o.unsavedText.end())
                    addFile(file, job.path, unsaved->second, into, o);
                else
                    loadFile(file, job.path, into, o);
                break;
            }
        });
    dropRedefinedResources(result);
    return result;
}

} // namespace sluice::config
