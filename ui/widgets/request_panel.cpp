// SPDX-License-Identifier: Apache-2.0
#include "request_panel.h"

#include "models/trace_model.h"
#include "routing/request_url.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QVBoxLayout>

namespace sluice::ui {
namespace {

/// Turns the form into a routing request; empty optional and `error` when it is not one.
std::optional<routing::Request> requestFrom(const QString& method, const QString& url, const QString& port,
                                            const QString& sni, const QString& headers, bool mesh,
                                            std::string& error) {
    const auto parsed = routing::parseRequestUrl(url.trimmed().toStdString(), error);
    if (!parsed)
        return std::nullopt;
    routing::Request r;
    r.method = method.toStdString();
    r.authority = parsed->authority;
    r.target = parsed->target;
    r.tls = parsed->https;
    r.mesh = mesh;
    bool ok = true;
    const uint explicitPort = port.trimmed().isEmpty() ? 0 : port.trimmed().toUInt(&ok);
    if (!ok || explicitPort > 65535) {
        error = "the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    r.port = explicitPort ? explicitPort : parsed->port.value_or(r.tls ? 443 : 80);
    if (!sni.trimmed().isEmpty()) {
        // An SNI only exists in a TLS handshake: naming one means the client speaks TLS.
        r.tls = true;
        r.sni = sni.trimmed().toStdString();
    }
    for (const QString& line : headers.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            error = "headers are \"name: value\", one per line";
            return std::nullopt;
        }
        r.headers.emplace_back(line.left(colon).trimmed().toStdString(),
                               line.mid(colon + 1).trimmed().toStdString());
    }
    return r;
}

} // namespace

RequestPanel::RequestPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new TraceModel(this)) {
    m_method = new QComboBox(this);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("DELETE"), QStringLiteral("PATCH"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_url = new QLineEdit(QStringLiteral("http://bookinfo.example.com/productpage"), this);
    m_port = new QLineEdit(this);
    m_port->setPlaceholderText(tr("server port (default: URL's, else 80/443)"));
    m_sni = new QLineEdit(this);
    m_sni->setPlaceholderText(tr("TLS server name (default for https: the URL's host)"));
    m_headers = new QPlainTextEdit(this);
    m_headers->setPlaceholderText(QStringLiteral("end-user: jason"));
    m_headers->setMaximumHeight(70);
    m_mesh = new QCheckBox(tr("from a sidecar (mesh)"), this);
    auto* traceButton = new QPushButton(tr("Trace"), this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_steps = new QListView(this);
    m_steps->setModel(m_model);
    m_steps->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Method"), m_method);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("SNI"), m_sni);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(QString(), m_mesh);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(traceButton);
    layout->addWidget(m_summary);
    layout->addWidget(m_steps, 1);

    connect(traceButton, &QPushButton::clicked, this, [this] { trace(); });
    connect(m_url, &QLineEdit::returnPressed, this, [this] { trace(); });
    connect(m_steps, &QListView::activated, this, [this](const QModelIndex& i) {
        if (const int line = i.data(TraceModel::LineRole).toInt(); line > 0)
            emit sourceRequested(i.data(TraceModel::FileRole).toString(), line);
    });
}

void RequestPanel::setSnapshot(ConfigSnapshotPtr snapshot) {
    m_snapshot = std::move(snapshot);
}

void RequestPanel::setUrl(const QString& url) {
    m_url->setText(url);
}

void RequestPanel::setSni(const QString& sni) {
    m_sni->setText(sni);
}

bool RequestPanel::trace() {
    if (!m_snapshot || !m_snapshot->table) {
        m_summary->setText(tr("Open a config first."));
        return false;
    }
    std::string error;
    const auto request = requestFrom(m_method->currentText(), m_url->text(), m_port->text(), m_sni->text(),
                                     m_headers->toPlainText(), m_mesh->isChecked(), error);
    if (!request) {
        m_summary->setText(QString::fromStdString(error));
        return false;
    }
    routing::Rng rng(QRandomGenerator::global()->generate64());
    const routing::Decision decision = m_snapshot->table->route(*request, rng);
    m_model->setDecision(decision, m_snapshot->table->files());
    m_summary->setText(m_model->summary());
    emit traced(decision);
    return true;
}

} // namespace sluice::ui
