// SPDX-License-Identifier: Apache-2.0
#include "exporter.h"

#include "document_splitter.h"
#include "export_naming.h"
#include "loader.h"
#include "private_keys.h"
#include "resource_encoder.h"
#include "schema_encoder.h"
#include "schema_equal.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <tuple>

#include <yaml-cpp/yaml.h>

namespace sluice::config {
namespace {

using DocKey = std::pair<std::uint32_t, std::uint32_t>; // file, document index
using Identity = ResourceIdentity;

/// A modelled resource of the current set, as the planner sees it.
struct Item {
    model::SourceSpan span; ///< header.span: identifies the resource within its document
    Identity id;
    bool changed = false;
    bool used = false;
    bool partial = false;  ///< a kind the model covers only in part: rewritten over its original YAML
    std::string keyReason; ///< non-empty: a Secret holding a private key, never written
    std::function<std::string(const YAML::Node* original)> encode; ///< original: the map it was read from
};

struct Doc {
    std::vector<Item> items;
    std::vector<model::SourceSpan> removed; ///< resources the original text has and the set no longer does
};

/// One YAML document of the output.
struct Unit {
    Identity id;
    std::string text;
};

bool sameSpot(const model::SourceSpan& a, const model::SourceSpan& b) {
    return a.line == b.line && a.column == b.column;
}

std::string scalarAt(const YAML::Node& map, const char* key) {
    if (!map.IsMap())
        return {};
    const YAML::Node n = map[key];
    return n && n.IsScalar() ? n.Scalar() : std::string();
}

Identity identityOf(const YAML::Node& node) {
    Identity id{scalarAt(node, "kind"), "default", {}};
    if (node.IsMap()) {
        const YAML::Node meta = node["metadata"];
        if (meta && meta.IsMap()) {
            id.name = scalarAt(meta, "name");
            if (std::string ns = scalarAt(meta, "namespace"); !ns.empty())
                id.ns = std::move(ns);
        }
    }
    return id;
}

std::string dumpNode(const YAML::Node& node) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << node;
    return std::string(out.c_str()) + "\n";
}

bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

class Planner {
public:
    Planner(const model::ResourceSet& original, const model::ResourceSet& current,
            const model::ResourceSet* baseline, const ExportOptions& options)
        : m_original(original)
        , m_current(current)
        , m_baseline(baseline)
        , m_options(options) {}

    ExportPlan run() {
        LoadResult decoded;
        if (!m_baseline) {
            for (const auto& file : m_original.files)
                loadText(file.path, file.text, decoded);
            dropRedefinedResources(decoded); // as loadPaths did, so a replaced definition is not a removal
        }
        const model::ResourceSet& base = m_baseline ? *m_baseline : decoded.resources;
        collect(m_current.gateways, base.gateways);
        collect(m_current.virtualServices, base.virtualServices);
        collect(m_current.destinationRules, base.destinationRules);
        collect(m_current.serviceEntries, base.serviceEntries);
        collect(m_current.services, base.services);
        collect(m_current.secrets, base.secrets);
        collect(m_current.pods, base.pods);
        collect(m_current.deployments, base.deployments);
        collect(m_current.workloads, base.workloads);
        for (std::uint32_t f = 0; f < m_original.files.size(); ++f)
            planFile(f);
        // Resources whose document no longer exists, then resources created in memory.
        for (auto& [key, doc] : m_docs)
            for (Item& item : doc.items)
                if (!item.used)
                    rewrite(item);
        for (Item& item : m_fresh)
            rewrite(item);
        assemble();
        return std::move(m_plan);
    }

private:
    template <class R> void collect(const std::vector<R>& current, const std::vector<R>& base) {
        using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>;
        auto keyOf = [](const R& r) {
            return Key{r.header.doc.file, r.header.doc.index, r.header.span.line, r.header.span.column};
        };
        std::map<Key, const R*> index;
        for (const R& b : base)
            index.emplace(keyOf(b), &b);
        for (const R& r : current) {
            Item item;
            item.span = r.header.span;
            item.id = Identity{std::string(R::kKind), r.header.ns(), r.header.name()};
            item.encode = [&r](const YAML::Node* original) {
                return original ? encodeResourceOver(r, *original) : encodeResource(r);
            };
            item.partial = hasPartialModel<R>();
            if constexpr (std::is_same_v<R, model::Secret>)
                item.keyReason = privateKeyReason(r);
            if (!r.header.span.known()) {
                item.changed = true;
                m_fresh.push_back(std::move(item));
                continue;
            }
            const auto it = index.find(keyOf(r));
            item.changed =
                m_options.canonical || it == index.end() || !it->second || !schemaEqual(r, *it->second);
            if (it != index.end())
                it->second = nullptr; // matched
            m_docs[{r.header.doc.file, r.header.doc.index}].items.push_back(std::move(item));
        }
        for (const auto& [key, b] : index)
            if (b)
                m_docs[{b->header.doc.file, b->header.doc.index}].removed.push_back(b->header.span);
    }

