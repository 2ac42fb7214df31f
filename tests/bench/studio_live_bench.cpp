// SPDX-License-Identifier: Apache-2.0
// sluice-bench-studio-live: the Studio's GUI thread while the embedded proxy serves heavy load.
// MainWindow opens samples/canary (offscreen unless a platform is given), the proxy starts as F6
// starts it, and a closed-loop load (core/traffic's LoadEngine through the Traffic dock's path,
// LiveSession::runLoad) drives as many requests per second through it as the machine allows.
// Measured on the GUI thread:
// - frame time: the interval between the ticks of a 60 Hz timer (16.7 ms when the loop keeps up);
// - update time: each delivery of the proxy's 10 Hz batch (metrics snapshot -> Dashboard and flow
//   overlay, access-log rows -> the Access log), timed in QApplication::notify;
// - paint time: each paint of a widget (the charts, the graph, the log's table).
// The achieved rate is the proxy's own count (its metrics) over the run. Memory mode (--minutes N)
// samples the process's RSS every 10 s under the same load and prints the slope (MB/hour), over
// the whole run and over the part after the Dashboard's longest window (15 min) has filled, when
// the history has stopped growing by design and any further growth is a leak.
// One run (the machine may be shared): a benchmark, not a test; `make bench` runs a short one.
// Usage: sluice-bench-studio-live [--seconds S] [--connections C] [--rate R] [--minutes M] [CONFIG-DIR]
// --rate R: open loop at R requests/s (default: closed loop, as fast as answered).

#include "bridge/core_bridge.h"
#include "live/live_session.h"
#include "widgets/color_theme.h"
#include "widgets/live_wiring.h"
#include "widgets/main_window.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>

#include <malloc.h>
#include <unistd.h>

namespace {

using sluice::ui::ProxyController;

/// Durations in ms, summarised.
struct Samples {
    std::vector<double> ms;

    void add(double value) { ms.push_back(value); }
    [[nodiscard]] double quantile(double q) {
        if (ms.empty())
            return 0;
        std::sort(ms.begin(), ms.end());
        const auto at = static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
        return ms[std::min(at, ms.size() - 1)];
    }
    [[nodiscard]] double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

/// Times the GUI thread's event deliveries of interest: the proxy's batches and widget paints.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;

    QObject* batchReceiver = nullptr; ///< the ProxyController: its queued publish() is one update
    bool recording = false;
    Samples updates;
    Samples paints;
    std::map<std::string, Samples> paintsByClass; ///< which widgets the paints' time goes to

    bool notify(QObject* receiver, QEvent* event) override {
        if (!recording)
            return QApplication::notify(receiver, event);
        const bool batch = receiver == batchReceiver && event->type() == QEvent::MetaCall;
        const bool paint = event->type() == QEvent::Paint;
        if (!batch && !paint)
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        const bool handled = QApplication::notify(receiver, event);
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        if (batch) {
            updates.add(ms);
        } else {
            paints.add(ms);
            paintsByClass[receiver->metaObject()->className()].add(ms);
        }
        return handled;
    }
};

double rssMb() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1048576.0
                             : 0;
}

/// The bytes glibc's malloc has handed out and not taken back, in MB (mallinfo2: in use in its
/// arenas plus its mmapped blocks). Beside the RSS it tells a leak (this grows) from memory the
/// allocator keeps after frees (only the RSS grows).
double heapInUseMb() {
    const struct mallinfo2 m = ::mallinfo2();
    return static_cast<double>(m.uordblks + m.hblkhd) / 1048576.0;
}

/// Least-squares slope of (seconds, MB), in MB per hour.
double slopePerHour(const std::vector<std::pair<double, double>>& points) {
    if (points.size() < 2)
        return 0;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& [x, y] : points) {
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double n = static_cast<double>(points.size());
    const double denominator = n * sxx - sx * sx;
    return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator * 3600.0;
}

