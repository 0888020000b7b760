package validate

import (
	"strings"
	"testing"
)

// tc is one case of a validator: its input, and either the canonical output
// or, when wantErr is set, a substring of the expected error message.
type tc struct {
	name    string
	in      string
	want    string
	wantErr string
}

// run checks validator f against cases, and that every accepted value is
// canonical: validating the output again returns it unchanged.
func run(t *testing.T, f func(string) (string, error), cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f(c.in)
			if c.wantErr != "" {
				if err == nil {
					t.Fatalf("(%q) = %q, want error containing %q", c.in, got, c.wantErr)
				}
				if !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("(%q) error = %q, want it to contain %q", c.in, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("(%q) error = %v, want %q", c.in, err, c.want)
			}
			if got != c.want {
				t.Fatalf("(%q) = %q, want %q", c.in, got, c.want)
			}
			if again, err := f(got); err != nil || again != got {
				t.Fatalf("(%q) = %q, %v: output is not canonical", got, again, err)
			}
		})
	}
}

func TestSIREN(t *testing.T) {
	run(t, SIREN, []tc{
		{name: "valid Danone", in: "552100554", want: "552100554"},
		{name: "valid Carrefour", in: "732829320", want: "732829320"},
		{name: "valid Orange", in: "443061841", want: "443061841"},
		{name: "La Poste", in: "356000000", want: "356000000"},
		{name: "spaces ignored", in: "732 829 320", want: "732829320"},
		{name: "dots and dashes ignored", in: "732.829-320", want: "732829320"},
		{name: "no-break spaces ignored", in: "732\u00a0829\u202f320", want: "732829320"},
		{name: "surrounding space trimmed", in: "  443061841\t", want: "443061841"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "blank", in: "   ", wantErr: "is empty"},
		{name: "bad checksum", in: "732829321", wantErr: "check digit"},
		{name: "8 digits", in: "73282932", wantErr: "must have 9 digits"},
		{name: "10 digits", in: "7328293200", wantErr: "must have 9 digits"},
		{name: "SIRET is not a SIREN", in: "73282932000074", wantErr: "must have 9 digits"},
		{name: "letters", in: "73282932A", wantErr: "only digits"},
		{name: "non-ASCII digits", in: "७३२८२९३२०", wantErr: "only digits"},
	})
}

func TestSIRET(t *testing.T) {
	run(t, SIRET, []tc{
		{name: "valid Carrefour", in: "73282932000074", want: "73282932000074"},
		{name: "valid Orange", in: "44306184100047", want: "44306184100047"},
		{name: "separators ignored", in: "732 829 320 00074", want: "73282932000074"},
		{name: "dots and dashes ignored", in: "443.061.841-00047", want: "44306184100047"},
		{name: "La Poste head office passes Luhn", in: "35600000000048", want: "35600000000048"},
		{name: "La Poste digit sum multiple of 5 without Luhn", in: "35600000049837", want: "35600000049837"},
		{name: "La Poste Luhn without digit sum multiple of 5", in: "35600000000055", wantErr: "check digit"},
		{name: "La Poste neither rule", in: "35600000000011", wantErr: "check digit"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "bad checksum", in: "73282932000079", wantErr: "check digit"},
		{name: "Luhn holds but SIREN part invalid", in: "73282932100007", wantErr: "valid SIREN"},
		{name: "13 digits", in: "7328293200007", wantErr: "must have 14 digits"},
		{name: "SIREN is not a SIRET", in: "732829320", wantErr: "must have 14 digits"},
		{name: "letters", in: "7328293200007A", wantErr: "only digits"},
	})
}

