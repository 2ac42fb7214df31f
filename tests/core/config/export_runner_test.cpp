// SPDX-License-Identifier: Apache-2.0
#include "config/export_runner.h"
#include "validate/validator.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sluice;

namespace {

struct Input {
    config::LoadResult loaded;
    model::Diagnostics findings;
};

Input analyze(const std::string& path) {
    Input in{config::loadPaths({path}), {}};
    in.findings = in.loaded.diagnostics;
    for (auto& d : validate::validate(in.loaded.resources))
        in.findings.push_back(std::move(d));
    return in;
}

std::size_t errorsIn(const std::string& path) {
    const Input in = analyze(path);
    return config::blockingFindings(in.findings);
}

} // namespace

class ExportRunnerTest : public QObject {
    Q_OBJECT

private slots:
    void exportsBookinfoThatValidatesClean() {
        QTemporaryDir dir;
        const Input in = analyze(SLUICE_SOURCE_DIR "/samples/bookinfo");
        const std::string target = dir.filePath(QStringLiteral("bookinfo.yaml")).toStdString();
        const config::ExportOutcome out =
            config::runExport(in.loaded, in.findings, {target, {"v1", false, false}});
        QVERIFY2(out.written, out.error.c_str());
        QCOMPARE(out.paths, std::vector<std::string>{target});
        QCOMPARE(errorsIn(target), std::size_t{0});
        QCOMPARE(config::loadPaths({target}).resources.resourceCount(), in.loaded.resources.resourceCount());
    }

    void errorsBlockUnlessAllowed() {
        QTemporaryDir dir;
        const Input in = analyze(SLUICE_SOURCE_DIR "/samples/broken/missing-subset.yaml");
        QCOMPARE(config::blockingFindings(in.findings), std::size_t{1});
        config::ExportRequest request{dir.filePath(QStringLiteral("out.yaml")).toStdString(), {}};
        config::ExportOutcome out = config::runExport(in.loaded, in.findings, request);
        QVERIFY(!out.written);
        QCOMPARE(out.error,
                 std::string("refusing to export: 1 error(s) remain; fix them, or confirm to export anyway"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.yaml"))));
        request.allowErrors = true;
        out = config::runExport(in.loaded, in.findings, request);
        QVERIFY2(out.written, out.error.c_str());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("out.yaml"))));
    }

    void splitWritesAFolder() {
        QTemporaryDir dir;
        const Input in = analyze(SLUICE_SOURCE_DIR "/samples/canary");
        const std::string target = dir.filePath(QStringLiteral("split")).toStdString();
        const config::ExportOutcome out =
            config::runExport(in.loaded, in.findings, {target, {{}, true, false}});
        QVERIFY2(out.written, out.error.c_str());
        QCOMPARE(out.paths.size(), static_cast<std::size_t>(
                                       QDir(QString::fromStdString(target)).entryList(QDir::Files).size()));
        QCOMPARE(errorsIn(target), std::size_t{0});
    }

    void refusesToReplaceAnInput() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("in.yaml"));
        QVERIFY(QFile::copy(QStringLiteral(SLUICE_SOURCE_DIR "/samples/canary/gateway.yaml"), input));
        const Input in = analyze(input.toStdString());
        const config::ExportOutcome out =
            config::runExport(in.loaded, in.findings, {input.toStdString(), {"v1beta1"}, true});
        QVERIFY(!out.written);
        QVERIFY2(out.error.ends_with("is one of the inputs; refusing to replace it"), out.error.c_str());
        QCOMPARE(out.refusal, config::ExportOutcome::Refusal::ReplacesInput);
    }

    // `--fail-on warning`: warnings block too; infos never do unless asked.
    void failOnLevelDecidesWhatBlocks() {
        const model::Diagnostics findings{{"IST0131", model::Level::Warning, "w", {}, {}, {}},
                                          {"SLU0003", model::Level::Info, "i", {}, {}, {}}};
        QCOMPARE(config::blockingFindings(findings), std::size_t(0));
        QCOMPARE(config::blockingFindings(findings, model::Level::Warning), std::size_t(1));
        QCOMPARE(config::blockingFindings(findings, model::Level::Info), std::size_t(2));
        QTemporaryDir dir;
        const Input in = analyze(SLUICE_SOURCE_DIR "/samples/canary");
        config::ExportRequest request{dir.filePath(QStringLiteral("out.yaml")).toStdString(), {}};
        request.failOn = model::Level::Info;
        const config::ExportOutcome out = config::runExport(in.loaded, findings, request);
        QCOMPARE(out.refusal, config::ExportOutcome::Refusal::Findings);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.yaml"))));
    }

    void refusesUnreadableInputAndNoTarget() {
        const Input missing = analyze("/nonexistent/sluice/input.yaml");
        QVERIFY(missing.loaded.unreadable);
        QCOMPARE(config::runExport(missing.loaded, {}, {"/tmp/x.yaml", {}}).error,
                 std::string("some input could not be read; nothing exported"));
        const Input in = analyze(SLUICE_SOURCE_DIR "/samples/canary");
        QCOMPARE(config::runExport(in.loaded, in.findings, {}).error, std::string("no destination given"));
    }
};

QTEST_GUILESS_MAIN(ExportRunnerTest)
#include "export_runner_test.moc"
