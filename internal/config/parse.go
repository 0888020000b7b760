package config

import (
	"errors"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Each parser stores its value or returns the form it accepts, worded to
// follow "VARIABLE: "value" is ".

func parseAddr(c *Config, v string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New("not a listen address (host:port, e.g. :8080 or 127.0.0.1:8080)")
	}
	c.Addr = v
	return nil
}

func parseMetricsAddr(c *Config, v string) error {
	if v == "" { // the default: /metrics on the API's address
		c.MetricsAddr = ""
		return nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New("not a listen address (host:port, e.g. :9090 or 127.0.0.1:9090)")
	}
	c.MetricsAddr = v
	return nil
}

func parseDatabaseURL(c *Config, v string) error {
	const form = "not a database URL (sqlite:PATH or postgres://…)"
	switch {
	case strings.HasPrefix(v, "sqlite:"):
		if strings.TrimPrefix(v, "sqlite:") == "" {
			return errors.New(form)
		}
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		if _, err := url.Parse(v); err != nil {
			return errors.New(form)
		}
	default:
		return errors.New(form)
	}
	c.DatabaseURL = v
	return nil
}

func parseDataDir(c *Config, v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("not a directory (a path, e.g. data or /var/lib/carnet)")
	}
	c.DataDir = v
	return nil
}

func parseEnv(c *Config, v string) error {
	if v != Development && v != Production {
		return errors.New("not an environment (" + Development + " or " + Production + ")")
	}
	c.Env = v
	return nil
}

func parseBlobURL(c *Config, v string) error {
	if v == "" { // the default: a folder in the data directory
		c.BlobURL = ""
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" && u.Path == "" && u.Opaque == "" && u.Scheme != "mem" {
		return errors.New("not a bucket URL (file:///dir, s3://bucket?region=…)")
	}
	c.BlobURL = v
	return nil
}

// sizePattern is a number of bytes, perhaps with a binary unit (as the
// README's "25 MB", which is 25 × 2²⁰ bytes).
var sizePattern = regexp.MustCompile(`^(?i)([0-9]+)\s*(b|kb|kib|mb|mib|gb|gib)?$`)

// ParseSize reads a size in bytes: "26214400", "25MB", "512 KiB" (units
// are powers of 1024). It must be positive.
func ParseSize(v string) (int64, error) {
	errForm := errors.New("not a size (bytes, e.g. 26214400 or 25MB)")
	m := sizePattern.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return 0, errForm
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, errForm
	}
	shift := map[string]uint{"": 0, "b": 0, "kb": 10, "kib": 10, "mb": 20, "mib": 20, "gb": 30, "gib": 30}[strings.ToLower(m[2])]
	if n > math.MaxInt64>>shift {
		return 0, errForm
	}
	return n << shift, nil
}

func parseMaxUpload(c *Config, v string) error {
	n, err := ParseSize(v)
	if err != nil {
		return err
	}
	c.MaxUploadBytes = n
	return nil
}

// httpURL reports whether v is an absolute http(s) URL with a host.
func httpURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func parseSireneBaseURL(c *Config, v string) error {
	if v != "" && !httpURL(v) {
		return errors.New("not an http(s) URL (e.g. https://api.insee.fr/api-sirene/3.11)")
	}
	c.SireneBaseURL = v
	return nil
}

func parseGraphiQL(c *Config, v string) error {
	if v != "" && v != "on" && v != "off" {
		return errors.New("not on or off (unset: on in development, off in production)")
	}
	c.GraphiQL = v
	return nil
}

func parseCORSOrigins(c *Config, v string) error {
	var origins []string
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || !httpURL(o) || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
				return errors.New("not a list of origins (comma-separated scheme://host[:port], e.g. https://crm.example.com, or *)")
			}
		}
		origins = append(origins, o)
	}
	c.CORSOrigins = origins
	return nil
}

// parseCORSHeaders reads a comma-separated list of header names (RFC 9110
// tokens).
func parseCORSHeaders(c *Config, v string) error {
	var headers []string
	for _, h := range strings.Split(v, ",") {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if strings.IndexFunc(h, func(r rune) bool { return !headerNameRune(r) }) >= 0 {
			return errors.New("not a list of header names (comma-separated, e.g. Authorization, Content-Type, traceparent)")
		}
		headers = append(headers, h)
	}
	c.CORSHeaders = headers
	return nil
}

// headerNameRune reports whether r may appear in a header name (a token
// of RFC 9110, 5.6.2).
func headerNameRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

func parseAuthCacheTTL(c *Config, v string) error {
	if v == "0" {
		c.AuthCacheTTL = 0
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return errors.New("not a duration (e.g. 5s; 0 for no cache)")
	}
	c.AuthCacheTTL = d
	return nil
}

func parseRateLimit(c *Config, v string) error {
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || r < 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return errors.New("not a rate (requests per second, e.g. 20 or 0.5; 0 for no limit)")
	}
	c.RateLimit = r
	return nil
}

func parseRateBurst(c *Config, v string) error {
	if v == "" { // the default, set from the rate by Load
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return errors.New("not a burst (a whole number of requests, at least 1, e.g. 40)")
	}
	c.RateBurst = n
	return nil
}

func parseMaxInflight(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("not a number of requests (a whole number, e.g. 32; 0 for no limit)")
	}
	c.MaxInflight = n
	return nil
}

func parseQueueWait(c *Config, v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return errors.New("not a duration (e.g. 20ms; 0 to refuse at once)")
	}
	c.QueueWait = d
	return nil
}

func parseRequestTimeout(c *Config, v string) error {
	d, err := parseDuration(v)
	if err != nil || d == 0 {
		return errors.New("not a duration (e.g. 10s)")
	}
	c.RequestTimeout = d
	return nil
}

func parseUploadTimeout(c *Config, v string) error {
	d, err := parseDuration(v)
	if err != nil || d == 0 {
		return errors.New("not a duration (e.g. 30s)")
	}
	c.UploadTimeout = d
	return nil
}

// parseDuration reads a duration that is not negative ("0" alone too).
func parseDuration(v string) (time.Duration, error) {
	if v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, errors.New("not a duration")
	}
	return d, nil
}

func parseGOGC(c *Config, v string) error {
	if v == "off" {
		c.GCPercent = -1
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("not a GC target (a percentage, e.g. 400, or off)")
	}
	c.GCPercent = n
	return nil
}

// redact hides the password of a URL.
func redact(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		if i := strings.LastIndex(v, "@"); i >= 0 {
			return "…" + v[i:]
		}
		return v
	}
	return u.Redacted()
}
