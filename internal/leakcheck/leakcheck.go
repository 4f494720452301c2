// Package leakcheck is test support for the masking of secrets: the forms
// a server may send a secret back in (Forms: cut, JSON-escaped,
// HTML-escaped, URL-encoded, and one inside another), random secrets and
// answers to hide them in, and the check that no run of a secret reached
// a text (Leak), written with the standard library's decoders rather than
// the transport's, so that the check does not share the masker's
// mistakes.
package leakcheck

import (
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Run is the length of the runs of a secret that must never show: the
// transport's SecretRun (kept apart so that a change there is a
// decision, not an accident).
const Run = 16

// Form is one way a server may send a secret back: Apply returns the text
// it sends for secret.
type Form struct {
	Name  string
	Apply func(r *rand.Rand, secret string) string
}

// Forms are the forms the masking must hold against. Each is applied to
// the whole secret; Cut and Part send part of it.
var Forms = []Form{
	{"raw", func(_ *rand.Rand, s string) string { return s }},
	{"cut", func(r *rand.Rand, s string) string { return s[:cutAt(r, s)] }},
	{"part", part},
	{"json", func(_ *rand.Rand, s string) string { return jsonBody(s) }},
	{"json-slash", func(_ *rand.Rand, s string) string { return strings.ReplaceAll(jsonBody(s), "/", `\/`) }},
	{"json-unicode", jsonUnicode},
	{"html", func(_ *rand.Rand, s string) string { return html.EscapeString(s) }},
	{"html-numeric", htmlNumeric},
	{"html-named", htmlNamed},
	{"url-query", func(_ *rand.Rand, s string) string { return url.QueryEscape(s) }},
	{"url-path", func(_ *rand.Rand, s string) string { return url.PathEscape(s) }},
	{"url-every-byte", urlEveryByte},
	{"html-in-json", func(r *rand.Rand, s string) string { return jsonBody(htmlNumeric(r, s)) }},
	{"url-in-json", func(r *rand.Rand, s string) string { return jsonUnicode(r, url.QueryEscape(s)) }},
	{"json-in-url", func(r *rand.Rand, s string) string { return urlEveryByte(r, jsonUnicode(r, s)) }},
	{"url-twice", func(_ *rand.Rand, s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
	{"html-twice", func(_ *rand.Rand, s string) string { return html.EscapeString(html.EscapeString(s)) }},
	{"cut-json-unicode", func(r *rand.Rand, s string) string { return jsonUnicode(r, s[:cutAt(r, s)]) }},
}

// FormNamed returns the form of that name.
func FormNamed(name string) Form {
	for _, f := range Forms {
		if f.Name == name {
			return f
		}
	}
	panic("leakcheck: no form " + name)
}

// cutAt is where a cut ends: at least Run bytes in (the whole secret when
// it is not longer), before the end.
func cutAt(r *rand.Rand, s string) int {
	if len(s) <= Run {
		return len(s)
	}
	return Run + r.IntN(len(s)-Run)
}

// part is a run of at least Run bytes from inside the secret.
func part(r *rand.Rand, s string) string {
	if len(s) <= Run {
		return s
	}
	n := Run + r.IntN(len(s)-Run+1)
	i := r.IntN(len(s) - n + 1)
	return s[i : i+n]
}

// jsonBody is s as encoding/json writes it in a string, without the
// quotes (<, >, & as \u003c..., " and \ escaped).
func jsonBody(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// jsonUnicode escapes about half of the bytes as \u00XX, hex digits in
// either case, and " and \ always.
func jsonUnicode(r *rand.Rand, s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c == '"' || c == '\\' || c < 0x20 || c >= 0x80 || r.IntN(2) == 0:
			b.WriteString(hexCase(r, fmt.Sprintf(`\u%04X`, c)))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// htmlNumeric writes every byte that is not a letter or digit, and about
// a third of the rest, as &#NN; or &#xHH;.
func htmlNumeric(r *rand.Rand, s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case isAlnum(c) && r.IntN(3) > 0:
			b.WriteByte(c)
		case r.IntN(2) == 0:
			fmt.Fprintf(&b, "&#%d;", c)
		default:
			b.WriteString(hexCase(r, fmt.Sprintf("&#x%X;", c)))
		}
	}
	return b.String()
}

// htmlNamed writes the characters that have a name by name.
func htmlNamed(_ *rand.Rand, s string) string {
	return strings.NewReplacer("&", "&amp;", "/", "&sol;", "+", "&plus;", "=", "&equals;", "<", "&lt;", ">", "&gt;",
		`"`, "&quot;", "'", "&apos;", "%", "&percnt;", "#", "&num;", ";", "&semi;", " ", "&nbsp;").Replace(s)
}

// urlEveryByte writes every byte as %XX, hex digits in either case.
func urlEveryByte(r *rand.Rand, s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		b.WriteString(hexCase(r, fmt.Sprintf("%%%02X", c)))
	}
	return b.String()
}

func hexCase(r *rand.Rand, s string) string {
	if r.IntN(2) == 0 {
		return strings.ToLower(s[:2]) + strings.ToLower(s[2:])
	}
	return s
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// SecretAlphabet is what random secrets are made of: the characters of
// base64 and URL-safe base64 tokens, and those that need escaping in JSON,
// HTML and URLs. It leaves out '*', which the masked text holds.
const SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.~&<>\"'\\%#; :"

// Secret returns a random secret of n bytes.
func Secret(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = SecretAlphabet[r.IntN(len(SecretAlphabet))]
	}
	return string(b)
}

// noiseAlphabet is what Answer surrounds a secret with: words, and the
// characters that start or end an escape, so that escapes sit next to the
// secret's.
const noiseAlphabet = "abcdefxyz XYZ0123456789 %&#;\\u{}[]\":,.-_/"

// Answer returns random text with hidden placed somewhere in it.
func Answer(r *rand.Rand, hidden string) string {
	noise := func() string {
		b := make([]byte, r.IntN(80))
		for i := range b {
			b[i] = noiseAlphabet[r.IntN(len(noiseAlphabet))]
		}
		return string(b)
	}
	return noise() + hidden + noise()
}

// Leak returns a description of how a run of secret (Run bytes, or the
// whole secret when it is shorter) shows in text, or "" when none does:
// as it is, or after up to three rounds of the standard decoders (HTML,
// percent, JSON string escapes) in any order. A space and a '+' count as
// the same character (a form-encoded space).
func Leak(text, secret string) string {
	runs, n := runsOf(secret)
	if n == 0 {
		return ""
	}
	type cand struct{ how, text string }
	queue := []cand{{"as it is", text}}
	seen := map[string]bool{text: true}
	for depth := 0; depth <= 3 && len(queue) > 0; depth++ {
		var next []cand
		for _, c := range queue {
			canon := strings.ReplaceAll(c.text, " ", "+")
			for i := 0; i+n <= len(canon); i++ {
				if runs[canon[i:i+n]] {
					return fmt.Sprintf("%q %s, at byte %d", canon[i:i+n], c.how, i)
				}
			}
			if depth == 3 {
				continue
			}
			for _, d := range decoders {
				t := d.decode(c.text)
				if !seen[t] {
					seen[t] = true
					next = append(next, cand{c.how + " then " + d.name + "-decoded", t})
				}
			}
		}
		queue = next
	}
	return ""
}

// runsOf returns the runs of secret that must not show, canonical, and
// their length.
func runsOf(secret string) (map[string]bool, int) {
	s := strings.ReplaceAll(secret, " ", "+")
	n := min(len(s), Run)
	out := map[string]bool{}
	for i := 0; n > 0 && i+n <= len(s); i++ {
		out[s[i:i+n]] = true
	}
	return out, n
}

var decoders = []struct {
	name   string
	decode func(string) string
}{
	{"HTML", html.UnescapeString},
	{"percent", percentDecode},
	{"JSON", jsonDecode},
}

// percentDecode decodes every valid %XX and leaves the rest (net/url's
// decoders refuse a whole text for one stray '%').
func percentDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			var v byte
			_, _ = fmt.Sscanf(s[i+1:i+3], "%02x", &v)
			b.WriteByte(v)
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// jsonDecode decodes every JSON string escape (through encoding/json, one
// escape at a time) and leaves what is not one.
func jsonDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		lengths := []int{2}
		if s[i+1] == 'u' {
			lengths = []int{12, 6} // a surrogate pair, when it is one
		}
		var v string
		n := 0
		for _, l := range lengths {
			if i+l <= len(s) && json.Unmarshal([]byte(`"`+s[i:i+l]+`"`), &v) == nil && (l != 12 || utf8.RuneCountInString(v) == 1) {
				n = l
				break
			}
		}
		if n == 0 {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString(v)
		i += n - 1
	}
	return b.String()
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
