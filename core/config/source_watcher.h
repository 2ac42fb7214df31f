// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice::config {

/// Tells, without polling, when the files that a set of paths names (folders expanded as
/// loadPaths() does) may have changed: a Linux inotify descriptor that becomes readable.
///
/// A file is watched through the folder that holds it, because editors save by writing a new file
/// and renaming it over the old one, which a watch on the old file's inode would miss; a file that
/// is a symbolic link is watched where it points too. A folder is watched with every folder under
/// it (hidden ones skipped, as loadPaths() skips .git), and folders created later are added as
/// they appear.
///
/// An event is a hint, not a verdict: the caller compares sourcesFingerprint() before reloading.
/// Where inotify cannot serve (no instance or watch left under the system's limits, a folder that
/// does not exist, a watched folder removed), usable() turns false and the caller polls instead.
class SourceWatcher {
public:
    /// Past this many folders it gives up (usable() false) rather than spend the user's inotify
    /// watches, which their editor and IDE need too; the caller's check once a second remains.
    static constexpr std::size_t kDefaultMaxFolders = 2048;

    explicit SourceWatcher(const std::vector<std::string>& paths,
                           std::size_t maxFolders = kDefaultMaxFolders);
    ~SourceWatcher();
    SourceWatcher(const SourceWatcher&) = delete;
    SourceWatcher& operator=(const SourceWatcher&) = delete;

    [[nodiscard]] bool usable() const { return m_fd >= 0; }
    /// Gave up because the paths span more folders than it may watch: a new watcher would too.
    [[nodiscard]] bool overFolderLimit() const { return m_overFolderLimit; }
    /// Readable when events are pending (for poll()); -1 when not usable().
    [[nodiscard]] int fd() const { return m_fd; }
    /// Reads every pending event without blocking. True when one may concern the sources: a
    /// named file changed, or a configuration file or folder under a watched folder came, went or
    /// changed. Events about other files in the same folders (an editor's swap file) are false.
    bool drain();

private:
    struct Watch {
        std::string folder;
        std::vector<std::string> files; ///< names of files named in the paths
        bool recursive = false;         ///< under a named folder: every config file counts
        bool root = false; ///< a named folder or a named file's folder (not one found under them)
    };

    bool watchFolder(const std::string& folder, const std::string& file, bool recursive, bool root);
    /// The folder holding `path`, and, when it is a symbolic link, the folder of every link on the
    /// way to the file and of the file itself: a link can be pointed elsewhere, and the file it
    /// names is edited where it lives.
    bool watchFile(std::filesystem::path path, bool root);
    bool watchTree(const std::string& folder, bool root);
    bool concerns(const Watch& watch, std::uint32_t mask, const std::string& name) const;
    void giveUp();

    std::size_t m_maxFolders;
    bool m_overFolderLimit = false;
    int m_fd = -1;
    std::unordered_map<int, Watch> m_watches; ///< by watch descriptor
};

} // namespace sluice::config