func TestSIRENOfSIRET(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"canonical SIRET", "73282932000074", "732829320"},
		{"formatted SIRET", "443 061 841 00047", "443061841"},
		{"La Poste", "35600000049837", "356000000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SIRENOfSIRET(c.in); got != c.want {
				t.Fatalf("SIRENOfSIRET(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestAPE(t *testing.T) {
	run(t, APE, []tc{
		{name: "canonical", in: "62.01Z", want: "62.01Z"},
		{name: "without dot", in: "6201Z", want: "62.01Z"},
		{name: "lower-case letter", in: "62.01z", want: "62.01Z"},
		{name: "spaces", in: "62 01 Z", want: "62.01Z"},
		{name: "trimmed", in: " 47.11F ", want: "47.11F"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "missing letter", in: "62.01", wantErr: "4 digits and a letter"},
		{name: "three digits", in: "620Z", wantErr: "4 digits and a letter"},
		{name: "two letters", in: "6201ZZ", wantErr: "4 digits and a letter"},
		{name: "letter first", in: "Z6201", wantErr: "4 digits and a letter"},
		{name: "digit as letter", in: "62011", wantErr: "4 digits and a letter"},
	})
}

func TestEmail(t *testing.T) {
	run(t, Email, []tc{
		{name: "simple", in: "jean.dupont@example.fr", want: "jean.dupont@example.fr"},
		{name: "domain lower-cased, local part kept", in: "Jean.Dupont@Example.FR", want: "Jean.Dupont@example.fr"},
		{name: "plus tag", in: "j+crm@mail.example.com", want: "j+crm@mail.example.com"},
		{name: "trimmed", in: "  j@x.fr ", want: "j@x.fr"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "display name refused", in: "Jean <j@x.fr>", wantErr: "not a valid e-mail"},
		{name: "angle brackets refused", in: "<j@x.fr>", wantErr: "not a valid e-mail"},
		{name: "comment refused", in: "j@x.fr (Jean)", wantErr: "not a valid e-mail"},
		{name: "two addresses refused", in: "a@x.fr, b@x.fr", wantErr: "not a valid e-mail"},
		{name: "no at sign", in: "jean.example.fr", wantErr: "not a valid e-mail"},
		{name: "no dot in domain", in: "jean@localhost", wantErr: "not a valid e-mail"},
		{name: "domain ends with dot", in: "jean@example.", wantErr: "not a valid e-mail"},
		{name: "domain literal", in: "jean@[192.168.0.1]", wantErr: "not a valid e-mail"},
		{name: "no local part", in: "@example.fr", wantErr: "not a valid e-mail"},
		{name: "too long", in: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 190) + ".fr", wantErr: "at most 254"},
	})
}

func TestPhone(t *testing.T) {
	run(t, Phone, []tc{
		{name: "French landline with spaces", in: "01 23 45 67 89", want: "+33123456789"},
		{name: "French landline compact", in: "0123456789", want: "+33123456789"},
		{name: "French mobile with dots", in: "06.12.34.56.78", want: "+33612345678"},
		{name: "French mobile 07", in: "07 81 23 45 67", want: "+33781234567"},
		{name: "plus 33", in: "+33 1 23 45 67 89", want: "+33123456789"},
		{name: "0033 prefix", in: "0033123456789", want: "+33123456789"},
		{name: "UK landline", in: "+44 20 7946 0958", want: "+442079460958"},
		{name: "UK landline with 0044", in: "0044 20 7946 0958", want: "+442079460958"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "too short", in: "12", wantErr: "not a valid phone"},
		{name: "truncated", in: "01 23", wantErr: "not a valid phone"},
		{name: "French number too long", in: "01 23 45 67 89 0", wantErr: "not a valid phone"},
		{name: "letters", in: "hello", wantErr: "not a valid phone"},
	})
}

func TestVATFromSIREN(t *testing.T) {
	for _, c := range []struct{ siren, want string }{
		// (12 + 3 × (443061841 mod 97)) mod 97 = 64.
		{"443061841", "FR64443061841"},
		{"732829320", "FR44732829320"},
		{"552100554", "FR96552100554"},
	} {
		t.Run(c.siren, func(t *testing.T) {
			if got := VATFromSIREN(c.siren); got != c.want {
				t.Fatalf("VATFromSIREN(%q) = %q, want %q", c.siren, got, c.want)
			}
		})
	}
}

