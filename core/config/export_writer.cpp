// SPDX-License-Identifier: Apache-2.0
#include "export_writer.h"

#include "atomic_file.h"

#include <filesystem>

namespace sluice::config {
namespace {

namespace fs = std::filesystem;

bool fail(std::string* error, std::string what) {
    if (error)
        *error = std::move(what);
    return false;
}

} // namespace

std::vector<std::string> exportPaths(const ExportPlan& plan, const std::string& target) {
    std::vector<std::string> out;
    for (const ExportFile& file : plan.files)
        out.push_back(file.name.empty() ? target : (fs::path(target) / file.name).string());
    return out;
}

std::vector<std::string> overwrittenInputs(const std::vector<std::string>& outputs,
                                           const model::ResourceSet& loaded) {
    std::vector<std::string> out;
    for (const std::string& output : outputs) {
        std::error_code ec;
        if (!fs::exists(output, ec))
            continue;
        for (const auto& file : loaded.files) {
            if (fs::equivalent(output, file.path, ec) && !ec) {
                out.push_back(output);
                break;
            }
        }
    }
    return out;
}

bool writeExport(const ExportPlan& plan, const std::string& target, bool split, std::string* error) {
    try {
        std::error_code ec;
        const bool isDirectory = fs::is_directory(target, ec);
        if (split) {
            if (!isDirectory && fs::exists(target, ec))
                return fail(error, target + ": exists and is not a directory");
            if (!isDirectory && !fs::create_directories(target, ec) && ec)
                return fail(error, target + ": cannot create directory: " + ec.message());
        } else if (isDirectory) {
            return fail(error,
                        target + ": is a directory (use --split to write one file per resource into it)");
        }
        const std::vector<std::string> paths = exportPaths(plan, target);
        for (std::size_t i = 0; i < paths.size(); ++i)
            if (!writeFileAtomically(paths[i], plan.files[i].text, error))
                return false;
        return true;
    } catch (const std::exception& e) {
        return fail(error, target + ": " + e.what());
    }
}

} // namespace sluice::config
