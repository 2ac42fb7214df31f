// SPDX-License-Identifier: Apache-2.0
#include "autosave_store.h"

#include "config/atomic_file.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace sluice::ui {
namespace {

QString absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

AutosaveStore::AutosaveStore(QString directory)
    : m_directory(std::move(directory)) {}

QString AutosaveStore::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/autosave");
}

QString AutosaveStore::fileFor(const QString& path) const {
    const QByteArray hash =
        QCryptographicHash::hash(absolute(path).toUtf8(), QCryptographicHash::Sha1).toHex();
    return m_directory + QLatin1Char('/') + QString::fromLatin1(hash) + QStringLiteral(".json");
}

bool AutosaveStore::write(const QString& path, const std::string& text) {
    if (!QDir().mkpath(m_directory))
        return false;
    const QJsonObject record{
        {QStringLiteral("path"), absolute(path)},
        {QStringLiteral("saved"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("text"), QString::fromStdString(text)},
    };
    const QByteArray json = QJsonDocument(record).toJson(QJsonDocument::Compact);
    return config::writeFileAtomically(
        fileFor(path).toStdString(),
        std::string_view(json.constData(), static_cast<std::size_t>(json.size())));
}

void AutosaveStore::remove(const QString& path) {
    QFile::remove(fileFor(path));
}

std::optional<AutosaveStore::Recovery> AutosaveStore::find(const QString& path,
                                                           const std::string& onDisk) const {
    QFile file(fileFor(path));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject record = QJsonDocument::fromJson(file.readAll()).object();
    if (record.value(QStringLiteral("path")).toString() != absolute(path))
        return std::nullopt;
    Recovery r{record.value(QStringLiteral("text")).toString().toStdString(),
               QDateTime::fromString(record.value(QStringLiteral("saved")).toString(), Qt::ISODateWithMs)};
    const QFileInfo original(path);
    if (r.text == onDisk || (original.exists() && original.lastModified() > QFileInfo(file).lastModified()))
        return std::nullopt;
    return r;
}

} // namespace sluice::ui
