// Package canonical holds what both cloud signers canonicalise the same
// way (Huawei Cloud's SDK-HMAC-SHA256,
// https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html,
// and Alibaba Cloud's ACS3-HMAC-SHA256,
// https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature):
// RFC 3986 percent-encoding of everything but the unreserved characters
// (https://www.rfc-editor.org/rfc/rfc3986#section-2.3), paths encoded
// segment by segment, the sorted query string, and the hex SHA-256 and
// HMAC-SHA256 they hash and sign with. The emulator keeps its own
// implementation, so that a mistake here cannot be mirrored there.
package canonical

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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
