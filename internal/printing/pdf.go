package printing

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/net/html"
)

// PDF lays out the HTML a template produced on A4 pages: headings,
// paragraphs, list items, table rows (header cells in bold), line breaks
// and bold text; the rest of HTML is read as plain text. The Go fonts are
// embedded (UTF-8, with a ToUnicode map): accents, ligatures, € and
// dashes render and can be extracted. Pages are numbered "n / total".
func PDF(htmlDoc []byte, title string) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle(title, true)
	p.SetCreator("Carnet", true)
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.SetMargins(18, 18, 18)
	p.SetAutoPageBreak(true, 18)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont("go", "", 8)
		p.CellFormat(0, 5, fmt.Sprintf("%d / {nb}", p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()

	l := &layout{pdf: p, size: 10}
	l.font()
	z := html.NewTokenizer(bytes.NewReader(htmlDoc))
	skip := 0 // inside <head>, <style>, <script>, <title>
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return nil, z.Err()
			}
			l.endBlock()
			var out bytes.Buffer
			if err := p.Output(&out); err != nil {
				return nil, fmt.Errorf("printing: pdf: %w", err)
			}
			return out.Bytes(), nil
		case html.TextToken:
			if skip == 0 {
				l.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch tag := string(name); tag {
			case "head", "style", "script", "title":
				if tt == html.StartTagToken {
					skip++
				}
			case "h1", "h2", "h3":
				l.endBlock()
				l.size, l.bold = map[string]float64{"h1": 18, "h2": 13, "h3": 11}[tag], true
				l.font()
				l.space = 3
			case "p", "div", "ul", "ol", "table":
				l.endBlock()
			case "li":
				l.endBlock()
				l.text("•  ")
			case "tr":
				l.endBlock()
			case "td", "th":
				if tag == "th" {
					l.bold = true
					l.font()
				}
				if l.started {
					l.text("   ")
				}
			case "b", "strong":
				l.bold = true
				l.font()
			case "br":
				l.newLine()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch tag := string(name); tag {
			case "head", "style", "script", "title":
				if skip > 0 {
					skip--
				}
			case "h1", "h2", "h3":
				l.endBlock()
				l.size, l.bold = 10, false
				l.font()
			case "p", "div", "li", "tr", "ul", "ol", "table":
				l.endBlock()
			case "th", "b", "strong":
				l.bold = false
				l.font()
			}
		}
	}
}

// layout flows text on the page.
type layout struct {
	pdf     *fpdf.Fpdf
	size    float64
	bold    bool
	started bool    // the current block has text
	space   float64 // extra space before the next block
}

func (l *layout) font() {
	style := ""
	if l.bold {
		style = "B"
	}
	l.pdf.SetFont("go", style, l.size)
}

// text writes text, collapsing white space as HTML does.
func (l *layout) text(t string) {
	t = strings.Join(strings.Fields(strings.ReplaceAll(t, "\u00a0", " ")), " ")
	t = strings.Map(inFont, t)
	if t == "" {
		return
	}
	if !l.started && l.space > 0 {
		l.pdf.Ln(l.space)
		l.space = 0
	}
	if l.started {
		t = " " + t
	}
	l.pdf.Write(l.size*0.5, t)
	l.started = true
}

func (l *layout) newLine() {
	l.pdf.Ln(l.size * 0.5)
	l.started = false
}

func (l *layout) endBlock() {
	if l.started {
		l.pdf.Ln(l.size * 0.55)
		l.started = false
	}
}

// inFont replaces the characters past the Basic Multilingual Plane
// (emoji, rare scripts), which fpdf's UTF-8 fonts cannot hold (its width
// table stops at U+FFFF, and it panicked on them), with U+FFFD.
func inFont(r rune) rune {
	if r > 0xFFFF {
		return '\uFFFD'
	}
	return r
}
