package exports

// GraphML and GEXF are written with encoding/xml's escaping and a small
// writer of our own: no maintained Go library writes both (what exists
// is single-purpose or unmaintained), and the two documents are a handful
// of fixed elements, checked against networkx's readers in the tests.

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"

	"carnet/internal/gid"
)

// nodeAttrs and edgeAttrs are the attributes written on nodes and edges,
// in GraphML keys and GEXF attribute declarations alike.
var (
	nodeAttrs = []string{"name", "code", "kind", "city"}
	edgeAttrs = []string{"label", "sourceType", "targetType", "direction", "isDefault"}
)

func nodeValues(n node) []*string {
	return []*string{&n.name, n.code, &n.kind, nonEmpty(n.city)}
}

func edgeValues(e edge) []*string {
	var def *string
	if e.isDefault != nil {
		s := fmt.Sprint(*e.isDefault)
		def = &s
	}
	return []*string{&e.label, &e.sourceType, &e.targetType, nonEmpty(e.direction), def}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// xmlWriter writes text and escaped values, keeping the first error.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// attr writes ` name="value"`, the value escaped (characters XML 1.0
// forbids become U+FFFD).
func (x *xmlWriter) attr(name, value string) {
	x.raw(" " + name + `="`)
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(value))
	}
	x.raw(`"`)
}

func (x *xmlWriter) text(value string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(value))
	}
}

func (x *xmlWriter) flush() error {
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

func (g *graph) title() string {
	if g.kind == "MANAGEMENT_LINKS" {
		return "Carnet management links"
	}
	return "Carnet filiation links"
}

// writeGraphML writes g as a directed GraphML graph: nodes named by their
// global IDs with the attributes name, code, kind, city (and label, the
// name, which Gephi shows); edges source → target with their labels.
func writeGraphML(w io.Writer, g *graph) error {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(xml.Header)
	x.raw(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
		`xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	x.raw(`  <key id="label" for="node" attr.name="label" attr.type="string"/>` + "\n")
	for _, a := range nodeAttrs {
		x.raw(`  <key id="n_` + a + `" for="node" attr.name="` + a + `" attr.type="string"/>` + "\n")
	}
	for _, a := range edgeAttrs {
		typ := "string"
		if a == "isDefault" {
			typ = "boolean"
		}
		x.raw(`  <key id="e_` + a + `" for="edge" attr.name="` + a + `" attr.type="` + typ + `"/>` + "\n")
	}
	x.raw(`  <graph id="G" edgedefault="directed">` + "\n")
	x.raw(`    <desc>`)
	x.text(g.title())
	x.raw("</desc>\n")
	for _, n := range g.nodes {
		x.raw(`    <node`)
		x.attr("id", gid.Encode(n.id))
		x.raw(`><data key="label">`)
		x.text(n.name)
		x.raw(`</data>`)
		for i, v := range nodeValues(n) {
			if v != nil {
				x.raw(`<data key="n_` + nodeAttrs[i] + `">`)
				x.text(*v)
				x.raw(`</data>`)
			}
		}
		x.raw("</node>\n")
	}
	for _, e := range g.edges {
		x.raw(`    <edge`)
		x.attr("id", gid.Encode(e.id))
		x.attr("source", gid.Encode(e.source))
		x.attr("target", gid.Encode(e.target))
		x.raw(`>`)
		for i, v := range edgeValues(e) {
			if v != nil {
				x.raw(`<data key="e_` + edgeAttrs[i] + `">`)
				x.text(*v)
				x.raw(`</data>`)
			}
		}
		x.raw("</edge>\n")
	}
	x.raw("  </graph>\n</graphml>\n")
	return x.flush()
}

// writeGEXF writes g as a directed GEXF 1.2 graph (the 1.2draft
// namespace, which Gephi and networkx's read_gexf read by default):
// nodes labelled with the name, edges labelled with the link's label,
// the other values as declared attributes.
func writeGEXF(w io.Writer, g *graph) error {
	x := &xmlWriter{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(xml.Header)
	x.raw(`<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">` + "\n")
	x.raw(`  <meta><creator>Carnet</creator><description>`)
	x.text(g.title())
	x.raw("</description></meta>\n")
	x.raw(`  <graph mode="static" defaultedgetype="directed">` + "\n")
	x.raw(`    <attributes class="node">` + "\n")
	for _, a := range nodeAttrs {
		x.raw(`      <attribute id="` + a + `" title="` + a + `" type="string"/>` + "\n")
	}
	x.raw("    </attributes>\n")
	x.raw(`    <attributes class="edge">` + "\n")
	for _, a := range edgeAttrs[1:] { // label is the edge's own attribute
		typ := "string"
		if a == "isDefault" {
			typ = "boolean"
		}
		x.raw(`      <attribute id="` + a + `" title="` + a + `" type="` + typ + `"/>` + "\n")
	}
	x.raw("    </attributes>\n")
	x.raw("    <nodes>\n")
	for _, n := range g.nodes {
		x.raw(`      <node`)
		x.attr("id", gid.Encode(n.id))
		x.attr("label", n.name)
		x.raw(`><attvalues>`)
		for i, v := range nodeValues(n) {
			if v != nil {
				x.raw(`<attvalue for="` + nodeAttrs[i] + `"`)
				x.attr("value", *v)
				x.raw(`/>`)
			}
		}
		x.raw("</attvalues></node>\n")
	}
	x.raw("    </nodes>\n    <edges>\n")
	for _, e := range g.edges {
		x.raw(`      <edge`)
		x.attr("id", gid.Encode(e.id))
		x.attr("source", gid.Encode(e.source))
		x.attr("target", gid.Encode(e.target))
		x.attr("label", e.label)
		x.raw(`><attvalues>`)
		for i, v := range edgeValues(e)[1:] {
			if v != nil {
				x.raw(`<attvalue for="` + edgeAttrs[i+1] + `"`)
				x.attr("value", *v)
				x.raw(`/>`)
			}
		}
		x.raw("</attvalues></edge>\n")
	}
	x.raw("    </edges>\n  </graph>\n</gexf>\n")
	return x.flush()
}
