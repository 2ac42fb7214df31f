// SPDX-License-Identifier: Apache-2.0
#include "widgets/color_theme.h"

#include <QApplication>
#include <QStyle>
#include <QTest>

using sluice::ui::ColorTheme;

class ColorThemeTest : public QObject {
    Q_OBJECT

private slots:
    // Dark and light change the whole application's palette; System gives back exactly what the
    // platform had, style included.
    void switchesAndRestoresThePlatformLook() {
        auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
        QVERIFY(app);
        const QString platformStyle = QApplication::style()->name();
        const QColor platformWindow = QApplication::palette().color(QPalette::Window);
        ColorTheme theme(*app);

        theme.apply(ColorTheme::Mode::Dark);
        QCOMPARE(theme.mode(), ColorTheme::Mode::Dark);
        QVERIFY(theme.isDark());
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        QVERIFY(QApplication::palette().color(QPalette::Base).lightness() < 64);

        theme.apply(ColorTheme::Mode::Light);
        QVERIFY(!theme.isDark());
        QVERIFY(QApplication::palette().color(QPalette::Base).lightness() > 200);

        theme.apply(ColorTheme::Mode::System);
        QCOMPARE(QApplication::style()->name(), platformStyle);
        QCOMPARE(QApplication::palette().color(QPalette::Window), platformWindow);
    }

    void namesRoundTrip() {
        for (auto mode : {ColorTheme::Mode::System, ColorTheme::Mode::Light, ColorTheme::Mode::Dark})
            QCOMPARE(ColorTheme::fromName(ColorTheme::name(mode)), mode);
        QCOMPARE(ColorTheme::fromName(QStringLiteral("solarized")), ColorTheme::Mode::System);
    }
};

QTEST_MAIN(ColorThemeTest)
#include "color_theme_test.moc"
