// SPDX-License-Identifier: Apache-2.0
// Drives Istio's CRD validation test files (istio/istio pkg/config/validation/testdata/crds, copied to
// shared/realworld/istio/validation-testdata): every document of a *-invalid.yaml file must get an
// Error meaning what its `_err` key says, and a *-valid.yaml file must give no Error at all.
// `_err` is a test annotation, not schema: its lines are dropped before loading.

#include "config/loader.h"
#include "validate/validator.h"

#include <map>
#include <sstream>
#include <string>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

QString testdataDir() {
    const QStringList candidates{
        QStringLiteral(SLUICE_SHARED_DIR "/realworld/istio/validation-testdata"),
        QStringLiteral(SLUICE_SOURCE_DIR
                       "/../../shared/realworld/istio/validation-testdata"), // git worktrees
    };
    for (const QString& dir : candidates)
        if (QDir(dir).exists())
            return dir;
    return {};
}

/// The file without its `_err` lines, and each `_err` value by 0-based document number.
struct Testdata {
    std::string yaml;
    std::map<std::uint32_t, std::string> errors;
};

Testdata read(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    Testdata out;
    std::istringstream in(file.readAll().toStdString());
    std::uint32_t document = 0;
    for (std::string line; std::getline(in, line);) {
        if (line == "---")
            ++document;
        if (line.starts_with("_err:")) {
            std::string value = line.substr(5);
            value.erase(0, value.find_first_not_of(' '));
            if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
                value = value.substr(1, value.size() - 2);
            out.errors[document] = value;
            line = "# " + line; // keep the line count, drop the key
        }
        out.yaml += line + "\n";
    }
    return out;
}

/// What an `_err` means in Sluice's terms: the field path of a Kubernetes-style "path: reason"
/// message, or the wording Istio's webhook uses for the same rule.
bool matches(const std::string& expected, const sluice::model::Diagnostic& d) {
    static const QRegularExpression kubernetesStyle(
        QStringLiteral("^([A-Za-z0-9_.]+): (Required|Invalid) value$"));
    const QString err = QString::fromStdString(expected);
    if (const auto m = kubernetesStyle.match(err); m.hasMatch())
        return d.field == m.captured(1).toStdString();
    static const std::map<std::string, QString> kWebhookWording{
        {"wildcard is not supported in selector", QStringLiteral("^wildcard is not supported in selector")},
        {"only one of WorkloadSelector or Endpoints can be set",
         QStringLiteral("^only one of WorkloadSelector or Endpoints is allowed")},
        {"hostname cannot be wildcard", QStringLiteral("^invalid host \\*$")},
        {"CIDR addresses are allowed only for NONE/STATIC resolution types",
         QStringLiteral("^CIDR addresses are allowed only for NONE/STATIC resolution types$")},
        {"Duplicate value", QStringLiteral("^service entry port name \".*\" already defined$")},
        {"port number cannot be duplicated", QStringLiteral("^service entry port \\d+ already defined$")},
        {"port must be between 1-65535", QStringLiteral("^port number \\d+ must be in the range 1..65535$")},
        {"NONE mode cannot set endpoints",
         QStringLiteral("^no endpoints should be provided for resolution type none$")},
        {"DNS_ROUND_ROBIN mode cannot have multiple endpoints",
         QStringLiteral("^there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN$")},
    };
    const auto it = kWebhookWording.find(expected);
    if (it == kWebhookWording.end()) {
        qWarning("no meaning known for _err \"%s\"", expected.c_str());
        return false;
    }
    return QRegularExpression(it->second).match(QString::fromStdString(d.message)).hasMatch();
}

sluice::model::Diagnostics validateText(const QString& path, const std::string& yaml,
                                        sluice::model::ResourceSet& resources) {
    sluice::config::LoadResult result;
    sluice::config::loadText(path.toStdString(), yaml, result);
    resources = std::move(result.resources);
    return sluice::validate::validate(resources);
}

} // namespace

class IstioValidationTestdataTest : public QObject {
    Q_OBJECT

private slots:
    void invalidDocumentsAreRejected_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("destinationrule") << QStringLiteral("destinationrule-invalid.yaml");
        QTest::newRow("serviceentry") << QStringLiteral("serviceentry-invalid.yaml");
    }

    void invalidDocumentsAreRejected() {
        QFETCH(QString, file);
        const QString dir = testdataDir();
        QVERIFY2(!dir.isEmpty(), "shared/realworld/istio/validation-testdata not found");
        const Testdata data = read(dir + QLatin1Char('/') + file);
        QVERIFY(!data.errors.empty());
        sluice::model::ResourceSet resources;
        const auto diagnostics = validateText(file, data.yaml, resources);

        std::size_t checked = 0;
        auto check = [&](const auto& resource) {
            const auto it = data.errors.find(resource.header.doc.index);
            QVERIFY2(it != data.errors.end(),
                     qPrintable(QString::fromStdString(sluice::model::resourceName(resource))));
            const std::string name = sluice::model::resourceName(resource);
            bool found = false;
            for (const auto& d : diagnostics)
                found = found || (d.resource == name && d.level == sluice::model::Level::Error &&
                                  matches(it->second, d));
            QVERIFY2(found, qPrintable(QStringLiteral("%1 (document %2): no Error meaning \"%3\"")
                                           .arg(QString::fromStdString(name))
                                           .arg(resource.header.doc.index)
                                           .arg(QString::fromStdString(it->second))));
            ++checked;
        };
        for (const auto& r : resources.destinationRules)
            check(r);
        for (const auto& r : resources.serviceEntries)
            check(r);
        QCOMPARE(checked, data.errors.size());
    }

    void validDocumentsAreAccepted_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("resources");
        QTest::newRow("destinationrule") << QStringLiteral("destinationrule-valid.yaml") << 4;
        QTest::newRow("serviceentry") << QStringLiteral("serviceentry-valid.yaml") << 5;
    }

    void validDocumentsAreAccepted() {
        QFETCH(QString, file);
        QFETCH(int, resources);
        const QString dir = testdataDir();
        QVERIFY2(!dir.isEmpty(), "shared/realworld/istio/validation-testdata not found");
        const Testdata data = read(dir + QLatin1Char('/') + file);
        QVERIFY(data.errors.empty());
        sluice::model::ResourceSet loaded;
        const auto diagnostics = validateText(file, data.yaml, loaded);
        QCOMPARE(static_cast<int>(loaded.resourceCount()), resources);
        for (const auto& d : diagnostics)
            QVERIFY2(d.level != sluice::model::Level::Error,
                     qPrintable(QStringLiteral("%1: %2").arg(QString::fromStdString(d.resource),
                                                             QString::fromStdString(d.message))));
    }
};

QTEST_GUILESS_MAIN(IstioValidationTestdataTest)
#include "istio_validation_testdata_test.moc"
