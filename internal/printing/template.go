package printing

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"regexp"
	"strings"
	"time"

	"carnet/internal/errs"
)

// MaxOutput bounds what a template may produce.
const MaxOutput = 5 << 20

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("02/01/2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("02/01/2006 15:04")
	},
	"join": strings.Join,
}

// Parse compiles a template body.
func Parse(body string) (*template.Template, error) {
	return template.New("sheet").Option("missingkey=error").Funcs(funcs).Parse(body)
}

// lineOf finds "sheet:LINE" in a template error.
var lineOf = regexp.MustCompile(`sheet:(\d+)`)

// Check refuses a template that does not parse or that names a field the
// data model lacks (executing it on Sample), with BAD_USER_INPUT naming
// the line.
func Check(body string) error {
	if strings.TrimSpace(body) == "" {
		return errs.Invalid("body", "the template is empty")
	}
	t, err := Parse(body)
	if err == nil {
		err = t.Execute(io.Discard, Sample())
	}
	if err == nil {
		return nil
	}
	msg := err.Error()
	if m := lineOf.FindStringSubmatch(msg); m != nil {
		return errs.Invalid("body", "line %s: %s", m[1], strings.TrimPrefix(msg, "template: "))
	}
	return errs.Invalid("body", "%s", strings.TrimPrefix(msg, "template: "))
}

// limited is a writer that refuses output past MaxOutput.
type limited struct {
	bytes.Buffer
}

var errTooLong = errors.New("the template produces more than 5 MB")

func (l *limited) Write(p []byte) (int, error) {
	if l.Len()+len(p) > MaxOutput {
		return 0, errTooLong
	}
	return l.Buffer.Write(p)
}

// HTML renders the sheet with a template body.
func HTML(body string, sh *Sheet) ([]byte, error) {
	t, err := Parse(body)
	if err != nil {
		return nil, errs.Invalid("templateId", "the template does not parse: %v", err)
	}
	var out limited
	if err := t.Execute(&out, sh); err != nil {
		return nil, errs.Invalid("templateId", "the template failed: %v", err)
	}
	return out.Bytes(), nil
}

// DefaultName is the name of the template carnet init installs.
const DefaultName = "Fiche client / prospect"

// Default is the record sheet carnet init and the demo install.
const Default = `<!DOCTYPE html>
<html lang="{{.Language}}"><head><meta charset="utf-8"><title>{{.Record.Name}}</title>
<style>
body { font-family: "Helvetica Neue", Arial, sans-serif; color: #222; margin: 2em; }
h1 { color: #1d3557; border-bottom: 2px solid #1d3557; }
h2 { color: #457b9d; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.muted { color: #777; font-size: 0.9em; }
</style></head>
<body>
<h1>{{.Record.Name}}</h1>
<p class="muted">{{.Record.Status}}{{if .Record.Code}} · {{.Text.Code}} {{.Record.Code}}{{end}}{{if .Record.Owner}} · {{.Text.FollowedBy}} {{.Record.Owner}}{{end}}</p>
<h2>{{.Text.Identity}}</h2>
<table>
<tr><th>{{.Text.LegalName}}</th><td>{{.Record.LegalName}}</td></tr>
<tr><th>{{.Text.SIRENAndSIRET}}</th><td>{{.Record.SIREN}} {{.Record.SIRET}}</td></tr>
<tr><th>{{.Text.APE}}</th><td>{{.Record.APE}}</td></tr>
<tr><th>{{.Text.VAT}}</th><td>{{.Record.VAT}}</td></tr>
<tr><th>{{.Text.Address}}</th><td>{{join .Record.Address ", "}}</td></tr>
<tr><th>{{.Text.Phone}}</th><td>{{.Record.Phone}}</td></tr>
<tr><th>{{.Text.Email}}</th><td>{{.Record.Email}}</td></tr>
<tr><th>{{.Text.Website}}</th><td>{{.Record.Website}}</td></tr>
{{range .CustomFields}}<tr><th>{{.Label}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
<h2>{{.Text.Contacts}}</h2>
{{if .Contacts}}<ul>
{{range .Contacts}}<li><b>{{.Civility}} {{.FirstName}} {{.LastName}}</b>{{if .JobTitle}} — {{.JobTitle}}{{end}}<br>{{.DirectLine}} {{.Mobile}} {{.Email}}</li>
{{end}}</ul>{{else}}<p class="muted">{{.Text.NoContact}}</p>{{end}}
{{if .ManagementLinks}}<h2>{{.Text.ManagementLinks}}</h2>
<ul>{{range .ManagementLinks}}<li>{{.Type}} → {{.LinkedType}} : {{.Name}}{{if .Default}} ({{$.Text.Default}}){{end}}</li>
{{end}}</ul>{{end}}
{{if .FiliationLinks}}<h2>{{.Text.FiliationLinks}}</h2>
<ul>{{range .FiliationLinks}}<li>{{.LinkedType}}{{if .Direction}} ({{.Direction}}){{end}} : {{.Name}}</li>
{{end}}</ul>{{end}}
{{if .Activities}}<h2>{{.Text.Activities}}</h2>
<ul>{{range .Activities}}<li>{{date .Date}} {{.Type}} — {{.Subject}}{{if .Author}} ({{.Author}}){{end}}{{if .Done}} ({{$.Text.Done}}){{end}}</li>
{{end}}</ul>{{end}}
<p class="muted">{{.Text.PrintedBy}} {{.PrintedBy}} {{.Text.On}} {{datetime .PrintedAt}} — {{.Organisation}}</p>
</body></html>
`
