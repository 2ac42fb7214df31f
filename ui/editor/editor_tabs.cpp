// SPDX-License-Identifier: Apache-2.0
#include "editor_tabs.h"

#include "diagnostic_marks.h"
#include "editor_actions.h"
#include "editor_page.h"
#include "file_watch.h"
#include "find_bar.h"
#include "yaml_editor.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sluice::ui {
namespace {

QString canonical(const QString& path) {
    const QFileInfo info(path);
    const QString c = info.canonicalFilePath();
    return c.isEmpty() ? info.absoluteFilePath() : c;
}

} // namespace

EditorTabs::EditorTabs(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent)
    , m_bridge(bridge)
    , m_tabs(new QTabWidget(this))
    , m_find(new FindBar(this))
    , m_watch(new FileWatch(this))
    , m_actions(new EditorActions(*this)) {
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_find);
    m_find->setEditor(nullptr);

    m_revalidate.setSingleShot(true);
    m_revalidate.setInterval(300);
    m_autosaveSoon.setSingleShot(true);
    setAutosaveDelays(2000, 30000);
    connect(&m_revalidate, &QTimer::timeout, this, [this] { m_bridge.revalidate(unsavedTexts()); });
    connect(&m_autosaveSoon, &QTimer::timeout, this, &EditorTabs::autosaveModified);
    connect(&m_autosaveEvery, &QTimer::timeout, this, &EditorTabs::autosaveModified);
    connect(&m_bridge, &CoreBridge::snapshotReady, this, &EditorTabs::applySnapshot);
    connect(m_watch, &FileWatch::changed, this, &EditorTabs::diskChanged);
    connect(m_tabs, &QTabWidget::currentChanged, this, &EditorTabs::currentChanged);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) { closeTab(index); });
}

EditorTabs::~EditorTabs() = default;

void EditorTabs::setAutosaveDelays(int afterChangeMs, int everyMs) {
    m_autosaveSoon.setInterval(afterChangeMs);
    m_autosaveEvery.setInterval(everyMs);
    m_autosaveEvery.start();
}

int EditorTabs::count() const {
    return m_tabs->count();
}

EditorPage* EditorTabs::page(int index) const {
    return qobject_cast<EditorPage*>(m_tabs->widget(index));
}

EditorPage* EditorTabs::currentPage() const {
    return qobject_cast<EditorPage*>(m_tabs->currentWidget());
}

EditorPage* EditorTabs::pageFor(const QString& path) const {
    const QString wanted = canonical(path);
    for (int i = 0; i < count(); ++i)
        if (page(i)->canonicalPath() == wanted)
            return page(i);
    return nullptr;
}

QStringList EditorTabs::modifiedFiles() const {
    QStringList files;
    for (int i = 0; i < count(); ++i)
        if (page(i)->isModified())
            files << page(i)->path();
    return files;
}

QHash<QString, QString> EditorTabs::unsavedTexts() const {
    QHash<QString, QString> texts;
    for (int i = 0; i < count(); ++i)
        if (page(i)->isModified())
            texts.insert(page(i)->sourcePath(), QString::fromStdString(page(i)->editor()->utf8Text()));
    return texts;
}

EditorPage* EditorTabs::openFile(const QString& path) {
    if (EditorPage* open = pageFor(path))
        return open;
    auto* page = new EditorPage(path, this);
    QString error;
    if (!page->load(&error)) {
        delete page;
        emit statusMessage(tr("Cannot open %1: %2").arg(path, error));
        return nullptr;
    }
    if (const auto copy = m_autosave.find(path, page->diskText()))
        page->offerRecovery(copy->text, copy->saved);
    YamlEditor* editor = page->editor();
    connect(editor, &QsciScintilla::textChanged, this, [this, page] { bufferChanged(page); });
    connect(editor, &QsciScintilla::modificationChanged, this, [this, page] { updateTitle(page); });
    connect(editor, &YamlEditor::cursorLineChanged, this,
            [this, page](int line) { emit cursorMoved(page->sourcePath(), line); });
    connect(page, &EditorPage::recoveryAnswered, this, [this, page](bool restored) {
        if (!restored)
            m_autosave.remove(page->path());
    });
    const int index = m_tabs->addTab(page, QFileInfo(path).fileName());
    m_tabs->setTabToolTip(index, path);
    m_watch->watch(path);
    if (const ConfigSnapshotPtr& snapshot = m_bridge.current()) {
        const auto& files = snapshot->loaded.resources.files;
        for (std::size_t i = 0; i < files.size(); ++i)
            if (canonical(QString::fromStdString(files[i].path)) == page->canonicalPath())
                applySnapshotTo(*page, *snapshot, static_cast<int>(i));
    }
    return page;
}

void EditorTabs::showSource(const QString& file, int line, int column, bool reveal) {
    if (file.isEmpty())
        return;
    EditorPage* page = openFile(file);
    if (!page)
        return;
    m_tabs->setCurrentWidget(page);
    page->editor()->goTo(line, column);
    if (!reveal)
        return;
    page->editor()->setFocus();
    emit sourceShown();
}

