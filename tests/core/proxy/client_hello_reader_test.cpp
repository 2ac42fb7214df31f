// SPDX-License-Identifier: Apache-2.0
// ClientHelloReader: SNI and ALPN from well-formed hellos (whole, fragmented, trickled), and a
// verdict, never a crash or an over-read, for malformed and hostile ones.

#include "proxy/client_hello_reader.h"

#include <random>
#include <string>

#include <QTest>

using sluice::proxy::ClientHelloReader;
using Verdict = ClientHelloReader::Verdict;

Q_DECLARE_METATYPE(Verdict)

namespace {

/// A ClientHello as Python's ssl module (OpenSSL 3) sends it for server_hostname
/// "Shop.Example.com" with ALPN h2, http/1.1 (a real capture; the key share is throwaway).
constexpr const char* kCapturedHello =
    "1603010200010001fc03033b49f522692514f79235b8bccedbc2d4bcc3d11c3f620b7d561a3523fdbe50c820874dfc08"
    "2704c1a36482a76220dfb0a166a2789cec78b08de2f717cfa1ff11360024130213031301c02cc030c02bc02fcca9cca8"
    "c024c028c023c027009f009e006b006700ff0100018f00000015001300001053686f702e4578616d706c652e636f6d00"
    "0b000403000102000a00160014001d0017001e0019001801000101010201030104002300000010000e000c0268320868"
    "7474702f312e310016000000170000000d002a0028040305030603080708080809080a080b0804080508060401050106"
    "01030303010302040205020602002b00050403040303002d00020101003300260024001d0020d3e98bd12a2081ef3d4f"
    "d32c11d06b2469fdfe309f9443815e7c7296e98ea471001500cb00000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000";

std::string u16(std::size_t v) {
    return {static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}

std::string u24(std::size_t v) {
    return std::string(1, static_cast<char>((v >> 16) & 0xFF)) + u16(v);
}

std::string extension(int type, const std::string& data) {
    return u16(static_cast<std::size_t>(type)) + u16(data.size()) + data;
}

std::string sniExtension(const std::string& name) {
    const std::string entry = std::string(1, '\0') + u16(name.size()) + name;
    return extension(0, u16(entry.size()) + entry);
}

std::string alpnExtension(const std::vector<std::string>& protocols) {
    std::string list;
    for (const auto& p : protocols)
        list += std::string(1, static_cast<char>(p.size())) + p;
    return extension(16, u16(list.size()) + list);
}

/// A ClientHello body with the given extensions (and a session id of `sessionIdLength` bytes).
std::string helloBody(const std::string& extensions, std::size_t sessionIdLength = 0,
                      const std::string& ciphers = std::string("\x13\x01\x13\x02", 4)) {
    std::string body = "\x03\x03" + std::string(32, 'r');
    body += static_cast<char>(sessionIdLength);
    body += std::string(sessionIdLength, 's');
    body += u16(ciphers.size()) + ciphers;
    body += std::string("\x01\x00", 2); // one compression method: null
    if (!extensions.empty())
        body += u16(extensions.size()) + extensions;
    return body;
}

std::string handshake(const std::string& body, int type = 1) {
    return std::string(1, static_cast<char>(type)) + u24(body.size()) + body;
}

std::string record(const std::string& payload, int type = 22) {
    return std::string(1, static_cast<char>(type)) + "\x03\x01" + u16(payload.size()) + payload;
}

std::string hello(const std::string& extensions) {
    return record(handshake(helloBody(extensions)));
}

std::string fromHex(const char* hex) {
    return QByteArray::fromHex(hex).toStdString();
}

} // namespace

class ClientHelloReaderTest : public QObject {
    Q_OBJECT

private slots:
    void verdicts_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("serverName");
        const auto row = [](const char* name, const std::string& bytes, Verdict v, const char* sni = "") {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << v << QString::fromLatin1(sni);
        };
        row("captured OpenSSL hello", fromHex(kCapturedHello), Verdict::Hello, "shop.example.com");
        row("sni lower-cased", hello(sniExtension("API.Example.COM")), Verdict::Hello, "api.example.com");
        row("no extensions", hello(""), Verdict::Hello);
        row("extensions without sni", hello(alpnExtension({"h2"})), Verdict::Hello);
        row("non-host name type skipped", hello(extension(0, u16(4) + std::string("\x01\x00\x01x", 4))),
            Verdict::Hello);
        row("empty input", "", Verdict::NeedMore);
        row("record header only", std::string("\x16\x03\x01\x01\x00", 5), Verdict::NeedMore);
        row("truncated hello", hello(sniExtension("a.example.com")).substr(0, 40), Verdict::NeedMore);
        row("plaintext http", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", Verdict::NotTls);
        row("sslv2 compatible hello", std::string("\x80\x2e\x01\x03\x01", 5), Verdict::NotTls);
        row("not version 3", std::string("\x16\x02\x00\x00\x10", 5), Verdict::NotTls);
        row("zero-length record", std::string("\x16\x03\x01\x00\x00", 5), Verdict::Malformed);
        row("record over 2^14", record(std::string(16385, 'x')), Verdict::Malformed);
        row("alert record", record(std::string("\x02\x28", 2), 21), Verdict::NotTls);
        row("server hello, not client hello", record(handshake(helloBody(""), 2)), Verdict::Malformed);
        row("hello over the limit", record(std::string("\x01\x01\x00\x01", 4) + "xx"), Verdict::TooLarge);
        row("session id over 32", record(handshake(helloBody("", 33))), Verdict::Malformed);
        row("odd cipher list", record(handshake(helloBody("", 0, std::string("\x13\x01\x13", 3)))),
            Verdict::Malformed);
        row("no cipher", record(handshake(helloBody("", 0, ""))), Verdict::Malformed);
        row("hello shorter than its fields",
            record(handshake(std::string("\x03\x03", 2) + std::string(10, 'r'))), Verdict::Malformed);
        row("extension longer than the block", hello(u16(0) + u16(200) + "abc"), Verdict::Malformed);
        row("extensions block past the hello", record(handshake(helloBody("").append(u16(50)).append("xyz"))),
            Verdict::Malformed);
        row("sni with nul", hello(sniExtension(std::string("evil\0.example.com", 17))), Verdict::Malformed);
        row("sni over 255 bytes", hello(sniExtension(std::string(256, 'a'))), Verdict::Malformed);
        row("sni list length wrong", hello(extension(0, u16(99) + std::string("\x00\x00\x01x", 4))),
            Verdict::Malformed);
        row("empty host name", hello(extension(0, u16(3) + std::string("\x00\x00\x00", 3))),
            Verdict::Malformed);
        row("duplicate sni extension", hello(sniExtension("a.test") + sniExtension("b.test")),
            Verdict::Malformed);
        row("empty alpn name", hello(extension(16, u16(1) + std::string("\x00", 1))), Verdict::Malformed);
        // A non-handshake record between two fragments of the hello.
        const std::string body = handshake(helloBody(sniExtension("a.test")));
        row("alert between fragments", record(body.substr(0, 10)) + record(std::string("\x02\x28", 2), 21),
            Verdict::Malformed);
    }

