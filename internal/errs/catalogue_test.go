package errs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"carnet/internal/errs"
	"carnet/internal/lang"
	"carnet/internal/rights"
)

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// message is a format string found in the sources.
type message struct {
	format, where string
	fragment      bool // an error of internal/validate, shown inside a message
}

// messages walks the module's Go sources (not tests, not the generated
// ent/) for the formats of errs.E and errs.Invalid, and for the errors
// internal/validate returns, which messages quote.
func messages(t *testing.T) []message {
	root := moduleRoot(t)
	var found []message
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "ent" || rel == "conformance" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		validate := filepath.ToSlash(filepath.Dir(rel)) == "internal/validate"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			arg, fragment := -1, false
			switch {
			case pkg.Name == "errs" && (sel.Sel.Name == "E" || sel.Sel.Name == "Invalid"):
				arg = 1
			case validate && (pkg.Name == "errors" && sel.Sel.Name == "New" || pkg.Name == "fmt" && sel.Sel.Name == "Errorf"):
				arg, fragment = 0, true
			default:
				return true
			}
			where := fset.Position(call.Pos()).String()
			if len(call.Args) <= arg {
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: the message is not a literal: the catalogue cannot check it", where)
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			found = append(found, message{format: s, where: where, fragment: fragment})
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 100 {
		t.Fatalf("found %d messages only: is the walk broken?", len(found))
	}
	return found
}

var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

func TestEveryMessageHasAFrenchTextWithTheSameVerbs(t *testing.T) {
	for _, m := range messages(t) {
		fr, ok := errs.French(m.format, m.fragment)
		if !ok {
			t.Errorf("%s: no French text for %q", m.where, m.format)
			continue
		}
		if en, got := verbs.FindAllString(m.format, -1), verbs.FindAllString(fr, -1); !slices.Equal(en, got) {
			t.Errorf("%s: %q has verbs %v, its French text %v", m.where, m.format, en, got)
		}
	}
}

func TestEveryEntryOfTheCatalogueHasTheSameVerbs(t *testing.T) {
	for en, fr := range errs.Catalogue() {
		if a, b := verbs.FindAllString(en, -1), verbs.FindAllString(fr, -1); !slices.Equal(a, b) {
			t.Errorf("%q has verbs %v, its French text %q %v", en, a, fr, b)
		}
		if strings.TrimSpace(fr) == "" {
			t.Errorf("%q: empty French text", en)
		}
	}
}

func TestEveryRightDescriptionHasAFrenchText(t *testing.T) {
	for _, r := range rights.All() {
		if _, ok := errs.Fragment(rights.Describe(r)); !ok {
			t.Errorf("right %d: no French text for %q", r, rights.Describe(r))
		}
	}
}

func TestMessagesFollowTheLanguageAndKeepTheirCode(t *testing.T) {
	e := errs.Invalid("phone", "%s: %v", "phone", errorString("must have 10 digits"))
	if got := e.In(lang.EN, nil); got != "phone: must have 10 digits" {
		t.Errorf("en: %q", got)
	}
	if got := e.In(lang.FR, nil); got != "phone : doit comporter 10 chiffres" {
		t.Errorf("fr: %q", got)
	}
	if e.Code != errs.BadUserInput || e.Field != "phone" {
		t.Errorf("code %s field %s", e.Code, e.Field)
	}
	label := func(a any, l lang.Language) (string, bool) {
		if a == kind("SUPPLIER") {
			return "Fournisseur", true
		}
		return "", false
	}
	e = errs.Invalid("id", "only a prospect can be validated; this third party is a %s", kind("SUPPLIER"))
	if got := e.In(lang.FR, label); got != "seul un prospect peut être validé ; ce tiers est : Fournisseur" {
		t.Errorf("fr with a label: %q", got)
	}
	// A message built by hand, without a format, stays as it is.
	plain := &errs.Error{Code: errs.NotFound, Message: "gone"}
	if got := plain.In(lang.FR, nil); got != "gone" {
		t.Errorf("plain: %q", got)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

type kind string