void EditorTabs::applySnapshot(const ConfigSnapshotPtr& snapshot) {
    const auto& files = snapshot->loaded.resources.files;
    QHash<QString, int> index;
    for (std::size_t i = 0; i < files.size(); ++i)
        index.insert(canonical(QString::fromStdString(files[i].path)), static_cast<int>(i));
    bool shown = false;
    for (int t = 0; t < count(); ++t) {
        const auto it = index.constFind(page(t)->canonicalPath());
        if (it == index.constEnd()) {
            page(t)->editor()->diagnostics().set({});
            continue;
        }
        applySnapshotTo(*page(t), *snapshot, *it);
        shown = true;
    }
    // A new config (not a revalidation): open its first file unless one of its files is open,
    // without taking the window over (the Studio opens on the flow graph).
    if (snapshot->paths != m_snapshotPaths) {
        m_snapshotPaths = snapshot->paths;
        if (!shown && !files.empty())
            showSource(QString::fromStdString(files.front().path), 1, 1, false);
    }
}

void EditorTabs::applySnapshotTo(EditorPage& page, const ConfigSnapshot& snapshot, int file) {
    const model::SourceFile& source = snapshot.loaded.resources.files[static_cast<std::size_t>(file)];
    page.setSourcePath(QString::fromStdString(source.path));
    // Lines only match when the snapshot read this very text (the loader drops a byte-order mark).
    const std::string buffer = page.editor()->utf8Text();
    std::string_view text = buffer;
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    if (source.text == text)
        page.editor()->diagnostics().set(marksForFile(snapshot, static_cast<std::uint32_t>(file)));
    else if (page.isModified())
        m_revalidate.start(); // read from disk (a reload of the config): validate the buffer instead
}

void EditorTabs::bufferChanged(EditorPage* page) {
    m_revalidate.start();
    if (page->isModified())
        m_autosaveSoon.start();
}

void EditorTabs::updateTitle(EditorPage* page) {
    const int index = m_tabs->indexOf(page);
    if (index >= 0)
        m_tabs->setTabText(index, QFileInfo(page->path()).fileName() +
                                      (page->isModified() ? QStringLiteral("*") : QString()));
    m_actions->update();
}

void EditorTabs::autosaveModified() {
    for (int i = 0; i < count(); ++i) {
        EditorPage* p = page(i);
        if (!p->isModified())
            continue;
        const std::string text = p->editor()->utf8Text();
        const std::size_t hash = std::hash<std::string>{}(text);
        const auto done = m_autosaved.find(p);
        if (done != m_autosaved.end() && done->second == hash)
            continue;
        if (m_autosave.write(p->path(), text))
            m_autosaved[p] = hash;
    }
}

void EditorTabs::diskChanged(const QString& path) {
    EditorPage* p = pageFor(path);
    if (p && p->checkDisk() == EditorPage::DiskChange::Reloaded)
        emit statusMessage(tr("Reloaded %1: it changed on disk").arg(QFileInfo(path).fileName()));
}

void EditorTabs::currentChanged() {
    EditorPage* p = currentPage();
    m_find->setEditor(p ? p->editor() : nullptr);
    m_actions->update();
}

bool EditorTabs::save(EditorPage* page) {
    if (!page)
        return false;
    QString error;
    if (!page->save(&error)) {
        emit statusMessage(tr("Could not save %1: %2").arg(page->path(), error));
        return false;
    }
    m_watch->rearm(page->path());
    m_autosave.remove(page->path());
    m_autosaved.erase(page);
    emit statusMessage(tr("Saved %1").arg(page->path()));
    return true;
}

bool EditorTabs::saveCurrent() {
    return save(currentPage());
}

bool EditorTabs::saveAll() {
    bool ok = true;
    for (int i = 0; i < count(); ++i)
        if (page(i)->isModified())
            ok = save(page(i)) && ok;
    return ok;
}

EditorTabs::CloseChoice EditorTabs::ask(const QStringList& files) {
    if (m_ask)
        return m_ask(files);
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("These files have changes that are not saved:\n\n%1").arg(files.join(QLatin1Char('\n'))),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return answer == QMessageBox::Save      ? CloseChoice::Save
           : answer == QMessageBox::Discard ? CloseChoice::Discard
                                            : CloseChoice::Cancel;
}

bool EditorTabs::closeTab(int index) {
    EditorPage* p = page(index);
    if (!p)
        return false;
    if (p->isModified()) {
        switch (ask({p->path()})) {
        case CloseChoice::Cancel:
            return false;
        case CloseChoice::Save:
            if (!save(p))
                return false;
            break;
        case CloseChoice::Discard:
            break;
        }
    }
    removeTab(index);
    return true;
}

void EditorTabs::removeTab(int index) {
    EditorPage* p = page(index);
    m_autosave.remove(p->path());
    m_autosaved.erase(p);
    m_watch->unwatch(p->path());
    m_tabs->removeTab(index);
    p->deleteLater();
}

bool EditorTabs::confirmClose() {
    const QStringList modified = modifiedFiles();
    if (modified.isEmpty())
        return true;
    switch (ask(modified)) {
    case CloseChoice::Cancel:
        return false;
    case CloseChoice::Save:
        return saveAll();
    case CloseChoice::Discard:
        for (int i = 0; i < count(); ++i)
            m_autosave.remove(page(i)->path());
        return true;
    }
    return false;
}

void EditorTabs::openFind(bool replace) {
    if (currentPage())
        m_find->open(replace);
}

} // namespace sluice::ui
