// Package canonical holds what both cloud signers canonicalise the same
// way (Huawei Cloud's SDK-HMAC-SHA256,
// https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html,
// and Alibaba Cloud's ACS3-HMAC-SHA256,
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
// RFC 3986 percent-encoding of everything but the unreserved characters
// (https://www.rfc-editor.org/rfc/rfc3986#section-2.3), paths encoded
// segment by segment, the sorted query string, the signed headers (host
// taken from the request, a header's values trimmed and joined) and the
// canonical request they are written into, and the hex SHA-256 and
// HMAC-SHA256 they hash and sign with. The emulator keeps its own
// implementation, so that a mistake here cannot be mirrored there.
package canonical

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Escape percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ with
// upper-case hex (space is %20, never +).
func Escape(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// Path percent-encodes each "/"-separated segment of an unescaped path,
// keeping the slashes.
func Path(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = Escape(s)
	}
	return strings.Join(segs, "/")
}

// Query returns the canonical query string: names and values
// percent-encoded (Escape), sorted by name and then by value, "k=v" pairs
// joined with "&" ("k=" for an empty value). An empty q gives "".
func Query(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		ek := Escape(k)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(Escape(v))
		}
	}
	return b.String()
}

// HexSHA256 is the lower-case hex SHA-256 of b.
func HexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HexHMACSHA256 is the lower-case hex HMAC-SHA256 of message under key.
func HexHMACSHA256(key, message string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(message))
	return hex.EncodeToString(m.Sum(nil))
}

// HeaderValue is the value of the header named lowerName as a signature
// covers it: every value trimmed, joined with ",", the header's name
// matched without case, also for keys that were not canonicalised (so
// "x-acs-test" and "x-acs-TEST" set as separate map keys are one header):
// the canonical key's values first (http.Header's methods add to it in
// order), then the other spellings' in the order of their keys.
func HeaderValue(h http.Header, lowerName string) string {
	vals := append([]string(nil), h.Values(lowerName)...)
	canon := http.CanonicalHeaderKey(lowerName)
	var odd []string
	for k := range h {
		if k != canon && strings.EqualFold(k, lowerName) {
			odd = append(odd, k)
		}
	}
	sort.Strings(odd)
	for _, k := range odd {
		vals = append(vals, h[k]...)
	}
	for i, v := range vals {
		vals[i] = strings.TrimSpace(v)
	}
	return strings.Join(vals, ",")
}

// WithHost is a copy of req's headers with the one Host the signature
// covers: req.Host, else the URL's host (net/http sends Host apart from
// the header map, so any "host" key in the map is dropped).
func WithHost(req *http.Request) http.Header {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	h := req.Header.Clone()
	for k := range h {
		if strings.EqualFold(k, "host") {
			delete(h, k)
		}
	}
	h.Set("Host", host)
	return h
}

// SortedLower is names in lower case, sorted.
func SortedLower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	sort.Strings(out)
	return out
}

// Request is the canonical request both signers hash:
//
//	METHOD\nURI\nQUERY\nname:value\n...\n\nname;...\nPAYLOAD-HASH
//
// uri and query are canonical already; the signed headers are written
// lower case and sorted (SortedLower), each with its HeaderValue from
// header (so the caller puts "host" there: WithHost).
func Request(method, uri, query string, header http.Header, signed []string, payloadHash string) string {
	names := SortedLower(signed)
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(HeaderValue(header, n))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(names, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}