func TestVAT(t *testing.T) {
	run(t, VAT, []tc{
		{name: "French with matching key", in: "FR64443061841", want: "FR64443061841"},
		{name: "French with separators and lower case", in: "fr 44 732.829-320", want: "FR44732829320"},
		{name: "French with letter key", in: "FRA1123456789", want: "FRA1123456789"},
		{name: "German", in: "DE 123 456 789", want: "DE123456789"},
		{name: "Belgian", in: "BE0403170701", want: "BE0403170701"},
		{name: "Dutch with letters", in: "NL123456789B01", want: "NL123456789B01"},
		{name: "shortest", in: "XX12", want: "XX12"},
		{name: "longest", in: "XX1234567890123", want: "XX1234567890123"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "French with wrong key", in: "FR40443061841", wantErr: "does not match"},
		{name: "French SIREN too short", in: "FR6444306184", wantErr: `"FR", a 2-character key`},
		{name: "French SIREN with letter", in: "FR6444306184A", wantErr: `"FR", a 2-character key`},
		{name: "no country prefix", in: "64443061841", wantErr: "two-letter country code"},
		{name: "one character after prefix", in: "DE1", wantErr: "two-letter country code"},
		{name: "too long", in: "XX12345678901234", wantErr: "two-letter country code"},
		{name: "symbol", in: "DE123/456", wantErr: "two-letter country code"},
	})
}

func TestWebsite(t *testing.T) {
	run(t, Website, []tc{
		{name: "https", in: "https://www.example.fr", want: "https://www.example.fr"},
		{name: "http with path and query", in: "http://example.fr/a/b?c=d", want: "http://example.fr/a/b?c=d"},
		{name: "no scheme gets https", in: "www.example.fr", want: "https://www.example.fr"},
		{name: "bare domain gets https", in: "example.fr/contact", want: "https://example.fr/contact"},
		{name: "scheme and host lower-cased", in: "HTTPS://WWW.Example.FR/Path", want: "https://www.example.fr/Path"},
		{name: "port kept", in: "example.fr:8443", want: "https://example.fr:8443"},
		{name: "internationalised host", in: "https://café.fr", want: "https://café.fr"},
		{name: "IPv4", in: "http://192.0.2.1/", want: "http://192.0.2.1/"},
		{name: "URL in query without scheme", in: "example.fr/?next=http://a.fr", want: "https://example.fr/?next=http://a.fr"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "ftp refused", in: "ftp://example.fr", wantErr: "http:// or https://"},
		{name: "mailto refused", in: "mailto:jean@example.fr", wantErr: "not a valid web address"},
		{name: "javascript refused", in: "javascript:alert(1)", wantErr: "not a valid web address"},
		{name: "no host", in: "https://", wantErr: "not a valid web address"},
		{name: "host without dot", in: "intranet", wantErr: "not a valid web address"},
		{name: "credentials refused", in: "https://user:pw@example.fr", wantErr: "not a valid web address"},
		{name: "percent-encoded host", in: "https://caf%C3%A9.fr", wantErr: "not a valid web address"},
		{name: "invalid UTF-8", in: "https://caf\xe9.fr", wantErr: "not a valid web address"},
		{name: "host label starting with dash", in: "https://-a.fr", wantErr: "not a valid web address"},
		{name: "space inside", in: "https://example.fr/a b", wantErr: "spaces"},
		{name: "too long", in: "https://example.fr/" + strings.Repeat("a", 482), wantErr: "at most 500"},
	})
}

func TestCountry(t *testing.T) {
	run(t, Country, []tc{
		{name: "France", in: "FR", want: "FR"},
		{name: "lower case", in: "fr", want: "FR"},
		{name: "mixed case trimmed", in: " gB ", want: "GB"},
		{name: "recent code South Sudan", in: "SS", want: "SS"},
		{name: "empty", in: "", wantErr: "is empty"},
		{name: "unassigned code", in: "XX", wantErr: "ISO 3166-1"},
		{name: "alpha-3 code", in: "FRA", wantErr: "ISO 3166-1"},
		{name: "one letter", in: "F", wantErr: "ISO 3166-1"},
		{name: "digits", in: "12", wantErr: "ISO 3166-1"},
		{name: "spans two codes", in: "DA", wantErr: "ISO 3166-1"},
	})
}

func TestISOAlpha2List(t *testing.T) {
	codes := strings.Fields(isoAlpha2)
	if len(codes) != 249 {
		t.Errorf("isoAlpha2 has %d codes, want the 249 assigned ones", len(codes))
	}
	for i, c := range codes {
		if len(c) != 2 || !isUpper(c[0]) || !isUpper(c[1]) {
			t.Errorf("isoAlpha2 holds %q, not two upper-case letters", c)
		}
		if i > 0 && codes[i-1] >= c {
			t.Errorf("isoAlpha2 is not sorted at %q, %q", codes[i-1], c)
		}
	}
}

