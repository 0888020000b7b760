package exports

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"carnet/ent/export"
)

// table writes rows of named columns: one JSON object per line (JSONL)
// or a CSV row.
type table interface {
	row(vals []any) error
	close() error
}

// newTable starts a table of cols in format (JSONL or CSV) on w.
func newTable(w io.Writer, format export.Format, cols []string) (table, error) {
	if format == export.FormatCSV {
		return newCSVTable(w, cols)
	}
	return &jsonlTable{w: bufio.NewWriterSize(w, 64<<10), cols: cols}, nil
}

// jsonlTable writes JSON Lines, keys in column order.
type jsonlTable struct {
	w    *bufio.Writer
	cols []string
}

func (t *jsonlTable) row(vals []any) error {
	t.w.WriteByte('{')
	for i, c := range t.cols {
		if i > 0 {
			t.w.WriteByte(',')
		}
		k, _ := json.Marshal(c)
		t.w.Write(k)
		t.w.WriteByte(':')
		v, err := json.Marshal(vals[i])
		if err != nil {
			return fmt.Errorf("exports: %s: %w", c, err)
		}
		t.w.Write(v)
	}
	t.w.WriteString("}\n")
	return nil
}

func (t *jsonlTable) close() error { return t.w.Flush() }

// csvTable writes CSV for spreadsheets: UTF-8 with a byte order mark
// (Excel reads UTF-8 only with one: « é » would otherwise show as
// « Ã© »), `;` between fields (the list separator of French locales,
// where `,` is the decimal mark), a header row, CRLF line ends (RFC
// 4180).
type csvTable struct {
	w    *csv.Writer
	vals []string
}

func newCSVTable(w io.Writer, cols []string) (*csvTable, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(cols); err != nil {
		return nil, err
	}
	return &csvTable{w: cw, vals: make([]string, len(cols))}, nil
}

func (t *csvTable) row(vals []any) error {
	for i, v := range vals {
		s, err := cell(v)
		if err != nil {
			return err
		}
		t.vals[i] = s
	}
	return t.w.Write(t.vals)
}

func (t *csvTable) close() error {
	t.w.Flush()
	return t.w.Error()
}

// cell is a value as a CSV field: null empty, times RFC 3339, objects
// JSON; text that a spreadsheet would run as a formula is defused.
func cell(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return defuse(v), nil
	case *string:
		if v == nil {
			return "", nil
		}
		return defuse(*v), nil
	case int:
		return strconv.Itoa(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	case time.Time:
		return v.UTC().Format(time.RFC3339), nil
	default:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.String { // enums
			return defuse(rv.String()), nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		if string(b) == "null" {
			return "", nil
		}
		return string(b), nil
	}
}

// defuse prefixes with ' a text that a spreadsheet would take for a
// formula (CSV injection, OWASP): one starting with =, @, a tab or a
// carriage return, or with + or - not followed by a digit (phone
// numbers such as +33… stay as they are).
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if len(s) == 1 || s[1] < '0' || s[1] > '9' {
			return "'" + s
		}
	}
	return s
}
