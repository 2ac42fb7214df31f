// SPDX-License-Identifier: Apache-2.0
#include "config/atomic_file.h"

#include <csignal>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>

using sluice::config::writeFileAtomically;

namespace {

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

} // namespace

class AtomicFileTest : public QObject {
    Q_OBJECT

private slots:
    void createsAndReplacesLeavingNoTemporaryFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("out.yaml"));
        std::string error;
        QVERIFY(writeFileAtomically(path.toStdString(), "first\n", &error));
        QCOMPARE(contents(path), QByteArray("first\n"));
        QVERIFY(writeFileAtomically(path.toStdString(), "second\n", &error));
        QCOMPARE(contents(path), QByteArray("second\n"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.yaml")});
    }

    void keepsTheModeOfAReplacedFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mode.yaml"));
        QVERIFY(writeFileAtomically(path.toStdString(), "x\n"));
        QVERIFY(::chmod(path.toLocal8Bit().constData(), 0640) == 0);
        QVERIFY(writeFileAtomically(path.toStdString(), "y\n"));
        struct stat st {};
        QVERIFY(::stat(path.toLocal8Bit().constData(), &st) == 0);
        QCOMPARE(st.st_mode & 0777, 0640u);
    }

    // A write that fails half-way (here: the file size limit, which holds for root too) leaves
    // the old file as it was and no temporary file behind.
    void failedWriteLeavesTheOldFileAndNoTemporary() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.yaml"));
        QVERIFY(writeFileAtomically(path.toStdString(), "old\n"));
        struct rlimit saved {};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = saved;
        small.rlim_cur = 8;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        std::string error;
        const bool written = writeFileAtomically(path.toStdString(), std::string(4096, 'x'), &error);
        ::setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previousHandler);
        QVERIFY(!written);
        QVERIFY2(error.find("out.yaml") != std::string::npos, error.c_str());
        QCOMPARE(contents(path), QByteArray("old\n"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.yaml")});
    }

    void missingDirectoryAndDirectoryTargetFail() {
        QTemporaryDir dir;
        std::string error;
        QVERIFY(!writeFileAtomically(dir.filePath(QStringLiteral("no/such/dir/out.yaml")).toStdString(), "x",
                                     &error));
        QVERIFY(!error.empty());
        QVERIFY(!writeFileAtomically(dir.path().toStdString(), "x", &error));
        QVERIFY2(error.find("directory") != std::string::npos, error.c_str());
        QVERIFY(entries(dir.path()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(AtomicFileTest)
#include "atomic_file_test.moc"
