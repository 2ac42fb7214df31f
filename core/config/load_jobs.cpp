// SPDX-License-Identifier: Apache-2.0
#include "load_jobs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <system_error>
#include <thread>

namespace sluice::config {
namespace {

constexpr unsigned kMaxWorkers = 8;

template <class T> void append(std::vector<T>& to, std::vector<T>& from) {
    if (to.empty())
        to = std::move(from);
    else
        to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    from = {};
}

// ResourceSet is a struct of vectors, and mergeInto() appends each: a new member needs a line there.
static_assert(sizeof(model::ResourceSet) == 11 * sizeof(std::vector<int>),
              "ResourceSet changed: make mergeInto() append the new member");

void mergeInto(LoadResult& into, LoadResult& part) {
    model::ResourceSet& to = into.resources;
    model::ResourceSet& from = part.resources;
    append(to.files, from.files);
    append(to.gateways, from.gateways);
    append(to.virtualServices, from.virtualServices);
    append(to.destinationRules, from.destinationRules);
    append(to.serviceEntries, from.serviceEntries);
    append(to.services, from.services);
    append(to.secrets, from.secrets);
    append(to.pods, from.pods);
    append(to.deployments, from.deployments);
    append(to.workloads, from.workloads);
    append(to.skipped, from.skipped);
    append(into.diagnostics, part.diagnostics);
    into.unreadable = into.unreadable || part.unreadable;
}

unsigned workerCount(const LoadOptions& options, std::size_t jobs) {
    const unsigned wanted =
        options.threads ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, kMaxWorkers);
    return static_cast<unsigned>(std::min<std::size_t>(wanted, jobs));
}

} // namespace

LoadResult runJobs(const std::vector<LoadJob>& jobs, const LoadOptions& options,
                   const LoadJobFunction& load) {
    LoadResult result;
    const unsigned workers = workerCount(options, jobs.size());
    if (workers <= 1) {
        for (std::size_t i = 0; i < jobs.size(); ++i)
            load(jobs[i], static_cast<std::uint32_t>(i), result, options);
        return result;
    }

    std::vector<LoadResult> parts(jobs.size());
    std::vector<std::exception_ptr> errors(jobs.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < jobs.size(); i = next.fetch_add(1)) {
            try {
                load(jobs[i], static_cast<std::uint32_t>(i), parts[i], options);
            } catch (...) {
                errors[i] = std::current_exception(); // rethrown below, where a sequential run would throw
            }
        }
    };
    std::vector<std::thread> threads;
    try {
        for (unsigned t = 1; t < workers; ++t)
            threads.emplace_back(work);
    } catch (const std::system_error&) {
        // No more threads to be had: the ones started and this one share the work.
    }
    work();
    for (auto& t : threads)
        t.join();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (errors[i])
            std::rethrow_exception(errors[i]);
        mergeInto(result, parts[i]);
    }
    return result;
}

} // namespace sluice::config
