// Package validate checks and normalises the identifiers a French CRM
// stores: company numbers (SIREN, SIRET), activity codes (APE/NAF), VAT
// numbers, e-mail addresses, phone numbers, websites, countries and postal
// codes.
//
// Each validator trims its input, then returns the canonical form of the
// value or an error whose message is a short English sentence without the
// field name, such as "must have 9 digits", so that the caller can prefix
// it with the field: "SIREN must have 9 digits".
package validate

import (
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// laPosteSIREN is the SIREN of La Poste, whose establishments' SIRETs do not
// use the Luhn checksum.
const laPosteSIREN = "356000000"

// laPosteHeadOffice is the SIRET of La Poste's head office, the one La Poste
// SIRET that follows the Luhn checksum instead of La Poste's own rule.
const laPosteHeadOffice = "35600000000048"

// SIREN accepts a SIREN, the 9-digit French company number, ignoring
// spaces, dots and dashes. Its Luhn checksum must hold. It returns the 9
// digits.
func SIREN(s string) (string, error) {
	d, err := digits(s, 9)
	if err != nil {
		return "", err
	}
	if !luhn(d) {
		return "", errors.New("has an invalid check digit")
	}
	return d, nil
}

// SIRET accepts a SIRET, the 14-digit French establishment number (a SIREN
// followed by a 5-digit establishment number), ignoring spaces, dots and
// dashes. Its Luhn checksum must hold, and so must the checksum of the SIREN
// it starts with. The SIRETs of La Poste's establishments, which start with
// "356000000", follow their own rule instead: the sum of their digits must
// be a multiple of 5; only La Poste's head office, 35600000000048, follows
// the Luhn checksum. It returns the 14 digits.
func SIRET(s string) (string, error) {
	d, err := digits(s, 14)
	if err != nil {
		return "", err
	}
	if !siretChecksum(d) {
		return "", errors.New("has an invalid check digit")
	}
	if !luhn(d[:9]) {
		return "", errors.New("does not start with a valid SIREN")
	}
	return d, nil
}

// siretChecksum reports whether the 14 digits d pass the SIRET checksum.
func siretChecksum(d string) bool {
	if strings.HasPrefix(d, laPosteSIREN) && d != laPosteHeadOffice {
		sum := 0
		for i := 0; i < len(d); i++ {
			sum += int(d[i] - '0')
		}
		return sum%5 == 0
	}
	return luhn(d)
}

// SIRENOfSIRET returns the SIREN of a SIRET: its first 9 digits. The SIRET
// should have been returned by [SIRET]; any non-digit in it is skipped.
func SIRENOfSIRET(siret string) string {
	var b strings.Builder
	for i := 0; i < len(siret) && b.Len() < 9; i++ {
		if c := siret[i]; isDigit(c) {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// APE accepts an APE code, the NAF activity code INSEE gives a company, in
// any of the forms "62.01Z", "6201Z", "62.01z" or "62 01 Z". It returns the
// code as 2 digits, a dot, 2 digits and an upper-case letter: "62.01Z".
func APE(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	c := strings.ToUpper(strip(s, " ."))
	if len(c) != 5 || !allDigits(c[:4]) || c[4] < 'A' || c[4] > 'Z' {
		return "", errors.New(`must be 4 digits and a letter, such as "62.01Z"`)
	}
	return c[:2] + "." + c[2:], nil
}

// Email accepts a single e-mail address of the form local@domain, without
// display name, angle brackets or comment, whose domain contains a dot. It
// must be at most 254 characters long. It returns the address with the
// domain lower-cased.
func Email(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	if len(s) > 254 {
		return "", errors.New("must be at most 254 characters long")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", errors.New("is not a valid e-mail address")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if strings.HasPrefix(domain, "[") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", errors.New("is not a valid e-mail address")
	}
	return local + "@" + strings.ToLower(domain), nil
}

// Phone accepts a phone number, national ("01 23 45 67 89") when French and
// international otherwise ("+44 20 7946 0958" or "0044 20 7946 0958"). The
// number must be a valid one for its country. It returns it in E.164 form:
// "+33123456789".
func Phone(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	n, err := phonenumbers.Parse(s, "FR")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", errors.New("is not a valid phone number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// VATFromSIREN returns the French intra-community VAT number of a company:
// "FR", a two-digit key equal to (12 + 3 × (SIREN mod 97)) mod 97, and the
// SIREN. The SIREN should be valid, as returned by [SIREN].
func VATFromSIREN(siren string) string {
	n, _ := strconv.ParseUint(siren, 10, 64)
	return fmt.Sprintf("FR%02d%s", (12+3*(n%97))%97, siren)
}

// VAT accepts a European VAT number: a two-letter country prefix followed by
// 2 to 13 letters or digits, ignoring spaces, dots, dashes and case. A
// French number must be "FR", a 2-character key and a 9-digit SIREN; when
// the key is made of digits, it must be the one [VATFromSIREN] computes. It
// returns the number upper-cased, without separators.
func VAT(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	v := strings.ToUpper(strip(s, " .-"))
	if len(v) < 4 || len(v) > 15 || !isUpper(v[0]) || !isUpper(v[1]) {
		return "", errors.New("must be a two-letter country code followed by 2 to 13 letters or digits")
	}
	for i := 2; i < len(v); i++ {
		if !isUpper(v[i]) && !isDigit(v[i]) {
			return "", errors.New("must be a two-letter country code followed by 2 to 13 letters or digits")
		}
	}
	if v[:2] != "FR" {
		return v, nil
	}
	if len(v) != 13 || !allDigits(v[4:]) {
		return "", errors.New(`must be "FR", a 2-character key and a 9-digit SIREN`)
	}
	if allDigits(v[2:4]) && v != VATFromSIREN(v[4:]) {
		return "", errors.New("has a key that does not match its SIREN")
	}
	return v, nil
}

// Website accepts the address of a website: an http or https URL whose
// host is a name containing a dot or an IP address, without user name or
// password. An address without a scheme, such as "www.example.fr", gets
// "https://" prepended; other schemes are refused. It returns the URL with
// its scheme and host lower-cased, at most 500 characters long.
func Website(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", errors.New("must not contain spaces")
	}
	if !hasScheme(s) {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || !utf8.ValidString(s) {
		return "", errors.New("is not a valid web address")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("must start with http:// or https://")
	}
	// The host is lower-cased in s itself: u.String would also escape
	// non-ASCII host names and paths.
	host, rest := splitAuthority(s[len(u.Scheme+"://"):])
	if u.User != nil || u.Opaque != "" || strings.Contains(host, "%") || !validHost(u.Hostname()) {
		return "", errors.New("is not a valid web address")
	}
	out := u.Scheme + "://" + strings.ToLower(host) + rest
	if len(out) > 500 {
		return "", errors.New("must be at most 500 characters long")
	}
	return out, nil
}

// splitAuthority splits the part of a URL after "://" into its authority
// and the rest, which starts with "/", "?" or "#" unless it is empty.
func splitAuthority(s string) (authority, rest string) {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// hasScheme reports whether s starts with a URL scheme and "://".
func hasScheme(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 || !isLetter(s[0]) {
		return false
	}
	for j := 1; j < i; j++ {
		c := s[j]
		if !isLetter(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// validHost reports whether h, a URL's host without port, is an IP address
// or a name of dot-separated labels made of letters, digits and dashes.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// isoAlpha2 lists the officially assigned ISO 3166-1 alpha-2 country codes.
const isoAlpha2 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW"

// Country accepts an ISO 3166-1 alpha-2 country code, such as "FR" or
// "fr", and returns it upper-cased.
func Country(s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	c := strings.ToUpper(s)
	if len(c) != 2 || !isUpper(c[0]) || !isUpper(c[1]) || !strings.Contains(isoAlpha2, c) {
		return "", errors.New(`is not an ISO 3166-1 country code, such as "FR"`)
	}
	return c, nil
}

// PostalCode accepts a postal code of the given country (an ISO 3166-1
// alpha-2 code, in any case): exactly 5 digits for France ("FR"), and 1 to
// 20 letters, digits, spaces or dashes for any other country. It returns
// the code trimmed.
func PostalCode(country, s string) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	if strings.EqualFold(strings.TrimSpace(country), "FR") {
		if len(s) != 5 || !allDigits(s) {
			return "", errors.New("must be 5 digits")
		}
		return s, nil
	}
	if len(s) > 20 {
		return "", errors.New("must be at most 20 characters long")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && !isLetter(c) && c != ' ' && c != '-' {
			return "", errors.New("must contain only letters, digits, spaces and dashes")
		}
	}
	return s, nil
}

// trimmed returns s without leading and trailing white space, or an error
// if nothing is left.
func trimmed(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is empty")
	}
	return s, nil
}

// digits returns the digits of s, ignoring white space, dots and dashes,
// or an error unless there are exactly n digits and nothing else.
func digits(s string, n int) (string, error) {
	s, err := trimmed(s)
	if err != nil {
		return "", err
	}
	d := strip(s, ".-")
	if !allDigits(d) {
		return "", errors.New("must contain only digits, spaces, dots and dashes")
	}
	if len(d) != n {
		return "", fmt.Errorf("must have %d digits", n)
	}
	return d, nil
}

// strip returns s without white space and without the bytes in cut.
func strip(s, cut string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || (r < unicode.MaxASCII && strings.ContainsRune(cut, r)) {
			return -1
		}
		return r
	}, s)
}

// luhn reports whether the digits d pass the Luhn checksum.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isLetter(c byte) bool { return isUpper(c) || ('a' <= c && c <= 'z') }