    void planFile(std::uint32_t f) {
        const model::SourceFile& file = m_original.files[f];
        std::vector<DocumentSlice> slices;
        if (file.path.ends_with(".json"))
            slices.push_back(DocumentSlice{0, file.text.size(), 1, 1, !isBlank(file.text)});
        else
            slices = splitDocuments(file.text);
        auto info = file.documents.begin(); // in slice order, as the loader records them
        for (std::uint32_t i = 0; i < slices.size(); ++i) {
            if (!slices[i].hasContent) {
                // Comments between markers (a licence header before the first `---`) are kept.
                const std::string_view text =
                    std::string_view(file.text).substr(slices[i].begin, slices[i].end - slices[i].begin);
                if (!m_options.split && !isBlank(text))
                    m_units.push_back({{}, std::string(text)});
                continue;
            }
            while (info != file.documents.end() && info->index < i)
                ++info;
            if (info == file.documents.end() || info->index != i) {
                note(kNoteUnreadableDocument, {f, slices[i].firstLine, 1}, {},
                     "document could not be loaded (not valid YAML, or too large); it was left out of the "
                     "export");
                continue;
            }
            planDocument(f, *info, slices[i].beginLine);
        }
    }

    void planDocument(std::uint32_t f, const model::DocumentInfo& info, std::uint32_t beginLine) {
        const std::string_view text =
            std::string_view(m_original.files[f].text).substr(info.begin, info.end - info.begin);
        if (isBlank(text))
            return;
        Doc none;
        const auto found = m_docs.find({f, info.index});
        Doc& doc = found == m_docs.end() ? none : found->second;
        const bool touched = !doc.removed.empty() ||
                             std::any_of(doc.items.begin(), doc.items.end(),
                                         [](const Item& i) { return i.changed || !i.keyReason.empty(); });
        const model::SourceSpan at{f, info.firstLine, 1};
        if (!touched && !m_options.split) {
            for (Item& item : doc.items)
                item.used = true;
            keepVerbatim(text, {}, at);
            return;
        }
        // Parsing again is needed for Lists, for kinds rewritten over their YAML and to name what
        // the model does not cover. A List item never sits at column 1, and a List says "List".
        const bool maybeList =
            text.find("List") != std::string_view::npos ||
            std::any_of(doc.items.begin(), doc.items.end(), [](const Item& i) { return i.span.column != 1; });
        const bool partial =
            std::any_of(doc.items.begin(), doc.items.end(), [](const Item& i) { return i.partial; });
        YAML::Node root;
        if (maybeList || partial || doc.items.empty()) {
            try {
                root = YAML::Load(std::string(text));
            } catch (const std::exception&) {
                keepVerbatim(text, {}, at); // the loader read it; never lose it over a second parse
                return;
            }
        }
        if (root.IsMap() && scalarAt(root, "kind") == "List" && scalarAt(root, "apiVersion") == "v1" &&
            root["items"] && root["items"].IsSequence()) {
            planList(f, root["items"], beginLine, doc);
            return;
        }
        if (doc.items.empty()) {
            if (doc.removed.empty())
                keepVerbatim(text, identityOf(root), at);
            return;
        }
        for (Item& item : doc.items) {
            if (!item.changed && item.keyReason.empty() && doc.items.size() == 1) {
                item.used = true;
                keepVerbatim(text, item.id, at);
            } else {
                rewrite(item, doc.items.size() == 1 && root.IsMap() ? &root : nullptr);
            }
        }
    }

    /// A List is written item by item: modelled items from the model, others as read.
    void planList(std::uint32_t f, const YAML::Node& items, std::uint32_t beginLine, Doc& doc) {
        for (const auto& node : items) {
            const YAML::Mark mark = node.Mark();
            const model::SourceSpan span{f, beginLine + static_cast<std::uint32_t>(std::max(mark.line, 0)),
                                         static_cast<std::uint32_t>(std::max(mark.column, 0)) + 1};
            const auto item = std::find_if(doc.items.begin(), doc.items.end(),
                                           [&](const Item& i) { return !i.used && sameSpot(i.span, span); });
            if (item != doc.items.end()) {
                rewrite(*item, &node);
                continue;
            }
            if (std::any_of(doc.removed.begin(), doc.removed.end(),
                            [&](const model::SourceSpan& s) { return sameSpot(s, span); }))
                continue;
            const std::string text = dumpNode(node);
            if (std::string why = privateKeyReasonInText(text); !why.empty()) {
                const Identity id = identityOf(node);
                dropped(span, id, why);
                continue;
            }
            m_units.push_back({identityOf(node), text});
            ++m_plan.rewritten;
        }
    }

