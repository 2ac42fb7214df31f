// SPDX-License-Identifier: Apache-2.0
#pragma once

// Upstreams for the tunnel tests, each on its own thread with blocking sockets (the proxy runs on
// its own workers, the test thread drives the clients):
// - HalfCloseEchoServer: echoes bytes; when the client half-closes, answers "EOF-SEEN\n" and then
//   closes its own side, so a test sees data flow after its shutdown(SHUT_WR).
// - WebSocketEchoServer: Beast WebSocket, echoes every message.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice::test {

/// A listening loopback socket whose accept loop runs `serve(fd)` on a thread per connection.
class LoopbackServer {
public:
    LoopbackServer();
    virtual ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return m_port; }

protected:
    void start(); ///< call from the subclass constructor, once it can serve
    void stop();  ///< call from the subclass destructor
    virtual void serve(int fd) = 0;

private:
    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_connections;
    std::vector<int> m_open; ///< connection sockets, shut down on stop()
};

class HalfCloseEchoServer : public LoopbackServer {
public:
    HalfCloseEchoServer() { start(); }
    ~HalfCloseEchoServer() override { stop(); }

private:
    void serve(int fd) override;
};

class WebSocketEchoServer : public LoopbackServer {
public:
    WebSocketEchoServer() { start(); }
    ~WebSocketEchoServer() override { stop(); }

private:
    void serve(int fd) override;
};

/// A free loopback port nothing listens on (bound, then released).
[[nodiscard]] std::uint16_t closedPort();

/// Blocking client helpers with a receive timeout (seconds).
[[nodiscard]] int connectLoopback(std::uint16_t port, int timeoutSeconds = 5);
/// Reads until EOF, timeout or `limit` bytes.
[[nodiscard]] std::string readAll(int fd, std::size_t limit = 1 << 20);
bool sendAll(int fd, const std::string& bytes);

} // namespace sluice::test