    void verdicts() {
        QFETCH(QByteArray, bytes);
        QFETCH(Verdict, verdict);
        QFETCH(QString, serverName);
        ClientHelloReader reader(1024);
        const Verdict got = reader.read(bytes.toStdString());
        QVERIFY2(got == verdict, reader.problem().c_str());
        if (verdict == Verdict::Hello)
            QCOMPARE(QString::fromStdString(reader.serverName()), serverName);
        else if (verdict != Verdict::NeedMore)
            QVERIFY(!reader.problem().empty());
    }

    void alpnInClientOrder() {
        ClientHelloReader reader;
        QCOMPARE(reader.read(fromHex(kCapturedHello)), Verdict::Hello);
        QCOMPARE(reader.alpn(), (std::vector<std::string>{"h2", "http/1.1"}));
    }

    void fragmentedAcrossRecords() {
        const std::string body =
            handshake(helloBody(sniExtension("frag.example.com") + alpnExtension({"h2"})));
        std::string bytes;
        for (std::size_t at = 0; at < body.size(); at += 7) // 7-byte records, the header split too
            bytes += record(body.substr(at, 7));
        ClientHelloReader reader;
        QCOMPARE(reader.read(bytes), Verdict::Hello);
        QCOMPARE(reader.serverName(), std::string("frag.example.com"));
        QCOMPARE(reader.alpn(), std::vector<std::string>{"h2"});
    }

    void tricklesByteByByte() {
        const std::string bytes = fromHex(kCapturedHello);
        ClientHelloReader reader;
        for (std::size_t n = 0; n < bytes.size(); ++n)
            QCOMPARE(reader.read(std::string_view(bytes).substr(0, n)), Verdict::NeedMore);
        QCOMPARE(reader.read(bytes), Verdict::Hello);
        QCOMPARE(reader.serverName(), std::string("shop.example.com"));
        QCOMPARE(reader.read(bytes + "more"), Verdict::Hello); // the verdict stays
    }

    void tinyRecordsCannotOutgrowTheInputCap() {
        // A hello under the size limit, one handshake byte per record: six bytes of input per
        // byte of hello, past what the reader takes without a complete ClientHello.
        const std::string body = handshake(helloBody(extension(0xfe, std::string(60000, 'x'))));
        std::string bytes;
        for (char c : body)
            bytes += record(std::string(1, c));
        ClientHelloReader whole;
        QCOMPARE(whole.read(record(body.substr(0, 16000)) + record(body.substr(16000, 16000)) +
                            record(body.substr(32000, 16000)) + record(body.substr(48000))),
                 Verdict::Hello);
        ClientHelloReader tiny;
        QCOMPARE(tiny.read(bytes), Verdict::TooLarge);
    }

    void mutatedHellosNeverCrash() {
        // Random corruption and truncation of a real hello: every verdict is fine, a crash or an
        // over-read (ASan/valgrind) is not.
        const std::string original = fromHex(kCapturedHello);
        std::mt19937 random(20240611);
        int hellos = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string bytes = original;
            const int flips = 1 + static_cast<int>(random() % 4);
            for (int f = 0; f < flips; ++f)
                bytes[random() % bytes.size()] = static_cast<char>(random() & 0xFF);
            bytes.resize(random() % (bytes.size() + 1));
            ClientHelloReader reader;
            const Verdict v = reader.read(bytes);
            hellos += v == Verdict::Hello;
            QVERIFY(reader.serverName().size() <= 255);
        }
        QVERIFY(hellos > 0); // some mutations leave a valid hello
    }
};

QTEST_APPLESS_MAIN(ClientHelloReaderTest)
#include "client_hello_reader_test.moc"
