// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPalette>
#include <QString>

class QApplication;

namespace sluice::ui {

/// The application's colours: the platform's own (System), or Fusion with a light or dark palette
/// for desktops whose theme does not suit a dense graph and editor. Created once by the app's
/// main and handed to the window; it remembers the platform style so System can go back to it.
class ColorTheme {
public:
    enum class Mode { System, Light, Dark };

    explicit ColorTheme(QApplication& app);

    void apply(Mode mode);
    [[nodiscard]] Mode mode() const { return m_mode; }
    [[nodiscard]] bool isDark() const;

    [[nodiscard]] static QString name(Mode mode);
    [[nodiscard]] static Mode fromName(const QString& name);
    [[nodiscard]] static QPalette darkPalette();
    [[nodiscard]] static QPalette lightPalette();

private:
    QApplication& m_app;
    QString m_systemStyle;
    QPalette m_systemPalette;
    Mode m_mode = Mode::System;
};

} // namespace sluice::ui
