// SPDX-License-Identifier: Apache-2.0
#include "atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice::config {
namespace {

namespace fs = std::filesystem;

bool fail(std::string* error, std::string what) {
    if (error)
        *error = std::move(what);
    return false;
}

std::string temporaryName(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::uniform_int_distribution<int> pick(0, static_cast<int>(sizeof kAlphabet) - 2);
    std::string name = ".";
    name.append(target.filename().string());
    name.append(".sluice-");
    name.append(std::to_string(::getpid()));
    name.push_back('-');
    name.append(std::to_string(counter++));
    for (int i = 0; i < 6; ++i)
        name.push_back(kAlphabet[pick(device)]);
    return name;
}

bool writeAll(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void syncDirectory(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: some file systems refuse fsync on directories
        ::close(fd);
    }
}

} // namespace

bool writeFileAtomically(const std::string& path, std::string_view text, std::string* error) {
    const fs::path target(path);
    if (target.filename().empty())
        return fail(error, path + ": not a file name");
    const fs::path dir = target.parent_path();

    struct stat existing {};
    const bool replacing = ::lstat(path.c_str(), &existing) == 0;
    if (replacing && S_ISDIR(existing.st_mode))
        return fail(error, path + ": is a directory");

    int fd = -1;
    fs::path temp;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temp = dir / temporaryName(target);
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        return fail(error, path + ": cannot create a file in " + (dir.empty() ? "." : dir.string()) + ": " +
                               std::strerror(errno));

    bool ok = writeAll(fd, text);
    int savedErrno = ok ? 0 : errno;
    if (ok && replacing && S_ISREG(existing.st_mode))
        ::fchmod(fd, existing.st_mode & 07777); // best effort: keep the replaced file's mode
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        savedErrno = errno;
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        savedErrno = errno;
    }
    if (ok && ::rename(temp.c_str(), target.c_str()) != 0) {
        ok = false;
        savedErrno = errno;
    }
    if (!ok) {
        ::unlink(temp.c_str());
        return fail(error, path + ": cannot write: " + std::strerror(savedErrno));
    }
    syncDirectory(dir);
    return true;
}

} // namespace sluice::config
