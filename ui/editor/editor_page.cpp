// SPDX-License-Identifier: Apache-2.0
#include "editor_page.h"

#include "config/atomic_file.h"
#include "info_bar.h"
#include "yaml_editor.h"

#include <optional>

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace sluice::ui {
namespace {

/// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> readFile(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    return file.readAll().toStdString();
}

} // namespace

EditorPage::EditorPage(const QString& path, QWidget* parent)
    : QWidget(parent)
    , m_path(path)
    , m_canonical(QFileInfo(path).canonicalFilePath())
    , m_sourcePath(path)
    , m_editor(new YamlEditor(this))
    , m_diskBar(new InfoBar(this))
    , m_recoveryBar(new InfoBar(this)) {
    if (m_canonical.isEmpty())
        m_canonical = QFileInfo(path).absoluteFilePath();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_recoveryBar);
    layout->addWidget(m_diskBar);
    layout->addWidget(m_editor, 1);
    setFocusProxy(m_editor);
    connect(m_diskBar, &InfoBar::accepted, this, &EditorPage::reload);
    connect(m_diskBar, &InfoBar::rejected, this, &EditorPage::keepBuffer);
    connect(m_recoveryBar, &InfoBar::accepted, this, [this] {
        m_editor->replaceText(m_recovered);
        emit recoveryAnswered(true);
    });
    connect(m_recoveryBar, &InfoBar::rejected, this, [this] { emit recoveryAnswered(false); });
}

bool EditorPage::isModified() const {
    return m_editor->isModified();
}

bool EditorPage::load(QString* error) {
    auto text = readFile(m_path, error);
    if (!text)
        return false;
    m_diskText = std::move(*text);
    m_editor->loadText(m_diskText);
    return true;
}

bool EditorPage::save(QString* error) {
    std::string text = m_editor->utf8Text();
    std::string why;
    if (!config::writeFileAtomically(m_path.toStdString(), text, &why)) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    m_diskText = std::move(text);
    m_editor->setModified(false);
    m_diskBar->hide();
    return true;
}

EditorPage::DiskChange EditorPage::checkDisk() {
    const auto text = readFile(m_path, nullptr);
    if (!text) {
        m_diskBar->ask(tr("%1 is gone from disk. Save to write it again.").arg(QFileInfo(m_path).fileName()),
                       tr("Reload"), tr("Keep mine"));
        m_diskBar->acceptButton()->hide();
        return DiskChange::Missing;
    }
    if (*text == m_diskText)
        return DiskChange::None;
    if (!isModified()) {
        m_diskText = *text;
        m_editor->reloadText(m_diskText);
        m_diskBar->hide();
        return DiskChange::Reloaded;
    }
    m_diskBar->acceptButton()->show();
    m_diskBar->ask(tr("%1 changed on disk, and this buffer has changes that are not saved.")
                       .arg(QFileInfo(m_path).fileName()),
                   tr("Reload"), tr("Keep mine"));
    return DiskChange::Asked;
}

void EditorPage::reload() {
    if (auto text = readFile(m_path, nullptr)) {
        m_diskText = std::move(*text);
        m_editor->reloadText(m_diskText);
        emit reloaded();
    }
}

void EditorPage::keepBuffer() {
    // The next save overwrites the file; until then this change is known and not asked again.
    if (auto text = readFile(m_path, nullptr))
        m_diskText = std::move(*text);
}

void EditorPage::offerRecovery(const std::string& text, const QDateTime& saved) {
    m_recovered = text;
    m_recoveryBar->ask(
        tr("Changes to %1 from %2 were not saved (Sluice Studio did not close properly).")
            .arg(QFileInfo(m_path).fileName(), QLocale().toString(saved.toLocalTime(), QLocale::ShortFormat)),
        tr("Restore"), tr("Discard"));
}

} // namespace sluice::ui