/// Runs the event loop until `done` or `timeoutMs`; false on timeout. The loop sleeps between
/// events, as the Studio's does: processEvents with only a time limit returns at once when nothing
/// is pending, and spinning on it would take a core from the proxy being measured.
template <class Done> bool waitFor(Done done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    QTimer recheck; // wakes the loop to look at `done` and the clock
    recheck.start(20);
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int seconds = 20;
    unsigned connections = 64;
    double minutes = 0;
    std::optional<double> rate;
    std::string config = SLUICE_SOURCE_DIR "/samples/canary";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc)
            seconds = std::atoi(argv[++i]);
        else if (arg == "--connections" && i + 1 < argc)
            connections = static_cast<unsigned>(std::atoi(argv[++i]));
        else if (arg == "--rate" && i + 1 < argc)
            rate = std::atof(argv[++i]);
        else if (arg == "--minutes" && i + 1 < argc)
            minutes = std::atof(argv[++i]);
        else if (!arg.starts_with("-"))
            config = arg;
        else {
            std::fprintf(stderr,
                         "usage: %s [--seconds S] [--connections C] [--rate R] [--minutes M] [CONFIG-DIR]\n",
                         argv[0]);
            return 2;
        }
    }

    TimedApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's Studio settings alone
    sluice::ui::CoreBridge bridge;
    sluice::ui::ColorTheme theme(app);
    sluice::ui::MainWindow window(bridge, theme);
    window.show();
    window.openPaths({QString::fromStdString(config)});
    if (!waitFor([&] { return bridge.current() && !bridge.busy(); }, 30000)) {
        std::fprintf(stderr, "sluice-bench-studio-live: %s did not load\n", config.c_str());
        return 1;
    }
    // What a user watches: the Dashboard tab and the Access log dock.
    if (auto* centre = window.findChild<QTabWidget*>())
        for (int i = 0; i < centre->count(); ++i)
            if (centre->tabText(i) == QStringLiteral("Dashboard"))
                centre->setCurrentIndex(i);
    if (auto* log = window.findChild<QDockWidget*>(QStringLiteral("accessLog")))
        log->raise();

    sluice::ui::LiveSession& live = window.live()->session();
    ProxyController& proxy = live.proxy();
    app.batchReceiver = &proxy;
    std::uint64_t total = 0;
    QObject::connect(&proxy, &ProxyController::metricsUpdated, &app,
                     [&total](const sluice::metrics::MetricsSnapshotPtr& s) { total = s->totalRequests(); });
    window.live()->proxyAction()->trigger();
    if (!waitFor([&] { return proxy.state() != ProxyController::State::Starting; }, 20000) ||
        proxy.state() != ProxyController::State::Running) {
        std::fprintf(stderr, "sluice-bench-studio-live: the proxy did not start: %s\n",
                     qPrintable(proxy.statusText()));
        return 1;
    }
    sluice::ui::LoadSettings load;
    load.rate = rate; // nullopt: closed loop, as fast as answered
    load.connections = connections;
    load.seconds = 0; // until stopped
    live.runLoad(load);
    if (!waitFor([&] { return live.traffic().running() && total > 0; }, 20000)) {
        std::fprintf(stderr, "sluice-bench-studio-live: the load did not start\n");
        return 1;
    }
    waitFor([] { return false; }, 2000); // warm-up: connections open, first seconds on the charts

    // Frames: a 60 Hz timer's tick intervals while the load runs.
    Samples frames;
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = -1;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(16);
    QObject::connect(&ticker, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastTick >= 0)
            frames.add(static_cast<double>(now - lastTick) / 1e6);
        lastTick = now;
    });
    const std::uint64_t startCount = total;
    const double startRss = rssMb();
    app.recording = true;
    ticker.start();
    waitFor([] { return false; }, seconds * 1000);
    ticker.stop();
    app.recording = false;
    const double measured = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    const double rps = static_cast<double>(total - startCount) / measured;

    const std::string loadKind =
        rate ? "open-loop load at " + std::to_string(static_cast<long>(*rate)) + " rps"
             : std::string("closed-loop load");
    std::printf("sluice-bench-studio-live: %s, proxy %u workers, %s, %u connections, %d s\n", config.c_str(),
                ProxyController::defaultOptions().serve.workers, loadKind.c_str(), connections, seconds);
    std::printf("achieved: %.0f requests/s through the proxy (%llu requests)\n", rps,
                static_cast<unsigned long long>(total - startCount));
    std::printf("%-28s %8s %8s %8s %8s\n", "GUI thread (ms)", "count", "p50", "p99", "max");
    const auto row = [](const char* name, Samples& s) {
        const double p50 = s.quantile(0.5);
        const double p99 = s.quantile(0.99);
        std::printf("%-28s %8zu %8.2f %8.2f %8.2f\n", name, s.ms.size(), p50, p99, s.max());
    };
    row("frame (60 Hz tick interval)", frames);
    row("update (10 Hz batch)", app.updates);
    row("paint (one widget)", app.paints);
    for (auto& [name, samples] : app.paintsByClass)
        if (samples.max() >= 5)
            row(("  paint " + name).c_str(), samples);
    std::size_t over = 0;
    for (double f : frames.ms)
        over += f > 16.7 + 16.7; // a frame missed: the tick came a whole frame late
    std::printf("frames missed (> 33 ms): %zu of %zu\n", over, frames.ms.size());
    std::printf("RSS: %.1f MB at the start of the measure, %.1f MB at its end\n", startRss, rssMb());

    if (minutes > 0) {
        // The Dashboard's longest window; until it has filled, the history grows by design.
        constexpr double historyFilledSeconds = 15 * 60;
        std::vector<std::pair<double, double>> rss;
        std::vector<std::pair<double, double>> afterFill;
        std::vector<std::pair<double, double>> heap;
        std::vector<std::pair<double, double>> heapAfterFill;
        QElapsedTimer memoryClock;
        memoryClock.start();
        const std::uint64_t memoryStartCount = total;
        const qint64 end = static_cast<qint64>(minutes * 60'000);
        const auto sample = [&] {
            const double at = static_cast<double>(memoryClock.elapsed()) / 1000.0;
            rss.emplace_back(at, rssMb());
            heap.emplace_back(at, heapInUseMb());
            if (at >= historyFilledSeconds) {
                afterFill.push_back(rss.back());
                heapAfterFill.push_back(heap.back());
            }
            if (rss.size() % 30 == 1) // every 5 minutes, so a reader can see the curve's shape
                std::printf("  at %5.1f min: RSS %.1f MB, heap in use %.1f MB, %llu requests\n", at / 60,
                            rss.back().second, heap.back().second,
                            static_cast<unsigned long long>(total - memoryStartCount));
            std::fflush(stdout);
        };
        while (memoryClock.elapsed() < end) {
            sample();
            waitFor([] { return false; },
                    static_cast<int>(std::min<qint64>(10'000, end - memoryClock.elapsed())));
        }
        sample();
        std::printf("memory over %.1f min (%zu samples, every 10 s, %llu requests): %.1f -> %.1f MB, "
                    "slope %.1f MB/hour\n",
                    minutes, rss.size(), static_cast<unsigned long long>(total - memoryStartCount),
                    rss.front().second, rss.back().second, slopePerHour(rss));
        std::printf("heap in use: %.1f -> %.1f MB, slope %.1f MB/hour\n", heap.front().second,
                    heap.back().second, slopePerHour(heap));
        if (afterFill.size() >= 2) {
            std::printf("after the 15-minute history filled (%.1f -> %.1f min): %.1f -> %.1f MB, "
                        "slope %.1f MB/hour\n",
                        afterFill.front().first / 60, afterFill.back().first / 60, afterFill.front().second,
                        afterFill.back().second, slopePerHour(afterFill));
            std::printf("  heap in use after it filled: %.1f -> %.1f MB, slope %.1f MB/hour\n",
                        heapAfterFill.front().second, heapAfterFill.back().second,
                        slopePerHour(heapAfterFill));
        }
    }

    live.stopTraffic();
    waitFor([&] { return !live.traffic().running(); }, 10000);
    proxy.stop();
    waitFor([&] { return proxy.state() == ProxyController::State::Stopped; }, 10000);
    return 0;
}
