package org.entente.screening.io;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** A minimal element tree for one watchlist record; records are small, so a tree is simplest. */
record XmlNode(String name, StringBuilder text, List<XmlNode> children) {

    private static final XMLInputFactory FACTORY = newFactory();

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // Watchlists come from outside: no DTDs, no external entities.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    static XmlNode parse(String xml) throws XMLStreamException {
        XMLStreamReader r = FACTORY.createXMLStreamReader(new StringReader(xml));
        try {
            List<XmlNode> stack = new ArrayList<>();
            XmlNode root = null;
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        XmlNode n = new XmlNode(r.getLocalName(), new StringBuilder(), new ArrayList<>());
                        if (stack.isEmpty()) {
                            root = n;
                        } else {
                            stack.getLast().children.add(n);
                        }
                        stack.add(n);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!stack.isEmpty()) {
                            stack.getLast().text.append(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> stack.removeLast();
                    default -> { }
                }
            }
            return root;
        } finally {
            r.close();
        }
    }

    Stream<XmlNode> all(String child) {
        return children.stream().filter(c -> c.name.equals(child));
    }

    /** The stripped text of the first child of that name, or "" if none. */
    String get(String child) {
        return all(child).findFirst().map(c -> c.text.toString().strip()).orElse("");
    }

    String value() {
        return text.toString().strip();
    }
}