func TestPostalCode(t *testing.T) {
	for _, c := range []struct {
		name, country, in, want, wantErr string
	}{
		{name: "French", country: "FR", in: "75001", want: "75001"},
		{name: "French Corsica", country: "FR", in: "20000", want: "20000"},
		{name: "French trimmed", country: "FR", in: " 69002 ", want: "69002"},
		{name: "French country in lower case", country: "fr", in: "13001", want: "13001"},
		{name: "French 4 digits", country: "FR", in: "7500", wantErr: "5 digits"},
		{name: "French with space", country: "FR", in: "75 001", wantErr: "5 digits"},
		{name: "French with letter", country: "FR", in: "2A000", wantErr: "5 digits"},
		{name: "British", country: "GB", in: "SW1A 1AA", want: "SW1A 1AA"},
		{name: "Portuguese", country: "PT", in: "1000-001", want: "1000-001"},
		{name: "Belgian", country: "BE", in: "1000", want: "1000"},
		{name: "one character", country: "XX", in: "1", want: "1"},
		{name: "20 characters", country: "XX", in: strings.Repeat("A", 20), want: strings.Repeat("A", 20)},
		{name: "empty", country: "FR", in: "", wantErr: "is empty"},
		{name: "21 characters", country: "XX", in: strings.Repeat("A", 21), wantErr: "at most 20"},
		{name: "punctuation", country: "GB", in: "SW1A/1AA", wantErr: "only letters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := PostalCode(c.country, c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("PostalCode(%q, %q) = %q, %v, want error containing %q", c.country, c.in, got, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("PostalCode(%q, %q) = %q, %v, want %q", c.country, c.in, got, err, c.want)
			}
		})
	}
}

// canonical fails t unless f accepts its own output v unchanged.
func canonical(t *testing.T, f func(string) (string, error), in, v string) {
	t.Helper()
	again, err := f(v)
	if err != nil || again != v {
		t.Fatalf("input %q gave %q, which re-validates to %q, %v", in, v, again, err)
	}
}

func FuzzSIRET(f *testing.F) {
	for _, s := range []string{
		"73282932000074", "44306184100047", "732 829 320 00074", "443.061.841-00047",
		"35600000000048", "35600000049837", "35600000000055", "73282932000079",
		"7328293200007", "", " ", "abc", "７３２８２９３２０００７４", "\u00a0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := SIRET(s)
		if err != nil {
			return
		}
		if len(v) != 14 || !allDigits(v) {
			t.Fatalf("SIRET(%q) = %q, not 14 digits", s, v)
		}
		canonical(t, SIRET, s, v)
		if _, err := SIREN(SIRENOfSIRET(v)); err != nil && !strings.HasPrefix(v, laPosteSIREN) {
			t.Fatalf("SIRET(%q) = %q, whose SIREN is invalid: %v", s, v, err)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{
		"01 23 45 67 89", "+33 1 23 45 67 89", "0033123456789", "06.12.34.56.78",
		"+44 20 7946 0958", "+1 202 555 0123", "12", "01 23", "", "+", "00", "+33",
		"0123456789 ext. 12", "tel:+33-1-23-45-67-89", "+262 262 12 34 56",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Phone(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(v, "+") || !allDigits(v[1:]) {
			t.Fatalf("Phone(%q) = %q, not E.164", s, v)
		}
		canonical(t, Phone, s, v)
	})
}

func FuzzWebsite(f *testing.F) {
	for _, s := range []string{
		"https://www.example.fr", "www.example.fr", "HTTP://Example.FR/a?b#c", "ftp://x.fr",
		"mailto:a@b.fr", "https://café.fr", "http://[::1]:80/", "example.fr/?u=http://a.fr", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := Website(s); err == nil {
			canonical(t, Website, s, v)
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{
		"j@x.fr", "Jean.Dupont@Example.FR", "Jean <j@x.fr>", "<j@x.fr>", `"a b"@x.fr`, "j@[1.2.3.4]", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := Email(s); err == nil {
			canonical(t, Email, s, v)
		}
	})
}
