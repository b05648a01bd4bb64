package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG written by {@link SvgMaskWriter}, parsed as XML, with what the tests read from it. */
public final class SvgDoc {

    public static final String SVG_NS = "http://www.w3.org/2000/svg";

    public final Document doc;
    public final Element root;

    private SvgDoc(Document doc) {
        this.doc = doc;
        this.root = doc.getDocumentElement();
    }

    public static SvgDoc parse(Path file) throws Exception {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static SvgDoc parse(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        Document d = b.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        SvgDoc svg = new SvgDoc(d);
        assertEquals("svg", svg.root.getLocalName());
        assertEquals(SVG_NS, svg.root.getNamespaceURI());
        return svg;
    }

    public Element byId(String id) {
        NodeList all = doc.getElementsByTagNameNS(SVG_NS, "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    public String text(String id) {
        Element e = byId(id);
        assertNotNull(e, "no element with id " + id);
        return e.getTextContent();
    }

    public String title() {
        NodeList t = root.getElementsByTagNameNS(SVG_NS, "title");
        assertEquals(1, t.getLength(), "one <title>");
        return t.item(0).getTextContent();
    }

    /** The kinds of the legend's entries, in order. */
    public List<String> legendKinds() {
        Element legend = byId("legend");
        assertNotNull(legend, "no legend");
        List<String> kinds = new ArrayList<>();
        NodeList gs = legend.getElementsByTagNameNS(SVG_NS, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("legend-entry")) {
                kinds.add(g.getAttribute("data-kind"));
            }
        }
        return kinds;
    }

    /** The legend swatch colour of each kind. */
    public Map<String, String> legendColours() {
        Map<String, String> colours = new HashMap<>();
        NodeList gs = byId("legend").getElementsByTagNameNS(SVG_NS, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("legend-entry")) {
                Element rect =
                        (Element) g.getElementsByTagNameNS(SVG_NS, "rect").item(0);
                colours.put(g.getAttribute("data-kind"), rect.getAttribute("fill"));
            }
        }
        return colours;
    }

    /** The rects of the cell group. */
    public List<Element> cellRects() {
        Element cells = byId("cells");
        assertNotNull(cells, "no cells group");
        List<Element> rects = new ArrayList<>();
        NodeList rs = cells.getElementsByTagNameNS(SVG_NS, "rect");
        for (int i = 0; i < rs.getLength(); i++) {
            rects.add((Element) rs.item(i));
        }
        return rects;
    }

    public int tokensPerCell() {
        return Integer.parseInt(byId("cells").getAttribute("data-tokens-per-cell"));
    }

    /** Total area of the cell rects per fill colour (in cells). */
    public Map<String, Long> areaByColour() {
        Map<String, Long> area = new HashMap<>();
        for (Element r : cellRects()) {
            area.merge(r.getAttribute("fill"), (long) attr(r, "width") * attr(r, "height"), Long::sum);
        }
        return area;
    }

    /**
     * The cells as a grid of fill colours (null where nothing is drawn); fails when two
     * rects overlap or a rect leaves the grid.
     */
    public String[][] raster(int cells) {
        String[][] grid = new String[cells][cells];
        for (Element r : cellRects()) {
            int x = attr(r, "x");
            int y = attr(r, "y");
            int w = attr(r, "width");
            int h = attr(r, "height");
            assertTrue(
                    x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= cells && y + h <= cells,
                    "rect out of the grid: " + x + "," + y + " " + w + "x" + h);
            for (int row = y; row < y + h; row++) {
                for (int col = x; col < x + w; col++) {
                    assertEquals(null, grid[row][col], "rects overlap at " + row + "," + col);
                    grid[row][col] = r.getAttribute("fill");
                }
            }
        }
        return grid;
    }

    public Set<String> cellColours() {
        Set<String> s = new LinkedHashSet<>();
        cellRects().forEach(r -> s.add(r.getAttribute("fill")));
        return s;
    }

    public static int attr(Element e, String name) {
        return Integer.parseInt(e.getAttribute(name));
    }
}
