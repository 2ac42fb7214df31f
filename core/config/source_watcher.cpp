// SPDX-License-Identifier: Apache-2.0
#include "source_watcher.h"

#include "loader.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include <sys/inotify.h>
#include <unistd.h>

namespace sluice::config {
namespace {

namespace fs = std::filesystem;

// IN_MODIFY as well as IN_CLOSE_WRITE: a writer that keeps the file open is still noticed (the
// caller waits for the writes to settle). IN_ATTRIB: `touch` changes the fingerprint's mtime.
constexpr std::uint32_t kFolderEvents = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE |
                                        IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
                                        IN_ONLYDIR;

bool hidden(const std::string& name) {
    return name.starts_with('.');
}

} // namespace

SourceWatcher::SourceWatcher(const std::vector<std::string>& paths, std::size_t maxFolders)
    : m_maxFolders(maxFolders)
    , m_fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    for (const std::string& path : paths) {
        if (m_fd < 0)
            return;
        if (path == "-")
            continue; // stdin is read once
        std::error_code ec;
        if (!(fs::is_directory(path, ec) ? watchTree(path, true) : watchFile(path, true)))
            giveUp();
    }
}

SourceWatcher::~SourceWatcher() {
    if (m_fd >= 0)
        ::close(m_fd);
}

bool SourceWatcher::watchFolder(const std::string& folder, const std::string& file, bool recursive,
                                bool root) {
    const int wd = inotify_add_watch(m_fd, folder.c_str(), kFolderEvents);
    if (wd < 0)
        return false;
    if (!m_watches.contains(wd) && m_watches.size() >= m_maxFolders) {
        inotify_rm_watch(m_fd, wd);
        m_overFolderLimit = true;
        return false;
    }
    Watch& watch = m_watches[wd]; // the same folder twice gives the same descriptor
    watch.folder = folder;
    watch.recursive = watch.recursive || recursive;
    watch.root = watch.root || root;
    if (!file.empty() && std::find(watch.files.begin(), watch.files.end(), file) == watch.files.end())
        watch.files.push_back(file);
    return true;
}

bool SourceWatcher::watchFile(std::filesystem::path path, bool root) {
    // At most as many links as the kernel follows (MAXSYMLINKS is 40; a loop stops here too).
    for (int hop = 0; hop < 40; ++hop) {
        const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        if (!watchFolder(folder.string(), path.filename().string(), false, root))
            return false;
        std::error_code ec;
        if (!fs::is_symlink(path, ec))
            return true;
        const fs::path next = fs::read_symlink(path, ec);
        if (ec)
            return true; // unreadable: the folder holding the link is watched
        path = next.is_absolute() ? next : folder / next;
    }
    return true;
}

bool SourceWatcher::watchTree(const std::string& folder, bool root) {
    if (!watchFolder(folder, {}, true, root))
        return false;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        // A file linked in from elsewhere is edited there: follow it (its folder here is watched).
        if (it->is_symlink(ec) && isConfigFileName(it->path()) && !it->is_directory(ec)) {
            if (!watchFile(it->path(), true))
                return false;
            continue;
        }
        if (!it->is_directory(ec))
            continue;
        if (hidden(it->path().filename().string())) {
            it.disable_recursion_pending(); // .git and friends, as loadPaths() skips them
            continue;
        }
        if (!watchFolder(it->path().string(), {}, true, false))
            return false;
    }
    return true;
}

bool SourceWatcher::concerns(const Watch& watch, std::uint32_t mask, const std::string& name) const {
    if (name.empty()) // the folder itself
        return (mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0;
    if (mask & IN_ISDIR)
        return watch.recursive && !hidden(name);
    if (watch.recursive && isConfigFileName(name))
        return true;
    return std::find(watch.files.begin(), watch.files.end(), name) != watch.files.end();
}

void SourceWatcher::giveUp() {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_watches.clear();
}

bool SourceWatcher::drain() {
    bool changed = false;
    bool lostRoot = false;
    alignas(inotify_event) char buffer[16384];
    while (m_fd >= 0) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // EAGAIN: nothing more pending
        for (ssize_t at = 0; at < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if (event->mask & IN_Q_OVERFLOW) { // events were lost: anything may have changed
                changed = true;
                continue;
            }
            const auto it = m_watches.find(event->wd);
            if (it == m_watches.end())
                continue;
            if (event->mask & IN_IGNORED) { // the folder went away, and its watch with it
                lostRoot = lostRoot || it->second.root;
                m_watches.erase(it);
                changed = true;
                continue;
            }
            const std::string name = event->len ? std::string(event->name) : std::string();
            if (!concerns(it->second, event->mask, name))
                continue;
            changed = true;
            // A folder created or moved in under a watched tree: its files count from now on.
            if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO)) &&
                !watchTree(it->second.folder + '/' + name, false))
                lostRoot = true;
        }
    }
    // A named folder (or the folder of a named file) removed or renamed: the caller polls from now
    // on, which notices it coming back as any change.
    if (lostRoot)
        giveUp();
    return changed;
}

} // namespace sluice::config