    void keepVerbatim(std::string_view text, Identity id, const model::SourceSpan& at) {
        if (std::string why = privateKeyReasonInText(text); !why.empty()) {
            dropped(at, id, why);
            return;
        }
        m_units.push_back({std::move(id), std::string(text)});
        ++m_plan.kept;
    }

    /// Writes a resource from the model: canonically, or for a partially modelled kind merged over
    /// `original`, the map it was read from (resource_encoder.h).
    void rewrite(Item& item, const YAML::Node* original = nullptr) {
        item.used = true;
        if (!item.keyReason.empty()) {
            dropped(item.span, item.id, item.keyReason);
            return;
        }
        std::string text = item.encode(original);
        if (std::string why = privateKeyReasonInText(text); !why.empty()) {
            dropped(item.span, item.id, why);
            return;
        }
        m_units.push_back({item.id, std::move(text)});
        ++m_plan.rewritten;
    }

    void dropped(const model::SourceSpan& at, const Identity& id, const std::string& why) {
        const std::string what =
            id.kind.empty() ? std::string("document") : id.kind + " " + id.ns + "/" + id.name;
        note(kNotePrivateKeyDropped, at, id.kind.empty() ? std::string() : what,
             what + " " + why + ": private keys are never exported; it was left out");
        ++m_plan.dropped;
    }

    void note(std::string_view code, const model::SourceSpan& at, std::string resource, std::string message) {
        m_plan.notes.push_back(
            {std::string(code), model::Level::Warning, std::move(message), at, std::move(resource), {}});
    }

    void assemble() {
        if (!m_options.split) {
            std::string out;
            for (const Unit& unit : m_units) {
                if (!out.empty() && out.back() != '\n')
                    out += '\n';
                if (!out.empty() && !unit.text.starts_with("---"))
                    out += "---\n";
                out += unit.text;
            }
            m_plan.files.push_back({{}, std::move(out)});
            return;
        }
        FileNamer namer;
        for (Unit& unit : m_units)
            m_plan.files.push_back({namer.name(unit.id), std::move(unit.text)});
    }

    const model::ResourceSet& m_original;
    const model::ResourceSet& m_current;
    const model::ResourceSet* m_baseline;
    const ExportOptions& m_options;
    std::map<DocKey, Doc> m_docs;
    std::vector<Item> m_fresh;
    std::vector<Unit> m_units;
    ExportPlan m_plan;
};

template <class R> void setApiVersion(std::vector<R>& resources, const std::string& apiVersion) {
    for (R& r : resources)
        r.header.apiVersion.value = apiVersion;
}

} // namespace

bool isNetworkingVersion(std::string_view version) {
    return version == "v1" || version == "v1beta1" || version == "v1alpha3";
}

ExportPlan planExport(const model::ResourceSet& resources, const ExportOptions& options,
                      const model::ResourceSet* baseline) {
    try {
        if (options.apiVersion.empty())
            return Planner(resources, resources, baseline, options).run();
        model::ResourceSet upgraded;
        upgraded.gateways = resources.gateways;
        upgraded.virtualServices = resources.virtualServices;
        upgraded.destinationRules = resources.destinationRules;
        upgraded.serviceEntries = resources.serviceEntries;
        upgraded.services = resources.services;
        upgraded.secrets = resources.secrets;
        upgraded.pods = resources.pods;
        upgraded.deployments = resources.deployments;
        upgraded.workloads = resources.workloads;
        const std::string apiVersion = "networking.istio.io/" + options.apiVersion;
        setApiVersion(upgraded.gateways, apiVersion);
        setApiVersion(upgraded.virtualServices, apiVersion);
        setApiVersion(upgraded.destinationRules, apiVersion);
        setApiVersion(upgraded.serviceEntries, apiVersion);
        return Planner(resources, upgraded, baseline, options).run();
    } catch (const std::exception& e) {
        ExportPlan failed;
        failed.notes.push_back({std::string(kNoteExportFailed),
                                model::Level::Error,
                                std::string("export failed: ") + e.what(),
                                {},
                                {},
                                {}});
        return failed;
    }
}

} // namespace sluice::config
