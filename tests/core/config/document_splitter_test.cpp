// SPDX-License-Identifier: Apache-2.0
#include "config/document_splitter.h"

#include <QTest>

using sluice::config::splitDocuments;

class DocumentSplitterTest : public QObject {
    Q_OBJECT

private slots:
    void splitsAtColumnZeroMarkers() {
        const std::string text = "# licence\na: 1\n---\nb: 2\n--- # next\n\n---\nc: |\n  ---x\n";
        const auto docs = splitDocuments(text);
        QCOMPARE(docs.size(), std::size_t(4));
        QCOMPARE(docs[0].firstLine, 1u); // the comment line counts as the document's first line
        QVERIFY(docs[0].hasContent);
        QCOMPARE(text.substr(docs[1].begin, docs[1].end - docs[1].begin), std::string("b: 2\n"));
        QCOMPARE(docs[1].beginLine, 4u);
        QVERIFY(!docs[2].hasContent); // blank document between two markers
        QCOMPARE(docs[3].firstLine, 8u);
        QCOMPARE(text.substr(docs[3].begin), std::string("c: |\n  ---x\n")); // indented --- is content
    }

    void documentEndMarkerClosesDocument() {
        const auto docs = splitDocuments("a: 1\n...\n# trailing\n");
        QCOMPARE(docs.size(), std::size_t(1));
        QVERIFY(docs[0].hasContent);
    }

    void emptyInputHasNoContent() {
        const auto docs = splitDocuments("");
        QVERIFY(docs.empty() || !docs[0].hasContent);
    }
};

QTEST_GUILESS_MAIN(DocumentSplitterTest)
#include "document_splitter_test.moc"
