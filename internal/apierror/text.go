package apierror

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text of error answers: reading the loose fields of error bodies and
// making server text safe for a diagnostic.

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
