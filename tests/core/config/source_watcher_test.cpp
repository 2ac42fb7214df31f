// SPDX-License-Identifier: Apache-2.0
// SourceWatcher on a real folder: the edits editors and git make are seen without polling, other
// files in the same folders are not, and a watched folder that goes away turns it off (the caller
// then polls).
#include "config/source_watcher.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <poll.h>

using sluice::config::SourceWatcher;

namespace {

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

/// Whether the watcher reports a change concerning the sources within `ms` (events it reads that
/// do not concern them are consumed and waiting goes on).
bool changeSeen(SourceWatcher& watcher, int ms = 2000) {
    QElapsedTimer clock;
    clock.start();
    while (watcher.usable() && clock.elapsed() < ms) {
        pollfd fd{watcher.fd(), POLLIN, 0};
        if (::poll(&fd, 1, static_cast<int>(ms - clock.elapsed())) > 0 && watcher.drain())
            return true;
    }
    return false;
}

/// Nothing concerning the sources is pending after a short quiet time.
bool quiet(SourceWatcher& watcher) {
    return !changeSeen(watcher, 150);
}

} // namespace

class SourceWatcherTest : public QObject {
    Q_OBJECT

private slots:
    // A named file: rewritten in place, replaced by a rename (editors, git checkout), removed and
    // recreated. Other files beside it (swap files, unrelated YAML) are not its business.
    void namedFileEditsAreSeen() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("gateway.yaml"));
        write(file, "a: 1\n");
        SourceWatcher watcher({file.toStdString()});
        QVERIFY(watcher.usable());
        QVERIFY(quiet(watcher));

        write(dir.filePath(QStringLiteral(".gateway.yaml.swp")), "swap");
        write(dir.filePath(QStringLiteral("other.yaml")), "b: 1\n");
        QVERIFY(quiet(watcher));

        write(file, "a: 2\n");
        QVERIFY(changeSeen(watcher));
        QVERIFY(quiet(watcher));

        const QString next = dir.filePath(QStringLiteral("gateway.yaml.new"));
        write(next, "a: 3\n");
        QVERIFY(quiet(watcher)); // a file of another name
        QVERIFY(::rename(next.toLocal8Bit().constData(), file.toLocal8Bit().constData()) == 0);
        QVERIFY(changeSeen(watcher));

        QVERIFY(QFile::remove(file));
        QVERIFY(changeSeen(watcher));
        write(file, "a: 4\n");
        QVERIFY(changeSeen(watcher));
        QVERIFY(watcher.usable());
    }

    // A named folder: any .yaml/.yml/.json under it, at any depth, including in folders created
    // after the watch began; not hidden folders (.git) nor files of other extensions.
    void folderTreesAreWatchedAsLoadedFilesAre() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("base/gateways")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral(".git/objects")));
        write(dir.filePath(QStringLiteral("base/gateways/gw.yaml")), "a: 1\n");
        SourceWatcher watcher({dir.path().toStdString()});
        QVERIFY(watcher.usable());

        write(dir.filePath(QStringLiteral(".git/objects/1234")), "blob");
        write(dir.filePath(QStringLiteral("README.md")), "# notes\n");
        QVERIFY(quiet(watcher));

        write(dir.filePath(QStringLiteral("base/gateways/gw.yaml")), "a: 2\n");
        QVERIFY(changeSeen(watcher));
        QVERIFY(quiet(watcher));

        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("overlays/prod")));
        QVERIFY(changeSeen(watcher)); // a new folder may bring files
        QVERIFY(quiet(watcher));
        write(dir.filePath(QStringLiteral("overlays/prod/vs.json")), "{}");
        QVERIFY(changeSeen(watcher)); // inside the folder created after the watch began
        QVERIFY(quiet(watcher));

        QVERIFY(QDir(dir.filePath(QStringLiteral("overlays"))).removeRecursively());
        QVERIFY(changeSeen(watcher));
        QVERIFY(watcher.usable()); // a folder found under the named one: still watching
        write(dir.filePath(QStringLiteral("base/gateways/gw.yaml")), "a: 3\n");
        QVERIFY(changeSeen(watcher));
    }

    // Links: a named file that links to a file kept elsewhere, and a folder holding such a link,
    // see the file edited where it lives; pointing the link elsewhere is seen too.
    void linkedFilesAreWatchedWhereTheyLive() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("repo")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("config")));
        const QString real = dir.filePath(QStringLiteral("repo/gw.yaml"));
        const QString other = dir.filePath(QStringLiteral("repo/gw-next.yaml"));
        const QString link = dir.filePath(QStringLiteral("config/gw.yaml"));
        write(real, "a: 1\n");
        write(other, "a: 9\n");
        QVERIFY(QFile::link(real, link));

        SourceWatcher named({link.toStdString()});
        SourceWatcher tree({dir.filePath(QStringLiteral("config")).toStdString()});
        QVERIFY(named.usable() && tree.usable());
        write(real, "a: 2\n");
        QVERIFY(changeSeen(named));
        QVERIFY(changeSeen(tree));

        QVERIFY(QFile::remove(link));
        QVERIFY(QFile::link(other, link));
        QVERIFY(changeSeen(named));
        QVERIFY(changeSeen(tree));
    }

    // Kubernetes mounts a ConfigMap as links through a "..data" link to a timestamped folder, and
    // updates it by pointing "..data" at a new folder and deleting the old one. The watcher reports
    // it and turns off (the old folder is gone); a watcher made afresh, as serve makes one at its
    // next check, watches the new folder.
    void aConfigMapUpdateIsSeen() {
        QTemporaryDir dir;
        const QString mount = dir.filePath(QStringLiteral("mount"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("mount/..2026_11_27_1")));
        write(mount + QStringLiteral("/..2026_11_27_1/gw.yaml"), "a: 1\n");
        QVERIFY(QFile::link(QStringLiteral("..2026_11_27_1"), mount + QStringLiteral("/..data")));
        QVERIFY(QFile::link(QStringLiteral("..data/gw.yaml"), mount + QStringLiteral("/gw.yaml")));
        SourceWatcher watcher({mount.toStdString()});
        QVERIFY(watcher.usable());
        QVERIFY(quiet(watcher));

        QVERIFY(QDir(mount).mkpath(QStringLiteral("..2026_11_27_2")));
        write(mount + QStringLiteral("/..2026_11_27_2/gw.yaml"), "a: 2\n");
        QVERIFY(QFile::link(QStringLiteral("..2026_11_27_2"), mount + QStringLiteral("/..data_tmp")));
        QVERIFY(::rename(QString(mount + QStringLiteral("/..data_tmp")).toLocal8Bit().constData(),
                         QString(mount + QStringLiteral("/..data")).toLocal8Bit().constData()) == 0);
        QVERIFY(QDir(mount + QStringLiteral("/..2026_11_27_1")).removeRecursively());
        QVERIFY(changeSeen(watcher));

        SourceWatcher next({mount.toStdString()});
        QVERIFY(next.usable());
        write(mount + QStringLiteral("/..2026_11_27_2/gw.yaml"), "a: 3\n");
        QVERIFY(changeSeen(next));
    }

    // The named folder itself removed: reported, then the watcher is off and the caller polls.
    void aNamedFolderRemovedTurnsTheWatcherOff() {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("config"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("config")));
        write(folder + QStringLiteral("/gw.yaml"), "a: 1\n");
        SourceWatcher watcher({folder.toStdString()});
        QVERIFY(watcher.usable());
        QVERIFY(QDir(folder).removeRecursively());
        QVERIFY(changeSeen(watcher));
        QTRY_VERIFY(!watcher.usable() || (watcher.drain(), !watcher.usable()));
        QCOMPARE(watcher.fd(), -1);
    }

    // What cannot be watched is said at once: a path whose folder does not exist, a tree of more
    // folders than the watcher may take. Stdin ("-") is read once and needs no watch.
    void unwatchablePathsTurnItOff() {
        QVERIFY(!SourceWatcher({"/nonexistent-sluice-folder/gw.yaml"}).usable());
        QVERIFY(SourceWatcher({"-"}).usable());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a/b")));
        QVERIFY(SourceWatcher({dir.path().toStdString()}, 3).usable()); // 3 folders
        const SourceWatcher tooMany({dir.path().toStdString()}, 2);
        QVERIFY(!tooMany.usable());
        QVERIFY(tooMany.overFolderLimit());
        QVERIFY(!SourceWatcher({"/nonexistent-sluice-folder/gw.yaml"}).overFolderLimit());
        // Two files in one folder take one watch.
        write(dir.filePath(QStringLiteral("x.yaml")), "a: 1\n");
        write(dir.filePath(QStringLiteral("y.yaml")), "a: 1\n");
        QVERIFY(SourceWatcher({dir.filePath(QStringLiteral("x.yaml")).toStdString(),
                               dir.filePath(QStringLiteral("y.yaml")).toStdString()},
                              1)
                    .usable());
    }
};

QTEST_GUILESS_MAIN(SourceWatcherTest)
#include "source_watcher_test.moc"
