package transport

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What both clouds' clients share beyond sending requests (besides the
// API error type, apierror.go): reading the loose fields of error bodies,
// making server text safe for a diagnostic, and checking the host names
// and base URLs endpoints are built from.

// FlexString decodes a JSON string or number (some services send numeric
// error codes) and ignores any other JSON value instead of failing the
// whole decode.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = FlexString(n.String())
	}
	return nil
}

// Sanitize keeps at most limit bytes of s (marking a cut with "..."),
// never half a rune, makes it valid UTF-8, replaces control characters
// and line separators with spaces, removes format characters (Unicode
// category Cf: the bidirectional controls such as U+202E RIGHT-TO-LEFT
// OVERRIDE, which can make text display in another order than it reads,
// zero-width characters, the byte order mark) and trims it, so that
// server text is safe to show in one line of a diagnostic. See
// https://www.unicode.org/reports/tr9/ (bidirectional controls) and
// https://trojansource.codes/ (the attack they allow).
func Sanitize(s string, limit int) string {
	cut := false
	if len(s) > limit {
		s = s[:limit]
		for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
			if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
				break
			}
			s = s[:len(s)-1]
		}
		cut = true
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if cut {
		s += "..."
	}
	return s
}

// StripFormat removes the format characters (Unicode category Cf, the
// bidirectional controls among them; see Sanitize) from text that may
// hold several lines, such as a diagnostic's detail.
func StripFormat(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// HostLabel reports whether s is usable as one DNS label of a host name
// (a region name becomes one).
func HostLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// DomainName reports whether s is a host name of valid labels.
func DomainName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for l := range strings.SplitSeq(s, ".") {
		if !HostLabel(l) {
			return false
		}
	}
	return true
}

// BaseURLRule says what an endpoint override must be.
const BaseURLRule = "an absolute http or https URL with a host, without query or fragment"

// CheckBaseURL checks an endpoint override against BaseURLRule.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not %s", raw, BaseURLRule)
	}
	return nil
}
